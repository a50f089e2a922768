//! The team: a team lead's view of the cases per caseworker (with what is overdue and what waits), the
//! worklist's assignment of many cases at once, and moving all of an absent caseworker's cases to a
//! colleague in one logged action.

use super::worklist::is_overdue;
use super::{Layout, app_error, message, render, server_error};
use crate::AppState;
use crate::extract::{Posted, SignedIn};
use crate::session::Current;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gennemgang_app::cases::{self, Assigned};
use gennemgang_case::actor::Role;
use gennemgang_case::case::{Case, Phase};

/// One caseworker's line.
struct Line {
    name: String,
    cases: usize,
    review: usize,
    reopening: usize,
    overdue: usize,
    waiting: usize,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    layout: Layout,
    lines: Vec<Line>,
    unassigned: usize,
    may_assign: bool,
    caseworkers: Vec<String>,
    csrf: String,
}

fn line(name: &str, cases: &[&Case], state: &AppState) -> Line {
    let today = state.today();
    let params = &gennemgang_rules::review::ReviewParams::builtin().waits;
    Line {
        name: name.to_owned(),
        cases: cases.len(),
        review: cases.iter().filter(|c| c.phase() == Phase::Review).count(),
        reopening: cases.iter().filter(|c| c.phase() == Phase::Reopening).count(),
        overdue: cases.iter().filter(|c| is_overdue(c, &state.routing, today)).count(),
        waiting: cases.iter().filter(|c| !gennemgang_case::waits::waits(c, params).is_empty()).count(),
    }
}

/// Whether the user assigns the home municipality's cases.
fn assigns(current: &Current) -> bool {
    current.user.role == Role::HomeTeamLead
}

/// `GET /team`: the open cases in the user's scope per caseworker.
pub async fn team(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    let actor = current.user.actor();
    let all = match cases::list(&state.store, &actor, jiff::Timestamp::now()).await {
        Ok(all) => all,
        Err(e) => return app_error(&current, &e),
    };
    let open: Vec<&Case> = all.iter().filter(|c| c.phase() != Phase::Closed).collect();
    let mut names: Vec<String> = open.iter().filter_map(|c| c.assigned_to.clone()).collect();
    let caseworkers = match (assigns(&current), actor.municipality) {
        (true, Some(m)) => match state.caseworkers(i64::from(m)).await {
            Ok(list) => list.as_ref().clone(),
            Err(e) => return server_error(&e),
        },
        _ => Vec::new(),
    };
    names.extend(caseworkers.iter().cloned());
    names.sort();
    names.dedup();
    let lines = names
        .iter()
        .map(|n| {
            let theirs: Vec<&Case> = open.iter().copied().filter(|c| c.assigned_to.as_deref() == Some(n)).collect();
            line(n, &theirs, &state)
        })
        .collect();
    let unassigned = open.iter().filter(|c| c.assigned_to.is_none() && c.phase() <= Phase::Reopening).count();
    render(
        StatusCode::OK,
        &TeamPage {
            layout: Layout::of(Some(&current)),
            lines,
            unassigned,
            may_assign: assigns(&current),
            caseworkers,
            csrf: current.session.csrf.clone(),
        },
    )
}

fn forbidden(current: &Current) -> Response {
    message(Some(current), StatusCode::FORBIDDEN, "Ikke tilladt", "Kun teamlederen fordeler kommunens sager.")
}

/// What assigning did, in words, with a way back.
fn reported(current: &Current, to: &str, done: &Assigned) -> Response {
    let mut text = format!("{} er fordelt til {to}.", crate::views::cases(done.done.len()));
    if !done.refused.is_empty() {
        let why: Vec<String> = done.refused.iter().map(|(id, why)| format!("sag {id}: {why}")).collect();
        text.push_str(&format!(
            " {} kunne ikke fordeles ({}).",
            crate::views::cases(done.refused.len()),
            why.join("; ")
        ));
    }
    if done.done.is_empty() {
        message(Some(current), StatusCode::UNPROCESSABLE_ENTITY, "Ingen sager er fordelt", &text)
    } else {
        message(Some(current), StatusCode::OK, "Sagerne er fordelt", &text)
    }
}

/// The most cases one request assigns (a worklist page holds fewer).
const MAX_AT_ONCE: usize = 500;

/// `POST /sager/fordel`: the cases ticked in the worklist assigned to one caseworker.
pub async fn assign_many(
    State(state): State<AppState>,
    Posted { current, form }: Posted<Vec<(String, String)>>,
) -> Response {
    if !assigns(&current) {
        return forbidden(&current);
    }
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.as_str());
    let to = get("caseworker").to_owned();
    let ticked: Vec<&str> = form.iter().filter(|(k, _)| k == "sag").map(|(_, v)| v.as_str()).collect();
    if ticked.len() > MAX_AT_ONCE {
        let why = format!("Du kan højst fordele {MAX_AT_ONCE} sager ad gangen; du valgte {}.", ticked.len());
        return message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Ingen sager er fordelt", &why);
    }
    let mut ids = Vec::with_capacity(ticked.len());
    for v in ticked {
        let Ok(id) = v.trim().parse::<i64>() else {
            let why = format!(
                "Sagsnummeret »{}« kan ikke læses.",
                v.chars().filter(|c| !c.is_control()).take(20).collect::<String>()
            );
            return message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Ingen sager er fordelt", &why);
        };
        ids.push(id);
    }
    if ids.is_empty() || to.is_empty() {
        return message(
            Some(&current),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ingen sager er fordelt",
            "Vælg en eller flere sager i listen og den sagsbehandler, de skal fordeles til.",
        );
    }
    match cases::assign_many(&state.store, &current.user.actor(), &ids, &to, state.on()).await {
        Ok(done) => reported(&current, &to, &done),
        Err(cases::AppError::Refused(why)) => {
            message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Ingen sager er fordelt", &why.to_string())
        }
        Err(e) => app_error(&current, &e),
    }
}

/// `POST /team/overdrag`: all of an absent caseworker's open cases moved to a colleague.
pub async fn transfer(
    State(state): State<AppState>,
    Posted { current, form }: Posted<Vec<(String, String)>>,
) -> Response {
    if !assigns(&current) {
        return forbidden(&current);
    }
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.as_str()).to_owned();
    let (from, to) = (get("fra"), get("til"));
    if from.is_empty() || to.is_empty() || from == to {
        return message(
            Some(&current),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ingen sager er flyttet",
            "Vælg den fraværende sagsbehandler og en anden kollega, sagerne skal flyttes til.",
        );
    }
    let none = |why: &str| message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Ingen sager er flyttet", why);
    match cases::transfer(&state.store, &current.user.actor(), &from, &to, state.on()).await {
        Ok(done) if done.done.is_empty() && done.refused.is_empty() => {
            none(&format!("Fra: {from} har ingen åbne sager i fase 1 eller 2."))
        }
        Ok(done) => reported(&current, &to, &done),
        Err(cases::AppError::Refused(gennemgang_app::cases::Refused::Case(
            gennemgang_case::decide::CaseError::Invalid { message, .. },
        ))) => none(&format!("Til: {to} {message}.")),
        Err(cases::AppError::Refused(why)) => none(&why.to_string()),
        Err(e) => app_error(&current, &e),
    }
}
