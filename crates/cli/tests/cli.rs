//! Tests of the real `gennemgang` binary in isolated temporary folders: exit codes, error messages that
//! name file, line and column, nothing written on bad input, and the rules at their boundaries.

mod common;

use common::{bin, fixtures, run, stderr, stdout};
use std::path::Path;
use std::process::Output;

/// Reads a CSV into rows of (header → value).
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    reader
        .records()
        .map(|r| headers.iter().cloned().zip(r.expect("record").iter().map(str::to_owned)).collect())
        .collect()
}

fn copy_registers(to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(fixtures().join("registers")).expect("fixtures") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

#[test]
fn version_names_the_rules_version() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains(&format!("rules {}", gennemgang_rules::RULES_VERSION)), "{}", stdout(&o));
}

#[test]
fn areas_at_every_threshold_of_the_seed_list() {
    let o = run(&["areas", "--input", fixtures().join("areas.csv").to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = rows(&stdout(&o));
    let get = |id: &str, col: &str| out.iter().find(|r| r["area_id"] == id).expect("area")[col].clone();
    // A1: 30,01 % > 30 % and 2,90 ≥ 2 × 1,45: selected with exactly 1,000 residents.
    assert_eq!(get("A1", "selected"), "true");
    assert_eq!(get("A1", "criteria_met"), "2");
    assert_eq!(get("A1", "convicted_threshold"), "2.9");
    assert!(get("A1", "reason").starts_with("Udvalgt"));
    // A2: 999 residents.
    assert_eq!(get("A2", "selected"), "false");
    assert!(get("A2", "reason").contains("999 beboere"));
    // A3: 30 % is not over 30 %; 2,89 < 2,90; 60,01 > 60; 65 is not under 65: one criterion.
    assert_eq!(get("A3", "selected"), "false");
    assert_eq!(get("A3", "criteria_met"), "1");
    // A4: one met, conviction unknown, two not met: undecided, naming the missing value.
    assert_eq!(get("A4", "selected"), "");
    assert_eq!(get("A4", "convicted_met"), "");
    assert!(get("A4", "reason").contains("convicted_share_pct"));
    // A5: two met; the missing value cannot change it.
    assert_eq!(get("A5", "selected"), "true");
    assert!(stderr(&o).contains("2 of 5 areas selected"), "{}", stderr(&o));
}

#[test]
fn criteria_file_in_the_contract_format_and_json() {
    let toml = fixtures().join("example-2014.toml");
    let o = run(&[
        "areas",
        "--input",
        fixtures().join("areas.csv").to_str().expect("utf-8"),
        "--criteria",
        toml.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["criteria_set"]["id"], "example-2014");
    assert_eq!(v["criteria_set"]["valid_from"], "2014-12-01");
    assert_eq!(v["criteria_set"]["legal_basis"], "text naming the law and §");
    let a2 = &v["areas"][1];
    // A2: non-western 70 > 50, convicted 5 ≥ 2,9, no work 45 > 40, basic 70 > 50, income 40 < 55 — but
    // 999 residents.
    assert_eq!(a2["criteria_met"], 5);
    assert_eq!(a2["selected"], false);
    // A1: non-western 55 > 50, convicted 2,90 ≥ 2,90, basic 60 > 50: three of five, required 55 > 30.
    assert_eq!(v["areas"][0]["selected"], true);
    assert_eq!(v["areas"][0]["non_western_30_met"], true);
    // --as-of refuses a set that is not valid on the date.
    let o = run(&[
        "areas",
        "--input",
        fixtures().join("areas.csv").to_str().expect("utf-8"),
        "--criteria",
        toml.to_str().expect("utf-8"),
        "--as-of",
        "2014-11-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not on 2014-11-30"), "{}", stderr(&o));
}

#[test]
fn list_criteria_shows_builtins_with_legal_basis() {
    let o = run(&["areas", "--list-criteria"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for id in ["review-2025", "vulnerable-2018", "prevention-2021", "parallel-society-2018"] {
        assert!(text.contains(id), "{id} missing");
    }
    assert!(text.contains("§ 61 b"));
}

#[test]
fn national_share_from_the_flag() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("a.csv");
    std::fs::write(&input, "area_id,residents,share_no_work_or_education_pct,convicted_share_pct,share_basic_education_pct,income_pct_of_region\nX,1500,31,3.0,10,90\n").expect("write");
    let o = run(&["areas", "--input", input.to_str().expect("utf-8"), "--national-convicted-share", "1.5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(rows(&stdout(&o))[0]["selected"], "true");
    let o = run(&["areas", "--input", input.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(":1: column national_convicted_share_pct: missing from the header"), "{}", stderr(&o));
}

fn screen(dir: &Path, extra: &[&str]) -> Output {
    let areas = dir.join("areas_selected.csv");
    let o = run(&[
        "areas",
        "--input",
        fixtures().join("areas.csv").to_str().expect("utf-8"),
        "--output",
        areas.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut args = vec![
        "screen".to_owned(),
        "--registers".into(),
        dir.join("registers").display().to_string(),
        "--areas".into(),
        areas.display().to_string(),
        "--as-of".into(),
        "2026-12-01".into(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    bin().args(&args).output().expect("runs")
}

#[test]
fn screening_at_every_boundary() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_registers(&dir.path().join("registers"));
    let out = dir.path().join("target.csv");
    let o = screen(dir.path(), &["--output", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The fixture's areas file selects Birkelunden (A5), where its registers put no address: said, not hidden.
    assert!(
        stderr(&o).contains(
            "warning: 1 selected area(s) have no address in area_addresses.csv, so nobody is screened in them: A5"
        ),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&out).expect("output");
    let included: Vec<String> = rows(&text).iter().map(|r| r["cpr"].clone()).collect();
    // In: first entry from Syria; from Poland the day before it joined the EU; 59 years old; awarded on
    // 1 January 2003; back after 12 months and a day in the USA; a move after the reference date.
    assert_eq!(included, ["6105801001", "6105801003", "6105801011", "6105801021", "6105801025", "6212661009"]);
    let by_cpr = rows(&text);
    let r = by_cpr.iter().find(|r| r["cpr"] == "6105801021").expect("returner");
    assert_eq!(r["newcomer_basis"], "return_after_abroad");
    assert!(r["reason"].contains("læsning: ophold uden for EU/EØS"), "{}", r["reason"]);
    let r = by_cpr.iter().find(|r| r["cpr"] == "6105801001").expect("first entry");
    assert_eq!(r["newcomer_basis"], "first_entry_third_country");
    assert_eq!(r["area_id"], "A1");
    assert_eq!(r["age_on_as_of"], "46");
    // The manifest records the inputs' hashes, the rules version and the criteria set.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("target.csv.manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["rules_version"], gennemgang_rules::RULES_VERSION);
    assert_eq!(manifest["criteria_sets"][0], "review-2025");
    assert_eq!(manifest["as_of"], "2026-12-01");
    assert_eq!(manifest["inputs"].as_array().expect("inputs").len(), 7);
    assert!(
        manifest["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .all(|i| i["sha256"].as_str().is_some_and(|s| s.len() == 64))
    );
    assert_eq!(manifest["counts"]["included"], 6);
    // The output's hash is that of the file as it lies on disk.
    let written = std::fs::read(dir.path().join("target.csv")).expect("output");
    let sha: String = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&written))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(manifest["output"]["sha256"], sha.as_str());
    assert_eq!(manifest["output"]["file"], "target.csv");
    // Candidates per listed area: in a selected area they are exactly the included persons living there
    // (every other condition holds); unselected areas are listed too, for the criteria what-if.
    let candidates = manifest["candidates_by_area"].as_object().expect("candidates");
    let areas_csv = std::fs::read_to_string(dir.path().join("areas_selected.csv")).expect("areas");
    let areas = rows(&areas_csv);
    assert_eq!(candidates.len(), areas.len());
    for area in &areas {
        let id = &area["area_id"];
        let included_here = by_cpr.iter().filter(|r| &r["area_id"] == id).count();
        if area["selected"] == "true" {
            assert_eq!(candidates[id.as_str()], included_here, "{id}");
        } else {
            assert_eq!(included_here, 0, "{id}");
        }
    }
    // Imported as screened, the run is recorded with the file's real hash; changed after the screening,
    // the file is refused (exit 2) and nothing is written.
    let db = format!("sqlite://{}", dir.path().join("cases.db").display());
    let import = || run(&["import", "--database", &db, "--screening", out.to_str().expect("utf-8")]);
    let o = import();
    assert!(o.status.success(), "{}", stderr(&o));
    let recorded: String = tokio::runtime::Runtime::new().expect("rt").block_on(async {
        let pool = sqlx::SqlitePool::connect(&db).await.expect("db");
        sqlx::query_scalar("SELECT body FROM runs WHERE kind = 'screening'").fetch_one(&pool).await.expect("run")
    });
    let recorded: serde_json::Value = serde_json::from_str(&recorded).expect("json");
    assert_eq!(recorded["imported"]["sha256"], manifest["output"]["sha256"], "the real hash, as vouched for");
    let edited = text.replacen("6105801001", "6105801002", 1);
    std::fs::write(&out, edited).expect("edit");
    let changed = dir.path().join("changed.db");
    let changed_url = format!("sqlite://{}", changed.display());
    let import_changed = || run(&["import", "--database", &changed_url, "--screening", out.to_str().expect("utf-8")]);
    let o = import_changed();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("the file changed after the screening"), "{}", stderr(&o));
    assert!(!changed.exists(), "nothing written");
    // A manifest that miscounts the file, or is not a file at all, is refused too (a FIFO would hang).
    std::fs::write(&out, &text).expect("restore");
    let manifest_file = dir.path().join("target.csv.manifest.json");
    let vouching = std::fs::read_to_string(&manifest_file).expect("manifest");
    let miscounted = vouching.replacen(&format!("\"rows\": {}", manifest["output"]["rows"]), "\"rows\": 1", 1);
    assert_ne!(miscounted, vouching, "the manifest's row count was found");
    std::fs::write(&manifest_file, miscounted).expect("edit");
    let o = import_changed();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("it counts 1 rows"), "{}", stderr(&o));
    std::fs::remove_file(&manifest_file).expect("rm");
    assert!(std::process::Command::new("mkfifo").arg(&manifest_file).status().expect("mkfifo").success());
    let o = import_changed();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file") && !changed.exists(), "{}", stderr(&o));
}

#[test]
fn screening_all_gives_every_pensioner_a_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_registers(&dir.path().join("registers"));
    let o = screen(dir.path(), &["--all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = rows(&stdout(&o));
    assert_eq!(all.len(), 14, "every pension that has not ceased, the dormant one too");
    let reason = |cpr: &str| all.iter().find(|r| r["cpr"] == cpr).expect("row")["reason"].clone();
    assert!(reason("6112661007").contains("60 år"), "60th birthday on the date");
    assert!(reason("6105801005").contains("ikke nytilkommen"), "exactly 12 months abroad");
    assert!(reason("6105801013").contains("GFPL § 44"));
    assert!(reason("6105801017").contains("udrejst"));
    assert!(reason("6105801019").contains("hvilende"));
    assert!(reason("6105801023").contains("internationalt adopteret"));
    assert!(reason("6105801015").contains("ikke er udvalgt"));
    assert!(reason("6105801027").contains("uden for de udvalgte"));
    assert!(all.iter().all(|r| !r["reason"].is_empty()));
}

#[test]
fn the_realm_reading_is_a_parameter() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_registers(&dir.path().join("registers"));
    let path = dir.path().join("registers/migrations.csv");
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replace("2021-01-15,in,US", "2021-01-16,in,DE")
        .replace("2020-01-15,out,US", "2020-01-15,out,DE");
    std::fs::write(&path, text).expect("write");
    let default = rows(&stdout(&screen(dir.path(), &[])));
    assert!(!default.iter().any(|r| r["cpr"] == "6105801005"));
    let realm = rows(&stdout(&screen(dir.path(), &["--stay-reading", "outside-realm"])));
    let r = realm.iter().find(|r| r["cpr"] == "6105801005").expect("in under the realm reading");
    assert!(r["reason"].contains("uden for riget"));
}

/// Each bad file: exit 2, one line naming file, line and column, and no output or manifest written.
#[test]
fn bad_register_input_never_half_lands() {
    let cases: [(&str, &str, &str, &str); 12] = [
        (
            "persons.csv",
            "6105801003,1980-05-01,PL,101,01",
            "6105801003,1980-05-02,PL,101,01",
            "persons.csv:3: column birth_date: \"1980-05-02\" is not the birth date the CPR number gives",
        ),
        (
            "migrations.csv",
            "6105801001,2012-05-03,in,SY,true",
            "6105801001,0000-05-03,in,SY,true",
            "migrations.csv:2: column date: \"0000-05-03\" is not a date",
        ),
        // A value that would colour the operator's terminal is quoted escaped, never echoed raw.
        (
            "persons.csv",
            "6105801003,1980-05-01,PL,101,01",
            "6105801003,1980-05-01,\u{1b}[31mPL,101,01",
            "persons.csv:3: column citizenship: \"\\u{1b}[31mPL\"",
        ),
        (
            "persons.csv",
            "6105801001,1980-05-01,SY,101,01",
            "6105801001,1980-02-30,SY,101,01",
            "persons.csv:2: column birth_date: \"1980-02-30\" is not a date",
        ),
        (
            "persons.csv",
            "6105801003,1980-05-01,PL,101,01",
            "6105801001,1980-05-01,PL,101,01",
            "persons.csv:3: column cpr: the same CPR number as line 2",
        ),
        (
            "persons.csv",
            "6105801003,1980-05-01,PL,101,01",
            "6105801003,1980-05-01,PL,999,01",
            "persons.csv:3: column municipality_code: \"999\" is not a municipality code",
        ),
        (
            "persons.csv",
            "6105801003,1980-05-01,PL,101,01",
            "6105801003,1980-05-01,QQ,101,01",
            "persons.csv:3: column citizenship: \"QQ\"",
        ),
        (
            "migrations.csv",
            "6105801001,2012-05-03,in,SY,true",
            "6105801001,1970-05-03,in,SY,true",
            "migrations.csv:2: column date: \"1970-05-03\" is before the person's birth date",
        ),
        (
            "migrations.csv",
            "6105801021,2020-01-16,in,US,false",
            "6105801021,2020-01-16,out,US,false",
            "migrations.csv:15: column direction: two exits in a row (the other is line 14)",
        ),
        (
            "pensions.csv",
            "6105801003,2015-03-01,pl,active,101",
            "6105801003,2015-03-01,pension,active,101",
            "pensions.csv:3: column scheme: \"pension\" is not one of pl, gfpl",
        ),
        (
            "residences.csv",
            "6105801003,ADR-1,2015-01-01",
            "6105801003,ADR-1,2015-01-01,extra",
            "residences.csv:3: the row has 4 fields but the header has 3",
        ),
        (
            "exemptions.csv",
            "6105801023,international_adoption",
            "6105801023,adopted",
            "exemptions.csv:2: column category: \"adopted\"",
        ),
    ];
    for (file, good, bad, expected) in cases {
        let dir = tempfile::tempdir().expect("tmp");
        copy_registers(&dir.path().join("registers"));
        let path = dir.path().join("registers").join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(good), "{good}");
        std::fs::write(&path, text.replacen(good, bad, 1)).expect("write");
        let out = dir.path().join("target.csv");
        let o = screen(dir.path(), &["--output", out.to_str().expect("utf-8")]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!err.contains("6105801"), "a CPR number leaked into an error: {err}");
        assert!(!out.exists(), "output written despite bad input");
        assert!(!dir.path().join("target.csv.manifest.json").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("partial"))
            .collect();
        assert!(leftovers.is_empty());
    }
}

#[test]
fn missing_register_file_is_bad_input() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_registers(&dir.path().join("registers"));
    std::fs::remove_file(dir.path().join("registers/residences.csv")).expect("rm");
    let o = screen(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("residences.csv: no such file"), "{}", stderr(&o));
}

#[test]
fn bad_criteria_file_names_the_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let toml = dir.path().join("bad.toml");
    std::fs::write(&toml, "id='x'\ntitle='t'\nvalid_from='2020-01-01'\nlegal_basis='b'\nat_least=1\n[[criterion]]\nid='c'\nindicator='residents'\nop='gt'\n").expect("write");
    let o = run(&[
        "areas",
        "--input",
        fixtures().join("areas.csv").to_str().expect("utf-8"),
        "--criteria",
        toml.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("criterion[1].threshold"), "{}", stderr(&o));
}

#[test]
fn generate_is_deterministic_and_screenable() {
    let dir = tempfile::tempdir().expect("tmp");
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    for (out, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let o = run(&["generate", "--persons", "120000", "--seed", seed, "--out", out.to_str().expect("utf-8")]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for file in [
        "persons.csv",
        "migrations.csv",
        "pensions.csv",
        "residences.csv",
        "areas.csv",
        "area_addresses.csv",
        "addresses.csv",
        "exemptions.csv",
    ] {
        let read = |d: &Path| std::fs::read(d.join(file)).expect("file");
        assert_eq!(read(&a), read(&b), "{file} differs for the same seed");
        assert_ne!(read(&a), read(&c), "{file} is the same for another seed");
    }
    // What it generates passes the screening's own validation, and some persons are in the target group.
    let selected = dir.path().join("sel.csv");
    let o = run(&[
        "areas",
        "--input",
        a.join("areas.csv").to_str().expect("utf-8"),
        "--output",
        selected.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "screen",
        "--registers",
        a.to_str().expect("utf-8"),
        "--areas",
        selected.to_str().expect("utf-8"),
        "--as-of",
        "2026-12-01",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let target = rows(&stdout(&o));
    assert!(!target.is_empty());
    // Everyone in the target group has a name and the address of a housing area, as CPR would hold it.
    for r in &target {
        assert!(r["name"].split(' ').count() >= 2 && !r["address"].is_empty(), "{r:?}");
        assert!(
            r["postcode"].len() == 4
                && !r["city"].is_empty()
                && ["true", "false"].contains(&r["address_protected"].as_str())
        );
    }
    // Synthetic CPR numbers are CPR's replacement numbers (day + 60), never a real person's.
    let persons = std::fs::read_to_string(a.join("persons.csv")).expect("persons");
    assert!(persons.lines().skip(1).all(|l| l.as_bytes()[0] >= b'6'));
}

/// Options that cannot make an extract are refused at once (exit 2), naming the flag, and nothing is written:
/// an extract date far in the past once ran for ever, a huge population aborted on allocation.
#[test]
fn generate_refuses_what_it_cannot_make() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("g");
    for (args, flag) in [
        (&["--persons", "10", "--extract-date", "1800-01-01"][..], "--extract-date"),
        (&["--persons", "10", "--extract-date", "2200-01-01"][..], "--extract-date"),
        (&["--persons", "99999999999999"][..], "--persons"),
        (&["--persons", "0"][..], "--persons"),
    ] {
        let mut all = vec!["generate", "--out", out.to_str().expect("utf-8")];
        all.extend_from_slice(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?}: nothing written");
    }
}

#[test]
fn demo_runs_the_chain() {
    let dir = tempfile::tempdir().expect("tmp");
    let o = run(&[
        "demo",
        "--persons",
        "200000",
        "--no-serve",
        "--demo-password",
        "hemmelig-demo",
        "--out",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("target group"));
    assert!(dir.path().join("target_group.csv.manifest.json").exists());
    // Every included person became a case in the demo database.
    let included = std::fs::read_to_string(dir.path().join("target_group.csv")).expect("target").lines().count() - 1;
    assert!(included > 0);
    assert!(stdout(&o).contains(&format!("cases                 {included} new")), "{}", stdout(&o));
    let db = format!("sqlite://{}", dir.path().join("gennemgang.db").display());
    let cases = run(&["cases", "--database", &db]);
    assert_eq!(stdout(&cases).lines().count() - 1, included);
    // Demo users for every role, in CONTRACT.md's format, in at least three home municipalities and two
    // deciding municipalities.
    let printed = stdout(&o);
    let users: Vec<Vec<&str>> =
        printed.lines().filter(|l| l.starts_with("user ")).map(|l| l.split(' ').collect()).collect();
    assert!(users.iter().all(|u| u.len() == 5 && u[4] == "hemmelig-demo"), "{users:?}");
    let count = |role: &str| {
        users.iter().filter(|u| u[2] == role).map(|u| u[3]).collect::<std::collections::BTreeSet<_>>().len()
    };
    assert!(count("home_team_lead") >= 3 && count("home_caseworker") >= 3, "{users:?}");
    assert!(count("deciding_caseworker") >= 2 && count("deciding_approver") >= 2, "{users:?}");
    assert_eq!(count("ministry_analyst") + count("administrator"), 2);
    // Running the demo again adds no case.
    let again = run(&[
        "demo",
        "--persons",
        "200000",
        "--no-serve",
        "--demo-password",
        "hemmelig-demo",
        "--out",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert!(
        stdout(&again).contains(&format!("cases                 0 new, {included} already there")),
        "{}",
        stdout(&again)
    );
}

/// The screening never writes over one of its own inputs.
#[test]
fn a_screening_output_that_is_one_of_its_inputs_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_registers(&dir.path().join("registers"));
    let persons = dir.path().join("registers/persons.csv");
    let before = std::fs::read(&persons).expect("persons");
    let o = screen(dir.path(), &["--output", persons.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is one of the screening's inputs"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&persons).expect("persons"), before, "the register is untouched");
}
