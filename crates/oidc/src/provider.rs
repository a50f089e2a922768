//! One identity provider: discovered on first use, then the authorization code flow with PKCE.

use crate::config::{ProviderConfig, UsernameClaim};
use crate::pending::Pending;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse as _, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse as _,
    reqwest,
};
use tokio::sync::OnceCell;

/// The client after discovery: authorization endpoint set, token and user-info endpoints as discovered.
type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// Why a sign-in through a provider failed. The messages name the provider's step, never a token.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
    /// The provider's discovery document could not be read.
    #[error("discovery at {issuer}: {message}")]
    Discovery {
        /// The issuer.
        issuer: String,
        /// What failed.
        message: String,
    },
    /// The configuration does not fit what the provider publishes.
    #[error("configuration: {0}")]
    Configuration(String),
    /// The state is unknown, used or expired.
    #[error("the sign-in is unknown or expired")]
    UnknownState,
    /// The code could not be exchanged for tokens.
    #[error("code exchange: {0}")]
    Exchange(String),
    /// The ID token is missing or does not verify.
    #[error("ID token: {0}")]
    IdToken(String),
    /// The claim that names the user is absent.
    #[error("the ID token has no `{0}` claim")]
    MissingClaim(&'static str),
}

/// One configured provider.
pub struct Provider {
    config: ProviderConfig,
    http: reqwest::Client,
    client: OnceCell<Client>,
}

impl Provider {
    /// A provider from its configuration; discovery waits until the first sign-in, so that a provider that
    /// is down does not stop the server (nor the other providers).
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub fn new(config: ProviderConfig) -> Result<Provider, OidcError> {
        let http = reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer point the server anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Http(e.to_string()))?;
        Ok(Provider { config, http, client: OnceCell::new() })
    }

    /// Its configuration.
    #[must_use]
    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// Whether this provider may sign in a user of this municipality (`None`: ministry and operators).
    #[must_use]
    pub fn may_sign_in(&self, municipality: Option<u16>) -> bool {
        match municipality {
            Some(code) => self.config.municipalities.contains(&code),
            None => self.config.national,
        }
    }

    async fn client(&self) -> Result<&Client, OidcError> {
        self.client
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.config.issuer.clone())
                    .map_err(|e| OidcError::Configuration(format!("issuer: {e}")))?;
                let metadata = CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|e| {
                    OidcError::Discovery { issuer: self.config.issuer.clone(), message: error_chain(&e) }
                })?;
                let redirect = RedirectUrl::new(self.config.redirect_url.clone())
                    .map_err(|e| OidcError::Configuration(format!("redirect_url: {e}")))?;
                Ok(CoreClient::from_provider_metadata(
                    metadata,
                    ClientId::new(self.config.client_id.clone()),
                    self.config.client_secret.clone().map(ClientSecret::new),
                )
                .set_redirect_uri(redirect))
            })
            .await
    }

    /// The URL to send the browser to, and what to keep until it comes back.
    ///
    /// # Errors
    /// Discovery fails.
    pub async fn begin(&self) -> Result<(String, Pending), OidcError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        if self.config.username_claim != UsernameClaim::Sub {
            request = request.add_scope(Scope::new("profile".into())).add_scope(Scope::new("email".into()));
        }
        let (url, state, nonce) = request.url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce,
            verifier,
            provider: self.config.id.clone(),
            started_at: jiff::Timestamp::now().as_second(),
        };
        Ok((url.to_string(), pending))
    }

    /// Exchanges the code and verifies the ID token (signature against the provider's published keys,
    /// issuer, audience, expiry, the nonce of this sign-in, and the access-token hash when present); returns
    /// the configured claim, the local user name.
    ///
    /// # Errors
    /// The exchange fails, or the ID token is missing, invalid or lacks the claim.
    pub async fn finish(&self, code: &str, pending: Pending) -> Result<String, OidcError> {
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Configuration(e.to_string()))?
            .set_pkce_verifier(pending.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(error_chain(&e)))?;
        let id_token = response.id_token().ok_or_else(|| OidcError::IdToken("the provider sent none".into()))?;
        let verifier = client.id_token_verifier();
        let claims = id_token.claims(&verifier, &pending.nonce).map_err(|e| OidcError::IdToken(e.to_string()))?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token.signing_alg().map_err(|e| OidcError::IdToken(e.to_string()))?;
            let key = id_token.signing_key(&verifier).map_err(|e| OidcError::IdToken(e.to_string()))?;
            let actual = AccessTokenHash::from_token(response.access_token(), alg, key)
                .map_err(|e| OidcError::IdToken(e.to_string()))?;
            if actual != *expected {
                return Err(OidcError::IdToken("the access token does not match its hash".into()));
            }
        }
        match self.config.username_claim {
            UsernameClaim::PreferredUsername => claims
                .preferred_username()
                .map(|u| u.as_str().to_owned())
                .ok_or(OidcError::MissingClaim("preferred_username")),
            UsernameClaim::Email => {
                claims.email().map(|e| e.as_str().to_owned()).ok_or(OidcError::MissingClaim("email"))
            }
            UsernameClaim::Sub => Ok(claims.subject().as_str().to_owned()),
        }
    }
}

/// An error with its sources, for the operator's log.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
