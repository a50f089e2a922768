//! The JSON API (CONTRACT.md): bearer tokens from `POST /api/v1/session`, the same use cases as the pages,
//! and errors as `application/problem+json`. A case the caller may not see answers 404.

use crate::AppState;
use crate::session::{self, Current};
use crate::views::{masked, today};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gennemgang_app::auth::{self, AuthError};
use gennemgang_app::cases::{self, AppError};
use gennemgang_case::action::Action;
use gennemgang_case::case::Case;
use gennemgang_store::{CaseSummary, Store};
use serde::Deserialize;
use serde_json::{Value, json};

/// An `application/problem+json` response (RFC 9457).
fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail });
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

fn from_app(e: &AppError) -> Response {
    match e {
        AppError::NotFound => problem(StatusCode::NOT_FOUND, "Not Found", "Sagen findes ikke"),
        AppError::Forbidden(why) => problem(StatusCode::FORBIDDEN, "Forbidden", why),
        AppError::Refused(why) => problem(StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable Content", why),
        AppError::Conflict => problem(StatusCode::CONFLICT, "Conflict", &e.to_string()),
        AppError::Store(_) => problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "Prøv igen om lidt"),
        AppError::Post(_) => problem(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable", &e.to_string()),
    }
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Current, Response> {
    match session::current(state, headers).await {
        Ok(Some(c)) if c.bearer => Ok(c),
        Ok(_) => Err(problem(StatusCode::UNAUTHORIZED, "Unauthorized", "Angiv Authorization: Bearer TOKEN")),
        Err(_) => Err(problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "Prøv igen om lidt")),
    }
}

/// The API's view of a case: the CPR number masked, sensitive evidence withheld.
fn case_json(case: &Case) -> Value {
    let mut v = serde_json::to_value(case).unwrap_or(Value::Null);
    v["facts"]["cpr"] = Value::String(masked(&case.facts.cpr));
    if let Some(items) = v["evidence"].as_array_mut() {
        for (item, e) in items.iter_mut().zip(&case.evidence) {
            if e.source.is_sensitive() {
                item["summary"] = Value::String("[følsom oplysning — vises kun i opgaven med angivet formål]".into());
            }
        }
    }
    v["phase"] = Value::String(case.phase().name().into());
    v
}

/// `GET /healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.user("").await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}

/// Sign-in body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    username: String,
    password: String,
}

/// `POST /api/v1/session`: `{"username","password"}` → `{"token"}`, 401 on a wrong password.
pub async fn session(
    State(state): State<AppState>,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(c)) = body else {
        return problem(StatusCode::BAD_REQUEST, "Bad Request", "Forventer {\"username\": …, \"password\": …}");
    };
    match auth::sign_in(&state.store, &c.username, &c.password, jiff::Timestamp::now()).await {
        Ok((token, _, _)) => Json(json!({ "token": token })).into_response(),
        Err(e @ (AuthError::Wrong | AuthError::Locked)) => {
            problem(StatusCode::UNAUTHORIZED, "Unauthorized", &e.to_string())
        }
        Err(_) => problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "Prøv igen om lidt"),
    }
}

/// `GET /api/v1/cases`: `{"items": [...]}`.
pub async fn cases(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let current = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match cases::list(&state.store, &current.user.actor(), jiff::Timestamp::now()).await {
        Ok(list) => {
            let items: Vec<CaseSummary> = list.iter().map(CaseSummary::of).collect();
            Json(json!({ "items": items, "total": items.len() })).into_response()
        }
        Err(e) => from_app(&e),
    }
}

/// `GET /api/v1/cases/{id}`.
pub async fn case(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let current = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let actor = current.user.actor();
    match cases::read(&state.store, &actor, id, "case", jiff::Timestamp::now()).await {
        Ok(c) => {
            let mut v = case_json(&c);
            v["offered_actions"] = json!(cases::offered(&actor, &c));
            v["warnings"] = json!(gennemgang_case::decide::warnings(&c, today()));
            Json(v).into_response()
        }
        Err(e) => from_app(&e),
    }
}

/// `GET /api/v1/cases/{id}/events`.
pub async fn events(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let current = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match cases::history(&state.store, &current.user.actor(), id, jiff::Timestamp::now()).await {
        Ok(events) => {
            let items: Vec<Value> = events
                .iter()
                .map(|e| {
                    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
                    if let Some(facts) = v["action"]["facts"].as_object_mut() {
                        facts.insert("cpr".into(), Value::String("**********".into()));
                    }
                    v
                })
                .collect();
            Json(json!({ "items": items })).into_response()
        }
        Err(e) => from_app(&e),
    }
}

/// `POST /api/v1/cases/{id}/actions`: one action as JSON (`{"action": "...", ...}`); `If-Match: VERSION`
/// refuses it with 409 if the case has moved on.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let current = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let action: Action = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable Content", &e.to_string()),
    };
    let seen = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_matches('"').parse::<u32>().ok());
    match cases::act(&state.store, &current.user.actor(), id, seen, action, today(), jiff::Timestamp::now()).await {
        Ok(c) => Json(json!({ "id": c.id, "version": c.version, "phase": c.phase().name(), "state": c.state.name() }))
            .into_response(),
        Err(e) => from_app(&e),
    }
}

/// `GET /api/v1/stats`: aggregates only, small numbers suppressed.
pub async fn stats(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let current = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match gennemgang_app::stats::for_actor(&state.store, &current.user.actor(), today()).await {
        Ok(stats) => Json(stats).into_response(),
        Err(e) => from_app(&e),
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("openapi.json")).into_response()
}
