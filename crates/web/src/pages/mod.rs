//! The HTML pages and their form posts. Every handler: who is asking → the use case → render.
//!
//! Layout: this file — what every page shares (the frame's [`Layout`], error pages, form fields); one
//! module per page group: [`login`] (sign-in and sign-out), [`worklist`], [`case`] (the case page and its
//! actions), [`access_log`] (a case's access log).

pub mod access;
pub mod access_log;
pub mod case;
pub mod documents;
pub mod login;
pub mod team;
pub mod today;
pub mod worklist;

pub(crate) use login::login_page;

use crate::forms::FieldError;
use crate::session::Current;
use crate::views::{self};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gennemgang_app::cases::AppError;
use gennemgang_case::actor::Role;
use gennemgang_case::policy::{Access, authorize};

/// The signed-in user as the header shows it.
pub struct UserView {
    pub(crate) name: String,
    pub(crate) role: &'static str,
    pub(crate) municipality: Option<u16>,
    pub(crate) csrf: String,
    pub(crate) sees_cases: bool,
    pub(crate) sees_stats: bool,
    pub(crate) deciding: bool,
    /// A team lead: assigns the municipality's cases.
    pub(crate) leads: bool,
    pub(crate) example_setup: bool,
}

impl UserView {
    pub(crate) fn of(c: &Current) -> UserView {
        let actor = c.user.actor();
        UserView {
            name: c.user.username.clone(),
            role: views::role(c.user.role),
            municipality: c.user.municipality,
            csrf: c.session.csrf.clone(),
            sees_cases: authorize(&actor, None, Access::ListCases).is_ok(),
            sees_stats: authorize(&actor, None, Access::Statistics).is_ok(),
            deciding: matches!(actor.role, Role::DecidingCaseworker | Role::DecidingApprover),
            leads: actor.role == Role::HomeTeamLead,
            example_setup: c.example_setup,
        }
    }
}

/// What every page's frame shows (the header, the footer, the confirmation of what was just done): built
/// once, by [`Layout::of`], for every page.
pub struct Layout {
    pub(crate) user: Option<UserView>,
    pub(crate) rules_version: &'static str,
    /// What the user just did, confirmed in a success alert (DKFDS).
    pub(crate) done: Option<String>,
    /// What was typed in the search field, kept in it (never a CPR number: that is not shown back).
    pub(crate) searched: String,
}

impl Layout {
    pub(crate) fn of(current: Option<&Current>) -> Layout {
        Layout {
            user: current.map(UserView::of),
            rules_version: gennemgang_rules::RULES_VERSION,
            done: None,
            searched: String::new(),
        }
    }

    /// The same, with `text` kept in the search field.
    pub(crate) fn searched(mut self, text: String) -> Layout {
        self.searched = text;
        self
    }

    /// The same, confirming `done`.
    pub(crate) fn done(mut self, done: Option<String>) -> Layout {
        self.done = done;
        self
    }
}

/// An item of the error summary.
pub struct ErrorItem {
    pub(crate) field: String,
    pub(crate) message: String,
}

fn errors_from(list: Vec<FieldError>) -> Vec<ErrorItem> {
    list.into_iter().map(|e| ErrorItem { field: e.field, message: e.message }).collect()
}

pub(crate) fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            crate::log::failed(&e);
            (StatusCode::INTERNAL_SERVER_ERROR, "Siden kunne ikke vises").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    layout: Layout,
    heading: String,
    text: String,
}

pub(crate) fn message(current: Option<&Current>, status: StatusCode, heading: &str, text: &str) -> Response {
    render(status, &MessagePage { layout: Layout::of(current), heading: heading.into(), text: text.into() })
}

pub(crate) fn app_error(current: &Current, e: &AppError) -> Response {
    match e {
        AppError::NotFound => message(Some(current), StatusCode::NOT_FOUND, "Siden findes ikke", "Sagen findes ikke."),
        AppError::NoSuchDocument => {
            message(Some(current), StatusCode::NOT_FOUND, "Siden findes ikke", "Dokumentet findes ikke på sagen.")
        }
        AppError::Forbidden(why) => message(Some(current), StatusCode::FORBIDDEN, "Ingen adgang", why),
        AppError::Refused(why) => {
            message(Some(current), StatusCode::UNPROCESSABLE_ENTITY, "Handlingen blev afvist", &why.to_string())
        }
        AppError::Conflict => message(Some(current), StatusCode::CONFLICT, "Sagen er ændret", &e.to_string()),
        AppError::Store(e) => server_error(e),
        AppError::Post(_) => {
            message(Some(current), StatusCode::SERVICE_UNAVAILABLE, "Brevet blev ikke sendt", &e.to_string())
        }
        AppError::NotLogged(cause) => {
            crate::log::failed(cause);
            message(Some(current), StatusCode::SERVICE_UNAVAILABLE, "Sagen kan ikke vises lige nu", &e.to_string())
        }
    }
}

/// The answer when something of ours failed: `error` goes to the log, the user gets an apology.
pub(crate) fn server_error(error: &(dyn std::error::Error + 'static)) -> Response {
    crate::log::failed(error);
    if crate::log::unreachable(error) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Html("<!DOCTYPE html><html lang=\"da\"><title>Ikke tilgængelig</title><h1>Systemet kan ikke nås lige nu</h1><p>Databasen svarer ikke. Prøv igen om lidt.</p></html>"),
        )
            .into_response();
    }
    (StatusCode::INTERNAL_SERVER_ERROR, Html("<!DOCTYPE html><html lang=\"da\"><title>Fejl</title><h1>Der opstod en fejl</h1><p>Prøv igen om lidt.</p></html>"))
        .into_response()
}

pub(crate) fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// The case version a form was shown at (`seen_version`): exactly one, a version; anything else is refused
/// (400), never taken as "no version".
pub(crate) fn seen_version(current: &Current, form: &[(String, String)]) -> Result<Option<u32>, Box<Response>> {
    // Every form the pages show carries the version once: none, an empty one or two are not ours.
    let mut values = form.iter().filter(|(k, _)| k == "seen_version").map(|(_, v)| v.as_str());
    let text = match (values.next(), values.next()) {
        (Some(one), None) => one,
        _ => "",
    };
    match text.parse::<u32>() {
        Ok(v) if text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(v)),
        _ => Err(Box::new(message(
            Some(current),
            StatusCode::BAD_REQUEST,
            "Formularen kunne ikke læses",
            "Sagens version i formularen er ikke et tal. Genindlæs sagen, og prøv igen.",
        ))),
    }
}

/// `GET /`.
pub async fn home() -> Redirect {
    Redirect::to("/sager")
}

/// Any unknown path.
pub async fn not_found() -> Response {
    message(None, StatusCode::NOT_FOUND, "Siden findes ikke", "Adressen findes ikke.")
}

/// A query-string value, percent-encoded (everything but unreserved characters).
pub(crate) fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
