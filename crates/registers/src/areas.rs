//! Housing-area files: the indicator input of `gennemgang areas`, its classification output (CSV or JSON),
//! and reading that output back as the list of selected areas for `gennemgang screen`.

use crate::csvio::{self, Schema};
use crate::error::{FieldError, RegisterError};
use gennemgang_rules::criteria::{AreaOutcome, AreaValues, Bound, CriteriaSet, evaluate};
use gennemgang_rules::tri::Tri;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

/// The indicator columns CONTRACT.md names.
pub const INDICATORS: [&str; 6] = [
    "share_no_work_or_education_pct",
    "convicted_share_pct",
    "national_convicted_share_pct",
    "share_basic_education_pct",
    "income_pct_of_region",
    "share_non_western_pct",
];

/// The national share of convicted, which `--national-convicted-share` may supply.
pub const NATIONAL_CONVICTED: &str = "national_convicted_share_pct";

/// One input area.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaRow {
    /// Identifier.
    pub area_id: String,
    /// Name.
    pub area_name: String,
    /// Municipality (text).
    pub municipality: String,
    /// Region (text).
    pub region: String,
    /// Residents.
    pub residents: Option<u64>,
    /// Indicator values by column name (absent = unknown).
    pub values: HashMap<String, Decimal>,
}

impl AreaValues for AreaRow {
    fn residents(&self) -> Option<u64> {
        self.residents
    }
    fn indicator(&self, name: &str) -> Option<Decimal> {
        self.values.get(name).copied()
    }
}

fn decimal(column: &str, bytes: &[u8]) -> Result<Option<Decimal>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FieldError::hidden(column, "is not valid UTF-8"))?;
    let value = Decimal::from_str(text).map_err(|_| FieldError::value(column, bytes, "is not a decimal number"))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(FieldError::value(column, bytes, "is negative"));
    }
    let is_share = column.starts_with("share_") || column.contains("convicted_share");
    if is_share && value > Decimal::ONE_HUNDRED {
        return Err(FieldError::value(column, bytes, "is a share above 100 %"));
    }
    Ok(Some(value))
}

/// A one-line text of an areas file (an id, a name, a municipality): what goes on to the screening, the
/// case and the letter, so a control character or a direction override is refused here, at the source.
fn text(bytes: &[u8], column: &str) -> Result<String, FieldError> {
    Ok(crate::fields::line(column, bytes, 200)?.unwrap_or_default().to_owned())
}

/// Reads an areas file for `set`. The columns the set uses must be present (the national share of
/// convicted may instead come from `national_convicted`, which fills empty cells and a missing column).
///
/// # Errors
/// A bad row, a missing column or a duplicate `area_id`, naming file and line.
pub fn read_input(
    path: &Path,
    set: &CriteriaSet,
    national_convicted: Option<Decimal>,
) -> Result<(Vec<AreaRow>, String), RegisterError> {
    let file = path.display().to_string();
    let used = set.indicators();
    let mut required: Vec<&str> = vec!["area_id"];
    required.extend(used.iter().copied().filter(|c| !(national_convicted.is_some() && *c == NATIONAL_CONVICTED)));
    let mut optional: Vec<&str> = vec!["area_name", "municipality", "region", "residents"];
    optional.extend(INDICATORS.iter().copied().filter(|c| !required.contains(c)));
    let columns: Vec<&str> = required.iter().chain(&optional).copied().collect();
    let schema = Schema { required: &required, optional: &optional };
    let out = csvio::read(path, &file, schema, Vec::new, |acc: &mut Vec<(AreaRow, u64)>, row| {
        let area_id = text(row.get(0), "area_id")?;
        if area_id.is_empty() {
            return Err(FieldError::missing("area_id"));
        }
        let mut area = AreaRow {
            area_id,
            area_name: String::new(),
            municipality: String::new(),
            region: String::new(),
            residents: None,
            values: HashMap::new(),
        };
        for (i, column) in columns.iter().enumerate().skip(1) {
            let bytes = row.get(i);
            match *column {
                "area_name" => area.area_name = text(bytes, column)?,
                "municipality" => area.municipality = text(bytes, column)?,
                "region" => area.region = text(bytes, column)?,
                "residents" if !bytes.is_empty() => {
                    let n = std::str::from_utf8(bytes).ok().and_then(|s| s.parse::<u64>().ok());
                    area.residents =
                        Some(n.ok_or_else(|| FieldError::value(column, bytes, "is not a whole number of residents"))?);
                }
                "residents" => {}
                _ => {
                    if let Some(v) = decimal(column, bytes)? {
                        area.values.insert((*column).to_owned(), v);
                    }
                }
            }
        }
        if let Some(national) = national_convicted {
            area.values.entry(NATIONAL_CONVICTED.to_owned()).or_insert(national);
        }
        acc.push((area, row.line));
        Ok(())
    })?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut areas = Vec::new();
    for (area, line) in out.parts.into_iter().flatten() {
        if let Some(first) = seen.insert(area.area_id.clone(), line) {
            return Err(RegisterError::Input {
                file,
                line,
                message: format!("column area_id: \"{}\" is also at line {first}", area.area_id),
            });
        }
        areas.push(area);
    }
    Ok((areas, out.sha256))
}

