//! Letters for a case: compose from the case and its history (gennemgang-letters), typeset (gennemgang-pdf),
//! and for Digital Post wrap in a MeMo message. Reading a case to write its letter is a read of person data
//! and is logged like any other.

use crate::cases::{AppError, Refused, read};
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
    /// The installation gives municipalities' contact details, but not the sender's: a letter with made-up
    /// details must not leave a real installation.
    #[error("kommune {0} har ingen kontaktoplysninger i opsætningen, så brevet kan ikke laves")]
    NoSender(u16),
}

/// Composes and typesets the letter; the sender is the municipality that holds the case in its phase
/// (the deciding municipality for decisions and complaints, else the home municipality).
///
/// # Errors
/// The letter does not fit the case, or typesetting failed.
pub fn render(case: &Case, events: &[Event], request: &Request<'_>) -> Result<Rendered, LetterError> {
    let from_deciding = matches!(
        request.kind,
        LetterKind::DecisionRevocation
            | LetterKind::DecisionUpheld
            | LetterKind::ReviewClosed
            | LetterKind::InPersonInvitation
            | LetterKind::ComplaintReceipt
            | LetterKind::Forwarding
    ) || (matches!(request.kind, LetterKind::Delay | LetterKind::AccessAnswer)
        && case.phase() >= gennemgang_case::case::Phase::Decision
        && case.deciding_municipality.is_some());
    let code = if from_deciding {
        case.deciding_municipality.unwrap_or(case.home_municipality)
    } else {
        case.home_municipality
    };
    if !request.senders.is_empty() && !request.senders.has(code) {
        return Err(LetterError::NoSender(code));
    }
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

/// The letter for a case the user may see, for preview, dated as it could be sent (not after `today`, not
/// before its step); the read is logged as `letter`.
///
/// # Errors
/// Not visible (404), the letter or its date does not fit the case (422), or the store fails.
pub async fn preview<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    request: &Request<'_>,
    today: Date,
    now: jiff::Timestamp,
) -> Result<Rendered, AppError> {
    let case = read(store, actor, id, "letter", now).await?;
    gennemgang_case::decide::letter_date(&case, request.kind, request.sent_on, today)
        .map_err(|e| AppError::from(Refused::Case(e)))?;
    let events = store.events(id).await?;
    render_apart(case, events, request).await.map_err(|e| Refused::Letter(e).into())
}

/// [`render`] on a thread of its own: typesetting a long letter is CPU work for a while, and the async
/// workers must go on answering everyone else meanwhile.
async fn render_apart(case: Case, events: Vec<Event>, request: &Request<'_>) -> Result<Rendered, LetterError> {
    let (kind, channel, sent_on) = (request.kind, request.channel, request.sent_on);
    let (senders, calendar) = (request.senders.clone(), request.calendar.clone());
    tokio::task::spawn_blocking(move || {
        render(&case, &events, &Request { kind, channel, sent_on, senders: &senders, calendar: &calendar })
    })
    .await
    .map_err(|_| LetterError::Pdf(gennemgang_pdf::PdfError::Typeset("the typesetter stopped on this letter".into())))?
}

/// Sends a letter: composes and typesets it, hands it to the postbox (Digital Post as a MeMo message, or
/// print), and only then records it on the case — with the channel, date, message id and the PDF's digest,
/// from which a decision letter's complaint deadline is computed. Refused before anything is written when
/// the user may not send it or the case is not at its step. `today` is the server's date: a letter is never
/// dated after it, and a decision letter's bars are judged by it.
///
/// # Errors
/// Not visible (404), not allowed (403), not at the step (422), a conflict (409), the postbox or the store
/// fails.
pub async fn send<S: Store>(
    store: &S,
    postbox: &dyn crate::postbox::Postbox,
    actor: &Actor,
    id: i64,
    seen_version: Option<u32>,
    request: &Request<'_>,
    on: crate::cases::On<'_>,
) -> Result<Case, AppError> {
    let now = on.now;
    use gennemgang_case::action::Action;
    use gennemgang_case::policy::{Access, authorize};
    use sha2::Digest as _;
    let case = read(store, actor, id, "letter", now).await?;
    if seen_version.is_some_and(|v| v != case.version) {
        return Err(AppError::Conflict);
    }
    let probe = |message_id: String, document_sha256: String| Action::SendLetter {
        kind: request.kind,
        channel: request.channel,
        sent_on: request.sent_on,
        message_id,
        document_sha256,
    };
    authorize(actor, Some(&case), Access::Act(&probe(String::new(), String::new())))
        .map_err(|d| AppError::Forbidden(d.to_string()))?;
    if let Some(why) = gennemgang_case::decide::letter_does_not_fit(&case, request.kind) {
        return Err(Refused::LetterNotNow(why).into());
    }
    // Everything the case will check when the letter is recorded (its date, and a decision's bars on the
    // day it arrives) is checked before it leaves: a letter delivered but refused would be lost.
    crate::cases::check(&case, actor, probe("kontrol".into(), "0".repeat(64)), on)?;
    let events = store.events(id).await?;
    let rendered = render_apart(case.clone(), events, request).await.map_err(Refused::Letter)?;
    let memo = (request.channel == Channel::Digital)
        .then(|| gennemgang_letters::memo::message(&rendered.letter, &rendered.pdf));
    let message_id =
        memo.as_ref().map_or_else(|| gennemgang_letters::memo::message_uuid(&rendered.letter), |m| m.uuid.clone());
    let digest: String = sha2::Sha256::digest(&rendered.pdf).iter().map(|b| format!("{b:02x}")).collect();
    // With its real message id, once more: the very letter sent before (same id) is refused here, before it
    // leaves, never delivered again and only then refused.
    crate::cases::check(&case, actor, probe(message_id.clone(), digest.clone()), on)?;
    let parcel = crate::postbox::Parcel {
        message_id: &message_id,
        channel: request.channel,
        pdf: &rendered.pdf,
        memo: memo.as_ref().map(|m| m.xml.as_str()),
    };
    postbox.deliver(&parcel).map_err(|e| AppError::Post(e.to_string()))?;
    crate::cases::act(store, actor, id, Some(case.version), probe(message_id, digest), on).await
}

/// The kinds of letter that fit the case at its step (for offering previews and sending).
#[must_use]
pub fn fitting(case: &Case) -> Vec<LetterKind> {
    LetterKind::ALL.into_iter().filter(|k| gennemgang_case::decide::letter_does_not_fit(case, *k).is_none()).collect()
}
