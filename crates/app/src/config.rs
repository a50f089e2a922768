//! The installation's configuration, in one TOML file (`serve --config`, `act --config`, `notices
//! --config`): which municipality decides for each region, each deciding municipality's pension board (its
//! members, preparation time and meeting calendar), and the municipalities' contact details for letters.
//! Everything is checked when the file is read; an error names the file, the line and the field. Without a
//! file the built-in placeholder applies, and every page that uses it says so.
//!
//! ```toml
//! [[region]]
//! code = 1084        # Region Hovedstaden
//! deciding = 101     # København
//!
//! [[board]]
//! municipality = 101
//! members = ["Teamleder, Jobcenter", "Teamleder, Ydelsesservice"]
//! prepare_days = 14
//! [board.meetings]
//! name = "Pensionsnævnet, Københavns Kommune"
//! pattern = { weekday = "thursday", nth = 3, skip_months = [7] }
//! source = "https://www.kk.dk/…"
//!
//! [[municipality]]   # contact details, as in a senders file
//! code = 101
//! …
//! ```

use gennemgang_case::facts::{BoardSetup, Routing};
use gennemgang_letters::sender::Senders;
use gennemgang_rules::municipality::{Region, by_code};
use serde::Deserialize;
use toml::Spanned;

/// The configuration in use.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Deciding municipalities and their boards.
    pub routing: Routing,
    /// Contact details for letters.
    pub senders: Senders,
}

impl Default for Setup {
    /// The built-in placeholder: the largest municipality of each region decides, the example calendar
    /// applies, letters carry demo contact details (each marked as such where it is used).
    fn default() -> Setup {
        Setup { routing: Routing::default(), senders: Senders::default() }
    }
}

/// Why a configuration file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}:{line}: {field}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// The line (1 when the whole file is concerned).
    pub line: usize,
    /// The field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    region: Vec<RegionEntry>,
    board: Vec<BoardEntry>,
    #[serde(default)]
    municipality: Vec<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionEntry {
    code: Spanned<u16>,
    deciding: Spanned<u16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoardEntry {
    municipality: Spanned<u16>,
    members: Spanned<Vec<String>>,
    prepare_days: Spanned<u16>,
    meetings: Spanned<gennemgang_rules::calendar::params::Board>,
}

/// The longest preparation a board may ask for: more is a typing error.
const MAX_PREPARE_DAYS: u16 = 90;

/// Reads and checks a configuration file.
///
/// # Errors
/// The file cannot be read, is not the shape, or names a wrong or missing entry.
pub fn load(path: &std::path::Path) -> Result<Setup, ConfigError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: file.clone(),
        line: 1,
        field: "(file)".into(),
        message: e.to_string(),
    })?;
    parse(&file, &text)
}

