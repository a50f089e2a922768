//! The case file's documents on the case page: the list, the upload form (multipart, its CSRF token
//! checked, the file held to the installation's limit and recognised by its content), and each document
//! opened — a health or criminal-record document only with a stated purpose — every opening logged first.

use super::case::{CaseView, show_case};
use super::{ErrorItem, app_error, message, seen_version};
use crate::AppState;
use crate::extract::{Posted, SignedIn};
use crate::session::{Current, csrf_ok};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gennemgang_app::cases::{AppError, Refused};
use gennemgang_app::documents::{self, Upload};
use gennemgang_case::action::Source;
use gennemgang_case::case::Case;
use serde::Deserialize;

/// Where a document may come from, as the form offers it: the model's sources.
pub(crate) const SOURCES: [Source; 9] = [
    Source::PensionCase,
    Source::OtherAdministration,
    Source::IncomeRegister,
    Source::PublicActivity,
    Source::CriminalRecord,
    Source::HealthInformation,
    Source::WorkTrial,
    Source::NewInformation,
    Source::RehabilitationTeam,
];

/// A source's name in forms.
fn source_name(source: Source) -> String {
    serde_json::to_value(source).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// One document as the case page lists it.
pub(crate) struct DocumentView {
    pub(crate) number: usize,
    pub(crate) title: String,
    pub(crate) dated: String,
    pub(crate) source: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) size: String,
    pub(crate) by: String,
    pub(crate) added_on: String,
    pub(crate) sensitive: bool,
    /// A sensitive one the user may open now, with a purpose (inside its task); one outside it is named
    /// but offers no opening that would only be refused.
    pub(crate) openable: bool,
}

/// The case's documents, numbered from 1, as `actor` may open them.
pub(crate) fn views(case: &Case, actor: &gennemgang_case::actor::Actor) -> Vec<DocumentView> {
    use gennemgang_case::policy::{Access, authorize};
    let in_task = |source: Source| {
        authorize(actor, Some(case), Access::ReadSensitive { source, purpose: "opgavens formål" }).is_ok()
    };
    case.documents
        .iter()
        .enumerate()
        .map(|(i, d)| DocumentView {
            number: i + 1,
            title: d.document.title.clone(),
            dated: gennemgang_rules::date::danish(d.document.dated),
            source: d.document.source.danish(),
            kind: d.document.media_type.danish(),
            size: size(d.document.size),
            by: d.by.clone(),
            added_on: gennemgang_rules::date::danish(d.added_on),
            sensitive: d.document.source.is_sensitive(),
            openable: in_task(d.document.source),
        })
        .collect()
}

/// The sources offered in the upload form: (name, Danish).
pub(crate) fn source_options() -> Vec<(String, &'static str)> {
    SOURCES.iter().map(|s| (source_name(*s), s.danish())).collect()
}

/// A size as a Dane reads it.
fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} byte"),
        1_000..1_000_000 => format!("{} kB", bytes.div_ceil(1_000)),
        _ => format!("{},{} MB", bytes / 1_000_000, (bytes % 1_000_000) / 100_000),
    }
}

/// What an upload posted, besides the file.
#[derive(Default)]
pub(crate) struct Fields {
    pub(crate) pairs: Vec<(String, String)>,
    pub(crate) file: Option<(String, Vec<u8>)>,
}

