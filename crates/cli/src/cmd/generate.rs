//! `gennemgang generate`: a synthetic national register extract.

use super::parse_date;
use anyhow::Context as _;
use gennemgang_registers::generate::{self, Options, Summary};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Number of persons (at most 20,000,000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=generate::MAX_PERSONS))]
    persons: u64,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// The date the extract is taken (2000-01-01 to 2099-12-31).
    #[arg(long, value_parser = extract_date, default_value = "2026-11-01")]
    extract_date: Date,
}

fn extract_date(text: &str) -> Result<Date, String> {
    let day = parse_date(text)?;
    let range = generate::EXTRACT_DATES;
    if range.contains(&day) {
        Ok(day)
    } else {
        Err(format!("{day} is not between {} and {}", range.start(), range.end()))
    }
}

/// Generates into `out` and reports on stderr.
pub fn generate_into(persons: u64, seed: u64, extract_date: Date, out: &Path) -> anyhow::Result<Summary> {
    let started = std::time::Instant::now();
    let summary = generate::generate(Options { persons, seed, extract_date }, out, &|_| {})
        .with_context(|| format!("generating into {}", out.display()))?;
    eprintln!(
        "generated {} persons ({} with an active førtidspension) and {} housing areas ({} with at least 1,000 residents) in {:.1} s into {}",
        summary.persons,
        summary.active_pensions,
        summary.areas,
        summary.areas_with_1000,
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(summary)
}

/// Runs the command.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let summary = generate_into(args.persons, args.seed, args.extract_date, &args.out)?;
    for (file, rows) in &summary.files {
        say!("{file}\t{rows}");
    }
    Ok(())
}
