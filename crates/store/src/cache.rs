//! What an adapter keeps between reads. Nothing in it can be stale, so several servers on one database
//! need no invalidation between them:
//! - a case decoded once per version: a version's snapshot is the fold of the events up to it, which never
//!   change, so a row whose version matches the one kept is the one kept;
//! - the worklist's counts per query, kept with the history's head they were read at and used only while
//!   the head has not moved (every change to a case appends an event, so an unmoved head is an unchanged
//!   `cases` table);
//! - every case's search key (`cases.name_key`), kept with the head it was read at, so that a search by
//!   name need not read every key with `LIKE`: the page the found ids select is read with the head, and
//!   is shown only if that head is the one the keys were read at.
//!
//! All are bounded: when full they are emptied and filled again by the reads that follow.

use crate::StoreError;
use crate::worklist::Value;
use gennemgang_case::case::Case;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Decoded cases kept at most (the national target group is about 5,000).
const CASES_KEPT: usize = 20_000;

/// Count queries kept at most (each scope, filter and name searched for is one).
const COUNTS_KEPT: usize = 1_000;

/// Cases a search by name may find before it is left to `LIKE`: the ids are bound one by one.
const NAMES_BOUND: usize = 2_000;

/// The counts by phase of one worklist query: its SQL and the values it binds.
type CountsKey = (String, Vec<Value>);

/// Cases by phase name, and the history's head they were counted at.
type Counted = (i64, Vec<(String, u64)>);

/// The cache an adapter holds (one per pool; clones share it).
#[derive(Debug, Default)]
pub struct ReadCache {
    cases: Mutex<HashMap<i64, Arc<Case>>>,
    counts: Mutex<HashMap<CountsKey, Counted>>,
    names: Mutex<Option<Arc<Names>>>,
}

/// Every case's search key at one head of the history, in id order.
#[derive(Debug)]
pub struct Names {
    /// The head they were read at (`MAX(seq)` of `events`, 0 for none).
    pub head: i64,
    /// The keys one after the other, each ended by a line break (which no key holds), so that one scan
    /// searches them all.
    text: String,
    /// Where each key starts in `text`, and its case.
    starts: Vec<(usize, i64)>,
}

impl Names {
    /// The keys as read at `head`: (case id, `name_key`) in any order.
    #[must_use]
    pub fn new(head: i64, mut keys: Vec<(i64, Box<str>)>) -> Names {
        keys.sort_unstable_by_key(|(id, _)| *id);
        let mut text = String::with_capacity(keys.iter().map(|(_, k)| k.len() + 1).sum());
        let mut starts = Vec::with_capacity(keys.len());
        for (id, key) in &keys {
            starts.push((text.len(), *id));
            // A key is letters, digits and spaces (`folded`); a break in a corrupt one must not join two.
            text.extend(key.chars().map(|c| if c == '\n' { ' ' } else { c }));
            text.push('\n');
        }
        Names { head, text, starts }
    }

    /// The ids, in order, of the cases whose key holds `name` (itself a key: the `LIKE '%name%'` of
    /// [`crate::worklist::statements`]), or `None` when they are too many to bind.
    #[must_use]
    pub fn holding(&self, name: &str) -> Option<Vec<i64>> {
        if name.contains('\n') {
            return Some(Vec::new());
        }
        if name.is_empty() {
            return (self.starts.len() <= NAMES_BOUND).then(|| self.starts.iter().map(|(_, id)| *id).collect());
        }
        let mut ids = Vec::new();
        let mut next_key = 0;
        for at in memchr::memmem::find_iter(self.text.as_bytes(), name.as_bytes()) {
            if at < next_key {
                continue;
            }
            // The key the match starts in, and where the next one starts (a key is counted once).
            let key = self.starts.partition_point(|(start, _)| *start <= at) - 1;
            next_key = self.starts.get(key + 1).map_or(usize::MAX, |(start, _)| *start);
            if ids.len() == NAMES_BOUND {
                return None;
            }
            ids.push(self.starts[key].1);
        }
        Some(ids)
    }
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

    /// The search keys last read, whatever head they were read at (the reader compares it).
    #[must_use]
    pub fn names(&self) -> Option<Arc<Names>> {
        self.names.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Keeps `names` unless keys read at a later head are kept already.
    pub fn keep_names(&self, names: Arc<Names>) {
        let mut kept = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.as_ref().is_none_or(|k| k.head <= names.head) {
            *kept = Some(names);
        }
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

    #[test]
    fn names_are_found_as_like_finds_them_and_kept_by_their_head() {
        let names = Names::new(9, vec![(3, "ali ozturk".into()), (1, "ayse ozturk 2".into()), (2, "hodan".into())]);
        assert_eq!(names.holding("ozturk"), Some(vec![1, 3]), "in id order");
        assert_eq!(names.holding("k 2"), Some(vec![1]), "across the space, as LIKE '%k 2%'");
        assert_eq!(names.holding("zz"), Some(vec![]));
        assert_eq!(names.holding("ozturk 2\nhodan"), Some(vec![]), "never across two keys");
        assert_eq!(names.holding("n"), Some(vec![2]), "the last key");
        assert_eq!(names.holding("a"), Some(vec![1, 2, 3]), "each key once, however often it holds the name");
        assert_eq!(names.holding(""), Some(vec![1, 2, 3]), "as LIKE '%%'");
        let many = Names::new(1, (0..=2_000).map(|id| (id, "nielsen".into())).collect());
        assert_eq!(many.holding("niel"), None, "too many to bind: left to LIKE");
        assert_eq!(many.holding("nielsen").map(|v| v.len()), None);
        let cache = ReadCache::default();
        assert!(cache.names().is_none());
        cache.keep_names(Arc::new(names));
        cache.keep_names(Arc::new(Names::new(4, vec![])));
        assert_eq!(cache.names().map(|n| n.head), Some(9), "keys from an earlier head do not replace later ones");
        cache.keep_names(Arc::new(Names::new(10, vec![])));
        assert_eq!(cache.names().map(|n| n.head), Some(10));
    }
}
