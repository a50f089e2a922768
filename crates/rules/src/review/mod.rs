//! Parameters of the review itself that the sources leave open: the legal basis of a revocation, the time
//! from which it takes effect, the shortest hearing answer period, and whether the rehabilitation team
//! must see every reopened case. Each is dated, sourced and marked
//! with its standing, so a deployment can correct it with a file of the same shape and the approver sees
//! what is unconfirmed. The built-in values are in `builtin.toml` beside this file.

use crate::date::add_months;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The built-in parameters.
pub const BUILTIN: &str = include_str!("builtin.toml");

/// How far a parameter is confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Read in the law itself.
    Verified,
    /// Derived from the law by an argument.
    Derived,
    /// Not confirmed by a source.
    Unverified,
    /// One reading of an open text.
    Reading,
    /// Usual practice, not law.
    Practice,
}

impl Standing {
    /// Danish, for the approver.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Standing::Verified => "bekræftet",
            Standing::Derived => "udledt",
            Standing::Unverified => "ikke bekræftet",
            Standing::Reading => "fortolkning",
            Standing::Practice => "praksis, ikke lov",
        }
    }

    /// Whether the approver must be told it is unconfirmed.
    #[must_use]
    pub fn is_confirmed(self) -> bool {
        self == Standing::Verified
    }
}

/// The one legal basis a revocation in the review rests on: the statute, its section and the test it sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationBasis {
    /// Stable id, recorded with each decision.
    pub id: String,
    /// From when the entry applies.
    pub valid_from: Date,
    /// The statute, as a citizen reads it ("lov om social pension").
    pub statute: String,
    /// The section ("§ 44, stk. 1").
    pub section: String,
    /// The test, in the words the letter uses.
    pub test: String,
    /// Where it comes from.
    pub source: String,
    /// How far it is confirmed.
    pub standing: Standing,
    /// Why, in Danish, for the approver (never for the citizen).
    pub note: String,
}

impl RevocationBasis {
    /// The citation as the letter states it: "lov om social pension § 44, stk. 1".
    #[must_use]
    pub fn citation(&self) -> String {
        format!("{} {}", self.statute, self.section)
    }
}

/// The rule for the day a revocation takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectRule {
    /// The first day of the month after the decision reached the citizen.
    FirstOfMonthAfterNotification,
    /// The day after the decision reached the citizen.
    DayAfterNotification,
}

/// When a revocation takes effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationEffect {
    /// From when the entry applies.
    pub valid_from: Date,
    /// The rule.
    pub rule: EffectRule,
    /// Legal basis.
    pub legal_basis: String,
    /// Source.
    pub source: String,
    /// Standing.
    pub standing: Standing,
    /// Danish note for the approver.
    pub note: String,
}

impl RevocationEffect {
    /// The day a revocation takes effect when the decision reached the citizen on `notified_on`; never
    /// before it (PL § 44, stk. 1, 2. pkt.: the pension is kept "i op til 3 måneder efter det tidspunkt,
    /// fra hvilket frakendelse kan ske", and a decision binds the citizen only once it has reached them).
    #[must_use]
    pub fn effective_from(&self, notified_on: Date) -> Date {
        match self.rule {
            EffectRule::FirstOfMonthAfterNotification => add_months(notified_on.first_of_month(), 1),
            EffectRule::DayAfterNotification => notified_on.tomorrow().unwrap_or(notified_on),
        }
    }

    /// The last day the pension is paid when it is kept `months` months after `effective_from`
    /// (PL § 44, stk. 1, 2. pkt.: up to three months); the day before `effective_from` for none.
    #[must_use]
    pub fn last_paid_day(effective_from: Date, months: u8) -> Date {
        let end = add_months(effective_from, i32::from(months));
        end.yesterday().unwrap_or(end)
    }
}

