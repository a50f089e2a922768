//! The synthetic nation (`gennemgang generate`): a fictitious but realistic national register extract.
//!
//! Persons are made in fixed blocks of [`BLOCK`], each from its own random stream, so the bytes depend on
//! the seed and the number of persons only — not on the number of threads. CPR numbers are CPR's
//! replacement numbers (day + 60), unique by construction: every block owns its own slice of the serial
//! numbers for each birth date and sex. Area indicators are drawn from a latent deprivation level that
//! also draws newcomers to the area, so the areas that are selected are where the target group lives.
//!
//! Layout: [`rng`] (stable random numbers), [`days`] (fast date arithmetic), [`model`] (the proportions),
//! and this module, which makes the areas, the persons block by block, and writes the files.

pub mod days;
pub mod model;
pub mod names;
pub mod rng;

use crate::output::Staged;
use gennemgang_rules::cpr::Cpr;
use gennemgang_rules::municipality::MUNICIPALITIES;
use jiff::civil::{Date, date};
use model::{AGE_BANDS, Group};
use rayon::prelude::*;
use rng::{Rng, Weighted};
use std::io::Write;
use std::path::Path;

/// Persons per block (one random stream each).
pub const BLOCK: u64 = 100_000;
/// Blocks made in parallel before their output is written, bounding memory.
const WAVE: usize = 16;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Number of persons.
    pub persons: u64,
    /// Seed.
    pub seed: u64,
    /// The date the extract is taken (ages, statuses and addresses are as of this day).
    pub extract_date: Date,
}

impl Options {
    /// The default extract date: after the areas are fixed (1 July 2026), before reviews start.
    pub const DEFAULT_EXTRACT_DATE: Date = date(2026, 11, 1);
}

/// What was generated.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    /// Persons.
    pub persons: u64,
    /// Persons with an active pension.
    pub active_pensions: u64,
    /// Areas (all sizes).
    pub areas: u64,
    /// Areas with at least 1,000 residents.
    pub areas_with_1000: u64,
    /// Rows per file.
    pub files: Vec<(String, u64)>,
}

struct Area {
    id: String,
    name: String,
    street: String,
    municipality: usize,
    deprivation: f64,
    addresses: u32,
}

struct Context {
    opts: Options,
    extract: i32,
    areas: Vec<Area>,
    area_pick: [Weighted; 6],
    municipality_pick: Weighted,
    municipality_pick_immigrant: Weighted,
    age_pick: Weighted,
    countries: [Weighted; 4],
    blocks: u64,
}

const GROUPS: [Group; 6] =
    [Group::Native, Group::Descendant, Group::NonWestern, Group::Eu, Group::WesternOther, Group::Returner];

fn group_index(g: Group) -> usize {
    GROUPS.iter().position(|x| *x == g).unwrap_or(0)
}

#[expect(clippy::cast_precision_loss, reason = "person counts are far below 2^52")]
fn make_areas(opts: &Options, rng: &mut Rng) -> Vec<Area> {
    let scale = opts.persons as f64 / 6.0e6;
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "small positive counts")]
    let count = |n: f64| (n * scale).round().max(if opts.persons >= 10_000 { 1.0 } else { 0.0 }) as usize;
    let (large, small) = (count(198.0), count(40.0));
    let weights: Vec<f64> =
        model::MUNICIPALITY_POPULATION.iter().map(|p| if *p >= 20.0 { p.powf(1.5) } else { 0.0 }).collect();
    let pick = Weighted::new(weights);
    (0..large + small)
        .map(|i| {
            let municipality = pick.pick(rng);
            // Target size: large areas from 1,000 upwards with a long tail, small ones below 1,000.
            let size = if i < large { 1130.0 + 950.0 * -rng.unit().max(1e-9).ln() } else { 300.0 + 650.0 * rng.unit() };
            let first = model::NAME_FIRST[usize::try_from(rng.below(24)).unwrap_or(0)];
            let last = model::NAME_LAST[usize::try_from(rng.below(10)).unwrap_or(0)];
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "size is a few thousand")]
            let addresses = (size / 1.9).ceil() as u32;
            Area {
                id: format!("A{:04}", i + 1),
                name: format!("{first}{last} ({})", MUNICIPALITIES[municipality].name),
                street: format!("{first}{last}"),
                municipality,
                deprivation: rng.unit().powf(1.25),
                addresses: addresses.max(1),
            }
        })
        .collect()
}

