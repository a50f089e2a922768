//! The SQL both adapters run, written once in PostgreSQL's numbered placeholders (`$1`); SQLite runs the
//! same text with `?1` ([`crate::shared::sqlite`], the one dialect hook, applied once per statement). What
//! only one database has (its catalogue, `VACUUM INTO`, row locks, advisory locks) stays in its adapter.
//!
//! The code around the statements is written once too, as two macros each adapter expands with its
//! connection type and placeholders: [`common_methods!`](crate::common_methods) (the `Store` methods that read, the accounts and
//! sessions) and [`common_functions!`](crate::common_functions) (writing events and projections, folding stale ones again). What is
//! left in an adapter is what differs: its transactions and locks, migrating, importing, appending, the
//! access log's insert and the chain's head.

/// The access log, oldest first.
pub const ACCESS_LOG: &str = "SELECT at, actor_user, actor_role, actor_municipality, case_id, what, purpose, allowed FROM \
     access_log ORDER BY seq";

/// One case's access log, oldest first, by the index on the log by case (`access_log_case`).
pub const CASE_ACCESS_LOG: &str = "SELECT at, actor_user, actor_role, actor_municipality, case_id, what, purpose, allowed \
     FROM access_log WHERE case_id = $1 ORDER BY seq";

/// Every event of the cases that are not erased, by case and version.
pub const ALL_EVENTS: &str =
    "SELECT seq, payload FROM events WHERE kind <> 'erased' AND kind <> 'erasure' ORDER BY case_id, version";

/// Every case's snapshot, by id.
pub const ALL_SNAPSHOTS: &str = "SELECT id, snapshot FROM cases ORDER BY id";

/// One case's events, in order (an erased case's end with its erasure).
pub const CASE_EVENTS: &str = "SELECT seq, kind, payload FROM events WHERE case_id = $1 ORDER BY version";

/// The place in the history of a case's event of one version.
pub const EVENT_SEQ: &str = "SELECT seq FROM events WHERE case_id = $1 AND version = $2";

/// A case's events before its erasure `$2` made tombstones (the one update the history's trigger allows).
pub const ERASE_EVENTS: &str = "UPDATE events SET kind = 'erased', payload = $1::json WHERE case_id = $2 AND seq < $3";

/// The next batch of the history for `audit verify`: the columns [`chain::StoredEvent`](crate::chain::StoredEvent)
/// holds, after `seq` `$1`.
pub const CHAIN_BATCH: &str = "SELECT seq, case_id, version, payload, prev_hash, hash, recorded_at, actor_user, actor_role, \
     actor_municipality, kind FROM events WHERE seq > $1 ORDER BY seq LIMIT 10000";

/// The cases with a history that is not erased.
pub const LIVE_CASE_IDS: &str =
    "SELECT DISTINCT case_id FROM events WHERE kind <> 'erased' AND kind <> 'erasure' ORDER BY case_id";

/// The highest case id the history has held (an erased case's included).
pub const HIGHEST_CASE_ID: &str = "SELECT COALESCE(MAX(case_id), 0) FROM events";

/// When cases were last erased (`NULL`: never).
pub const LAST_ERASURE: &str = "SELECT MAX(recorded_at) AS at FROM events WHERE kind = 'erasure'";

/// An erased case's projection.
pub const DELETE_CASE: &str = "DELETE FROM cases WHERE id = $1";

/// A document's content, unless a case still holds it (its SHA-256 in a snapshot: `$2` is `%SHA%`).
pub const DELETE_UNHELD_DOCUMENT: &str = "DELETE FROM documents WHERE sha256 = $1 AND NOT EXISTS \
     (SELECT 1 FROM cases WHERE CAST(snapshot AS TEXT) LIKE $2)";

/// One case's snapshot.
pub const CASE_SNAPSHOT: &str = "SELECT snapshot FROM cases WHERE id = $1";

/// One case's version and snapshot, before an append.
pub const CASE_VERSION_AND_SNAPSHOT: &str = "SELECT version, snapshot FROM cases WHERE id = $1";

/// A home municipality's caseworkers, by name.
pub const CASEWORKERS: &str =
    "SELECT username FROM users WHERE role = 'home_caseworker' AND municipality = $1 ORDER BY username";

/// Counts one sign-in attempt in one statement (every SET reads the row as it was, and the row's lock
/// orders concurrent ones); returns the lock in force.
pub const COUNT_SIGN_IN_ATTEMPT: &str = "UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 > $1 THEN 0 ELSE failed_logins + 1 \
     END, locked_until = CASE WHEN failed_logins + 1 > $1 THEN $2::timestamptz ELSE locked_until END WHERE \
     username = $3 RETURNING locked_until";

