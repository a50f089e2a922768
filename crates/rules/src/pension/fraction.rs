//! Brøkpension: the share of a full pension earned by residence in Denmark from age 15 to the award.
//!
//! Two rules: the 4/5 rule in 40ths (GFPL § 5, stk. 2 and PL § 6 before L 138 2017-18) and the 9/10 rule in
//! whole percent (PL § 6 as rewritten by L 138 2017-18), selected by award date and the date the person
//! reaches folkepensionsalder. The selection dates are parameters of the rate table.

use super::rates::RateTable;
use super::{Step, rounding::div_half_up};
use crate::date::add_months;
use jiff::civil::Date;

/// Which brøk rule applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FractionRule {
    /// No residence information was given: full pension is assumed and the output says so.
    Assumed,
    /// 4/5 of the time from 15 to the award; the share rounded down to whole 40ths.
    FourFifths,
    /// 9/10 of the time from 15 to the award; the share rounded to the nearest whole percent.
    NineTenths,
}

impl FractionRule {
    /// The name in the CLI's and API's output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            FractionRule::Assumed => "full (no residence information)",
            FractionRule::FourFifths => "4/5",
            FractionRule::NineTenths => "9/10",
        }
    }
}

/// A share of the full pension: `numerator / denominator`, never above 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fraction {
    /// Earned 40ths or percent.
    pub numerator: i64,
    /// 40 or 100.
    pub denominator: i64,
}

impl Fraction {
    /// The full pension in 40ths.
    pub const FULL: Fraction = Fraction { numerator: 40, denominator: 40 };

    /// Whether this is the full pension.
    #[must_use]
    pub fn is_full(self) -> bool {
        self.numerator == self.denominator
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.denominator == 100 {
            write!(f, "{}%", self.numerator)
        } else {
            write!(f, "{}/{}", self.numerator, self.denominator)
        }
    }
}

/// What the fraction is computed from.
#[derive(Clone, Copy, Debug)]
pub struct ResidenceInput {
    /// Birth date.
    pub birth_date: Date,
    /// Date of the award (the time from which the pension is paid).
    pub awarded_on: Date,
    /// Months of fixed residence in Denmark from the 15th birthday to the award.
    pub residence_months: u32,
    /// Refugees: months of residence in the country of origin (GFPL § 9 / PL § 9).
    pub refugee_origin_months: u32,
}

/// The computed share, with its explanation.
#[derive(Clone, Debug)]
pub struct FractionOutcome {
    /// The share.
    pub fraction: Fraction,
    /// Which rule.
    pub rule: FractionRule,
    /// The explanation.
    pub steps: Vec<Step>,
}

/// Why a fraction cannot be computed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FractionError {
    /// The award is before the 15th birthday.
    #[error("awarded_on {awarded_on} is before the 15th birthday ({fifteenth})")]
    AwardBeforeFifteen {
        /// The award.
        awarded_on: Date,
        /// The 15th birthday.
        fifteenth: Date,
    },
    /// More months of residence than months in the period.
    #[error("residence_months {residence} exceeds the {period} months from the 15th birthday to the award")]
    TooManyMonths {
        /// Given.
        residence: u32,
        /// Possible.
        period: u32,
    },
}

/// Whole calendar months from `from` to `to` (`to ≥ from`).
fn months_between(from: Date, to: Date) -> u32 {
    let months = (i32::from(to.year()) - i32::from(from.year())) * 12 + i32::from(to.month())
        - i32::from(from.month())
        - i32::from(to.day() < from.day());
    u32::try_from(months).unwrap_or(0)
}

/// The rule that applies to a person born on `birth` and awarded on `awarded_on`.
///
/// borger.dk (RULES.md § 1.5): the 9/10 rule if the pension is awarded after 1 July 2018 *and* the person
/// reaches folkepensionsalder on or after 1 July 2025 (L 138 2017-18); otherwise the 4/5 rule.
#[must_use]
pub fn rule_for(table: &RateTable, birth: Date, awarded_on: Date) -> FractionRule {
    let params = table.fraction();
    let (years, months) = table.pension_age(birth);
    let pension_age_on = add_months(birth, i32::from(years) * 12 + i32::from(months));
    if awarded_on >= params.nine_tenths_awarded_from && pension_age_on >= params.nine_tenths_pension_age_from {
        FractionRule::NineTenths
    } else {
        FractionRule::FourFifths
    }
}

