//! The CLI's side of the store: the app crate's `AnyStore`, opened on a short-lived runtime.

pub use gennemgang_app::db::{AnyStore, url};
use gennemgang_store::StoreError;

/// Opens and migrates the store at `url`.
pub async fn open(url: &str) -> anyhow::Result<AnyStore> {
    gennemgang_app::db::open(url).await.map_err(|e| match e {
        gennemgang_app::db::OpenError::Url(_) => crate::exit::bad_input(e.to_string()),
        gennemgang_app::db::OpenError::Store(s) => anyhow::Error::new(s),
    })
}

/// Opens the store at `url` as it is (never created, nothing migrated): for `audit verify`.
pub async fn open_existing(url: &str) -> anyhow::Result<AnyStore> {
    gennemgang_app::db::open_existing(url).await.map_err(|e| match e {
        gennemgang_app::db::OpenError::Url(_) => crate::exit::bad_input(e.to_string()),
        // A SQLite file that is not there, or a PostgreSQL database not created, is the caller's mistake.
        gennemgang_app::db::OpenError::Store(StoreError::NoSuchDatabase(_)) => {
            crate::exit::bad_input(format!("--database: {e}"))
        }
        // A SQLite file that will not open (not a database, not readable) is the caller's too.
        gennemgang_app::db::OpenError::Store(StoreError::Database(_)) if url.starts_with("sqlite:") => {
            crate::exit::bad_input(format!("--database: {e}"))
        }
        gennemgang_app::db::OpenError::Store(s) => anyhow::Error::new(s),
    })
}

/// Opens the store at `url` as it is, as [`open_existing`], for reading what a release wrote without
/// migrating it (`audit verify` before an upgrade). A newer schema is refused as every command refuses it;
/// for an older one, what to tell the operator when something will not read (a case row in an older shape
/// reads as corrupt until `db migrate` folds it again: an outside check was told only "corrupt").
pub async fn open_as_it_is(url: &str) -> anyhow::Result<(AnyStore, Option<String>)> {
    use gennemgang_store::Store as _;
    let store = open_existing(url).await?;
    let status = store.schema_status().await?;
    if status.database > status.known {
        return Err(anyhow::Error::new(StoreError::SchemaTooNew { database: status.database, known: status.known }));
    }
    let older = (status.database > 0 && !status.pending.is_empty()).then(|| {
        format!(
            "the database has schema {}, older than this program's ({}); run `gennemgang db migrate` first (the \
             history is kept as it is, the cases are folded again from it)",
            status.database, status.known
        )
    });
    Ok((store, older))
}

/// Opens and migrates a store that must already hold the review (the commands that read or act on cases):
/// a SQLite file that is not there is refused as `open_existing` refuses it, never created empty.
pub async fn open_cases(url: &str) -> anyhow::Result<AnyStore> {
    drop(open_existing(url).await?);
    open(url).await
}

/// Runs a future on a fresh runtime (the CLI's commands are short-lived).
pub fn block_on<T>(f: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    // Typesetting a letter (Typst) needs more stack than the 2 MiB default of worker threads.
    tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(16 << 20).build()?.block_on(f)
}
