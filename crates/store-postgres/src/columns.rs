//! Reading a row's columns by name, whatever native type holds them (migration 9): the code both adapters
//! share reads an instant, a day or a JSON document as the text SQLite stores, so PostgreSQL's binary
//! forms are turned into that text here, once. A value that is not of its column's type (a bad row) is an
//! error naming the column, never a panic.

use gennemgang_store::StoreError;
use sqlx::postgres::{PgRow, PgValueFormat, PgValueRef};
use sqlx::{Row, TypeInfo, ValueRef};

/// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01 00:00 UTC.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// Days from the Unix epoch to PostgreSQL's.
const PG_EPOCH_DAYS: i32 = 10_957;

/// What a column can be read as.
pub(crate) trait Column<'r>: Sized {
    /// The column `name` of `row`.
    fn read(row: &'r PgRow, name: &str) -> Result<Self, StoreError>;
}

/// Types sqlx decodes as they are.
macro_rules! decoded {
    ($($t:ty),*) => {$(
        impl<'r> Column<'r> for $t {
            fn read(row: &'r PgRow, name: &str) -> Result<Self, StoreError> {
                row.try_get(name).map_err(|e| bad(name, &e))
            }
        }
    )*};
}
decoded!(i64, Option<i64>, bool, Option<bool>, Vec<u8>, Option<Vec<u8>>);

impl<'r> Column<'r> for Option<String> {
    fn read(row: &'r PgRow, name: &str) -> Result<Self, StoreError> {
        let value = row.try_get_raw(name).map_err(|e| bad(name, &e))?;
        text(value).map_err(|e| bad(name, &e))
    }
}

impl<'r> Column<'r> for String {
    fn read(row: &'r PgRow, name: &str) -> Result<Self, StoreError> {
        Option::<String>::read(row, name)?.ok_or_else(|| bad(name, &"NULL"))
    }
}

impl<'r> Column<'r> for &'r str {
    fn read(row: &'r PgRow, name: &str) -> Result<Self, StoreError> {
        let value = row.try_get_raw(name).map_err(|e| bad(name, &e))?;
        borrowed(value).map_err(|e| bad(name, &e))
    }
}

fn bad(name: &str, e: &dyn std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("column {name}: {e}"))
}

/// A text, JSON or JSONB value as the text it holds, borrowed from the row.
fn borrowed(value: PgValueRef<'_>) -> Result<&str, String> {
    if value.is_null() {
        return Err("NULL".into());
    }
    let kind = value.type_info().name().to_owned();
    let binary = value.format() == PgValueFormat::Binary;
    let bytes = value.as_bytes().map_err(|e| e.to_string())?;
    let bytes = match (kind.as_str(), binary) {
        // JSONB's binary form is a version byte before the text.
        ("JSONB", true) => match bytes.split_first() {
            Some((1, rest)) => rest,
            _ => return Err("a JSONB value of an unknown version".into()),
        },
        ("TEXT" | "VARCHAR" | "JSON" | "JSONB", _) => bytes,
        _ => return Err(format!("a {kind} value where text was expected")),
    };
    std::str::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Any value the shared code reads as text: an instant in jiff's form (`2026-12-07T13:39:42.123456Z`), a
/// day as `2026-12-07`, JSON as its text.
fn text(value: PgValueRef<'_>) -> Result<Option<String>, String> {
    if value.is_null() {
        return Ok(None);
    }
    let kind = value.type_info().name().to_owned();
    if value.format() == PgValueFormat::Binary {
        let bytes = value.as_bytes().map_err(|e| e.to_string())?;
        match kind.as_str() {
            "TIMESTAMPTZ" => {
                let micros = i64::from_be_bytes(bytes.try_into().map_err(|_| "a timestamptz of the wrong size")?);
                return instant(micros).map(Some);
            }
            "DATE" => {
                let days = i32::from_be_bytes(bytes.try_into().map_err(|_| "a date of the wrong size")?);
                return day(days).map(Some);
            }
            _ => {}
        }
    }
    borrowed(value).map(|s| Some(s.to_owned()))
}

/// PostgreSQL's instant (microseconds after 2000) in jiff's form; one jiff cannot hold (infinity) is an error.
fn instant(micros: i64) -> Result<String, String> {
    micros
        .checked_add(PG_EPOCH_MICROS)
        .and_then(|m| jiff::Timestamp::from_microsecond(m).ok())
        .map(|t| t.to_string())
        .ok_or_else(|| format!("the instant {micros} µs after 2000 is out of range"))
}

/// PostgreSQL's day (days after 2000) as `2026-12-07`; one jiff cannot hold (±infinity, year 294276) is an
/// error, never a panic.
fn day(days: i32) -> Result<String, String> {
    days.checked_add(PG_EPOCH_DAYS)
        .and_then(|d| jiff::Span::new().try_days(i64::from(d)).ok())
        .and_then(|span| jiff::civil::date(1970, 1, 1).checked_add(span).ok())
        .map(|d| d.to_string())
        .ok_or_else(|| format!("the day {days} after 2000 is out of range"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn instants_and_days_out_of_jiffs_range_are_errors() {
        assert_eq!(super::day(0).as_deref(), Ok("2000-01-01"));
        assert_eq!(super::day(9_837).as_deref(), Ok("2026-12-07"));
        assert_eq!(super::instant(0).as_deref(), Ok("2000-01-01T00:00:00Z"));
        assert_eq!(super::instant(1).as_deref(), Ok("2000-01-01T00:00:00.000001Z"));
        // -infinity, infinity, year 294276, and before the year -9999.
        for days in [i32::MIN, i32::MAX, 106_741_000, -4_400_000] {
            assert!(super::day(days).is_err(), "{days}");
        }
        for micros in [i64::MIN, i64::MAX, 9_200_000_000_000_000_000, 253_000_000_000_000_000] {
            assert!(super::instant(micros).is_err(), "{micros}");
        }
    }

    #[test]
    fn the_epochs_are_postgresqls() {
        let pg_epoch = jiff::Timestamp::from_microsecond(super::PG_EPOCH_MICROS).expect("in range");
        assert_eq!(pg_epoch.to_string(), "2000-01-01T00:00:00Z");
        let day = jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(super::PG_EPOCH_DAYS)))
            .expect("in range");
        assert_eq!(day.to_string(), "2000-01-01");
    }
}
