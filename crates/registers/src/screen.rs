//! The screening driver (`gennemgang screen`): extract + selected areas → target group, reasons, manifest.

use crate::areas::{SelectedArea, Selection, read_selection};
use crate::error::RegisterError;
use crate::extract::{self, AddressRow, CitizenRow, Extract, PersonRow};
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
    /// The name and protection, where persons.csv gives them.
    pub citizen: Option<CitizenRow>,
    /// The address on the reference date, where addresses.csv gives it.
    pub address: Option<AddressRow>,
}

/// Counts for the summary and the manifest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Persons in persons.csv.
    pub population: u64,
    /// Persons with a pension that has not ceased. One awarded after `as_of` is among them: it is screened
    /// and found out (no pension on the date), so that `--all` says why.
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
    /// The selected areas area_addresses.csv puts no address in (see [`selected_without_addresses`]).
    pub selected_without_addresses: Vec<String>,
}

/// Runs the screening over an extract directory and an `areas` output.
///
/// # Errors
/// Any bad input, naming file and line.
pub fn run(registers: &Path, areas: &Path, params: &ScreeningParams, all: bool) -> Result<ScreenRun, RegisterError> {
    let selection = read_selection(areas)?;
    let extract = extract::load(registers)?;
    let selected_without_addresses = selected_without_addresses(&selection, &extract);
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
    // The extract's quarter of a million persons, each with their rows, are freed on another thread while
    // the output is written.
    rayon::spawn(move || drop(extract));
    Ok(ScreenRun {
        persons,
        counts,
        inputs,
        criteria_sets: selection.criteria_sets,
        candidates_by_area,
        selected_without_addresses,
    })
}

/// The selected areas that area_addresses.csv puts no address in, in the areas file's order. Nobody can be
/// screened in such an area. That is expected of an extract of part of the country (one municipality's
/// registers against the national classification), but from a national extract it means the areas file
/// belongs to another extract or an id was mistyped: the caller says so, and the manifest records it.
fn selected_without_addresses(selection: &Selection, extract: &Extract) -> Vec<String> {
    let mut missing: Vec<&SelectedArea> = selection
        .areas
        .values()
        .filter(|a| a.selected == Tri::Yes && !extract.areas_named.contains(a.area_id.as_str()))
        .collect();
    missing.sort_by_key(|a| a.line);
    missing.into_iter().map(|a| a.area_id.clone()).collect()
}

/// The address in force on `as_of`: the last move-in on or before the date. A move dated after it has not
/// happened yet on the date (CONTRACT: nothing dated after `as_of` counts), so it is passed over; residences
/// are in date order (see [`extract::load`]). The model's target group is "bosat i udvalgte boligområder" on
/// the reference date.
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
        citizen: ex.citizens.get(&cpr).cloned(),
        address: address.and_then(|a| ex.addresses.get(a)).cloned(),
    }
}

/// The output columns, in order.
pub const COLUMNS: [&str; 22] = [
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
    "name",
    "address",
    "postcode",
    "city",
    "address_protected",
];

/// Rows formatted by one task; a window of [`PIECES_AT_ONCE`] of them is formatted in parallel and written
/// in order, so that `--all`'s hundreds of MiB are never held whole.
const ROWS_PER_PIECE: usize = 2048;
const PIECES_AT_ONCE: usize = 16;

/// Writes the screening output CSV: only the target group, or with `all` every screened person. The rows
/// are formatted in parallel (a reason is a Danish paragraph, and `--all` writes a quarter of a million)
/// and written in their order.
///
/// # Errors
/// When writing fails.
pub fn write_csv<W: std::io::Write>(
    mut out: W,
    run: &ScreenRun,
    params: &ScreeningParams,
    all: bool,
) -> std::io::Result<u64> {
    let as_of = params.as_of.to_string();
    let chosen: Vec<&Screened> = run.persons.iter().filter(|p| all || p.screening.included == Tri::Yes).collect();
    out.write_all(&csv_piece(&[], &as_of, Some(&COLUMNS))?)?;
    for window in chosen.chunks(ROWS_PER_PIECE * PIECES_AT_ONCE) {
        let pieces: Vec<std::io::Result<Vec<u8>>> =
            window.par_chunks(ROWS_PER_PIECE).map(|piece| csv_piece(piece, &as_of, None)).collect();
        for piece in pieces {
            out.write_all(&piece?)?;
        }
    }
    out.flush()?;
    Ok(chosen.len() as u64)
}

