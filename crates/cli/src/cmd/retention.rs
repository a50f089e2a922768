//! `gennemgang retention --config FILE [--as-of DATE | --apply --by NAME]`: the closed cases past the
//! configured retention, for the archive officer — case id, municipality, the day it was closed and the last
//! day it is kept; no person data. With `--apply` they are erased, each in its own transaction, on today's
//! date by the server's clock (`gennemgang_app::retention`): the history keeps its hashes, and `audit
//! verify` proves it afterwards.

use crate::db;
use crate::exit::bad_input;
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
    /// The day judged (default: today). Only for the listing: an erasure is dated by the clock.
    #[arg(long, value_parser = super::parse_date, conflicts_with = "apply")]
    as_of: Option<Date>,
    /// Erase the cases listed (the archive copy, where the archive rules require one, made first).
    #[arg(long, requires = "by")]
    apply: bool,
    /// Who erases (the operator's or archive officer's name), recorded in each erasure.
    #[arg(long, requires = "apply")]
    by: Option<String>,
}

/// Runs the command.
///
/// # Errors
/// The configuration has no retention, the database cannot be read, or a case could not be erased.
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
    let setting = format!(
        "{} years after closing ({}; from {})",
        retention.years_after_closing, retention.source, retention.valid_from
    );
    if let Some(by) = &args.by {
        let now = jiff::Timestamp::now();
        let done = db::block_on(async {
            let store = db::open_cases(&url).await?;
            let done = gennemgang_app::retention::erase_due(&store, &retention, by, now).await;
            store.close().await;
            done.map_err(|e| match e {
                gennemgang_app::retention::RetentionError::By(_) => bad_input(e.to_string()),
                gennemgang_app::retention::RetentionError::Store(e) => anyhow::Error::new(e),
            })
        })?;
        say!("case_id,municipality_code,closed_on,kept_until,erased");
        let (mut failed, mut already) = (Vec::new(), 0);
        for (d, result) in &done.cases {
            let erased = match result {
                Ok(gennemgang_app::retention::Erased::Now) => "yes",
                Ok(gennemgang_app::retention::Erased::Already) => {
                    already += 1;
                    "already"
                }
                Err(e) => {
                    failed.push(format!("case {}: {e}", d.id));
                    "no"
                }
            };
            say!("{},{},{},{},{erased}", d.id, d.municipality, d.closed_on, d.kept_until);
        }
        eprintln!(
            "{} of {} closed cases past {setting} erased on {}{}",
            done.cases.len() - failed.len() - already,
            done.cases.len(),
            gennemgang_rules::date::day_of(now),
            if already > 0 { format!(" ({already} by another run at the same time)") } else { String::new() }
        );
        if let Err(e) = &done.reclaimed {
            failed.push(format!("the storage was not rewritten without what was deleted: {e}"));
        }
        if !failed.is_empty() {
            anyhow::bail!("{}", failed.join("; "));
        }
        return Ok(());
    }
    let as_of = args.as_of.unwrap_or_else(gennemgang_app::today);
    let cases = db::block_on(async { Ok(db::open_cases(&url).await?.cases().await?) })?;
    let due = gennemgang_app::retention::due(&cases, &retention, as_of);
    say!("case_id,municipality_code,closed_on,kept_until");
    for d in &due {
        say!("{},{},{},{}", d.id, d.municipality, d.closed_on, d.kept_until);
    }
    eprintln!("{} closed cases past {setting} on {as_of}; nothing was deleted", due.len());
    Ok(())
}
