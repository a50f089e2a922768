//! `gennemgang deadline`: a deadline's last day, then the reasoning with legal basis.

use super::parse_date;
use crate::exit::bad_input;
use anyhow::Context as _;
use gennemgang_rules::calendar::deadline::{Channel, Kind, deadline};
use gennemgang_rules::calendar::params::{Board, CalendarParams};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Which deadline.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    /// Klagefrist: 4 weeks from receipt of the decision (needs --sent and --channel).
    Complaint,
    /// Genvurdering: 4 weeks from receipt of the complaint.
    Reassessment,
    /// PL § 21: 3 months from the transfer to the pension rules, and the board's next meeting.
    Board,
    /// Aktindsigt: 7 working days from receipt of the request.
    FileAccess,
    /// Partshøring: the answer period (a parameter).
    Hearing,
}

/// How a letter or decision is sent (shared by `deadline`, `letter`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ChannelArg {
    /// Digital Post.
    Digital,
    /// A physical letter (citizens exempt from Digital Post).
    Physical,
}

impl From<ChannelArg> for gennemgang_case::action::Channel {
    fn from(c: ChannelArg) -> Self {
        match c {
            ChannelArg::Digital => gennemgang_case::action::Channel::Digital,
            ChannelArg::Physical => gennemgang_case::action::Channel::Physical,
        }
    }
}

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Which deadline.
    #[arg(long, value_enum)]
    kind: KindArg,
    /// The date the decision was sent (complaint).
    #[arg(long, value_parser = parse_date)]
    sent: Option<Date>,
    /// How it was sent (complaint).
    #[arg(long, value_enum)]
    channel: Option<ChannelArg>,
    /// The date the deadline runs from (the other kinds).
    #[arg(long, value_parser = parse_date)]
    from: Option<Date>,
    /// Hearing: the answer period in days (default from the calendar).
    #[arg(long)]
    days: Option<u16>,
    /// Board: days the board needs to prepare (default from the calendar).
    #[arg(long)]
    prepare_days: Option<u16>,
    /// Calendar parameters replacing the built-in ones (same TOML format).
    #[arg(long)]
    calendar: Option<PathBuf>,
    /// Board: the municipality's meeting calendar (TOML with name, pattern, dates, source).
    #[arg(long)]
    board: Option<PathBuf>,
}

/// Loads the calendar parameters: built in, or from `path`.
pub fn load_calendar(path: Option<&Path>) -> anyhow::Result<std::borrow::Cow<'static, CalendarParams>> {
    match path {
        None => Ok(std::borrow::Cow::Borrowed(CalendarParams::builtin())),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let params =
                CalendarParams::parse(&text, &p.display().to_string()).map_err(|e| bad_input(e.to_string()))?;
            Ok(std::borrow::Cow::Owned(params))
        }
    }
}

fn load_board(path: &Path) -> anyhow::Result<Board> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).map_err(|e| bad_input(format!("{}: {}", path.display(), e.to_string().replace('\n', " "))))
}

/// Prints the date on the first line, then one line of reasoning per step.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let params = load_calendar(args.calendar.as_deref())?;
    let board = match &args.board {
        Some(p) => load_board(p)?,
        None => params.board.clone(),
    };
    let from = || args.from.ok_or_else(|| bad_input("--from DATE is required for this kind of deadline"));
    let kind = match args.kind {
        KindArg::Complaint => {
            let sent = args.sent.ok_or_else(|| bad_input("--sent DATE is required for --kind complaint"))?;
            let channel = match args.channel {
                Some(ChannelArg::Digital) => Channel::Digital,
                Some(ChannelArg::Physical) => Channel::Physical,
                None => return Err(bad_input("--channel digital|physical is required for --kind complaint")),
            };
            Kind::Complaint { sent, channel }
        }
        KindArg::Reassessment => Kind::Reassessment { from: from()? },
        KindArg::Board => Kind::Board { from: from()?, prepare_days: args.prepare_days },
        KindArg::FileAccess => Kind::FileAccess { from: from()? },
        KindArg::Hearing => Kind::Hearing { from: from()?, days: args.days },
    };
    let result = deadline(&params, &board, kind).map_err(|e| bad_input(e.to_string()))?;
    say!("{}", result.date);
    for reason in &result.reasoning {
        say!("{} ({})", reason.text, reason.legal_basis);
    }
    Ok(())
}
