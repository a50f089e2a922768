//! The criteria-set file format (CONTRACT.md) and its validation.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::str::FromStr;

/// How an indicator is compared with its threshold, in the law's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// "overstiger": strictly greater.
    Gt,
    /// "mindst" / "udgør mindst": greater or equal.
    Ge,
    /// "mindre end" / "under": strictly less.
    Lt,
    /// "højst": less or equal.
    Le,
}

impl Op {
    /// Applies the comparison.
    #[must_use]
    pub fn holds(self, value: Decimal, threshold: Decimal) -> bool {
        match self {
            Op::Gt => value > threshold,
            Op::Ge => value >= threshold,
            Op::Lt => value < threshold,
            Op::Le => value <= threshold,
        }
    }

    /// The Danish word for the comparison, as the law words it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Op::Gt => "over",
            Op::Ge => "mindst",
            Op::Lt => "under",
            Op::Le => "højst",
        }
    }

    /// The mathematical sign.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Lt => "<",
            Op::Le => "≤",
        }
    }
}

/// What an indicator is compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    /// A fixed threshold.
    Absolute(Decimal),
    /// `factor` × another indicator (e.g. 2 × the national share of convicted).
    Relative {
        /// The indicator the threshold is relative to.
        indicator: String,
        /// The multiplier.
        factor: Decimal,
    },
}

/// One criterion of a set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Criterion {
    /// Identifier; also the prefix of the output columns `<id>_value` and `<id>_met`.
    pub id: String,
    /// Optional Danish label for reasons; defaults to a label for the indicator.
    pub label: Option<String>,
    /// The input column compared.
    pub indicator: String,
    /// The comparison.
    pub op: Op,
    /// The threshold.
    pub bound: Bound,
}

/// A validated criteria set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriteriaSet {
    /// Identifier (`review-2025`).
    pub id: String,
    /// Human title.
    pub title: String,
    /// First day the set applies.
    pub valid_from: Date,
    /// Last day the set applies, if it has ended.
    pub valid_to: Option<Date>,
    /// The law and § it comes from.
    pub legal_basis: String,
    /// Minimum number of residents, if any.
    pub min_residents: Option<u64>,
    /// How many of [`CriteriaSet::criteria`] must hold.
    pub at_least: usize,
    /// The counted criteria.
    pub criteria: Vec<Criterion>,
    /// Conditions that must all hold besides `at_least`.
    pub required: Vec<Criterion>,
}

/// Why a criteria file was refused.
#[derive(Debug, thiserror::Error)]
pub enum CriteriaError {
    /// Not TOML of the expected shape (toml's message names line and column).
    #[error("{file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// What the parser said.
        message: String,
    },
    /// Valid TOML that breaks a rule of the format.
    #[error("{file}: {field}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// The offending field (e.g. `criterion[2].threshold`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// No built-in set has that id.
    #[error("unknown criteria set \"{0}\" (see --list-criteria)")]
    UnknownId(String),
    /// The set is not valid on the date asked for.
    #[error("criteria set {id} is valid {validity}, not on {date}")]
    NotValidOn {
        /// The set.
        id: String,
        /// Its validity as text.
        validity: String,
        /// The date asked for.
        date: Date,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    id: String,
    title: String,
    valid_from: RawDate,
    valid_to: Option<RawDate>,
    legal_basis: String,
    min_residents: Option<i64>,
    at_least: i64,
    // `criteria` is how the JSON outputs (and the recorded runs) name the list.
    #[serde(default, alias = "criteria")]
    criterion: Vec<RawCriterion>,
    #[serde(default)]
    required: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: String,
    label: Option<String>,
    indicator: String,
    op: Op,
    threshold: Option<RawNumber>,
    relative_to: Option<String>,
    factor: Option<RawNumber>,
}

/// TOML allows a date as a bare local date or a string; both are accepted.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawDate {
    Text(String),
    Toml(toml::value::Datetime),
}

/// A number written as TOML integer, float or string; kept exact as a decimal.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawNumber {
    Int(i64),
    Float(f64),
    Text(String),
}

