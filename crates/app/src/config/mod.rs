//! The installation's configuration, in one TOML file (`serve --config`, `act --config`, `notices
//! --config`): which municipality decides for each region, each deciding municipality's pension board (its
//! members, preparation time and meeting calendar), the municipalities' published processing deadlines per
//! phase (RSL § 3, stk. 2), which home municipalities present a reopened case to their rehabilitation team,
//! and the municipalities' contact details for letters.
//! Everything is checked when the file is read; an error names the file, the line and the field (its path,
//! as `board[0].members`). A municipality is named at most once in each list, the texts hold nothing a
//! letter could not show (see [`gennemgang_rules::text`]), and a file over [`MAX_BYTES`] is refused unread.
//! Without a file the built-in placeholder applies, and every page that uses it says so.
//!
//! `[server]` says where the server runs (database, addresses, outbox, single sign-on; see [`server`]).
//!
//! ```toml
//! [server]
//! database = "sqlite:///var/lib/gennemgang/cases.db"
//! listen = "127.0.0.1:8080"
//!
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
//! [[deadlines]]      # weeks per phase; an entry naming a municipality wins over the one for all
//! municipalities = "all"
//! review_weeks = 13
//! reopening_weeks = 26
//! decision_weeks = 13
//! source = "https://…/sagsbehandlingsfrister"
//!
//! [rehabilitation_team]
//! municipalities = [159]
//!
//! [[municipality]]   # contact details, as in a senders file
//! code = 101
//! …
//! ```

use gennemgang_case::facts::{BoardSetup, ProcessingDeadlines, Routing};
use gennemgang_letters::sender::Senders;
use gennemgang_rules::municipality::{Region, by_code};
use serde::Deserialize;
pub use server::Server;
use toml::Spanned;

/// The configuration in use.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Deciding municipalities and their boards.
    pub routing: Routing,
    /// Contact details for letters.
    pub senders: Senders,
    /// Where the server runs (`[server]`; the environment and the command line override it).
    pub server: Server,
    /// The largest document taken, in bytes (`[documents] max_megabytes`; 25 MB unless set).
    pub max_document_bytes: usize,
    /// How long a closed case is kept (`[retention]`): none until the municipality's archive officer sets
    /// it from its archive rules — no verified period was found, so none is built in.
    pub retention: Option<Retention>,
}

/// How long a closed case is kept before it is due for deletion: a dated, sourced setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Years after the day the case was closed.
    pub years_after_closing: u16,
    /// The archive rule it comes from.
    pub source: String,
    /// From when the setting applies.
    pub valid_from: jiff::civil::Date,
}

impl Retention {
    /// The last day a case closed on `closed_on` is kept.
    #[must_use]
    pub fn kept_until(&self, closed_on: jiff::civil::Date) -> jiff::civil::Date {
        gennemgang_rules::date::add_months(closed_on, i32::from(self.years_after_closing) * 12)
    }
}

