//! `serve` from outside: its metrics on an address of their own (`--metrics-listen`), and its log on
//! standard error, one JSON object per line.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::Stdio;

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `GET path` on `addr` over plain HTTP/1.1: the status line and the body.
fn get(addr: &str, path: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (head.lines().next().unwrap_or_default().to_owned(), body.to_owned())
}

#[test]
fn metrics_are_served_on_their_own_address_and_the_log_is_json_lines() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let mut child = common::bin()
        .args(["serve", "--database", &db, "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"])
        .arg("--outbox")
        .arg(dir.path().join("outbox"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let mut server = Server(child);
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let app = lines.next().and_then(|l| l.strip_prefix("listening http://").map(str::to_owned)).expect("listening");
    let metrics = lines.next().and_then(|l| l.strip_prefix("metrics http://").map(str::to_owned)).expect("metrics");
    let metrics = metrics.trim_end_matches("/metrics").to_owned();

    assert!(get(&app, "/healthz").0.contains("200"));
    assert!(get(&app, "/login").0.contains("200"));
    assert!(get(&app, "/metrics").0.contains("404"), "the application's address has no metrics");
    let (status, body) = get(&metrics, "/metrics");
    assert!(status.contains("200"), "{status}");
    assert!(
        body.contains("gennemgang_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
        "{body}"
    );
    assert!(
        body.contains("gennemgang_db_connections{state=\"idle\"}") && body.contains("gennemgang_access_log_waiting 0")
    );

    let _ = server.0.kill();
    let _ = server.0.wait();
    let log: Vec<serde_json::Value> = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .map(|l| serde_json::from_str(&l).unwrap_or_else(|e| panic!("not one JSON object: {l}: {e}")))
        .collect();
    assert!(log.iter().any(|l| l["msg"] == "listening"), "{log:?}");
    assert!(
        log.iter().any(|l| l["msg"] == "request" && l["route"] == "/healthz" && l["status"] == 200 && l["ms"].is_u64()),
        "{log:?}"
    );
}
