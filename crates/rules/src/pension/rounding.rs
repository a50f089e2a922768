//! Named rounding rules. The sources disagree on where a pension calculation rounds (RULES.md § 1.7), so the
//! rule is a dated parameter of the rate table, and every calculation shows which one it applied.

/// Where and how a pension calculation rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// "Sociale ydelser 2009" (K10): the income basis is rounded down to whole 100 kr., and the yearly
    /// pension to the nearest amount divisible by 12, so that the monthly amount is whole kroner. The
    /// reduction is 30 % or 15 % of whole hundreds, so a yearly amount often lies exactly halfway; halves go
    /// down, as in the only published example of a half (borger.dk: 11.969,5 kr. → 11.969 kr. a month).
    K10,
    /// borger.dk's worked examples (2021-2025): the income basis is not rounded, the reduction and the
    /// yearly pension go to the nearest krone, and the monthly amount is yearly / 12 to the nearest krone
    /// with halves rounded down.
    Exact,
}

impl Rounding {
    /// The names used in rate files and on the command line.
    pub const NAMES: &'static [&'static str] = &["k10-2009", "exact"];

    /// The rule with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Rounding> {
        match name {
            "k10-2009" => Some(Rounding::K10),
            "exact" => Some(Rounding::Exact),
            _ => None,
        }
    }

    /// The name used in rate files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Rounding::K10 => "k10-2009",
            Rounding::Exact => "exact",
        }
    }

    /// One sentence in Danish saying what the rule does, for the explanation.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Rounding::K10 => {
                "Afrunding efter Sociale ydelser 2009 (K10): indtægtsgrundlaget rundes ned til hele 100 kr., \
                 årsbeløbet til nærmeste beløb deleligt med 12 (halve ned)"
            }
            Rounding::Exact => {
                "Afrunding som i borger.dk's regneeksempler: indtægtsgrundlaget afrundes ikke, nedsættelsen og \
                 årsbeløbet til nærmeste hele krone, månedsbeløbet til nærmeste krone (halve ned)"
            }
        }
    }

    /// The income basis after the rule's rounding.
    #[must_use]
    #[inline]
    pub fn income_basis(self, basis: i64) -> i64 {
        match self {
            Rounding::K10 => basis - basis.rem_euclid(100),
            Rounding::Exact => basis,
        }
    }

    /// A yearly amount `numerator / denominator` (both non-negative) rounded by the rule.
    #[must_use]
    #[inline]
    pub fn yearly(self, numerator: i64, denominator: i64) -> i64 {
        match self {
            Rounding::K10 => 12 * div_half_down(numerator, 12 * denominator),
            Rounding::Exact => div_half_up(numerator, denominator),
        }
    }

    /// The monthly amount of a yearly amount.
    #[must_use]
    #[inline]
    pub fn monthly(self, yearly: i64) -> i64 {
        match self {
            Rounding::K10 => div_half_up(yearly, 12),
            Rounding::Exact => div_half_down(yearly, 12),
        }
    }
}

/// `n / d` to the nearest integer, halves up; `n ≥ 0`, `d > 0`.
#[must_use]
#[inline]
pub fn div_half_up(n: i64, d: i64) -> i64 {
    (2 * n + d).div_euclid(2 * d)
}

/// `n / d` to the nearest integer, halves down; `n ≥ 0`, `d > 0`.
#[must_use]
#[inline]
pub fn div_half_down(n: i64, d: i64) -> i64 {
    (2 * n + d - 1).div_euclid(2 * d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_rounding_reconciles_both_borger_dk_examples() {
        // RULES.md § 1.7 oracle 2: 143.634 kr./år = "11.969 kr. om måneden" (11.969,5).
        assert_eq!(Rounding::Exact.monthly(143_634), 11_969);
        // RULES.md § 2 oracle 3: 34.904 kr./år = "2.909" kr./md (2.908,67).
        assert_eq!(Rounding::Exact.monthly(34_904), 2_909);
    }

    #[test]
    fn k10_minimum_amounts_are_a_fortieth_rounded_to_a_multiple_of_12() {
        // bm.dk 2015: 215.100 / 40 = 5.377,5 → 5.376; 182.832 / 40 = 4.570,8 → 4.572.
        assert_eq!(Rounding::K10.yearly(215_100, 40), 5_376);
        assert_eq!(Rounding::K10.yearly(182_832, 40), 4_572);
        // bm.dk 2020: 229.104 / 40 → 5.724; 194.748 / 40 → 4.872.
        assert_eq!(Rounding::K10.yearly(229_104, 40), 5_724);
        assert_eq!(Rounding::K10.yearly(194_748, 40), 4_872);
    }

    #[test]
    fn k10_rounds_the_income_basis_down_to_whole_hundreds() {
        assert_eq!(Rounding::K10.income_basis(48_026), 48_000);
        assert_eq!(Rounding::Exact.income_basis(48_026), 48_026);
    }
}
