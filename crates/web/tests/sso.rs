//! Single sign-on through the router against an identity provider played by the test on a real port:
//! discovery, the authorization request (PKCE S256, state, nonce), the code exchange, the ID token's signature
//! and nonce, the state bound to the browser, the provider trusted only for its municipalities, and accounts
//! that have no password.

use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use gennemgang_case::actor::Role;
use gennemgang_store::{Store, User};
use http_body_util::BodyExt as _;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreIdTokenFields, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType, CoreTokenResponse,
    CoreTokenType,
};
use openidconnect::{
    AccessToken, Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata, EmptyExtraTokenFields,
    EndUserUsername, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PrivateSigningKey as _, ResponseTypes, StandardClaims, SubjectIdentifier, TokenUrl,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower::ServiceExt as _;

const KEY: &str = include_str!("fixtures/idp-test-key.pem");
const OTHER_KEY: &str = include_str!("fixtures/idp-other-key.pem");

/// What the provider remembers about a code it handed out.
#[derive(Clone)]
struct Grant {
    username: String,
    nonce: String,
    challenge: String,
    /// Sign with a key the provider does not publish.
    forged: bool,
}

#[derive(Clone)]
struct Idp {
    issuer: String,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
    exchanges: Arc<Mutex<u32>>,
}

fn signing_key(pem: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("k1".into()))).expect("test key")
}

async fn discovery(State(idp): State<Idp>) -> axum::Json<CoreProviderMetadata> {
    let url = |p: &str| format!("{}{p}", idp.issuer);
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(idp.issuer.clone()).expect("issuer"),
        AuthUrl::new(url("/authorize")).expect("url"),
        JsonWebKeySetUrl::new(url("/jwks")).expect("url"),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(url("/token")).expect("url")));
    axum::Json(metadata)
}

async fn jwks() -> axum::Json<CoreJsonWebKeySet> {
    axum::Json(CoreJsonWebKeySet::new(vec![signing_key(KEY).as_verification_key()]))
}

/// The token endpoint: checks the PKCE verifier against the challenge of the authorization request.
async fn token(
    State(idp): State<Idp>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<axum::Json<CoreTokenResponse>, StatusCode> {
    *idp.exchanges.lock().expect("lock") += 1;
    let grant = idp.grants.lock().expect("lock").remove(&form["code"]).ok_or(StatusCode::BAD_REQUEST)?;
    let verifier = PkceCodeVerifier::new(form.get("code_verifier").ok_or(StatusCode::BAD_REQUEST)?.clone());
    if PkceCodeChallenge::from_code_verifier_sha256(&verifier).as_str() != grant.challenge {
        return Err(StatusCode::BAD_REQUEST);
    }
    let access = AccessToken::new("access-token".into());
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(idp.issuer.clone()).expect("issuer"),
        vec![Audience::new("gennemgang".into())],
        chrono::Utc::now() + chrono::Duration::seconds(300),
        chrono::Utc::now(),
        StandardClaims::new(SubjectIdentifier::new(format!("sub-{}", grant.username)))
            .set_preferred_username(Some(EndUserUsername::new(grant.username.clone()))),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(grant.nonce)));
    let key = signing_key(if grant.forged { OTHER_KEY } else { KEY });
    let id_token = CoreIdToken::new(claims, &key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, Some(&access), None)
        .expect("sign");
    Ok(axum::Json(CoreTokenResponse::new(
        access,
        CoreTokenType::Bearer,
        CoreIdTokenFields::new(Some(id_token), EmptyExtraTokenFields {}),
    )))
}

async fn start_idp() -> Idp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let issuer = format!("http://{}", listener.local_addr().expect("addr"));
    let idp = Idp { issuer, grants: Arc::default(), exchanges: Arc::default() };
    let router = axum::Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(idp.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    idp
}

struct App {
    router: axum::Router,
    store: gennemgang_app::db::AnyStore,
    _dir: tempfile::TempDir,
}

