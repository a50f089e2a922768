//! The conformance suite on a real PostgreSQL 15 (started by the suite itself), one schema per test, and
//! PostgreSQL's own append-only and tamper checks.

use gennemgang_store::Store;
use gennemgang_store_postgres::PostgresStore;
use gennemgang_store_tests::conformance;
use gennemgang_store_tests::postgres;

async fn open_in(schema: &str) -> PostgresStore {
    let store = PostgresStore::open(postgres::url(), Some(schema)).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
}

async fn open() -> PostgresStore {
    open_in(&postgres::schema()).await
}

gennemgang_store_tests::conformance_tests!(open());

#[tokio::test]
async fn worklist_follows_another_server() {
    let schema = postgres::schema();
    let (one, other) = (open_in(&schema).await, open_in(&schema).await);
    conformance::worklist_follows_another_server(&one, &other).await;
}

#[tokio::test]
async fn history_is_append_only_and_tampering_is_found() {
    let schema = postgres::schema();
    let store = open_in(&schema).await;
    conformance::seeded(&store).await;
    let pool = sqlx::PgPool::connect(postgres::url()).await.expect("raw");
    for sql in [
        "UPDATE {s}.events SET payload = 'x'",
        "DELETE FROM {s}.events",
        "TRUNCATE {s}.events CASCADE",
        "DELETE FROM {s}.access_log",
    ] {
        let sql = sql.replace("{s}", &schema);
        let err = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&pool).await.expect_err("refused");
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {schema}.events DISABLE TRIGGER events_append_only")))
        .execute(&pool)
        .await
        .expect("disable");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {schema}.events SET payload = replace(payload, '\"A1\"', '\"A2\"') WHERE case_id = 2"
    )))
    .execute(&pool)
    .await
    .expect("tamper");
    conformance::tampering_is_found(&store).await;
}

/// As on SQLite: stores starting at once on a fresh schema all succeed (an advisory lock serialises the
/// set-up; concurrent `CREATE TABLE IF NOT EXISTS` alone collides in PostgreSQL's catalogue).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stores_setting_up_a_fresh_schema_at_once_all_succeed() {
    for round in 0..4 {
        let schema = postgres::schema();
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let schema = schema.clone();
                tokio::spawn(async move { PostgresStore::open(postgres::url(), Some(&schema)).await?.migrate().await })
            })
            .collect();
        for start in starts {
            start.await.expect("task").unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        assert!(open_in(&schema).await.cases().await.expect("cases").is_empty());
    }
}
