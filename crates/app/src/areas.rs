//! Housing areas and screening runs as recorded with the imports, and the what-if on the area criteria:
//! change a threshold, the minimum number of residents or how many criteria must hold, and see which areas
//! and how many persons would change. The what-if evaluates with the same rule as `gennemgang areas`
//! ([`gennemgang_rules::criteria::evaluate`]); only aggregates are shown (person counts under 5 suppressed,
//! and a total of persons hidden whenever one of the areas it adds up is: see [`what_if`]).

use crate::cases::AppError;
use crate::stats::{Count, count};
use gennemgang_case::actor::Actor;
use gennemgang_case::policy::{Access, authorize};
use gennemgang_rules::criteria::{AreaValues, Bound, CriteriaSet, evaluate};
use gennemgang_rules::tri::Tri;
use gennemgang_store::{Run, RunKind, Store};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// One area as recorded by `gennemgang areas --format json`.
#[derive(Clone, Debug, Deserialize)]
pub struct RecordedArea {
    /// Identifier.
    pub area_id: String,
    /// Name.
    #[serde(default)]
    pub area_name: String,
    /// Municipality (text).
    #[serde(default)]
    pub municipality: String,
    /// Region (text).
    #[serde(default)]
    pub region: String,
    /// Residents.
    pub residents: Option<u64>,
    /// Selected (`None` = undecided).
    pub selected: Option<bool>,
    /// The Danish reason.
    #[serde(default)]
    pub reason: String,
    /// The raw indicator values the set reads.
    #[serde(default, deserialize_with = "decimals")]
    pub indicators: HashMap<String, Option<Decimal>>,
}

/// JSON numbers read exactly as decimals (via their text, so 1.69 stays 1.69).
fn decimals<'de, D: serde::Deserializer<'de>>(d: D) -> Result<HashMap<String, Option<Decimal>>, D::Error> {
    let raw: HashMap<String, Option<serde_json::Number>> = HashMap::deserialize(d)?;
    raw.into_iter()
        .map(|(k, v)| match v {
            None => Ok((k, None)),
            Some(n) => Decimal::from_str(&n.to_string())
                .or_else(|_| Decimal::from_scientific(&n.to_string()))
                .map(|d| (k, Some(d)))
                .map_err(serde::de::Error::custom),
        })
        .collect()
}

impl AreaValues for RecordedArea {
    fn residents(&self) -> Option<u64> {
        self.residents
    }
    fn indicator(&self, name: &str) -> Option<Decimal> {
        self.indicators.get(name).copied().flatten()
    }
}

#[derive(Deserialize)]
struct AreasDocument {
    criteria_set: serde_json::Value,
    areas: Vec<RecordedArea>,
}

#[derive(Deserialize)]
struct ScreeningDocument {
    #[serde(default)]
    candidates_by_area: BTreeMap<String, u64>,
}

/// A recorded area classification, ready to show and to vary.
#[derive(Clone, Debug)]
pub struct Classification {
    /// The run it was recorded in.
    pub run_id: i64,
    /// When.
    pub recorded_at: jiff::Timestamp,
    /// The criteria set as applied.
    pub set: CriteriaSet,
    /// The areas in input order.
    pub areas: Vec<RecordedArea>,
    /// From the newest screening run: per area, persons meeting every other condition of the target group.
    pub candidates: BTreeMap<String, u64>,
}

/// Why a recorded run cannot be read (never expected: the import validated it).
fn corrupt(run: &Run, what: &str) -> AppError {
    AppError::Store(gennemgang_store::StoreError::Corrupt(format!("run {}: {what}", run.id)))
}

/// Parses an areas document (`gennemgang areas --format json`), for the import to refuse a bad one.
///
/// # Errors
/// Not the JSON output of `gennemgang areas`, with what is wrong.
pub fn parse_areas(text: &str) -> Result<(CriteriaSet, Vec<RecordedArea>), String> {
    let doc: AreasDocument = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let set = CriteriaSet::from_data("criteria_set", doc.criteria_set).map_err(|e| e.to_string())?;
    if doc.areas.iter().all(|a| a.indicators.is_empty()) && !doc.areas.is_empty() {
        return Err("areas[].indicators: missing (written by an older gennemgang areas; run it again)".into());
    }
    Ok((set, doc.areas))
}

/// The newest recorded classification, with the newest screening's candidates per area.
///
/// # Errors
/// The role may not see aggregates, or the store fails.
pub async fn latest<S: Store>(store: &S, actor: &Actor) -> Result<Option<Classification>, AppError> {
    authorize(actor, None, Access::Statistics).map_err(|d| AppError::Forbidden(d.to_string()))?;
    let runs = store.runs().await?;
    let Some(run) = runs.iter().find(|r| r.kind == RunKind::Areas) else { return Ok(None) };
    let (set, areas) = parse_areas(&run.body).map_err(|e| corrupt(run, &e))?;
    let candidates = match runs.iter().find(|r| r.kind == RunKind::Screening) {
        Some(s) => {
            serde_json::from_str::<ScreeningDocument>(&s.body)
                .map_err(|e| corrupt(s, &e.to_string()))?
                .candidates_by_area
        }
        None => BTreeMap::new(),
    };
    Ok(Some(Classification { run_id: run.id, recorded_at: run.recorded_at, set, areas, candidates }))
}

