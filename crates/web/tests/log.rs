//! The server's log through the router: one JSON object per line, a line per request with its route
//! template and user, every 500 with its causes, and never a CPR number or case text. In a file of its own,
//! as it installs the process's logger.

use axum::http::StatusCode;
use gennemgang_store_tests::conformance::row;
use serde_json::{Value, json};

#[expect(dead_code, reason = "this file uses some of the shared helpers")]
mod common;
use common::*;

/// Log lines as the server writes them.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<Value> {
        let bytes = self.0.lock().expect("log").clone();
        String::from_utf8(bytes)
            .expect("UTF-8")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object: {l}: {e}")))
            .collect()
    }
}

#[tokio::test]
async fn the_log_has_a_line_per_request_with_its_route_and_user_and_never_a_cpr_number_or_case_text() {
    use tracing_subscriber::layer::SubscriberExt as _;
    // The process's logger, as `serve` installs it (this file holds this one test, so nothing else logs).
    let log = Captured::default();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(gennemgang_web::log::JsonLines::new(Box::new(log.clone()))),
    )
    .expect("the only logger");
    let app = app().await;
    let cpr = row(1, 159).cpr;
    let (lead, sb) = (token(&app, "leder").await, token(&app, "sb").await);
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    ok(&app, &sb, 1, json!({"action": "record_evidence", "source": "income_register", "summary": "Hemmelig løn hos Xylofonfabrikken", "obtained_on": "2026-11-20"})).await;
    ok(&app, &sb, 1, json!({"action": "summon", "interview_on": "2026-12-07"})).await;
    ok(
        &app,
        &sb,
        1,
        json!({"action": "hold_interview", "journal_note": "Borgeren fortalte om sin ryg og sin datter Zenobia."}),
    )
    .await;
    // A refused action, a case of another municipality, the full CPR number revealed, a page, a search of
    // the worklist by CPR number: none of it may reach the log but the route.
    assert_eq!(
        act(&app, &sb, 1, json!({"action": "assess_reopen", "ground": "Zenobia", "evidence": [7]})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(get(&app, &sb, "/api/v1/cases/4").await.0, StatusCode::NOT_FOUND);
    let desk = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &desk, "/sager/1").await;
    let (_, _, html) =
        post_form(&app, &desk, "/sager/1/cpr", &format!("csrf={}&purpose=Partsh%C3%B8ring", csrf_in(&html))).await;
    assert!(html.contains(&cpr));
    let (_, headers, _) = page(&app, &desk, &format!("/sager?q={cpr}")).await;
    let request_id = headers["x-request-id"].to_str().expect("id").to_owned();
    // Something of ours fails: the 500 is logged with its chain of causes.
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", app._dir.path().join("t.db").display())).await.expect("raw");
    sqlx::query("ALTER TABLE sessions RENAME TO sessions_gone").execute(&pool).await.expect("break");
    assert_eq!(page(&app, &desk, "/sager").await.0, StatusCode::INTERNAL_SERVER_ERROR);

    let lines = log.lines();
    let text = serde_json::to_string(&lines).expect("json");
    let formatted = format!("{}-{}", &cpr[..6], &cpr[6..]);
    for secret in [cpr.as_str(), &formatted, "Xylofon", "Zenobia", "ryg", "Partshøring"] {
        assert!(!text.contains(secret), "{secret} in the log: {text}");
    }
    assert!(lines.iter().all(|l| l["level"].is_string() && l["msg"].is_string() && l["ts"].is_string()), "{text}");
    let requests: Vec<&Value> = lines.iter().filter(|l| l["msg"] == "request").collect();
    assert!(requests.len() >= 12, "{text}");
    for r in &requests {
        assert!(r["method"].is_string() && r["route"].is_string() && r["status"].is_u64() && r["ms"].is_u64(), "{r}");
        assert!(r["request_id"].is_string(), "{r}");
    }
    let line = |method: &str, route: &str, status: u64| {
        requests.iter().any(|r| r["method"] == method && r["route"] == route && r["status"] == status)
    };
    assert!(line("POST", "/api/v1/cases/{id}/actions", 422) && line("GET", "/api/v1/cases/{id}", 404), "{text}");
    assert!(line("POST", "/sager/{id}/cpr", 200), "{text}");
    // The user is on the line of every request they were signed in for.
    assert!(requests.iter().any(|r| r["route"] == "/sager/{id}/cpr" && r["user"] == "sb"), "{text}");
    assert!(requests.iter().any(|r| r["request_id"] == request_id.as_str() && r["route"] == "/sager"), "{text}");
    let failure = lines.iter().find(|l| l["msg"] == "server error").expect("the 500 is logged");
    assert!(
        failure["level"] == "error" && failure["error"].as_str().is_some_and(|e| e.contains("sessions")),
        "{failure}"
    );
    assert!(line("GET", "/sager", 500), "{text}");
}
