//! Group commit for the access log. Every read of a case writes an access-log entry before the data is
//! shown, so under load the log is the hottest write. Entries of concurrent requests are gathered and written
//! in one transaction; each request still waits until its own entry is durable.

use gennemgang_store::{AccessEntry, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// At most this many requests' entries per transaction (a search brings fifty-one, a case page one): the
/// batch is written as one statement, whatever its length.
const BATCH: usize = 256;

type Ack = oneshot::Sender<Result<(), String>>;

/// The handle requests use; cloning it is cheap.
#[derive(Clone, Debug)]
pub struct Logbook {
    tx: mpsc::UnboundedSender<(Vec<AccessEntry>, Ack)>,
    /// Entries handed over and not yet written (or failed): the queue a metric shows.
    waiting: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Logbook {
    /// Starts the writer on the current Tokio runtime; it stops when the last handle is dropped.
    pub fn start<S: Store + 'static>(store: S) -> Logbook {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(store, rx));
        Logbook { tx, waiting: std::sync::Arc::default() }
    }

    /// Writes one entry; returns once it is durable (together with whatever else was waiting).
    ///
    /// # Errors
    /// The batch's transaction failed (nothing of it was written), or the writer has stopped.
    pub async fn write(&self, entry: &AccessEntry) -> Result<(), StoreError> {
        self.write_all(std::slice::from_ref(entry)).await
    }

    /// Writes a request's entries (a search's list and the cases it found); returns once all are durable.
    /// They travel together, so they go into the same group commit: all of them are written, or none.
    ///
    /// # Errors
    /// As [`Logbook::write`].
    pub async fn write_all(&self, entries: &[AccessEntry]) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        let stopped = || StoreError::Database("the access-log writer has stopped".into());
        let (ack, done) = oneshot::channel();
        self.tx.send((entries.to_vec(), ack)).map_err(|_| stopped())?;
        self.waiting.fetch_add(entries.len(), Ordering::Relaxed);
        let answer = done.await;
        self.waiting.fetch_sub(entries.len(), Ordering::Relaxed);
        answer.map_err(|_| stopped()).and_then(|r| r.map_err(StoreError::Database))
    }

    /// How many entries wait to be written now.
    #[must_use]
    pub fn waiting(&self) -> usize {
        self.waiting.load(std::sync::atomic::Ordering::Relaxed)
    }
}

async fn write_batches<S: Store>(store: S, mut rx: mpsc::UnboundedReceiver<(Vec<AccessEntry>, Ack)>) {
    let mut waiting = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut waiting, BATCH).await > 0 {
        let mut entries = Vec::new();
        let mut acks = Vec::with_capacity(waiting.len());
        for (request, ack) in waiting.drain(..) {
            entries.extend(request);
            acks.push(ack);
        }
        let outcome = store.log_access(&entries).await.map_err(|e| e.to_string());
        for ack in acks {
            // A request that gave up waiting has nothing to be told.
            let _ = ack.send(outcome.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gennemgang_case::actor::Role;
    use gennemgang_store_sqlite::SqliteStore;

    fn entry(n: usize) -> AccessEntry {
        AccessEntry {
            at: jiff::Timestamp::UNIX_EPOCH,
            user: format!("u{n}"),
            role: Role::HomeCaseworker,
            municipality: Some(159),
            case_id: Some(1),
            what: "case".into(),
            purpose: None,
            allowed: true,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_entries_are_all_durable_when_their_writes_return() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = SqliteStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.expect("open");
        store.migrate().await.expect("migrate");
        let logbook = Logbook::start(store.clone());
        let writers: Vec<_> = (0..200)
            .map(|n| {
                let logbook = logbook.clone();
                tokio::spawn(async move { logbook.write(&entry(n)).await })
            })
            .collect();
        for w in writers {
            w.await.expect("task").expect("written");
        }
        let mut users: Vec<String> = store.access_log().await.expect("log").into_iter().map(|e| e.user).collect();
        users.sort();
        let mut expected: Vec<String> = (0..200).map(|n| format!("u{n}")).collect();
        expected.sort();
        assert_eq!(users, expected, "every entry exactly once");
    }
}
