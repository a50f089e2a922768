//! Loading a register extract (CONTRACT.md `screen`): every row of every file is validated; the persons
//! with a pension are kept, with the line each fact came from, and checked across files.

use crate::csvio::{self, ReadOutput, Row, Schema};
use crate::error::{FieldError, RegisterError};
use crate::fields;
use crate::hash::{CprMap, CprSet, IntHasher};
use gennemgang_rules::country::Country;
use gennemgang_rules::cpr::Cpr;
use gennemgang_rules::newcomer::{Direction, Movement};
use gennemgang_rules::target::{Exemption, Pension, PensionStatus, Scheme};
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::path::Path;

/// A person's row.
#[derive(Clone, Copy, Debug)]
pub struct PersonRow {
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Citizenship.
    pub citizenship: Option<Country>,
    /// Municipality of residence.
    pub municipality: Option<u16>,
    /// CPR status code.
    pub status: Option<u8>,
    /// Line in persons.csv.
    pub line: u64,
}

/// What CPR holds about who a person is: the name and the name and address protection (CONTRACT
/// `persons.csv`, optional columns), kept for the persons with a pension only.
#[derive(Clone, Debug, Default)]
pub struct CitizenRow {
    /// The name.
    pub name: Option<Box<str>>,
    /// Name and address protection (CPR-loven § 28).
    pub address_protected: Option<bool>,
}

/// A row of addresses.csv.
#[derive(Clone, Debug)]
pub struct AddressRow {
    /// Street, number, floor.
    pub street: Box<str>,
    /// Postcode.
    pub postcode: Box<str>,
    /// Town.
    pub city: Box<str>,
}

/// The longest name kept, in characters (CPR's own field is far shorter; this only bounds what a file
/// can make the system hold).
pub const MAX_NAME: usize = 200;
/// The longest street line or town kept, in characters.
pub const MAX_ADDRESS_LINE: usize = 200;

/// A pension row.
#[derive(Clone, Copy, Debug)]
pub struct PensionRow {
    /// The pension facts.
    pub pension: Pension,
    /// Municipality that awarded it.
    pub awarding_municipality: Option<u16>,
    /// Line in pensions.csv.
    pub line: u64,
}

/// A movement row.
#[derive(Clone, Copy, Debug)]
pub struct MovementRow {
    /// The movement.
    pub movement: Movement,
    /// Line in migrations.csv.
    pub line: u64,
}

/// A residence row.
#[derive(Clone, Debug)]
pub struct ResidenceRow {
    /// Address id.
    pub address_id: Box<[u8]>,
    /// Move-in date.
    pub moved_in: Date,
    /// Line in residences.csv.
    pub line: u64,
}

/// Address id → (area id, line in area_addresses.csv).
pub type AreaOfAddress = HashMap<AddressId, AreaAndLine, BuildHasherDefault<IntHasher>>;

/// The part of an extract that the screening needs, validated.
#[derive(Default)]
pub struct Extract {
    /// The pension that counts per person (the non-ceased one).
    pub pensions: CprMap<PensionRow>,
    /// Persons with such a pension.
    pub persons: CprMap<PersonRow>,
    /// Their movements, in date order.
    pub movements: CprMap<Vec<MovementRow>>,
    /// Their residences, in date order.
    pub residences: CprMap<Vec<ResidenceRow>>,
    /// Their exemptions.
    pub exemptions: CprMap<Vec<Exemption>>,
    /// Address id → area id and the line it came from, for the addresses the persons with a pension have
    /// lived at (every row of the file is validated and checked for repeats).
    pub area_of_address: AreaOfAddress,
    /// Every area id area_addresses.csv names (an area of the selection it does not name is an error: the
    /// areas file then belongs to another extract).
    pub areas_named: HashSet<Box<str>>,
    /// The names and protection of the persons with a pension, where persons.csv gives them.
    pub citizens: CprMap<CitizenRow>,
    /// The addresses the persons with a pension have lived at, where addresses.csv gives them.
    pub addresses: HashMap<Box<[u8]>, AddressRow, BuildHasherDefault<IntHasher>>,
    /// File name → SHA-256, for the manifest.
    pub hashes: Vec<(String, String)>,
    /// Rows read per file.
    pub rows: Vec<(String, u64)>,
    /// Persons in persons.csv.
    pub population: u64,
}

