//! A case's documents over the API (CONTRACT): upload as multipart (`file`, `title`, `source`,
//! `dated_on`), the list, and each document's bytes as stored — the same use cases as the case page, so
//! the content is recognised by what it is, held to the installation's limit, and every read logged
//! before anything is answered.

use super::{CaseRefusals, Problem, Refusal, if_match};
use crate::AppState;
use crate::extract::Caller;
use crate::pages::documents::{FormError, read_form, served, source_named};
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gennemgang_app::cases::{self, AppError, Refused};
use gennemgang_app::documents::{self, Upload, UploadError};
use gennemgang_case::action::{MediaType, Source};
use gennemgang_case::decide::CaseError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The multipart form of an upload (for the OpenAPI document; the handler reads the parts itself).
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the multipart body in the OpenAPI document only")]
pub struct DocumentUpload {
    /// The file; its type is recognised from its content (PDF, PNG, JPEG, TIFF, DOCX, ODT, plain text).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Title.
    title: String,
    /// Where it comes from (the model's sources; `health_information` and `criminal_record` are sensitive).
    source: Source,
    /// The document's own date, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    dated_on: String,
}

/// The document added.
#[derive(Serialize, ToSchema)]
pub struct Added {
    /// Its number on the case (from 1): `GET /api/v1/cases/{id}/documents/{doc}`.
    id: usize,
    /// The case's version now.
    version: u32,
}

/// One document of a case.
#[derive(Serialize, ToSchema)]
pub struct DocumentItem {
    /// Its number on the case (from 1).
    id: usize,
    /// Title.
    title: String,
    /// SHA-256 of the content, lower-case hex.
    sha256: String,
    /// The media type recognised from the content.
    content_type: &'static str,
    /// Bytes.
    size: u64,
    /// Where it comes from.
    source: Source,
    /// Whether it is a health or criminal-record document (read with a `purpose`, inside its task).
    sensitive: bool,
    /// The document's own date.
    #[schema(value_type = String, format = Date)]
    dated_on: jiff::civil::Date,
}

/// A case's documents.
#[derive(Serialize, ToSchema)]
pub struct DocumentList {
    /// In the order added.
    items: Vec<DocumentItem>,
}

/// Why a document is read, where it is a sensitive one.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Purpose {
    /// Required for a health or criminal-record document (logged with the read).
    purpose: Option<String>,
}

fn invalid(field: &'static str, message: &str) -> Refusal {
    Refusal::App(AppError::Refused(Refused::Case(CaseError::Invalid { field, message: message.into() })))
}

/// Adds a document to the case: its content and the event in one transaction.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "documents",
    params(("id" = i64, Path, description = "Case id", minimum = 1)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Added", body = Added),
        (status = 413, description = "The file is over the installation's limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The content is none of the kinds a case holds (whatever its name)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or wrong (`field` names it), or the case refuses", body = Problem, content_type = "application/problem+json"),
        CaseRefusals,
    ))]
pub async fn upload(
    State(state): State<AppState>,
    Caller(current): Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Refusal> {
    let actor = current.user.actor();
    let seen = if_match(&headers)?;
    // A case the caller may not see does not exist, whatever the body (the attempt is logged).
    cases::read(&state.store, &actor, id, "case", jiff::Timestamp::now()).await?;
    let multipart =
        multipart.map_err(|_| Refusal::BadBody("Indholdet skal være multipart/form-data med feltet file"))?;
    let fields = read_form(multipart, state.max_document_bytes).await.map_err(|(e, _)| match e {
        FormError::TooLarge(_) => Refusal::TooLarge,
        FormError::Unreadable => Refusal::BadBody("Indholdet skal være multipart/form-data med feltet file"),
        FormError::Repeated => Refusal::BadBody("Send ét dokument ad gangen, med hvert felt én gang"),
    })?;
    let (filename, content) = fields.file.clone().ok_or_else(|| invalid("file", "send filen i feltet file"))?;
    let title = fields.get("title").trim().to_owned();
    if title.is_empty() {
        return Err(invalid("title", "skriv en titel"));
    }
    let dated = gennemgang_rules::date::parse_iso(fields.get("dated_on").trim().as_bytes())
        .ok_or_else(|| invalid("dated_on", "skriv dokumentets dato som ÅÅÅÅ-MM-DD"))?;
    let source = source_named(fields.get("source").trim()).ok_or_else(|| invalid("source", "ukendt kilde"))?;
    let upload = Upload { content: &content, filename, title, dated, source, as_evidence: false };
    match documents::add(&state.store, &actor, id, seen, &upload, state.max_document_bytes, state.on()).await {
        Ok(case) => {
            let added = Added { id: case.documents.len(), version: case.version };
            Ok((StatusCode::CREATED, Json(added)).into_response())
        }
        Err(AppError::Refused(Refused::Upload(UploadError::TooLarge(_)))) => Err(Refusal::TooLarge),
        Err(AppError::Refused(Refused::Upload(UploadError::Unknown))) => Err(Refusal::NotAccepted),
        // The case rules name the document's date `dated`; this call's field is `dated_on`.
        Err(AppError::Refused(Refused::Case(CaseError::Invalid { field: "dated", message }))) => {
            Err(invalid("dated_on", &message))
        }
        Err(e) => Err(e.into()),
    }
}

/// The case's documents (the read is logged).
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents", tag = "documents",
    params(("id" = i64, Path, description = "Case id", minimum = 1)),
    responses((status = 200, description = "The documents", body = DocumentList), CaseRefusals))]
pub async fn list(
    State(state): State<AppState>,
    Caller(current): Caller,
    Path(id): Path<i64>,
) -> Result<Response, Refusal> {
    let case = cases::read(&state.store, &current.user.actor(), id, "case", jiff::Timestamp::now()).await?;
    let items = case
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| DocumentItem {
            id: i + 1,
            title: d.document.title.clone(),
            sha256: d.document.sha256.clone(),
            content_type: d.document.media_type.mime(),
            size: d.document.size,
            source: d.document.source,
            sensitive: d.document.source.is_sensitive(),
            dated_on: d.document.dated,
        })
        .collect();
    Ok(Json(DocumentList { items }).into_response())
}

/// One document's bytes as stored, with their media type (the read logged first, with its purpose).
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{doc}", tag = "documents",
    params(
        ("id" = i64, Path, description = "Case id", minimum = 1),
        ("doc" = usize, Path, description = "The document's number on the case", minimum = 1),
        Purpose,
    ),
    responses(
        (status = 200, description = "The content", content_type = "application/octet-stream"),
        (status = 403, description = "A sensitive document outside its task, or without a purpose", body = Problem, content_type = "application/problem+json"),
        CaseRefusals,
    ))]
pub async fn open(
    State(state): State<AppState>,
    Caller(current): Caller,
    Path((id, number)): Path<(i64, usize)>,
    Query(purpose): Query<Purpose>,
) -> Result<Response, Refusal> {
    let actor = current.user.actor();
    let purpose = purpose.purpose.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let (doc, content) = documents::open(&state.store, &actor, id, number, purpose, jiff::Timestamp::now()).await?;
    let media_type: MediaType = doc.document.media_type;
    Ok(served(id, number, media_type, content))
}
