//! # gennemgang-store
//!
//! What the application asks of a database, in domain types: cases and their append-only history, the
//! access log, imports. Two adapters implement [`Store`] (`gennemgang-store-sqlite`,
//! `gennemgang-store-postgres`), and one conformance suite (`gennemgang-store-tests`) runs against both.
//!
//! Layout:
//! - [`backup`] — what a backup holds, table by table;
//! - [`cache`] — what an adapter keeps between reads (decoded cases, worklist counts), never stale;
//! - [`chain`] — the hash chain over all events, and its verification; the access log's digest;
//! - [`checkpoint`] — heads signed with a key held outside the database;
//! - [`erasure`] — a closed case erased after its retention: tombstones that keep the chain's hashes;
//! - [`import`] — planning an import of a screening: new cases, flags on open cases, nothing twice;
//! - [`access`] — entries of the access log;
//! - [`accounts`] — local users and sessions;
//! - [`runs`] — area classifications and screening manifests recorded with an import;
//! - [`rows`] — the stored form of cases and events, shared by the adapters;
//! - [`schema`] — numbered migrations: what to apply, and what an unnumbered database is;
//! - [`sql`] — the SQL both adapters run, and the code around it, written once;
//! - [`shared`] — what several servers share (sign-in throttle, sign-ins under way, letter batches), its SQL
//!   written once for both adapters;
//! - [`worklist`] — the worklist's SQL (the policy's visibility as a WHERE clause), shared by the adapters;
//! - this file — the [`Store`] trait, [`StoreError`] and [`perform`], which ties a case action to the
//!   store under optimistic concurrency.

pub mod access;
pub mod accounts;
pub mod backup;
pub mod cache;
pub mod chain;
pub mod checkpoint;
pub mod erasure;
pub mod import;
pub mod rows;
pub mod runs;
pub mod schema;
pub mod shared;
pub mod sql;
pub mod worklist;

use gennemgang_case::action::Action;
use gennemgang_case::actor::Actor;
use gennemgang_case::case::{Case, Event};
use gennemgang_case::decide::Context;
use gennemgang_case::{PerformError, perform as decide_and_build};
use std::future::Future;

pub use access::AccessEntry;
pub use accounts::{Session, User};
pub use chain::{ChainBreak, ChainReport, Head};
pub use import::{ImportPlan, ImportReport, ImportRow};
pub use runs::{NewRun, Run, RunKind};

/// One row of `gennemgang cases`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    /// Case id.
    pub id: i64,
    /// Home municipality.
    pub municipality_code: u16,
    /// Deciding municipality, once sent.
    pub deciding_municipality: Option<u16>,
    /// Phase name.
    #[cfg_attr(feature = "openapi", schema(value_type = gennemgang_case::case::Phase))]
    pub phase: &'static str,
    /// State name.
    #[cfg_attr(feature = "openapi", schema(value_type = gennemgang_case::case::State))]
    pub state: &'static str,
    /// Version (number of events).
    pub version: u32,
    /// The citizen's name, in the answer to a search (`GET /api/v1/cases?q=`) only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl CaseSummary {
    /// The summary of a case.
    #[must_use]
    pub fn of(case: &Case) -> CaseSummary {
        CaseSummary {
            id: case.id,
            municipality_code: case.home_municipality,
            deciding_municipality: case.deciding_municipality,
            phase: case.phase().name(),
            state: case.state.name(),
            version: case.version,
            name: None,
        }
    }
}

/// A page of the worklist: the cases in a user's scope, counted by phase, and one page of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorklistQuery {
    /// Whose cases.
    pub scope: gennemgang_case::policy::Scope,
    /// Only this phase.
    pub phase: Option<gennemgang_case::case::Phase>,
    /// Further filters; the counts by phase respect them too.
    pub filters: WorklistFilters,
    /// Nearest deadline first (cases without a deadline last); otherwise by case id.
    pub by_deadline: bool,
    /// Cases to skip.
    pub offset: u32,
    /// Cases to return.
    pub limit: u32,
}

/// Filters of the worklist besides scope and phase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorklistFilters {
    /// Only cases in this state.
    pub state: Option<gennemgang_case::case::State>,
    /// Only cases whose next deadline is before this day (overdue on it).
    pub overdue_on: Option<jiff::civil::Date>,
    /// Only cases assigned to this user ("my cases").
    pub assigned_to: Option<String>,
    /// Only the case with this number (a search).
    pub case_id: Option<i64>,
    /// Only the cases of the citizen with this full CPR number (a search; the read is logged as one).
    pub cpr: Option<String>,
    /// Only the cases whose citizen's name holds this, as `gennemgang_rules::text::folded` gives both (a
    /// search by name; the read is logged as one).
    pub name: Option<String>,
}

