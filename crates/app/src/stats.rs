//! Aggregates for managers and the ministry: progress by phase, municipality and outcome, and overdue
//! cases. No count under [`THRESHOLD`] is shown or can be worked out from the numbers shown: small counts
//! are hidden, and so are enough other cells of the same tables that the totals and the known relations
//! between the tables give none of them away ([`crate::suppression`]).

use crate::suppression::{Relation, suppress};
use gennemgang_case::case::{Case, Event, Phase};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::suppression::THRESHOLD;

/// A count, or not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Count {
    /// Shown.
    Shown(usize),
    /// Fewer than five and not zero, shown as `<5`: a count that stands alone (an area's candidates).
    Suppressed(&'static str),
    /// Hidden, shown as `x`: in the statistics' tables, under five or hidden so that no count under five can
    /// be worked out from the totals and the other cells (complementary suppression). A reader cannot tell
    /// which of the two; it is never zero.
    Hidden(&'static str),
}

impl Count {
    /// A hidden cell of a table.
    pub const HIDDEN: Count = Count::Hidden("x");
}

/// `n` as shown when it stands alone: suppressed when under [`THRESHOLD`] and not zero. Counts in tables
/// with totals go through [`crate::suppression::suppress`] instead.
#[must_use]
pub fn count(n: usize) -> Count {
    if n == 0 || n >= THRESHOLD { Count::Shown(n) } else { Count::Suppressed("<5") }
}

/// One row: a group and its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// The group (phase name, municipality code, outcome).
    pub group: String,
    /// How many.
    pub count: Count,
}

/// The statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statistics {
    /// All cases.
    pub total: Count,
    /// By phase.
    pub by_phase: Vec<Row>,
    /// By home municipality.
    pub by_municipality: Vec<Row>,
    /// Decisions by outcome.
    pub by_outcome: Vec<Row>,
    /// Open cases past a deadline: the hearing's answer date, the reassessment, or the municipality's
    /// processing deadline for the phase (RSL § 3, stk. 2).
    pub overdue: Count,
    /// Cases past the processing deadline of their phase, by phase (review, reopening, decision).
    pub processing_overdue: Vec<Row>,
    /// Days spent in each phase by the cases that have left it.
    pub time_per_phase: Vec<PhaseTime>,
}

/// How long cases stayed in a phase (only cases that have left it count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhaseTime {
    /// The phase.
    #[cfg_attr(feature = "openapi", schema(value_type = Phase))]
    pub phase: &'static str,
    /// Cases that have left the phase.
    pub cases: Count,
    /// Median days in the phase; `None` when there are none or too few to show.
    pub median_days: Option<i64>,
    /// Longest stay in days; `None` likewise.
    pub max_days: Option<i64>,
}

/// The phases whose stays are timed, in the order of [`Statistics::time_per_phase`].
const TIMED: [Phase; 4] = [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision];

/// Days of each stay in each timed phase that has been left, from the histories (ordered by case and
/// version), sorted.
fn stays(events: &[Event]) -> [Vec<i64>; 4] {
    let mut stays: BTreeMap<Phase, Vec<i64>> = BTreeMap::new();
    for history in events.chunk_by(|a, b| a.case_id == b.case_id) {
        // A history that does not fold is reported by `audit verify`; statistics skip it.
        for stay in Case::phase_stays(history).unwrap_or_default() {
            stays.entry(stay.phase).or_default().push(stay.left.duration_since(stay.entered).as_secs() / 86_400);
        }
    }
    TIMED.map(|p| {
        let mut days = stays.remove(&p).unwrap_or_default();
        days.sort_unstable();
        days
    })
}

/// How long the stays took, with `cases` as shown: the median and the longest only when the count itself
/// is shown (a hidden count with a median would tell that it is at least five).
fn phase_time(phase: Phase, days: &[i64], cases: Count) -> PhaseTime {
    let shown = matches!(cases, Count::Shown(n) if n >= THRESHOLD);
    PhaseTime {
        phase: phase.name(),
        cases,
        median_days: if shown { days.get(days.len() / 2).copied() } else { None },
        max_days: if shown { days.last().copied() } else { None },
    }
}

/// Days spent in each phase by the cases that have left it, from the histories (ordered by case and
/// version), each count on its own (the statistics page suppresses them together with its other tables, in
/// [`compute`]).
#[must_use]
pub fn time_per_phase(events: &[Event]) -> Vec<PhaseTime> {
    TIMED.iter().zip(stays(events)).map(|(&p, days)| phase_time(p, &days, table_count(days.len()))).collect()
}

/// A count alone as a table cell: hidden when under [`THRESHOLD`] and not zero.
fn table_count(n: usize) -> Count {
    if n == 0 || n >= THRESHOLD { Count::Shown(n) } else { Count::HIDDEN }
}

