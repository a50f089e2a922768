//! A sign-in under way: between sending the browser to the provider and its coming back, the state, nonce
//! and PKCE verifier must be kept. This crate only makes and checks them; the caller keeps them where every
//! server behind a load balancer finds them (the web crate: in the database), takes each once, and forgets
//! them after [`MAX_AGE`]; at most [`MAX_PENDING`] are kept, so that nobody can fill the store by starting
//! sign-ins.

use openidconnect::{Nonce, PkceCodeVerifier};
use std::time::Duration;

/// How long a sign-in may take at the provider.
pub const MAX_AGE: Duration = Duration::from_secs(600);
/// Sign-ins under way at most; the oldest is dropped beyond it.
pub const MAX_PENDING: usize = 10_000;

/// One sign-in under way.
pub struct Pending {
    pub(crate) state: String,
    pub(crate) nonce: Nonce,
    pub(crate) verifier: PkceCodeVerifier,
    pub(crate) provider: String,
    /// When it started, in Unix seconds.
    pub(crate) started_at: i64,
}

impl Pending {
    /// A sign-in as it was kept (see [`Pending::parts`]).
    #[must_use]
    pub fn from_parts(state: String, provider: String, nonce: String, verifier: String, started_at: i64) -> Pending {
        Pending { state, nonce: Nonce::new(nonce), verifier: PkceCodeVerifier::new(verifier), provider, started_at }
    }

    /// What must be kept until the answer comes: state, provider, nonce, verifier and the start (Unix
    /// seconds). The nonce and verifier are secrets of this sign-in: keep them as a session is kept.
    #[must_use]
    pub fn parts(&self) -> (&str, &str, &str, &str, i64) {
        (&self.state, &self.provider, self.nonce.secret(), self.verifier.secret(), self.started_at)
    }

    /// The state value the provider sends back.
    #[must_use]
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The provider it was started with.
    #[must_use]
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Whether it is still young enough at `now` (Unix seconds) to be finished.
    #[must_use]
    pub fn alive_at(&self, now: i64) -> bool {
        let age = now.saturating_sub(self.started_at);
        (0..i64::try_from(MAX_AGE.as_secs()).unwrap_or(i64::MAX)).contains(&age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_is_kept_as_parts_and_expires() {
        let p = Pending::from_parts("s".into(), "kk".into(), "n".into(), "v".repeat(43), 1_000);
        let (state, provider, nonce, verifier, at) = p.parts();
        assert_eq!((state, provider, nonce, verifier.len(), at), ("s", "kk", "n", 43, 1_000));
        assert!(p.alive_at(1_000) && p.alive_at(1_599));
        assert!(!p.alive_at(1_600), "expired");
        assert!(!p.alive_at(999), "from the future");
    }
}
