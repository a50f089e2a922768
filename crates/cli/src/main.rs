//! `gennemgang` — the command line. It only parses arguments, calls the libraries and maps errors to the
//! exit codes of CONTRACT.md: 0 success, 1 the job failed, 2 bad usage or bad input.

#[macro_use]
mod out;
mod cmd;
mod db;
mod exit;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// Systematic review of selected førtidspension cases.
#[derive(Parser)]
#[command(name = "gennemgang", about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Classify housing areas with a criteria set.
    Areas(cmd::areas::Args),
    /// Write a synthetic national register extract.
    Generate(cmd::generate::Args),
    /// Select the target group from a register extract and the selected areas.
    Screen(cmd::screen::Args),
    /// Run the whole chain on synthetic data: generate → areas → screen → import → demo users → serve.
    Demo(cmd::demo::Args),
    /// Serve the web application and the API.
    Serve(cmd::serve::Args),
    /// Manage local user accounts.
    User(cmd::user::Args),
    /// List countries' dated EU/EØS/Switzerland membership, as the newcomer rules use it.
    Countries(cmd::countries::Args),
    /// Compute a pension for one year: amounts, fraction, explanation and the rates used.
    Calc(cmd::calc::Args),
    /// Compare a population's pensions under the built-in rates and a what-if rate file.
    Whatif(cmd::whatif::Args),
    /// Compute a deadline with its reasoning and legal basis.
    Deadline(cmd::deadline::Args),
    /// List the Danish public holidays of a year.
    Holidays(cmd::holidays::Args),
    /// Import a screening as cases (one transaction; importing it again changes nothing).
    Import(cmd::import::Args),
    /// List the cases: id, municipality, phase, state.
    Cases(cmd::cases::Args),
    /// Perform one case action as a user (operators' scripts).
    Act(cmd::act::Args),
    /// Write a letter (PDF/A, or its Digital Post message) for a case or the built-in sample.
    Letter(cmd::letter::Args),
    /// Render one kind of letter for every stored case at that step, into a folder (does not send).
    Letters(cmd::letters::Args),
    /// Send every notice to Udbetaling Danmark that is due (also done by `serve` and after `act`).
    Notices(cmd::notices::Args),
    /// Recompute a case's decision under today's rules and show any difference.
    Replay(cmd::replay::Args),
    /// Verify the history's hash chain.
    Audit(cmd::audit::Args),
    /// The database's schema version and its migrations.
    Db(cmd::database::Args),
    /// A consistent copy of the database as one SQLite file.
    Backup(cmd::backup::Args),
    /// Check a deployment's configuration file.
    Config(cmd::config::Args),
    /// Load a backup into a new, empty PostgreSQL database.
    Restore(cmd::restore::Args),
    /// List the closed cases past the configured retention (for the archive officer), or erase them (`--apply`).
    Retention(cmd::retention::Args),
}

/// Help and version on standard output (exit 0, or 1 when it cannot be written, as for every command's
/// output), anything else clap refuses on standard error (exit 2).
fn usage(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::from(2);
    }
    match e.print().and_then(|()| std::io::Write::flush(&mut std::io::stdout())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: writing to standard output: {error}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let version: &'static str = Box::leak(
        format!("{} (rules {})", env!("CARGO_PKG_VERSION"), gennemgang_rules::RULES_VERSION).into_boxed_str(),
    );
    let matches = match Cli::command().version(version).try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return usage(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    let result = match cli.command {
        Command::Areas(args) => cmd::areas::run(&args),
        Command::Generate(args) => cmd::generate::run(&args),
        Command::Screen(args) => cmd::screen::run(&args),
        Command::Demo(args) => cmd::demo::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::User(args) => cmd::user::run(&args),
        Command::Countries(args) => cmd::countries::run(&args),
        Command::Calc(args) => cmd::calc::run(&args),
        Command::Whatif(args) => cmd::whatif::run(&args),
        Command::Deadline(args) => cmd::deadline::run(&args),
        Command::Holidays(args) => cmd::holidays::run(&args),
        Command::Import(args) => cmd::import::run(&args),
        Command::Cases(args) => cmd::cases::run(&args),
        Command::Act(args) => cmd::act::run(&args),
        Command::Letter(args) => cmd::letter::run(&args),
        Command::Letters(args) => cmd::letters::run(&args),
        Command::Notices(args) => cmd::notices::run(&args),
        Command::Replay(args) => cmd::replay::run(&args),
        Command::Audit(args) => cmd::audit::run(&args),
        Command::Db(args) => cmd::database::run(&args),
        Command::Backup(args) => cmd::backup::run(&args),
        Command::Config(args) => cmd::config::run(&args),
        Command::Restore(args) => cmd::restore::run(&args),
        Command::Retention(args) => cmd::retention::run(&args),
    };
    match result.and_then(|()| out::flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", exit::one_line(&error));
            ExitCode::from(exit::code(&error))
        }
    }
}
