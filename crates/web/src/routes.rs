//! Every route of the application, in one place.

use crate::{AppState, api, assets, deciding, letters, pages, security, sso, statistics, tools};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// The application's router.
pub fn router(state: AppState) -> Router {
    // Twice the file's limit, so that a file somewhat over it is read to its limit and refused with the
    // form's other fields kept; a body larger still is refused before it is read.
    let limit = DefaultBodyLimit::max(state.max_document_bytes.saturating_mul(2) + (64 << 10));
    let routes = Router::new()
        // Pages.
        .route("/", get(pages::home))
        .route("/login", get(pages::login::login_form).post(pages::login::login))
        .route("/login/sso/{provider}", get(sso::start))
        .route("/login/sso/{provider}/svar", get(sso::answer))
        .route("/logout", post(pages::login::logout))
        .route("/i-dag", get(pages::today::today))
        .route("/sager", get(pages::worklist::worklist))
        .route("/sager/fordel", post(pages::team::assign_many))
        .route("/team", get(pages::team::team))
        .route("/team/overdrag", post(pages::team::transfer))
        .route("/sager/{id}", get(pages::case::case))
        .route("/sager/{id}/cpr", post(pages::case::reveal_cpr))
        .route("/sager/{id}/foelsomme", post(pages::case::reveal_sensitive))
        .route("/sager/{id}/handling/{action}", post(pages::case::act))
        .route("/sager/{id}/adgangslog", get(pages::access_log::access_log))
        .route("/sager/{id}/aktindsigt/{n}", get(pages::access::bundle))
        .route("/sager/{id}/dokumenter", post(pages::documents::upload).layer(limit))
        .route("/sager/{id}/dokumenter/{n}", get(pages::documents::open).post(pages::documents::open_with_purpose))
        .route("/sager/{id}/breve/{kind}", get(letters::preview).post(letters::send))
        .route("/breve", get(letters::batch).post(letters::start_batch))
        .route("/breve/{id}", get(letters::batch_progress))
        .route("/statistik", get(statistics::page))
        .route("/statistik.csv", get(statistics::csv))
        .route("/statistik.xlsx", get(statistics::xlsx))
        .route("/afgoerelse/indbakke", get(deciding::inbox))
        .route("/afgoerelse/dagsorden", get(deciding::agenda))
        .route("/afgoerelse/attestation", get(deciding::approvals))
        .route("/omraader", get(tools::areas))
        .route("/koersler", get(tools::runs))
        .route("/beregner/pension", get(tools::pension_form).post(tools::pension))
        .route("/beregner/frist", get(tools::deadline_page))
        // API.
        .route("/healthz", get(api::healthz))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/session", post(api::session))
        .route("/api/v1/cases", get(api::cases))
        .route("/api/v1/cases/{id}", get(api::case))
        .route("/api/v1/cases/{id}/actions", post(api::act))
        .route("/api/v1/cases/{id}/events", get(api::events))
        .route("/api/v1/cases/{id}/documents", get(api::documents::list).post(api::documents::upload).layer(limit))
        .route("/api/v1/cases/{id}/documents/{doc}", get(api::documents::open))
        .route("/api/v1/stats", get(api::stats))
        // Static files.
        .route("/static/{*path}", get(assets::serve))
        .fallback(pages::not_found);
    edges(routes).with_state(state)
}

/// What every response passes through, innermost first: a panic contained as 500, an API error made
/// problem+json, the security headers.
pub fn edges(routes: Router<AppState>) -> Router<AppState> {
    routes
        .layer(axum::middleware::from_fn(security::contain_panics))
        .layer(axum::middleware::from_fn(api::problems))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(crate::log::requests))
}

/// The metrics server's routes (`serve --metrics-listen`): `/metrics` only, on an address of its own.
pub fn metrics(state: AppState) -> Router {
    Router::new().route("/metrics", get(crate::metrics::metrics)).with_state(state)
}
