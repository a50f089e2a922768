//! `gennemgang cases`: one row per case.

use crate::db;
use gennemgang_store::{CaseSummary, Store};

/// Output format.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// CSV with a header.
    Csv,
    /// A JSON array.
    Json,
}

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    database: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
}

/// Prints id, municipality_code, phase, state (and the deciding municipality and version).
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    let cases = db::block_on(async { Ok(db::open_cases(&url).await?.cases().await?) })?;
    let rows: Vec<CaseSummary> = cases.iter().map(CaseSummary::of).collect();
    match args.format {
        Format::Json => say!("{}", serde_json::to_string_pretty(&rows)?),
        Format::Csv => {
            say!("id,municipality_code,phase,state,deciding_municipality,version");
            for r in rows {
                let deciding = r.deciding_municipality.map(|m| m.to_string()).unwrap_or_default();
                say!("{},{},{},{},{deciding},{}", r.id, r.municipality_code, r.phase, r.state, r.version);
            }
        }
    }
    Ok(())
}
