//! The bars the law sets on a revocation, and the decision record that lets a decision be replayed.

use crate::facts::{AwardLaw, SchemeCode};
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

/// A reason a revocation is not allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bar {
    /// Pre-2003 pensions cannot be revoked (GFPL § 44, stk. 1).
    LegacyPension,
    /// 60 or older on the decision date (PL § 44, stk. 3).
    Aged60,
    /// A deployed veteran with a covered diagnosis (PL § 44, stk. 5).
    ProtectedVeteran,
    /// No revocations 1 January 2023 - 31 December 2025 (PL § 44, stk. 4).
    ProtectionPeriod2023To2025,
    /// Adverse information is used and the hearing is not completed (FVL § 19).
    HearingMissing,
    /// The case has no written ground for reopening (model dec. 2025).
    NoReopeningGround,
}

impl Bar {
    /// Danish text with the legal basis, as the caseworker reads it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Bar::LegacyPension => {
                "Pensionen er tilkendt efter reglerne før 2003 og kan ikke frakendes (GFPL § 44, stk. 1)"
            }
            Bar::Aged60 => {
                "Borgeren er fyldt 60 år på afgørelsesdatoen; pensionen kan ikke frakendes (PL § 44, stk. 3)"
            }
            Bar::ProtectedVeteran => "Borgeren er tidligere udsendt med en omfattet diagnose (PL § 44, stk. 5)",
            Bar::ProtectionPeriod2023To2025 => {
                "Der træffes ikke afgørelse om frakendelse i perioden 1. januar 2023 - 31. december 2025 (PL § 44, stk. 4)"
            }
            Bar::HearingMissing => {
                "Afgørelsen bygger på oplysninger til skade for borgeren, som borgeren ikke er partshørt om (FVL § 19)"
            }
            Bar::NoReopeningGround => {
                "Sagen har ingen skriftlig, konkret og saglig anledning til genåbning (model dec. 2025)"
            }
        }
    }
}

/// Everything the revocation guards look at, stored with the decision so that it can be replayed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardInputs {
    /// Scheme.
    pub scheme: SchemeCode,
    /// Birth date.
    pub birth_date: Date,
    /// Award date.
    pub awarded_on: Date,
    /// Decision date.
    pub decided_on: Date,
    /// Protected veteran.
    pub protected_veteran: bool,
    /// Adverse information used.
    pub uses_adverse_information: bool,
    /// The hearing is completed.
    pub hearing_completed: bool,
    /// A reopening ground is on the case.
    pub reopening_ground: bool,
}

/// Every bar on revoking, in the order the law lists them: GFPL § 44, stk. 1; PL § 44, stk. 3, 4 and 5;
/// FVL § 19; the model's requirement of a reopening ground. Empty means revocation is allowed.
#[must_use]
pub fn revocation_bars(inputs: &GuardInputs) -> Vec<Bar> {
    let mut bars = Vec::new();
    if inputs.scheme == SchemeCode::Gfpl {
        bars.push(Bar::LegacyPension);
    }
    if gennemgang_rules::date::age_on(inputs.birth_date, inputs.decided_on) >= 60 {
        bars.push(Bar::Aged60);
    }
    if (date(2023, 1, 1)..=date(2025, 12, 31)).contains(&inputs.decided_on) {
        bars.push(Bar::ProtectionPeriod2023To2025);
    }
    if inputs.protected_veteran {
        bars.push(Bar::ProtectedVeteran);
    }
    if inputs.uses_adverse_information && !inputs.hearing_completed {
        bars.push(Bar::HearingMissing);
    }
    if !inputs.reopening_ground {
        bars.push(Bar::NoReopeningGround);
    }
    bars
}

/// What a decision was computed from and under which rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRecord {
    /// `gennemgang_rules::RULES_VERSION` at the decision.
    pub rules_version: String,
    /// The law the decision applied (the law at the award).
    pub award_law: AwardLaw,
    /// The guards' inputs.
    pub inputs: GuardInputs,
    /// The bars found (empty for a revocation).
    pub bars: Vec<Bar>,
}

