//! The sending municipality's name and contact details. An installation gives its own in a TOML file
//! (`[[municipality]]` with code, name, department, cvr, address, phone, email); without one, the letter is
//! sent with demo details derived from the municipality register and says so.

use crate::model::Sender;
use serde::Deserialize;

/// Why a sender file was refused.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SenderError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    municipality: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: u16,
    name: String,
    department: String,
    cvr: String,
    address: String,
    phone: String,
    email: String,
}

/// The most characters of each contact detail: all of them share the letter's footer, which must stay a
/// few lines on every page.
pub const SENDER_CHARS: usize = 200;

/// Senders by municipality code.
#[derive(Clone, Debug, Default)]
pub struct Senders {
    known: Vec<Sender>,
}

impl Senders {
    /// Reads a senders file.
    ///
    /// # Errors
    /// Not TOML of the expected shape, or a CVR number that is not 8 digits.
    pub fn from_toml(file: &str, text: &str) -> Result<Senders, SenderError> {
        let parsed: File = toml::from_str(text)
            .map_err(|e| SenderError { file: file.to_owned(), message: e.to_string().trim().replace('\n', " ") })?;
        Senders::from_parsed(file, parsed.municipality)
    }

    /// The `[[municipality]]` entries of a larger file (the installation's configuration).
    ///
    /// # Errors
    /// An entry is not of the expected shape, or its CVR number is not 8 digits.
    pub fn from_entries(file: &str, entries: Vec<toml::Value>) -> Result<Senders, SenderError> {
        let parsed = entries
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                v.try_into::<Entry>().map_err(|e| SenderError {
                    file: file.to_owned(),
                    message: format!("municipality[{i}]: {}", e.to_string().trim().replace('\n', " ")),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Senders::from_parsed(file, parsed)
    }

    fn from_parsed(file: &str, entries: Vec<Entry>) -> Result<Senders, SenderError> {
        let mut known: Vec<Sender> = Vec::with_capacity(entries.len());
        for (i, e) in entries.into_iter().enumerate() {
            let fail = |field: &str, message: String| SenderError {
                file: file.to_owned(),
                message: format!("municipality[{i}].{field}: {message}"),
            };
            if gennemgang_rules::municipality::by_code(e.code).is_none() {
                return Err(fail("code", format!("{} is not a municipality code", e.code)));
            }
            if known.iter().any(|k| k.code == e.code) {
                return Err(fail("code", format!("{} is named twice", e.code)));
            }
            if e.cvr.len() != 8 || !e.cvr.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail("cvr", format!("\"{}\" is not 8 digits", e.cvr.escape_debug())));
            }
            // Every one of them is printed on the letter: none may be blank or hold what a letter cannot show.
            for (field, text) in [
                ("name", &e.name),
                ("department", &e.department),
                ("address", &e.address),
                ("phone", &e.phone),
                ("email", &e.email),
            ] {
                if let Some(why) = gennemgang_rules::text::refused(text) {
                    return Err(fail(field, why.english().to_owned()));
                }
                if text.contains(['\n', '\r']) {
                    return Err(fail(field, "one line; the footer of every page holds all the details".into()));
                }
                if text.chars().count() > SENDER_CHARS {
                    return Err(fail(field, format!("longer than {SENDER_CHARS} characters")));
                }
            }
            let at = e.email.split_once('@');
            if !at.is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !e.email.contains(char::is_whitespace)
            }) {
                return Err(fail("email", format!("\"{}\" is not an e-mail address", e.email.escape_debug())));
            }
            known.push(Sender {
                code: e.code,
                name: e.name,
                department: e.department,
                cvr: e.cvr,
                address: e.address,
                phone: e.phone,
                email: e.email,
                demo: false,
            });
        }
        Ok(Senders { known })
    }

    /// Whether the municipality `code` has its own details.
    #[must_use]
    pub fn has(&self, code: u16) -> bool {
        self.known.iter().any(|s| s.code == code)
    }

    /// How many municipalities have their own details.
    #[must_use]
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether none has.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The sender for a municipality: the configured one, else demo details.
    #[must_use]
    pub fn get(&self, code: u16) -> Sender {
        self.known.iter().find(|s| s.code == code).cloned().unwrap_or_else(|| demo(code))
    }
}

/// Demo contact details: the municipality's name from the register, everything else visibly made up.
#[must_use]
pub fn demo(code: u16) -> Sender {
    let name =
        gennemgang_rules::municipality::by_code(code).map_or_else(|| format!("Kommune {code}"), |m| m.name.to_owned());
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => 'e',
            'ø' => 'o',
            'å' => 'a',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect();
    Sender {
        code,
        name: format!("{name} Kommune"),
        department: "Jobcenter, Pension".into(),
        cvr: format!("99{:06}", u32::from(code) * 7),
        address: format!("Rådhuset, {name}"),
        phone: "70 00 00 00".into(),
        email: format!("pension@{slug}.kommune.example"),
        demo: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> String {
        format!(
            "[[municipality]]\ncode = 159\nname = \"{name}\"\ndepartment = \"Ydelser\"\ncvr = \"12345678\"\n\
             address = \"Rådhusvej 1, 2860 Søborg\"\nphone = \"39 57 59 57\"\nemail = \"post@example.dk\"\n"
        )
    }

    #[test]
    fn every_contact_detail_is_short_enough_for_the_footer() {
        let ok = Senders::from_toml("senders.toml", &file(&"Å".repeat(SENDER_CHARS))).expect("accepted");
        assert_eq!(ok.get(159).name.chars().count(), SENDER_CHARS);
        let long = Senders::from_toml("senders.toml", &file(&"Å".repeat(SENDER_CHARS + 1))).expect_err("refused");
        assert_eq!(long.to_string(), "senders.toml: municipality[0].name: longer than 200 characters");
        let lines = Senders::from_toml("senders.toml", &file("Testby\\nKommune")).expect_err("refused");
        assert!(lines.to_string().starts_with("senders.toml: municipality[0].name: one line"), "{lines}");
    }
}
