//! The application through its router, in process: the API's golden path by every role, access across
//! municipalities (404, logged), sign-in with lockout, CSRF, security headers, statistics without person
//! data, and the OpenAPI document against the routes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gennemgang_case::action::ActionKind;
use gennemgang_store::Store;
use gennemgang_store_tests::conformance::row;
use gennemgang_web::{AppState, routes::router};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

mod common;
use common::*;

/// Phase 1 on the clock's day: the income register consulted, the rest of the checklist marked as not
/// relevant, the citizen summoned for today and the interview held.
async fn phase_1(app: &App, sb: &str, id: i64) {
    ok(app, sb, id, json!({"action": "record_evidence", "source": "income_register", "summary": "Løn", "obtained_on": "2026-11-20"})).await;
    for source in ["pension_case", "other_administration", "public_activity", "criminal_record"] {
        ok(app, sb, id, json!({"action": "mark_not_relevant", "source": source, "reason": "Ikke relevant."})).await;
    }
    ok(app, sb, id, json!({"action": "summon", "interview_on": "2026-12-07"})).await;
    ok(app, sb, id, json!({"action": "hold_interview", "journal_note": "Samtale holdt."})).await;
}

/// Phase 1, then reopened and sent on to the deciding municipality.
async fn reopen_and_send(app: &App, sb: &str, id: i64) {
    phase_1(app, sb, id).await;
    ok(app, sb, id, json!({"action": "assess_reopen", "ground": "Lønindkomst.", "evidence": [0]})).await;
    ok(app, sb, id, json!({"action": "notify_reopening", "sent_on": "2026-12-07"})).await;
    ok(app, sb, id, json!({"action": "no_new_information", "reason": "Indkomsten er oplyst."})).await;
    ok(app, sb, id, json!({"action": "send_to_deciding"})).await;
}

