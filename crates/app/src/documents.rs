//! The documents of a case file (issue 17.3): an upload recognised by its content (never by its name),
//! held to a size limit, stored once under its SHA-256 in the same transaction as the event that adds it
//! to the case; every preview or download written to the access log first, and health and criminal-record
//! documents opened only inside their task with a stated purpose, as the evidence they belong to.

use crate::cases::{AppError, On, act_with, read};
use gennemgang_case::action::{Action, MediaType, NewDocument, Source};
use gennemgang_case::actor::Actor;
use gennemgang_case::case::{Case, CaseDocument};
use gennemgang_case::policy::{Access, authorize};
use gennemgang_store::{AccessEntry, Store};
use jiff::Timestamp;
use jiff::civil::Date;
use sha2::{Digest, Sha256};

/// The default largest upload: 25 MB.
pub const DEFAULT_MAX_BYTES: usize = 25 * 1000 * 1000;

/// Why an upload is not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    /// Nothing in it.
    #[error("Filen er tom.")]
    Empty,
    /// Over the limit.
    #[error("Filen er større end {0} MB.")]
    TooLarge(usize),
    /// Not one of the kinds a case holds.
    #[error("Filtypen kan ikke bruges: vælg en PDF, PNG, JPEG, TIFF, Word (DOCX), OpenDocument (ODT) eller ren tekst.")]
    Unknown,
}

impl UploadError {
    /// The form field it is about.
    #[must_use]
    pub fn field(&self) -> &'static str {
        "file"
    }
}

/// What the content is, by its first bytes (and, for the two zip-based formats, what the zip holds): a
/// renamed program is not a PDF because its name ends in `.pdf`.
#[must_use]
pub fn recognise(bytes: &[u8]) -> Option<MediaType> {
    const ODT: &[u8] = b"mimetypeapplication/vnd.oasis.opendocument.text";
    let zip = bytes.starts_with(b"PK\x03\x04");
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some(MediaType::Tiff)
    } else if zip && bytes.get(30..30 + ODT.len()) == Some(ODT) {
        // OpenDocument: the first entry is an uncompressed `mimetype` holding the type.
        Some(MediaType::Odt)
    } else if zip && holds(b"[Content_Types].xml") && holds(b"word/document.xml") {
        Some(MediaType::Docx)
    } else if plain_text(bytes) {
        Some(MediaType::Text)
    } else {
        None
    }
}

/// UTF-8 with no control character but line breaks and tabs (a byte order mark allowed), and no markup: a
/// web page or an SVG image is a program for a browser, not a letter, whatever it is named.
fn plain_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let markup = ["<html", "<!doctype", "<svg", "<script", "<?xml", "<iframe", "<body"];
    let lower = text.to_lowercase();
    text.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        && !markup.iter().any(|m| lower.contains(m))
}

/// The SHA-256 of `bytes`, lower-case hex.
#[must_use]
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An upload as the caseworker gave it.
#[derive(Clone, Debug)]
pub struct Upload<'a> {
    /// The file's bytes.
    pub content: &'a [u8],
    /// The name the file had.
    pub filename: String,
    /// Title.
    pub title: String,
    /// The document's own date.
    pub dated: Date,
    /// Where it comes from.
    pub source: Source,
    /// Also cited as evidence.
    pub as_evidence: bool,
}

/// Checks an upload's content and makes the action that adds it.
///
/// # Errors
/// Empty, over `max_bytes`, or not a kind a case holds.
pub fn action(upload: &Upload<'_>, max_bytes: usize) -> Result<Action, UploadError> {
    if upload.content.is_empty() {
        return Err(UploadError::Empty);
    }
    if upload.content.len() > max_bytes {
        return Err(UploadError::TooLarge(max_bytes / 1_000_000));
    }
    let media_type = recognise(upload.content).ok_or(UploadError::Unknown)?;
    // Only the last part of a name a browser sends with a path, and nothing it cannot show.
    let filename = upload.filename.rsplit(['/', '\\']).next().unwrap_or_default();
    let filename: String = filename.chars().filter(|c| !c.is_control()).take(255).collect();
    Ok(Action::AddDocument {
        document: NewDocument {
            sha256: sha256(upload.content),
            media_type,
            size: upload.content.len() as u64,
            filename,
            title: upload.title.trim().to_owned(),
            dated: upload.dated,
            source: upload.source,
        },
        as_evidence: upload.as_evidence,
    })
}

/// Adds an uploaded document to a case: the content and the event in one transaction.
///
/// # Errors
/// The upload is refused (as [`AppError::Refused`] naming the field `file`), or as [`crate::cases::act`].
pub async fn add<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    seen_version: Option<u32>,
    upload: &Upload<'_>,
    max_bytes: usize,
    on: On<'_>,
) -> Result<Case, AppError> {
    let action = action(upload, max_bytes).map_err(crate::cases::Refused::Upload)?;
    act_with(store, actor, id, seen_version, action, on, Some(upload.content)).await
}