/// The recorded runs, newest first (aggregates only).
///
/// # Errors
/// The role may not see aggregates, or the store fails.
pub async fn runs<S: Store>(store: &S, actor: &Actor) -> Result<Vec<Run>, AppError> {
    authorize(actor, None, Access::Statistics).map_err(|d| AppError::Forbidden(d.to_string()))?;
    Ok(store.runs().await?)
}

/// Changed parameters of a criteria set; `None` keeps the recorded value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Minimum number of residents.
    pub min_residents: Option<u64>,
    /// How many criteria must hold.
    pub at_least: Option<usize>,
    /// Per criterion id: the new threshold (absolute criteria) or factor (relative criteria).
    pub bounds: BTreeMap<String, Decimal>,
}

/// Why overrides do not fit the set.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct OverrideError {
    /// The form field.
    pub field: String,
    /// Danish message.
    pub message: String,
}

/// The set with the overrides applied.
///
/// # Errors
/// An unknown criterion, or `at_least` above the number of criteria.
pub fn apply(set: &CriteriaSet, o: &Overrides) -> Result<CriteriaSet, OverrideError> {
    let mut changed = set.clone();
    if let Some(n) = o.min_residents {
        changed.min_residents = Some(n);
    }
    if let Some(n) = o.at_least {
        if n == 0 || n > changed.criteria.len() {
            return Err(OverrideError {
                field: "at_least".into(),
                message: format!("Skal være mellem 1 og {}", changed.criteria.len()),
            });
        }
        changed.at_least = n;
    }
    for (id, value) in &o.bounds {
        let Some(c) = changed.criteria.iter_mut().chain(changed.required.iter_mut()).find(|c| &c.id == id) else {
            return Err(OverrideError { field: format!("b_{id}"), message: "Kriteriet findes ikke i sættet".into() });
        };
        c.bound = match &c.bound {
            Bound::Absolute(_) => Bound::Absolute(*value),
            Bound::Relative { indicator, .. } => Bound::Relative { indicator: indicator.clone(), factor: *value },
        };
    }
    changed.id = format!("{} (ændret)", set.id);
    Ok(changed)
}

/// An area whose selection would change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Identifier.
    pub area_id: String,
    /// Name.
    pub area_name: String,
    /// Selected under the recorded set.
    pub before: Tri,
    /// Selected under the changed set.
    pub after: Tri,
    /// The reason under the changed set.
    pub reason: String,
    /// Persons living there who meet every other condition.
    pub persons: Count,
}

/// The what-if's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhatIf {
    /// Areas selected under the recorded set.
    pub selected_before: usize,
    /// Areas selected under the changed set.
    pub selected_after: usize,
    /// Areas whose selection changes, in input order.
    pub changes: Vec<Change>,
    /// Persons who would join the target group (their area becomes selected); hidden (`x`) when an area
    /// it adds up has a suppressed count.
    pub persons_joining: Count,
    /// Persons who would leave it (their area is no longer selected); hidden likewise.
    pub persons_leaving: Count,
}

/// Evaluates both sets over the recorded areas and reports the difference.
///
/// The totals of persons joining and leaving add up the areas' candidate counts, which the page shows per
/// area (under 5 as `<5`). A total over an area with a suppressed count would give that count away (a
/// total of 12 over the areas of 9 and `<5`), and since the reader picks the criteria, and so which areas
/// are added up, hiding another area's count in one answer would not help: another answer adds up other
/// areas. So a total is shown only when every area in it is shown, and then tells nothing new.
#[must_use]
pub fn what_if(c: &Classification, changed: &CriteriaSet) -> WhatIf {
    let mut out = WhatIf {
        selected_before: 0,
        selected_after: 0,
        changes: Vec::new(),
        persons_joining: count(0),
        persons_leaving: count(0),
    };
    let (mut joining, mut leaving) = (0_u64, 0_u64);
    let (mut joining_hidden, mut leaving_hidden) = (false, false);
    for area in &c.areas {
        let before = evaluate(&c.set, area).selected;
        let after = evaluate(changed, area);
        out.selected_before += usize::from(before == Tri::Yes);
        out.selected_after += usize::from(after.selected == Tri::Yes);
        if before == after.selected {
            continue;
        }
        let persons = c.candidates.get(&area.area_id).copied().unwrap_or(0);
        let shown = count(usize::try_from(persons).unwrap_or(usize::MAX));
        let suppressed = !matches!(shown, Count::Shown(_));
        match (before, after.selected) {
            (_, Tri::Yes) => {
                (joining, joining_hidden) = (joining.saturating_add(persons), joining_hidden || suppressed)
            }
            (Tri::Yes, _) => {
                (leaving, leaving_hidden) = (leaving.saturating_add(persons), leaving_hidden || suppressed)
            }
            _ => {}
        }
        out.changes.push(Change {
            area_id: area.area_id.clone(),
            area_name: area.area_name.clone(),
            before,
            after: after.selected,
            reason: after.reason,
            persons: shown,
        });
    }
    let total =
        |n: u64, hidden: bool| if hidden { Count::HIDDEN } else { count(usize::try_from(n).unwrap_or(usize::MAX)) };
    out.persons_joining = total(joining, joining_hidden);
    out.persons_leaving = total(leaving, leaving_hidden);
    out
}
