//! `gennemgang replay`: recompute a case's decision under today's rules and show any difference.

use crate::db;
use crate::exit::bad_input;
use gennemgang_case::guards::replay;
use gennemgang_store::Store;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    database: Option<String>,
    /// Case id.
    #[arg(long)]
    case: i64,
}

/// Prints the decision's rules version and law, then `ingen forskelle` or each difference.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let url = db::url(args.database.as_deref());
    let case = db::block_on(async { Ok(db::open_cases(&url).await?.case(args.case).await?) })?
        .ok_or_else(|| bad_input(format!("--case: case {} does not exist", args.case)))?;
    let decision = case.decision.ok_or_else(|| bad_input(format!("--case: case {} has no decision", args.case)))?;
    let record =
        decision.record.ok_or_else(|| bad_input(format!("--case: case {} has no decision record", args.case)))?;
    let result = replay(&record, gennemgang_rules::review::ReviewParams::builtin());
    say!(
        "case {}: {} {} under rules {} ({}; {})",
        case.id,
        if decision.revoked { "revoked" } else { "upheld" },
        decision.decided_on,
        result.recorded_rules_version,
        record.award_law.danish(),
        record.basis.as_ref().map_or("hjemmel ikke registreret", |b| b.citation.as_str())
    );
    say!("today's rules: {}", result.current_rules_version);
    if result.differences.is_empty() {
        say!("ingen forskelle");
    } else {
        for d in &result.differences {
            say!("forskel: {d}");
        }
    }
    Ok(())
}
