//! Logged before shown, on a real full file system: the server runs with its database on a small tmpfs
//! (in a mount namespace of its own, `unshare -r -m`, so no privilege is needed on the host), the disk is
//! filled while it serves, and every case it then shows must have its access-log entry; what cannot be
//! logged is refused (503), never served. (Before SQLite's connections were closed after a failed write,
//! this found reads served whose entries had "committed" into a transaction a full disk had left open.)

mod common;

use std::path::Path;

const PASSWORD: &str = "korrekt-hest-batteri-haefteklamme";

/// One request, with the bearer `token` when given.
fn http(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    common::http(port, method, path, &headers, body)
}

fn wait_for(path: &Path) {
    for _ in 0..600 {
        if path.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{} did not appear", path.display());
}

/// Stops the namespace (and the server in it) however the test ends, so that a failed assertion does not
/// leave a server holding the test's output open.
struct Namespace(std::process::Child);

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A folder with a screening of nine cases, `t.csv`, and a mount point `full`.
fn nine_cases() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let mut rows = String::from("cpr,included,area_id,municipality_code,awarded_on,as_of\n");
    for i in 1..=9 {
        rows.push_str(&format!("610580100{i},true,A1,159,2015-01-01,2026-12-01\n"));
    }
    std::fs::write(dir.path().join("t.csv"), rows).expect("csv");
    std::fs::create_dir(dir.path().join("full")).expect("mount point");
    dir
}

#[test]
fn on_a_full_disk_no_case_is_shown_without_its_access_log_entry() {
    let dir = nine_cases();
    let d = dir.path();
    std::fs::write(d.join("password"), PASSWORD).expect("password");
    let port = common::free_port();
    std::fs::create_dir(d.join("after")).expect("after");
    // Inside the namespace: a 3 MiB disk, the database made on it, the server on it; the disk filled on the
    // test's signal; at the end the server stopped, the filler removed and the database copied out.
    let script = format!(
        "set -e\n\
         cd '{d}'\n\
         mount -t tmpfs -o size=3m tmpfs full\n\
         '{bin}' import --database sqlite://full/cases.db --screening t.csv > /dev/null\n\
         '{bin}' user put --database sqlite://full/cases.db --username leder --role home_team_lead --municipality 159 < password > /dev/null\n\
         '{bin}' serve --database sqlite://full/cases.db --outbox full/outbox --listen 127.0.0.1:{port} > serve.log 2>&1 &\n\
         server=$!\n\
         while [ ! -e fill ]; do sleep 0.05; done\n\
         dd if=/dev/zero of=full/filler bs=4k > /dev/null 2>&1 || true\n\
         touch filled\n\
         while [ ! -e done ]; do sleep 0.05; done\n\
         kill $server; wait $server || true\n\
         rm -f full/filler\n\
         cp full/cases.db* after/\n\
         touch copied\n",
        d = d.display(),
        bin = env!("CARGO_BIN_EXE_gennemgang"),
    );
    let mut namespace = Namespace(
        std::process::Command::new("unshare")
            .args(["-r", "-m", "sh", "-c", &script])
            .spawn()
            .expect("unshare (util-linux) runs"),
    );
    // Up, and signed in while the disk has room.
    let mut token = None;
    for _ in 0..600 {
        if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            drop(s);
            let login = format!(r#"{{"username":"leder","password":"{PASSWORD}"}}"#);
            let (status, body) = http(port, "POST", "/api/v1/session", None, &login);
            assert_eq!(status, 200, "{body}");
            let v: serde_json::Value = serde_json::from_str(&body).expect("json");
            token = v["token"].as_str().map(str::to_owned);
            break;
        }
        assert!(namespace.0.try_wait().expect("namespace").is_none(), "the namespace ended early");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let token = token.unwrap_or_else(|| {
        panic!("the server did not start: {}", std::fs::read_to_string(d.join("serve.log")).unwrap_or_default())
    });
    assert_eq!(http(port, "GET", "/api/v1/cases/1", Some(&token), "").0, 200);
    std::fs::write(d.join("fill"), "").expect("signal");
    wait_for(&d.join("filled"));
    // Read every case, many times over, on the full disk: each answer is the case (then logged) or 503.
    let mut served = std::collections::BTreeMap::<i64, i64>::new();
    let mut refused = 0;
    for round in 0..4 {
        for id in 1..=9 {
            let (status, body) = http(port, "GET", &format!("/api/v1/cases/{id}"), Some(&token), "");
            match status {
                200 => *served.entry(id).or_default() += 1,
                503 => {
                    refused += 1;
                    assert!(!body.contains("6105801"), "a refusal shows nothing of the case: {body}");
                }
                other => panic!(
                    "round {round}, case {id}: {other} {body}\n{}",
                    std::fs::read_to_string(d.join("serve.log")).unwrap_or_default()
                ),
            }
        }
    }
    assert!(refused > 0, "the full disk was never felt (served {served:?}): nothing was tested");
    std::fs::write(d.join("done"), "").expect("signal");
    wait_for(&d.join("copied"));
    assert!(namespace.0.wait().expect("namespace").success());
    // Every case the server showed has at least as many logged reads as times it was shown.
    let url = format!("sqlite://{}", d.join("after/cases.db").display());
    let logged: Vec<(i64, i64)> = tokio::runtime::Runtime::new().expect("rt").block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.expect("db");
        sqlx::query_as("SELECT case_id, COUNT(*) FROM access_log WHERE what = 'case' AND allowed GROUP BY case_id")
            .fetch_all(&pool)
            .await
            .expect("log")
    });
    for (id, shown) in &served {
        let n = logged.iter().find(|(c, _)| c == id).map_or(0, |(_, n)| *n);
        // Case 1 was also read once before the disk filled.
        let before = i64::from(*id == 1);
        assert!(n >= shown + before, "case {id}: shown {shown} times, logged {n}");
    }
}

