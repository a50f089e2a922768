//! # gennemgang-store-sqlite
//!
//! The SQLite adapter of [`gennemgang_store::Store`]: the embedded default, one file, no server. Writes
//! take SQLite's write lock up front (`BEGIN IMMEDIATE`), so the hash chain and the optimistic version
//! check see a stable history; WAL journaling keeps readers going meanwhile. The schema is the numbered
//! files under `migrations/` ([`gennemgang_store::schema`]).

use gennemgang_case::case::{Case, Event};
use gennemgang_store::backup::{Cell, Copied, Kind, TABLES, Table};
use gennemgang_store::chain::{self, ChainReport, GENESIS, Head};
use gennemgang_store::import::{self, ImportReport, ImportRow};
use gennemgang_store::rows::{decode, version};
use gennemgang_store::schema::{self, Migration};
use gennemgang_store::worklist::Value;
use gennemgang_store::{AccessEntry, NewRun, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Row, SqliteConnection};
use std::str::FromStr;

/// The migrations, in order (forward only: a released file is never changed, a change is a new file).
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "initial", sql: include_str!("../migrations/0001_initial.sql") },
    Migration { version: 2, name: "worklist", sql: include_str!("../migrations/0002_worklist.sql") },
    Migration {
        version: 3,
        name: "access_log_by_case",
        sql: include_str!("../migrations/0003_access_log_by_case.sql"),
    },
    Migration { version: 4, name: "shared_state", sql: include_str!("../migrations/0004_shared_state.sql") },
    Migration { version: 5, name: "search", sql: include_str!("../migrations/0005_search.sql") },
    Migration { version: 6, name: "names", sql: include_str!("../migrations/0006_names.sql") },
    Migration { version: 7, name: "documents", sql: include_str!("../migrations/0007_documents.sql") },
    Migration {
        version: 8,
        name: "index_only_worklist",
        sql: include_str!("../migrations/0008_index_only_worklist.sql"),
    },
    Migration { version: 9, name: "sign_in_failures", sql: include_str!("../migrations/0009_sign_in_failures.sql") },
    Migration { version: 10, name: "erasure", sql: include_str!("../migrations/0010_erasure.sql") },
];

/// Inserts the rows of [`gennemgang_store::sql::access_rows_json`] in their order (`->>` reads an array's
/// element as a value).
const INSERT_ACCESS_JSON: &str = "INSERT INTO access_log (at, actor_user, actor_role, actor_municipality, case_id, what, \
     purpose, allowed) SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, \
     value ->> 7 FROM json_each(?1) ORDER BY key";

/// A statement of [`gennemgang_store::sql`] in SQLite's placeholders, converted once per statement.
macro_rules! sql {
    ($name:ident) => {{
        static TEXT: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| gennemgang_store::shared::sqlite(gennemgang_store::sql::$name));
        sqlx::AssertSqlSafe(TEXT.as_str())
    }};
}

/// A statement of [`gennemgang_store::shared`] in this database's placeholders.
macro_rules! shared_sql {
    ($name:ident) => {
        sqlx::AssertSqlSafe(gennemgang_store::shared::sqlite(gennemgang_store::shared::$name))
    };
}

fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Database(e.to_string()),
    }
}

/// A column of `row` by name: a value that is not of the column's type (a bad row) is an error naming the
/// column, never a panic.
fn col<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r sqlx::sqlite::SqliteRow,
    name: &str,
) -> Result<T, StoreError> {
    row.try_get(name).map_err(|e| StoreError::Corrupt(format!("column {name}: {e}")))
}

