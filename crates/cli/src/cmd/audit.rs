//! `gennemgang audit verify`: walk the hash chain of the history, check that each case is the fold of its
//! events, digest the access log, and print both heads for a later run to check against.
//! `gennemgang audit checkpoint`: the same, then the heads signed with the key in `GENNEMGANG_AUDIT_KEY`,
//! a line for the operators' archive that `verify --checkpoint` checks later.

use crate::db;
use crate::exit::bad_input;
use gennemgang_case::case::Case;
use gennemgang_store::chain::AccessDigest;
use gennemgang_store::checkpoint::Checkpoint;
use gennemgang_store::{ChainReport, Head, Store};

/// The environment variable that holds the checkpoint key (at least 32 bytes).
const KEY_VAR: &str = "GENNEMGANG_AUDIT_KEY";

/// Audit subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Walks the hash chain, folds every case and digests the access log; `ok N events, head HASH` and
    /// `access log M entries, head HASH`, or exit 1 naming the first event, case or entry that does not
    /// match.
    Verify {
        /// `sqlite://PATH` or `postgres://…` (a database that does not exist is an error, never created).
        #[arg(long)]
        database: Option<String>,
        /// `N:HASH`, a head printed by an earlier run: event N must still be there with that hash (a tail
        /// cut off or written anew is caught).
        #[arg(long)]
        head: Option<String>,
        /// `M:HASH`, an access-log head printed by an earlier run: its first M entries must still give it.
        #[arg(long)]
        access_head: Option<String>,
        /// A line printed by `audit checkpoint`: its signature is checked with the key in
        /// GENNEMGANG_AUDIT_KEY, then both its heads as with --head and --access-head.
        #[arg(long, conflicts_with_all = ["head", "access_head"])]
        checkpoint: Option<String>,
    },
    /// Verifies as `verify` does, then prints a checkpoint line signed with the key in GENNEMGANG_AUDIT_KEY.
    Checkpoint {
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

fn key() -> anyhow::Result<Vec<u8>> {
    let key = std::env::var_os(KEY_VAR).ok_or_else(|| bad_input(format!("{KEY_VAR} is not set")))?;
    let key = key.into_encoded_bytes();
    if key.len() < gennemgang_store::checkpoint::MIN_KEY_BYTES {
        return Err(bad_input(format!(
            "{KEY_VAR} must be at least {} bytes",
            gennemgang_store::checkpoint::MIN_KEY_BYTES
        )));
    }
    Ok(key)
}

fn parse_head(flag: &str, value: Option<&str>) -> anyhow::Result<Option<Head>> {
    value.map(str::parse).transpose().map_err(|e: String| bad_input(format!("{flag}: {e}")))
}

/// Runs the subcommand.
pub fn run(args: &Args) -> anyhow::Result<()> {
    match &args.command {
        Command::Verify { database, head, access_head, checkpoint } => {
            let (events, access) = match checkpoint {
                Some(line) => {
                    let c = Checkpoint::verify(line, &key()?).map_err(|e| bad_input(format!("--checkpoint: {e}")))?;
                    (Some(c.events), Some(c.access))
                }
                None => (parse_head("--head", head.as_deref())?, parse_head("--access-head", access_head.as_deref())?),
            };
            let (events, access) = verify(database.as_deref(), events.as_ref(), access.as_ref())?;
            say!("ok {} events, head {}", events.events, events.hash);
            say!("access log {} entries, head {}", access.events, access.hash);
        }
        Command::Checkpoint { database } => {
            let key = key()?;
            let (events, access) = verify(database.as_deref(), None, None)?;
            let line = Checkpoint { events, access, at: jiff::Timestamp::now() }.sign(&key)?;
            say!("{line}");
        }
    }
    Ok(())
}

/// Verifies the database at `database` against the earlier heads given; returns the heads now.
fn verify(
    database: Option<&str>,
    earlier: Option<&Head>,
    access_earlier: Option<&Head>,
) -> anyhow::Result<(Head, Head)> {
    let url = db::url(database);
    db::block_on(async {
        // As it is: a missing file is an error, and nothing is migrated or folded again before it is
        // checked (a row the fold would rewrite is exactly what must be found).
        let store = db::open_existing(&url).await?;
        let head = match store.verify_chain(earlier).await? {
            ChainReport::Intact(head) => head,
            ChainReport::Broken(b) => return Err(anyhow::anyhow!("history broken: {b}")),
        };
        // The chain can be intact while a case's row says something its events do not (an event deleted
        // from the end, a row edited): every case must be the fold of its history, and the columns beside
        // each snapshot (what the worklist filters by) must say what the events say. Servers go on while
        // this runs: a case found changed, erased or created since it was read is read again, once.
        let cases = store.cases().await?;
        let columns = store.stored_columns().await?;
        for case in &cases {
            if let Err(first) = matches_its_history(&store, case, &columns).await? {
                match store.case(case.id).await? {
                    None if store.events(case.id).await?.is_empty() => {} // erased meanwhile
                    None => return Err(anyhow::anyhow!(first)),
                    Some(now) => {
                        let columns = store.stored_columns().await?;
                        matches_its_history(&store, &now, &columns).await?.map_err(anyhow::Error::msg)?;
                    }
                }
            }
        }
        // Events do not reference their case's row (an erased case's stay, its row does not): every case
        // with a history that is not erased must have its row.
        let rows: std::collections::BTreeSet<i64> = cases.iter().map(|c| c.id).collect();
        let live: std::collections::BTreeSet<i64> = store.all_events().await?.iter().map(|e| e.case_id).collect();
        for id in live.difference(&rows) {
            if store.case(*id).await?.is_none() {
                return Err(anyhow::anyhow!(
                    "case {id}: it has a history and no stored case (removed, and not erased)"
                ));
            }
        }
        let access = AccessDigest::verify(&store.access_log().await?, access_earlier)
            .map_err(|e| anyhow::anyhow!("access log broken: {e}"))?;
        Ok((head, access))
    })
}

/// Whether `case` is the fold of its history and its stored columns say what the fold gives; the
/// difference, in words, when not.
async fn matches_its_history(
    store: &gennemgang_app::db::AnyStore,
    case: &Case,
    columns: &[gennemgang_store::rows::StoredColumns],
) -> anyhow::Result<Result<(), String>> {
    let events = store.events(case.id).await?;
    if events.is_empty() {
        return Ok(Err(format!("case {}: it has a stored case and its history is erased or gone", case.id)));
    }
    let folded = match Case::from_events(&events) {
        Ok(folded) => folded,
        Err(e) => return Ok(Err(format!("case {}: its history does not fold: {e}", case.id))),
    };
    if folded != *case {
        return Ok(Err(format!(
            "case {}: the stored case (version {}) is not the fold of its {} events (version {})",
            case.id,
            case.version,
            events.len(),
            folded.version
        )));
    }
    let encoded = gennemgang_store::rows::encode(&folded)?;
    if let Some((column, was, is)) = columns.iter().find(|c| c.id == case.id).and_then(|c| c.differs_from(&encoded)) {
        return Ok(Err(format!(
            "case {}: the stored column {column} ({was}) is not what its events give ({is})",
            case.id
        )));
    }
    Ok(Ok(()))
}
