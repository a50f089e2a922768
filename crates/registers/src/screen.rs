//! The screening driver (`gennemgang screen`): extract + selected areas → target group, reasons, manifest.

use crate::areas::{Selection, read_selection};
use crate::error::RegisterError;
use crate::extract::{self, Extract, PersonRow};
use gennemgang_rules::cpr::Cpr;
use gennemgang_rules::target::{self, Pension, PensionStatus, Person, Residence, Scheme, Screening, ScreeningParams};
use gennemgang_rules::tri::Tri;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One screened person.
#[derive(Clone, Debug)]
pub struct Screened {
    /// The person.
    pub cpr: Cpr,
    /// The outcome with its checks.
    pub screening: Screening,
    /// The area of the address on the reference date, if in a listed area.
    pub area_id: Option<String>,
    /// Its name.
    pub area_name: Option<String>,
    /// The person's register row.
    pub person: Option<PersonRow>,
    /// The pension that counts.
    pub pension: Pension,
    /// The municipality that awarded it.
    pub awarding_municipality: Option<u16>,
    /// Exemption categories.
    pub exemptions: Vec<&'static str>,
}

/// Counts for the summary and the manifest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Persons in persons.csv.
    pub population: u64,
    /// Persons with a pension that has not ceased.
    pub screened: u64,
    /// In the target group.
    pub included: u64,
    /// Undecided because of missing values.
    pub undecided: u64,
    /// Not in the target group.
    pub excluded: u64,
}

/// The result of a screening run.
pub struct ScreenRun {
    /// The screened persons, ordered by CPR number (without `all`: only those whose address is in an area
    /// that is or may be selected; the others are counted as excluded).
    pub persons: Vec<Screened>,
    /// Counts.
    pub counts: Counts,
    /// Input files with their SHA-256 and row counts.
    pub inputs: Vec<Value>,
    /// Criteria sets named in the areas file.
    pub criteria_sets: Vec<String>,
    /// Per listed area (selected or not): how many persons living there meet every other condition of the
    /// target group. What-ifs on the area criteria read it: selecting an area adds these persons.
    pub candidates_by_area: BTreeMap<String, u64>,
}

/// Runs the screening over an extract directory and an `areas` output.
///
/// # Errors
/// Any bad input, naming file and line.
pub fn run(registers: &Path, areas: &Path, params: &ScreeningParams, all: bool) -> Result<ScreenRun, RegisterError> {
    let selection = read_selection(areas)?;
    let extract = extract::load(registers)?;
    let mut keys: Vec<Cpr> = extract.pensions.keys().copied().collect();
    keys.par_sort_unstable();
    // Persons outside every listed area are out by the area rule whatever else holds (Kleene: No ∧ x = No);
    // unless every reason is asked for, they are only counted. Those in a listed area are all screened, so
    // that the candidates per area are known even for areas that were not selected.
    let screened: Vec<Screened> = keys
        .par_iter()
        .filter(|cpr| all || lives_in_listed_area(**cpr, &extract, &selection, params))
        .map(|cpr| screen_one(*cpr, &extract, &selection, params))
        .collect();
    let mut candidates_by_area: BTreeMap<String, u64> = selection.areas.keys().map(|id| (id.clone(), 0)).collect();
    for p in &screened {
        let others_met = p.screening.checks.iter().all(|c| c.rule == target::AREA_RULE || c.outcome == Tri::Yes);
        if let (true, Some(count)) = (others_met, p.area_id.as_ref().and_then(|a| candidates_by_area.get_mut(a))) {
            *count += 1;
        }
    }
    let persons: Vec<Screened> = if all {
        screened
    } else {
        screened
            .into_iter()
            .filter(|p| p.screening.checks.iter().all(|c| c.rule != target::AREA_RULE || c.outcome != Tri::No))
            .collect()
    };
    let mut counts = Counts { population: extract.population, screened: keys.len() as u64, ..Counts::default() };
    for p in &persons {
        match p.screening.included {
            Tri::Yes => counts.included += 1,
            Tri::No => counts.excluded += 1,
            Tri::Unknown => counts.undecided += 1,
        }
    }
    counts.excluded += (keys.len() - persons.len()) as u64;
    let mut inputs: Vec<Value> = extract
        .hashes
        .iter()
        .zip(&extract.rows)
        .map(|((file, sha), (_, rows))| json!({ "file": file, "sha256": sha, "rows": rows }))
        .collect();
    inputs.push(json!({ "file": areas.file_name().map(|f| f.to_string_lossy().into_owned()), "sha256": selection.sha256, "rows": selection.areas.len() }));
    Ok(ScreenRun { persons, counts, inputs, criteria_sets: selection.criteria_sets, candidates_by_area })
}

fn address_on<'e>(cpr: Cpr, ex: &'e Extract, params: &ScreeningParams) -> Option<&'e [u8]> {
    ex.residences
        .get(&cpr)
        .and_then(|rows| rows.iter().rev().find(|r| r.moved_in <= params.as_of))
        .map(|r| &*r.address_id)
}

fn lives_in_listed_area(cpr: Cpr, ex: &Extract, selection: &Selection, params: &ScreeningParams) -> bool {
    address_on(cpr, ex, params)
        .and_then(|a| ex.area_of_address.get(a))
        .is_some_and(|(id, _)| selection.areas.contains_key(&**id))
}

