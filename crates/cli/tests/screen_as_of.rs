//! `gennemgang screen` as of its date, on the real binary: nothing dated after `--as-of` counts (CONTRACT),
//! and the dormant-pension reading is a parameter that the reasons and the manifest name.

mod common;

use common::{fixtures, run, stderr};
use std::collections::HashMap;
use std::path::Path;

const AS_OF: &str = "2026-12-01";

/// Copies the fixture registers into `dir/registers`, applying `edits` (file, from, to) to the copies.
fn registers(dir: &Path, edits: &[(&str, &str, &str)]) {
    let to = dir.join("registers");
    std::fs::create_dir_all(&to).expect("mkdir");
    for entry in std::fs::read_dir(fixtures().join("registers")).expect("fixtures") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
    for (file, from, with) in edits {
        let path = to.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{from} not in {file}");
        std::fs::write(&path, text.replacen(from, with, 1)).expect("write");
    }
}

/// Classifies the fixture areas, then screens `dir/registers` into `dir/target.csv` with `extra` arguments.
/// Returns the output rows by CPR number and the manifest.
fn screen(dir: &Path, extra: &[&str]) -> (HashMap<String, HashMap<String, String>>, serde_json::Value) {
    let areas = dir.join("areas_selected.csv");
    let fixture_areas = fixtures().join("areas.csv");
    let o =
        run(&["areas", "--input", fixture_areas.to_str().expect("utf-8"), "--output", areas.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("target.csv");
    let registers = dir.join("registers");
    let mut args = vec![
        "screen",
        "--registers",
        registers.to_str().expect("utf-8"),
        "--areas",
        areas.to_str().expect("utf-8"),
        "--as-of",
        AS_OF,
        "--output",
        out.to_str().expect("utf-8"),
        "--all",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).expect("output");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| {
            let row: HashMap<String, String> =
                headers.iter().cloned().zip(r.expect("record").iter().map(str::to_owned)).collect();
            (row["cpr"].clone(), row)
        })
        .collect();
    let manifest = std::fs::read_to_string(dir.join("target.csv.manifest.json")).expect("manifest");
    (rows, serde_json::from_str(&manifest).expect("json"))
}

/// The fixtures' dormant pension (6105801019) is out under the default reading and in under `counts`; the
/// reason names the reading, and the manifest's parameters record it.
#[test]
fn the_dormant_reading_is_in_the_reason_and_the_manifest() {
    let dir = tempfile::tempdir().expect("tmp");
    registers(dir.path(), &[]);
    let (rows, manifest) = screen(dir.path(), &[]);
    assert_eq!(manifest["parameters"]["dormant_reading"], "excluded");
    let dormant = &rows["6105801019"];
    assert_eq!(dormant["included"], "false");
    assert!(dormant["reason"].contains("læsning: hvilende pension tæller ikke"), "{}", dormant["reason"]);

    let (rows, manifest) = screen(dir.path(), &["--dormant-reading", "counts"]);
    assert_eq!(manifest["parameters"]["dormant_reading"], "counts");
    let dormant = &rows["6105801019"];
    assert_eq!(dormant["included"], "true", "{}", dormant["reason"]);
    assert!(dormant["reason"].contains("læsning: hvilende pension tæller som førtidspension"), "{}", dormant["reason"]);
    assert_eq!(manifest["counts"]["included"], 7, "the fixtures' six and the dormant one");

    // Anything else is bad input, naming the flag, and writes nothing.
    let bad = tempfile::tempdir().expect("tmp");
    registers(bad.path(), &[]);
    let out = bad.path().join("target.csv");
    let o = run(&[
        "screen",
        "--registers",
        bad.path().join("registers").to_str().expect("utf-8"),
        "--areas",
        fixtures().join("areas.csv").to_str().expect("utf-8"),
        "--as-of",
        AS_OF,
        "--output",
        out.to_str().expect("utf-8"),
        "--dormant-reading",
        "paid",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--dormant-reading: \"paid\" is not counts or excluded"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// A pension awarded the day after `--as-of` does not count; an emigration the day after is ignored (the
/// person, CPR status 80 in the extract, lived here on the date); a move of address the day after is ignored.
#[test]
fn nothing_dated_after_the_date_counts() {
    let dir = tempfile::tempdir().expect("tmp");
    registers(
        dir.path(),
        &[
            ("pensions.csv", "6105801001,2015-03-01", "6105801001,2026-12-02"),
            ("pensions.csv", "6105801003,2015-03-01", "6105801003,2026-12-01"),
            ("migrations.csv", "6105801017,2025-01-01,out", "6105801017,2026-12-02,out"),
            ("residences.csv", "6105801025,ADR-OUT,2027-01-01", "6105801025,ADR-OUT,2026-12-02"),
        ],
    );
    let (rows, manifest) = screen(dir.path(), &[]);
    let awarded_later = &rows["6105801001"];
    assert_eq!(awarded_later["included"], "false");
    assert!(awarded_later["reason"].contains("tilkendt 2. december 2026, efter datoen"), "{}", awarded_later["reason"]);
    assert_eq!(rows["6105801003"]["included"], "true", "awarded on the date itself");
    let emigrated_later = &rows["6105801017"];
    assert_eq!(emigrated_later["included"], "true", "{}", emigrated_later["reason"]);
    assert_eq!(emigrated_later["cpr_status"], "80", "the output shows the register's status as it is");
    assert!(
        emigrated_later["reason"].contains("udrejsen 2. december 2026 er efter datoen"),
        "{}",
        emigrated_later["reason"]
    );
    let moved_later = &rows["6105801025"];
    assert_eq!((moved_later["included"].as_str(), moved_later["area_id"].as_str()), ("true", "A1"));
    assert_eq!(manifest["as_of"], AS_OF);
}
