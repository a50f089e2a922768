//! Versioned, forward-only migrations: each adapter lists its numbered SQL files, and a database records
//! in `schema_migrations` which it has. What to apply, and what a database made before versioning is, is
//! decided here once; each adapter runs it in its dialect under its own lock.

use crate::StoreError;

/// One migration: its number (from 1, one more each time), a name, and the SQL that takes a database
/// from the number before it to this one.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// Its number.
    pub version: u32,
    /// What it does, in a few words (`access_log_by_case`).
    pub name: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// The table every migrated database has.
pub const TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

/// Where a database stands against the migrations this program knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The database's schema version (0: empty).
    pub database: u32,
    /// The newest this program knows.
    pub known: u32,
    /// What `migrate` would apply, in order.
    pub pending: Vec<(u32, &'static str)>,
}

/// A database's status against `migrations`.
#[must_use]
pub fn status(database: u32, migrations: &[Migration]) -> SchemaStatus {
    SchemaStatus {
        database,
        known: known(migrations),
        pending: migrations.iter().filter(|m| m.version > database).map(|m| (m.version, m.name)).collect(),
    }
}

fn known(migrations: &[Migration]) -> u32 {
    migrations.last().map_or(0, |m| m.version)
}

/// The migrations to apply to a database at `database`, in order.
///
/// # Errors
/// The database is newer than this program: it was migrated by a later release, whose data this one
/// could misread, so it is not used at all.
pub fn pending(database: u32, migrations: &[Migration]) -> Result<&[Migration], StoreError> {
    let known = known(migrations);
    if database > known {
        return Err(StoreError::SchemaTooNew { database, known });
    }
    let first = migrations.iter().position(|m| m.version > database).unwrap_or(migrations.len());
    Ok(&migrations[first..])
}

/// The steps of a migration from `database`: each migration the database is to be recorded as having,
/// with whether its SQL is to run (a database from before numbering, `numbered` false, is recorded as
/// having what it has without running it again).
///
/// # Errors
/// As [`pending`].
pub fn plan(database: u32, numbered: bool, migrations: &[Migration]) -> Result<Vec<(&Migration, bool)>, StoreError> {
    pending(database, migrations)?;
    Ok(migrations.iter().filter(|m| m.version > database || !numbered).map(|m| (m, m.version > database)).collect())
}

/// What the schema of a database made before migrations were numbered (the releases up to 3 December
/// 2026, which set the schema up by hand) is: 0 without a `cases` table, 2 when its cases have the
/// worklist's columns, else 1.
#[must_use]
pub fn before_versioning(has_cases: bool, has_worklist_columns: bool) -> u32 {
    match (has_cases, has_worklist_columns) {
        (false, _) => 0,
        (true, false) => 1,
        (true, true) => 2,
    }
}

/// Checks that `migrations` are numbered 1, 2, 3 … (a test of each adapter calls it).
///
/// # Errors
/// The first out of order, by its name.
pub fn check_numbering(migrations: &[Migration]) -> Result<(), String> {
    for (i, m) in migrations.iter().enumerate() {
        if usize::try_from(m.version).ok() != Some(i + 1) {
            return Err(format!("migration {} ({}) should be number {}", m.version, m.name, i + 1));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: [Migration; 3] = [
        Migration { version: 1, name: "initial", sql: "" },
        Migration { version: 2, name: "worklist", sql: "" },
        Migration { version: 3, name: "index", sql: "" },
    ];

    #[test]
    fn pending_are_the_ones_after_the_database_and_a_newer_database_is_refused() {
        let versions = |d| pending(d, &M).map(|p| p.iter().map(|m| m.version).collect::<Vec<_>>()).ok();
        assert_eq!(versions(0), Some(vec![1, 2, 3]));
        assert_eq!(versions(2), Some(vec![3]));
        assert_eq!(versions(3), Some(vec![]));
        assert!(matches!(pending(4, &M), Err(StoreError::SchemaTooNew { database: 4, known: 3 })));
        assert_eq!(status(1, &M), SchemaStatus { database: 1, known: 3, pending: vec![(2, "worklist"), (3, "index")] });
    }

    #[test]
    fn a_plan_records_what_an_unnumbered_database_has_and_runs_the_rest() {
        let steps = |d, n| plan(d, n, &M).map(|p| p.iter().map(|(m, run)| (m.version, *run)).collect::<Vec<_>>()).ok();
        assert_eq!(steps(2, false), Some(vec![(1, false), (2, false), (3, true)]));
        assert_eq!(steps(2, true), Some(vec![(3, true)]));
        assert_eq!(steps(0, false), Some(vec![(1, true), (2, true), (3, true)]));
        assert_eq!(steps(3, true), Some(vec![]));
        assert!(plan(4, true, &M).is_err());
    }

    #[test]
    fn a_database_from_before_versioning_is_read_from_its_tables() {
        assert_eq!(before_versioning(false, false), 0);
        assert_eq!(before_versioning(true, false), 1);
        assert_eq!(before_versioning(true, true), 2);
    }

    #[test]
    fn numbering_must_run_from_one_without_gaps() {
        assert!(check_numbering(&M).is_ok());
        assert!(check_numbering(&M[1..]).is_err());
    }
}