/// The files of an extract, by CONTRACT name.
pub const PERSONS: &str = "persons.csv";
/// Movements.
pub const MIGRATIONS: &str = "migrations.csv";
/// Pensions.
pub const PENSIONS: &str = "pensions.csv";
/// Residences.
pub const RESIDENCES: &str = "residences.csv";
/// Area addresses.
pub const AREA_ADDRESSES: &str = "area_addresses.csv";
/// Exemptions (optional file).
pub const EXEMPTIONS: &str = "exemptions.csv";
/// Addresses (optional file).
pub const ADDRESSES: &str = "addresses.csv";

fn display(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

fn input(file: &str, line: u64, message: String) -> RegisterError {
    RegisterError::Input { file: file.to_owned(), line, message }
}

/// Loads and validates an extract from `dir`.
///
/// # Errors
/// The first bad row of the first bad file, or an inconsistency between files, naming file and line.
pub fn load(dir: &Path) -> Result<Extract, RegisterError> {
    let mut ex = Extract::default();
    load_pensions(dir, &mut ex)?;
    let wanted: CprSet = ex.pensions.keys().copied().collect();
    // The three large files are read at once: each one's serial steps (reading a block, sorting, merging)
    // leave cores idle that another's parsing fills. The checks across files follow, in file order, so
    // the error named is still the first file's first.
    let (persons, (movements, residences)) = rayon::join(
        || read_persons(dir, &wanted),
        || rayon::join(|| read_movements(dir, &wanted), || read_residences(dir, &wanted)),
    );
    merge_persons(dir, persons?, &mut ex)?;
    merge_movements(dir, movements?, &mut ex)?;
    merge_residences(dir, residences?, &mut ex)?;
    let used = used_addresses(&ex.residences);
    let (areas, addresses) = rayon::join(
        || load_area_addresses(dir, &used),
        || dir.join(ADDRESSES).exists().then(|| load_addresses(dir, &used)).transpose(),
    );
    let areas = areas?;
    let addresses = addresses?;
    drop(used);
    ex.area_of_address.extend(areas.kept);
    ex.areas_named = areas.groups;
    record(&mut ex, AREA_ADDRESSES, areas.sha256, areas.rows);
    if let Some(addresses) = addresses {
        ex.addresses.extend(addresses.kept);
        record(&mut ex, ADDRESSES, addresses.sha256, addresses.rows);
    }
    if dir.join(EXEMPTIONS).exists() {
        load_exemptions(dir, &wanted, &mut ex)?;
    }
    Ok(ex)
}

fn record(ex: &mut Extract, name: &str, sha: String, rows: u64) {
    ex.hashes.push((name.to_owned(), sha));
    ex.rows.push((name.to_owned(), rows));
}

const PENSION_SCHEMA: Schema<'static> =
    Schema { required: &["cpr", "awarded_on", "scheme", "status"], optional: &["awarding_municipality"] };

fn load_pensions(dir: &Path, ex: &mut Extract) -> Result<(), RegisterError> {
    let file = display(dir, PENSIONS);
    let out =
        csvio::read(&dir.join(PENSIONS), &file, PENSION_SCHEMA, Vec::new, |acc: &mut Vec<(Cpr, PensionRow)>, row| {
            let cpr = fields::cpr("cpr", row.get(0))?;
            let pension = Pension {
                awarded_on: fields::date("awarded_on", row.get(1))?,
                scheme: fields::word("scheme", row.get(2), &[("pl", Scheme::Pl), ("gfpl", Scheme::Gfpl)])?,
                status: fields::word(
                    "status",
                    row.get(3),
                    &[
                        ("active", PensionStatus::Active),
                        ("dormant", PensionStatus::Dormant),
                        ("ceased", PensionStatus::Ceased),
                    ],
                )?,
            };
            let awarding_municipality = fields::municipality("awarding_municipality", row.get(4))?;
            acc.push((cpr, PensionRow { pension, awarding_municipality, line: row.line }));
            Ok(())
        })?;
    let rows: Vec<(Cpr, PensionRow)> = out.parts.into_iter().flatten().collect();
    // The first row, in file order, that repeats a person's award date: found by sorting (a map of every
    // person's dates cost a quarter of a million small allocations), the same row and message as reading
    // row by row would give.
    let repeat = first_repeated_award(&rows);
    let repeated = |(line, first): (u64, u64)| {
        input(&file, line, format!("column awarded_on: the same person and award date as line {first}"))
    };
    ex.pensions.reserve(rows.len());
    for (cpr, p) in rows {
        if let Some(at) = repeat
            && at.0 <= p.line
        {
            return Err(repeated(at));
        }
        if p.pension.status == Some(PensionStatus::Ceased) {
            continue;
        }
        if let Some(other) = ex.pensions.get(&cpr) {
            return Err(input(
                &file,
                p.line,
                format!("column status: a second pension that has not ceased (the first is line {})", other.line),
            ));
        }
        ex.pensions.insert(cpr, p);
    }
    if let Some(at) = repeat {
        return Err(repeated(at));
    }
    record(ex, PENSIONS, out.sha256, out.rows);
    Ok(())
}

/// The earliest line that gives a person an award date an earlier line gave them, with that earlier line.
fn first_repeated_award(rows: &[(Cpr, PensionRow)]) -> Option<(u64, u64)> {
    let mut keys: Vec<(u64, Option<Date>, u64)> =
        rows.iter().map(|(cpr, p)| (cpr.value(), p.pension.awarded_on, p.line)).collect();
    rayon::slice::ParallelSliceMut::par_sort_unstable(&mut keys[..]);
    // Within a person and date the lines are in order: the group's first is the original, its second the
    // first repeat.
    keys.windows(2).filter(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)).map(|w| (w[1].2, w[0].2)).fold(
        None,
        |best: Option<(u64, u64)>, (line, first)| match best {
            Some((l, _)) if l <= line => best,
            _ => Some((line, first)),
        },
    )
}

