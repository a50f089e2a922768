//! `gennemgang backup`: a consistent copy of the database as one SQLite file (CONTRACT).

use crate::db;
use crate::exit::bad_input;
use gennemgang_app::backup::BackupError;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…` (default: `DATABASE_URL`, else sqlite://gennemgang.db).
    #[arg(long)]
    database: Option<String>,
    /// The backup: a new file (never replaced) that `--database sqlite://FILE` opens.
    #[arg(long)]
    output: std::path::PathBuf,
}

/// Makes the backup and says what it holds.
///
/// # Errors
/// The output exists or its folder does not (exit 2), the database is not at this program's schema, or
/// the copy fails.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    db::block_on(async {
        let copied = gennemgang_app::backup::backup(&url, &args.output).await.map_err(|e| match e {
            BackupError::Exists(_) | BackupError::NoFolder(_) | BackupError::Url(_) => bad_input(e.to_string()),
            BackupError::Store(gennemgang_store::StoreError::NoSuchDatabase(_)) => {
                bad_input(format!("--database: {e}"))
            }
            BackupError::Store(gennemgang_store::StoreError::Database(_)) if url.starts_with("sqlite:") => {
                bad_input(format!("--database: {e}"))
            }
            e => anyhow::Error::new(e),
        })?;
        let counts: Vec<String> = copied.rows.iter().map(|(table, n)| format!("{table} {n}")).collect();
        say!("backed up to {}: {}", args.output.display(), counts.join(", "));
        Ok(())
    })
}
