//! The CPR number as a type that cannot leak: it prints masked everywhere except where asked for in full.

use jiff::civil::Date;
use std::fmt;

/// A Danish personal identification number (10 digits, `DDMMYY` + serial).
///
/// `Debug` and `Display` show only the date part (`010180-****`) so that a CPR number never reaches a log
/// by accident; [`Cpr::full`] is the one deliberate way to get all ten digits (for the screening output that
/// feeds `import`). Numbers whose day is 61-91 are CPR's replacement numbers ("erstatningspersonnummer",
/// day + 60); the synthetic data uses only those, so it can never hold a real person's number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpr(u64);

/// Why a text is not a CPR number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CprError {
    /// Not ten digits (optionally written `DDMMYY-SSSS`).
    #[error("is not 10 digits")]
    Shape,
    /// The first six digits are not a date.
    #[error("does not begin with a date (DDMMYY)")]
    Date,
}

impl Cpr {
    /// Parses `DDMMYYSSSS` or `DDMMYY-SSSS`.
    ///
    /// # Errors
    /// [`CprError`] when the shape or the date part is wrong.
    pub fn parse(bytes: &[u8]) -> Result<Cpr, CprError> {
        let mut digits = [0u8; 10];
        match bytes.len() {
            10 => digits.copy_from_slice(bytes),
            11 if bytes[6] == b'-' => {
                digits[..6].copy_from_slice(&bytes[..6]);
                digits[6..].copy_from_slice(&bytes[7..]);
            }
            _ => return Err(CprError::Shape),
        }
        let mut value = 0u64;
        for d in &mut digits {
            if !d.is_ascii_digit() {
                return Err(CprError::Shape);
            }
            *d -= b'0';
            value = value * 10 + u64::from(*d);
        }
        let two = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
        birth_date_of(two(0), two(2), two(4), digits[6]).ok_or(CprError::Date)?;
        Ok(Cpr(value))
    }

    /// The birth date the number encodes, with the century from the 7th digit (CPR's rule).
    #[must_use]
    pub fn birth_date(self) -> Option<Date> {
        let part = |pos: u32, len: u32| u32::try_from((self.0 / 10u64.pow(10 - pos - len)) % 10u64.pow(len)).ok();
        birth_date_of(part(0, 2)?, part(2, 2)?, part(4, 2)?, u8::try_from(part(6, 1)?).ok()?)
    }

    /// The numeric value; stable, compact key for sorting and hashing.
    #[must_use]
    pub fn value(self) -> u64 {
        self.0
    }

    /// Builds from a numeric value already known to be valid (e.g. one this crate produced).
    #[must_use]
    pub fn from_value(value: u64) -> Option<Cpr> {
        let cpr = Cpr(value);
        (value < 10_000_000_000 && cpr.birth_date().is_some()).then_some(cpr)
    }

    /// All ten digits. Use only where the full number is the point (the screening output).
    #[must_use]
    pub fn full(self) -> String {
        format!("{:010}", self.0)
    }

    /// Appends the ten digits to a byte buffer (fast path for writing files).
    pub fn write_full(self, out: &mut Vec<u8>) {
        let mut digits = [b'0'; 10];
        let mut v = self.0;
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + u8::try_from(v % 10).unwrap_or(0);
            v /= 10;
        }
        out.extend_from_slice(&digits);
    }
}

/// The date a CPR number's `DD`, `MM`, `YY` and 7th digit encode (replacement numbers have day + 60).
fn birth_date_of(dd: u32, mm: u32, yy: u32, seventh: u8) -> Option<Date> {
    let day = if dd > 60 { dd - 60 } else { dd };
    let century = match (seventh, yy) {
        (0..=3, _) => 1900,
        (4 | 9, 0..=36) => 2000,
        (4 | 9, _) => 1900,
        (_, 0..=57) => 2000,
        _ => 1800,
    };
    let year = i16::try_from(century + yy).ok()?;
    Date::new(year, i8::try_from(mm).ok()?, i8::try_from(day).ok()?).ok()
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}-****", self.0 / 10_000)
    }
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn masks_in_debug_and_display() {
        let cpr = Cpr::parse(b"6105801234").expect("valid replacement number");
        assert_eq!(cpr.to_string(), "610580-****");
        assert_eq!(format!("{cpr:?}"), "Cpr(610580-****)");
        assert_eq!(cpr.full(), "6105801234");
        let mut buf = Vec::new();
        cpr.write_full(&mut buf);
        assert_eq!(buf, b"6105801234");
    }

    #[test]
    fn century_from_seventh_digit() {
        assert_eq!(Cpr::parse(b"010180-1234").expect("ok").birth_date(), Some(date(1980, 1, 1)));
        assert_eq!(Cpr::parse(b"0101104234").expect("ok").birth_date(), Some(date(2010, 1, 1)));
        assert_eq!(Cpr::parse(b"0101504234").expect("ok").birth_date(), Some(date(1950, 1, 1)));
        assert_eq!(Cpr::parse(b"0101505234").expect("ok").birth_date(), Some(date(2050, 1, 1)));
        assert_eq!(Cpr::parse(b"0101605234").expect("ok").birth_date(), Some(date(1860, 1, 1)));
        assert_eq!(Cpr::parse(b"0101129234").expect("ok").birth_date(), Some(date(2012, 1, 1)));
    }

    #[test]
    fn rejects_bad_numbers() {
        assert_eq!(Cpr::parse(b"123"), Err(CprError::Shape));
        assert_eq!(Cpr::parse(b"01018012345"), Err(CprError::Shape));
        assert_eq!(Cpr::parse(b"0101801a34"), Err(CprError::Shape));
        assert_eq!(Cpr::parse(b"3002801234"), Err(CprError::Date));
        assert_eq!(Cpr::parse(b"0113801234"), Err(CprError::Date));
        assert_eq!(Cpr::parse(b"9202801234"), Err(CprError::Date));
    }
}
