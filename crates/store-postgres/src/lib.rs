//! # gennemgang-store-postgres
//!
//! The PostgreSQL adapter of [`gennemgang_store::Store`]: the production database. Every write locks the
//! single `chain_head` row first, so writers are serialized along the hash chain and the optimistic
//! version check sees a stable history; readers are never blocked. The schema is the numbered files
//! under `migrations/` ([`gennemgang_store::schema`]), applied under an advisory lock; a
//! `search_path` in the URL's options selects a schema (the tests use one schema per test).
//!
//! Instants are `timestamptz`, a deadline's day `date`, a case's projection `jsonb` and an event's payload
//! `json` (kept to the byte, as hashed): the shared SQL casts the text it binds (`$1::timestamptz`, which
//! SQLite's dialect drops), and [`columns`] reads those types back as the text SQLite stores. An import's
//! new cases and events are streamed through `COPY` ([`copy`]) inside its one transaction.

use gennemgang_case::case::{Case, Event};
use gennemgang_store::backup::{Cell, Copied, Kind, TABLES, Table};
use gennemgang_store::chain::{self, ChainReport, GENESIS, Head, Linked};
use gennemgang_store::import::{self, ImportReport, ImportRow};
use gennemgang_store::rows::{decode, version};
use gennemgang_store::schema::{self, Migration};
use gennemgang_store::sql;
use gennemgang_store::worklist::Value;
use gennemgang_store::{AccessEntry, NewRun, Store, StoreError};
use sqlx::PgConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

mod columns;
mod copy;

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
    Migration { version: 9, name: "native_types", sql: include_str!("../migrations/0009_native_types.sql") },
    Migration { version: 10, name: "sign_in_failures", sql: include_str!("../migrations/0010_sign_in_failures.sql") },
    Migration { version: 11, name: "erasure", sql: include_str!("../migrations/0011_erasure.sql") },
];

/// Inserts the rows of [`gennemgang_store::sql::access_rows_json`] in their order.
const INSERT_ACCESS_JSON: &str = "INSERT INTO access_log (at, actor_user, actor_role, actor_municipality, case_id, what, \
     purpose, allowed) SELECT e ->> 0, e ->> 1, e ->> 2, (e ->> 3)::bigint, (e ->> 4)::bigint, e ->> 5, e ->> 6, \
     (e ->> 7)::boolean FROM json_array_elements($1::json) WITH ORDINALITY AS r(e, n) ORDER BY n";

/// The advisory lock that serialises schema set-up (any constant the application owns: "gennemgang").
const MIGRATE_LOCK: i64 = 0x6765_6e6e_656d_6761;

/// A statement of [`gennemgang_store::sql`] (written in this database's placeholders).
macro_rules! sql {
    ($name:ident) => {
        gennemgang_store::sql::$name
    };
}

/// A statement of [`gennemgang_store::shared`] in this database's placeholders.
macro_rules! shared_sql {
    ($name:ident) => {
        gennemgang_store::shared::$name
    };
}

fn db(e: sqlx::Error) -> StoreError {
    // Connection exceptions (class 08) and the server shutting down or starting (57P01-57P03) pass; any
    // other database error is about the statement.
    let gone = match &e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    };
    // 3D000: the database named does not exist.
    let missing = matches!(&e, sqlx::Error::Database(d) if d.code().as_deref() == Some("3D000"));
    if gone {
        StoreError::Unavailable(e.to_string())
    } else if missing {
        StoreError::NoSuchDatabase(e.to_string())
    } else {
        StoreError::Database(e.to_string())
    }
}

/// A column of `row` by name ([`columns`]: an instant, a day or JSON read as the text SQLite stores).
fn col<'r, T: columns::Column<'r>>(row: &'r sqlx::postgres::PgRow, name: &str) -> Result<T, StoreError> {
    T::read(row, name)
}

/// A case store in a PostgreSQL database.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
    /// The connections a page's reads take.
    reads: gennemgang_store_reads::Reads<PgConnectOptions>,
    cache: std::sync::Arc<gennemgang_store::cache::ReadCache>,
}

