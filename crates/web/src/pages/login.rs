//! Sign-in with a user name and password (CSRF-protected by a cookie of its own) and sign-out.

use super::{ErrorItem, Layout, field, render, server_error};
use crate::AppState;
use crate::extract::Posted;
use crate::session::{self, COOKIE, LOGIN_COOKIE, csrf_ok};
use askama::Template;
use axum::Form;
use axum::extract::State;
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
}

/// The sign-in page with `errors` (a field `sso` links to the single sign-on buttons).
pub(crate) fn login_page(state: &AppState, status: StatusCode, username: &str, errors: Vec<ErrorItem>) -> Response {
    let csrf = match auth::random_token() {
        Ok(csrf) => csrf,
        Err(e) => return server_error(&e),
    };
    let providers = state.sso.providers().iter().map(|p| (p.config().id.clone(), p.config().label.clone())).collect();
    let mut response = render(
        status,
        &LoginPage { layout: Layout::of(None), csrf: csrf.clone(), username: username.into(), errors, providers },
    );
    response.headers_mut().append(header::SET_COOKIE, session::set_cookie(LOGIN_COOKIE, &csrf, 900));
    response
}

/// `GET /login`.
pub async fn login_form(State(state): State<AppState>) -> Response {
    login_page(&state, StatusCode::OK, "", Vec::new())
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let username = field(&form, "username").trim().to_owned();
    let expected = session::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf_ok(&expected, field(&form, "csrf")) {
        return login_page(
            &state,
            StatusCode::FORBIDDEN,
            &username,
            vec![ErrorItem { field: "username".into(), message: "Formularen er udløbet; prøv igen".into() }],
        );
    }
    if crate::session::rate_limited(&state, &username).await {
        return login_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &username,
            vec![ErrorItem { field: "username".into(), message: "For mange forsøg; vent et minut".into() }],
        );
    }
    match auth::sign_in(&state.store, &username, field(&form, "password"), jiff::Timestamp::now()).await {
        Ok((token, _, _)) => {
            let mut response = Redirect::to("/sager").into_response();
            session::start(&mut response, &token);
            response.headers_mut().append(header::SET_COOKIE, session::set_cookie(LOGIN_COOKIE, "", 0));
            response
        }
        Err(e @ (AuthError::Wrong | AuthError::Locked)) => {
            crate::metrics::sign_in_failed();
            login_page(
                &state,
                StatusCode::UNAUTHORIZED,
                &username,
                vec![ErrorItem { field: "username".into(), message: e.to_string() }],
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
