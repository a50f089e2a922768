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
        "UPDATE {s}.events SET payload = '{}'",
        "UPDATE {s}.events SET kind = 'erased', payload = '{\"erased\":99}' WHERE seq = (SELECT MIN(seq) FROM {s}.events)",
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
        "UPDATE {schema}.events SET payload = replace(payload::text, '\"A1\"', '\"A2\"')::json WHERE case_id = 2"
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

/// The columns PostgreSQL holds in its own types (migration 9), as its catalogue names them.
const NATIVE: &[(&str, &str, &str)] = &[
    ("cases", "snapshot", "jsonb"),
    ("cases", "next_deadline", "date"),
    ("events", "recorded_at", "timestamp with time zone"),
    ("events", "payload", "json"),
    ("users", "locked_until", "timestamp with time zone"),
    ("sessions", "expires_at", "timestamp with time zone"),
    ("runs", "recorded_at", "timestamp with time zone"),
    ("documents", "stored_at", "timestamp with time zone"),
    ("schema_migrations", "applied_at", "timestamp with time zone"),
    ("letter_batches", "sent_on", "date"),
    ("letter_batches", "targets", "jsonb"),
    ("letter_batches", "failed", "jsonb"),
    ("cases", "id", "bigint"),
    ("events", "seq", "bigint"),
];

async fn column_types(pool: &sqlx::PgPool, schema: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = $1 ORDER BY table_name, column_name",
    )
    .bind(schema)
    .fetch_all(pool)
    .await
    .expect("catalogue")
}

fn assert_native(types: &[(String, String, String)]) {
    for (table, column, kind) in NATIVE {
        let found = types.iter().find(|(t, c, _)| t == table && c == column).map(|(_, _, k)| k.as_str());
        assert_eq!(found, Some(*kind), "{table}.{column}");
    }
}

#[tokio::test]
async fn instants_days_and_documents_are_stored_in_postgresqls_own_types() {
    let schema = postgres::schema();
    let store = open_in(&schema).await;
    conformance::seeded(&store).await;
    let pool = sqlx::PgPool::connect(postgres::url()).await.expect("raw");
    assert_native(&column_types(&pool, &schema).await);
    // Native values order and compare as what they are: the seeded history's instants by time.
    let ordered: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT bool_and(recorded_at <= now()) AND bool_and(jsonb_typeof(snapshot) = 'object') FROM {schema}.events \
         JOIN {schema}.cases ON cases.id = events.case_id"
    )))
    .fetch_one(&pool)
    .await
    .expect("query");
    assert!(ordered);
}