/// Counts one sign-in attempt for an account from a source address, as [`COUNT_SIGN_IN_ATTEMPT`] does for
/// the account: `$1` the most in a row, `$2` the lock (and when the row is forgotten unless another attempt
/// comes first), `$3` the account, `$4` the source. A name without an account inserts nothing (so that
/// guessing names grows no table).
pub const COUNT_SOURCE_ATTEMPT: &str = "INSERT INTO sign_in_failures (username, source, failed, locked_until, forget_after) \
     SELECT username, $4, 1, NULL, $2::timestamptz FROM users WHERE username = $3 ON CONFLICT (username, source) DO \
     UPDATE SET failed = CASE WHEN sign_in_failures.failed + 1 > $1 THEN 0 ELSE sign_in_failures.failed + 1 END, \
     locked_until = CASE WHEN sign_in_failures.failed + 1 > $1 THEN $2::timestamptz ELSE sign_in_failures.locked_until \
     END, forget_after = $2::timestamptz RETURNING locked_until";

/// Forgets an account's failures from one source (after a success from there).
pub const CLEAR_SOURCE_FAILURES: &str = "DELETE FROM sign_in_failures WHERE username = $1 AND source = $2";

/// Forgets an account's failures from every source (its password was set anew).
pub const CLEAR_ALL_SOURCE_FAILURES: &str = "DELETE FROM sign_in_failures WHERE username = $1";

/// Forgets the per-source counts whose last attempt was longer ago than a lock lasts (their locks ran out).
pub const PURGE_SOURCE_FAILURES: &str = "DELETE FROM sign_in_failures WHERE forget_after < $1::timestamptz";

/// Ends a session.
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

/// Moves a session's expiry.
pub const EXTEND_SESSION: &str = "UPDATE sessions SET expires_at = $1::timestamptz WHERE token_hash = $2";

/// Stores a document's content under its SHA-256 (once: the same content twice is one row).
pub const INSERT_DOCUMENT: &str = "INSERT INTO documents (sha256, size, content, stored_at) VALUES ($1, $2, $3, $4::timestamptz) ON \
     CONFLICT (sha256) DO NOTHING";

/// A document's content.
pub const DOCUMENT: &str = "SELECT content FROM documents WHERE sha256 = $1";

/// Rows written by one statement: an import writes thousands of cases and events; one statement for a
/// hundred costs one round trip instead of a hundred.
pub const ROWS_PER_STATEMENT: usize = 100;

/// The columns of an event row, in the order `insert_events` binds them.
const EVENT_COLUMNS: &str = "case_id, version, recorded_at::timestamptz, actor_user, actor_role, actor_municipality, kind, payload::json, prev_hash, hash";

/// The columns of a new case's row, in the order `insert_cases` binds them.
const CASE_COLUMNS: &str = "id, cpr, home_municipality, deciding_municipality, phase, state, version, snapshot::jsonb, assigned_to, next_deadline::date, name_key";

/// `INSERT INTO table (columns) VALUES (…), (…), …` for `rows` rows, placeholders numbered in order. A
/// column written `name::type` is stored through that cast: PostgreSQL's native column for the text bound
/// (SQLite's dialect drops the cast).
fn insert_rows(table: &str, columns: &str, rows: usize) -> String {
    let columns: Vec<(&str, Option<&str>)> =
        columns.split(", ").map(|c| c.split_once("::").map_or((c, None), |(name, cast)| (name, Some(cast)))).collect();
    let width = columns.len();
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let marks: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(c, (_, cast))| match cast {
                    Some(cast) => format!("${}::{cast}", r * width + c + 1),
                    None => format!("${}", r * width + c + 1),
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    format!("INSERT INTO {table} ({}) VALUES {}", names.join(", "), values.join(", "))
}

/// The insert of `rows` linked events at once.
#[must_use]
pub fn insert_event_rows(rows: usize) -> String {
    insert_rows("events", EVENT_COLUMNS, rows)
}

/// The insert of `rows` new cases' projections at once.
#[must_use]
pub fn insert_case_rows(rows: usize) -> String {
    insert_rows("cases", CASE_COLUMNS, rows)
}

/// The access-log rows of one group commit as one JSON array of arrays, each in the order of the access log's columns:
/// bound as a single value, so that a batch of any size is one prepared statement, one bind and one round
/// trip (each adapter's `log_access` unpacks it in its own dialect).
///
/// # Errors
/// Never for entries serde can write (the error is serde's).
pub fn access_rows_json(entries: &[crate::AccessEntry]) -> Result<String, crate::StoreError> {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.at.to_string(),
                &e.user,
                e.role.name(),
                e.municipality,
                e.case_id,
                &e.what,
                e.purpose.as_deref(),
                e.allowed,
            )
        })
        .collect();
    serde_json::to_string(&rows).map_err(|e| crate::StoreError::Database(format!("access log: {e}")))
}

/// Records a run, once per document.
pub const INSERT_RUN: &str = "INSERT INTO runs (kind, sha256, recorded_at, body) VALUES ($1, $2, $3::timestamptz, $4) ON CONFLICT (kind, \
     sha256) DO NOTHING";

/// Stores a new session.
pub const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, username, csrf, expires_at) VALUES ($1, $2, $3, $4::timestamptz)";

/// Deletes the sessions that expired before the cut-off.
pub const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at < $1::timestamptz";

