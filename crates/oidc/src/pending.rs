//! Sign-ins under way: between sending the browser to the provider and its coming back, the server keeps
//! the state, nonce and PKCE verifier. Each is used once and forgotten after [`MAX_AGE`]; there are at
//! most [`MAX_PENDING`], so that nobody can fill the memory by starting sign-ins. They live in this
//! process: behind a load balancer, the sign-in needs sticky sessions (docs/security.md).

use openidconnect::{Nonce, PkceCodeVerifier};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
    pub(crate) started: Instant,
}

impl Pending {
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
}

/// The sign-ins under way, by state.
#[derive(Default)]
pub(crate) struct PendingLogins {
    by_state: Mutex<HashMap<String, Pending>>,
}

impl PendingLogins {
    pub(crate) fn insert(&self, pending: Pending) {
        let mut map = self.by_state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAX_PENDING {
            map.retain(|_, p| p.started.elapsed() < MAX_AGE);
        }
        if map.len() >= MAX_PENDING
            && let Some(oldest) = map.iter().min_by_key(|(_, p)| p.started).map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        map.insert(pending.state.clone(), pending);
    }

    /// Removes and returns the sign-in with this state, if it is still young enough.
    pub(crate) fn take(&self, state: &str) -> Option<Pending> {
        let mut map = self.by_state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(state).filter(|p| p.started.elapsed() < MAX_AGE)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_state.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(state: &str, age: Duration) -> Pending {
        Pending {
            state: state.into(),
            nonce: Nonce::new("n".into()),
            verifier: PkceCodeVerifier::new("v".repeat(43)),
            provider: "p".into(),
            started: Instant::now().checked_sub(age).unwrap_or_else(Instant::now),
        }
    }

    #[test]
    fn a_state_is_used_once_and_not_after_it_expired() {
        let logins = PendingLogins::default();
        logins.insert(pending("a", Duration::ZERO));
        logins.insert(pending("old", MAX_AGE + Duration::from_secs(1)));
        assert!(logins.take("a").is_some());
        assert!(logins.take("a").is_none(), "used once");
        assert!(logins.take("old").is_none(), "expired");
        assert!(logins.take("never").is_none());
    }

    #[test]
    fn the_number_under_way_is_bounded() {
        let logins = PendingLogins::default();
        for i in 0..MAX_PENDING + 5 {
            logins.insert(pending(&i.to_string(), Duration::ZERO));
        }
        assert_eq!(logins.len(), MAX_PENDING);
    }
}
