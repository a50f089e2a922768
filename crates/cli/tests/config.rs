//! A deployment's configuration from outside: `config check` says what a file configures or names the
//! file, line and field that is wrong, and `serve` takes its `[server]` settings, the environment
//! overriding the file and a flag overriding both.

mod common;

use common::{bin, crate_dir, stderr, stdout};
use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

/// The example configuration with `server` put first.
fn with_server(dir: &std::path::Path, server: &str) -> std::path::PathBuf {
    let example = std::fs::read_to_string(crate_dir().join("../../examples/gennemgang.toml")).expect("example");
    let path = dir.join("gennemgang.toml");
    std::fs::write(&path, format!("{server}\n{example}")).expect("write");
    path
}

fn check(file: &std::path::Path, env: &[(&str, &str)]) -> std::process::Output {
    let mut command = bin();
    command.args(["config", "check"]).arg(file).env_remove("DATABASE_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("runs")
}

#[test]
fn the_example_configuration_checks_and_says_what_it_configures() {
    let o = check(&crate_dir().join("../../examples/gennemgang.toml"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "database: sqlite://gennemgang.db (default)",
        "listen: 127.0.0.1:8080 (default)",
        "trusted_proxies: none (the peer is the source)",
        "regions: 5",
    ] {
        assert!(out.lines().any(|l| l == line), "{line}: {out}");
    }
}

#[test]
fn a_wrong_server_setting_is_named_with_its_line_and_the_environment_wins_over_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = with_server(dir.path(), "[server]\ndatabase = \"postgres://app:hemmelig@db/g\"\nlisten = \"8080\"\n");
    let o = check(&file, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let message = stderr(&o);
    assert!(message.contains(&format!("{}:3: server.listen: \"8080\" is not HOST:PORT", file.display())), "{message}");

    let file = with_server(dir.path(), "[server]\ndatabase = \"postgres://app:hemmelig@db/g\"\noutbox = \"ud\"\n");
    let o = check(&file, &[("GENNEMGANG_LISTEN", "0.0.0.0:80")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("listen: 0.0.0.0:80\n"), "{out}");
    assert!(out.contains("database: postgres://app:***@db/g\n") && !out.contains("hemmelig"), "{out}");
    // A relative path is the configuration's folder's.
    assert!(out.contains(&format!("outbox: {}\n", dir.path().join("ud").display())), "{out}");
    let o = check(&file, &[("GENNEMGANG_DATABASE", "cases.db")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("GENNEMGANG_DATABASE: give sqlite://PATH or postgres://"), "{}", stderr(&o));
    // The single sign-on file it names is read too.
    let file = with_server(dir.path(), "[server]\nsso = \"findes-ikke.toml\"\n");
    let o = check(&file, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("{}: server.sso", file.display())), "{}", stderr(&o));
    assert!(!stdout(&o).contains(": ok"), "not ok before all of it is read: {}", stdout(&o));
    // A trusted proxy is an address, shown as one; anything else is named with its line.
    let file = with_server(dir.path(), "[server]\ntrusted_proxies = [\"10.0.0.2\", \"::1\"]\n");
    let o = check(&file, &[]);
    assert!(stdout(&o).contains("trusted_proxies: 10.0.0.2, ::1\n"), "{}", stdout(&o));
    let file = with_server(dir.path(), "[server]\ntrusted_proxies = [\n  \"10.0.0.2\",\n  \"lb.kommune.dk\",\n]\n");
    let o = check(&file, &[]);
    assert_eq!(o.status.code(), Some(2));
    let said = stderr(&o);
    assert!(said.contains(":4: server.trusted_proxies: \"lb.kommune.dk\" is not an IP address"), "{said}");
    // An unknown setting is named, not ignored.
    let file = with_server(dir.path(), "[server]\nport = 80\n");
    let o = check(&file, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(":2: server.port"), "{}", stderr(&o));
}

#[test]
fn serve_takes_where_it_runs_from_the_configuration_and_a_flag_wins() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let file = with_server(dir.path(), &format!("[server]\ndatabase = \"{db}\"\nlisten = \"127.0.0.1:0\"\n"));
    let listening = |extra: &[&str]| {
        let mut child = bin()
            .arg("serve")
            .arg("--config")
            .arg(&file)
            .args(extra)
            .env_remove("DATABASE_URL")
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let line = BufReader::new(child.stdout.take().expect("stdout")).lines().next().and_then(Result::ok);
        let _ = child.kill();
        let _ = child.wait();
        line.unwrap_or_default()
    };
    assert!(listening(&[]).starts_with("listening http://127.0.0.1:"), "the file's address");
    assert!(dir.path().join("s.db").exists(), "the file's database");
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr");
    let flag = free.to_string();
    assert_eq!(listening(&["--listen", &flag]), format!("listening http://{flag}"), "the flag wins");
}

/// Retention is the archive officer's setting, never a built-in period: without it `retention` says so
/// (exit 2); with it, `config check` shows it, a wrong one is named with its line, and the listing has no
/// person data.
#[test]
fn retention_is_a_sourced_setting_and_the_listing_deletes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("cases.db").display());
    let screening = dir.path().join("target.csv");
    std::fs::write(
        &screening,
        "cpr,included,area_id,municipality_code,awarded_on,as_of\n6105801001,true,A1,159,2015-01-01,2026-12-01\n",
    )
    .expect("csv");
    let o = bin().args(["import", "--database", &db, "--screening"]).arg(&screening).output().expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let example = crate_dir().join("../../examples/gennemgang.toml");
    let o = bin().args(["retention", "--database", &db, "--config"]).arg(&example).output().expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no [retention]"), "{}", stderr(&o));
    let file = with_server(
        dir.path(),
        "[retention]\nyears_after_closing = 5\nsource = \"Kommunens bevaringsplan, pkt. 4\"\nvalid_from = \"2026-12-01\"\n",
    );
    let out = stdout(&check(&file, &[]));
    assert!(
        out.contains("retention: 5 years after closing (Kommunens bevaringsplan, pkt. 4; from 2026-12-01)"),
        "{out}"
    );
    let o = bin()
        .args(["retention", "--database", &db, "--as-of", "2040-01-01", "--config"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "case_id,municipality_code,closed_on,kept_until\n", "the open case is not due");
    assert!(stderr(&o).contains("nothing was deleted"));
    let bad =
        with_server(dir.path(), "[retention]\nyears_after_closing = 0\nsource = \"x\"\nvalid_from = \"2026-12-01\"\n");
    let o = check(&bad, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(":2: retention.years_after_closing: 0 is not between 1 and 100"), "{}", stderr(&o));
    // A source over two lines would print a forged line of `config check` and go into every erasure.
    let two_lines = with_server(
        dir.path(),
        "[retention]\nyears_after_closing = 5\nsource = \"Bevaringsplan\\nretention.years_after_closing: 100\"\nvalid_from = \"2026-12-01\"\n",
    );
    let o = check(&two_lines, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(":3: retention.source: is one line"), "{}", stderr(&o));
    for (source, why) in
        [("a\\u200Bb", "shows nothing"), ("a\\u3164", "shows nothing"), (&"x".repeat(301)[..], "longer than 300")]
    {
        let file = with_server(
            dir.path(),
            &format!("[retention]\nyears_after_closing = 5\nsource = \"{source}\"\nvalid_from = \"2026-12-01\"\n"),
        );
        let o = check(&file, &[]);
        assert_eq!(o.status.code(), Some(2), "{source}");
        assert!(stderr(&o).contains(":3: retention.source: ") && stderr(&o).contains(why), "{}", stderr(&o));
    }
}
