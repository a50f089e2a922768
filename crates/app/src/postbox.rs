//! Where sent letters go. [`Postbox`] is the adapter the national Digital Post service and a print
//! service plug in behind; [`FileDrop`], the default, writes each message to a folder: MeMo XML under
//! `digital-post/`, printable PDFs (citizens exempt from Digital Post) under `print/`. A file is written
//! completely (temporary file, fsync, rename) before the case records the letter as sent, so a crash leaves
//! at most an unrecorded file — which the retry, with the same message id, replaces.

use gennemgang_case::action::Channel;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One letter handed over.
#[derive(Clone, Copy, Debug)]
pub struct Parcel<'a> {
    /// The message id (file name; the same letter always has the same id).
    pub message_id: &'a str,
    /// How it goes.
    pub channel: Channel,
    /// The PDF.
    pub pdf: &'a [u8],
    /// The MeMo message (Digital Post).
    pub memo: Option<&'a str>,
}

/// Why a letter could not be handed over.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PostError(pub String);

/// The postal service behind the application.
pub trait Postbox: Send + Sync + std::fmt::Debug {
    /// Hands the letter over; returns once it is durably accepted.
    ///
    /// # Errors
    /// The service did not accept it.
    fn deliver(&self, parcel: &Parcel<'_>) -> Result<PathBuf, PostError>;
}

/// Writes messages to a folder.
#[derive(Clone, Debug)]
pub struct FileDrop {
    root: PathBuf,
}

impl FileDrop {
    /// A drop folder at `root` (created on first use).
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> FileDrop {
        FileDrop { root: root.into() }
    }

    /// The folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Writes `bytes` to `path` so that the folder only ever holds whole files: the bytes are written and
/// synced in a staging folder beside it (same file system), then renamed into place. A process killed
/// part-way leaves its remains in the staging folder, never a partial file where the receiver collects.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = dir.file_name().map_or_else(|| "drop".into(), |n| n.to_string_lossy().into_owned());
    let staging = dir.with_file_name(format!(".{name}.staging"));
    std::fs::create_dir_all(&staging)?;
    let mut file = tempfile::NamedTempFile::new_in(&staging)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    // The rename itself must survive a crash too.
    std::fs::File::open(dir)?.sync_all()
}

impl Postbox for FileDrop {
    fn deliver(&self, parcel: &Parcel<'_>) -> Result<PathBuf, PostError> {
        let safe = parcel.message_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !safe || parcel.message_id.is_empty() {
            return Err(PostError(format!("message id {:?} is not a file name", parcel.message_id)));
        }
        let (path, bytes) = match (parcel.channel, parcel.memo) {
            (Channel::Digital, Some(xml)) => {
                (self.root.join("digital-post").join(format!("{}.xml", parcel.message_id)), xml.as_bytes())
            }
            (Channel::Digital, None) => return Err(PostError("a Digital Post letter needs its MeMo message".into())),
            (Channel::Physical, _) => (self.root.join("print").join(format!("{}.pdf", parcel.message_id)), parcel.pdf),
        };
        write_atomically(&path, bytes).map_err(|e| PostError(format!("writing {}: {e}", path.display())))?;
        Ok(path)
    }
}
