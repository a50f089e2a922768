//! The `calc` input and output of CONTRACT.md: one pensioner's year in, the amounts, the fraction, the
//! explanation and the rates used (with their sources) out.

use super::Step;
use super::fraction::{Fraction, FractionError, FractionRule, ResidenceInput, residence_fraction};
use super::legacy::{self, LegacyFacts, LegacyType, Revocability, revocability};
use super::pl::{self, Facts, Household};
use super::rates::{Item, Origin, RateTable, RatesError, Status};
use super::rounding::Rounding;
use super::settlement::{Settlement, settle};
use crate::target::Scheme;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Incomes above this are refused as implausible (and to keep the arithmetic far from overflow).
const MAX_INCOME: i64 = 1_000_000_000;

/// The law the pension was awarded under, as written in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemeName {
    /// Lov om social pension.
    Pl,
    /// The pre-2003 law.
    Gfpl,
}

/// Civil status as written in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CivilStatus {
    /// Enlig.
    Single,
    /// Gift or samlevende.
    Cohabiting,
}

/// The input of `gennemgang calc` (CONTRACT.md). Unknown fields are rejected.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalcInput {
    /// Calendar year of the rates.
    pub year: i16,
    /// `pl` or `gfpl`.
    pub scheme: SchemeName,
    /// `single` or `cohabiting`.
    pub civil_status: CivilStatus,
    /// The partner has a right to social pension.
    #[serde(default)]
    pub partner_is_pensioner: bool,
    /// Yearly counted income besides the pension.
    #[serde(default)]
    pub own_income: i64,
    /// The partner's yearly income that counts under the year's rules.
    #[serde(default)]
    pub partner_income: i64,
    /// The partner's yearly income from personal work (counts only in years whose rules count it).
    #[serde(default)]
    pub partner_work_income: i64,
    /// Birth date, for the fraction.
    pub birth_date: Option<Date>,
    /// Award date, for the fraction.
    pub awarded_on: Option<Date>,
    /// Months of residence from age 15 to the award.
    pub residence_months: Option<u32>,
    /// Refugees: months of residence in the country of origin (GFPL § 9 / PL § 9).
    pub refugee_origin_months: Option<u32>,
    /// The type of a pre-2003 pension (`hoejeste`, `mellemste`, `forhoejet_almindelig`, `almindelig`).
    pub legacy_type: Option<LegacyType>,
    /// For efterregulering: what was paid for the year, kroner.
    pub paid: Option<i64>,
}

/// A rate the calculation used, with its source.
#[derive(Clone, Debug, Serialize)]
pub struct RateUsed {
    /// File name of the item.
    pub item: &'static str,
    /// What it is, in Danish.
    pub name: &'static str,
    /// The year asked for.
    pub year: i16,
    /// The value as written in the table.
    pub value: String,
    /// The unit as written.
    pub unit: &'static str,
    /// verified, derived or unverified.
    pub status: Status,
    /// Where it was read.
    pub source: String,
    /// Note.
    pub note: String,
    /// `built-in` or the overlay file.
    pub origin: String,
}

/// Whether the pension can be revoked, for the case workflow.
#[derive(Clone, Debug, Serialize)]
pub struct RevocabilityOut {
    /// Revocation is possible at all.
    pub possible: bool,
    /// Why, in Danish.
    pub reason: &'static str,
    /// Law and §.
    pub legal_basis: &'static str,
}

impl From<Revocability> for RevocabilityOut {
    fn from(r: Revocability) -> Self {
        RevocabilityOut { possible: r.possible, reason: r.reason, legal_basis: r.legal_basis }
    }
}

/// The output of `gennemgang calc` (CONTRACT.md).
#[derive(Clone, Debug, Serialize)]
pub struct CalcOutput {
    /// The year.
    pub year: i16,
    /// The scheme.
    pub scheme: SchemeName,
    /// Kroner a year.
    pub yearly: i64,
    /// Kroner a month.
    pub monthly: i64,
    /// Kroner a month after the pensioner's ATP share, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_after_atp: Option<i64>,
    /// `"40/40"`, `"23/40"` or `"89%"`.
    pub fraction: String,
    /// Which brøk rule.
    pub rule: &'static str,
    /// Which rounding rule.
    pub rounding: &'static str,
    /// The explanation.
    pub steps: Vec<Step>,
    /// The rates used, with sources.
    pub rates: Vec<RateUsed>,
    /// What the reader must know: unconfirmed rates, assumed residence.
    pub warnings: Vec<String>,
    /// Efterregulering, when `paid` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
    /// Whether the pension can be revoked.
    pub revocability: RevocabilityOut,
}