/// The residence fraction (brøkpension) under GFPL § 5, stk. 2 / PL § 6, with refugees' time under § 9.
///
/// # Errors
/// The award is before the 15th birthday, or more residence months are given than the period holds.
pub fn residence_fraction(table: &RateTable, input: &ResidenceInput) -> Result<FractionOutcome, FractionError> {
    let params = table.fraction();
    let fifteenth = add_months(input.birth_date, 15 * 12);
    if input.awarded_on < fifteenth {
        return Err(FractionError::AwardBeforeFifteen { awarded_on: input.awarded_on, fifteenth });
    }
    let period = months_between(fifteenth, input.awarded_on);
    if input.residence_months > period {
        return Err(FractionError::TooManyMonths { residence: input.residence_months, period });
    }
    let rule = rule_for(table, input.birth_date, input.awarded_on);
    let mut steps = Vec::new();
    let (years, months) = table.pension_age(input.birth_date);
    steps.push(Step::note(
        format!(
            "Optjeningsperiode fra 15-årsdagen {fifteenth} til tilkendelsen {}: {period} måneder",
            input.awarded_on
        ),
        "PL § 6; GFPL § 5, stk. 2",
    ));
    let mut counted = input.residence_months;
    if input.refugee_origin_months > 0 {
        if params.refugee_origin_counts {
            counted = (counted + input.refugee_origin_months).min(period);
            steps.push(Step::note(
                format!(
                    "Bopælstid i hjemlandet som flygtning medregnes: {} måneder; i alt {counted} måneder",
                    input.refugee_origin_months
                ),
                "PL § 9; GFPL § 9",
            ));
        } else {
            steps.push(Step::note(
                format!(
                    "Bopælstid i hjemlandet som flygtning ({} måneder) medregnes ikke efter de gældende parametre",
                    input.refugee_origin_months
                ),
                "PL § 9",
            ));
        }
    }
    steps.push(Step::note(format!("Bopælstid i Danmark: {counted} måneder"), "PL § 6; GFPL § 5, stk. 2"));
    let counted = i64::from(counted);
    let period = i64::from(period);
    let fraction = if period == 0 {
        Fraction::FULL
    } else {
        match rule {
            FractionRule::FourFifths => {
                steps.push(Step::note(
                    format!(
                        "4/5-reglen (folkepensionsalder {years} år{}): kræver {} måneder",
                        if months > 0 { format!(" og {months} måneder") } else { String::new() },
                        decimal(4 * period, 5)
                    ),
                    "GFPL § 5, stk. 2; PL § 6 før L 138 2017-18",
                ));
                if 5 * counted >= 4 * period {
                    Fraction::FULL
                } else {
                    // ratio × 40 = counted / (4/5 × period) × 40 = 50 × counted / period, rounded down
                    // ("nedsættes til nærmeste antal fyrretyvendedele").
                    Fraction { numerator: 50 * counted / period, denominator: 40 }
                }
            }
            FractionRule::NineTenths | FractionRule::Assumed => {
                steps.push(Step::note(
                    format!("9/10-reglen: kræver {} måneder", decimal(9 * period, 10)),
                    "PL § 6 som affattet ved L 138 2017-18",
                ));
                if 10 * counted >= 9 * period {
                    Fraction { numerator: 100, denominator: 100 }
                } else {
                    // counted / (9/10 × period) in percent, to the nearest whole percent.
                    Fraction { numerator: div_half_up(1000 * counted, 9 * period), denominator: 100 }
                }
            }
        }
    };
    steps.push(Step::note(
        format!(
            "Forhold {} → {}",
            ratio(counted, period, rule),
            if fraction.is_full() { format!("fuld pension ({fraction})") } else { format!("brøkpension {fraction}") }
        ),
        match rule {
            FractionRule::NineTenths => "PL § 6 (nærmeste hele procent)",
            _ => "GFPL § 5, stk. 2; PL § 6 (nedsættes til nærmeste antal fyrretyvendedele)",
        },
    ));
    Ok(FractionOutcome { fraction, rule, steps })
}

/// `n / d` with up to one decimal, Danish style.
fn decimal(n: i64, d: i64) -> String {
    let tenths = div_half_up(10 * n, d);
    if tenths % 10 == 0 { format!("{}", tenths / 10) } else { format!("{},{}", tenths / 10, tenths % 10) }
}