impl WorklistFilters {
    /// Whether `case` passes the filters: the rule the SQL of [`worklist::statements`] expresses.
    #[must_use]
    pub fn admits(&self, case: &Case) -> bool {
        self.state.is_none_or(|s| case.state == s)
            && self.overdue_on.is_none_or(|d| case.next_deadline().is_some_and(|(due, _)| due < d))
            && self.assigned_to.as_ref().is_none_or(|u| case.assigned_to.as_ref() == Some(u))
            && self.case_id.is_none_or(|id| case.id == id)
            && self.cpr.as_ref().is_none_or(|cpr| &case.facts.cpr == cpr)
            && self
                .name
                .as_ref()
                .is_none_or(|n| gennemgang_rules::text::folded(&case.citizen.name).contains(n.as_str()))
    }
}

/// The answer to a [`WorklistQuery`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorklistPage {
    /// Cases in scope, by phase name (phases without cases are absent).
    pub by_phase: Vec<(String, u64)>,
    /// Cases in scope that match the phase filter.
    pub matching: u64,
    /// The page (shared with the adapter's [`cache::ReadCache`]).
    pub cases: Vec<std::sync::Arc<Case>>,
}

/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Someone else changed the case first: reload and try again. Nothing was written.
    #[error(
        "case {case} was changed by someone else (version {expected} expected, {found} found); reload and try again"
    )]
    Conflict {
        /// Case.
        case: i64,
        /// The version the caller saw.
        expected: u32,
        /// The version in the store.
        found: u32,
    },
    /// No such case.
    #[error("case {0} does not exist")]
    NotFound(i64),
    /// Stored data that cannot be read back (never expected; names the row).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(String),
    /// The database named does not exist (a SQLite file that is not there, a PostgreSQL database not
    /// created): a command that must find one is given the wrong name.
    #[error("{0}")]
    NoSuchDatabase(String),
    /// A screening made on or before the day finished cases were erased: it may name citizens whose reviews
    /// were erased (their CPR numbers are gone, so they would be new cases again). Nothing was imported.
    #[error(
        "the screening is of {as_of}, and finished cases were erased on {erased_on}: it may name citizens whose \
         reviews were erased, and would open them again; import a screening made after the erasure"
    )]
    ScreeningBeforeErasure {
        /// The screening's reference date (the earliest of its rows').
        as_of: jiff::civil::Date,
        /// The day of the last erasure, in Copenhagen.
        erased_on: jiff::civil::Date,
    },
    /// A screening older than one already imported: its rows would undo what the newer one said (a move
    /// back, an earlier name and address). Nothing was imported.
    #[error(
        "the screening is of {as_of}, older than one already imported (of {newest}): its flags would undo what \
         the newer one says; import the newest screening"
    )]
    ScreeningOlder {
        /// The screening's reference date (the earliest of its rows').
        as_of: jiff::civil::Date,
        /// The newest reference date among the cases' screenings.
        newest: jiff::civil::Date,
    },
    /// The database cannot be reached (refused, gone, restarting, every connection in use): nothing was
    /// done, and the same request may succeed in a moment.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    /// The database was migrated by a later release than this one; it is not used.
    #[error("the database has schema {database}, newer than this program knows ({known}): use a newer release")]
    SchemaTooNew {
        /// The database's schema.
        database: u32,
        /// The newest this program knows.
        known: u32,
    },
}

