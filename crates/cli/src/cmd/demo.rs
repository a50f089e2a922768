//! `gennemgang demo`: the whole chain on synthetic data — generate → areas → screen → import — then demo
//! users for every role, and the web application on the demo database.

use super::parse_date;
use anyhow::Context as _;
use gennemgang_registers::{areas, screen};
use gennemgang_rules::criteria::builtin;
use gennemgang_rules::tri::Tri;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Size of the synthetic population.
    #[arg(long, default_value_t = 600_000)]
    persons: u64,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where the files go.
    #[arg(long, default_value = "out/demo")]
    out: PathBuf,
    /// The screening's reference date (the review starts 1 December 2026).
    #[arg(long, value_parser = parse_date, default_value = "2026-12-01")]
    as_of: Date,
    /// The case database (default: SQLite in the output folder).
    #[arg(long)]
    database: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// The password of every demo user (default: a random one, printed).
    #[arg(long)]
    demo_password: Option<String>,
    /// Prepare everything but do not serve (for scripts and tests).
    #[arg(long)]
    no_serve: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let registers = args.out.join("registers");
    super::generate::generate_into(
        args.persons,
        args.seed,
        gennemgang_registers::generate::Options::DEFAULT_EXTRACT_DATE,
        &registers,
    )?;
    let set = builtin("review-2025")?;
    let (rows, _) = areas::read_input(&registers.join("areas.csv"), &set, None)?;
    let outcomes = areas::classify(&set, &rows);
    let areas_path = args.out.join("areas_selected.csv");
    super::emit(Some(&areas_path), |w| areas::write_csv(w, &set, &rows, &outcomes)).context("writing the areas")?;
    let areas_json = args.out.join("areas_selected.json");
    super::emit(Some(&areas_json), |w| {
        serde_json::to_writer_pretty(&mut *w, &areas::to_json(&set, &rows, &outcomes))?;
        writeln!(w)
    })
    .context("writing the areas")?;
    let params = super::screen::params(args.as_of, "outside-eu-eea", true)?;
    let target_path = args.out.join("target_group.csv");
    let run = super::screen::screen_to(&registers, &areas_path, &params, Some(&target_path), false)?;

    let database =
        args.database.clone().unwrap_or_else(|| format!("sqlite://{}", args.out.join("gennemgang.db").display()));
    let imported = super::import::import_file(&database, &target_path, Some(&areas_json))?;

    let selected = outcomes.iter().filter(|o| o.selected == Tri::Yes).count();
    let large = rows.iter().filter(|r| r.residents.is_some_and(|n| n >= 1000)).count();
    say!("Gennemgang demo — synthetic data only, fictitious CPR numbers");
    say!("  population            {}", run.counts.population);
    say!("  with a førtidspension {}", run.counts.screened);
    say!("  housing areas         {} ({} with at least 1,000 residents)", rows.len(), large);
    say!("  selected ({})  {selected}", set.id);
    say!("  target group on {}: {} persons ({} undecided)", args.as_of, run.counts.included, run.counts.undecided);
    let mut by_area: BTreeMap<&str, usize> = BTreeMap::new();
    for p in run.persons.iter().filter(|p| p.screening.included == Tri::Yes) {
        *by_area.entry(p.area_name.as_deref().unwrap_or("?")).or_default() += 1;
    }
    let mut top: Vec<_> = by_area.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (name, n) in top.iter().take(5) {
        say!("    {n:>6}  {name}");
    }
    say!("  cases                 {} new, {} already there ({database})", imported.created, imported.unchanged);
    say!("Files:");
    say!("  registers     {}", registers.display());
    say!("  areas         {}", areas_path.display());
    say!("  target group  {}", target_path.display());
    say!("  manifest      {}", screen::manifest_path(&target_path).display());
    let password = match &args.demo_password {
        Some(p) => p.clone(),
        None => gennemgang_app::auth::random_token()?.chars().take(16).collect(),
    };
    crate::db::block_on(async {
        let store = crate::db::open(&database).await?;
        for u in gennemgang_app::demo::create_users(&store, &password, 3).await? {
            say!("user {} {} {} {password}", u.username, u.role.name(), u.municipality);
        }
        if args.no_serve {
            return Ok(());
        }
        super::serve::serve(
            store,
            &args.out.join("outbox"),
            gennemgang_app::config::Setup::default(),
            gennemgang_oidc::Sso::none(),
            &args.listen,
            None,
        )
        .await
    })
}
