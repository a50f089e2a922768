//! Helpers shared by the web crate's test files: an application on a fresh SQLite database with users of
//! every role, and requests through its router as the API and a browser make them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gennemgang_app::db::AnyStore;
use gennemgang_case::actor::Role;
use gennemgang_store::{Store, User};
use gennemgang_store_tests::conformance::row;
use gennemgang_web::{AppState, routes::router};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

pub const PASSWORD: &str = "korrekt hest batteri";

pub struct App {
    pub router: axum::Router,
    pub store: AnyStore,
    /// The server's "today": Monday 7 December 2026, moved forward as a test lets time pass.
    pub clock: gennemgang_app::Clock,
    pub _dir: tempfile::TempDir,
}

pub async fn app() -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let store =
        gennemgang_app::db::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.expect("open");
    // Cases 1-3 in Gladsaxe (159, Hovedstaden → 101), case 4 in Aarhus (751, Midtjylland).
    store
        .import(&[row(1, 159), row(2, 159), row(3, 159), row(4, 751)], &[], jiff::Timestamp::now())
        .await
        .expect("import");
    let hash = gennemgang_app::auth::hash_password(PASSWORD).expect("hash");
    for (name, role, m) in [
        ("leder", Role::HomeTeamLead, Some(159)),
        ("sb", Role::HomeCaseworker, Some(159)),
        ("sb2", Role::HomeCaseworker, Some(159)),
        ("aarhus", Role::HomeTeamLead, Some(751)),
        ("aarhus-sb", Role::HomeCaseworker, Some(751)),
        ("afg", Role::DecidingCaseworker, Some(101)),
        ("att", Role::DecidingApprover, Some(101)),
        ("afg-aarhus", Role::DecidingCaseworker, Some(751)),
        ("analytiker", Role::MinistryAnalyst, None),
        ("drift", Role::Administrator, None),
    ] {
        store
            .put_user(&User {
                username: name.into(),
                password_hash: hash.clone(),
                role,
                municipality: m,
                failed_logins: 0,
                locked_until: None,
            })
            .await
            .expect("user");
    }
    let postbox = gennemgang_app::postbox::FileDrop::new(dir.path().join("outbox"));
    let clock = gennemgang_app::Clock::fixed(jiff::civil::date(2026, 12, 7));
    App { router: router(AppState::new(store.clone(), postbox).with_clock(clock.clone())), store, clock, _dir: dir }
}

pub async fn send(app: &App, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

pub async fn token(app: &App, user: &str) -> String {
    let (status, _, body) = send(
        app,
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"username": user, "password": PASSWORD}).to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str::<Value>(&body).expect("json")["token"].as_str().expect("token").to_owned()
}

pub async fn get(app: &App, token: &str, path: &str) -> (StatusCode, Value) {
    let (status, headers, body) = send(
        app,
        Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).expect("req"),
    )
    .await;
    if !status.is_success() {
        assert_eq!(
            headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("")),
            Some("application/problem+json")
        );
    }
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

pub async fn act(app: &App, token: &str, id: i64, action: Value) -> (StatusCode, Value) {
    let (status, _, body) = send(
        app,
        Request::post(format!("/api/v1/cases/{id}/actions"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(action.to_string()))
            .expect("req"),
    )
    .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

pub async fn ok(app: &App, token: &str, id: i64, action: Value) -> Value {
    let (status, body) = act(app, token, id, action.clone()).await;
    assert_eq!(status, StatusCode::OK, "{action}: {body}");
    body
}

pub fn cookie_of(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    })
}

pub fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().to_owned()
}

/// Signs in through the form found at `login` (`/login`, or `/login?tilbage=…` as a deep link leads there),
/// sending back the page it remembers; the answer's headers.
pub async fn sign_in_from(app: &App, user: &str, login: &str) -> axum::http::HeaderMap {
    let (_, headers, html) = send(app, Request::get(login).body(Body::empty()).expect("req")).await;
    let login_cookie = cookie_of(&headers, "__Host-gennemgang-login").expect("login cookie");
    let back = html.split("name=\"tilbage\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("");
    let back: String = back
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    let form =
        format!("csrf={}&username={user}&password={}&tilbage={back}", csrf_in(&html), PASSWORD.replace(' ', "+"));
    let (status, headers, _) = post_login(app, &login_cookie, form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    headers
}

/// Posts the sign-in form `form` with the login form's cookie, as a browser does.
pub async fn post_login(app: &App, login_cookie: &str, form: String) -> (StatusCode, axum::http::HeaderMap, String) {
    send(
        app,
        Request::post("/login")
            .header(header::COOKIE, format!("__Host-gennemgang-login={login_cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .expect("req"),
    )
    .await
}

pub async fn browser_login(app: &App, user: &str) -> String {
    let headers = sign_in_from(app, user, "/login").await;
    let set = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-gennemgang="))
        .expect("cookie")
        .to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("Secure") && set.contains("SameSite=Strict") && set.contains("Path=/"),
        "{set}"
    );
    cookie_of(&headers, "__Host-gennemgang").expect("session")
}

pub async fn page(app: &App, session: &str, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    send(
        app,
        Request::get(path)
            .header(header::COOKIE, format!("__Host-gennemgang={session}"))
            .body(Body::empty())
            .expect("req"),
    )
    .await
}

pub async fn post_form(
    app: &App,
    session: &str,
    path: &str,
    form: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    send(
        app,
        Request::post(path)
            .header(header::COOKIE, format!("__Host-gennemgang={session}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .expect("req"),
    )
    .await
}
