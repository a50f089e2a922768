//! Processing deadlines on each case (RSL § 3, stk. 2): each municipality fixes and publishes how long may
//! pass before it has dealt with a case, and when that time is exceeded the citizen must be told in
//! writing when a decision can be expected. Phases 1 and 2 run on the home municipality's deadlines, phase
//! 3 on the deciding municipality's; the deadline of a phase runs from the day the case entered it, and
//! phase 1 from the start of the review.

use crate::case::{Case, Phase};
use crate::facts::Routing;
use crate::law::Citation;
use gennemgang_rules::date::danish;
use jiff::civil::{Date, date};

/// The day the municipalities start the review (the government's model, December 2025: "Kommunerne skal
/// opstarte den systematiske gennemgang fra 1. december 2026"). Phase 1 runs from it, or from a later
/// screening.
pub const REVIEW_START: Date = date(2026, 12, 1);

/// The processing deadline running on a case in its current phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessingDeadline {
    /// The phase.
    pub phase: Phase,
    /// The municipality whose deadline it is.
    pub municipality: u16,
    /// The day the phase began.
    pub since: Date,
    /// Its length in weeks.
    pub weeks: u16,
    /// The last day within it.
    pub due: Date,
    /// Whether the weeks are the built-in example, not the municipality's published deadline.
    pub example: bool,
}

impl ProcessingDeadline {
    /// Exceeded on `today`.
    #[must_use]
    pub fn overdue(&self, today: Date) -> bool {
        today > self.due
    }

    /// As the caseworker reads it: "fase 2: 26 uger fra 3. december 2026, senest 3. juni 2027".
    #[must_use]
    pub fn danish(&self) -> String {
        let phase = match self.phase {
            Phase::Review => "fase 1",
            Phase::Reopening => "fase 2",
            _ => "fase 3",
        };
        format!(
            "{phase}: {} uger fra {}, senest {}{}",
            self.weeks,
            danish(self.since),
            danish(self.due),
            if self.example { " (eksempel; kommunens egen frist er ikke indlæst)" } else { "" }
        )
    }

    /// The warning once exceeded, with what the law then requires.
    #[must_use]
    pub fn warning(&self, today: Date) -> Option<String> {
        self.overdue(today).then(|| {
            format!(
                "Sagsbehandlingsfristen er overskredet ({}); borgeren skal have skriftlig besked om, hvornår der kan forventes en afgørelse ({})",
                self.danish(),
                Citation::Rsl3Stk2
            )
        })
    }
}

/// The processing deadline of `case` in its current phase under the municipalities' published deadlines
/// (RSL § 3, stk. 2); none after the decision (the complaint's own deadlines apply) or once closed.
#[must_use]
pub fn processing_deadline(case: &Case, routing: &Routing) -> Option<ProcessingDeadline> {
    let phase = case.phase();
    let municipality = match phase {
        Phase::Review | Phase::Reopening => case.home_municipality,
        Phase::Decision => case.deciding_municipality.or_else(|| routing.deciding_for(case.home_municipality))?,
        Phase::AfterDecision | Phase::Closed => return None,
    };
    let since = match phase {
        Phase::Review => case.facts.screened_as_of.max(REVIEW_START),
        _ => case.phase_since?,
    };
    let published = routing.deadlines_of(municipality)?;
    let weeks = match phase {
        Phase::Review => published.review_weeks,
        Phase::Reopening => published.reopening_weeks,
        _ => published.decision_weeks,
    };
    let due = since.checked_add(jiff::Span::new().days(i64::from(weeks) * 7)).unwrap_or(Date::MAX);
    Some(ProcessingDeadline { phase, municipality, since, weeks, due, example: routing.placeholder })
}
