//! The hash chain: each event's hash covers the previous event's hash and the event itself, so that no
//! event can be changed, removed or inserted without `audit verify` noticing. The columns stored beside
//! the payload (when, who, which action) must say what the hashed payload says. The access log is not
//! linked as it is written (every read writes a row, and a link would serialise them all); it is digested
//! in order when verified ([`AccessDigest`]), and a head of it checked like the events' head.

use gennemgang_case::case::Event;
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The stored form of an event: its JSON, exactly as hashed.
///
/// # Errors
/// Never for a valid event (serde_json fails only on non-string map keys).
pub fn payload(event: &Event) -> Result<String, serde_json::Error> {
    serde_json::to_string(event)
}

/// SHA-256 (hex) of the previous hash, the case id, the version and the payload.
#[must_use]
pub fn hash(previous: &str, case_id: i64, version: u32, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(case_id.to_string().as_bytes());
    h.update(b"\n");
    h.update(version.to_string().as_bytes());
    h.update(b"\n");
    h.update(payload.as_bytes());
    hex(&h.finalize())
}

/// Lowercase hex of `bytes`.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// One stored event row, as the verifier reads it.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    /// Position in the global history.
    pub seq: i64,
    /// Case.
    pub case_id: i64,
    /// Version.
    pub version: u32,
    /// JSON payload.
    pub payload: String,
    /// Stored previous hash.
    pub prev_hash: String,
    /// Stored hash.
    pub hash: String,
    /// The columns beside the payload, as stored.
    pub columns: EventColumns,
}

/// The columns an events row holds beside its payload (what lists and reports read without parsing it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventColumns {
    /// `recorded_at`.
    pub recorded_at: String,
    /// `actor_user`.
    pub user: String,
    /// `actor_role`.
    pub role: String,
    /// `actor_municipality`.
    pub municipality: Option<i64>,
    /// `kind`.
    pub kind: String,
}

impl EventColumns {
    /// The columns `event` is stored with.
    #[must_use]
    pub fn of(event: &Event) -> EventColumns {
        EventColumns {
            recorded_at: event.recorded_at.to_string(),
            user: event.actor.user.clone(),
            role: event.actor.role.name().to_owned(),
            municipality: event.actor.municipality.map(i64::from),
            kind: event.action.name().to_owned(),
        }
    }

    /// The first column that differs from `other`, by name.
    fn differs_from(&self, other: &EventColumns) -> Option<&'static str> {
        [
            ("recorded_at", same_instant(&self.recorded_at, &other.recorded_at)),
            ("actor_user", self.user == other.user),
            ("actor_role", self.role == other.role),
            ("actor_municipality", self.municipality == other.municipality),
            ("kind", self.kind == other.kind),
        ]
        .into_iter()
        .find_map(|(name, same)| (!same).then_some(name))
    }
}

/// Whether two stored instants are one: the same text, or the same instant to the microsecond that
/// PostgreSQL's `timestamptz` keeps (it rounds the nanoseconds the payload holds). The payload, which the
/// hash covers, keeps the nanoseconds.
fn same_instant(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(a), Ok(b)) => (a.as_nanosecond() - b.as_nanosecond()).abs() <= 500,
        _ => false,
    }
}

/// The first place the chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("event {seq} (case {case_id}, version {version}) does not match: {what}")]
pub struct ChainBreak {
    /// Position.
    pub seq: i64,
    /// Case.
    pub case_id: i64,
    /// Version.
    pub version: u32,
    /// What is wrong.
    pub what: String,
}

/// Where the history ends: how many events, and the last one's hash. Printed by `audit verify` and given
/// back to a later run, it catches a tail that was cut off or written anew (which the links alone cannot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// Events in the history.
    pub events: u64,
    /// The hash of the last (64 lowercase hex digits; all zeros for an empty history).
    pub hash: String,
}

impl std::str::FromStr for Head {
    type Err = String;

