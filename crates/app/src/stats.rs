//! Aggregates for managers and the ministry: progress by phase, municipality and outcome, and overdue
//! cases. Counts under [`THRESHOLD`] are suppressed so that no aggregate points at a person.

use gennemgang_case::case::{Case, Phase};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts below this are shown as suppressed.
pub const THRESHOLD: usize = 5;

/// A count, or suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Count {
    /// Shown.
    Shown(usize),
    /// Fewer than [`THRESHOLD`] (and not zero).
    Suppressed(&'static str),
}

/// `n` as shown: suppressed when under [`THRESHOLD`] and not zero.
#[must_use]
pub fn count(n: usize) -> Count {
    if n == 0 || n >= THRESHOLD { Count::Shown(n) } else { Count::Suppressed("<5") }
}

/// One row: a group and its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The group (phase name, municipality code, outcome).
    pub group: String,
    /// How many.
    pub count: Count,
}

/// The statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statistics {
    /// All cases.
    pub total: Count,
    /// By phase.
    pub by_phase: Vec<Row>,
    /// By home municipality.
    pub by_municipality: Vec<Row>,
    /// Decisions by outcome.
    pub by_outcome: Vec<Row>,
    /// Cases in phase 1 or 2 whose hearing answer date or reassessment date has passed.
    pub overdue: Count,
}

fn rows<K: ToString + Ord>(map: BTreeMap<K, usize>) -> Vec<Row> {
    map.into_iter().map(|(k, n)| Row { group: k.to_string(), count: count(n) }).collect()
}

/// Aggregates over `cases` (already restricted to what the user may count).
#[must_use]
pub fn compute(cases: &[Case], today: jiff::civil::Date) -> Statistics {
    let mut by_phase: BTreeMap<&'static str, usize> =
        [Phase::Review, Phase::Reopening, Phase::Decision, Phase::AfterDecision, Phase::Closed]
            .into_iter()
            .map(|p| (p.name(), 0))
            .collect();
    let mut by_municipality: BTreeMap<u16, usize> = BTreeMap::new();
    let mut by_outcome: BTreeMap<&'static str, usize> =
        [("revoked", 0), ("upheld", 0), ("no_ground", 0)].into_iter().collect();
    let mut overdue = 0;
    for c in cases {
        *by_phase.entry(c.phase().name()).or_default() += 1;
        *by_municipality.entry(c.home_municipality).or_default() += 1;
        if let Some(d) = &c.decision {
            *by_outcome.entry(if d.revoked { "revoked" } else { "upheld" }).or_default() += 1;
        } else if c.state == gennemgang_case::case::State::ClosedNoGround {
            *by_outcome.entry("no_ground").or_default() += 1;
        }
        if !gennemgang_case::decide::warnings(c, today).is_empty() {
            overdue += 1;
        }
    }
    Statistics {
        total: count(cases.len()),
        by_phase: rows(by_phase),
        by_municipality: rows(by_municipality),
        by_outcome: rows(by_outcome),
        overdue: count(overdue),
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
    Ok(compute(&scoped, today))
}