impl Fields {
    pub(crate) fn get(&self, name: &str) -> &str {
        self.pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

/// Why an upload's body could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FormError {
    /// Larger than the installation takes (the body was cut off at its limit).
    #[error("Filen er større end {0} MB.")]
    TooLarge(usize),
    /// Not a multipart form, or a broken one.
    #[error("Formularen kunne ikke læses: send den igen med filen.")]
    Unreadable,
    /// More than one file, or a field given twice: which one was meant cannot be told.
    #[error("Send ét dokument ad gangen, med hvert felt én gang.")]
    Repeated,
}

/// Reads the multipart form: the file at most `max` bytes (one byte more says it is too large; a body past
/// the route's limit says so too, whether the file or another field went over it).
///
/// # Errors
/// Why the form could not be read, with the fields read before it (to be shown again).
pub(crate) async fn read_form(multipart: Multipart, max: usize) -> Result<Fields, (FormError, Fields)> {
    let mut fields = Fields::default();
    match read_parts(multipart, max, &mut fields).await {
        Ok(()) => Ok(fields),
        Err(e) => Err((e, fields)),
    }
}

async fn read_parts(mut multipart: Multipart, max: usize, fields: &mut Fields) -> Result<(), FormError> {
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            FormError::TooLarge(max / 1_000_000)
        } else {
            FormError::Unreadable
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if (name == "file" && fields.file.is_some()) || fields.pairs.iter().any(|(k, _)| *k == name) {
            return Err(FormError::Repeated);
        }
        if name == "file" {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(failed)? {
                if bytes.len() + chunk.len() > max + 1 {
                    bytes.extend_from_slice(&chunk[..(max + 1).saturating_sub(bytes.len())]);
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            fields.file = Some((filename, bytes));
        } else if fields.pairs.len() < 16 {
            let text = field.text().await.map_err(failed)?;
            fields.pairs.push((name, text.chars().take(1_000).collect()));
        }
    }
    Ok(())
}

/// The status an upload refused for its file answers: 413 over the limit, 415 a kind a case does not hold.
pub(crate) fn upload_status(e: &documents::UploadError) -> StatusCode {
    match e {
        documents::UploadError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        documents::UploadError::Unknown => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        documents::UploadError::Empty => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A source by its name in forms and the API.
pub(crate) fn source_named(name: &str) -> Option<Source> {
    SOURCES.iter().copied().find(|s| source_name(*s) == name)
}

/// The headers a document is answered with: its own type, never sniffed, a name made from the case and
/// the number (never the uploaded name), inline only for the kinds a browser shows without running them.
pub(crate) fn served(
    id: i64,
    number: usize,
    media_type: gennemgang_case::action::MediaType,
    content: Vec<u8>,
) -> Response {
    let name = format!("sag-{id}-dokument-{number}.{}", media_type.extension());
    let disposition = if media_type.shown_inline() { "inline" } else { "attachment" };
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type.mime()));
    if let Ok(value) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn refused_form(current: &Current, status: StatusCode, text: &str) -> Response {
    message(Some(current), status, "Dokumentet kunne ikke tilføjes", text)
}

/// `POST /sager/{id}/dokumenter`: a document added to the case (multipart form).
pub async fn upload(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> Response {
    // A case the user may not see does not exist for them, whatever the body (the attempt is logged).
    if let Err(e) =
        gennemgang_app::cases::read(&state.store, &current.user.actor(), id, "case", jiff::Timestamp::now()).await
    {
        return app_error(&current, &e);
    }
    let multipart = match <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state).await {
        Ok(m) => m,
        Err(_) => {
            return refused_form(&current, StatusCode::UNSUPPORTED_MEDIA_TYPE, "Formularen skal sendes med filen.");
        }
    };
    let fields = match read_form(multipart, state.max_document_bytes).await {
        Ok(f) => f,
        // A body refused at the route's limit before it was read: the form again, with what was read.
        Err((e @ FormError::TooLarge(_), fields)) => {
            let errors = vec![("file", e.to_string())];
            return shown_refused(&state, &current, id, &fields, StatusCode::PAYLOAD_TOO_LARGE, errors).await;
        }
        Err((e, _)) => return refused_form(&current, StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if !csrf_ok(&current.session.csrf, fields.get("csrf")) {
        return refused_form(
            &current,
            StatusCode::FORBIDDEN,
            "Formularen er udløbet. Indlæs siden igen og prøv en gang til.",
        );
    }
    let seen = match seen_version(&current, &fields.pairs) {
        Ok(seen) => seen,
        Err(r) => return *r,
    };
    let mut errors = Vec::new();
    let title = fields.get("title").trim().to_owned();
    if title.is_empty() {
        errors.push(("title", "Skriv en titel".to_owned()));
    }
    let dated = gennemgang_rules::date::parse_iso(fields.get("dated").as_bytes());
    if dated.is_none() {
        errors.push(("dated", "Skriv dokumentets dato".to_owned()));
    }
    let source = source_named(fields.get("source"));
    if source.is_none() {
        errors.push(("source", "Vælg, hvor dokumentet kommer fra".to_owned()));
    }
    let (filename, content) = fields.file.clone().unwrap_or_default();
    if content.is_empty() {
        errors.push(("file", "Vælg en fil".to_owned()));
    }
    let (Some(dated), Some(source), true) = (dated, source, errors.is_empty()) else {
        return shown_refused(&state, &current, id, &fields, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let upload =
        Upload { content: &content, filename, title, dated, source, as_evidence: fields.get("as_evidence") == "true" };
    match documents::add(&state.store, &current.user.actor(), id, seen, &upload, state.max_document_bytes, state.on())
        .await
    {
        Ok(_) => Redirect::to(&format!("/sager/{id}?udfoert=add_document")).into_response(),
        Err(AppError::Refused(r)) => {
            let (field, status) = match &r {
                Refused::Case(gennemgang_case::decide::CaseError::Invalid { field, .. }) => {
                    (*field, StatusCode::UNPROCESSABLE_ENTITY)
                }
                Refused::Upload(e) => ("file", upload_status(e)),
                _ => ("dokumenter", StatusCode::UNPROCESSABLE_ENTITY),
            };
            shown_refused(&state, &current, id, &fields, status, vec![(field, r.to_string())]).await
        }
        Err(AppError::Conflict) => {
            let conflict = vec![("dokumenter", AppError::Conflict.to_string())];
            shown_refused(&state, &current, id, &fields, StatusCode::CONFLICT, conflict).await
        }
        Err(e) => app_error(&current, &e),
    }
}

/// The case page again with the upload form open, what was typed kept (the file must be chosen again: a
/// browser never fills a file field) and each error linked to its field.
async fn shown_refused(
    state: &AppState,
    current: &Current,
    id: i64,
    fields: &Fields,
    status: StatusCode,
    errors: Vec<(&'static str, String)>,
) -> Response {
    let errors = errors
        .into_iter()
        .map(|(field, message)| ErrorItem {
            field: if field == "dokumenter" { field.to_owned() } else { format!("dokument-{field}") },
            message,
        })
        .collect();
    let v = CaseView { errors, open_form: Some("add_document"), typed: Some(&fields.pairs), ..CaseView::plain() };
    show_case(state, current, id, status, v).await
}

/// `GET /sager/{id}/dokumenter/{n}`: a document that is not sensitive (the opening logged).
pub async fn open(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path((id, number)): Path<(i64, usize)>,
) -> Response {
    opened(&state, &current, id, number, None).await
}

/// The purpose a sensitive document is opened with.
#[derive(Deserialize)]
pub struct Purpose {
    #[serde(default)]
    purpose: String,
}

/// `POST /sager/{id}/dokumenter/{n}`: a document opened with a stated purpose (required for health and
/// criminal-record documents, logged with it).
pub async fn open_with_purpose(
    State(state): State<AppState>,
    Path((id, number)): Path<(i64, usize)>,
    Posted { current, form }: Posted<Purpose>,
) -> Response {
    if gennemgang_rules::text::refused(&form.purpose).is_some() {
        let v = CaseView {
            errors: vec![ErrorItem { field: format!("formaal-dokument-{number}"), message: "Angiv formålet".into() }],
            ..CaseView::plain()
        };
        return show_case(&state, &current, id, StatusCode::UNPROCESSABLE_ENTITY, v).await;
    }
    opened(&state, &current, id, number, Some(&form.purpose)).await
}

async fn opened(state: &AppState, current: &Current, id: i64, number: usize, purpose: Option<&str>) -> Response {
    let actor = current.user.actor();
    let (doc, content) = match documents::open(&state.store, &actor, id, number, purpose, jiff::Timestamp::now()).await
    {
        Ok(found) => found,
        Err(e) => return app_error(current, &e),
    };
    served(id, number, doc.document.media_type, content)
}
