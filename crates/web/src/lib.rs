//! # gennemgang-web
//!
//! The web application: Danish HTML pages built with the national design system (DKFDS, vendored under
//! `assets/`), and the JSON API of CONTRACT.md. Handlers are thin: extract → authorize → call a use case
//! of `gennemgang-app` → render, so the pages and the API do the same thing.
//!
//! Layout:
//! - [`routes`] — the one place that lists every route;
//! - [`session`] — who is asking: the session cookie or a bearer token, and CSRF;
//! - [`extract`] — what a handler is handed: the signed-in user, the API's caller, a CSRF-checked form;
//! - [`sso`] — sign-in through a municipality's OpenID Connect provider;
//! - [`security`] — security headers on every response, and panics answered;
//! - [`log`] — the server's log, one JSON object per line, and a line for every request;
//! - [`metrics`] — Prometheus metrics, served on an address of their own;
//! - [`pages`] — the HTML pages and form posts, one module per page group (sign-in, worklist, case, access
//!   log); [`forms`] — one form per case action;
//! - [`letters`] — letter previews, sending, and batches with progress;
//! - [`deciding`] — the deciding municipality's inbox, board agenda and approval queue;
//! - [`statistics`] — statistics as SVG charts with data tables, CSV and XLSX;
//! - [`tools`] — housing areas and their what-if, screening runs, the pension and deadline calculators;
//! - [`api`] — the JSON API and its `application/problem+json` errors; [`openapi`] — its OpenAPI document,
//!   generated from the handlers;
//! - [`views`] — Danish names and formatting shared by pages;
//! - [`assets`] — the embedded static files.

pub mod api;
pub mod assets;
pub mod deciding;
pub mod extract;
pub mod forms;
pub mod letters;
pub mod log;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod security;
pub mod session;
pub mod sso;
pub mod statistics;
pub mod tools;
pub mod views;

use gennemgang_app::db::AnyStore;
use gennemgang_app::postbox::Postbox;
use gennemgang_letters::sender::Senders;
use std::sync::Arc;

/// A name for this server process, unique among those on one database: its host, its process id and
/// random bits (a restarted server is another worker; its batches are resumed as any silent worker's).
fn worker_name() -> String {
    let mut bytes = [0_u8; 6];
    let _ = getrandom::fill(&mut bytes);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{random}", host.trim(), std::process::id())
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The case store.
    pub store: AnyStore,
    /// Where sent letters go.
    pub postbox: Arc<dyn Postbox>,
    /// Where notices to Udbetaling Danmark go.
    pub payments: Arc<dyn gennemgang_app::payments::Payments>,
    /// The municipalities' contact details for letters.
    pub senders: Arc<Senders>,
    /// The deciding municipalities and their boards (the built-in placeholder unless configured).
    pub routing: Arc<gennemgang_case::facts::Routing>,
    /// This server among those on one database: the worker name its letter batches are held under.
    pub worker: Arc<str>,
    /// The municipalities' single sign-on providers (none: local accounts only).
    pub sso: Arc<gennemgang_oidc::Sso>,
    /// Where today's date comes from (the server's clock outside tests).
    pub clock: gennemgang_app::Clock,
    /// The largest document an upload may carry, in bytes.
    pub max_document_bytes: usize,
    /// The load balancers whose `X-Forwarded-For` names a sign-in's source address (`[server]
    /// trusted_proxies`; none: the connection's peer is the source).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Each municipality's caseworkers as last read, for the assignment choices of the worklist and the
    /// case page (an account made a moment ago shows within [`CASEWORKERS_FOR`]; the case rules check the
    /// name again when a case is assigned).
    caseworkers: CaseworkerCache,
}

/// Per municipality: when its caseworkers were read, and the names read.
type CaseworkerCache = Arc<std::sync::Mutex<std::collections::HashMap<i64, (std::time::Instant, Arc<Vec<String>>)>>>;

/// How long a municipality's list of caseworkers is reused before it is read again.
pub const CASEWORKERS_FOR: std::time::Duration = std::time::Duration::from_secs(10);

impl AppState {
    /// A state over `store`, sending letters and notices to Udbetaling Danmark to the `outbox` folder (the
    /// real services plug in with [`AppState::with_postbox`] and [`AppState::with_payments`]).
    #[must_use]
    pub fn new(store: AnyStore, outbox: gennemgang_app::postbox::FileDrop) -> AppState {
        AppState {
            store,
            postbox: Arc::new(outbox.clone()),
            payments: Arc::new(outbox),
            senders: Arc::new(Senders::default()),
            routing: Arc::new(gennemgang_case::facts::Routing::default()),
            worker: worker_name().into(),
            sso: Arc::new(gennemgang_oidc::Sso::none()),
            clock: gennemgang_app::Clock::system(),
            max_document_bytes: gennemgang_app::documents::DEFAULT_MAX_BYTES,
            trusted_proxies: Arc::new([]),
            caseworkers: Arc::default(),
        }
    }

