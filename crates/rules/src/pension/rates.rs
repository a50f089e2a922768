//! Rates (satser) as dated data: the built-in table, overlays for a what-if, and one year's resolved rates.
//!
//! Rates are regulated every calendar year, so every value is keyed by year (or a range of years for the
//! percentages the law itself fixes). A calculation asks for exactly the items it uses; an item that is not
//! known for the year is an error that names it — a rate is never carried over from another year.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::OnceLock;

const BUILTIN: &str = include_str!("builtin/rates.toml");

macro_rules! items {
    ($($variant:ident = $name:literal, $kind:ident, $danish:literal;)*) => {
        /// A rate, allowance, cap or percentage the calculations use.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Item { $(#[doc = $danish] $variant,)* }

        impl Item {
            /// Every item, in declaration order.
            pub const ALL: &'static [Item] = &[$(Item::$variant,)*];

            /// The name used in rate files.
            #[must_use]
            pub fn name(self) -> &'static str { match self { $(Item::$variant => $name,)* } }

            /// What kind of number the item is.
            #[must_use]
            pub fn kind(self) -> Kind { match self { $(Item::$variant => Kind::$kind,)* } }

            /// The Danish name a caseworker reads.
            #[must_use]
            pub fn danish(self) -> &'static str { match self { $(Item::$variant => $danish,)* } }

            /// The item with this file name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Item> {
                match name { $($name => Some(Item::$variant),)* _ => None }
            }
        }
    };
}

items! {
    FullSingle = "full_single", Kroner, "førtidspension, enlige";
    FullOther = "full_other", Kroner, "førtidspension, andre (gifte/samlevende)";
    SupplementSingle = "supplement_single", Kroner, "heraf pensionstillæg, enlige";
    SupplementOther = "supplement_other", Kroner, "heraf pensionstillæg, andre";
    AllowanceSingle = "allowance_single", Kroner, "fradragsbeløb, enlige";
    AllowanceCouple = "allowance_couple", Kroner, "fradragsbeløb, gifte/samlevende";
    PartnerDisregard = "partner_disregard", Kroner, "fradrag i indtægt hos ægtefælle/samlever, der ikke er pensionist";
    PartnerCapPensioner = "partner_cap_pensioner", Kroner, "maksimalt bidrag fra ægtefælle/samlever, der er pensionist";
    PartnerCapNonPensioner = "partner_cap_non_pensioner", Kroner, "maksimalt bidrag fra ægtefælle/samlever, der ikke er pensionist";
    ReductionPct = "reduction_pct", Percent, "nedsættelsesprocent";
    ReductionPctPartnerPensioner = "reduction_pct_partner_pensioner", Percent, "nedsættelsesprocent, når ægtefællen/samleveren har ret til pension";
    MinimumSingle = "minimum_single", Kroner, "minimumsbeløb (1/40), enlige";
    MinimumOther = "minimum_other", Kroner, "minimumsbeløb (1/40), andre";
    AtpPensionerShare = "atp_pensioner_share", Kroner, "ATP-bidrag, pensionistens andel";
    CutOffSingle = "cut_off_single", Kroner, "bortfaldsgrænse, enlige";
    CutOffPartnerPensioner = "cut_off_partner_pensioner", Kroner, "bortfaldsgrænse, gift med pensionist";
    CutOffPartnerNonPensioner = "cut_off_partner_non_pensioner", Kroner, "bortfaldsgrænse, gift med ikke-pensionist";
    GfplBasic = "gfpl_basic", Kroner, "grundbeløb (gammel førtidspension)";
    GfplSupplementSingle = "gfpl_supplement_single", Kroner, "pensionstillæg, enlige (gammel førtidspension)";
    GfplSupplementOther = "gfpl_supplement_other", Kroner, "pensionstillæg, andre (gammel førtidspension)";
    GfplInvalidity = "gfpl_invalidity", Kroner, "invaliditetsbeløb";
    GfplIncapacity = "gfpl_incapacity", Kroner, "erhvervsudygtighedsbeløb";
    GfplEarly = "gfpl_early", Kroner, "førtidsbeløb";
    GfplExtraOrdinary = "gfpl_extra_ordinary", Kroner, "ekstra tillægsydelse (almindelig førtidspension)";
    GfplExtraRaised = "gfpl_extra_raised", Kroner, "ekstra tillægsydelse (forhøjet almindelig førtidspension)";
    GfplBasicAllowanceSingle = "gfpl_basic_allowance_single", Kroner, "fradragsbeløb for grundbeløbet, enlige";
    GfplBasicAllowanceCouple = "gfpl_basic_allowance_couple", Kroner, "fradragsbeløb for grundbeløbet, gifte/samlevende";
    GfplBasicReductionPct = "gfpl_basic_reduction_pct", Percent, "nedsættelsesprocent for grundbeløbet";
    GfplSupplementAllowanceSingle = "gfpl_supplement_allowance_single", Kroner, "fradragsbeløb for pensionstillægget, enlige";
    GfplSupplementAllowanceCouple = "gfpl_supplement_allowance_couple", Kroner, "fradragsbeløb for pensionstillægget, gifte/samlevende";
    GfplSupplementReductionPctSingle = "gfpl_supplement_reduction_pct_single", Percent, "nedsættelsesprocent for pensionstillægget, enlige";
    GfplSupplementReductionPctCouple = "gfpl_supplement_reduction_pct_couple", Percent, "nedsættelsesprocent for pensionstillægget, gift med ikke-pensionist";
    GfplSupplementReductionPctPartnerPensioner = "gfpl_supplement_reduction_pct_partner_pensioner", Percent, "nedsættelsesprocent for pensionstillægget, begge pensionister";
    GfplPartnerDisregardPct = "gfpl_partner_disregard_pct", Percent, "andel af ikke-pensionist ægtefælles indtægt, der ses bort fra";
    GfplPartnerDisregardMax = "gfpl_partner_disregard_max", Kroner, "indtægt hos ægtefællen, som andelen højst regnes af";
}

