//! # gennemgang-rules
//!
//! The law of the systematic review as dated data and pure functions. Nothing here does I/O; every
//! answer comes with the facts and the legal basis that led to it, so the CLI, the web app and the letters
//! can show the same explanation.
//!
//! Layout:
//! - [`tri`] — three-valued logic for incomplete register data;
//! - [`date`] — civil dates, ages and month arithmetic as the law counts them;
//! - [`cpr`] — the CPR number, masked unless asked for in full;
//! - [`country`] — ISO countries and dated EU/EØS membership;
//! - [`municipality`] — the 98 municipalities and five regions;
//! - [`criteria`] — criteria sets for housing areas (data in CONTRACT.md's TOML format) and their evaluation;
//! - [`newcomer`] — who is a newcomer ("nytilkommen");
//! - [`target`] — the target group, combining all conditions;
//! - [`pension`] — rates as dated data, the pension amount with its explanation, brøkpension, the pre-2003
//!   pension and the yearly settlement;
//! - [`calendar`] — Danish public holidays, closed days, delivery days and the deadlines of the review;
//! - [`review`] — the review's own open parameters: a revocation's legal basis and effective date, the
//!   shortest hearing answer period;
//! - [`text`] — what a free text may hold (for every input: actions, registers, configuration, accounts).

pub mod calendar;
pub mod country;
pub mod cpr;
pub mod criteria;
pub mod date;
pub mod municipality;
pub mod newcomer;
pub mod pension;
pub mod review;
pub mod target;
pub mod text;
pub mod tri;

/// The version of the encoded rules. Bump it whenever a rule, parameter default or built-in table changes,
/// so that a screening manifest or a decision records exactly which law it was computed under.
pub const RULES_VERSION: &str = "2026.12.1";
