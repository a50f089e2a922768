//! # gennemgang-pdf
//!
//! Letters as PDF/A-2u, typeset by Typst in an in-memory world: one template (`letter.typ`), the letter as
//! JSON data (so no case text is ever read as markup), and the IBM Plex Sans fonts of the design system
//! embedded in the binary. The output is deterministic: same letter, same bytes (the document date and
//! identifier come from the letter, never from the clock). Typst is a heavy dependency and lives here alone.
//!
//! Layout: this file — [`render`] and its errors; [`world`] — the Typst world.

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
    let data = serde_json::to_vec(letter).map_err(|e| PdfError::Data(e.to_string()))?;
    let world = world::LetterWorld::new(data, letter.date);
    let document: PagedDocument =
        typst::compile(&world).output.map_err(|errors| PdfError::Typeset(diagnostics(&errors)))?;
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