/// The provider `kk` at `issuer`, trusted for København (101) only.
fn kk_provider(issuer: &str) -> gennemgang_oidc::Sso {
    let config = format!(
        "[[provider]]\nid = \"kk\"\nlabel = \"Log på med Københavns Kommunes login\"\nissuer = \"{issuer}\"\n\
         client_id = \"gennemgang\"\nredirect_url = \"http://localhost/login/sso/kk/svar\"\nmunicipalities = [101]\n"
    );
    let config = gennemgang_oidc::Config::parse(&config, "sso.toml", |_| None).expect("config");
    gennemgang_oidc::Sso::new(config).expect("sso")
}

/// The application with one provider, `kk`, trusted for København (101) only.
async fn app(issuer: &str) -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let store =
        gennemgang_app::db::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.expect("open");
    for (name, m) in [("kk-leder", 101), ("gladsaxe-leder", 159)] {
        let user = User {
            username: name.into(),
            password_hash: gennemgang_app::auth::SSO_ONLY.into(),
            role: Role::HomeTeamLead,
            municipality: Some(m),
            failed_logins: 0,
            locked_until: None,
        };
        store.put_user(&user).await.expect("user");
    }
    let sso = kk_provider(issuer);
    let postbox = gennemgang_app::postbox::FileDrop::new(dir.path().join("outbox"));
    let state = gennemgang_web::AppState::new(store.clone(), postbox).with_sso(sso);
    App { router: gennemgang_web::routes::router(state), store, _dir: dir }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &App, path: &str, cookie: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    let response = app.router.clone().oneshot(request.body(Body::empty()).expect("req")).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = String::from_utf8_lossy(&response.into_body().collect().await.expect("body").to_bytes()).into_owned();
    Answer { status, headers, body }
}

fn set_cookie(answer: &Answer, name: &str) -> Option<String> {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The value part (`name=value`) of a Set-Cookie header.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Starts a sign-in and lets the provider issue a code for `username`: (code, state, the browser's cookie).
async fn authorize(app: &App, idp: &Idp, username: &str, forged: bool) -> (String, String, String) {
    let start = send(app, "/login/sso/kk", None).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let location = start.headers[header::LOCATION].to_str().expect("location");
    assert!(location.starts_with(&format!("{}/authorize?", idp.issuer)), "{location}");
    let url = openidconnect::url::Url::parse(location).expect("url");
    let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "gennemgang");
    assert_eq!(q["code_challenge_method"], "S256", "PKCE");
    assert!(q["scope"].split(' ').any(|s| s == "openid"));
    assert_eq!(q["redirect_uri"], "http://localhost/login/sso/kk/svar");
    let bound = set_cookie(&start, "__Host-gennemgang-sso").expect("the browser is bound to the sign-in");
    assert!(bound.contains("SameSite=Lax") && bound.contains("HttpOnly") && bound.contains("Secure"), "{bound}");
    let code = format!("code-{}", q["state"]);
    let grant =
        Grant { username: username.into(), nonce: q["nonce"].clone(), challenge: q["code_challenge"].clone(), forged };
    idp.grants.lock().expect("lock").insert(code.clone(), grant);
    (code, q["state"].clone(), cookie_pair(&bound))
}

fn answer_path(code: &str, state: &str) -> String {
    format!("/login/sso/kk/svar?code={code}&state={state}")
}

#[tokio::test]
async fn a_municipal_user_signs_in_through_the_provider_and_gets_a_session() {
    let idp = start_idp().await;
    let app = app(&idp.issuer).await;
    let login = send(&app, "/login", None).await;
    assert!(
        login.body.contains("href=\"/login/sso/kk\"") && login.body.contains("Log på med Københavns Kommunes login")
    );

    let (code, state, cookie) = authorize(&app, &idp, "kk-leder", false).await;
    let done = send(&app, &answer_path(&code, &state), Some(&cookie)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.headers[header::REFRESH], "0; url=/sager");
    let session = set_cookie(&done, "__Host-gennemgang").expect("session cookie");
    assert!(session.contains("SameSite=Strict") && session.contains("HttpOnly"), "{session}");
    let worklist = send(&app, "/sager", Some(&cookie_pair(&session))).await;
    assert_eq!(worklist.status, StatusCode::OK);
    assert!(worklist.body.contains("kk-leder"), "signed in as the provider's user");

    // The same answer again (a replayed URL): the state was used.
    let again = send(&app, &answer_path(&code, &state), Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&again, "__Host-gennemgang").is_none());
}