impl Default for Setup {
    /// The built-in placeholder: the largest municipality of each region decides, the example calendar
    /// applies, letters carry demo contact details (each marked as such where it is used).
    fn default() -> Setup {
        Setup {
            routing: Routing::default(),
            senders: Senders::default(),
            server: Server::default(),
            max_document_bytes: crate::documents::DEFAULT_MAX_BYTES,
            retention: None,
        }
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
    #[serde(default)]
    server: Option<server::Entry>,
    region: Vec<RegionEntry>,
    board: Vec<BoardEntry>,
    deadlines: Vec<DeadlineEntry>,
    #[serde(default)]
    rehabilitation_team: Option<TeamEntry>,
    #[serde(default)]
    municipality: Vec<toml::Value>,
    #[serde(default)]
    documents: Option<DocumentsEntry>,
    #[serde(default)]
    retention: Option<RetentionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetentionEntry {
    years_after_closing: Spanned<u16>,
    source: Spanned<String>,
    valid_from: Spanned<String>,
}

/// The longest name of an archive rule (it goes into every erasure).
const MAX_RETENTION_SOURCE: usize = 300;

/// The longest retention that is not a typing error.
const MAX_RETENTION_YEARS: u16 = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentsEntry {
    max_megabytes: Spanned<u32>,
}

/// The largest document an installation may take, in MB: beyond it a file is not a case document.
const MAX_DOCUMENT_MEGABYTES: u32 = 200;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineEntry {
    municipalities: Spanned<toml::Value>,
    review_weeks: Spanned<u16>,
    reopening_weeks: Spanned<u16>,
    decision_weeks: Spanned<u16>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamEntry {
    municipalities: Spanned<Vec<u16>>,
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

/// The longest processing deadline of a phase, in weeks: more is a typing error.
const MAX_DEADLINE_WEEKS: u16 = 104;

/// The largest configuration file read: the complete example is a few kilobytes.
pub const MAX_BYTES: u64 = 1 << 20;

/// Reads and checks a configuration file.
///
/// # Errors
/// The file cannot be read, is larger than [`MAX_BYTES`], is not the shape, or names a wrong or missing
/// entry.
pub fn load(path: &std::path::Path) -> Result<Setup, ConfigError> {
    use std::io::Read as _;
    let file = path.display().to_string();
    let whole = |message: String| ConfigError { file: file.clone(), line: 1, field: "(file)".into(), message };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| whole(e.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(whole(format!("larger than {} KiB; a configuration is a few kilobytes", MAX_BYTES >> 10)));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        ConfigError { file: file.clone(), line, field: "(file)".into(), message: "not UTF-8".into() }
    })?;
    let setup = parse(&file, &text)?;
    let folder = path.parent().unwrap_or(std::path::Path::new("."));
    Ok(Setup { server: setup.server.relative_to(folder), ..setup })
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
    let nodes = locate::nodes(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        fail(offset, &locate::key_on_line(text, offset), e.message().trim().to_owned())
    })?;
    for n in &nodes {
        if let Some(why) = n.text.as_deref().and_then(gennemgang_rules::text::unfit) {
            return Err(fail(n.span.start, &n.path, why.english().into()));
        }
    }
    let parsed: File = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_owned();
        fail(offset, &locate::field(&nodes, offset, &message), message)
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
        return Err(fail(
            locate::last(&nodes, "region"),
            "region",
            format!("{} has no deciding municipality", missing.name()),
        ));
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
        if members.len() < 2 || members.iter().any(|x| gennemgang_rules::text::is_blank(x)) {
            return Err(fail(b.members.span().start, &at("members"), "a board has at least two named members".into()));
        }
        let same =
            |x: &String, y: &String| gennemgang_rules::text::comparable(x) == gennemgang_rules::text::comparable(y);
        if let Some((j, twice)) = members.iter().enumerate().find(|(j, x)| members[..*j].iter().any(|y| same(x, y))) {
            let path = format!("{}[{j}]", at("members"));
            return Err(fail(
                locate::start(&nodes, &path).unwrap_or(b.members.span().start),
                &path,
                format!("\"{}\" is named twice; one proposes, another approves", twice.trim()),
            ));
        }
        if *b.prepare_days.get_ref() > MAX_PREPARE_DAYS {
            return Err(fail(b.prepare_days.span().start, &at("prepare_days"), format!("at most {MAX_PREPARE_DAYS}")));
        }
        let span = b.meetings.span();
        let meetings = b.meetings.into_inner();
        if let Some(problem) = meetings.pattern.as_ref().and_then(gennemgang_rules::calendar::params::Pattern::problem)
        {
            let path = format!("{}.pattern", at("meetings"));
            return Err(fail(locate::start(&nodes, &path).unwrap_or(span.start), &path, problem));
        }
        if meetings.pattern.is_none() && meetings.dates.is_empty() {
            return Err(fail(span.start, &at("meetings"), "give the meeting dates, a pattern, or both".into()));
        }
        if gennemgang_rules::text::is_blank(&meetings.name) || gennemgang_rules::text::is_blank(&meetings.source) {
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
        return Err(fail(
            locate::last(&nodes, "board"),
            "board",
            format!("the deciding municipality {m} has no board"),
        ));
    }
    let mut deadlines = Vec::new();
    for (i, d) in parsed.deadlines.into_iter().enumerate() {
        let at = |field: &str| format!("deadlines[{i}].{field}");
        let span = d.municipalities.span();
        let municipalities = match d.municipalities.into_inner() {
            toml::Value::String(all) if all == "all" => {
                if deadlines.iter().any(|x: &ProcessingDeadlines| x.municipalities.is_empty()) {
                    return Err(fail(span.start, &at("municipalities"), "a second entry for \"all\"".into()));
                }
                Vec::new()
            }
            toml::Value::Array(codes) if !codes.is_empty() => {
                let mut out = Vec::new();
                for (k, code) in codes.into_iter().enumerate() {
                    let element = format!("{}[{k}]", at("municipalities"));
                    let here = locate::start(&nodes, &element).unwrap_or(span.start);
                    let known = code.as_integer().and_then(|c| u16::try_from(c).ok()).filter(|c| by_code(*c).is_some());
                    let Some(c) = known else {
                        let shown = code.as_integer().map_or_else(|| code.type_str().to_owned(), |c| c.to_string());
                        return Err(fail(here, &element, format!("{shown} is not a municipality code")));
                    };
                    if out.contains(&c) || deadlines.iter().any(|x: &ProcessingDeadlines| x.municipalities.contains(&c))
                    {
                        return Err(fail(
                            here,
                            &element,
                            format!("{c} is named twice; give each municipality one entry"),
                        ));
                    }
                    out.push(c);
                }
                out
            }
            _ => {
                return Err(fail(
                    span.start,
                    &at("municipalities"),
                    "give \"all\" or a list of municipality codes".into(),
                ));
            }
        };
        for (field, weeks) in [
            ("review_weeks", &d.review_weeks),
            ("reopening_weeks", &d.reopening_weeks),
            ("decision_weeks", &d.decision_weeks),
        ] {
            if !(1..=MAX_DEADLINE_WEEKS).contains(weeks.get_ref()) {
                return Err(fail(weeks.span().start, &at(field), format!("1 to {MAX_DEADLINE_WEEKS} weeks")));
            }
        }
        if gennemgang_rules::text::is_blank(d.source.get_ref()) {
            return Err(fail(d.source.span().start, &at("source"), "say where the deadlines are published".into()));
        }
        deadlines.push(ProcessingDeadlines {
            municipalities,
            review_weeks: *d.review_weeks.get_ref(),
            reopening_weeks: *d.reopening_weeks.get_ref(),
            decision_weeks: *d.decision_weeks.get_ref(),
            source: d.source.into_inner(),
        });
    }
    let presents_to_team = match parsed.rehabilitation_team {
        None => Vec::new(),
        Some(t) => {
            let codes = t.municipalities.get_ref();
            let at = t.municipalities.span().start;
            let element = |k: usize| {
                let path = format!("rehabilitation_team.municipalities[{k}]");
                (locate::start(&nodes, &path).unwrap_or(at), path)
            };
            if let Some((k, bad)) = codes.iter().enumerate().find(|(_, c)| by_code(**c).is_none()) {
                let (line, path) = element(k);
                return Err(fail(line, &path, format!("{bad} is not a municipality code")));
            }
            if let Some((k, twice)) = codes.iter().enumerate().find(|(j, c)| codes[..*j].contains(c)) {
                let (line, path) = element(k);
                return Err(fail(line, &path, format!("{twice} is named twice")));
            }
            t.municipalities.into_inner()
        }
    };
    let routing = Routing { deciding, boards, deadlines, presents_to_team, placeholder: false };
    if let Some(m) =
        gennemgang_rules::municipality::MUNICIPALITIES.iter().find(|m| routing.deadlines_of(m.code).is_none())
    {
        return Err(fail(
            locate::last(&nodes, "deadlines"),
            "deadlines",
            format!("{} ({}) has no processing deadlines; add it or an entry for \"all\"", m.name, m.code),
        ));
    }
    let senders = if parsed.municipality.is_empty() {
        Senders::default()
    } else {
        Senders::from_entries(file, parsed.municipality).map_err(|e| {
            // The senders' own error names its entry and field first ("municipality[2].cvr: …").
            let (field, message) = e.message.split_once(": ").unwrap_or(("municipality", &e.message));
            let entry = field.split('.').next().unwrap_or(field);
            // A field the deserializer names in its message ("unknown field `fax`") is the one meant.
            let named = ["unknown field `", "missing field `"]
                .iter()
                .find_map(|p| message.split_once(p).and_then(|(_, rest)| rest.split('`').next()))
                .map(|f| format!("{entry}.{f}"));
            let field = named.as_deref().unwrap_or(field);
            let offset = locate::start(&nodes, field).or_else(|| locate::start(&nodes, entry)).unwrap_or(0);
            fail(offset, field, message.to_owned())
        })?
    };
    let server = match parsed.server {
        Some(entry) => entry.check(fail)?,
        None => Server::default(),
    };
    let max_document_bytes = match &parsed.documents {
        None => crate::documents::DEFAULT_MAX_BYTES,
        Some(d) if (1..=MAX_DOCUMENT_MEGABYTES).contains(d.max_megabytes.get_ref()) => {
            usize::try_from(*d.max_megabytes.get_ref()).unwrap_or(25) * 1_000_000
        }
        Some(d) => {
            return Err(fail(
                d.max_megabytes.span().start,
                "documents.max_megabytes",
                format!("{} is not between 1 and {MAX_DOCUMENT_MEGABYTES}", d.max_megabytes.get_ref()),
            ));
        }
    };
    let retention = match &parsed.retention {
        None => None,
        Some(r) => {
            let years = *r.years_after_closing.get_ref();
            if !(1..=MAX_RETENTION_YEARS).contains(&years) {
                return Err(fail(
                    r.years_after_closing.span().start,
                    "retention.years_after_closing",
                    format!("{years} is not between 1 and {MAX_RETENTION_YEARS}"),
                ));
            }
            if r.source.get_ref().trim().is_empty() {
                return Err(fail(
                    r.source.span().start,
                    "retention.source",
                    "name the archive rule it comes from".into(),
                ));
            }
            // Recorded in every erasure and printed on one line of `config check` and of a run's summary.
            let source = r.source.get_ref();
            let wrong = if source.contains(['\n', '\r', '\t', '\u{85}', '\u{2028}', '\u{2029}']) {
                Some("is one line: the name of the archive rule".to_owned())
            } else if source.chars().any(|c| c != ' ' && gennemgang_rules::text::is_invisible(c)) {
                Some("holds a character that shows nothing (zero-width, a filler, a byte-order mark)".to_owned())
            } else if source.chars().count() > MAX_RETENTION_SOURCE {
                Some(format!("is longer than {MAX_RETENTION_SOURCE} characters"))
            } else {
                None
            };
            if let Some(wrong) = wrong {
                return Err(fail(r.source.span().start, "retention.source", wrong));
            }
            let valid_from = gennemgang_rules::date::parse_iso(r.valid_from.get_ref().as_bytes()).ok_or_else(|| {
                fail(r.valid_from.span().start, "retention.valid_from", "is not a date (YYYY-MM-DD)".into())
            })?;
            Some(Retention { years_after_closing: years, source: r.source.get_ref().trim().to_owned(), valid_from })
        }
    };
    Ok(Setup { routing, senders, server, max_document_bytes, retention })
}

mod locate;
pub mod server;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_case_is_kept_the_configured_years_from_the_day_it_closed() {
        let r = Retention {
            years_after_closing: 5,
            source: "bevaringsplan".into(),
            valid_from: jiff::civil::date(2026, 12, 1),
        };
        assert_eq!(r.kept_until(jiff::civil::date(2027, 1, 31)), jiff::civil::date(2032, 1, 31));
        assert_eq!(r.kept_until(jiff::civil::date(2028, 2, 29)), jiff::civil::date(2033, 2, 28));
    }

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

    const DEADLINES: &str = "[[deadlines]]\nmunicipalities = \"all\"\nreview_weeks = 13\nreopening_weeks = 26\n\
                             decision_weeks = 13\nsource = \"Kommunernes hjemmesider\"\n";

    fn all_boards() -> String {
        [851, 751, 461, 101, 265].into_iter().map(board).collect::<String>() + DEADLINES
    }

    #[test]
    fn processing_deadlines_cover_every_municipality_and_the_named_ones_win() {
        let own = "[[deadlines]]\nmunicipalities = [159]\nreview_weeks = 8\nreopening_weeks = 20\n\
                   decision_weeks = 12\nsource = \"gladsaxe.dk\"\n[rehabilitation_team]\nmunicipalities = [159]\n";
        let s = parse("g.toml", &(regions(101) + &all_boards() + own)).expect("valid");
        let gladsaxe = s.routing.deadlines_of(159).expect("named");
        assert_eq!((gladsaxe.review_weeks, gladsaxe.reopening_weeks, gladsaxe.source.as_str()), (8, 20, "gladsaxe.dk"));
        assert_eq!(s.routing.deadlines_of(101).map(|d| d.review_weeks), Some(13), "the entry for all");
        assert!(s.routing.presents_to_team(159) && !s.routing.presents_to_team(101));
        // Without an entry for all, a municipality not named is an error naming it.
        let only = regions(101) + &all_boards().replace("municipalities = \"all\"", "municipalities = [101]");
        let e = parse("g.toml", &only).expect_err("not every municipality");
        assert_eq!(e.field, "deadlines", "{e}");
        assert!(e.message.contains("has no processing deadlines"), "{e}");
        let e = parse("g.toml", &(regions(101) + &all_boards().replace("review_weeks = 13", "review_weeks = 0")))
            .expect_err("zero weeks");
        assert_eq!(e.field, "deadlines[0].review_weeks", "{e}");
        let e = parse("g.toml", &(regions(101) + &all_boards() + &own.replace("[159]\nreview", "[9999]\nreview")))
            .expect_err("unknown code");
        assert!(e.field == "deadlines[1].municipalities[0]" && e.message.contains("9999"), "{e}");
        let e = parse(
            "g.toml",
            &(regions(101)
                + &all_boards()
                + &own.replace(
                    "[rehabilitation_team]\nmunicipalities = [159]",
                    "[rehabilitation_team]\nmunicipalities = [1]",
                )),
        )
        .expect_err("unknown team municipality");
        assert_eq!(e.field, "rehabilitation_team.municipalities[0]", "{e}");
        let none = regions(101) + &[851, 751, 461, 101, 265].into_iter().map(board).collect::<String>();
        assert!(parse("g.toml", &none).expect_err("no deadlines").message.contains("deadlines"));
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
        let e = parse("g.toml", &(regions(101) + &board(851) + DEADLINES)).expect_err("a board missing");
        assert!(e.message.contains("751 has no board"), "{e}");
        let e =
            parse("g.toml", &(regions(101).replace("[[region]]\ncode = 1085\ndeciding = 265\n", "") + &all_boards()))
                .expect_err("a region missing");
        assert!(e.message.contains("Region Sjælland has no deciding municipality"), "{e}");
        let e = parse("g.toml", &(regions(101) + &all_boards() + "typo = 1\n")).expect_err("unknown field");
        assert!(e.message.contains("typo"), "{e}");
    }

    /// The line of `needle`'s first occurrence in `text`.
    fn line_of(text: &str, needle: &str) -> usize {
        text[..text.find(needle).expect("in the text")].matches('\n').count() + 1
    }

    #[test]
    fn a_value_of_the_wrong_shape_names_its_field_and_line() {
        let good = regions(101) + &all_boards();
        let broken = good.replacen("prepare_days = 21", "prepare_days = 21 21", 1);
        let e = parse("g.toml", &broken).expect_err("not TOML");
        assert_eq!((e.field.as_str(), e.line), ("prepare_days", line_of(&broken, "21 21")), "{e}");
        let typed = good.replace("review_weeks = 13", "review_weeks = \"tretten\"");
        let e = parse("g.toml", &typed).expect_err("a string for weeks");
        assert_eq!((e.field.as_str(), e.line), ("deadlines[0].review_weeks", line_of(&typed, "review_weeks")), "{e}");
        let missing = good.replace("source = \"Kommunernes hjemmesider\"\n", "");
        let e = parse("g.toml", &missing).expect_err("no source");
        assert_eq!(e.field, "deadlines[0].source", "{e}");
        let unknown = good.replacen("prepare_days = 21\n", "prepare_days = 21\nprepare_dayz = 3\n", 2);
        let e = parse("g.toml", &unknown).expect_err("unknown field");
        assert_eq!((e.field.as_str(), e.line), ("board[0].prepare_dayz", line_of(&unknown, "prepare_dayz")), "{e}");
        let nested = good.replacen("nth = 2", "nth = \"to\"", 1);
        let e = parse("g.toml", &nested).expect_err("a pattern's nth");
        assert!(e.field.starts_with("board[0].meetings"), "{e}");
        let e = parse("g.toml", &("typo = 1\n".to_owned() + &good)).expect_err("unknown top-level field");
        assert_eq!((e.field.as_str(), e.line), ("typo", 1), "{e}");
        // After a table header a key belongs to that table.
        let e = parse("g.toml", &(good.clone() + "typo = 1\n")).expect_err("unknown field of the last entry");
        assert_eq!(e.field, "deadlines[0].typo", "{e}");
    }

    #[test]
    fn what_the_file_lacks_is_reported_at_its_last_entry_not_past_the_end() {
        let only = regions(101) + &all_boards().replace("municipalities = \"all\"", "municipalities = [101]");
        let e = parse("g.toml", &only).expect_err("not every municipality");
        assert_eq!(e.line, line_of(&only, "[[deadlines]]"), "{e}");
        assert!(e.line <= only.lines().count(), "{e}");
        let regions_short = regions(101).replace("[[region]]\ncode = 1085\ndeciding = 265\n", "");
        let e = parse("g.toml", &(regions_short.clone() + &all_boards())).expect_err("a region missing");
        assert_eq!(e.line, 10, "the fourth and last [[region]] entry: {e}");
    }

    #[test]
    fn a_municipality_or_member_named_twice_is_an_error_at_its_line() {
        let good = regions(101) + &all_boards();
        let entry = |codes: &str| {
            format!(
                "[[deadlines]]\nmunicipalities = {codes}\nreview_weeks = 8\nreopening_weeks = 20\ndecision_weeks = 12\nsource = \"x.dk\"\n"
            )
        };
        for (extra, why) in [
            (entry("\"all\""), "a second entry for \"all\""),
            (entry("[159, 159]"), "159 is named twice"),
            (entry("[159]") + &entry("[101, 159]"), "159 is named twice"),
            ("[rehabilitation_team]\nmunicipalities = [159, 101, 159]\n".to_owned(), "159 is named twice"),
        ] {
            let text = good.clone() + &extra;
            let e = parse("g.toml", &text).expect_err(why);
            assert!(e.message.contains(why), "{e}");
            assert!(e.line > good.lines().count(), "the line of the entry: {e}");
        }
        let e = parse("g.toml", &(regions(101) + &all_boards().replacen("Teamleder B", "Teamleder A", 1)))
            .expect_err("the same member twice");
        assert_eq!(e.field, "board[0].members[1]", "{e}");
        // Written differently but the same person: case, spaces, invisible marks.
        for twin in ["teamleder  a", "Teamleder\u{00A0}A\u{200B}", "TEAMLEDER A\u{00AD}"] {
            let text = regions(101) + &all_boards().replacen("Teamleder B", twin, 1);
            assert_eq!(parse("g.toml", &text).expect_err(twin).field, "board[0].members[1]", "{twin:?}");
        }
        // In a list over several lines, the line of the element itself.
        let listed = good.clone() + "[rehabilitation_team]\nmunicipalities = [\n  159,\n  101,\n  159,\n]\n";
        let e = parse("g.toml", &listed).expect_err("159 twice");
        assert_eq!(
            (e.field.as_str(), e.line),
            ("rehabilitation_team.municipalities[2]", listed.lines().count() - 1),
            "{e}"
        );
    }

    #[test]
    fn a_meeting_pattern_no_board_could_meet_by_is_refused() {
        let good = regions(101) + &all_boards();
        for (from, to, why) in [
            ("nth = 2", "nth = 9", "nth must be 1-4"),
            ("nth = 2", "nth = 0", "nth must be 1-4"),
            ("skip_months = [7]", "skip_months = [13]", "13 is not a month"),
            ("skip_months = [7]", "skip_months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "never meet"),
        ] {
            let e = parse("g.toml", &good.replacen(from, to, 1)).expect_err(to);
            assert!(e.field == "board[0].meetings.pattern" && e.message.contains(why), "{to}: {e}");
        }
    }

    #[test]
    fn texts_a_letter_could_not_show_are_refused_with_their_field() {
        let good = regions(101) + &all_boards();
        for (from, to, field, why) in [
            (
                "source = \"Kommunernes hjemmesider\"",
                "source = \"\u{200B}\u{200B}\"",
                "deadlines[0].source",
                "say where",
            ),
            ("source = \"Kommunernes hjemmesider\"", "source = \"Kommuner\\u0007\"", "deadlines[0].source", "control"),
            ("\"Teamleder A\"", "\"Teamleder \u{202E}A\"", "board[0].members[0]", "bidirectional"),
            ("name = \"Pensionsnævnet 851\"", "name = \"\u{FEFF}\"", "board[0].meetings", "name and source"),
        ] {
            let text = good.replacen(from, to, 1);
            let e = parse("g.toml", &text).expect_err(to);
            assert!(e.field == field && e.message.contains(why), "{to:?}: {e}");
        }
    }

    #[test]
    fn a_file_larger_than_a_configuration_can_be_is_refused_unread() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("huge.toml");
        let comment = "# ".to_owned() + &"x".repeat(1000) + "\n";
        std::fs::write(&path, comment.repeat(1100) + &regions(101) + &all_boards()).expect("write");
        let e = load(&path).expect_err("too large");
        assert!(e.message.contains("larger than 1024 KiB"), "{e}");
        std::fs::write(&path, [regions(101).as_bytes(), b"# \xff\n", all_boards().as_bytes()].concat()).expect("w");
        let e = load(&path).expect_err("not UTF-8");
        assert_eq!((e.line, e.message.as_str()), (16, "not UTF-8"), "{e}");
    }

    #[test]
    fn a_letters_sender_is_checked_like_the_rest() {
        let good = regions(101) + &all_boards();
        let sender = "[[municipality]]\ncode = 101\nname = \"Københavns Kommune\"\ndepartment = \"Jobcenter\"\n\
                      cvr = \"64942212\"\naddress = \"Rådhuspladsen 1\"\nphone = \"33 66 33 66\"\nemail = \"pension@kk.example\"\n";
        assert!(parse("g.toml", &(good.clone() + sender)).is_ok());
        for (from, to, field, why) in [
            ("name = \"Københavns Kommune\"", "name = \"\u{200B}\"", "municipality[0].name", "blank"),
            ("code = 101", "code = 9999", "municipality[0].code", "not a municipality"),
            ("email = \"pension@kk.example\"", "email = \"ikke en adresse\"", "municipality[0].email", "e-mail"),
            ("phone = \"33 66 33 66\"", "phone = \"33 66 33 66\"\nfax = \"1\"", "municipality[0].fax", "unknown field"),
        ] {
            let text = good.clone() + &sender.replacen(from, to, 1);
            let e = parse("g.toml", &text).expect_err(to);
            assert!(e.field == field && e.message.contains(why), "{to}: {e}");
            let needle = to.rsplit('\n').next().and_then(|l| l.split(" = ").next()).unwrap_or(to);
            let header = text.lines().position(|l| l == "[[municipality]]").expect("header");
            let line = text.lines().enumerate().skip(header).find(|(_, l)| l.starts_with(needle)).map(|(n, _)| n + 1);
            assert_eq!(Some(e.line), line, "{to}: {e}");
        }
        let twice = good + sender + sender;
        assert!(parse("g.toml", &twice).expect_err("twice").message.contains("named twice"));
    }
}
