//! `gennemgang serve`: the web application against an existing SQLite or PostgreSQL database.

use crate::db;
use crate::exit::bad_input;
use anyhow::Context as _;

/// Arguments. Each server setting is taken from its flag, else its environment variable
/// (`GENNEMGANG_DATABASE` or `DATABASE_URL`, `GENNEMGANG_LISTEN`, `GENNEMGANG_METRICS_LISTEN`,
/// `GENNEMGANG_OUTBOX`, `GENNEMGANG_SSO`), else the configuration's `[server]`, else its default.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…` (default: sqlite://gennemgang.db).
    #[arg(long)]
    database: Option<String>,
    /// Address to listen on (default: 127.0.0.1:8080).
    #[arg(long)]
    listen: Option<String>,
    /// Where sent letters are written (Digital Post messages under digital-post/, print under print/;
    /// default: outbox).
    #[arg(long)]
    outbox: Option<std::path::PathBuf>,
    /// The deployment's configuration (where the server runs, deciding municipalities, their boards,
    /// contact details; see `examples/gennemgang.toml` and `gennemgang config check`); without it the
    /// built-in placeholder applies and the pages say so.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Municipalities' contact details for letters only (as for `gennemgang letter --senders`).
    #[arg(long, conflicts_with = "config")]
    senders: Option<std::path::PathBuf>,
    /// Municipalities' single sign-on (OpenID Connect) providers, TOML (see `examples/sso.toml`); client
    /// secrets come from the environment variables the file names.
    #[arg(long)]
    sso: Option<std::path::PathBuf>,
    /// Serve Prometheus metrics at http://ADDR/metrics (an address of their own, for the monitoring
    /// network only; the application's address never answers /metrics).
    #[arg(long)]
    metrics_listen: Option<String>,
}

/// Serves until the process is stopped.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let setup = match (&args.config, &args.senders) {
        (Some(path), _) => read_config(Some(path))?,
        (None, senders) => gennemgang_app::config::Setup {
            senders: super::letter::read_senders(senders.as_deref())?,
            ..gennemgang_app::config::Setup::default()
        },
    };
    let server = super::config::deployment(&setup)?;
    let url = db::url(args.database.as_deref().or(server.database.as_deref()));
    let listen = args.listen.clone().or(server.listen).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let outbox = args.outbox.clone().or(server.outbox).unwrap_or_else(|| "outbox".into());
    let metrics_listen = args.metrics_listen.clone().or(server.metrics_listen);
    let sso = match args.sso.clone().or(server.sso) {
        Some(path) => gennemgang_oidc::Config::load(&path).map_err(|e| bad_input(format!("--sso: {e}")))?,
        None => gennemgang_oidc::Config { providers: Vec::new() },
    };
    db::block_on(async {
        let store = db::open(&url).await?;
        let sso = gennemgang_oidc::Sso::new(sso).context("single sign-on")?;
        serve(store, &outbox, setup, sso, &listen, metrics_listen.as_deref()).await
    })
}

/// The configuration file, or the built-in placeholder without one.
///
/// # Errors
/// The file is refused (exit 2, naming file, line and field).
pub fn read_config(path: Option<&std::path::Path>) -> anyhow::Result<gennemgang_app::config::Setup> {
    match path {
        Some(path) => gennemgang_app::config::load(path).map_err(|e| bad_input(format!("--config: {e}"))),
        None => Ok(gennemgang_app::config::Setup::default()),
    }
}

/// Starts the log, binds `listen`, prints `listening http://ADDR`, and serves.
pub async fn serve(
    store: gennemgang_app::db::AnyStore,
    outbox: &std::path::Path,
    setup: gennemgang_app::config::Setup,
    sso: gennemgang_oidc::Sso,
    listen: &str,
    metrics_listen: Option<&str>,
) -> anyhow::Result<()> {
    // From here on the server logs one JSON object per line on standard error (CONTRACT).
    gennemgang_web::log::init().context("the log")?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr().context("local address")?;
    say!("listening http://{addr}");
    tracing::info!(addr = %addr, version = env!("CARGO_PKG_VERSION"), "listening");
    let outbox = gennemgang_app::postbox::FileDrop::new(outbox);
    let state = gennemgang_web::AppState::new(store, outbox).with_setup(setup).with_sso(sso).with_clock(clock()?);
    // Notices to Udbetaling Danmark left due by a crash go out at start-up, and again every minute; so are
    // letter batches resumed whose server stopped (this one, before a restart, or another).
    let sweeper = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            sweeper.sweep_payments().await;
            sweeper.sweep_shared().await;
        }
    });
    if let Some(addr) = metrics_listen {
        let metrics = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("--metrics-listen {addr}"))?;
        let at = metrics.local_addr().context("local address")?;
        say!("metrics http://{at}/metrics");
        tracing::info!(addr = %at, "metrics");
        let metrics_state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = gennemgang_web::metrics::serve(metrics_state, metrics).await {
                tracing::error!(error = %e, "the metrics server stopped");
            }
        });
    }
    gennemgang_web::serve(state, listener).await.context("serving")
}

/// The server's clock. Only a debug build (the tests' build) reads `GENNEMGANG_TODAY=YYYY-MM-DD`, so that a
/// browser test runs on a fixed working day; a release build always uses the clock, whatever is set.
fn clock() -> anyhow::Result<gennemgang_app::Clock> {
    if cfg!(debug_assertions)
        && let Ok(day) = std::env::var("GENNEMGANG_TODAY")
    {
        let day = day.parse().map_err(|_| bad_input(format!("GENNEMGANG_TODAY: \"{day}\" is not a date")))?;
        return Ok(gennemgang_app::Clock::fixed(day));
    }
    Ok(gennemgang_app::Clock::system())
}
