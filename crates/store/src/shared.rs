//! What several servers on one database share instead of each keeping it in its memory, so that a load
//! balancer needs no sticky sessions: the sign-in attempts per key and minute (the throttle in front of the
//! lockout), the single sign-on sign-ins under way (state, nonce and PKCE verifier between the redirect and
//! the provider's answer), and letter batches as durable jobs (claimed by one server at a time, resumed by
//! another when their worker stops beating).
//!
//! The SQL is written once, with PostgreSQL's numbered placeholders (`$1`); [`sqlite`] gives SQLite's
//! (`?1`). Times are whole Unix seconds (`INTEGER`/`BIGINT`), which order the same in both databases and
//! are what the throttle and the heartbeats compute with; a batch's day is a `date` and its lists JSONB on
//! PostgreSQL.

/// A statement's SQL for SQLite: `$n` → `?n` (this module's SQL holds no `$` but its placeholders), and a
/// cast after a placeholder (`$3::timestamptz`, the one PostgreSQL needs to store text in a native column)
/// dropped: SQLite stores that text as it is. When the placeholders are `$1, $2, …, $n` in order, each
/// once, they become SQLite's plain `?` instead, which binds in the same order: a numbered placeholder is
/// bound by looking its name up in a list, so a statement of a thousand of them (rows written a hundred at
/// a time) cost a million steps to bind.
#[must_use]
pub fn sqlite(sql: &str) -> String {
    let numbers: Vec<&str> = sql
        .split('$')
        .skip(1)
        .map(|after| after.find(|c: char| !c.is_ascii_digit()).map_or(after, |end| &after[..end]))
        .collect();
    let in_order = numbers.iter().enumerate().all(|(i, n)| n.parse::<usize>().is_ok_and(|n| n == i + 1));
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        out.push('?');
        let after = &rest[at + 1..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        if !in_order {
            out.push_str(&after[..digits]);
        }
        rest = &after[digits..];
        if let Some(cast) = rest.strip_prefix("::") {
            rest = cast.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
        }
    }
    out.push_str(rest);
    out
}

/// Counts one attempt for `$1` in minute `$2`; returns the count in that minute.
pub const THROTTLE: &str = "INSERT INTO sign_in_attempts (subject, minute, tries) VALUES ($1, $2, 1) \
     ON CONFLICT (subject) DO UPDATE SET \
     tries = CASE WHEN sign_in_attempts.minute = excluded.minute THEN sign_in_attempts.tries + 1 ELSE 1 END, \
     minute = excluded.minute RETURNING tries";
/// Forgets the attempts of minutes before `$1`.
pub const PURGE_THROTTLE: &str = "DELETE FROM sign_in_attempts WHERE minute < $1";

/// Forgets the sign-ins under way that started before `$1`.
pub const EXPIRE_SIGN_INS: &str = "DELETE FROM sso_pending WHERE started_at < $1";
/// How many sign-ins are under way.
pub const COUNT_SIGN_INS: &str = "SELECT COUNT(*) FROM sso_pending";
/// Forgets the `$1` oldest sign-ins under way.
pub const DROP_OLDEST_SIGN_INS: &str =
    "DELETE FROM sso_pending WHERE state IN (SELECT state FROM sso_pending ORDER BY started_at LIMIT $1)";
/// Records a sign-in under way.
pub const PUT_SIGN_IN: &str =
    "INSERT INTO sso_pending (state, provider, nonce, verifier, started_at) VALUES ($1, $2, $3, $4, $5)";
/// Takes a sign-in under way (each state is used once).
pub const TAKE_SIGN_IN: &str =
    "DELETE FROM sso_pending WHERE state = $1 RETURNING state, provider, nonce, verifier, started_at";

/// Records a new batch, claimed by its starter; returns its id.
pub const START_BATCH: &str = "INSERT INTO letter_batches \
     (owner, kind, channel, sent_on, targets, next_index, sent, failed, started_at, worker, heartbeat_at) \
     VALUES ($1, $2, $3, $4::date, $5::jsonb, 0, 0, '[]', $6, $7, $6) RETURNING id";
