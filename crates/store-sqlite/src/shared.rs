//! The adapter's side of [`gennemgang_store::shared`]: what several servers share, through the SQL written
//! once there.

use super::db;
use gennemgang_store::StoreError;
use gennemgang_store::shared::{self, Batch, BatchProgress, NewBatch, PendingSignIn, from_json, size, to_json};
use sqlx::Row;
use sqlx::SqlitePool;

pub(crate) async fn throttle(pool: &SqlitePool, subject: &str, minute: i64) -> Result<u32, StoreError> {
    let tries: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(shared::sqlite(shared::THROTTLE)))
        .bind(subject)
        .bind(minute)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    u32::try_from(tries).map_err(|_| StoreError::Corrupt(format!("sign_in_attempts.tries: {tries}")))
}

pub(crate) async fn purge_throttle(pool: &SqlitePool, minute: i64) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::PURGE_THROTTLE)))
        .bind(minute)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn put_sign_in(
    pool: &SqlitePool,
    p: &PendingSignIn,
    expired_before: i64,
    max: usize,
) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::EXPIRE_SIGN_INS)))
        .bind(expired_before)
        .execute(pool)
        .await
        .map_err(db)?;
    let under_way: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(shared::sqlite(shared::COUNT_SIGN_INS)))
        .fetch_one(pool)
        .await
        .map_err(db)?;
    let beyond = size(under_way, "sso_pending")?.saturating_add(1).saturating_sub(max);
    if beyond > 0 {
        let beyond = i64::try_from(beyond).unwrap_or(i64::MAX);
        sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::DROP_OLDEST_SIGN_INS)))
            .bind(beyond)
            .execute(pool)
            .await
            .map_err(db)?;
    }
    sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::PUT_SIGN_IN)))
        .bind(&p.state)
        .bind(&p.provider)
        .bind(&p.nonce)
        .bind(&p.verifier)
        .bind(p.started_at)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn take_sign_in(pool: &SqlitePool, state: &str) -> Result<Option<PendingSignIn>, StoreError> {
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::TAKE_SIGN_IN)))
        .bind(state)
        .fetch_optional(pool)
        .await
        .map_err(db)?
    else {
        return Ok(None);
    };
    Ok(Some(PendingSignIn {
        state: r.try_get("state").map_err(db)?,
        provider: r.try_get("provider").map_err(db)?,
        nonce: r.try_get("nonce").map_err(db)?,
        verifier: r.try_get("verifier").map_err(db)?,
        started_at: r.try_get("started_at").map_err(db)?,
    }))
}

pub(crate) async fn start_batch(pool: &SqlitePool, b: &NewBatch) -> Result<i64, StoreError> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(shared::sqlite(shared::START_BATCH)))
        .bind(&b.owner)
        .bind(&b.kind)
        .bind(&b.channel)
        .bind(&b.sent_on)
        .bind(to_json(&b.targets)?)
        .bind(b.started_at)
        .bind(&b.worker)
        .fetch_one(pool)
        .await
        .map_err(db)
}

pub(crate) async fn batch(pool: &SqlitePool, id: i64) -> Result<Option<Batch>, StoreError> {
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::BATCH)))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(db)?
    else {
        return Ok(None);
    };
    let text = |name: &str| -> Result<String, StoreError> { r.try_get(name).map_err(db) };
    let number = |name: &str| -> Result<i64, StoreError> { r.try_get(name).map_err(db) };
    let maybe = |name: &str| -> Result<Option<i64>, StoreError> { r.try_get(name).map_err(db) };
    Ok(Some(Batch {
        id: number("id")?,
        owner: text("owner")?,
        kind: text("kind")?,
        channel: text("channel")?,
        sent_on: text("sent_on")?,
        targets: from_json(&text("targets")?, "targets")?,
        next: size(number("next_index")?, "letter_batches.next_index")?,
        sent: size(number("sent")?, "letter_batches.sent")?,
        failed: from_json(&text("failed")?, "failed")?,
        started_at: number("started_at")?,
        finished_at: maybe("finished_at")?,
        worker: r.try_get("worker").map_err(db)?,
        heartbeat_at: maybe("heartbeat_at")?,
    }))
}

pub(crate) async fn claim_batch(
    pool: &SqlitePool,
    id: i64,
    worker: &str,
    now: i64,
    stale_before: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::CLAIM_BATCH)))
        .bind(worker)
        .bind(now)
        .bind(id)
        .bind(stale_before)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn stale_batches(pool: &SqlitePool, stale_before: i64) -> Result<Vec<i64>, StoreError> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(shared::sqlite(shared::STALE_BATCHES)))
        .bind(stale_before)
        .fetch_all(pool)
        .await
        .map_err(db)
}

pub(crate) async fn batch_progress(
    pool: &SqlitePool,
    id: i64,
    worker: &str,
    p: &BatchProgress,
    now: i64,
) -> Result<bool, StoreError> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let done = sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::BATCH_PROGRESS)))
        .bind(count(p.next))
        .bind(count(p.sent))
        .bind(to_json(&p.failed)?)
        .bind(now)
        .bind(p.finished_at)
        .bind(id)
        .bind(worker)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn purge_batches(pool: &SqlitePool, finished_before: i64) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(shared::sqlite(shared::PURGE_BATCHES)))
        .bind(finished_before)
        .execute(pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn running_batches(pool: &SqlitePool) -> Result<usize, StoreError> {
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(shared::sqlite(shared::RUNNING_BATCHES)))
        .fetch_one(pool)
        .await
        .map_err(db)?;
    size(n, "letter_batches")
}
