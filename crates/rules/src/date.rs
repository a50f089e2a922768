//! Civil dates as the law counts them: parsing, ages and "more than N months".

use jiff::civil::Date;

/// The years a date of the review can lie in: CPR began in 1968 and its oldest persons were born in the
/// 1860s; nothing the review decides lies beyond the 22nd century. A year outside (0000, 9999) is a
/// typing error or a placeholder, never a date to judge by.
pub const YEARS: std::ops::RangeInclusive<i16> = 1800..=2199;

/// Parses an ISO 8601 calendar date (`2026-07-01`) from bytes, rejecting impossible dates and years
/// outside [`YEARS`].
///
/// This is the hot path of register parsing, so it avoids allocation and general-purpose parsers.
#[must_use]
pub fn parse_iso(bytes: &[u8]) -> Option<Date> {
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i32> {
        bytes[range].iter().try_fold(0i32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + i32::from(b - b'0')))
    };
    let year = i16::try_from(digits(0..4)?).ok().filter(|y| YEARS.contains(y))?;
    let month = i8::try_from(digits(5..7)?).ok()?;
    let day = i8::try_from(digits(8..10)?).ok()?;
    Date::new(year, month, day).ok()
}

/// The day `at` falls on in Copenhagen, where the law's days are counted (UTC if the zone is unknown: a
/// build without the time-zone database).
#[must_use]
pub fn day_of(at: jiff::Timestamp) -> Date {
    at.in_tz("Europe/Copenhagen").map_or_else(|_| at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(), |z| z.date())
}

/// Whole years of age on `on` for a person born on `birth`.
///
/// A person is a year older on the birthday itself (so a person whose 60th birthday is the reference date
/// is 60 — the reading PL § 44, stk. 3 "efter det fyldte 60. år" needs). A person born on 29 February
/// becomes a year older on 1 March in common years, because 28 February is before the birthday.
#[must_use]
pub fn age_on(birth: Date, on: Date) -> i16 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The date `months` calendar months after `date`; a day that does not exist in the target month becomes
/// that month's last day (31 January + 1 month = 28 or 29 February).
#[must_use]
pub fn add_months(date: Date, months: i32) -> Date {
    let total = i32::from(date.year()) * 12 + i32::from(date.month()) - 1 + months;
    let year = i16::try_from(total.div_euclid(12)).unwrap_or(i16::MAX);
    let month = i8::try_from(total.rem_euclid(12) + 1).unwrap_or(12);
    let last = days_in_month(year, month);
    Date::new(year, month, date.day().min(last)).unwrap_or(date)
}

fn days_in_month(year: i16, month: i8) -> i8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap(year: i16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Danish long form, as a caseworker reads it: `1. juli 2026`.
#[must_use]
pub fn danish(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)];
    format!("{}. {} {}", date.day(), month, date.year())
}

/// Appends `date` as `YYYY-MM-DD` without going through the formatter (used when writing millions of rows).
pub fn write_iso(out: &mut Vec<u8>, date: Date) {
    let y = u16::try_from(date.year()).unwrap_or(0);
    let m = u8::try_from(date.month()).unwrap_or(0);
    let d = u8::try_from(date.day()).unwrap_or(0);
    let digit = |n: u16| b'0' + u8::try_from(n % 10).unwrap_or(0);
    out.extend_from_slice(&[
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        b'0' + m / 10,
        b'0' + m % 10,
        b'-',
        b'0' + d / 10,
        b'0' + d % 10,
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// A day is Copenhagen's: 23:30 UTC on 3 January is 00:30 on the 4th there (winter, UTC+1), and 22:30
    /// UTC on 30 June is 00:30 on 1 July (summer, UTC+2).
    #[test]
    fn a_day_is_the_day_in_copenhagen() {
        let at = |s: &str| s.parse::<jiff::Timestamp>().expect("instant");
        assert_eq!(day_of(at("2033-01-03T23:30:00Z")), date(2033, 1, 4));
        assert_eq!(day_of(at("2033-01-03T22:59:59Z")), date(2033, 1, 3));
        assert_eq!(day_of(at("2026-06-30T22:30:00Z")), date(2026, 7, 1));
        assert_eq!(day_of(at("2026-06-30T21:59:59Z")), date(2026, 6, 30));
    }

    #[test]
    fn a_year_no_date_of_the_review_can_have_is_not_a_date() {
        for text in ["0000-01-01", "0001-01-01", "1799-12-31", "2200-01-01", "9999-12-31"] {
            assert_eq!(parse_iso(text.as_bytes()), None, "{text}");
        }
        assert_eq!(parse_iso(b"1800-01-01"), Some(date(1800, 1, 1)));
        assert_eq!(parse_iso(b"2199-12-31"), Some(date(2199, 12, 31)));
        assert_eq!(parse_iso(b"2026-02-29"), None, "not a leap year");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse_iso(b"2026-07-01"), Some(date(2026, 7, 1)));
        assert_eq!(parse_iso(b"1999-02-30"), None);
        assert_eq!(parse_iso(b"2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(parse_iso(b"2023-02-29"), None);
        assert_eq!(parse_iso(b"2026-7-01"), None);
        assert_eq!(parse_iso(b"2026/07/01"), None);
        assert_eq!(parse_iso(b"20x6-07-01"), None);
    }

    /// PL § 44, stk. 3: "efter det fyldte 60. år" — a person is 60 on the 60th birthday itself.
    #[test]
    fn sixtieth_birthday_is_sixty() {
        let born = date(1966, 12, 1);
        assert_eq!(age_on(born, date(2026, 11, 30)), 59);
        assert_eq!(age_on(born, date(2026, 12, 1)), 60);
    }

    #[test]
    fn leap_day_birthday_counts_from_first_of_march() {
        let born = date(1968, 2, 29);
        assert_eq!(age_on(born, date(2028, 2, 28)), 59);
        assert_eq!(age_on(born, date(2028, 2, 29)), 60);
        assert_eq!(age_on(born, date(2027, 2, 28)), 58);
        assert_eq!(age_on(born, date(2027, 3, 1)), 59);
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months(date(2020, 1, 31), 1), date(2020, 2, 29));
        assert_eq!(add_months(date(2020, 2, 29), 12), date(2021, 2, 28));
        assert_eq!(add_months(date(2020, 5, 15), 12), date(2021, 5, 15));
    }

    #[test]
    fn danish_long_form() {
        assert_eq!(danish(date(2026, 7, 1)), "1. juli 2026");
    }

    proptest! {
        #[test]
        fn iso_round_trip(days in 0i32..80_000) {
            let d = date(1900, 1, 1).checked_add(jiff::Span::new().days(days)).expect("in range");
            let mut buf = Vec::new();
            write_iso(&mut buf, d);
            prop_assert_eq!(std::str::from_utf8(&buf).expect("ascii"), d.to_string());
            prop_assert_eq!(parse_iso(&buf), Some(d));
        }
    }
}
