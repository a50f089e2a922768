//! The deadline calendar's parameters (`builtin/calendar.toml`): closed days, delivery days, deadline
//! lengths and the pension board's meetings, each dated and cited.

use super::CalendarError;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;
use std::sync::OnceLock;

/// The built-in calendar file (dated, sourced periods); `--calendar FILE` replaces it.
pub const BUILTIN: &str = include_str!("builtin/calendar.toml");

/// A fixed day of the year with its name.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedDay {
    /// Month.
    pub month: i8,
    /// Day.
    pub day: i8,
    /// Danish name.
    pub name: String,
}

/// A single date with its name.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedDate {
    /// The date.
    pub date: Date,
    /// Danish name or reason.
    pub name: String,
}

/// Days on which a deadline cannot end, for a period.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedDays {
    /// First date the rule holds.
    pub from: Date,
    /// Last date, if any.
    pub to: Option<Date>,
    /// Saturdays and Sundays are closed.
    pub weekends: bool,
    /// Public holidays are closed.
    pub public_holidays: bool,
    /// Further fixed days (Grundlovsdag, 24 and 31 December).
    pub fixed: Vec<FixedDay>,
    /// Law or guidance.
    pub legal_basis: String,
    /// Where it was read.
    pub source: String,
    /// verified, derived or unverified.
    pub status: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Delivery days for physical letters, for a period.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// First date.
    pub from: Date,
    /// Last date, if any.
    pub to: Option<Date>,
    /// A letter counts as received on this delivery day after sending.
    pub days_until_received: u8,
    /// Only Monday-Friday are delivery days.
    pub weekdays_only: bool,
    /// Fixed days without delivery (besides public holidays).
    pub no_delivery_fixed: Vec<FixedDay>,
    /// Single dates without delivery (approved "mellemdage").
    pub no_delivery_dates: Vec<NamedDate>,
    /// Law or guidance.
    pub legal_basis: String,
    /// Where it was read.
    pub source: String,
    /// verified, derived or unverified.
    pub status: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// The lengths of the deadlines and their legal bases.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lengths {
    /// Complaint deadline in weeks.
    pub complaint_weeks: u8,
    /// Its basis.
    pub complaint_basis: String,
    /// Reassessment deadline in weeks.
    pub reassessment_weeks: u8,
    /// Its basis.
    pub reassessment_basis: String,
    /// PL § 21 deadline in months.
    pub board_months: u8,
    /// Its basis.
    pub board_basis: String,
    /// Days a board needs to prepare a case, by default.
    pub board_prepare_days: u16,
    /// File access in working days.
    pub file_access_working_days: u8,
    /// Its basis.
    pub file_access_basis: String,
    /// Hearing answer period in days (a parameter, not law).
    pub hearing_days: u16,
    /// Its basis.
    pub hearing_basis: String,
    /// Why a digital letter is received when sent.
    pub digital_basis: String,
}

/// A recurring meeting day: the nth weekday of each month, except some months.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// The weekday, in English lower case.
    pub weekday: WeekdayName,
    /// 1-4, or -1 for the last.
    pub nth: i8,
    /// Months without a meeting.
    #[serde(default)]
    pub skip_months: Vec<i8>,
}

impl Pattern {
    /// What makes the pattern one no board could meet by, if anything: an nth outside 1-4 and -1, a month
    /// outside 1-12, or every month skipped.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        if !matches!(self.nth, -1 | 1..=4) {
            Some(format!("nth must be 1-4 or -1 (last), got {}", self.nth))
        } else if let Some(m) = self.skip_months.iter().find(|m| !(1..=12).contains(*m)) {
            Some(format!("skip_months: {m} is not a month (1-12)"))
        } else if (1..=12).all(|m| self.skip_months.contains(&m)) {
            Some("skip_months skips every month: the board would never meet".to_owned())
        } else {
            None
        }
    }
}

/// A weekday as written in the file.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WeekdayName {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
}

impl WeekdayName {
    /// As jiff's weekday.
    #[must_use]
    pub fn weekday(self) -> Weekday {
        match self {
            WeekdayName::Monday => Weekday::Monday,
            WeekdayName::Tuesday => Weekday::Tuesday,
            WeekdayName::Wednesday => Weekday::Wednesday,
            WeekdayName::Thursday => Weekday::Thursday,
            WeekdayName::Friday => Weekday::Friday,
        }
    }
}

/// A pension board's meeting calendar: explicit dates for the years they cover, the pattern elsewhere.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    /// Name of the board.
    pub name: String,
    /// The recurring rule.
    pub pattern: Option<Pattern>,
    /// Explicit meeting dates.
    #[serde(default)]
    pub dates: Vec<Date>,
    /// Where the dates come from.
    pub source: String,
}

/// All calendar parameters.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarParams {
    /// Closed-day periods.
    pub closed_days: Vec<ClosedDays>,
    /// Delivery periods.
    pub delivery: Vec<Delivery>,
    /// Deadline lengths.
    pub deadlines: Lengths,
    /// The board's meetings.
    pub board: Board,
}

impl CalendarParams {
    /// The built-in parameters.
    ///
    /// # Panics
    /// Never in a released build: the built-in file is checked by a test.
    #[must_use]
    pub fn builtin() -> &'static CalendarParams {
        static PARAMS: OnceLock<CalendarParams> = OnceLock::new();
        PARAMS.get_or_init(|| {
            #[expect(clippy::expect_used, reason = "the built-in calendar is validated by the test suite")]
            CalendarParams::parse(BUILTIN, "built-in calendar.toml").expect("built-in calendar.toml is valid")
        })
    }

    /// Parses a calendar file (same format as the built-in one).
    ///
    /// # Errors
    /// Not TOML or not the expected shape; the message names the file, line and field.
    pub fn parse(text: &str, origin: &str) -> Result<CalendarParams, CalendarError> {
        let params: CalendarParams = toml::from_str(text).map_err(|e| CalendarError::Parse {
            origin: origin.to_owned(),
            message: e.to_string().replace('\n', " "),
        })?;
        if let Some(problem) = params.board.pattern.as_ref().and_then(Pattern::problem) {
            return Err(CalendarError::Parse {
                origin: origin.to_owned(),
                message: format!("board.pattern.{problem}"),
            });
        }
        Ok(params)
    }

    /// The closed-day rule for `day`.
    ///
    /// # Errors
    /// No period covers the date.
    pub fn closed_rule(&self, day: Date) -> Result<&ClosedDays, CalendarError> {
        self.closed_days
            .iter()
            .find(|c| c.from <= day && c.to.is_none_or(|to| day <= to))
            .ok_or(CalendarError::NoRule { what: "closed days", date: day })
    }

    /// The delivery rule for `day`.
    ///
    /// # Errors
    /// No period covers the date.
    pub fn delivery_rule(&self, day: Date) -> Result<&Delivery, CalendarError> {
        self.delivery
            .iter()
            .find(|c| c.from <= day && c.to.is_none_or(|to| day <= to))
            .ok_or(CalendarError::NoRule { what: "delivery days", date: day })
    }
}