/// One batch.
pub const BATCH: &str = "SELECT id, owner, kind, channel, sent_on, targets, next_index, sent, failed, started_at, \
     finished_at, worker, heartbeat_at FROM letter_batches WHERE id = $1";
/// Claims an unfinished batch for worker `$1` at `$2`: its own, nobody's, or one whose worker last beat
/// before `$4`.
pub const CLAIM_BATCH: &str = "UPDATE letter_batches SET worker = $1, heartbeat_at = $2 WHERE id = $3 \
     AND finished_at IS NULL AND (worker IS NULL OR worker = $1 OR heartbeat_at < $4)";
/// The unfinished batches whose worker last beat before `$1`.
pub const STALE_BATCHES: &str =
    "SELECT id FROM letter_batches WHERE finished_at IS NULL AND heartbeat_at < $1 ORDER BY id";
/// Records a batch's progress, if worker `$7` still holds it.
pub const BATCH_PROGRESS: &str = "UPDATE letter_batches SET next_index = $1, sent = $2, failed = $3::jsonb, \
     heartbeat_at = $4, finished_at = $5 WHERE id = $6 AND worker = $7";
/// Forgets the batches finished before `$1`.
pub const PURGE_BATCHES: &str = "DELETE FROM letter_batches WHERE finished_at < $1";
/// How many batches are unfinished.
pub const RUNNING_BATCHES: &str = "SELECT COUNT(*) FROM letter_batches WHERE finished_at IS NULL";

/// A single sign-on sign-in under way.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// The state value the provider sends back.
    pub state: String,
    /// The provider it was started with.
    pub provider: String,
    /// The ID token's nonce.
    pub nonce: String,
    /// The PKCE verifier.
    pub verifier: String,
    /// When it started (Unix seconds).
    pub started_at: i64,
}

impl std::fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The nonce and verifier are secrets of the sign-in: never in a log.
        f.debug_struct("PendingSignIn").field("provider", &self.provider).field("started_at", &self.started_at).finish()
    }
}

/// A letter batch to start: one kind of letter to each target case, at the version it was chosen at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBatch {
    /// Who started it (its letters are sent as this user; only they see it).
    pub owner: String,
    /// The kind of letter (its name).
    pub kind: String,
    /// `digital` or `physical`.
    pub channel: String,
    /// The letters' date (ISO).
    pub sent_on: String,
    /// The cases and the versions they were chosen at.
    pub targets: Vec<(i64, u32)>,
    /// When it started (Unix seconds).
    pub started_at: i64,
    /// The server that starts it (its worker).
    pub worker: String,
}

/// A letter batch as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Its id (never reused).
    pub id: i64,
    /// Who started it.
    pub owner: String,
    /// The kind of letter (its name).
    pub kind: String,
    /// `digital` or `physical`.
    pub channel: String,
    /// The letters' date (ISO).
    pub sent_on: String,
    /// The cases and the versions they were chosen at.
    pub targets: Vec<(i64, u32)>,
    /// How many targets are done (the next to send is `targets[next]`).
    pub next: usize,
    /// How many were sent.
    pub sent: usize,
    /// The cases refused or failed, and why (in Danish).
    pub failed: Vec<(i64, String)>,
    /// When it started (Unix seconds).
    pub started_at: i64,
    /// When it finished.
    pub finished_at: Option<i64>,
    /// The server working on it.
    pub worker: Option<String>,
    /// When its worker last recorded progress.
    pub heartbeat_at: Option<i64>,
}

/// A batch's progress, as its worker records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchProgress {
    /// How many targets are done.
    pub next: usize,
    /// How many were sent.
    pub sent: usize,
    /// The cases refused or failed, and why.
    pub failed: Vec<(i64, String)>,
    /// Set when the last target is done.
    pub finished_at: Option<i64>,
}

/// The stored form of a batch's lists: JSON arrays of pairs.
///
/// # Errors
/// Never for these types; kept typed for the adapters' error paths.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, crate::StoreError> {
    serde_json::to_string(value).map_err(|e| crate::StoreError::Corrupt(format!("letter batch: {e}")))
}