const PERSON_SCHEMA: Schema<'static> = Schema {
    required: &["cpr", "birth_date", "citizenship", "municipality_code", "status"],
    optional: &["name", "address_protected"],
};

#[derive(Default)]
struct PersonChunk {
    all: Vec<u64>,
    kept: Vec<(Cpr, PersonRow, CitizenRow)>,
}

/// The optional columns of a person's row, validated on every row and kept only for `keep`.
fn parse_citizen(row: &Row<'_>, keep: bool) -> Result<CitizenRow, FieldError> {
    let name = fields::line("name", row.get(5), MAX_NAME)?;
    let address_protected = fields::boolean("address_protected", row.get(6))?;
    Ok(if keep { CitizenRow { name: name.map(Into::into), address_protected } } else { CitizenRow::default() })
}

fn parse_person(row: &Row<'_>) -> Result<(Cpr, PersonRow), FieldError> {
    let cpr = fields::cpr("cpr", row.get(0))?;
    let birth_date = fields::date("birth_date", row.get(1))?;
    // The CPR number carries the birth date: a register that says otherwise is wrong, and the age-60 bar
    // is judged on it.
    if let (Some(given), Some(from_cpr)) = (birth_date, cpr.birth_date())
        && given != from_cpr
    {
        return Err(FieldError::value("birth_date", row.get(1), "is not the birth date the CPR number gives"));
    }
    let citizenship = fields::country("citizenship", row.get(2))?;
    let municipality = fields::municipality("municipality_code", row.get(3))?;
    let status = fields::cpr_status("status", row.get(4))?;
    Ok((cpr, PersonRow { birth_date, citizenship, municipality, status, line: row.line }))
}

/// persons.csv read and checked for repeated CPR numbers; only the persons with a pension kept.
struct PersonsRead {
    kept: Vec<(Cpr, PersonRow, CitizenRow)>,
    population: u64,
    sha256: String,
    rows: u64,
}

fn read_persons(dir: &Path, wanted: &CprSet) -> Result<PersonsRead, RegisterError> {
    let file = display(dir, PERSONS);
    let path = dir.join(PERSONS);
    let out = csvio::read(&path, &file, PERSON_SCHEMA, PersonChunk::default, |acc, row| {
        let (cpr, person) = parse_person(row)?;
        acc.all.push(cpr.value());
        let keep = wanted.contains(&cpr);
        let citizen = parse_citizen(row, keep)?;
        if keep {
            acc.kept.push((cpr, person, citizen));
        }
        Ok(())
    })?;
    let mut all: Vec<u64> = Vec::with_capacity(usize::try_from(out.rows).unwrap_or(0));
    for part in &out.parts {
        all.extend_from_slice(&part.all);
    }
    let population = all.len() as u64;
    rayon::slice::ParallelSliceMut::par_sort_unstable(&mut all[..]);
    if let Some(dup) = all.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]) {
        return Err(duplicate_person(&path, &file, dup));
    }
    drop(all);
    let kept = out.parts.into_iter().flat_map(|p| p.kept).collect();
    Ok(PersonsRead { kept, population, sha256: out.sha256, rows: out.rows })
}

