//! # gennemgang-case
//!
//! The review case as a pure aggregate: the government model's three phases, the actions of each phase,
//! the guards the law sets, and the events every accepted action becomes. State is only ever derived from
//! events; nothing here does I/O.
//!
//! Layout:
//! - [`actor`] — roles and the acting user;
//! - [`facts`] — what a case is about, the law at the award, region → deciding municipality;
//! - [`law`] — every legal citation, written once;
//! - [`action`] — every action a user can ask for (the API's vocabulary) and its fieldless kind;
//! - [`event`] — the stored event: the action and what the server computed (its outcome), versioned;
//! - [`case`] — the aggregate, its states and phases, and the fold over events;
//! - [`decide`] — whether an action fits the state, the law and the calendar, and what it computes;
//! - [`guards`] — the bars on revocation, the decision record and its replay;
//! - [`letter`] — the letters a case has sent;
//! - [`policy`] — who may see and do what;
//! - [`processing`] — the municipalities' processing deadlines on each case;
//! - [`waits`] — what a case waits on (consent, health information, a work trial, a hearing's answer).
//!
//! [`perform`] ties policy, decision and event together; [`start`] creates a case's first event.

pub mod action;
pub mod actor;
pub mod case;
pub mod decide;
pub mod event;
pub mod facts;
pub mod guards;
pub mod law;
pub mod letter;
pub mod policy;
pub mod processing;
pub mod waits;
/// What a free text may hold (the rules crate's, used by every action).
pub use gennemgang_rules::text;

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
    Event {
        case_id: id,
        version: 1,
        recorded_at,
        actor: Actor::system(),
        action: Action::Import { facts },
        outcome: event::Outcome::None,
        on: None,
        schema: event::SCHEMA,
    }
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
    let outcome = decide::decide(case, actor, &action, ctx)?;
    Ok(Event {
        case_id: case.id,
        version: case.version + 1,
        recorded_at,
        actor: actor.clone(),
        action,
        outcome,
        on: Some(ctx.today),
        schema: event::SCHEMA,
    })
}