impl PostgresStore {
    /// Appends `event` (and stores `content` under the document's hash, when given) in one transaction.
    async fn append_with(&self, event: &Event, content: Option<&[u8]>) -> Result<Case, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = chain_head(&mut tx).await?;
        let row = sqlx::query(sql::CASE_VERSION_AND_SNAPSHOT)
            .bind(event.case_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NotFound(event.case_id))?;
        let found = version(col(&row, "version")?)?;
        if found + 1 != event.version {
            return Err(StoreError::Conflict { case: event.case_id, expected: event.version.saturating_sub(1), found });
        }
        let mut case = decode(event.case_id, col(&row, "snapshot")?)?;
        case.apply(event);
        let linked = chain::link(&head, std::slice::from_ref(event)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        insert_document(&mut tx, event, content).await?;
        insert_events(&mut tx, &linked).await?;
        set_chain_head(&mut tx, &linked).await?;
        upsert_case(&mut tx, &case, Some(found)).await?;
        tx.commit().await.map_err(db)?;
        Ok(case)
    }

    /// Connects to `url` (`postgres://…`), optionally in `schema` (created if missing).
    ///
    /// # Errors
    /// The URL is wrong or the server cannot be reached.
    pub async fn open(url: &str, schema: Option<&str>) -> Result<PostgresStore, StoreError> {
        let mut options = PgConnectOptions::from_str(url).map_err(db)?;
        if let Some(schema) = schema {
            if !schema.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(StoreError::Database(format!("schema name {schema:?} must be letters, digits and _")));
            }
            let admin = PgPoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(db)?;
            // Under the set-up's lock, like the schema itself: two stores creating it at once collide.
            let mut tx = admin.begin().await.map_err(db)?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATE_LOCK).execute(&mut *tx).await.map_err(db)?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS {schema}")))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            admin.close().await;
            options = options.options([("search_path", schema)]);
        }
        // The server's own answer when it cannot be reached (refused, no such database, a password refused),
        // at once: the pool retries for its whole timeout and then says only that it timed out (found by
        // an outside check starting a server against a database that was down).
        sqlx::Connection::close(<PgConnection as sqlx::Connection>::connect_with(&options).await.map_err(db)?)
            .await
            .map_err(db)?;
        // A connection is tested as it is given back (sqlx pings it then), not again as it is taken: that
        // second round trip cost every statement a few per cent. A connection the server dropped while it
        // waited (a restart) fails its next statement, is closed, and the request is answered 503.
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(db)?;
        let reads = gennemgang_store_reads::Reads::new(options, 8);
        Ok(PostgresStore { pool, reads, cache: std::sync::Arc::default() })
    }

    /// A connection for a page's read.
    async fn read(&self) -> Result<gennemgang_store_reads::Read<PgConnectOptions>, StoreError> {
        self.reads.acquire().await.map_err(db)
    }
}

/// One snapshot of the database (a repeatable-read, read-only transaction), for a backup: every table read
/// through it shows the same moment, however long the reading takes.
pub struct Snapshot {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
}

impl PostgresStore {
    /// The connections open, and idle among them, sqlx's pool's and the reads' (for metrics).
    #[must_use]
    pub fn connections(&self) -> (u32, usize) {
        let (out, idle) = (self.reads.in_use(), self.reads.idle());
        (self.pool.size() + u32::try_from(out + idle).unwrap_or(0), self.pool.num_idle() + idle)
    }

    /// Begins a [`Snapshot`].
    ///
    /// # Errors
    /// The database fails.
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await.map_err(db)?;
        Ok(Snapshot { tx })
    }
}

impl Snapshot {
    /// Up to `limit` rows of `table` after the key `after` (from the start without one), in key order.
    ///
    /// # Errors
    /// The database fails, or a value is not of its column's type.
    pub async fn rows(
        &mut self,
        table: &Table,
        after: Option<&Cell>,
        limit: u32,
    ) -> Result<Vec<Vec<Cell>>, StoreError> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(table.batch_query(after.is_some()))).bind(i64::from(limit));
        q = match after {
            Some(Cell::Int(i)) => q.bind(*i),
            Some(Cell::Text(t)) => q.bind(t.clone()),
            Some(Cell::Null | Cell::Bytes(_)) | None => q,
        };
        let rows = q.fetch_all(&mut *self.tx).await.map_err(db)?;
        rows.iter()
            .map(|row| {
                table
                    .columns
                    .iter()
                    .map(|(column, kind)| {
                        let cell = match kind {
                            Kind::Int => col::<Option<i64>>(row, column)?.map(Cell::Int),
                            Kind::Bool => col::<Option<bool>>(row, column)?.map(|b| Cell::Int(i64::from(b))),
                            Kind::Bytes => col::<Option<Vec<u8>>>(row, column)?.map(Cell::Bytes),
                            Kind::Text | Kind::Instant | Kind::Day | Kind::Json | Kind::ExactJson => {
                                col::<Option<String>>(row, column)?.map(Cell::Text)
                            }
                        };
                        Ok(cell.unwrap_or(Cell::Null))
                    })
                    .collect()
            })
            .collect()
    }
}

