//! The row form of a case (a projection of its events, kept for fast reads) shared by the adapters.

use crate::StoreError;
use gennemgang_case::case::Case;

/// A case as stored in the `cases` table.
#[derive(Clone, Debug)]
pub struct CaseRow {
    /// Id.
    pub id: i64,
    /// Full CPR.
    pub cpr: String,
    /// Home municipality.
    pub home_municipality: i64,
    /// Deciding municipality.
    pub deciding_municipality: Option<i64>,
    /// Phase name.
    pub phase: &'static str,
    /// State name.
    pub state: &'static str,
    /// Version.
    pub version: i64,
    /// The case as JSON.
    pub snapshot: String,
    /// The assigned caseworker, for the worklist's scope.
    pub assigned_to: Option<String>,
    /// The next deadline (ISO date), for sorting the worklist.
    pub next_deadline: Option<String>,
    /// The citizen's name as a search compares it (`gennemgang_rules::text::folded`).
    pub name_key: String,
}

/// The row of a case.
///
/// # Errors
/// The case cannot be serialized (never for valid cases).
pub fn encode(case: &Case) -> Result<CaseRow, StoreError> {
    Ok(CaseRow {
        id: case.id,
        cpr: case.facts.cpr.clone(),
        home_municipality: i64::from(case.home_municipality),
        deciding_municipality: case.deciding_municipality.map(i64::from),
        phase: case.phase().name(),
        state: case.state.name(),
        version: i64::from(case.version),
        snapshot: serde_json::to_string(case).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        assigned_to: case.assigned_to.clone(),
        next_deadline: case.next_deadline().map(|(d, _)| d.to_string()),
        name_key: gennemgang_rules::text::folded(&case.citizen.name),
    })
}

/// The columns of a cases row as stored beside its snapshot (what the worklist filters and sorts by), to
/// be held against what the case's events give ([`encode`] of the fold).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredColumns {
    /// Id.
    pub id: i64,
    /// Full CPR.
    pub cpr: String,
    /// Home municipality.
    pub home_municipality: i64,
    /// Deciding municipality.
    pub deciding_municipality: Option<i64>,
    /// Phase name.
    pub phase: String,
    /// State name.
    pub state: String,
    /// Version.
    pub version: i64,
    /// The assigned caseworker.
    pub assigned_to: Option<String>,
    /// The next deadline (ISO date).
    pub next_deadline: Option<String>,
    /// The name as searched.
    pub name_key: String,
}

impl StoredColumns {
    /// The first column that differs from what `row` (the fold's encoding) says, with both values.
    #[must_use]
    pub fn differs_from(&self, row: &CaseRow) -> Option<(&'static str, String, String)> {
        let pairs = [
            // Compared, never shown: an error must not carry a CPR number.
            ("cpr", if self.cpr == row.cpr { String::new() } else { "skjult".into() }, String::new()),
            ("home_municipality", self.home_municipality.to_string(), row.home_municipality.to_string()),
            (
                "deciding_municipality",
                format!("{:?}", self.deciding_municipality),
                format!("{:?}", row.deciding_municipality),
            ),
            ("phase", self.phase.clone(), row.phase.to_owned()),
            ("state", self.state.clone(), row.state.to_owned()),
            ("version", self.version.to_string(), row.version.to_string()),
            ("assigned_to", format!("{:?}", self.assigned_to), format!("{:?}", row.assigned_to)),
            ("next_deadline", format!("{:?}", self.next_deadline), format!("{:?}", row.next_deadline)),
            // A name is person data: compared, never shown.
            ("name_key", if self.name_key == row.name_key { String::new() } else { "skjult".into() }, String::new()),
        ];
        pairs.into_iter().find(|(_, stored, folded)| stored != folded)
    }
}

