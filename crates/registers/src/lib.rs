//! # gennemgang-registers
//!
//! Register file formats and the jobs that run over them at national scale.
//!
//! Layout:
//! - [`csvio`] — streaming, parallel CSV reading with errors that name file, line and column;
//! - [`fields`] — parsing single fields into domain values;
//! - [`extract`] — loading and cross-checking a register extract (persons, migrations, pensions, …);
//! - [`areas`] — housing-area indicator input, classification output, and the selection `screen` reads;
//! - [`screen`] — the screening driver and its manifest;
//! - [`target`] — reading a screening output back in, for the import of cases;
//! - [`generate`] — the synthetic nation (deterministic per seed);
//! - [`output`] — all-or-nothing file writing;
//! - [`error`] — [`RegisterError`] and [`error::FieldError`].

pub mod areas;
pub mod csvio;
pub mod error;
pub mod extract;
pub mod fields;
pub mod generate;
pub mod hash;
pub mod output;
pub mod screen;
pub mod target;

pub use error::RegisterError;