/// A restore under way: a backup's rows written into an empty database in one transaction, so that a
/// restore lands whole or not at all.
pub struct Restore {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
}

impl PostgresStore {
    /// The first of a backup's tables that holds rows here: a restore goes into an empty database only.
    ///
    /// # Errors
    /// The database fails.
    pub async fn first_table_with_rows(&self) -> Result<Option<&'static str>, StoreError> {
        for table in TABLES {
            let exists: bool =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT EXISTS (SELECT 1 FROM {})", table.name)))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
            if exists {
                return Ok(Some(table.name));
            }
        }
        Ok(None)
    }

    /// Begins a [`Restore`].
    ///
    /// # Errors
    /// The database fails.
    pub async fn restore(&self) -> Result<Restore, StoreError> {
        Ok(Restore { tx: self.pool.begin().await.map_err(db)? })
    }
}

impl Restore {
    /// Writes `rows` of a backup's `table`, each column as it was stored (the history's hashes too).
    ///
    /// # Errors
    /// A row does not fit the table, or the write fails.
    pub async fn put_rows(&mut self, table: &Table, rows: &[Vec<Cell>]) -> Result<(), StoreError> {
        let marks: Vec<String> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| format!("${}{}", i + 1, kind.postgres_cast()))
            .collect();
        let insert = format!("INSERT INTO {} ({}) VALUES ({})", table.name, table.column_list(), marks.join(", "));
        for row in rows {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.as_str()));
            for (cell, (column, kind)) in row.iter().zip(table.columns) {
                q = match (cell, kind) {
                    (Cell::Null, k) if k.is_text() => q.bind(None::<String>),
                    (Cell::Null, Kind::Bool) => q.bind(None::<bool>),
                    (Cell::Null, Kind::Int) => q.bind(None::<i64>),
                    (Cell::Null, Kind::Bytes) => q.bind(None::<Vec<u8>>),
                    (Cell::Bytes(b), Kind::Bytes) => q.bind(b.as_slice()),
                    (Cell::Int(i), Kind::Bool) => q.bind(*i != 0),
                    (Cell::Int(i), Kind::Int) => q.bind(*i),
                    (Cell::Text(t), k) if k.is_text() => q.bind(t.as_str()),
                    _ => return Err(StoreError::Corrupt(format!("{}.{column}: not a {kind:?}", table.name))),
                };
            }
            q.execute(&mut *self.tx).await.map_err(db)?;
        }
        Ok(())
    }

    /// Ends the restore: the chain's head set to the last event's hash, the numbering of events, the access
    /// log and runs continued after the highest restored, the rows counted, and everything committed.
    ///
    /// # Errors
    /// The database fails (nothing is then restored).
    pub async fn finish(mut self) -> Result<Copied, StoreError> {
        sqlx::query(
            "UPDATE chain_head SET hash = COALESCE((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), $1) WHERE id = 1",
        )
        .bind(GENESIS)
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        for (table, column) in [("events", "seq"), ("access_log", "seq"), ("runs", "id")] {
            let next = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),                  COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            );
            sqlx::query(sqlx::AssertSqlSafe(next)).execute(&mut *self.tx).await.map_err(db)?;
        }
        let mut copied = Copied::default();
        for table in TABLES {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name)))
                .fetch_one(&mut *self.tx)
                .await
                .map_err(db)?;
            copied.rows.push((table.name, u64::try_from(n).unwrap_or_default()));
        }
        self.tx.commit().await.map_err(db)?;
        Ok(copied)
    }
}

/// The database's schema version, and whether it is numbered (a database from before numbering is read
/// from its tables, [`schema::before_versioning`]).
async fn schema_version(conn: &mut PgConnection) -> Result<(u32, bool), StoreError> {
    let table = |name: &'static str| sqlx::query_scalar::<_, bool>("SELECT to_regclass($1) IS NOT NULL").bind(name);
    if table("schema_migrations").fetch_one(&mut *conn).await.map_err(db)? {
        let v: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations")
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?;
        let v = u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("schema_migrations.version {v}")))?;
        return Ok((v, true));
    }
    let cases = table("cases").fetch_one(&mut *conn).await.map_err(db)?;
    let columns: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = 'cases' AND column_name = 'assigned_to'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    Ok((schema::before_versioning(cases, columns > 0), false))
}

/// Locks the chain head (serializing writers) and returns the last hash.
async fn chain_head(conn: &mut PgConnection) -> Result<String, StoreError> {
    let row =
        sqlx::query("SELECT hash FROM chain_head WHERE id = 1 FOR UPDATE").fetch_one(&mut *conn).await.map_err(db)?;
    col(&row, "hash")
}