/// The persons with a pension into the extract, each pension checked against its person.
fn merge_persons(dir: &Path, read: PersonsRead, ex: &mut Extract) -> Result<(), RegisterError> {
    ex.population = read.population;
    for (cpr, person, citizen) in read.kept {
        ex.persons.insert(cpr, person);
        if citizen.name.is_some() || citizen.address_protected.is_some() {
            ex.citizens.insert(cpr, citizen);
        }
    }
    let mut first = None;
    for (cpr, pension) in &ex.pensions {
        let check = match ex.persons.get(cpr) {
            None => {
                Err(input(&display(dir, PENSIONS), pension.line, "column cpr: no such person in persons.csv".into()))
            }
            Some(person) => match (person.birth_date, pension.pension.awarded_on) {
                (Some(born), Some(awarded)) if awarded < born => Err(input(
                    &display(dir, PENSIONS),
                    pension.line,
                    format!(
                        "column awarded_on: \"{awarded}\" is before the person's birth date (persons.csv line {})",
                        person.line
                    ),
                )),
                _ => Ok(()),
            },
        };
        keep_earliest(&mut first, check);
    }
    if let Some(e) = first {
        return Err(e);
    }
    record(ex, PERSONS, read.sha256, read.rows);
    Ok(())
}

/// Finds the two lines of a duplicated CPR number (error path only, so a second read is fine).
fn duplicate_person(path: &Path, file: &str, dup: u64) -> RegisterError {
    let lines = csvio::read(path, file, PERSON_SCHEMA, Vec::new, |acc: &mut Vec<u64>, row| {
        if Cpr::parse(row.get(0)).is_ok_and(|c| c.value() == dup) {
            acc.push(row.line);
        }
        Ok(())
    });
    match lines.map(|o| o.parts.into_iter().flatten().collect::<Vec<_>>()) {
        Ok(lines) if lines.len() >= 2 => {
            input(file, lines[1], format!("column cpr: the same CPR number as line {}", lines[0]))
        }
        _ => RegisterError::File { file: file.to_owned(), message: "a CPR number appears more than once".into() },
    }
}

const MIGRATION_SCHEMA: Schema<'static> =
    Schema { required: &["cpr", "date", "direction", "country", "first_entry"], optional: &[] };

fn read_movements(dir: &Path, wanted: &CprSet) -> Result<ReadOutput<Vec<(Cpr, MovementRow)>>, RegisterError> {
    let file = display(dir, MIGRATIONS);
    csvio::read(&dir.join(MIGRATIONS), &file, MIGRATION_SCHEMA, Vec::new, |acc: &mut Vec<(Cpr, MovementRow)>, row| {
        let cpr = fields::cpr("cpr", row.get(0))?;
        let date = fields::required_date("date", row.get(1))?;
        let direction = fields::word("direction", row.get(2), &[("in", Direction::In), ("out", Direction::Out)])?
            .ok_or_else(|| FieldError::missing("direction"))?;
        let country = fields::country("country", row.get(3))?;
        if country.is_some_and(|c| &c.code() == b"DK") {
            return Err(FieldError::value(
                "country",
                row.get(3),
                "is Denmark itself; a movement goes to or from abroad",
            ));
        }
        let first_entry = fields::boolean("first_entry", row.get(4))?;
        if direction == Direction::Out && first_entry == Some(true) {
            return Err(FieldError::value("first_entry", row.get(4), "is set on an exit (direction out)"));
        }
        if wanted.contains(&cpr) {
            acc.push((
                cpr,
                MovementRow { movement: Movement { date, direction, country, first_entry }, line: row.line },
            ));
        }
        Ok(())
    })
}

/// The movements of the persons with a pension into the extract, each person's checked in date order.
fn merge_movements(
    dir: &Path,
    out: ReadOutput<Vec<(Cpr, MovementRow)>>,
    ex: &mut Extract,
) -> Result<(), RegisterError> {
    let file = display(dir, MIGRATIONS);
    let (sha256, rows) = group_and_check(
        out,
        &mut ex.movements,
        &ex.persons,
        |m| (m.movement.date, m.line),
        |moves, person| check_movements(&file, moves, person),
    )?;
    record(ex, MIGRATIONS, sha256, rows);
    Ok(())
}

/// The rows a file gave of the persons with a pension, grouped into `into` by person, each person's put in
/// order by `key` and checked by `check` with their persons.csv row; the file's earliest error (checks made
/// person by person go in no file order), else the file's hash and row count.
fn group_and_check<T, K: Ord>(
    out: ReadOutput<Vec<(Cpr, T)>>,
    into: &mut CprMap<Vec<T>>,
    persons: &CprMap<PersonRow>,
    key: impl Fn(&T) -> K,
    check: impl Fn(&[T], Option<&PersonRow>) -> Result<(), RegisterError>,
) -> Result<(String, u64), RegisterError> {
    for (cpr, row) in out.parts.into_iter().flatten() {
        into.entry(cpr).or_default().push(row);
    }
    let mut first = None;
    for (cpr, rows) in into.iter_mut() {
        rows.sort_by_key(&key);
        keep_earliest(&mut first, check(rows, persons.get(cpr)));
    }
    first.map_or(Ok((out.sha256, out.rows)), Err)
}

