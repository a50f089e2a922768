//! Numbered migrations through the real binary: `db status` and `db migrate` on a database made by the
//! release of 3 December 2026 (before migrations were numbered; `fixtures/release-2026-12-03.db`, made by
//! that release's `import`, `user put` and `act` on synthetic data), on an empty PostgreSQL database, and a
//! database newer than the binary refused by every command that opens it; `backup` of either database
//! into one SQLite file whose history verifies to the same heads.

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
    assert_eq!(
        ok(&["db", "status", "--database", &db]),
        "schema 2\nbinary 10\npending 3 access_log_by_case\npending 4 shared_state\npending 5 search\npending 6 names\npending 7 documents\npending 8 index_only_worklist\npending 9 sign_in_failures\npending 10 erasure\n"
    );
    assert_eq!(
        ok(&["db", "migrate", "--database", &db]),
        "schema 10\napplied 3 access_log_by_case\napplied 4 shared_state\napplied 5 search\napplied 6 names\napplied 7 documents\napplied 8 index_only_worklist\napplied 9 sign_in_failures\napplied 10 erasure\n"
    );
    assert_eq!(ok(&["db", "status", "--database", &db]), "schema 10\nbinary 10\npending none\n");
    // Nothing of the history changed, and the cases are what a second copy, migrated by the first command
    // that opens it, shows.
    assert_eq!(ok(&["audit", "verify", "--database", &db]), history);
    let other = tempfile::tempdir().expect("tmp");
    let copy = release_database(other.path());
    assert_eq!(ok(&["cases", "--database", &db]), ok(&["cases", "--database", &copy]));
    assert!(ok(&["cases", "--database", &db]).contains("1,101,review,reviewing,,4"));
    assert_eq!(ok(&["db", "status", "--database", &copy]), "schema 10\nbinary 10\npending none\n");
    // Again: nothing to do.
    assert_eq!(ok(&["db", "migrate", "--database", &db]), "schema 10\n");
}

/// A database the first release made, checked before it is migrated: its case rows are in a shape this
/// program folds again on `db migrate`, and `audit verify` says so instead of only "corrupt" (found by an
/// outside check); migrated, it verifies.
#[test]
fn an_older_database_that_will_not_read_is_told_to_migrate() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("first.db");
    std::fs::copy(common::crate_dir().join("../store-tests/tests/fixtures/first-release.db"), &path).expect("copy");
    let db = format!("sqlite://{}", path.display());
    let o = run(&["audit", "verify", "--database", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("older than this program's (10); run `gennemgang db migrate` first"), "{}", stderr(&o));
    ok(&["db", "migrate", "--database", &db]);
    assert!(ok(&["audit", "verify", "--database", &db]).starts_with("ok "));
}