/// Whether an item is an amount in kroner or a percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Kroner a year (a monthly value in a file is converted by × 12).
    Kroner,
    /// A percentage, kept in basis points (1 % = 100).
    Percent,
}

/// How a value is written in a rate file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Unit {
    /// Kroner a year.
    #[serde(rename = "kr/year")]
    KrYear,
    /// Kroner a month; a year is 12 months.
    #[serde(rename = "kr/month")]
    KrMonth,
    /// Percent.
    #[serde(rename = "%")]
    Percent,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::KrYear => "kr/year",
            Unit::KrMonth => "kr/month",
            Unit::Percent => "%",
        }
    }
}

/// How far a value can be trusted (RULES.md's conventions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read in the cited source.
    Verified,
    /// Arithmetic on numbers from the source; the note says which.
    Derived,
    /// Plausible but not confirmed: shown as a warning wherever it is used.
    Unverified,
}

/// A named choice that holds over a range of years (which rounding, whether partner wages count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleName {
    /// See [`super::rounding::Rounding`].
    Rounding,
    /// See [`PartnerWork`].
    PartnerWorkIncome,
    /// See [`MinimumPayout`].
    MinimumPayout,
}

impl RuleName {
    fn from_name(name: &str) -> Option<RuleName> {
        match name {
            "rounding" => Some(RuleName::Rounding),
            "partner_work_income" => Some(RuleName::PartnerWorkIncome),
            "minimum_payout" => Some(RuleName::MinimumPayout),
            _ => None,
        }
    }

    /// The name used in rate files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RuleName::Rounding => "rounding",
            RuleName::PartnerWorkIncome => "partner_work_income",
            RuleName::MinimumPayout => "minimum_payout",
        }
    }
}

/// Whether a partner's income from personal work counts in the income basis (PL § 32 a).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerWork {
    /// Counted (years up to 2022).
    Counted,
    /// Disregarded (from 2023, lov nr. 875 af 21/6 2022).
    Excluded,
}

/// What happens to a pension that is positive but below the minimum amount (1/40).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinimumPayout {
    /// Paid with the minimum amount.
    Raise,
    /// Not paid.
    Withhold,
}

