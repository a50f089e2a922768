//! `gennemgang screen`: select the target group.

use super::{check_output_dir, parse_date};
use crate::exit::bad_input;
use anyhow::Context as _;
use gennemgang_registers::output;
use gennemgang_registers::screen::{self, ScreenRun};
use gennemgang_rules::newcomer::StayReading;
use gennemgang_rules::target::{DormantReading, ScreeningParams};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Folder with persons.csv, migrations.csv, pensions.csv, residences.csv, area_addresses.csv
    /// and optionally exemptions.csv.
    #[arg(long)]
    registers: PathBuf,
    /// The output of `gennemgang areas` (rows with selected = true are used).
    #[arg(long)]
    areas: PathBuf,
    /// The reference date (age, address, status).
    #[arg(long, value_parser = parse_date)]
    as_of: Date,
    /// Output CSV; its manifest is written beside it as <output>.manifest.json. Standard output when absent.
    #[arg(long)]
    output: Option<PathBuf>,
    /// One row per person with a pension, included or not, with the reason.
    #[arg(long)]
    all: bool,
    /// Which stays abroad make a return count: outside-eu-eea (the model's reading) or outside-realm
    /// (AL § 11's wording).
    #[arg(long, default_value = "outside-eu-eea")]
    stay_reading: String,
    /// Whether Switzerland counts with the EU/EØS.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    switzerland_as_eu_eea: bool,
    /// Whether a dormant (hvilende) pension counts as being on førtidspension: excluded (the model's wording,
    /// "personer på førtidspension") or counts (the award stands; PL § 44). A reading, not verified law.
    #[arg(long, default_value = "excluded")]
    dormant_reading: String,
}

/// The parameters the arguments ask for.
pub fn params(as_of: Date, stay_reading: &str, switzerland: bool) -> anyhow::Result<ScreeningParams> {
    let mut params = ScreeningParams::new(as_of);
    params.newcomer.stay_reading = StayReading::parse(stay_reading).ok_or_else(|| {
        bad_input(format!("--stay-reading: \"{stay_reading}\" is not outside-eu-eea or outside-realm"))
    })?;
    params.newcomer.switzerland_as_eu_eea = switzerland;
    Ok(params)
}

/// The dormant reading the argument asks for.
pub fn dormant_reading(text: &str) -> anyhow::Result<DormantReading> {
    DormantReading::parse(text).ok_or_else(|| {
        let all: Vec<&str> = DormantReading::ALL.iter().map(|r| r.as_str()).collect();
        bad_input(format!("--dormant-reading: \"{text}\" is not {}", all.join(" or ")))
    })
}

/// Screens and writes output and manifest all-or-nothing; returns the run.
/// Refuses an output that is one of the screening's inputs (a register file or the areas file): written
/// over, the input would be lost and the manifest would vouch for a file no longer there.
fn not_an_input(output: Option<&Path>, registers: &Path, areas: &Path) -> anyhow::Result<()> {
    let Some(out) = output.and_then(|o| std::fs::canonicalize(o).ok()) else { return Ok(()) };
    let registers_files = std::fs::read_dir(registers).into_iter().flatten().flatten().map(|e| e.path());
    let clash = registers_files.chain([areas.to_owned()]).any(|p| std::fs::canonicalize(p).is_ok_and(|p| p == out));
    if clash {
        return Err(bad_input(format!("--output: {} is one of the screening's inputs", out.display())));
    }
    Ok(())
}

pub fn screen_to(
    registers: &Path,
    areas: &Path,
    params: &ScreeningParams,
    output: Option<&Path>,
    all: bool,
) -> anyhow::Result<ScreenRun> {
    check_output_dir(output)?;
    if !registers.is_dir() {
        return Err(crate::exit::bad_input(format!("--registers: {} is not a folder", registers.display())));
    }
    not_an_input(output, registers, areas)?;
    let run = screen::run(registers, areas, params, all)?;
    match output {
        Some(out) => {
            let manifest_path = screen::manifest_path(out);
            // The manifest records the output's hash, so the output is written and hashed first.
            let mut rows = 0;
            // The hash is of the file as synchronised to disk and read back, before it took its name (the
            // output of `screen --all` is hundreds of MiB: it is read once, not twice).
            let hashes = output::write_all(&[out], |files| {
                rows = screen::write_csv(files[0].writer(), &run, params, all)?;
                Ok(())
            })
            .with_context(|| format!("writing {}", out.display()))?;
            let sha = hashes.into_iter().next().context("the output was written but not hashed")?;
            let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let manifest = screen::manifest(&run, params, all, Some((&name, &sha, rows)));
            let written = output::write_all(&[&manifest_path], |files| {
                serde_json::to_writer_pretty(&mut *files[0].writer(), &manifest)?;
                Ok(())
            });
            if let Err(e) = written {
                let _ = std::fs::remove_file(out);
                return Err(e).with_context(|| format!("writing {}", manifest_path.display()));
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            screen::write_csv(&mut lock, &run, params, all)
                .and_then(|_| std::io::Write::flush(&mut lock))
                .context("writing to standard output")?;
        }
    }
    Ok(run)
}

/// Runs the command.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut params = params(args.as_of, &args.stay_reading, args.switzerland_as_eu_eea)?;
    // Set apart from `params`, whose callers (the demo) keep the model's readings.
    params.dormant_reading = dormant_reading(&args.dormant_reading)?;
    let run = screen_to(&args.registers, &args.areas, &params, args.output.as_deref(), args.all)?;
    let c = run.counts;
    eprintln!(
        "screened {} persons with a førtidspension among {} in {:.2} s: {} in the target group, {} undecided for missing values, {} not",
        c.screened,
        c.population,
        started.elapsed().as_secs_f64(),
        c.included,
        c.undecided,
        c.excluded
    );
    if !run.selected_without_addresses.is_empty() {
        eprintln!(
            "warning: {} selected area(s) have no address in area_addresses.csv, so nobody is screened in them: {} (expected of an extract of part of the country; otherwise the areas file belongs to another extract)",
            run.selected_without_addresses.len(),
            run.selected_without_addresses.join(", ")
        );
    }
    if let Some(out) = &args.output {
        eprintln!("wrote {} and {}", out.display(), screen::manifest_path(out).display());
    }
    // With `--all`, a quarter of a million screened persons with their checks: the command ends without
    // waiting for them to be freed one by one (the process's end returns their memory at once).
    std::thread::spawn(move || drop(run));
    Ok(())
}
