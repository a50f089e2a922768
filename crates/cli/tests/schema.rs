//! Numbered migrations through the real binary: `db status` and `db migrate` on a database made by the
//! release of 3 December 2026 (before migrations were numbered; `fixtures/release-2026-12-03.db`, made by
//! that release's `import`, `user put` and `act` on synthetic data), on an empty PostgreSQL database, and a
//! database newer than the binary refused by every command that opens it.

mod common;

use common::{fixtures, run, stderr, stdout};

/// A copy of the release's database to change.
fn release_database(dir: &std::path::Path) -> String {
    let path = dir.join("release.db");
    std::fs::copy(fixtures().join("release-2026-12-03.db"), &path).expect("copy");
    format!("sqlite://{}", path.display())
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Raw SQL, as an operator holding the database would run it.
fn sql(url: &str, statement: &str) {
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        if url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
            sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&pool).await.expect(statement);
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(url).await.expect("postgres");
            sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&pool).await.expect(statement);
            pool.close().await;
        }
    });
}

#[test]
fn the_release_database_is_upgraded_and_its_history_and_cases_stay_what_they_were() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = release_database(dir.path());
    let history = ok(&["audit", "verify", "--database", &db]);
    assert!(history.starts_with("ok 15 events, head "), "{history}");
    assert_eq!(ok(&["db", "status", "--database", &db]), "schema 2\nbinary 3\npending 3 access_log_by_case\n");
    assert_eq!(ok(&["db", "migrate", "--database", &db]), "schema 3\napplied 3 access_log_by_case\n");
    assert_eq!(ok(&["db", "status", "--database", &db]), "schema 3\nbinary 3\npending none\n");
    // Nothing of the history changed, and the cases are what a second copy, migrated by the first command
    // that opens it, shows.
    assert_eq!(ok(&["audit", "verify", "--database", &db]), history);
    let other = tempfile::tempdir().expect("tmp");
    let copy = release_database(other.path());
    assert_eq!(ok(&["cases", "--database", &db]), ok(&["cases", "--database", &copy]));
    assert!(ok(&["cases", "--database", &db]).contains("1,101,review,reviewing,,4"));
    assert_eq!(ok(&["db", "status", "--database", &copy]), "schema 3\nbinary 3\npending none\n");
    // Again: nothing to do.
    assert_eq!(ok(&["db", "migrate", "--database", &db]), "schema 3\n");
}

#[test]
fn a_database_that_does_not_exist_is_not_created() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("none.db").display());
    for command in ["status", "migrate"] {
        let o = run(&["db", command, "--database", &db]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    }
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn an_empty_postgresql_database_is_migrated_from_the_start() {
    let db = gennemgang_store_tests::postgres::fresh_database();
    assert_eq!(
        ok(&["db", "status", "--database", &db]),
        "schema 0\nbinary 3\npending 1 initial\npending 2 worklist\npending 3 access_log_by_case\n"
    );
    assert_eq!(
        ok(&["db", "migrate", "--database", &db]),
        "schema 3\napplied 1 initial\napplied 2 worklist\napplied 3 access_log_by_case\n"
    );
    assert_eq!(ok(&["db", "status", "--database", &db]), "schema 3\nbinary 3\npending none\n");
}

#[test]
fn a_database_newer_than_the_binary_is_refused_by_every_command_that_opens_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let sqlite = release_database(dir.path());
    ok(&["db", "migrate", "--database", &sqlite]);
    let postgres = gennemgang_store_tests::postgres::fresh_database();
    ok(&["db", "migrate", "--database", &postgres]);
    for db in [&sqlite, &postgres] {
        sql(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (4, 'from_the_future', 'x')");
        let o = run(&["db", "status", "--database", db]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).starts_with("schema 4\nbinary 3\n"), "{}", stdout(&o));
        for args in [
            vec!["db", "migrate", "--database", db],
            vec!["cases", "--database", db],
            vec!["serve", "--database", db, "--listen", "127.0.0.1:0"],
        ] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains("schema 4, newer than this program knows (3)"), "{args:?}: {}", stderr(&o));
        }
    }
}
