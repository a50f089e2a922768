//! The API's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations and the
//! schemas of the types they exchange. `crates/web/openapi.json` is its committed snapshot: a test fails
//! when the code and the snapshot part, so every change to the contract shows in review.

use crate::api;
use std::sync::LazyLock;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gennemgang API",
        version = "1",
        description = "Systematic review of selected førtidspension cases (CONTRACT.md). Every call but \
            /api/v1/session and this document needs `Authorization: Bearer TOKEN`. Errors are \
            application/problem+json. A case the caller may not see answers 404, never 403.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    paths(
        api::session,
        api::cases,
        api::case,
        api::events,
        api::act,
        api::documents::upload,
        api::documents::list,
        api::documents::open,
        api::stats,
        api::openapi
    ),
    modifiers(&Bearer, &ClosedActions, &ProblemTypes),
    security(("bearer" = [])),
)]
struct ApiDoc;

/// The bearer scheme of `POST /api/v1/session`'s tokens.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Each action refuses unknown fields (`deny_unknown_fields` on `Action`), which utoipa does not carry onto
/// the variants of an internally tagged enum: say so, so that clients and schemathesis know.
struct ClosedActions;

impl Modify for ClosedActions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let action = openapi.components.as_mut().and_then(|c| c.schemas.get_mut("Action"));
        if let Some(RefOr::T(Schema::OneOf(one_of))) = action {
            for variant in &mut one_of.items {
                if let RefOr::T(Schema::Object(object)) = variant {
                    object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
                }
            }
        }
    }
}

/// Every problem type the API answers with, in the description of `Problem`, so a client can match on
/// `type` without reading our code.
struct ProblemTypes;

impl Modify for ProblemTypes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = openapi.components.as_mut().and_then(|c| c.schemas.get_mut("Problem"));
        if let Some(RefOr::T(Schema::Object(object))) = problem {
            let list: String = api::PROBLEM_TYPES
                .iter()
                .map(|(name, when)| format!("\n- `urn:gennemgang:problem:{name}` — {when}"))
                .collect();
            object.description = Some(format!(
                "An error (RFC 9457). `type` names the rule that refused the request; `about:blank` where the \
                 status says it all.{list}"
            ));
        }
    }
}

/// The document as served at `/api/v1/openapi.json`, built once.
pub fn document() -> &'static str {
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")));
    &DOCUMENT
}
