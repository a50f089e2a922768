//! The real binary's `calc`, `whatif`, `deadline` and `holidays`: published worked examples, missing rates,
//! bad input, what-if overlays and deadlines around Easter and Christmas.

mod common;

use common::{run, run_with_stdin, stderr, stdout};

fn calc(json: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["calc"];
    args.extend_from_slice(extra);
    run_with_stdin(&args, json)
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn borger_dk_2025_example_to_the_krone() {
    // pension_examples.yaml borger_2025_married_to_non_pensioner: 200.848 kr./år.
    let o = calc(
        r#"{"year":2025,"scheme":"pl","civil_status":"cohabiting","partner_is_pensioner":false,
            "own_income":126000,"partner_income":350506}"#,
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["yearly"], 200_848);
    assert_eq!(v["fraction"], "40/40");
    assert_eq!(v["rounding"], "exact");
    let steps = v["steps"].as_array().expect("steps");
    assert!(steps.iter().all(|s| s["legal_basis"].as_str().is_some_and(|b| !b.is_empty())));
    assert!(steps.iter().any(|s| s["amount"] == -14_408 && s["legal_basis"] == "PL § 32 c, stk. 1"));
    assert!(
        v["rates"]
            .as_array()
            .expect("rates")
            .iter()
            .all(|r| r["source"].as_str().is_some_and(|s| s.starts_with("http")))
    );
    assert!(v["warnings"].to_string().contains("bopælstid"), "assumed full pension is said");
}

#[test]
fn borger_dk_both_pensioners_example_monthly_and_after_atp() {
    // pension_examples.yaml borger_married_to_pensioner: 143.634 kr./år, 11.969 kr./md, 11.875 after ATP.
    let o = calc(
        r#"{"year":2021,"scheme":"pl","civil_status":"cohabiting","partner_is_pensioner":true,
            "own_income":84200,"partner_income":420000}"#,
        &[],
    );
    let v = json(&o);
    assert_eq!(
        (v["yearly"].as_i64(), v["monthly"].as_i64(), v["monthly_after_atp"].as_i64()),
        (Some(143_634), Some(11_969), Some(11_875))
    );
    assert!(v["warnings"].to_string().contains("ikke bekræftet"), "the 2021 rates are inferred and say so");
}

#[test]
fn the_page_text_constant_is_a_what_if_away() {
    // The same borger.dk page states 285.556 as the 2025 disregard; with that constant the pension is 200.871.
    let dir = tempfile::tempdir().expect("tmp");
    let rates = dir.path().join("page-text.toml");
    std::fs::write(
        &rates,
        "[[rate]]\nitem = \"partner_disregard\"\nyear = 2025\nvalue = 285556\nunit = \"kr/year\"\nstatus = \"verified\"\nsource = \"https://borger.dk/...\"\n",
    )
    .expect("write");
    let o = calc(
        r#"{"year":2025,"scheme":"pl","civil_status":"cohabiting","own_income":126000,"partner_income":350506}"#,
        &["--rates", rates.to_str().expect("utf-8")],
    );
    let v = json(&o);
    assert_eq!(v["yearly"], 200_871);
    let used =
        v["rates"].as_array().expect("rates").iter().find(|r| r["item"] == "partner_disregard").cloned().expect("used");
    assert_eq!(used["origin"], rates.to_str().expect("utf-8"));
}

#[test]
fn fraction_rounding_rules_and_k10_in_the_output() {
    // 9/10 rule (borger.dk, derived): 24 years of 30 → 89 %. 2020 single, no income: 19.092 × 12 × 89 %.
    let o = calc(
        r#"{"year":2020,"scheme":"pl","civil_status":"single","birth_date":"1975-03-01","awarded_on":"2020-03-01","residence_months":288}"#,
        &[],
    );
    let v = json(&o);
    assert_eq!(
        (v["fraction"].as_str(), v["rule"].as_str(), v["rounding"].as_str()),
        (Some("89%"), Some("9/10"), Some("k10-2009"))
    );
    // 229.104 × 0,89 = 203.902,56 → nearest multiple of 12: 203.904.
    assert_eq!(v["yearly"], 203_904);
    assert_eq!(v["monthly"], 16_992);
    let exact = calc(
        r#"{"year":2020,"scheme":"pl","civil_status":"single","birth_date":"1975-03-01","awarded_on":"2020-03-01","residence_months":288}"#,
        &["--rounding", "exact"],
    );
    assert_eq!(json(&exact)["yearly"], 203_903);
}

