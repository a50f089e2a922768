//! Pension amounts: rates as dated data, the income test of PL § 32 c, brøkpension, the pre-2003 pension
//! (GFPL) and the yearly settlement (efterregulering).
//!
//! Layout:
//! - [`rates`] — the built-in rate table (`builtin/rates.toml`), overlays, one year's resolved rates;
//! - [`rounding`] — the named rounding rules the sources disagree on;
//! - [`fraction`] — brøkpension (4/5 in 40ths, 9/10 in percent);
//! - [`pl`] — førtidspension under lov om social pension;
//! - [`legacy`] — førtidspension under the pre-2003 law, and why it cannot be revoked;
//! - [`settlement`] — efterregulering: what was due against what was paid;
//! - [`calc`] — the `calc` input and output (CONTRACT.md), tying the above together;
//! - [`whatif`] — a rate change applied to a population.
//!
//! Money is whole kroner in `i64`; percentages are basis points. Every computation reports its steps to an
//! [`Explain`] sink, each naming its legal basis.

pub mod calc;
pub mod fraction;
pub mod legacy;
pub mod pl;
pub mod rates;
pub mod rounding;
pub mod settlement;
pub mod whatif;

use serde::Serialize;

/// One line of an explanation: what happened, the amount after it (if it is an amount), and the law.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What happened, in Danish.
    pub label: String,
    /// Kroner a year (or a month, where the label says so); `None` for steps that are not amounts.
    pub amount: Option<i64>,
    /// Law and §, or the named rule.
    pub legal_basis: String,
}

impl Step {
    /// A step with an amount.
    #[must_use]
    pub fn amount(label: impl Into<String>, amount: i64, legal_basis: impl Into<String>) -> Step {
        Step { label: label.into(), amount: Some(amount), legal_basis: legal_basis.into() }
    }

    /// A step without an amount.
    #[must_use]
    pub fn note(label: impl Into<String>, legal_basis: impl Into<String>) -> Step {
        Step { label: label.into(), amount: None, legal_basis: legal_basis.into() }
    }
}

/// Where a computation reports its steps.
pub trait Explain {
    /// Records the step `make` builds; a quiet sink never calls it.
    fn step(&mut self, make: impl FnOnce() -> Step);
}

/// The sink that records nothing (for batch computations).
pub struct Quiet;

impl Explain for Quiet {
    #[inline(always)]
    fn step(&mut self, _make: impl FnOnce() -> Step) {}
}

impl Explain for Vec<Step> {
    fn step(&mut self, make: impl FnOnce() -> Step) {
        self.push(make());
    }
}

/// Kroner the Danish way: `215.256 kr.`, `-14.408 kr.`.
#[must_use]
pub fn kr(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 6);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(" kr.");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn kroner_are_grouped_with_points() {
        assert_eq!(super::kr(215_256), "215.256 kr.");
        assert_eq!(super::kr(-14_408), "-14.408 kr.");
        assert_eq!(super::kr(94), "94 kr.");
        assert_eq!(super::kr(1_447_700), "1.447.700 kr.");
    }
}
