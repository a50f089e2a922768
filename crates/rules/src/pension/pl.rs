//! Førtidspension under lov om social pension (awards from 1 January 2003): the income test.
//!
//! One function, [`compute`], does the arithmetic; it reports each step to an [`Explain`] sink. The quiet
//! sink compiles to nothing, so a what-if over a quarter of a million pensioners runs the same code that
//! writes a citizen's explanation — the two can never disagree.

use super::fraction::Fraction;
use super::rates::{Item, MinimumPayout, PartnerWork, RatesError, RuleName, YearRates};
use super::rounding::{Rounding, div_half_up};
use super::{Explain, Step, kr};

/// Civil status as the income test distinguishes it (PL § 32 c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Household {
    /// Enlig.
    Single,
    /// Gift or samlevende.
    Cohabiting {
        /// The partner has a right to social pension (15 % instead of 30 %).
        partner_is_pensioner: bool,
    },
}

/// The facts of one pensioner's year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// Civil status.
    pub household: Household,
    /// Own income besides the pension that counts (PL § 32 a), kroner a year.
    pub own_income: i64,
    /// The partner's income that counts under the year's rules, kroner a year.
    pub partner_income: i64,
    /// The partner's income from personal work; counts only in years whose rules count it.
    pub partner_work_income: i64,
    /// The residence fraction.
    pub fraction: Fraction,
}

/// The result in kroner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amounts {
    /// Kroner a year.
    pub yearly: i64,
    /// Kroner a month.
    pub monthly: i64,
    /// Kroner a month after the pensioner's ATP contribution, where the year's rate is known.
    pub monthly_after_atp: Option<i64>,
    /// The rounding rule that applied.
    pub rounding: Rounding,
}

/// The items and rules [`compute`] needs for `household`, so that all missing ones are named at once.
#[must_use]
pub fn required(household: Household) -> (&'static [Item], &'static [RuleName]) {
    match household {
        Household::Single => (
            &[Item::FullSingle, Item::AllowanceSingle, Item::ReductionPct],
            &[RuleName::Rounding, RuleName::MinimumPayout],
        ),
        Household::Cohabiting { partner_is_pensioner: true } => (
            &[Item::FullOther, Item::AllowanceCouple, Item::PartnerCapPensioner, Item::ReductionPctPartnerPensioner],
            &[RuleName::Rounding, RuleName::MinimumPayout, RuleName::PartnerWorkIncome],
        ),
        Household::Cohabiting { partner_is_pensioner: false } => (
            &[
                Item::FullOther,
                Item::AllowanceCouple,
                Item::PartnerDisregard,
                Item::PartnerCapNonPensioner,
                Item::ReductionPct,
            ],
            &[RuleName::Rounding, RuleName::MinimumPayout, RuleName::PartnerWorkIncome],
        ),
    }
}

fn get(rates: &YearRates<'_>, item: Item) -> Result<i64, RatesError> {
    rates.get(item).ok_or_else(|| RatesError::Missing {
        year: rates.year,
        missing: vec![format!("{} ({})", item.name(), item.danish())],
    })
}

fn source_of(rates: &YearRates<'_>, item: Item) -> String {
    match rates.entry(item) {
        Some(e) if e.unit == super::rates::Unit::KrMonth => {
            format!("{} kr./md × 12, sats {}", kr(i64::try_from(e.value).unwrap_or(0)), rates.year)
        }
        _ => format!("sats {}", rates.year),
    }
}

