//! The pension board's meeting calendar: monthly meetings (none in July, in the seed's municipality),
//! explicit dates where the municipality has published them and a recurring pattern elsewhere.

use super::CalendarError;
use super::days::{is_working_day, next_day};
use super::params::{Board, CalendarParams};
use jiff::ToSpan;
use jiff::civil::Date;

/// One meeting, and whether the pattern's date was moved off a closed day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meeting {
    /// The date.
    pub date: Date,
    /// The pattern's date fell on a closed day and was moved to the next working day.
    pub moved_from: Option<Date>,
}

/// The meetings of `year` (local practice, seed 004): the explicit dates if the calendar lists any for the
/// year, otherwise the pattern, moved to the next working day where it falls on a closed day; none if the
/// calendar has neither.
///
/// # Errors
/// A date is outside the calendar.
pub fn meetings(params: &CalendarParams, board: &Board, year: i16) -> Result<Vec<Meeting>, CalendarError> {
    let explicit: Vec<Meeting> =
        board.dates.iter().filter(|d| d.year() == year).map(|&date| Meeting { date, moved_from: None }).collect();
    if !explicit.is_empty() {
        return Ok(explicit);
    }
    let Some(pattern) = board.pattern.as_ref() else { return Ok(Vec::new()) };
    let mut out = Vec::with_capacity(12);
    for month in 1..=12_i8 {
        if pattern.skip_months.contains(&month) {
            continue;
        }
        let first = jiff::civil::date(year, month, 1);
        let Ok(date) = first.nth_weekday_of_month(pattern.nth, pattern.weekday.weekday()) else { continue };
        let mut moved = date;
        while !is_working_day(params, moved)? {
            moved = next_day(moved)?;
        }
        out.push(Meeting { date: moved, moved_from: (moved != date).then_some(date) });
    }
    Ok(out)
}

/// The first meeting on or after `ready` + `prepare_days` days.
///
/// # Errors
/// As [`meetings`].
pub fn next_meeting(
    params: &CalendarParams,
    board: &Board,
    ready: Date,
    prepare_days: u16,
) -> Result<Option<Meeting>, CalendarError> {
    let earliest = ready
        .checked_add(i64::from(prepare_days).days())
        .map_err(|_| CalendarError::YearOutOfRange { year: ready.year() })?;
    for year in earliest.year()..=earliest.year().saturating_add(1) {
        if let Some(m) = meetings(params, board, year)?.into_iter().find(|m| m.date >= earliest) {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_pattern_reproduces_gladsaxes_published_2024_dates() {
        // Seed 004: 18/1, 15/2, 21/3, 18/4, 16/5, 20/6, 15/8, 19/9, 17/10, 21/11, 19/12 2024.
        let params = CalendarParams::builtin();
        let pattern_only = Board { dates: Vec::new(), ..params.board.clone() };
        let from_pattern: Vec<Date> =
            meetings(params, &pattern_only, 2024).expect("2024").iter().map(|m| m.date).collect();
        assert_eq!(from_pattern, params.board.dates);
        assert_eq!(from_pattern.len(), 11, "no meeting in July");
    }

    #[test]
    fn a_meeting_on_a_holiday_moves_to_the_next_working_day() {
        // A board meeting on the second Thursday: in May 2026 that is 14 May, Kristi himmelfartsdag.
        let params = CalendarParams::builtin();
        let mut board = params.board.clone();
        board.dates.clear();
        if let Some(p) = board.pattern.as_mut() {
            p.nth = 2;
        }
        let may = meetings(params, &board, 2026).expect("2026").into_iter().find(|m| m.date.month() == 5).expect("May");
        assert_eq!(may.moved_from, Some(date(2026, 5, 14)));
        assert_eq!(may.date, date(2026, 5, 15));
    }

    #[test]
    fn next_meeting_with_time_to_prepare() {
        let params = CalendarParams::builtin();
        // Ready 2024-06-10, 14 days → earliest 2024-06-24; June's meeting (20/6) is too early, July has none.
        let m = next_meeting(params, &params.board, date(2024, 6, 10), 14).expect("calendar").expect("a meeting");
        assert_eq!(m.date, date(2024, 8, 15));
    }
}
