//! Førtidspension under the pre-2003 law (GFPL): the four types, their components, the income tests of the
//! grundbeløb and the pensionstillæg, and the rule that these pensions cannot be revoked (GFPL § 44).
//!
//! The built-in table holds component amounts only where a source gave them (2013, 2018); the income-test
//! thresholds and percentages of the old law were not found for any confirmed year, so a calculation that
//! needs them asks for them by name (give them with `--rates`). With no income, no threshold is needed.

use super::fraction::Fraction;
use super::pl::Household;
use super::rates::{Item, RatesError, RuleName, YearRates};
use super::rounding::{Rounding, div_half_up};
use super::{Explain, Step, kr};
use crate::target::Scheme;
use serde::Deserialize;

/// The four types of pre-2003 pension (GFPL § 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum LegacyType {
    /// Højeste førtidspension: grundbeløb + invaliditetsbeløb + erhvervsudygtighedsbeløb + pensionstillæg.
    #[serde(rename = "hoejeste")]
    Highest,
    /// Mellemste: grundbeløb + invaliditetsbeløb + pensionstillæg.
    #[serde(rename = "mellemste")]
    Middle,
    /// Forhøjet almindelig: grundbeløb + førtidsbeløb + ekstra tillægsydelse + pensionstillæg.
    #[serde(rename = "forhoejet_almindelig")]
    RaisedOrdinary,
    /// Almindelig: grundbeløb + ekstra tillægsydelse + pensionstillæg. (Seed 004 also lists a førtidsbeløb;
    /// GFPL § 13 as quoted in RULES.md § 2 does not, and the law is followed.)
    #[serde(rename = "almindelig")]
    Ordinary,
}

impl LegacyType {
    /// The components of the type (GFPL § 13).
    #[must_use]
    pub fn components(self) -> &'static [Item] {
        match self {
            LegacyType::Highest => {
                &[Item::GfplBasic, Item::GfplInvalidity, Item::GfplIncapacity, Item::GfplSupplementSingle]
            }
            LegacyType::Middle => &[Item::GfplBasic, Item::GfplInvalidity, Item::GfplSupplementSingle],
            LegacyType::RaisedOrdinary => {
                &[Item::GfplBasic, Item::GfplEarly, Item::GfplExtraRaised, Item::GfplSupplementSingle]
            }
            LegacyType::Ordinary => &[Item::GfplBasic, Item::GfplExtraOrdinary, Item::GfplSupplementSingle],
        }
    }

    /// The Danish name.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            LegacyType::Highest => "højeste førtidspension",
            LegacyType::Middle => "mellemste førtidspension",
            LegacyType::RaisedOrdinary => "forhøjet almindelig førtidspension",
            LegacyType::Ordinary => "almindelig førtidspension",
        }
    }
}

/// The facts of one pensioner's year under the old law.
#[derive(Clone, Copy, Debug)]
pub struct LegacyFacts {
    /// The type awarded.
    pub legacy_type: LegacyType,
    /// Civil status.
    pub household: Household,
    /// Own income besides the pension, kroner a year.
    pub own_income: i64,
    /// The partner's income, kroner a year.
    pub partner_income: i64,
    /// The residence fraction (GFPL § 5, stk. 2; § 7 reduces the whole computed pension).
    pub fraction: Fraction,
}

/// The result: each component after its income test, and the totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyAmounts {
    /// Each component and its yearly amount after the income test.
    pub components: Vec<(Item, i64)>,
    /// Kroner a year.
    pub yearly: i64,
    /// Kroner a month.
    pub monthly: i64,
    /// The rounding rule that applied.
    pub rounding: Rounding,
}

/// The items a legacy calculation needs: the type's components, and the income-test parameters only
/// where there is income to test.
#[must_use]
pub fn required(facts: &LegacyFacts) -> (Vec<Item>, &'static [RuleName]) {
    let single = facts.household == Household::Single;
    let mut items: Vec<Item> = facts
        .legacy_type
        .components()
        .iter()
        .map(|&c| if c == Item::GfplSupplementSingle && !single { Item::GfplSupplementOther } else { c })
        .collect();
    if facts.own_income > 0 {
        items.push(if single { Item::GfplBasicAllowanceSingle } else { Item::GfplBasicAllowanceCouple });
        items.push(Item::GfplBasicReductionPct);
    }
    match facts.household {
        Household::Single if facts.own_income > 0 => {
            items.extend([Item::GfplSupplementAllowanceSingle, Item::GfplSupplementReductionPctSingle]);
        }
        Household::Single => {}
        Household::Cohabiting { partner_is_pensioner } => {
            if facts.partner_income > 0 && !partner_is_pensioner {
                items.push(Item::GfplPartnerDisregardPct);
            }
            if facts.own_income > 0 || facts.partner_income > 0 {
                items.push(Item::GfplSupplementAllowanceCouple);
                items.push(if partner_is_pensioner {
                    Item::GfplSupplementReductionPctPartnerPensioner
                } else {
                    Item::GfplSupplementReductionPctCouple
                });
            }
        }
    }
    (items, &[RuleName::Rounding])
}

