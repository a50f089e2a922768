//! Writing output files so that a failed run leaves nothing behind: write to a temporary file beside the
//! target, then rename into place only when everything succeeded.

use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; it becomes visible under its name only through [`Staged::commit`].
pub struct Staged {
    target: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<std::fs::File>>,
}

impl Staged {
    /// Starts writing `target`.
    ///
    /// # Errors
    /// When the temporary file cannot be created.
    pub fn create(target: &Path) -> std::io::Result<Staged> {
        let mut name = target.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
        name.push(format!(".partial-{}", std::process::id()));
        let temp = target.with_file_name(name);
        let file = std::fs::File::create(&temp)?;
        Ok(Staged { target: target.to_owned(), temp, writer: Some(BufWriter::with_capacity(1 << 20, file)) })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut BufWriter<std::fs::File> {
        // Only `commit` takes the writer, and it consumes `self`.
        self.writer.as_mut().expect("the writer is present until commit")
    }

    /// Flushes, syncs and renames into place; returns the SHA-256 of what was written.
    ///
    /// # Errors
    /// When flushing or renaming fails (the temporary file is then removed).
    pub fn commit(mut self) -> std::io::Result<String> {
        let result = (|| {
            if let Some(w) = self.writer.take() {
                let file = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
                file.sync_all()?;
            }
            let sha = sha256_file(&self.temp)?;
            std::fs::rename(&self.temp, &self.target)?;
            Ok(sha)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        result
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.temp.exists() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// SHA-256 of a file, lower-case hex.
///
/// # Errors
/// When the file cannot be read.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = std::io::Read::read(&mut file, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes several files all-or-nothing: each is staged by `write`, and all are renamed only if every one
/// was written.
///
/// # Errors
/// The first error; no target is then created.
pub fn write_all<F>(targets: &[&Path], write: F) -> std::io::Result<Vec<String>>
where
    F: FnOnce(&mut [Staged]) -> std::io::Result<()>,
{
    let mut staged = targets.iter().map(|t| Staged::create(t)).collect::<std::io::Result<Vec<_>>>()?;
    write(&mut staged)?;
    for s in &mut staged {
        s.writer().flush()?;
    }
    staged.into_iter().map(Staged::commit).collect()
}
