//! One module per command; each has `Args` (clap) and `run`.

pub mod act;
pub mod areas;
pub mod audit;
pub mod backup;
pub mod calc;
pub mod cases;
pub mod config;
pub mod countries;
pub mod database;
pub mod deadline;
pub mod demo;
pub mod generate;
pub mod holidays;
pub mod import;
pub mod letter;
pub mod letters;
pub mod notices;
pub mod replay;
pub mod restore;
pub mod retention;
pub mod screen;
pub mod serve;
pub mod user;
pub mod whatif;

use crate::exit::bad_input;
use jiff::civil::Date;

pub use gennemgang_app::today;

/// Parses an ISO date argument.
pub fn parse_date(text: &str) -> Result<Date, String> {
    gennemgang_rules::date::parse_iso(text.as_bytes()).ok_or_else(|| format!("\"{text}\" is not a date (YYYY-MM-DD)"))
}

/// Writes `text` to `path` all-or-nothing, or to stdout without a path.
pub fn emit(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    match path {
        Some(p) => {
            gennemgang_registers::output::write_all(&[p], |files| write(files[0].writer()))
                .with_context(|| format!("writing {}", p.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            write(&mut lock).and_then(|()| std::io::Write::flush(&mut lock)).context("writing to standard output")?;
        }
    }
    Ok(())
}

/// Refuses an output path whose folder does not exist, before any work is done.
pub fn check_output_dir(path: Option<&std::path::Path>) -> anyhow::Result<()> {
    if let Some(p) = path {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        if parent.is_some_and(|d| !d.is_dir()) {
            return Err(bad_input(format!("{}: the folder does not exist", p.display())));
        }
    }
    Ok(())
}
