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
async fn worklist_follows_another_server() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    let (one, other) = (open_at(&path).await, open_at(&path).await);
    conformance::worklist_follows_another_server(&one, &other).await;
}

#[tokio::test]
async fn history_is_append_only_and_tampering_is_found() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    let store = open_at(&path).await;
    conformance::seeded(&store).await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
    // The one update allowed is an erased case's tombstone, and only with the case's erasure after it.
    for sql in [
        "UPDATE events SET payload = 'x'",
        "UPDATE events SET kind = 'erased', payload = '{\"erased\":99}' WHERE seq = 1",
        "UPDATE events SET kind = 'erased', payload = '{\"erased\":99}', hash = 'x' WHERE seq = 1",
        "DELETE FROM events",
        "DELETE FROM access_log",
    ] {
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

/// A database written by the first release (`tests/fixtures/first-release.db`: five cases taken through the
/// first release's actions, computed values inside the actions, one case closed at home as "no ground")
/// opens with this release: its chain verifies byte for byte, every projection is folded again from the
/// events into today's shape, and the case the home municipality "closed" is an assessment waiting to go on
/// to the deciding municipality, as the model has it.
#[tokio::test]
async fn a_first_release_database_upgrades_and_its_history_still_verifies() {
    use gennemgang_case::case::{Case, State};
    let fixture = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")), std::path::PathBuf::from)
        .join("tests/fixtures/first-release.db");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    std::fs::copy(&fixture, &path).expect("copy fixture");
    let store = open_at(&path).await;
    assert!(
        matches!(store.verify_chain(None).await.expect("verify"), gennemgang_store::ChainReport::Intact(h) if h.events == 41)
    );
    let cases = store.cases().await.expect("cases");
    let states: Vec<State> = cases.iter().map(|c| c.state).collect();
    assert_eq!(
        states,
        [State::AssessedNoGround, State::ComplaintReceived, State::Reopened, State::UnderDecision, State::Unassigned]
    );
    for case in &cases {
        assert_eq!(case.schema, gennemgang_case::event::SCHEMA);
        assert_eq!(&Case::from_events(&store.events(case.id).await.expect("events")).expect("fold"), case);
    }
    let decided = cases[1].decision.as_ref().expect("the first release's revocation");
    assert_eq!(decided.decided_on, jiff::civil::date(2027, 1, 20));
    assert_eq!(cases[1].letter.and_then(|l| l.complaint_deadline), Some(jiff::civil::date(2027, 2, 18)));
    // Opening it again changes nothing.
    drop(store);
    let again = open_at(&path).await;
    assert_eq!(again.cases().await.expect("cases"), cases);
}

/// Two imports or servers starting at once on a fresh database both succeed: the schema is set up in one
/// write transaction, so the second finds it done (before, one in five failed on a duplicate column).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stores_setting_up_a_fresh_database_at_once_all_succeed() {
    for round in 0..8 {
        let dir = tempfile::tempdir().expect("tmp");
        let url = format!("sqlite://{}", dir.path().join("cases.db").display());
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move {
                    let store = SqliteStore::open(&url).await.map_err(|e| format!("open: {e}"))?;
                    store.migrate().await.map_err(|e| format!("migrate: {e}"))
                })
            })
            .collect();
        for start in starts {
            start.await.expect("task").unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        let store = SqliteStore::open(&url).await.expect("open");
        assert!(store.cases().await.expect("cases").is_empty());
        // It holds CPR numbers: readable by its owner only.
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.path().join("cases.db")).expect("file").permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "round {round}");
    }
}

/// A row whose value is not of its column's type (SQLite stores what it is given) is an error naming the
/// column, never a panic: here an edited file, where a panic would have taken the server down.
#[tokio::test]
async fn a_bad_row_is_an_error_naming_its_column_never_a_panic() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    let store = open_at(&path).await;
    conformance::seeded(&store).await;
    let user = gennemgang_store::User {
        username: "sb".into(),
        password_hash: "x".into(),
        role: gennemgang_case::actor::Role::HomeCaseworker,
        municipality: Some(159),
        failed_logins: 0,
        locked_until: None,
    };
    store.put_user(&user).await.expect("user");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
    for sql in
        ["UPDATE cases SET home_municipality = 'Gladsaxe' WHERE id = 1", "UPDATE users SET failed_logins = 'mange'"]
    {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    let e = store.stored_columns().await.expect_err("a bad row");
    assert!(e.to_string().contains("home_municipality"), "{e}");
    let e = store.user("sb").await.expect_err("a bad row");
    assert!(e.to_string().contains("failed_logins"), "{e}");
    sqlx::query("UPDATE cases SET snapshot = 42 WHERE id = 1").execute(&pool).await.expect("edit");
    let e = store.case(1).await.expect_err("a bad row");
    assert!(e.to_string().contains("case 1") || e.to_string().contains("snapshot"), "{e}");
}

