//! Security headers on every response: a strict Content-Security-Policy (everything from this origin, no
//! inline script or style), no framing, no sniffing, no referrer, and no caching of pages with person data;
//! and a handler's panic answered as 500 rather than a dropped connection.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                       base-uri 'none'; object-src 'none'";

/// Adds the headers.
pub async fn headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A handler that panics (a bug) is answered with 500 — a Danish error page, or problem+json under `/api`
/// once [`crate::api::problems`] has seen it — instead of a connection dropped without an answer. Nothing
/// of the request or the panic's message is logged: either may hold a CPR number.
pub async fn contain_panics(request: Request, next: Next) -> Response {
    use futures_util::FutureExt as _;
    match std::panic::AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!("a request handler panicked; answered 500");
            crate::pages::message(
                None,
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Der skete en fejl",
                "Siden kunne ikke vises på grund af en fejl hos os. Prøv igen om lidt; sker det igen, så kontakt kommunens it-afdeling.",
            )
        }
    }
}
