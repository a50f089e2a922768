//! Applying a criteria set to one area, in three-valued logic so that a missing value never decides silently.

use super::model::{Bound, CriteriaSet, Criterion};
use crate::tri::Tri;
use rust_decimal::Decimal;

/// One area's inputs, as the evaluation reads them.
pub trait AreaValues {
    /// Residents at the reckoning date, when known.
    fn residents(&self) -> Option<u64>;
    /// An indicator's value, when known.
    fn indicator(&self, name: &str) -> Option<Decimal>;
}

/// How one criterion came out for one area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriterionOutcome {
    /// The criterion's id.
    pub id: String,
    /// Danish label.
    pub label: String,
    /// The indicator's value.
    pub value: Option<Decimal>,
    /// The threshold it was compared with (computed for relative criteria).
    pub threshold: Option<Decimal>,
    /// Met, not met, or unknown.
    pub met: Tri,
    /// Input columns whose missing value made the outcome unknown.
    pub missing: Vec<String>,
}

/// How a criteria set came out for one area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaOutcome {
    /// Residents, when known.
    pub residents: Option<u64>,
    /// Whether the minimum number of residents is met.
    pub residents_ok: Tri,
    /// The counted criteria.
    pub criteria: Vec<CriterionOutcome>,
    /// The required conditions.
    pub required: Vec<CriterionOutcome>,
    /// How many counted criteria are known to be met.
    pub criteria_met: usize,
    /// The answer.
    pub selected: Tri,
    /// One Danish sentence naming the criteria met, or why not, or which value is missing.
    pub reason: String,
}

/// Evaluates `set` for one area.
///
/// The law's comparisons are exact: "overstiger" is `>`, "mindst" is `≥`, "mindre end" is `<`, and a
/// relative criterion compares with `factor × the other indicator` — all in decimal arithmetic, so
/// 3 × 0,97 is 2,91 and not 2,9099999. Legal basis: the set's own `legal_basis` (for the built-in sets,
/// almenboligloven §§ 61 a-61 b and the review model of December 2025).
#[must_use]
pub fn evaluate(set: &CriteriaSet, area: &impl AreaValues) -> AreaOutcome {
    let residents = area.residents();
    let residents_ok = match (set.min_residents, residents) {
        (None, _) => Tri::Yes,
        (Some(min), Some(r)) => Tri::from(r >= min),
        (Some(_), None) => Tri::Unknown,
    };
    let criteria: Vec<_> = set.criteria.iter().map(|c| evaluate_one(c, area)).collect();
    let required: Vec<_> = set.required.iter().map(|c| evaluate_one(c, area)).collect();
    let criteria_met = criteria.iter().filter(|c| c.met == Tri::Yes).count();
    let unknown = criteria.iter().filter(|c| c.met == Tri::Unknown).count();
    let count_ok = Tri::at_least(criteria_met, unknown, set.at_least);
    let required_ok = required.iter().fold(Tri::Yes, |acc, c| acc.and(c.met));
    let selected = residents_ok.and(required_ok).and(count_ok);
    let mut outcome =
        AreaOutcome { residents, residents_ok, criteria, required, criteria_met, selected, reason: String::new() };
    outcome.reason = super::reason::sentence(set, &outcome, count_ok, required_ok);
    outcome
}

