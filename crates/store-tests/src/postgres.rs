//! A throwaway PostgreSQL 15 for the tests: one cluster per test process in a temporary folder, reached over
//! a Unix socket only, stopped by a watchdog when the process ends; one schema per test.
//!
//! `GENNEMGANG_PG_URL` points the tests at an existing server instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

const BIN: &str = "/usr/lib/postgresql/15/bin";

fn run(mut cmd: Command, what: &str) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

/// `sh -c script` as the postgres user when running as root (initdb refuses root), else as ourselves.
fn as_postgres(script: &str, args: &[&str]) -> Command {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", script, "sh"]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", script, "sh"]);
        c
    };
    cmd.args(args);
    cmd
}

fn start() -> Result<String, String> {
    if let Ok(url) = std::env::var("GENNEMGANG_PG_URL") {
        return Ok(url);
    }
    if !Path::new(BIN).join("initdb").exists() {
        return Err(format!("PostgreSQL 15 is not installed ({BIN}/initdb missing); set GENNEMGANG_PG_URL"));
    }
    let dir: PathBuf = tempfile::Builder::new().prefix("gennemgang-pg-").tempdir().map_err(|e| e.to_string())?.keep();
    let d = dir.to_str().ok_or("temporary folder is not UTF-8")?.to_owned();
    // The postgres user must own the folder.
    let _ = Command::new("chown").args(["postgres:postgres", &d]).status();
    run(
        as_postgres(
            "\"$1/initdb\" -D \"$2/data\" -A trust -U postgres -E UTF8 --no-sync >\"$2/initdb.log\" 2>&1",
            &[BIN, &d],
        ),
        "initdb",
    )?;
    run(
        as_postgres(
            "\"$1/pg_ctl\" -D \"$2/data\" -l \"$2/server.log\" -w -o \"-k $2 -c listen_addresses= -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null",
            &[BIN, &d],
        ),
        "pg_ctl start",
    )?;
    // Stop the server when this process is gone, however it ends.
    let pid = std::process::id().to_string();
    as_postgres(
        "while [ -d \"/proc/$3\" ]; do sleep 1; done; \"$1/pg_ctl\" -D \"$2/data\" -m immediate stop >/dev/null 2>&1; \
         rm -rf \"$2\"",
        &[BIN, &d, &pid],
    )
    .stdin(std::process::Stdio::null())
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .map_err(|e| format!("watchdog: {e}"))?;
    Ok(format!("postgres://postgres@localhost/postgres?host={d}"))
}

/// The URL of the test server, starting it on first use.
///
/// # Panics
/// PostgreSQL cannot be started: the tests fail rather than pass without running.
#[must_use]
pub fn url() -> &'static str {
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    match URL.get_or_init(start) {
        Ok(url) => url,
        Err(e) => panic!("cannot start the test PostgreSQL: {e}"),
    }
}

/// A fresh schema name for one test.
#[must_use]
pub fn schema() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("t_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// A fresh, empty database on the test server, as a URL the CLI accepts.
///
/// # Panics
/// The database cannot be created.
#[must_use]
pub fn fresh_database() -> String {
    let base = url();
    let name = schema();
    let host = base.split("host=").nth(1).unwrap_or("/tmp").to_owned();
    let out = Command::new(Path::new(BIN).join("createdb"))
        .args(["-h", &host, "-U", "postgres", &name])
        .output()
        .unwrap_or_else(|e| panic!("createdb: {e}"));
    assert!(out.status.success(), "createdb: {}", String::from_utf8_lossy(&out.stderr));
    format!("postgres://postgres@localhost/{name}?host={host}")
}