    /// `N:HASH`.
    fn from_str(s: &str) -> Result<Head, String> {
        let (n, hash) = s.split_once(':').ok_or("expected N:HASH")?;
        let events = n.parse().map_err(|_| format!("\"{n}\" is not a number of events"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err("the hash is not 64 lowercase hex digits".into());
        }
        // The head of an empty history is the genesis: any other hash for 0 events names nothing.
        if events == 0 && hash != GENESIS {
            return Err(format!("a head of 0 events has the genesis hash {GENESIS}"));
        }
        Ok(Head { events, hash: hash.to_owned() })
    }
}

/// The result of a walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReport {
    /// All events verify; the history ends here.
    Intact(Head),
    /// The first break.
    Broken(ChainBreak),
}

/// Verifies events in `seq` order (call repeatedly with consecutive batches, carrying `state`), then
/// [`Verifier::finish`].
#[derive(Clone, Debug)]
pub struct Verifier {
    previous: String,
    count: u64,
    /// Tombstones whose erasure is still to come, by case.
    tombstones: std::collections::HashMap<i64, Tombstones>,
    /// Cases erased so far: nothing more may be written to them.
    erased: std::collections::HashSet<i64>,
}

/// A case's tombstones met so far: the erasure they name, how many, and where the first is.
#[derive(Clone, Copy, Debug)]
struct Tombstones {
    erasure: i64,
    count: u32,
    first_seq: i64,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            previous: GENESIS.to_owned(),
            count: 0,
            tombstones: std::collections::HashMap::new(),
            erased: std::collections::HashSet::new(),
        }
    }
}

impl Verifier {
    /// Checks the next event.
    ///
    /// # Errors
    /// The event's links, hash or payload do not match.
    pub fn check(&mut self, e: &StoredEvent) -> Result<(), ChainBreak> {
        let fail = |what: String| ChainBreak { seq: e.seq, case_id: e.case_id, version: e.version, what };
        if e.prev_hash != self.previous {
            return Err(fail("the link to the previous event is broken (an event was removed or inserted)".into()));
        }
        if self.erased.contains(&e.case_id) {
            return Err(fail("it was written to a case after the case was erased".into()));
        }
        match e.columns.kind.as_str() {
            crate::erasure::ERASED => self.check_tombstone(e),
            crate::erasure::ERASURE => self.check_erasure(e),
            _ => check_event(e),
        }
        .map_err(fail)?;
        self.previous.clone_from(&e.hash);
        self.count += 1;
        Ok(())
    }

    /// A tombstone: its hash covered the payload it had, and the links on both sides and its case's erasure
    /// (which must follow) still prove it; its case's versions come one after the other (the version is
    /// not hashed).
    fn check_tombstone(&mut self, e: &StoredEvent) -> Result<(), String> {
        let erasure = crate::erasure::named_by(&e.payload).ok_or("an erased event's payload is not a tombstone")?;
        let met = self.tombstones.entry(e.case_id).or_insert(Tombstones { erasure, count: 0, first_seq: e.seq });
        if met.erasure != erasure || erasure <= e.seq {
            return Err("the tombstone names another erasure than the case's".into());
        }
        if e.version != met.count + 1 {
            return Err("an erased event's version is out of its case's order".into());
        }
        met.count += 1;
        Ok(())
    }

    /// An erasure: hashed like any event, recorded with its own columns, and preceded by a tombstone for
    /// every one of the case's events (its versions 1 to the erasure's count).
    fn check_erasure(&mut self, e: &StoredEvent) -> Result<(), String> {
        hashed(e)?;
        let erasure = crate::erasure::Erasure::parse(&e.payload).map_err(|err| format!("unreadable erasure: {err}"))?;
        let expected = EventColumns {
            recorded_at: erasure.at.to_string(),
            user: erasure.by.clone(),
            role: crate::erasure::ERASURE_ROLE.to_owned(),
            municipality: None,
            kind: crate::erasure::ERASURE.to_owned(),
        };
        if let Some(column) = e.columns.differs_from(&expected) {
            return Err(format!("the stored column {column} is not what its hashed erasure says"));
        }
        let met = self.tombstones.remove(&e.case_id).map(|t| (t.erasure, t.count));
        if e.version != erasure.events + 1 || met != Some((e.seq, erasure.events)) {
            return Err(format!("the erasure of {} events does not follow a tombstone for each", erasure.events));
        }
        self.erased.insert(e.case_id);
        Ok(())
    }

