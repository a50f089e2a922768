//! The worklist: the cases in the user's scope, filtered, counted and paged by the database.

use super::{Layout, app_error, render, url_encode};
use crate::AppState;
use crate::extract::SignedIn;
use crate::views::{self, masked};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gennemgang_app::cases::{self};
use gennemgang_case::case::{Case, Phase, State as CaseState};
use serde::Deserialize;
use std::sync::Arc;

struct CountView {
    key: &'static str,
    label: &'static str,
    count: usize,
}

struct RowView {
    id: i64,
    name: String,
    cpr: String,
    municipality: u16,
    phase: &'static str,
    state: &'static str,
    assigned: String,
    deadline: String,
    deadline_class: &'static str,
    processing: String,
    processing_class: &'static str,
    waiting: String,
    waiting_class: &'static str,
    warnings: usize,
}

/// What the case waits on longest-due-first, as the worklist says it: on what, for how many days, by when,
/// and whether the wait is overdue (said in words, not by colour alone).
pub(crate) fn waiting_cell(case: &Case, today: jiff::civil::Date) -> (String, &'static str) {
    let params = &gennemgang_rules::review::ReviewParams::builtin().waits;
    let waits = gennemgang_case::waits::waits(case, params);
    let Some(first) = waits.first() else { return (String::new(), "") };
    let days = first.days_waited(today);
    let days = if days == 1 { "1 dag".to_owned() } else { format!("{days} dage") };
    let more = if waits.len() > 1 { format!(" (og {} mere)", waits.len() - 1) } else { String::new() };
    let (due, class) = deadline_cell(first.due, "", today);
    (format!("{} i {days}, frist {due}{more}", capitalised(first.kind.danish())), class)
}

fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Past a deadline on `today`: the hearing's answer date, the reassessment or complaint deadline, or the
/// processing deadline of the phase (RSL § 3, stk. 2).
pub(crate) fn is_overdue(case: &Case, routing: &gennemgang_case::facts::Routing, today: jiff::civil::Date) -> bool {
    case.next_deadline().is_some_and(|(d, _)| d < today)
        || gennemgang_case::processing::processing_deadline(case, routing).is_some_and(|p| p.overdue(today))
}

/// A deadline as the worklist shows it: the Danish date and what it is, and whether it has passed (said
/// in words, not by colour alone) or falls within a week.
fn deadline_cell(due: jiff::civil::Date, what: &str, today: jiff::civil::Date) -> (String, &'static str) {
    let soon = today.checked_add(jiff::ToSpan::days(7)).unwrap_or(today);
    let what = if what.is_empty() { String::new() } else { format!(" ({what})") };
    if due < today {
        (format!("{}{what}, overskredet", gennemgang_rules::date::danish(due)), "deadline-overdue")
    } else if due <= soon {
        (format!("{}{what}", gennemgang_rules::date::danish(due)), "deadline-soon")
    } else {
        (format!("{}{what}", gennemgang_rules::date::danish(due)), "")
    }
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    layout: Layout,
    total: usize,
    shown: usize,
    counts: Vec<CountView>,
    phase: String,
    sort: String,
    only_warnings: bool,
    states: Vec<(&'static str, &'static str)>,
    state: String,
    mine: bool,
    overdue: bool,
    example_deadlines: bool,
    flagged: bool,
    waiting: bool,
    query: String,
    /// What a search found, or why it could not be read (with what was typed, kept).
    search: Option<(String, String)>,
    rows: Vec<RowView>,
    page: usize,
    pages: usize,
    /// The team lead's assignment of many cases at once: the caseworkers to choose among.
    caseworkers: Vec<String>,
    csrf: String,
}

/// Worklist filters.
#[derive(Deserialize, Default)]
pub struct WorklistQuery {
    fase: Option<String>,
    sort: Option<String>,
    side: Option<usize>,
    advarsler: Option<String>,
    tilstand: Option<String>,
    mine: Option<String>,
    overskredet: Option<String>,
    aendringer: Option<String>,
    venter: Option<String>,
    /// A search: a case number (straight to the case) or a full CPR number (that citizen's cases, logged).
    q: Option<String>,
}

