//! The providers file: one `[[provider]]` table per identity provider.
//!
//! ```toml
//! [[provider]]
//! id = "koebenhavn"                       # in URLs: lower-case letters, digits and '-'
//! label = "Log ind med Københavns Kommunes login"
//! issuer = "https://login.kk.dk/adfs"
//! client_id = "gennemgang"
//! client_secret_env = "GENNEMGANG_SSO_KOEBENHAVN_SECRET"  # the secret itself never sits in the file
//! redirect_url = "https://gennemgang.kk.dk/login/sso/koebenhavn/svar"
//! username_claim = "preferred_username"   # or "email" or "sub"
//! municipalities = [101]                  # whose users this provider may sign in
//! national = false                        # true: may also sign in users without a municipality (ministry, operators)
//! ```

use serde::Deserialize;

/// The file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The providers.
    #[serde(rename = "provider", default)]
    pub providers: Vec<ProviderConfig>,
}

/// Which claim of the ID token is the local user name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsernameClaim {
    /// `preferred_username` (AD FS, Entra ID and Keycloak can all send it).
    #[default]
    PreferredUsername,
    /// `email`.
    Email,
    /// `sub`.
    Sub,
}

/// One identity provider.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short name used in URLs.
    pub id: String,
    /// The sign-in button's text, in Danish.
    pub label: String,
    /// The issuer; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// This application's client id at the provider.
    pub client_id: String,
    /// The environment variable holding the client secret (none: a public client, PKCE only).
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Where the provider sends the browser back: `…/login/sso/<id>/svar` on this server.
    pub redirect_url: String,
    /// The claim that is the local user name.
    #[serde(default)]
    pub username_claim: UsernameClaim,
    /// The municipalities whose users this provider may sign in.
    #[serde(default)]
    pub municipalities: Vec<u16>,
    /// Whether it may also sign in users without a municipality (ministry analysts, operators).
    #[serde(default)]
    pub national: bool,
    /// The client secret, read from `client_secret_env` by [`Config::parse`].
    #[serde(skip)]
    pub(crate) client_secret: Option<String>,
}

impl std::fmt::Debug for ProviderConfig {
    // The secret stays out of debug output and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("municipalities", &self.municipalities)
            .field("national", &self.national)
            .finish_non_exhaustive()
    }
}

/// A providers file that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// Not TOML, or a field is missing or unknown.
    #[error("{file}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// What the TOML reader said (it names line and field).
        message: String,
    },
    /// A field's value is wrong.
    #[error("{file}: provider {index} (`{id}`), field `{field}`: {message}")]
    Field {
        /// The file.
        file: String,
        /// 1-based position of the `[[provider]]` table.
        index: usize,
        /// Its id.
        id: String,
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Reads and checks a providers file; `secret` looks up an environment variable.
    ///
    /// # Errors
    /// The file does not parse, or a field is wrong (named with the provider and the field).
    pub fn parse(text: &str, file: &str, secret: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| ConfigError::Parse { file: file.into(), message: e.to_string() })?;
        let mut seen = std::collections::HashSet::new();
        for (i, p) in config.providers.iter_mut().enumerate() {
            let wrong = |field: &'static str, message: String| ConfigError::Field {
                file: file.into(),
                index: i + 1,
                id: p.id.clone(),
                field,
                message,
            };
            if p.id.is_empty() || !p.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                return Err(wrong("id", "use lower-case letters, digits and '-'".into()));
            }
            if !seen.insert(p.id.clone()) {
                return Err(wrong("id", "used by an earlier provider".into()));
            }
            for (field, url) in [("issuer", &p.issuer), ("redirect_url", &p.redirect_url)] {
                let parsed = openidconnect::url::Url::parse(url).map_err(|e| wrong(field, e.to_string()))?;
                let local = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
                if parsed.scheme() != "https" && !local {
                    return Err(wrong(field, "must be https (plain http only for 127.0.0.1 and localhost)".into()));
                }
            }
            if !p.redirect_url.ends_with(&format!("/login/sso/{}/svar", p.id)) {
                return Err(wrong("redirect_url", format!("must end in /login/sso/{}/svar", p.id)));
            }
            if p.municipalities.is_empty() && !p.national {
                return Err(wrong("municipalities", "list the municipalities whose users it signs in".into()));
            }
            if p.label.trim().is_empty() {
                return Err(wrong("label", "the sign-in button needs a text".into()));
            }
            if let Some(var) = &p.client_secret_env {
                let value = secret(var).filter(|v| !v.is_empty());
                p.client_secret = Some(value.ok_or_else(|| wrong("client_secret_env", format!("{var} is not set")))?);
            }
        }
        Ok(config)
    }

    /// Reads a providers file from disk; secrets from the environment.
    ///
    /// # Errors
    /// As [`Config::parse`], or the file cannot be read.
    pub fn load(path: &std::path::Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Parse { file: file.clone(), message: e.to_string() })?;
        Config::parse(&text, &file, |var| std::env::var(var).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
        [[provider]]
        id = "koebenhavn"
        label = "Log ind med Københavns Kommunes login"
        issuer = "https://login.kk.example/adfs"
        client_id = "gennemgang"
        client_secret_env = "KK_SECRET"
        redirect_url = "https://gennemgang.example/login/sso/koebenhavn/svar"
        municipalities = [101]
    "#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, "sso.toml", |var| (var == "KK_SECRET").then(|| "s3cret".to_owned()))
    }

    #[test]
    fn a_good_file_reads_its_secret_from_the_environment_and_keeps_it_out_of_debug_output() {
        let config = parse(GOOD).expect("good");
        let p = &config.providers[0];
        assert_eq!(p.client_secret.as_deref(), Some("s3cret"));
        assert_eq!(p.username_claim, UsernameClaim::PreferredUsername);
        assert!(!format!("{p:?}").contains("s3cret"));
    }

    #[test]
    fn each_wrong_field_is_named_with_its_provider() {
        let cases = [
            (GOOD.replace("koebenhavn\"\n", "Kø benhavn\"\n"), "field `id`"),
            (
                GOOD.replace("https://login.kk.example/adfs", "http://login.kk.example/adfs"),
                "field `issuer`: must be https",
            ),
            (GOOD.replace("/svar", "/callback"), "field `redirect_url`"),
            (GOOD.replace("[101]", "[]"), "field `municipalities`"),
            (GOOD.replace("KK_SECRET", "MISSING_SECRET"), "field `client_secret_env`: MISSING_SECRET is not set"),
            (format!("{GOOD}\n{GOOD}"), "provider 2 (`koebenhavn`), field `id`: used by an earlier provider"),
        ];
        for (text, expected) in cases {
            let err = parse(&text).expect_err(expected).to_string();
            assert!(err.starts_with("sso.toml: ") && err.contains(expected), "{err}");
        }
        let unknown = parse(&GOOD.replace("client_id", "clientid")).expect_err("unknown field").to_string();
        assert!(unknown.contains("clientid") && unknown.contains("line"), "{unknown}");
    }

    #[test]
    fn plain_http_is_allowed_on_the_loopback_only() {
        let local = GOOD
            .replace("https://login.kk.example/adfs", "http://127.0.0.1:9999")
            .replace("https://gennemgang.example", "http://localhost:8080");
        assert!(parse(&local).is_ok());
    }
}