/// A case store in one SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The connections a page's reads take (none for an in-memory database, whose every connection would
    /// be another database: its reads take the pool's one).
    reads: Option<gennemgang_store_reads::Reads<SqliteConnectOptions>>,
    cache: std::sync::Arc<gennemgang_store::cache::ReadCache>,
    /// The file, when this store created it: a command that fails before the database holds anything
    /// takes it away again ([`SqliteStore::discard_created`]), never leaving an empty stub behind.
    created: Option<std::path::PathBuf>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://PATH` or `sqlite::memory:`).
    ///
    /// # Errors
    /// The URL is wrong or the file cannot be opened.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        SqliteStore::connect(url, true).await
    }

    /// Opens the database at `url` only if it exists (any form of the URL: `sqlite://PATH`,
    /// `sqlite:PATH`, with or without options), never creating it: for checking what is there.
    ///
    /// # Errors
    /// The URL is wrong, or the file does not exist or cannot be opened.
    pub async fn open_existing(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url).map_err(db)?;
        let file = options.get_filename();
        if url.contains(":memory:") || !file.is_file() {
            return Err(StoreError::NoSuchDatabase(format!("{} does not exist", file.display())));
        }
        SqliteStore::connect(url, false).await
    }

    async fn connect(url: &str, create: bool) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(db)?
            .create_if_missing(create)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10))
            // What is deleted or replaced is overwritten with zeros, never left in free space of the file:
            // an erased case, an expired session, a case's earlier projection leave nothing behind.
            .pragma("secure_delete", "on");
        // A database opened to be checked keeps its journal mode: switching it would write to it.
        let options = if create { options.journal_mode(SqliteJournalMode::Wal) } else { options };
        let max: u8 = if url.contains(":memory:") { 1 } else { 4 };
        let created = if create && !url.contains(":memory:") && owner_only(options.get_filename())? {
            Some(options.get_filename().to_path_buf())
        } else {
            None
        };
        // The first connections to a fresh file switch it to WAL, which SQLite answers "busy" without
        // waiting when another process does the same at that moment: try again for as long as a lock is
        // waited for elsewhere.
        let mut tries = 0;
        let pool = loop {
            match SqlitePoolOptions::new()
                .max_connections(u32::from(max))
                // A connection is tested as it is given back (sqlx pings it then); a file cannot hang up
                // while it waits in the pool, so a second test on taking it is a wasted round trip.
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await
            {
                Ok(pool) => break pool,
                Err(e) if is_busy(&e) && tries < 100 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => {
                    // A file this call made and could not even connect to (a full disk) holds nothing.
                    if let Some(file) = &created {
                        remove_with_journal(file)?;
                    }
                    return Err(db(e));
                }
            }
        };
        let reads = (!url.contains(":memory:")).then(|| gennemgang_store_reads::Reads::new(options, usize::from(max)));
        Ok(SqliteStore { pool, reads, cache: std::sync::Arc::default(), created })
    }

    /// Closes the pool's connections, waiting for them: the last one to close checkpoints the write-ahead
    /// log into the file, so that a short-lived command leaves one file behind, not a stub beside its log.
    pub async fn close(&self) {
        if let Some(reads) = &self.reads {
            reads.close().await;
        }
        self.pool.close().await;
    }

    /// A connection for a page's read.
    async fn read(&self) -> Result<ReadConn, StoreError> {
        Ok(match &self.reads {
            Some(reads) => ReadConn::Own(reads.acquire().await.map_err(db)?),
            None => ReadConn::Pooled(self.pool.acquire().await.map_err(db)?),
        })
    }

    /// Closes the store and, when it created its file and the file still holds no history (no event: a
    /// schema half set up on a full disk, or an import that failed), removes the file with its journal.
    /// A database that holds events, written by another process meanwhile, is kept.
    ///
    /// # Errors
    /// The file could not be removed.
    pub async fn discard_created(self) -> Result<(), StoreError> {
        let Some(file) = self.created.clone() else {
            return Ok(());
        };
        // A missing table (schema not yet made) counts as empty.
        let events =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM events").fetch_one(&self.pool).await.unwrap_or(0);
        self.close().await;
        if events > 0 {
            return Ok(());
        }
        remove_with_journal(&file)
    }
}

/// A connection taken for a read: one of the store's own, or the pool's one of an in-memory database.
enum ReadConn {
    Own(gennemgang_store_reads::Read<SqliteConnectOptions>),
    Pooled(sqlx::pool::PoolConnection<sqlx::Sqlite>),
}

impl ReadConn {
    /// The read ran to its end (see [`gennemgang_store_reads::Read::done`]).
    fn done(self) {
        if let ReadConn::Own(read) = self {
            read.done();
        }
    }
}

impl std::ops::Deref for ReadConn {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        match self {
            ReadConn::Own(read) => read,
            ReadConn::Pooled(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        match self {
            ReadConn::Own(read) => read,
            ReadConn::Pooled(conn) => conn,
        }
    }
}

/// Removes a database file with its write-ahead log, shared memory and rollback journal.
fn remove_with_journal(file: &std::path::Path) -> Result<(), StoreError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::Database(format!("{}: {e}", std::path::Path::new(&path).display()))),
        }
    }
    Ok(())
}

