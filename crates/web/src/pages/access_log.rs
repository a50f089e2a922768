//! A case's access log: who read it, when and why.

use super::{Layout, app_error, render};
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::{self};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gennemgang_app::cases::{self};

struct AccessView {
    at: String,
    user: String,
    role: &'static str,
    municipality: String,
    what: String,
    purpose: String,
    allowed: &'static str,
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    layout: Layout,
    id: i64,
    entries: Vec<AccessView>,
}

/// `GET /sager/{id}/adgangslog`.
pub async fn access_log(State(state): State<AppState>, SignedIn(current): SignedIn, Path(id): Path<i64>) -> Response {
    match cases::access_log(&state.store, &current.user.actor(), id, jiff::Timestamp::now()).await {
        Ok(entries) => render(
            StatusCode::OK,
            &AccessLogPage {
                layout: Layout::of(Some(&current)),
                id,
                entries: entries
                    .into_iter()
                    .map(|e| AccessView {
                        at: views::local_time(e.at),
                        user: e.user.clone(),
                        role: views::role(e.role),
                        municipality: e.municipality.map(|m| m.to_string()).unwrap_or_default(),
                        what: e.what_danish(),
                        purpose: e.purpose.unwrap_or_default(),
                        allowed: if e.allowed { "Ja" } else { "Afvist" },
                    })
                    .collect(),
            },
        ),
        Err(e) => app_error(&current, &e),
    }
}
