//! Parsing single register fields into domain values; each error names the column and the value.

use crate::error::FieldError;
use gennemgang_rules::country::Country;
use gennemgang_rules::cpr::Cpr;
use gennemgang_rules::municipality;
use jiff::civil::Date;

/// A required CPR number. The value is never echoed in the error.
pub fn cpr(column: &str, bytes: &[u8]) -> Result<Cpr, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::missing(column));
    }
    Cpr::parse(bytes).map_err(|e| FieldError::hidden(column, &format!("is not a CPR number ({e})")))
}

/// An optional date (empty = unknown).
pub fn date(column: &str, bytes: &[u8]) -> Result<Option<Date>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    gennemgang_rules::date::parse_iso(bytes).map(Some).ok_or_else(|| FieldError::value(column, bytes, "is not a date"))
}

/// A required date.
pub fn required_date(column: &str, bytes: &[u8]) -> Result<Date, FieldError> {
    date(column, bytes)?.ok_or_else(|| FieldError::missing(column))
}

/// An optional ISO 3166 alpha-2 country.
pub fn country(column: &str, bytes: &[u8]) -> Result<Option<Country>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    Country::parse(bytes)
        .map(Some)
        .ok_or_else(|| FieldError::value(column, bytes, "is not an ISO 3166 alpha-2 country code"))
}

/// An optional municipality code.
pub fn municipality(column: &str, bytes: &[u8]) -> Result<Option<u16>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    municipality::parse_code(bytes)
        .map(Some)
        .ok_or_else(|| FieldError::value(column, bytes, "is not a municipality code"))
}

/// CPR status codes (recordtype 001), RULES.md § 6.3.
const CPR_STATUSES: [u8; 12] = [1, 3, 5, 7, 10, 20, 30, 50, 60, 70, 80, 90];

/// An optional CPR status code (`01`, `80` …).
pub fn cpr_status(column: &str, bytes: &[u8]) -> Result<Option<u8>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let code = (bytes.len() <= 2 && bytes.iter().all(u8::is_ascii_digit))
        .then(|| bytes.iter().fold(0u8, |acc, &b| acc * 10 + (b - b'0')));
    code.filter(|c| CPR_STATUSES.contains(c))
        .map(Some)
        .ok_or_else(|| FieldError::value(column, bytes, "is not a CPR status code"))
}

/// An optional boolean (`true`/`false`).
pub fn boolean(column: &str, bytes: &[u8]) -> Result<Option<bool>, FieldError> {
    match bytes {
        b"" => Ok(None),
        b"true" => Ok(Some(true)),
        b"false" => Ok(Some(false)),
        _ => Err(FieldError::value(column, bytes, "is not true or false")),
    }
}

/// One of a fixed set of words.
pub fn word<T: Copy>(column: &str, bytes: &[u8], choices: &[(&str, T)]) -> Result<Option<T>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    choices.iter().find(|(w, _)| w.as_bytes() == bytes).map(|(_, v)| Some(*v)).ok_or_else(|| {
        let list: Vec<&str> = choices.iter().map(|(w, _)| *w).collect();
        FieldError::value(column, bytes, &format!("is not one of {}", list.join(", ")))
    })
}

/// A required identifier (an address id): not empty, valid UTF-8, kept as its bytes.
///
/// # Errors
/// Empty or not UTF-8.
pub fn id<'b>(column: &str, bytes: &'b [u8]) -> Result<&'b [u8], FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::missing(column));
    }
    // Compared as bytes for speed, but shown in errors and kept in areas: it must be text.
    if std::str::from_utf8(bytes).is_err() {
        return Err(FieldError::hidden(column, "is not valid UTF-8"));
    }
    Ok(bytes)
}

/// A required free text: UTF-8, and neither blank nor holding what `gennemgang_rules::text` refuses.
///
/// # Errors
/// Empty, not UTF-8, or refused.
pub fn text(column: &str, bytes: &[u8]) -> Result<String, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::missing(column));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FieldError::hidden(column, "is not valid UTF-8"))?;
    // What a register says is shown to caseworkers and put in letters: nothing invisible-only, no control
    // character, no direction override (the value itself is not echoed: it may be anything).
    match gennemgang_rules::text::refused(text) {
        None => Ok(text.to_owned()),
        Some(why) => Err(FieldError::hidden(column, why.english())),
    }
}

/// An optional one-line text of at most `max` characters, as a name or an address line: what
/// [`text`] refuses, and a line break or tab (one line of an address field), are errors.
///
/// # Errors
/// Not UTF-8, refused, more than one line, or too long.
pub fn line<'b>(column: &str, bytes: &'b [u8], max: usize) -> Result<Option<&'b str>, FieldError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FieldError::hidden(column, "is not valid UTF-8"))?;
    if let Some(why) = gennemgang_rules::text::refused(text) {
        return Err(FieldError::hidden(column, why.english()));
    }
    if text.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\t')) {
        return Err(FieldError::hidden(column, "holds a line break or a tab"));
    }
    // Fewer bytes than the limit are fewer characters.
    if text.len() > max && text.chars().count() > max {
        return Err(FieldError::hidden(column, &format!("is longer than {max} characters")));
    }
    Ok(Some(text))
}

/// An optional Danish postcode: four digits.
///
/// # Errors
/// Anything else.
pub fn postcode(column: &str, bytes: &[u8]) -> Result<Option<String>, FieldError> {
    match bytes {
        b"" => Ok(None),
        [a, b, c, d] if [a, b, c, d].iter().all(|x| x.is_ascii_digit()) && *a != b'0' => {
            Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
        }
        _ => Err(FieldError::value(column, bytes, "is not a Danish postcode (four digits)")),
    }
}
