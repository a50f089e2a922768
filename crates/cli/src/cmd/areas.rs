//! `gennemgang areas`: classify housing areas with a criteria set.

use super::{check_output_dir, emit, parse_date};
use crate::exit::bad_input;
use anyhow::Context as _;
use gennemgang_registers::areas;
use gennemgang_rules::criteria::{CriteriaSet, builtin, builtin_sets};
use gennemgang_rules::tri::Tri;
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Area indicators (CSV, one row per area).
    #[arg(long, required_unless_present = "list_criteria")]
    input: Option<PathBuf>,
    /// A built-in criteria set id, or a TOML file in the CONTRACT format.
    #[arg(long, default_value = "review-2025")]
    criteria: String,
    /// The national share of convicted (%), when the input has no national_convicted_share_pct.
    #[arg(long, value_name = "PCT")]
    national_convicted_share: Option<String>,
    /// Refuse a criteria set that is not valid on this date.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file (standard output when absent).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Print the built-in criteria sets with validity and legal basis.
    #[arg(long)]
    list_criteria: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Csv,
    Json,
}

/// Loads a criteria set: a file when the argument names one, else a built-in id.
pub fn load_criteria(arg: &str) -> anyhow::Result<CriteriaSet> {
    let path = Path::new(arg);
    if path.extension().is_some_and(|e| e == "toml") || path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| bad_input(format!("{arg}: {e}")))?;
        Ok(CriteriaSet::from_toml(arg, &text)?)
    } else {
        Ok(builtin(arg)?)
    }
}

/// Runs the command.
pub fn run(args: &Args) -> anyhow::Result<()> {
    if args.list_criteria {
        for set in builtin_sets() {
            say!("{}\t{}\t{}", set.id, set.validity(), set.legal_basis);
        }
        return Ok(());
    }
    let input = args.input.as_deref().ok_or_else(|| bad_input("--input is required"))?;
    let set = load_criteria(&args.criteria)?;
    if let Some(date) = args.as_of {
        set.check_valid_on(date)?;
    }
    let national = args
        .national_convicted_share
        .as_deref()
        .map(|t| {
            Decimal::from_str(t).map_err(|_| bad_input(format!("--national-convicted-share: \"{t}\" is not a number")))
        })
        .transpose()?;
    check_output_dir(args.output.as_deref())?;
    let (rows, _) = areas::read_input(input, &set, national)?;
    let outcomes = areas::classify(&set, &rows);
    emit(args.output.as_deref(), |w| match args.format {
        Format::Csv => areas::write_csv(w, &set, &rows, &outcomes),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, &areas::to_json(&set, &rows, &outcomes))?;
            writeln!(w)
        }
    })
    .context("writing the classification")?;
    let count = |t: Tri| outcomes.iter().filter(|o| o.selected == t).count();
    eprintln!(
        "{} of {} areas selected by {} ({} not selected, {} undecided for missing values)",
        count(Tri::Yes),
        outcomes.len(),
        set.id,
        count(Tri::No),
        count(Tri::Unknown)
    );
    Ok(())
}
