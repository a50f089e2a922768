//! The access log: every read of person data, and every refused attempt, with who, when and why.

use gennemgang_case::actor::Role;
use serde::{Deserialize, Serialize};

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// When.
    pub at: jiff::Timestamp,
    /// Who.
    pub user: String,
    /// In which role.
    pub role: Role,
    /// For which municipality.
    pub municipality: Option<u16>,
    /// The case read, if one.
    pub case_id: Option<i64>,
    /// What was read (e.g. `case`, `events`, `health_information`, `list`).
    pub what: String,
    /// The stated purpose, for sensitive reads.
    pub purpose: Option<String>,
    /// Whether access was granted.
    pub allowed: bool,
}