/// The database's schema version, and whether it is numbered (a database from before numbering is read
/// from its tables, [`schema::before_versioning`]).
async fn schema_version(conn: &mut SqliteConnection) -> Result<(u32, bool), StoreError> {
    let table = |name: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?").bind(name)
    };
    if table("schema_migrations").fetch_one(&mut *conn).await.map_err(db)? > 0 {
        let v: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        let v = u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("schema_migrations.version {v}")))?;
        return Ok((v, true));
    }
    let cases = table("cases").fetch_one(&mut *conn).await.map_err(db)? > 0;
    let columns: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pragma_table_info('cases') WHERE name = 'assigned_to'")
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    Ok((schema::before_versioning(cases, columns > 0), false))
}

/// Closes a connection whose write transaction failed in the database, instead of returning it to the pool.
/// A full disk can fail a COMMIT and leave SQLite's transaction open; the next transaction on that
/// connection would then be nested inside it, and its "commit" would release only a savepoint: reported
/// as written, never durable (found by serving reads on a full disk and counting their log entries).
fn close_if_failed<T>(conn: &mut sqlx::pool::PoolConnection<sqlx::Sqlite>, result: &Result<T, StoreError>) {
    if matches!(result, Err(StoreError::Database(_) | StoreError::Unavailable(_))) {
        conn.close_on_drop();
    }
}

/// Runs `$body` in one write transaction (`$tx` inside it) on a connection of its own and commits it; the
/// body's `?` and `return` end the transaction without committing. A connection whose transaction failed
/// in the database is closed ([`close_if_failed`]), never returned to the pool.
macro_rules! in_transaction {
    ($pool:expr, $begin:expr, |$tx:ident| $body:block) => {{
        let mut conn = $pool.acquire().await.map_err(db)?;
        let result = async {
            let mut $tx = sqlx::Connection::begin_with(&mut *conn, $begin).await.map_err(db)?;
            let value = $body;
            $tx.commit().await.map_err(db)?;
            Ok(value)
        }
        .await;
        close_if_failed(&mut conn, &result);
        result
    }};
}

impl SqliteStore {
    /// The connections open, and idle among them, sqlx's pool's and the reads' (for metrics).
    #[must_use]
    pub fn connections(&self) -> (u32, usize) {
        let (out, idle) = self.reads.as_ref().map_or((0, 0), |r| (r.in_use(), r.idle()));
        (self.pool.size() + u32::try_from(out + idle).unwrap_or(0), self.pool.num_idle() + idle)
    }

    /// A consistent copy of the whole database into the empty file `path` (`VACUUM INTO`: one read
    /// transaction, writers go on meanwhile).
    ///
    /// # Errors
    /// The path is not UTF-8, or the copy fails (a full disk).
    pub async fn copy_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let target = path.to_str().ok_or_else(|| StoreError::Database(format!("{} is not UTF-8", path.display())))?;
        sqlx::query("VACUUM INTO ?").bind(target).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    /// Up to `limit` rows of a backup's `table` after the key `after` (from the start without one), in key
    /// order, each column as stored (a truth value as 0 or 1): what a restore reads.
    ///
    /// # Errors
    /// The database fails, or a value is not of its column's type.
    pub async fn rows(&self, table: &Table, after: Option<&Cell>, limit: u32) -> Result<Vec<Vec<Cell>>, StoreError> {
        let select = gennemgang_store::shared::sqlite(&table.batch_query(after.is_some()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(select)).bind(i64::from(limit));
        q = match after {
            Some(Cell::Int(i)) => q.bind(*i),
            Some(Cell::Text(t)) => q.bind(t.clone()),
            Some(Cell::Null | Cell::Bytes(_)) | None => q,
        };
        let rows = q.fetch_all(&self.pool).await.map_err(db)?;
        rows.iter()
            .map(|row| {
                table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (column, kind))| {
                        let cell = match kind {
                            Kind::Int | Kind::Bool => row.try_get::<Option<i64>, _>(i).map(|v| v.map(Cell::Int)),
                            Kind::Text | Kind::Instant | Kind::Day | Kind::Json | Kind::ExactJson => {
                                row.try_get::<Option<String>, _>(i).map(|v| v.map(Cell::Text))
                            }
                            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i).map(|v| v.map(Cell::Bytes)),
                        };
                        cell.map(|c| c.unwrap_or(Cell::Null))
                            .map_err(|e| StoreError::Corrupt(format!("{}.{column}: {e}", table.name)))
                    })
                    .collect()
            })
            .collect()
    }

    /// Writes `rows` of a backup's `table` into this database, in one transaction.
    ///
    /// # Errors
    /// A row does not fit the table, or the write fails.
    pub async fn put_rows(&self, table: &Table, rows: &[Vec<Cell>]) -> Result<(), StoreError> {
        let marks = vec!["?"; table.columns.len()].join(", ");
        let insert = format!("INSERT INTO {} ({}) VALUES ({marks})", table.name, table.column_list());
        in_transaction!(self.pool, "BEGIN IMMEDIATE", |tx| {
            for row in rows {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.as_str()));
                for cell in row {
                    q = match cell {
                        Cell::Null => q.bind(None::<i64>),
                        Cell::Int(i) => q.bind(*i),
                        Cell::Text(t) => q.bind(t.as_str()),
                        Cell::Bytes(b) => q.bind(b.as_slice()),
                    };
                }
                q.execute(&mut *tx).await.map_err(db)?;
            }
        })
    }

    /// Ends a backup: the sessions removed (a copy carries no sign-in), the rows of each table counted, the
    /// journal folded into the file (so that the file alone is the backup), and the connections closed.
    ///
    /// # Errors
    /// The database fails.
    pub async fn finish_backup(self) -> Result<Copied, StoreError> {
        sqlx::query("DELETE FROM sessions").execute(&self.pool).await.map_err(db)?;
        let mut copied = Copied::default();
        for table in TABLES {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name)))
                .fetch_one(&self.pool)
                .await
                .map_err(db)?;
            copied.rows.push((table.name, u64::try_from(n).unwrap_or_default()));
        }
        let options = self.pool.connect_options();
        self.pool.close().await;
        // Alone on the file now: out of WAL mode, so that the journal is in the file and no -wal beside it.
        let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&*options).await.map_err(db)?;
        sqlx::query("PRAGMA journal_mode = DELETE").execute(&mut conn).await.map_err(db)?;
        sqlx::Connection::close(conn).await.map_err(db)?;
        Ok(copied)
    }
}

