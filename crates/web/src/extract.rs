//! What a handler is handed before it runs: the signed-in user of a page ([`SignedIn`]), the caller of the
//! API ([`Caller`]), and a posted form whose CSRF token was checked ([`Posted`]). Each refuses the request
//! itself, in its surface's own way (a redirect to the sign-in page, `application/problem+json`, a Danish
//! error page), so no handler repeats the check and none can forget it.

use crate::AppState;
use crate::session::{self, Current, csrf_ok};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

/// A page's signed-in user (a session cookie); without one, the answer is the sign-in page.
pub struct SignedIn(pub Current);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<SignedIn, Response> {
        // A page asked for before signing in (a link in a mail, a bookmark) is where the sign-in goes on to.
        let back = (parts.method == axum::http::Method::GET)
            .then(|| parts.uri.path_and_query().map_or("/", |p| p.as_str()))
            .and_then(crate::pages::login::safe_return);
        signed_in(state, &parts.headers, back).await.map(SignedIn)
    }
}

/// The signed-in user, or a redirect to the sign-in page (going on to `back` after it). A bearer token does
/// not sign in to a page.
pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap, back: Option<&str>) -> Result<Current, Response> {
    match session::current(state, headers).await {
        Ok(Some(c)) if !c.bearer => Ok(c),
        Ok(_) => {
            let to =
                back.map_or_else(|| "/login".to_owned(), |b| format!("/login?tilbage={}", crate::pages::url_encode(b)));
            Err(Redirect::to(&to).into_response())
        }
        Err(e) => Err(crate::pages::server_error(&e)),
    }
}

/// The API's caller (a bearer token); without one, 401 as `application/problem+json`.
pub struct Caller(pub Current);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, Response> {
        use crate::api::Refusal;
        match session::current(state, &parts.headers).await {
            Ok(Some(c)) if c.bearer => Ok(Caller(c)),
            Ok(_) => Err(Refusal::Unauthorized.into_response()),
            Err(e) => {
                crate::log::failed(&e);
                Err(Refusal::Internal.into_response())
            }
        }
    }
}

/// A form posted by the signed-in user, its CSRF token checked, read as `T` (any `Deserialize` type: a
/// struct of the form's fields, or the pairs as they came, `Vec<(String, String)>`, where a field may
/// repeat). The user is checked first, then the token, then the form's shape, so a stranger learns
/// nothing about a form by posting to it.
pub struct Posted<T> {
    /// Who posted.
    pub current: Current,
    /// The form.
    pub form: T,
}

/// The largest form taken: the longest case text is a few tens of kilobytes.
const MAX_FORM_BYTES: usize = 1 << 20;

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Posted<T>, Response> {
        let current = signed_in(state, request.headers(), None).await?;
        let refused = |status, heading: &str, text: &str| crate::pages::message(Some(&current), status, heading, text);
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim() == "application/x-www-form-urlencoded"));
        if !is_form {
            return Err(refused(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Formularen kunne ikke læses",
                "Siden sendte noget andet end en formular. Indlæs siden igen og prøv en gang til.",
            ));
        }
        let body = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await.map_err(|_| {
            refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Formularen er for stor",
                "Teksterne i formularen er længere, end systemet tager imod. Gør dem kortere, og prøv igen.",
            )
        })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| {
            refused(StatusCode::BAD_REQUEST, "Formularen kunne ikke læses", "Indlæs siden igen og prøv en gang til.")
        })?;
        let given = pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
        if !csrf_ok(&current.session.csrf, given) {
            return Err(refused(
                StatusCode::FORBIDDEN,
                "Formularen er udløbet",
                "Indlæs siden igen og prøv en gang til.",
            ));
        }
        match serde_urlencoded::from_bytes::<T>(&body) {
            Ok(form) => Ok(Posted { current, form }),
            Err(_) => Err(refused(
                StatusCode::BAD_REQUEST,
                "Formularen kunne ikke læses",
                "Et felt i formularen mangler eller har en forkert form. Indlæs siden igen og prøv en gang til.",
            )),
        }
    }
}
