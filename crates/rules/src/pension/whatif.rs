//! What-if: the same population under two rate tables, for analysts weighing a change of rates.

use super::Quiet;
use super::fraction::Fraction;
use super::pl::{self, Facts, Household};
use super::rates::{RatesError, YearRates};

/// The totals of a what-if.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WhatIf {
    /// Pensioners computed.
    pub count: usize,
    /// Yearly total under the base rates, kroner.
    pub total_base: i64,
    /// Yearly total under the alternative rates, kroner.
    pub total_alternative: i64,
    /// Pensioners whose pension rises.
    pub rising: usize,
    /// Pensioners whose pension falls.
    pub falling: usize,
}

/// Computes every pensioner under both years' rates (PL §§ 32 a-32 c, § 49, as [`pl::compute`]).
///
/// # Errors
/// Either table lacks a rate some household in the population needs.
pub fn what_if(base: &YearRates<'_>, alternative: &YearRates<'_>, population: &[Facts]) -> Result<WhatIf, RatesError> {
    for household in [
        Household::Single,
        Household::Cohabiting { partner_is_pensioner: true },
        Household::Cohabiting { partner_is_pensioner: false },
    ] {
        if population.iter().any(|f| f.household == household) {
            let (items, rules) = pl::required(household);
            base.require(items, rules)?;
            alternative.require(items, rules)?;
        }
    }
    let mut out = WhatIf { count: population.len(), ..WhatIf::default() };
    for facts in population {
        let a = pl::compute(base, facts, &mut Quiet)?.yearly;
        let b = pl::compute(alternative, facts, &mut Quiet)?.yearly;
        out.total_base += a;
        out.total_alternative += b;
        out.rising += usize::from(b > a);
        out.falling += usize::from(b < a);
    }
    Ok(out)
}

/// A deterministic synthetic population of `n` pensioners (no real person): civil status, incomes and
/// fractions spread roughly like the pensioners the screening finds.
#[must_use]
pub fn synthetic_population(n: usize, seed: u64) -> Vec<Facts> {
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // splitmix64: small, fast and good enough for test data.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut below = move |limit: u64| i64::try_from(next() % limit).unwrap_or(0);
    (0..n)
        .map(|_| {
            let household = match below(100) {
                0..40 => Household::Single,
                40..75 => Household::Cohabiting { partner_is_pensioner: false },
                _ => Household::Cohabiting { partner_is_pensioner: true },
            };
            let own_income = if below(100) < 60 { 0 } else { below(300_000) };
            let (partner_income, partner_work_income) = match household {
                Household::Single => (0, 0),
                Household::Cohabiting { .. } => (below(200_000), below(500_000)),
            };
            let fraction =
                if below(100) < 85 { Fraction::FULL } else { Fraction { numerator: 10 + below(30), denominator: 40 } };
            Facts { household, own_income, partner_income, partner_work_income, fraction }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pension::rates::RateTable;

    #[test]
    fn raising_the_allowance_never_lowers_a_pension() {
        let table = RateTable::builtin();
        let overlay = "[[rate]]\nitem = \"allowance_couple\"\nyear = 2025\nvalue = 160000\nunit = \"kr/year\"\nsource = \"what-if\"\n";
        let alternative = table.overlay(overlay, "whatif.toml").expect("overlay");
        let population: Vec<Facts> = synthetic_population(5_000, 7)
            .into_iter()
            .filter(|f| f.household == Household::Cohabiting { partner_is_pensioner: false })
            .collect();
        let out = what_if(&table.year(2025), &alternative.year(2025), &population).expect("2025 rates");
        assert_eq!(out.falling, 0);
        assert!(out.rising > 0 && out.total_alternative > out.total_base);
    }

    #[test]
    fn the_population_is_deterministic() {
        assert_eq!(synthetic_population(100, 1), synthetic_population(100, 1));
        assert_ne!(synthetic_population(100, 1), synthetic_population(100, 2));
    }
}