/// Where a rate came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The table built into this version.
    BuiltIn,
    /// An overlay file given by the user.
    Overlay(String),
}

/// One value of the table, as written in the file.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The item.
    pub item: Item,
    /// First year the value holds.
    pub from: i16,
    /// Last year, if the value does not hold indefinitely.
    pub to: Option<i16>,
    /// The value as written.
    pub value: Decimal,
    /// The unit as written.
    pub unit: Unit,
    /// How far it can be trusted.
    pub status: Status,
    /// Where the number was read.
    pub source: String,
    /// What the source says, or how it was derived.
    pub note: String,
    /// Built in or overlaid.
    pub origin: Origin,
}

impl Entry {
    fn covers(&self, year: i16) -> bool {
        self.from <= year && self.to.is_none_or(|to| year <= to)
    }

    /// The value in the calculation's unit: kroner a year, or basis points.
    fn resolved(&self) -> Option<i64> {
        let scaled = match (self.item.kind(), self.unit) {
            (Kind::Kroner, Unit::KrYear) => self.value,
            (Kind::Kroner, Unit::KrMonth) => self.value * Decimal::from(12),
            (Kind::Percent, Unit::Percent) => self.value * Decimal::from(100),
            _ => return None,
        };
        (scaled.fract().is_zero()).then(|| i64::try_from(scaled).ok()).flatten()
    }
}

/// A named rule over a range of years.
#[derive(Clone, Debug)]
pub struct RuleEntry {
    /// Which rule.
    pub name: RuleName,
    /// The chosen value, as written.
    pub value: String,
    /// First year.
    pub from: i16,
    /// Last year, if any.
    pub to: Option<i16>,
    /// Source.
    pub source: String,
    /// Note.
    pub note: String,
    /// Built in or overlaid.
    pub origin: Origin,
}

/// Parameters of the brøkpension rule selection (PL § 6, GFPL § 5).
#[derive(Clone, Debug)]
pub struct FractionParams {
    /// Awards from this date may fall under the 9/10 rule.
    pub nine_tenths_awarded_from: Date,
    /// … if folkepensionsalder is reached on or after this date.
    pub nine_tenths_pension_age_from: Date,
    /// Whether refugees' residence in the country of origin counts as residence.
    pub refugee_origin_counts: bool,
    /// Source.
    pub source: String,
    /// Note.
    pub note: String,
}

/// Folkepensionsalder for those born before a date (PL § 1 a).
#[derive(Clone, Copy, Debug)]
pub struct PensionAge {
    /// Applies to persons born before this date (and after the previous row's); `None` for the last row.
    pub born_before: Option<Date>,
    /// Years.
    pub years: i8,
    /// And months.
    pub months: i8,
}