/// A batch's list read back; `what` names the column in the error.
///
/// # Errors
/// The column does not hold the list (a bad row is an error, never a panic).
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, crate::StoreError> {
    serde_json::from_str(text).map_err(|e| crate::StoreError::Corrupt(format!("letter_batches.{what}: {e}")))
}

/// A count read back as a size.
///
/// # Errors
/// A negative count (a bad row).
pub fn size(n: i64, what: &str) -> Result<usize, crate::StoreError> {
    usize::try_from(n).map_err(|_| crate::StoreError::Corrupt(format!("{what}: {n}")))
}

/// The [`crate::Store`] methods of this module, for an adapter's `impl Store` (`shared_methods!(q)` among
/// its items): the adapter brings `self.pool`, its `db` error mapping, and a macro `q!(NAME)` giving this
/// module's statement `NAME` in its placeholders. So the sharing is written once, for both databases.
#[macro_export]
macro_rules! shared_methods {
    ($q:ident) => {
        async fn throttle(&self, subject: &str, minute: i64) -> Result<u32, $crate::StoreError> {
            let tries: i64 =
                sqlx::query_scalar($q!(THROTTLE)).bind(subject).bind(minute).fetch_one(&self.pool).await.map_err(db)?;
            u32::try_from(tries).map_err(|_| $crate::StoreError::Corrupt(format!("sign_in_attempts.tries: {tries}")))
        }

        async fn purge_throttle(&self, minute: i64) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(PURGE_THROTTLE)).bind(minute).execute(&self.pool).await.map_err(db)?;
            Ok(())
        }

        async fn put_sign_in(
            &self,
            p: &$crate::shared::PendingSignIn,
            expired_before: i64,
            max: usize,
        ) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(EXPIRE_SIGN_INS)).bind(expired_before).execute(&self.pool).await.map_err(db)?;
            let under_way: i64 = sqlx::query_scalar($q!(COUNT_SIGN_INS)).fetch_one(&self.pool).await.map_err(db)?;
            let beyond = $crate::shared::size(under_way, "sso_pending")?.saturating_add(1).saturating_sub(max);
            if beyond > 0 {
                let beyond = i64::try_from(beyond).unwrap_or(i64::MAX);
                sqlx::query($q!(DROP_OLDEST_SIGN_INS)).bind(beyond).execute(&self.pool).await.map_err(db)?;
            }
            sqlx::query($q!(PUT_SIGN_IN))
                .bind(&p.state)
                .bind(&p.provider)
                .bind(&p.nonce)
                .bind(&p.verifier)
                .bind(p.started_at)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(())
        }

        async fn take_sign_in(&self, state: &str) -> Result<Option<$crate::shared::PendingSignIn>, $crate::StoreError> {
            let Some(r) = sqlx::query($q!(TAKE_SIGN_IN)).bind(state).fetch_optional(&self.pool).await.map_err(db)?
            else {
                return Ok(None);
            };
            Ok(Some($crate::shared::PendingSignIn {
                state: sqlx::Row::try_get(&r, "state").map_err(db)?,
                provider: sqlx::Row::try_get(&r, "provider").map_err(db)?,
                nonce: sqlx::Row::try_get(&r, "nonce").map_err(db)?,
                verifier: sqlx::Row::try_get(&r, "verifier").map_err(db)?,
                started_at: sqlx::Row::try_get(&r, "started_at").map_err(db)?,
            }))
        }

        async fn start_batch(&self, b: &$crate::shared::NewBatch) -> Result<i64, $crate::StoreError> {
            sqlx::query_scalar($q!(START_BATCH))
                .bind(&b.owner)
                .bind(&b.kind)
                .bind(&b.channel)
                .bind(&b.sent_on)
                .bind($crate::shared::to_json(&b.targets)?)
                .bind(b.started_at)
                .bind(&b.worker)
                .fetch_one(&self.pool)
                .await
                .map_err(db)
        }

        async fn batch(&self, id: i64) -> Result<Option<$crate::shared::Batch>, $crate::StoreError> {
            let Some(r) = sqlx::query($q!(BATCH)).bind(id).fetch_optional(&self.pool).await.map_err(db)? else {
                return Ok(None);
            };
            // By the adapter's `col`: on PostgreSQL the day is a date and the lists are JSONB.
            let text = |name: &str| -> Result<String, $crate::StoreError> { col(&r, name) };
            let number = |name: &str| -> Result<i64, $crate::StoreError> { sqlx::Row::try_get(&r, name).map_err(db) };
            let maybe =
                |name: &str| -> Result<Option<i64>, $crate::StoreError> { sqlx::Row::try_get(&r, name).map_err(db) };
            Ok(Some($crate::shared::Batch {
                id: number("id")?,
                owner: text("owner")?,
                kind: text("kind")?,
                channel: text("channel")?,
                sent_on: text("sent_on")?,
                targets: $crate::shared::from_json(&text("targets")?, "targets")?,
                next: $crate::shared::size(number("next_index")?, "letter_batches.next_index")?,
                sent: $crate::shared::size(number("sent")?, "letter_batches.sent")?,
                failed: $crate::shared::from_json(&text("failed")?, "failed")?,
                started_at: number("started_at")?,
                finished_at: maybe("finished_at")?,
                worker: sqlx::Row::try_get(&r, "worker").map_err(db)?,
                heartbeat_at: maybe("heartbeat_at")?,
            }))
        }

        async fn claim_batch(
            &self,
            id: i64,
            worker: &str,
            now: i64,
            stale_before: i64,
        ) -> Result<bool, $crate::StoreError> {
            let done = sqlx::query($q!(CLAIM_BATCH))
                .bind(worker)
                .bind(now)
                .bind(id)
                .bind(stale_before)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(done.rows_affected() == 1)
        }

        async fn stale_batches(&self, stale_before: i64) -> Result<Vec<i64>, $crate::StoreError> {
            sqlx::query_scalar($q!(STALE_BATCHES)).bind(stale_before).fetch_all(&self.pool).await.map_err(db)
        }

        async fn batch_progress(
            &self,
            id: i64,
            worker: &str,
            p: &$crate::shared::BatchProgress,
            now: i64,
        ) -> Result<bool, $crate::StoreError> {
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            let done = sqlx::query($q!(BATCH_PROGRESS))
                .bind(count(p.next))
                .bind(count(p.sent))
                .bind($crate::shared::to_json(&p.failed)?)
                .bind(now)
                .bind(p.finished_at)
                .bind(id)
                .bind(worker)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            Ok(done.rows_affected() == 1)
        }

        async fn purge_batches(&self, finished_before: i64) -> Result<(), $crate::StoreError> {
            sqlx::query($q!(PURGE_BATCHES)).bind(finished_before).execute(&self.pool).await.map_err(db)?;
            Ok(())
        }

        async fn running_batches(&self) -> Result<usize, $crate::StoreError> {
            let n: i64 = sqlx::query_scalar($q!(RUNNING_BATCHES)).fetch_one(&self.pool).await.map_err(db)?;
            $crate::shared::size(n, "letter_batches")
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_placeholders_are_numbered_the_same() {
        assert_eq!(super::sqlite("SELECT $1, $2, $1"), "SELECT ?1, ?2, ?1");
        assert_eq!(super::sqlite("SELECT $2, $1"), "SELECT ?2, ?1");
        assert_eq!(super::sqlite("VALUES ($1, $2), ($3, $4)"), "VALUES (?, ?), (?, ?)");
        assert_eq!(super::sqlite("SELECT 1"), "SELECT 1");
        assert_eq!(super::sqlite("VALUES ($1::timestamptz, $2::json)"), "VALUES (?, ?)");
        assert_eq!(super::sqlite("WHERE d < $2::date AND x = $1"), "WHERE d < ?2 AND x = ?1");
        let many = crate::sql::insert_event_rows(100);
        assert_eq!(super::sqlite(&many).matches('?').count(), 1000);
        assert!(!super::sqlite(&many).contains("?1"), "in order: bound as they come");
        for sql in [super::THROTTLE, super::START_BATCH, super::BATCH_PROGRESS, super::TAKE_SIGN_IN] {
            assert!(!super::sqlite(sql).contains('$'));
        }
    }
}