#[tokio::test]
async fn an_answer_without_the_browsers_cookie_is_refused_before_the_provider_is_asked() {
    let idp = start_idp().await;
    let app = app(&idp.issuer).await;
    let (code, state, cookie) = authorize(&app, &idp, "kk-leder", false).await;
    // Login CSRF: an attacker's code and state, delivered to a victim's browser that did not start it.
    let refused = send(&app, &answer_path(&code, &state), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("startet et andet sted"), "{}", refused.body);
    let other = send(&app, &answer_path(&code, &state), Some("__Host-gennemgang-sso=another-state")).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(*idp.exchanges.lock().expect("lock"), 0, "no code was exchanged");
    // The real browser still completes it.
    assert_eq!(send(&app, &answer_path(&code, &state), Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_provider_signs_in_only_its_own_municipalitys_accounts() {
    let idp = start_idp().await;
    let app = app(&idp.issuer).await;
    for username in ["gladsaxe-leder", "ukendt"] {
        let (code, state, cookie) = authorize(&app, &idp, username, false).await;
        let refused = send(&app, &answer_path(&code, &state), Some(&cookie)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{username}");
        assert!(refused.body.contains("ingen adgang til Gennemgang"), "{}", refused.body);
        assert!(set_cookie(&refused, "__Host-gennemgang").is_none());
    }
}

#[tokio::test]
async fn a_token_signed_with_an_unpublished_key_is_refused() {
    let idp = start_idp().await;
    let app = app(&idp.issuer).await;
    let (code, state, cookie) = authorize(&app, &idp, "kk-leder", true).await;
    let refused = send(&app, &answer_path(&code, &state), Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("kunne ikke bekræftes"));
    assert!(set_cookie(&refused, "__Host-gennemgang").is_none());
}

#[tokio::test]
async fn a_provider_that_does_not_answer_leaves_password_sign_in_working() {
    let app = app("http://127.0.0.1:9").await;
    let down = send(&app, "/login/sso/kk", None).await;
    assert_eq!(down.status, StatusCode::BAD_GATEWAY);
    assert!(down.body.contains("svarer ikke") && down.body.contains("name=\"password\""));
    assert_eq!(send(&app, "/login/sso/ukendt", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_account_without_a_password_cannot_be_guessed_into_a_lockout() {
    let idp = start_idp().await;
    let app = app(&idp.issuer).await;
    for _ in 0..gennemgang_app::auth::MAX_FAILURES + 2 {
        let e = gennemgang_app::auth::sign_in(&app.store, "kk-leder", "!sso-only", "", jiff::Timestamp::now()).await;
        assert!(matches!(e, Err(gennemgang_app::auth::AuthError::Wrong)), "{e:?}");
    }
    let user = app.store.user("kk-leder").await.expect("store").expect("user");
    assert_eq!((user.failed_logins, user.locked_until), (0, None));
    let (code, state, cookie) = authorize(&app, &idp, "kk-leder", false).await;
    assert_eq!(send(&app, &answer_path(&code, &state), Some(&cookie)).await.status, StatusCode::OK);
}

/// Two servers on one PostgreSQL database, as behind a load balancer without sticky sessions: each has
/// its own store (its own connections) and memory; every request goes to the other one from the last.
struct Servers {
    a: App,
    b: App,
    state_b: gennemgang_web::AppState,
}

async fn two_servers(issuer: &str) -> Servers {
    let url = gennemgang_store_tests::postgres::fresh_database();
    let dir = tempfile::tempdir().expect("tmp");
    let open = || gennemgang_app::db::open(&url);
    let (store_a, store_b) = (open().await.expect("open a"), open().await.expect("open b"));
    store_a
        .import(
            &[gennemgang_store_tests::conformance::row(1, 159), gennemgang_store_tests::conformance::row(2, 159)],
            &[],
            jiff::Timestamp::now(),
        )
        .await
        .expect("import");
    let hash = gennemgang_app::auth::hash_password("korrekt hest batteri").expect("hash");
    for (name, role, m, password) in [
        ("kk-leder", Role::HomeTeamLead, 101, gennemgang_app::auth::SSO_ONLY.to_owned()),
        ("leder", Role::HomeTeamLead, 159, hash.clone()),
        ("sb", Role::HomeCaseworker, 159, hash.clone()),
    ] {
        let user = User {
            username: name.into(),
            password_hash: password,
            role,
            municipality: Some(m),
            failed_logins: 0,
            locked_until: None,
        };
        store_a.put_user(&user).await.expect("user");
    }
    let server = |store: gennemgang_app::db::AnyStore| {
        let sso = kk_provider(issuer);
        let postbox = gennemgang_app::postbox::FileDrop::new(dir.path().join("outbox"));
        let clock = gennemgang_app::Clock::fixed(jiff::civil::date(2026, 12, 7));
        gennemgang_web::AppState::new(store, postbox).with_sso(sso).with_clock(clock)
    };
    let (state_a, state_b) = (server(store_a.clone()), server(store_b.clone()));
    assert_ne!(state_a.worker, state_b.worker, "each server is a worker of its own");
    let a = App { router: gennemgang_web::routes::router(state_a), store: store_a, _dir: dir };
    let b = App {
        router: gennemgang_web::routes::router(state_b.clone()),
        store: store_b,
        _dir: tempfile::tempdir().expect("tmp"),
    };
    Servers { a, b, state_b }
}

async fn post_to(app: &App, path: &str, cookie: &str, content_type: &str, body: String) -> Answer {
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("req");
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = String::from_utf8_lossy(&response.into_body().collect().await.expect("body").to_bytes()).into_owned();
    Answer { status, headers, body }
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_need_no_sticky_sessions() {
    let idp = start_idp().await;
    let s = two_servers(&idp.issuer).await;
    let (a, b) = (&s.a, &s.b);

    // A single sign-on begun on one server is finished on the other, and the session works on both.
    let (code, state, cookie) = authorize(a, &idp, "kk-leder", false).await;
    let done = send(b, &answer_path(&code, &state), Some(&cookie)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let session = cookie_pair(&set_cookie(&done, "__Host-gennemgang").expect("session"));
    assert_eq!(send(a, "/sager", Some(&session)).await.status, StatusCode::OK);
    let replayed = send(a, &answer_path(&code, &state), Some(&cookie)).await;
    assert_eq!(replayed.status, StatusCode::UNAUTHORIZED, "the state was used, on whichever server");

    // The sign-in throttle counts on both servers together: the eleventh attempt this minute is refused.
    let mut statuses = Vec::new();
    for i in 0..11 {
        let server = if i % 2 == 0 { a } else { b };
        let body = r#"{"username":"ukendt","password":"forkert"}"#.to_owned();
        statuses.push(post_to(server, "/api/v1/session", "", "application/json", body).await.status);
    }
    assert!(statuses[..10].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);

    // A caseworker signs in on one server, summons are started as a batch on the other, and its
    // progress is read on the first.
    let login = send(a, "/login", None).await;
    let login_cookie = cookie_pair(&set_cookie(&login, "__Host-gennemgang-login").expect("login cookie"));
    let form = format!("csrf={}&username=sb&password=korrekt+hest+batteri", csrf_of(&login.body));
    let signed_in = post_to(b, "/login", &login_cookie, "application/x-www-form-urlencoded", form).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
    let sb = cookie_pair(&set_cookie(&signed_in, "__Host-gennemgang").expect("session"));
    let token = |user: &str| {
        let body = format!(r#"{{"username":"{user}","password":"korrekt hest batteri"}}"#);
        async move {
            let answer = post_to(a, "/api/v1/session", "", "application/json", body).await;
            serde_json::from_str::<serde_json::Value>(&answer.body).expect("token")["token"]
                .as_str()
                .expect("token")
                .to_owned()
        }
    };
    let (lead, caseworker) = (token("leder").await, token("sb").await);
    for (i, (who, action)) in [
        (&lead, r#"{"action":"assign","caseworker":"sb"}"#),
        (&caseworker, r#"{"action":"summon","interview_on":"2030-01-10"}"#),
    ]
    .into_iter()
    .enumerate()
    {
        for id in [1, 2] {
            let server = if (i + usize::try_from(id).expect("id")) % 2 == 0 { a } else { b };
            let request = Request::post(format!("/api/v1/cases/{id}/actions"))
                .header(header::AUTHORIZATION, format!("Bearer {who}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(action))
                .expect("req");
            let response = server.router.clone().oneshot(request).await.expect("response");
            assert_eq!(response.status(), StatusCode::OK, "{action} on case {id}");
        }
    }
    let page = send(b, "/breve", Some(&sb)).await;
    let form = format!("csrf={}&kind=summons&kanal=digital&dato=2026-12-07", csrf_of(&page.body));
    let started = post_to(a, "/breve", &sb, "application/x-www-form-urlencoded", form).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let location = started.headers[header::LOCATION].to_str().expect("location").to_owned();
    let mut progress = String::new();
    for i in 0..200 {
        progress = send(if i % 2 == 0 { b } else { a }, &location, Some(&sb)).await.body;
        if progress.contains("Færdig") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(progress.contains("2 af 2 sendt. Færdig."), "{progress}");
    for id in [1, 2] {
        assert_eq!(b.store.case(id).await.expect("read").expect("case").letters.len(), 1, "case {id}");
    }

    // A batch whose server stopped halfway (its worker silent for longer than a worker may be) is taken
    // over by the other server's sweep, which sends what is left: here nothing, both letters are sent, so
    // each case is refused as changed, never sent twice.
    let id: i64 = location.rsplit('/').next().and_then(|n| n.parse().ok()).expect("id");
    let old = s.a.store.batch(id).await.expect("read").expect("batch");
    let long_ago = jiff::Timestamp::now().as_second() - 3_600;
    let orphan = gennemgang_store::shared::NewBatch {
        owner: "sb".into(),
        kind: "summons".into(),
        channel: "digital".into(),
        sent_on: "2026-12-07".into(),
        targets: old.targets.iter().map(|(case, v)| (*case, v - 1)).collect(),
        started_at: long_ago,
        worker: "a-server-that-stopped".into(),
    };
    let orphan = s.a.store.start_batch(&orphan).await.expect("start");
    s.state_b.sweep_shared().await;
    let mut resumed = None;
    for _ in 0..200 {
        resumed = s.b.store.batch(orphan).await.expect("read");
        if resumed.as_ref().is_some_and(|r| r.finished_at.is_some()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let resumed = resumed.expect("batch");
    assert_eq!(resumed.worker.as_deref(), Some(&*s.state_b.worker), "taken over");
    assert_eq!((resumed.sent, resumed.failed.len(), resumed.finished_at.is_some()), (0, 2, true), "{resumed:?}");
    for id in [1, 2] {
        assert_eq!(b.store.case(id).await.expect("read").expect("case").letters.len(), 1, "never twice: {id}");
    }
}