/// The hearing's shortest answer period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HearingParams {
    /// From when the entry applies.
    pub valid_from: Date,
    /// Days.
    pub min_answer_days: u16,
    /// Legal basis.
    pub legal_basis: String,
    /// Source.
    pub source: String,
    /// Standing.
    pub standing: Standing,
    /// Danish note.
    pub note: String,
}

/// Whether every reopened case must be presented to the home municipality's rehabilitation team before
/// it goes on. A municipality that presents its cases to the team is configured as doing so; this says
/// whether the review requires it of all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamParams {
    /// From when the entry applies.
    pub valid_from: Date,
    /// Required in every municipality.
    pub required: bool,
    /// Legal basis.
    pub legal_basis: String,
    /// Source.
    pub source: String,
    /// Standing.
    pub standing: Standing,
    /// Danish note.
    pub note: String,
}

/// How long a case waits, by default, on what the caseworker asked for before the wait counts as overdue
/// in the worklist: the citizen's consent after the reopening letter, health information from a doctor or
/// hospital, a work trial. These are the municipality's own working deadlines, not the law's (the citizen's
/// duty to take part is RSL § 11 c; the hearing's answer date is the hearing's own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitParams {
    /// From when the entry applies.
    pub valid_from: Date,
    /// Days from the reopening letter to the consent.
    pub consent_days: u16,
    /// Days from the request to the health information.
    pub health_information_days: u16,
    /// Days from the request to the work trial's result.
    pub work_trial_days: u16,
    /// Legal basis.
    pub legal_basis: String,
    /// Source.
    pub source: String,
    /// Standing.
    pub standing: Standing,
    /// Danish note.
    pub note: String,
}

impl Default for WaitParams {
    /// The built-in entry, for a parameter file written before waits were a parameter.
    fn default() -> WaitParams {
        ReviewParams::builtin().waits.clone()
    }
}

/// A party's access to their own case (aktindsigt, FVL §§ 9-18): how many working days the answer may take,
/// and the legal basis of each reason to withhold an item. The current wording of FVL § 16 was not verified
/// (only a municipality's summary and an older text were), so this is a dated, sourced parameter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessParams {
    /// From when the entry applies.
    pub valid_from: Date,
    /// Working days from the request to the answer.
    pub answer_working_days: u16,
    /// Legal basis of the deadline.
    pub legal_basis: String,
    /// Withholding an internal working document.
    pub internal_document_basis: String,
    /// Withholding information about other people.
    pub third_party_basis: String,
    /// Source.
    pub source: String,
    /// Standing.
    pub standing: Standing,
    /// Danish note.
    pub note: String,
}

impl Default for AccessParams {
    /// The built-in entry, for a parameter file written before it was a parameter.
    fn default() -> AccessParams {
        ReviewParams::builtin().access.clone()
    }
}

/// All parameters of the review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewParams {
    /// The legal basis of a revocation.
    pub revocation_basis: RevocationBasis,
    /// When a revocation takes effect.
    pub revocation_effect: RevocationEffect,
    /// The hearing.
    pub hearing: HearingParams,
    /// Presentation to the rehabilitation team.
    pub rehabilitation_team: TeamParams,
    /// The default waits (absent from older files: the built-in ones).
    #[serde(default)]
    pub waits: WaitParams,
    /// Aktindsigt (absent from older files: the built-in entry).
    #[serde(default)]
    pub access: AccessParams,
}

/// A parameter file that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{origin}: {message}")]
pub struct ReviewParamsError {
    /// The file.
    pub origin: String,
    /// What is wrong (line and field from the TOML parser).
    pub message: String,
}