fn weighted_countries(table: &[(&str, f64)]) -> Weighted {
    Weighted::new(table.iter().map(|(_, w)| *w))
}

/// The most persons an extract may have: several times Denmark's population, far below what exhausts the
/// CPR numbers of a birth date or the machine's memory.
pub const MAX_PERSONS: u64 = 20_000_000;
/// The extract dates the synthetic nation is made for: its age structure and pension history are today's,
/// and every birth date must fall after 1900 (the replacement CPR numbers' first century).
pub const EXTRACT_DATES: std::ops::RangeInclusive<Date> = date(2000, 1, 1)..=date(2099, 12, 31);

/// Why the options cannot make an extract, in the words of the flag they came from.
#[must_use]
pub fn refused(opts: &Options) -> Option<String> {
    if !(1..=MAX_PERSONS).contains(&opts.persons) {
        Some(format!("--persons: {} is not between 1 and {MAX_PERSONS}", opts.persons))
    } else if !EXTRACT_DATES.contains(&opts.extract_date) {
        Some(format!(
            "--extract-date: {} is not between {} and {}",
            opts.extract_date,
            EXTRACT_DATES.start(),
            EXTRACT_DATES.end()
        ))
    } else {
        None
    }
}

/// Generates the extract into `out`, calling `progress` with the number of persons done.
///
/// # Errors
/// Options [`refused`] names (nothing is written), or a file that cannot be written (nothing is left
/// half-written: files appear only when complete).
pub fn generate(opts: Options, out: &Path, progress: &(dyn Fn(u64) + Sync)) -> std::io::Result<Summary> {
    if let Some(why) = refused(&opts) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, why));
    }
    std::fs::create_dir_all(out)?;
    let mut rng = Rng::new(opts.seed, u64::MAX);
    let areas = make_areas(&opts, &mut rng);
    let sizes: Vec<f64> = areas.iter().map(|a| f64::from(a.addresses)).collect();
    let area_pick =
        GROUPS.map(|g| Weighted::new(areas.iter().zip(&sizes).map(|(a, s)| s * g.area_affinity(a.deprivation))));
    let ctx = Context {
        opts,
        extract: days::from_date(opts.extract_date),
        area_pick,
        areas,
        municipality_pick: Weighted::new(model::municipality_weights(false)),
        municipality_pick_immigrant: Weighted::new(model::municipality_weights(true)),
        age_pick: Weighted::new(AGE_BANDS),
        countries: [
            weighted_countries(&model::NON_WESTERN),
            weighted_countries(&model::EU),
            weighted_countries(&model::WESTERN_OTHER),
            weighted_countries(&model::ABROAD),
        ],
        blocks: opts.persons.div_ceil(BLOCK).max(1),
    };
    let names = ["persons.csv", "migrations.csv", "pensions.csv", "residences.csv", "exemptions.csv"];
    let headers: [&[u8]; 5] = [
        b"cpr,birth_date,citizenship,municipality_code,status,name,address_protected\n",
        b"cpr,date,direction,country,first_entry\n",
        b"cpr,awarded_on,scheme,status,awarding_municipality\n",
        b"cpr,address_id,moved_in\n",
        b"cpr,category\n",
    ];
    let mut files = names.iter().map(|n| Staged::create(&out.join(n))).collect::<std::io::Result<Vec<_>>>()?;
    for (f, h) in files.iter_mut().zip(headers) {
        f.writer().write_all(h)?;
    }
    let mut summary = Summary { persons: opts.persons, ..Summary::default() };
    let mut rows = [0u64; 5];
    let mut residents = vec![0u64; ctx.areas.len()];
    let block_ids: Vec<u64> = (0..ctx.blocks).collect();
    let mut done = 0;
    for wave in block_ids.chunks(WAVE) {
        let outputs: Vec<BlockOut> = wave.par_iter().map(|&b| make_block(&ctx, b)).collect();
        for block in outputs {
            for (i, buf) in block.buffers.iter().enumerate() {
                files[i].writer().write_all(buf)?;
                rows[i] += block.rows[i];
            }
            for (total, n) in residents.iter_mut().zip(&block.residents) {
                *total += n;
            }
            summary.active_pensions += block.active_pensions;
            done += block.persons;
            progress(done);
        }
    }
    let areas_rows = write_areas(&ctx, &residents, out)?;
    let address_rows = write_area_addresses(&ctx, out)?;
    for f in files {
        f.commit()?;
    }
    summary.areas = ctx.areas.len() as u64;
    summary.areas_with_1000 = residents.iter().filter(|&&r| r >= 1000).count() as u64;
    summary.files = names.iter().zip(rows).map(|(n, r)| ((*n).to_owned(), r)).collect();
    summary.files.push(("areas.csv".to_owned(), areas_rows));
    summary.files.push(("area_addresses.csv".to_owned(), address_rows));
    summary.files.push(("addresses.csv".to_owned(), address_rows));
    Ok(summary)
}

