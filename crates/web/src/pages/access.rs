//! Aktindsigt on the case page: the requests with their due days, and the file an answered one produces,
//! handed out as one zip file (an index, the documents, the history, the access log).

use super::app_error;
use crate::AppState;
use crate::extract::SignedIn;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gennemgang_case::case::Case;
use std::io::Write as _;

/// One request as the case page lists it.
pub(crate) struct RequestView {
    pub(crate) number: usize,
    pub(crate) received: String,
    pub(crate) scope: String,
    pub(crate) due: String,
    pub(crate) due_class: &'static str,
    pub(crate) answered: String,
    pub(crate) withheld: usize,
}

/// The case's requests, numbered from 1.
pub(crate) fn views(case: &Case, today: jiff::civil::Date) -> Vec<RequestView> {
    case.access_requests
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let late = r.answered_on.is_none_or(|a| a > r.answer_by) && today > r.answer_by;
            RequestView {
                number: i + 1,
                received: gennemgang_rules::date::danish(r.received_on),
                scope: r.scope.clone(),
                due: format!(
                    "{}{}",
                    gennemgang_rules::date::danish(r.answer_by),
                    if late && r.answered_on.is_none() { ", overskredet" } else { "" }
                ),
                due_class: if late && r.answered_on.is_none() { "deadline-overdue" } else { "" },
                answered: r.answered_on.map(gennemgang_rules::date::danish).unwrap_or_default(),
                withheld: r.withheld.len(),
            }
        })
        .collect()
}

/// `GET /sager/{id}/aktindsigt/{n}`: the file of answered request `n` as a zip (the production logged).
pub async fn bundle(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path((id, number)): Path<(i64, usize)>,
) -> Response {
    let actor = current.user.actor();
    let bundle = match gennemgang_app::access::bundle(&state.store, &actor, id, number, jiff::Timestamp::now()).await {
        Ok(b) => b,
        Err(e) => return app_error(&current, &e),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in &bundle.files {
        if zip.start_file(name.as_str(), options).and_then(|()| Ok(zip.write_all(content)?)).is_err() {
            return super::server_error(&std::io::Error::other("the zip file could not be written"));
        }
    }
    let bytes = match zip.finish() {
        Ok(cursor) => cursor.into_inner(),
        Err(e) => return super::server_error(&e),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"aktindsigt-sag-{id}-{number}.zip\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
