//! The JSON API (CONTRACT.md): bearer tokens from `POST /api/v1/session`, the same use cases as the pages,
//! and errors as `application/problem+json`. A case the caller may not see answers 404.
//!
//! Each handler carries its OpenAPI description (`#[utoipa::path]`) and answers with the types named there,
//! so the document in [`crate::openapi`] is generated from the code it describes.

pub mod documents;

use crate::AppState;
use crate::extract::Caller;
use crate::views::masked;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gennemgang_app::auth::{self, AuthError};
use gennemgang_app::cases::{self, AppError};
use gennemgang_app::stats::Statistics;
use gennemgang_case::action::Action;
use gennemgang_case::case::{Case, Event, Phase, State as CaseState};
use gennemgang_store::{CaseSummary, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An error as `application/problem+json` (RFC 9457). `type` names the rule that refused the request
/// (`urn:gennemgang:problem:NAME`, one of [`PROBLEM_TYPES`]); `about:blank` where the status says it all (an
/// address the API does not have, a method it does not take).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// The rule that refused the request: `urn:gennemgang:problem:NAME`, or `about:blank`.
    #[serde(rename = "type")]
    kind: String,
    /// The status's name, in Danish.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What went wrong, in Danish.
    detail: String,
    /// The field of the request the refusal is about (as in the action's JSON), where it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
}

/// Every problem type the API answers with, and when.
pub const PROBLEM_TYPES: &[(&str, &str)] = &[
    ("unauthorized", "401: no bearer token, or one that has expired"),
    ("sign-in-refused", "401: wrong user name or password, or a locked account (one answer for all three)"),
    ("too-many-attempts", "429: too many sign-in attempts for the user name this minute"),
    ("bad-request-body", "400: the body is not the JSON the call takes"),
    ("bad-if-match", "400: If-Match is not one case version"),
    ("not-json", "415: the body is not sent as application/json"),
    ("too-large", "413: the body (or an uploaded file) is larger than the call takes"),
    ("not-accepted-type", "415: an uploaded file's content is none of the kinds a case holds, whatever its name"),
    ("not-an-action", "422: the body is not one of the actions"),
    ("bad-search", "400: `q` is neither a case number, a full CPR number nor part of a name"),
    ("case-not-found", "404: no such case, or one the caller may not see"),
    ("document-not-found", "404: the case holds no document of that number"),
    ("forbidden", "403: the caller's role may not do this"),
    ("action-not-now", "422: the action does not fit the case's state"),
    ("invalid-field", "422: a field of the action is missing or wrong (`field` names it)"),
    ("revocation-barred", "422: the law bars revocation on the day judged (each bar names its §)"),
    ("four-eyes", "422: the approver proposed the revocation"),
    ("deadline-not-computable", "422: a deadline of the case could not be computed"),
    ("purpose-required", "422: a read that must state its purpose has none"),
    ("letter-not-now", "422: the letter is not one the case is at"),
    ("letter-not-made", "422: the letter does not fit the case, or could not be typeset"),
    ("document-not-taken", "422: an uploaded file is empty, too large or not a kind a case holds"),
    ("version-conflict", "409: the case changed since the version in If-Match; nothing was written"),
    ("post-unavailable", "503: the postal service did not take the letter; nothing was recorded"),
    ("access-log-unavailable", "503: the read could not be written to the access log, so nothing is shown"),
    ("internal", "500: something of ours failed (it is in the server's log)"),
];

/// A status's name in Danish (a problem's `title` may reach a user through a client that shows it).
fn title_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Forespørgslen kan ikke læses",
        401 => "Ikke logget ind",
        403 => "Ingen adgang",
        404 => "Findes ikke",
        405 => "Metoden kan ikke bruges",
        409 => "Sagen er ændret",
        413 => "For stort",
        415 => "Indholdet kan ikke bruges",
        422 => "Afvist",
        429 => "For mange forsøg",
        503 => "Ikke tilgængelig lige nu",
        _ => "Der opstod en fejl",
    }
}

