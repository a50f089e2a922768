//! `gennemgang import`: a screening becomes cases, in one transaction.

use crate::db;
use gennemgang_case::facts::SchemeCode;
use gennemgang_registers::target::read_screening;
use gennemgang_rules::target::Scheme;
use gennemgang_store::Store;
use gennemgang_store::import::{ImportReport, ImportRow};
use std::path::PathBuf;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…` (default: `DATABASE_URL`, else sqlite://gennemgang.db).
    #[arg(long)]
    database: Option<String>,
    /// The screening output (`gennemgang screen --output`).
    #[arg(long)]
    screening: PathBuf,
}

/// Validates the whole file first, then imports it in one transaction.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    let report = import_file(&url, &args.screening)?;
    println!(
        "imported {}: {} new cases, {} unchanged, {} cases flagged ({} flags)",
        args.screening.display(),
        report.created,
        report.unchanged,
        report.flagged,
        report.flags
    );
    Ok(())
}

/// Reads and validates `screening`, then imports it into the store at `url` in one transaction.
pub fn import_file(url: &str, screening: &std::path::Path) -> anyhow::Result<ImportReport> {
    let rows: Vec<ImportRow> = read_screening(screening)?
        .into_iter()
        .map(|r| ImportRow {
            cpr: r.cpr,
            included: r.included,
            area_id: r.area_id,
            municipality_code: r.municipality_code,
            birth_date: r.birth_date,
            age_on_as_of: r.age_on_as_of,
            cpr_status: r.cpr_status,
            awarded_on: r.awarded_on,
            scheme: match r.scheme {
                Scheme::Pl => SchemeCode::Pl,
                Scheme::Gfpl => SchemeCode::Gfpl,
            },
            pension_status: r.pension_status,
            exemptions: r.exemptions,
            as_of: r.as_of,
        })
        .collect();
    db::block_on(async {
        let store = db::open(url).await?;
        Ok(store.import(&rows, jiff::Timestamp::now()).await?)
    })
}
