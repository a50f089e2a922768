//! Retention: which closed cases are past the configured period, and their erasure.
//!
//! Personal data is kept no longer than its purpose needs (the General Data Protection Regulation,
//! art. 5(1)(e), storage limitation; art. 17(1)(a), erasure when no longer needed). How long a closed review
//! case is needed is the municipality's archive rule, which this project has not found verified: the period
//! is the deployment's `[retention]` setting (years after closing, its source, the day it applies from),
//! never built in. A case is due once the setting applies and the day after its last day kept has come;
//! each is erased in its own transaction ([`gennemgang_store::erasure`]), dated by the server's clock.

use crate::config::Retention;
use gennemgang_case::case::{Case, Phase};
use gennemgang_store::erasure::Erasure;
use gennemgang_store::{Store, StoreError};
use jiff::civil::Date;

/// A closed case past its retention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// Case id.
    pub id: i64,
    /// Its home municipality.
    pub municipality: u16,
    /// The day it was closed.
    pub closed_on: Date,
    /// Its last day kept.
    pub kept_until: Date,
    /// Its version, which the erasure is decided on.
    pub version: u32,
}

/// The closed cases past `retention` on `as_of`, by id: none before the setting applies (`valid_from`),
/// and a case is kept through its last day (GDPR art. 5(1)(e); the period is the archive rule's).
#[must_use]
pub fn due(cases: &[Case], retention: &Retention, as_of: Date) -> Vec<Due> {
    if as_of < retention.valid_from {
        return Vec::new();
    }
    let mut due: Vec<Due> = cases
        .iter()
        .filter(|c| c.phase() == Phase::Closed)
        .filter_map(|c| {
            let closed_on = c.phase_since?;
            let kept_until = retention.kept_until(closed_on);
            (kept_until < as_of).then_some(Due {
                id: c.id,
                municipality: c.home_municipality,
                closed_on,
                kept_until,
                version: c.version,
            })
        })
        .collect();
    due.sort_by_key(|d| d.id);
    due
}

/// The longest name of who erases.
const MAX_BY: usize = 200;

/// Why the erasure could not be started.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    /// The name of who erases is blank or not a plain name.
    #[error("--by {0}")]
    By(&'static str),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What became of a case due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erased {
    /// Erased by this run.
    Now,
    /// Gone when this run came to it: erased by another run at the same time.
    Already,
}

/// What a run did: each case due, and whether the storage was rewritten without what was deleted.
#[derive(Debug)]
pub struct Run {
    /// Each case due, with what became of it (an error: not erased, e.g. changed since it was listed).
    pub cases: Vec<(Due, Result<Erased, StoreError>)>,
    /// The rewrite of the storage (an error: what was deleted may still be in the files; run again).
    pub reclaimed: Result<(), StoreError>,
}

/// The name of who erases, as it is recorded: trimmed, one line of letters (any script), digits, spaces and
/// the punctuation of names, at most 200 characters.
///
/// # Errors
/// What is wrong with it, in English for the operator.
pub fn erased_by(by: &str) -> Result<String, RetentionError> {
    let by = by.trim();
    if let Some(refused) = gennemgang_rules::text::refused(by) {
        return Err(RetentionError::By(refused.english()));
    }
    let plain = |c: char| {
        (c.is_alphanumeric() || c == ' ' || "-.,'’()/&@_".contains(c) || ('\u{0300}'..='\u{036F}').contains(&c))
            && (c == ' ' || !gennemgang_rules::text::is_invisible(c))
    };
    if !by.chars().all(plain) {
        return Err(RetentionError::By(
            "holds a character that is not part of a name (a line break, a hidden or replaced character)",
        ));
    }
    if by.chars().count() > MAX_BY {
        return Err(RetentionError::By("is longer than 200 characters"));
    }
    Ok(by.to_owned())
}

/// Erases every case due on `now`'s day (in Copenhagen), each in its own transaction, recorded with `by`,
/// the setting and the server's clock; a case that changed or could not be erased is reported with its
/// error and the rest go on; then the storage is rewritten without what was deleted, also when nothing was
/// due (an earlier run's rewrite may have been kept from finishing) (GDPR art. 5(1)(e) and 17(1)(a)).
///
/// # Errors
/// `by` is not a plain name, or the cases cannot be read.
pub async fn erase_due<S: Store>(
    store: &S,
    retention: &Retention,
    by: &str,
    now: jiff::Timestamp,
) -> Result<Run, RetentionError> {
    let by = erased_by(by)?;
    let today = gennemgang_rules::date::day_of(now);
    let cases = store.cases().await?;
    let mut done = Vec::new();
    for d in due(&cases, retention, today) {
        let erasure = Erasure {
            at: now,
            by: by.clone(),
            closed_on: d.closed_on,
            kept_until: d.kept_until,
            years_after_closing: retention.years_after_closing,
            source: retention.source.clone(),
            valid_from: retention.valid_from,
            events: d.version,
        };
        let result = match store.erase(d.id, &erasure).await {
            Ok(()) => Ok(Erased::Now),
            // Listed a moment ago and gone now: another run erased it (nothing else deletes a case).
            Err(StoreError::NotFound(_)) => Ok(Erased::Already),
            Err(e) => Err(e),
        };
        done.push((d, result));
    }
    Ok(Run { cases: done, reclaimed: store.reclaim().await })
}