fn problem(status: StatusCode, kind: &str, detail: &str, field: Option<&'static str>) -> Response {
    let kind = if kind == "about:blank" { kind.to_owned() } else { format!("urn:gennemgang:problem:{kind}") };
    let title = title_of(status).to_owned();
    let body = Problem { kind, title, status: status.as_u16(), detail: detail.into(), field };
    let json = serde_json::to_string(&body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/problem+json")], json).into_response()
}

/// Why the API refused a request: the answer is its problem (see [`PROBLEM_TYPES`]).
#[derive(Debug)]
pub enum Refusal {
    /// No or an expired bearer token.
    Unauthorized,
    /// The sign-in was refused (why is not said).
    SignIn(AuthError),
    /// Too many sign-in attempts this minute.
    TooManyAttempts,
    /// The body is not the JSON the call takes; says what it should be.
    BadBody(&'static str),
    /// `If-Match` is not one version; says why.
    BadIfMatch(&'static str),
    /// The body is not sent as JSON.
    NotJson,
    /// The body is too large.
    TooLarge,
    /// An uploaded file is none of the kinds a case holds.
    NotAccepted,
    /// The body is not an action; the JSON reader's words.
    NotAnAction(String),
    /// A search that is neither a case number nor a CPR number; says so.
    BadSearch(&'static str),
    /// The use case refused.
    App(AppError),
    /// Something of ours failed (already logged).
    Internal,
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Refusal {
        Refusal::App(e)
    }
}

impl Refusal {
    /// The status, the problem type and the field the refusal is about.
    fn rule(&self) -> (StatusCode, &'static str, Option<&'static str>) {
        use gennemgang_app::cases::Refused;
        use gennemgang_case::decide::CaseError;
        match self {
            Refusal::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", None),
            Refusal::SignIn(_) => (StatusCode::UNAUTHORIZED, "sign-in-refused", None),
            Refusal::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "too-many-attempts", None),
            Refusal::BadBody(_) => (StatusCode::BAD_REQUEST, "bad-request-body", None),
            Refusal::BadIfMatch(_) => (StatusCode::BAD_REQUEST, "bad-if-match", None),
            Refusal::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-json", None),
            Refusal::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too-large", Some("file")),
            Refusal::NotAccepted => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not-accepted-type", Some("file")),
            Refusal::NotAnAction(_) => (StatusCode::UNPROCESSABLE_ENTITY, "not-an-action", None),
            Refusal::BadSearch(_) => (StatusCode::BAD_REQUEST, "bad-search", Some("q")),
            Refusal::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
            Refusal::App(e) => match e {
                AppError::NotFound => (StatusCode::NOT_FOUND, "case-not-found", None),
                AppError::NoSuchDocument => (StatusCode::NOT_FOUND, "document-not-found", None),
                AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", None),
                AppError::Conflict => (StatusCode::CONFLICT, "version-conflict", None),
                AppError::Post(_) => (StatusCode::SERVICE_UNAVAILABLE, "post-unavailable", None),
                AppError::NotLogged(_) => (StatusCode::SERVICE_UNAVAILABLE, "access-log-unavailable", None),
                AppError::Store(gennemgang_store::StoreError::Unavailable(_)) => {
                    (StatusCode::SERVICE_UNAVAILABLE, "database-unavailable", None)
                }
                AppError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
                AppError::Refused(why) => {
                    let kind = match why {
                        Refused::Case(CaseError::NotNow { .. }) => "action-not-now",
                        Refused::Case(CaseError::Invalid { .. }) => "invalid-field",
                        Refused::Case(CaseError::Barred { .. }) => "revocation-barred",
                        Refused::Case(CaseError::SameApprover) => "four-eyes",
                        Refused::Case(CaseError::Calendar(_)) => "deadline-not-computable",
                        Refused::NoPurpose => "purpose-required",
                        Refused::LetterNotNow(_) => "letter-not-now",
                        Refused::Letter(_) => "letter-not-made",
                        Refused::Upload(_) => "document-not-taken",
                    };
                    (StatusCode::UNPROCESSABLE_ENTITY, kind, why.field())
                }
            },
        }
    }

    fn detail(&self) -> String {
        match self {
            Refusal::Unauthorized => "Angiv Authorization: Bearer TOKEN".into(),
            Refusal::SignIn(e) => e.to_string(),
            Refusal::TooManyAttempts => "For mange forsøg; vent et minut".into(),
            Refusal::BadBody(what) | Refusal::BadIfMatch(what) | Refusal::BadSearch(what) => (*what).into(),
            Refusal::NotJson => "Indholdet skal være application/json".into(),
            Refusal::TooLarge => "Indholdet er for stort".into(),
            Refusal::NotAccepted => gennemgang_app::documents::UploadError::Unknown.to_string(),
            Refusal::NotAnAction(why) => why.clone(),
            Refusal::Internal | Refusal::App(AppError::Store(_)) => "Prøv igen om lidt".into(),
            Refusal::App(e) => e.to_string(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        // What failed on our side goes to the log with its chain; the caller gets no detail of it.
        match &self {
            Refusal::App(AppError::Store(e)) => crate::log::failed(e),
            Refusal::App(AppError::NotLogged(cause)) => crate::log::failed(cause),
            _ => {}
        }
        let (status, kind, field) = self.rule();
        let mut response = problem(status, kind, &self.detail(), field);
        if matches!(self, Refusal::TooManyAttempts) {
            response.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("60"));
        }
        response
    }
}

/// The version in `If-Match` (`"7"` or `7`; `*` and no header mean any version). Anything else is refused
/// (400), never ignored: a client that means to guard its action must not have it land unguarded.
fn if_match(headers: &HeaderMap) -> Result<Option<u32>, Refusal> {
    let mut values = headers.get_all(header::IF_MATCH).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(Refusal::BadIfMatch("If-Match må kun angives én gang"));
    }
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    let bare = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    match bare.parse::<u32>() {
        Ok(v) if !bare.starts_with('+') => Ok(Some(v)),
        _ => Err(Refusal::BadIfMatch("If-Match skal være sagens version som et helt tal, fx \"7\"")),
    }
}

/// A page's error that no handler wrote (the framework's own, in English plain text: an address whose
/// number does not parse, a query that does not fit) as a Danish page; the pages' own errors pass.
fn in_danish(response: Response) -> Response {
    // The framework's answers are plain text, or (a method the address does not take) no body at all.
    let plain = response.headers().get(header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !plain {
        return response;
    }
    let status = response.status();
    let (title, text) = match status {
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND => {
            ("Siden findes ikke", "Adressen kan ikke læses. Gå tilbage til sagslisten og vælg sagen der.")
        }
        StatusCode::METHOD_NOT_ALLOWED => ("Siden findes ikke", "Adressen kan ikke bruges sådan."),
        StatusCode::PAYLOAD_TOO_LARGE => ("Formularen er for stor", "Det sendte er større, end siden tager imod."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => {
            ("Formularen kunne ikke læses", "Indlæs siden igen og prøv en gang til.")
        }
        _ => ("Der opstod en fejl", "Prøv igen om lidt."),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut page = crate::pages::message(None, status, title, text);
    if let Some(allow) = allow {
        page.headers_mut().insert(header::ALLOW, allow);
    }
    page
}

/// Every error the API answers is `application/problem+json`, also those no handler wrote: a path
/// parameter that does not parse (400), an address the API does not have (404, the pages' fallback), a
/// method it does not take (405), a body too large (413) or of another type (415).
pub async fn problems(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if status.as_u16() < 400 || is_problem {
        return response;
    }
    if !api {
        return in_danish(response);
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let detail = match status {
        StatusCode::BAD_REQUEST => {
            "Forespørgslen kan ikke læses: en del af adressen eller indholdet har ikke den rette form"
        }
        StatusCode::NOT_FOUND => "API'et har ingen sådan adresse",
        StatusCode::METHOD_NOT_ALLOWED => "Adressen tager ikke imod denne metode",
        StatusCode::PAYLOAD_TOO_LARGE => "Indholdet er for stort",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Indholdet skal være application/json",
        StatusCode::UNPROCESSABLE_ENTITY => "Indholdet kan ikke bruges",
        _ => "Prøv igen om lidt",
    };
    let kind = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "not-json",
        _ => "about:blank",
    };
    let mut answer = problem(status, kind, detail, None);
    if let Some(allow) = allow {
        answer.headers_mut().insert(header::ALLOW, allow);
    }
    answer
}

/// What every call with a bearer token can answer besides its own result.
#[derive(utoipa::IntoResponses)]
pub enum Unauthorized {
    /// No or an expired bearer token.
    #[response(status = 401, content_type = "application/problem+json")]
    Token(Problem),
}

/// What every call on one case can answer besides its own result.
#[derive(utoipa::IntoResponses)]
pub enum CaseRefusals {
    /// The id is not a number (or, for an action, `If-Match` is not a version).
    #[response(status = 400, content_type = "application/problem+json")]
    BadId(Problem),
    /// No or an expired bearer token.
    #[response(status = 401, content_type = "application/problem+json")]
    Token(Problem),
    /// No such case for the caller (the attempt is logged).
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Withheld evidence reads this instead of its summary.
const WITHHELD: &str = "[følsom oplysning — vises kun i opgaven med angivet formål]";

/// One case as the API shows it: the CPR number masked, health and criminal-record evidence withheld (the
/// pages show them inside their task, with a purpose), plus what the caller may do next.
#[derive(Serialize, ToSchema)]
pub struct CaseView {
    /// The case, as folded from its history.
    #[serde(flatten)]
    case: Case,
    /// The phase its state belongs to.
    phase: Phase,
    /// The actions the caller may take now (names as in `Action`).
    offered_actions: Vec<&'static str>,
    /// Warnings for the caseworker today, in Danish.
    warnings: Vec<String>,
}

impl CaseView {
    fn of(mut case: Case, offered_actions: Vec<&'static str>, warnings: Vec<String>) -> CaseView {
        case.facts.cpr = masked(&case.facts.cpr);
        for e in case.evidence.iter_mut().filter(|e| e.source.is_sensitive()) {
            e.summary = WITHHELD.into();
        }
        CaseView { phase: case.phase(), case, offered_actions, warnings }
    }
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.user("").await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}

/// Sign-in body.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    username: String,
    password: String,
}

/// A bearer token for `Authorization: Bearer TOKEN`; it expires like a session (30 minutes idle).
#[derive(Serialize, ToSchema)]
pub struct Token {
    token: String,
}

/// Sign in: `{"username","password"}` → `{"token"}`.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", security(()),
    request_body = Credentials,
    responses(
        (status = 200, description = "A bearer token", body = Token),
        (status = 400, description = "The body is not `{\"username\", \"password\"}`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong user name or password, or the account is locked (one answer for all three)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "More than 10 attempts for the user name from this address this minute (Retry-After says when to try again)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn session(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    peer: crate::session::Peer,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Refusal> {
    let c = match body {
        Ok(Json(c)) => c,
        Err(axum::extract::rejection::JsonRejection::BytesRejection(e))
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
        {
            return Err(Refusal::TooLarge);
        }
        Err(axum::extract::rejection::JsonRejection::MissingJsonContentType(_)) => return Err(Refusal::NotJson),
        Err(_) => return Err(Refusal::BadBody("Forventer {\"username\": …, \"password\": …}")),
    };
    let source = crate::session::attempt_source(&state, &headers, peer);
    match crate::session::rate_limited(&state, c.username.trim(), &source).await {
        Ok(false) => {}
        Ok(true) => return Err(Refusal::TooManyAttempts),
        Err(e) => return Err(Refusal::App(AppError::Store(e))),
    }
    match auth::sign_in(&state.store, &c.username, &c.password, &source, jiff::Timestamp::now()).await {
        Ok((token, _, _)) => Ok(Json(Token { token }).into_response()),
        Err(e @ (AuthError::Wrong | AuthError::Locked)) => {
            crate::metrics::sign_in_failed();
            Err(Refusal::SignIn(e))
        }
        Err(AuthError::Store(e)) => Err(Refusal::App(AppError::Store(e))),
        Err(e) => {
            crate::log::failed(&e);
            Err(Refusal::Internal)
        }
    }
}

/// The cases the caller may see.
#[derive(Serialize, ToSchema)]
pub struct CaseList {
    /// One summary per case.
    items: Vec<CaseSummary>,
    /// How many.
    total: usize,
}

/// A search of the cases.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// A case number, a full CPR number (10 digits, `DDMMÅÅ-XXXX` too) or part of a name (case and
    /// diacritics ignored: "sorensen" finds "Sørensen"): the citizen's cases, the search logged in the access
    /// log with the purpose "søgning" for each case found; each item then has `name`.
    q: Option<String>,
}

/// The cases the caller may see: a home municipality's own, a deciding municipality's received ones; with
/// `q`, those the search finds among them.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    params(CasesQuery),
    responses(
        (status = 200, description = "The cases", body = CaseList),
        (status = 400, description = "`q` is neither a case number, a full CPR number nor a name", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "The role sees no person data", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cases(
    State(state): State<AppState>,
    Caller(current): Caller,
    axum::extract::Query(query): axum::extract::Query<CasesQuery>,
) -> Result<Response, Refusal> {
    let actor = current.user.actor();
    let now = jiff::Timestamp::now();
    let searched = query.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    let list = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        None => cases::list(&state.store, &actor, now).await?.into_iter().map(std::sync::Arc::new).collect(),
        Some(q) => {
            let filters = match cases::search(q).map_err(Refusal::BadSearch)? {
                cases::Search::Case(id) => {
                    gennemgang_store::WorklistFilters { case_id: Some(id), ..Default::default() }
                }
                cases::Search::Cpr(cpr) => gennemgang_store::WorklistFilters { cpr: Some(cpr), ..Default::default() },
                cases::Search::Name(key) => gennemgang_store::WorklistFilters { name: Some(key), ..Default::default() },
            };
            cases::worklist(&state.store, &actor, None, filters, false, (0, 1_000), now).await?.cases
        }
    };
    let items: Vec<CaseSummary> = list
        .iter()
        .map(|c| CaseSummary { name: searched.then(|| c.citizen.name.clone()), ..CaseSummary::of(c) })
        .collect();
    Ok(Json(CaseList { total: items.len(), items }).into_response())
}

/// One case (the read is logged).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = i64, Path, description = "Case id", minimum = 1)),
    responses(
        (status = 200, description = "The case, with the actions the caller may take", body = CaseView),
        CaseRefusals,
    ))]
pub async fn case(
    State(state): State<AppState>,
    Caller(current): Caller,
    Path(id): Path<i64>,
) -> Result<Response, Refusal> {
    let actor = current.user.actor();
    let c = cases::read(&state.store, &actor, id, "case", jiff::Timestamp::now()).await?;
    let offered = cases::offered(&actor, &c, &state.routing).into_iter().map(|k| k.name()).collect();
    let warnings = gennemgang_case::decide::warnings(&c, &state.routing, state.today());
    Ok(Json(CaseView::of(c, offered, warnings)).into_response())
}

/// A case's history.
#[derive(Serialize, ToSchema)]
pub struct EventList {
    /// The events in order (version 1 is the import; its CPR number is masked).
    items: Vec<Event>,
}

/// The case's history (the read is logged).
#[utoipa::path(get, path = "/api/v1/cases/{id}/events", tag = "cases",
    params(("id" = i64, Path, description = "Case id", minimum = 1)),
    responses(
        (status = 200, description = "The events in order", body = EventList),
        CaseRefusals,
    ))]
pub async fn events(
    State(state): State<AppState>,
    Caller(current): Caller,
    Path(id): Path<i64>,
) -> Result<Response, Refusal> {
    let mut items = cases::history(&state.store, &current.user.actor(), id, jiff::Timestamp::now()).await?;
    for e in &mut items {
        if let Action::Import { facts } = &mut e.action {
            facts.cpr = "**********".into();
        }
    }
    Ok(Json(EventList { items }).into_response())
}

/// The case after an accepted action.
#[derive(Serialize, ToSchema)]
pub struct Acted {
    /// Case id.
    id: i64,
    /// The new version (send it as `If-Match` with the next action).
    version: u32,
    /// The phase now.
    phase: Phase,
    /// The state now.
    state: CaseState,
}

/// Performs one action of the three phases. `If-Match: VERSION` refuses it with 409 if the case has moved
/// on. Fields marked as computed are filled in when the action is accepted; `import` and `register_flag`
/// are the system's own.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions", tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id", minimum = 1),
        ("If-Match" = Option<String>, Header, description = "The case version the action was decided on (`\"7\"`); a value that is not a version is refused with 400"),
    ),
    request_body = Action,
    responses(
        (status = 200, description = "Accepted: the case's new version and state", body = Acted),
        CaseRefusals,
        (status = 403, description = "The role does not perform this action", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case changed since the version in If-Match; nothing was written", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not an action, or the action does not fit the case or the law (the detail says which rule)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn act(
    State(state): State<AppState>,
    Caller(current): Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, Refusal> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if !json {
        return Err(Refusal::NotJson);
    }
    let action: Action = serde_json::from_slice(&body).map_err(|e| Refusal::NotAnAction(e.to_string()))?;
    let seen = if_match(&headers)?;
    let c = cases::act(&state.store, &current.user.actor(), id, seen, action, state.on()).await?;
    state.after_action(id).await;
    Ok(Json(Acted { id: c.id, version: c.version, phase: c.phase(), state: c.state }).into_response())
}

/// Aggregates for the caller's scope (a municipality's own cases; the ministry sees all). A count under 5
/// is hidden as `"x"`, and so are enough other counts that none can be worked out from the totals and the
/// other counts.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics",
    responses(
        (status = 200, description = "Statistics", body = Statistics),
        Unauthorized,
        (status = 403, description = "The role sees no statistics", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn stats(State(state): State<AppState>, Caller(current): Caller) -> Result<Response, Refusal> {
    let stats =
        gennemgang_app::stats::for_actor(&state.store, &current.user.actor(), &state.routing, state.today()).await?;
    Ok(Json(stats).into_response())
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::openapi::document()).into_response()
}