/// A PostgreSQL server that cannot be reached is named as such, with the reason, not as a pool that timed
/// out after half a minute (found by an outside check).
#[test]
fn an_unreachable_postgresql_server_is_named_with_its_reason() {
    let o = run(&["db", "status", "--database", "postgres://postgres@localhost/none?host=/nonexistent-gennemgang"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("the database cannot be reached"), "{}", stderr(&o));
    assert!(stderr(&o).contains("No such file or directory"), "{}", stderr(&o));
}

/// `audit verify` of a PostgreSQL database that was never created is the caller's mistake (exit 2), as a
/// SQLite file that is not there is (found by an outside check: exit 1).
#[test]
fn a_postgresql_database_that_does_not_exist_is_refused_as_a_wrong_name() {
    let fresh = gennemgang_store_tests::postgres::fresh_database();
    let (base, query) = fresh.split_once('?').expect("the socket's folder");
    let (server, _) = base.rsplit_once('/').expect("a database name");
    let none = format!("{server}/gennemgang_never_created?{query}");
    let o = run(&["audit", "verify", "--database", &none]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
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
        "schema 0\nbinary 11\npending 1 initial\npending 2 worklist\npending 3 access_log_by_case\npending 4 shared_state\npending 5 search\npending 6 names\npending 7 documents\npending 8 index_only_worklist\npending 9 native_types\npending 10 sign_in_failures\npending 11 erasure\n"
    );
    assert_eq!(
        ok(&["db", "migrate", "--database", &db]),
        "schema 11\napplied 1 initial\napplied 2 worklist\napplied 3 access_log_by_case\napplied 4 shared_state\napplied 5 search\napplied 6 names\napplied 7 documents\napplied 8 index_only_worklist\napplied 9 native_types\napplied 10 sign_in_failures\napplied 11 erasure\n"
    );
    assert_eq!(ok(&["db", "status", "--database", &db]), "schema 11\nbinary 11\npending none\n");
}

#[test]
fn a_database_newer_than_the_binary_is_refused_by_every_command_that_opens_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let sqlite = release_database(dir.path());
    ok(&["db", "migrate", "--database", &sqlite]);
    let postgres = gennemgang_store_tests::postgres::fresh_database();
    ok(&["db", "migrate", "--database", &postgres]);
    for db in [&sqlite, &postgres] {
        // One past what this binary knows of each database (PostgreSQL has one more: its own types).
        let known = if db.starts_with("sqlite:") { 10 } else { 11 };
        sql(
            db,
            &format!(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ({}, 'from_the_future', \
                 '2030-01-01T00:00:00Z')",
                known + 1
            ),
        );
        let o = run(&["db", "status", "--database", db]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).starts_with(&format!("schema {}\nbinary {known}\n", known + 1)), "{}", stdout(&o));
        for args in [
            vec!["db", "migrate", "--database", db],
            vec!["cases", "--database", db],
            vec!["serve", "--database", db, "--listen", "127.0.0.1:0"],
            // Found by an outside check: the history was walked and declared intact.
            vec!["audit", "verify", "--database", db],
        ] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
            let refused = format!("schema {}, newer than this program knows ({known})", known + 1);
            assert!(stderr(&o).contains(&refused), "{args:?}: {}", stderr(&o));
        }
    }
}

/// Both head lines of `audit verify`.
fn heads(db: &str) -> String {
    ok(&["audit", "verify", "--database", db])
}

/// The files in `dir` (a backup leaves nothing but itself).
fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn count(url: &str, table: &str) -> i64 {
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        let n = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&pool)
            .await
            .expect("count");
        pool.close().await;
        n
    })
}

const READS: &str = "INSERT INTO access_log (at, actor_user, actor_role, actor_municipality, case_id, what, purpose, allowed) \
    VALUES ('2026-12-07T09:00:00Z', 'sb', 'home_caseworker', 101, 1, 'cpr', 'Partshøring', TRUE), \
           ('2026-12-07T09:01:00Z', 'aarhus', 'home_team_lead', 751, 1, 'case', NULL, FALSE)";

#[test]
fn a_sqlite_backup_is_one_file_for_its_owner_with_the_same_history_and_no_sessions() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = release_database(dir.path());
    let out = tempfile::tempdir().expect("tmp");
    let output = out.path().join("backup.db");
    let output_arg = output.to_str().expect("utf-8");
    // A database at an older schema is refused: the copy would not be what this program opens.
    let o = run(&["backup", "--database", &db, "--output", output_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("db migrate"), "{}", stderr(&o));
    assert!(files(out.path()).is_empty(), "{:?}", files(out.path()));
    ok(&["db", "migrate", "--database", &db]);
    sql(&db, READS);
    sql(
        &db,
        "INSERT INTO sessions (token_hash, username, csrf, expires_at) VALUES ('h', 'sb', 'c', '2099-01-01T00:00:00Z')",
    );
    let said = ok(&["backup", "--database", &db, "--output", output_arg]);
    assert!(said.contains("cases 10, events 15, access_log 2, users 2, runs 1"), "{said}");
    assert_eq!(files(out.path()), ["backup.db"], "one file, no journal beside it");
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&output).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let copy = format!("sqlite://{output_arg}");
    assert_eq!(heads(&copy), heads(&db));
    assert_eq!(ok(&["cases", "--database", &copy]), ok(&["cases", "--database", &db]));
    assert_eq!((count(&db, "sessions"), count(&copy, "sessions")), (1, 0));
    // Never over a file.
    let o = run(&["backup", "--database", &db, "--output", output_arg]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("exists"), "{}", stderr(&o));
}

