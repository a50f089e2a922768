//! Dates as day numbers, for generating millions of them quickly (H. Hinnant's civil-from-days algorithm).

use jiff::civil::Date;

/// Days since 1970-01-01 for a date.
#[must_use]
pub fn from_date(d: Date) -> i32 {
    let (y, m, day) = (i32::from(d.year()), i32::from(d.month()), i32::from(d.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number.
#[must_use]
pub fn to_date(days: i32) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i32::from(month <= 2);
    let narrow = |v: i32| i8::try_from(v).unwrap_or(1);
    Date::new(i16::try_from(year).unwrap_or(1970), narrow(month), narrow(day)).unwrap_or(Date::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn round_trips_against_jiff() {
        let mut d = date(1899, 12, 25);
        for _ in 0..60_000 {
            let n = from_date(d);
            assert_eq!(to_date(n), d);
            let next = d.tomorrow().expect("in range");
            assert_eq!(from_date(next), n + 1);
            d = next;
        }
        assert_eq!(from_date(date(1970, 1, 1)), 0);
    }
}