struct BlockOut {
    buffers: [Vec<u8>; 5],
    rows: [u64; 5],
    residents: Vec<u64>,
    active_pensions: u64,
    persons: u64,
}

const DAY_ORIGIN: i32 = -25_567; // 1900-01-01
const YEAR: i32 = 365;

fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + u8::try_from(n % 10).unwrap_or(0);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_date(out: &mut Vec<u8>, day: i32) {
    gennemgang_rules::date::write_iso(out, days::to_date(day));
}

/// Years between two day numbers, in whole years of age.
fn age_at(birth: i32, on: i32) -> i32 {
    i32::from(gennemgang_rules::date::age_on(days::to_date(birth), days::to_date(on)))
}

fn add_years(day: i32, years: i32) -> i32 {
    days::from_date(gennemgang_rules::date::add_months(days::to_date(day), years * 12))
}

struct Serials {
    counters: Vec<u16>,
    per_block: u32,
    block: u64,
}

impl Serials {
    /// Assigns a unique CPR number for a birth day and sex, moving the day forward if this block's share of
    /// serial numbers for that day is used up.
    fn assign(&mut self, mut birth: i32, male: bool, today: i32) -> (Cpr, i32) {
        loop {
            let slot = usize::try_from(birth - DAY_ORIGIN).unwrap_or(0) * 2 + usize::from(male);
            let d = days::to_date(birth);
            let digits: &[u64] = match d.year() {
                ..=1936 => &[0, 1, 2, 3],
                1937..=1999 => &[0, 1, 2, 3, 4, 9],
                _ => &[4, 5, 6, 7, 8, 9],
            };
            let capacity = u32::try_from(digits.len() * 500).unwrap_or(0);
            let share = capacity / self.per_block;
            if let Some(k) = self.counters.get(slot).copied().map(u32::from).filter(|k| *k < share) {
                self.counters[slot] += 1;
                let g = self.block * u64::from(share) + u64::from(k);
                let digit7 = digits[usize::try_from(g / 500).unwrap_or(0).min(digits.len() - 1)];
                let serial = digit7 * 1000 + (g % 500) * 2 + u64::from(male);
                let value = (u64::try_from(d.day()).unwrap_or(1) + 60) * 100_000_000
                    + u64::try_from(d.month()).unwrap_or(1) * 1_000_000
                    + u64::try_from(d.year().rem_euclid(100)).unwrap_or(0) * 10_000
                    + serial;
                if let Some(cpr) = Cpr::from_value(value) {
                    return (cpr, birth);
                }
            }
            birth = if birth < today { birth + 1 } else { birth - 1 };
        }
    }
}

struct Move {
    day: i32,
    inward: bool,
    country: &'static str,
    first: bool,
}

