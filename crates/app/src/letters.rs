//! Letters for a case: compose from the case and its history (gennemgang-letters), typeset (gennemgang-pdf),
//! and for Digital Post wrap in a MeMo message. Reading a case to write its letter is a read of person data
//! and is logged like any other.

use crate::cases::{AppError, read};
use gennemgang_case::action::Channel;
use gennemgang_case::actor::Actor;
use gennemgang_case::case::{Case, Event};
use gennemgang_letters::sender::Senders;
use gennemgang_letters::{Issue, Letter, LetterKind, compose};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_store::Store;
use jiff::civil::Date;

/// What to write.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// Kind.
    pub kind: LetterKind,
    /// Digital Post or post.
    pub channel: Channel,
    /// The day it is sent.
    pub sent_on: Date,
    /// Contact details of the municipalities.
    pub senders: &'a Senders,
    /// The calendar for deadlines.
    pub calendar: &'a CalendarParams,
}

/// A letter and its PDF.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The letter as data.
    pub letter: Letter,
    /// The PDF/A document.
    pub pdf: Vec<u8>,
}

/// Why a letter could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// The letter does not fit the case.
    #[error(transparent)]
    Compose(#[from] gennemgang_letters::ComposeError),
    /// Typesetting failed.
    #[error(transparent)]
    Pdf(#[from] gennemgang_pdf::PdfError),
}

/// Composes and typesets the letter; the sender is the municipality that holds the case in its phase
/// (the deciding municipality for decisions and complaints, else the home municipality).
///
/// # Errors
/// The letter does not fit the case, or typesetting failed.
pub fn render(case: &Case, events: &[Event], request: &Request<'_>) -> Result<Rendered, LetterError> {
    let from_deciding =
        matches!(request.kind, LetterKind::DecisionRevocation | LetterKind::ComplaintReceipt | LetterKind::Forwarding)
            || (request.kind == LetterKind::DecisionUpheld && case.decision.is_some());
    let code = if from_deciding {
        case.deciding_municipality.unwrap_or(case.home_municipality)
    } else {
        case.home_municipality
    };
    let issue = Issue {
        sent_on: request.sent_on,
        channel: request.channel,
        sender: request.senders.get(code),
        calendar: request.calendar,
        meeting_time: "10.00".into(),
    };
    let letter = compose(case, events, request.kind, &issue)?;
    let pdf = gennemgang_pdf::render(&letter)?;
    Ok(Rendered { letter, pdf })
}

/// The letter for a case the user may see, for preview; the read is logged as `letter`.
///
/// # Errors
/// Not visible (404), the letter does not fit the case (422), or the store fails.
pub async fn preview<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    request: &Request<'_>,
    now: jiff::Timestamp,
) -> Result<Rendered, AppError> {
    let case = read(store, actor, id, "letter", now).await?;
    let events = store.events(id).await?;
    render(&case, &events, request).map_err(|e| AppError::Refused(e.to_string()))
}
