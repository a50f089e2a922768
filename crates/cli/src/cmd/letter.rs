//! `gennemgang letter`: one letter as PDF/A or as its Digital Post (MeMo) message, for a stored case or
//! for the built-in fictitious sample case.

use super::deadline::ChannelArg;
use crate::db;
use crate::exit::bad_input;
use anyhow::Context as _;
use gennemgang_app::letters::{Request, render};
use gennemgang_case::action::Channel;
use gennemgang_letters::LetterKind;
use gennemgang_letters::memo::message;
use gennemgang_letters::sample::sample;
use gennemgang_letters::sender::Senders;
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_store::Store;
use std::path::PathBuf;

/// Output format.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// The letter as PDF/A-2u.
    Pdf,
    /// The MeMo 1.2 message with the PDF as main document (Digital Post only).
    Memo,
}

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// summons, reopening, hearing, in-person-invitation, re-presentation, delay, decision-revocation,
    /// decision-upheld, review-closed, complaint-receipt, forwarding, access-answer.
    #[arg(long)]
    kind: String,
    /// The case (with --database).
    #[arg(long, conflicts_with = "sample", required_unless_present = "sample")]
    case: Option<i64>,
    /// `sqlite://PATH` or `postgres://…` (default: `DATABASE_URL`, else sqlite://gennemgang.db).
    #[arg(long)]
    database: Option<String>,
    /// The built-in fictitious case, at the step where this letter is sent.
    #[arg(long)]
    sample: bool,
    /// pdf or memo.
    #[arg(long, value_enum)]
    format: Format,
    /// Where to write it.
    #[arg(long)]
    output: PathBuf,
    /// How it is sent (default digital).
    #[arg(long, value_enum, default_value = "digital")]
    channel: ChannelArg,
    /// The day it is sent (default today; with --sample, the day the sample case reached the letter's step).
    #[arg(long, value_parser = super::parse_date)]
    sent: Option<jiff::civil::Date>,
    /// Municipalities' contact details (`[[municipality]]` code, name, department, cvr, address, phone, email).
    #[arg(long)]
    senders: Option<PathBuf>,
}

/// Writes the letter.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let kind = LetterKind::parse(&args.kind).ok_or_else(|| {
        let names: Vec<&str> = LetterKind::ALL.iter().map(|k| k.name()).collect();
        bad_input(format!("--kind: \"{}\" is not one of {}", args.kind, names.join(", ")))
    })?;
    let channel = args.channel.into();
    if matches!((args.format, channel), (Format::Memo, Channel::Physical)) {
        return Err(bad_input(
            "--format memo: a physical letter is printed, not sent by Digital Post; use --format pdf",
        ));
    }
    let senders = read_senders(args.senders.as_deref())?;
    // A sample letter is dated, unless told otherwise, the day the sample case reached its step.
    let (case, events, day) = match args.case {
        Some(id) => {
            let url = db::url(args.database.as_deref());
            db::block_on(async {
                let store = db::open_cases(&url).await?;
                let case =
                    store.case(id).await?.ok_or_else(|| bad_input(format!("--case: case {id} does not exist")))?;
                let events = store.events(id).await?;
                store.close().await;
                Ok((case, events, super::today()))
            })?
        }
        None => sample(kind)?,
    };
    let request = Request {
        kind,
        channel,
        sent_on: args.sent.unwrap_or(day),
        senders: &senders,
        calendar: CalendarParams::builtin(),
    };
    let rendered = render(&case, &events, &request).map_err(|e| match e {
        gennemgang_app::letters::LetterError::Compose(c) => bad_input(format!("--kind: {c}")),
        e @ gennemgang_app::letters::LetterError::NoSender(_) => bad_input(format!("--senders: {e}")),
        other => anyhow::Error::new(other),
    })?;
    if args.case.is_some() {
        gennemgang_case::decide::letter_date(&case, kind, request.sent_on, super::today())
            .map_err(|e| bad_input(format!("--sent: {e}")))?;
    }
    let bytes = match args.format {
        Format::Pdf => rendered.pdf,
        Format::Memo => message(&rendered.letter, &rendered.pdf).xml.into_bytes(),
    };
    super::emit(Some(&args.output), |w| w.write_all(&bytes))?;
    eprintln!(
        "wrote {} ({}, case {}, sent {}{})",
        args.output.display(),
        kind.name(),
        case.id,
        request.sent_on,
        rendered.letter.complaint_deadline.map_or_else(String::new, |d| format!(", complaint deadline {d}"))
    );
    Ok(())
}

/// The senders file, or the demo details without one.
///
/// # Errors
/// The file cannot be read or is not a senders file (exit 2, naming the field).
pub fn read_senders(path: Option<&std::path::Path>) -> anyhow::Result<Senders> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            Senders::from_toml(&path.display().to_string(), &text).map_err(|e| bad_input(e.to_string()))
        }
        None => Ok(Senders::default()),
    }
}
