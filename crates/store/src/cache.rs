//! What an adapter keeps between reads. Nothing in it can be stale, so several servers on one database
//! need no invalidation between them:
//! - a case decoded once per version: a version's snapshot is the fold of the events up to it, which never
//!   change, so a row whose version matches the one kept is the one kept;
//! - the worklist's counts per query, kept with the history's head they were read at and used only while
//!   the head has not moved (every change to a case appends an event, so an unmoved head is an unchanged
//!   `cases` table).
//!
//! Both are bounded: when full they are emptied and filled again by the reads that follow.

use crate::StoreError;
use crate::worklist::Value;
use gennemgang_case::case::Case;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Decoded cases kept at most (the national target group is about 5,000).
const CASES_KEPT: usize = 20_000;

/// Count queries kept at most (each scope, filter and name searched for is one).
const COUNTS_KEPT: usize = 1_000;

/// The counts by phase of one worklist query: its SQL and the values it binds.
type CountsKey = (String, Vec<Value>);

/// Cases by phase name, and the history's head they were counted at.
type Counted = (i64, Vec<(String, u64)>);

/// The cache an adapter holds (one per pool; clones share it).
#[derive(Debug, Default)]
pub struct ReadCache {
    cases: Mutex<HashMap<i64, Arc<Case>>>,
    counts: Mutex<HashMap<CountsKey, Counted>>,
}

impl ReadCache {
    /// The case `id` as decoded before, if that was at `version`.
    #[must_use]
    pub fn kept(&self, id: i64, version: i64) -> Option<Arc<Case>> {
        let kept = self.cases.lock().unwrap_or_else(PoisonError::into_inner).get(&id).cloned();
        kept.filter(|c| i64::from(c.version) == version)
    }

    /// The case of a row, its snapshot decoded (and kept).
    ///
    /// # Errors
    /// The snapshot does not decode, or is of another version than its row.
    pub fn decode(&self, id: i64, version: i64, snapshot: &str) -> Result<Arc<Case>, StoreError> {
        let case = Arc::new(crate::rows::decode(id, snapshot)?);
        if i64::from(case.version) != version {
            return Err(StoreError::Corrupt(format!(
                "case {id}: row version {version}, snapshot version {}",
                case.version
            )));
        }
        let mut cases = self.cases.lock().unwrap_or_else(PoisonError::into_inner);
        if cases.len() >= CASES_KEPT {
            cases.clear();
        }
        cases.insert(id, Arc::clone(&case));
        Ok(case)
    }

    /// The counts of `sql` with `values` if they were read at `head`.
    #[must_use]
    pub fn counts(&self, sql: &str, values: &[Value], head: i64) -> Option<Vec<(String, u64)>> {
        let key = (sql.to_owned(), values.to_vec());
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(&key).filter(|(at, _)| *at == head).map(|(_, by_phase)| by_phase.clone())
    }

    /// Keeps the counts of `sql` with `values` as read at `head`.
    pub fn keep_counts(&self, sql: String, values: Vec<Value>, head: i64, by_phase: Vec<(String, u64)>) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if counts.len() >= COUNTS_KEPT {
            counts.clear();
        }
        counts.insert((sql, values), (head, by_phase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gennemgang_case::action::{Action, Flag};
    use gennemgang_case::actor::Actor;
    use gennemgang_case::case::Event;
    use gennemgang_case::facts::{CaseFacts, Citizen, SchemeCode};
    use jiff::civil::date;

    fn snapshots() -> (String, String) {
        let facts = CaseFacts {
            cpr: "6105801001".into(),
            birth_date: date(1980, 5, 1),
            awarded_on: date(2015, 6, 1),
            scheme: SchemeCode::Pl,
            municipality_code: 159,
            area_id: "A1".into(),
            screened_as_of: date(2026, 12, 1),
            protected_veteran: false,
            screening_reason: "I målgruppen".into(),
            citizen: Citizen { name: "Hodan Warsame".into(), address: None, address_protected: false },
        };
        let event = |version, action| Event {
            case_id: 1,
            version,
            recorded_at: jiff::Timestamp::UNIX_EPOCH,
            actor: Actor::system(),
            action,
            outcome: gennemgang_case::event::Outcome::None,
            on: None,
            schema: gennemgang_case::event::SCHEMA,
        };
        let events =
            [event(1, Action::Import { facts }), event(2, Action::RegisterFlag { flag: Flag::NotInScreening })];
        let json = |n| serde_json::to_string(&Case::from_events(&events[..n]).expect("fold")).expect("json");
        (json(1), json(2))
    }

    #[test]
    fn a_case_is_decoded_once_per_version() {
        let (first, second) = snapshots();
        let cache = ReadCache::default();
        assert!(cache.kept(1, 1).is_none());
        assert_eq!(cache.decode(1, 1, &first).expect("decoded").version, 1);
        assert_eq!(cache.kept(1, 1).expect("kept").version, 1);
        assert!(cache.kept(1, 2).is_none(), "a newer version is not the one kept");
        let newer = cache.decode(1, 2, &second).expect("decoded");
        assert_eq!((newer.version, newer.flags.len()), (2, 1));
        assert_eq!(cache.kept(1, 2).expect("kept").flags.len(), 1);
        // A row whose snapshot is of another version than its column is corrupt, never served or kept.
        assert!(matches!(cache.decode(7, 5, &first), Err(StoreError::Corrupt(_))));
        assert!(cache.kept(7, 1).is_none());
    }

    #[test]
    fn counts_are_kept_only_while_the_head_stands_still() {
        let cache = ReadCache::default();
        let values = vec![Value::Int(159)];
        cache.keep_counts("SELECT counts".into(), values.clone(), 7, vec![("review".into(), 3)]);
        assert_eq!(cache.counts("SELECT counts", &values, 7), Some(vec![("review".into(), 3)]));
        assert_eq!(cache.counts("SELECT counts", &values, 8), None, "the history moved");
        assert_eq!(cache.counts("SELECT counts", &[Value::Int(751)], 7), None, "another scope");
        assert_eq!(cache.counts("SELECT other", &values, 7), None, "another query");
    }
}
