//! # gennemgang-pdf
//!
//! Letters as PDF/A-2u, typeset by Typst in an in-memory world: one template (`letter.typ`), the letter as
//! JSON data (so no case text is ever read as markup), and the IBM Plex Sans fonts of the design system
//! embedded in the binary. The output is deterministic: same letter, same bytes (the document date and
//! identifier come from the letter, never from the clock). Typst is a heavy dependency and lives here alone.
//!
//! Every script a citizen's or caseworker's text may hold is drawn: IBM Plex Sans first, then the Noto
//! families for Arabic (Persian, Urdu, Pashto, Kurdish), Hebrew, Ethiopic (Tigrinya, Amharic), the Indic
//! and South-East Asian scripts, Chinese, Japanese and Korean (a subset, see fonts/README), symbols and
//! colour emoji. What none draws is shown as "�", never dropped silently and never a PDF/A error.
//!
//! Layout: this file — [`render`] and its errors; [`prepare`] — the letter's texts made safe to typeset;
//! [`world`] — the Typst world and its fonts.

pub mod prepare;
mod world;

use gennemgang_letters::Letter;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// Why a letter could not be made into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The letter could not be serialised for the template.
    #[error("letter data: {0}")]
    Data(String),
    /// Typst refused the document (never expected: the template is tested).
    #[error("typesetting: {0}")]
    Typeset(String),
    /// The PDF/A export failed.
    #[error("PDF export: {0}")]
    Export(String),
}

fn diagnostics(list: &[typst::diag::SourceDiagnostic]) -> String {
    list.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// Typesets `letter` as a PDF/A-2u document.
///
/// # Errors
/// See [`PdfError`].
pub fn render(letter: &Letter) -> Result<Vec<u8>, PdfError> {
    let document = document(letter)?;
    let date = Datetime::from_ymd_hms(
        i32::from(letter.date.year()),
        letter.date.month().unsigned_abs(),
        letter.date.day().unsigned_abs(),
        0,
        0,
        0,
    )
    .ok_or_else(|| PdfError::Data(format!("date {}", letter.date)))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("gennemgang/{}/{}/{}", letter.case_id, letter.kind.name(), letter.date)),
        creator: Smart::Custom(Some(format!("Gennemgang {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(date)),
        standards: PdfStandards::new(&[PdfStandard::A_2u]).map_err(|e| PdfError::Export(e.message().to_string()))?,
        ..PdfOptions::default()
    };
    // The PDF writer has panicked on text the typesetter accepted; that too must cost this letter only.
    let pdf = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| typst_pdf::pdf(&document, &options)))
        .map_err(|_| PdfError::Export("the PDF writer stopped on this letter".to_owned()))?
        .map_err(|errors| PdfError::Export(diagnostics(&errors)))?;
    // Typst memoizes across compilations; keep only what recent letters used, so a batch runs flat.
    typst::comemo::evict(2);
    Ok(pdf)
}

/// `letter` cleaned and typeset.
fn document(letter: &Letter) -> Result<PagedDocument, PdfError> {
    let mut data = serde_json::to_value(letter).map_err(|e| PdfError::Data(e.to_string()))?;
    prepare::prepare(&mut data, &world::Embedded);
    // The title and author in the PDF's metadata are one string each, which PDF limits to 32,767 bytes.
    let meta = serde_json::json!({"title": shortened(&data["title"]), "author": shortened(&data["sender"]["name"])});
    data["meta"] = meta;
    typeset(&mut data, letter.date)
}

/// The most graphemes of a text kept in the PDF's metadata.
const META_GRAPHEMES: usize = 200;

/// `text` (a JSON string) cut to [`META_GRAPHEMES`], with "…" where it was cut.
fn shortened(text: &serde_json::Value) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let text = text.as_str().unwrap_or_default();
    match text.grapheme_indices(true).nth(META_GRAPHEMES) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// How often a letter is set again with what could not be drawn replaced: each round replaces every
/// cluster the last one could not draw, so a second round is already rare.
const ROUNDS: usize = 3;