#[expect(clippy::too_many_lines, reason = "one person's life, kept in one readable sequence")]
fn make_block(ctx: &Context, block: u64) -> BlockOut {
    let mut rng = Rng::new(ctx.opts.seed, block);
    let start = block * BLOCK;
    let end = (start + BLOCK).min(ctx.opts.persons);
    let mut out = BlockOut {
        buffers: Default::default(),
        rows: [0; 5],
        residents: vec![0; ctx.areas.len()],
        active_pensions: 0,
        persons: end.saturating_sub(start),
    };
    let days_total = usize::try_from(ctx.extract - DAY_ORIGIN + 1).unwrap_or(0);
    let mut serials =
        Serials { counters: vec![0; days_total * 2], per_block: u32::try_from(ctx.blocks).unwrap_or(1).max(1), block };
    let [persons, migrations, pensions, residences, exemptions] = &mut out.buffers;
    // Names and protection come from a stream of their own, so that adding them changed no other fact.
    let mut names_rng = Rng::new(ctx.opts.seed, block | (1 << 62));
    let today = ctx.extract;
    for _ in start..end {
        let band = i32::try_from(ctx.age_pick.pick(&mut rng)).unwrap_or(0);
        let age_guess = band * 5 + i32::try_from(rng.below(5)).unwrap_or(0);
        let wanted_birth =
            (today - age_guess * 36525 / 100 - i32::try_from(rng.below(365)).unwrap_or(0)).max(DAY_ORIGIN);
        let male = rng.chance(0.5);
        let (cpr, birth) = serials.assign(wanted_birth, male, today);
        let age = age_at(birth, today);
        let shares = Group::shares(age);
        let mut x = rng.unit();
        let mut group = Group::Native;
        for (g, s) in [Group::Descendant, Group::NonWestern, Group::Eu, Group::WesternOther, Group::Returner]
            .into_iter()
            .zip(shares)
        {
            if x < s {
                group = g;
                break;
            }
            x -= s;
        }
        // Movements.
        let mut moves: Vec<Move> = Vec::new();
        let mut citizenship = "DK";
        let mut origin: Option<&str> = None;
        let mut exemption: Option<&str> = None;
        match group {
            Group::NonWestern | Group::Eu | Group::WesternOther => {
                let table = match group {
                    Group::NonWestern => (0, &model::NON_WESTERN[..]),
                    Group::Eu => (1, &model::EU[..]),
                    _ => (2, &model::WESTERN_OTHER[..]),
                };
                let country = table.1[ctx.countries[table.0].pick(&mut rng)].0;
                let span = (today - birth).min(45 * YEAR);
                let ago = f64::from(span) * rng.unit().powf(1.3);
                #[expect(clippy::cast_possible_truncation, reason = "a day count")]
                let entry = (today - ago as i32).max(birth + 1);
                moves.push(Move { day: entry, inward: true, country, first: true });
                origin = Some(country);
                citizenship = if rng.chance(0.35) { "DK" } else { country };
                if group == Group::NonWestern && age_at(birth, entry) < 2 && rng.chance(0.2) {
                    exemption = Some("international_adoption");
                } else if age_at(birth, entry) < 1 && rng.chance(0.02) {
                    exemption = Some("surrogacy_abroad");
                }
                if rng.chance(0.10) && today - entry > 4 * YEAR {
                    let exit = entry
                        + i32::try_from(rng.between(i64::from(YEAR), i64::from(today - entry - 2 * YEAR)))
                            .unwrap_or(YEAR);
                    moves.push(Move { day: exit, inward: false, country, first: false });
                    if rng.chance(0.7) {
                        let back = exit + i32::try_from(rng.between(90, 6 * i64::from(YEAR))).unwrap_or(400);
                        if back < today {
                            moves.push(Move { day: back, inward: true, country, first: false });
                        }
                    }
                } else if rng.chance(0.05) && today - entry > YEAR {
                    let exit = entry + i32::try_from(rng.between(180, i64::from(today - entry))).unwrap_or(180);
                    moves.push(Move { day: exit.min(today - 1), inward: false, country, first: false });
                }
            }
            Group::Returner => {
                let earliest = add_years(birth, 18);
                if earliest < today - 2 * YEAR {
                    let country = model::ABROAD[ctx.countries[3].pick(&mut rng)].0;
                    let exit = i32::try_from(rng.between(i64::from(earliest), i64::from(today - 2 * YEAR)))
                        .unwrap_or(earliest);
                    let months = if rng.chance(0.6) { rng.between(13, 120) } else { rng.between(2, 12) };
                    let back = exit + i32::try_from(months * 30 + rng.between(0, 20)).unwrap_or(400);
                    moves.push(Move { day: exit, inward: false, country, first: false });
                    if back < today {
                        moves.push(Move { day: back, inward: true, country, first: false });
                        if rng.chance(0.08) {
                            exemption = Some(if rng.chance(0.7) { "state_posted" } else { "state_posted_family" });
                        } else if rng.chance(0.005) {
                            exemption = Some("prevented_return");
                        }
                    }
                }
            }
            Group::Native | Group::Descendant => {}
        }
        let emigrated = moves.last().is_some_and(|m| !m.inward);
        let status: u8 = if emigrated {
            80
        } else if age > 55 && rng.chance(0.004) {
            90
        } else if rng.chance(0.004) {
            3
        } else {
            1
        };
        let resident = matches!(status, 1 | 3);
        // Residence.
        let area = (resident && !ctx.areas.is_empty() && rng.chance(group.area_share()))
            .then(|| ctx.area_pick[group_index(group)].pick(&mut rng));
        let municipality = match area {
            Some(a) => MUNICIPALITIES[ctx.areas[a].municipality].code,
            None if matches!(group, Group::NonWestern | Group::Descendant) => {
                MUNICIPALITIES[ctx.municipality_pick_immigrant.pick(&mut rng)].code
            }
            None => MUNICIPALITIES[ctx.municipality_pick.pick(&mut rng)].code,
        };
        let last_entry = moves.iter().rev().find(|m| m.inward).map_or(birth, |m| m.day);
        let last_day = moves.iter().rev().find(|m| !m.inward && m.day > last_entry).map_or(today, |m| m.day);
        let from = last_entry.max(today - 30 * YEAR).min(last_day);
        let moved_in = i32::try_from(rng.between(i64::from(from), i64::from(last_day))).unwrap_or(from);
        if moved_in - birth > 3 * YEAR && rng.chance(0.15) {
            let before =
                i32::try_from(rng.between(i64::from(birth.max(moved_in - 20 * YEAR)), i64::from(moved_in - 1)))
                    .unwrap_or(birth);
            let prior_ok = moves.iter().all(|m| m.day < before || m.day > moved_in) || moves.is_empty();
            if prior_ok && before > birth {
                cpr.write_full(residences);
                residences.extend_from_slice(b",X");
                push_u64(residences, rng.below(3_000_000));
                residences.push(b',');
                push_date(residences, before);
                residences.push(b'\n');
                out.rows[3] += 1;
            }
        }
        cpr.write_full(residences);
        residences.push(b',');
        match area {
            Some(a) => {
                residences.extend_from_slice(ctx.areas[a].id.as_bytes());
                residences.push(b'-');
                push_u64(residences, rng.below(u64::from(ctx.areas[a].addresses)));
                if resident {
                    out.residents[a] += 1;
                }
            }
            None => {
                residences.push(b'X');
                push_u64(residences, rng.below(3_000_000));
            }
        }
        residences.push(b',');
        push_date(residences, moved_in);
        residences.push(b'\n');
        out.rows[3] += 1;
        // Person row.
        cpr.write_full(persons);
        persons.push(b',');
        push_date(persons, birth);
        persons.push(b',');
        persons.extend_from_slice(citizenship.as_bytes());
        persons.push(b',');
        push_u64(persons, u64::from(municipality));
        persons.extend_from_slice(if status < 10 { b",0" } else { b"," });
        push_u64(persons, u64::from(status));
        if group == Group::Descendant {
            origin = Some(model::NON_WESTERN[ctx.countries[0].pick(&mut names_rng)].0);
        }
        persons.push(b',');
        persons.extend_from_slice(names::name(&mut names_rng, origin, male).as_bytes());
        // About 2 % of the population has name and address protection.
        persons.extend_from_slice(if names_rng.chance(0.02) { b",true\n" } else { b",false\n" });
        out.rows[0] += 1;
        for m in &moves {
            cpr.write_full(migrations);
            migrations.push(b',');
            push_date(migrations, m.day);
            migrations.extend_from_slice(if m.inward { b",in," } else { b",out," });
            migrations.extend_from_slice(m.country.as_bytes());
            migrations.extend_from_slice(if m.first { b",true\n" } else { b",false\n" });
            out.rows[1] += 1;
        }
        // Pension.
        if resident && rng.chance(model::pension_rate(age) * group.pension_factor()) {
            let residence_start = moves.iter().find(|m| m.inward).map_or(birth, |m| m.day);
            let lower = add_years(birth, 18).max(add_years(residence_start, 3)).max(days::from_date(date(1985, 1, 1)));
            let upper = today - 30;
            if lower < upper {
                // Most awards are recent; after the 2013 reform rarely under 40.
                let mut awarded =
                    upper - i32::try_from(rng.below(u64::try_from(upper - lower).unwrap_or(1))).unwrap_or(0);
                if awarded >= days::from_date(date(2013, 1, 1)) && age_at(birth, awarded) < 40 && rng.chance(0.5) {
                    awarded = upper - i32::try_from(rng.below(u64::try_from(upper - lower).unwrap_or(1))).unwrap_or(0);
                }
                let gfpl = awarded < days::from_date(date(2003, 1, 1)) && !rng.chance(0.01);
                let roll = rng.unit();
                let state: &[u8] = if roll < 0.965 {
                    b"active"
                } else if roll < 0.98 {
                    b"dormant"
                } else {
                    b"ceased"
                };
                if state == b"active" {
                    out.active_pensions += 1;
                }
                cpr.write_full(pensions);
                pensions.push(b',');
                push_date(pensions, awarded);
                pensions.extend_from_slice(if gfpl { b",gfpl," } else { b",pl," });
                pensions.extend_from_slice(state);
                pensions.push(b',');
                let awarding = if rng.chance(0.8) {
                    municipality
                } else {
                    MUNICIPALITIES[ctx.municipality_pick.pick(&mut rng)].code
                };
                push_u64(pensions, u64::from(awarding));
                pensions.push(b'\n');
                out.rows[2] += 1;
                if exemption.is_none() && male && group == Group::Native && rng.chance(0.004) {
                    exemption = Some("deployed_veteran");
                }
            }
        }
        if let Some(category) = exemption {
            cpr.write_full(exemptions);
            exemptions.push(b',');
            exemptions.extend_from_slice(category.as_bytes());
            exemptions.push(b'\n');
            out.rows[4] += 1;
        }
    }
    out
}

