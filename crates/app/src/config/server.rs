//! Where a deployment's server runs: the `[server]` table of the configuration. Each setting can be
//! overridden by an environment variable ([`ENVIRONMENT`], for secrets and containers) and that by the
//! command line's flag; what none gives takes its default. Paths in the file are relative to the file's
//! folder, so a unit file can name the configuration alone.
//!
//! ```toml
//! [server]
//! database = "postgres://gennemgang@db/gennemgang"
//! listen = "0.0.0.0:8080"
//! metrics_listen = "10.0.0.5:9090"
//! outbox = "/var/lib/gennemgang/outbox"
//! sso = "sso.toml"
//! trusted_proxies = ["10.0.0.2", "10.0.0.3"]
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The server's settings, each where it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Server {
    /// `sqlite://PATH` or `postgres://…`.
    pub database: Option<String>,
    /// The application's address.
    pub listen: Option<String>,
    /// The metrics' address of their own.
    pub metrics_listen: Option<String>,
    /// Where letters and notices are dropped.
    pub outbox: Option<PathBuf>,
    /// The single sign-on providers' file.
    pub sso: Option<PathBuf>,
    /// The load balancers in front of the server: from them, `X-Forwarded-For` names the address a sign-in
    /// came from (its failures are counted per address). None: the connection's peer is the address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// The environment variables that override the file, by field; a later one wins over an earlier one