/// Everything wrong with a rate file, or a calculation's missing rates.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RatesError {
    /// Not TOML, or not the expected shape.
    #[error("{origin}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// One entry is wrong.
    #[error("{origin}: {table} entry {index} ({what}): field {field}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// `rate` or `rule`.
        table: &'static str,
        /// 1-based position among the file's entries of that table.
        index: usize,
        /// Item name and year, to find it.
        what: String,
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The year lacks values a calculation needs.
    #[error(
        "no rates for {year}: missing {} (rates are never guessed; give them with --rates FILE.toml)",
        missing.join(", ")
    )]
    Missing {
        /// The year.
        year: i16,
        /// What is missing, by file name.
        missing: Vec<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rate: Vec<RawRate>,
    #[serde(default)]
    rule: Vec<RawRule>,
    fraction: Option<RawFraction>,
    #[serde(default)]
    pension_age: Vec<RawPensionAge>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRate {
    item: String,
    year: Option<i16>,
    from: Option<i16>,
    to: Option<i16>,
    value: toml::Value,
    unit: Unit,
    #[serde(default = "unverified")]
    status: Status,
    source: String,
    #[serde(default)]
    note: String,
}

fn unverified() -> Status {
    Status::Unverified
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    value: String,
    from: i16,
    to: Option<i16>,
    source: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFraction {
    nine_tenths_awarded_from: toml::value::Datetime,
    nine_tenths_pension_age_from: toml::value::Datetime,
    refugee_origin_counts: bool,
    source: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPensionAge {
    born_before: Option<toml::value::Datetime>,
    years: i8,
    months: i8,
}

/// The rate table: built-in values with any overlays in front.
#[derive(Clone, Debug)]
pub struct RateTable {
    /// Entries in precedence order: the first that covers a year wins.
    entries: Vec<Entry>,
    rules: Vec<RuleEntry>,
    fraction: FractionParams,
    pension_ages: Vec<PensionAge>,
}

struct Parsed {
    entries: Vec<Entry>,
    rules: Vec<RuleEntry>,
    fraction: Option<FractionParams>,
    pension_ages: Vec<PensionAge>,
}

impl RateTable {
    /// The table built into this version.
    ///
    /// # Panics
    /// Never in a released build: the built-in file is checked by a test.
    #[must_use]
    pub fn builtin() -> &'static RateTable {
        static TABLE: OnceLock<RateTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let parsed = parse(BUILTIN, &Origin::BuiltIn);
            #[expect(clippy::expect_used, reason = "the built-in table is validated by the test suite")]
            let parsed = parsed.expect("built-in rates.toml is valid");
            #[expect(clippy::expect_used, reason = "the built-in table is validated by the test suite")]
            let fraction = parsed.fraction.expect("built-in rates.toml has [fraction]");
            RateTable { entries: parsed.entries, rules: parsed.rules, fraction, pension_ages: parsed.pension_ages }
        })
    }

    /// This table with the entries of `text` (a file in the same format) taking precedence.
    ///
    /// # Errors
    /// The file is not valid TOML or an entry is wrong; the error names the file, entry and field.
    pub fn overlay(&self, text: &str, origin: &str) -> Result<RateTable, RatesError> {
        let parsed = parse(text, &Origin::Overlay(origin.to_owned()))?;
        let mut entries = parsed.entries;
        entries.extend(self.entries.iter().cloned());
        let mut rules = parsed.rules;
        rules.extend(self.rules.iter().cloned());
        Ok(RateTable {
            entries,
            rules,
            fraction: parsed.fraction.unwrap_or_else(|| self.fraction.clone()),
            pension_ages: if parsed.pension_ages.is_empty() { self.pension_ages.clone() } else { parsed.pension_ages },
        })
    }

    /// The entry that holds for `item` in `year`, if any.
    #[must_use]
    pub fn entry(&self, item: Item, year: i16) -> Option<&Entry> {
        self.entries.iter().find(|e| e.item == item && e.covers(year))
    }

    /// The rule that holds for `name` in `year`, if any.
    #[must_use]
    pub fn rule(&self, name: RuleName, year: i16) -> Option<&RuleEntry> {
        self.rules.iter().find(|r| r.name == name && r.from <= year && r.to.is_none_or(|to| year <= to))
    }

    /// The brøkpension parameters.
    #[must_use]
    pub fn fraction(&self) -> &FractionParams {
        &self.fraction
    }

    /// The folkepensionsalder of a person born on `birth`, as (years, months).
    #[must_use]
    pub fn pension_age(&self, birth: Date) -> (i8, i8) {
        self.pension_ages
            .iter()
            .find(|row| row.born_before.is_none_or(|before| birth < before))
            .map_or((0, 0), |row| (row.years, row.months))
    }

    /// One year's values, resolved for fast lookup.
    #[must_use]
    pub fn year(&self, year: i16) -> YearRates<'_> {
        let mut values = [None; Item::ALL.len()];
        for (slot, &item) in values.iter_mut().zip(Item::ALL) {
            *slot = self.entry(item, year).and_then(|e| e.resolved().map(|v| (v, e)));
        }
        let rounding = self.rule(RuleName::Rounding, year).and_then(|r| super::rounding::Rounding::from_name(&r.value));
        let partner_work = self.rule(RuleName::PartnerWorkIncome, year).and_then(|r| match r.value.as_str() {
            "counted" => Some(PartnerWork::Counted),
            "excluded" => Some(PartnerWork::Excluded),
            _ => None,
        });
        let minimum = self.rule(RuleName::MinimumPayout, year).and_then(|r| match r.value.as_str() {
            "raise" => Some(MinimumPayout::Raise),
            "withhold" => Some(MinimumPayout::Withhold),
            _ => None,
        });
        YearRates { year, values, rounding, partner_work, minimum, table: self }
    }
}