/// The team lead assigns case `id` to sb.
fn assign(db: &str, id: u32, dir: &std::path::Path) {
    let outbox = dir.join("outbox");
    let case = id.to_string();
    ok(&[
        "act",
        "--database",
        db,
        "--case",
        &case,
        "--user",
        "leder",
        "--today",
        "2026-12-07",
        "--outbox",
        outbox.to_str().expect("utf-8"),
        "--action",
        r#"{"action":"assign","caseworker":"sb"}"#,
    ]);
}

#[test]
fn a_postgresql_backup_is_a_sqlite_file_with_the_same_history_and_cases() {
    let dir = tempfile::tempdir().expect("tmp");
    let screening = dir.path().join("target.csv");
    let mut csv = String::from(
        "cpr,included,area_id,municipality_code,awarded_on,as_of,age_on_as_of,cpr_status,scheme,pension_status,exemptions,reason\n",
    );
    for i in 0..5 {
        csv.push_str(&format!(
            "{:02}0175{:04},true,A1,101,2015-01-01,2026-12-01,,01,pl,active,,\"Omfattet\"\n",
            61 + i,
            4000 + i
        ));
    }
    std::fs::write(&screening, csv).expect("write");
    let db = gennemgang_store_tests::postgres::fresh_database();
    ok(&["import", "--database", &db, "--screening", screening.to_str().expect("utf-8")]);
    common::put_user(&db, "leder", "home_team_lead", "101");
    common::put_user(&db, "sb", "home_caseworker", "101");
    assign(&db, 1, dir.path());
    sql(&db, READS);
    let output = dir.path().join("pg.db");
    let said = ok(&["backup", "--database", &db, "--output", output.to_str().expect("utf-8")]);
    assert!(said.contains("cases 5, events 6, access_log 2, users 2"), "{said}");
    let copy = format!("sqlite://{}", output.display());
    assert_eq!(heads(&copy), heads(&db));
    assert_eq!(ok(&["cases", "--database", &copy]), ok(&["cases", "--database", &db]));
    assert_eq!(ok(&["db", "status", "--database", &copy]), "schema 10\nbinary 10\npending none\n");
    // Restored into a new PostgreSQL database: the same history (the same heads) and the same cases, in
    // one transaction; a database that holds rows is never restored into.
    let restored = gennemgang_store_tests::postgres::fresh_database();
    let output_arg = output.to_str().expect("utf-8");
    let said = ok(&["restore", "--from", output_arg, "--database", &restored]);
    assert!(said.contains("cases 5, events 6, access_log 2, users 2"), "{said}");
    assert_eq!(heads(&restored), heads(&db));
    assert_eq!(ok(&["cases", "--database", &restored]), ok(&["cases", "--database", &db]));
    let o = run(&["restore", "--from", output_arg, "--database", &restored]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not empty (table cases holds rows)"), "{}", stderr(&o));
    let o = run(&["restore", "--from", output_arg, "--database", &copy]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The restored database goes on: an action chains on after the restored history, numbered after it.
    assign(&restored, 2, dir.path());
    assert!(heads(&restored).starts_with("ok 7 events, head "), "{}", heads(&restored));
    // The copy is a working database: an action there chains on and verifies.
    assign(&copy, 2, dir.path());
    assert!(heads(&copy).starts_with("ok 7 events, head "), "{}", heads(&copy));
}
