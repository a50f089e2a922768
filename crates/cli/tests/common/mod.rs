//! Helpers shared by the CLI test files.
#![expect(dead_code, reason = "each test file uses a different subset")]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The real binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gennemgang"))
}

/// The CLI crate's folder, read when the test runs: a test binary reused from a clone elsewhere (a shared
/// `CARGO_TARGET_DIR`) must still find this clone's files.
pub fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    crate_dir().join("tests/fixtures")
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

/// Runs the binary with `args` and `input` on standard input.
pub fn run_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = bin()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("the binary finishes")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Puts a user who signs in by single sign-on only (no password is read): an account `act` can act as, or
/// the caseworker an assignment names.
pub fn put_user(db: &str, username: &str, role: &str, municipality: &str) {
    let o = run_with_stdin(
        &[
            "user",
            "put",
            "--database",
            db,
            "--username",
            username,
            "--role",
            role,
            "--municipality",
            municipality,
            "--sso-only",
        ],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Puts a home caseworker (see [`put_user`]).
pub fn put_caseworker(db: &str, username: &str, municipality: &str) {
    put_user(db, username, "home_caseworker", municipality);
}

/// One HTTP/1.1 request to the server on `port` with extra `headers`; returns the status and the body.
pub fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_owned());
    (status, body)
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A running `serve`, stopped however the test ends.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
