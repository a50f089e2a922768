//! `gennemgang import`: a screening becomes cases, in one transaction.

use crate::db;
use anyhow::Context as _;
use gennemgang_registers::screen::manifest_path;
use gennemgang_registers::target::read_screening;
use gennemgang_store::import::ImportReport;
use gennemgang_store::{NewRun, RunKind, Store};
use std::path::{Path, PathBuf};

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…` (default: `DATABASE_URL`, else sqlite://gennemgang.db).
    #[arg(long)]
    database: Option<String>,
    /// The screening output (`gennemgang screen --output`); its manifest `<FILE>.manifest.json`, when
    /// present, is recorded with the cases.
    #[arg(long)]
    screening: PathBuf,
    /// The area classification it used, as `gennemgang areas --format json` wrote it: recorded for the
    /// areas page and its what-if.
    #[arg(long)]
    areas: Option<PathBuf>,
}

/// Validates the whole file first, then imports it in one transaction.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    let report = import_file(&url, &args.screening, args.areas.as_deref())?;
    say!(
        "imported {}: {} new cases, {} unchanged, {} cases flagged ({} flags)",
        args.screening.display(),
        report.created,
        report.unchanged,
        report.flagged,
        report.flags
    );
    Ok(())
}

/// Reads and validates `screening` (and the runs it came from), then imports it into the store at `url` in
/// one transaction.
pub fn import_file(url: &str, screening: &Path, areas: Option<&Path>) -> anyhow::Result<ImportReport> {
    let read = read_screening(screening)?;
    let rows = read.rows;
    let mut runs = Vec::new();
    if let Some(path) = areas {
        let body = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        gennemgang_app::areas::parse_areas(&body).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        runs.push(NewRun { kind: RunKind::Areas, body });
    }
    let manifest = manifest_path(screening);
    if manifest.exists() {
        // Read only as a file: a FIFO or a device there would hang the import or feed it anything.
        if !std::fs::metadata(&manifest).is_ok_and(|m| m.is_file()) {
            return Err(crate::exit::bad_input(format!("{}: not a regular file", manifest.display())));
        }
        let body = std::fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
        let mut doc = serde_json::from_str::<serde_json::Value>(&body)
            .map_err(|e| crate::exit::bad_input(format!("{}: {e}", manifest.display())))?;
        // The manifest vouches for one file: a screening edited (or swapped) after it was made is not that
        // screening, and its cases would carry a provenance that is not theirs.
        let vouched = doc["output"]["sha256"]
            .as_str()
            .ok_or_else(|| crate::exit::bad_input(format!("{}: output.sha256 is missing", manifest.display())))?;
        if !vouched.eq_ignore_ascii_case(&read.sha256) {
            return Err(crate::exit::bad_input(format!(
                "{}: its SHA-256 is {}, not the {vouched} its manifest {} records: the file changed after the screening",
                screening.display(),
                read.sha256,
                manifest.display()
            )));
        }
        // The rest of what it says of the file must hold too.
        let named = screening.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        if doc["output"]["file"].as_str().is_some_and(|f| f != named) {
            return Err(crate::exit::bad_input(format!(
                "{}: it describes {}, not {named}",
                manifest.display(),
                doc["output"]["file"]
            )));
        }
        if doc["output"]["rows"].as_u64().is_some_and(|n| usize::try_from(n).ok() != Some(rows.len())) {
            return Err(crate::exit::bad_input(format!(
                "{}: it counts {} rows, the file has {}",
                manifest.display(),
                doc["output"]["rows"],
                rows.len()
            )));
        }
        // Recorded with what was actually imported, hash included.
        doc["imported"] = serde_json::json!({ "sha256": read.sha256, "rows": rows.len() });
        runs.push(NewRun { kind: RunKind::Screening, body: doc.to_string() });
    } else {
        eprintln!(
            "warning: {} has no manifest ({}): its provenance cannot be checked or recorded",
            screening.display(),
            manifest.display()
        );
    }
    db::block_on(async {
        let store = db::open(url).await?;
        match store.import(&rows, &runs, jiff::Timestamp::now()).await {
            Ok(report) => {
                store.close().await;
                Ok(report)
            }
            Err(e) => {
                // The transaction wrote nothing; a database file made for this import goes with it.
                store.discard_created().await?;
                match e {
                    // The operator's to correct: a newer screening is wanted.
                    gennemgang_store::StoreError::ScreeningBeforeErasure { .. }
                    | gennemgang_store::StoreError::ScreeningOlder { .. } => {
                        Err(crate::exit::bad_input(format!("{}: {e}", screening.display())))
                    }
                    e => Err(e.into()),
                }
            }
        }
    })
}