fn screen_one(cpr: Cpr, ex: &Extract, selection: &Selection, params: &ScreeningParams) -> Screened {
    let pension_row = ex.pensions.get(&cpr);
    let person = ex.persons.get(&cpr).copied();
    let movements: Vec<_> = ex.movements.get(&cpr).map(|m| m.iter().map(|r| r.movement).collect()).unwrap_or_default();
    let exemptions = ex.exemptions.get(&cpr).cloned().unwrap_or_default();
    let address = address_on(cpr, ex, params);
    let area_id = address.and_then(|a| ex.area_of_address.get(a)).map(|(id, _)| id);
    let area = area_id.and_then(|id| selection.areas.get(&**id));
    let residence = match (address, area_id, area) {
        (None, _, _) => Residence::NoAddress,
        (Some(_), None, _) => Residence::OutsideAreas,
        (Some(_), Some(id), Some(a)) => Residence::InArea { id, name: &a.area_name, selected: a.selected },
        // The address is in an area that the areas file does not list: it was not selected.
        (Some(_), Some(id), None) => Residence::InArea { id, name: id, selected: Tri::No },
    };
    let pension = pension_row.map(|p| p.pension).unwrap_or(Pension { awarded_on: None, scheme: None, status: None });
    let subject = Person {
        birth_date: person.and_then(|p| p.birth_date),
        cpr_status: person.and_then(|p| p.status),
        pension: pension_row.map(|p| &p.pension),
        residence,
        movements: &movements,
        exemptions: &exemptions,
    };
    let screening = target::screen(&subject, params);
    Screened {
        cpr,
        screening,
        area_id: area_id.map(|a| a.to_string()),
        area_name: area.map(|a| a.area_name.clone()),
        person,
        pension,
        awarding_municipality: pension_row.and_then(|p| p.awarding_municipality),
        exemptions: exemptions.iter().map(|e| e.as_str()).collect(),
    }
}

/// The output columns, in order.
pub const COLUMNS: [&str; 17] = [
    "cpr",
    "included",
    "area_id",
    "area_name",
    "municipality_code",
    "birth_date",
    "age_on_as_of",
    "cpr_status",
    "awarded_on",
    "scheme",
    "pension_status",
    "awarding_municipality",
    "newcomer_basis",
    "newcomer_entry",
    "exemptions",
    "as_of",
    "reason",
];

/// Writes the screening output CSV: only the target group, or with `all` every screened person.
///
/// # Errors
/// When writing fails.
pub fn write_csv<W: std::io::Write>(
    out: W,
    run: &ScreenRun,
    params: &ScreeningParams,
    all: bool,
) -> std::io::Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    let mut rows = 0;
    let as_of = params.as_of.to_string();
    for p in run.persons.iter().filter(|p| all || p.screening.included == Tri::Yes) {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let scheme = p.pension.scheme.map(|s| match s {
            Scheme::Pl => "pl",
            Scheme::Gfpl => "gfpl",
        });
        let status = p.pension.status.map(|s| match s {
            PensionStatus::Active => "active",
            PensionStatus::Dormant => "dormant",
            PensionStatus::Ceased => "ceased",
        });
        let person = p.person.as_ref();
        w.write_record([
            p.cpr.full(),
            p.screening.included.as_csv().to_owned(),
            opt(p.area_id.clone()),
            opt(p.area_name.clone()),
            opt(person.and_then(|x| x.municipality).map(|m| m.to_string())),
            opt(person.and_then(|x| x.birth_date).map(|d| d.to_string())),
            opt(p.screening.age.map(|a| a.to_string())),
            opt(person.and_then(|x| x.status).map(|s| format!("{s:02}"))),
            opt(p.pension.awarded_on.map(|d| d.to_string())),
            opt(scheme.map(str::to_owned)),
            opt(status.map(str::to_owned)),
            opt(p.awarding_municipality.map(|m| m.to_string())),
            opt(p.screening.newcomer.basis.map(|b| b.as_str().to_owned())),
            opt(p.screening.newcomer.entry.map(|d| d.to_string())),
            p.exemptions.join(";"),
            as_of.clone(),
            p.screening.reason(),
        ])?;
        rows += 1;
    }
    w.flush()?;
    Ok(rows)
}

/// The manifest that makes a run repeatable: rules version, criteria sets, parameters and input hashes.
#[must_use]
pub fn manifest(run: &ScreenRun, params: &ScreeningParams, all: bool, output: Option<(&str, &str, u64)>) -> Value {
    json!({
        "tool": "gennemgang screen",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "rules_version": gennemgang_rules::RULES_VERSION,
        "as_of": params.as_of.to_string(),
        "criteria_sets": run.criteria_sets,
        "parameters": {
            "awarded_from": params.awarded_from.to_string(),
            "age_limit": params.age_limit,
            "abroad_more_than_months": params.newcomer.abroad_more_than_months,
            "stay_reading": params.newcomer.stay_reading.as_str(),
            "switzerland_as_eu_eea": params.newcomer.switzerland_as_eu_eea,
            "all": all,
        },
        "inputs": run.inputs,
        "output": output.map(|(file, sha, rows)| json!({ "file": file, "sha256": sha, "rows": rows })),
        "counts": run.counts,
        "candidates_by_area": run.candidates_by_area,
    })
}

/// Where the manifest of `output` goes: `<output>.manifest.json`.
#[must_use]
pub fn manifest_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}
