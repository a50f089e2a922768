//! The bars the law sets on a revocation, and the decision record that lets a decision be replayed.

use crate::action::HearingException;
use crate::facts::{AwardLaw, SchemeCode};
use crate::law::Citation;
use gennemgang_rules::review::ReviewParams;
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

/// A reason a revocation is not allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bar {
    /// Pre-2003 pensions cannot be revoked (GFPL § 44, stk. 1): awarded under the earlier rules, or before
    /// 1 January 2003 whatever the register's scheme code says (the review covers later awards only).
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
    pub fn danish(self) -> String {
        let (what, law) = match self {
            Bar::LegacyPension => (
                "Pensionen er tilkendt før 1. januar 2003 efter de tidligere regler og kan ikke frakendes",
                Citation::Gfpl44,
            ),
            Bar::Aged60 => ("Borgeren er fyldt 60 år; pensionen kan ikke frakendes derefter", Citation::Pl44Stk3),
            Bar::ProtectedVeteran => ("Borgeren er tidligere udsendt med en omfattet diagnose", Citation::Pl44Stk5),
            Bar::ProtectionPeriod2023To2025 => (
                "Der træffes ikke afgørelse om frakendelse i perioden 1. januar 2023 - 31. december 2025",
                Citation::Pl44Stk4,
            ),
            Bar::HearingMissing => (
                "Borgeren er ikke partshørt efter de seneste oplysninger, afgørelsen kan bygge på, og der er ikke registreret en undtagelse",
                Citation::Fvl19,
            ),
            Bar::NoReopeningGround => {
                ("Sagen har ingen skriftlig, konkret og saglig anledning til genåbning", Citation::Model)
            }
        };
        format!("{what} ({law})")
    }
}

/// How the citizen has been heard on the information a decision may rest on (FVL § 19).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "heard", rename_all = "snake_case")]
pub enum HearingBasis {
    /// A hearing was completed (answered or its period run out) after the last information was recorded.
    Current,
    /// No such hearing, but the approver recorded an exception of FVL § 19, stk. 2 after the last
    /// information.
    Exception {
        /// Which.
        exception: HearingException,
    },
    /// Neither.
    Missing,
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
    /// How the citizen was heard.
    pub hearing: HearingBasis,
    /// A reopening ground is on the case.
    pub reopening_ground: bool,
}

/// Every bar on revoking, in the order the law lists them: GFPL § 44; PL § 44, stk. 3 ("efter det fyldte
/// 60. år"), stk. 4 (1 January 2023 - 31 December 2025) and stk. 5 (veterans); FVL § 19 (a current hearing
/// or a recorded exception of stk. 2); the model's requirement of a written reopening ground. Empty means
/// revocation is allowed on `inputs.decided_on`.
#[must_use]
pub fn revocation_bars(inputs: &GuardInputs) -> Vec<Bar> {
    let mut bars = Vec::new();
    // The review covers pensions awarded from 1 January 2003 (the model); an earlier award under a "pl" code
    // (a register error, or a pension moved to today's rules at the citizen's request in 2013, GFPL § 44,
    // stk. 5) is outside it and is not revoked here.
    if inputs.scheme == SchemeCode::Gfpl || inputs.awarded_on < date(2003, 1, 1) {
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
    // A revocation is by nature to the citizen's disadvantage and rests on the case's information, so a
    // current hearing (or a recorded exception) is always required (FVL § 19; fornyet partshøring).
    if inputs.hearing == HearingBasis::Missing {
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
    /// The legal basis the decision rests on (absent in decisions recorded before it was a parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<BasisRecord>,
}

/// The legal basis of a decision as recorded: the review's one parameter at the time of the decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BasisRecord {
    /// The parameter's id.
    pub id: String,
    /// The citation ("lov om social pension § 44, stk. 1").
    pub citation: String,
    /// The test, in the letter's words.
    pub test: String,
    /// Whether a verified source confirmed it at the decision.
    pub confirmed: bool,
}

impl BasisRecord {
    /// The parameter as recorded.
    #[must_use]
    pub fn of(params: &ReviewParams) -> BasisRecord {
        let b = &params.revocation_basis;
        BasisRecord {
            id: b.id.clone(),
            citation: b.citation(),
            test: b.test.clone(),
            confirmed: b.standing.is_confirmed(),
        }
    }
}

impl DecisionRecord {
    /// Records a decision under today's rules and the review's parameters.
    #[must_use]
    pub fn new(inputs: GuardInputs, params: &ReviewParams) -> DecisionRecord {
        DecisionRecord {
            rules_version: gennemgang_rules::RULES_VERSION.to_owned(),
            award_law: AwardLaw::at_award(inputs.scheme.scheme(), inputs.awarded_on),
            bars: revocation_bars(&inputs),
            basis: Some(BasisRecord::of(params)),
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

/// Recomputes a decision's law, legal basis and bars from its stored inputs with today's rules and
/// parameters, so a decision can be replayed.
#[must_use]
pub fn replay(record: &DecisionRecord, params: &ReviewParams) -> Replay {
    let now = DecisionRecord::new(record.inputs.clone(), params);
    let mut differences = Vec::new();
    if now.basis != record.basis {
        let cite = |b: &Option<BasisRecord>| b.as_ref().map_or("ikke registreret".to_owned(), |b| b.citation.clone());
        differences.push(format!("Hjemlen var {}, i dag er den {}", cite(&record.basis), cite(&now.basis)));
    }
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
            hearing: HearingBasis::Current,
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
        // FVL § 19: no current hearing and no exception of stk. 2 — whatever anyone ticks.
        assert_eq!(
            revocation_bars(&GuardInputs { hearing: HearingBasis::Missing, ..inputs() }),
            vec![Bar::HearingMissing]
        );
        let excepted = HearingBasis::Exception { exception: HearingException::Nr2 };
        assert!(revocation_bars(&GuardInputs { hearing: excepted, ..inputs() }).is_empty());
    }

    #[test]
    fn replay_shows_no_difference_under_the_same_rules_and_names_a_changed_record() {
        let params = ReviewParams::builtin();
        let record = DecisionRecord::new(inputs(), params);
        assert!(replay(&record, params).differences.is_empty());
        let mut tampered = record.clone();
        tampered.award_law = AwardLaw::Pl2003;
        tampered.bars.push(Bar::Aged60);
        let r = replay(&tampered, params);
        assert_eq!(r.differences.len(), 2, "{:?}", r.differences);
        // A decision recorded before the basis was a parameter says so on replay.
        let legacy = DecisionRecord { basis: None, ..record };
        assert_eq!(replay(&legacy, params).differences.len(), 1);
    }
}
