//! Reading a screening output (CONTRACT.md `gennemgang screen`) back in, for `gennemgang import`: every row
//! validated, errors naming file, line and column, CPR numbers never echoed.

use crate::csvio::{self, Schema};
use crate::error::{FieldError, RegisterError};
use crate::fields::{boolean, cpr, date, municipality, required_date, text, word};
use gennemgang_rules::target::Scheme;
use jiff::civil::Date;
use std::path::Path;

/// One row of a screening output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRow {
    /// Full CPR number (10 digits).
    pub cpr: String,
    /// In the target group.
    pub included: bool,
    /// Housing area (empty when not in a selected area).
    pub area_id: String,
    /// Home municipality.
    pub municipality_code: u16,
    /// Birth date (from the CPR number when the column is empty).
    pub birth_date: Date,
    /// Age on the screening date.
    pub age_on_as_of: i16,
    /// CPR status code.
    pub cpr_status: String,
    /// Award date.
    pub awarded_on: Date,
    /// Scheme (PL when the column is empty: the screening only includes PL awards).
    pub scheme: Scheme,
    /// Pension status (`active` when empty).
    pub pension_status: String,
    /// Exemption categories.
    pub exemptions: Vec<String>,
    /// Screening date.
    pub as_of: Date,
    /// Line in the file.
    pub line: u64,
}

/// Reads and validates a screening output. Duplicate CPR numbers are an error.
///
/// # Errors
/// A bad row, naming file, line and column.
pub fn read_screening(path: &Path) -> Result<Vec<TargetRow>, RegisterError> {
    let file = path.display().to_string();
    let schema = Schema {
        required: &["cpr", "included", "area_id", "municipality_code", "awarded_on", "as_of"],
        optional: &["birth_date", "age_on_as_of", "cpr_status", "scheme", "pension_status", "exemptions"],
    };
    let out = csvio::read(path, &file, schema, Vec::new, |acc: &mut Vec<TargetRow>, row| {
        let number = cpr("cpr", row.get(0))?;
        let included = boolean("included", row.get(1))?.ok_or_else(|| FieldError::missing("included"))?;
        let area_id = if row.get(2).is_empty() { String::new() } else { text("area_id", row.get(2))? };
        let municipality_code =
            municipality("municipality_code", row.get(3))?.ok_or_else(|| FieldError::missing("municipality_code"))?;
        let awarded_on = required_date("awarded_on", row.get(4))?;
        let as_of = required_date("as_of", row.get(5))?;
        let birth_date = match date("birth_date", row.get(6))? {
            Some(d) => d,
            None => number.birth_date().ok_or_else(|| FieldError::hidden("cpr", "has no valid birth date"))?,
        };
        let age_on_as_of = match row.get(7) {
            b"" => gennemgang_rules::date::age_on(birth_date, as_of),
            bytes => std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.parse::<i16>().ok())
                .filter(|a| (0..=130).contains(a))
                .ok_or_else(|| FieldError::value("age_on_as_of", bytes, "is not an age"))?,
        };
        let cpr_status = if row.get(8).is_empty() { "01".to_owned() } else { text("cpr_status", row.get(8))? };
        let scheme = word("scheme", row.get(9), &[("pl", Scheme::Pl), ("gfpl", Scheme::Gfpl)])?.unwrap_or(Scheme::Pl);
        let pension_status =
            word("pension_status", row.get(10), &[("active", "active"), ("dormant", "dormant"), ("ceased", "ceased")])?
                .unwrap_or("active")
                .to_owned();
        let exemptions = if row.get(11).is_empty() {
            Vec::new()
        } else {
            text("exemptions", row.get(11))?.split(';').map(str::to_owned).collect()
        };
        acc.push(TargetRow {
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
            line: row.line,
        });
        Ok(())
    })?;
    let rows: Vec<TargetRow> = out.parts.into_iter().flatten().collect();
    let mut seen = std::collections::HashMap::with_capacity(rows.len());
    for r in &rows {
        if let Some(first) = seen.insert(r.cpr.as_str(), r.line) {
            return Err(RegisterError::Input {
                file,
                line: r.line,
                message: format!("column cpr: the same CPR number is also at line {first}"),
            });
        }
    }
    Ok(rows)
}
