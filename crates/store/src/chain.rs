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

/// The columns the verifier reads from `events`, in [`StoredEvent`]'s order (both adapters select these).
pub const VERIFIED_COLUMNS: &str =
    "seq, case_id, version, payload, prev_hash, hash, recorded_at, actor_user, actor_role, actor_municipality, kind";

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

/// Verifies events in `seq` order (call repeatedly with consecutive batches, carrying `state`).
#[derive(Clone, Debug)]
pub struct Verifier {
    previous: String,
    count: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier { previous: GENESIS.to_owned(), count: 0 }
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
        if hash(&e.prev_hash, e.case_id, e.version, &e.payload) != e.hash {
            return Err(fail("its hash does not match its content (it was changed)".into()));
        }
        let event: Event =
            serde_json::from_str(&e.payload).map_err(|err| fail(format!("unreadable payload: {err}")))?;
        if event.case_id != e.case_id || event.version != e.version {
            return Err(fail("the payload names another case or version".into()));
        }
        if let Some(column) = e.columns.differs_from(&EventColumns::of(&event)) {
            return Err(fail(format!("the stored column {column} is not what its hashed payload says")));
        }
        self.previous.clone_from(&e.hash);
        self.count += 1;
        Ok(())
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

/// Walks the whole history in batches: `fetch(after)` returns the next events with `seq > after`, in order,
/// and an empty batch at the end. With `earlier`, a head printed by an earlier walk, the event it names must
/// still be there with its hash.
///
/// # Errors
/// `fetch` fails.
pub async fn walk<F, Fut>(mut fetch: F, earlier: Option<&Head>) -> Result<ChainReport, crate::StoreError>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<StoredEvent>, crate::StoreError>>,
{
    let mut verifier = Verifier::default();
    let mut after = 0_i64;
    let mut last_seen: Option<(i64, i64, u32)> = None;
    loop {
        let batch = fetch(after).await?;
        let Some(last) = batch.last() else {
            return Ok(match earlier {
                Some(head) if verifier.count() < head.events => {
                    let (seq, case_id, version) = last_seen.unwrap_or((0, 0, 0));
                    ChainReport::Broken(ChainBreak {
                        seq,
                        case_id,
                        version,
                        what: format!(
                            "the history ends after {} events; event {} of the earlier head is gone (the tail was cut off)",
                            verifier.count(),
                            head.events
                        ),
                    })
                }
                _ => ChainReport::Intact(verifier.head()),
            });
        };
        after = last.seq;
        for e in &batch {
            if let Err(broken) = verifier.check(e) {
                return Ok(ChainReport::Broken(broken));
            }
            last_seen = Some((e.seq, e.case_id, e.version));
            if let Some(head) = earlier
                && verifier.count() == head.events
                && e.hash != head.hash
            {
                return Ok(ChainReport::Broken(ChainBreak {
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