fn write_areas(ctx: &Context, residents: &[u64], out: &Path) -> std::io::Result<u64> {
    let mut rng = Rng::new(ctx.opts.seed, u64::MAX - 1);
    let mut staged = Staged::create(&out.join("areas.csv"))?;
    let w = staged.writer();
    writeln!(
        w,
        "area_id,area_name,municipality,municipality_code,region,residents,share_no_work_or_education_pct,convicted_share_pct,national_convicted_share_pct,share_basic_education_pct,income_pct_of_region,share_non_western_pct"
    )?;
    let clamp = |v: f64| format!("{:.1}", v.clamp(0.0, 100.0));
    for (area, count) in ctx.areas.iter().zip(residents) {
        let d = area.deprivation;
        let mut values = [
            clamp(12.0 + 36.0 * d + 4.0 * rng.normal()),
            format!("{:.2}", (model::NATIONAL_CONVICTED_PCT * (0.6 + 2.6 * d + 0.3 * rng.normal())).max(0.0)),
            format!("{:.2}", model::NATIONAL_CONVICTED_PCT),
            clamp(30.0 + 45.0 * d + 6.0 * rng.normal()),
            format!("{:.1}", (95.0 - 50.0 * d + 5.0 * rng.normal()).max(5.0)),
            clamp(8.0 + 70.0 * d + 8.0 * rng.normal()),
        ];
        // Now and then a value is not available (discretion or missing source), as in real statistics.
        if rng.chance(0.015) {
            let i = usize::try_from(rng.below(6)).unwrap_or(0);
            if i != 2 {
                values[i].clear();
            }
        }
        let m = &MUNICIPALITIES[area.municipality];
        writeln!(
            w,
            "{},{},{},{},{},{count},{}",
            area.id,
            area.name,
            m.name,
            m.code,
            m.region.name(),
            values.join(",")
        )?;
    }
    staged.commit()?;
    Ok(ctx.areas.len() as u64)
}

/// area_addresses.csv and addresses.csv: every address of every area, with its street, postcode and
/// town (the addresses outside the areas are not written; the screening needs none of them).
fn write_area_addresses(ctx: &Context, out: &Path) -> std::io::Result<u64> {
    let targets = [out.join("area_addresses.csv"), out.join("addresses.csv")];
    let mut rows = 0;
    crate::output::write_all(&[&targets[0], &targets[1]], |files| {
        writeln!(files[0].writer(), "area_id,address_id")?;
        writeln!(files[1].writer(), "address_id,street,postcode,city")?;
        for area in &ctx.areas {
            let (postcode, city) = names::postcode(MUNICIPALITIES[area.municipality].code);
            for k in 0..area.addresses {
                writeln!(files[0].writer(), "{},{}-{k}", area.id, area.id)?;
                let street = names::street_line(&area.street, k);
                writeln!(files[1].writer(), "{}-{k},\"{street}\",{postcode},{city}", area.id)?;
                rows += 1;
            }
        }
        Ok(())
    })?;
    Ok(rows)
}