/// Parses and checks a configuration's text.
///
/// # Errors
/// As [`load`].
pub fn parse(file: &str, text: &str) -> Result<Setup, ConfigError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1;
    let fail = |offset: usize, field: &str, message: String| ConfigError {
        file: file.to_owned(),
        line: line_of(offset),
        field: field.to_owned(),
        message,
    };
    let parsed: File = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        fail(offset, "(file)", e.message().trim().to_owned())
    })?;
    let mut deciding = Vec::new();
    for (i, r) in parsed.region.iter().enumerate() {
        let region = Region::ALL.into_iter().find(|x| x.code() == *r.code.get_ref()).ok_or_else(|| {
            fail(
                r.code.span().start,
                &format!("region[{i}].code"),
                format!("{} is not a region code (1081-1085)", r.code.get_ref()),
            )
        })?;
        if deciding.iter().any(|(c, _)| *c == region.code()) {
            return Err(fail(
                r.code.span().start,
                &format!("region[{i}].code"),
                format!("{} is named twice", region.name()),
            ));
        }
        match by_code(*r.deciding.get_ref()) {
            Some(m) if m.region == region => deciding.push((region.code(), m.code)),
            Some(m) => {
                return Err(fail(
                    r.deciding.span().start,
                    &format!("region[{i}].deciding"),
                    format!("{} lies in {}, not in {}", m.name, m.region.name(), region.name()),
                ));
            }
            None => {
                return Err(fail(
                    r.deciding.span().start,
                    &format!("region[{i}].deciding"),
                    format!("{} is not a municipality code", r.deciding.get_ref()),
                ));
            }
        }
    }
    if let Some(missing) = Region::ALL.into_iter().find(|x| !deciding.iter().any(|(c, _)| *c == x.code())) {
        return Err(fail(text.len(), "region", format!("{} has no deciding municipality", missing.name())));
    }
    let mut boards: Vec<BoardSetup> = Vec::new();
    for (i, b) in parsed.board.into_iter().enumerate() {
        let m = *b.municipality.get_ref();
        let at = |field: &str| format!("board[{i}].{field}");
        if !deciding.iter().any(|(_, d)| *d == m) {
            return Err(fail(
                b.municipality.span().start,
                &at("municipality"),
                format!("{m} is not a deciding municipality"),
            ));
        }
        if boards.iter().any(|x| x.municipality == m) {
            return Err(fail(b.municipality.span().start, &at("municipality"), format!("{m} has two boards")));
        }
        let members = b.members.get_ref();
        // Four eyes: one proposes, another approves.
        if members.len() < 2 || members.iter().any(|x| x.trim().is_empty()) {
            return Err(fail(b.members.span().start, &at("members"), "a board has at least two named members".into()));
        }
        if *b.prepare_days.get_ref() > MAX_PREPARE_DAYS {
            return Err(fail(b.prepare_days.span().start, &at("prepare_days"), format!("at most {MAX_PREPARE_DAYS}")));
        }
        let span = b.meetings.span();
        let meetings = b.meetings.into_inner();
        if meetings.pattern.is_none() && meetings.dates.is_empty() {
            return Err(fail(span.start, &at("meetings"), "give the meeting dates, a pattern, or both".into()));
        }
        if meetings.name.trim().is_empty() || meetings.source.trim().is_empty() {
            return Err(fail(span.start, &at("meetings"), "name and source are required".into()));
        }
        boards.push(BoardSetup {
            municipality: m,
            members: b.members.into_inner(),
            prepare_days: *b.prepare_days.get_ref(),
            meetings,
        });
    }
    if let Some((_, m)) = deciding.iter().find(|(_, d)| !boards.iter().any(|b| b.municipality == *d)) {
        return Err(fail(text.len(), "board", format!("the deciding municipality {m} has no board")));
    }
    let senders = if parsed.municipality.is_empty() {
        Senders::default()
    } else {
        Senders::from_entries(file, parsed.municipality).map_err(|e| ConfigError {
            file: file.to_owned(),
            line: 1,
            field: "municipality".into(),
            message: e.message,
        })?
    };
    Ok(Setup { routing: Routing { deciding, boards, placeholder: false }, senders })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(copenhagen: u16) -> String {
        format!(
            "[[region]]\ncode = 1081\ndeciding = 851\n[[region]]\ncode = 1082\ndeciding = 751\n\
             [[region]]\ncode = 1083\ndeciding = 461\n[[region]]\ncode = 1084\ndeciding = {copenhagen}\n\
             [[region]]\ncode = 1085\ndeciding = 265\n"
        )
    }

    fn board(m: u16) -> String {
        format!(
            "[[board]]\nmunicipality = {m}\nmembers = [\"Teamleder A\", \"Teamleder B\"]\nprepare_days = 21\n\
             [board.meetings]\nname = \"Pensionsnævnet {m}\"\npattern = {{ weekday = \"tuesday\", nth = 2, skip_months = [7] }}\n\
             source = \"Kommunens hjemmeside\"\n"
        )
    }

    fn all_boards() -> String {
        [851, 751, 461, 101, 265].into_iter().map(board).collect()
    }

    #[test]
    fn a_complete_file_routes_every_municipality_to_its_region_and_board() {
        let s = parse("g.toml", &(regions(147) + &all_boards().replace("municipality = 101", "municipality = 147")))
            .expect("valid");
        assert!(!s.routing.placeholder);
        // Gladsaxe (Hovedstaden) → Frederiksberg, as configured, with its own board and preparation time.
        assert_eq!(s.routing.deciding_for(159), Some(147));
        let b = s.routing.board(Some(147)).expect("board");
        assert_eq!((b.prepare_days, b.members.len()), (21, 2));
        for m in gennemgang_rules::municipality::MUNICIPALITIES {
            let d = s.routing.deciding_for(m.code).expect("every municipality has a deciding one");
            assert!(s.routing.board(Some(d)).is_some(), "{}", m.name);
        }
    }

    #[test]
    fn a_wrong_or_missing_entry_names_the_line_and_field() {
        // Aarhus (751) does not lie in Hovedstaden: line 12 is `deciding = 751` of the fourth region.
        let e = parse("g.toml", &(regions(751) + &all_boards())).expect_err("wrong region");
        assert_eq!((e.line, e.field.as_str()), (12, "region[3].deciding"), "{e}");
        assert!(e.to_string().starts_with("g.toml:12: region[3].deciding: Aarhus lies in Region Midtjylland"), "{e}");
        let e = parse("g.toml", &(regions(101) + &all_boards().replace("Teamleder B", " "))).expect_err("members");
        assert_eq!(e.field, "board[0].members", "{e}");
        let e = parse("g.toml", &(regions(101) + &board(851))).expect_err("a board missing");
        assert!(e.message.contains("751 has no board"), "{e}");
        let e =
            parse("g.toml", &(regions(101).replace("[[region]]\ncode = 1085\ndeciding = 265\n", "") + &all_boards()))
                .expect_err("a region missing");
        assert!(e.message.contains("Region Sjælland has no deciding municipality"), "{e}");
        let e = parse("g.toml", &(regions(101) + &all_boards() + "typo = 1\n")).expect_err("unknown field");
        assert!(e.message.contains("typo"), "{e}");
    }
}