/// One year's rates, resolved to integers (kroner a year; basis points for percentages).
#[derive(Clone, Debug)]
pub struct YearRates<'a> {
    /// The year.
    pub year: i16,
    values: [Option<(i64, &'a Entry)>; Item::ALL.len()],
    /// The rounding rule of the year.
    pub rounding: Option<super::rounding::Rounding>,
    /// Whether the partner's work income counts.
    pub partner_work: Option<PartnerWork>,
    /// The minimum payout rule.
    pub minimum: Option<MinimumPayout>,
    table: &'a RateTable,
}

impl<'a> YearRates<'a> {
    /// The value of `item`, if known for the year.
    #[must_use]
    #[inline]
    pub fn get(&self, item: Item) -> Option<i64> {
        self.values[item as usize].map(|(v, _)| v)
    }

    /// The entry behind `item`, for the explanation.
    #[must_use]
    pub fn entry(&self, item: Item) -> Option<&'a Entry> {
        self.values[item as usize].map(|(_, e)| e)
    }

    /// The table the year was resolved from.
    #[must_use]
    pub fn table(&self) -> &'a RateTable {
        self.table
    }

    /// Checks that every item in `needed` is known, naming all that are not.
    ///
    /// # Errors
    /// [`RatesError::Missing`] listing every missing item (and rule) by its file name.
    pub fn require(&self, needed: &[Item], rules: &[RuleName]) -> Result<(), RatesError> {
        let mut missing: Vec<String> = needed
            .iter()
            .filter(|&&item| self.get(item).is_none())
            .map(|&item| format!("{} ({})", item.name(), item.danish()))
            .collect();
        for &rule in rules {
            let known = match rule {
                RuleName::Rounding => self.rounding.is_some(),
                RuleName::PartnerWorkIncome => self.partner_work.is_some(),
                RuleName::MinimumPayout => self.minimum.is_some(),
            };
            if !known {
                missing.push(format!("rule {}", rule.name()));
            }
        }
        if missing.is_empty() { Ok(()) } else { Err(RatesError::Missing { year: self.year, missing }) }
    }
}