    /// The end of the history: every tombstone must have met its erasure.
    ///
    /// # Errors
    /// The first tombstone whose erasure is not in the history.
    pub fn finish(&self) -> Result<(), ChainBreak> {
        match self.tombstones.iter().map(|(case_id, t)| (t.first_seq, *case_id)).min() {
            None => Ok(()),
            // A case's first tombstone is its version 1 (they come in order).
            Some((seq, case_id)) => Err(ChainBreak {
                seq,
                case_id,
                version: 1,
                what: "it was erased, and the history holds no erasure of its case".into(),
            }),
        }
    }

    /// Events checked so far.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The head so far.
    #[must_use]
    pub fn head(&self) -> Head {
        Head { events: self.count, hash: self.previous.clone() }
    }
}

/// That the event's hash covers what it holds.
fn hashed(e: &StoredEvent) -> Result<(), String> {
    if hash(&e.prev_hash, e.case_id, e.version, &e.payload) == e.hash {
        Ok(())
    } else {
        Err("its hash does not match its content (it was changed)".into())
    }
}

/// An event of the review: its hash covers its payload, which is the event the columns say.
fn check_event(e: &StoredEvent) -> Result<(), String> {
    hashed(e)?;
    let event: Event = serde_json::from_str(&e.payload).map_err(|err| format!("unreadable payload: {err}"))?;
    if event.case_id != e.case_id || event.version != e.version {
        return Err("the payload names another case or version".into());
    }
    if let Some(column) = e.columns.differs_from(&EventColumns::of(&event)) {
        return Err(format!("the stored column {column} is not what its hashed payload says"));
    }
    Ok(())
}