const PAGE_SIZE: usize = 50;

/// `GET /sager`: my cases and my team's, with filters (phase, state, mine, overdue, register changes,
/// warnings), sorting, paging and counts. The database selects and pages; only the filters on warnings and
/// register changes, which read the whole case, look at every case in scope.
pub async fn worklist(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Query(q): Query<WorklistQuery>,
) -> Response {
    let actor = current.user.actor();
    let today = state.today();
    let now = jiff::Timestamp::now();
    let phases = [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision, Phase::Closed];
    let phase_name = q.fase.unwrap_or_default();
    let phase = phases.iter().copied().find(|p| p.name() == phase_name);
    let sort = q.sort.unwrap_or_else(|| "id".into());
    let by_deadline = sort == "frist";
    let only_warnings = q.advarsler.is_some();
    let flagged = q.aendringer.is_some();
    let waiting = q.venter.is_some();
    let state_name = q.tilstand.unwrap_or_default();
    let typed = q.q.unwrap_or_default();
    let (case_id, cpr, name, search) = match (typed.trim().is_empty(), cases::search(&typed)) {
        (true, _) => (None, None, None, None),
        // A case number goes straight to the case, whose page says whether the user may see it.
        (false, Ok(cases::Search::Case(id))) => return Redirect::to(&format!("/sager/{id}")).into_response(),
        (false, Ok(cases::Search::Cpr(cpr))) => (
            None,
            Some(cpr),
            None,
            Some(("Sager for det søgte CPR-nummer (søgningen er logget).".to_owned(), String::new())),
        ),
        (false, Ok(cases::Search::Name(key))) => (
            None,
            None,
            Some(key),
            Some((
                "Sager for borgere, hvis navn indeholder det søgte (søgningen er logget).".to_owned(),
                String::new(),
            )),
        ),
        // A search that cannot be read finds nothing, never everything: no case has number 0.
        (false, Err(why)) => (Some(0), None, None, Some((why.to_owned(), typed.clone()))),
    };
    // What was typed stays in the field to be corrected or refined; a CPR number (or what looks like one
    // half-typed) is never shown back.
    let digits = typed.chars().filter(char::is_ascii_digit).count();
    let kept_search =
        if cpr.is_none() && digits < 6 { typed.trim().chars().take(200).collect() } else { String::new() };
    // Overdue counts the municipality's processing deadlines too, which the store does not index: that
    // filter is applied here, with the case's own deadlines.
    let overdue = q.overskredet.is_some();
    let filters = gennemgang_store::WorklistFilters {
        state: CaseState::ALL.iter().copied().find(|s| s.name() == state_name),
        overdue_on: None,
        assigned_to: q.mine.is_some().then(|| current.user.username.clone()),
        case_id,
        cpr,
        name,
    };
    let query = {
        let mut pairs = vec![("fase", phase_name.clone()), ("sort", sort.clone()), ("tilstand", state_name.clone())];
        for (key, on) in [
            ("advarsler", only_warnings),
            ("mine", filters.assigned_to.is_some()),
            ("overskredet", overdue),
            ("aendringer", flagged),
            ("venter", waiting),
        ] {
            if on {
                pairs.push((key, "1".into()));
            }
        }
        pairs.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect::<Vec<_>>().join("&")
    };
    let wanted = q.side.unwrap_or(1).max(1);
    let in_memory = (only_warnings || flagged || overdue || waiting) && filters.cpr.is_none() && filters.name.is_none();
    let (by_phase, matching, page_cases, page) = if in_memory {
        let all: Vec<Case> = match cases::list(&state.store, &actor, now).await {
            Ok(c) => c.into_iter().filter(|c| filters.admits(c)).collect(),
            Err(e) => return app_error(&current, &e),
        };
        let by_phase = phases
            .iter()
            .map(|p| (p.name().to_owned(), all.iter().filter(|c| c.phase() == *p).count() as u64))
            .collect();
        let mut filtered: Vec<Case> = all
            .into_iter()
            .filter(|c| phase.is_none_or(|p| c.phase() == p))
            .filter(|c| !only_warnings || !gennemgang_case::decide::warnings(c, &state.routing, today).is_empty())
            .filter(|c| !flagged || !c.flags.is_empty())
            .filter(|c| {
                !waiting
                    || !gennemgang_case::waits::waits(c, &gennemgang_rules::review::ReviewParams::builtin().waits)
                        .is_empty()
            })
            .filter(|c| !overdue || is_overdue(c, &state.routing, today))
            .collect();
        if by_deadline {
            filtered.sort_by_key(|c| (c.next_deadline().is_none(), c.next_deadline().map(|d| d.0), c.id));
        }
        let pages = filtered.len().div_ceil(PAGE_SIZE).max(1);
        let page = wanted.min(pages);
        let matching = filtered.len();
        (
            by_phase,
            matching,
            filtered.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).map(Arc::new).collect(),
            page,
        )
    } else {
        let offset = u32::try_from((wanted - 1) * PAGE_SIZE).unwrap_or(u32::MAX);
        let limit = u32::try_from(PAGE_SIZE).unwrap_or(50);
        match cases::worklist(&state.store, &actor, phase, filters.clone(), by_deadline, (offset, limit), now).await {
            Ok(w) => (w.by_phase, usize::try_from(w.matching).unwrap_or(0), w.cases, wanted),
            Err(e) => return app_error(&current, &e),
        }
    };
    let count_of =
        |p: Phase| by_phase.iter().find(|(n, _)| n == p.name()).map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0));
    let counts: Vec<CountView> =
        phases.iter().map(|&p| CountView { key: p.name(), label: views::phase(p), count: count_of(p) }).collect();
    let total = counts.iter().map(|c| c.count).sum();
    let pages = matching.div_ceil(PAGE_SIZE).max(1);
    let rows = page_cases
        .iter()
        .map(|c| {
            let (deadline, class) =
                c.next_deadline().map_or((String::new(), ""), |(d, what)| deadline_cell(d, what, today));
            let (processing, processing_class) = gennemgang_case::processing::processing_deadline(c, &state.routing)
                .map_or((String::new(), ""), |p| deadline_cell(p.due, "", today));
            let (waiting, waiting_class) = waiting_cell(c, today);
            RowView {
                waiting,
                waiting_class,
                id: c.id,
                name: c.citizen.name.clone(),
                cpr: masked(&c.facts.cpr),
                municipality: c.home_municipality,
                phase: views::phase(c.phase()),
                state: views::state(c.state),
                assigned: c.assigned_to.clone().unwrap_or_default(),
                deadline,
                deadline_class: class,
                processing,
                processing_class,
                warnings: gennemgang_case::decide::warnings(c, &state.routing, today).len(),
            }
        })
        .collect();
    let caseworkers = match (current.user.role, current.user.municipality) {
        (gennemgang_case::actor::Role::HomeTeamLead, Some(m)) => match state.caseworkers(i64::from(m)).await {
            Ok(list) => list.as_ref().clone(),
            Err(e) => return super::server_error(&e),
        },
        _ => Vec::new(),
    };
    render(
        StatusCode::OK,
        &WorklistPage {
            caseworkers,
            csrf: current.session.csrf.clone(),
            layout: Layout::of(Some(&current)).searched(kept_search),
            total,
            shown: matching,
            counts,
            phase: phase_name,
            sort,
            only_warnings,
            states: CaseState::ALL.iter().map(|s| (s.name(), views::state(*s))).collect(),
            state: state_name,
            mine: filters.assigned_to.is_some(),
            overdue,
            example_deadlines: state.routing.placeholder,
            flagged,
            waiting,
            query,
            search,
            rows,
            page: page.min(pages),
            pages,
        },
    )
}