fn need(rates: &YearRates<'_>, item: Item) -> Result<i64, RatesError> {
    rates.get(item).ok_or_else(|| RatesError::Missing {
        year: rates.year,
        missing: vec![format!("{} ({})", item.name(), item.danish())],
    })
}

/// The yearly pre-2003 pension: components by type (GFPL § 13), the grundbeløb tested against own income
/// and the pensionstillæg against the household's income (GFPL §§ 28-31 as summarised on borger.dk;
/// thresholds and percentages are rate items), then the fraction (GFPL § 7) and the year's rounding.
///
/// # Errors
/// A component or an income-test parameter the facts need is not known for the year.
pub fn compute<E: Explain>(
    rates: &YearRates<'_>,
    facts: &LegacyFacts,
    explain: &mut E,
) -> Result<LegacyAmounts, RatesError> {
    let (needed, rules) = required(facts);
    rates.require(&needed, rules)?;
    let rounding = rates.rounding.unwrap_or(Rounding::Exact);
    let single = facts.household == Household::Single;
    explain.step(|| Step::note(format!("Type: {}", facts.legacy_type.danish()), "GFPL § 13"));
    let mut components = Vec::new();
    for &component in facts.legacy_type.components() {
        let amount = match component {
            Item::GfplBasic => basic(rates, facts, single, explain)?,
            Item::GfplSupplementSingle => supplement(rates, facts, explain)?,
            other => {
                let amount = need(rates, other)?;
                explain.step(|| {
                    Step::amount(
                        format!("{} (skattefrit, indtægtsuafhængigt)", other.danish()),
                        amount,
                        "GFPL § 13; GFPL § 48",
                    )
                });
                amount
            }
        };
        components.push((component, amount));
    }
    let total: i64 = components.iter().map(|&(_, a)| a).sum();
    let fraction = facts.fraction;
    let yearly = rounding.yearly(total * fraction.numerator, fraction.denominator);
    if !fraction.is_full() {
        explain.step(|| {
            Step::amount(format!("Brøkpension: {fraction} af {}", kr(total)), yearly, "GFPL § 5, stk. 2; GFPL § 7")
        });
    }
    let monthly = rounding.monthly(yearly);
    explain.step(|| Step::amount(format!("Årlig pension. {}", rounding.danish()), yearly, rounding.name()));
    explain.step(|| Step::amount("Månedlig pension", monthly, rounding.name()));
    Ok(LegacyAmounts { components, yearly, monthly, rounding })
}

fn basic<E: Explain>(
    rates: &YearRates<'_>,
    facts: &LegacyFacts,
    single: bool,
    explain: &mut E,
) -> Result<i64, RatesError> {
    let full = need(rates, Item::GfplBasic)?;
    explain.step(|| Step::amount("Grundbeløb, fuldt", full, "GFPL § 13; GFPL § 48"));
    if facts.own_income <= 0 {
        return Ok(full);
    }
    let allowance = need(rates, if single { Item::GfplBasicAllowanceSingle } else { Item::GfplBasicAllowanceCouple })?;
    let pct = need(rates, Item::GfplBasicReductionPct)?;
    let excess = (facts.own_income - allowance).max(0);
    let reduction = div_half_up(excess * pct, 10_000);
    let amount = (full - reduction).max(0);
    explain.step(|| {
        Step::amount(
            format!(
                "Grundbeløb efter egen indtægt {} (fradragsbeløb {}; {} % af {})",
                kr(facts.own_income),
                kr(allowance),
                pct / 100,
                kr(excess)
            ),
            amount,
            "GFPL § 48 (fradrag for grundbeløb)",
        )
    });
    Ok(amount)
}

