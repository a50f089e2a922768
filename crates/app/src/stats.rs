//! Aggregates for managers and the ministry: progress by phase, municipality and outcome, and overdue
//! cases. Counts under [`THRESHOLD`] are suppressed so that no aggregate points at a person.

use gennemgang_case::case::{Case, Event, Phase};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts below this are shown as suppressed.
pub const THRESHOLD: usize = 5;

/// A count, or suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Count {
    /// Shown.
    Shown(usize),
    /// Fewer than five and not zero, shown as `<5`.
    Suppressed(&'static str),
}

/// `n` as shown: suppressed when under [`THRESHOLD`] and not zero.
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

/// Days each case spent in each phase it has left, from the histories (ordered by case and version).
#[must_use]
pub fn time_per_phase(events: &[Event]) -> Vec<PhaseTime> {
    let mut stays: BTreeMap<Phase, Vec<i64>> = BTreeMap::new();
    for history in events.chunk_by(|a, b| a.case_id == b.case_id) {
        // A history that does not fold is reported by `audit verify`; statistics skip it.
        for stay in Case::phase_stays(history).unwrap_or_default() {
            stays.entry(stay.phase).or_default().push(stay.left.duration_since(stay.entered).as_secs() / 86_400);
        }
    }
    [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision]
        .into_iter()
        .map(|p| {
            let mut days = stays.remove(&p).unwrap_or_default();
            days.sort_unstable();
            let shown = days.len() >= THRESHOLD;
            PhaseTime {
                phase: p.name(),
                cases: count(days.len()),
                median_days: shown.then(|| days[days.len() / 2]),
                max_days: if shown { days.last().copied() } else { None },
            }
        })
        .collect()
}

impl Count {
    /// The count as shown (`"<5"` when suppressed) and the number a chart draws (0 when suppressed).
    #[must_use]
    pub fn shown(self) -> (String, usize) {
        match self {
            Count::Shown(n) => (n.to_string(), n),
            Count::Suppressed(s) => (s.to_owned(), 0),
        }
    }
}

fn rows<K: ToString + Ord>(map: BTreeMap<K, usize>) -> Vec<Row> {
    map.into_iter().map(|(k, n)| Row { group: k.to_string(), count: count(n) }).collect()
}

/// Aggregates over `cases` and their histories `events` (both already restricted to what the user may
/// count), with the processing deadlines of `routing`.
#[must_use]
pub fn compute(
    cases: &[Case],
    events: &[Event],
    routing: &gennemgang_case::facts::Routing,
    today: jiff::civil::Date,
) -> Statistics {
    let mut by_phase: BTreeMap<&'static str, usize> =
        [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision, Phase::Closed]
            .into_iter()
            .map(|p| (p.name(), 0))
            .collect();
    let mut by_municipality: BTreeMap<u16, usize> = BTreeMap::new();
    let mut by_outcome: BTreeMap<&'static str, usize> =
        [("revoked", 0), ("upheld", 0), ("no_ground", 0)].into_iter().collect();
    let mut overdue = 0;
    let mut processing_overdue: BTreeMap<&'static str, usize> =
        [Phase::Review, Phase::Reopening, Phase::Decision].into_iter().map(|p| (p.name(), 0)).collect();
    for c in cases {
        *by_phase.entry(c.phase().name()).or_default() += 1;
        *by_municipality.entry(c.home_municipality).or_default() += 1;
        if let Some(d) = &c.decision {
            *by_outcome.entry(if d.revoked { "revoked" } else { "upheld" }).or_default() += 1;
        } else if c.state == gennemgang_case::case::State::ClosedValidated {
            *by_outcome.entry("no_ground").or_default() += 1;
        }
        let processing = gennemgang_case::processing::processing_deadline(c, routing).filter(|d| d.overdue(today));
        if let Some(d) = &processing {
            *processing_overdue.entry(d.phase.name()).or_default() += 1;
        }
        let open = !matches!(c.phase(), Phase::Closed);
        if open && (processing.is_some() || c.next_deadline().is_some_and(|(due, _)| due < today)) {
            overdue += 1;
        }
    }
    Statistics {
        total: count(cases.len()),
        by_phase: rows(by_phase),
        by_municipality: rows(by_municipality),
        by_outcome: rows(by_outcome),
        overdue: count(overdue),
        processing_overdue: rows(processing_overdue),
        time_per_phase: time_per_phase(events),
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
        assert_eq!((review.cases, review.median_days, review.max_days), (Count::Suppressed("<5"), None, None));
    }
}