    /// The same state with another postal service.
    #[must_use]
    pub fn with_postbox(self, postbox: Arc<dyn Postbox>) -> AppState {
        AppState { postbox, ..self }
    }

    /// The same state with another payer's interface.
    #[must_use]
    pub fn with_payments(self, payments: Arc<dyn gennemgang_app::payments::Payments>) -> AppState {
        AppState { payments, ..self }
    }

    /// After an action on case `id`: sends the notice to Udbetaling Danmark it made due, if any. A failure
    /// leaves the notice due (the case page says so) for the next sweep; it never undoes the action.
    pub async fn after_action(&self, id: i64) {
        let sent = gennemgang_app::payments::send_due(&self.store, self.payments.as_ref(), id, self.on()).await;
        if let Err(e) = sent {
            tracing::warn!(case = id, error = %e, "notice to Udbetaling Danmark not sent; it stays due");
        }
    }

    /// Sends every notice due (at start-up and periodically), so that none is lost to a crash.
    pub async fn sweep_payments(&self) {
        let sent = gennemgang_app::payments::send_all_due(&self.store, self.payments.as_ref(), self.on()).await;
        match sent {
            Ok(0) => {}
            Ok(n) => tracing::info!(notices = n, "notices to Udbetaling Danmark sent"),
            Err(e) => tracing::warn!(error = %e, "notices to Udbetaling Danmark not sent; they stay due"),
        }
    }

    /// What servers share, kept tidy (at start-up and every minute): letter batches whose worker went silent
    /// are resumed here, finished ones are forgotten after an hour, and past minutes' sign-in attempts.
    pub async fn sweep_shared(&self) {
        use gennemgang_store::Store as _;
        let now = jiff::Timestamp::now().as_second();
        match self.store.stale_batches(now - letters::STALE_AFTER_SECONDS).await {
            Ok(ids) => {
                for id in ids {
                    match self.store.claim_batch(id, &self.worker, now, now - letters::STALE_AFTER_SECONDS).await {
                        Ok(true) => {
                            tracing::info!(batch = id, "letter batch resumed");
                            tokio::spawn(letters::run_batch(self.clone(), id));
                        }
                        Ok(false) => {}
                        Err(e) => crate::log::failed(&e),
                    }
                }
            }
            Err(e) => crate::log::failed(&e),
        }
        if let Err(e) = self.store.purge_batches(now - letters::KEEP_FINISHED_SECONDS).await {
            crate::log::failed(&e);
        }
        if let Err(e) = self.store.purge_throttle(now / 60 - 1).await {
            crate::log::failed(&e);
        }
        // Expired sessions and forgotten sign-in failures, also when nobody signs in.
        if let Err(e) = self.store.purge_sessions(jiff::Timestamp::now()).await {
            crate::log::failed(&e);
        }
    }

    /// The same state with another clock (tests let time pass with a fixed one).
    #[must_use]
    pub fn with_clock(self, clock: gennemgang_app::Clock) -> AppState {
        AppState { clock, ..self }
    }

    /// Today, by the state's clock.
    #[must_use]
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.today()
    }

    /// The same state with the installation's configuration: routing, boards and contact details.
    #[must_use]
    pub fn with_setup(self, setup: gennemgang_app::config::Setup) -> AppState {
        AppState {
            senders: Arc::new(setup.senders),
            routing: Arc::new(setup.routing),
            max_document_bytes: setup.max_document_bytes,
            trusted_proxies: setup.server.trusted_proxies.into(),
            ..self
        }
    }

    /// The home municipality's caseworkers, read at most every [`CASEWORKERS_FOR`] (the team lead's
    /// worklist shows them on every page).
    ///
    /// # Errors
    /// The store fails.
    pub async fn caseworkers(&self, municipality: i64) -> Result<Arc<Vec<String>>, gennemgang_store::StoreError> {
        use gennemgang_store::Store as _;
        let fresh = |at: &std::time::Instant| at.elapsed() < CASEWORKERS_FOR;
        if let Ok(cache) = self.caseworkers.lock()
            && let Some((at, list)) = cache.get(&municipality)
            && fresh(at)
        {
            return Ok(list.clone());
        }
        let list = Arc::new(self.store.caseworkers(municipality).await?);
        if let Ok(mut cache) = self.caseworkers.lock() {
            cache.insert(municipality, (std::time::Instant::now(), list.clone()));
        }
        Ok(list)
    }

    /// Today, now and the configuration: what an action is judged on.
    #[must_use]
    pub fn on(&self) -> gennemgang_app::cases::On<'_> {
        gennemgang_app::cases::On { today: self.today(), now: jiff::Timestamp::now(), routing: &self.routing }
    }
}

impl AppState {
    /// The same state with single sign-on providers.
    #[must_use]
    pub fn with_sso(self, sso: gennemgang_oidc::Sso) -> AppState {
        AppState { sso: Arc::new(sso), ..self }
    }
}

/// Serves the application on `listener` until the process ends.
///
/// # Errors
/// The server fails.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    // The peer's address is what a sign-in's failures are counted against (`session::source`).
    axum::serve(listener, routes::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).await
}
