//! # gennemgang-oidc
//!
//! Sign-in through a municipality's single sign-on with OpenID Connect (authorization code flow with PKCE;
//! identity providers that speak only SAML are reached through a broker that speaks OIDC). The provider
//! only says who the person is: role and municipality come from the local account of the same name, which
//! an operator creates, and a provider is trusted only for the municipalities its configuration lists — a
//! compromised or misconfigured municipal provider cannot sign anyone in as another municipality's user.
//!
//! Layout:
//! - [`config`] — the providers file (TOML), validated with the field named on error;
//! - [`provider`] — discovery, the authorization URL with state, nonce and PKCE, the code exchange and the
//!   ID token's verification (signature, issuer, audience, expiry, nonce, access-token hash);
//! - [`pending`] — sign-ins under way, between the redirect to the provider and its answer.

pub mod config;
pub mod pending;
pub mod provider;

pub use config::{Config, ConfigError, ProviderConfig, UsernameClaim};
pub use pending::Pending;
pub use provider::{OidcError, Provider};

/// Every configured provider, and the sign-ins under way.
pub struct Sso {
    providers: Vec<Provider>,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.providers.iter().map(|p| &p.config().id)).finish()
    }
}

impl Sso {
    /// The providers of a configuration (nothing is fetched until the first sign-in).
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub fn new(config: Config) -> Result<Sso, OidcError> {
        let providers = config.providers.into_iter().map(Provider::new).collect::<Result<_, _>>()?;
        Ok(Sso { providers })
    }

    /// No providers: local accounts only.
    #[must_use]
    pub fn none() -> Sso {
        Sso { providers: Vec::new() }
    }

    /// The providers, in the file's order (the sign-in page shows one button each).
    #[must_use]
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// The provider with this id.
    #[must_use]
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.config().id == id)
    }

    /// Starts a sign-in with a provider: the URL to send the browser to, and the sign-in to keep until the
    /// answer comes (its state value the browser must bring back: bind it to the browser, e.g. in a cookie).
    ///
    /// # Errors
    /// Discovery fails.
    pub async fn begin(&self, provider: &Provider) -> Result<(String, Pending), OidcError> {
        provider.begin().await
    }

    /// Finishes a sign-in: the user name the provider vouches for, if `pending` (taken by its state) was
    /// begun with this provider within [`pending::MAX_AGE`] before `now` (Unix seconds).
    ///
    /// # Errors
    /// Another provider's or an expired sign-in, or the exchange or the ID token's verification fails.
    pub async fn finish(
        &self,
        provider: &Provider,
        pending: Pending,
        code: &str,
        now: i64,
    ) -> Result<String, OidcError> {
        if pending.provider() != provider.config().id || !pending.alive_at(now) {
            return Err(OidcError::UnknownState);
        }
        provider.finish(code, pending).await
    }
}
