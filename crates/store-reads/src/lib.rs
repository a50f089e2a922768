//! # gennemgang-store-reads
//!
//! Connections for the reads every page makes (the session, the case, its history, the worklist), kept
//! apart from sqlx's pool: sqlx gives a connection back through a task of its own and pings it first (a
//! round trip to SQLite's worker thread or to the PostgreSQL server, after every read: a third of a case
//! page's time went to such hand-offs, docs/benchmarks.md). Here a connection whose read ran to its end
//! ([`Read::done`]) goes straight back; one whose read failed or was dropped half-way (a request
//! cancelled while its statement ran) is closed, never reused, which is what the ping is there to catch,
//! and the idle ones with it (a failure is most often the server gone, and then they are gone too).
//! Its own crate, so that `gennemgang-store` stays free of I/O frameworks (`scripts/check-layers.sh`);
//! both adapters use it. One file: [`Reads`] (the pool) and [`Read`] (one connection taken).

use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// At most `max` connections made from `options`, each taken by one read at a time.
pub struct Reads<O: sqlx::ConnectOptions<Connection: Sized>> {
    inner: Arc<Inner<O>>,
}

struct Inner<O: sqlx::ConnectOptions<Connection: Sized>> {
    options: O,
    max: usize,
    idle: Mutex<Vec<O::Connection>>,
    permits: Arc<Semaphore>,
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> Clone for Reads<O> {
    fn clone(&self) -> Self {
        Reads { inner: Arc::clone(&self.inner) }
    }
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> std::fmt::Debug for Reads<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reads").field("available", &self.inner.permits.available_permits()).finish_non_exhaustive()
    }
}

/// A connection taken for one read; closed when dropped unless the read was [`Read::done`].
pub struct Read<O: sqlx::ConnectOptions<Connection: Sized>> {
    conn: Option<O::Connection>,
    inner: Arc<Inner<O>>,
    _permit: OwnedSemaphorePermit,
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> Reads<O> {
    /// Connections made from `options` when first needed, at most `max` at once.
    #[must_use]
    pub fn new(options: O, max: usize) -> Reads<O> {
        Reads {
            inner: Arc::new(Inner {
                options,
                max,
                idle: Mutex::new(Vec::new()),
                permits: Arc::new(Semaphore::new(max)),
            }),
        }
    }

    /// A connection: an idle one, or a new one while fewer than `max` are out; otherwise the next one back.
    ///
    /// # Errors
    /// A new connection cannot be made.
    pub async fn acquire(&self) -> Result<Read<O>, sqlx::Error> {
        let permit = Arc::clone(&self.inner.permits).acquire_owned().await.map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.inner.options.connect().await?,
        };
        Ok(Read { conn: Some(conn), inner: Arc::clone(&self.inner), _permit: permit })
    }

    /// The connections waiting for a read.
    #[must_use]
    pub fn idle(&self) -> usize {
        self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// The connections taken by reads now (for the metrics beside sqlx's pool's).
    #[must_use]
    pub fn in_use(&self) -> usize {
        self.inner.max.saturating_sub(self.inner.permits.available_permits())
    }

    /// Closes the idle connections and takes no more reads.
    pub async fn close(&self) {
        self.inner.permits.close();
        let idle = std::mem::take(&mut *self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for conn in idle {
            let _ = sqlx::Connection::close(conn).await;
        }
    }
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> Read<O> {
    /// The read ran to its end: the connection goes back for the next one.
    pub fn done(mut self) {
        if let Some(conn) = self.conn.take()
            && !self.inner.permits.is_closed()
        {
            self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
        }
    }
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> Drop for Read<O> {
    fn drop(&mut self) {
        if self.conn.is_some() {
            // A read that did not finish failed or was cancelled. When it failed because the server went away
            // (a restart), the idle connections went with it: they are closed too and the next reads
            // connect anew, so that a restart costs a request, not one per idle connection (found by an
            // outside check: 14 requests failed in a row after PostgreSQL restarted).
            drop(std::mem::take(&mut *self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner)));
        }
    }
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> std::ops::Deref for Read<O> {
    type Target = O::Connection;

    fn deref(&self) -> &O::Connection {
        self.conn.as_ref().unwrap_or_else(|| unreachable!("a read's connection is taken only by done(self)"))
    }
}

impl<O: sqlx::ConnectOptions<Connection: Sized>> std::ops::DerefMut for Read<O> {
    fn deref_mut(&mut self) -> &mut O::Connection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("a read's connection is taken only by done(self)"))
    }
}
