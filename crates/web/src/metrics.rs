//! Prometheus metrics (`serve --metrics-listen ADDR`, text exposition at `/metrics` on that address only,
//! never on the application's own): requests and their latency per route, sign-in failures, and, read when
//! scraped, the database pool, the access log's queue and the letter batches. The names are listed in
//! `docs/operations.md`.
//!
//! Counts are kept per process in memory (a scrape of each server; Prometheus sums them). Routes are
//! their templates, so the series are bounded by the routes that exist.

use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

/// Latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default)]
struct Latency {
    /// Requests at or under each bucket's bound.
    buckets: [u64; BUCKETS.len()],
    count: u64,
    seconds: f64,
}

/// One route's requests: counts by status, and latency.
#[derive(Default)]
struct Route {
    statuses: BTreeMap<u16, u64>,
    latency: Latency,
}

/// Routes by template, then method: looked up by `&str`, so a request allocates nothing once its route
/// has been seen.
#[derive(Default)]
struct Registry {
    routes: BTreeMap<String, BTreeMap<String, Route>>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Mutex::default);
static SIGN_IN_FAILURES: AtomicU64 = AtomicU64::new(0);

/// Counts a request answered with `status` after `seconds`.
pub(crate) fn request(method: &str, route: &str, status: u16, seconds: f64) {
    let Ok(mut r) = REGISTRY.lock() else { return };
    if !r.routes.contains_key(route) {
        r.routes.insert(route.to_owned(), BTreeMap::new());
    }
    let Some(methods) = r.routes.get_mut(route) else { return };
    if !methods.contains_key(method) {
        methods.insert(method.to_owned(), Route::default());
    }
    let Some(stats) = methods.get_mut(method) else { return };
    *stats.statuses.entry(status).or_default() += 1;
    let l = &mut stats.latency;
    l.count += 1;
    l.seconds += seconds;
    for (bound, n) in BUCKETS.iter().zip(l.buckets.iter_mut()) {
        if seconds <= *bound {
            *n += 1;
        }
    }
}

/// Counts a sign-in refused for a wrong password, an unknown name or a locked account.
pub(crate) fn sign_in_failed() {
    SIGN_IN_FAILURES.fetch_add(1, Ordering::Relaxed);
}

/// A label value escaped as the exposition format asks.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The exposition text.
#[must_use]
pub async fn render(state: &AppState) -> String {
    use gennemgang_store::Store as _;
    // Letter batches are shared by every server on the database: counted there (-1: it could not be read).
    let batches = state.store.running_batches().await.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_all(&mut out, state, batches);
    out
}

fn write_all(out: &mut String, state: &AppState, batches: i64) -> std::fmt::Result {
    writeln!(out, "# HELP gennemgang_http_requests_total Requests answered, by method, route and status.")?;
    writeln!(out, "# TYPE gennemgang_http_requests_total counter")?;
    let registry = REGISTRY.lock().map_err(|_| std::fmt::Error)?;
    let series = || {
        registry.routes.iter().flat_map(|(route, methods)| {
            methods
                .iter()
                .map(move |(method, stats)| (format!("method=\"{}\",route=\"{}\"", label(method), label(route)), stats))
        })
    };
    for (labels, stats) in series() {
        for (status, n) in &stats.statuses {
            writeln!(out, "gennemgang_http_requests_total{{{labels},status=\"{status}\"}} {n}")?;
        }
    }
    writeln!(out, "# HELP gennemgang_http_request_duration_seconds Time to answer, by method and route.")?;
    writeln!(out, "# TYPE gennemgang_http_request_duration_seconds histogram")?;
    for (labels, stats) in series() {
        let l = &stats.latency;
        for (bound, n) in BUCKETS.iter().zip(l.buckets) {
            writeln!(out, "gennemgang_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}")?;
        }
        writeln!(out, "gennemgang_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", l.count)?;
        writeln!(out, "gennemgang_http_request_duration_seconds_sum{{{labels}}} {}", l.seconds)?;
        writeln!(out, "gennemgang_http_request_duration_seconds_count{{{labels}}} {}", l.count)?;
    }
    drop(registry);
    writeln!(out, "# HELP gennemgang_sign_in_failures_total Sign-ins refused (wrong password, unknown name, locked).")?;
    writeln!(out, "# TYPE gennemgang_sign_in_failures_total counter")?;
    writeln!(out, "gennemgang_sign_in_failures_total {}", SIGN_IN_FAILURES.load(Ordering::Relaxed))?;
    let (open, idle) = state.store.connections();
    writeln!(out, "# HELP gennemgang_db_connections Database connections of the pool, by state.")?;
    writeln!(out, "# TYPE gennemgang_db_connections gauge")?;
    writeln!(out, "gennemgang_db_connections{{state=\"idle\"}} {idle}")?;
    writeln!(
        out,
        "gennemgang_db_connections{{state=\"in_use\"}} {}",
        usize::try_from(open).unwrap_or(0).saturating_sub(idle)
    )?;
    writeln!(
        out,
        "# HELP gennemgang_access_log_waiting Access-log entries waiting to be written (reads held until then)."
    )?;
    writeln!(out, "# TYPE gennemgang_access_log_waiting gauge")?;
    writeln!(out, "gennemgang_access_log_waiting {}", state.store.access_log_waiting())?;
    writeln!(
        out,
        "# HELP gennemgang_letter_batches Letter batches not yet finished, on every server of the database."
    )?;
    writeln!(out, "# TYPE gennemgang_letter_batches gauge")?;
    writeln!(out, "gennemgang_letter_batches{{state=\"running\"}} {batches}")?;
    Ok(())
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], render(&state).await).into_response()
}

/// Serves [`crate::routes::metrics`] on `listener`.
///
/// # Errors
/// The server fails.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, crate::routes::metrics(state)).await
}
