//! `gennemgang whatif`: a rate change applied to a synthetic population of pensioners.

use super::calc::load_rates;
use super::{check_output_dir, emit};
use crate::exit::bad_input;
use gennemgang_rules::pension::kr;
use gennemgang_rules::pension::pl::Household;
use gennemgang_rules::pension::rates::RateTable;
use gennemgang_rules::pension::whatif::{synthetic_population, what_if};
use std::path::PathBuf;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The year whose rates are compared.
    #[arg(long)]
    year: i16,
    /// The alternative rates (TOML overlay on the built-in table).
    #[arg(long)]
    rates: PathBuf,
    /// How many synthetic pensioners.
    #[arg(long, default_value_t = 250_000)]
    pensioners: usize,
    /// Seed of the synthetic population.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the synthetic population as CSV (for an independent recomputation, see bench/).
    #[arg(long)]
    export: Option<PathBuf>,
}

/// Prints the totals under both tables and how many pensioners gain or lose.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let alternative = load_rates(Some(&args.rates))?;
    check_output_dir(args.export.as_deref())?;
    let population = synthetic_population(args.pensioners, args.seed);
    let started = std::time::Instant::now();
    let base = RateTable::builtin().year(args.year);
    let result = what_if(&base, &alternative.year(args.year), &population).map_err(|e| bad_input(e.to_string()))?;
    let elapsed = started.elapsed();
    say!("pensioners: {}", result.count);
    say!("total, built-in rates {}: {}", args.year, kr(result.total_base));
    say!("total, {}: {}", args.rates.display(), kr(result.total_alternative));
    say!("difference: {}", kr(result.total_alternative - result.total_base));
    say!("higher pension: {}, lower pension: {}", result.rising, result.falling);
    eprintln!("computed {} pensions twice in {:.3} s", result.count, elapsed.as_secs_f64());
    if let Some(path) = &args.export {
        emit(Some(path), |out| {
            writeln!(
                out,
                "household,own_income,partner_income,partner_work_income,fraction_numerator,fraction_denominator"
            )?;
            for f in &population {
                let household = match f.household {
                    Household::Single => "single",
                    Household::Cohabiting { partner_is_pensioner: true } => "partner_pensioner",
                    Household::Cohabiting { partner_is_pensioner: false } => "partner_not_pensioner",
                };
                writeln!(
                    out,
                    "{household},{},{},{},{},{}",
                    f.own_income, f.partner_income, f.partner_work_income, f.fraction.numerator, f.fraction.denominator
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}