fn supplement<E: Explain>(rates: &YearRates<'_>, facts: &LegacyFacts, explain: &mut E) -> Result<i64, RatesError> {
    let (full, income, allowance_item, pct_item) = match facts.household {
        Household::Single => (
            need(rates, Item::GfplSupplementSingle)?,
            facts.own_income,
            Item::GfplSupplementAllowanceSingle,
            Item::GfplSupplementReductionPctSingle,
        ),
        Household::Cohabiting { partner_is_pensioner } => {
            let full = need(rates, Item::GfplSupplementOther)?;
            let mut partner = facts.partner_income;
            if partner > 0 && !partner_is_pensioner {
                let share = need(rates, Item::GfplPartnerDisregardPct)?;
                let base = rates.get(Item::GfplPartnerDisregardMax).map_or(partner, |max| partner.min(max));
                let disregard = div_half_up(base * share, 10_000);
                partner -= disregard;
                explain.step(|| {
                    Step::amount(
                        format!("Der ses bort fra {} % af ægtefællens indtægt: {}", share / 100, kr(disregard)),
                        partner,
                        "GFPL § 48",
                    )
                });
            }
            let pct = if partner_is_pensioner {
                Item::GfplSupplementReductionPctPartnerPensioner
            } else {
                Item::GfplSupplementReductionPctCouple
            };
            (full, facts.own_income + partner, Item::GfplSupplementAllowanceCouple, pct)
        }
    };
    explain.step(|| Step::amount("Pensionstillæg, fuldt", full, "GFPL § 13; GFPL § 48"));
    if income <= 0 {
        return Ok(full);
    }
    let allowance = need(rates, allowance_item)?;
    let pct = need(rates, pct_item)?;
    let excess = (income - allowance).max(0);
    let reduction = div_half_up(excess * pct, 10_000);
    let amount = (full - reduction).max(0);
    explain.step(|| {
        Step::amount(
            format!(
                "Pensionstillæg efter indtægt {} (fradragsbeløb {}; {} % af {} = {})",
                kr(income),
                kr(allowance),
                pct / 100,
                kr(excess),
                kr(reduction)
            ),
            amount,
            "GFPL § 48 (fradrag for pensionstillæg)",
        )
    });
    Ok(amount)
}

/// Whether a pension can be revoked in a review, and why — the bar the case workflow enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revocability {
    /// Revocation is possible at all (subject to the case's own conditions).
    pub possible: bool,
    /// The reason, in Danish.
    pub reason: &'static str,
    /// Law and §.
    pub legal_basis: &'static str,
}

