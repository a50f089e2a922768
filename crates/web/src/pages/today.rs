//! "I dag": what waits on the signed-in user this morning — deadlines passed or within a week, waits
//! overdue or due within a week, and cases sent back to the home municipality — across the user's cases.

use super::worklist::waiting_cell;
use super::{Layout, app_error, render};
use crate::AppState;
use crate::extract::SignedIn;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gennemgang_app::cases;
use gennemgang_case::case::{Case, Phase};
use jiff::civil::Date;

/// One line of the page: a case and what about it.
struct Item {
    id: i64,
    name: String,
    what: String,
    class: &'static str,
    due: Date,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    layout: Layout,
    today: String,
    deadlines: Vec<Item>,
    waits: Vec<Item>,
    sent_back: Vec<Item>,
}

/// A week ahead of `today`: what falls in it is shown before it is due.
fn week_after(today: Date) -> Date {
    today.checked_add(jiff::ToSpan::days(7)).unwrap_or(today)
}

fn deadlines(case: &Case, state: &AppState, today: Date) -> Vec<Item> {
    let mut out = Vec::new();
    let name = case.citizen.name.clone();
    if let Some((due, what)) = case.next_deadline().filter(|(d, _)| *d <= week_after(today)) {
        let passed = due < today;
        let text = format!(
            "{}: {}{}",
            capitalised(what),
            gennemgang_rules::date::danish(due),
            if passed { ", overskredet" } else { "" }
        );
        out.push(Item { id: case.id, name: name.clone(), what: text, class: class(passed), due });
    }
    if let Some(p) =
        gennemgang_case::processing::processing_deadline(case, &state.routing).filter(|p| p.due <= week_after(today))
    {
        let passed = p.overdue(today);
        let text = format!(
            "Sagsbehandlingsfrist: {}{}",
            gennemgang_rules::date::danish(p.due),
            if passed { ", overskredet" } else { "" }
        );
        out.push(Item { id: case.id, name, what: text, class: class(passed), due: p.due });
    }
    out
}

fn class(passed: bool) -> &'static str {
    if passed { "deadline-overdue" } else { "deadline-soon" }
}

fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `GET /i-dag`.
pub async fn today(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    let actor = current.user.actor();
    let today = state.today();
    let all = match cases::list(&state.store, &actor, jiff::Timestamp::now()).await {
        Ok(all) => all,
        Err(e) => return app_error(&current, &e),
    };
    // The user's scope: a caseworker's own cases, a team lead's municipality, a deciding municipality's
    // received cases.
    let mine: Vec<&Case> = all.iter().filter(|c| c.phase() != Phase::Closed).collect();
    let mut deadline_items: Vec<Item> = mine.iter().flat_map(|c| deadlines(c, &state, today)).collect();
    deadline_items.sort_by_key(|i| (i.due, i.id));
    let params = &gennemgang_rules::review::ReviewParams::builtin().waits;
    let mut wait_items: Vec<Item> = mine
        .iter()
        .filter_map(|c| {
            let first = *gennemgang_case::waits::waits(c, params).first()?;
            (first.due <= week_after(today)).then(|| {
                let (what, class) = waiting_cell(c, today);
                Item { id: c.id, name: c.citizen.name.clone(), what, class, due: first.due }
            })
        })
        .collect();
    wait_items.sort_by_key(|i| (i.due, i.id));
    let sent_back = mine
        .iter()
        .filter(|c| c.phase() <= Phase::Reopening && (c.sent_back > 0 || !c.re_presentations.is_empty()))
        .map(|c| {
            let why = match (c.send_backs.last(), c.re_presentations.last()) {
                (_, Some(r)) if c.re_presentations.len() >= c.send_backs.len() => format!("Genforelagt: {}", r.reasons),
                (Some(b), _) => format!("Sendt tilbage af afgørelseskommunen: {}", b.note),
                _ => "Sendt tilbage".to_owned(),
            };
            Item { id: c.id, name: c.citizen.name.clone(), what: why, class: "", due: today }
        })
        .collect();
    render(
        StatusCode::OK,
        &TodayPage {
            layout: Layout::of(Some(&current)),
            today: gennemgang_rules::date::danish(today),
            deadlines: deadline_items,
            waits: wait_items,
            sent_back,
        },
    )
}