impl Count {
    /// The count as shown (`"<5"` or `"x"` when not shown) and the number a chart draws (0 when not shown).
    #[must_use]
    pub fn shown(self) -> (String, usize) {
        match self {
            Count::Shown(n) => (n.to_string(), n),
            Count::Suppressed(s) | Count::Hidden(s) => (s.to_owned(), 0),
        }
    }
}

/// The cells of the statistics' tables, with their true counts, before suppression.
#[derive(Default)]
struct Cells {
    values: Vec<usize>,
}

impl Cells {
    fn add(&mut self, n: usize) -> usize {
        self.values.push(n);
        self.values.len() - 1
    }

    fn add_all<const N: usize>(&mut self, ns: [usize; N]) -> [usize; N] {
        ns.map(|n| self.add(n))
    }
}

/// Aggregates over `cases` and their histories `events` (both already restricted to what the user may
/// count), with the processing deadlines of `routing`.
///
/// Every table goes through one suppression ([`crate::suppression::suppress`]) with the relations a reader
/// knows hold between them — each exact, or an upper bound that holds for every history:
/// - the phases add up to the total, and so do the municipalities (a municipality with no case is not
///   listed: a known zero);
/// - the decisions (revoked, upheld) and the validations without reopening are cases past phase 2, so they
///   are at most the cases in the decision phase, after it and closed; the validations are closed cases;
///   every case after the decision has one (at most revoked + upheld);
/// - the overdue cases are open; those past the processing deadline are among them, and each phase's are
///   among the cases in that phase;
/// - every case no longer in phase 1 has left it at least once (time per phase counts stays, so it is at
///   least those cases); every decided case has left phase 2; every case after the decision and every
///   validation has left phase 3.
#[must_use]
pub fn compute(
    cases: &[Case],
    events: &[Event],
    routing: &gennemgang_case::facts::Routing,
    today: jiff::civil::Date,
) -> Statistics {
    const PHASES: [Phase; 5] = [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision, Phase::Closed];
    const PROCESSING: [Phase; 3] = [Phase::Review, Phase::Reopening, Phase::Decision];
    const OUTCOMES: [&str; 3] = ["revoked", "upheld", "no_ground"];
    let mut by_phase = [0_usize; 5];
    let mut by_municipality: BTreeMap<u16, usize> = BTreeMap::new();
    let mut by_outcome = [0_usize; 3];
    let mut overdue = 0;
    let mut processing_overdue = [0_usize; 3];
    let at = |phases: &[Phase], p: Phase| phases.iter().position(|&q| q == p);
    for c in cases {
        if let Some(i) = at(&PHASES, c.phase()) {
            by_phase[i] += 1;
        }
        *by_municipality.entry(c.home_municipality).or_default() += 1;
        if let Some(d) = &c.decision {
            by_outcome[usize::from(!d.revoked)] += 1;
        } else if c.state == gennemgang_case::case::State::ClosedValidated {
            by_outcome[2] += 1;
        }
        let processing = gennemgang_case::processing::processing_deadline(c, routing).filter(|d| d.overdue(today));
        if let Some(i) = processing.as_ref().and_then(|d| at(&PROCESSING, d.phase)) {
            processing_overdue[i] += 1;
        }
        let open = !matches!(c.phase(), Phase::Closed);
        if open && (processing.is_some() || c.next_deadline().is_some_and(|(due, _)| due < today)) {
            overdue += 1;
        }
    }
    let stays = stays(events);

    let mut cells = Cells::default();
    let total = cells.add(cases.len());
    let phase = cells.add_all(by_phase);
    let [review, reopening, decision, after, closed] = phase;
    let municipality: Vec<usize> = by_municipality.values().map(|&n| cells.add(n)).collect();
    let outcome = cells.add_all(by_outcome);
    let [revoked, upheld, no_ground] = outcome;
    let overdue_cell = cells.add(overdue);
    let processing = cells.add_all(processing_overdue);
    let timed = cells.add_all([stays[0].len(), stays[1].len(), stays[2].len(), stays[3].len()]);
    let relations = [
        Relation::exact(phase.to_vec(), total),
        Relation::exact(municipality.clone(), total),
        Relation::at_most(outcome.to_vec(), vec![decision, after, closed]),
        Relation::at_most(vec![no_ground], vec![closed]),
        Relation::at_most(vec![after], vec![revoked, upheld]),
        Relation::at_most(vec![overdue_cell], vec![review, reopening, decision, after]),
        Relation::at_most(processing.to_vec(), vec![overdue_cell]),
        Relation::at_most(vec![processing[0]], vec![review]),
        Relation::at_most(vec![processing[1]], vec![reopening]),
        Relation::at_most(vec![processing[2]], vec![decision]),
        Relation::at_most(vec![reopening, decision, after, closed], vec![timed[0]]),
        Relation::at_most(vec![revoked, upheld], vec![timed[1]]),
        Relation::at_most(vec![after, no_ground], vec![timed[2]]),
    ];
    let hidden = suppress(&cells.values, &relations);
    let shown = |cell: usize| if hidden[cell] { Count::HIDDEN } else { Count::Shown(cells.values[cell]) };
    let row = |group: String, cell: usize| Row { group, count: shown(cell) };
    // Rows in the order of their group's name, as they always were.
    let sorted = |mut rows: Vec<Row>| {
        rows.sort_by(|a, b| a.group.cmp(&b.group));
        rows
    };
    Statistics {
        total: shown(total),
        by_phase: sorted(PHASES.iter().zip(phase).map(|(p, c)| row(p.name().to_owned(), c)).collect()),
        by_municipality: by_municipality.keys().zip(municipality).map(|(m, c)| row(m.to_string(), c)).collect(),
        by_outcome: sorted(OUTCOMES.iter().zip(outcome).map(|(o, c)| row((*o).to_owned(), c)).collect()),
        overdue: shown(overdue_cell),
        processing_overdue: sorted(
            PROCESSING.iter().zip(processing).map(|(p, c)| row(p.name().to_owned(), c)).collect(),
        ),
        time_per_phase: TIMED
            .iter()
            .zip(&stays)
            .zip(timed)
            .map(|((&p, days), c)| phase_time(p, days, shown(c)))
            .collect(),
    }
}

