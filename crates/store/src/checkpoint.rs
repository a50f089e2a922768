//! Signed checkpoints: the heads of the history and of the access log, and when they were taken, signed
//! with HMAC-SHA-256 under a key the operators hold outside the database (`GENNEMGANG_AUDIT_KEY`).
//!
//! A head alone proves a history only while the copy of it cannot be replaced: someone who can rewrite the
//! database and re-chain it from the start can also print new heads. A checkpoint cannot be made without
//! the key, so one kept anywhere (the archive, a log, a mail) still catches the rewrite.
//!
//! The line: `gennemgang-checkpoint v1 events=N:HASH access=M:HASH at=TIMESTAMP mac=HEX`.

use crate::Head;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The shortest key accepted: 32 bytes, the strength of the MAC.
pub const MIN_KEY_BYTES: usize = 32;

const PREFIX: &str = "gennemgang-checkpoint v1";

/// The heads at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The history's head.
    pub events: Head,
    /// The access log's head.
    pub access: Head,
    /// When it was taken (the server's clock).
    pub at: jiff::Timestamp,
}

/// Why a checkpoint cannot be made or used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The key is too short.
    #[error("the key must be at least {MIN_KEY_BYTES} bytes")]
    WeakKey,
    /// The line is not a checkpoint.
    #[error("not a checkpoint line: {0}")]
    Malformed(String),
    /// The MAC does not match: another key, or a line that was changed or made without the key.
    #[error("the checkpoint's signature does not match (another key, or a changed or forged line)")]
    Forged,
}

fn mac(key: &[u8], body: &str) -> Result<Hmac<Sha256>, CheckpointError> {
    if key.len() < MIN_KEY_BYTES {
        return Err(CheckpointError::WeakKey);
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| CheckpointError::WeakKey)?;
    mac.update(body.as_bytes());
    Ok(mac)
}

impl Checkpoint {
    fn body(&self) -> String {
        format!(
            "{PREFIX} events={}:{} access={}:{} at={}",
            self.events.events, self.events.hash, self.access.events, self.access.hash, self.at
        )
    }

    /// The signed line.
    ///
    /// # Errors
    /// The key is shorter than [`MIN_KEY_BYTES`].
    pub fn sign(&self, key: &[u8]) -> Result<String, CheckpointError> {
        let tag = mac(key, &self.body())?.finalize().into_bytes();
        Ok(format!("{} mac={}", self.body(), crate::chain::hex(&tag)))
    }

    /// Reads a signed line, checking its signature under `key` before anything in it is believed.
    ///
    /// # Errors
    /// See [`CheckpointError`].
    pub fn verify(line: &str, key: &[u8]) -> Result<Checkpoint, CheckpointError> {
        let malformed = |why: &str| CheckpointError::Malformed(why.to_owned());
        let (body, tag) = line.trim().rsplit_once(" mac=").ok_or_else(|| malformed("no mac="))?;
        let tag = unhex(tag).ok_or_else(|| malformed("the mac is not hex"))?;
        mac(key, body)?.verify_slice(&tag).map_err(|_| CheckpointError::Forged)?;
        let rest = body.strip_prefix(PREFIX).ok_or_else(|| malformed("it does not start with the v1 prefix"))?;
        let mut fields = rest.split_whitespace();
        let mut field = |name: &str| {
            fields
                .next()
                .and_then(|f| f.strip_prefix(name))
                .ok_or_else(|| CheckpointError::Malformed(format!("{name} missing")))
        };
        let events = field("events=")?.parse().map_err(|e: String| CheckpointError::Malformed(e))?;
        let access = field("access=")?.parse().map_err(|e: String| CheckpointError::Malformed(e))?;
        let at = field("at=")?.parse().map_err(|_| malformed("at= is not a timestamp"))?;
        Ok(Checkpoint { events, access, at })
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a key of thirty-two bytes or more, held by operators";

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            events: Head { events: 3, hash: "ab".repeat(32) },
            access: Head { events: 7, hash: "cd".repeat(32) },
            at: jiff::Timestamp::from_second(1_796_000_000).expect("ts"),
        }
    }

    #[test]
    fn a_signed_checkpoint_reads_back_under_its_key_only() {
        let line = checkpoint().sign(KEY).expect("sign");
        assert!(line.starts_with("gennemgang-checkpoint v1 events=3:abab"), "{line}");
        assert_eq!(Checkpoint::verify(&line, KEY), Ok(checkpoint()));
        assert_eq!(Checkpoint::verify(&line, b"another key of thirty-two bytes or more"), Err(CheckpointError::Forged));
    }

    #[test]
    fn a_changed_or_made_up_line_is_refused() {
        let line = checkpoint().sign(KEY).expect("sign");
        // A recomputed history's head put into the old line.
        let moved = line.replace("events=3:abab", "events=3:efef");
        assert_eq!(Checkpoint::verify(&moved, KEY), Err(CheckpointError::Forged));
        assert!(matches!(Checkpoint::verify("events=3", KEY), Err(CheckpointError::Malformed(_))));
        let mut other = checkpoint();
        other.events.events = 4;
        let forged = format!("{} mac={}", other.body(), "00".repeat(32));
        assert_eq!(Checkpoint::verify(&forged, KEY), Err(CheckpointError::Forged));
    }

    #[test]
    fn a_short_key_is_refused() {
        assert_eq!(checkpoint().sign(b"short"), Err(CheckpointError::WeakKey));
    }
}
