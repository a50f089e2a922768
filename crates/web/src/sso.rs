//! Sign-in through a municipality's single sign-on (OpenID Connect, `gennemgang-oidc`): the browser goes to
//! the provider and comes back with a code; the provider's word decides who the person is, the local account
//! of that name what they may do. The state value travels in the URL and in a cookie, so a sign-in
//! started in another browser (login CSRF) is refused.

use crate::AppState;

use crate::pages::{ErrorItem, login_page, message, not_found, server_error};
use crate::session::{self, csrf_ok};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gennemgang_app::auth::{self, AuthError};
use std::collections::HashMap;

/// Binds the browser to the sign-in it started. `SameSite=Lax`: it must come back on the provider's redirect.
const SSO_COOKIE: &str = "__Host-gennemgang-sso";

fn refused(state: &AppState, status: StatusCode, message: &str) -> Response {
    let mut response = login_page(state, status, "", vec![ErrorItem { field: "sso".into(), message: message.into() }]);
    response.headers_mut().append(header::SET_COOKIE, session::set_lax_cookie(SSO_COOKIE, "", 0));
    response
}

/// `GET /login/sso/{provider}`: to the provider.
pub async fn start(State(state): State<AppState>, Path(provider): Path<String>) -> Response {
    let Some(p) = state.sso.provider(&provider) else { return not_found().await };
    match state.sso.begin(p).await {
        Ok((url, sso_state)) => {
            let mut response = Redirect::to(&url).into_response();
            let seconds = i64::try_from(gennemgang_oidc::pending::MAX_AGE.as_secs()).unwrap_or(600);
            response.headers_mut().append(header::SET_COOKIE, session::set_lax_cookie(SSO_COOKIE, &sso_state, seconds));
            response
        }
        Err(e) => {
            // For the operator; the error names the provider's step, never a token or a person.
            tracing::warn!(provider = %provider, error = %e, "single sign-on failed");
            refused(
                &state,
                StatusCode::BAD_GATEWAY,
                "Kommunens login svarer ikke lige nu. Prøv igen om lidt, eller log på med brugernavn og adgangskode.",
            )
        }
    }
}

/// `GET /login/sso/{provider}/svar?code=…&state=…` (or `?error=…`): the provider's answer.
pub async fn answer(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(p) = state.sso.provider(&provider) else { return not_found().await };
    if query.contains_key("error") {
        return refused(&state, StatusCode::UNAUTHORIZED, "Kommunens login blev afbrudt eller afvist. Prøv igen.");
    }
    let given = query.get("state").map_or("", String::as_str);
    let bound = session::cookie(&headers, SSO_COOKIE).unwrap_or_default();
    let Some(code) = query.get("code").filter(|_| !bound.is_empty() && csrf_ok(&bound, given)) else {
        return refused(&state, StatusCode::FORBIDDEN, "Log-ind er udløbet eller startet et andet sted. Prøv igen.");
    };
    let username = match state.sso.finish(p, given, code).await {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(provider = %provider, error = %e, "single sign-on failed");
            return refused(&state, StatusCode::UNAUTHORIZED, "Log-ind via kommunen kunne ikke bekræftes. Prøv igen.");
        }
    };
    match auth::sign_in_sso(&state.store, &username, |m| p.may_sign_in(m), jiff::Timestamp::now()).await {
        Ok((token, _, user)) => {
            // A page, not a redirect: after the provider's cross-site redirect, the browser would not send the
            // SameSite=Strict session cookie along a further redirect; a refresh from this page is same-site.
            let mut response =
                message(None, StatusCode::OK, "Du er logget på", &format!("Velkommen, {}.", user.username));
            session::start(&mut response, &token);
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, session::set_lax_cookie(SSO_COOKIE, "", 0));
            headers.insert(header::REFRESH, HeaderValue::from_static("0; url=/sager"));
            response
        }
        Err(e @ (AuthError::NotProvisioned | AuthError::Locked)) => {
            refused(&state, StatusCode::FORBIDDEN, &e.to_string())
        }
        Err(e) => server_error(&e),
    }
}