async fn set_chain_head(conn: &mut PgConnection, linked: &[Linked]) -> Result<(), StoreError> {
    if let Some(last) = linked.last() {
        sqlx::query("UPDATE chain_head SET hash = $1 WHERE id = 1")
            .bind(&last.hash)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(())
}

gennemgang_store::common_functions!(PgConnection, sql);

/// A statement written in `$n` placeholders: PostgreSQL's own.
fn in_dialect(sql: &str) -> String {
    sql.to_owned()
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    values: &'q [Value],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    for v in values {
        q = match v {
            Value::Int(i) => q.bind(*i),
            Value::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

impl Store for PostgresStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        // Two servers or imports starting at once: the second waits for the first's migrations instead of
        // racing them (CREATE … IF NOT EXISTS is not safe under concurrency in PostgreSQL).
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATE_LOCK).execute(&mut *tx).await.map_err(db)?;
        let (database, numbered) = schema_version(&mut tx).await?;
        let steps = schema::plan(database, numbered, MIGRATIONS)?;
        sqlx::raw_sql(schema::TABLE).execute(&mut *tx).await.map_err(db)?;
        let now = jiff::Timestamp::now().to_string();
        for (m, run) in &steps {
            if *run {
                sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(db)?;
            }
            sqlx::query(sql::RECORD_MIGRATION)
                .bind(i64::from(m.version))
                .bind(m.name)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        // Projections in an older shape are folded again; all of them when the worklist's columns are new.
        refold_stale(&mut tx, steps.iter().any(|(m, run)| *run && m.version == 2)).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    gennemgang_store::common_methods!(sql);

    async fn erase(&self, id: i64, erasure: &gennemgang_store::erasure::Erasure) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = chain_head(&mut tx).await?;
        let linked = erase_in(&mut tx, id, erasure, &head).await?;
        set_chain_head(&mut tx, std::slice::from_ref(&linked)).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn reclaim(&self) -> Result<(), StoreError> {
        // Rewritten, the tables hold no dead row versions of what was erased (a plain VACUUM only marks
        // their space for reuse). Each takes its table's lock for the rewrite: a maintenance step.
        for table in ["cases", "events", "documents"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM FULL {table}"))).execute(&self.pool).await.map_err(db)?;
        }
        Ok(())
    }

    async fn import(
        &self,
        rows: &[ImportRow],
        runs: &[NewRun],
        recorded_at: jiff::Timestamp,
    ) -> Result<ImportReport, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = chain_head(&mut tx).await?;
        let existing = all_cases(&mut tx).await?;
        let highest = highest_case_id(&mut tx).await?;
        let erased = last_erasure(&mut tx).await?;
        let writes = import::writes(existing, highest, erased, rows, &head, recorded_at)?;
        // New cases streamed through COPY; the few that changed one by one, each at the version read.
        let new: Vec<&Case> = writes.cases.iter().filter(|(p, _)| p.is_none()).map(|(_, c)| c).collect();
        copy::cases(&mut tx, &new).await?;
        for (previous, case) in writes.cases.iter().filter(|(p, _)| p.is_some()) {
            upsert_case(&mut tx, case, *previous).await?;
        }
        copy::events(&mut tx, &writes.linked).await?;
        set_chain_head(&mut tx, &writes.linked).await?;
        for run in runs {
            sqlx::query(sql::INSERT_RUN)
                .bind(run.kind.name())
                .bind(run.sha256())
                .bind(recorded_at.to_string())
                .bind(&run.body)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(writes.report)
    }

    async fn append(&self, event: &Event) -> Result<Case, StoreError> {
        self.append_with(event, None).await
    }

    async fn append_document(&self, event: &Event, content: &[u8]) -> Result<Case, StoreError> {
        self.append_with(event, Some(content)).await
    }

    async fn log_access(&self, entries: &[AccessEntry]) -> Result<(), StoreError> {
        let rows = gennemgang_store::sql::access_rows_json(entries)?;
        // One statement is its own transaction: no BEGIN and COMMIT, two round trips fewer per group commit.
        sqlx::query(INSERT_ACCESS_JSON).bind(&rows).execute(&self.pool).await.map(|_| ()).map_err(db)
    }

    async fn verify_chain(&self, earlier: Option<&Head>) -> Result<ChainReport, StoreError> {
        // Every batch read in one snapshot: an erasure or an action committed meanwhile is not half seen.
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(db)?;
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