/// The repository. Every method that writes does so in one transaction: all of it lands, or none.
pub trait Store: Send + Sync {
    /// Creates or upgrades the schema by its numbered migrations ([`schema`]), under a lock so that two
    /// processes starting at once apply each once; refuses a database newer than this program.
    fn migrate(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Where the database stands against this program's migrations, without changing it.
    fn schema_status(&self) -> impl Future<Output = Result<schema::SchemaStatus, StoreError>> + Send;

    /// Imports a screening in one transaction: plans against the cases present and writes the plan, and
    /// records the runs it came from (each document once).
    fn import(
        &self,
        rows: &[ImportRow],
        runs: &[NewRun],
        recorded_at: jiff::Timestamp,
    ) -> impl Future<Output = Result<ImportReport, StoreError>> + Send;

    /// The case, if it exists.
    fn case(&self, id: i64) -> impl Future<Output = Result<Option<Case>, StoreError>> + Send;

    /// All cases, by id.
    fn cases(&self) -> impl Future<Output = Result<Vec<Case>, StoreError>> + Send;

    /// One page of the cases in a scope, with counts, selected and ordered by the database.
    fn worklist(&self, query: &WorklistQuery) -> impl Future<Output = Result<WorklistPage, StoreError>> + Send;

    /// A case's history, in order.
    fn events(&self, id: i64) -> impl Future<Output = Result<Vec<Event>, StoreError>> + Send;

    /// The ids of the cases with a history that is not erased (every one must have its row).
    fn live_case_ids(&self) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;

    /// Every case's history, ordered by case and version (for statistics over time).
    fn all_events(&self) -> impl Future<Output = Result<Vec<Event>, StoreError>> + Send;

    /// Appends an event whose version is the stored version + 1, and updates the case, in one transaction.
    ///
    /// Fails with [`StoreError::Conflict`] if the case moved on meanwhile.
    fn append(&self, event: &Event) -> impl Future<Output = Result<Case, StoreError>> + Send;

    /// Appends an event that adds a document (as [`Store::append`]), storing its content under its SHA-256
    /// in the same transaction: the document is in the file and its content stored, or neither.
    fn append_document(&self, event: &Event, content: &[u8]) -> impl Future<Output = Result<Case, StoreError>> + Send;

    /// Erases a closed case after its retention ([`erasure`]), in one transaction: the erasure appended
    /// to the chain, the case's events made tombstones, its projection and the documents no other case
    /// holds deleted. `erasure.events` is the case's version it was decided on: a case changed since is a
    /// conflict.
    fn erase(&self, id: i64, erasure: &erasure::Erasure) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Rewrites the database's storage so that nothing deleted is left in it (after erasures): SQLite's
    /// file rebuilt, PostgreSQL's tables rewritten. Writers wait meanwhile.
    fn reclaim(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A document's content by its SHA-256.
    fn document(&self, sha256: &str) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;

    /// Records reads (or refused attempts) of person data, all in one transaction: returns once they are
    /// durable. Callers batch concurrent requests' entries into one call (group commit).
    fn log_access(&self, entries: &[AccessEntry]) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The recorded runs, newest first.
    fn runs(&self) -> impl Future<Output = Result<Vec<Run>, StoreError>> + Send;

    /// The access log, oldest first.
    fn access_log(&self) -> impl Future<Output = Result<Vec<AccessEntry>, StoreError>> + Send;

    /// One case's access log, oldest first: who read the case, and who looked its citizen up (read by the
    /// index on the log by case, never by reading every read of every case).
    fn case_access_log(&self, id: i64) -> impl Future<Output = Result<Vec<AccessEntry>, StoreError>> + Send;

    /// Walks the hash chain of the whole history.
    fn verify_chain(&self, earlier: Option<&Head>) -> impl Future<Output = Result<ChainReport, StoreError>> + Send;

    /// Creates the user, or replaces its password, role and municipality (and clears any lockout).
    fn put_user(&self, user: &User) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The user with this name.
    fn user(&self, username: &str) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// The names of a home municipality's caseworkers, in order: whom its cases may be assigned to.
    fn caseworkers(&self, municipality: i64) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// Records the outcome of login attempts: failures in a row and any lockout.
    fn set_login_state(
        &self,
        username: &str,
        failed_logins: u32,
        locked_until: Option<jiff::Timestamp>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The columns of every cases row as stored, by id (for `audit verify` to hold against the fold).
    fn stored_columns(&self) -> impl Future<Output = Result<Vec<rows::StoredColumns>, StoreError>> + Send;

    /// Counts one sign-in attempt before its password is checked, atomically (concurrent attempts are each
    /// counted): the count goes up, and an attempt beyond `max` since the last success locks the account
    /// until `until` and starts the count again. Returns the lock in force after counting (which may lie in
    /// the past); `None` for a name without an account, which changes nothing, in the same time.
    fn count_sign_in_attempt(
        &self,
        username: &str,
        max: u32,
        until: jiff::Timestamp,
    ) -> impl Future<Output = Result<Option<jiff::Timestamp>, StoreError>> + Send;

    /// Counts one sign-in attempt for an account from one source address, as
    /// [`Store::count_sign_in_attempt`] counts it for the account: a lock set by the attempts from one source
    /// holds for that source only. `None` for a name without an account (nothing is stored for it).
    fn count_source_attempt(
        &self,
        username: &str,
        source: &str,
        max: u32,
        until: jiff::Timestamp,
    ) -> impl Future<Output = Result<Option<jiff::Timestamp>, StoreError>> + Send;

    /// Forgets an account's failures from one source, after a success from there.
    fn clear_source_failures(
        &self,
        username: &str,
        source: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores a new session.
    fn put_session(&self, session: &Session) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The session with this token hash and its user (one query: it runs on every request).
    fn session(&self, token_hash: &str) -> impl Future<Output = Result<Option<(Session, User)>, StoreError>> + Send;

    /// Moves a session's expiry.
    fn extend_session(
        &self,
        token_hash: &str,
        expires_at: jiff::Timestamp,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ends a session.
    fn delete_session(&self, token_hash: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Deletes the sessions that expired before `now` (no expired session is kept: docs/security.md), and
    /// the per-source sign-in locks that ran out.
    fn purge_sessions(&self, now: jiff::Timestamp) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Counts one sign-in attempt for `subject` (a user name, a source) in `minute`, atomically across
    /// servers; returns the attempts in that minute, this one included.
    fn throttle(&self, subject: &str, minute: i64) -> impl Future<Output = Result<u32, StoreError>> + Send;

    /// Forgets the attempts of minutes before `minute`.
    fn purge_throttle(&self, minute: i64) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records a single sign-on sign-in under way; first forgets those started before `expired_before` and,
    /// beyond `max` under way, the oldest.
    fn put_sign_in(
        &self,
        pending: &shared::PendingSignIn,
        expired_before: i64,
        max: usize,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Takes the sign-in under way with this state (used once, on whichever server the answer reaches).
    fn take_sign_in(
        &self,
        state: &str,
    ) -> impl Future<Output = Result<Option<shared::PendingSignIn>, StoreError>> + Send;

    /// Records a new letter batch, claimed by its starter; returns its id.
    fn start_batch(&self, batch: &shared::NewBatch) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// The batch with this id.
    fn batch(&self, id: i64) -> impl Future<Output = Result<Option<shared::Batch>, StoreError>> + Send;

    /// Claims an unfinished batch for `worker` (its own, nobody's, or one whose worker last beat before
    /// `stale_before`); whether it now holds it.
    fn claim_batch(
        &self,
        id: i64,
        worker: &str,
        now: i64,
        stale_before: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The unfinished batches whose worker last beat before `stale_before`.
    fn stale_batches(&self, stale_before: i64) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;

    /// Records a batch's progress (and beats), if `worker` still holds it; whether it does.
    fn batch_progress(
        &self,
        id: i64,
        worker: &str,
        progress: &shared::BatchProgress,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Forgets the batches finished before `finished_before`.
    fn purge_batches(&self, finished_before: i64) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// How many batches are unfinished.
    fn running_batches(&self) -> impl Future<Output = Result<usize, StoreError>> + Send;
}

/// The cut-off for [`Store::purge_sessions`] in the stored text form: whole seconds, one second before `now`.
/// Stored expiries carry a variable number of fractional digits, so text order can put `…:59.5Z` before
/// `…:59Z`; everything before this cut-off in text order has still expired before `now` in time.
#[must_use]
pub fn session_purge_cutoff(now: jiff::Timestamp) -> String {
    jiff::Timestamp::from_second(now.as_second() - 1).unwrap_or(jiff::Timestamp::MIN).to_string()
}

/// Why an action did not land.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// Refused by the policy or the case.
    #[error(transparent)]
    Refused(#[from] PerformError),
    /// The store failed or someone else was first.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Loads the case, authorizes and decides the action, and appends its event under optimistic concurrency.
/// `seen_version` is the version the user acted on (from the page they saw); if the case has moved on
/// since, the action is refused with a conflict rather than applied to a state the user did not see.
///
/// # Errors
/// Not found, refused, conflict, or a database error.
pub async fn perform<S: Store>(
    store: &S,
    id: i64,
    seen_version: Option<u32>,
    actor: &Actor,
    action: Action,
    ctx: &Context<'_>,
    recorded_at: jiff::Timestamp,
) -> Result<Case, ActError> {
    let event = decided(store, id, seen_version, actor, action, ctx, recorded_at).await?;
    Ok(store.append(&event).await?)
}

/// The event `action` makes on case `id` as stored, refused when the caller saw another version.
async fn decided<S: Store>(
    store: &S,
    id: i64,
    seen_version: Option<u32>,
    actor: &Actor,
    action: Action,
    ctx: &Context<'_>,
    recorded_at: jiff::Timestamp,
) -> Result<Event, ActError> {
    let case = store.case(id).await?.ok_or(StoreError::NotFound(id))?;
    if let Some(seen) = seen_version
        && seen != case.version
    {
        return Err(StoreError::Conflict { case: id, expected: seen, found: case.version }.into());
    }
    Ok(decide_and_build(&case, actor, action, ctx, recorded_at)?)
}

/// [`perform`] for an action that adds a document: its content is stored in the event's transaction.
///
/// # Errors
/// As [`perform`].
#[expect(clippy::too_many_arguments, reason = "perform's arguments and the document's content")]
pub async fn perform_with_document<S: Store>(
    store: &S,
    id: i64,
    seen_version: Option<u32>,
    actor: &Actor,
    action: Action,
    ctx: &Context<'_>,
    recorded_at: jiff::Timestamp,
    content: &[u8],
) -> Result<Case, ActError> {
    let event = decided(store, id, seen_version, actor, action, ctx, recorded_at).await?;
    Ok(store.append_document(&event, content).await?)
}