/// Classifies every area with `set`, in input order.
#[must_use]
pub fn classify(set: &CriteriaSet, areas: &[AreaRow]) -> Vec<AreaOutcome> {
    areas.iter().map(|a| evaluate(set, a)).collect()
}

fn all_criteria(set: &CriteriaSet) -> impl Iterator<Item = &gennemgang_rules::criteria::Criterion> {
    set.criteria.iter().chain(&set.required)
}

/// Writes the classification as CONTRACT.md's CSV.
///
/// # Errors
/// When writing fails.
pub fn write_csv<W: std::io::Write>(
    out: W,
    set: &CriteriaSet,
    areas: &[AreaRow],
    outcomes: &[AreaOutcome],
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> =
        ["area_id", "area_name", "municipality", "region", "residents", "criteria_set", "criteria_met"]
            .map(str::to_owned)
            .to_vec();
    for c in all_criteria(set) {
        header.extend([format!("{}_value", c.id), format!("{}_threshold", c.id), format!("{}_met", c.id)]);
    }
    header.extend(["selected".to_owned(), "reason".to_owned()]);
    w.write_record(&header)?;
    for (area, outcome) in areas.iter().zip(outcomes) {
        let mut row: Vec<String> = vec![
            area.area_id.clone(),
            area.area_name.clone(),
            area.municipality.clone(),
            area.region.clone(),
            area.residents.map(|r| r.to_string()).unwrap_or_default(),
            set.id.clone(),
            outcome.criteria_met.to_string(),
        ];
        for c in outcome.criteria.iter().chain(&outcome.required) {
            row.push(c.value.map(|v| v.to_string()).unwrap_or_default());
            row.push(c.threshold.map(|v| v.normalize().to_string()).unwrap_or_default());
            row.push(c.met.as_csv().to_owned());
        }
        row.push(outcome.selected.as_csv().to_owned());
        row.push(outcome.reason.clone());
        w.write_record(&row)?;
    }
    w.flush()
}

fn decimal_json(value: Option<Decimal>) -> Value {
    value.and_then(|v| serde_json::Number::from_str(&v.normalize().to_string()).ok()).map_or(Value::Null, Value::Number)
}

fn tri_json(t: Tri) -> Value {
    t.known().map_or(Value::Null, Value::Bool)
}

/// The criteria set as JSON (id, validity, legal basis, criteria).
#[must_use]
pub fn set_json(set: &CriteriaSet) -> Value {
    let criterion = |c: &gennemgang_rules::criteria::Criterion| {
        let mut v = json!({ "id": c.id, "indicator": c.indicator, "op": c.op, "label": c.label });
        match &c.bound {
            Bound::Absolute(t) => v["threshold"] = decimal_json(Some(*t)),
            Bound::Relative { indicator, factor } => {
                v["relative_to"] = json!(indicator);
                v["factor"] = decimal_json(Some(*factor));
            }
        }
        v
    };
    json!({
        "id": set.id,
        "title": set.title,
        "valid_from": set.valid_from.to_string(),
        "valid_to": set.valid_to.map(|d| d.to_string()),
        "legal_basis": set.legal_basis,
        "min_residents": set.min_residents,
        "at_least": set.at_least,
        "criteria": set.criteria.iter().map(criterion).collect::<Vec<_>>(),
        "required": set.required.iter().map(criterion).collect::<Vec<_>>(),
    })
}