/// An event ready to be written: its payload and its place in the chain.
#[derive(Clone, Debug)]
pub struct Linked {
    /// Case.
    pub case_id: i64,
    /// Version.
    pub version: u32,
    /// Recorded at (RFC 3339), for the row.
    pub recorded_at: String,
    /// Actor's user.
    pub user: String,
    /// Actor's role.
    pub role: &'static str,
    /// Actor's municipality.
    pub municipality: Option<u16>,
    /// Action name.
    pub kind: &'static str,
    /// JSON payload.
    pub payload: String,
    /// Previous hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// Links events after `previous`, in order.
///
/// # Errors
/// An event cannot be serialized (never for valid events).
pub fn link(previous: &str, events: &[Event]) -> Result<Vec<Linked>, serde_json::Error> {
    let mut prev = previous.to_owned();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let payload = payload(e)?;
        let hash = hash(&prev, e.case_id, e.version, &payload);
        out.push(Linked {
            case_id: e.case_id,
            version: e.version,
            recorded_at: e.recorded_at.to_string(),
            user: e.actor.user.clone(),
            role: e.actor.role.name(),
            municipality: e.actor.municipality,
            kind: e.action.name(),
            payload,
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    Ok(out)
}

/// A walk over the whole history in batches, fed in `seq` order ([`Walk::after`] says from where): the
/// adapter reads every batch in one snapshot of the database, so that a change committed meanwhile (an
/// erasure turning events already read into tombstones) is not half seen. With `earlier`, a head printed
/// by an earlier walk, the event it names must still be there with its hash.
#[derive(Debug)]
pub struct Walk<'a> {
    verifier: Verifier,
    after: i64,
    last_seen: Option<(i64, i64, u32)>,
    earlier: Option<&'a Head>,
}

impl<'a> Walk<'a> {
    /// A walk from the start.
    #[must_use]
    pub fn new(earlier: Option<&'a Head>) -> Walk<'a> {
        Walk { verifier: Verifier::default(), after: 0, last_seen: None, earlier }
    }

    /// The next batch starts after this `seq`.
    #[must_use]
    pub fn after(&self) -> i64 {
        self.after
    }

    /// Checks the next batch (the events with `seq` after [`Walk::after`], in order; an empty one at the
    /// end): the report when the walk is over, `None` while it goes on.
    pub fn feed(&mut self, batch: &[StoredEvent]) -> Option<ChainReport> {
        let Some(last) = batch.last() else { return Some(self.end()) };
        self.after = last.seq;
        for e in batch {
            if let Err(broken) = self.verifier.check(e) {
                return Some(ChainReport::Broken(broken));
            }
            self.last_seen = Some((e.seq, e.case_id, e.version));
            if let Some(head) = self.earlier
                && self.verifier.count() == head.events
                && e.hash != head.hash
            {
                return Some(ChainReport::Broken(ChainBreak {
                    seq: e.seq,
                    case_id: e.case_id,
                    version: e.version,
                    what: format!(
                        "event {} is not the one of the earlier head (the tail was written anew)",
                        head.events
                    ),
                }));
            }
        }
        None
    }

    fn end(&self) -> ChainReport {
        match self.earlier {
            Some(head) if self.verifier.count() < head.events => {
                let (seq, case_id, version) = self.last_seen.unwrap_or((0, 0, 0));
                ChainReport::Broken(ChainBreak {
                    seq,
                    case_id,
                    version,
                    what: format!(
                        "the history ends after {} events; event {} of the earlier head is gone (the tail was cut off)",
                        self.verifier.count(),
                        head.events
                    ),
                })
            }
            _ => match self.verifier.finish() {
                Ok(()) => ChainReport::Intact(self.verifier.head()),
                Err(broken) => ChainReport::Broken(broken),
            },
        }
    }
}

/// The access log digested in order: each entry's digest covers the previous digest and every field of
/// the entry (length-prefixed, so no two entries digest alike), and the head after M entries is `M:HASH`
/// like the events' head. A head printed by an earlier run catches an entry changed, removed or inserted
/// among the first M, and a log cut shorter than M.
#[derive(Clone, Debug)]
pub struct AccessDigest {
    previous: String,
    count: u64,
}

impl Default for AccessDigest {
    fn default() -> Self {
        AccessDigest { previous: GENESIS.to_owned(), count: 0 }
    }
}

impl AccessDigest {
    /// Adds the next entry.
    pub fn add(&mut self, e: &crate::AccessEntry) {
        let mut h = Sha256::new();
        h.update(self.previous.as_bytes());
        let municipality = e.municipality.map(|m| m.to_string()).unwrap_or_default();
        let case = e.case_id.map(|c| c.to_string()).unwrap_or_default();
        let purpose = e.purpose.as_deref().map_or_else(|| "-".to_owned(), |p| format!("+{p}"));
        for field in [
            e.at.to_string().as_str(),
            &e.user,
            e.role.name(),
            &municipality,
            &case,
            &e.what,
            &purpose,
            if e.allowed { "1" } else { "0" },
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        self.previous = hex(&h.finalize());
        self.count += 1;
    }

    /// The head so far.
    #[must_use]
    pub fn head(&self) -> Head {
        Head { events: self.count, hash: self.previous.clone() }
    }

    /// Digests `entries` (the whole log, in order) and, with `earlier`, checks that its first
    /// `earlier.events` entries still give `earlier.hash`.
    ///
    /// # Errors
    /// What does not match, in English for the operator.
    pub fn verify(entries: &[crate::AccessEntry], earlier: Option<&Head>) -> Result<Head, String> {
        let mut digest = AccessDigest::default();
        for e in entries {
            digest.add(e);
            if let Some(head) = earlier
                && digest.count == head.events
                && digest.previous != head.hash
            {
                return Err(format!(
                    "the first {} entries of the access log are not the ones of the earlier head (an entry was \
                     changed, removed or inserted)",
                    head.events
                ));
            }
        }
        if let Some(head) = earlier
            && digest.count < head.events
        {
            return Err(format!(
                "the access log has {} entries; the earlier head had {} (entries were removed)",
                digest.count, head.events
            ));
        }
        Ok(digest.head())
    }
}

#[cfg(test)]
mod tests {
    use super::{EventColumns, StoredEvent, Verifier, hash};
    use crate::erasure::{ERASED, sample as erasure, tombstone};

    /// Rows as stored after case 1's `tombstones` events were erased by the erasure of `events` at seq
    /// `tombstones + 1`, each linked to the one before.
    fn erased(tombstones: u32, events: u32, named: i64) -> Vec<StoredEvent> {
        let mut rows = Vec::new();
        let mut previous = super::GENESIS.to_owned();
        for version in 1..=tombstones {
            let kept = hash(&previous, 1, version, "the payload it had");
            rows.push(StoredEvent {
                seq: i64::from(version),
                case_id: 1,
                version,
                payload: tombstone(named),
                prev_hash: std::mem::replace(&mut previous, kept.clone()),
                hash: kept,
                columns: EventColumns {
                    recorded_at: "2027-01-04T09:00:00Z".into(),
                    user: "sb".into(),
                    role: "home_caseworker".into(),
                    municipality: Some(159),
                    kind: ERASED.into(),
                },
            });
        }
        let linked = erasure(events).link(&previous, 1).expect("links");
        rows.push(StoredEvent {
            seq: i64::from(tombstones) + 1,
            case_id: 1,
            version: linked.version,
            columns: EventColumns {
                recorded_at: linked.recorded_at,
                user: linked.user,
                role: linked.role.into(),
                municipality: None,
                kind: linked.kind.into(),
            },
            payload: linked.payload,
            prev_hash: linked.prev_hash,
            hash: linked.hash,
        });
        rows
    }

    fn walk(rows: &[StoredEvent]) -> Result<u64, String> {
        let mut v = Verifier::default();
        for row in rows {
            v.check(row).map_err(|b| b.to_string())?;
        }
        v.finish().map_err(|b| b.to_string())?;
        Ok(v.count())
    }

    #[test]
    fn an_erased_case_proves_itself_by_its_links_and_its_erasure() {
        assert_eq!(walk(&erased(2, 2, 3)), Ok(3));
        // A tombstone with no erasure after it: someone blanked an event.
        let mut blanked = erased(2, 2, 3);
        blanked.pop();
        let err = walk(&blanked).expect_err("no erasure");
        assert!(err.starts_with("event 1 ") && err.contains("holds no erasure"), "{err}");
        // An erasure that counts other events than were made tombstones, or a tombstone naming another.
        assert!(walk(&erased(2, 3, 3)).expect_err("count").contains("does not follow a tombstone for each"));
        assert!(walk(&erased(2, 2, 7)).expect_err("named").contains("does not follow a tombstone for each"));
        assert!(walk(&erased(2, 2, 1)).expect_err("earlier").contains("names another erasure"));
        // The erasure's record changed after it was written.
        let mut changed = erased(2, 2, 3);
        changed[2].payload = changed[2].payload.replace("arkivar", "mallory");
        assert!(walk(&changed).expect_err("changed").contains("its hash does not match"));
        // A row for the case after its erasure.
        let mut after = erased(2, 2, 3);
        let mut late = after[0].clone();
        (late.seq, late.version, late.prev_hash) = (4, 4, after[2].hash.clone());
        after.push(late);
        assert!(walk(&after).expect_err("after").contains("after the case was erased"));
        // A tombstone's version changed (not covered by its hash, but by the order of the case's versions).
        let mut renumbered = erased(2, 2, 3);
        renumbered[1].version = 5;
        assert!(walk(&renumbered).expect_err("renumbered").contains("out of its case's order"));
        // A tombstone's payload in any other form.
        let mut odd = erased(2, 2, 3);
        odd[1].payload = "{\"erased\": 3}".into();
        assert!(walk(&odd).expect_err("odd").contains("not a tombstone"));
    }

    #[test]
    fn a_stored_instant_is_the_payloads_to_the_microsecond() {
        let written = "2026-12-07T13:39:42.123456789Z";
        assert!(super::same_instant(written, written));
        // What timestamptz gives back: the nanoseconds rounded.
        assert!(super::same_instant(written, "2026-12-07T13:39:42.123457Z"));
        assert!(!super::same_instant(written, "2026-12-07T13:39:42.123458Z"));
        assert!(!super::same_instant(written, "2026-12-07T13:39:43.123457Z"));
        assert!(!super::same_instant(written, "not an instant"));
    }
}
