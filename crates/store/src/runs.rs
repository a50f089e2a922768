//! Runs recorded beside the cases: the area classification and the screening manifest an import came from.
//! They hold aggregates only (areas' indicator values, counts, file digests), never person data, so that the
//! areas and screening pages can show where the target group came from and what the criteria would change.

use sha2::{Digest, Sha256};

/// What a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    /// `gennemgang areas --format json`: every area with its indicator values, criteria and outcome.
    Areas,
    /// The screening's manifest: rules version, criteria set, reference date, input digests, counts.
    Screening,
}

impl RunKind {
    /// The stored name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RunKind::Areas => "areas",
            RunKind::Screening => "screening",
        }
    }

    /// From the stored name.
    #[must_use]
    pub fn parse(name: &str) -> Option<RunKind> {
        match name {
            "areas" => Some(RunKind::Areas),
            "screening" => Some(RunKind::Screening),
            _ => None,
        }
    }
}

/// A run to record with an import (stored once per kind and content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRun {
    /// Kind.
    pub kind: RunKind,
    /// The JSON document as produced by the command.
    pub body: String,
}

impl NewRun {
    /// SHA-256 of the body, hex: the same document is recorded once.
    #[must_use]
    pub fn sha256(&self) -> String {
        Sha256::digest(self.body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A recorded run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Id, in recording order.
    pub id: i64,
    /// Kind.
    pub kind: RunKind,
    /// SHA-256 of the body.
    pub sha256: String,
    /// When it was recorded.
    pub recorded_at: jiff::Timestamp,
    /// The JSON document.
    pub body: String,
}

/// A run from its stored columns.
///
/// # Errors
/// A column does not parse.
pub fn run_row(
    id: i64,
    kind: &str,
    sha256: String,
    recorded_at: String,
    body: String,
) -> Result<Run, crate::StoreError> {
    let corrupt = |what: &str| crate::StoreError::Corrupt(format!("run {id}: {what}"));
    Ok(Run {
        id,
        kind: RunKind::parse(kind).ok_or_else(|| corrupt("kind"))?,
        sha256,
        recorded_at: recorded_at.parse().map_err(|_| corrupt("recorded_at"))?,
        body,
    })
}