impl RawNumber {
    fn to_decimal(&self) -> Option<Decimal> {
        match self {
            RawNumber::Int(i) => Some(Decimal::from(*i)),
            // Rust prints the shortest text that reads back as the same float, so 2.7 stays 2.7.
            RawNumber::Float(f) if f.is_finite() => Decimal::from_str(&f.to_string()).ok(),
            RawNumber::Float(_) => None,
            RawNumber::Text(s) => Decimal::from_str(s.trim()).ok(),
        }
    }
}

impl RawDate {
    fn to_date(&self) -> Option<Date> {
        let text = match self {
            RawDate::Text(s) => s.clone(),
            RawDate::Toml(dt) => dt.to_string(),
        };
        crate::date::parse_iso(text.as_bytes())
    }
}

impl CriteriaSet {
    /// Parses and validates a criteria file's text. `file` names it in errors.
    ///
    /// # Errors
    /// [`CriteriaError::Syntax`] or [`CriteriaError::Invalid`], naming the field.
    pub fn from_toml(file: &str, text: &str) -> Result<CriteriaSet, CriteriaError> {
        let raw: RawSet = toml::from_str(text).map_err(|e| CriteriaError::Syntax {
            file: file.to_owned(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        CriteriaSet::from_raw(file, raw)
    }

    /// Reads and validates a set from any self-describing data of the same shape, e.g. the `criteria_set`
    /// object of `gennemgang areas --format json` (where the list is called `criteria`). `file` names it in
    /// errors.
    ///
    /// # Errors
    /// As [`CriteriaSet::from_toml`].
    pub fn from_data<'de, D: serde::Deserializer<'de>>(file: &str, data: D) -> Result<CriteriaSet, CriteriaError> {
        let raw = RawSet::deserialize(data)
            .map_err(|e| CriteriaError::Syntax { file: file.to_owned(), message: e.to_string() })?;
        CriteriaSet::from_raw(file, raw)
    }

    fn from_raw(file: &str, raw: RawSet) -> Result<CriteriaSet, CriteriaError> {
        let invalid = |field: String, message: &str| CriteriaError::Invalid {
            file: file.to_owned(),
            field,
            message: message.to_owned(),
        };
        if raw.id.trim().is_empty() {
            return Err(invalid("id".into(), "must not be empty"));
        }
        let valid_from = raw.valid_from.to_date().ok_or_else(|| invalid("valid_from".into(), "is not a date"))?;
        let valid_to = match &raw.valid_to {
            Some(d) => Some(d.to_date().ok_or_else(|| invalid("valid_to".into(), "is not a date"))?),
            None => None,
        };
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(invalid("valid_to".into(), "is before valid_from"));
        }
        let min_residents = match raw.min_residents {
            Some(n) => Some(u64::try_from(n).map_err(|_| invalid("min_residents".into(), "must not be negative"))?),
            None => None,
        };
        let criteria = convert_all(&raw.criterion, "criterion", &invalid)?;
        let required = convert_all(&raw.required, "required", &invalid)?;
        let at_least = usize::try_from(raw.at_least).map_err(|_| invalid("at_least".into(), "must not be negative"))?;
        if at_least > criteria.len() {
            return Err(invalid(
                "at_least".into(),
                &format!("is {at_least} but the set has only {} [[criterion]]", criteria.len()),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for c in criteria.iter().chain(&required) {
            if !seen.insert(c.id.as_str()) {
                return Err(invalid(format!("criterion id \"{}\"", c.id), "is used twice"));
            }
        }
        Ok(CriteriaSet {
            id: raw.id,
            title: raw.title,
            valid_from,
            valid_to,
            legal_basis: raw.legal_basis,
            min_residents,
            at_least,
            criteria,
            required,
        })
    }

    /// Whether the set applies on `date`.
    #[must_use]
    pub fn is_valid_on(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }

    /// The validity as a Dane reads it: "fra 1. december 2025" or "1. december 2018 – 30. november 2021".
    #[must_use]
    pub fn validity(&self) -> String {
        match self.valid_to {
            Some(to) => format!("{} – {}", crate::date::danish(self.valid_from), crate::date::danish(to)),
            None => format!("fra {}", crate::date::danish(self.valid_from)),
        }
    }

    /// Refuses the set unless it applies on `date`.
    ///
    /// # Errors
    /// [`CriteriaError::NotValidOn`].
    pub fn check_valid_on(&self, date: Date) -> Result<(), CriteriaError> {
        if self.is_valid_on(date) {
            Ok(())
        } else {
            Err(CriteriaError::NotValidOn { id: self.id.clone(), validity: self.validity(), date })
        }
    }

    /// Every input column the set reads (indicators and the indicators thresholds are relative to).
    #[must_use]
    pub fn indicators(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in self.criteria.iter().chain(&self.required) {
            for name in std::iter::once(c.indicator.as_str()).chain(match &c.bound {
                Bound::Relative { indicator, .. } => Some(indicator.as_str()),
                Bound::Absolute(_) => None,
            }) {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }
}

fn convert_all(
    raw: &[RawCriterion],
    section: &str,
    invalid: &dyn Fn(String, &str) -> CriteriaError,
) -> Result<Vec<Criterion>, CriteriaError> {
    raw.iter()
        .enumerate()
        .map(|(i, c)| {
            let field = |name: &str| format!("{section}[{}].{name}", i + 1);
            let is_name = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !is_name(&c.id) {
                return Err(invalid(field("id"), "must be letters, digits or _ (it names output columns)"));
            }
            if c.indicator.trim().is_empty() {
                return Err(invalid(field("indicator"), "must not be empty"));
            }
            let bound = match (&c.threshold, &c.relative_to, &c.factor) {
                (Some(t), None, None) => {
                    Bound::Absolute(t.to_decimal().ok_or_else(|| invalid(field("threshold"), "is not a number"))?)
                }
                (None, Some(rel), Some(f)) => Bound::Relative {
                    indicator: rel.clone(),
                    factor: f.to_decimal().ok_or_else(|| invalid(field("factor"), "is not a number"))?,
                },
                (None, Some(_), None) => return Err(invalid(field("factor"), "is required with relative_to")),
                (None, None, Some(_)) => return Err(invalid(field("relative_to"), "is required with factor")),
                (Some(_), _, _) => {
                    return Err(invalid(field("threshold"), "cannot be combined with relative_to/factor"));
                }
                (None, None, None) => {
                    return Err(invalid(field("threshold"), "is required (or relative_to and factor)"));
                }
            };
            Ok(Criterion { id: c.id.clone(), label: c.label.clone(), indicator: c.indicator.clone(), op: c.op, bound })
        })
        .collect()
}

const BUILTIN: [(&str, &str); 4] = [
    ("review-2025", include_str!("builtin/review-2025.toml")),
    ("vulnerable-2018", include_str!("builtin/vulnerable-2018.toml")),
    ("parallel-society-2018", include_str!("builtin/parallel-society-2018.toml")),
    ("prevention-2021", include_str!("builtin/prevention-2021.toml")),
];

/// All built-in criteria sets, in a stable order.
#[must_use]
pub fn builtin_sets() -> Vec<CriteriaSet> {
    BUILTIN.iter().filter_map(|(id, text)| CriteriaSet::from_toml(&format!("built-in {id}"), text).ok()).collect()
}

/// One built-in set by id.
///
/// # Errors
/// [`CriteriaError::UnknownId`].
pub fn builtin(id: &str) -> Result<CriteriaSet, CriteriaError> {
    let (_, text) =
        BUILTIN.iter().find(|(bid, _)| *bid == id).ok_or_else(|| CriteriaError::UnknownId(id.to_owned()))?;
    CriteriaSet::from_toml(&format!("built-in {id}"), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CONTRACT.md: "A criteria file looks like this and must be accepted as written".
    const CONTRACT_EXAMPLE: &str = r#"
id = "example-2014"
title = "Example: 3 of 5 criteria"
valid_from = "2014-12-01"          # optional valid_to
legal_basis = "text naming the law and §"
min_residents = 1000                # area must have at least this many residents
at_least = 3                        # how many [[criterion]] must hold

[[criterion]]
id = "non_western"
indicator = "share_non_western_pct"
op = "gt"                           # gt, ge, lt, le
threshold = 50.0

[[criterion]]
id = "convicted"
indicator = "convicted_share_pct"
op = "ge"
relative_to = "national_convicted_share_pct"   # threshold = factor × this indicator
factor = 2.0

[[required]]                        # optional: conditions that must all hold besides at_least
id = "non_western_30"
indicator = "share_non_western_pct"
op = "gt"
threshold = 30.0
"#;

    #[test]
    fn contract_example_is_accepted_as_written() {
        // at_least = 3 with only two [[criterion]] would be unsatisfiable; the contract's example is an
        // excerpt ("3 of 5"), so complete it with three more criteria before parsing.
        let text = format!(
            "{CONTRACT_EXAMPLE}\n{}",
            ["a", "b", "c"]
                .map(|id| format!("[[criterion]]\nid = \"{id}\"\nindicator = \"{id}\"\nop = \"lt\"\nthreshold = 1\n"))
                .join("\n")
        );
        let set = CriteriaSet::from_toml("example.toml", &text).expect("accepted");
        assert_eq!(set.id, "example-2014");
        assert_eq!(set.at_least, 3);
        assert_eq!(set.min_residents, Some(1000));
        assert_eq!(set.criteria[0].bound, Bound::Absolute(Decimal::new(50, 0)));
        assert_eq!(
            set.criteria[1].bound,
            Bound::Relative { indicator: "national_convicted_share_pct".into(), factor: Decimal::new(2, 0) }
        );
        assert_eq!(set.required.len(), 1);
        assert_eq!(set.valid_from, jiff::civil::date(2014, 12, 1));
    }

    #[test]
    fn thresholds_stay_exact() {
        let text = "id='x'\ntitle='t'\nvalid_from=2010-01-01\nlegal_basis='b'\nat_least=1\n\
                    [[criterion]]\nid='c'\nindicator='i'\nop='gt'\nthreshold=2.7\n";
        let set = CriteriaSet::from_toml("x.toml", text).expect("ok");
        assert_eq!(set.criteria[0].bound, Bound::Absolute(Decimal::new(27, 1)));
    }

    #[test]
    fn errors_name_the_field() {
        let base = "id='x'\ntitle='t'\nvalid_from='2010-01-01'\nlegal_basis='b'\nat_least=1\n";
        let err =
            |extra: &str| CriteriaSet::from_toml("x.toml", &format!("{base}{extra}")).expect_err("refused").to_string();
        assert!(err("[[criterion]]\nid='c'\nindicator='i'\nop='gt'\n").contains("criterion[1].threshold"));
        assert!(err("[[criterion]]\nid='c'\nindicator='i'\nop='gt'\nrelative_to='n'\n").contains("factor"));
        assert!(err("[[criterion]]\nid='c'\nindicator='i'\nop='eq'\nthreshold=1\n").contains("x.toml"));
        assert!(err("[[criterion]]\nid='c'\nindicator='i'\nop='gt'\ntreshold=1\n").contains("treshold"));
        assert!(err("").contains("at_least"));
        assert!(
            err("[[criterion]]\nid='c'\nindicator='i'\nop='gt'\nthreshold=1\n[[required]]\nid='c'\nindicator='j'\nop='gt'\nthreshold=1\n")
                .contains("used twice")
        );
    }

    #[test]
    fn builtins_parse_and_are_dated() {
        let sets = builtin_sets();
        assert_eq!(sets.len(), BUILTIN.len());
        for set in &sets {
            assert!(!set.legal_basis.is_empty(), "{}", set.id);
        }
        let review = builtin("review-2025").expect("built in");
        assert!(review.is_valid_on(jiff::civil::date(2026, 7, 1)));
        assert!(!review.is_valid_on(jiff::civil::date(2025, 11, 30)));
        assert!(matches!(builtin("nope"), Err(CriteriaError::UnknownId(_))));
    }
}