/// A PostgreSQL database of schema 8, whose instants and documents were text, written with the first
/// release's history (`tests/fixtures/first-release.db`, its nanosecond instants as that release wrote
/// them), is migrated to PostgreSQL's own types: its chain still verifies (the payloads kept to the byte),
/// every case is the fold of its events, and every row's columns say what the events say.
#[tokio::test]
async fn a_schema_8_database_with_text_columns_moves_to_native_types_and_still_verifies() {
    use gennemgang_store::backup::{Cell, TABLES};
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/first-release.db");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    std::fs::copy(&fixture, &path).expect("copy fixture");
    let source =
        gennemgang_store_sqlite::SqliteStore::open(&format!("sqlite://{}", path.display())).await.expect("open");
    source.migrate().await.expect("migrate the fixture");

    // Schema 8 as the last release made it, by its own migration files.
    let schema = postgres::schema();
    let pool = sqlx::PgPool::connect(postgres::url()).await.expect("raw");
    let mut tx = pool.begin().await.expect("begin");
    for sql in [format!("CREATE SCHEMA {schema}"), format!("SET LOCAL search_path = {schema}")] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.expect("schema");
    }
    sqlx::raw_sql(gennemgang_store::schema::TABLE).execute(&mut *tx).await.expect("migrations table");
    for m in gennemgang_store_postgres::MIGRATIONS.iter().filter(|m| m.version <= 8) {
        sqlx::raw_sql(m.sql).execute(&mut *tx).await.unwrap_or_else(|e| panic!("migration {}: {e}", m.version));
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(i64::from(m.version))
            .bind(m.name)
            .bind("2026-12-01T08:00:00.123456789Z")
            .execute(&mut *tx)
            .await
            .expect("record");
    }
    // Every row as text, the way schema 8 held it.
    let mut events = 0;
    for table in TABLES {
        let rows = source.rows(table, None, 100_000).await.expect("read the fixture");
        let marks: Vec<String> = (1..=table.columns.len()).map(|i| format!("${i}")).collect();
        let insert = format!("INSERT INTO {} ({}) VALUES ({})", table.name, table.column_list(), marks.join(", "));
        for row in &rows {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.as_str()));
            for (cell, (_, kind)) in row.iter().zip(table.columns) {
                q = match (cell, kind) {
                    (Cell::Int(i), gennemgang_store::backup::Kind::Bool) => q.bind(*i != 0),
                    (Cell::Int(i), _) => q.bind(*i),
                    (Cell::Text(t), _) => q.bind(t.clone()),
                    (Cell::Bytes(b), _) => q.bind(b.clone()),
                    (Cell::Null, gennemgang_store::backup::Kind::Int) => q.bind(None::<i64>),
                    (Cell::Null, gennemgang_store::backup::Kind::Bool) => q.bind(None::<bool>),
                    (Cell::Null, gennemgang_store::backup::Kind::Bytes) => q.bind(None::<Vec<u8>>),
                    (Cell::Null, _) => q.bind(None::<String>),
                };
            }
            q.execute(&mut *tx).await.unwrap_or_else(|e| panic!("{}: {e}", table.name));
        }
        if table.name == "events" {
            events = rows.len();
        }
    }
    sqlx::query("UPDATE chain_head SET hash = (SELECT hash FROM events ORDER BY seq DESC LIMIT 1)")
        .execute(&mut *tx)
        .await
        .expect("head");
    tx.commit().await.expect("commit");
    let text: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT recorded_at FROM {schema}.events ORDER BY seq DESC LIMIT 1"
    )))
    .fetch_one(&pool)
    .await
    .expect("a text instant");
    assert!(text.ends_with('Z'), "schema 8 held text: {text}");

    let store = open_in(&schema).await;
    assert_native(&column_types(&pool, &schema).await);
    let status = store.schema_status().await.expect("status");
    assert_eq!(
        status.database,
        gennemgang_store_postgres::MIGRATIONS.last().expect("migrations").version,
        "migrated to the last"
    );
    let intact = match store.verify_chain(None).await.expect("verify") {
        gennemgang_store::ChainReport::Intact(head) => head,
        gennemgang_store::ChainReport::Broken(b) => panic!("broken after the migration: {b}"),
    };
    assert_eq!(intact.events, u64::try_from(events).expect("count"));
    let columns = store.stored_columns().await.expect("columns");
    let cases = store.cases().await.expect("cases");
    assert_eq!(cases, source.cases().await.expect("the fixture's cases"));
    for case in &cases {
        let folded =
            gennemgang_case::case::Case::from_events(&store.events(case.id).await.expect("events")).expect("fold");
        assert_eq!(&folded, case);
        let row = gennemgang_store::rows::encode(case).expect("encode");
        let stored = columns.iter().find(|c| c.id == case.id).expect("a row");
        assert_eq!(stored.differs_from(&row), None, "case {}", case.id);
    }
    // The runs' documents to the byte, their instants to the microsecond timestamptz keeps.
    let (runs, before) = (store.runs().await.expect("runs"), source.runs().await.expect("the fixture's runs"));
    assert_eq!(runs.len(), before.len());
    for (run, was) in runs.iter().zip(&before) {
        assert_eq!((run.kind, &run.sha256, &run.body), (was.kind, &was.sha256, &was.body));
        assert!(run.recorded_at.duration_since(was.recorded_at).abs() <= jiff::SignedDuration::from_nanos(500));
    }
}
