//! Guessing a colleague's password from outside, against the real server: guesses lock the account for the
//! address they came from only. The server is configured to trust 127.0.0.1 as its load balancer, so that
//! `X-Forwarded-For` can play the addresses of the guesser and of the account's holder.

mod common;

use common::{Server, bin, free_port, http, run_with_stdin, stderr};
use std::process::Stdio;

const PASSWORD: &str = "bench-password-1";

#[test]
fn guesses_from_one_address_keep_the_account_locked_there_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let put =
        ["user", "put", "--database", &db, "--username", "leder", "--role", "home_team_lead", "--municipality", "159"];
    let o = run_with_stdin(&put, &format!("{PASSWORD}\n"));
    assert!(o.status.success(), "{}", stderr(&o));
    let port = free_port();
    let config = dir.path().join("gennemgang.toml");
    let example = std::fs::read_to_string(common::crate_dir().join("../../examples/gennemgang.toml")).expect("example");
    let server =
        format!("[server]\ndatabase = \"{db}\"\nlisten = \"127.0.0.1:{port}\"\ntrusted_proxies = [\"127.0.0.1\"]\n");
    std::fs::write(&config, format!("{server}\n{example}")).expect("config");
    let _server = Server(
        bin()
            .args(["serve", "--config"])
            .arg(&config)
            .env_remove("DATABASE_URL")
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve"),
    );
    let sign_in = |password: &str, from: &str| {
        let body = format!(r#"{{"username":"leder","password":"{password}"}}"#);
        http(port, "POST", "/api/v1/session", &[("X-Forwarded-For", from)], &body).0
    };
    for _ in 0..600 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // What the client writes to the left of the balancer's entry is not believed.
    for _ in 0..5 {
        assert_eq!(sign_in("forkert", "192.0.2.10, 203.0.113.66"), 401);
    }
    assert_eq!(sign_in(PASSWORD, "203.0.113.66"), 401, "locked for the guesser's address");
    assert_eq!(sign_in(PASSWORD, "192.0.2.10"), 200, "the holder signs in from hers");
    assert_eq!(sign_in(PASSWORD, "203.0.113.66"), 401, "and the guesser's address stays locked");
    // Guessing on past ten a minute is turned away (429) for the guesser's address only.
    let answers: Vec<u16> = (0..4).map(|_| sign_in("forkert", "203.0.113.66")).collect();
    assert_eq!(answers, [401, 401, 401, 429]);
    assert_eq!(sign_in(PASSWORD, "192.0.2.10"), 200, "the holder is not turned away from hers");
    // One address in its IPv6 form is the same address.
    assert_eq!(sign_in(PASSWORD, "::ffff:203.0.113.66"), 429);
    // An IPv6 network of a subscriber's size (a /48) is one source: new addresses or /64s in it give no new
    // guesses.
    for n in 1..=5 {
        assert_eq!(sign_in("forkert", &format!("2001:db8:7:{n}::1")), 401);
    }
    assert_eq!(sign_in(PASSWORD, "2001:db8:7:ff::9"), 401, "locked for the whole /48");
    assert_eq!(sign_in(PASSWORD, "2001:db8:1:2::1"), 200, "not for another network");
}
