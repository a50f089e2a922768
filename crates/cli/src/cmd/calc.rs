//! `gennemgang calc`: one pensioner's year — amounts, fraction, explanation and the rates used.

use crate::exit::bad_input;
use anyhow::Context as _;
use gennemgang_rules::pension::calc::{CalcInput, calculate};
use gennemgang_rules::pension::rates::RateTable;
use gennemgang_rules::pension::rounding::Rounding;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// The case as JSON (CONTRACT.md); standard input when absent.
    #[arg(long)]
    input: Option<PathBuf>,
    /// A TOML file of rates laid over the built-in ones (same format as the built-in table).
    #[arg(long)]
    rates: Option<PathBuf>,
    /// Override the year's rounding rule: k10-2009 or exact.
    #[arg(long, value_parser = parse_rounding)]
    rounding: Option<Rounding>,
}

fn parse_rounding(text: &str) -> Result<Rounding, String> {
    Rounding::from_name(text)
        .ok_or_else(|| format!("\"{text}\" is not a rounding rule ({})", Rounding::NAMES.join(", ")))
}

/// Loads the built-in rates, overlaid with `path` if given.
pub fn load_rates(path: Option<&Path>) -> anyhow::Result<std::borrow::Cow<'static, RateTable>> {
    let builtin = RateTable::builtin();
    match path {
        None => Ok(std::borrow::Cow::Borrowed(builtin)),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let table = builtin.overlay(&text, &p.display().to_string()).map_err(|e| bad_input(e.to_string()))?;
            Ok(std::borrow::Cow::Owned(table))
        }
    }
}

/// Reads the input, computes and prints the output JSON.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let table = load_rates(args.rates.as_deref())?;
    let (text, name) = match &args.input {
        Some(p) => {
            (std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?, p.display().to_string())
        }
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading standard input")?;
            (text, "<stdin>".to_owned())
        }
    };
    let input: CalcInput = serde_json::from_str(&text).map_err(|e| bad_input(format!("{name}: {e}")))?;
    let output = calculate(&table, &input, args.rounding).map_err(|e| bad_input(format!("{name}: {e}")))?;
    let json = serde_json::to_string_pretty(&output).context("writing JSON")?;
    say!("{json}");
    Ok(())
}