/// Creates a user, or replaces its password, role and municipality (clearing a lockout).
pub const PUT_USER: &str = "INSERT INTO users (username, password_hash, role, municipality, failed_logins, locked_until) \
     VALUES ($1, $2, $3, $4, 0, NULL) ON CONFLICT (username) DO UPDATE SET password_hash = \
     excluded.password_hash, role = excluded.role, municipality = excluded.municipality, \
     failed_logins = 0, locked_until = NULL";

/// Records an applied migration.
pub const RECORD_MIGRATION: &str =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3::timestamptz)";

/// Writes a projection folded again from its events (the version stays).
pub const REFOLD_CASE: &str = "UPDATE cases SET home_municipality = $1, deciding_municipality = $2, phase = $3, state = $4, \
     snapshot = $5::jsonb, assigned_to = $6, next_deadline = $7::date, name_key = $8 WHERE id = $9";

/// The runs, newest first.
pub const RUNS: &str = "SELECT id, kind, sha256, recorded_at, body FROM runs ORDER BY id DESC";

/// A session and its user, in one query (it runs on every request).
pub const SESSION_WITH_USER: &str = "SELECT s.token_hash, s.username, s.csrf, s.expires_at, u.password_hash, u.role, u.municipality, \
     u.failed_logins, u.locked_until FROM sessions s JOIN users u ON u.username = s.username WHERE \
     s.token_hash = $1";

/// Records failed sign-ins in a row and a lockout.
pub const SET_LOGIN_STATE: &str =
    "UPDATE users SET failed_logins = $1, locked_until = $2::timestamptz WHERE username = $3";

/// Every case's columns as stored, by id.
pub const STORED_COLUMNS: &str = "SELECT id, cpr, home_municipality, deciding_municipality, phase, state, version, assigned_to, \
     next_deadline, name_key FROM cases ORDER BY id";

/// The same, in a database not yet migrated to the names (schema 6): verifying never migrates, and no
/// case there has a name.
pub const STORED_COLUMNS_BEFORE_NAMES: &str = "SELECT id, cpr, home_municipality, deciding_municipality, phase, state, \
     version, assigned_to, next_deadline, '' AS name_key FROM cases ORDER BY id";

/// The schema version that added `cases.name_key`.
pub const NAMES_SCHEMA: u32 = 6;

/// Writes a case's projection after an event.
pub const UPDATE_CASE: &str = "UPDATE cases SET home_municipality = $1, deciding_municipality = $2, phase = $3, state = $4, \
     version = $5, snapshot = $6::jsonb, assigned_to = $7, next_deadline = $8::date, name_key = $9 WHERE id = $10 AND \
     version = $11";

/// Every case's search key beside the history's head, in one statement (one state of the database). An
/// empty `cases` table gives one row: the head, and NULL for the rest.
pub const NAMES: &str = "SELECT h.head, c.id, c.name_key FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events) h \
     LEFT JOIN cases c ON 1 = 1";

/// The history's head alone.
pub const HEAD: &str = "SELECT COALESCE(MAX(seq), 0) AS head FROM events";

/// One user.
pub const USER: &str = "SELECT username, password_hash, role, municipality, failed_logins, locked_until FROM users \
     WHERE username = $1";

