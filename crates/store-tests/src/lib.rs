//! # gennemgang-store-tests
//!
//! One conformance suite for every [`gennemgang_store::Store`] adapter (ARCHITECTURE.md principle 7: the same
//! suite on SQLite and PostgreSQL), and a throwaway PostgreSQL for it.
//!
//! Layout:
//! - [`conformance`] — the suite: async functions over any store, each asserting one behaviour;
//! - [`postgres`] — starts PostgreSQL 15 in a temporary folder for the test process.
//!
//! The adapters' test files (`tests/sqlite.rs`, `tests/postgres.rs`) call every function of the suite.

pub mod conformance;
pub mod postgres;
