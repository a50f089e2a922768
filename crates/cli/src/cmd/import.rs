//! `gennemgang import`: a screening becomes cases, in one transaction.

use crate::db;
use gennemgang_registers::target::read_screening;
use gennemgang_store::Store;
use gennemgang_store::import::ImportReport;
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
    let rows = read_screening(screening)?;
    db::block_on(async {
        let store = db::open(url).await?;
        Ok(store.import(&rows, jiff::Timestamp::now()).await?)
    })
}