/// The yearly and monthly førtidspension for one year under PL §§ 32 a-32 c and § 49, reduced to the
/// residence fraction (PL § 6) and rounded by the year's named rounding rule.
///
/// Order: full rate (§ 49) → income basis: own income plus the partner's counted income, less the
/// disregard for a non-pensioner partner and capped (§ 32 a) → less the allowance (§ 49) → reduction of
/// 30 % or 15 % (§ 32 c, stk. 1) → minimum amount 1/40 (§ 32 c, stk. 2) → the fraction → rounding.
///
/// # Errors
/// A rate or rule the household needs is not known for the year.
#[inline]
pub fn compute<E: Explain>(rates: &YearRates<'_>, facts: &Facts, explain: &mut E) -> Result<Amounts, RatesError> {
    let rounding = rates
        .rounding
        .ok_or_else(|| RatesError::Missing { year: rates.year, missing: vec!["rule rounding".into()] })?;
    let (full_item, allowance_item, pct_item) = match facts.household {
        Household::Single => (Item::FullSingle, Item::AllowanceSingle, Item::ReductionPct),
        Household::Cohabiting { partner_is_pensioner: true } => {
            (Item::FullOther, Item::AllowanceCouple, Item::ReductionPctPartnerPensioner)
        }
        Household::Cohabiting { partner_is_pensioner: false } => {
            (Item::FullOther, Item::AllowanceCouple, Item::ReductionPct)
        }
    };
    let full = get(rates, full_item)?;
    explain.step(|| {
        Step::amount(
            format!("Fuld sats: {} ({})", full_item.danish(), source_of(rates, full_item)),
            full,
            "PL § 49 (satsen reguleres årligt)",
        )
    });

    let own = facts.own_income;
    explain.step(|| Step::amount("Egen indtægt ud over pensionen", own, "PL § 32 a"));

    let mut basis = own;
    if let Household::Cohabiting { partner_is_pensioner } = facts.household {
        let work_counts = match rates.partner_work {
            Some(PartnerWork::Counted) => true,
            Some(PartnerWork::Excluded) => false,
            None => {
                return Err(RatesError::Missing { year: rates.year, missing: vec!["rule partner_work_income".into()] });
            }
        };
        let mut partner = facts.partner_income;
        explain.step(|| Step::amount("Ægtefælles/samlevers indtægt", facts.partner_income, "PL § 32 a"));
        if facts.partner_work_income > 0 {
            if work_counts {
                partner += facts.partner_work_income;
                explain.step(|| {
                    Step::amount(
                        "Ægtefælles/samlevers arbejdsindkomst medregnes (regler før 1. januar 2023)",
                        facts.partner_work_income,
                        "PL § 32 a før lov nr. 875 af 21/6 2022",
                    )
                });
            } else {
                explain.step(|| {
                    Step::amount(
                        "Ægtefælles/samlevers arbejdsindkomst indgår ikke (fra 1. januar 2023)",
                        0,
                        "PL § 32 a som ændret ved lov nr. 875 af 21/6 2022",
                    )
                });
            }
        }
        let cap_item = if partner_is_pensioner {
            Item::PartnerCapPensioner
        } else {
            let disregard = get(rates, Item::PartnerDisregard)?;
            let after = (partner - disregard).max(0);
            explain.step(|| {
                Step::amount(
                    format!("Fradrag i indtægt hos ægtefælle/samlever, der ikke er pensionist: {}", kr(disregard)),
                    after,
                    "PL § 32 a; PL § 49",
                )
            });
            partner = after;
            Item::PartnerCapNonPensioner
        };
        let cap = get(rates, cap_item)?;
        if partner > cap {
            explain.step(|| {
                Step::amount(
                    format!("Ægtefællens/samleverens indtægt indgår højst med {}", kr(cap)),
                    cap,
                    "PL § 32 a; PL § 49",
                )
            });
            partner = cap;
        }
        basis += partner;
        explain.step(|| Step::amount("Samlet indtægt", basis, "PL § 32 a"));
    }

    let allowance = get(rates, allowance_item)?;
    let unrounded = (basis - allowance).max(0);
    explain.step(|| {
        Step::amount(
            format!("Indtægtsgrundlag efter {} på {}", allowance_item.danish(), kr(allowance)),
            unrounded,
            "PL § 32 a, stk. 7; PL § 49",
        )
    });
    let basis = rounding.income_basis(unrounded);
    if basis != unrounded {
        explain.step(|| Step::amount("Indtægtsgrundlaget rundes ned til hele 100 kr.", basis, rounding.name()));
    }

    let pct = get(rates, pct_item)?;
    let reduction = div_half_up(basis * pct, 10_000);
    explain.step(|| {
        Step::amount(format!("Nedsættelse: {} % af {}", percent(pct), kr(basis)), -reduction, "PL § 32 c, stk. 1")
    });
    let mut pension = (full - reduction).max(0);
    explain.step(|| Step::amount("Pension efter indtægtsregulering", pension, "PL § 32 c"));

    if pension > 0 {
        let minimum_item = if facts.household == Household::Single { Item::MinimumSingle } else { Item::MinimumOther };
        let minimum = rates.get(minimum_item).unwrap_or_else(|| Rounding::K10.yearly(full, 40));
        if pension < minimum {
            let rule = rates
                .minimum
                .ok_or_else(|| RatesError::Missing { year: rates.year, missing: vec!["rule minimum_payout".into()] })?;
            pension = match rule {
                MinimumPayout::Raise => minimum,
                MinimumPayout::Withhold => 0,
            };
            explain.step(|| {
                let derived = if rates.get(minimum_item).is_none() {
                    " (beregnet som 1/40 af fuld pension, afrundet til et beløb deleligt med 12)"
                } else {
                    ""
                };
                let what = match rule {
                    MinimumPayout::Raise => "udbetales minimumsbeløbet",
                    MinimumPayout::Withhold => "udbetales der ikke pension",
                };
                Step::amount(
                    format!("Pensionen er under minimumsbeløbet {}{derived}; derfor {what}", kr(minimum)),
                    pension,
                    "PL § 32 c, stk. 2 (nummerering 2015/2020)",
                )
            });
        }
    }

    let fraction = facts.fraction;
    let yearly = rounding.yearly(pension * fraction.numerator, fraction.denominator);
    if !fraction.is_full() {
        explain
            .step(|| Step::amount(format!("Brøkpension: {fraction} af {}", kr(pension)), yearly, "PL § 6; GFPL § 7"));
    }
    let monthly = rounding.monthly(yearly);
    explain.step(|| Step::amount(format!("Årlig pension. {}", rounding.danish()), yearly, rounding.name()));
    explain.step(|| Step::amount("Månedlig pension", monthly, rounding.name()));

    let monthly_after_atp = rates.get(Item::AtpPensionerShare).map(|atp| {
        let atp_monthly = atp / 12;
        let after = (monthly - atp_monthly).max(0);
        explain.step(|| {
            Step::amount(
                format!("Efter ATP-bidrag (pensionistens andel {} pr. måned), før skat", kr(atp_monthly)),
                after,
                "PL § 33 a",
            )
        });
        after
    });
    Ok(Amounts { yearly, monthly, monthly_after_atp, rounding })
}

