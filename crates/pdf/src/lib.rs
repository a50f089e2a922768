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
    let mut data = serde_json::to_value(letter).map_err(|e| PdfError::Data(e.to_string()))?;
    prepare::prepare(&mut data, &world::fonts_for);
    let document = typeset(&mut data, letter.date)?;
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
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(diagnostics(&errors)))?;
    // Typst memoizes across compilations; keep only what recent letters used, so a batch runs flat.
    typst::comemo::evict(2);
    Ok(pdf)
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
