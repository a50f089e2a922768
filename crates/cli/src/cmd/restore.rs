//! `gennemgang restore`: a backup (the SQLite file `backup` writes) loaded into a new, empty PostgreSQL
//! database, in one transaction, with its history as it was (`audit verify` shows the same heads).

use crate::db;
use crate::exit::bad_input;
use gennemgang_app::backup::BackupError;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The backup file (as `gennemgang backup --output` wrote it).
    #[arg(long)]
    from: std::path::PathBuf,
    /// The empty PostgreSQL database to restore into: `postgres://…` (default: `DATABASE_URL`).
    #[arg(long)]
    database: Option<String>,
}

/// Restores and says what was restored.
///
/// # Errors
/// The backup is missing, the database is not PostgreSQL or not empty (exit 2), the backup is at another
/// schema, or the restore fails (nothing is then restored).
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    db::block_on(async {
        let restored = gennemgang_app::backup::restore(&args.from, &url).await.map_err(|e| match e {
            BackupError::NotEmpty(_) | BackupError::NotPostgres | BackupError::Url(_) | BackupError::Io { .. } => {
                bad_input(e.to_string())
            }
            e => anyhow::Error::new(e),
        })?;
        let counts: Vec<String> = restored.rows.iter().map(|(table, n)| format!("{table} {n}")).collect();
        say!("restored {}: {}", args.from.display(), counts.join(", "));
        Ok(())
    })
}
