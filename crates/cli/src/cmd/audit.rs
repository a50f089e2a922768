//! `gennemgang audit verify`: walk the hash chain of the history.

use crate::db;
use gennemgang_store::{ChainReport, Store};

/// Audit subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Walks the hash chain; `ok N events`, or exit 1 naming the first event that does not match.
    Verify {
        /// `sqlite://PATH` or `postgres://…`.
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
pub fn run(args: &Args) -> anyhow::Result<()> {
    let Command::Verify { database } = &args.command;
    let url = db::url(database.as_deref());
    match db::block_on(async { Ok(db::open(&url).await?.verify_chain().await?) })? {
        ChainReport::Intact(n) => {
            println!("ok {n} events");
            Ok(())
        }
        ChainReport::Broken(b) => Err(anyhow::anyhow!("history broken: {b}")),
    }
}
