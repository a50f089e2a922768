//! The conformance suite on SQLite, and SQLite's own append-only and tamper checks.

use gennemgang_store::{ChainReport, Store};
use gennemgang_store_sqlite::SqliteStore;
use gennemgang_store_tests::conformance::row;

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
    store.import(&[row(1, 159), row(2, 159)], jiff::Timestamp::UNIX_EPOCH).await.expect("import");
    store
        .log_access(&gennemgang_store::AccessEntry {
            at: jiff::Timestamp::UNIX_EPOCH,
            user: "sb".into(),
            role: gennemgang_case::actor::Role::HomeCaseworker,
            municipality: Some(159),
            case_id: Some(1),
            what: "case".into(),
            purpose: None,
            allowed: true,
        })
        .await
        .expect("log");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
    for sql in ["UPDATE events SET payload = 'x'", "DELETE FROM events", "DELETE FROM access_log"] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err("refused");
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // Someone with the file drops the trigger and edits an event: audit verify names it.
    sqlx::query("DROP TRIGGER events_no_update").execute(&pool).await.expect("drop");
    sqlx::query("UPDATE events SET payload = replace(payload, '\"A1\"', '\"A2\"') WHERE seq = 2")
        .execute(&pool)
        .await
        .expect("tamper");
    match store.verify_chain().await.expect("verify") {
        ChainReport::Broken(b) => assert_eq!((b.seq, b.case_id), (2, 2)),
        ChainReport::Intact(n) => panic!("tampering not found ({n} events)"),
    }
}
