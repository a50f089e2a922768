//! The server's log: one JSON object per line on standard error (CONTRACT: `level`, `msg`, and for
//! requests `method`, `route`, `status`, `ms`), with the request id and the signed-in user's name.
//!
//! What a line may hold is decided here, not at each call: a request is logged by its route template
//! (`/sager/{id}`), never its path or query, which could hold a CPR number a user typed; errors are logged
//! by their messages, which name what failed, never case content. Other crates' events (sqlx, hyper) are
//! logged from `warn` up only.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tracing::field::{Field, Visit};
use tracing::{Instrument as _, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// Fields as JSON, the event's message under `msg`.
#[derive(Default)]
struct Fields(Map<String, Value>);

impl Fields {
    fn put(&mut self, field: &Field, value: Value) {
        let name = if field.name() == "message" { "msg" } else { field.name() };
        self.0.insert(name.to_owned(), value);
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::from(value));
    }
    /// An error with its chain of causes, outermost first.
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let mut chain = vec![value.to_string()];
        let mut source = value.source();
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        self.put(field, Value::from(chain.join(": ")));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, Value::from(format!("{value:?}")));
    }
}

/// The layer that writes each event as one line to `out`, with the fields of the spans it is in.
pub struct JsonLines {
    out: Mutex<Box<dyn Write + Send>>,
}

impl JsonLines {
    /// Lines to `out`.
    #[must_use]
    pub fn new(out: Box<dyn Write + Send>) -> JsonLines {
        JsonLines { out: Mutex::new(out) }
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for JsonLines {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        let ours = metadata.target().starts_with("gennemgang");
        *metadata.level() <= if ours { Level::INFO } else { Level::WARN }
    }

    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, id: &tracing::span::Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(fields);
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut line = Map::new();
        line.insert("ts".into(), Value::from(jiff::Timestamp::now().to_string()));
        line.insert("level".into(), Value::from(event.metadata().level().as_str().to_ascii_lowercase()));
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(fields) = span.extensions().get::<Fields>() {
                    line.extend(fields.0.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        line.extend(fields.0);
        let Ok(mut bytes) = serde_json::to_vec(&line) else { return };
        bytes.push(b'\n');
        // A log that cannot be written must not stop the server; the answer goes out regardless.
        if let Ok(mut out) = self.out.lock() {
            let _ = out.write_all(&bytes).and_then(|()| out.flush());
        }
    }
}

/// Logs to standard error from now on, and a panic as an error line (where, never its message, which
/// could hold what the code was working on).
///
/// # Errors
/// A logger is already installed.
pub fn init() -> Result<(), tracing::subscriber::SetGlobalDefaultError> {
    use tracing_subscriber::layer::SubscriberExt as _;
    let subscriber = tracing_subscriber::registry().with(JsonLines::new(Box::new(std::io::stderr())));
    tracing::subscriber::set_global_default(subscriber)?;
    std::panic::set_hook(Box::new(|panic| {
        let at = panic.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        tracing::error!(at, "panic");
    }));
    Ok(())
}

/// Logs `error` (a 500: something of ours failed) with its chain of causes.
pub(crate) fn failed(error: &(dyn std::error::Error + 'static)) {
    tracing::error!(error, "server error");
}

static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// Logs (and counts, [`crate::metrics`]) every request when it has been answered, in a span that the handlers' own lines share (and into
/// which the session records the user), and tells the client the request id (`x-request-id`), so that a
/// caseworker's report of an error can be found in the log.
pub async fn requests(request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let id = format!("{:x}-{}", std::process::id(), REQUESTS.fetch_add(1, Ordering::Relaxed));
    let route = request.extensions().get::<MatchedPath>().map_or("(ingen)", MatchedPath::as_str).to_owned();
    let method = method_name(request.method());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        route = %route,
        user = tracing::field::Empty,
    );
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    crate::metrics::request(method, &route, status, elapsed.as_secs_f64());
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, ms, "request");
        } else {
            tracing::info!(status, ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// A request's method as logged and counted: the standard ones by name, any other as `other`. A client
/// may send any token as its method (an outside check sent a CPR number), and it must neither reach the
/// log nor open a new series of metrics with each request.
fn method_name(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ]
    .iter()
    .find(|m| *m == method)
    .map_or("other", |m| m.as_str())
}

/// Whether `error` (or what it came from) is the database being out of reach: answered 503, "try again",
/// not 500.
pub(crate) fn unreachable(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if matches!(e.downcast_ref(), Some(gennemgang_store::StoreError::Unavailable(_))) {
            return true;
        }
        next = e.source();
    }
    false
}

/// Records the signed-in user on the request's line.
pub(crate) fn user(name: &str) {
    tracing::Span::current().record("user", name);
}
