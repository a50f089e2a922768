//! # gennemgang-app
//!
//! The use cases the web application and the CLI share, so that a page, an API call and a command do
//! the same thing: open a store by URL, sign in, list and read cases under the access policy with every
//! read logged, act on a case, compute statistics with small numbers hidden (and every number they could be derived from), create demo users.
//!
//! Layout:
//! - [`config`] — the installation's file: deciding municipalities, their boards, contact details;
//! - [`db`] — `AnyStore`: SQLite or PostgreSQL by URL;
//! - [`backup`] — a consistent copy of either database as one SQLite file;
//! - [`logbook`] — group commit for the access log;
//! - [`areas`] — recorded area classifications and screening runs, and the what-if on the criteria;
//! - [`auth`] — passwords, lockout, sessions;
//! - [`cases`] — listing, reading and acting, with the access log;
//! - [`access`] — aktindsigt: the file an answered request produces;
//! - [`documents`] — the case file's documents: recognised, stored by hash with their event, opened logged;
//! - [`stats`] — aggregates for managers and the ministry;
//! - [`suppression`] — which cells of related tables to hide so that no count under 5 can be derived;
//! - [`letters`] — a case's letters: composed, typeset, previewed (logged);
//! - [`postbox`] — the postal adapter (Digital Post, print) and its file-drop default;
//! - [`payments`] — notices to Udbetaling Danmark when a revocation stops or resumes payment;
//! - [`retention`] — the closed cases past the configured retention, and their erasure;
//! - [`demo`] — demo users for every role.

pub mod access;
pub mod areas;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
pub mod letters;
pub mod logbook;
pub mod payments;
pub mod postbox;
pub mod retention;
pub mod stats;
pub mod suppression;

/// Where "today" comes from: the server's clock, or — only for tests, set in code, never by a request or a
/// flag — a fixed day that can be moved forward, so a test can let time pass as a case does.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<std::sync::Arc<std::sync::Mutex<jiff::civil::Date>>>);

impl Clock {
    /// The server's clock.
    #[must_use]
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A fixed day, for tests.
    #[must_use]
    pub fn fixed(day: jiff::civil::Date) -> Clock {
        Clock(Some(std::sync::Arc::new(std::sync::Mutex::new(day))))
    }

    /// Moves a fixed clock to `day` (never backwards); the server's clock is not moved.
    pub fn advance_to(&self, day: jiff::civil::Date) {
        if let Some(d) = &self.0
            && let Ok(mut d) = d.lock()
            && day > *d
        {
            *d = day;
        }
    }

    /// Today.
    #[must_use]
    pub fn today(&self) -> jiff::civil::Date {
        match &self.0 {
            Some(d) => d.lock().map_or_else(|_| today(), |d| *d),
            None => today(),
        }
    }
}

/// Today's date in Copenhagen, where the law's days are counted (UTC if the zone is unknown).
#[must_use]
pub fn today() -> jiff::civil::Date {
    gennemgang_rules::date::day_of(jiff::Timestamp::now())
}
