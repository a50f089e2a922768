//! `gennemgang holidays`: the Danish public holidays of a year.

use crate::exit::bad_input;
use gennemgang_rules::calendar::holidays::holidays;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The year.
    #[arg(long)]
    year: i16,
}

/// Prints one `DATE NAME` line per holiday.
pub fn run(args: &Args) -> anyhow::Result<()> {
    for h in holidays(args.year).map_err(|e| bad_input(e.to_string()))? {
        say!("{} {}", h.date, h.name);
    }
    Ok(())
}
