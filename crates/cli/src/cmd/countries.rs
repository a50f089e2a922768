//! `gennemgang countries`: the dated membership table the newcomer rules use.

use gennemgang_rules::country::MEMBERSHIPS;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {}

/// Prints `code,kind,from,to,legal_basis` as CSV.
pub fn run(_args: &Args) -> anyhow::Result<()> {
    say!("code,kind,from,to,legal_basis");
    for m in MEMBERSHIPS {
        let to = m.to.map(|d| d.to_string()).unwrap_or_default();
        say!("{},{},{},{},\"{}\"", m.code, m.kind, m.from, to, m.legal_basis.replace('"', "\"\""));
    }
    Ok(())
}
