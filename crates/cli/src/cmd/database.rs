//! `gennemgang db status` and `gennemgang db migrate`: the database's schema version against this
//! program's numbered migrations, and applying the ones it lacks (serve, import and the other commands that
//! write do so too, under the same lock).

use crate::db;
use gennemgang_store::Store as _;
use gennemgang_store::schema::SchemaStatus;

/// Database subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Prints `schema N` (the database's), `binary N` (the newest this program knows) and the pending
    /// migrations; exit 1 when the database is newer than this program.
    Status {
        /// `sqlite://PATH` or `postgres://…` (a database that does not exist is an error, never created).
        #[arg(long)]
        database: Option<String>,
    },
    /// Applies the pending migrations in one transaction and prints the schema and what was applied.
    Migrate {
        /// `sqlite://PATH` or `postgres://…` (a database that does not exist is an error, never created).
        #[arg(long)]
        database: Option<String>,
    },
}

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// Runs the subcommand.
///
/// # Errors
/// The database does not exist (exit 2), cannot be reached, or is newer than this program (exit 1).
pub fn run(args: &Args) -> anyhow::Result<()> {
    db::block_on(async {
        match &args.command {
            Command::Status { database } => {
                let store = db::open_existing(&db::url(database.as_deref())).await?;
                let status = store.schema_status().await?;
                print(&status)?;
                if status.database > status.known {
                    anyhow::bail!(gennemgang_store::StoreError::SchemaTooNew {
                        database: status.database,
                        known: status.known
                    });
                }
            }
            Command::Migrate { database } => {
                let store = db::open_existing(&db::url(database.as_deref())).await?;
                let before = store.schema_status().await?;
                store.migrate().await?;
                let after = store.schema_status().await?;
                say!("schema {}", after.database);
                for (version, name) in &before.pending {
                    say!("applied {version} {name}");
                }
            }
        }
        Ok(())
    })
}

fn print(status: &SchemaStatus) -> anyhow::Result<()> {
    say!("schema {}", status.database);
    say!("binary {}", status.known);
    if status.pending.is_empty() {
        say!("pending none");
    }
    for (version, name) in &status.pending {
        say!("pending {version} {name}");
    }
    Ok(())
}
