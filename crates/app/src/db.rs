//! Picking the store by URL: `sqlite://PATH` (the embedded default) or `postgres://…`.

use crate::logbook::Logbook;
use gennemgang_case::case::{Case, Event};
use gennemgang_store::import::{ImportReport, ImportRow};
use gennemgang_store::{
    AccessEntry, ChainReport, NewRun, Run, Session, Store, StoreError, User, WorklistPage, WorklistQuery,
};
use gennemgang_store_postgres::PostgresStore;
use gennemgang_store_sqlite::SqliteStore;

/// The default database when neither `--database` nor `DATABASE_URL` is given.
pub const DEFAULT_URL: &str = "sqlite://gennemgang.db";

/// Either adapter, chosen by the URL's scheme.
#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// The store the application uses: either adapter, with the access log written by group commit.
#[derive(Clone, Debug)]
pub struct AnyStore {
    backend: Backend,
    logbook: Logbook,
}

/// The URL from the flag, else `DATABASE_URL`, else the default SQLite file.
#[must_use]
pub fn url(flag: Option<&str>) -> String {
    flag.map(str::to_owned).or_else(|| std::env::var("DATABASE_URL").ok()).unwrap_or_else(|| DEFAULT_URL.to_owned())
}

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL names no supported database.
    #[error("--database: \"{0}\" is neither sqlite://PATH nor postgres://…")]
    Url(String),
    /// Connecting or migrating failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Opens and migrates the store at `url`.
///
/// # Errors
/// The URL is not supported, or the database cannot be reached or migrated.
pub async fn open(url: &str) -> Result<AnyStore, OpenError> {
    let store = connect(url, false).await?;
    if let Err(e) = store.backend.migrate().await {
        // A schema half set up (a full disk) is no database: the file this call made goes again.
        store.discard_created().await?;
        return Err(e.into());
    }
    Ok(store)
}

/// Opens the store at `url` as it is, for checking it (`audit verify`): a SQLite file that does not exist
/// is an error (never created), and nothing is migrated or folded again, so that what is checked is what
/// was stored.
///
/// # Errors
/// The URL is not supported, or the database does not exist or cannot be reached.
pub async fn open_existing(url: &str) -> Result<AnyStore, OpenError> {
    connect(url, true).await
}

async fn connect(url: &str, existing: bool) -> Result<AnyStore, OpenError> {
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite(if existing { SqliteStore::open_existing(url).await? } else { SqliteStore::open(url).await? })
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres(PostgresStore::open(url, None).await?)
    } else {
        return Err(OpenError::Url(url.to_owned()));
    };
    let logbook = Logbook::start(backend.clone());
    Ok(AnyStore { backend, logbook })
}

impl AnyStore {
    /// Closes the store at the end of a command, waiting for its connections to close (SQLite then
    /// checkpoints its write-ahead log into the file).
    pub async fn close(self) {
        match self.backend {
            Backend::Sqlite(s) => s.close().await,
            Backend::Postgres(_) => {}
        }
    }

    /// Closes the store after a command failed; a SQLite file it created that holds no history yet is
    /// removed, so that a failed first command leaves nothing behind ([`SqliteStore::discard_created`]).
    ///
    /// # Errors
    /// The file could not be removed.
    pub async fn discard_created(self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite(s) => s.discard_created().await,
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// The database connections: open, and idle among them.
    #[must_use]
    pub fn connections(&self) -> (u32, usize) {
        match &self.backend {
            Backend::Sqlite(s) => s.connections(),
            Backend::Postgres(s) => s.connections(),
        }
    }

    /// Access-log entries waiting to be written.
    #[must_use]
    pub fn access_log_waiting(&self) -> usize {
        self.logbook.waiting()
    }
}

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        impl Store for Backend {
            $(async fn $name(&self, $($arg: $ty),*) -> Result<$out, StoreError> {
                match self {
                    Backend::Sqlite(s) => s.$name($($arg),*).await,
                    Backend::Postgres(s) => s.$name($($arg),*).await,
                }
            })*
            async fn log_access(&self, entries: &[AccessEntry]) -> Result<(), StoreError> {
                match self {
                    Backend::Sqlite(s) => s.log_access(entries).await,
                    Backend::Postgres(s) => s.log_access(entries).await,
                }
            }
        }

        impl Store for AnyStore {
            $(async fn $name(&self, $($arg: $ty),*) -> Result<$out, StoreError> {
                self.backend.$name($($arg),*).await
            })*
            async fn log_access(&self, entries: &[AccessEntry]) -> Result<(), StoreError> {
                // Every request's entries go through the group commit, one or several.
                match entries {
                    [] => Ok(()),
                    _ => self.logbook.write_all(entries).await,
                }
            }
        }
    };
}

delegate! {
    migrate() -> ();
    schema_status() -> gennemgang_store::schema::SchemaStatus;
    import(rows: &[ImportRow], runs: &[NewRun], at: jiff::Timestamp) -> ImportReport;
    runs() -> Vec<Run>;
    case(id: i64) -> Option<Case>;
    cases() -> Vec<Case>;
    worklist(query: &WorklistQuery) -> WorklistPage;
    events(id: i64) -> Vec<Event>;
    all_events() -> Vec<Event>;
    live_case_ids() -> Vec<i64>;
    append(event: &Event) -> Case;
    append_document(event: &Event, content: &[u8]) -> Case;
    erase(id: i64, erasure: &gennemgang_store::erasure::Erasure) -> ();
    reclaim() -> ();
    document(sha256: &str) -> Option<Vec<u8>>;
    access_log() -> Vec<AccessEntry>;
    case_access_log(id: i64) -> Vec<AccessEntry>;
    verify_chain(earlier: Option<&gennemgang_store::Head>) -> ChainReport;
    put_user(user: &User) -> ();
    user(username: &str) -> Option<User>;
    caseworkers(municipality: i64) -> Vec<String>;
    set_login_state(username: &str, failed: u32, until: Option<jiff::Timestamp>) -> ();
    count_sign_in_attempt(username: &str, max: u32, until: jiff::Timestamp) -> Option<jiff::Timestamp>;
    count_source_attempt(username: &str, source: &str, max: u32, until: jiff::Timestamp) -> Option<jiff::Timestamp>;
    clear_source_failures(username: &str, source: &str) -> ();
    stored_columns() -> Vec<gennemgang_store::rows::StoredColumns>;
    put_session(session: &Session) -> ();
    session(token_hash: &str) -> Option<(Session, User)>;
    extend_session(token_hash: &str, expires_at: jiff::Timestamp) -> ();
    delete_session(token_hash: &str) -> ();
    purge_sessions(now: jiff::Timestamp) -> ();
    throttle(subject: &str, minute: i64) -> u32;
    purge_throttle(minute: i64) -> ();
    put_sign_in(pending: &gennemgang_store::shared::PendingSignIn, expired_before: i64, max: usize) -> ();
    take_sign_in(state: &str) -> Option<gennemgang_store::shared::PendingSignIn>;
    start_batch(batch: &gennemgang_store::shared::NewBatch) -> i64;
    batch(id: i64) -> Option<gennemgang_store::shared::Batch>;
    claim_batch(id: i64, worker: &str, now: i64, stale_before: i64) -> bool;
    stale_batches(stale_before: i64) -> Vec<i64>;
    batch_progress(id: i64, worker: &str, progress: &gennemgang_store::shared::BatchProgress, now: i64) -> bool;
    purge_batches(finished_before: i64) -> ();
    running_batches() -> usize;
}