/// A person's movements must be a history CPR could hold: after birth, one per day, exits and entries
/// alternating, and a first entry only as the very first movement.
fn check_movements(file: &str, moves: &[MovementRow], person: Option<&PersonRow>) -> Result<(), RegisterError> {
    for (i, m) in moves.iter().enumerate() {
        if let Some(born) = person.and_then(|p| p.birth_date)
            && m.movement.date < born
        {
            return Err(input(
                file,
                m.line,
                format!("column date: \"{}\" is before the person's birth date", m.movement.date),
            ));
        }
        if m.movement.first_entry == Some(true) && i > 0 {
            return Err(input(
                file,
                m.line,
                format!("column first_entry: a first entry after an earlier movement (line {})", moves[i - 1].line),
            ));
        }
        let Some(prev) = i.checked_sub(1).map(|j| &moves[j]) else {
            if m.movement.direction == Direction::In && m.movement.first_entry == Some(false) {
                return Err(input(
                    file,
                    m.line,
                    "column direction: an entry with no earlier exit that is not a first entry".into(),
                ));
            }
            continue;
        };
        if prev.movement.date == m.movement.date {
            return Err(input(
                file,
                m.line,
                format!("column date: the same date as line {} for the same person", prev.line),
            ));
        }
        if prev.movement.direction == m.movement.direction {
            let what = if m.movement.direction == Direction::In { "two entries" } else { "two exits" };
            return Err(input(
                file,
                m.line,
                format!("column direction: {what} in a row (the other is line {})", prev.line),
            ));
        }
    }
    Ok(())
}

const RESIDENCE_SCHEMA: Schema<'static> = Schema { required: &["cpr", "address_id", "moved_in"], optional: &[] };

fn read_residences(dir: &Path, wanted: &CprSet) -> Result<ReadOutput<Vec<(Cpr, ResidenceRow)>>, RegisterError> {
    let file = display(dir, RESIDENCES);
    csvio::read(&dir.join(RESIDENCES), &file, RESIDENCE_SCHEMA, Vec::new, |acc: &mut Vec<(Cpr, ResidenceRow)>, row| {
        let cpr = fields::cpr("cpr", row.get(0))?;
        let address = fields::id("address_id", row.get(1))?;
        let moved_in = fields::required_date("moved_in", row.get(2))?;
        if wanted.contains(&cpr) {
            acc.push((cpr, ResidenceRow { address_id: address.into(), moved_in, line: row.line }));
        }
        Ok(())
    })
}

/// The residences of the persons with a pension into the extract, each person's checked in date order.
fn merge_residences(
    dir: &Path,
    out: ReadOutput<Vec<(Cpr, ResidenceRow)>>,
    ex: &mut Extract,
) -> Result<(), RegisterError> {
    let file = display(dir, RESIDENCES);
    let (sha256, rows) = group_and_check(
        out,
        &mut ex.residences,
        &ex.persons,
        |r| (r.moved_in, r.line),
        |rows, person| check_residences(&file, rows, person.and_then(|p| p.birth_date)),
    )?;
    record(ex, RESIDENCES, sha256, rows);
    Ok(())
}

/// A person's residences, in date order: after birth, one move-in per day.
fn check_residences(file: &str, rows: &[ResidenceRow], born: Option<Date>) -> Result<(), RegisterError> {
    for (i, r) in rows.iter().enumerate() {
        if born.is_some_and(|b| r.moved_in < b) {
            return Err(input(
                file,
                r.line,
                format!("column moved_in: \"{}\" is before the person's birth date", r.moved_in),
            ));
        }
        if i > 0 && rows[i - 1].moved_in == r.moved_in {
            return Err(input(
                file,
                r.line,
                format!("column moved_in: the same person moved in twice on the same date (line {})", rows[i - 1].line),
            ));
        }
    }
    Ok(())
}

/// Keeps in `first` the error on the earliest line: checks made person by person go in no file order (a
/// map has none), and the error named must be the file's first, whatever the order.
fn keep_earliest(first: &mut Option<RegisterError>, check: Result<(), RegisterError>) {
    let line = |e: &RegisterError| match e {
        RegisterError::Input { line, .. } => *line,
        _ => 0,
    };
    if let Err(e) = check
        && first.as_ref().is_none_or(|f| line(&e) < line(f))
    {
        *first = Some(e);
    }
}

