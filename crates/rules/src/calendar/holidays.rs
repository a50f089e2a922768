//! Danish public holidays (helligdage): fixed dates and feasts counted from Easter, each rule dated.

use super::CalendarError;
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// How a holiday falls.
#[derive(Clone, Copy, Debug)]
enum When {
    /// A fixed month and day.
    Fixed(i8, i8),
    /// Days after Easter Sunday (negative: before).
    Easter(i32),
}

/// A dated holiday rule.
#[derive(Clone, Copy, Debug)]
struct Rule {
    name: &'static str,
    when: When,
    /// Last year the holiday was kept, if it was abolished.
    until: Option<i16>,
    legal_basis: &'static str,
}

const FOLKEKIRKE: &str = "Helligdage i folkekirken (listen er ikke kontrolleret mod helligdagsbekendtgørelsen)";

/// The holidays, in the order of the year. Store Bededag was abolished from 1 January 2024 (L 13 2022-23).
const RULES: &[Rule] = &[
    Rule { name: "Nytårsdag", when: When::Fixed(1, 1), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "Skærtorsdag", when: When::Easter(-3), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "Langfredag", when: When::Easter(-2), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "Påskedag", when: When::Easter(0), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "2. påskedag", when: When::Easter(1), until: None, legal_basis: FOLKEKIRKE },
    Rule {
        name: "Store bededag",
        when: When::Easter(26),
        until: Some(2023),
        legal_basis: "Afskaffet som helligdag fra 1. januar 2024 (L 13 2022-23)",
    },
    Rule { name: "Kristi himmelfartsdag", when: When::Easter(39), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "Pinsedag", when: When::Easter(49), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "2. pinsedag", when: When::Easter(50), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "Juledag", when: When::Fixed(12, 25), until: None, legal_basis: FOLKEKIRKE },
    Rule { name: "2. juledag", when: When::Fixed(12, 26), until: None, legal_basis: FOLKEKIRKE },
];

/// The years the calendar covers. Before 1900 and after 2200 the holiday list is not known to hold.
pub const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// One public holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// The date.
    pub date: Date,
    /// The Danish name.
    pub name: &'static str,
    /// The rule behind it.
    pub legal_basis: &'static str,
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
#[must_use]
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, i8::try_from(month).unwrap_or(4), i8::try_from(day).unwrap_or(1))
}

/// The public holidays of `year`, in date order.
///
/// # Errors
/// The year is outside [`YEARS`].
pub fn holidays(year: i16) -> Result<Vec<Holiday>, CalendarError> {
    if !YEARS.contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    let easter = easter(year);
    Ok(RULES
        .iter()
        .filter(|rule| rule.until.is_none_or(|until| year <= until))
        .map(|rule| Holiday {
            date: match rule.when {
                When::Fixed(month, day) => date(year, month, day),
                When::Easter(offset) => easter.checked_add(offset.days()).unwrap_or(easter),
            },
            name: rule.name,
            legal_basis: rule.legal_basis,
        })
        .collect())
}

/// The holiday on `day`, if it is one.
#[must_use]
pub fn holiday_on(day: Date) -> Option<Holiday> {
    holidays(day.year()).ok()?.into_iter().find(|h| h.date == day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_sundays_from_the_tables() {
        for (year, month, day) in [
            (1900, 4, 15),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2100, 3, 28),
        ] {
            assert_eq!(easter(year), date(year, month, day), "{year}");
        }
    }

    #[test]
    fn store_bededag_is_kept_until_2023_only() {
        let names = |y| holidays(y).expect("year").iter().map(|h| h.name).collect::<Vec<_>>();
        assert!(names(2023).contains(&"Store bededag"));
        assert_eq!(holiday_on(date(2023, 5, 5)).map(|h| h.name), Some("Store bededag"));
        assert!(!names(2024).contains(&"Store bededag"));
        assert_eq!(holidays(2023).expect("2023").len(), 11);
        assert_eq!(holidays(2024).expect("2024").len(), 10);
    }

    #[test]
    fn holidays_of_2026() {
        let got: Vec<(Date, &str)> = holidays(2026).expect("2026").iter().map(|h| (h.date, h.name)).collect();
        assert_eq!(
            got,
            vec![
                (date(2026, 1, 1), "Nytårsdag"),
                (date(2026, 4, 2), "Skærtorsdag"),
                (date(2026, 4, 3), "Langfredag"),
                (date(2026, 4, 5), "Påskedag"),
                (date(2026, 4, 6), "2. påskedag"),
                (date(2026, 5, 14), "Kristi himmelfartsdag"),
                (date(2026, 5, 24), "Pinsedag"),
                (date(2026, 5, 25), "2. pinsedag"),
                (date(2026, 12, 25), "Juledag"),
                (date(2026, 12, 26), "2. juledag"),
            ]
        );
    }

    #[test]
    fn years_outside_the_calendar_are_refused() {
        assert_eq!(holidays(1899), Err(CalendarError::YearOutOfRange { year: 1899 }));
    }
}