/// Opens document `number` (from 1) of a case for reading: the case is read (and logged), a sensitive
/// document's purpose checked by the policy, and the opening logged with its purpose before anything is
/// shown.
///
/// # Errors
/// [`AppError::NotFound`] for a case that is not there for the user, [`AppError::NoSuchDocument`] for a
/// document not on it; [`AppError::Forbidden`]
/// for a sensitive document outside its task or without a purpose.
pub async fn open<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    number: usize,
    purpose: Option<&str>,
    now: Timestamp,
) -> Result<(CaseDocument, Vec<u8>), AppError> {
    let case = read(store, actor, id, "case", now).await?;
    let Some(doc) = number.checked_sub(1).and_then(|i| case.documents.get(i)).cloned() else {
        return Err(AppError::NoSuchDocument);
    };
    let source = doc.document.source;
    let allowed = if source.is_sensitive() {
        authorize(actor, Some(&case), Access::ReadSensitive { source, purpose: purpose.unwrap_or("") })
    } else {
        Ok(())
    };
    let entry = AccessEntry {
        at: now,
        user: actor.user.clone(),
        role: actor.role,
        municipality: actor.municipality,
        case_id: Some(id),
        what: format!("document {number}"),
        purpose: purpose.map(gennemgang_rules::text::defused),
        allowed: allowed.is_ok(),
    };
    store.log_access(&[entry]).await.map_err(AppError::NotLogged)?;
    allowed.map_err(|d| AppError::Forbidden(d.to_string()))?;
    let content = store.document(&doc.document.sha256).await?.ok_or(AppError::NotFound)?;
    // What was stored is what the history names, or it is not shown.
    if sha256(&content) != doc.document.sha256 {
        return Err(AppError::Store(gennemgang_store::StoreError::Corrupt(format!(
            "case {id}: document {number} does not match its hash"
        ))));
    }
    Ok((doc, content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_what_its_content_is_whatever_its_name() {
        assert_eq!(recognise(b"%PDF-1.7\n..."), Some(MediaType::Pdf));
        assert_eq!(recognise(b"\x89PNG\r\n\x1a\n\0\0"), Some(MediaType::Png));
        assert_eq!(recognise(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Some(MediaType::Jpeg));
        assert_eq!(recognise(b"II*\0\x08\0\0\0"), Some(MediaType::Tiff));
        assert_eq!(recognise(b"MM\0*\0\0\0\x08"), Some(MediaType::Tiff));
        // Markup is no plain text (found by an outside check: an SVG with a script was taken as text).
        for markup in [
            &b"<svg onload=alert(1)>"[..],
            b"  <!DOCTYPE html><p>x",
            b"Hej\n<SCRIPT>x</script>",
            b"<?xml version=\"1.0\"?>",
        ] {
            assert_eq!(recognise(markup), None, "{}", String::from_utf8_lossy(markup));
        }
        assert_eq!(recognise("Jeg arbejder < 10 timer, og 3 > 2.".as_bytes()), Some(MediaType::Text));
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend([0; 26]);
        odt.extend(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(recognise(&odt), Some(MediaType::Odt));
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend([0; 26]);
        docx.extend(b"[Content_Types].xml....PK\x03\x04word/document.xml");
        assert_eq!(recognise(&docx), Some(MediaType::Docx));
        assert_eq!(recognise("Kære kommune,\r\njeg er uenig.\n".as_bytes()), Some(MediaType::Text));
        assert_eq!(recognise("\u{feff}مرحبا".as_bytes()), Some(MediaType::Text));
        // A program, any other zip, binary noise and text with control characters are none of them.
        for bad in [&b"MZ\x90\0\x03"[..], b"\x7fELF\x02\x01", b"PK\x03\x04\0\0other.xml", b"\0\x01\x02", b"a\x1b[31mb"]
        {
            assert_eq!(recognise(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_upload_is_held_to_its_limit_and_its_name_is_only_a_name() {
        let upload = |content: &'static [u8]| Upload {
            content,
            filename: "C:\\Users\\sb\\Lægeerklæring.pdf".into(),
            title: " Lægeerklæring ".into(),
            dated: jiff::civil::date(2026, 12, 1),
            source: Source::HealthInformation,
            as_evidence: false,
        };
        assert_eq!(action(&upload(b""), 10), Err(UploadError::Empty));
        assert_eq!(action(&upload(b"%PDF-1.7 much too long"), 10), Err(UploadError::TooLarge(0)));
        assert_eq!(action(&upload(b"MZ\x90\0"), 100), Err(UploadError::Unknown));
        let Ok(Action::AddDocument { document, .. }) = action(&upload(b"%PDF-1.7"), 100) else { panic!("taken") };
        assert_eq!(
            (document.media_type, document.size, document.filename.as_str()),
            (MediaType::Pdf, 8, "Lægeerklæring.pdf")
        );
        assert_eq!(document.title, "Lægeerklæring");
        assert_eq!(document.sha256, sha256(b"%PDF-1.7"));
    }
}