/// A case from its snapshot.
///
/// # Errors
/// The snapshot does not parse.
pub fn decode(id: i64, snapshot: &str) -> Result<Case, StoreError> {
    serde_json::from_str(snapshot).map_err(|e| StoreError::Corrupt(format!("case {id}: {e}")))
}

/// Whether a snapshot was written by a release whose case shape is older than this one's: such a projection
/// is folded again from its events (the history is the truth; the projection only serves reads).
#[must_use]
pub fn stale_snapshot(snapshot: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default)]
        schema: u16,
    }
    serde_json::from_str::<Probe>(snapshot).map_or(true, |p| p.schema < gennemgang_case::event::SCHEMA)
}

/// The row of a case folded again from its stored event payloads (in version order).
///
/// # Errors
/// A payload does not parse, or the history does not fold.
pub fn refold(id: i64, payloads: &[(i64, String)]) -> Result<CaseRow, StoreError> {
    let events: Vec<_> = payloads.iter().map(|(seq, p)| decode_event(*seq, p)).collect::<Result<_, _>>()?;
    let case = Case::from_events(&events).map_err(|e| StoreError::Corrupt(format!("case {id}: {e}")))?;
    encode(&case)
}

/// An event from its payload.
///
/// # Errors
/// The payload does not parse.
pub fn decode_event(seq: i64, payload: &str) -> Result<gennemgang_case::case::Event, StoreError> {
    serde_json::from_str(payload).map_err(|e| StoreError::Corrupt(format!("event {seq}: {e}")))
}

/// Converts a stored version.
///
/// # Errors
/// Out of range.
pub fn version(v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("version {v}")))
}

/// An access-log entry from its columns.
///
/// # Errors
/// A column does not parse.
#[expect(clippy::too_many_arguments, reason = "one argument per column of the access_log table")]
pub fn access_entry(
    at: &str,
    user: String,
    role: &str,
    municipality: Option<i64>,
    case_id: Option<i64>,
    what: String,
    purpose: Option<String>,
    allowed: bool,
) -> Result<crate::AccessEntry, StoreError> {
    Ok(crate::AccessEntry {
        at: at.parse().map_err(|_| StoreError::Corrupt(format!("access time {at}")))?,
        user,
        role: gennemgang_case::actor::Role::from_name(role)
            .ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        municipality: municipality.and_then(|m| u16::try_from(m).ok()),
        case_id,
        what,
        purpose,
        allowed,
    })
}

/// A user from its columns.
///
/// # Errors
/// A column does not parse.
pub fn user_row(
    username: String,
    password_hash: String,
    role: &str,
    municipality: Option<i64>,
    failed_logins: i64,
    locked_until: Option<String>,
) -> Result<crate::User, StoreError> {
    Ok(crate::User {
        username,
        password_hash,
        role: gennemgang_case::actor::Role::from_name(role)
            .ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        municipality: municipality.and_then(|m| u16::try_from(m).ok()),
        failed_logins: u32::try_from(failed_logins).unwrap_or(u32::MAX),
        locked_until: locked_until
            .map(|t| t.parse().map_err(|_| StoreError::Corrupt(format!("locked_until {t}"))))
            .transpose()?,
    })
}

/// A lock read back from `column` (`table.column`, for the error).
///
/// # Errors
/// The stored text is not an instant.
pub fn lock(column: &str, stored: Option<String>) -> Result<Option<jiff::Timestamp>, StoreError> {
    stored.map(|t| t.parse().map_err(|e| StoreError::Corrupt(format!("{column} {t:?}: {e}")))).transpose()
}

/// A session from its columns.
///
/// # Errors
/// A column does not parse.
pub fn session_row(
    token_hash: String,
    username: String,
    csrf: String,
    expires_at: String,
) -> Result<crate::Session, StoreError> {
    Ok(crate::Session {
        token_hash,
        username,
        csrf,
        expires_at: expires_at.parse().map_err(|_| StoreError::Corrupt(format!("expires_at {expires_at}")))?,
    })
}