/// The [`crate::Store`] methods whose code is the same for both databases, for an adapter's `impl Store`
/// (`common_methods!(sql)` among its items): the adapter brings `self.pool`, `self.read()` (a connection
/// for a page's read, given back by `done()`: `gennemgang_store_reads`), `db` (its error mapping), `col`
/// (a column by name), `all_cases`, `schema_version`, `MIGRATIONS`, `self.cache` (its
/// [`ReadCache`](crate::cache::ReadCache)), `in_dialect` (a statement of `$n` placeholders in its own),
/// `bind_all` (binds [`Value`](crate::worklist::Value)s) and a macro `sql!(NAME)` giving the statement `NAME`
/// of this module in its placeholders.
#[macro_export]
macro_rules! common_methods {
    ($q:ident) => {
        async fn worklist(&self, q: &$crate::WorklistQuery) -> Result<$crate::WorklistPage, $crate::StoreError> {
            let mut conn = self.read().await?;
            // A search by name selects the cases whose kept key holds the name, by id: the page is shown if
            // it was read at the head the keys were (a case renamed since is searched for again, with keys
            // read anew); a history that keeps moving, or too many cases found, leave it to LIKE.
            if let Some(name) = &q.filters.name {
                for _ in 0..3 {
                    let names = match self.cache.names() {
                        Some(names) => names,
                        None => search_keys(&mut conn, &self.cache).await?,
                    };
                    let Some(ids) = names.holding(name) else { break };
                    let page = if ids.is_empty() {
                        (history_head(&mut conn).await? == names.head).then(|| $crate::WorklistPage {
                            matching: 0,
                            by_phase: vec![],
                            cases: vec![],
                        })
                    } else {
                        let sql = $crate::worklist::statements_among(q, &ids);
                        worklist_page(&mut conn, &self.cache, q, sql, Some(names.head)).await?
                    };
                    match page {
                        Some(page) => {
                            conn.done();
                            return Ok(page);
                        }
                        None => {
                            search_keys(&mut conn, &self.cache).await?;
                        }
                    }
                }
            }
            let page = worklist_page(&mut conn, &self.cache, q, $crate::worklist::statements(q), None).await?;
            conn.done();
            page.ok_or_else(|| $crate::StoreError::Corrupt("a worklist page without a head".into()))
        }

        async fn caseworkers(&self, municipality: i64) -> Result<Vec<String>, $crate::StoreError> {
            sqlx::query_scalar($q!(CASEWORKERS)).bind(municipality).fetch_all(&self.pool).await.map_err(db)
        }

        async fn document(&self, sha256: &str) -> Result<Option<Vec<u8>>, $crate::StoreError> {
            let row = sqlx::query($q!(DOCUMENT)).bind(sha256).fetch_optional(&self.pool).await.map_err(db)?;
            row.map(|r| col(&r, "content")).transpose()
        }

        async fn schema_status(&self) -> Result<$crate::schema::SchemaStatus, $crate::StoreError> {
            let mut conn = self.pool.acquire().await.map_err(db)?;
            Ok($crate::schema::status(schema_version(&mut conn).await?.0, MIGRATIONS))
        }

        async fn case(&self, id: i64) -> Result<Option<gennemgang_case::case::Case>, $crate::StoreError> {
            let mut conn = self.read().await?;
            let row = sqlx::query($q!(CASE_SNAPSHOT)).bind(id).fetch_optional(&mut *conn).await.map_err(db)?;
            conn.done();
            row.map(|r| $crate::rows::decode(id, col(&r, "snapshot")?)).transpose()
        }

        async fn cases(&self) -> Result<Vec<gennemgang_case::case::Case>, $crate::StoreError> {
            let mut conn = self.pool.acquire().await.map_err(db)?;
            all_cases(&mut conn).await
        }

        async fn events(&self, id: i64) -> Result<Vec<gennemgang_case::case::Event>, $crate::StoreError> {
            let mut conn = self.read().await?;
            let rows = sqlx::query($q!(CASE_EVENTS)).bind(id).fetch_all(&mut *conn).await.map_err(db)?;
            conn.done();
            // An erased case has no history to read: what is left of it is tombstones and its erasure.
            if let Some(last) = rows.last()
                && col::<&str>(last, "kind")? == $crate::erasure::ERASURE
            {
                return Ok(Vec::new());
            }
            rows.iter().map(|r| $crate::rows::decode_event(col(r, "seq")?, col(r, "payload")?)).collect()
        }

        async fn all_events(&self) -> Result<Vec<gennemgang_case::case::Event>, $crate::StoreError> {
            let rows = sqlx::query($q!(ALL_EVENTS)).fetch_all(&self.pool).await.map_err(db)?;
            rows.iter().map(|r| $crate::rows::decode_event(col(r, "seq")?, col(r, "payload")?)).collect()
        }

        async fn live_case_ids(&self) -> Result<Vec<i64>, $crate::StoreError> {
            sqlx::query_scalar($q!(LIVE_CASE_IDS)).fetch_all(&self.pool).await.map_err(db)
        }

        async fn runs(&self) -> Result<Vec<$crate::Run>, $crate::StoreError> {
            let rows = sqlx::query($q!(RUNS)).fetch_all(&self.pool).await.map_err(db)?;
            rows.iter()
                .map(|r| {
                    $crate::runs::run_row(
                        col(r, "id")?,
                        col(r, "kind")?,
                        col(r, "sha256")?,
                        col(r, "recorded_at")?,
                        col(r, "body")?,
                    )
                })
                .collect()
        }

        async fn access_log(&self) -> Result<Vec<$crate::AccessEntry>, $crate::StoreError> {
            let rows = sqlx::query($q!(ACCESS_LOG)).fetch_all(&self.pool).await.map_err(db)?;
            rows.iter().map(access_entry).collect()
        }

        async fn case_access_log(&self, id: i64) -> Result<Vec<$crate::AccessEntry>, $crate::StoreError> {
            let rows = sqlx::query($q!(CASE_ACCESS_LOG)).bind(id).fetch_all(&self.pool).await.map_err(db)?;
            rows.iter().map(access_entry).collect()
        }

        async fn put_user(&self, u: &$crate::User) -> Result<(), $crate::StoreError> {
            let mut tx = self.pool.begin().await.map_err(db)?;
            sqlx::query($q!(PUT_USER))
                .bind(&u.username)
                .bind(&u.password_hash)
                .bind(u.role.name())
                .bind(u.municipality.map(i64::from))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query($q!(CLEAR_ALL_SOURCE_FAILURES)).bind(&u.username).execute(&mut *tx).await.map_err(db)?;
            tx.commit().await.map_err(db)
        }

        async fn user(&self, username: &str) -> Result<Option<$crate::User>, $crate::StoreError> {
            let row = sqlx::query($q!(USER)).bind(username).fetch_optional(&self.pool).await.map_err(db)?;
            row.map(|r| {
                $crate::rows::user_row(
                    col(&r, "username")?,
                    col(&r, "password_hash")?,
                    col(&r, "role")?,
                    col(&r, "municipality")?,
                    col(&r, "failed_logins")?,
                    col(&r, "locked_until")?,
                )
            })
            .transpose()
        }

        async fn set_login_state(
            &self,
            username: &str,
            failed_logins: u32,
            locked_until: Option<jiff::Timestamp>,
        ) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(SET_LOGIN_STATE))
                .bind(i64::from(failed_logins))
                .bind(locked_until.map(|t| t.to_string()))
                .bind(username)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(())
        }

        async fn stored_columns(&self) -> Result<Vec<$crate::rows::StoredColumns>, $crate::StoreError> {
            let mut conn = self.pool.acquire().await.map_err(db)?;
            let statement = if schema_version(&mut conn).await?.0 >= $crate::sql::NAMES_SCHEMA {
                $q!(STORED_COLUMNS)
            } else {
                $q!(STORED_COLUMNS_BEFORE_NAMES)
            };
            let rows = sqlx::query(statement).fetch_all(&mut *conn).await.map_err(db)?;
            rows.iter()
                .map(|r| {
                    Ok($crate::rows::StoredColumns {
                        id: col(r, "id")?,
                        cpr: col(r, "cpr")?,
                        home_municipality: col(r, "home_municipality")?,
                        deciding_municipality: col(r, "deciding_municipality")?,
                        phase: col(r, "phase")?,
                        state: col(r, "state")?,
                        version: col(r, "version")?,
                        assigned_to: col(r, "assigned_to")?,
                        next_deadline: col(r, "next_deadline")?,
                        name_key: col(r, "name_key")?,
                    })
                })
                .collect()
        }

        async fn count_sign_in_attempt(
            &self,
            username: &str,
            max: u32,
            until: jiff::Timestamp,
        ) -> Result<Option<jiff::Timestamp>, $crate::StoreError> {
            // One statement: every SET reads the row as it was, and the row's lock orders concurrent ones.
            let row = sqlx::query($q!(COUNT_SIGN_IN_ATTEMPT))
                .bind(i64::from(max))
                .bind(until.to_string())
                .bind(username)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
            let lock: Option<String> = row.as_ref().map(|r| col(r, "locked_until")).transpose()?.flatten();
            $crate::rows::lock("users.locked_until", lock)
        }

        async fn count_source_attempt(
            &self,
            username: &str,
            source: &str,
            max: u32,
            until: jiff::Timestamp,
        ) -> Result<Option<jiff::Timestamp>, $crate::StoreError> {
            let row = sqlx::query($q!(COUNT_SOURCE_ATTEMPT))
                .bind(i64::from(max))
                .bind(until.to_string())
                .bind(username)
                .bind(source)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
            let lock: Option<String> = row.as_ref().map(|r| col(r, "locked_until")).transpose()?.flatten();
            $crate::rows::lock("sign_in_failures.locked_until", lock)
        }

        async fn clear_source_failures(&self, username: &str, source: &str) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(CLEAR_SOURCE_FAILURES))
                .bind(username)
                .bind(source)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(())
        }

        async fn put_session(&self, s: &$crate::Session) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(INSERT_SESSION))
                .bind(&s.token_hash)
                .bind(&s.username)
                .bind(&s.csrf)
                .bind(s.expires_at.to_string())
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(())
        }

        async fn session(
            &self,
            token_hash: &str,
        ) -> Result<Option<($crate::Session, $crate::User)>, $crate::StoreError> {
            let mut conn = self.read().await?;
            let row =
                sqlx::query($q!(SESSION_WITH_USER)).bind(token_hash).fetch_optional(&mut *conn).await.map_err(db)?;
            conn.done();
            let Some(r) = row else { return Ok(None) };
            let session = $crate::rows::session_row(
                col(&r, "token_hash")?,
                col(&r, "username")?,
                col(&r, "csrf")?,
                col(&r, "expires_at")?,
            )?;
            let user = $crate::rows::user_row(
                col(&r, "username")?,
                col(&r, "password_hash")?,
                col(&r, "role")?,
                col(&r, "municipality")?,
                col(&r, "failed_logins")?,
                col(&r, "locked_until")?,
            )?;
            Ok(Some((session, user)))
        }

        async fn extend_session(
            &self,
            token_hash: &str,
            expires_at: jiff::Timestamp,
        ) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(EXTEND_SESSION))
                .bind(expires_at.to_string())
                .bind(token_hash)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(())
        }

        async fn delete_session(&self, token_hash: &str) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(DELETE_SESSION)).bind(token_hash).execute(&self.pool).await.map_err(db)?;
            Ok(())
        }

        async fn purge_sessions(&self, now: jiff::Timestamp) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(PURGE_SESSIONS))
                .bind($crate::session_purge_cutoff(now))
                .execute(&self.pool)
                .await
                .map_err(db)?;
            sqlx::query($q!(PURGE_SOURCE_FAILURES)).bind(now.to_string()).execute(&self.pool).await.map_err(db)?;
            Ok(())
        }
    };
}

