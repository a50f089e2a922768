//! What a case waits on (issue 17.5): the citizen's consent after the reopening letter (RSL § 11 a, stk. 1),
//! the health information or work trial the caseworker asked for, and the hearing's answer (FVL § 19). Each
//! wait runs from the day it began to a due day: the hearing's own answer date, or the municipality's
//! working deadline for the rest (dated parameters, `gennemgang_rules::review::WaitParams`, which are
//! practice, not law).

use crate::action::Awaited;
use crate::case::{Case, Hearing, Phase, State};
use gennemgang_rules::review::WaitParams;
use jiff::ToSpan;
use jiff::civil::Date;

/// What a case waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitKind {
    /// The citizen's consent to obtain health information.
    Consent,
    /// Health information asked for.
    HealthInformation,
    /// A work trial asked for.
    WorkTrial,
    /// The citizen's answer in the hearing.
    HearingAnswer,
}

impl WaitKind {
    /// As the worklist says it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            WaitKind::Consent => "samtykke",
            WaitKind::HealthInformation => "helbredsoplysninger",
            WaitKind::WorkTrial => "arbejdsprøvning",
            WaitKind::HearingAnswer => "svar i partshøringen",
        }
    }
}

/// One wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    /// On what.
    pub kind: WaitKind,
    /// The day it began.
    pub since: Date,
    /// The day it is due.
    pub due: Date,
    /// Whether the due day is the law's (the hearing's answer date) rather than a working deadline.
    pub legal: bool,
}

impl Wait {
    /// Days waited by `today` (0 on the first day).
    #[must_use]
    pub fn days_waited(&self, today: Date) -> i32 {
        self.since.until(today).map_or(0, |s| s.get_days()).max(0)
    }

    /// Past its due day on `today`.
    #[must_use]
    pub fn overdue(&self, today: Date) -> bool {
        today > self.due
    }
}

fn after(day: Date, days: u16) -> Date {
    day.checked_add(i64::from(days).days()).unwrap_or(day)
}

/// The waits running on a case, earliest due first.
#[must_use]
pub fn waits(case: &Case, params: &WaitParams) -> Vec<Wait> {
    let mut out = Vec::new();
    if let Hearing::Pending { sent_on, answer_by, .. } = case.hearing {
        out.push(Wait { kind: WaitKind::HearingAnswer, since: sent_on, due: answer_by, legal: true });
    }
    if case.phase() == Phase::Reopening {
        if let (State::Reopened, Some(notified), None) = (case.state, case.notified_on, case.consent) {
            let due = after(notified, params.consent_days);
            out.push(Wait { kind: WaitKind::Consent, since: notified, due, legal: false });
        }
        for r in case.requests.iter().filter(|r| r.answered_on.is_none()) {
            let (kind, days) = match r.awaited {
                Awaited::HealthInformation => (WaitKind::HealthInformation, params.health_information_days),
                Awaited::WorkTrial => (WaitKind::WorkTrial, params.work_trial_days),
            };
            out.push(Wait { kind, since: r.requested_on, due: after(r.requested_on, days), legal: false });
        }
    }
    out.sort_by_key(|w| (w.due, w.since));
    out
}
