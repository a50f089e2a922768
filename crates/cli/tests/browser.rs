//! The browser test: `gennemgang demo` serves a fresh synthetic nation, and `e2e/golden-path.mjs` walks the
//! golden path in Debian's Chromium with an axe scan of every page. Screenshots are kept in
//! `e2e/artifacts/`. `e2e/setup.sh` installs Chromium and the pinned npm packages on first use. The server's
//! log of the run is checked too: one JSON object a line, a line per request, no error and no CPR number.

mod common;

use common::Server;
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[test]
fn golden_path_in_chromium_with_accessibility_scan() {
    // Read when the test runs, so a test binary reused from another clone finds this one.
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("../..");
    let e2e = root.join("e2e");
    let setup = Command::new("bash").arg(e2e.join("setup.sh")).status().expect("e2e/setup.sh runs");
    assert!(setup.success(), "e2e/setup.sh failed: the browser test needs Chromium and node");

    let dir = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gennemgang"))
        .args(["demo", "--persons", "200000", "--listen", "127.0.0.1:0", "--demo-password", "browser-test-1"])
        .arg("--out")
        .arg(dir.path())
        // A fixed working day (Monday 7 December 2026): the golden path does its steps on one day, and a
        // weekend or holiday on the machine's clock would make the interview's day invalid.
        .env("GENNEMGANG_TODAY", "2026-12-07")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("demo starts");
    let stdout = child.stdout.take().expect("stdout");
    // The server's log, read as it is written (a full pipe would stop the server).
    let stderr = child.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || BufReader::new(stderr).lines().map_while(Result::ok).collect::<Vec<_>>());
    let server = Server(child);
    let mut base = String::new();
    let mut users = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("user ") {
            users.push(rest.split(' ').map(str::to_owned).collect::<Vec<_>>());
        }
        if let Some(url) = line.strip_prefix("listening ") {
            base = url.to_owned();
            break;
        }
    }
    assert!(base.starts_with("http://127.0.0.1:"), "the demo did not start serving");
    // The first case and its municipalities.
    let db = format!("sqlite://{}", dir.path().join("gennemgang.db").display());
    let cases =
        Command::new(env!("CARGO_BIN_EXE_gennemgang")).args(["cases", "--database", &db]).output().expect("cases");
    let first = String::from_utf8_lossy(&cases.stdout).lines().nth(1).map(str::to_owned).expect("a case");
    let home = first.split(',').nth(1).expect("municipality").to_owned();
    let deciding = gennemgang_case::facts::Routing::default()
        .deciding_for(home.parse().expect("code"))
        .expect("a deciding municipality")
        .to_string();
    assert!(users.iter().any(|u| u[0] == format!("sagsbehandler{home}")), "a caseworker for {home}: {users:?}");

    let artifacts = e2e.join("artifacts");
    // Only this run's screenshots count.
    let _ = std::fs::remove_dir_all(&artifacts);
    let run = Command::new("node")
        .arg("golden-path.mjs")
        .current_dir(&e2e)
        .env("BASE_URL", &base)
        .env("PASSWORD", "browser-test-1")
        .env("CASE_ID", first.split(',').next().expect("id"))
        .env("HOME_MUNICIPALITY", &home)
        .env("DECIDING_MUNICIPALITY", &deciding)
        .env("ARTIFACTS", &artifacts)
        .output()
        .expect("node runs");
    drop(server);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{out}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(out.contains("golden path ok, 24 pages scanned"), "{out}");
    assert!(artifacts.join("22-case-complaint.png").exists() && artifacts.join("05-areas-what-if.png").exists());

    // The golden path as the server logged it: JSON lines, a line per request, and no CPR number.
    let log = log.join().expect("log reader");
    let mut requests = 0;
    // Before it serves, the demo reports its steps in words; from then on the server logs.
    for line in log.iter().skip_while(|l| !l.starts_with('{')) {
        let mut entry: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object: {line}: {e}"));
        assert!(entry.get("msg").is_some(), "{line}");
        // The golden path hits no error of ours.
        assert!(matches!(entry.get("level").and_then(|l| l.as_str()), Some("info" | "warn")), "{line}");
        requests += usize::from(entry["msg"] == "request" && entry.contains_key("route") && entry.contains_key("ms"));
        // The time and the request id are the server's own digits.
        entry.remove("ts");
        entry.remove("request_id");
        let rest = serde_json::Value::Object(entry).to_string();
        assert!(!looks_like_cpr(&rest), "a CPR number in the log: {line}");
    }
    assert!(requests >= 19, "{requests} request lines: {log:?}");
}

/// Whether `text` holds ten digits in a row, or six, a dash and four (a CPR number, formatted or not).
fn looks_like_cpr(text: &str) -> bool {
    let bytes: Vec<u8> = text.bytes().collect();
    bytes.windows(10).any(|w| w.iter().all(u8::is_ascii_digit))
        || bytes.windows(11).any(|w| w[6] == b'-' && w[..6].iter().chain(&w[7..]).all(u8::is_ascii_digit))
}
