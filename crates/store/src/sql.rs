//! The SQL both adapters run, written once in PostgreSQL's numbered placeholders (`$1`); SQLite runs the
//! same text with `?1` ([`crate::shared::sqlite`], the one dialect hook, applied once per statement). What
//! only one database has (its catalogue, `VACUUM INTO`, row locks, advisory locks) stays in its adapter.

/// The access log, oldest first.
pub const ACCESS_LOG: &str = "SELECT at, actor_user, actor_role, actor_municipality, case_id, what, purpose, allowed FROM \
     access_log ORDER BY seq";

/// Every event, by case and version.
pub const ALL_EVENTS: &str = "SELECT seq, payload FROM events ORDER BY case_id, version";

/// Every case's snapshot, by id.
pub const ALL_SNAPSHOTS: &str = "SELECT id, snapshot FROM cases ORDER BY id";

/// One case's events, in order.
pub const CASE_EVENTS: &str = "SELECT seq, payload FROM events WHERE case_id = $1 ORDER BY version";

/// One case's snapshot.
pub const CASE_SNAPSHOT: &str = "SELECT snapshot FROM cases WHERE id = $1";

/// One case's version and snapshot, before an append.
pub const CASE_VERSION_AND_SNAPSHOT: &str = "SELECT version, snapshot FROM cases WHERE id = $1";

/// Counts one sign-in attempt in one statement (every SET reads the row as it was, and the row's lock
/// orders concurrent ones); returns the lock in force.
pub const COUNT_SIGN_IN_ATTEMPT: &str = "UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 > $1 THEN 0 ELSE failed_logins + 1 \
     END, locked_until = CASE WHEN failed_logins + 1 > $1 THEN $2 ELSE locked_until END WHERE \
     username = $3 RETURNING locked_until";

/// Ends a session.
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

/// Moves a session's expiry.
pub const EXTEND_SESSION: &str = "UPDATE sessions SET expires_at = $1 WHERE token_hash = $2";

/// Appends one access-log entry.
pub const INSERT_ACCESS: &str = "INSERT INTO access_log (at, actor_user, actor_role, actor_municipality, case_id, what, purpose, \
     allowed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Inserts a new case's projection.
pub const INSERT_CASE: &str = "INSERT INTO cases (id, cpr, home_municipality, deciding_municipality, phase, state, version, \
     snapshot, assigned_to, next_deadline) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Appends one linked event.
pub const INSERT_EVENT: &str = "INSERT INTO events (case_id, version, recorded_at, actor_user, actor_role, actor_municipality, \
     kind, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Records a run, once per document.
pub const INSERT_RUN: &str = "INSERT INTO runs (kind, sha256, recorded_at, body) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, \
     sha256) DO NOTHING";

/// Stores a new session.
pub const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, username, csrf, expires_at) VALUES ($1, $2, $3, $4)";

/// Deletes the sessions that expired before the cut-off.
pub const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at < $1";

/// Creates a user, or replaces its password, role and municipality (clearing a lockout).
pub const PUT_USER: &str = "INSERT INTO users (username, password_hash, role, municipality, failed_logins, locked_until) \
     VALUES ($1, $2, $3, $4, 0, NULL) ON CONFLICT (username) DO UPDATE SET password_hash = \
     excluded.password_hash, role = excluded.role, municipality = excluded.municipality, \
     failed_logins = 0, locked_until = NULL";

/// Records an applied migration.
pub const RECORD_MIGRATION: &str = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

/// Writes a projection folded again from its events (the version stays).
pub const REFOLD_CASE: &str = "UPDATE cases SET home_municipality = $1, deciding_municipality = $2, phase = $3, state = $4, \
     snapshot = $5, assigned_to = $6, next_deadline = $7 WHERE id = $8";

/// The runs, newest first.
pub const RUNS: &str = "SELECT id, kind, sha256, recorded_at, body FROM runs ORDER BY id DESC";

/// A session and its user, in one query (it runs on every request).
pub const SESSION_WITH_USER: &str = "SELECT s.token_hash, s.username, s.csrf, s.expires_at, u.password_hash, u.role, u.municipality, \
     u.failed_logins, u.locked_until FROM sessions s JOIN users u ON u.username = s.username WHERE \
     s.token_hash = $1";

/// Records failed sign-ins in a row and a lockout.
pub const SET_LOGIN_STATE: &str = "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE username = $3";

/// Every case's columns as stored, by id.
pub const STORED_COLUMNS: &str = "SELECT id, cpr, home_municipality, deciding_municipality, phase, state, version, assigned_to, \
     next_deadline FROM cases ORDER BY id";

/// Writes a case's projection after an event.
pub const UPDATE_CASE: &str = "UPDATE cases SET home_municipality = $1, deciding_municipality = $2, phase = $3, state = $4, \
     version = $5, snapshot = $6, assigned_to = $7, next_deadline = $8 WHERE id = $9 AND version = \
     $10";

/// One user.
pub const USER: &str = "SELECT username, password_hash, role, municipality, failed_logins, locked_until FROM users \
     WHERE username = $1";
