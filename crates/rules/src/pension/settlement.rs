//! Efterregulering: once a year Udbetaling Danmark recomputes the pension on the income actually earned
//! (from the tax assessment) and settles the difference against what was paid (seed 004).

use super::{Step, kr};
use serde::Serialize;

/// The settlement of one year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Settlement {
    /// The pension that was due on the actual income, kroner.
    pub due: i64,
    /// What was paid during the year, kroner.
    pub paid: i64,
    /// `due − paid`: positive is paid out to the citizen, negative is paid back.
    pub difference: i64,
    /// The outcome in words.
    pub outcome: Outcome,
}

/// The three outcomes seed 004 names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// "Du har fået den pension, du har ret til."
    Balanced,
    /// "Du har fået for meget i pension, og du skal betale penge tilbage."
    Repay,
    /// "Du har fået for lidt i pension, og du skal have penge tilbage."
    Payout,
}

/// Settles a year: the pension due on the actual income (computed by the caller with the year's rules)
/// against what was paid. Efterregulering after the year's tax assessment (PL § 37 a as described by
/// Udbetaling Danmark on the municipality's page, seed 004; the section number is not verified in
/// RULES.md).
#[must_use]
pub fn settle(due: i64, paid: i64) -> Settlement {
    let difference = due - paid;
    let outcome = match difference.signum() {
        0 => Outcome::Balanced,
        1 => Outcome::Payout,
        _ => Outcome::Repay,
    };
    Settlement { due, paid, difference, outcome }
}

impl Settlement {
    /// The settlement as explanation steps, in Danish.
    #[must_use]
    pub fn steps(&self) -> Vec<Step> {
        let basis = "Efterregulering (lov om social pension § 37 a)";
        let last = match self.outcome {
            Outcome::Balanced => Step::amount("Du har fået den pension, du har ret til", 0, basis),
            Outcome::Payout => Step::amount(
                format!("Du har fået for lidt i pension og får {} udbetalt", kr(self.difference)),
                self.difference,
                basis,
            ),
            Outcome::Repay => Step::amount(
                format!("Du har fået for meget i pension og skal betale {} tilbage", kr(-self.difference)),
                self.difference,
                basis,
            ),
        };
        vec![
            Step::amount("Pension, du havde ret til efter den faktiske indtægt", self.due, basis),
            Step::amount("Udbetalt i årets løb", self.paid, basis),
            last,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_outcomes_of_seed_004() {
        assert_eq!(settle(200_848, 200_848).outcome, Outcome::Balanced);
        let repay = settle(200_848, 215_256);
        assert_eq!((repay.outcome, repay.difference), (Outcome::Repay, -14_408));
        assert!(repay.steps()[2].label.contains("14.408 kr. tilbage"));
        let payout = settle(215_256, 200_848);
        assert_eq!((payout.outcome, payout.difference), (Outcome::Payout, 14_408));
    }
}
