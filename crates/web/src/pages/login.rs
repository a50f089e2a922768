//! Sign-in with a user name and password (CSRF-protected by a cookie of its own) and sign-out.

use super::{ErrorItem, Layout, field, render, server_error};
use crate::AppState;
use crate::extract::Posted;
use crate::session::{self, COOKIE, LOGIN_COOKIE, csrf_ok};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gennemgang_app::auth::{self, AuthError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    username: String,
    errors: Vec<ErrorItem>,
    /// Single sign-on providers: (id, button text).
    providers: Vec<(String, String)>,
    /// The page asked for before signing in, to go on to after it.
    back: String,
}

/// Where a sign-in may go on to: a page of this application (a path of its own, never another site's
/// address, `//host` or `/\\host`), not the sign-in itself.
#[must_use]
pub fn safe_return(path: &str) -> Option<&str> {
    let own = path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") && path.len() <= 2_000;
    let plain = path.chars().all(|c| c.is_ascii_graphic());
    (own && plain && !path.starts_with("/login") && !path.starts_with("/logout")).then_some(path)
}

/// Where a user lands without a page asked for: the page of their role's work.
fn start_page(role: gennemgang_case::actor::Role) -> &'static str {
    use gennemgang_case::actor::Role;
    match role {
        Role::MinistryAnalyst => "/statistik",
        Role::Administrator => "/koersler",
        _ => "/sager",
    }
}

/// The sign-in page with `errors` (a field `sso` links to the single sign-on buttons).
pub(crate) fn login_page(state: &AppState, status: StatusCode, username: &str, errors: Vec<ErrorItem>) -> Response {
    login_page_back(state, status, username, errors, "")
}

fn login_page_back(
    state: &AppState,
    status: StatusCode,
    username: &str,
    errors: Vec<ErrorItem>,
    back: &str,
) -> Response {
    let back = safe_return(back).unwrap_or_default().to_owned();
    let csrf = match auth::random_token() {
        Ok(csrf) => csrf,
        Err(e) => return server_error(&e),
    };
    let providers = state.sso.providers().iter().map(|p| (p.config().id.clone(), p.config().label.clone())).collect();
    let mut response = render(
        status,
        &LoginPage { layout: Layout::of(None), csrf: csrf.clone(), username: username.into(), errors, providers, back },
    );
    response.headers_mut().append(header::SET_COOKIE, session::set_cookie(LOGIN_COOKIE, &csrf, 900));
    response
}

/// Whether the sign-in form came back without its cookie because the browser would not store it: a
/// `__Host-` cookie is `Secure`, which browsers keep only over https or on localhost. The server speaks
/// plain http behind a proxy that terminates TLS and says so (`X-Forwarded-Proto: https`); a host name
/// that is not local, reached without it, is plain http.
fn cookie_refused_over_http(headers: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.split(',').next().is_some_and(|first| first.trim().eq_ignore_ascii_case("https")));
    let host = text(header::HOST);
    let name = if host.starts_with('[') {
        host.split(']').next().map_or("", |h| h.trim_start_matches('['))
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let local = name == "localhost"
        || name.ends_with(".localhost")
        || name == "::1"
        || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback());
    !host.is_empty() && !local && !forwarded_https
}

/// `GET /login?tilbage=PATH`: the form, remembering the page asked for.
pub async fn login_form(State(state): State<AppState>, Query(query): Query<Vec<(String, String)>>) -> Response {
    login_page_back(&state, StatusCode::OK, "", Vec::new(), field(&query, "tilbage"))
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: session::Peer,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let username = field(&form, "username").trim().to_owned();
    let back = field(&form, "tilbage");
    let expected = session::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf_ok(&expected, field(&form, "csrf")) {
        let message = if expected.is_empty() && cookie_refused_over_http(&headers) {
            "Din browser har ikke gemt log-ind-oplysningerne, fordi siden er åbnet med http:// og ikke https://. \
             Åbn siden med https:// (på din egen maskine kan du bruge http://localhost)."
        } else {
            "Formularen er udløbet; prøv igen"
        };
        return login_page_back(
            &state,
            StatusCode::FORBIDDEN,
            &username,
            vec![ErrorItem { field: "username".into(), message: message.into() }],
            back,
        );
    }
    let source = session::attempt_source(&state, &headers, peer);
    let limited = match crate::session::rate_limited(&state, &username, &source).await {
        Ok(limited) => limited,
        Err(e) => return server_error(&e),
    };
    if limited {
        return login_page_back(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &username,
            vec![ErrorItem { field: "username".into(), message: "For mange forsøg; vent et minut".into() }],
            back,
        );
    }
    match auth::sign_in(&state.store, &username, field(&form, "password"), &source, jiff::Timestamp::now()).await {
        Ok((token, _, user)) => {
            let to = safe_return(back).unwrap_or_else(|| start_page(user.role));
            let mut response = Redirect::to(to).into_response();
            session::start(&mut response, &token);
            response.headers_mut().append(header::SET_COOKIE, session::set_cookie(LOGIN_COOKIE, "", 0));
            response
        }
        Err(e @ (AuthError::Wrong | AuthError::Locked)) => {
            crate::metrics::sign_in_failed();
            login_page_back(
                &state,
                StatusCode::UNAUTHORIZED,
                &username,
                vec![ErrorItem { field: "username".into(), message: e.to_string() }],
                back,
            )
        }
        Err(e) => server_error(&e),
    }
}

/// The sign-out form: nothing but its CSRF token.
#[derive(Deserialize)]
pub struct SignOut {}

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, _: Posted<SignOut>) -> Response {
    if let Some(token) = session::cookie(&headers, COOKIE) {
        let _ = auth::sign_out(&state.store, &token).await;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(header::SET_COOKIE, session::set_cookie(COOKIE, "", 0));
    response
}