/// Whether SQLite said the database is locked (`SQLITE_BUSY`, also in its extended forms).
fn is_busy(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 5))
}

/// Creates the database file readable and writable by its owner only (it holds CPR numbers); a file that
/// exists keeps the mode its operator gave it. True when this call created it.
fn owner_only(path: &std::path::Path) -> Result<bool, StoreError> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    match open.open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(StoreError::Database(format!("{}: {e}", path.display()))),
    }
}

async fn chain_head(conn: &mut SqliteConnection) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT hash FROM events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?;
    row.map_or_else(|| Ok(GENESIS.to_owned()), |r| col(&r, "hash"))
}

gennemgang_store::common_functions!(SqliteConnection, sql);

/// A statement written in `$n` placeholders, in SQLite's.
fn in_dialect(sql: &str) -> String {
    gennemgang_store::shared::sqlite(sql)
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    values: &'q [Value],
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    for v in values {
        q = match v {
            Value::Int(i) => q.bind(*i),
            Value::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

impl SqliteStore {
    /// Appends `event` (and stores `content` under the document's hash, when given) in one transaction.
    async fn append_with(&self, event: &Event, content: Option<&[u8]>) -> Result<Case, StoreError> {
        in_transaction!(self.pool, "BEGIN IMMEDIATE", |tx| {
            let row = sqlx::query(sql!(CASE_VERSION_AND_SNAPSHOT))
                .bind(event.case_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?
                .ok_or(StoreError::NotFound(event.case_id))?;
            let found = version(col(&row, "version")?)?;
            if found + 1 != event.version {
                return Err(StoreError::Conflict {
                    case: event.case_id,
                    expected: event.version.saturating_sub(1),
                    found,
                });
            }
            let mut case = decode(event.case_id, col(&row, "snapshot")?)?;
            case.apply(event);
            let head = chain_head(&mut tx).await?;
            let linked =
                chain::link(&head, std::slice::from_ref(event)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            insert_document(&mut tx, event, content).await?;
            insert_events(&mut tx, &linked).await?;
            upsert_case(&mut tx, &case, Some(found)).await?;
            case
        })
    }
}

impl Store for SqliteStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        // One transaction, taken for writing before anything is read: two servers or imports starting at
        // once on a fresh database migrate it one after the other, never half each.
        in_transaction!(self.pool, "BEGIN IMMEDIATE", |tx| {
            let (database, numbered) = schema_version(&mut tx).await?;
            let steps = schema::plan(database, numbered, MIGRATIONS)?;
            sqlx::raw_sql(schema::TABLE).execute(&mut *tx).await.map_err(db)?;
            let now = jiff::Timestamp::now().to_string();
            for (m, run) in &steps {
                if *run {
                    sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(db)?;
                }
                sqlx::query(sql!(RECORD_MIGRATION))
                    .bind(m.version)
                    .bind(m.name)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            // Projections in an older shape are folded again; all of them when the worklist's columns are new.
            refold_stale(&mut tx, steps.iter().any(|(m, run)| *run && m.version == 2)).await?;
        })
    }

    gennemgang_store::common_methods!(sql);

    async fn erase(&self, id: i64, erasure: &gennemgang_store::erasure::Erasure) -> Result<(), StoreError> {
        in_transaction!(self.pool, "BEGIN IMMEDIATE", |tx| {
            let head = chain_head(&mut tx).await?;
            erase_in(&mut tx, id, erasure, &head).await?;
        })
    }

    async fn reclaim(&self) -> Result<(), StoreError> {
        // The file is rebuilt without its free pages, and the journal emptied: what was deleted before
        // deletions were zeroed (a database from an earlier release) is gone too.
        let mut conn = self.pool.acquire().await.map_err(db)?;
        sqlx::query("VACUUM").execute(&mut *conn).await.map_err(db)?;
        // A reader in the middle of a transaction (a long page, a backup) keeps the journal's old pages:
        // then the journal is not emptied, and saying so is the only honest answer (found by an outside
        // check: the run reported success with the erased cases still in the journal).
        let busy: i64 =
            sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await.map_err(db)?;
        if busy != 0 {
            return Err(StoreError::Database(
                "the journal could not be emptied while another connection was reading (a server's long read or a \
                 backup): what was deleted is still in it; run again when that reader is done"
                    .into(),
            ));
        }
        Ok(())
    }

    async fn import(
        &self,
        rows: &[ImportRow],
        runs: &[NewRun],
        recorded_at: jiff::Timestamp,
    ) -> Result<ImportReport, StoreError> {
        in_transaction!(self.pool, "BEGIN IMMEDIATE", |tx| {
            let head = chain_head(&mut tx).await?;
            let existing = all_cases(&mut tx).await?;
            let highest = highest_case_id(&mut tx).await?;
            let erased = last_erasure(&mut tx).await?;
            let writes = import::writes(existing, highest, erased, rows, &head, recorded_at)?;
            // New cases a hundred to a statement; the few that changed one by one, each at the version read.
            let new: Vec<&Case> = writes.cases.iter().filter(|(p, _)| p.is_none()).map(|(_, c)| c).collect();
            insert_cases(&mut tx, &new).await?;
            for (previous, case) in writes.cases.iter().filter(|(p, _)| p.is_some()) {
                upsert_case(&mut tx, case, *previous).await?;
            }
            insert_events(&mut tx, &writes.linked).await?;
            for run in runs {
                sqlx::query(sql!(INSERT_RUN))
                    .bind(run.kind.name())
                    .bind(run.sha256())
                    .bind(recorded_at.to_string())
                    .bind(&run.body)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
            writes.report
        })
    }

    async fn append(&self, event: &Event) -> Result<Case, StoreError> {
        self.append_with(event, None).await
    }

    async fn append_document(&self, event: &Event, content: &[u8]) -> Result<Case, StoreError> {
        self.append_with(event, Some(content)).await
    }

    async fn log_access(&self, entries: &[AccessEntry]) -> Result<(), StoreError> {
        let rows = gennemgang_store::sql::access_rows_json(entries)?;
        // One statement is its own transaction (all its rows or none, durable when it returns): no BEGIN and
        // COMMIT, two round trips to the connection's thread fewer per group commit.
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let result = sqlx::query(INSERT_ACCESS_JSON).bind(&rows).execute(&mut *conn).await.map(|_| ()).map_err(db);
        close_if_failed(&mut conn, &result);
        result
    }

    async fn verify_chain(&self, earlier: Option<&Head>) -> Result<ChainReport, StoreError> {
        // Every batch read in one snapshot: an erasure or an action committed meanwhile is not half seen.
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN").await.map_err(db)?;
        let report = walk_chain(&mut tx, earlier).await?;
        tx.rollback().await.map_err(db)?;
        Ok(report)
    }

    gennemgang_store::shared_methods!(shared_sql);
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        assert_eq!(gennemgang_store::schema::check_numbering(super::MIGRATIONS), Ok(()));
    }
}
