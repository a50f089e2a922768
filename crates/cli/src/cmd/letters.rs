//! `gennemgang letters`: one kind of letter for every stored case at that step, typeset in parallel and
//! written to a folder (PDF for print, or MeMo messages), with progress on stderr. It renders; it does not
//! record anything as sent (sending is the application's, through its postbox).

use crate::db;
use crate::exit::bad_input;
use anyhow::Context as _;
use gennemgang_app::letters::{Request, render};
use gennemgang_case::action::Channel;
use gennemgang_letters::LetterKind;
use gennemgang_letters::memo::{message, pdf_filename};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_store::Store;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The kind (as for `gennemgang letter`).
    #[arg(long)]
    kind: String,
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    database: Option<String>,
    /// pdf or memo.
    #[arg(long, value_enum, default_value = "pdf")]
    format: super::letter::Format,
    /// The folder to write to (created; must be empty or absent).
    #[arg(long)]
    output: PathBuf,
    /// The day they are sent (default today).
    #[arg(long, value_parser = super::parse_date)]
    sent: Option<jiff::civil::Date>,
    /// Municipalities' contact details, as for `gennemgang letter --senders` (without it, the demo's).
    #[arg(long)]
    senders: Option<PathBuf>,
}

/// Renders and writes the letters; prints `rendered N letters in S s` at the end.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let kind = LetterKind::parse(&args.kind)
        .ok_or_else(|| bad_input(format!("--kind: \"{}\" is not a kind of letter", args.kind)))?;
    let senders = super::letter::read_senders(args.senders.as_deref())?;
    if args.output.exists() && std::fs::read_dir(&args.output)?.next().is_some() {
        return Err(bad_input(format!("--output: {} is not empty", args.output.display())));
    }
    let url = db::url(args.database.as_deref());
    let started = std::time::Instant::now();
    let sent_on = args.sent.unwrap_or_else(super::today);
    // A case whose own dates the letter's date does not fit (a step recorded after it) is named at the end
    // with those that could not be rendered; it never stops the others.
    let mut refused: Vec<(i64, String)> = Vec::new();
    let cases = db::block_on(async {
        let store = db::open_cases(&url).await?;
        let mut out = Vec::new();
        for case in store.cases().await? {
            if gennemgang_case::decide::letter_does_not_fit(&case, kind).is_none() {
                if let Err(e) = gennemgang_case::decide::letter_date(&case, kind, sent_on, super::today()) {
                    refused.push((case.id, e.to_string()));
                    continue;
                }
                let events = store.events(case.id).await?;
                out.push((case, events));
            }
        }
        store.close().await;
        Ok(out)
    })?;
    // A date that fits no case at all is the caller's mistake: refused before anything is written.
    if cases.is_empty()
        && let Some((id, e)) = refused.first()
    {
        return Err(bad_input(format!("--sent: case {id}: {e}")));
    }
    std::fs::create_dir_all(&args.output)?;
    let request =
        Request { kind, channel: Channel::Digital, sent_on, senders: &senders, calendar: CalendarParams::builtin() };
    let total = cases.len() + refused.len();
    let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let failed = std::sync::Mutex::new(
        refused.into_iter().map(|(id, e)| (id, anyhow::anyhow!("--sent: {e}"))).collect::<Vec<_>>(),
    );
    // Own threads with a large stack rather than rayon: Typst uses rayon inside, and a rayon worker that
    // waits there would steal the next letter onto the same stack, nesting letter in letter until it
    // overflows.
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let one =
        |(case, events): &(gennemgang_case::case::Case, Vec<gennemgang_case::case::Event>)| -> anyhow::Result<()> {
            let rendered = render(case, events, &request)?;
            let (name, bytes) = match args.format {
                super::letter::Format::Pdf => (pdf_filename(&rendered.letter), rendered.pdf),
                super::letter::Format::Memo => {
                    let m = message(&rendered.letter, &rendered.pdf);
                    (format!("{}.xml", m.uuid), m.xml.into_bytes())
                }
            };
            // Staged like every output (exclusive, owner-only, renamed into place): a letter holds a CPR number.
            gennemgang_registers::output::write_all(&[&args.output.join(&name)], |files| {
                files[0].writer().write_all(&bytes)
            })
            .with_context(|| format!("writing {name}"))?;
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 500 == 0 || n == total {
                eprintln!("{n} of {total} letters");
            }
            Ok(())
        };
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                std::thread::Builder::new().stack_size(16 << 20).spawn_scoped(scope, || -> anyhow::Result<()> {
                    // One case that cannot be rendered does not stop the others: it is named at the end.
                    while let Some(item) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                        if let Err(e) = one(item) {
                            failed
                                .lock()
                                .map_err(|_| anyhow::anyhow!("a letter worker panicked"))?
                                .push((item.0.id, e));
                        }
                    }
                    Ok(())
                })
            })
            .collect::<Result<_, _>>()?;
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("a letter worker panicked"))??;
        }
        Ok(())
    })?;
    let mut failed = failed.into_inner().map_err(|_| anyhow::anyhow!("a letter worker panicked"))?;
    failed.sort_by_key(|(id, _)| *id);
    for (id, e) in &failed {
        eprintln!("case {id}: not rendered: {}", crate::exit::one_line(e));
    }
    let rendered = total - failed.len();
    say!("rendered {rendered} of {total} letters in {:.1} s", started.elapsed().as_secs_f64());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!("{} of {total} letters could not be rendered (each case is named above)", failed.len()))
    }
}
