//! Kinds of days: closed days (a deadline cannot end on them), working days and delivery days.

use super::CalendarError;
use super::holidays::holiday_on;
use super::params::CalendarParams;
use jiff::civil::{Date, Weekday};

/// Why a day is closed, in Danish; `None` if it is open.
///
/// A deadline cannot end on a Saturday, Sunday, public holiday, Grundlovsdag, 24 or 31 December
/// (Justitsministeriets vejledning nr. 9533 af 26/6 2018; forældelsesloven § 27, stk. 2), as the dated
/// closed-day rule of the calendar parameters lists them.
///
/// # Errors
/// No closed-day rule covers the date, or the year is outside the holiday calendar.
pub fn closed_reason(params: &CalendarParams, day: Date) -> Result<Option<String>, CalendarError> {
    let rule = params.closed_rule(day)?;
    if rule.weekends && matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
        return Ok(Some(weekday_danish(day.weekday()).to_owned()));
    }
    if rule.public_holidays {
        super::holidays::holidays(day.year())?;
        if let Some(h) = holiday_on(day) {
            return Ok(Some(h.name.to_lowercase()));
        }
    }
    Ok(rule.fixed.iter().find(|f| f.month == day.month() && f.day == day.day()).map(|f| f.name.to_lowercase()))
}

/// Whether `day` is a working day (not closed).
///
/// # Errors
/// As [`closed_reason`].
pub fn is_working_day(params: &CalendarParams, day: Date) -> Result<bool, CalendarError> {
    Ok(closed_reason(params, day)?.is_none())
}

/// Whether physical letters are delivered on `day` (an omdelingsdag): weekdays that are not public holidays,
/// fixed days without delivery, or approved "mellemdage" (JM vejledning nr. 9533 af 26/6 2018; RULES.md § 4.3).
///
/// # Errors
/// No delivery rule covers the date, or the year is outside the holiday calendar.
pub fn is_delivery_day(params: &CalendarParams, day: Date) -> Result<bool, CalendarError> {
    let rule = params.delivery_rule(day)?;
    if rule.weekdays_only && matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
        return Ok(false);
    }
    super::holidays::holidays(day.year())?;
    if holiday_on(day).is_some() {
        return Ok(false);
    }
    if rule.no_delivery_fixed.iter().any(|f| f.month == day.month() && f.day == day.day()) {
        return Ok(false);
    }
    Ok(!rule.no_delivery_dates.iter().any(|d| d.date == day))
}

/// The `n`-th working day after `day` (the day itself not counted): how a deadline of so many working
/// days runs, as the answer to a request for access to one's own case (aktindsigt, forvaltningslovens
/// § 16, stk. 2, as far as possible within 7 working days).
///
/// # Errors
/// As [`closed_reason`].
pub fn working_days_after(params: &CalendarParams, day: Date, n: u16) -> Result<Date, CalendarError> {
    let mut at = day;
    let mut left = n;
    while left > 0 {
        at = next_day(at)?;
        if is_working_day(params, at)? {
            left -= 1;
        }
    }
    Ok(at)
}

/// The day after `day`.
///
/// # Errors
/// The end of the calendar.
pub fn next_day(day: Date) -> Result<Date, CalendarError> {
    day.tomorrow().map_err(|_| CalendarError::YearOutOfRange { year: day.year() })
}

/// The Danish name of a weekday, lower case.
#[must_use]
pub fn weekday_danish(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "mandag",
        Weekday::Tuesday => "tirsdag",
        Weekday::Wednesday => "onsdag",
        Weekday::Thursday => "torsdag",
        Weekday::Friday => "fredag",
        Weekday::Saturday => "lørdag",
        Weekday::Sunday => "søndag",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn closed_days_around_christmas_2026() {
        let p = CalendarParams::builtin();
        let reason = |m, d| closed_reason(p, date(2026, m, d)).expect("covered");
        assert_eq!(reason(12, 24).as_deref(), Some("juleaftensdag"));
        assert_eq!(reason(12, 25).as_deref(), Some("juledag"));
        assert_eq!(reason(12, 27).as_deref(), Some("søndag"));
        assert_eq!(reason(12, 28), None);
        assert_eq!(reason(12, 31).as_deref(), Some("nytårsaftensdag"));
        assert_eq!(reason(6, 5).as_deref(), Some("grundlovsdag"));
    }

    #[test]
    fn delivery_days_skip_weekends_holidays_grundlovsdag_christmas_eve_and_mellemdage() {
        let p = CalendarParams::builtin();
        let delivered = |y, m, d| is_delivery_day(p, date(y, m, d)).expect("covered");
        assert!(delivered(2026, 12, 23));
        assert!(!delivered(2026, 12, 24));
        assert!(!delivered(2026, 12, 26));
        assert!(delivered(2026, 12, 31), "31 December is a delivery day unless approved as a mellemdag");
        assert!(!delivered(2018, 12, 31), "approved mellemdag 2018");
        assert!(!delivered(2025, 6, 5));
    }

    #[test]
    fn dates_before_the_first_rule_are_refused() {
        let p = CalendarParams::builtin();
        assert!(matches!(closed_reason(p, date(2007, 12, 31)), Err(CalendarError::NoRule { .. })));
    }

    /// Seven working days from a request received on Monday 7 December 2026 end on Wednesday 16 December;
    /// from Monday 21 December they pass over 24-26 and 31 December and New Year's Day.
    #[test]
    fn working_days_run_past_weekends_and_the_christmas_days() {
        let p = CalendarParams::builtin();
        assert_eq!(working_days_after(p, jiff::civil::date(2026, 12, 7), 7), Ok(jiff::civil::date(2026, 12, 16)));
        assert_eq!(working_days_after(p, jiff::civil::date(2026, 12, 21), 7), Ok(jiff::civil::date(2027, 1, 5)));
    }
}