/// Typesets the prepared letter `data`; a cluster no font shaped (`.notdef`, which PDF/A forbids) is
/// replaced by [`prepare::REPLACEMENT`] and the letter set again.
fn typeset(data: &mut serde_json::Value, date: jiff::civil::Date) -> Result<PagedDocument, PdfError> {
    for _ in 0..ROUNDS {
        let bytes = serde_json::to_vec(data).map_err(|e| PdfError::Data(e.to_string()))?;
        let world = world::LetterWorld::new(bytes, date);
        // A panic in the typesetter is a bug in it, but must cost this letter only, never a whole batch.
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| typst::compile(&world).output))
            .map_err(|_| PdfError::Typeset("the typesetter stopped on this letter".to_owned()))?;
        let document: PagedDocument = compiled.map_err(|errors| PdfError::Typeset(diagnostics(&errors)))?;
        let mut missing = Vec::new();
        for page in document.pages() {
            undrawn(&page.frame, &mut missing);
        }
        if missing.is_empty() {
            return Ok(document);
        }
        missing.sort_unstable();
        missing.dedup();
        if !prepare::replace_clusters(data, &missing) {
            break;
        }
    }
    Err(PdfError::Typeset("a character could not be drawn with the embedded fonts".to_owned()))
}

/// The text of every glyph in `frame` that is the font's `.notdef`.
fn undrawn(frame: &typst::layout::Frame, out: &mut Vec<String>) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(group) => undrawn(&group.frame, out),
            typst::layout::FrameItem::Text(text) => out.extend(
                text.glyphs.iter().filter(|g| g.id == 0).filter_map(|g| text.text.get(g.range()).map(str::to_owned)),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use gennemgang_letters::{Block, LetterKind};

    /// Where on the page (points from the left edge) each text run starts whose text contains `needle`.
    fn starts_of(frame: &typst::layout::Frame, at: f64, needle: &str, out: &mut Vec<f64>) {
        for (pos, item) in frame.items() {
            let x = at + pos.x.to_pt();
            match item {
                typst::layout::FrameItem::Group(group) => starts_of(&group.frame, x, needle, out),
                typst::layout::FrameItem::Text(text) if text.text.contains(needle) => out.push(x),
                _ => {}
            }
        }
    }

    fn letter() -> gennemgang_letters::Letter {
        let (case, events, sent_on) = gennemgang_letters::sample::sample(LetterKind::Hearing).expect("sample");
        let issue = gennemgang_letters::Issue {
            sent_on,
            channel: gennemgang_case::action::Channel::Digital,
            sender: gennemgang_letters::sender::demo(159),
            calendar: gennemgang_rules::calendar::params::CalendarParams::builtin(),
            meeting_time: "10.00".into(),
        };
        gennemgang_letters::compose(&case, &events, LetterKind::Hearing, &issue).expect("letter")
    }

    /// Unicode's bidirectional algorithm, rule P2-P3: a paragraph's direction is its first strong letter's.
    #[test]
    fn a_text_in_a_right_to_left_script_is_set_from_the_right_margin() {
        let mut l = letter();
        l.blocks.push(Block::Paragraph { text: "«السيد محمد» 2026".into() });
        l.blocks.push(Block::Paragraph { text: "Hr. محمد".into() });
        l.blocks.push(Block::Facts { rows: vec![("Navn".into(), "שלום".into())] });
        let document = super::document(&l).expect("typeset");
        let mut arabic = Vec::new();
        let mut hebrew = Vec::new();
        let mut latin = Vec::new();
        for page in document.pages() {
            starts_of(&page.frame, 0.0, "السيد", &mut arabic);
            starts_of(&page.frame, 0.0, "שלום", &mut hebrew);
            starts_of(&page.frame, 0.0, "Hr.", &mut latin);
        }
        // A4 is 595 pt wide with 65 pt margins: short right-to-left texts start near the right margin,
        // a text that starts in Latin letters at the left one.
        assert!(arabic.iter().all(|x| *x > 380.0) && !arabic.is_empty(), "{arabic:?}");
        assert!(hebrew.iter().all(|x| *x > 380.0) && !hebrew.is_empty(), "{hebrew:?}");
        assert!(latin.iter().all(|x| *x < 100.0) && !latin.is_empty(), "{latin:?}");
    }

    /// Rule P1: each line of a text is a paragraph of its own, so an Arabic line in a Danish text is set
    /// from the right margin, and a Danish line in an Arabic text from the left.
    #[test]
    fn each_line_of_a_text_has_its_own_direction() {
        let mut l = letter();
        l.blocks.push(Block::Paragraph { text: "Borgeren skrev:\nمرحبا بكم".into() });
        l.blocks.push(Block::Paragraph { text: "שלום\nKære Nielsen".into() });
        let document = super::document(&l).expect("typeset");
        let (mut arabic, mut hebrew, mut danish, mut after) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for page in document.pages() {
            starts_of(&page.frame, 0.0, "مرحبا", &mut arabic);
            starts_of(&page.frame, 0.0, "שלום", &mut hebrew);
            starts_of(&page.frame, 0.0, "Borgeren", &mut danish);
            starts_of(&page.frame, 0.0, "Nielsen", &mut after);
        }
        assert!(arabic.iter().all(|x| *x > 380.0) && !arabic.is_empty(), "{arabic:?}");
        assert!(hebrew.iter().all(|x| *x > 380.0) && !hebrew.is_empty(), "{hebrew:?}");
        assert!(danish.iter().all(|x| *x < 100.0) && !danish.is_empty(), "{danish:?}");
        assert!(after.iter().all(|x| *x < 100.0) && !after.is_empty(), "{after:?}");
    }

    /// What no font has (cuneiform, Linear B, mathematical letters) is shown as "�", and a long token of it
    /// is broken like any other: it once made one line longer than a PDF string may be.
    #[test]
    fn a_long_token_of_what_no_font_draws_wraps_on_the_page() {
        let mut l = letter();
        let undrawable = ['\u{1242B}', '\u{10000}', '\u{1D4D0}'];
        assert!(undrawable.iter().all(|c| crate::world::fonts_for(*c) == 0));
        l.blocks = vec![Block::Paragraph { text: undrawable.iter().cycle().take(16_400).collect() }];
        let document = super::document(&l).expect("typeset");
        let widest = document.pages().iter().map(|page| widest_run(&page.frame)).fold(0.0, f64::max);
        assert!(widest < 470.0, "a run {widest} pt wide");
        assert!(super::render(&l).is_ok());
    }

    /// The widest text run in `frame`, in points.
    fn widest_run(frame: &typst::layout::Frame) -> f64 {
        frame
            .items()
            .map(|(_, item)| match item {
                typst::layout::FrameItem::Group(group) => widest_run(&group.frame),
                typst::layout::FrameItem::Text(text) => text.width().to_pt(),
                _ => 0.0,
            })
            .fold(0.0, f64::max)
    }

    /// Every character the Chinese, Japanese and Korean subset claims is drawn: with too many glyphs in the
    /// font, the ones numbered past 32,767 were not (具, 港, ： among 2,703 others).
    #[test]
    fn every_character_of_the_cjk_subset_is_drawn() {
        let chars: Vec<char> = ['\u{3000}'..='\u{30FF}', '\u{4E00}'..='\u{9FFF}', '\u{AC00}'..='\u{D7A3}']
            .into_iter()
            .flatten()
            .filter(|c| crate::world::fonts_for(*c) != 0)
            .collect();
        assert!(chars.len() > 32_000, "{}", chars.len());
        let mut l = letter();
        l.blocks = chars.chunks(2_000).map(|c| Block::Paragraph { text: c.iter().collect() }).collect();
        let document = super::document(&l).expect("typeset");
        let mut replaced = Vec::new();
        for page in document.pages() {
            starts_of(&page.frame, 0.0, "\u{FFFD}", &mut replaced);
        }
        assert!(replaced.is_empty(), "{} runs with a replacement", replaced.len());
    }

    #[test]
    fn the_metadata_holds_at_most_a_short_title_and_author() {
        let long = "Ø".repeat(40_000);
        assert_eq!(super::shortened(&serde_json::Value::String(long)).chars().count(), super::META_GRAPHEMES + 1);
        assert_eq!(super::shortened(&serde_json::Value::String("Brev".into())), "Brev");
        let mut l = letter();
        l.sender.name = "Å".repeat(40_000);
        l.title = "Ä".repeat(40_000);
        let pdf = super::render(&l);
        assert!(pdf.is_ok(), "{:?}", pdf.err());
    }
}
