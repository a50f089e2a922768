//! `gennemgang act`: perform one case action as a user (for operators' scripts; the web application is the
//! caseworkers' way in). The same policy, guards and optimistic concurrency apply.

use super::parse_date;
use crate::db;
use crate::exit::bad_input;
use gennemgang_app::cases::{self, AppError};
use gennemgang_case::action::Action;
use gennemgang_case::actor::{Actor, Role};
use gennemgang_store::Store as _;
use jiff::civil::Date;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    database: Option<String>,
    /// Case id.
    #[arg(long)]
    case: i64,
    /// The acting user: an account created with `gennemgang user put`, whose role and municipality the
    /// action is performed with.
    #[arg(long)]
    user: String,
    /// The role the operator expects the account to have; refused if the account's role differs.
    #[arg(long)]
    role: Option<String>,
    /// The municipality the operator expects the account to belong to; refused if it differs.
    #[arg(long)]
    municipality: Option<u16>,
    /// The case version the user acted on; refused with a conflict if the case has moved on.
    #[arg(long)]
    seen_version: Option<u32>,
    /// Today's date, for operators' scripts and tests (default: today in Copenhagen); the decision date and
    /// every bar are judged on it.
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// The action as JSON, e.g. '{"action":"assign","caseworker":"sb"}'.
    #[arg(long)]
    action: String,
    /// The installation's configuration (as `serve --config`): which municipality decides, and its board.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Where a notice to Udbetaling Danmark the action makes due is written (as `serve --outbox`).
    #[arg(long, default_value = "outbox")]
    outbox: std::path::PathBuf,
}

/// Performs the action through the same use case as the web application (policy, guards, the users an
/// assignment may name, optimistic concurrency, the access log) and prints the case's new state and version.
///
/// Who acts is the stored account, never what the command line claims: `--role` and `--municipality` only
/// confirm it, so a script cannot act as an approver, or for another municipality, that no account is.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let claimed = match args.role.as_deref() {
        Some(name) => Some(
            Role::from_name(name)
                .filter(|r| *r != Role::System)
                .ok_or_else(|| bad_input(format!("--role: \"{name}\" is not a role")))?,
        ),
        None => None,
    };
    let action: Action = serde_json::from_str(&args.action).map_err(|e| bad_input(format!("--action: {e}")))?;
    let today = args.today.unwrap_or_else(super::today);
    let setup = super::serve::read_config(args.config.as_deref())?;
    let url = db::url(args.database.as_deref());
    let outcome = db::block_on(async {
        let store = db::open_cases(&url).await?;
        let Some(account) = store.user(&args.user).await? else {
            return Err(bad_input(format!(
                "--user: there is no account \"{}\" (create it with `gennemgang user put`)",
                args.user
            )));
        };
        if let Some(role) = claimed
            && role != account.role
        {
            return Err(bad_input(format!(
                "--role: the account \"{}\" has the role {}, not {}",
                account.username,
                account.role.name(),
                role.name()
            )));
        }
        if args.municipality.is_some() && args.municipality != account.municipality {
            return Err(bad_input(format!(
                "--municipality: the account \"{}\" belongs to {}",
                account.username,
                account.municipality.map_or_else(|| "no municipality".to_owned(), |m| m.to_string())
            )));
        }
        let actor = Actor { user: account.username, role: account.role, municipality: account.municipality };
        let on = cases::On { today, now: jiff::Timestamp::now(), routing: &setup.routing };
        let acted = cases::act(&store, &actor, args.case, args.seen_version, action, on).await;
        // The notice the action made due goes out now; if this fails, `gennemgang notices` or the server
        // sends it later (it stays due on the case).
        let notice = match &acted {
            Ok(_) => {
                let outbox = gennemgang_app::postbox::FileDrop::new(&args.outbox);
                gennemgang_app::payments::send_due(&store, &outbox, args.case, on).await
            }
            Err(_) => Ok(None),
        };
        store.close().await;
        Ok((acted, notice))
    })?;
    let (outcome, notice) = outcome;
    match outcome {
        Ok(case) => {
            say!("case {} version {} state {}", case.id, case.version, case.state.name());
            match notice {
                Ok(Some(kind)) => say!("notice {} sent to Udbetaling Danmark", kind.name()),
                Ok(None) => {}
                Err(e) => eprintln!("notice to Udbetaling Danmark not sent (it stays due): {e}"),
            }
            Ok(())
        }
        // Someone else's change and a failing store are the job failing (exit 1), not bad input.
        Err(e @ (AppError::Store(_) | AppError::Post(_) | AppError::Conflict)) => Err(anyhow::Error::new(e)),
        Err(e) => Err(bad_input(e.to_string())),
    }
}
