//! The deciding municipality's desk: the inbox of received cases, the pension board's agenda, and the
//! approval queue for proposed revocations. Each is a view of the cases the user may see (the listing is
//! logged like the worklist); acting happens on the case page, where only permitted actions are offered.

use crate::AppState;
use crate::extract::SignedIn;
use crate::pages::{Layout, app_error, render};
use crate::session::Current;
use crate::views::{self, masked};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gennemgang_app::cases;
use gennemgang_case::case::{Case, State as CaseState};
use gennemgang_rules::calendar::board::meetings;
use gennemgang_rules::calendar::params::CalendarParams;
use std::collections::BTreeMap;

struct Line {
    id: i64,
    cpr: String,
    home: u16,
    state: &'static str,
    detail: String,
    deadline: String,
}

struct Group {
    heading: String,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    layout: Layout,
    title: &'static str,
    intro: String,
    detail_heading: &'static str,
    groups: Vec<Group>,
}

fn line(c: &Case, detail: String) -> Line {
    Line {
        id: c.id,
        cpr: masked(&c.facts.cpr),
        home: c.home_municipality,
        state: views::state(c.state),
        detail,
        deadline: c
            .next_deadline()
            .map(|(d, what)| format!("{} ({what})", gennemgang_rules::date::danish(d)))
            .unwrap_or_default(),
    }
}

async fn queue(
    state: &AppState,
    current: &Current,
    title: &'static str,
    intro: &str,
    detail_heading: &'static str,
    group: impl Fn(&[Case], &str) -> Vec<Group>,
) -> Response {
    let visible = match cases::list(&state.store, &current.user.actor(), jiff::Timestamp::now()).await {
        Ok(c) => c,
        Err(e) => return app_error(current, &e),
    };
    let groups = group(&visible, &current.user.username);
    render(
        StatusCode::OK,
        &QueuePage { layout: Layout::of(Some(current)), title, intro: intro.to_owned(), detail_heading, groups },
    )
}

/// `GET /afgoerelse/indbakke`: cases sent by the home municipalities, not yet taken, and those under decision.
pub async fn inbox(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    queue(
        &state,
        &current,
        "Indbakke",
        "Sager, som bopælskommunerne har sendt til afgørelse. Afgørelseskommunen indhenter ikke nye oplysninger, men kan sende sagen tilbage med en begrundelse.",
        "Sendt tilbage",
        |visible, _| {
            let pick = |s: CaseState| -> Vec<Line> {
                visible
                    .iter()
                    .filter(|c| c.state == s)
                    .map(|c| line(c, if c.sent_back == 0 { "Nej".into() } else { crate::views::times(usize::try_from(c.sent_back).unwrap_or(usize::MAX)) }))
                    .collect()
            };
            vec![
                Group { heading: "Modtaget, ikke påbegyndt".into(), lines: pick(CaseState::SentToDeciding) },
                Group { heading: "Under afgørelse".into(), lines: pick(CaseState::UnderDecision) },
            ]
        },
    )
    .await
}

/// `GET /afgoerelse/dagsorden`: the pension board's coming meetings (PL § 21 and the municipality's meeting
/// plan) with the cases scheduled on each.
pub async fn agenda(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    // The user's own municipality's board; without a configured one, the built-in example, said so.
    let municipality = current.user.municipality;
    let params = CalendarParams::builtin();
    let setup = state.routing.board(municipality);
    let board = setup.map_or(&params.board, |b| &b.meetings);
    let intro = match setup {
        Some(b) => format!(
            "{}s kommende møder og de sager, der er sat på hvert møde. Medlemmer: {}. Sager skal være klar {} dage før mødet. Mødekalender: {}.",
            board.name,
            b.members.join(", "),
            b.prepare_days,
            board.source
        ),
        None => format!(
            "Nævnets kommende møder og de sager, der er sat på hvert møde. Eksempel: kommunens egen mødekalender er ikke sat op, så mødedatoerne er et eksempel ({}).",
            board.source
        ),
    };
    queue(&state, &current, "Pensionsnævnets dagsorden", &intro, "Validéret", |visible, _| {
        let today = state.today();
        let mut by_meeting: BTreeMap<jiff::civil::Date, Vec<Line>> = BTreeMap::new();
        for year in [today.year(), today.year().saturating_add(1)] {
            for m in meetings(params, board, year).unwrap_or_default() {
                if m.date >= today {
                    by_meeting.entry(m.date).or_default();
                }
            }
        }
        for c in visible.iter().filter(|c| c.decision.is_none()) {
            if let Some(d) = c.meeting_on {
                by_meeting.entry(d).or_default().push(line(c, if c.validated { "Ja".into() } else { "Nej".into() }));
            }
        }
        by_meeting
            .into_iter()
            .take(6)
            .map(|(date, lines)| Group { heading: format!("Møde {}", gennemgang_rules::date::danish(date)), lines })
            .collect()
    })
    .await
}

/// `GET /afgoerelse/attestation`: proposed revocations waiting for a second person's approval (four eyes:
/// the proposer cannot approve their own proposal).
pub async fn approvals(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    queue(
        &state,
        &current,
        "Attestation",
        "Forslag til afgørelse om frakendelse, der venter på attestation af en anden end forslagsstilleren.",
        "Forslag",
        |visible, me| {
            let (mine, others): (Vec<&Case>, Vec<&Case>) = visible
                .iter()
                .filter(|c| c.state == CaseState::AwaitingApproval)
                .partition(|c| c.proposal.as_ref().is_some_and(|p| p.proposer == me));
            let describe = |c: &Case| {
                c.proposal.as_ref().map_or_else(String::new, |p| {
                    format!(
                        "Af {}, {}: {} Fortsat udbetaling {} måned(er).",
                        p.proposer,
                        gennemgang_rules::date::danish(p.proposed_on),
                        p.reasons,
                        p.keep_payment_months
                    )
                })
            };
            vec![
                Group {
                    heading: "Til din attestation".into(),
                    lines: others.into_iter().map(|c| line(c, describe(c))).collect(),
                },
                Group {
                    heading: "Dine egne forslag (attesteres af en anden)".into(),
                    lines: mine.into_iter().map(|c| line(c, describe(c))).collect(),
                },
            ]
        },
    )
    .await
}
