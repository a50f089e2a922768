//! Picking the store by URL: `sqlite://PATH` (the embedded default) or `postgres://…`.

use crate::exit::bad_input;
use gennemgang_case::case::{Case, Event};
use gennemgang_store::import::{ImportReport, ImportRow};
use gennemgang_store::{AccessEntry, ChainReport, Store, StoreError};
use gennemgang_store_postgres::PostgresStore;
use gennemgang_store_sqlite::SqliteStore;

/// The default database when neither `--database` nor `DATABASE_URL` is given.
pub const DEFAULT_URL: &str = "sqlite://gennemgang.db";

/// Either adapter, chosen by the URL's scheme.
#[derive(Clone, Debug)]
pub enum AnyStore {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

/// The URL from the flag, else `DATABASE_URL`, else the default SQLite file.
pub fn url(flag: Option<&str>) -> String {
    flag.map(str::to_owned).or_else(|| std::env::var("DATABASE_URL").ok()).unwrap_or_else(|| DEFAULT_URL.to_owned())
}

/// Opens and migrates the store at `url`.
pub async fn open(url: &str) -> anyhow::Result<AnyStore> {
    let store = if url.starts_with("sqlite:") {
        AnyStore::Sqlite(SqliteStore::open(url).await?)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        AnyStore::Postgres(PostgresStore::open(url, None).await?)
    } else {
        return Err(bad_input(format!("--database: \"{url}\" is neither sqlite://PATH nor postgres://…")));
    };
    store.migrate().await?;
    Ok(store)
}

impl Store for AnyStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.migrate().await,
            AnyStore::Postgres(s) => s.migrate().await,
        }
    }
    async fn import(&self, rows: &[ImportRow], at: jiff::Timestamp) -> Result<ImportReport, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.import(rows, at).await,
            AnyStore::Postgres(s) => s.import(rows, at).await,
        }
    }
    async fn case(&self, id: i64) -> Result<Option<Case>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.case(id).await,
            AnyStore::Postgres(s) => s.case(id).await,
        }
    }
    async fn cases(&self) -> Result<Vec<Case>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.cases().await,
            AnyStore::Postgres(s) => s.cases().await,
        }
    }
    async fn events(&self, id: i64) -> Result<Vec<Event>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.events(id).await,
            AnyStore::Postgres(s) => s.events(id).await,
        }
    }
    async fn append(&self, event: &Event) -> Result<Case, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.append(event).await,
            AnyStore::Postgres(s) => s.append(event).await,
        }
    }
    async fn log_access(&self, entry: &AccessEntry) -> Result<(), StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.log_access(entry).await,
            AnyStore::Postgres(s) => s.log_access(entry).await,
        }
    }
    async fn access_log(&self) -> Result<Vec<AccessEntry>, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.access_log().await,
            AnyStore::Postgres(s) => s.access_log().await,
        }
    }
    async fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.verify_chain().await,
            AnyStore::Postgres(s) => s.verify_chain().await,
        }
    }
}

/// Runs a future on a fresh runtime (the CLI's commands are short-lived).
pub fn block_on<T>(f: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(f)
}
