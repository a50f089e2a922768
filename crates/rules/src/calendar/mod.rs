//! The Danish legal calendar: public holidays, days on which a deadline cannot end, delivery days for
//! physical letters, the review's deadlines and the pension board's meetings.
//!
//! Layout:
//! - [`holidays`] — Easter and the dated holiday rules (Store Bededag only until 2023);
//! - [`params`] — the dated, cited parameters (`builtin/calendar.toml`; a municipality can give its own);
//! - [`days`] — closed days, working days, delivery days;
//! - [`deadline`] — complaint, reassessment, PL § 21, file access and hearing deadlines with reasoning;
//! - [`board`] — the pension board's meeting calendar.

pub mod board;
pub mod days;
pub mod deadline;
pub mod holidays;
pub mod params;

use jiff::civil::Date;

/// Why a calendar question cannot be answered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    /// The year is outside the holiday calendar.
    #[error("year {year} is outside the calendar (1900-2200)")]
    YearOutOfRange {
        /// The year.
        year: i16,
    },
    /// No dated rule covers the date.
    #[error("no rule for {what} covers {date}; rules are never guessed")]
    NoRule {
        /// Which rule.
        what: &'static str,
        /// The date.
        date: Date,
    },
    /// A calendar file is wrong.
    #[error("{origin}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// What is wrong, with line and column.
        message: String,
    },
}