const ADDRESS_SCHEMA: Schema<'static> =
    Schema { required: &["address_id", "street", "postcode", "city"], optional: &[] };

/// addresses.csv: every row validated, those the persons with a pension lived at kept; an address id
/// twice is an error.
fn load_addresses(dir: &Path, used: &AddressSet<'_>) -> Result<Kept<(AddressId, AddressRow)>, RegisterError> {
    let repeated = |first| format!("column address_id: the same address as line {first}");
    read_keyed(dir, ADDRESSES, ADDRESS_SCHEMA, 0, None, repeated, |row| {
        let id = fields::id("address_id", row.get(0))?;
        let street =
            fields::line("street", row.get(1), MAX_ADDRESS_LINE)?.ok_or_else(|| FieldError::missing("street"))?;
        let postcode = fields::postcode("postcode", row.get(2))?.ok_or_else(|| FieldError::missing("postcode"))?;
        let city = fields::line("city", row.get(3), MAX_ADDRESS_LINE)?.ok_or_else(|| FieldError::missing("city"))?;
        Ok(used.contains(id).then(|| {
            (Box::<[u8]>::from(id), AddressRow { street: street.into(), postcode: postcode.into(), city: city.into() })
        }))
    })
}

/// Reads `name`, whose rows are keyed by schema column `column`: every row validated by `parse`, which
/// gives what is kept of it, if anything; a key that appears twice is an error on the line it appears
/// again (`repeated`: the message, given the line it first appeared on). The keys are checked by their
/// digests ([`first_repeat`]), so that a file of millions of rows is not held to be checked.
fn read_keyed<T: Send>(
    dir: &Path,
    name: &str,
    schema: Schema<'static>,
    column: usize,
    group: Option<usize>,
    repeated: impl Fn(u64) -> String,
    parse: impl Fn(&Row<'_>) -> Result<Option<T>, FieldError> + Sync,
) -> Result<Kept<T>, RegisterError> {
    let file = display(dir, name);
    let path = dir.join(name);
    let out = csvio::read(&path, &file, schema, KeyedChunk::default, |acc: &mut KeyedChunk<T>, row| {
        let kept = parse(row)?;
        acc.keys.push((digest(row.get(column)), row.line));
        acc.kept.extend(kept);
        if let Some(g) = group {
            // Rows come grouped in practice, so comparing with the last one spares most lookups.
            let value = row.get(g);
            if acc.last_group.as_deref() != Some(value) {
                let value = String::from_utf8_lossy(value).into_owned().into_boxed_str();
                acc.groups.insert(value.clone());
                acc.last_group = Some(value.into_boxed_bytes());
            }
        }
        Ok(())
    })?;
    let KeyedChunk { keys, kept, groups, .. } = KeyedChunk::merge(out.parts);
    if let Some((first, line)) = first_repeat(keys, |lines| keys_at(&path, &file, schema, column, lines))? {
        return Err(input(&file, line, repeated(first)));
    }
    Ok(Kept { kept, groups, sha256: out.sha256, rows: out.rows })
}

/// An address id, as kept.
type AddressId = Box<[u8]>;
/// An area id and the line of area_addresses.csv that put an address in it.
type AreaAndLine = (Box<str>, u64);
/// A line and the key its row holds.
type KeyAtLine = (u64, Box<[u8]>);

/// A set of address ids.
type AddressSet<'r> = std::collections::HashSet<&'r [u8], BuildHasherDefault<IntHasher>>;

/// The addresses the persons with a pension have lived at: the only ones whose area or postal address
/// the screening looks up.
fn used_addresses(residences: &CprMap<Vec<ResidenceRow>>) -> AddressSet<'_> {
    residences.values().flatten().map(|r| &*r.address_id).collect()
}

/// The rows a file gave that are kept, with what the manifest records of the file.
struct Kept<T> {
    kept: Vec<T>,
    /// The distinct values of the grouping column, when one was asked for.
    groups: HashSet<Box<str>>,
    sha256: String,
    rows: u64,
}

/// What a chunk of a file keyed by a column gives: every row's key digest with its line, and the rows kept.
struct KeyedChunk<T> {
    keys: Vec<(u64, u64)>,
    kept: Vec<T>,
    groups: HashSet<Box<str>>,
    last_group: Option<Box<[u8]>>,
}

