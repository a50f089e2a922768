//! Pension calculation speed: one calculation without and with its explanation, and a what-if over a
//! quarter of a million synthetic pensioners. Results are recorded in docs/benchmarks.md.

use divan::{Bencher, black_box};
use gennemgang_rules::pension::fraction::Fraction;
use gennemgang_rules::pension::pl::{Facts, Household, compute};
use gennemgang_rules::pension::rates::RateTable;
use gennemgang_rules::pension::whatif::{synthetic_population, what_if};
use gennemgang_rules::pension::{Quiet, Step};

fn main() {
    divan::main();
}

const EXAMPLE: Facts = Facts {
    household: Household::Cohabiting { partner_is_pensioner: false },
    own_income: 126_000,
    partner_income: 350_506,
    partner_work_income: 0,
    fraction: Fraction::FULL,
};

/// The borger.dk 2025 example, without the explanation (the what-if path).
#[divan::bench]
fn calculation_quiet(bencher: Bencher<'_, '_>) {
    let rates = RateTable::builtin().year(2025);
    bencher.bench_local(|| compute(black_box(&rates), black_box(&EXAMPLE), &mut Quiet));
}

/// The same calculation with every step written out (the CLI and letter path).
#[divan::bench]
fn calculation_explained(bencher: Bencher<'_, '_>) {
    let rates = RateTable::builtin().year(2025);
    bencher.bench_local(|| {
        let mut steps: Vec<Step> = Vec::with_capacity(16);
        compute(black_box(&rates), black_box(&EXAMPLE), &mut steps).map(|a| (a, steps))
    });
}

/// 10,000 mixed pensioners in one go, to get per-calculation throughput over varied households.
#[divan::bench(counter = divan::counter::ItemsCount::new(10_000usize))]
fn calculations_mixed(bencher: Bencher<'_, '_>) {
    let rates = RateTable::builtin().year(2020);
    let population = synthetic_population(10_000, 3);
    bencher
        .bench_local(|| population.iter().map(|f| compute(&rates, f, &mut Quiet).map_or(0, |a| a.yearly)).sum::<i64>());
}

/// A what-if over 250,000 synthetic pensioners: every pension computed under the built-in 2020 rates and
/// under an overlay that raises the allowances.
#[divan::bench(sample_count = 20)]
fn what_if_250k(bencher: Bencher<'_, '_>) {
    let overlay = "[[rate]]\nitem = \"allowance_single\"\nyear = 2020\nvalue = 100000\nunit = \"kr/year\"\nsource = \"what-if\"\n";
    let alternative = RateTable::builtin().overlay(overlay, "what-if").unwrap_or_else(|e| panic!("{e}"));
    let population = synthetic_population(250_000, 1);
    let base = RateTable::builtin().year(2020);
    let alt = alternative.year(2020);
    bencher.bench_local(|| what_if(&base, &alt, black_box(&population)));
}
