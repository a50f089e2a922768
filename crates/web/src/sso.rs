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
    let begun = match state.sso.begin(p).await {
        // Kept in the database: the provider's answer may reach another server behind the load balancer.
        Ok((url, pending)) => match keep(&state, &pending).await {
            Ok(()) => Ok((url, pending.state().to_owned())),
            Err(e) => return server_error(&e),
        },
        Err(e) => Err(e),
    };
    match begun {
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

/// Keeps a sign-in under way where every server finds it.
async fn keep(state: &AppState, pending: &gennemgang_oidc::Pending) -> Result<(), gennemgang_store::StoreError> {
    use gennemgang_oidc::pending::{MAX_AGE, MAX_PENDING};
    use gennemgang_store::Store as _;
    let (sso_state, provider, nonce, verifier, started_at) = pending.parts();
    let kept = gennemgang_store::shared::PendingSignIn {
        state: sso_state.to_owned(),
        provider: provider.to_owned(),
        nonce: nonce.to_owned(),
        verifier: verifier.to_owned(),
        started_at,
    };
    let expired_before = started_at.saturating_sub(i64::try_from(MAX_AGE.as_secs()).unwrap_or(i64::MAX));
    state.store.put_sign_in(&kept, expired_before, MAX_PENDING).await
}

/// The sign-in under way with this state, taken (each is used once, on whichever server).
async fn take(
    state: &AppState,
    sso_state: &str,
) -> Result<Option<gennemgang_oidc::Pending>, gennemgang_store::StoreError> {
    use gennemgang_store::Store as _;
    Ok(state
        .store
        .take_sign_in(sso_state)
        .await?
        .map(|p| gennemgang_oidc::Pending::from_parts(p.state, p.provider, p.nonce, p.verifier, p.started_at)))
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
    let pending = match take(&state, given).await {
        Ok(Some(pending)) => pending,
        // Used already (a replayed answer), or never begun: as any answer that cannot be confirmed.
        Ok(None) => {
            return refused(&state, StatusCode::UNAUTHORIZED, "Log-ind via kommunen kunne ikke bekræftes. Prøv igen.");
        }
        Err(e) => return server_error(&e),
    };
    let username = match state.sso.finish(p, pending, code, jiff::Timestamp::now().as_second()).await {
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