/// The statistics the user may see: team leads and approvers their own municipality's cases, the ministry
/// and operators all cases — aggregates only, small numbers suppressed.
///
/// # Errors
/// The role may not see statistics, or the store fails.
pub async fn for_actor<S: gennemgang_store::Store>(
    store: &S,
    actor: &gennemgang_case::actor::Actor,
    routing: &gennemgang_case::facts::Routing,
    today: jiff::civil::Date,
) -> Result<Statistics, crate::cases::AppError> {
    use gennemgang_case::actor::Role;
    use gennemgang_case::policy::{Access, authorize, can_see};
    authorize(actor, None, Access::Statistics).map_err(|d| crate::cases::AppError::Forbidden(d.to_string()))?;
    let all = store.cases().await?;
    let scoped: Vec<Case> = match actor.role {
        Role::HomeTeamLead | Role::DecidingApprover => all.into_iter().filter(|c| can_see(actor, c)).collect(),
        _ => all,
    };
    let ids: std::collections::HashSet<i64> = scoped.iter().map(|c| c.id).collect();
    let events: Vec<Event> = store.all_events().await?.into_iter().filter(|e| ids.contains(&e.case_id)).collect();
    Ok(compute(&scoped, &events, routing, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gennemgang_case::action::Action;
    use gennemgang_case::actor::Actor;
    use gennemgang_case::facts::{CaseFacts, SchemeCode};
    use jiff::civil::date;

    fn at_day(day: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_800_000_000 + day * 86_400).expect("ts")
    }

    /// A case imported on day 0 and reopened on day `reopened` (phase 1 → phase 2).
    fn history(id: i64, reopened: Option<i64>) -> Vec<Event> {
        let facts = CaseFacts {
            cpr: format!("01018000{id:02}"),
            birth_date: date(1980, 1, 1),
            awarded_on: date(2015, 6, 1),
            scheme: SchemeCode::Pl,
            municipality_code: 159,
            area_id: "A1".into(),
            screened_as_of: date(2026, 12, 1),
            protected_veteran: false,
            screening_reason: String::new(),
            citizen: gennemgang_case::facts::Citizen::default(),
        };
        let mut events = vec![gennemgang_case::start(id, facts, at_day(0))];
        if let Some(day) = reopened {
            events.push(Event {
                case_id: id,
                version: 2,
                recorded_at: at_day(day),
                actor: Actor::system(),
                action: Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![0] },
                outcome: gennemgang_case::event::Outcome::None,
                on: None,
                schema: gennemgang_case::event::SCHEMA,
            });
        }
        events
    }

    #[test]
    fn time_per_phase_counts_cases_that_left_the_phase_and_suppresses_small_groups() {
        let events: Vec<Event> = [(1, Some(10)), (2, Some(20)), (3, Some(30)), (4, Some(40)), (5, Some(50)), (6, None)]
            .into_iter()
            .flat_map(|(id, day)| history(id, day))
            .collect();
        let times = time_per_phase(&events);
        let review = &times[0];
        assert_eq!(
            (review.phase, review.cases, review.median_days, review.max_days),
            ("review", Count::Shown(5), Some(30), Some(50))
        );
        // Four cases are too few to show how long they took.
        let fewer: Vec<Event> = events.into_iter().filter(|e| e.case_id <= 4).collect();
        let review = &time_per_phase(&fewer)[0];
        assert_eq!((review.cases, review.median_days, review.max_days), (Count::HIDDEN, None, None));
    }
}