impl DecisionRecord {
    /// Records a decision under today's rules.
    #[must_use]
    pub fn new(inputs: GuardInputs) -> DecisionRecord {
        DecisionRecord {
            rules_version: gennemgang_rules::RULES_VERSION.to_owned(),
            award_law: AwardLaw::at_award(inputs.scheme.scheme(), inputs.awarded_on),
            bars: revocation_bars(&inputs),
            inputs,
        }
    }
}

/// The outcome of replaying a decision under today's rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replay {
    /// Rules version of the decision.
    pub recorded_rules_version: String,
    /// Rules version today.
    pub current_rules_version: String,
    /// Differences, in Danish; empty when today's rules give the same result.
    pub differences: Vec<String>,
}

/// Recomputes a decision's law and bars from its stored inputs with today's rules (ARCHITECTURE.md
/// principle 3: a decision can be replayed).
#[must_use]
pub fn replay(record: &DecisionRecord) -> Replay {
    let now = DecisionRecord::new(record.inputs.clone());
    let mut differences = Vec::new();
    if now.award_law != record.award_law {
        differences.push(format!(
            "Lovgrundlaget var {}, i dag giver reglerne {}",
            record.award_law.danish(),
            now.award_law.danish()
        ));
    }
    for bar in &now.bars {
        if !record.bars.contains(bar) {
            differences.push(format!("Ny hindring i dag: {}", bar.danish()));
        }
    }
    for bar in &record.bars {
        if !now.bars.contains(bar) {
            differences.push(format!("Hindring, der ikke længere gælder: {}", bar.danish()));
        }
    }
    Replay {
        recorded_rules_version: record.rules_version.clone(),
        current_rules_version: now.rules_version,
        differences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> GuardInputs {
        GuardInputs {
            scheme: SchemeCode::Pl,
            birth_date: date(1980, 6, 15),
            awarded_on: date(2015, 1, 1),
            decided_on: date(2027, 3, 1),
            protected_veteran: false,
            uses_adverse_information: true,
            hearing_completed: true,
            reopening_ground: true,
        }
    }

    #[test]
    fn a_clean_case_has_no_bars() {
        assert!(revocation_bars(&inputs()).is_empty());
    }

    #[test]
    fn each_bar_in_the_laws_words() {
        // GFPL § 44, stk. 1: "kan ikke frakendes".
        assert_eq!(revocation_bars(&GuardInputs { scheme: SchemeCode::Gfpl, ..inputs() }), vec![Bar::LegacyPension]);
        // PL § 44, stk. 3: "efter det fyldte 60. år" — on the 60th birthday itself the bar applies.
        assert_eq!(revocation_bars(&GuardInputs { decided_on: date(2040, 6, 15), ..inputs() }), vec![Bar::Aged60]);
        assert!(revocation_bars(&GuardInputs { decided_on: date(2040, 6, 14), ..inputs() }).is_empty());
        // PL § 44, stk. 5.
        assert_eq!(revocation_bars(&GuardInputs { protected_veteran: true, ..inputs() }), vec![Bar::ProtectedVeteran]);
        // PL § 44, stk. 4: 2023-2025.
        assert_eq!(
            revocation_bars(&GuardInputs { decided_on: date(2025, 12, 31), ..inputs() }),
            vec![Bar::ProtectionPeriod2023To2025]
        );
        // FVL § 19.
        assert_eq!(revocation_bars(&GuardInputs { hearing_completed: false, ..inputs() }), vec![Bar::HearingMissing]);
        assert!(
            revocation_bars(&GuardInputs { hearing_completed: false, uses_adverse_information: false, ..inputs() })
                .is_empty()
        );
    }

    #[test]
    fn replay_shows_no_difference_under_the_same_rules_and_names_a_changed_record() {
        let record = DecisionRecord::new(inputs());
        assert!(replay(&record).differences.is_empty());
        let mut tampered = record.clone();
        tampered.award_law = AwardLaw::Pl2003;
        tampered.bars.push(Bar::Aged60);
        let r = replay(&tampered);
        assert_eq!(r.differences.len(), 2, "{:?}", r.differences);
    }
}