/// A first import onto a full disk fails, and leaves no database behind: no empty stub at schema 0 that a
/// later command would take for a database. Tried with no room at all (the connection fails), a little
/// (the shared memory fails) and more (the schema fails half made). With room again, the same import
/// makes the database whole.
#[test]
fn a_first_import_on_a_full_disk_leaves_no_database_file() {
    let dir = nine_cases();
    let d = dir.path();
    let free_kib = [0, 16, 64];
    let script = format!(
        "cd '{d}'\n\
         mount -t tmpfs -o size=1m tmpfs full || exit 90\n\
         for free in {free}; do\n\
           dd if=/dev/zero of=full/filler bs=1k count=$((1024 - free)) > /dev/null 2>&1\n\
           '{bin}' import --database sqlite://full/cases.db --screening t.csv > $free.out 2> $free.err\n\
           echo $? > $free.rc\n\
           ls -a full > $free.ls\n\
           rm -f full/filler\n\
         done\n\
         '{bin}' import --database sqlite://full/cases.db --screening t.csv > room.out 2> room.err\n\
         echo $? > room.rc\n\
         '{bin}' audit verify --database sqlite://full/cases.db > verify.out 2>&1\n\
         echo $? > verify.rc\n",
        d = d.display(),
        free = free_kib.map(|k| k.to_string()).join(" "),
        bin = env!("CARGO_BIN_EXE_gennemgang"),
    );
    let status = std::process::Command::new("unshare")
        .args(["-r", "-m", "sh", "-c", &script])
        .status()
        .expect("unshare (util-linux) runs");
    assert!(status.success(), "the namespace script failed: {status}");
    let read = |name: &str| std::fs::read_to_string(d.join(name)).unwrap_or_default();
    for free in free_kib {
        let err = read(&format!("{free}.err"));
        assert_ne!(read(&format!("{free}.rc")).trim(), "0", "{free} KiB free: the import reported success");
        assert!(err.contains("error: database:"), "{free} KiB free: the error names the database: {err}");
        let left: Vec<String> = read(&format!("{free}.ls"))
            .lines()
            .filter(|f| !matches!(*f, "." | ".." | "filler"))
            .map(str::to_owned)
            .collect();
        assert!(left.is_empty(), "{free} KiB free: the failed import left {left:?} behind ({err})");
    }
    assert_eq!(read("room.rc").trim(), "0", "with room again: {}", read("room.err"));
    assert!(read("room.out").contains("9 new cases"), "{}", read("room.out"));
    assert_eq!(read("verify.rc").trim(), "0", "{}", read("verify.out"));
}

/// A command that wrote to a new database leaves one file: its connections are closed before it exits,
/// and the last to close folds the write-ahead log into the file (an outside check found, now and then,
/// a 4 KiB file beside a log holding everything, which a copy of the file alone would have lost).
#[test]
fn an_import_leaves_one_database_file_and_no_log_beside_it() {
    let dir = nine_cases();
    let d = dir.path();
    for k in 0..5 {
        let db = d.join(format!("w{k}.db"));
        let out = common::bin()
            .args(["import", "--database", &format!("sqlite://{}", db.display()), "--screening"])
            .arg(d.join("t.csv"))
            .output()
            .expect("import");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        for suffix in ["-wal", "-shm"] {
            let log = d.join(format!("w{k}.db{suffix}"));
            assert!(!log.exists(), "import {k} left {}", log.display());
        }
        assert!(std::fs::metadata(&db).expect("db").len() > 4096, "import {k}: the file holds the cases");
    }
}
