//! # gennemgang-case
//!
//! The review case as a pure aggregate: the model's three phases (seed 000), the actions of each phase, the
//! guards the law sets, and the events every accepted action becomes. State is only ever derived from
//! events; nothing here does I/O.
//!
//! Layout:
//! - [`actor`] — roles and the acting user;
//! - [`facts`] — what a case is about, the law at the award, region → deciding municipality;
//! - [`action`] — every action (the API's and the history's vocabulary);
//! - [`case`] — the aggregate, its states and phases, and the fold over events;
//! - [`decide`] — whether an action fits the state and the law, completing it with computed values;
//! - [`guards`] — the bars on revocation, the decision record and its replay;
//! - [`letter`] — the letters a case has sent;
//! - [`policy`] — who may see and do what.
//!
//! [`perform`] ties policy, decision and event together; [`start`] creates a case's first event.

pub mod action;
pub mod actor;
pub mod case;
pub mod decide;
pub mod facts;
pub mod guards;
pub mod letter;
pub mod policy;

use action::Action;
use actor::Actor;
use case::{Case, Event};
use decide::{CaseError, Context};
use facts::CaseFacts;
use policy::{Access, Denied};

/// Why an action was not performed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PerformError {
    /// Access was refused.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The case or the law refused it.
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// The first event of a new case.
#[must_use]
pub fn start(id: i64, facts: CaseFacts, recorded_at: jiff::Timestamp) -> Event {
    Event { case_id: id, version: 1, recorded_at, actor: Actor::system(), action: Action::Import { facts } }
}

/// Authorizes and decides an action; the returned event is what the store appends (at `case.version + 1`).
///
/// # Errors
/// The user may not do it, or the case's state or the law does not allow it.
pub fn perform(
    case: &Case,
    actor: &Actor,
    action: Action,
    ctx: &Context<'_>,
    recorded_at: jiff::Timestamp,
) -> Result<Event, PerformError> {
    policy::authorize(actor, Some(case), Access::Act(&action))?;
    let action = decide::decide(case, actor, action, ctx)?;
    Ok(Event { case_id: case.id, version: case.version + 1, recorded_at, actor: actor.clone(), action })
}
