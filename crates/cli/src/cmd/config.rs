//! `gennemgang config check FILE`: reads a deployment's configuration as `serve --config` does — every
//! field checked, the environment's overrides applied, the single sign-on file it names read — and says what
//! it configures, or names the file, line and field that is wrong (exit 2).

use crate::exit::bad_input;
use gennemgang_app::config::{self, Setup};

/// Configuration subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Checks FILE and prints what it configures, one `name: value` per line.
    Check {
        /// The configuration (see `examples/gennemgang.toml`).
        file: std::path::PathBuf,
    },
}

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// Runs the subcommand.
///
/// # Errors
/// The file, an environment override or the single sign-on file it names is refused (exit 2).
pub fn run(args: &Args) -> anyhow::Result<()> {
    let Command::Check { file } = &args.command;
    let setup = config::load(file).map_err(|e| bad_input(e.to_string()))?;
    let server = deployment(&setup)?;
    // The single sign-on file it names is read first: "ok" means all of it is.
    let sso = match &server.sso {
        Some(path) => {
            let sso = gennemgang_oidc::Config::load(path)
                .map_err(|e| bad_input(format!("{}: server.sso: {e}", file.display())))?;
            format!("{} ({} providers)", path.display(), sso.providers.len())
        }
        None => "none (local accounts only)".to_owned(),
    };
    say!("{}: ok", file.display());
    let or_default = |v: Option<String>, default: &str| v.unwrap_or_else(|| format!("{default} (default)"));
    let database = server.database.as_deref().map(mask_password);
    say!("database: {}", or_default(database, gennemgang_app::db::DEFAULT_URL));
    say!("listen: {}", or_default(server.listen.clone(), "127.0.0.1:8080"));
    say!("metrics_listen: {}", or_default(server.metrics_listen.clone(), "none"));
    say!("outbox: {}", or_default(server.outbox.as_ref().map(|p| p.display().to_string()), "outbox"));
    say!("sso: {sso}");
    let proxies: Vec<String> = server.trusted_proxies.iter().map(ToString::to_string).collect();
    say!(
        "trusted_proxies: {}",
        if proxies.is_empty() { "none (the peer is the source)".to_owned() } else { proxies.join(", ") }
    );
    let routing = &setup.routing;
    say!("regions: {}", routing.deciding.len());
    say!("boards: {}", routing.boards.len());
    say!("processing_deadlines: {}", routing.deadlines.len());
    say!("rehabilitation_team: {}", routing.presents_to_team.len());
    say!("senders: {}", setup.senders.len());
    say!("max_document_megabytes: {}", setup.max_document_bytes / 1_000_000);
    match &setup.retention {
        Some(r) => {
            say!("retention: {} years after closing ({}; from {})", r.years_after_closing, r.source, r.valid_from)
        }
        None => say!("retention: not set (cases are kept until the archive officer sets [retention])"),
    }
    Ok(())
}

/// The server's settings with the environment's overrides, as `serve` takes them.
///
/// # Errors
/// An environment variable holds what its setting cannot be (exit 2).
pub fn deployment(setup: &Setup) -> anyhow::Result<config::Server> {
    setup.server.clone().with_environment(|name| std::env::var(name).ok()).map_err(bad_input)
}

/// A database URL as it may be printed: a password in it (`user:PASSWORD@`, or a query parameter whose
/// name holds "password", as `?password=` and `sslpassword=`) replaced by `***`.
fn mask_password(url: &str) -> String {
    let (url, query) = url.split_once('?').map_or((url, None), |(u, q)| (u, Some(q)));
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let base = match rest.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_owned(),
    };
    let Some(query) = query else { return base };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.to_ascii_lowercase().contains("password") => format!("{k}=***"),
            _ => p.to_owned(),
        })
        .collect();
    format!("{base}?{}", params.join("&"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_in_the_database_url_is_not_printed() {
        assert_eq!(super::mask_password("postgres://app:s3cret@db/g"), "postgres://app:***@db/g");
        assert_eq!(super::mask_password("postgres://app:p@ss@db/g"), "postgres://app:***@db/g");
        assert_eq!(super::mask_password("postgres://app@db/g"), "postgres://app@db/g");
        assert_eq!(super::mask_password("sqlite://cases.db"), "sqlite://cases.db");
        assert_eq!(
            super::mask_password("postgres://app@h/g?host=/run&password=QSECRET&sslpassword=x"),
            "postgres://app@h/g?host=/run&password=***&sslpassword=***"
        );
    }
}