/// A case's access log is found by the index on the log by case, not by reading the whole log (which grows
/// by every read of every case): SQLite's own plan for the statement says so.
#[tokio::test]
async fn a_case_s_access_log_is_read_by_its_index() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    let _migrated = open_at(&path).await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
    let statement = gennemgang_store::shared::sqlite(gennemgang_store::sql::CASE_ACCESS_LOG);
    let detail: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {statement}")))
            .bind(1_i64)
            .fetch_all(&pool)
            .await
            .expect("plan");
    let steps: Vec<&str> = detail.iter().map(|(_, _, _, d)| d.as_str()).collect();
    assert_eq!(steps, ["SEARCH access_log USING INDEX access_log_case (case_id=?)"]);
    pool.close().await;
}

/// A page's read takes a connection of its own and gives it back when the read ran to its end; one dropped
/// before (a failed read, a request cancelled while its statement ran) is closed, never given to the next
/// read, and the idle ones with it; no more than the maximum are out at once; once closed, no read is taken.
#[tokio::test]
async fn a_read_gives_its_connection_back_only_when_it_ran_to_its_end() {
    use gennemgang_store_reads::Reads;
    use sqlx::sqlite::SqliteConnectOptions;
    let dir = tempfile::tempdir().expect("tmp");
    let options = SqliteConnectOptions::new().filename(dir.path().join("r.db")).create_if_missing(true);
    let reads = Reads::new(options, 1);
    let mut read = reads.acquire().await.expect("read");
    let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *read).await.expect("select");
    assert_eq!(one, 1);
    read.done();
    assert_eq!(reads.idle(), 1, "back for the next read");
    // Taken again and dropped without done(): closed, not kept.
    let read = reads.acquire().await.expect("the idle one");
    assert_eq!(reads.idle(), 0);
    drop(read);
    assert_eq!(reads.idle(), 0, "a read that did not finish gives nothing back");
    // At most one out: a second read waits for the first.
    let first = reads.acquire().await.expect("a new one");
    assert_eq!((reads.in_use(), reads.idle()), (1, 0), "counted for the metrics");
    let waiting = tokio::time::timeout(std::time::Duration::from_millis(50), reads.acquire()).await;
    assert!(waiting.is_err(), "a second read while the only one is out waits");
    first.done();
    let again = tokio::time::timeout(std::time::Duration::from_secs(5), reads.acquire()).await;
    again.expect("taken once the first is back").expect("read").done();
    reads.close().await;
    assert_eq!(reads.idle(), 0);
    assert!(reads.acquire().await.is_err(), "closed: no more reads");
    // A read that did not finish closes the idle ones too: after a server's restart they are as dead.
    let reads = Reads::new(SqliteConnectOptions::new().filename(dir.path().join("r.db")), 2);
    let (kept, failed) = (reads.acquire().await.expect("one"), reads.acquire().await.expect("two"));
    kept.done();
    assert_eq!(reads.idle(), 1);
    drop(failed);
    assert_eq!(reads.idle(), 0, "the idle one is closed with the one that failed");
}

/// After erasures the file is rebuilt and its journal emptied; a reader in the middle of a transaction keeps
/// the journal's old pages, and then the rewrite says it could not finish instead of passing for done (an
/// outside check found erased cases left in the journal of a run that reported success).
#[tokio::test]
async fn a_rewrite_kept_from_emptying_the_journal_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("cases.db");
    let store = open_at(&path).await;
    conformance::seeded(&store).await;
    store.reclaim().await.expect("no reader: rewritten");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
    let mut reader = pool.begin().await.expect("a read transaction");
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(&mut *reader).await.expect("read");
    let err = store.reclaim().await.expect_err("the journal is held");
    assert!(err.to_string().contains("the journal could not be emptied"), "{err}");
    reader.rollback().await.expect("done reading");
    store.reclaim().await.expect("rewritten once the reader is done");
}
