//! Writing output files so that a failed run leaves nothing behind: write to a temporary file beside the
//! target, then rename into place only when everything succeeded.

use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; it becomes visible under its name only through [`Staged::commit`].
///
/// The temporary file beside the target is created exclusively (never through a link planted under its
/// name) with an unpredictable name and readable by its owner only (outputs hold CPR numbers); a target
/// that exists and is not a regular file (a device, a FIFO, a folder) is refused, never replaced.
pub struct Staged {
    target: PathBuf,
    writer: Option<BufWriter<tempfile::NamedTempFile>>,
}

impl Staged {
    /// Starts writing `target`.
    ///
    /// # Errors
    /// When the target is not a regular file, or the temporary file cannot be created.
    pub fn create(target: &Path) -> std::io::Result<Staged> {
        if let Ok(meta) = std::fs::metadata(target)
            && !meta.is_file()
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} exists and is not a regular file; it is not replaced", target.display()),
            ));
        }
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        remove_stale(dir, &name);
        let file = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".partial").tempfile_in(dir)?;
        Ok(Staged { target: target.to_owned(), writer: Some(BufWriter::with_capacity(1 << 20, file)) })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut BufWriter<tempfile::NamedTempFile> {
        // Only `commit` takes the writer, and it consumes `self`.
        self.writer.as_mut().expect("the writer is present until commit")
    }

    /// Flushes, syncs and renames into place; returns the SHA-256 of what was written.
    ///
    /// # Errors
    /// When flushing or renaming fails (the temporary file is then removed).
    pub fn commit(mut self) -> std::io::Result<String> {
        let Some(w) = self.writer.take() else { return Err(std::io::Error::other("already committed")) };
        let file = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        file.as_file().sync_all()?;
        let sha = sha256_file(file.path())?;
        // Dropped on error, the temporary file is removed.
        file.persist(&self.target).map_err(|e| e.error)?;
        Ok(sha)
    }
}

/// How long a staging file may go unwritten before it counts as left behind by a killed run.
const STALE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the staging files of `name` that a killed run left behind (a kill -9 runs no clean-up, and
/// they hold CPR numbers); one written to within [`STALE`] belongs to a run still going and is kept.
fn remove_stale(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let ours = file.starts_with(&prefix) && file.ends_with(".partial");
        let idle = entry.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if ours && idle.is_some_and(|d| d > STALE) {
            let _ = std::fs::remove_file(entry.path());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_files_a_killed_run_left_behind_are_removed_and_a_running_ones_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let target = dir.path().join("ud.csv");
        let stale = dir.path().join(".ud.csv.AbCdEf.partial");
        let fresh = dir.path().join(".ud.csv.GhIjKl.partial");
        let other = dir.path().join(".andet.csv.MnOpQr.partial");
        for f in [&stale, &fresh, &other] {
            std::fs::write(f, "6105801001").expect("write");
        }
        let old = std::time::SystemTime::now() - 2 * STALE;
        for f in [&stale, &other] {
            std::fs::File::options().write(true).open(f).expect("open").set_modified(old).expect("mtime");
        }
        write_all(&[&target], |files| files[0].writer().write_all(b"a,b\n")).expect("write");
        assert!(!stale.exists(), "left behind by a killed run");
        assert!(fresh.exists(), "a run still writing");
        assert!(other.exists(), "another target's");
        assert_eq!(std::fs::read(&target).expect("target"), b"a,b\n");
    }
}
