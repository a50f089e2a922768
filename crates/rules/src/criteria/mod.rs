//! Criteria sets: dated, versioned definitions of which housing areas are selected, and their evaluation.
//!
//! A set is data (CONTRACT.md's TOML format), so that the lists of 2010, 2018, 2021 and the review of 2025
//! are four files, not four functions, and a user can write a fifth. [`model`] holds the parsed and
//! validated set, [`eval`] applies it to one area's indicator values in three-valued logic, and [`reason`]
//! writes the Danish sentence a caseworker reads.

pub mod eval;
pub mod model;
mod reason;

pub use eval::{AreaOutcome, AreaValues, CriterionOutcome, evaluate};
pub use model::{Bound, CriteriaError, CriteriaSet, Criterion, Op, builtin, builtin_sets};