fn parse(text: &str, origin: &Origin) -> Result<Parsed, RatesError> {
    let origin_name = match origin {
        Origin::BuiltIn => "built-in rates.toml".to_owned(),
        Origin::Overlay(name) => name.clone(),
    };
    let raw: RawFile = toml::from_str(text)
        .map_err(|e| RatesError::Parse { origin: origin_name.clone(), message: e.to_string().replace('\n', " ") })?;
    let mut entries = Vec::with_capacity(raw.rate.len());
    for (i, r) in raw.rate.into_iter().enumerate() {
        let what = format!("{} {}", r.item, r.year.or(r.from).map(|y| y.to_string()).unwrap_or_default());
        let invalid = |field: &'static str, message: String| RatesError::Invalid {
            origin: origin_name.clone(),
            table: "rate",
            index: i + 1,
            what: what.clone(),
            field,
            message,
        };
        let item = Item::from_name(&r.item).ok_or_else(|| {
            let known: Vec<&str> = Item::ALL.iter().map(|i| i.name()).collect();
            invalid("item", format!("unknown item \"{}\"; known items: {}", r.item, known.join(", ")))
        })?;
        let (from, to) = match (r.year, r.from, r.to) {
            (Some(y), None, None) => (y, Some(y)),
            (None, Some(from), to) => (from, to),
            _ => return Err(invalid("year", "give either `year` or `from` (with an optional `to`)".into())),
        };
        if !(1900..=2200).contains(&from) || to.is_some_and(|to| to < from || to > 2200) {
            return Err(invalid("year", format!("years must lie in 1900-2200 with from ≤ to, got {from}-{to:?}")));
        }
        let value = match &r.value {
            toml::Value::Integer(n) => Decimal::from(*n),
            toml::Value::Float(f) => Decimal::try_from(*f).map_err(|e| invalid("value", e.to_string()))?,
            toml::Value::String(s) => s.parse::<Decimal>().map_err(|e| invalid("value", e.to_string()))?,
            other => return Err(invalid("value", format!("expected a number, got {}", other.type_str()))),
        };
        if value.is_sign_negative() {
            return Err(invalid("value", format!("must not be negative, got {value}")));
        }
        if r.source.trim().is_empty() {
            return Err(invalid("source", "every value needs its source".into()));
        }
        let entry = Entry {
            item,
            from,
            to,
            value,
            unit: r.unit,
            status: r.status,
            source: r.source,
            note: r.note,
            origin: origin.clone(),
        };
        if entry.resolved().is_none() {
            let expected = match item.kind() {
                Kind::Kroner => "whole kroner in kr/year or kr/month",
                Kind::Percent => "a percentage (unit \"%\") with at most two decimals",
            };
            return Err(invalid("unit", format!("{} is {expected}, got {} {}", item.name(), value, r.unit.as_str())));
        }
        entries.push(entry);
    }
    let mut rules = Vec::with_capacity(raw.rule.len());
    for (i, r) in raw.rule.into_iter().enumerate() {
        let invalid = |field: &'static str, message: String| RatesError::Invalid {
            origin: origin_name.clone(),
            table: "rule",
            index: i + 1,
            what: format!("{} {}", r.name, r.from),
            field,
            message,
        };
        let name = RuleName::from_name(&r.name).ok_or_else(|| {
            invalid(
                "name",
                format!("unknown rule \"{}\"; known: rounding, partner_work_income, minimum_payout", r.name),
            )
        })?;
        let allowed: &[&str] = match name {
            RuleName::Rounding => super::rounding::Rounding::NAMES,
            RuleName::PartnerWorkIncome => &["counted", "excluded"],
            RuleName::MinimumPayout => &["raise", "withhold"],
        };
        if !allowed.contains(&r.value.as_str()) {
            return Err(invalid("value", format!("\"{}\" is not one of {}", r.value, allowed.join(", "))));
        }
        rules.push(RuleEntry {
            name,
            value: r.value.clone(),
            from: r.from,
            to: r.to,
            source: r.source.clone(),
            note: r.note.clone(),
            origin: origin.clone(),
        });
    }
    let fraction = match raw.fraction {
        None => None,
        Some(f) => {
            let date = |d: &toml::value::Datetime, field: &'static str| {
                d.date
                    .and_then(|d| {
                        Date::new(i16::try_from(d.year).ok()?, i8::try_from(d.month).ok()?, i8::try_from(d.day).ok()?)
                            .ok()
                    })
                    .ok_or_else(|| RatesError::Invalid {
                        origin: origin_name.clone(),
                        table: "fraction",
                        index: 1,
                        what: "fraction".into(),
                        field,
                        message: format!("expected a date, got {d}"),
                    })
            };
            Some(FractionParams {
                nine_tenths_awarded_from: date(&f.nine_tenths_awarded_from, "nine_tenths_awarded_from")?,
                nine_tenths_pension_age_from: date(&f.nine_tenths_pension_age_from, "nine_tenths_pension_age_from")?,
                refugee_origin_counts: f.refugee_origin_counts,
                source: f.source,
                note: f.note,
            })
        }
    };
    let mut pension_ages = Vec::with_capacity(raw.pension_age.len());
    for (i, row) in raw.pension_age.iter().enumerate() {
        let born_before = match &row.born_before {
            None => None,
            Some(d) => Some(
                d.date
                    .and_then(|d| {
                        Date::new(i16::try_from(d.year).ok()?, i8::try_from(d.month).ok()?, i8::try_from(d.day).ok()?)
                            .ok()
                    })
                    .ok_or_else(|| RatesError::Invalid {
                        origin: origin_name.clone(),
                        table: "pension_age",
                        index: i + 1,
                        what: "pension_age".into(),
                        field: "born_before",
                        message: format!("expected a date, got {d}"),
                    })?,
            ),
        };
        pension_ages.push(PensionAge { born_before, years: row.years, months: row.months });
    }
    Ok(Parsed { entries, rules, fraction, pension_ages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_every_year_2003_to_2025_has_values() {
        let table = RateTable::builtin();
        for year in 2003..=2013 {
            let rates = table.year(year);
            for item in [Item::FullSingle, Item::FullOther, Item::AllowanceSingle, Item::AllowanceCouple] {
                assert!(rates.get(item).is_some(), "{year} {item:?}");
            }
        }
        assert_eq!(table.year(2015).get(Item::FullSingle), Some(215_100), "17.925 kr./md × 12");
        assert_eq!(table.year(2015).get(Item::ReductionPct), Some(3000), "30 % in basis points");
        assert_eq!(table.year(2030).get(Item::ReductionPct), Some(3000), "the law's percentage holds on");
        assert_eq!(table.year(2030).get(Item::FullSingle), None, "rates are never carried forward");
    }

    #[test]
    fn bm_dk_2015_partner_disregard_equals_twelve_times_the_monthly_rate_for_others() {
        // bm.dk satser 2015: 15.236 kr./md for others; 182.832 kr. disregarded of a non-pensioner's income.
        let rates = RateTable::builtin().year(2015);
        assert_eq!(rates.get(Item::FullOther), rates.get(Item::PartnerDisregard));
    }

    #[test]
    fn missing_rates_are_named_all_at_once() {
        let rates = RateTable::builtin().year(2025);
        let err = rates.require(&[Item::FullSingle, Item::AllowanceSingle, Item::ReductionPct], &[]);
        let Err(RatesError::Missing { year, missing }) = err else { panic!("expected missing") };
        assert_eq!(year, 2025);
        assert_eq!(missing.len(), 2);
        assert!(missing[0].starts_with("full_single"));
        assert!(missing[1].starts_with("allowance_single"));
    }

    #[test]
    fn an_overlay_wins_and_names_its_file_in_errors() {
        let overlay =
            "[[rate]]\nitem = \"full_single\"\nyear = 2026\nvalue = 21000\nunit = \"kr/month\"\nsource = \"what-if\"\n";
        let table = RateTable::builtin().overlay(overlay, "whatif.toml").expect("valid");
        assert_eq!(table.year(2026).get(Item::FullSingle), Some(252_000));
        assert_eq!(table.year(2026).entry(Item::FullSingle).map(|e| e.status), Some(Status::Unverified));

        let bad = "[[rate]]\nitem = \"full_singel\"\nyear = 2026\nvalue = 1\nunit = \"kr/year\"\nsource = \"x\"\n";
        let err = RateTable::builtin().overlay(bad, "bad.toml").expect_err("unknown item");
        assert!(err.to_string().starts_with("bad.toml: rate entry 1 (full_singel 2026): field item"), "{err}");

        let fractional =
            "[[rate]]\nitem = \"full_single\"\nyear = 2026\nvalue = 1.5\nunit = \"kr/year\"\nsource = \"x\"\n";
        let err = RateTable::builtin().overlay(fractional, "f.toml").expect_err("øre in a rate");
        assert!(err.to_string().contains("field unit"), "{err}");

        let unknown_field = "[[rate]]\nitem = \"full_single\"\nyear = 2026\nvalue = 1\nunit = \"kr/year\"\nsource = \"x\"\ncolour = 1\n";
        let err = RateTable::builtin().overlay(unknown_field, "u.toml").expect_err("unknown field");
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn folkepensionsalder_boundaries() {
        let table = RateTable::builtin();
        let d = |y, m, day| Date::new(y, m, day).expect("date");
        assert_eq!(table.pension_age(d(1953, 12, 31)), (65, 0));
        assert_eq!(table.pension_age(d(1954, 1, 1)), (65, 6));
        assert_eq!(table.pension_age(d(1958, 7, 1)), (67, 0));
        assert_eq!(table.pension_age(d(1980, 5, 1)), (70, 0));
    }
}