#[test]
fn missing_rates_and_bad_input_exit_2_naming_what() {
    let o = calc(r#"{"year":2026,"scheme":"pl","civil_status":"single"}"#, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no rates for 2026: missing full_single"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());

    let o = calc(r#"{"year":2025,"scheme":"pl","civil_status":"single","salary":1}"#, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown field `salary`") && stderr(&o).contains("line 1"), "{}", stderr(&o));

    let o = calc("{\"year\":2025,\n\"scheme\":\"pl\",\n\"civil_status\":\"widowed\"}", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));

    let o = calc(r#"{"year":2025,"scheme":"pl","civil_status":"cohabiting","birth_date":"1980-01-01"}"#, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("field awarded_on"), "{}", stderr(&o));

    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[rate]]\nitem = \"full_single\"\nyear = 2026\nvalue = 20000\nunit = \"kr/week\"\nsource = \"x\"\n",
    )
    .expect("write");
    let o = calc(r#"{"year":2026,"scheme":"pl","civil_status":"single"}"#, &["--rates", bad.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml") && stderr(&o).contains("unit"), "{}", stderr(&o));
}

#[test]
fn rates_for_2026_load_from_a_file_without_a_code_change() {
    let dir = tempfile::tempdir().expect("tmp");
    let rates = dir.path().join("2026.toml");
    std::fs::write(
        &rates,
        "[[rate]]\nitem = \"full_single\"\nyear = 2026\nvalue = 21500\nunit = \"kr/month\"\nsource = \"Vejledning om satser 2026\"\nstatus = \"verified\"\n\
         [[rate]]\nitem = \"allowance_single\"\nyear = 2026\nvalue = 93000\nunit = \"kr/year\"\nsource = \"Vejledning om satser 2026\"\nstatus = \"verified\"\n",
    )
    .expect("write");
    let o = calc(
        r#"{"year":2026,"scheme":"pl","civil_status":"single","own_income":100000}"#,
        &["--rates", rates.to_str().expect("utf-8")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // 258.000 − 30 % × (100.000 − 93.000) = 258.000 − 2.100 = 255.900.
    assert_eq!(json(&o)["yearly"], 255_900);
}

#[test]
fn legacy_pension_components_and_revocation_bar() {
    let o = calc(r#"{"year":2018,"scheme":"gfpl","legacy_type":"hoejeste","civil_status":"single"}"#, &[]);
    let v = json(&o);
    assert_eq!(v["yearly"], 239_724);
    assert_eq!(v["revocability"]["possible"], false);
    assert_eq!(v["revocability"]["legal_basis"], "GFPL § 44, stk. 1 og 4");
}

#[test]
fn efterregulering_from_paid_and_due() {
    let o = calc(
        r#"{"year":2025,"scheme":"pl","civil_status":"cohabiting","own_income":126000,"partner_income":350506,"paid":195000}"#,
        &[],
    );
    let v = json(&o);
    assert_eq!(v["settlement"]["difference"], 5_848);
    assert_eq!(v["settlement"]["outcome"], "payout");
}

#[test]
fn whatif_over_a_synthetic_population() {
    let dir = tempfile::tempdir().expect("tmp");
    let rates = dir.path().join("higher.toml");
    std::fs::write(&rates, "[[rate]]\nitem = \"allowance_couple\"\nyear = 2020\nvalue = 150000\nunit = \"kr/year\"\nsource = \"what-if\"\n[[rate]]\nitem = \"allowance_single\"\nyear = 2020\nvalue = 100000\nunit = \"kr/year\"\nsource = \"what-if\"\n").expect("write");
    let o = run(&["whatif", "--year", "2020", "--rates", rates.to_str().expect("utf-8"), "--pensioners", "20000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("pensioners: 20000"), "{out}");
    assert!(out.contains("lower pension: 0"), "raising allowances never lowers a pension: {out}");
}

#[test]
fn holidays_of_several_years() {
    let o = run(&["holidays", "--year", "2024"]);
    assert!(o.status.success());
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 10, "{lines:?}");
    assert_eq!(lines[1], "2024-03-28 Skærtorsdag");
    assert!(!stdout(&o).contains("Store bededag"));
    let o = run(&["holidays", "--year", "2022"]);
    assert!(stdout(&o).contains("2022-05-13 Store bededag"));
    let o = run(&["holidays", "--year", "2030"]);
    assert!(stdout(&o).contains("2030-04-21 Påskedag") && stdout(&o).contains("2030-05-30 Kristi himmelfartsdag"));
    let o = run(&["holidays", "--year", "1850"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn complaint_deadlines_around_christmas_and_easter() {
    let first = |args: &[&str]| {
        let o = run(args);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).lines().next().map(str::to_owned).unwrap_or_default()
    };
    assert_eq!(
        first(&["deadline", "--kind", "complaint", "--sent", "2026-11-26", "--channel", "digital"]),
        "2026-12-28"
    );
    assert_eq!(
        first(&["deadline", "--kind", "complaint", "--sent", "2026-12-18", "--channel", "physical"]),
        "2027-01-27"
    );
    assert_eq!(
        first(&["deadline", "--kind", "complaint", "--sent", "2027-03-01", "--channel", "digital"]),
        "2027-03-30"
    );
    assert_eq!(
        first(&["deadline", "--kind", "complaint", "--sent", "2027-03-23", "--channel", "physical"]),
        "2027-05-03"
    );
    assert_eq!(first(&["deadline", "--kind", "file-access", "--from", "2026-12-23"]), "2027-01-07");
    assert_eq!(first(&["deadline", "--kind", "hearing", "--from", "2026-12-01", "--days", "10"]), "2026-12-11");
    let o = run(&["deadline", "--kind", "complaint", "--sent", "2026-11-26", "--channel", "digital"]);
    let text = stdout(&o);
    assert!(
        text.contains("retssikkerhedslovens § 67") && text.contains("juleaftensdag") && text.contains("Digital Post"),
        "{text}"
    );
}

#[test]
fn board_deadline_with_a_municipal_meeting_calendar() {
    let dir = tempfile::tempdir().expect("tmp");
    let board = dir.path().join("board.toml");
    std::fs::write(
        &board,
        "name = \"Pensionsnævnet i Testby\"\ndates = [\"2027-01-14\", \"2027-04-08\"]\nsource = \"Testby Kommune\"\n",
    )
    .expect("write");
    let o = run(&[
        "deadline",
        "--kind",
        "board",
        "--from",
        "2026-12-01",
        "--board",
        board.to_str().expect("utf-8"),
        "--prepare-days",
        "30",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("2027-03-01\n"), "{text}");
    assert!(
        text.contains("Pensionsnævnet i Testby med mindst 30 dages forberedelse: torsdag 14. januar 2027"),
        "{text}"
    );
    let late = run(&[
        "deadline",
        "--kind",
        "board",
        "--from",
        "2026-12-20",
        "--board",
        board.to_str().expect("utf-8"),
        "--prepare-days",
        "30",
    ]);
    assert!(stdout(&late).contains("efter fristen"), "{}", stdout(&late));
    let missing = run(&["deadline", "--kind", "board"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("--from"));
}

#[test]
fn the_readme_examples_run() {
    let examples = common::crate_dir().join("../../examples");
    let path = |name: &str| examples.join(name).to_str().expect("utf-8").to_owned();
    let o = run(&["calc", "--input", &path("calc-2025-partner-works.json")]);
    assert_eq!(json(&o)["yearly"], 200_848);
    let o = run(&["calc", "--input", &path("calc-2026-single.json"), "--rates", &path("rates-2026-whatif.toml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    // 21.540 × 12 = 258.480; − 30 % × (120.000 − 93.000) = 8.100 → 250.380.
    assert_eq!(json(&o)["yearly"], 250_380);
    let o = run(&["deadline", "--kind", "board", "--from", "2024-05-02", "--board", &path("board-gladsaxe-2024.toml")]);
    assert!(stdout(&o).starts_with("2024-08-02\n") && stdout(&o).contains("torsdag 16. maj 2024"), "{}", stdout(&o));
}