/// Basis points as a Danish percentage: 3000 → "30", 1550 → "15,5".
fn percent(bp: i64) -> String {
    if bp % 100 == 0 { format!("{}", bp / 100) } else { format!("{},{:02}", bp / 100, bp % 100) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pension::rates::RateTable;

    fn facts(household: Household, own: i64, partner: i64) -> Facts {
        Facts { household, own_income: own, partner_income: partner, partner_work_income: 0, fraction: Fraction::FULL }
    }

    #[test]
    fn borger_dk_2025_married_to_a_non_pensioner() {
        // pension_examples.yaml borger_2025_married_to_non_pensioner: 350.506 − 285.480 = 65.026;
        // + 126.000 = 191.026; − 143.000 = 48.026; × 30 % = 14.408; 215.256 − 14.408 = 200.848.
        let rates = RateTable::builtin().year(2025);
        let mut steps = Vec::new();
        let out = compute(
            &rates,
            &facts(Household::Cohabiting { partner_is_pensioner: false }, 126_000, 350_506),
            &mut steps,
        )
        .expect("2025 rates");
        assert_eq!(out.yearly, 200_848);
        assert_eq!(out.rounding, Rounding::Exact);
        let amounts: Vec<Option<i64>> = steps.iter().map(|s| s.amount).collect();
        for published in [65_026, 191_026, 48_026, -14_408] {
            assert!(amounts.contains(&Some(published)), "step {published} missing from {steps:?}");
        }
    }

    #[test]
    fn borger_dk_married_to_a_pensioner() {
        // pension_examples.yaml borger_married_to_pensioner (year most likely 2021): 402.700 counts of 420.000;
        // 486.900 − 129.900 = 357.000 × 15 % = 53.550; 197.184 − 53.550 = 143.634 = 11.969 kr./md; − ATP 94 = 11.875.
        let rates = RateTable::builtin().year(2021);
        let out = compute(
            &rates,
            &facts(Household::Cohabiting { partner_is_pensioner: true }, 84_200, 420_000),
            &mut super::super::Quiet,
        )
        .expect("2021 rates");
        assert_eq!((out.yearly, out.monthly, out.monthly_after_atp), (143_634, 11_969, Some(11_875)));
    }

    #[test]
    fn borger_dk_2022_cut_off_income_for_a_single_person() {
        // pension_examples.yaml borger_2022_cutoff_incomes: 82.600 + 19.360 × 12 / 0,30 = 857.000, the
        // published bortfaldsgrænse (rate item cut_off_single).
        let table = RateTable::builtin();
        let rates = table.year(2022);
        let cut_off = rates.get(Item::CutOffSingle).expect("2022 cut-off");
        let at = compute(&rates, &facts(Household::Single, cut_off, 0), &mut super::super::Quiet).expect("2022");
        assert_eq!(at.yearly, 0);
        let below =
            compute(&rates, &facts(Household::Single, cut_off - 1_000, 0), &mut super::super::Quiet).expect("2022");
        assert!(below.yearly > 0, "still paid just below the published cut-off");
    }

    #[test]
    fn k10_rounds_the_basis_and_the_yearly_amount() {
        // 2009 (DREAM/K10 rates): single, own income 100.050; 100.050 − 64.100 = 35.950 → 35.900;
        // × 30 % = 10.770; 188.448 − 10.770 = 177.678 → nearest multiple of 12: 177.672 = 14.806 × 12.
        let rates = RateTable::builtin().year(2009);
        let out = compute(&rates, &facts(Household::Single, 100_050, 0), &mut super::super::Quiet).expect("2009");
        assert_eq!(out.rounding, Rounding::K10);
        assert_eq!((out.yearly, out.monthly), (177_672, 14_806));
    }

    #[test]
    fn partner_work_income_counts_until_2022_only() {
        let table = RateTable::builtin();
        let mut with_work = facts(Household::Cohabiting { partner_is_pensioner: false }, 0, 0);
        with_work.partner_work_income = 500_000;
        let q = &mut super::super::Quiet;
        // 2020 (bm.dk): 500.000 − 254.472 = 245.528; − 127.400 = 118.128 → 118.100; × 30 % = 35.430;
        // 194.748 − 35.430 = 159.318 = 12 × 13.276,5 → 159.312 (K10, halves down).
        assert_eq!(compute(&table.year(2020), &with_work, q).expect("2020").yearly, 159_312);
        // 2024: the partner's wages are disregarded (lov nr. 875 af 21/6 2022): full rate 17.315 × 12.
        assert_eq!(compute(&table.year(2024), &with_work, q).expect("2024").yearly, 207_780);
    }

    #[test]
    fn minimum_amount_is_paid_when_the_pension_is_positive_but_small() {
        // 2015 single: 215.100; minimum 5.376. Own income such that the pension lands at 1.000 before the
        // minimum: 787.000 − 73.300 = 713.700; × 30 % = 214.110; 215.100 − 214.110 = 990 < 5.376.
        let rates = RateTable::builtin().year(2015);
        let out = compute(&rates, &facts(Household::Single, 787_000, 0), &mut super::super::Quiet).expect("2015");
        assert_eq!(out.yearly, 5_376);
    }
}