/// Binds what a case's row projects of it (home municipality to name key), in the order both the insert
/// of new cases and [`UPDATE_CASE`] list those columns.
#[macro_export]
macro_rules! bind_projection {
    ($q:expr, $row:expr) => {
        $q.bind($row.home_municipality)
            .bind($row.deciding_municipality)
            .bind($row.phase)
            .bind($row.state)
            .bind($row.version)
            .bind(&$row.snapshot)
            .bind($row.assigned_to.as_deref())
            .bind($row.next_deadline.as_deref())
            .bind(&$row.name_key)
    };
}

/// The store's helper functions whose code is the same for both databases, for an adapter's top level
/// (`common_functions!(Connection, sql)`): writing linked events and a case's projection, folding stale
/// projections again, reading every case. The adapter brings `db` and `col` as for [`common_methods!`](crate::common_methods).
#[macro_export]
macro_rules! common_functions {
    ($conn:ty, $q:ident) => {
        /// One page of a worklist query: `None` when `at` is given and the page was read at another head
        /// of the history (its statements select by what was true at `at`).
        async fn worklist_page(
            conn: &mut $conn,
            cache: &$crate::cache::ReadCache,
            q: &$crate::WorklistQuery,
            sql: $crate::worklist::Statements,
            at: Option<i64>,
        ) -> Result<Option<$crate::WorklistPage>, $crate::StoreError> {
            let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(in_dialect(&sql.page))), &sql.page_values)
                .fetch_all(&mut *conn)
                .await
                .map_err(db)?;
            let head: Option<i64> = match rows.first() {
                Some(r) => Some(col(r, "head")?),
                // An empty page has no head to date it by: one is read for a page that must be dated.
                None if at.is_some() => Some(history_head(conn).await?),
                None => None,
            };
            if at.is_some() && head != at {
                return Ok(None);
            }
            let mut page = Vec::with_capacity(rows.len());
            for r in &rows {
                let (id, version): (i64, i64) = (col(r, "id")?, col(r, "version")?);
                page.push((id, version, cache.kept(id, version)));
            }
            let missing: Vec<$crate::worklist::Value> = page
                .iter()
                .filter(|(_, _, c)| c.is_none())
                .map(|(id, _, _)| $crate::worklist::Value::Int(*id))
                .collect();
            let mut read = std::collections::HashMap::new();
            if !missing.is_empty() {
                let text = in_dialect(&$crate::worklist::snapshots(missing.len()));
                for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(text)), &missing)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db)?
                {
                    let id: i64 = col(&r, "id")?;
                    read.insert(id, cache.decode(id, col(&r, "version")?, col(&r, "snapshot")?)?);
                }
            }
            // A case changed between the two statements is shown as it is now.
            let cases: Vec<_> =
                page.into_iter().filter_map(|(id, _, kept)| kept.or_else(|| read.remove(&id))).collect();
            // The counts are read again only when the history has moved since they were read.
            // An empty page has no head to date them by: they are read then.
            let kept = head.and_then(|head| cache.counts(&sql.counts, &sql.scope_values, head));
            let by_phase = match kept {
                Some(by_phase) => by_phase,
                None => {
                    let by_phase: Vec<(String, u64)> =
                        bind_all(sqlx::query(sqlx::AssertSqlSafe(in_dialect(&sql.counts))), &sql.scope_values)
                            .fetch_all(&mut *conn)
                            .await
                            .map_err(db)?
                            .iter()
                            .map(|r| Ok((col(r, "phase")?, u64::try_from(col::<i64>(r, "matching")?).unwrap_or(0))))
                            .collect::<Result<_, $crate::StoreError>>()?;
                    if let Some(head) = head {
                        cache.keep_counts(sql.counts, sql.scope_values, head, by_phase.clone());
                    }
                    by_phase
                }
            };
            Ok(Some($crate::WorklistPage { matching: $crate::worklist::matching(&by_phase, q), by_phase, cases }))
        }

        /// An access-log entry from a row of [`ACCESS_LOG`](crate::sql::ACCESS_LOG) or
        /// [`CASE_ACCESS_LOG`](crate::sql::CASE_ACCESS_LOG).
        fn access_entry(
            r: &<<$conn as sqlx::Connection>::Database as sqlx::Database>::Row,
        ) -> Result<$crate::AccessEntry, $crate::StoreError> {
            $crate::rows::access_entry(
                col(r, "at")?,
                col(r, "actor_user")?,
                col(r, "actor_role")?,
                col(r, "actor_municipality")?,
                col(r, "case_id")?,
                col(r, "what")?,
                col(r, "purpose")?,
                col(r, "allowed")?,
            )
        }

        /// The history's head now (`MAX(seq)` of `events`, 0 for none).
        async fn history_head(conn: &mut $conn) -> Result<i64, $crate::StoreError> {
            sqlx::query_scalar($q!(HEAD)).fetch_one(&mut *conn).await.map_err(db)
        }

        /// Reads every case's search key with the history's head, and keeps them.
        async fn search_keys(
            conn: &mut $conn,
            cache: &$crate::cache::ReadCache,
        ) -> Result<std::sync::Arc<$crate::cache::Names>, $crate::StoreError> {
            let rows = sqlx::query($q!(NAMES)).fetch_all(&mut *conn).await.map_err(db)?;
            let mut head = 0;
            let mut keys = Vec::with_capacity(rows.len());
            for r in &rows {
                head = col(r, "head")?;
                if let Some(id) = col::<Option<i64>>(r, "id")? {
                    keys.push((id, col::<String>(r, "name_key")?.into_boxed_str()));
                }
            }
            let names = std::sync::Arc::new($crate::cache::Names::new(head, keys));
            cache.keep_names(std::sync::Arc::clone(&names));
            Ok(names)
        }

        /// Stores a document's content under its hash when `event` adds one (inside the event's
        /// transaction; the same content twice is one row).
        async fn insert_document(
            conn: &mut $conn,
            event: &gennemgang_case::case::Event,
            content: Option<&[u8]>,
        ) -> Result<(), $crate::StoreError> {
            if let (Some(bytes), gennemgang_case::action::Action::AddDocument { document, .. }) =
                (content, &event.action)
            {
                sqlx::query($q!(INSERT_DOCUMENT))
                    .bind(&document.sha256)
                    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
                    .bind(bytes)
                    .bind(event.recorded_at.to_string())
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            }
            Ok(())
        }

        /// Writes linked events, a hundred rows per statement (an import writes thousands).
        async fn insert_events(conn: &mut $conn, linked: &[$crate::chain::Linked]) -> Result<(), $crate::StoreError> {
            for chunk in linked.chunks($crate::sql::ROWS_PER_STATEMENT) {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(in_dialect(&$crate::sql::insert_event_rows(chunk.len()))));
                for l in chunk {
                    q = q
                        .bind(l.case_id)
                        .bind(i64::from(l.version))
                        .bind(&l.recorded_at)
                        .bind(&l.user)
                        .bind(l.role)
                        .bind(l.municipality.map(i64::from))
                        .bind(l.kind)
                        .bind(&l.payload)
                        .bind(&l.prev_hash)
                        .bind(&l.hash);
                }
                q.execute(&mut *conn).await.map_err(db)?;
            }
            Ok(())
        }

        /// Writes new cases' projections, a hundred rows per statement.
        async fn insert_cases(
            conn: &mut $conn,
            cases: &[&gennemgang_case::case::Case],
        ) -> Result<(), $crate::StoreError> {
            for chunk in cases.chunks($crate::sql::ROWS_PER_STATEMENT) {
                let rows = chunk.iter().map(|c| $crate::rows::encode(c)).collect::<Result<Vec<_>, _>>()?;
                let mut q = sqlx::query(sqlx::AssertSqlSafe(in_dialect(&$crate::sql::insert_case_rows(rows.len()))));
                for row in &rows {
                    q = $crate::bind_projection!(q.bind(row.id).bind(&row.cpr), row);
                }
                q.execute(&mut *conn).await.map_err(db)?;
            }
            Ok(())
        }

        async fn upsert_case(
            conn: &mut $conn,
            case: &gennemgang_case::case::Case,
            previous: Option<u32>,
        ) -> Result<(), $crate::StoreError> {
            let Some(previous) = previous else { return insert_cases(conn, &[case]).await };
            let row = $crate::rows::encode(case)?;
            let done = $crate::bind_projection!(sqlx::query($q!(UPDATE_CASE)), row)
                .bind(row.id)
                .bind(i64::from(previous))
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            if done.rows_affected() == 1 {
                Ok(())
            } else {
                Err(StoreError::Conflict { case: case.id, expected: previous, found: case.version })
            }
        }

        /// Folds again from their events the projections an older release wrote (every one when `all`): the
        /// history is the truth, and a projection in an older shape would not read.
        async fn refold_stale(conn: &mut $conn, all: bool) -> Result<(), $crate::StoreError> {
            let rows = sqlx::query($q!(ALL_SNAPSHOTS)).fetch_all(&mut *conn).await.map_err(db)?;
            let mut stale: Vec<i64> = Vec::new();
            for r in &rows {
                if all || $crate::rows::stale_snapshot(col(r, "snapshot")?) {
                    stale.push(col(r, "id")?);
                }
            }
            for id in stale {
                let payloads: Vec<(i64, String)> = sqlx::query($q!(CASE_EVENTS))
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db)?
                    .iter()
                    .map(|r| Ok((col(r, "seq")?, col(r, "payload")?)))
                    .collect::<Result<_, $crate::StoreError>>()?;
                let row = $crate::rows::refold(id, &payloads)?;
                sqlx::query($q!(REFOLD_CASE))
                    .bind(row.home_municipality)
                    .bind(row.deciding_municipality)
                    .bind(row.phase)
                    .bind(row.state)
                    .bind(&row.snapshot)
                    .bind(row.assigned_to.as_deref())
                    .bind(row.next_deadline.as_deref())
                    .bind(&row.name_key)
                    .bind(id)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            }
            Ok(())
        }

        /// Erases case `id` (at the version `erasure.events`) inside the caller's write transaction, with the
        /// chain's head `previous` (see [`erasure`](crate::erasure)); returns the erasure as linked.
        async fn erase_in(
            conn: &mut $conn,
            id: i64,
            erasure: &$crate::erasure::Erasure,
            previous: &str,
        ) -> Result<$crate::chain::Linked, $crate::StoreError> {
            let row = sqlx::query($q!(CASE_VERSION_AND_SNAPSHOT))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?
                .ok_or(StoreError::NotFound(id))?;
            let found = $crate::rows::version(col(&row, "version")?)?;
            if found != erasure.events {
                return Err(StoreError::Conflict { case: id, expected: erasure.events, found });
            }
            let case = $crate::rows::decode(id, col(&row, "snapshot")?)?;
            let linked = erasure.link(previous, id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            insert_events(conn, std::slice::from_ref(&linked)).await?;
            let seq: i64 = sqlx::query_scalar($q!(EVENT_SEQ))
                .bind(id)
                .bind(i64::from(linked.version))
                .fetch_one(&mut *conn)
                .await
                .map_err(db)?;
            let erased = sqlx::query($q!(ERASE_EVENTS))
                .bind($crate::erasure::tombstone(seq))
                .bind(id)
                .bind(seq)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            if erased.rows_affected() != u64::from(erasure.events) {
                return Err(StoreError::Corrupt(format!(
                    "case {id}: {} events to erase, {} found",
                    erasure.events,
                    erased.rows_affected()
                )));
            }
            sqlx::query($q!(DELETE_CASE)).bind(id).execute(&mut *conn).await.map_err(db)?;
            for document in &case.documents {
                let sha256 = &document.document.sha256;
                sqlx::query($q!(DELETE_UNHELD_DOCUMENT))
                    .bind(sha256)
                    .bind(format!("%{sha256}%"))
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
            }
            Ok(linked)
        }

        /// Walks the whole history on `conn`, which the caller holds in one read snapshot.
        async fn walk_chain(
            conn: &mut $conn,
            earlier: Option<&$crate::Head>,
        ) -> Result<$crate::ChainReport, $crate::StoreError> {
            let mut walk = $crate::chain::Walk::new(earlier);
            loop {
                let rows = sqlx::query($q!(CHAIN_BATCH)).bind(walk.after()).fetch_all(&mut *conn).await.map_err(db)?;
                let batch = rows
                    .iter()
                    .map(|r| {
                        Ok($crate::chain::StoredEvent {
                            seq: col(r, "seq")?,
                            case_id: col(r, "case_id")?,
                            version: $crate::rows::version(col(r, "version")?)?,
                            payload: col(r, "payload")?,
                            prev_hash: col(r, "prev_hash")?,
                            hash: col(r, "hash")?,
                            columns: $crate::chain::EventColumns {
                                recorded_at: col(r, "recorded_at")?,
                                user: col(r, "actor_user")?,
                                role: col(r, "actor_role")?,
                                municipality: col(r, "actor_municipality")?,
                                kind: col(r, "kind")?,
                            },
                        })
                    })
                    .collect::<Result<Vec<_>, $crate::StoreError>>()?;
                if let Some(report) = walk.feed(&batch) {
                    return Ok(report);
                }
            }
        }

        async fn highest_case_id(conn: &mut $conn) -> Result<i64, $crate::StoreError> {
            sqlx::query_scalar($q!(HIGHEST_CASE_ID)).fetch_one(&mut *conn).await.map_err(db)
        }

        /// When cases were last erased, if ever.
        async fn last_erasure(conn: &mut $conn) -> Result<Option<jiff::Timestamp>, $crate::StoreError> {
            let row = sqlx::query($q!(LAST_ERASURE)).fetch_one(&mut *conn).await.map_err(db)?;
            let at: Option<String> = col(&row, "at")?;
            at.map(|t| t.parse().map_err(|_| $crate::StoreError::Corrupt(format!("erasure recorded at {t:?}"))))
                .transpose()
        }

        async fn all_cases(conn: &mut $conn) -> Result<Vec<gennemgang_case::case::Case>, $crate::StoreError> {
            let rows = sqlx::query($q!(ALL_SNAPSHOTS)).fetch_all(&mut *conn).await.map_err(db)?;
            rows.iter().map(|r| $crate::rows::decode(col(r, "id")?, col(r, "snapshot")?)).collect()
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cast_column_is_cast_in_every_row() {
        assert_eq!(
            super::insert_rows("t", "a, b::date", 2),
            "INSERT INTO t (a, b) VALUES ($1, $2::date), ($3, $4::date)"
        );
        assert_eq!(
            crate::shared::sqlite(&super::insert_rows("t", "a, b::date", 2)),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
