//! `backup`: a consistent copy of the database as one SQLite file (CONTRACT: a file `--database
//! sqlite://FILE` opens). SQLite is copied whole in one read transaction (`VACUUM INTO`); PostgreSQL is
//! read table by table in one repeatable-read snapshot and written into a new SQLite database of the same
//! schema, a batch at a time. Either way the copy is made under a name of its own beside the output and
//! linked to the output's name only when complete, so a killed backup leaves no file that looks whole;
//! the output is never replaced, and is readable by its owner only (it holds CPR numbers). Sessions are
//! left out ([`gennemgang_store::backup`]).

use gennemgang_store::backup::{Cell, Copied, TABLES, batch_of};
use gennemgang_store::{Store as _, StoreError};
use gennemgang_store_postgres::PostgresStore;
use gennemgang_store_sqlite::SqliteStore;
use std::path::{Path, PathBuf};

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The output exists: a backup never replaces a file.
    #[error("--output: {0} exists; a backup never replaces a file")]
    Exists(PathBuf),
    /// The output's folder does not exist.
    #[error("--output: the folder of {0} does not exist")]
    NoFolder(PathBuf),
    /// The URL names no supported database.
    #[error("--database: \"{0}\" is neither sqlite://PATH nor postgres://…")]
    Url(String),
    /// The database is not at this program's schema: migrate it (or use the release that made it) first.
    #[error("the database has schema {database}, this program {known}: run `gennemgang db migrate` first")]
    Schema {
        /// The database's.
        database: u32,
        /// This program's.
        known: u32,
    },
    /// A restore goes into an empty database only.
    #[error("--database: the database is not empty (table {0} holds rows); restore into a new, empty database")]
    NotEmpty(&'static str),
    /// A restore goes into PostgreSQL; a SQLite backup is restored by copying its file.
    #[error("--database: restore into PostgreSQL (postgres://…); a SQLite backup is restored by copying the file")]
    NotPostgres,
    /// Writing the copy failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Copies the database at `url` into the new file `output`; returns the rows of each table it holds.
///
/// # Errors
/// See [`BackupError`]; nothing is left at `output` (nor beside it) when it fails.
pub async fn backup(url: &str, output: &Path) -> Result<Copied, BackupError> {
    if output.exists() || output.is_symlink() {
        return Err(BackupError::Exists(output.to_owned()));
    }
    let folder = output.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(BackupError::NoFolder(output.to_owned()));
    }
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nonce = crate::auth::random_token().map_err(|e| io(output, std::io::Error::other(e.to_string())))?;
    let staged = folder.join(format!(".{name}.{}.partial", &nonce[..16]));
    let made = copy(url, &staged).await;
    let linked = made.and_then(|copied| {
        // A hard link fails when the name is taken: a file that appeared meanwhile is not replaced.
        std::fs::hard_link(&staged, output).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => BackupError::Exists(output.to_owned()),
            _ => io(output, e),
        })?;
        Ok(copied)
    });
    for leftover in [
        staged.clone(),
        PathBuf::from(format!("{}-wal", staged.display())),
        PathBuf::from(format!("{}-shm", staged.display())),
    ] {
        let _ = std::fs::remove_file(leftover);
    }
    linked
}

fn io(path: &Path, source: std::io::Error) -> BackupError {
    BackupError::Io { path: path.to_owned(), source }
}

/// Makes the copy at `staged`, an empty file created here for its owner only.
async fn copy(url: &str, staged: &Path) -> Result<Copied, BackupError> {
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(staged).map_err(|e| io(staged, e))?;
    }
    let target_url = format!("sqlite://{}", staged.display());
    if url.starts_with("sqlite:") {
        let source = SqliteStore::open_existing(url).await?;
        at_schema(&source.schema_status().await?)?;
        source.copy_into(staged).await?;
        let target = SqliteStore::open(&target_url).await?;
        Ok(target.finish_backup().await?)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let source = PostgresStore::open(url, None).await?;
        at_schema(&source.schema_status().await?)?;
        let target = SqliteStore::open(&target_url).await?;
        target.migrate().await?;
        let mut snapshot = source.snapshot().await?;
        for table in TABLES {
            let mut after: Option<Cell> = None;
            loop {
                let rows = snapshot.rows(table, after.as_ref(), batch_of(table)).await?;
                let Some(last) = rows.last() else { break };
                after = last.first().cloned();
                target.put_rows(table, &rows).await?;
            }
        }
        Ok(target.finish_backup().await?)
    } else {
        Err(BackupError::Url(url.to_owned()))
    }
}

fn at_schema(status: &gennemgang_store::schema::SchemaStatus) -> Result<(), BackupError> {
    if status.database == status.known {
        Ok(())
    } else {
        Err(BackupError::Schema { database: status.database, known: status.known })
    }
}

/// Restores the backup `from` (a file `backup` wrote) into the empty PostgreSQL database at `url`: its
/// schema made, then every table copied a batch at a time in one transaction (all of it lands, or none),
/// the history's hashes as they were, so that `audit verify` shows the same heads. Returns the rows of
/// each table restored.
///
/// # Errors
/// See [`BackupError`]; when it fails no row is restored (the schema may have been made).
pub async fn restore(from: &Path, url: &str) -> Result<Copied, BackupError> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(if url.starts_with("sqlite:") {
            BackupError::NotPostgres
        } else {
            BackupError::Url(url.to_owned())
        });
    }
    if !from.is_file() {
        return Err(io(from, std::io::Error::new(std::io::ErrorKind::NotFound, "no such backup file")));
    }
    let source = SqliteStore::open_existing(&format!("sqlite://{}", from.display())).await?;
    at_schema(&source.schema_status().await?)?;
    let target = PostgresStore::open(url, None).await?;
    target.migrate().await?;
    if let Some(table) = target.first_table_with_rows().await? {
        return Err(BackupError::NotEmpty(table));
    }
    let mut restore = target.restore().await?;
    for table in TABLES {
        let mut after: Option<Cell> = None;
        loop {
            let rows = source.rows(table, after.as_ref(), batch_of(table)).await?;
            let Some(last) = rows.last() else { break };
            after = last.first().cloned();
            restore.put_rows(table, &rows).await?;
        }
    }
    Ok(restore.finish().await?)
}
