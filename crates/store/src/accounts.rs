//! Local user accounts and browser/API sessions. Passwords are stored only as argon2 hashes (made by the
//! application), sessions only by the SHA-256 of their token.

use gennemgang_case::actor::{Actor, Role};

/// A local account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Login name.
    pub username: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Municipality, for municipal roles.
    pub municipality: Option<u16>,
    /// Failed logins in a row.
    pub failed_logins: u32,
    /// Locked until, after too many failed logins.
    pub locked_until: Option<jiff::Timestamp>,
}

impl User {
    /// The user as an actor.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor { user: self.username.clone(), role: self.role, municipality: self.municipality }
    }
}

/// A session (browser cookie or API bearer token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 (hex) of the token; the token itself is never stored.
    pub token_hash: String,
    /// Whose.
    pub username: String,
    /// The CSRF token of the session's forms.
    pub csrf: String,
    /// When it ends unless used.
    pub expires_at: jiff::Timestamp,
}
