//! Cases through the real binary: import into SQLite and a real PostgreSQL, idempotence, `cases`,
//! `act`, `replay`, `audit verify`, and killing the process mid-import or mid-action.

mod common;

use common::{bin, put_caseworker, put_user, run, stderr, stdout};
use std::io::Write as _;
use std::path::Path;

/// A synthetic screening of `n` included persons with fictitious replacement CPR numbers (day + 60).
fn screening(path: &Path, n: u32, municipality: u16) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "cpr,included,area_id,municipality_code,awarded_on,as_of,age_on_as_of,cpr_status,scheme,pension_status,exemptions,reason")
        .expect("write");
    for i in 0..n {
        let cpr = format!("{:02}{:02}{:02}{:04}", 61 + i % 28, 1 + (i / 28) % 12, 70 + (i / 336) % 20, i / 6720);
        writeln!(out, "{cpr},true,A1,{municipality},2015-01-01,2026-12-01,,01,pl,active,,\"Omfattet af målgruppen\"")
            .expect("write");
    }
}

fn cases_csv(db: &str) -> String {
    let o = run(&["cases", "--database", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// `ok N events` of `audit verify` (the head that follows is checked where it matters).
fn verify(db: &str) -> String {
    let o = run(&["audit", "verify", "--database", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    text.split(", head ").next().unwrap_or_default().trim().to_owned()
}

#[test]
fn sqlite_and_postgres_give_the_same_cases_and_a_second_import_adds_none() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("target.csv");
    screening(&file, 300, 159);
    let sqlite = format!("sqlite://{}", dir.path().join("cases.db").display());
    let postgres = gennemgang_store_tests::postgres::fresh_database();
    for db in [&sqlite, &postgres] {
        let o = run(&["import", "--database", db, "--screening", file.to_str().expect("utf-8")]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("300 new cases"), "{}", stdout(&o));
        let again = run(&["import", "--database", db, "--screening", file.to_str().expect("utf-8")]);
        assert!(stdout(&again).contains("0 new cases, 300 unchanged"), "{}", stdout(&again));
        assert_eq!(verify(db), "ok 300 events");
    }
    let (a, b) = (cases_csv(&sqlite), cases_csv(&postgres));
    assert_eq!(a, b);
    assert_eq!(a.lines().count(), 301);
    assert!(a.lines().nth(1).is_some_and(|l| l.starts_with("1,159,review,unassigned")), "{a}");
    let json = run(&["cases", "--database", &sqlite, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(300));
}

#[test]
fn bad_screening_rows_are_named_and_nothing_is_imported() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("target.csv");
    screening(&file, 5, 159);
    let mut text = std::fs::read_to_string(&file).expect("read");
    text = text.replacen(",159,2015-01-01", ",999,2015-01-01", 1);
    std::fs::write(&file, text).expect("write");
    let db = format!("sqlite://{}", dir.path().join("cases.db").display());
    let o = run(&["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("target.csv:2: column municipality_code"), "{}", stderr(&o));
    assert!(!dir.path().join("cases.db").exists(), "nothing is written when input is rejected");
    // A text column holding what no page or letter can show honestly is refused the same way.
    for (bad, why) in [("A\u{202E}1", "bidirectional override"), ("\u{3164}", "nothing visible"), ("A\u{7}", "control")]
    {
        screening(&file, 2, 159);
        let text = std::fs::read_to_string(&file).expect("read").replacen(",A1,", &format!(",{bad},"), 1);
        std::fs::write(&file, text).expect("write");
        let o = run(&["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&o).contains("target.csv:2: column area_id") && stderr(&o).contains(why), "{}", stderr(&o));
        assert!(!stderr(&o).contains(bad), "the value is not echoed");
    }
    // A CPR status is a status code, not free text.
    screening(&file, 2, 159);
    let text = std::fs::read_to_string(&file).expect("read").replacen(",01,pl,", ",fri tekst,pl,", 1);
    std::fs::write(&file, text).expect("write");
    let o = run(&["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("target.csv:2: column cpr_status: \"fri tekst\" is not a CPR status code"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("cases.db").exists());
}

#[test]
fn an_unknown_exemption_category_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("target.csv");
    std::fs::write(
        &file,
        "cpr,included,area_id,municipality_code,awarded_on,as_of,exemptions\n\
         6105801001,true,A1,159,2015-01-01,2026-12-01,deployed_veteran\n\
         6105801002,true,A1,159,2015-01-01,2026-12-01,state_posted;veteran\n",
    )
    .expect("csv");
    let db = format!("sqlite://{}", dir.path().join("cases.db").display());
    let o = run(&["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("target.csv:3: column exemptions: \"veteran\" is not an exemption category"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("cases.db").exists(), "nothing is written when input is rejected");
}

#[test]
fn a_birth_date_or_age_the_cpr_number_contradicts_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("target.csv");
    // 6105801001: a replacement number (day + 60) for 1 May 1980.
    for (row, says) in [
        (
            "6105801001,true,A1,159,2015-01-01,2026-12-01,1990-01-01,",
            "column birth_date: \"1990-01-01\" is not the birth date the CPR number gives",
        ),
        (
            "6105801001,true,A1,159,2015-01-01,2026-12-01,,35",
            "column age_on_as_of: \"35\" is not the age on as_of of the birth date (46)",
        ),
        (
            "6105801001,true,A1,159,2030-03-01,2026-12-01,,",
            "column awarded_on: \"2030-03-01\" is after the screening date",
        ),
    ] {
        std::fs::write(
            &file,
            format!("cpr,included,area_id,municipality_code,awarded_on,as_of,birth_date,age_on_as_of\n{row}\n"),
        )
        .expect("csv");
        let db = format!("sqlite://{}", dir.path().join("cases.db").display());
        let o = run(&["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]);
        assert_eq!(o.status.code(), Some(2), "{row}");
        assert!(stderr(&o).contains(&format!("target.csv:2: {says}")), "{}", stderr(&o));
        assert!(!stderr(&o).contains("6105801001"), "the CPR number is never echoed");
        assert!(!dir.path().join("cases.db").exists());
    }
}

/// A SQLite database in a temporary folder with one imported case (id 1, Gladsaxe).
fn one_case() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("target.csv");
    screening(&file, 1, 159);
    let db = format!("sqlite://{}", dir.path().join("cases.db").display());
    assert!(run(&["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]).status.success());
    for name in ["sb", "a", "b"] {
        put_caseworker(&db, name, "159");
    }
    for (name, role, municipality) in [
        ("leder", "home_team_lead", "159"),
        ("x", "home_team_lead", "101"),
        ("afg", "deciding_caseworker", "101"),
        ("att", "deciding_approver", "101"),
    ] {
        put_user(&db, name, role, municipality);
    }
    (dir, db)
}

fn act(db: &str, who: (&str, &str, &str), seen: Option<u32>, action: &str) -> std::process::Output {
    act_on(db, who, seen, "2026-12-07", action)
}

/// The outbox beside a test database (`sqlite://DIR/cases.db` → `DIR/outbox`).
fn outbox_of(db: &str) -> String {
    let path = db.trim_start_matches("sqlite://");
    format!("{}/outbox", path.rsplit_once('/').map_or(".", |(dir, _)| dir))
}

fn act_on(db: &str, who: (&str, &str, &str), seen: Option<u32>, today: &str, action: &str) -> std::process::Output {
    let outbox = outbox_of(db);
    let mut args = vec![
        "act",
        "--outbox",
        &outbox,
        "--database",
        db,
        "--case",
        "1",
        "--user",
        who.0,
        "--role",
        who.1,
        "--municipality",
        who.2,
        "--today",
        today,
        "--action",
        action,
    ];
    let seen = seen.map(|v| v.to_string());
    if let Some(v) = seen.as_deref() {
        args.extend(["--seen-version", v]);
    }
    run(&args)
}

/// The steps of one case from assignment to the deciding municipality (phases 1 and 2, with a hearing).
fn to_deciding() -> Vec<((&'static str, &'static str, &'static str), &'static str, &'static str)> {
    let lead = ("leder", "home_team_lead", "159");
    let sb = ("sb", "home_caseworker", "159");
    let mut steps: Vec<((&str, &str, &str), &str, &str)> = vec![
        (lead, "2026-12-07", r#"{"action":"assign","caseworker":"sb"}"#),
        (
            sb,
            "2026-12-07",
            r#"{"action":"record_evidence","source":"income_register","summary":"løn","obtained_on":"2026-12-02"}"#,
        ),
    ];
    for source in ["pension_case", "other_administration", "public_activity", "criminal_record"] {
        let mark: &'static str = Box::leak(
            format!(r#"{{"action":"mark_not_relevant","source":"{source}","reason":"Ikke relevant."}}"#)
                .into_boxed_str(),
        );
        steps.push((sb, "2026-12-07", mark));
    }
    steps.extend([
        (sb, "2026-12-07", r#"{"action":"summon","interview_on":"2026-12-10"}"#),
        (sb, "2026-12-10", r#"{"action":"hold_interview","journal_note":"Samtale holdt."}"#),
        (sb, "2026-12-10", r#"{"action":"assess_reopen","ground":"Løn i indkomstregistret.","evidence":[0]}"#),
        (sb, "2026-12-10", r#"{"action":"notify_reopening","sent_on":"2026-12-10"}"#),
        (sb, "2026-12-10", r#"{"action":"no_new_information","reason":"Indkomsten er oplyst."}"#),
        (sb, "2026-12-10", r#"{"action":"start_hearing","adverse_information":"Løn 2025","sent_on":"2026-12-10"}"#),
        (sb, "2026-12-14", r#"{"action":"complete_hearing","answer":"Jeg arbejder 20 timer.","on":"2026-12-14"}"#),
        (sb, "2026-12-14", r#"{"action":"send_to_deciding"}"#),
    ]);
    steps
}

#[test]
fn acting_through_the_phases_and_replaying_the_decision() {
    let (_dir, db) = one_case();
    let dec = ("afg", "deciding_caseworker", "101");
    let att = ("att", "deciding_approver", "101");
    let mut steps = to_deciding();
    steps.extend([
        (dec, "2026-12-15", r#"{"action":"receive"}"#),
        (dec, "2026-12-15", r#"{"action":"validate","notes":"ok"}"#),
        (
            dec,
            "2027-01-19",
            r#"{"action":"propose_revocation","reasons":"Forbedret arbejdsevne.","keep_payment_months":3}"#,
        ),
    ]);
    for (who, today, action) in steps {
        let o = act_on(&db, who, None, today, action);
        assert!(o.status.success(), "{action}: {}", stderr(&o));
    }
    // A decision date cannot be sent: it is the day of approval.
    let backdated =
        act_on(&db, att, None, "2027-01-20", r#"{"action":"approve_revocation","decided_on":"2026-01-01"}"#);
    assert_eq!(backdated.status.code(), Some(2), "{}", stderr(&backdated));
    let o = act_on(&db, att, None, "2027-01-20", r#"{"action":"approve_revocation"}"#);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["cases", "--database", &db]);
    assert!(stdout(&o).contains("1,159,after_decision,decided,101,19"), "{}", stdout(&o));
    let replay = run(&["replay", "--database", &db, "--case", "1"]);
    assert!(replay.status.success(), "{}", stderr(&replay));
    assert!(
        stdout(&replay).contains("revoked 2027-01-20")
            && stdout(&replay).contains("lov om social pension § 44, stk. 1")
            && stdout(&replay).contains("ingen forskelle"),
        "{}",
        stdout(&replay)
    );
    assert_eq!(verify(&db), "ok 19 events");
    // Notified: the notice to Udbetaling Danmark is written and recorded once, even when the job sending
    // it is killed part-way. The first attempt cannot write (the outbox is a file), so the notice stays due.
    let blocked = format!("{}-blocked", outbox_of(&db));
    std::fs::write(&blocked, "").expect("a file where the folder should be");
    let o = run(&[
        "act",
        "--database",
        &db,
        "--case",
        "1",
        "--user",
        "afg",
        "--today",
        "2027-01-20",
        "--outbox",
        &blocked,
        "--action",
        r#"{"action":"send_decision_letter","sent_on":"2027-01-20","channel":"digital"}"#,
    ]);
    assert!(o.status.success(), "the letter is recorded: {}", stderr(&o));
    assert!(stderr(&o).contains("notice to Udbetaling Danmark not sent (it stays due)"), "{}", stderr(&o));
    let outbox = outbox_of(&db);
    for ms in [2_u64, 5, 9, 14, 20, 30] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gennemgang"));
        cmd.args(["notices", "--database", &db, "--outbox", &outbox, "--today", "2027-01-20"]);
        kill_after(cmd, std::time::Duration::from_millis(ms));
    }
    let o = run(&["notices", "--database", &db, "--outbox", &outbox, "--today", "2027-01-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files: Vec<_> = std::fs::read_dir(format!("{outbox}/udbetaling-danmark")).expect("written").collect();
    assert_eq!(files.len(), 1, "one notice, whatever was killed");
    let notice = std::fs::read_to_string(files[0].as_ref().expect("entry").path()).expect("read");
    assert!(notice.contains(r#""kind": "stop""#) && notice.contains(r#""effective_from": "2027-02-01""#), "{notice}");
    assert_eq!(stdout(&run(&["notices", "--database", &db, "--outbox", &outbox])).trim(), "sent 0 notices");
    assert_eq!(verify(&db), "ok 21 events");
}

#[test]
fn guards_and_conflicts_through_the_cli() {
    let (_dir, db) = one_case();
    let lead = ("leder", "home_team_lead", "159");
    assert!(act(&db, lead, Some(1), r#"{"action":"assign","caseworker":"a"}"#).status.success());
    let stale = act(&db, lead, Some(1), r#"{"action":"assign","caseworker":"b"}"#);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stderr(&stale).contains("ændret af en anden"), "{}", stderr(&stale));
    // Refused as bad input (exit 2): another municipality's case does not exist for its lead; and the
    // stored account, not the command line, decides who acts.
    let assign = r#"{"action":"assign","caseworker":"b"}"#;
    for (who, says) in [
        (("x", "home_team_lead", "101"), "findes ikke"),
        (
            ("sb", "home_team_lead", "159"),
            "--role: the account \"sb\" has the role home_caseworker, not home_team_lead",
        ),
        (("leder", "home_team_lead", "101"), "--municipality: the account \"leder\" belongs to 159"),
        (("ingen", "home_team_lead", "159"), "--user: there is no account \"ingen\""),
    ] {
        let o = act(&db, who, None, assign);
        assert_eq!(o.status.code(), Some(2), "{who:?}");
        assert!(stderr(&o).contains(says), "{who:?}: {}", stderr(&o));
    }
    let unknown = act(&db, lead, None, r#"{"action":"assign","caseworker":"b","extra":1}"#);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("--action: unknown field `extra`"), "{}", stderr(&unknown));
    let barred = act(&db, ("sb", "home_caseworker", "159"), None, r#"{"action":"hold_interview","journal_note":"x"}"#);
    assert_eq!(barred.status.code(), Some(2), "not summoned, and not assigned to sb");
    // Only an existing caseworker of the municipality can be assigned; the refusal names the field in Danish.
    let nobody = act(&db, lead, None, r#"{"action":"assign","caseworker":"ukendt"}"#);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(stderr(&nobody).contains("Sagsbehandler: er ikke en aktiv sagsbehandler"), "{}", stderr(&nobody));
    assert_eq!(verify(&db), "ok 2 events");
}

/// Kills `gennemgang` after `delay` and reports whether it was still running.
fn kill_after(mut cmd: std::process::Command, delay: std::time::Duration) -> bool {
    let mut child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("spawn");
    std::thread::sleep(delay);
    let running = child.try_wait().expect("wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

#[test]
fn killing_an_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("target.csv");
    screening(&file, 30_000, 159);
    let mut killed_midway = 0;
    for (k, ms) in [30_u64, 120, 250, 400, 700, 1000].into_iter().enumerate() {
        let db = format!("sqlite://{}", dir.path().join(format!("cases-{k}.db")).display());
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gennemgang"));
        cmd.args(["import", "--database", &db, "--screening", file.to_str().expect("utf-8")]);
        if kill_after(cmd, std::time::Duration::from_millis(ms)) {
            killed_midway += 1;
        }
        // Killed before the database was created, there is nothing; otherwise all or nothing.
        if !dir.path().join(format!("cases-{k}.db")).exists() {
            continue;
        }
        let rows = cases_csv(&db).lines().count() - 1;
        assert!(rows == 0 || rows == 30_000, "killed after {ms} ms: {rows} cases");
        let v = verify(&db);
        assert!(v == "ok 0 events" || v == "ok 30000 events", "{v}");
    }
    assert!(killed_midway > 0, "no kill landed during an import; the test proves nothing");
}

#[test]
fn a_configured_file_routes_the_case_and_its_board_sets_the_meetings() {
    let (dir, db) = one_case();
    // Hovedstaden decides in Frederiksberg (147), whose board meets on the 2nd Tuesday with 21 days to prepare.
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/gennemgang.toml"))
        .expect("the example configuration");
    let config = dir.path().join("gennemgang.toml");
    let ours = example
        .replace("deciding = 101     # København", "deciding = 147     # Frederiksberg")
        .replacen("municipality = 101\n", "municipality = 147\n", 1)
        .replace(
            "name = \"Pensionsnævnet, Københavns Kommune\"\npattern = { weekday = \"thursday\", nth = 3, skip_months = [7] }",
            "name = \"Pensionsnævnet, Frederiksberg Kommune\"\npattern = { weekday = \"tuesday\", nth = 2, skip_months = [7] }",
        )
        .replace("prepare_days = 14\n[board.meetings]\nname = \"Pensionsnævnet, Frederiksberg", "prepare_days = 21\n[board.meetings]\nname = \"Pensionsnævnet, Frederiksberg");
    std::fs::write(&config, &ours).expect("config");
    put_user(&db, "frb", "deciding_caseworker", "147");
    let cfg = config.to_str().expect("utf-8");
    let act_cfg = |who: &str, today: &str, action: &str| {
        run(&[
            "act",
            "--database",
            &db,
            "--case",
            "1",
            "--user",
            who,
            "--today",
            today,
            "--config",
            cfg,
            "--outbox",
            &outbox_of(&db),
            "--action",
            action,
        ])
    };
    for ((who, _, _), today, action) in to_deciding() {
        if action.contains("send_to_deciding") {
            let o = act_cfg(who, today, action);
            // Gladsaxe presents its reopened cases to its rehabilitation team (the example file says so):
            // without the team's recommendation the case does not go on.
            assert_eq!(o.status.code(), Some(2));
            assert!(stderr(&o).contains("registrér teamets indstilling"), "{}", stderr(&o));
            let rec = r#"{"action":"record_recommendation","recommendation":"revoke","reasons":"Arbejder 20 timer.","met_on":"2026-12-14"}"#;
            assert!(act_cfg(who, today, rec).status.success());
        }
        let o = act_cfg(who, today, action);
        assert!(o.status.success(), "{action}: {}", stderr(&o));
    }
    assert!(cases_csv(&db).contains(",147,"), "routed to Frederiksberg: {}", cases_csv(&db));
    assert!(act_cfg("frb", "2026-12-15", r#"{"action":"receive"}"#).status.success());
    assert!(act_cfg("frb", "2026-12-15", r#"{"action":"validate","notes":"ok"}"#).status.success());
    // Thursday 21 January is the built-in example's meeting, not Frederiksberg's.
    let o = act_cfg("frb", "2026-12-15", r#"{"action":"schedule","meeting_on":"2027-01-21"}"#);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ikke en mødedato for Pensionsnævnet, Frederiksberg Kommune"), "{}", stderr(&o));
    // Tuesday 12 January is a meeting, but leaves less than the board's 21 days to prepare.
    let o = act_cfg("frb", "2026-12-28", r#"{"action":"schedule","meeting_on":"2027-01-12"}"#);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("de 21 dages forberedelse"), "{}", stderr(&o));
    assert!(act_cfg("frb", "2026-12-28", r#"{"action":"schedule","meeting_on":"2027-02-09"}"#).status.success());
    // A wrong entry stops the program, naming the file, the line and the field.
    let broken = ours.replacen("deciding = 851", "deciding = 751", 1);
    std::fs::write(&config, &broken).expect("config");
    let o = act_cfg("frb", "2026-12-28", r#"{"action":"receive"}"#);
    assert_eq!(o.status.code(), Some(2));
    let line = broken.lines().position(|l| l.contains("deciding = 751")).expect("the broken line") + 1;
    assert!(
        stderr(&o).contains(&format!("gennemgang.toml:{line}: region[0].deciding: Aarhus lies in Region Midtjylland")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn audit_verify_prints_the_head_and_catches_a_cut_tail_and_a_missing_database() {
    let (dir, db) = one_case();
    assert!(
        act(&db, ("leder", "home_team_lead", "159"), None, r#"{"action":"assign","caseworker":"sb"}"#).status.success()
    );
    let o = run(&["audit", "verify", "--database", &db]);
    let line = stdout(&o).lines().next().unwrap_or_default().to_owned();
    let hash = line.strip_prefix("ok 2 events, head ").expect(&line).to_owned();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
    let head = format!("2:{hash}");
    assert!(run(&["audit", "verify", "--database", &db, "--head", &head]).status.success());
    // Someone with the database's file removes the last event (the triggers dropped first).
    let path = dir.path().join("cases.db");
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
        sqlx::query("DROP TRIGGER events_no_delete").execute(&pool).await.expect("drop");
        sqlx::query("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
            .execute(&pool)
            .await
            .expect("delete");
        pool.close().await;
    });
    let o = run(&["audit", "verify", "--database", &db]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("case 1: the stored case (version 2) is ahead of its 1 events"), "{}", stderr(&o));
    let o = run(&["audit", "verify", "--database", &db, "--head", &head]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("event 2 of the earlier head is gone"), "{}", stderr(&o));
    let o = run(&["audit", "verify", "--database", &db, "--head", "2:xyz"]);
    assert_eq!(o.status.code(), Some(2));
    // A database that does not exist is an error, and is not created.
    // Whichever way the URL is written.
    let missing = dir.path().join("findes-ikke.db");
    for url in [
        format!("sqlite://{}", missing.display()),
        format!("sqlite:{}", missing.display()),
        format!("sqlite://{}?mode=rwc", missing.display()),
    ] {
        let o = run(&["audit", "verify", "--database", &url]);
        assert_eq!(o.status.code(), Some(2), "{url}: {}", stderr(&o));
        assert!(stderr(&o).contains("does not exist") && !missing.exists(), "{url}: {}", stderr(&o));
    }
    // Nor do the commands that read or act on cases create one for a mistyped path.
    let url = format!("sqlite://{}", missing.display());
    for args in
        [&["cases"][..], &["replay", "--case", "1"], &["notices"], &["letters", "--kind", "summons", "--output", "x"]]
    {
        let mut all = args.to_vec();
        all.extend(["--database", url.as_str()]);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("does not exist") && !missing.exists(), "{args:?}: {}", stderr(&o));
    }
    // The check writes nothing: a row that no longer reads is found, not folded again first.
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
        sqlx::query("UPDATE cases SET snapshot = '{}' WHERE id = 1").execute(&pool).await.expect("tamper");
        pool.close().await;
    });
    let o = run(&["audit", "verify", "--database", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = run(&["audit", "verify", "--database", &db]);
    assert_eq!(o.status.code(), Some(1), "still found the second time: {}", stdout(&o));
    // A column beside the snapshot that the events do not give (the worklist filters by it) is found too,
    // and a changed CPR number is named without being shown.
    for (column, value) in [("home_municipality", "101"), ("state", "'closed'"), ("cpr", "'0101800000'")] {
        let (dir2, db2) = one_case();
        let path2 = dir2.path().join("cases.db");
        tokio::runtime::Runtime::new().expect("runtime").block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path2.display())).await.expect("raw");
            let sql = format!("UPDATE cases SET {column} = {value} WHERE id = 1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.expect("tamper");
            pool.close().await;
        });
        let o = run(&["audit", "verify", "--database", &db2]);
        assert_eq!(o.status.code(), Some(1), "{column}: {}", stdout(&o));
        assert!(stderr(&o).contains(&format!("the stored column {column}")), "{column}: {}", stderr(&o));
        assert!(!stderr(&o).contains("0101800000") && !stderr(&o).contains("6101"), "{}", stderr(&o));
    }
    // Not even its journal mode is changed: a database kept with a rollback journal is left byte for byte.
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
        sqlx::query("PRAGMA journal_mode = DELETE").execute(&pool).await.expect("journal");
        pool.close().await;
    });
    let before = std::fs::read(&path).expect("db");
    let _ = run(&["audit", "verify", "--database", &db]);
    assert!(std::fs::read(&path).expect("db") == before, "audit verify wrote to the database");
    assert!(!dir.path().join("cases.db-wal").exists(), "nor switched it to WAL");
    // A head of no events names the genesis, nothing else.
    let o = run(&["audit", "verify", "--database", &db, "--head", &format!("0:{}", "ab".repeat(32))]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Raw SQL on the test database, as someone holding its file would run it.
fn tamper(path: &std::path::Path, statements: &[&str]) {
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
        for sql in statements {
            sqlx::query(sqlx::AssertSqlSafe(*sql)).execute(&pool).await.expect(sql);
        }
        pool.close().await;
    });
}

/// The two head lines of `audit verify` (or its error), with the environment's checkpoint key.
fn audit(args: &[&str], key: &str) -> std::process::Output {
    common::bin().args(args).env("GENNEMGANG_AUDIT_KEY", key).output().expect("runs")
}

#[test]
fn audit_covers_the_event_columns_and_the_access_log_and_a_signed_checkpoint_catches_a_rechained_history() {
    const KEY: &str = "operatørernes nøgle, mindst 32 bytes lang";
    let (dir, db) = one_case();
    let path = dir.path().join("cases.db");
    assert!(
        act(&db, ("leder", "home_team_lead", "159"), None, r#"{"action":"assign","caseworker":"sb"}"#).status.success()
    );
    // Three reads as the server logs them.
    tamper(
        &path,
        &[
            "INSERT INTO access_log (at, actor_user, actor_role, actor_municipality, case_id, what, purpose, allowed) VALUES \
           ('2026-12-07T08:00:00Z', 'sb', 'home_caseworker', 159, 1, 'case', NULL, 1), \
           ('2026-12-07T08:01:00Z', 'sb', 'home_caseworker', 159, 1, 'health_information', 'vurdering', 1), \
           ('2026-12-07T08:02:00Z', 'x', 'home_team_lead', 101, 1, 'case', NULL, 0)",
        ],
    );
    let o = audit(&["audit", "verify", "--database", &db], KEY);
    assert!(o.status.success(), "{}", stderr(&o));
    let access_line = stdout(&o).lines().nth(1).unwrap_or_default().to_owned();
    let access_hash = access_line.strip_prefix("access log 3 entries, head ").expect(&access_line).to_owned();
    let access_head = format!("3:{access_hash}");
    assert!(audit(&["audit", "verify", "--database", &db, "--access-head", &access_head], KEY).status.success());
    // A checkpoint, signed with the key from the environment, verifies as it is.
    let o = audit(&["audit", "checkpoint", "--database", &db], KEY);
    assert!(o.status.success(), "{}", stderr(&o));
    let checkpoint = stdout(&o).trim().to_owned();
    assert!(
        checkpoint.starts_with("gennemgang-checkpoint v1 events=2:") && checkpoint.contains(" mac="),
        "{checkpoint}"
    );
    assert!(audit(&["audit", "verify", "--database", &db, "--checkpoint", &checkpoint], KEY).status.success());
    // Without the key, with another key, or changed, it is refused (exit 2).
    let o = common::bin()
        .args(["audit", "checkpoint", "--database", &db])
        .env_remove("GENNEMGANG_AUDIT_KEY")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(audit(&["audit", "checkpoint", "--database", &db], "kort").status.code(), Some(2));
    let o = audit(
        &["audit", "verify", "--database", &db, "--checkpoint", &checkpoint],
        "en anden nøgle, også mindst 32 bytes",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("signature does not match"), "{}", stderr(&o));
    let changed = checkpoint.replacen("events=2:", "events=1:", 1);
    assert_eq!(audit(&["audit", "verify", "--database", &db, "--checkpoint", &changed], KEY).status.code(), Some(2));

    // Someone re-chains the history: the assignment is said to be by another user, in the payload and its
    // column, and every hash from there on recomputed. The links hold, so verify alone cannot tell; the
    // checkpoint can.
    let rechained = dir.path().join("rechained.db");
    std::fs::copy(&path, &rechained).expect("copy");
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        use sqlx::Row as _;
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", rechained.display())).await.expect("raw");
        sqlx::query("DROP TRIGGER events_no_update").execute(&pool).await.expect("drop");
        let rows = sqlx::query("SELECT seq, case_id, version, payload FROM events ORDER BY seq")
            .fetch_all(&pool)
            .await
            .expect("events");
        let mut previous = gennemgang_store::chain::GENESIS.to_owned();
        for r in rows {
            let (seq, case_id, version): (i64, i64, i64) = (r.get(0), r.get(1), r.get(2));
            let payload = r.get::<String, _>(3).replace("\"user\":\"leder\"", "\"user\":\"mallory\"");
            let hash = gennemgang_store::chain::hash(&previous, case_id, u32::try_from(version).expect("v"), &payload);
            sqlx::query("UPDATE events SET payload = ?, prev_hash = ?, hash = ?, actor_user = replace(actor_user, 'leder', 'mallory') WHERE seq = ?")
                .bind(&payload)
                .bind(&previous)
                .bind(&hash)
                .bind(seq)
                .execute(&pool)
                .await
                .expect("rechain");
            previous = hash;
        }
        pool.close().await;
    });
    let rechained_db = format!("sqlite://{}", rechained.display());
    let o = audit(&["audit", "verify", "--database", &rechained_db], KEY);
    assert!(o.status.success(), "a re-chained history verifies on its own: {}", stderr(&o));
    let o = audit(&["audit", "verify", "--database", &rechained_db, "--checkpoint", &checkpoint], KEY);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("written anew"), "{}", stderr(&o));

    // A column beside the payload that says something else than the hashed payload.
    let column = dir.path().join("column.db");
    std::fs::copy(&path, &column).expect("copy");
    tamper(&column, &["DROP TRIGGER events_no_update", "UPDATE events SET actor_user = 'mallory' WHERE seq = 2"]);
    let o = audit(&["audit", "verify", "--database", &format!("sqlite://{}", column.display())], KEY);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the stored column actor_user is not what its hashed payload says"), "{}", stderr(&o));

    // An access-log entry changed, or the last one removed.
    for (name, sql) in [
        ("changed", "UPDATE access_log SET purpose = 'nysgerrighed' WHERE seq = 2"),
        ("removed", "DELETE FROM access_log WHERE seq = 3"),
    ] {
        let copy = dir.path().join(format!("{name}.db"));
        std::fs::copy(&path, &copy).expect("copy");
        tamper(&copy, &["DROP TRIGGER access_log_no_update", "DROP TRIGGER access_log_no_delete", sql]);
        let url = format!("sqlite://{}", copy.display());
        for flag in [["--access-head", &access_head], ["--checkpoint", &checkpoint]] {
            let o = audit(&["audit", "verify", "--database", &url, flag[0], flag[1]], KEY);
            assert_eq!(o.status.code(), Some(1), "{name} {}: {}", flag[0], stdout(&o));
            assert!(stderr(&o).contains("access log broken"), "{name}: {}", stderr(&o));
        }
    }
}

#[test]
fn killing_actions_never_leaves_a_half_written_case() {
    let (_dir, db) = one_case();
    assert!(
        act(&db, ("leder", "home_team_lead", "159"), None, r#"{"action":"assign","caseworker":"sb"}"#).status.success()
    );
    for ms in [1_u64, 3, 6, 10, 15, 25, 40] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gennemgang"));
        cmd.args([
            "act",
            "--database",
            &db,
            "--case",
            "1",
            "--user",
            "sb",
            "--role",
            "home_caseworker",
            "--municipality",
            "159",
            "--today",
            "2026-12-07",
            "--action",
            r#"{"action":"record_evidence","source":"pension_case","summary":"akt","obtained_on":"2026-12-01"}"#,
        ]);
        kill_after(cmd, std::time::Duration::from_millis(ms));
        let cases = cases_csv(&db);
        let version: usize =
            cases.lines().nth(1).and_then(|l| l.rsplit(',').next()).and_then(|v| v.parse().ok()).expect("version");
        assert_eq!(verify(&db), format!("ok {version} events"), "the case's version always equals its events");
    }
}

#[test]
fn operators_put_users_with_the_password_on_standard_input() {
    let (_dir, db) = one_case();
    let put = |args: &[&str], password: &str| {
        use std::io::Write as _;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gennemgang"))
            .args(["user", "put", "--database", &db])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child.stdin.take().expect("stdin").write_all(password.as_bytes()).expect("write");
        child.wait_with_output().expect("wait")
    };
    let ok = put(&["--username", "ny", "--role", "home_caseworker", "--municipality", "159"], "en lang adgangskode\n");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert_eq!(stdout(&ok).trim(), "user ny home_caseworker 159");
    let short = put(&["--username", "ny", "--role", "home_caseworker", "--municipality", "159"], "kort\n");
    assert_eq!(short.status.code(), Some(2));
    let no_municipality = put(&["--username", "ny", "--role", "home_caseworker"], "en lang adgangskode\n");
    assert_eq!(no_municipality.status.code(), Some(2));
    let system = put(&["--username", "x", "--role", "system"], "en lang adgangskode\n");
    assert_eq!(system.status.code(), Some(2));
    // Single sign-on only: no password is read, and none will ever verify.
    let sso = put(&["--username", "kk", "--role", "home_team_lead", "--municipality", "101", "--sso-only"], "");
    assert!(sso.status.success(), "{}", stderr(&sso));
}

#[test]
fn serve_refuses_a_single_sign_on_file_naming_the_provider_and_field() {
    let (dir, db) = one_case();
    let sso = dir.path().join("sso.toml");
    let good = std::fs::read_to_string(common::crate_dir().join("../../examples/sso.toml")).expect("example");
    for (text, expected) in [
        (good.replace("[101]", "[]"), "provider 1 (`koebenhavn`), field `municipalities`"),
        (good.clone(), "field `client_secret_env`: GENNEMGANG_SSO_KOEBENHAVN_SECRET is not set"),
        (good.replace("label", "lable"), "lable"),
    ] {
        std::fs::write(&sso, text).expect("write");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gennemgang"))
            .args(["serve", "--database", &db, "--listen", "127.0.0.1:0", "--sso"])
            .arg(&sso)
            .env_remove("GENNEMGANG_SSO_KOEBENHAVN_SECRET")
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("sso.toml") && stderr(&o).contains(expected), "{}", stderr(&o));
    }
}

#[test]
fn no_approval_while_the_citizens_meeting_with_the_board_is_pending_through_the_cli() {
    let (_dir, db) = one_case();
    let dec = ("afg", "deciding_caseworker", "101");
    let att = ("att", "deciding_approver", "101");
    let mut steps = to_deciding();
    steps.extend([
        (dec, "2026-12-15", r#"{"action":"receive"}"#),
        (dec, "2026-12-15", r#"{"action":"validate","notes":"ok"}"#),
        (
            dec,
            "2026-12-16",
            r#"{"action":"propose_revocation","reasons":"Forbedret arbejdsevne.","keep_payment_months":0}"#,
        ),
        (dec, "2026-12-16", r#"{"action":"request_hearing_in_person"}"#),
    ]);
    for (who, today, action) in steps {
        let o = act_on(&db, who, None, today, action);
        assert!(o.status.success(), "{action}: {}", stderr(&o));
    }
    let o = act_on(&db, att, None, "2026-12-17", r#"{"action":"approve_revocation"}"#);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("borgeren har bedt om foretræde"), "{}", stderr(&o));
    // Withdrawn by the citizen, the approval can go ahead; the case records who decided.
    let withdraw = r#"{"action":"withdraw_hearing_in_person","note":"Borgeren ringede og trak ønsket."}"#;
    assert!(act_on(&db, dec, None, "2026-12-17", withdraw).status.success());
    let o = act_on(&db, att, None, "2026-12-17", r#"{"action":"approve_revocation"}"#);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(cases_csv(&db).contains(",decided,"), "{}", cases_csv(&db));
}

/// A full standard output is an error (exit 1, named), never a panic (101) nor a silent success: whether
/// the command writes through `say!`, `emit` or a whole table.
#[test]
fn a_standard_output_that_cannot_be_written_is_exit_1_naming_it() {
    let (_dir, db) = one_case();
    for args in [
        vec!["countries"],
        vec!["cases", "--database", &db],
        vec!["cases", "--database", &db, "--format", "json"],
        vec!["audit", "verify", "--database", &db],
        vec!["holidays", "--year", "2027"],
        vec!["--help"],
        vec!["--version"],
        vec!["audit", "verify", "--help"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let o = bin().args(&args).stdout(full).output().expect("runs");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("writing to standard output"), "{args:?}: {}", stderr(&o));
    }
}

/// A user name is on every event the user makes: one that could hide, reverse or imitate another is refused.
#[test]
fn a_user_name_that_could_hide_or_reverse_is_refused() {
    let (_dir, db) = one_case();
    let put = |name: &str| {
        let args = ["--username", name, "--role", "home_caseworker", "--municipality", "159", "--sso-only"];
        run(&[&["user", "put", "--database", &db][..], &args[..]].concat())
    };
    for name in ["\u{202E}gfa", "\u{200B}", "a\u{7}b", "\u{3164}", "s b", "sb\u{00A0}", "Leder", "Æble"] {
        let o = put(name);
        assert_eq!(o.status.code(), Some(2), "{name:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains(name), "escaped, never echoed raw: {}", stderr(&o));
    }
    let o = put("jens.ø-1@kommune");
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A closed case past its retention is erased, and then the real binary proves the history and finds
/// nothing of the case: no row, no history, no CPR number anywhere in the database file. The erasure is
/// dated by the clock and no case can be closed before the review began, so none is due for a year; the
/// archive officer's run of that day is made through the same use case the command calls, with that day's
/// clock. Before it, `--apply` erases nothing, and neither an anonymous nor a backdated run is taken.
#[test]
fn a_closed_case_past_its_retention_is_erased_and_the_history_still_verifies() {
    let (dir, db) = one_case();
    // A newer screening: the person of case 1 has died (CPR status 90), and someone new is in the group.
    let newer = dir.path().join("newer.csv");
    std::fs::write(
        &newer,
        "cpr,included,area_id,municipality_code,awarded_on,as_of,age_on_as_of,cpr_status,scheme,pension_status,exemptions,reason\n\
         6101700000,true,A1,159,2015-01-01,2026-12-01,,90,pl,active,,\"Omfattet af målgruppen\"\n\
         6201700000,true,A1,159,2015-01-01,2026-12-01,,01,pl,active,,\"Omfattet af målgruppen\"\n",
    )
    .expect("csv");
    assert!(run(&["import", "--database", &db, "--screening", newer.to_str().expect("utf-8")]).status.success());
    let o = act(&db, ("leder", "home_team_lead", "159"), None, r#"{"action":"close"}"#);
    assert!(o.status.success(), "{}", stderr(&o));
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/gennemgang.toml"))
        .expect("the example configuration");
    let config = dir.path().join("gennemgang.toml");
    std::fs::write(
        &config,
        format!(
            "[retention]\nyears_after_closing = 1\nsource = \"Bevaringsplan pkt. 4\"\nvalid_from = \"2026-12-01\"\n{example}"
        ),
    )
    .expect("config");
    let cfg = config.to_str().expect("utf-8");
    let retention = |extra: &[&str]| {
        let mut args = vec!["retention", "--database", &db, "--config", cfg];
        args.extend(extra);
        run(&args)
    };
    // Kept through its last day, due the day after.
    assert_eq!(stdout(&retention(&["--as-of", "2027-12-07"])), "case_id,municipality_code,closed_on,kept_until\n");
    assert_eq!(
        stdout(&retention(&["--as-of", "2027-12-08"])),
        "case_id,municipality_code,closed_on,kept_until\n1,159,2026-12-07,2027-12-07\n"
    );
    let events = verify(&db);
    // Today nothing is due: nothing is erased.
    let o = retention(&["--apply", "--by", "Arkivar Hansen"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 of 0 closed cases past 1 years after closing"), "{}", stderr(&o));
    assert_eq!(verify(&db), events);
    for refused in [
        &["--apply"][..],
        &["--apply", "--by", "x", "--as-of", "2030-01-01"],
        &["--apply", "--by", " \u{200B}"],
        &["--apply", "--by", "Arkivar\nHansen"],
        &["--apply", "--by", "\u{FEFF}Arkivar"],
        &["--apply", "--by", "A\u{3164}"],
        &["--apply", "--by", "A\u{34F}"],
    ] {
        assert_eq!(retention(refused).status.code(), Some(2), "{refused:?}");
    }
    // The archive officer's run a year on.
    let setup = gennemgang_app::config::load(&config).expect("config");
    let rule = setup.retention.expect("retention");
    let on: jiff::Timestamp = "2028-01-03T09:00:00Z".parse().expect("instant");
    let done = tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let store = gennemgang_app::db::open(&db).await.expect("open");
        let done = gennemgang_app::retention::erase_due(&store, &rule, "Arkivar Hansen", on).await.expect("erased");
        store.close().await;
        done
    });
    assert!(done.reclaimed.is_ok(), "{:?}", done.reclaimed);
    assert_eq!(done.cases.len(), 1);
    assert_eq!(done.cases[0].0.id, 1);
    assert_eq!(done.cases[0].1.as_ref().ok(), Some(&gennemgang_app::retention::Erased::Now), "{:?}", done.cases[0].1);
    // The history proves itself with the erasure as one event more; the case is gone, the other is there.
    let before: u32 = events.trim_start_matches("ok ").trim_end_matches(" events").parse().expect("count");
    assert_eq!(verify(&db), format!("ok {} events", before + 1));
    let cases = cases_csv(&db);
    assert!(cases.lines().skip(1).all(|l| l.starts_with("2,")) && cases.lines().count() == 2, "{cases}");
    assert_eq!(act(&db, ("leder", "home_team_lead", "159"), None, r#"{"action":"close"}"#).status.code(), Some(2));
    assert_eq!(stdout(&retention(&["--as-of", "2040-01-01"])), "case_id,municipality_code,closed_on,kept_until\n");
    // Nothing of the person is left in the file: the CPR number is in no row, page or journal.
    let file = std::fs::read(db.trim_start_matches("sqlite://")).expect("the database file");
    let cpr = b"6101700000";
    assert!(!file.windows(cpr.len()).any(|w| w == cpr), "the erased case's CPR number is still in the file");
    assert!(file.windows(10).any(|w| w == b"6201700000"), "the other case's is (the check can find one)");
}