/// (`GENNEMGANG_DATABASE` over the conventional `DATABASE_URL`).
pub const ENVIRONMENT: [(&str, &str); 6] = [
    ("database", "DATABASE_URL"),
    ("database", "GENNEMGANG_DATABASE"),
    ("listen", "GENNEMGANG_LISTEN"),
    ("metrics_listen", "GENNEMGANG_METRICS_LISTEN"),
    ("outbox", "GENNEMGANG_OUTBOX"),
    ("sso", "GENNEMGANG_SSO"),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Entry {
    database: Option<Spanned<String>>,
    listen: Option<Spanned<String>>,
    metrics_listen: Option<Spanned<String>>,
    outbox: Option<Spanned<String>>,
    sso: Option<Spanned<String>>,
    trusted_proxies: Option<Vec<Spanned<String>>>,
}

/// What is wrong with a setting, if anything.
fn problem(field: &str, value: &str) -> Option<String> {
    match field {
        "database" => database(value),
        "listen" | "metrics_listen" => address(value),
        _ if value.trim().is_empty() => Some("give a path".into()),
        _ => None,
    }
}

fn database(url: &str) -> Option<String> {
    let known = ["sqlite://", "postgres://", "postgresql://"].iter().any(|p| url.starts_with(p) && url.len() > p.len());
    (!known).then(|| "give sqlite://PATH or postgres://…".into())
}

/// `HOST:PORT` (a name, an IPv4 address or a bracketed IPv6 one); port 0 asks for any free port.
fn address(addr: &str) -> Option<String> {
    let bad = || Some(format!("\"{}\" is not HOST:PORT (e.g. 127.0.0.1:8080)", addr.escape_debug()));
    let Some((host, port)) = addr.rsplit_once(':') else { return bad() };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        inner.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    if host_ok && port.parse::<u16>().is_ok() && port.bytes().all(|b| b.is_ascii_digit()) { None } else { bad() }
}

impl Entry {
    /// The settings, checked; `fail(offset, field, message)` makes the error.
    pub(super) fn check<E>(self, fail: impl Fn(usize, &str, String) -> E) -> Result<Server, E> {
        let checked = |value: Option<Spanned<String>>, field: &str| -> Result<Option<String>, E> {
            match value {
                None => Ok(None),
                Some(v) => match problem(field, v.get_ref()) {
                    Some(why) => Err(fail(v.span().start, &format!("server.{field}"), why)),
                    None => Ok(Some(v.into_inner())),
                },
            }
        };
        let mut trusted_proxies = Vec::new();
        for proxy in self.trusted_proxies.unwrap_or_default() {
            match proxy.get_ref().trim().parse::<std::net::IpAddr>() {
                // As the server sees a peer: an IPv4 address in IPv6 form is the IPv4 address.
                Ok(ip) => trusted_proxies.push(ip.to_canonical()),
                Err(_) => {
                    let why = format!("\"{}\" is not an IP address (e.g. 10.0.0.2)", proxy.get_ref().escape_debug());
                    return Err(fail(proxy.span().start, "server.trusted_proxies", why));
                }
            }
        }
        Ok(Server {
            trusted_proxies,
            database: checked(self.database, "database")?,
            listen: checked(self.listen, "listen")?,
            metrics_listen: checked(self.metrics_listen, "metrics_listen")?,
            outbox: checked(self.outbox, "outbox")?.map(PathBuf::from),
            sso: checked(self.sso, "sso")?.map(PathBuf::from),
        })
    }
}

impl Server {
    /// The paths taken relative to `folder` (the configuration file's): the outbox, the single sign-on
    /// file and a SQLite database's file.
    #[must_use]
    pub fn relative_to(mut self, folder: &Path) -> Server {
        for path in [&mut self.outbox, &mut self.sso].into_iter().flatten() {
            if path.is_relative() {
                *path = folder.join(&*path);
            }
        }
        if let Some(url) = &self.database
            && let Some(rest) = url.strip_prefix("sqlite://")
        {
            let (file, query) = rest.split_once('?').map_or((rest, None), |(f, q)| (f, Some(q)));
            if Path::new(file).is_relative() {
                let joined = folder.join(file).display().to_string();
                self.database =
                    Some(query.map_or_else(|| format!("sqlite://{joined}"), |q| format!("sqlite://{joined}?{q}")));
            }
        }
        self
    }

    /// The settings with the environment's overrides (`var` reads one variable).
    ///
    /// # Errors
    /// A variable holds what the setting cannot be; the message names the variable.
    pub fn with_environment(mut self, var: impl Fn(&str) -> Option<String>) -> Result<Server, String> {
        for (field, name) in ENVIRONMENT {
            let Some(value) = var(name) else { continue };
            if let Some(why) = problem(field, &value) {
                return Err(format!("{name}: {why}"));
            }
            match field {
                "database" => self.database = Some(value),
                "listen" => self.listen = Some(value),
                "metrics_listen" => self.metrics_listen = Some(value),
                "outbox" => self.outbox = Some(PathBuf::from(value)),
                _ => self.sso = Some(PathBuf::from(value)),
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_databases_are_checked() {
        for ok in ["127.0.0.1:8080", "0.0.0.0:0", "[::1]:9090", "gennemgang.kommune.dk:443"] {
            assert_eq!(address(ok), None, "{ok}");
        }
        for bad in ["8080", "127.0.0.1:", ":8080", "127.0.0.1:70000", "[::1:80", "a b:80", "h:+80"] {
            assert!(address(bad).is_some(), "{bad}");
        }
        assert_eq!(database("sqlite://cases.db"), None);
        assert_eq!(database("postgresql://u@h/db"), None);
        assert!(database("mysql://h/db").is_some() && database("sqlite://").is_some());
    }

    #[test]
    fn the_environment_overrides_the_file_and_is_checked() {
        let file = Server { listen: Some("127.0.0.1:8080".into()), ..Server::default() };
        let env = |name: &str| (name == "GENNEMGANG_LISTEN").then(|| "0.0.0.0:80".to_owned());
        assert_eq!(file.clone().with_environment(env).expect("ok").listen.as_deref(), Some("0.0.0.0:80"));
        let bad = |name: &str| (name == "GENNEMGANG_DATABASE").then(|| "cases.db".to_owned());
        let e = file.with_environment(bad).expect_err("refused");
        assert_eq!(e, "GENNEMGANG_DATABASE: give sqlite://PATH or postgres://…");
    }

    #[test]
    fn relative_paths_are_the_files_folder() {
        let s = Server {
            outbox: Some("outbox".into()),
            sso: Some("/etc/sso.toml".into()),
            database: Some("sqlite://sager.db?mode=rwc".into()),
            ..Server::default()
        };
        let s = s.relative_to(Path::new("/etc/gennemgang"));
        assert_eq!(s.outbox, Some(PathBuf::from("/etc/gennemgang/outbox")));
        assert_eq!(s.sso, Some(PathBuf::from("/etc/sso.toml")));
        assert_eq!(s.database.as_deref(), Some("sqlite:///etc/gennemgang/sager.db?mode=rwc"));
        let absolute = Server { database: Some("sqlite:///var/lib/g.db".into()), ..Server::default() };
        assert_eq!(absolute.relative_to(Path::new("/etc")).database.as_deref(), Some("sqlite:///var/lib/g.db"));
    }
}
