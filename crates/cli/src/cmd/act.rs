//! `gennemgang act`: perform one case action as a user (for operators' scripts; the web application is the
//! caseworkers' way in). The same policy, guards and optimistic concurrency apply.

use super::parse_date;
use crate::db;
use crate::exit::bad_input;
use gennemgang_app::cases::{self, AppError};
use gennemgang_case::action::Action;
use gennemgang_case::actor::{Actor, Role};
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
    /// The acting user.
    #[arg(long)]
    user: String,
    /// The user's role (home_caseworker, home_team_lead, deciding_caseworker, deciding_approver).
    #[arg(long)]
    role: String,
    /// The user's municipality code.
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
}

/// Performs the action through the same use case as the web application (policy, guards, the users an
/// assignment may name, optimistic concurrency, the access log) and prints the case's new state and version.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let role =
        Role::from_name(&args.role).ok_or_else(|| bad_input(format!("--role: \"{}\" is not a role", args.role)))?;
    if role == Role::System {
        return Err(bad_input("--role: the system role is not for people"));
    }
    let action: Action = serde_json::from_str(&args.action).map_err(|e| bad_input(format!("--action: {e}")))?;
    let actor = Actor { user: args.user.clone(), role, municipality: args.municipality };
    let today = args.today.unwrap_or_else(super::today);
    let url = db::url(args.database.as_deref());
    let outcome = db::block_on(async {
        let store = db::open(&url).await?;
        Ok(cases::act(&store, &actor, args.case, args.seen_version, action, today, jiff::Timestamp::now()).await)
    })?;
    match outcome {
        Ok(case) => {
            println!("case {} version {} state {}", case.id, case.version, case.state.name());
            Ok(())
        }
        // Someone else's change and a failing store are the job failing (exit 1), not bad input.
        Err(e @ (AppError::Store(_) | AppError::Post(_) | AppError::Conflict)) => Err(anyhow::Error::new(e)),
        Err(e) => Err(bad_input(e.to_string())),
    }
}
