//! # gennemgang-letters
//!
//! Letters to the citizen, composed from the case and the rules, and the Digital Post message that carries
//! them. Pure: no I/O and no typesetting (the PDF is made by `gennemgang-pdf`; sending happens behind the
//! app's postbox adapter).
//!
//! Layout:
//! - [`model`] — the letter as data: kind, sender, recipient, blocks of text;
//! - [`compose`] — each kind's text from the case's history, evidence, decision record and the calendar;
//! - [`sender`] — the municipality's contact details (configured, or visibly demo values);
//! - [`sample`] — a built-in fictitious case at the step of each letter;
//! - [`memo`] — the MeMo 1.2 message with the PDF as main document.

pub mod compose;
pub mod memo;
pub mod model;
pub mod sample;
pub mod sender;

pub use compose::{ComposeError, Issue, compose};
pub use model::{Block, Letter, LetterKind, Recipient, Sender};