impl ReviewParams {
    /// The built-in parameters.
    ///
    /// # Panics
    /// Never in a released build: the built-in file is checked by a test.
    #[must_use]
    pub fn builtin() -> &'static ReviewParams {
        static PARAMS: OnceLock<ReviewParams> = OnceLock::new();
        PARAMS.get_or_init(|| {
            #[expect(clippy::expect_used, reason = "the built-in file is validated by the test suite")]
            ReviewParams::parse(BUILTIN, "built-in review.toml").expect("built-in review.toml is valid")
        })
    }

    /// Parses a parameter file of the built-in shape.
    ///
    /// # Errors
    /// Not TOML, not the shape, or an answer period under one day; the message names file, line and field.
    pub fn parse(text: &str, origin: &str) -> Result<ReviewParams, ReviewParamsError> {
        let params: ReviewParams = toml::from_str(text)
            .map_err(|e| ReviewParamsError { origin: origin.to_owned(), message: e.to_string().replace('\n', " ") })?;
        let w = &params.waits;
        if [w.consent_days, w.health_information_days, w.work_trial_days].contains(&0) {
            return Err(ReviewParamsError {
                origin: origin.to_owned(),
                message: "waits: every wait must be at least 1 day".into(),
            });
        }
        if params.hearing.min_answer_days == 0 {
            return Err(ReviewParamsError {
                origin: origin.to_owned(),
                message: "hearing.min_answer_days must be at least 1".into(),
            });
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_builtin_parameters_parse_and_say_what_is_unconfirmed() {
        let p = ReviewParams::builtin();
        assert_eq!(p.revocation_basis.citation(), "lov om social pension § 44, stk. 1");
        assert!(!p.revocation_basis.standing.is_confirmed());
        assert_eq!(p.revocation_effect.standing, Standing::Reading);
        // FVL § 19 sets no length; the usual 14 days are practice.
        assert_eq!((p.hearing.min_answer_days, p.hearing.standing), (14, Standing::Practice));
        // Neither the model nor PL § 44 requires the team in a revocation: unconfirmed, not required of all.
        assert_eq!((p.rehabilitation_team.required, p.rehabilitation_team.standing), (false, Standing::Unverified));
        // The waits are the municipality's working deadlines, not the law's.
        assert_eq!(
            (p.waits.consent_days, p.waits.health_information_days, p.waits.standing),
            (14, 28, Standing::Practice)
        );
        for text in [
            &p.revocation_basis.note,
            &p.revocation_effect.note,
            &p.hearing.note,
            &p.rehabilitation_team.note,
            &p.waits.note,
        ] {
            assert!(!text.contains(".md") && !text.to_lowercase().contains("seed"), "{text}");
        }
    }

    #[test]
    fn a_revocation_never_takes_effect_before_it_reached_the_citizen() {
        let e = &ReviewParams::builtin().revocation_effect;
        // Received 28 December 2026: in force from 1 January 2027.
        assert_eq!(e.effective_from(date(2026, 12, 28)), date(2027, 1, 1));
        // Received on the first of a month: still the month after, never the same day.
        assert_eq!(e.effective_from(date(2027, 2, 1)), date(2027, 3, 1));
        let next_day = RevocationEffect { rule: EffectRule::DayAfterNotification, ..e.clone() };
        assert_eq!(next_day.effective_from(date(2027, 2, 28)), date(2027, 3, 1));
        // PL § 44, stk. 1, 2. pkt.: kept three months after 1 January 2027 → paid to 31 March 2027.
        assert_eq!(RevocationEffect::last_paid_day(date(2027, 1, 1), 3), date(2027, 3, 31));
        assert_eq!(RevocationEffect::last_paid_day(date(2027, 1, 1), 0), date(2026, 12, 31));
    }

    #[test]
    fn a_wrong_file_names_the_field() {
        let bad = BUILTIN.replace("min_answer_days = 14", "min_answer_days = \"fjorten\"");
        let e = ReviewParams::parse(&bad, "review.toml").expect_err("bad type");
        assert!(e.to_string().starts_with("review.toml:") && e.message.contains("min_answer_days"), "{e}");
        let zero = BUILTIN.replace("min_answer_days = 14", "min_answer_days = 0");
        assert!(ReviewParams::parse(&zero, "review.toml").is_err());
    }
}