/// The classification as JSON: the CSV's fields per area, plus the set's id, validity and legal basis.
#[must_use]
pub fn to_json(set: &CriteriaSet, areas: &[AreaRow], outcomes: &[AreaOutcome]) -> Value {
    let rows: Vec<Value> = areas
        .iter()
        .zip(outcomes)
        .map(|(area, outcome)| {
            let mut v = json!({
                "area_id": area.area_id,
                "area_name": area.area_name,
                "municipality": area.municipality,
                "region": area.region,
                "residents": area.residents,
                "criteria_set": set.id,
                "criteria_met": outcome.criteria_met,
                "selected": tri_json(outcome.selected),
                "reason": outcome.reason,
            });
            let mut list = Vec::new();
            for c in outcome.criteria.iter().chain(&outcome.required) {
                v[format!("{}_value", c.id)] = decimal_json(c.value);
                v[format!("{}_threshold", c.id)] = decimal_json(c.threshold);
                v[format!("{}_met", c.id)] = tri_json(c.met);
                list.push(json!({
                    "id": c.id, "label": c.label, "value": decimal_json(c.value),
                    "threshold": decimal_json(c.threshold), "met": tri_json(c.met), "missing": c.missing,
                }));
            }
            v["criteria"] = Value::Array(list);
            // The raw indicator values, so that a what-if can evaluate changed thresholds with the same rule.
            v["indicators"] = set
                .indicators()
                .into_iter()
                .map(|name| (name.to_owned(), decimal_json(area.values.get(name).copied())))
                .collect::<serde_json::Map<String, Value>>()
                .into();
            v
        })
        .collect();
    json!({
        "criteria_set": set_json(set),
        "rules_version": gennemgang_rules::RULES_VERSION,
        "areas": rows,
    })
}

/// One area of a classification, as `screen` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectedArea {
    /// Identifier.
    pub area_id: String,
    /// Name.
    pub area_name: String,
    /// Whether selected.
    pub selected: Tri,
    /// Its line in the areas file.
    pub line: u64,
}

/// What `screen` reads from the `areas` output.
pub struct Selection {
    /// Areas by id.
    pub areas: HashMap<String, SelectedArea>,
    /// The criteria sets named in the file (normally one).
    pub criteria_sets: Vec<String>,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// Reads the output of `gennemgang areas` (rows with `selected = true` are the selected areas).
///
/// # Errors
/// A bad row or duplicate `area_id`, naming file and line.
pub fn read_selection(path: &Path) -> Result<Selection, RegisterError> {
    let file = path.display().to_string();
    let schema = Schema { required: &["area_id", "selected"], optional: &["area_name", "criteria_set"] };
    let out = csvio::read(path, &file, schema, Vec::new, |acc: &mut Vec<(SelectedArea, String)>, row| {
        let area_id = text(row.get(0), "area_id")?;
        if area_id.is_empty() {
            return Err(FieldError::missing("area_id"));
        }
        let selected = Tri::from(crate::fields::boolean("selected", row.get(1))?);
        let area_name = text(row.get(2), "area_name")?;
        let set = text(row.get(3), "criteria_set")?;
        acc.push((SelectedArea { area_id, area_name, selected, line: row.line }, set));
        Ok(())
    })?;
    let mut areas = HashMap::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    let mut criteria_sets: Vec<String> = Vec::new();
    for (area, set) in out.parts.into_iter().flatten() {
        let line = area.line;
        if let Some(first) = lines.insert(area.area_id.clone(), line) {
            return Err(RegisterError::Input {
                file,
                line,
                message: format!("column area_id: \"{}\" is also at line {first}", area.area_id),
            });
        }
        if !set.is_empty() && !criteria_sets.contains(&set) {
            criteria_sets.push(set);
        }
        areas.insert(area.area_id.clone(), area);
    }
    Ok(Selection { areas, criteria_sets, sha256: out.sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_criteria_set_reads_back_as_the_same_set() {
        // The areas page's what-if rebuilds the set from a recorded run; it must be the set that was applied.
        for set in gennemgang_rules::criteria::builtin_sets() {
            let back = CriteriaSet::from_data("criteria_set", set_json(&set)).expect("reads back");
            assert_eq!(back, set, "{}", set.id);
        }
    }

    /// What the areas file names goes on into the screening, the case and the letter: a control character
    /// there is refused at the source, naming file, line and column, never passed on raw.
    #[test]
    fn a_control_character_in_an_area_name_is_refused_where_it_is_read() {
        let dir = tempfile::tempdir().expect("tmp");
        let selection = dir.path().join("sel.csv");
        std::fs::write(&selection, "area_id,selected,area_name\nA1,true,\"\u{1b}[31mVester\u{1b}]0;x\u{7}\"\n")
            .expect("write");
        let e = read_selection(&selection).err().expect("refused").to_string();
        assert!(e.contains("sel.csv:2") && e.contains("area_name") && !e.contains('\u{1b}'), "{e}");
        std::fs::write(&selection, "area_id,selected\nA\u{202e}1,true\n").expect("write");
        let e = read_selection(&selection).err().expect("refused").to_string();
        assert!(e.contains("sel.csv:2") && e.contains("area_id"), "{e}");
    }
}