fn evaluate_one(criterion: &Criterion, area: &impl AreaValues) -> CriterionOutcome {
    let value = area.indicator(&criterion.indicator);
    let mut missing = Vec::new();
    if value.is_none() {
        missing.push(criterion.indicator.clone());
    }
    let threshold = match &criterion.bound {
        Bound::Absolute(t) => Some(*t),
        Bound::Relative { indicator, factor } => {
            let base = area.indicator(indicator);
            if base.is_none() {
                missing.push(indicator.clone());
            }
            base.and_then(|b| b.checked_mul(*factor))
        }
    };
    let met = match (value, threshold) {
        (Some(v), Some(t)) => Tri::from(criterion.op.holds(v, t)),
        _ => Tri::Unknown,
    };
    CriterionOutcome {
        id: criterion.id.clone(),
        label: super::reason::label(criterion),
        value,
        threshold,
        met,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::builtin;
    use std::collections::HashMap;
    use std::str::FromStr;

    struct Area(HashMap<&'static str, &'static str>);

    impl AreaValues for Area {
        fn residents(&self) -> Option<u64> {
            self.0.get("residents").and_then(|v| v.parse().ok())
        }
        fn indicator(&self, name: &str) -> Option<Decimal> {
            self.0.get(name).and_then(|v| Decimal::from_str(v).ok())
        }
    }

    fn area(pairs: &[(&'static str, &'static str)]) -> Area {
        Area(pairs.iter().copied().collect())
    }

    /// An area that meets exactly the thresholds of the seed's list, value by value.
    fn at(no_work: &'static str, convicted: &'static str, basic: &'static str, income: &'static str) -> Area {
        area(&[
            ("residents", "1000"),
            ("share_no_work_or_education_pct", no_work),
            ("convicted_share_pct", convicted),
            ("national_convicted_share_pct", "1.45"),
            ("share_basic_education_pct", basic),
            ("income_pct_of_region", income),
        ])
    }

    /// Seed 000: "overstiger 30 pct." is strictly greater; "mindst to gange landsgennemsnittet" includes
    /// equality; "overstiger 60 pct."; "mindre end 65 pct." is strictly less.
    #[test]
    fn review_2025_thresholds_follow_the_wording() {
        let set = builtin("review-2025").expect("built in");
        let sel = |a: &Area| evaluate(&set, a).selected;
        // Exactly on every threshold: only the "mindst" criterion (2 × 1,45 = 2,90) holds.
        let on = evaluate(&set, &at("30", "2.90", "60", "65"));
        assert_eq!(on.criteria.iter().map(|c| c.met).collect::<Vec<_>>(), [Tri::No, Tri::Yes, Tri::No, Tri::No]);
        assert_eq!(on.selected, Tri::No);
        assert_eq!(sel(&at("30.01", "2.90", "60", "65")), Tri::Yes);
        assert_eq!(sel(&at("30", "2.89", "60.01", "65")), Tri::No);
        assert_eq!(sel(&at("30", "2.89", "60.01", "64.99")), Tri::Yes);
        assert_eq!(sel(&at("30", "2.90", "60", "64.99")), Tri::Yes);
    }

    #[test]
    fn residents_threshold_is_at_least() {
        let set = builtin("review-2025").expect("built in");
        let mut a = at("40", "5", "70", "50");
        assert_eq!(evaluate(&set, &a).selected, Tri::Yes);
        a.0.insert("residents", "999");
        let out = evaluate(&set, &a);
        assert_eq!(out.selected, Tri::No);
        assert!(out.reason.contains("999 beboere"), "{}", out.reason);
    }

    /// Relative thresholds are exact decimals: 3 × 0,97 = 2,91.
    #[test]
    fn relative_threshold_is_exact() {
        let set = builtin("vulnerable-2018").expect("built in");
        let mut a = at("41", "2.91", "0", "100");
        a.0.insert("national_convicted_share_pct", "0.97");
        let out = evaluate(&set, &a);
        assert_eq!(out.criteria[1].threshold, Some(Decimal::from_str("2.91").expect("decimal")));
        assert_eq!(out.criteria[1].met, Tri::Yes);
        assert_eq!(out.selected, Tri::Yes);
    }

    #[test]
    fn unknown_only_decides_when_it_matters() {
        let set = builtin("review-2025").expect("built in");
        // Two met already: a missing third value cannot change the answer.
        let mut a = at("40", "5", "70", "50");
        a.0.remove("income_pct_of_region");
        let out = evaluate(&set, &a);
        assert_eq!(out.selected, Tri::Yes);
        // One met, one unknown, two not met: the missing value decides.
        let mut b = at("40", "1", "10", "90");
        b.0.remove("convicted_share_pct");
        let out = evaluate(&set, &b);
        assert_eq!(out.selected, Tri::Unknown);
        assert!(out.reason.contains("convicted_share_pct"), "{}", out.reason);
        // The national share missing makes the relative criterion unknown too.
        let mut c = at("40", "5", "10", "90");
        c.0.remove("national_convicted_share_pct");
        let out = evaluate(&set, &c);
        assert_eq!(out.selected, Tri::Unknown);
        assert!(out.reason.contains("national_convicted_share_pct"), "{}", out.reason);
        // Nothing known and residents missing: unknown, not rejected.
        let out = evaluate(&set, &area(&[]));
        assert_eq!(out.selected, Tri::Unknown);
        // Too few residents decides even with everything else missing.
        let out = evaluate(&set, &area(&[("residents", "500")]));
        assert_eq!(out.selected, Tri::No);
    }

    /// § 61 b: the non-western condition is required besides two of four.
    #[test]
    fn prevention_requires_non_western_share() {
        let set = builtin("prevention-2021").expect("built in");
        let mut a = at("40", "5", "10", "90");
        a.0.insert("share_non_western_pct", "30");
        assert_eq!(evaluate(&set, &a).selected, Tri::No);
        a.0.insert("share_non_western_pct", "30.1");
        assert_eq!(evaluate(&set, &a).selected, Tri::Yes);
        a.0.remove("share_non_western_pct");
        assert_eq!(evaluate(&set, &a).selected, Tri::Unknown);
    }

    #[test]
    fn reasons_are_danish_and_name_values() {
        let set = builtin("review-2025").expect("built in");
        let out = evaluate(&set, &at("34.2", "3.1", "10", "90"));
        assert_eq!(out.selected, Tri::Yes);
        assert!(out.reason.starts_with("Udvalgt"), "{}", out.reason);
        assert!(out.reason.contains("34,2 %"), "{}", out.reason);
        assert!(out.reason.contains("2 af 4"), "{}", out.reason);
        let out = evaluate(&set, &at("34.2", "1", "10", "90"));
        assert!(out.reason.starts_with("Ikke udvalgt"), "{}", out.reason);
    }
}