impl<T> Default for KeyedChunk<T> {
    fn default() -> Self {
        KeyedChunk { keys: Vec::new(), kept: Vec::new(), groups: HashSet::new(), last_group: None }
    }
}

impl<T> KeyedChunk<T> {
    /// The chunks of a file as one, in file order.
    fn merge(parts: Vec<KeyedChunk<T>>) -> KeyedChunk<T> {
        let mut keys = Vec::with_capacity(parts.iter().map(|p| p.keys.len()).sum());
        let mut kept = Vec::new();
        let mut groups = HashSet::new();
        for part in parts {
            keys.extend(part.keys);
            kept.extend(part.kept);
            groups.extend(part.groups);
        }
        KeyedChunk { keys, kept, groups, last_group: None }
    }
}

/// A 64-bit digest of a key: distinct keys almost always differ in it, and where two agree the keys
/// themselves are compared ([`first_repeat`]), so that a collision is never taken for a repeat.
fn digest(key: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut h = IntHasher::default();
    h.write(key);
    h.write_u64(key.len() as u64);
    h.finish()
}

/// The first key of a column that appears twice, in file order, as (the line it first appeared on, the
/// line it appears again), from every row's (digest, line) — without holding the keys. Only when two
/// digests agree are the keys of those lines read again (`reread`: line → key) and compared.
fn first_repeat(
    mut keys: Vec<(u64, u64)>,
    reread: impl FnOnce(&std::collections::HashSet<u64>) -> Result<Vec<KeyAtLine>, RegisterError>,
) -> Result<Option<(u64, u64)>, RegisterError> {
    rayon::slice::ParallelSliceMut::par_sort_unstable(&mut keys[..]);
    let suspects: std::collections::HashSet<u64> =
        keys.windows(2).filter(|w| w[0].0 == w[1].0).flat_map(|w| [w[0].1, w[1].1]).collect();
    if suspects.is_empty() {
        return Ok(None);
    }
    let mut rows = reread(&suspects)?;
    rows.sort_unstable_by_key(|(line, _)| *line);
    let mut first: HashMap<Box<[u8]>, u64> = HashMap::new();
    for (line, key) in rows {
        if let Some(&earlier) = first.get(&key) {
            return Ok(Some((earlier, line)));
        }
        first.insert(key, line);
    }
    Ok(None)
}

/// The keys (schema column `column`) of the rows at `lines` of a file read before: the error path of
/// [`first_repeat`], so a second read is fine.
fn keys_at(
    path: &Path,
    file: &str,
    schema: Schema<'static>,
    column: usize,
    lines: &std::collections::HashSet<u64>,
) -> Result<Vec<KeyAtLine>, RegisterError> {
    let out = csvio::read(path, file, schema, Vec::new, |acc: &mut Vec<KeyAtLine>, row| {
        if lines.contains(&row.line) {
            acc.push((row.line, row.get(column).into()));
        }
        Ok(())
    })?;
    Ok(out.parts.into_iter().flatten().collect())
}

const AREA_ADDRESS_SCHEMA: Schema<'static> = Schema { required: &["area_id", "address_id"], optional: &[] };

/// area_addresses.csv: every row validated, an address in two areas (or twice in one) an error; the areas
/// of the addresses the persons with a pension have lived at kept.
fn load_area_addresses(dir: &Path, used: &AddressSet<'_>) -> Result<Kept<(AddressId, AreaAndLine)>, RegisterError> {
    let repeated = |first| format!("column address_id: the address is already in an area at line {first}");
    read_keyed(dir, AREA_ADDRESSES, AREA_ADDRESS_SCHEMA, 1, Some(0), repeated, |row| {
        let area = fields::text("area_id", row.get(0))?;
        let address = fields::id("address_id", row.get(1))?;
        Ok(used.contains(address).then(|| (Box::<[u8]>::from(address), (Box::<str>::from(area), row.line))))
    })
}

const EXEMPTION_SCHEMA: Schema<'static> = Schema { required: &["cpr", "category"], optional: &[] };