/// Why a calculation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CalcError {
    /// A field of the input is wrong.
    #[error("field {field}: {message}")]
    Input {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Rates are missing or wrong.
    #[error(transparent)]
    Rates(#[from] RatesError),
    /// The fraction cannot be computed.
    #[error("field residence_months: {0}")]
    Fraction(#[from] FractionError),
}

fn input_error(field: &'static str, message: impl Into<String>) -> CalcError {
    CalcError::Input { field, message: message.into() }
}

fn validate(input: &CalcInput) -> Result<Household, CalcError> {
    for (field, value) in [
        ("own_income", input.own_income),
        ("partner_income", input.partner_income),
        ("partner_work_income", input.partner_work_income),
        ("paid", input.paid.unwrap_or(0)),
    ] {
        if !(0..=MAX_INCOME).contains(&value) {
            return Err(input_error(field, format!("must be between 0 and {MAX_INCOME} kroner a year, got {value}")));
        }
    }
    if !(1990..=2200).contains(&input.year) {
        return Err(input_error("year", format!("must lie in 1990-2200, got {}", input.year)));
    }
    let household = match input.civil_status {
        CivilStatus::Single => {
            if input.partner_is_pensioner {
                return Err(input_error("partner_is_pensioner", "a single person has no partner"));
            }
            if input.partner_income != 0 || input.partner_work_income != 0 {
                let field = if input.partner_income != 0 { "partner_income" } else { "partner_work_income" };
                return Err(input_error(field, "a single person has no partner; use civil_status \"cohabiting\""));
            }
            Household::Single
        }
        CivilStatus::Cohabiting => Household::Cohabiting { partner_is_pensioner: input.partner_is_pensioner },
    };
    match (input.scheme, input.legacy_type) {
        (SchemeName::Gfpl, None) => {
            return Err(input_error(
                "legacy_type",
                "a gfpl pension needs its type: hoejeste, mellemste, forhoejet_almindelig or almindelig",
            ));
        }
        (SchemeName::Pl, Some(_)) => {
            return Err(input_error("legacy_type", "only pensions under scheme \"gfpl\" have a legacy type"));
        }
        _ => {}
    }
    if input.scheme == SchemeName::Gfpl && input.partner_work_income != 0 {
        return Err(input_error(
            "partner_work_income",
            "the old law has no separate partner work income; use partner_income",
        ));
    }
    Ok(household)
}

fn fraction_of(table: &RateTable, input: &CalcInput) -> Result<(Fraction, FractionRule, Vec<Step>), CalcError> {
    match (input.birth_date, input.awarded_on, input.residence_months) {
        (None, None, None) if input.refugee_origin_months.is_none() => {
            Ok((Fraction::FULL, FractionRule::Assumed, Vec::new()))
        }
        (Some(birth_date), Some(awarded_on), Some(residence_months)) => {
            let out = residence_fraction(
                table,
                &ResidenceInput {
                    birth_date,
                    awarded_on,
                    residence_months,
                    refugee_origin_months: input.refugee_origin_months.unwrap_or(0),
                },
            )?;
            Ok((out.fraction, out.rule, out.steps))
        }
        (birth, awarded, _) => {
            let field = if birth.is_none() {
                "birth_date"
            } else if awarded.is_none() {
                "awarded_on"
            } else {
                "residence_months"
            };
            Err(input_error(field, "birth_date, awarded_on and residence_months are needed together for the fraction"))
        }
    }
}

/// Computes one pensioner's year: validates the input, selects the rules and rates of the year, and
/// returns the amounts with the full explanation. `rounding` overrides the year's rounding rule.
///
/// # Errors
/// A field is wrong ([`CalcError::Input`] names it), or rates the household needs are missing for the year.
pub fn calculate(table: &RateTable, input: &CalcInput, rounding: Option<Rounding>) -> Result<CalcOutput, CalcError> {
    let household = validate(input)?;
    let (fraction, rule, mut steps) = fraction_of(table, input)?;
    let mut rates = table.year(input.year);
    if rounding.is_some() {
        rates.rounding = rounding;
    }
    let mut used: Vec<Item>;
    let (yearly, monthly, monthly_after_atp, rounding) = match input.scheme {
        SchemeName::Pl => {
            let (items, rules) = pl::required(household);
            rates.require(items, rules)?;
            used = items.to_vec();
            used.extend(
                [Item::MinimumSingle, Item::MinimumOther, Item::AtpPensionerShare]
                    .into_iter()
                    .filter(|&i| rates.get(i).is_some()),
            );
            let facts = Facts {
                household,
                own_income: input.own_income,
                partner_income: input.partner_income,
                partner_work_income: input.partner_work_income,
                fraction,
            };
            let out = pl::compute(&rates, &facts, &mut steps)?;
            (out.yearly, out.monthly, out.monthly_after_atp, out.rounding)
        }
        SchemeName::Gfpl => {
            let facts = LegacyFacts {
                legacy_type: input.legacy_type.unwrap_or(LegacyType::Ordinary),
                household,
                own_income: input.own_income,
                partner_income: input.partner_income,
                fraction,
            };
            let (items, rules) = legacy::required(&facts);
            rates.require(&items, rules)?;
            used = items;
            let out = legacy::compute(&rates, &facts, &mut steps)?;
            (out.yearly, out.monthly, None, out.rounding)
        }
    };
    let mut warnings = Vec::new();
    if rule == FractionRule::Assumed {
        warnings.push(
            "Der er ikke oplyst bopælstid: pensionen er beregnet som fuld pension (40/40). Oplys fødselsdato, \
             tilkendelsesdato og bopælsmåneder for at beregne en eventuel brøkpension."
                .to_owned(),
        );
    }
    let rates_used: Vec<RateUsed> = used
        .iter()
        .filter_map(|&item| rates.entry(item).map(|e| (item, e)))
        .map(|(item, e)| RateUsed {
            item: item.name(),
            name: item.danish(),
            year: input.year,
            value: e.value.to_string(),
            unit: match e.unit {
                super::rates::Unit::KrYear => "kr/year",
                super::rates::Unit::KrMonth => "kr/month",
                super::rates::Unit::Percent => "%",
            },
            status: e.status,
            source: e.source.clone(),
            note: e.note.clone(),
            origin: match &e.origin {
                Origin::BuiltIn => "built-in".to_owned(),
                Origin::Overlay(file) => file.clone(),
            },
        })
        .collect();
    for r in &rates_used {
        match r.status {
            Status::Verified => {}
            Status::Derived => warnings.push(format!(
                "Satsen {} ({}) for {} er beregnet ud fra kilden, ikke aflæst: {}",
                r.item, r.name, r.year, r.note
            )),
            Status::Unverified => warnings.push(format!(
                "Satsen {} ({}) for {} er ikke bekræftet: {}",
                r.item,
                r.name,
                r.year,
                if r.note.is_empty() { "ingen kilde ud over den angivne" } else { &r.note }
            )),
        }
    }
    let settlement = input.paid.map(|paid| {
        let s = settle(yearly, paid);
        steps.extend(s.steps());
        s
    });
    let scheme = match input.scheme {
        SchemeName::Pl => Scheme::Pl,
        SchemeName::Gfpl => Scheme::Gfpl,
    };
    Ok(CalcOutput {
        year: input.year,
        scheme: input.scheme,
        yearly,
        monthly,
        monthly_after_atp,
        fraction: fraction.to_string(),
        rule: rule.name(),
        rounding: rounding.name(),
        steps,
        rates: rates_used,
        warnings,
        settlement,
        revocability: revocability(scheme).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: &str) -> CalcInput {
        serde_json::from_str(json).expect("valid input")
    }

    #[test]
    fn contract_example_input() {
        let out = calculate(
            RateTable::builtin(),
            &input(
                r#"{ "year": 2025, "scheme": "pl", "civil_status": "cohabiting", "partner_is_pensioner": false,
                     "own_income": 126000, "partner_income": 350506, "partner_work_income": 0,
                     "birth_date": "1980-05-01", "awarded_on": "2020-03-01", "residence_months": 288 }"#,
            ),
            None,
        )
        .expect("calc");
        // 15th birthday 1995-05-01 → award 2020-03-01 = 298 months; 9/10 rule: 288 / 268,2 ≥ 1 → full.
        assert_eq!((out.yearly, out.fraction.as_str(), out.rule), (200_848, "100%", "9/10"));
        assert!(out.rates.iter().any(|r| r.item == "partner_disregard" && r.status == Status::Derived));
    }

    #[test]
    fn unknown_fields_and_contradictions_are_named() {
        let err = serde_json::from_str::<CalcInput>(r#"{"year":2025,"scheme":"pl","civil_status":"single","wage":1}"#)
            .expect_err("unknown field");
        assert!(err.to_string().contains("wage"));
        let single_with_partner = input(r#"{"year":2020,"scheme":"pl","civil_status":"single","partner_income":5}"#);
        let err = calculate(RateTable::builtin(), &single_with_partner, None).expect_err("contradiction");
        assert!(err.to_string().starts_with("field partner_income"), "{err}");
        let negative = input(r#"{"year":2020,"scheme":"pl","civil_status":"single","own_income":-5}"#);
        assert!(
            calculate(RateTable::builtin(), &negative, None)
                .expect_err("negative")
                .to_string()
                .starts_with("field own_income")
        );
    }

    #[test]
    fn a_year_without_rates_names_what_is_missing() {
        let err =
            calculate(RateTable::builtin(), &input(r#"{"year":2026,"scheme":"pl","civil_status":"single"}"#), None)
                .expect_err("2026 unknown");
        let text = err.to_string();
        assert!(
            text.contains("no rates for 2026") && text.contains("full_single") && text.contains("allowance_single"),
            "{text}"
        );
    }

    #[test]
    fn settlement_against_what_was_paid() {
        let out = calculate(
            RateTable::builtin(),
            &input(r#"{"year":2025,"scheme":"pl","civil_status":"cohabiting","own_income":126000,"partner_income":350506,"paid":215256}"#),
            None,
        )
        .expect("calc");
        let s = out.settlement.expect("settlement");
        assert_eq!((s.due, s.difference), (200_848, -14_408));
    }

    #[test]
    fn legacy_pension_reports_that_it_cannot_be_revoked() {
        let out = calculate(
            RateTable::builtin(),
            &input(r#"{"year":2018,"scheme":"gfpl","legacy_type":"hoejeste","civil_status":"single"}"#),
            None,
        )
        .expect("calc");
        assert_eq!(out.yearly, 239_724);
        assert!(!out.revocability.possible);
    }
}
