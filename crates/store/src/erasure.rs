//! A closed case erased after its retention: the one change the history allows to rows already written.
//!
//! The erasure is itself an event at the end of the chain (kind [`ERASURE`], its payload an [`Erasure`]:
//! when, by whom, under which retention setting, how many events it erased), hashed and linked like any
//! other. Each of the case's earlier events keeps its row, its place, its columns and its hash, and its
//! payload becomes a tombstone naming the erasure (`{"erased":SEQ}`, kind [`ERASED`]). The chain still
//! proves itself: every link is checked, every hash after a tombstone covers the tombstone's hash, and a
//! tombstone is accepted only with the erasure it names. The case's projection and the documents no other
//! case holds are deleted with it; its access-log entries are kept (they hold who read which case number and
//! why, never the person's data). The database's triggers allow exactly this update and nothing else.

use crate::chain::{Linked, hash};
use serde::{Deserialize, Serialize};

/// The kind of an erased event's row: its payload is a tombstone.
pub const ERASED: &str = "erased";

/// The kind of the event that records an erasure.
pub const ERASURE: &str = "erasure";

/// The role column of an erasure event: it is done by the retention procedure, not by a role of the review.
pub const ERASURE_ROLE: &str = "retention";

/// What an erasure records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    /// When (the server's clock).
    pub at: jiff::Timestamp,
    /// Who ran it (the operator's or archive officer's name).
    pub by: String,
    /// The day the case was closed.
    pub closed_on: jiff::civil::Date,
    /// The last day it was to be kept.
    pub kept_until: jiff::civil::Date,
    /// The retention setting it was erased under: years after closing, its source and the day it applies from.
    pub years_after_closing: u16,
    /// The archive rule the period comes from.
    pub source: String,
    /// The day the setting applies from.
    pub valid_from: jiff::civil::Date,
    /// The case's events it replaced by tombstones (its versions 1 to this).
    pub events: u32,
}

/// The stored payload of an erasure event (`{"erasure":{…}}`), exactly as hashed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    erasure: Erasure,
}

impl Erasure {
    /// The erasure of a case's `events` events, linked after `previous` as the case's next version.
    ///
    /// # Errors
    /// Never for a valid erasure (serde_json fails only on non-string map keys).
    pub fn link(&self, previous: &str, case_id: i64) -> Result<Linked, serde_json::Error> {
        let payload = serde_json::to_string(&Stored { erasure: self.clone() })?;
        let version = self.events + 1;
        Ok(Linked {
            case_id,
            version,
            recorded_at: self.at.to_string(),
            user: self.by.clone(),
            role: ERASURE_ROLE,
            municipality: None,
            kind: ERASURE,
            hash: hash(previous, case_id, version, &payload),
            payload,
            prev_hash: previous.to_owned(),
        })
    }

    /// The erasure a stored payload records.
    ///
    /// # Errors
    /// The payload is not an erasure's.
    pub fn parse(payload: &str) -> Result<Erasure, serde_json::Error> {
        serde_json::from_str::<Stored>(payload).map(|s| s.erasure)
    }
}

/// The payload an erased event keeps: the erasure that replaced it, by its place in the history.
#[must_use]
pub fn tombstone(erasure_seq: i64) -> String {
    format!("{{\"erased\":{erasure_seq}}}")
}

/// The erasure a tombstone names, if the payload is one exactly as [`tombstone`] writes it.
#[must_use]
pub fn named_by(payload: &str) -> Option<i64> {
    let seq = payload.strip_prefix("{\"erased\":")?.strip_suffix('}')?;
    let seq: i64 = seq.parse().ok()?;
    (tombstone(seq) == payload).then_some(seq)
}

/// An erasure of `events` events for the tests of this crate.
#[cfg(test)]
pub(crate) fn sample(events: u32) -> Erasure {
    Erasure {
        at: "2032-01-05T10:00:00Z".parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        by: "arkivar".into(),
        closed_on: jiff::civil::date(2027, 1, 4),
        kept_until: jiff::civil::date(2032, 1, 4),
        years_after_closing: 5,
        source: "Bevaringsplan pkt. 4".into(),
        valid_from: jiff::civil::date(2026, 12, 1),
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::{Erasure, named_by, sample, tombstone};

    #[test]
    fn a_tombstone_names_its_erasure_in_one_form_only() {
        assert_eq!(named_by(&tombstone(42)), Some(42));
        for other in ["{\"erased\":042}", "{\"erased\": 42}", "{\"erased\":42} ", "{\"erased\":+42}", "{}"] {
            assert_eq!(named_by(other), None, "{other}");
        }
    }

    #[test]
    fn an_erasure_is_linked_as_the_case_s_next_version_and_reads_back() {
        let e = sample(7);
        let linked = e.link(crate::chain::GENESIS, 3).expect("links");
        assert_eq!((linked.version, linked.kind, linked.prev_hash.as_str()), (8, "erasure", crate::chain::GENESIS));
        assert_eq!(linked.hash, crate::chain::hash(crate::chain::GENESIS, 3, 8, &linked.payload));
        assert_eq!(Erasure::parse(&linked.payload).expect("parses"), e);
        assert!(Erasure::parse("{\"erasure\":{}}").is_err());
    }
}
