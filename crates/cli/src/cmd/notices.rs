//! `gennemgang notices`: send every notice to Udbetaling Danmark that is due — the recovery after a crash
//! between writing a notice and recording it, and for operators who run the review without the server.

use super::parse_date;
use crate::db;
use jiff::civil::Date;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    database: Option<String>,
    /// The folder notices are written to (`udbetaling-danmark/` inside it), as `serve --outbox`.
    #[arg(long, default_value = "outbox")]
    outbox: std::path::PathBuf,
    /// The installation's configuration (as `serve --config`).
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Today's date, for operators' scripts and tests (default: today in Copenhagen).
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
}

/// Sends the due notices and prints `sent N notices`.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let today = args.today.unwrap_or_else(super::today);
    let setup = super::serve::read_config(args.config.as_deref())?;
    let url = db::url(args.database.as_deref());
    let sent = db::block_on(async {
        let store = db::open_cases(&url).await?;
        let on = gennemgang_app::cases::On { today, now: jiff::Timestamp::now(), routing: &setup.routing };
        let outbox = gennemgang_app::postbox::FileDrop::new(&args.outbox);
        let sent = gennemgang_app::payments::send_all_due(&store, &outbox, on).await?;
        store.close().await;
        Ok(sent)
    })?;
    say!("sent {sent} notices");
    Ok(())
}