/// `persons`' rows as CSV text, after `header` when one is given.
fn csv_piece(persons: &[&Screened], as_of: &str, header: Option<&[&str]>) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(persons.len() * 256));
    if let Some(header) = header {
        w.write_record(header)?;
    }
    for p in persons {
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
            as_of.to_owned(),
            p.screening.reason(),
            opt(p.citizen.as_ref().and_then(|c| c.name.as_deref()).map(str::to_owned)),
            opt(p.address.as_ref().map(|a| a.street.to_string())),
            opt(p.address.as_ref().map(|a| a.postcode.to_string())),
            opt(p.address.as_ref().map(|a| a.city.to_string())),
            opt(p.citizen.as_ref().and_then(|c| c.address_protected).map(|b| b.to_string())),
        ])?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
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
            "dormant_reading": params.dormant_reading.as_str(),
            "all": all,
        },
        "inputs": run.inputs,
        "output": output.map(|(file, sha, rows)| json!({ "file": file, "sha256": sha, "rows": rows })),
        "counts": run.counts,
        "candidates_by_area": run.candidates_by_area,
        "selected_areas_without_addresses": run.selected_without_addresses,
    })
}

/// Where the manifest of `output` goes: `<output>.manifest.json`.
#[must_use]
pub fn manifest_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gennemgang_rules::target::DormantReading;
    use jiff::civil::date;

    const AS_OF: jiff::civil::Date = date(2026, 12, 1);

    /// An extract in which every fact that could change the outcome is dated on or just after `as_of`.
    fn extract() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
        write(
            "persons.csv",
            "cpr,birth_date,citizenship,municipality_code,status\n\
             6105801001,1980-05-01,SY,101,01\n\
             6105801003,1980-05-01,SY,101,01\n\
             6105801005,1980-05-01,SY,101,80\n\
             6105801011,1980-05-01,SY,101,01\n\
             6105801013,1980-05-01,SY,101,01\n\
             6105801015,1980-05-01,SY,101,01\n\
             6105801017,1980-05-01,SY,101,01\n",
        );
        write(
            "pensions.csv",
            "cpr,awarded_on,scheme,status,awarding_municipality\n\
             6105801001,2026-12-01,pl,active,101\n\
             6105801003,2026-12-02,pl,active,101\n\
             6105801005,2015-03-01,pl,active,101\n\
             6105801011,2015-03-01,pl,active,101\n\
             6105801013,2015-03-01,pl,active,101\n\
             6105801015,2015-03-01,pl,dormant,101\n\
             6105801017,2015-03-01,pl,active,101\n",
        );
        write(
            "migrations.csv",
            "cpr,date,direction,country,first_entry\n\
             6105801001,2012-05-03,in,SY,true\n\
             6105801003,2012-05-03,in,SY,true\n\
             6105801005,2012-05-03,in,SY,true\n\
             6105801005,2026-12-02,out,SY,false\n\
             6105801011,2012-05-03,in,SY,true\n\
             6105801013,2012-05-03,in,SY,true\n\
             6105801015,2012-05-03,in,SY,true\n\
             6105801017,2026-12-02,in,SY,true\n",
        );
        write(
            "residences.csv",
            "cpr,address_id,moved_in\n\
             6105801001,ADR-1,2015-01-01\n\
             6105801003,ADR-1,2015-01-01\n\
             6105801005,ADR-1,2015-01-01\n\
             6105801011,ADR-OUT,2026-12-02\n\
             6105801011,ADR-1,2015-01-01\n\
             6105801013,ADR-OUT,2015-01-01\n\
             6105801013,ADR-1,2026-12-02\n\
             6105801015,ADR-1,2015-01-01\n\
             6105801017,ADR-1,2015-01-01\n",
        );
        write("area_addresses.csv", "area_id,address_id\nA1,ADR-1\n");
        write("selected.csv", "area_id,selected,area_name,criteria_set\nA1,true,Bøgeparken,review-2025\n");
        dir
    }

    fn screen_all(dir: &Path, params: &ScreeningParams) -> ScreenRun {
        run(dir, &dir.join("selected.csv"), params, true).expect("screens")
    }

    fn find<'r>(run: &'r ScreenRun, cpr: &str) -> &'r Screened {
        run.persons.iter().find(|p| p.cpr.full() == cpr).expect("screened")
    }

    fn outcome(p: &Screened, rule: &str) -> Tri {
        p.screening.checks.iter().find(|c| c.rule == rule).expect("check").outcome
    }

    /// Checks made person by person name the file's first bad row, whatever order the persons are held
    /// in (an outside check found a pension of an unknown person named at a line from the middle).
    #[test]
    fn a_check_across_files_names_the_first_bad_line() {
        let dir = extract();
        let path = dir.path().join("pensions.csv");
        let mut pensions = std::fs::read_to_string(&path).expect("read");
        let first = pensions.lines().count() + 1;
        for n in 10..90 {
            pensions.push_str(&format!("61058030{n},2015-03-01,pl,active,101\n"));
        }
        std::fs::write(&path, pensions).expect("write");
        let e = run(dir.path(), &dir.path().join("selected.csv"), &ScreeningParams::new(AS_OF), false)
            .map(|_| ())
            .expect_err("unknown persons");
        assert!(
            e.to_string().ends_with(&format!("pensions.csv:{first}: column cpr: no such person in persons.csv")),
            "{e}"
        );
    }

    /// The large files are read at the same time, yet the error named is the first file's first: with
    /// persons.csv, migrations.csv and residences.csv each broken, persons.csv's error; with persons.csv
    /// mended, migrations.csv's; then residences.csv's; then area_addresses.csv's before addresses.csv's.
    #[test]
    fn files_read_at_once_name_the_first_files_error() {
        let dir = extract();
        let append = |name: &str, row: &str| {
            let path = dir.path().join(name);
            let text = std::fs::read_to_string(&path).expect("read") + row;
            std::fs::write(&path, text).expect("write");
        };
        let error = || {
            run(dir.path(), &dir.path().join("selected.csv"), &ScreeningParams::new(AS_OF), false)
                .map(|_| ())
                .expect_err("a broken file")
                .to_string()
        };
        std::fs::write(dir.path().join("addresses.csv"), "address_id,street,postcode,city\nADR-1,,2860,Søborg\n")
            .expect("write");
        append("area_addresses.csv", "A1,ADR-1\n");
        append("residences.csv", "6105801001,ADR-1,2015-13-01\n");
        append("migrations.csv", "6105801001,2013-05-03,in,DK,false\n");
        let persons = dir.path().join("persons.csv");
        let good = std::fs::read_to_string(&persons).expect("read");
        std::fs::write(&persons, format!("{good}6105801099,1980-05-02,SY,101,01\n")).expect("write");
        assert!(error().contains("persons.csv:9: column birth_date"), "{}", error());
        std::fs::write(&persons, good).expect("write");
        assert!(error().contains("migrations.csv:10: column country"), "{}", error());
        let path = dir.path().join("migrations.csv");
        let text = std::fs::read_to_string(&path).expect("read").replace("6105801001,2013-05-03,in,DK,false\n", "");
        std::fs::write(&path, text).expect("write");
        assert!(error().contains("residences.csv:11: column moved_in"), "{}", error());
        let path = dir.path().join("residences.csv");
        let text = std::fs::read_to_string(&path).expect("read").replace("6105801001,ADR-1,2015-13-01\n", "");
        std::fs::write(&path, text).expect("write");
        assert!(error().contains("area_addresses.csv:3: column address_id"), "{}", error());
        std::fs::write(dir.path().join("area_addresses.csv"), "area_id,address_id\nA1,ADR-1\n").expect("write");
        assert!(error().contains("addresses.csv:2: column street"), "{}", error());
    }

    /// The output formatted in parallel pieces is the rows in their order, each as it is alone: a
    /// generated extract with more pensioners than fit one piece, every one written (`--all`).
    #[test]
    fn the_output_is_its_rows_in_order_across_pieces() {
        let dir = tempfile::tempdir().expect("tmp");
        let opts = crate::generate::Options {
            persons: 120_000,
            seed: 7,
            extract_date: crate::generate::Options::DEFAULT_EXTRACT_DATE,
        };
        crate::generate::generate(opts, dir.path(), &|_| {}).expect("generate");
        let areas = dir.path().join("selected.csv");
        std::fs::write(&areas, "area_id,selected,area_name,criteria_set\nA1,true,Bøgeparken,review-2025\n")
            .expect("write");
        let params = ScreeningParams::new(AS_OF);
        let run = run(dir.path(), &areas, &params, true).expect("screens");
        assert!(run.persons.len() > ROWS_PER_PIECE * 2, "{} rows fill more than two pieces", run.persons.len());
        let mut written = Vec::new();
        let rows = write_csv(&mut written, &run, &params, true).expect("write");
        assert_eq!(rows, run.persons.len() as u64);
        let as_of = AS_OF.to_string();
        let mut alone = csv_piece(&[], &as_of, Some(&COLUMNS)).expect("header");
        for p in &run.persons {
            alone.extend(csv_piece(&[p], &as_of, None).expect("row"));
        }
        assert!(written == alone, "the same bytes in the same order");
    }

    /// The selected areas area_addresses.csv does not name are listed, in the areas file's order (files from
    /// different extracts, an id mistyped, or an extract of part of the country), and recorded in the
    /// manifest; an area named only by an address nobody with a pension lives at is an area like any other,
    /// and an area not selected (or undecided) is not listed.
    #[test]
    fn selected_areas_the_registers_do_not_name_are_listed() {
        let dir = extract();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
        let params = ScreeningParams::new(AS_OF);
        let selection = dir.path().join("selected.csv");
        write("area_addresses.csv", "area_id,address_id\nA1,ADR-1\nA2,ADR-NOBODY\n");
        write(
            "selected.csv",
            "area_id,selected,area_name\nA9,true,Ny\nA1,true,Bøgeparken\nA2,true,Egeparken\nA7,false,Ny\nA8,,Ny\nA01,true,Ny\n",
        );
        let screened = run(dir.path(), &selection, &params, false).expect("screens");
        assert_eq!(screened.selected_without_addresses, ["A9", "A01"]);
        assert_eq!(screened.counts.included, 3, "the persons of A1 are screened as before");
        let manifest = manifest(&screened, &params, false, None);
        assert_eq!(manifest["selected_areas_without_addresses"], json!(["A9", "A01"]));
        write("selected.csv", "area_id,selected,area_name\nA1,true,Bøgeparken\nA2,true,Egeparken\n");
        assert!(run(dir.path(), &selection, &params, false).expect("screens").selected_without_addresses.is_empty());
    }

    /// An address in two areas, or twice in addresses.csv, is an error naming both lines — also for an
    /// address no person with a pension lived at (every row is checked, only those lived at are kept).
    #[test]
    fn an_address_listed_twice_is_an_error_naming_both_lines() {
        let dir = extract();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
        let params = ScreeningParams::new(AS_OF);
        let error = |dir: &Path| match run(dir, &dir.join("selected.csv"), &params, false) {
            Ok(_) => "screened".to_owned(),
            Err(e) => e.to_string(),
        };
        for twice in ["ADR-1", "ADR-NOBODY"] {
            write(
                "area_addresses.csv",
                &format!("area_id,address_id\nA1,ADR-1\nA1,ADR-NOBODY\nA2,ADR-9\nA2,{twice}\n"),
            );
            let e = error(dir.path());
            assert!(
                e.ends_with("area_addresses.csv:5: column address_id: the address is already in an area at line 2")
                    || e.ends_with(
                        "area_addresses.csv:5: column address_id: the address is already in an area at line 3"
                    ),
                "{e}"
            );
            assert!(e.contains(if twice == "ADR-1" { "line 2" } else { "line 3" }), "{e}");
        }
        write("area_addresses.csv", "area_id,address_id\nA1,ADR-1\n");
        write(
            "addresses.csv",
            "address_id,street,postcode,city\nADR-1,\"Bøgevej 1, st. tv\",8600,Silkeborg\nADR-2,Bøgevej 2,8600,Silkeborg\nADR-2,Bøgevej 2,8600,Silkeborg\n",
        );
        let e = error(dir.path());
        assert!(e.ends_with("addresses.csv:4: column address_id: the same address as line 3"), "{e}");
        write(
            "addresses.csv",
            "address_id,street,postcode,city\nADR-1,\"Bøgevej 1, st. tv\",8600,Silkeborg\nADR-2,Bøgevej 2,8600,Silkeborg\n",
        );
        let run = run(dir.path(), &dir.path().join("selected.csv"), &params, false).expect("screens");
        let kept =
            run.persons.iter().find(|p| p.cpr.full() == "6105801001").and_then(|p| p.address.clone()).expect("address");
        assert_eq!(&*kept.street, "Bøgevej 1, st. tv");
    }

    /// A pension awarded on `as_of` counts; one awarded the day after does not (CONTRACT).
    #[test]
    fn a_pension_awarded_the_day_after_the_date_is_not_counted() {
        let dir = extract();
        let run = screen_all(dir.path(), &ScreeningParams::new(AS_OF));
        assert_eq!(find(&run, "6105801001").screening.included, Tri::Yes);
        let later = find(&run, "6105801003");
        assert_eq!(later.screening.included, Tri::No);
        assert_eq!(outcome(later, "pension"), Tri::No);
        assert!(later.screening.reason().contains("efter datoen"), "{}", later.screening.reason());
    }

    /// An emigration the day after `as_of` is ignored: the person, CPR status 80 today, lived here on the date;
    /// a first entry the day after means not here yet, and no newcomer.
    #[test]
    fn a_movement_the_day_after_the_date_is_ignored() {
        let dir = extract();
        let run = screen_all(dir.path(), &ScreeningParams::new(AS_OF));
        let emigrated_later = find(&run, "6105801005");
        assert_eq!(emigrated_later.screening.included, Tri::Yes, "{}", emigrated_later.screening.reason());
        assert_eq!(emigrated_later.screening.newcomer.entry, Some(date(2012, 5, 3)));
        let arrived_later = find(&run, "6105801017");
        assert_eq!(outcome(arrived_later, "newcomer"), Tri::No);
        assert_eq!(outcome(arrived_later, "cpr_status"), Tri::No);
    }

    /// The address that counts is the one in force on `as_of`: a move out of the area the day after leaves
    /// the person in it, a move into the area the day after leaves the person outside.
    #[test]
    fn a_move_of_address_after_the_date_is_ignored() {
        let dir = extract();
        let params = ScreeningParams::new(AS_OF);
        let run = screen_all(dir.path(), &params);
        let moved_out_later = find(&run, "6105801011");
        assert_eq!(moved_out_later.area_id.as_deref(), Some("A1"));
        assert_eq!(moved_out_later.screening.included, Tri::Yes);
        let moved_in_later = find(&run, "6105801013");
        assert_eq!(moved_in_later.area_id, None);
        assert_eq!(outcome(moved_in_later, target::AREA_RULE), Tri::No);
        // On the day of the move, the new address is the one.
        let on_the_move = ScreeningParams::new(date(2026, 12, 2));
        let run = screen_all(dir.path(), &on_the_move);
        assert_eq!(find(&run, "6105801011").area_id, None);
        assert_eq!(find(&run, "6105801013").area_id.as_deref(), Some("A1"));
        // Without --all, the person who moved in later is not even listed, and is counted as excluded.
        let run = run_default(dir.path(), &params);
        assert!(run.persons.iter().all(|p| p.cpr.full() != "6105801013"));
    }

    fn run_default(dir: &Path, params: &ScreeningParams) -> ScreenRun {
        run(dir, &dir.join("selected.csv"), params, false).expect("screens")
    }

    /// The dormant reading decides the dormant pension, and the manifest records which reading applied.
    #[test]
    fn the_dormant_reading_is_applied_and_recorded() {
        let dir = extract();
        for (reading, included) in [(DormantReading::Excluded, Tri::No), (DormantReading::Counts, Tri::Yes)] {
            let params = ScreeningParams { dormant_reading: reading, ..ScreeningParams::new(AS_OF) };
            let run = run_default(dir.path(), &params);
            let dormant = find(&run, "6105801015");
            assert_eq!(dormant.screening.included, included, "{reading:?}");
            assert!(dormant.screening.reason().contains("hvilende"), "{}", dormant.screening.reason());
            let manifest = manifest(&run, &params, false, None);
            assert_eq!(manifest["parameters"]["dormant_reading"], reading.as_str());
        }
    }
}