/// Pre-2003 pensions cannot be revoked or moved to a lower type except on the pensioner's own request
/// (GFPL § 44, stk. 1 and 4); pensions under PL can, when work capacity has improved significantly and
/// lastingly (PL § 44, stk. 1), subject to stk. 3 (60 years), stk. 4 (2023-2025) and stk. 5 (veterans).
#[must_use]
pub fn revocability(scheme: Scheme) -> Revocability {
    match scheme {
        Scheme::Gfpl => Revocability {
            possible: false,
            reason: "Førtidspension tilkendt efter reglerne før 1. januar 2003 kan ikke frakendes eller ændres til \
                     en lavere pensionsart, medmindre pensionisten selv anmoder om det.",
            legal_basis: "GFPL § 44, stk. 1 og 4",
        },
        Scheme::Pl => Revocability {
            possible: true,
            reason: "Førtidspension efter lov om social pension kan frakendes, hvis arbejdsevnen er forbedret \
                     væsentligt, så pensionisten varigt kan forsørge sig selv ved indtægtsgivende arbejde.",
            legal_basis: "PL § 44, stk. 1 (jf. stk. 3-5)",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pension::rates::RateTable;

    const EXAMPLE_YEAR: &str = r#"
[[rate]]
item = "gfpl_basic"
year = 2030
value = 76656
unit = "kr/year"
source = "borger.dk gamle regler, ægtefælle pensionist (year not shown)"
[[rate]]
item = "gfpl_supplement_other"
year = 2030
value = 38472
unit = "kr/year"
source = "same"
[[rate]]
item = "gfpl_basic_allowance_couple"
year = 2030
value = 228600
unit = "kr/year"
source = "same"
[[rate]]
item = "gfpl_basic_reduction_pct"
year = 2030
value = 30
unit = "%"
source = "assumed for the test; own income is below the allowance"
[[rate]]
item = "gfpl_supplement_allowance_couple"
year = 2030
value = 177700
unit = "kr/year"
source = "same"
[[rate]]
item = "gfpl_supplement_reduction_pct_partner_pensioner"
year = 2030
value = 16
unit = "%"
source = "same"
[[rate]]
item = "gfpl_invalidity"
year = 2030
value = 0
unit = "kr/year"
source = "not part of the example"
"#;

    #[test]
    fn borger_dk_both_pensioners_old_rules() {
        // RULES.md § 2 oracle 3: own 80.000, spouse 120.000; grundbeløb full 76.656 (own income < 228.600);
        // tillæg: 200.000 − 177.700 = 22.300 × 16 % = 3.568 (the page prints 3.658, a typo);
        // 38.472 − 3.568 = 34.904 kr./år = 2.909 kr./md.
        let table = RateTable::builtin().overlay(EXAMPLE_YEAR, "example").expect("overlay");
        let rates = table.year(2030);
        let facts = LegacyFacts {
            legacy_type: LegacyType::Middle,
            household: Household::Cohabiting { partner_is_pensioner: true },
            own_income: 80_000,
            partner_income: 120_000,
            fraction: Fraction::FULL,
        };
        let out = compute(&rates, &facts, &mut super::super::Quiet).expect("example rates");
        assert_eq!(out.components[0], (Item::GfplBasic, 76_656));
        assert_eq!(out.components[2], (Item::GfplSupplementSingle, 34_904));
        assert_eq!(Rounding::Exact.monthly(34_904), 2_909);
    }

    #[test]
    fn borger_dk_non_pensioner_spouse_54_percent() {
        // RULES.md § 2 oracle 2: spouse earns 420.000; 54 % disregarded → 193.200; full tillæg 39.012 below
        // 179.700; 13.500 × 32 % = 4.320; tillæg 34.692 kr./år = 2.891 kr./md.
        let overlay = r#"
[[rate]]
item = "gfpl_basic"
year = 2031
value = 77736
unit = "kr/year"
source = "borger.dk gamle regler, ægtefælle arbejder"
[[rate]]
item = "gfpl_supplement_other"
year = 2031
value = 39012
unit = "kr/year"
source = "same"
[[rate]]
item = "gfpl_partner_disregard_pct"
year = 2031
value = 54
unit = "%"
source = "same"
[[rate]]
item = "gfpl_supplement_allowance_couple"
year = 2031
value = 179700
unit = "kr/year"
source = "same"
[[rate]]
item = "gfpl_supplement_reduction_pct_couple"
year = 2031
value = 32
unit = "%"
source = "same"
[[rate]]
item = "gfpl_extra_ordinary"
year = 2031
value = 0
unit = "kr/year"
source = "not part of the example"
"#;
        let table = RateTable::builtin().overlay(overlay, "example").expect("overlay");
        let facts = LegacyFacts {
            legacy_type: LegacyType::Ordinary,
            household: Household::Cohabiting { partner_is_pensioner: false },
            own_income: 0,
            partner_income: 420_000,
            fraction: Fraction::FULL,
        };
        let out = compute(&table.year(2031), &facts, &mut super::super::Quiet).expect("example rates");
        assert_eq!(out.components[0], (Item::GfplBasic, 77_736));
        assert_eq!(out.components[2], (Item::GfplSupplementSingle, 34_692));
        assert_eq!(Rounding::Exact.monthly(34_692), 2_891);
    }

    #[test]
    fn the_2018_components_of_each_type_without_income() {
        let rates = RateTable::builtin().year(2018);
        let total = |t| {
            let facts = LegacyFacts {
                legacy_type: t,
                household: Household::Single,
                own_income: 0,
                partner_income: 0,
                fraction: Fraction::FULL,
            };
            compute(&rates, &facts, &mut super::super::Quiet).expect("2018 components").yearly
        };
        // 74.844 + 36.912 + 50.220 + 77.748, etc.
        assert_eq!(total(LegacyType::Highest), 239_724);
        assert_eq!(total(LegacyType::Middle), 189_504);
        assert_eq!(total(LegacyType::RaisedOrdinary), 189_504);
        assert_eq!(total(LegacyType::Ordinary), 189_504);
    }

    #[test]
    fn income_without_thresholds_asks_for_them_by_name() {
        let rates = RateTable::builtin().year(2018);
        let facts = LegacyFacts {
            legacy_type: LegacyType::Highest,
            household: Household::Single,
            own_income: 50_000,
            partner_income: 0,
            fraction: Fraction::FULL,
        };
        let err = compute(&rates, &facts, &mut super::super::Quiet).expect_err("no thresholds");
        let text = err.to_string();
        assert!(
            text.contains("gfpl_basic_allowance_single") && text.contains("gfpl_supplement_reduction_pct_single"),
            "{text}"
        );
    }

    #[test]
    fn pre_2003_pensions_cannot_be_revoked() {
        // GFPL § 44, stk. 1: "kan ikke frakendes".
        assert!(!revocability(Scheme::Gfpl).possible);
        assert!(revocability(Scheme::Gfpl).legal_basis.starts_with("GFPL § 44"));
        assert!(revocability(Scheme::Pl).possible);
    }
}
