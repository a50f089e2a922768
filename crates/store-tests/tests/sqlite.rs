//! The conformance suite on SQLite, and SQLite's own append-only and tamper checks.

use gennemgang_store::Store;
use gennemgang_store_sqlite::SqliteStore;
use gennemgang_store_tests::conformance;

async fn open_at(path: &std::path::Path) -> SqliteStore {
    let store = SqliteStore::open(&format!("sqlite://{}", path.display())).await.expect("open");
    store.migrate().await.expect("migrate");
    store
}

async fn open() -> SqliteStore {
    let dir = tempfile::tempdir().expect("tmp").keep();
    open_at(&dir.join("cases.db")).await
}

gennemgang_store_tests::conformance_tests!(open());

#[tokio::test]
async fn history_is_append_only_and_tampering_is_found() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    let store = open_at(&path).await;
    conformance::seeded(&store).await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
    for sql in ["UPDATE events SET payload = 'x'", "DELETE FROM events", "DELETE FROM access_log"] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err("refused");
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // Someone with the file drops the trigger and edits an event: audit verify names it.
    sqlx::query("DROP TRIGGER events_no_update").execute(&pool).await.expect("drop");
    sqlx::query("UPDATE events SET payload = replace(payload, '\"A1\"', '\"A2\"') WHERE case_id = 2")
        .execute(&pool)
        .await
        .expect("tamper");
    conformance::tampering_is_found(&store).await;
}