fn ratio(counted: i64, period: i64, rule: FractionRule) -> String {
    let (num, den) = match rule {
        FractionRule::NineTenths => (10 * counted, 9 * period),
        _ => (5 * counted, 4 * period),
    };
    let thousandths = div_half_up(1000 * num, den.max(1));
    format!("{},{:03}", thousandths / 1000, thousandths % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn table() -> &'static RateTable {
        RateTable::builtin()
    }

    #[test]
    fn borger_dk_4_5_example_is_full() {
        // borger.dk: 30 years' residence (360 months), age 50 at award → 420 months, 4/5 = 336, 360/336 ≥ 1.
        let input = ResidenceInput {
            birth_date: date(1960, 3, 1),
            awarded_on: date(2010, 3, 1),
            residence_months: 360,
            refugee_origin_months: 0,
        };
        let out = residence_fraction(table(), &input).expect("fraction");
        assert_eq!(out.rule, FractionRule::FourFifths);
        assert_eq!(out.fraction, Fraction::FULL);
        assert_eq!(out.fraction.to_string(), "40/40");
    }

    #[test]
    fn borger_dk_9_10_example_gives_89_percent() {
        // borger.dk (inputs verified, result derived): age 45 at award, 24 years' residence = 288 months;
        // 30 years = 360 months; 9/10 × 360 = 324; 288/324 = 0,889 → 89 %.
        let input = ResidenceInput {
            birth_date: date(1975, 3, 1),
            awarded_on: date(2020, 3, 1),
            residence_months: 288,
            refugee_origin_months: 0,
        };
        let out = residence_fraction(table(), &input).expect("fraction");
        assert_eq!(out.rule, FractionRule::NineTenths);
        assert_eq!(out.fraction.to_string(), "89%");
    }

    #[test]
    fn the_same_person_under_the_4_5_rule_gets_full_pension() {
        // RULES.md § 1.5: under rule A the same person has 4/5 × 360 = 288 → 288/288 = 1 → full.
        let input = ResidenceInput {
            birth_date: date(1955, 3, 1),
            awarded_on: date(2000, 3, 1),
            residence_months: 288,
            refugee_origin_months: 0,
        };
        let out = residence_fraction(table(), &input).expect("fraction");
        assert_eq!(out.rule, FractionRule::FourFifths);
        assert!(out.fraction.is_full());
    }

    #[test]
    fn forties_are_rounded_down() {
        // 420 months, 4/5 = 336; 200 months → 200/336 × 40 = 23,8 → 23/40 ("nedsættes").
        let input = ResidenceInput {
            birth_date: date(1960, 3, 1),
            awarded_on: date(2010, 3, 1),
            residence_months: 200,
            refugee_origin_months: 0,
        };
        assert_eq!(residence_fraction(table(), &input).expect("fraction").fraction.to_string(), "23/40");
    }

    #[test]
    fn rule_selection_boundaries() {
        // Award before 1 July 2018 → 4/5 whatever the age.
        assert_eq!(rule_for(table(), date(1980, 1, 1), date(2018, 6, 30)), FractionRule::FourFifths);
        assert_eq!(rule_for(table(), date(1980, 1, 1), date(2018, 7, 1)), FractionRule::NineTenths);
        // Born 30 June 1958: 67 on 30 June 2025, before 1 July 2025 → 4/5.
        assert_eq!(rule_for(table(), date(1958, 6, 30), date(2019, 1, 1)), FractionRule::FourFifths);
        assert_eq!(rule_for(table(), date(1958, 7, 1), date(2019, 1, 1)), FractionRule::NineTenths);
    }

    #[test]
    fn refugees_origin_time_counts_as_residence() {
        let input = ResidenceInput {
            birth_date: date(1975, 3, 1),
            awarded_on: date(2020, 3, 1),
            residence_months: 200,
            refugee_origin_months: 124,
        };
        assert!(residence_fraction(table(), &input).expect("fraction").fraction.is_full());
    }

    #[test]
    fn impossible_inputs_are_refused() {
        let too_many = ResidenceInput {
            birth_date: date(1975, 3, 1),
            awarded_on: date(2020, 3, 1),
            residence_months: 361,
            refugee_origin_months: 0,
        };
        assert_eq!(
            residence_fraction(table(), &too_many).map(|o| o.fraction),
            Err(FractionError::TooManyMonths { residence: 361, period: 360 })
        );
        let young = ResidenceInput { awarded_on: date(1989, 1, 1), ..too_many };
        assert!(matches!(residence_fraction(table(), &young), Err(FractionError::AwardBeforeFifteen { .. })));
    }
}
