//! `gennemgang audit verify`: walk the hash chain of the history, check that each case is the fold of its
//! events, and print the head for a later run to check against.

use crate::db;
use crate::exit::bad_input;
use gennemgang_case::case::Case;
use gennemgang_store::{ChainReport, Head, Store};

/// Audit subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Walks the hash chain and folds every case; `ok N events, head HASH`, or exit 1 naming the first
    /// event or case that does not match.
    Verify {
        /// `sqlite://PATH` or `postgres://…` (a database that does not exist is an error, never created).
        #[arg(long)]
        database: Option<String>,
        /// `N:HASH`, a head printed by an earlier run: event N must still be there with that hash (a tail
        /// cut off or written anew is caught).
        #[arg(long)]
        head: Option<String>,
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
    let Command::Verify { database, head } = &args.command;
    let earlier: Option<Head> =
        head.as_deref().map(str::parse).transpose().map_err(|e: String| bad_input(format!("--head: {e}")))?;
    let url = db::url(database.as_deref());
    db::block_on(async {
        // As it is: a missing file is an error, and nothing is migrated or folded again before it is
        // checked (a row the fold would rewrite is exactly what must be found).
        let store = db::open_existing(&url).await?;
        let head = match store.verify_chain(earlier.as_ref()).await? {
            ChainReport::Intact(head) => head,
            ChainReport::Broken(b) => return Err(anyhow::anyhow!("history broken: {b}")),
        };
        // The chain can be intact while a case's row says something its events do not (an event deleted
        // from the end, a row edited): every case must be the fold of its history.
        // The columns beside each snapshot (what the worklist filters by: municipality, phase, state)
        // must say what the events say too.
        let columns = store.stored_columns().await?;
        for case in store.cases().await? {
            let events = store.events(case.id).await?;
            let folded = Case::from_events(&events)
                .map_err(|e| anyhow::anyhow!("case {}: its history does not fold: {e}", case.id))?;
            if folded != case {
                return Err(anyhow::anyhow!(
                    "case {}: the stored case (version {}) is not the fold of its {} events (version {})",
                    case.id,
                    case.version,
                    events.len(),
                    folded.version
                ));
            }
            let stored = columns.iter().find(|c| c.id == case.id);
            let encoded = gennemgang_store::rows::encode(&folded)?;
            if let Some((column, was, is)) = stored.and_then(|c| c.differs_from(&encoded)) {
                return Err(anyhow::anyhow!(
                    "case {}: the stored column {column} ({was}) is not what its events give ({is})",
                    case.id
                ));
            }
        }
        say!("ok {} events, head {}", head.events, head.hash);
        Ok(())
    })
}
