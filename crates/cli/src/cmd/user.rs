//! `gennemgang user put`: create a local account or reset its password, role and municipality (operators).

use crate::db;
use crate::exit::bad_input;
use gennemgang_case::actor::Role;
use gennemgang_store::{Store, User};
use std::io::Read as _;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// User subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Creates or replaces an account; the password is read from standard input (never a flag, so it stays
    /// out of process lists and shell history). With `--sso-only` there is no password: the person signs
    /// in through the municipality's single sign-on (`serve --sso`).
    Put {
        /// `sqlite://PATH` or `postgres://…`.
        #[arg(long)]
        database: Option<String>,
        /// User name.
        #[arg(long)]
        username: String,
        /// Role (home_caseworker, home_team_lead, deciding_caseworker, deciding_approver, ministry_analyst, administrator).
        #[arg(long)]
        role: String,
        /// Municipality code, for municipal roles.
        #[arg(long)]
        municipality: Option<u16>,
        /// Sign-in through single sign-on only; nothing is read from standard input.
        #[arg(long)]
        sso_only: bool,
    },
}

/// A character a user name may hold.
fn allowed(c: char) -> bool {
    // Lower case only: `leder` and `Leder` would be two accounts that read as one.
    c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@æøå".contains(c)
}

/// A refused user name as it can be shown: every character it may not hold written as its code point.
fn shown(name: &str) -> String {
    name.chars().map(|c| if allowed(c) { c.to_string() } else { format!("\\u{{{:04X}}}", u32::from(c)) }).collect()
}

/// Runs the subcommand.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let Command::Put { database, username, role, municipality, sso_only } = &args.command;
    // The system's name is on every import and notice in the history: no person may carry it.
    if username.trim().is_empty()
        || username.eq_ignore_ascii_case(gennemgang_case::actor::Actor::system().user.as_str())
    {
        return Err(bad_input(format!("--username: \"{}\" is reserved or empty", shown(username))));
    }
    // A user name is on every event and page the user touches: letters, digits and . _ - @ only, so that
    // no name can hide, reverse or imitate another.
    if username.chars().count() > 64 || !username.chars().all(allowed) {
        return Err(bad_input(format!(
            "--username: \"{}\" may hold only lower-case letters a-z, æ, ø, å, digits and . _ - @ (at most 64)",
            shown(username)
        )));
    }
    let role = Role::from_name(role)
        .filter(|r| *r != Role::System)
        .ok_or_else(|| bad_input(format!("--role: \"{role}\" is not a role")))?;
    let municipal =
        matches!(role, Role::HomeCaseworker | Role::HomeTeamLead | Role::DecidingCaseworker | Role::DecidingApprover);
    if municipal != municipality.is_some() {
        return Err(bad_input("--municipality: required for municipal roles, and only for them"));
    }
    if let Some(m) = municipality
        && !gennemgang_rules::municipality::is_known_code(*m)
    {
        return Err(bad_input(format!("--municipality: {m} is not a municipality code")));
    }
    let hash = if *sso_only { gennemgang_app::auth::SSO_ONLY.to_owned() } else { read_password()? };
    let url = db::url(database.as_deref());
    db::block_on(async {
        let store = db::open(&url).await?;
        store
            .put_user(&User {
                username: username.clone(),
                password_hash: hash,
                role,
                municipality: *municipality,
                failed_logins: 0,
                locked_until: None,
            })
            .await?;
        store.close().await;
        Ok(())
    })?;
    say!("user {username} {} {}", role.name(), municipality.unwrap_or(0));
    Ok(())
}

/// The password from standard input, hashed.
fn read_password() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.chars().count() < 12 {
        return Err(bad_input("the password (standard input) must have at least 12 characters"));
    }
    Ok(gennemgang_app::auth::hash_password(password)?)
}
