//! `gennemgang retention --config FILE [--as-of DATE]`: the closed cases past the configured retention, for
//! the archive officer — case id, municipality, the day it was closed and the last day it is kept; no person
//! data. Deleting them (tombstones that keep the history's hashes) is designed in `docs/security.md` and
//! not built: this lists, it never deletes.

use crate::db;
use crate::exit::bad_input;
use gennemgang_case::case::Phase;
use gennemgang_store::Store as _;
use jiff::civil::Date;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The deployment's configuration, with its `[retention]` setting.
    #[arg(long)]
    config: std::path::PathBuf,
    /// The database (default: the configuration's, then `DATABASE_URL`).
    #[arg(long)]
    database: Option<String>,
    /// The day judged (default: today).
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<Date>,
}

/// Runs the command.
///
/// # Errors
/// The configuration has no retention, or the database cannot be read.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let setup = gennemgang_app::config::load(&args.config).map_err(|e| bad_input(e.to_string()))?;
    let Some(retention) = setup.retention.clone() else {
        return Err(bad_input(format!(
            "{}: no [retention]: the archive officer sets years_after_closing, source and valid_from from the municipality's archive rules",
            args.config.display()
        )));
    };
    let server = super::config::deployment(&setup)?;
    let url = db::url(args.database.as_deref().or(server.database.as_deref()));
    let as_of = args.as_of.unwrap_or_else(gennemgang_app::today);
    let cases = db::block_on(async { Ok(db::open_cases(&url).await?.cases().await?) })?;
    say!("case_id,municipality_code,closed_on,kept_until");
    let mut due = 0;
    for c in cases.iter().filter(|c| c.phase() == Phase::Closed) {
        let Some(closed_on) = c.phase_since else { continue };
        let until = retention.kept_until(closed_on);
        if until < as_of {
            say!("{},{},{closed_on},{until}", c.id, c.home_municipality);
            due += 1;
        }
    }
    eprintln!(
        "{due} closed cases past {} years after closing ({}; from {}) on {as_of}; nothing was deleted",
        retention.years_after_closing, retention.source, retention.valid_from
    );
    Ok(())
}