#[tokio::test]
async fn golden_path_through_the_api_by_every_role() {
    let app = app().await;
    let (lead, sb, afg, att) =
        (token(&app, "leder").await, token(&app, "sb").await, token(&app, "afg").await, token(&app, "att").await);
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    ok(&app, &sb, 1, json!({"action": "record_evidence", "source": "income_register", "summary": "Lønindkomst 2025", "obtained_on": "2026-11-20"})).await;
    ok(&app, &sb, 1, json!({"action": "record_evidence", "source": "criminal_record", "summary": "Dom 2024", "obtained_on": "2026-11-20"})).await;
    for source in ["pension_case", "other_administration", "public_activity"] {
        ok(&app, &sb, 1, json!({"action": "mark_not_relevant", "source": source, "reason": "Ikke relevant."})).await;
    }
    ok(&app, &sb, 1, json!({"action": "summon", "interview_on": "2026-12-07"})).await;
    ok(&app, &sb, 1, json!({"action": "hold_interview", "journal_note": "Borgeren arbejder 20 timer om ugen."})).await;
    ok(&app, &sb, 1, json!({"action": "assess_reopen", "ground": "Lønindkomst.", "evidence": [0]})).await;
    ok(&app, &sb, 1, json!({"action": "notify_reopening", "sent_on": "2026-12-07"})).await;
    let hearing = || {
        [
            json!({"action": "start_hearing", "adverse_information": "Lønindkomst", "sent_on": "2026-12-07"}),
            json!({"action": "complete_hearing", "answer": "Jeg er i fleksjob.", "on": "2026-12-07"}),
        ]
    };
    for a in hearing() {
        ok(&app, &sb, 1, a).await;
    }
    ok(&app, &sb, 1, json!({"action": "no_new_information", "reason": "Indkomsten er oplyst."})).await;
    let sent = ok(&app, &sb, 1, json!({"action": "send_to_deciding"})).await;
    assert_eq!(sent["phase"], "decision");
    // The deciding municipality sends it back; home informs it further, hears the citizen again, sends again.
    ok(&app, &afg, 1, json!({"action": "receive"})).await;
    ok(&app, &afg, 1, json!({"action": "send_back", "reasons": ["work_capacity"], "note": "Arbejdsprøvning mangler"}))
        .await;
    ok(&app, &sb, 1, json!({"action": "record_work_trial", "from": "2026-11-01", "to": "2026-11-20", "place": "Virksomhed A", "outcome": "15 timer"})).await;
    ok(&app, &sb, 1, json!({"action": "send_to_deciding"})).await;
    ok(&app, &afg, 1, json!({"action": "receive"})).await;
    ok(&app, &afg, 1, json!({"action": "validate", "notes": "Oplyst."})).await;
    // The work trial came after the hearing: no revocation until the citizen is heard on it.
    let (status, problem) = act(
        &app,
        &afg,
        1,
        json!({"action": "propose_revocation", "reasons": "Forbedret arbejdsevne.", "keep_payment_months": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem.to_string().contains("forvaltningslovens § 19"), "{problem}");
    // A decision date or a record in the request is refused, never used.
    let (status, problem) = act(
        &app,
        &afg,
        1,
        json!({"action": "propose_revocation", "reasons": "x", "keep_payment_months": 0, "decided_on": "2020-01-01"}),
    )
    .await;
    assert!(status.is_client_error() && problem.to_string().contains("decided_on"), "{status} {problem}");
    let (_, case) = get(&app, &afg, "/api/v1/cases/1").await;
    assert_eq!(case["state"], "under_decision", "nothing was proposed");
    ok(&app, &afg, 1, json!({"action": "send_back", "reasons": ["hearing"], "note": "Høring om praktikken"})).await;
    for a in hearing() {
        ok(&app, &sb, 1, a).await;
    }
    ok(&app, &sb, 1, json!({"action": "send_to_deciding"})).await;
    ok(&app, &afg, 1, json!({"action": "receive"})).await;
    ok(&app, &afg, 1, json!({"action": "validate", "notes": "Oplyst."})).await;
    ok(
        &app,
        &afg,
        1,
        json!({"action": "propose_revocation", "reasons": "Forbedret arbejdsevne.", "keep_payment_months": 3}),
    )
    .await;
    // Approved by a second user, on the server's day.
    let decided = ok(&app, &att, 1, json!({"action": "approve_revocation"})).await;
    assert_eq!(decided["state"], "decided");
    let (_, case) = get(&app, &afg, "/api/v1/cases/1").await;
    assert_eq!(case["decision"]["decided_on"], "2026-12-07", "the decision date is the server's day");
    ok(&app, &afg, 1, json!({"action": "send_decision_letter", "sent_on": "2026-12-07", "channel": "digital"})).await;
    // Notified: the system tells Udbetaling Danmark what stops and from when, once.
    let notices: Vec<_> = std::fs::read_dir(app._dir.path().join("outbox/udbetaling-danmark"))
        .expect("the notice is written")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert_eq!(notices.len(), 1);
    let notice: serde_json::Value = serde_json::from_str(&notices[0]).expect("json");
    assert_eq!(
        (&notice["kind"], &notice["effective_from"], &notice["last_paid_day"], &notice["keep_payment_months"]),
        (&json!("stop"), &json!("2027-01-01"), &json!("2027-03-31"), &json!(3))
    );
    let (_, case) = get(&app, &afg, "/api/v1/cases/1").await;
    assert_eq!(case["payment_notices"].as_array().map(Vec::len), Some(1), "and records it");
    app.clock.advance_to(jiff::civil::date(2026, 12, 21));
    ok(&app, &afg, 1, json!({"action": "receive_complaint", "received_on": "2026-12-21"})).await;
    let (_, case) = get(&app, &afg, "/api/v1/cases/1").await;
    assert_eq!(case["state"], "complaint_received");
    assert_eq!(case["letter"]["complaint_deadline"], "2027-01-04");
    assert_eq!(case["decision"]["effective_from"], "2027-01-01", "in force only after it reached the citizen");
    assert_eq!(case["complaint"]["within_deadline"], true);
    assert_eq!(case["facts"]["cpr"].as_str().map(|c| c.ends_with("-****")), Some(true), "CPR masked in the API");
    assert!(case["evidence"][1]["summary"].as_str().is_some_and(|s| s.contains("følsom")), "criminal record withheld");
    let (_, events) = get(&app, &afg, "/api/v1/cases/1/events").await;
    assert_eq!(events["items"].as_array().map(Vec::len), Some(32), "the import, 30 actions and the system's notice");
    assert!(!events.to_string().contains(&row(1, 159).cpr), "no CPR number in the history the API shows");
    assert!(
        matches!(app.store.verify_chain(None).await.expect("verify"), gennemgang_store::ChainReport::Intact(h) if h.events == 35)
    );
}

#[tokio::test]
async fn every_role_against_other_municipalities_cases() {
    let app = app().await;
    let aarhus = token(&app, "aarhus").await;
    let lead = token(&app, "leder").await;
    let sb = token(&app, "sb").await;
    let afg_aarhus = token(&app, "afg-aarhus").await;
    // Each sees only its own.
    let (_, list) = get(&app, &lead, "/api/v1/cases").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(3));
    let (_, list) = get(&app, &aarhus, "/api/v1/cases").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    // Another municipality's case does not exist: 404 for reading and for acting, and the attempt is logged.
    assert_eq!(get(&app, &aarhus, "/api/v1/cases/1").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &aarhus, "/api/v1/cases/1/events").await.0, StatusCode::NOT_FOUND);
    assert_eq!(act(&app, &aarhus, 1, json!({"action": "assign", "caseworker": "x"})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &lead, "/api/v1/cases/999").await.0, StatusCode::NOT_FOUND);
    let log = app.store.access_log().await.expect("log");
    assert!(log.iter().any(|e| e.user == "aarhus" && e.case_id == Some(1) && !e.allowed));
    // A caseworker sees no case that is not assigned to them; a deciding municipality none before phase 3.
    assert_eq!(get(&app, &sb, "/api/v1/cases/1").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &afg_aarhus, "/api/v1/cases/4").await.0, StatusCode::NOT_FOUND);
    // A team lead cannot do a caseworker's step.
    ok(&app, &lead, 2, json!({"action": "assign", "caseworker": "sb"})).await;
    assert_eq!(
        act(&app, &lead, 2, json!({"action": "summon", "interview_on": "2030-01-01"})).await.0,
        StatusCode::FORBIDDEN
    );
    // The ministry and operators see no person data at all.
    for who in ["analytiker", "drift"] {
        let t = token(&app, who).await;
        assert_eq!(get(&app, &t, "/api/v1/cases").await.0, StatusCode::FORBIDDEN);
        assert_eq!(get(&app, &t, "/api/v1/cases/1").await.0, StatusCode::NOT_FOUND);
    }
    // Statistics: aggregates only, small numbers hidden.
    let analyst = token(&app, "analytiker").await;
    let (status, stats) = get(&app, &analyst, "/api/v1/stats").await;
    assert_eq!(status, StatusCode::OK);
    let text = stats.to_string();
    assert!(!text.contains("cpr") && !text.contains(&row(1, 159).cpr));
    assert_eq!(stats["by_municipality"][0]["count"], "x", "3 cases in Gladsaxe are hidden: {stats}");
    assert_eq!(get(&app, &sb, "/api/v1/stats").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn optimistic_concurrency_over_http() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    let to = |version: &str, caseworker: &str| {
        Request::post("/api/v1/cases/1/actions")
            .header(header::AUTHORIZATION, format!("Bearer {lead}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, version)
            .body(Body::from(json!({"action": "assign", "caseworker": caseworker}).to_string()))
            .expect("req")
    };
    let request = |version: &str| to(version, "sb");
    assert_eq!(send(&app, request("1")).await.0, StatusCode::OK);
    let (status, _, body) = send(&app, request("1")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(problem_type(&body), "urn:gennemgang:problem:version-conflict");
    // A guard the server cannot read is refused, never ignored: nothing is written.
    for malformed in ["garbage", "\"2", "-1", "+2", "2.0", "W/\"2\"", "99999999999", ""] {
        let (status, headers, body) = send(&app, request(malformed)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{malformed:?}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json", "{malformed:?}");
        assert_eq!(problem_type(&body), "urn:gennemgang:problem:bad-if-match", "{malformed:?}");
    }
    let twice = Request::post("/api/v1/cases/1/actions")
        .header(header::AUTHORIZATION, format!("Bearer {lead}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, "2")
        .header(header::IF_MATCH, "garbage")
        .body(Body::from(json!({"action": "assign", "caseworker": "sb"}).to_string()))
        .expect("req");
    assert_eq!(send(&app, twice).await.0, StatusCode::BAD_REQUEST, "two If-Match headers");
    assert_eq!(app.store.case(1).await.expect("read").expect("case").version, 2, "no action landed");
    assert_eq!(send(&app, to("\"2\"", "sb2")).await.0, StatusCode::OK, "a quoted version is a version");
    let (status, _, body) = send(
        &app,
        Request::post("/api/v1/cases/1/actions")
            .header(header::AUTHORIZATION, format!("Bearer {lead}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"action\":\"assign\",\"caseworker\":\"sb\",\"x\":1}"))
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(problem_type(&body), "urn:gennemgang:problem:not-an-action");
}

fn problem_type(body: &str) -> String {
    serde_json::from_str::<Value>(body).ok().and_then(|p| p["type"].as_str().map(str::to_owned)).unwrap_or_default()
}

/// Each rule that refuses an action has a problem type of its own, and a wrong field is named: a client
/// can tell a state that does not fit from a field to correct without parsing Danish.
#[tokio::test]
async fn each_refusal_rule_has_its_own_problem_type() {
    let app = app().await;
    let sb = token(&app, "sb").await;
    let lead = token(&app, "leder").await;
    // A blank caseworker is a field to correct, and the problem names it.
    let (status, body) = act(&app, &lead, 1, json!({"action": "assign", "caseworker": " "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["type"], "urn:gennemgang:problem:invalid-field", "{body}");
    assert_eq!(body["field"], "caseworker", "{body}");
    // Sending on before the review is done does not fit the case's state.
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let (status, body) = act(&app, &sb, 1, json!({"action": "send_to_deciding"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["type"], "urn:gennemgang:problem:action-not-now", "{body}");
    assert!(body.get("field").is_none(), "{body}");
    // A caseworker may not do what only a deciding municipality does; a case out of reach is not found.
    let (status, body) = act(&app, &sb, 1, json!({"action": "take_for_decision"})).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY), "{body}");
    assert!(body["type"].as_str().is_some_and(|t| t.starts_with("urn:gennemgang:problem:")), "{body}");
    let (status, body) = get(&app, &sb, "/api/v1/cases/999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["type"], "urn:gennemgang:problem:case-not-found");
    // Every type the API uses is described in the OpenAPI document.
    let document = gennemgang_web::openapi::document();
    for (name, _) in gennemgang_web::api::PROBLEM_TYPES {
        assert!(document.contains(&format!("urn:gennemgang:problem:{name}")), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_locks_after_repeated_failures_and_bad_tokens_are_refused() {
    let app = app().await;
    let attempt = |username: &str, password: &str| {
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"username": username, "password": password}).to_string()))
            .expect("req")
    };
    // Before any lock: an unknown name and a wrong password get the same answer.
    let (status, _, unknown) = send(&app, attempt("ingen-saadan", "forkert")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, _, wrong) = send(&app, attempt("sb2", "forkert")).await;
    assert_eq!(wrong, unknown, "the answer does not tell whether the name exists");
    // 25 wrong passwords at once lock the account as surely as 25 in a row: each failure that reaches the
    // check is counted (those beyond 10 a minute for the name are turned away first, 429).
    let tries: Vec<_> = (0..25)
        .map(|_| {
            let router = app.router.clone();
            let request = attempt("sb", "forkert");
            tokio::spawn(async move { router.oneshot(request).await.expect("response").status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count(), 10, "{statuses:?}");
    assert!(statuses.iter().all(|s| [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(s)));
    // Locked for the address they came from (a test through the router has none: ""), where even the right
    // password is refused now (asked past the limit per name a minute, which the form and the API apply).
    let right = |user: &'static str, source: &'static str| {
        let store = app.store.clone();
        async move { gennemgang_app::auth::sign_in(&store, user, PASSWORD, source, jiff::Timestamp::now()).await.is_ok() }
    };
    assert!(!right("sb", "").await, "locked after concurrent failures");
    let (status, headers, _) = send(&app, attempt("sb", PASSWORD)).await;
    assert_eq!(
        (status, headers.get(header::RETRY_AFTER).map(|v| v.as_bytes())),
        (StatusCode::TOO_MANY_REQUESTS, Some(&b"60"[..]))
    );
    // After 5 failures in a row, even the right password is refused, in the same words as a wrong one, and
    // the account is locked.
    for _ in 0..gennemgang_app::auth::MAX_FAILURES {
        assert_eq!(send(&app, attempt("leder", "forkert")).await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, _, body) = send(&app, attempt("leder", PASSWORD)).await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &unknown));
    assert!(body.contains("spærres kontoen i 15 minutter"), "{body}");
    assert_eq!(send(&app, attempt("leder", PASSWORD)).await.0, StatusCode::UNAUTHORIZED, "still locked");
    // Only for the address the guesses came from: the colleague signs in from hers, and that does not
    // unlock the guesser's.
    assert!(right("leder", "192.0.2.10").await, "locked out from elsewhere by someone else's guesses");
    assert_eq!(send(&app, attempt("leder", PASSWORD)).await.0, StatusCode::UNAUTHORIZED, "still locked there");
    // A burst of guesses with the right password last gets no more checks than a row of them: attempts are
    // counted before the password is checked, so a right one beyond the fifth is refused.
    let burst: Vec<_> = (0..10)
        .map(|n| {
            let router = app.router.clone();
            let request = attempt("aarhus", if n == 9 { PASSWORD } else { "forkert" });
            tokio::spawn(async move { router.oneshot(request).await.expect("response").status() })
        })
        .collect();
    let mut signed_in = 0;
    for b in burst {
        signed_in += usize::from(b.await.expect("task") == StatusCode::OK);
    }
    let locked = !right("aarhus", "").await;
    // Either the right one came among the first five (signed in, count started again) or it was refused
    // by the lock the sixth attempt set; never both a lock and a success after it.
    assert!((signed_in == 1) != locked, "{signed_in} signed in, locked: {locked}");
    // A colleague is not locked by them, and signs in.
    assert_eq!(send(&app, attempt("sb2", PASSWORD)).await.0, StatusCode::OK);
    assert_eq!(get(&app, "0".repeat(64).as_str(), "/api/v1/cases").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, "not-a-token", "/api/v1/cases").await.0, StatusCode::UNAUTHORIZED);
    let (status, _, _) = send(&app, Request::get("/api/v1/cases").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn pages_with_csrf_security_headers_and_logged_cpr() {
    let app = app().await;
    // Without a session: to the sign-in page, which goes on to the page asked for.
    let (status, headers, _) = send(&app, Request::get("/sager").body(Body::empty()).expect("req")).await;
    assert_eq!(
        (status, headers.get(header::LOCATION).and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some("/login?tilbage=%2Fsager"))
    );
    // Login CSRF: a post without the login cookie is refused.
    let (status, _, _) = send(
        &app,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("csrf=x&username=leder&password=y"))
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let lead = browser_login(&app, "leder").await;
    let (status, headers, html) = page(&app, &lead, "/sager").await;
    assert_eq!(status, StatusCode::OK);
    for h in [
        "content-security-policy",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "strict-transport-security",
    ] {
        assert!(headers.contains_key(h), "{h} missing");
    }
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .is_ok_and(|v| v.contains("script-src 'self'") && !v.contains("unsafe"))
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(html.contains("lang=\"da\"") && html.contains("3 sager i alt"), "{html}");
    assert!(!html.contains(&row(1, 159).cpr), "the worklist masks CPR numbers");
    // Every page names its icon, and the icon and a print stylesheet are served.
    assert!(html.contains("<link rel=\"icon\" href=\"/static/favicon.svg\""), "{html}");
    let (status, headers, svg) = page(&app, &lead, "/static/favicon.svg").await;
    assert_eq!((status, headers[header::CONTENT_TYPE].to_str().ok()), (StatusCode::OK, Some("image/svg+xml")));
    assert!(svg.starts_with("<svg"));
    assert!(page(&app, &lead, "/static/app.css").await.2.contains("@media print"));
    let csrf = csrf_in(&html);
    // A form without the right CSRF token is refused and changes nothing.
    let (status, _, _) =
        post_form(&app, &lead, "/sager/1/handling/assign", "csrf=forkert&seen_version=1&caseworker=sb").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.case(1).await.expect("read").expect("case").version, 1);
    // A version the server cannot read is refused, not taken as "any version".
    for seen in
        ["seen_version=1x", "seen_version=", "seen_version=1&seen_version=x", "seen_version=1&seen_version=1", ""]
    {
        let form = format!("csrf={csrf}&{seen}&caseworker=sb");
        assert_eq!(
            post_form(&app, &lead, "/sager/1/handling/assign", &form).await.0,
            StatusCode::BAD_REQUEST,
            "{seen}"
        );
    }
    let (status, _, html) =
        post_form(&app, &lead, "/sager/1/handling/assign", &format!("csrf={csrf}&seen_version=1x&caseworker=sb")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&html).contains("Sagens version i formularen er ikke et tal"), "{}", text_of(&html));
    assert_eq!(app.store.case(1).await.expect("read").expect("case").version, 1);
    // With it, the action lands and the page redirects back to the case.
    let (status, headers, _) =
        post_form(&app, &lead, "/sager/1/handling/assign", &format!("csrf={csrf}&seen_version=1&caseworker=sb")).await;
    assert_eq!(
        (status, headers.get(header::LOCATION).and_then(|v| v.to_str().ok())),
        (StatusCode::SEE_OTHER, Some("/sager/1?udfoert=assign"))
    );
    // The case page confirms what was done, in Danish; an address naming no action confirms nothing.
    let (_, _, html) = page(&app, &lead, "/sager/1?udfoert=assign").await;
    assert!(text_of(&html).contains("Registreret på sagen: Fordel sagen"), "{}", text_of(&html));
    let (_, _, html) = page(&app, &lead, "/sager/1?udfoert=%3Cscript%3E").await;
    assert!(!text_of(&html).contains("Registreret på sagen") && !html.contains("<script>"));
    // A server-side validation error comes back with an error summary linking to the field.
    let sb = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &sb, "/sager/1").await;
    let csrf = csrf_in(&html);
    assert!(html.contains("611080-****") || html.contains("-****"));
    let (status, _, html) =
        post_form(&app, &sb, "/sager/1/handling/summon", &format!("csrf={csrf}&seen_version=2&interview_on=")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("href=\"#summon-interview_on\""), "{html}");
    // The full CPR number only with a purpose, and the read is logged with it.
    let before = app.store.access_log().await.expect("log").len();
    let (_, _, html) = post_form(&app, &sb, "/sager/1/cpr", &format!("csrf={csrf}&purpose=Partsh%C3%B8ring")).await;
    assert!(html.contains(&row(1, 159).cpr));
    // Logged exactly: the CPR number with its purpose, and the page that showed it; nothing twice.
    let log = app.store.access_log().await.expect("log");
    let read: Vec<(&str, Option<&str>, bool)> =
        log[before..].iter().map(|e| (e.what.as_str(), e.purpose.as_deref(), e.allowed)).collect();
    assert_eq!(read, [("cpr", Some("Partshøring"), true), ("case", None, true)]);
    assert!(log[before..].iter().all(|e| e.user == "sb" && e.case_id == Some(1)));
    // Asked without a purpose, the CPR number stays hidden and the attempt is logged, refused.
    let before = log.len();
    let (status, _, html) = post_form(&app, &sb, "/sager/1/cpr", &format!("csrf={csrf}&purpose=%20")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!html.contains(&row(1, 159).cpr));
    let log = app.store.access_log().await.expect("log");
    let read: Vec<(&str, Option<&str>, bool)> =
        log[before..].iter().map(|e| (e.what.as_str(), e.purpose.as_deref(), e.allowed)).collect();
    assert_eq!(read, [("cpr", None, false), ("case", None, true)]);
    // Another municipality's attempt is logged, refused, with the purpose it gave, and shows nothing.
    let aarhus = browser_login(&app, "aarhus").await;
    let (_, _, other) = page(&app, &aarhus, "/sager").await;
    let before = app.store.access_log().await.expect("log").len();
    // Its purpose is kept on one line (a line break would forge a read in the aktindsigt file), and a blank
    // one is none.
    for purpose in ["nysgerrig%0A7.%20december%202026%3A%20falsk", "%20%20"] {
        let (status, _, html) =
            post_form(&app, &aarhus, "/sager/1/cpr", &format!("csrf={}&purpose={purpose}", csrf_in(&other))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!html.contains(&row(1, 159).cpr));
    }
    let log = app.store.access_log().await.expect("log");
    let read: Vec<(&str, Option<&str>, bool)> =
        log[before..].iter().map(|e| (e.what.as_str(), e.purpose.as_deref(), e.allowed)).collect();
    assert_eq!(read, [("cpr", Some("nysgerrig 7. december 2026: falsk"), false), ("cpr", None, false)]);
    // So is its attempt at the sensitive details, with the purpose it gave, though the case read fails first.
    let before = log.len();
    let form = format!("csrf={}&purpose=Kontrol%20af%20dom", csrf_in(&other));
    assert_eq!(post_form(&app, &aarhus, "/sager/1/foelsomme", &form).await.0, StatusCode::NOT_FOUND);
    let log = app.store.access_log().await.expect("log");
    let read: Vec<(&str, Option<&str>, bool)> =
        log[before..].iter().map(|e| (e.what.as_str(), e.purpose.as_deref(), e.allowed)).collect();
    assert_eq!(read, [("case", Some("Kontrol af dom"), false)]);
    let (_, _, html) = page(&app, &sb, "/sager/1/adgangslog").await;
    assert!(html.contains("Partshøring"));
    // Another municipality's case page does not exist.
    assert_eq!(page(&app, &aarhus, "/sager/1").await.0, StatusCode::NOT_FOUND);
    // Sign out ends the session.
    let (_, _, html) = page(&app, &lead, "/sager").await;
    let (status, _, _) = post_form(&app, &lead, "/logout", &format!("csrf={}", csrf_in(&html))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page(&app, &lead, "/sager").await.0, StatusCode::SEE_OTHER);
    // Static assets are served.
    let (status, headers, _) =
        send(&app, Request::get("/static/dkfds/css/dkfds.min.css").body(Body::empty()).expect("req")).await;
    assert_eq!(
        (status, headers[header::CONTENT_TYPE].to_str().ok()),
        (StatusCode::OK, Some("text/css; charset=utf-8"))
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = app().await;
    let (status, _, body) = send(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::OK);
    let spec: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(spec["openapi"], "3.1.0");
    let mut documented: Vec<String> = spec["paths"].as_object().expect("paths").keys().cloned().collect();
    documented.sort();
    let routes = include_str!("../src/routes.rs");
    let mut routed: Vec<String> = routes
        .lines()
        .filter_map(|l| l.trim().strip_prefix(".route(\"/api/v1"))
        .filter_map(|l| l.split('"').next())
        .map(|p| format!("/api/v1{p}"))
        .collect();
    routed.sort();
    assert_eq!(documented, routed);
    // Every action of the case crate is named in the request schema, with its own fields.
    let variants = spec["components"]["schemas"]["Action"]["oneOf"].as_array().expect("Action is a oneOf");
    let named: Vec<&str> = variants.iter().filter_map(|v| v["properties"]["action"]["enum"][0].as_str()).collect();
    assert!(named.len() >= 30 && named.contains(&"propose_revocation") && named.contains(&"send_back"), "{named:?}");
    let send_back = variants.iter().find(|v| v["properties"]["action"]["enum"][0] == "send_back").expect("send_back");
    assert_eq!(send_back["properties"]["reasons"]["items"]["$ref"], "#/components/schemas/SendBackReason");
    assert_eq!(send_back["additionalProperties"], false, "unknown fields are refused, and the schema says so");
    // A path parameter is one the path names (found by an outside check: the search's `q` was declared in
    // the path, so generated clients built the address wrong).
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for op in item.as_object().expect("operations").values() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().expect("named");
                assert_eq!(p["in"] == "path", path.contains(&format!("{{{name}}}")), "{path}: {name}");
            }
        }
    }
    assert_eq!(send(&app, Request::get("/healthz").body(Body::empty()).expect("req")).await.0, StatusCode::OK);
}

/// The generated document equals the committed snapshot, so a change to the API contract is a reviewed change
/// of `crates/web/openapi.json`. `UPDATE_OPENAPI=1 cargo test -p gennemgang-web openapi` rewrites it.
#[test]
fn the_openapi_document_matches_its_snapshot() {
    let generated = gennemgang_web::openapi::document();
    let path = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, format!("{generated}\n")).expect("write the snapshot");
    }
    let committed = std::fs::read_to_string(&path).expect("crates/web/openapi.json");
    assert!(
        committed.trim_end() == generated,
        "the OpenAPI document changed; review it with UPDATE_OPENAPI=1 cargo test -p gennemgang-web openapi && git diff"
    );
}

/// Three areas under review-2025 (≥ 1,000 residents and ≥ 2 of 4 criteria): A1 selected (2 criteria), A2
/// one criterion short, A3 with every criterion but too few residents. Candidates per area from a screening.
async fn app_with_areas() -> App {
    let app = app().await;
    let set = gennemgang_rules::criteria::builtin("review-2025").expect("set");
    let area = |id: &str, residents: u64, no_work: &str, convicted: &str, basic: &str, income: &str| {
        let values = [
            ("share_no_work_or_education_pct", no_work),
            ("convicted_share_pct", convicted),
            ("national_convicted_share_pct", "1.0"),
            ("share_basic_education_pct", basic),
            ("income_pct_of_region", income),
        ];
        gennemgang_registers::areas::AreaRow {
            area_id: id.into(),
            area_name: format!("Område {id}"),
            municipality: "Gladsaxe".into(),
            region: "Region Hovedstaden".into(),
            residents: Some(residents),
            values: values.iter().map(|(k, v)| ((*k).to_owned(), v.parse().expect("decimal"))).collect(),
        }
    };
    let rows = vec![
        area("A1", 1500, "35", "2.5", "65", "70"),
        area("A2", 1500, "35", "1.5", "50", "70"),
        area("A3", 900, "35", "2.5", "65", "60"),
    ];
    let outcomes = gennemgang_registers::areas::classify(&set, &rows);
    let areas = gennemgang_registers::areas::to_json(&set, &rows, &outcomes).to_string();
    let screening = json!({"as_of": "2026-12-01", "rules_version": "test", "counts": {"included": 7},
        "inputs": [{"file": "persons.csv", "rows": 100, "sha256": "ab"}],
        "candidates_by_area": {"A1": 7, "A2": 12, "A3": 3}})
    .to_string();
    let runs = [
        gennemgang_store::NewRun { kind: gennemgang_store::RunKind::Areas, body: areas },
        gennemgang_store::NewRun { kind: gennemgang_store::RunKind::Screening, body: screening },
    ];
    app.store.import(&[row(1, 159)], &runs, jiff::Timestamp::now()).await.expect("runs");
    app
}

fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for ch in html.chars() {
        match ch {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&#60;", "<").replace("&lt;", "<").replace("&#62;", ">").replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn areas_page_shows_each_area_and_the_criteria_what_if() {
    let app = app_with_areas().await;
    let lead = browser_login(&app, "leder").await;
    let (status, _, html) = page(&app, &lead, "/omraader").await;
    assert_eq!(status, StatusCode::OK);
    let text = text_of(&html);
    assert!(text.contains("review-2025") && text.contains("Område A1 (A1)"), "{text}");
    assert!(text.contains("900 beboere, under mindstekravet"), "A3's reason names the residents rule: {text}");
    // Recorded: A1 only. At least 1 criterion: A2 joins with its 12 candidates.
    let (_, _, html) = page(&app, &lead, "/omraader?at_least=1").await;
    let text = text_of(&html);
    assert!(text.contains("2 områder ville være udvalgt (i dag 1). 1 områder skifter."), "{text}");
    assert!(text.contains("komme i målgruppen: 12"), "{text}");
    // Fewer residents required: A3 joins, its 3 persons shown as <5 in its row; a total over an area shown as
    // <5 is hidden (x), for another choice of criteria would add it to other areas and give it away.
    let (_, _, html) = page(&app, &lead, "/omraader?min_residents=800").await;
    let text = text_of(&html);
    assert!(text.contains("komme i målgruppen: x") && text.contains("<5"), "{text}");
    // Stricter thresholds (convicted 3 × national, no work or education above 40 %) drop A1.
    let (_, _, html) = page(&app, &lead, "/omraader?b_convicted=3&b_no_work_or_education=40").await;
    let text = text_of(&html);
    assert!(text.contains("0 områder ville være udvalgt (i dag 1)") && text.contains("falde ud: 7"), "{text}");
    // Bad input names the field.
    let (status, _, html) = page(&app, &lead, "/omraader?at_least=mange").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("href=\"#at_least\""), "{html}");
    let (status, _, html) = page(&app, &lead, "/omraader?at_least=9").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&html).contains("mellem 1 og 4"));
    // The run page shows the manifest; caseworkers see neither page.
    let (_, _, html) = page(&app, &lead, "/koersler").await;
    assert!(text_of(&html).contains("persons.csv 100 ab"), "{}", text_of(&html));
    let sb = browser_login(&app, "sb").await;
    assert_eq!(page(&app, &sb, "/omraader").await.0, StatusCode::FORBIDDEN);
    assert_eq!(page(&app, &sb, "/koersler").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn calculators_compute_with_reasons_and_name_bad_fields() {
    let app = app().await;
    let sb = browser_login(&app, "sb").await;
    let (status, _, html) = page(&app, &sb, "/beregner/pension?awarded_on=2015-01-01").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"2015-01-01\""), "prefilled from the case");
    let csrf = csrf_in(&html);
    // pension_examples.yaml borger_2025_married_to_non_pensioner: 200.848 kr. a year.
    let form = "year=2025&civil_status=cohabiting&own_income=126000&partner_income=350506";
    let (status, _, html) = post_form(&app, &sb, "/beregner/pension", &format!("csrf={csrf}&{form}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let text = text_of(&html);
    assert!(text.contains("Om året 200.848 kr.") && text.contains("PL §"), "{text}");
    // A what-if rate changes the result; a year without rates names the missing ones.
    let overlay = "[[rate]]\nitem = \"full_other\"\nyear = 2025\nvalue = 99999\nunit = \"kr/year\"\nstatus = \"unverified\"\nsource = \"test\"";
    let encoded: String = overlay.bytes().map(|b| format!("%{b:02X}")).collect();
    let (_, _, html) = post_form(&app, &sb, "/beregner/pension", &format!("csrf={csrf}&{form}&rates={encoded}")).await;
    assert!(!text_of(&html).contains("Om året 200.848 kr."), "the overlay is used");
    let (status, _, html) = post_form(&app, &sb, "/beregner/pension", &format!("csrf={csrf}&year=1990")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("href=\"#rates\"") || html.contains("href=\"#year\""), "{html}");
    let (status, _, html) =
        post_form(&app, &sb, "/beregner/pension", &format!("csrf={csrf}&year=2025&own_income=meget")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("href=\"#own_income\""));
    assert_eq!(post_form(&app, &sb, "/beregner/pension", "csrf=forkert&year=2025").await.0, StatusCode::FORBIDDEN);
    // A physical letter sent just before Christmas: received on the 6th delivery day, then 4 weeks.
    let (status, _, html) = page(&app, &sb, "/beregner/frist?kind=complaint&from=2026-12-22&channel=physical").await;
    assert_eq!(status, StatusCode::OK);
    let expected = gennemgang_rules::calendar::deadline::deadline(
        gennemgang_rules::calendar::params::CalendarParams::builtin(),
        &gennemgang_rules::calendar::params::CalendarParams::builtin().board,
        gennemgang_rules::calendar::deadline::Kind::Complaint {
            sent: jiff::civil::date(2026, 12, 22),
            channel: gennemgang_rules::calendar::deadline::Channel::Physical,
        },
    )
    .expect("deadline");
    assert!(text_of(&html).contains(&format!("({})", expected.date)), "{}", text_of(&html));
    let (status, _, html) = page(&app, &sb, "/beregner/frist?kind=complaint&from=22.12.2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("href=\"#from\""));
}

#[tokio::test]
async fn the_deciding_municipality_sees_its_inbox_agenda_and_approval_queue() {
    let app = app().await;
    let (lead, sb, afg) = (token(&app, "leder").await, token(&app, "sb").await, token(&app, "afg").await);
    for id in [1, 2] {
        ok(&app, &lead, id, json!({"action": "assign", "caseworker": "sb"})).await;
        reopen_and_send(&app, &sb, id).await;
    }
    ok(&app, &afg, 2, json!({"action": "receive"})).await;
    let page_of = |html: &str| text_of(html);
    let desk = browser_login(&app, "afg").await;
    let (status, _, html) = page(&app, &desk, "/afgoerelse/indbakke").await;
    assert_eq!(status, StatusCode::OK);
    let text = page_of(&html);
    assert!(text.contains("Modtaget, ikke påbegyndt (1)") && text.contains("Under afgørelse (1)"), "{text}");
    assert!(!text.contains(&row(1, 159).cpr), "CPR numbers are masked");
    let (status, _, html) = page(&app, &desk, "/afgoerelse/dagsorden").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page_of(&html).contains("Møde"), "the board's coming meetings are listed");
    let (status, _, _) = page(&app, &desk, "/afgoerelse/attestation").await;
    assert_eq!(status, StatusCode::OK);
    // Aarhus' deciding municipality sees none of Gladsaxe's cases.
    let other = browser_login(&app, "afg-aarhus").await;
    let (_, _, html) = page(&app, &other, "/afgoerelse/indbakke").await;
    assert!(page_of(&html).contains("Modtaget, ikke påbegyndt (0)"), "{}", page_of(&html));
}

#[tokio::test]
async fn statistics_export_as_csv_and_xlsx_without_person_data() {
    let app = app().await;
    let analyst = browser_login(&app, "analytiker").await;
    let (status, _, html) = page(&app, &analyst, "/statistik").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&html).contains("Tid pr. fase"), "{}", text_of(&html));
    let (status, headers, csv) = page(&app, &analyst, "/statistik.csv").await;
    assert_eq!(
        (status, headers[header::CONTENT_TYPE].to_str().ok()),
        (StatusCode::OK, Some("text/csv; charset=utf-8"))
    );
    assert!(
        csv.starts_with("table,group,count,median_days,max_days\n") && csv.contains("\ntime_per_phase,review,0,–,–\n"),
        "{csv}"
    );
    assert!(csv.contains("\nmunicipality,159,x\n"), "3 cases in Gladsaxe are hidden: {csv}");
    // The XLSX is a workbook with one sheet per table holding the same values.
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/statistik.xlsx")
                .header(header::COOKIE, format!("__Host-gennemgang={analyst}"))
                .body(Body::empty())
                .expect("req"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx is a zip");
    let mut workbook = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/workbook.xml").expect("workbook"), &mut workbook)
        .expect("read");
    for sheet in ["phase", "municipality", "outcome", "overdue", "time_per_phase"] {
        assert!(workbook.contains(&format!("name=\"{sheet}\"")), "{workbook}");
    }
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/sharedStrings.xml").expect("strings"), &mut strings)
        .expect("read");
    assert!(strings.contains("<t>x</t>") && !strings.contains(&row(1, 159).cpr), "{strings}");
    // Caseworkers get no statistics.
    let sb = browser_login(&app, "sb").await;
    assert_eq!(page(&app, &sb, "/statistik.xlsx").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn worklist_filters_by_state_assignee_deadline_and_register_changes() {
    let app = app().await;
    let (lead_token, sb_token) = (token(&app, "leder").await, token(&app, "sb").await);
    ok(&app, &lead_token, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    ok(&app, &lead_token, 2, json!({"action": "assign", "caseworker": "sb2"})).await;
    phase_1(&app, &sb_token, 1).await;
    ok(&app, &sb_token, 1, json!({"action": "assess_reopen", "ground": "Lønindkomst.", "evidence": [0]})).await;
    ok(&app, &sb_token, 1, json!({"action": "notify_reopening", "sent_on": "2026-12-07"})).await;
    // A hearing whose answer date has passed by the time the lead looks: overdue.
    ok(&app, &sb_token, 1, json!({"action": "start_hearing", "adverse_information": "Løn", "sent_on": "2026-12-07"}))
        .await;
    app.clock.advance_to(jiff::civil::date(2027, 1, 15));
    let lead = browser_login(&app, "leder").await;
    let ids = |html: &str| -> Vec<String> {
        html.split("<td><a href=\"/sager/").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect()
    };
    assert_eq!(ids(&page(&app, &lead, "/sager").await.2), ["1", "2", "3"]);
    assert_eq!(ids(&page(&app, &lead, "/sager?tilstand=reviewing").await.2), ["2"]);
    assert_eq!(ids(&page(&app, &lead, "/sager?tilstand=unassigned").await.2), ["3"]);
    let sb2 = browser_login(&app, "sb2").await;
    assert_eq!(ids(&page(&app, &sb2, "/sager?mine=1").await.2), ["2"]);
    assert!(ids(&page(&app, &lead, "/sager?mine=1").await.2).is_empty(), "a team lead is assigned no cases");
    assert_eq!(ids(&page(&app, &lead, "/sager?overskredet=1").await.2), ["1"]);
    assert!(ids(&page(&app, &lead, "/sager?aendringer=1").await.2).is_empty(), "no register changes yet");
    let (_, _, html) = page(&app, &sb2, "/sager?tilstand=reviewing&mine=1").await;
    assert!(text_of(&html).contains("1 sag i alt"), "{}", text_of(&html));
}

#[tokio::test]
async fn letters_are_previewed_sent_through_the_postbox_and_recorded() {
    let app = app().await;
    let (lead_token, sb_token) = (token(&app, "leder").await, token(&app, "sb").await);
    ok(&app, &lead_token, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    ok(&app, &sb_token, 1, json!({"action": "summon", "interview_on": "2030-01-10"})).await;
    let sb = browser_login(&app, "sb").await;
    // The case page offers the summons; the preview is a PDF, and the read is logged.
    let (_, _, html) = page(&app, &sb, "/sager/1").await;
    assert!(html.contains("Brev: Indkaldelse til samtale om din førtidspension"), "{html}");
    let (status, headers, body) = page(&app, &sb, "/sager/1/breve/summons?kanal=digital&dato=2026-12-07").await;
    assert_eq!((status, headers[header::CONTENT_TYPE].to_str().ok()), (StatusCode::OK, Some("application/pdf")));
    assert!(body.starts_with("%PDF-"));
    assert!(app.store.access_log().await.expect("log").iter().any(|e| e.what == "letter" && e.case_id == Some(1)));
    // A letter that does not fit the step is refused.
    assert_eq!(page(&app, &sb, "/sager/1/breve/decision-revocation").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // Sending: written to the postbox first, then recorded on the case with the PDF's digest.
    let csrf = csrf_in(&html);
    let version = app.store.case(1).await.expect("read").expect("case").version;
    let (status, _, _) = post_form(
        &app,
        &sb,
        "/sager/1/breve/summons",
        &format!("csrf={csrf}&seen_version={version}&kanal=digital&dato=2026-12-07"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case = app.store.case(1).await.expect("read").expect("case");
    let sent = case.letters.first().expect("recorded");
    let memo =
        std::fs::read_to_string(app._dir.path().join("outbox/digital-post").join(format!("{}.xml", sent.message_id)))
            .expect("MeMo file");
    assert!(
        memo.contains("<memo:recipientID>") && memo.contains("<memo:legalNotification>false</memo:legalNotification>")
    );
    // The very same letter again (as a batch started twice would send it): refused before it leaves, so
    // nothing is delivered a second time (found by an outside check: it was delivered, then refused).
    let memo_path = app._dir.path().join("outbox/digital-post").join(format!("{}.xml", sent.message_id));
    std::fs::remove_file(&memo_path).expect("the delivered message, taken by the transfer");
    let (status, _, html) = post_form(
        &app,
        &sb,
        "/sager/1/breve/summons",
        &format!("csrf={csrf}&seen_version={}&kanal=digital&dato=2026-12-07", version + 1),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text_of(&html));
    assert!(text_of(&html).contains("brevet er allerede sendt"), "{}", text_of(&html));
    assert!(!memo_path.exists(), "not delivered again");
    // Printed letters go to the print folder as PDFs; a stale version is a conflict and writes nothing.
    let (status, _, _) = post_form(
        &app,
        &sb,
        "/sager/1/breve/summons",
        &format!("csrf={csrf}&seen_version={version}&kanal=physical&dato=2026-12-07"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(!app._dir.path().join("outbox/print").exists());
    // The next day, printed (a letter of another day is another message). The form cannot date it: a date
    // posted with it (here one before the summons, as a backdating would) is not read, and the letter is
    // recorded as sent the day it left, by the server's clock, since the complaint deadline runs from it.
    app.clock.advance_to(jiff::civil::date(2026, 12, 8));
    let (status, _, _) = post_form(
        &app,
        &sb,
        "/sager/1/breve/summons",
        &format!("csrf={csrf}&seen_version={}&kanal=physical&dato=2026-12-04", version + 1),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case = app.store.case(1).await.expect("read").expect("case");
    let dates: Vec<_> = case.letters.iter().map(|l| l.sent_on.to_string()).collect();
    assert_eq!(dates, ["2026-12-07", "2026-12-08"]);
    let printed: Vec<_> = std::fs::read_dir(app._dir.path().join("outbox/print")).expect("print folder").collect();
    assert_eq!(printed.len(), 1);
    // Another municipality sees neither the letter nor the case.
    let aarhus = browser_login(&app, "aarhus").await;
    assert_eq!(page(&app, &aarhus, "/sager/1/breve/summons").await.0, StatusCode::NOT_FOUND);
    // The batch page counts the cases each letter fits.
    let (status, _, html) = page(&app, &sb, "/breve").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&html).contains("Indkaldelse til samtale om din førtidspension (1 sag)"), "{}", text_of(&html));
}

#[tokio::test]
async fn a_batch_sends_one_kind_to_every_case_at_that_step_with_progress() {
    let app = app().await;
    let (lead_token, sb_token) = (token(&app, "leder").await, token(&app, "sb").await);
    for id in [1, 2, 3] {
        ok(&app, &lead_token, id, json!({"action": "assign", "caseworker": "sb"})).await;
    }
    for id in [1, 2] {
        ok(&app, &sb_token, id, json!({"action": "summon", "interview_on": "2030-01-10"})).await;
    }
    let sb = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &sb, "/breve").await;
    let csrf = csrf_in(&html);
    let (status, headers, _) =
        post_form(&app, &sb, "/breve", &format!("csrf={csrf}&kind=summons&kanal=digital&dato=2026-12-07")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().expect("location").to_owned();
    let mut text = String::new();
    for _ in 0..100 {
        text = text_of(&page(&app, &sb, &location).await.2);
        if text.contains("Færdig") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(text.contains("2 af 2 sendt. Færdig."), "{text}");
    for id in [1, 2] {
        assert_eq!(app.store.case(id).await.expect("read").expect("case").letters.len(), 1, "case {id}");
    }
    assert!(app.store.case(3).await.expect("read").expect("case").letters.is_empty(), "not summoned: no summons");
    // Someone else's batch is not theirs to see.
    let lead = browser_login(&app, "leder").await;
    assert_eq!(page(&app, &lead, &location).await.0, StatusCode::NOT_FOUND);
}

/// How the policy governs a route; the expected answer is computed from `gennemgang_case::policy` for each
/// user and case, never written out by hand.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user (pages: sign-in page otherwise).
    SignedIn,
    /// Roles that may list cases (`Access::ListCases`).
    Lists,
    /// Roles that see aggregates (`Access::Statistics`).
    Stats,
    /// One case: 404 unless the user can see it.
    Case,
    /// One case's action `assign`: 404 unless visible; 303 only when the user's role performs it.
    Act,
    /// One case's letter: 404 unless visible; sent only when the user's role sends letters at this step.
    SendLetter,
    /// A batch started by someone else: never visible.
    OthersBatch,
    /// The file of aktindsigt 1: 404 unless visible; refused (403) to whoever does not hold the case, and
    /// 404 when no request was answered (none is, in the matrix's cases).
    AccessFile,
    /// Only a home municipality's team lead (who assigns its cases); others are refused (403).
    TeamLead,
    /// Document 1 of one case: 404 unless the user can see the case and it has the document; a sensitive
    /// one is opened only with its purpose in its task.
    Document,
}

/// Every route of `routes.rs` with its rule. The test fails when a route is added without an entry here.
const MATRIX: &[(&str, &str, Rule)] = &[
    ("GET", "/", Rule::SignedIn),
    ("GET", "/login", Rule::Public),
    ("POST", "/login", Rule::Public),
    // Single sign-on: public by nature; what it may grant is tested in tests/sso.rs.
    ("GET", "/login/sso/{provider}", Rule::Public),
    ("GET", "/login/sso/{provider}/svar", Rule::Public),
    ("POST", "/logout", Rule::SignedIn),
    ("GET", "/i-dag", Rule::Lists),
    ("GET", "/sager", Rule::Lists),
    ("POST", "/sager/fordel", Rule::TeamLead),
    ("GET", "/team", Rule::Lists),
    ("POST", "/team/overdrag", Rule::TeamLead),
    ("GET", "/sager/{id}", Rule::Case),
    ("POST", "/sager/{id}/cpr", Rule::Case),
    ("POST", "/sager/{id}/foelsomme", Rule::Case),
    ("POST", "/sager/{id}/handling/{action}", Rule::Act),
    ("GET", "/sager/{id}/adgangslog", Rule::Case),
    ("GET", "/sager/{id}/aktindsigt/{n}", Rule::AccessFile),
    ("POST", "/sager/{id}/dokumenter", Rule::Case),
    ("GET", "/sager/{id}/dokumenter/{n}", Rule::Document),
    ("POST", "/sager/{id}/dokumenter/{n}", Rule::Document),
    ("GET", "/sager/{id}/breve/{kind}", Rule::Case),
    ("POST", "/sager/{id}/breve/{kind}", Rule::SendLetter),
    ("GET", "/breve", Rule::Lists),
    ("POST", "/breve", Rule::Lists),
    ("GET", "/breve/{id}", Rule::OthersBatch),
    ("GET", "/afgoerelse/indbakke", Rule::Lists),
    ("GET", "/afgoerelse/dagsorden", Rule::Lists),
    ("GET", "/afgoerelse/attestation", Rule::Lists),
    ("GET", "/omraader", Rule::Stats),
    ("GET", "/koersler", Rule::Stats),
    ("GET", "/beregner/pension", Rule::SignedIn),
    ("POST", "/beregner/pension", Rule::SignedIn),
    ("GET", "/beregner/frist", Rule::SignedIn),
    ("GET", "/statistik", Rule::Stats),
    ("GET", "/statistik.csv", Rule::Stats),
    ("GET", "/statistik.xlsx", Rule::Stats),
    ("GET", "/healthz", Rule::Public),
    ("GET", "/api/v1/openapi.json", Rule::Public),
    ("POST", "/api/v1/session", Rule::Public),
    ("GET", "/api/v1/cases", Rule::Lists),
    ("GET", "/api/v1/cases/{id}", Rule::Case),
    ("POST", "/api/v1/cases/{id}/actions", Rule::Act),
    ("GET", "/api/v1/cases/{id}/events", Rule::Case),
    ("GET", "/api/v1/cases/{id}/documents", Rule::Case),
    ("POST", "/api/v1/cases/{id}/documents", Rule::Case),
    ("GET", "/api/v1/cases/{id}/documents/{doc}", Rule::Document),
    ("GET", "/api/v1/stats", Rule::Stats),
    ("GET", "/static/{*path}", Rule::Public),
];

/// (method, path) of every route in `src/routes.rs`, the one place that lists them.
fn routed() -> std::collections::BTreeSet<(String, String)> {
    let source = include_str!("../src/routes.rs");
    let mut out = std::collections::BTreeSet::new();
    for line in source.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
        let path = line.trim_start_matches(".route(\"").split('"').next().unwrap_or_default().to_owned();
        let handlers = line.split_once(',').map_or("", |(_, h)| h);
        for (needle, method) in [(" get(", "GET"), ("post(", "POST")] {
            if handlers.contains(needle) || (method == "GET" && handlers.trim_start().starts_with("get(")) {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_has_an_entry_in_the_authorization_matrix() {
    let matrix: std::collections::BTreeSet<(String, String)> =
        MATRIX.iter().map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned())).collect();
    assert_eq!(routed(), matrix, "routes.rs and MATRIX differ: add the new route's rule to MATRIX");
}

#[tokio::test]
async fn every_route_by_every_role_on_own_and_other_municipalities_cases_in_every_phase() {
    use gennemgang_case::policy::{Access, authorize, can_see, may_perform};
    let app = app().await;
    let (lead, sb, afg) = (token(&app, "leder").await, token(&app, "sb").await, token(&app, "afg").await);
    // Gladsaxe: case 1 unassigned (phase 1), 2 assigned (phase 1), 3 reopened (phase 2), with the deciding
    // municipality (phase 3) after the loop below; Aarhus: case 4 unassigned. Plus a decided case 5.
    ok(&app, &lead, 2, json!({"action": "assign", "caseworker": "sb"})).await;
    ok(&app, &lead, 3, json!({"action": "assign", "caseworker": "sb"})).await;
    phase_1(&app, &sb, 3).await;
    ok(&app, &sb, 3, json!({"action": "assess_reopen", "ground": "Løn.", "evidence": [0]})).await;
    app.store.import(&[row(5, 159), row(6, 159)], &[], jiff::Timestamp::now()).await.expect("more cases");
    ok(&app, &lead, 5, json!({"action": "assign", "caseworker": "sb"})).await;
    reopen_and_send(&app, &sb, 5).await;
    ok(&app, &afg, 5, json!({"action": "receive"})).await;
    ok(&app, &afg, 5, json!({"action": "validate", "notes": "Oplyst."})).await;
    ok(&app, &afg, 5, json!({"action": "uphold", "reasons": "Ingen ændring."})).await;
    // A document on case 2, and a health document on the reopened case 3.
    {
        let s = browser_login(&app, "sb").await;
        for (id, source) in [(2, "pension_case"), (3, "health_information")] {
            let html = page(&app, &s, &format!("/sager/{id}")).await.2;
            let version = app.store.case(id).await.expect("read").expect("case").version.to_string();
            let fields = [
                ("csrf", csrf_in(&html)),
                ("seen_version", version),
                ("title", "Notat".into()),
                ("dated", "2026-12-01".into()),
                ("source", source.into()),
            ];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(upload(&app, &s, id, &fields, "notat.txt", b"Notat om sagen.").await.0, StatusCode::SEE_OTHER);
        }
    }
    // Someone else's batch.
    let other_batch = {
        let s = browser_login(&app, "leder").await;
        let csrf = csrf_in(&page(&app, &s, "/breve").await.2);
        let (_, h, _) = post_form(&app, &s, "/breve", &format!("csrf={csrf}&kind=forwarding&kanal=digital")).await;
        h[header::LOCATION].to_str().expect("batch").to_owned()
    };
    let users = ["leder", "sb", "aarhus", "afg", "att", "afg-aarhus", "analytiker", "drift"];
    let mut checked = 0;
    for user in users {
        let actor = app.store.user(user).await.expect("user").expect("exists").actor();
        let session = browser_login(&app, user).await;
        let bearer = token(&app, user).await;
        let csrf = csrf_in(&page(&app, &session, "/beregner/frist").await.2);
        for &(method, path, rule) in MATRIX {
            let api = path.starts_with("/api/");
            let per_case = path.contains("{id}")
                && matches!(rule, Rule::Case | Rule::Act | Rule::SendLetter | Rule::Document | Rule::AccessFile);
            for id in if per_case { (1..=6).collect::<Vec<i64>>() } else { vec![0] } {
                let case = if id > 0 { app.store.case(id).await.expect("read") } else { None };
                let url = if matches!(rule, Rule::OthersBatch) {
                    other_batch.clone()
                } else {
                    path.replace("{id}", &id.to_string())
                        .replace("{action}", "assign")
                        .replace("{kind}", "summons")
                        .replace("{n}", "1")
                        .replace("{doc}", "1")
                        .replace("{*path}", "app.css")
                };
                // Signing out would end the session the other routes use: it gets its own.
                let session = if path == "/logout" { browser_login(&app, user).await } else { session.clone() };
                let csrf = if path == "/logout" {
                    csrf_in(&page(&app, &session, "/beregner/frist").await.2)
                } else {
                    csrf.clone()
                };
                // The caseworker an assignment names belongs to the case's own municipality.
                let caseworker =
                    if case.as_ref().is_some_and(|c| c.home_municipality == 751) { "aarhus-sb" } else { "sb" };
                let seen = case.as_ref().map_or(1, |c| c.version);
                let form = match path {
                    "/sager/{id}/cpr" | "/sager/{id}/dokumenter/{n}" => format!("csrf={csrf}&purpose=Kontrol"),
                    "/sager/{id}/foelsomme" => format!("csrf={csrf}&source=criminal_record&purpose=Kontrol"),
                    "/sager/{id}/handling/{action}" => {
                        format!("csrf={csrf}&seen_version={seen}&caseworker={caseworker}")
                    }
                    "/sager/{id}/breve/{kind}" => {
                        format!("csrf={csrf}&seen_version={seen}&kanal=digital&dato=2026-12-07")
                    }
                    "/breve" => format!("csrf={csrf}&kind=forwarding&kanal=digital"),
                    "/beregner/pension" => format!("csrf={csrf}&year=2025"),
                    _ => format!("csrf={csrf}"),
                };
                let json_body = match path {
                    "/api/v1/session" => json!({"username": user, "password": PASSWORD}).to_string(),
                    _ => json!({"action": "assign", "caseworker": caseworker}).to_string(),
                };
                let mut request = Request::builder().method(method).uri(&url);
                request = if api {
                    request
                        .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
                        .header(header::CONTENT_TYPE, "application/json")
                } else {
                    request
                        .header(header::COOKIE, format!("__Host-gennemgang={session}"))
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                };
                let body = match (method, api) {
                    ("POST", true) => Body::from(json_body),
                    ("POST", false) => Body::from(form),
                    _ => Body::empty(),
                };
                let (status, _, _) = send(&app, request.body(body).expect("request")).await;
                let s = status.as_u16();
                let visible = case.as_ref().is_some_and(|c| can_see(&actor, c));
                let ok = match rule {
                    Rule::Public => s < 500 && s != 401,
                    Rule::SignedIn => s < 400 || s == 422,
                    Rule::Lists => {
                        if authorize(&actor, None, Access::ListCases).is_ok() {
                            s < 400
                        } else {
                            s == 403
                        }
                    }
                    Rule::Stats => {
                        if authorize(&actor, None, Access::Statistics).is_ok() {
                            s == 200
                        } else {
                            s == 403
                        }
                    }
                    Rule::Case if !visible => s == 404,
                    Rule::Case => s != 404 && s < 500 && (method == "POST" || url.contains("/breve/") || s == 200),
                    Rule::Act | Rule::SendLetter if !visible => s == 404,
                    Rule::Act | Rule::SendLetter => {
                        let (name, fits) = match rule {
                            Rule::Act => (
                                ActionKind::Assign,
                                // Offered at this step, and to someone who does not hold it already.
                                case.as_ref().is_some_and(|c| {
                                    gennemgang_case::decide::candidates(
                                        c,
                                        &gennemgang_case::facts::Routing::default(),
                                        gennemgang_rules::review::ReviewParams::builtin(),
                                    )
                                    .contains(&ActionKind::Assign)
                                        && !matches!(c.assigned_to.as_deref(), Some("sb" | "aarhus-sb"))
                                }),
                            ),
                            _ => (
                                ActionKind::SendLetter,
                                case.as_ref().is_some_and(|c| {
                                    gennemgang_case::decide::letter_does_not_fit(
                                        c,
                                        gennemgang_case::letter::LetterKind::Summons,
                                    )
                                    .is_none()
                                }),
                            ),
                        };
                        let allowed = case.as_ref().is_some_and(|c| may_perform(&actor, c, name)) && fits;
                        if allowed { s == 200 || s == 303 } else { s == 403 || s == 422 }
                    }
                    Rule::AccessFile if !visible => s == 404,
                    Rule::AccessFile => {
                        let holds =
                            case.as_ref().is_some_and(|c| may_perform(&actor, c, ActionKind::AnswerAccessRequest));
                        if holds { s == 404 } else { s == 403 }
                    }
                    Rule::TeamLead => {
                        if actor.role == gennemgang_case::actor::Role::HomeTeamLead {
                            s < 400 || s == 422
                        } else {
                            s == 403
                        }
                    }
                    Rule::Document => match case.as_ref().and_then(|c| c.documents.first()) {
                        Some(d) if visible && !d.document.source.is_sensitive() => s == 200,
                        Some(_) if visible => s == 200 || s == 403,
                        _ => s == 404,
                    },
                    Rule::OthersBatch => {
                        if user == "leder" {
                            s == 200
                        } else {
                            s == 404
                        }
                    }
                };
                assert!(ok, "{user} ({:?}) {method} {url} ({rule:?}, visible {visible}): {status}", actor.role);
                checked += 1;
            }
        }
    }
    // Without credentials: pages send to the sign-in page, the API answers 401; public routes answer.
    for &(method, path, rule) in MATRIX {
        let url = path
            .replace("{id}", "1")
            .replace("{action}", "assign")
            .replace("{kind}", "summons")
            .replace("{n}", "1")
            .replace("{doc}", "1")
            .replace("{*path}", "app.css");
        let (kind, body) = if path.starts_with("/api/") {
            ("application/json", "{}")
        } else {
            ("application/x-www-form-urlencoded", "csrf=x")
        };
        let request = Request::builder().method(method).uri(&url).header(header::CONTENT_TYPE, kind);
        let body = if method == "POST" { Body::from(body) } else { Body::empty() };
        let (status, headers, _) = send(&app, request.body(body).expect("request")).await;
        match (rule, path.starts_with("/api/")) {
            (Rule::Public, _) => {
                assert!(status.as_u16() < 500 && status != StatusCode::UNAUTHORIZED, "{method} {url}: {status}")
            }
            (_, true) => assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {url}"),
            (_, false) if method == "GET" => {
                // `/` sends everyone to the worklist, which sends the anonymous on to sign in (and back).
                let location = headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
                let to_login = location == "/login" || location.starts_with("/login?tilbage=%2F");
                assert!(
                    if path == "/" { location == "/sager" } else { to_login },
                    "{method} {url}: {status} to {location}"
                );
            }
            (_, false) => assert!(
                status == StatusCode::SEE_OTHER
                    || status == StatusCode::FORBIDDEN
                    || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {url}: {status}"
            ),
        }
    }
    assert!(checked > 400, "{checked} requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_lose_no_update_and_every_conflict_is_reported() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    for id in [1, 2, 3] {
        ok(&app, &lead, id, json!({"action": "assign", "caseworker": "sb"})).await;
    }
    let sb = token(&app, "sb").await;
    let clients: Vec<_> = (0..24)
        .map(|client| {
            let (router, sb) = (app.router.clone(), sb.clone());
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for round in 0..5 {
                    let id = 1 + (client + round) % 3;
                    let read = router
                        .clone()
                        .oneshot(Request::get(format!("/api/v1/cases/{id}")).header(header::AUTHORIZATION, format!("Bearer {sb}")).body(Body::empty()).expect("req"))
                        .await
                        .expect("response");
                    let body = read.into_body().collect().await.expect("body").to_bytes();
                    let version = serde_json::from_slice::<Value>(&body).expect("json")["version"].as_u64().expect("version");
                    let summary = format!("klient {client} runde {round}");
                    let action = json!({"action": "record_evidence", "source": "income_register", "summary": summary, "obtained_on": "2026-11-20"});
                    let response = router
                        .clone()
                        .oneshot(
                            Request::post(format!("/api/v1/cases/{id}/actions"))
                                .header(header::AUTHORIZATION, format!("Bearer {sb}"))
                                .header(header::CONTENT_TYPE, "application/json")
                                .header(header::IF_MATCH, version.to_string())
                                .body(Body::from(action.to_string()))
                                .expect("req"),
                        )
                        .await
                        .expect("response");
                    outcomes.push((id, summary, response.status()));
                }
                outcomes
            })
        })
        .collect();
    let mut accepted: std::collections::BTreeMap<i64, Vec<String>> = std::collections::BTreeMap::new();
    let (mut ok_count, mut conflicts) = (0, 0);
    for c in clients {
        for (id, summary, status) in c.await.expect("client") {
            match status {
                StatusCode::OK => {
                    ok_count += 1;
                    accepted.entry(id).or_default().push(summary);
                }
                StatusCode::CONFLICT => conflicts += 1,
                other => panic!("neither accepted nor a reported conflict: {other}"),
            }
        }
    }
    assert_eq!(ok_count + conflicts, 24 * 5);
    assert!(ok_count > 0 && conflicts > 0, "{ok_count} accepted, {conflicts} conflicts: the test raced nothing");
    for (id, mut summaries) in accepted {
        let case = app.store.case(id).await.expect("read").expect("case");
        let mut recorded: Vec<String> = case.evidence.iter().map(|e| e.summary.clone()).collect();
        recorded.sort();
        summaries.sort();
        assert_eq!(recorded, summaries, "case {id}: every accepted update is there, once, and nothing else");
        assert_eq!(app.store.events(id).await.expect("events").len() as u32, case.version);
    }
    assert!(matches!(app.store.verify_chain(None).await.expect("verify"), gennemgang_store::ChainReport::Intact(_)));
}

/// Clients that send no `If-Match` ask for the action on the case as it is: a lost race is decided again on
/// the new state, not answered with a conflict (the soak found 409s here: bench/soak.sh, docs/benchmarks.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn actions_without_if_match_land_even_when_they_race() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let sb = token(&app, "sb").await;
    let clients: Vec<_> = (0..16)
        .map(|client| {
            let (router, sb) = (app.router.clone(), sb.clone());
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for round in 0..4 {
                    let action = json!({"action": "record_evidence", "source": "income_register",
                        "summary": format!("klient {client} runde {round}"), "obtained_on": "2026-11-20"});
                    let request = Request::post("/api/v1/cases/1/actions")
                        .header(header::AUTHORIZATION, format!("Bearer {sb}"))
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(action.to_string()))
                        .expect("req");
                    statuses.push(router.clone().oneshot(request).await.expect("response").status());
                }
                statuses
            })
        })
        .collect();
    for c in clients {
        for status in c.await.expect("client") {
            assert_eq!(status, StatusCode::OK);
        }
    }
    let case = app.store.case(1).await.expect("read").expect("case");
    assert_eq!(case.evidence.len(), 16 * 4);
    assert_eq!(case.version, 2 + 16 * 4, "import, assign, and every action once");
}

#[tokio::test]
async fn every_page_says_when_the_built_in_placeholder_setup_is_in_use_and_a_configured_one_is_not() {
    let app = app().await;
    let banner = "Eksempelopsætning";
    for (user, path) in [
        ("sb", "/sager"),
        ("afg", "/afgoerelse/indbakke"),
        ("att", "/afgoerelse/attestation"),
        ("analytiker", "/statistik"),
        ("leder", "/i-dag"),
        ("leder", "/team"),
        ("leder", "/omraader"),
        ("leder", "/koersler"),
    ] {
        let session = browser_login(&app, user).await;
        let (status, _, html) = page(&app, &session, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(banner), "{path} does not say the setup is an example");
    }
    // With the installation's configuration the banner is gone, and the worklist's deadlines are its own.
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/gennemgang.toml"))
        .expect("example configuration");
    let setup = gennemgang_app::config::parse("gennemgang.toml", &example).expect("valid");
    let postbox = gennemgang_app::postbox::FileDrop::new(app._dir.path().join("outbox2"));
    let configured = App {
        router: router(AppState::new(app.store.clone(), postbox).with_clock(app.clock.clone()).with_setup(setup)),
        store: app.store.clone(),
        clock: app.clock.clone(),
        _dir: tempfile::tempdir().expect("tmp"),
    };
    let session = browser_login(&configured, "leder").await;
    let (_, _, html) = page(&configured, &session, "/sager").await;
    assert!(!html.contains(banner) && !html.contains("Sagsbehandlingsfristerne er et eksempel"), "{html}");
    // Gladsaxe's own 12 weeks from 1 December 2026.
    assert!(html.contains("23. februar 2027"), "{}", text_of(&html));
}

/// An ISO date (`2026-12-07`) in text a caseworker reads; the same in attributes (form values, links) is
/// for the browser and not read.
fn iso_date_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(10).find_map(|w| {
        let digit = |i: usize| w[i].is_ascii_digit();
        let iso = (0..4).all(digit) && w[4] == '-' && digit(5) && digit(6) && w[7] == '-' && digit(8) && digit(9);
        iso.then(|| w.iter().collect())
    })
}

#[tokio::test]
async fn no_page_a_caseworker_reads_shows_an_iso_date() {
    let app = app().await;
    let (lead, sb, afg) = (token(&app, "leder").await, token(&app, "sb").await, token(&app, "afg").await);
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    reopen_and_send(&app, &sb, 1).await;
    ok(&app, &afg, 1, json!({"action": "receive"})).await;
    ok(&app, &afg, 1, json!({"action": "validate", "notes": "Vurderingen er i orden."})).await;
    for (user, path) in [
        ("sb", "/sager"),
        ("sb", "/sager/1"),
        ("leder", "/sager"),
        ("afg", "/sager/1"),
        ("afg", "/afgoerelse/indbakke"),
        ("afg", "/afgoerelse/dagsorden"),
        ("att", "/afgoerelse/attestation"),
        ("analytiker", "/statistik"),
        ("leder", "/i-dag"),
        ("leder", "/team"),
        ("leder", "/omraader"),
        ("leder", "/koersler"),
    ] {
        let session = browser_login(&app, user).await;
        let (status, _, html) = page(&app, &session, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let text = text_of(&html);
        assert_eq!(iso_date_in(&text), None, "{user} on {path}: {text}");
    }
    assert_eq!(iso_date_in("Indhentet 2026-11-20 af sb").as_deref(), Some("2026-11-20"), "the scan finds one");
}

#[tokio::test]
async fn every_api_error_is_a_problem_document() {
    let app = app().await;
    let sb = token(&app, "sb").await;
    let authed = |method: &str, path: &str, body: Vec<u8>| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {sb}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("req")
    };
    for (request, status, kind) in [
        (authed("GET", "/api/v1/cases/abc", vec![]), StatusCode::BAD_REQUEST, "about:blank"),
        (authed("GET", "/api/v1/cases/99999999999999999999", vec![]), StatusCode::BAD_REQUEST, "about:blank"),
        (authed("GET", "/api/v1/findes-ikke", vec![]), StatusCode::NOT_FOUND, "about:blank"),
        (authed("GET", "/api", vec![]), StatusCode::NOT_FOUND, "about:blank"),
        (authed("DELETE", "/api/v1/cases", vec![]), StatusCode::METHOD_NOT_ALLOWED, "about:blank"),
        (authed("POST", "/api/v1/cases/1/actions", vec![b' '; 3 << 20]), StatusCode::PAYLOAD_TOO_LARGE, "too-large"),
        (authed("POST", "/api/v1/cases/1/actions", b"{".to_vec()), StatusCode::UNPROCESSABLE_ENTITY, "not-an-action"),
        (authed("GET", "/api/v1/cases/999", vec![]), StatusCode::NOT_FOUND, "case-not-found"),
        (Request::get("/api/v1/cases").body(Body::empty()).expect("req"), StatusCode::UNAUTHORIZED, "unauthorized"),
        (
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(r#"{"username":"sb","password":"x"}"#))
                .expect("req"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-json",
        ),
        (
            Request::post("/api/v1/cases/1/actions")
                .header(header::AUTHORIZATION, format!("Bearer {sb}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(r#"{"action":"assign","caseworker":"sb"}"#))
                .expect("req"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-json",
        ),
        (
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(vec![b' '; 3 << 20]))
                .expect("req"),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
        ),
    ] {
        let what = format!("{} {}", request.method(), request.uri());
        let (got, headers, body) = send(&app, request).await;
        assert_eq!(got, status, "{what}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json", "{what}");
        let problem: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
        assert_eq!(problem["status"], status.as_u16(), "{what}");
        let kind = if kind == "about:blank" { kind.to_owned() } else { format!("urn:gennemgang:problem:{kind}") };
        assert_eq!(problem["type"], kind, "{what}");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{what}");
    }
    // The pages keep their own HTML answers.
    let (status, headers, _) = send(&app, Request::get("/findes-ikke").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers[header::CONTENT_TYPE].to_str().is_ok_and(|t| t.starts_with("text/html")));
}

/// Logged before shown, always: when the access log cannot take the read's entry (here the database
/// refuses the insert as a full disk would), the read is refused with 503 and nothing of the case is sent.
#[tokio::test]
async fn a_read_whose_access_log_entry_cannot_be_written_is_refused() {
    let app = app().await;
    let (lead, sb) = (token(&app, "leder").await, token(&app, "sb").await);
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let desk = browser_login(&app, "sb").await;
    assert_eq!(get(&app, &sb, "/api/v1/cases/1").await.0, StatusCode::OK);
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", app._dir.path().join("t.db").display())).await.expect("raw");
    sqlx::query(
        "CREATE TRIGGER access_log_full BEFORE INSERT ON access_log \
         BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    )
    .execute(&pool)
    .await
    .expect("trigger");
    let cpr = row(1, 159).cpr;
    for path in ["/api/v1/cases/1", "/api/v1/cases", "/api/v1/cases/1/events"] {
        let (status, headers, body) = send(
            &app,
            Request::get(path).header(header::AUTHORIZATION, format!("Bearer {sb}")).body(Body::empty()).expect("req"),
        )
        .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json", "{path}");
        assert!(!body.contains(&cpr[..6]) && !body.contains("A1"), "{path}: nothing of the case: {body}");
    }
    let (status, _, html) = page(&app, &desk, "/sager/1").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(text_of(&html).contains("adgangsloggen"), "{}", text_of(&html));
    // Once the log takes entries again, so does the case.
    sqlx::query("DROP TRIGGER access_log_full").execute(&pool).await.expect("drop");
    assert_eq!(get(&app, &sb, "/api/v1/cases/1").await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_long_text_is_folded_on_the_case_page_and_a_withheld_one_stays_withheld() {
    let app = app().await;
    let (lead, sb) = (token(&app, "leder").await, token(&app, "sb").await);
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let long = "Lønindkomst ".repeat(100) + "SLUTNING";
    ok(
        &app,
        &sb,
        1,
        json!({"action": "record_evidence", "source": "income_register", "summary": long, "obtained_on": "2026-11-20"}),
    )
    .await;
    let secret = "Dom for vold ".repeat(100);
    ok(&app, &sb, 1, json!({"action": "record_evidence", "source": "criminal_record", "summary": secret, "obtained_on": "2026-11-20"})).await;
    let desk = browser_login(&app, "sb").await;
    let (status, _, html) = page(&app, &desk, "/sager/1").await;
    assert_eq!(status, StatusCode::OK);
    // The whole text is there, behind a disclosure that shows its beginning.
    assert!(html.contains("(vis hele teksten)") && html.contains("SLUTNING"), "{}", text_of(&html));
    assert_eq!(html.matches("<details><summary>Lønindkomst").count(), 1);
    // The withheld criminal record is not folded into view: not a word of it on the page.
    assert!(!html.contains("Dom for vold"), "{}", text_of(&html));
}

/// A handler that panics is answered with 500 through the same edges as every route: problem+json under
/// `/api`, a Danish page elsewhere, the security headers on both; and the server answers the next request.
#[tokio::test]
async fn a_panicking_handler_is_answered_with_500_not_a_dropped_connection() {
    let dir = tempfile::tempdir().expect("tmp");
    let store =
        gennemgang_app::db::open(&format!("sqlite://{}", dir.path().join("p.db").display())).await.expect("open");
    let state = AppState::new(store, gennemgang_app::postbox::FileDrop::new(dir.path().join("outbox")));
    let boom = || async {
        if std::hint::black_box(true) {
            panic!("a bug");
        }
        "never"
    };
    let routes = axum::Router::new()
        .route("/api/v1/boom", axum::routing::get(boom))
        .route("/boom", axum::routing::get(boom))
        .route("/fine", axum::routing::get(|| async { "fint" }));
    let router = gennemgang_web::routes::edges(routes).with_state(state);
    for (path, content_type, text) in
        [("/api/v1/boom", "application/problem+json", "Prøv igen om lidt"), ("/boom", "text/html", "Der skete en fejl")]
    {
        let response =
            router.clone().oneshot(Request::get(path).body(Body::empty()).expect("req")).await.expect("response");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let headers = response.headers().clone();
        assert!(headers[header::CONTENT_TYPE].to_str().expect("ascii").starts_with(content_type), "{path}");
        assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY), "{path}");
        let body = response.into_body().collect().await.expect("body").to_bytes();
        assert!(String::from_utf8_lossy(&body).contains(text), "{path}: {}", String::from_utf8_lossy(&body));
    }
    let response = router.oneshot(Request::get("/fine").body(Body::empty()).expect("req")).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_sign_in_failures_and_show_pool_queue_and_batches() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    let (status, _, _) = send(
        &app,
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"username": "sb", "password": "forkert"}).to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for _ in 0..3 {
        assert_eq!(get(&app, &lead, "/api/v1/cases/1").await.0, StatusCode::OK);
    }
    assert_ne!(get(&app, &lead, &format!("/api/v1/cases/{}", row(1, 159).cpr)).await.0, StatusCode::OK);
    // A method is any token a client sends (an outside check sent a CPR number): counted as `other`.
    let odd = axum::http::Method::from_bytes(row(1, 159).cpr.as_bytes()).expect("a token");
    let (status, _, _) =
        send(&app, Request::builder().method(odd).uri("/api/v1/cases/1").body(Body::empty()).expect("request")).await;
    assert!(status.is_client_error(), "{status}");
    let metrics = gennemgang_web::routes::metrics(AppState::new(
        app.store.clone(),
        gennemgang_app::postbox::FileDrop::new(app._dir.path().join("outbox")),
    ));
    let response = metrics.oneshot(Request::get("/metrics").body(Body::empty()).expect("req")).await.expect("answer");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/plain; version=0.0.4; charset=utf-8");
    let text =
        String::from_utf8(response.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    // Counters are per process and other tests run beside this one: at least what this one did.
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
            .unwrap_or_else(|| panic!("{series} missing:\n{text}"))
    };
    assert!(value("gennemgang_http_requests_total{method=\"GET\",route=\"/api/v1/cases/{id}\",status=\"200\"}") >= 3.0);
    assert!(
        value("gennemgang_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/cases/{id}\"}") >= 4.0
    );
    assert!(
        value(
            "gennemgang_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/cases/{id}\",le=\"+Inf\"}"
        ) >= 4.0
    );
    assert!(value("gennemgang_sign_in_failures_total") >= 1.0);
    assert!(
        value("gennemgang_http_requests_total{method=\"other\",route=\"/api/v1/cases/{id}\",status=\"405\"}") >= 1.0
    );
    assert!(value("gennemgang_db_connections{state=\"idle\"}") >= 0.0);
    assert!(value("gennemgang_access_log_waiting") >= 0.0);
    assert!((value("gennemgang_letter_batches{state=\"running\"}")).abs() < f64::EPSILON);
    // Routes by their templates: nothing a request carried (a CPR number in a path) becomes a label.
    assert!(!text.contains(&row(1, 159).cpr), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, number) = line.rsplit_once(' ').expect("series and value");
        assert!(number.parse::<f64>().is_ok() && series.starts_with("gennemgang_"), "{line}");
    }
    // The application's own address has no metrics.
    assert_eq!(send(&app, Request::get("/metrics").body(Body::empty()).expect("req")).await.0, StatusCode::NOT_FOUND);
}

/// A page asked for before signing in (a link in a mail) is where the sign-in goes on to; never another
/// site's address. Without one, each role lands on its own start page.
#[tokio::test]
async fn the_deep_link_is_kept_through_sign_in_and_roles_land_on_their_own_pages() {
    let app = app().await;
    let (status, headers, _) =
        send(&app, Request::get("/sager/1?fane=historik").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to_login = headers[header::LOCATION].to_str().expect("location").to_owned();
    assert_eq!(to_login, "/login?tilbage=%2Fsager%2F1%3Ffane%3Dhistorik");
    let sign_in = |user: &'static str, login: &'static str| {
        let app = &app;
        async move { sign_in_from(app, user, login).await[header::LOCATION].to_str().expect("location").to_owned() }
    };
    assert_eq!(sign_in("leder", "/login?tilbage=%2Fsager%2F1%3Ffane%3Dhistorik").await, "/sager/1?fane=historik");
    for foreign in ["/login?tilbage=%2F%2Fangriber.example", "/login?tilbage=https%3A%2F%2Fangriber.example"] {
        assert_eq!(sign_in("leder", foreign).await, "/sager", "{foreign}");
    }
    assert_eq!(sign_in("analytiker", "/login").await, "/statistik");
    assert_eq!(sign_in("drift", "/login").await, "/koersler");
    // A form posted without a session is not a page to go back to.
    let (status, headers, _) = send(
        &app,
        Request::post("/sager/1/cpr")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("purpose=x"))
            .expect("req"),
    )
    .await;
    assert_eq!((status, headers[header::LOCATION].to_str().ok()), (StatusCode::SEE_OTHER, Some("/login")));
}

/// Search: a case number goes straight to the case; a full CPR number finds that citizen's cases in the
/// user's scope and is logged with the purpose "søgning"; anything else is said in Danish. The same through
/// the API (`GET /api/v1/cases?q=`).
#[tokio::test]
async fn a_case_is_found_by_its_number_or_the_full_cpr_number_and_the_search_is_logged() {
    let app = app().await;
    let lead = browser_login(&app, "leder").await;
    let (status, headers, _) = page(&app, &lead, "/sager?q=sag+2").await;
    assert_eq!((status, headers[header::LOCATION].to_str().ok()), (StatusCode::SEE_OTHER, Some("/sager/2")));
    let cpr = row(3, 159).cpr;
    let (status, _, html) = page(&app, &lead, &format!("/sager?q={}-{}", &cpr[..6], &cpr[6..])).await;
    assert_eq!(status, StatusCode::OK);
    let text = text_of(&html);
    assert!(text.contains("Sager for det søgte CPR-nummer") && text.contains("1 sag i alt"), "{text}");
    assert!(html.contains("href=\"/sager/3\"") && !html.contains("href=\"/sager/1\""), "{html}");
    assert!(!html.contains(&cpr), "the CPR number searched for is not shown back");
    let log = app.store.access_log().await.expect("log");
    assert!(log.iter().any(|e| e.case_id == Some(3) && e.what == "search" && e.purpose.as_deref() == Some("søgning")));
    // Aarhus's case is not found from Gladsaxe, but the search is still logged.
    let before = app.store.access_log().await.expect("log").len();
    let (_, _, html) = page(&app, &lead, &format!("/sager?q={}", row(4, 751).cpr)).await;
    assert!(text_of(&html).contains("0 sager i alt"), "{}", text_of(&html));
    let after = app.store.access_log().await.expect("log");
    assert!(after[before..].iter().any(|e| e.case_id.is_none() && e.what == "search"));
    // By name: part of it, without its diacritics, in the scope only (case 4 is Aarhus's).
    let before = app.store.access_log().await.expect("log").len();
    let (_, _, html) = page(&app, &lead, "/sager?q=ozturk").await;
    let text = text_of(&html);
    assert!(text.contains("Ayşe Öztürk") && text.contains("1 sag i alt"), "{text}");
    assert!(html.contains("href=\"/sager/1\"") && html.contains("value=\"ozturk\""), "what was typed is kept");
    let after = app.store.access_log().await.expect("log");
    assert!(
        after[before..]
            .iter()
            .any(|e| e.case_id == Some(1) && e.what == "search" && e.purpose.as_deref() == Some("søgning"))
    );
    let (_, _, html) = page(&app, &lead, "/sager?q=wisniewski").await;
    assert!(text_of(&html).contains("0 sager i alt"), "Aarhus's citizen is not found from Gladsaxe");
    let (_, _, html) = page(&app, &lead, "/sager?q=J").await;
    assert!(text_of(&html).contains("Skriv mindst to bogstaver af navnet"), "{}", text_of(&html));
    // A search that cannot be read finds nothing (found by an outside check: it listed every case) and
    // keeps what was typed; % and _ are no wildcards.
    assert!(text_of(&html).contains("0 sager i alt") && html.contains("value=\"J\""), "{}", text_of(&html));
    for q in ["%25", "_", "%25%25"] {
        let (_, _, html) = page(&app, &lead, &format!("/sager?q={q}")).await;
        assert!(text_of(&html).contains("0 sager i alt"), "{q}: {}", text_of(&html));
    }
    // A case number that does not parse in the address is a Danish page, not the framework's English.
    // A method an address does not take: a Danish page too (it had no body at all).
    let (status, headers, refused) = page(&app, &lead, "/team/overdrag").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap_or("").starts_with("text/html"));
    assert!(text_of(&refused).contains("Adressen kan ikke bruges sådan"), "{refused}");
    for url in ["/sager/abc", "/sager/1/dokumenter/x", "/sager?side=abc"] {
        let (status, headers, html) = page(&app, &lead, url).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap_or("").starts_with("text/html"), "{url}");
        assert!(text_of(&html).contains("Adressen kan ikke læses") && !html.contains("Invalid"), "{url}: {html}");
    }
    // Every page for a user who works with cases has the field.
    assert!(html.contains("role=\"search\"") && html.contains("name=\"q\""));

    let sb = token(&app, "leder").await;
    let (status, body) = get(&app, &sb, &format!("/api/v1/cases?q={cpr}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["id"], 3);
    let (status, body) = get(&app, &sb, "/api/v1/cases?q=2").await;
    assert_eq!((status, body["items"][0]["id"].as_i64()), (StatusCode::OK, Some(2)));
    let (status, body) = get(&app, &sb, "/api/v1/cases?q=NGUYEN").await;
    assert_eq!((status, body["total"].as_u64()), (StatusCode::OK, Some(1)), "{body}");
    assert_eq!(body["items"][0]["name"], "Nguyễn Thị Hương");
    let (status, body) = get(&app, &sb, "/api/v1/cases?q=-").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!((body["type"].as_str(), body["field"].as_str()), (Some("urn:gennemgang:problem:bad-search"), Some("q")));
}

/// A journal note (notatpligt) is a form on the case page for whoever holds the case, and shows on the
/// page with its day, kind and author once noted; a note dated ahead is refused with the field named.
#[tokio::test]
async fn a_contact_is_noted_on_the_case_page() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let sb = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &sb, "/sager/1").await;
    assert!(html.contains("/sager/1/handling/record_contact"), "offered to the caseworker");
    let csrf = csrf_in(&html);
    let version = app.store.case(1).await.expect("read").expect("case").version;
    let form = |day: &str| {
        format!("csrf={csrf}&seen_version={version}&contact=phone&contacted_on={day}&note=Borgeren+ringede+om+brevet.")
    };
    let (status, _, html) = post_form(&app, &sb, "/sager/1/handling/record_contact", &form("2026-12-08")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&html).contains("ligger efter i dag"), "{}", text_of(&html));
    // Refused, the form is given back as it was typed, the error linked to its field.
    assert!(html.contains(">Borgeren ringede om brevet.</textarea>"), "the text is kept: {html}");
    assert!(html.contains("value=\"2026-12-08\"") && html.contains("value=\"phone\" selected"), "{html}");
    assert!(html.contains("href=\"#record_contact-contacted_on\""), "{html}");
    let (status, headers, _) = post_form(&app, &sb, "/sager/1/handling/record_contact", &form("2026-12-04")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
    let (_, _, html) = page(&app, &sb, "/sager/1").await;
    let text = text_of(&html);
    assert!(text.contains("Journalnotat, 4. december 2026 (telefonsamtale)"), "{text}");
    assert!(text.contains("Borgeren ringede om brevet. (sb)"), "{text}");
}

/// A case is assigned by choosing among the home municipality's caseworkers, never by typing a name: the
/// form offers Gladsaxe's caseworkers only, and a name that is not one of them is refused.
#[tokio::test]
async fn a_case_is_assigned_by_choosing_one_of_the_municipalitys_caseworkers() {
    let app = app().await;
    let lead = browser_login(&app, "leder").await;
    let (_, _, html) = page(&app, &lead, "/sager/1").await;
    let assign =
        html.split("action=\"/sager/1/handling/assign\"").nth(1).and_then(|s| s.split("</form>").next()).unwrap_or("");
    assert!(
        assign.contains("<select") && assign.contains("value=\"sb\"") && assign.contains("value=\"sb2\""),
        "{assign}"
    );
    assert!(!assign.contains("aarhus-sb") && !assign.contains("value=\"leder\""), "{assign}");
    let csrf = csrf_in(&html);
    let (status, _, _) =
        post_form(&app, &lead, "/sager/1/handling/assign", &format!("csrf={csrf}&seen_version=1&caseworker=aarhus-sb"))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) =
        post_form(&app, &lead, "/sager/1/handling/assign", &format!("csrf={csrf}&seen_version=1&caseworker=sb2")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = page(&app, &lead, "/sager/1").await;
    assert!(html.contains("sb2 (har sagen nu)"), "the one who has it is marked");
}

/// The citizen by name on the worklist and the case page; a protected address (CPR-loven § 28) only for
/// whoever sends the case's letters, and never on the printed page.
#[tokio::test]
async fn the_citizen_is_named_and_a_protected_address_is_shown_only_to_the_letter_sender() {
    let app = app().await;
    let lead = browser_login(&app, "leder").await;
    let (_, _, html) = page(&app, &lead, "/sager").await;
    let text = text_of(&html);
    assert!(text.contains("Ayşe Öztürk") && text.contains("Hodan Warsame"), "{text}");
    let (_, _, html) = page(&app, &lead, "/sager/1").await;
    let text = text_of(&html);
    assert!(
        text.contains("Ayşe Öztürk") && text.contains("Bøgeparken 2, 2. tv") && text.contains("2860 Søborg"),
        "{text}"
    );
    let (_, _, html) = page(&app, &lead, "/sager/3").await;
    let text = text_of(&html);
    assert!(text.contains("Navne- og adressebeskyttelse"), "{text}");
    assert!(text.contains("Adressen vises kun for den, der sender sagens breve"), "{text}");
    assert!(!text.contains("Bøgeparken 4"), "the team lead sends no letters: {text}");
    let api = token(&app, "leder").await;
    ok(&app, &api, 3, json!({"action": "assign", "caseworker": "sb"})).await;
    let sb = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &sb, "/sager/3").await;
    let text = text_of(&html);
    assert!(text.contains("Bøgeparken 4, 2. tv") && text.contains("må ikke videregives"), "{text}");
    assert!(html.contains("class=\"app-no-print\""), "not on the printed page");
}

/// Over plain http with a host name the browser keeps no `Secure` cookie, so the sign-in form comes back
/// without it: the page says why instead of calling the form expired.
#[tokio::test]
async fn a_sign_in_over_plain_http_says_why_the_cookie_was_not_kept() {
    let app = app().await;
    let post = |host: &'static str, proto: Option<&'static str>| {
        let mut r = Request::post("/login")
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(p) = proto {
            r = r.header("x-forwarded-proto", p);
        }
        r.body(Body::from("csrf=x&username=sb&password=y")).expect("req")
    };
    for (host, proto, https_hint) in [
        ("gennemgang.kommune.example", None, true),
        ("10.0.0.7:8080", Some("http"), true),
        ("gennemgang.kommune.example", Some("https"), false),
        ("localhost:8080", None, false),
        ("127.0.0.1:8080", None, false),
        ("[::1]:8080", None, false),
    ] {
        let (status, _, html) = send(&app, post(host, proto)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let text = text_of(&html);
        assert_eq!(text.contains("åbnet med http:// og ikke https://"), https_hint, "{host} {proto:?}: {text}");
        assert_eq!(text.contains("Formularen er udløbet"), !https_hint, "{host} {proto:?}: {text}");
    }
}

/// What waits on a caseworker: the consent after the reopening letter, in the worklist with the days
/// waited and on the "today" page once due within a week; the filter shows only the cases that wait.
#[tokio::test]
async fn a_case_waiting_on_consent_shows_in_the_worklist_and_on_the_today_page() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let sb = token(&app, "sb").await;
    phase_1(&app, &sb, 1).await;
    ok(&app, &sb, 1, json!({"action": "assess_reopen", "ground": "Lønindkomst.", "evidence": [0]})).await;
    ok(&app, &sb, 1, json!({"action": "notify_reopening", "sent_on": "2026-12-07"})).await;
    let browser = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &browser, "/sager?venter=1").await;
    let text = text_of(&html);
    assert!(text.contains("Samtykke i 0 dage, frist 21. december 2026") && text.contains("1 sag i alt"), "{text}");
    let (_, _, html) = page(&app, &browser, "/i-dag").await;
    assert!(text_of(&html).contains("Intet svar er forsinket"), "the consent is due in 14 days: {}", text_of(&html));
    app.clock.advance_to(jiff::civil::date(2026, 12, 22));
    let (_, _, html) = page(&app, &browser, "/i-dag").await;
    let text = text_of(&html);
    assert!(
        text.contains("Sag 1 · Ayşe Öztürk")
            && text.contains("Samtykke i 15 dage, frist 21. december 2026, overskredet"),
        "{text}"
    );
    // Asked for health information once consent is given: the wait moves on to it.
    ok(&app, &sb, 1, json!({"action": "record_consent", "granted": true, "scope": "Egen læge"})).await;
    ok(&app, &sb, 1, json!({"action": "request_information", "awaited": "health_information", "from": "egen læge"}))
        .await;
    let (_, _, html) = page(&app, &browser, "/sager?venter=1").await;
    assert!(text_of(&html).contains("Helbredsoplysninger i 0 dage, frist 19. januar 2027"), "{}", text_of(&html));
}

/// A multipart upload of `file` (named `filename`) with the form's other fields.
async fn upload(
    app: &App,
    session: &str,
    id: i64,
    fields: &[(&str, &str)],
    filename: &str,
    file: &[u8],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let boundary = "graense7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    send(
        app,
        Request::post(format!("/sager/{id}/dokumenter"))
            .header(header::COOKIE, format!("__Host-gennemgang={session}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("req"),
    )
    .await
}

/// Documents (issue 17.3): uploaded to the case by whoever holds it, recognised by content (a program named
/// `.pdf` is refused, what was typed kept), stored by hash with the event, listed on the case page, every
/// opening in the access log; a health document opens only inside its task with a purpose.
#[tokio::test]
async fn a_document_is_added_recognised_by_its_content_and_every_opening_is_logged() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let sb = browser_login(&app, "sb").await;
    let (_, _, html) = page(&app, &sb, "/sager/1").await;
    assert!(html.contains("enctype=\"multipart/form-data\""), "the upload form is offered to the caseworker");
    let csrf = csrf_in(&html);
    let version = app.store.case(1).await.expect("read").expect("case").version.to_string();
    let fields = |title: &'static str, source: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("seen_version", version.clone()),
            ("title", title.to_owned()),
            ("dated", "2026-12-01".to_owned()),
            ("source", source.to_owned()),
        ]
    };
    let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    // A program renamed to .pdf is no PDF.
    let f = as_refs(&fields("Brev fra borgeren", "pension_case"));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = upload(&app, &sb, 1, &f, "brev.pdf", b"MZ\x90\0\x03\0\0\0program").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(text_of(&html).contains("Filtypen kan ikke bruges"), "{}", text_of(&html));
    assert!(
        html.contains("href=\"#dokument-file\"") && html.contains("value=\"Brev fra borgeren\""),
        "the title is kept"
    );
    // Over the limit: 413, and the form again with what was typed (found by an outside check: a bare page).
    let over = vec![b'a'; gennemgang_app::documents::DEFAULT_MAX_BYTES + (1 << 20)];
    let (status, _, html) = upload(&app, &sb, 1, &f, "stor.txt", &over).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text_of(&html).contains("Filen er større end 25 MB"), "{}", text_of(&html));
    assert!(html.contains("value=\"Brev fra borgeren\""), "the title is kept");
    // Larger still, the body is refused before it is read: the form again, with the error at the file.
    let huge = vec![b'a'; 2 * gennemgang_app::documents::DEFAULT_MAX_BYTES + (1 << 20)];
    let (status, _, html) = upload(&app, &sb, 1, &f, "stor.txt", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("href=\"#dokument-file\"") && text_of(&html).contains("Filen er større end 25 MB"));
    assert!(app.store.case(1).await.expect("read").expect("case").documents.is_empty(), "nothing recorded");
    // A letter from the citizen as plain text, and a doctor's statement (sensitive) as PDF.
    let letter = "Kære kommune\nJeg arbejder 10 timer om ugen.\n".as_bytes();
    let (status, headers, _) = upload(&app, &sb, 1, &f, "brev.txt", letter).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
    let version = app.store.case(1).await.expect("read").expect("case").version.to_string();
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    let health: Vec<(&str, String)> = vec![
        ("csrf", csrf.clone()),
        ("seen_version", version),
        ("title", "Lægeerklæring".into()),
        ("dated", "2026-11-30".into()),
        ("source", "health_information".into()),
    ];
    let health: Vec<(&str, &str)> = health.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = upload(&app, &sb, 1, &health, "erklaering.pdf", pdf).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case = app.store.case(1).await.expect("read").expect("case");
    assert_eq!(case.documents.len(), 2);
    assert_eq!(case.documents[0].document.media_type, gennemgang_case::action::MediaType::Text);
    assert_eq!(case.documents[1].document.sha256, gennemgang_app::documents::sha256(pdf));
    let (_, _, html) = page(&app, &sb, "/sager/1").await;
    let text = text_of(&html);
    assert!(
        text.contains("Brev fra borgeren")
            && text.contains("Lægeerklæring")
            && text.contains("åbnes kun i den opgave, der bruger det")
            && !text.contains("Formål (følsomt dokument)"),
        "{text}"
    );
    // Opened: logged, served as what it is.
    let (status, headers, body) = page(&app, &sb, "/sager/1/dokumenter/1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_bytes(), letter);
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let log = app.store.access_log().await.expect("log");
    assert!(log.iter().any(|e| e.what == "document 1" && e.allowed && e.user == "sb"));
    // The health document: not by a plain link, and not in phase 1 (outside its task), logged as refused.
    let (status, _, _) = page(&app, &sb, "/sager/1/dokumenter/2").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = post_form(&app, &sb, "/sager/1/dokumenter/2", &format!("csrf={csrf}&purpose=Vurdering")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "health information belongs to phase 2");
    let log = app.store.access_log().await.expect("log");
    assert!(log.iter().any(|e| e.what == "document 2" && !e.allowed && e.purpose.as_deref() == Some("Vurdering")));
    // A number that is not there is said to be the document's, not the case's; another municipality's
    // caseworker sees nothing, not even that the case exists.
    let (status, _, body) = page(&app, &sb, "/sager/1/dokumenter/3").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Dokumentet findes ikke på sagen.") && !body.contains("Sagen findes ikke"), "{body}");
    let other = browser_login(&app, "aarhus-sb").await;
    let (status, _, body) = page(&app, &other, "/sager/1/dokumenter/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Sagen findes ikke."), "{body}");
}

/// Cover (issue 17.6): the team lead assigns several cases from the worklist at once (each its own
/// assignment, the ones out of reach named), sees the cases per caseworker, and moves all of an absent
/// caseworker's cases to a colleague in one logged action; no one else may.
#[tokio::test]
async fn a_team_lead_assigns_many_cases_at_once_and_moves_an_absent_caseworkers_cases() {
    let app = app().await;
    let lead = browser_login(&app, "leder").await;
    let (_, _, html) = page(&app, &lead, "/sager").await;
    assert!(html.contains("Fordel valgte") && html.contains("id=\"vaelg-1\""), "ticks for the team lead");
    let csrf = csrf_in(&html);
    // A case ticked twice is assigned once (found by an outside check: one event per tick).
    let (status, _, html) = post_form(
        &app,
        &lead,
        "/sager/fordel",
        &format!("csrf={csrf}&sag=1&sag=2&sag=1&sag=3&sag=4&sag=2&caseworker=sb"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = text_of(&html);
    assert!(
        text.contains("3 sager er fordelt til sb")
            && text.contains("1 sag kunne ikke fordeles (sag 4: Sagen findes ikke)"),
        "{text}"
    );
    for id in 1..=3 {
        assert_eq!(app.store.case(id).await.expect("read").expect("case").assigned_to.as_deref(), Some("sb"));
        assert_eq!(app.store.events(id).await.expect("events").len(), 2, "imported, then assigned once");
    }
    // Refused as a whole, once, naming the field: a name that is not a caseworker, more cases than one
    // request takes, a case number that is not one; and again to the one who holds them: nothing done.
    for (form, says) in [
        ("sag=1&sag=2&caseworker=nobody".to_owned(), "er ikke en aktiv sagsbehandler"),
        (format!("{}caseworker=sb2", "sag=1&".repeat(501)), "højst fordele 500 sager ad gangen"),
        ("sag=1&sag=x1&caseworker=sb2".to_owned(), "Sagsnummeret »x1« kan ikke læses"),
        ("sag=1&sag=2&caseworker=sb".to_owned(), "sagen er allerede fordelt til sb"),
    ] {
        let (status, _, html) = post_form(&app, &lead, "/sager/fordel", &format!("csrf={csrf}&{form}")).await;
        let text = text_of(&html);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains("Ingen sager er fordelt") && text.contains(says), "{text}");
        assert_eq!(text.matches(says).count(), if says.contains("allerede") { 2 } else { 1 }, "{text}");
    }
    for id in 1..=3 {
        assert_eq!(app.store.events(id).await.expect("events").len(), 2, "nothing written by the refusals");
    }
    let (_, _, html) = page(&app, &lead, "/team").await;
    assert!(text_of(&html).contains("sb 3 3 0 0 0"), "{}", text_of(&html));
    // Refused as a whole, naming the field: to one who is not a caseworker, from one who holds nothing.
    for (form, says) in [
        ("fra=sb&til=nobody", "Til: nobody er ikke en aktiv sagsbehandler"),
        ("fra=ingen&til=sb2", "Fra: ingen har ingen åbne sager"),
    ] {
        let (status, _, html) = post_form(&app, &lead, "/team/overdrag", &format!("csrf={csrf}&{form}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            text_of(&html).contains("Ingen sager er flyttet") && text_of(&html).contains(says),
            "{}",
            text_of(&html)
        );
    }
    // sb is away: everything moves to sb2 in one request, each case with its own assignment in its history;
    // the same request sent twice at once moves each case once (found by an outside check: three
    // transfers at once gave each case three more events).
    let form = format!("csrf={csrf}&fra=sb&til=sb2");
    let (first, second) =
        tokio::join!(post_form(&app, &lead, "/team/overdrag", &form), post_form(&app, &lead, "/team/overdrag", &form));
    let moved = [&first, &second].iter().map(|(_, _, html)| text_of(html)).collect::<Vec<_>>().join(" | ");
    assert!(moved.contains("fordelt til sb2"), "{moved}");
    for id in 1..=3 {
        let case = app.store.case(id).await.expect("read").expect("case");
        assert_eq!(case.assigned_to.as_deref(), Some("sb2"));
        let history = app.store.events(id).await.expect("events");
        assert_eq!(history.len(), 3, "imported, assigned, moved once");
        assert_eq!(history.last().map(|e| e.actor.user.as_str()), Some("leder"));
    }
    let log = app.store.access_log().await.expect("log");
    assert!(
        log.iter()
            .any(|e| e.what == "transfer" && e.purpose.as_deref() == Some("overdragelse fra sb til sb2 (3 sager)"))
    );
    // A caseworker may do neither.
    let sb = browser_login(&app, "sb").await;
    let csrf = csrf_in(&page(&app, &sb, "/sager").await.2);
    assert_eq!(
        post_form(&app, &sb, "/team/overdrag", &format!("csrf={csrf}&fra=sb2&til=sb")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_form(&app, &sb, "/sager/fordel", &format!("csrf={csrf}&sag=1&caseworker=sb")).await.0,
        StatusCode::FORBIDDEN
    );
}

/// Aktindsigt (issue 17.7): a request registered today with its 7-working-day due day (FVL § 16, stk. 2),
/// answered with a document withheld for a stated reason, the file produced as a zip (index, documents,
/// history, access log in Danish) for whoever holds the case, the production logged, and the letter ready.
#[tokio::test]
async fn an_access_request_is_answered_with_the_file_and_what_is_withheld_and_why() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let sb = token(&app, "sb").await;
    ok(&app, &sb, 1, json!({"action": "register_access_request", "scope": "Hele min sag"})).await;
    let case = app.store.case(1).await.expect("read").expect("case");
    assert_eq!(case.access_requests[0].received_on, jiff::civil::date(2026, 12, 7), "received today, never typed");
    assert_eq!(case.access_requests[0].answer_by, jiff::civil::date(2026, 12, 16));
    assert_eq!(case.next_deadline(), Some((jiff::civil::date(2026, 12, 16), "aktindsigt")));
    let browser = browser_login(&app, "sb").await;
    for (title, source) in [("Brev fra borgeren", "pension_case"), ("Naboens henvendelse", "other_administration")] {
        let html = page(&app, &browser, "/sager/1").await.2;
        let version = app.store.case(1).await.expect("read").expect("case").version.to_string();
        let fields = [
            ("csrf", csrf_in(&html)),
            ("seen_version", version),
            ("title", title.into()),
            ("dated", "2026-12-01".into()),
            ("source", source.into()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(upload(&app, &browser, 1, &fields, "x.txt", title.as_bytes()).await.0, StatusCode::SEE_OTHER);
    }
    // A purpose that reads like a refusal, and a refused read: the file tells them apart (found by an outside
    // check: "formål: opslag (afvist)" read as a refused read).
    let html = page(&app, &browser, "/sager/1").await.2;
    let form = format!("csrf={}&purpose=opslag%20(afvist)", csrf_in(&html));
    assert_eq!(post_form(&app, &browser, "/sager/1/cpr", &form).await.0, StatusCode::OK);
    let aarhus = browser_login(&app, "aarhus").await;
    let other = page(&app, &aarhus, "/sager").await.2;
    let form = format!("csrf={}&purpose=nysgerrig", csrf_in(&other));
    assert_eq!(post_form(&app, &aarhus, "/sager/1/cpr", &form).await.0, StatusCode::NOT_FOUND);
    let html = page(&app, &browser, "/sager/1").await.2;
    assert!(
        text_of(&html).contains("16. december 2026") && html.contains("answer_access_request"),
        "{}",
        text_of(&html)
    );
    let version = app.store.case(1).await.expect("read").expect("case").version;
    let form = format!("csrf={}&seen_version={version}&withheld_third_party=2", csrf_in(&html));
    let (status, headers, _) = post_form(&app, &browser, "/sager/1/handling/answer_access_request", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
    let (status, headers, body) = send(
        &app,
        Request::get("/sager/1/aktindsigt/1")
            .header(header::COOKIE, format!("__Host-gennemgang={browser}"))
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    let _ = body;
    let bytes = {
        let r = app.router.clone().oneshot(
            Request::get("/sager/1/aktindsigt/1")
                .header(header::COOKIE, format!("__Host-gennemgang={browser}"))
                .body(Body::empty())
                .expect("req"),
        );
        let response = r.await.expect("answer");
        http_body_util::BodyExt::collect(response.into_body()).await.expect("body").to_bytes()
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let names: Vec<String> =
        (0..zip.len()).map(|i| zip.by_index(i).expect("entry").name().expect("name").into_owned()).collect();
    assert!(names.contains(&"dokumenter/01-brev-fra-borgeren.txt".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("naboens")), "the withheld document is left out: {names:?}");
    let read = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text).expect("utf-8");
        text
    };
    let index = read(&mut zip, "indholdsfortegnelse.txt");
    assert!(
        index.contains("2. Naboens henvendelse (1. december 2026) — undtaget: oplysninger om andre personer"),
        "{index}"
    );
    let log = read(&mut zip, "adgangslog.txt");
    assert!(log.contains("sb (Sagsbehandler) så sagen") && !log.contains("home_caseworker"), "{log}");
    assert!(log.contains(") så det fulde CPR-nummer, formål: »opslag (afvist)«\n"), "{log}");
    assert!(
        log.lines()
            .any(|l| l.contains("aarhus") && l.ends_with(") blev afvist: det fulde CPR-nummer, formål: »nysgerrig«")),
        "{log}"
    );
    assert!(read(&mut zip, "historik.txt").contains("Registrér anmodning om aktindsigt"));
    // Every line dated, the import too (found by an outside check: "1. : Import fra screeningen").
    let history = read(&mut zip, "historik.txt");
    assert!(history.lines().skip(2).all(|l| l.contains(" 2026: ")), "{history}");
    let entries = app.store.access_log().await.expect("log");
    assert!(entries.iter().any(|e| e.what == "aktindsigt 1" && e.user == "sb"));
    // The letter that goes with it names what is withheld and why.
    let (status, _, html) = page(&app, &browser, "/sager/1/breve/access-answer").await;
    assert_eq!(status, StatusCode::OK, "{html}");
}

/// A multipart upload over the API (CONTRACT: `file`, `title`, `source`, `dated_on`).
async fn api_upload(
    app: &App,
    token: &str,
    id: i64,
    fields: &[(&str, &str)],
    file: &[u8],
) -> (StatusCode, String, Value) {
    let boundary = "graense9a2c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bilag.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, headers, body) = send(
        app,
        Request::post(format!("/api/v1/cases/{id}/documents"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("req"),
    )
    .await;
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, kind, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Documents over the API (CONTRACT): a round trip (201 with its id, listed with its hash and type, the
/// bytes as stored, the read in the access log); a program named `.pdf` is 415 and a file over the limit
/// 413, both problem+json and nothing recorded; another municipality sees nothing.
#[tokio::test]
async fn documents_round_trip_through_the_api_and_what_is_not_taken_is_415_or_413() {
    let app = app().await;
    let (lead, sb) = (token(&app, "leder").await, token(&app, "sb").await);
    ok(&app, &lead, 1, json!({"action": "assign", "caseworker": "sb"})).await;
    let fields = [("title", "Brev fra borgeren"), ("source", "pension_case"), ("dated_on", "2026-12-01")];
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    let (status, _, body) = api_upload(&app, &sb, 1, &fields, pdf).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["id"], 1);
    let (status, list) = get(&app, &sb, "/api/v1/cases/1/documents").await;
    assert_eq!(status, StatusCode::OK);
    let item = &list["items"][0];
    assert_eq!(
        (item["sha256"].as_str(), item["content_type"].as_str(), item["size"].as_u64()),
        (Some(gennemgang_app::documents::sha256(pdf).as_str()), Some("application/pdf"), Some(pdf.len() as u64))
    );
    let (status, headers, bytes) = send(
        &app,
        Request::get("/api/v1/cases/1/documents/1")
            .header(header::AUTHORIZATION, format!("Bearer {sb}"))
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert_eq!((status, bytes.as_bytes()), (StatusCode::OK, &pdf[..]));
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let log = app.store.access_log().await.expect("log");
    assert!(log.iter().any(|e| e.what == "document 1" && e.allowed && e.user == "sb"));
    // Not taken: a program named .pdf, a file one byte over the limit; each a problem naming the file.
    let over = vec![b'a'; gennemgang_app::documents::DEFAULT_MAX_BYTES + 1];
    for (file, status, kind) in [
        (&b"MZ\x90\0\x03\0\0\0program"[..], StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-accepted-type"),
        (&b"\x7fELF\x02\x01\x01\0"[..], StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-accepted-type"),
        (&over[..], StatusCode::PAYLOAD_TOO_LARGE, "too-large"),
    ] {
        let (got, content_type, body) = api_upload(&app, &sb, 1, &fields, file).await;
        assert_eq!((got, content_type.as_str()), (status, "application/problem+json"), "{body}");
        assert_eq!(body["type"], format!("urn:gennemgang:problem:{kind}"));
        assert_eq!(body["field"], "file");
    }
    // A field given twice is refused, not read as one of them (found by an outside check: two titles).
    let twice = [("title", "a"), ("title", "b"), ("source", "pension_case"), ("dated_on", "2026-12-01")];
    let (status, _, body) = api_upload(&app, &sb, 1, &twice, pdf).await;
    assert_eq!(
        (status, body["type"].as_str()),
        (StatusCode::BAD_REQUEST, Some("urn:gennemgang:problem:bad-request-body"))
    );
    // A field missing or wrong is named.
    let (status, _, body) = api_upload(&app, &sb, 1, &[("title", "x"), ("source", "pension_case")], pdf).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("dated_on")));
    let future = [("title", "x"), ("source", "pension_case"), ("dated_on", "2027-06-01")];
    let (status, _, body) = api_upload(&app, &sb, 1, &future, pdf).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("dated_on")), "{body}");
    // A title on two lines, by either line break (a carriage return alone was taken before).
    for title in ["Brev\nfra borgeren", "Brev\rfra borgeren"] {
        let two_lines = [("title", title), ("source", "pension_case"), ("dated_on", "2026-12-01")];
        let (status, _, body) = api_upload(&app, &sb, 1, &two_lines, pdf).await;
        assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("title")), "{body}");
    }
    assert_eq!(app.store.case(1).await.expect("read").expect("case").documents.len(), 1, "nothing more recorded");
    // Another municipality: the case, its list and its document do not exist.
    let other = token(&app, "aarhus-sb").await;
    assert_eq!(api_upload(&app, &other, 1, &fields, pdf).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &other, "/api/v1/cases/1/documents").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &other, "/api/v1/cases/1/documents/1").await.0, StatusCode::NOT_FOUND);
    // A number the case does not hold is a problem of its own, not "no such case".
    let (status, body) = get(&app, &sb, "/api/v1/cases/1/documents/9").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["type"], "urn:gennemgang:problem:document-not-found");
}

/// The same assignment sent several times at once lands once (found by an outside check: eight at once
/// gave eight identical events): the rule that refuses assigning a case to the one who holds it is judged on
/// the case as it stands when each event is appended.
#[tokio::test]
async fn the_same_assignment_sent_at_once_lands_once() {
    let app = app().await;
    let lead = token(&app, "leder").await;
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (router, lead) = (app.router.clone(), lead.clone());
            tokio::spawn(async move {
                let request = Request::post("/api/v1/cases/1/actions")
                    .header(header::AUTHORIZATION, format!("Bearer {lead}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(json!({"action": "assign", "caseworker": "sb"}).to_string()))
                    .expect("req");
                router.oneshot(request).await.expect("response").status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for c in clients {
        statuses.push(c.await.expect("client"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
    assert_eq!(app.store.events(1).await.expect("events").len(), 2, "imported, assigned once");
}

/// A sign-in while the database is out of reach is the server's failure (503, "try again"), never the
/// caller's attempts: an outside check restarted PostgreSQL and was told "For mange forsøg" (429) with a
/// right password, and the alert on server errors did not see the outage.
#[tokio::test]
async fn a_sign_in_while_the_database_is_gone_is_503_not_429() {
    let app = app().await;
    let (_, headers, html) = send(&app, Request::get("/login").body(Body::empty()).expect("req")).await;
    let login_cookie = cookie_of(&headers, "__Host-gennemgang-login").expect("login cookie");
    app.store.clone().close().await;
    let (status, headers, body) = send(
        &app,
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"username": "leder", "password": PASSWORD}).to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("urn:gennemgang:problem:database-unavailable"), "{body}");
    assert!(headers.get(header::RETRY_AFTER).is_none(), "not a throttle");
    let form = format!("csrf={}&username=leder&password={}", csrf_in(&html), PASSWORD.replace(' ', "+"));
    let (status, _, body) = post_login(&app, &login_cookie, form).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("Prøv igen om lidt") && !body.contains("For mange forsøg"), "{body}");
}
