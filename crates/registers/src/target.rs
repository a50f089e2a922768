//! Reading a screening output (CONTRACT.md `gennemgang screen`) back in, for `gennemgang import`: every row
//! validated, errors naming file, line and column, CPR numbers never echoed.

use crate::csvio::{self, Schema};
use crate::error::{FieldError, RegisterError};
use crate::extract::{MAX_ADDRESS_LINE, MAX_NAME};
use crate::fields::{boolean, cpr, cpr_status, date, line, municipality, postcode, required_date, text, word};
use gennemgang_case::facts::{Address, Citizen, SchemeCode};
use gennemgang_store::import::ImportRow;
use std::path::Path;

/// Reads and validates a screening output. Duplicate CPR numbers are an error.
///
/// # Errors
/// A bad row, naming file, line and column.
pub fn read_screening(path: &Path) -> Result<Screening, RegisterError> {
    let file = path.display().to_string();
    let schema = Schema {
        required: &["cpr", "included", "area_id", "municipality_code", "awarded_on", "as_of"],
        optional: &[
            "birth_date",
            "age_on_as_of",
            "cpr_status",
            "scheme",
            "pension_status",
            "exemptions",
            "reason",
            "name",
            "address",
            "postcode",
            "city",
            "address_protected",
        ],
    };
    let out = csvio::read(path, &file, schema, Vec::new, |acc: &mut Vec<(ImportRow, u64)>, row| {
        let number = cpr("cpr", row.get(0))?;
        let included = boolean("included", row.get(1))?.ok_or_else(|| FieldError::missing("included"))?;
        let area_id = if row.get(2).is_empty() { String::new() } else { text("area_id", row.get(2))? };
        let municipality_code =
            municipality("municipality_code", row.get(3))?.ok_or_else(|| FieldError::missing("municipality_code"))?;
        let awarded_on = required_date("awarded_on", row.get(4))?;
        let as_of = required_date("as_of", row.get(5))?;
        // The CPR number carries the birth date; a different one in the file is an error, not a choice (the
        // age-60 bar is judged on it).
        let from_cpr = number.birth_date().ok_or_else(|| FieldError::hidden("cpr", "has no valid birth date"))?;
        let birth_date = match date("birth_date", row.get(6))? {
            Some(d) if d != from_cpr => {
                return Err(FieldError::value("birth_date", row.get(6), "is not the birth date the CPR number gives"));
            }
            Some(d) => d,
            None => from_cpr,
        };
        if awarded_on > as_of {
            return Err(FieldError::value("awarded_on", row.get(4), "is after the screening date (as_of)"));
        }
        if awarded_on < birth_date {
            return Err(FieldError::value("awarded_on", row.get(4), "is before the birth date"));
        }
        let computed_age = gennemgang_rules::date::age_on(birth_date, as_of);
        let age_on_as_of = match row.get(7) {
            b"" => computed_age,
            bytes => {
                let age = std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|s| s.parse::<i16>().ok())
                    .filter(|a| (0..=130).contains(a))
                    .ok_or_else(|| FieldError::value("age_on_as_of", bytes, "is not an age"))?;
                if age != computed_age {
                    return Err(FieldError::value(
                        "age_on_as_of",
                        bytes,
                        &format!("is not the age on as_of of the birth date ({computed_age})"),
                    ));
                }
                age
            }
        };
        // A CPR status code, as the persons register has them (kept as written: "01", "90").
        let cpr_status = match cpr_status("cpr_status", row.get(8))? {
            None => "01".to_owned(),
            Some(_) => String::from_utf8_lossy(row.get(8)).into_owned(),
        };
        let scheme = word("scheme", row.get(9), &[("pl", SchemeCode::Pl), ("gfpl", SchemeCode::Gfpl)])?
            .unwrap_or(SchemeCode::Pl);
        let pension_status =
            word("pension_status", row.get(10), &[("active", "active"), ("dormant", "dormant"), ("ceased", "ceased")])?
                .unwrap_or("active")
                .to_owned();
        let exemptions = if row.get(11).is_empty() {
            Vec::new()
        } else {
            // Only the categories CONTRACT lists: an unknown one (a typing error, a newer screening) would
            // otherwise be carried silently, and `deployed_veteran` decides whether a revocation is barred.
            row.get(11)
                .split(|b| *b == b';')
                .map(|part| {
                    gennemgang_rules::target::Exemption::parse(part).map(|e| e.as_str().to_owned()).ok_or_else(|| {
                        let known: Vec<&str> =
                            gennemgang_rules::target::Exemption::ALL.iter().map(|e| e.as_str()).collect();
                        FieldError::value(
                            "exemptions",
                            part,
                            &format!("is not an exemption category ({})", known.join(", ")),
                        )
                    })
                })
                .collect::<Result<_, _>>()?
        };
        let citizen = citizen(row)?;
        acc.push((
            ImportRow {
                cpr: number.full(),
                included,
                area_id,
                municipality_code,
                birth_date,
                age_on_as_of,
                cpr_status,
                awarded_on,
                scheme,
                pension_status,
                exemptions,
                as_of,
                reason: if row.get(12).is_empty() { String::new() } else { text("reason", row.get(12))? },
                citizen,
            },
            row.line,
        ));
        Ok(())
    })?;
    let rows: Vec<(ImportRow, u64)> = out.parts.into_iter().flatten().collect();
    let mut seen = std::collections::HashMap::with_capacity(rows.len());
    for (r, line) in &rows {
        if let Some(first) = seen.insert(r.cpr.as_str(), *line) {
            return Err(RegisterError::Input {
                file,
                line: *line,
                message: format!("column cpr: the same CPR number is also at line {first}"),
            });
        }
    }
    Ok(Screening { rows: rows.into_iter().map(|(r, _)| r).collect(), sha256: out.sha256 })
}

/// The citizen's columns: a name, an address given whole (street, postcode and town) or not at all, and
/// the protection.
fn citizen(row: &csvio::Row<'_>) -> Result<Citizen, FieldError> {
    let name = line("name", row.get(13), MAX_NAME)?.unwrap_or_default().to_owned();
    let street = line("address", row.get(14), MAX_ADDRESS_LINE)?;
    let postcode = postcode("postcode", row.get(15))?;
    let city = line("city", row.get(16), MAX_ADDRESS_LINE)?;
    let address = match (street, postcode, city) {
        (None, None, None) => None,
        (Some(street), Some(postcode), Some(city)) => {
            Some(Address { street: street.to_owned(), postcode, city: city.to_owned() })
        }
        (None, _, _) => return Err(FieldError::missing("address")),
        (_, None, _) => return Err(FieldError::missing("postcode")),
        (_, _, None) => return Err(FieldError::missing("city")),
    };
    let address_protected = boolean("address_protected", row.get(17))?.unwrap_or(false);
    Ok(Citizen { name, address, address_protected })
}

/// A screening file as read: its rows and the SHA-256 of its bytes (to hold against its manifest).
#[derive(Debug)]
pub struct Screening {
    /// The rows, in file order.
    pub rows: Vec<ImportRow>,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}