fn load_exemptions(dir: &Path, wanted: &CprSet, ex: &mut Extract) -> Result<(), RegisterError> {
    let file = display(dir, EXEMPTIONS);
    let out = csvio::read(
        &dir.join(EXEMPTIONS),
        &file,
        EXEMPTION_SCHEMA,
        Vec::new,
        |acc: &mut Vec<(Cpr, Exemption, u64)>, row| {
            let cpr = fields::cpr("cpr", row.get(0))?;
            let category = row.get(1);
            let exemption = Exemption::parse(category).ok_or_else(|| {
                let all: Vec<&str> = Exemption::ALL.iter().map(|e| e.as_str()).collect();
                FieldError::value("category", category, &format!("is not one of {}", all.join(", ")))
            })?;
            acc.push((cpr, exemption, row.line));
            Ok(())
        },
    )?;
    let mut seen: HashMap<(Cpr, Exemption), u64> = HashMap::new();
    for (cpr, exemption, line) in out.parts.into_iter().flatten() {
        if let Some(first) = seen.insert((cpr, exemption), line) {
            return Err(input(&file, line, format!("column category: the same person and category as line {first}")));
        }
        if wanted.contains(&cpr) {
            ex.exemptions.entry(cpr).or_default().push(exemption);
        }
    }
    record(ex, EXEMPTIONS, out.sha256, out.rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pensions.csv's rows checked one by one, as the loader checked them before it sorted: the first row that
    /// repeats a person's award date, or gives them a second pension that has not ceased, whichever comes
    /// first.
    fn first_pension_error(rows: &[(usize, usize, usize)]) -> Option<String> {
        let mut seen: Vec<(usize, usize, u64)> = Vec::new();
        let mut open: Vec<(usize, u64)> = Vec::new();
        for (i, &(person, date, status)) in rows.iter().enumerate() {
            let line = i as u64 + 2;
            if let Some((_, _, first)) = seen.iter().find(|(p, d, _)| (*p, *d) == (person, date)) {
                return Some(format!("{line}: column awarded_on: the same person and award date as line {first}"));
            }
            seen.push((person, date, line));
            if status == 2 {
                continue;
            }
            if let Some((_, first)) = open.iter().find(|(p, _)| *p == person) {
                return Some(format!(
                    "{line}: column status: a second pension that has not ceased (the first is line {first})"
                ));
            }
            open.push((person, line));
        }
        None
    }

    proptest::proptest! {
        /// The sorted search for repeated award dates names the row and earlier line the one-by-one reading
        /// names, also when a second open pension comes first or on the same row.
        #[test]
        fn pension_errors_are_those_of_a_reading_row_by_row(
            rows in proptest::collection::vec((0..3usize, 0..4usize, 0..3usize), 1..14)
        ) {
            let dir = tempfile::tempdir().expect("tmp");
            let mut text = String::from("cpr,awarded_on,scheme,status,awarding_municipality\n");
            for &(person, date, status) in &rows {
                let cpr = ["6105801001", "6105801003", "6105801005"][person];
                let date = ["2015-03-01", "2016-03-01", "2017-03-01", ""][date];
                let status = ["active", "dormant", "ceased"][status];
                text.push_str(&format!("{cpr},{date},pl,{status},101\n"));
            }
            std::fs::write(dir.path().join(PENSIONS), text).expect("write");
            let mut ex = Extract::default();
            let got = load_pensions(dir.path(), &mut ex).err().map(|e| match e {
                RegisterError::Input { line, message, .. } => format!("{line}: {message}"),
                other => other.to_string(),
            });
            proptest::prop_assert_eq!(got, first_pension_error(&rows));
        }
    }

    /// Two keys whose digests agree are compared as keys: a collision is no repeat, and of two repeats the
    /// one that comes again first in the file is named, with the line it first appeared on.
    #[test]
    fn a_repeat_is_found_by_the_keys_not_by_their_digests() {
        let keys_of = |rows: &'static [(u64, &'static str)]| {
            move |lines: &std::collections::HashSet<u64>| {
                Ok(rows.iter().filter(|(l, _)| lines.contains(l)).map(|(l, k)| (*l, Box::from(k.as_bytes()))).collect())
            }
        };
        // Lines 2 and 5 collide (digest 7) but hold different keys.
        let collided =
            first_repeat(vec![(7, 2), (1, 3), (2, 4), (7, 5)], keys_of(&[(2, "A"), (3, "B"), (4, "C"), (5, "D")]));
        assert_eq!(collided.expect("read"), None);
        // "B" comes again on line 6, "A" on line 8: "B" is the first repeat in the file.
        let rows: &[(u64, &str)] = &[(2, "A"), (3, "B"), (4, "C"), (6, "B"), (8, "A")];
        let digests = vec![(9, 8), (9, 2), (5, 3), (5, 6), (9, 4)];
        assert_eq!(first_repeat(digests, keys_of(rows)).expect("read"), Some((3, 6)));
        assert_eq!(
            first_repeat(vec![(1, 2), (2, 3)], |_| panic!("no second read without a shared digest")).expect("read"),
            None
        );
        assert_ne!(digest(b"A0001-1"), digest(b"A0001-10"));
    }
}
