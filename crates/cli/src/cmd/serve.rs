//! `gennemgang serve`: the web application against an existing SQLite or PostgreSQL database.

use crate::db;
use crate::exit::bad_input;
use anyhow::Context as _;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…` (default: `DATABASE_URL`, else sqlite://gennemgang.db).
    #[arg(long)]
    database: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Where sent letters are written (Digital Post messages under digital-post/, print under print/).
    #[arg(long, default_value = "outbox")]
    outbox: std::path::PathBuf,
    /// Municipalities' contact details for letters (as for `gennemgang letter --senders`).
    #[arg(long)]
    senders: Option<std::path::PathBuf>,
    /// Municipalities' single sign-on (OpenID Connect) providers, TOML (see `examples/sso.toml`); client
    /// secrets come from the environment variables the file names.
    #[arg(long)]
    sso: Option<std::path::PathBuf>,
}

/// Serves until the process is stopped.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    db::block_on(async {
        let store = db::open(&url).await?;
        let senders = super::letter::read_senders(args.senders.as_deref())?;
        let sso = match &args.sso {
            Some(path) => gennemgang_oidc::Config::load(path).map_err(|e| bad_input(format!("--sso: {e}")))?,
            None => gennemgang_oidc::Config { providers: Vec::new() },
        };
        let sso = gennemgang_oidc::Sso::new(sso).context("single sign-on")?;
        serve(store, &args.outbox, senders, sso, &args.listen).await
    })
}

/// Binds `listen`, prints `listening http://ADDR`, and serves.
pub async fn serve(
    store: gennemgang_app::db::AnyStore,
    outbox: &std::path::Path,
    senders: gennemgang_letters::sender::Senders,
    sso: gennemgang_oidc::Sso,
    listen: &str,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr().context("local address")?;
    println!("listening http://{addr}");
    let outbox = gennemgang_app::postbox::FileDrop::new(outbox);
    let state = gennemgang_web::AppState::new(store, outbox).with_senders(senders).with_sso(sso).with_clock(clock()?);
    // Notices to Udbetaling Danmark left due by a crash go out at start-up, and again every minute.
    let sweeper = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            sweeper.sweep_payments().await;
        }
    });
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
