//! Telling Udbetaling Danmark, which pays the pension, what a decision changes. [`Payments`] is the adapter
//! the real interface plugs in behind; the file drop of [`crate::postbox::FileDrop`] is the default
//! (`udbetaling-danmark/{id}.json`). A notice is due when [`payment_notice_due`] says so — a stop once a
//! revocation has reached the citizen, a resumption once it no longer stands — and is sent by the system,
//! never by a person who could forget it: written completely first, then recorded on the case. The same
//! due state always gives the same id and the same bytes, so a crash between the two leaves a file that the
//! next sweep writes again, identically, and then records: never lost, never sent as two notices.

use crate::cases::{self, AppError};
use crate::postbox::{FileDrop, PostError, write_atomically};
use gennemgang_case::action::Action;
use gennemgang_case::actor::Actor;
use gennemgang_case::case::Case;
use gennemgang_case::decide::payment_notice_due;
use gennemgang_case::guards::DecisionRecord;
use gennemgang_case::letter::PaymentNoticeKind;
use gennemgang_store::Store;
use jiff::civil::Date;
use sha2::Digest as _;
use std::path::PathBuf;

/// The payer behind the application.
pub trait Payments: Send + Sync + std::fmt::Debug {
    /// Hands the notice over; returns once it is durably accepted. The same id may come again with the
    /// same bytes (a retry after a crash): accepting it again must not make it a second notice.
    ///
    /// # Errors
    /// The payer did not accept it.
    fn deliver(&self, message_id: &str, document: &[u8]) -> Result<PathBuf, PostError>;
}

impl Payments for FileDrop {
    fn deliver(&self, message_id: &str, document: &[u8]) -> Result<PathBuf, PostError> {
        let path = self.root().join("udbetaling-danmark").join(format!("{message_id}.json"));
        write_atomically(&path, document).map_err(|e| PostError(format!("writing {}: {e}", path.display())))?;
        Ok(path)
    }
}

/// The notice as Udbetaling Danmark receives it: who, what stops or resumes and from when, and the
/// decision it rests on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    /// The notice's id.
    pub message_id: String,
    /// `stop` or `resume`.
    pub kind: &'static str,
    /// The case.
    pub case_id: i64,
    /// The citizen.
    pub cpr: String,
    /// The municipality that decided.
    pub deciding_municipality: Option<u16>,
    /// The decision's date (absent when a revocation was set aside without a new decision).
    pub decided_on: Option<Date>,
    /// The day the decision reached the citizen.
    pub notified_on: Option<Date>,
    /// The revocation's date of effect (stop).
    pub effective_from: Option<Date>,
    /// The last day of payment, after the months kept (stop).
    pub last_paid_day: Option<Date>,
    /// Months of continued payment after the date of effect (stop).
    pub keep_payment_months: u8,
    /// The legal basis of the stop.
    pub legal_basis: &'static str,
    /// What the decision was computed from.
    pub decision_record: Option<DecisionRecord>,
    /// The rules release.
    pub rules_version: &'static str,
}

/// The notice of `kind` for the case as it is, with an id that only this due state has: the case, the
/// kind and how many notices the case has sent before.
#[must_use]
pub fn notice(case: &Case, kind: PaymentNoticeKind) -> Notice {
    let seed = format!("gennemgang-udbetaling:{}:{}:{}", case.id, kind.name(), case.payment_notices.len());
    let h: String = sha2::Sha256::digest(seed.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect();
    let message_id = format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]);
    let stop = kind == PaymentNoticeKind::Stop;
    let decision = case.decision.as_ref();
    Notice {
        message_id,
        kind: kind.name(),
        case_id: case.id,
        cpr: case.facts.cpr.clone(),
        deciding_municipality: case.deciding_municipality,
        decided_on: decision.map(|d| d.decided_on),
        notified_on: case.letter.and_then(|l| l.notified_on),
        effective_from: decision.filter(|_| stop).and_then(|d| d.effective_from),
        last_paid_day: decision.filter(|_| stop).and_then(|d| d.last_paid_day),
        keep_payment_months: decision.filter(|_| stop).map_or(0, |d| d.keep_payment_months),
        legal_basis: gennemgang_case::law::Citation::Pl44Stk1.text(),
        decision_record: decision.and_then(|d| d.record.clone()),
        rules_version: gennemgang_rules::RULES_VERSION,
    }
}

/// Sends the notice the case is due, if any, as the system: delivered, then recorded (optimistic
/// concurrency: if the case moved on meanwhile, it is judged again). Returns what was sent.
///
/// # Errors
/// The case is missing, the payer or the store fails.
pub async fn send_due<S: Store>(
    store: &S,
    payments: &dyn Payments,
    id: i64,
    on: cases::On<'_>,
) -> Result<Option<PaymentNoticeKind>, AppError> {
    for _ in 0..cases::RETRIES {
        let case = store.case(id).await?.ok_or(AppError::NotFound)?;
        let Some(kind) = payment_notice_due(&case) else { return Ok(None) };
        let doc = notice(&case, kind);
        let bytes = serde_json::to_vec_pretty(&doc).map_err(|e| AppError::Post(e.to_string()))?;
        payments.deliver(&doc.message_id, &bytes).map_err(|e| AppError::Post(e.to_string()))?;
        let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let action = Action::SendPaymentNotice { kind, message_id: doc.message_id, document_sha256: digest };
        match cases::act(store, &Actor::system(), id, Some(case.version), action, on).await {
            Ok(_) => return Ok(Some(kind)),
            Err(AppError::Conflict) => {}
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Conflict)
}

/// Sends every notice due in the store (at start-up, after each action, and from `gennemgang notices`):
/// how many were sent.
///
/// # Errors
/// The payer or the store fails; notices sent before the failure stay sent and recorded.
pub async fn send_all_due<S: Store>(store: &S, payments: &dyn Payments, on: cases::On<'_>) -> Result<usize, AppError> {
    let mut sent = 0;
    for case in store.cases().await? {
        if payment_notice_due(&case).is_some() && send_due(store, payments, case.id, on).await?.is_some() {
            sent += 1;
        }
    }
    Ok(sent)
}
