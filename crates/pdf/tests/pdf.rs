//! The sample decision letter as a PDF: its text read back (reasons with §, Ankestyrelsen, the complaint
//! date of a physical letter sent just before Christmas), PDF/A-2 metadata, embedded fonts, page numbers,
//! and the same bytes every time.

use gennemgang_case::action::Channel;
use gennemgang_letters::sample::sample;
use gennemgang_letters::sender::demo;
use gennemgang_letters::{Issue, Letter, LetterKind, compose};
use gennemgang_rules::calendar::params::CalendarParams;
use jiff::civil::{Date, date};

fn letter(kind: LetterKind, sent_on: Date, channel: Channel) -> Letter {
    let (case, events, _) = sample(kind).expect("sample");
    let issue = Issue {
        sent_on,
        channel,
        sender: demo(159),
        calendar: CalendarParams::builtin(),
        meeting_time: "10.00".into(),
    };
    compose(&case, &events, kind, &issue).expect("letter")
}

fn text_of(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("text");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_decision_letter_reads_back_with_reasons_law_guidance_and_deadline() {
    let l = letter(LetterKind::DecisionRevocation, date(2026, 12, 22), Channel::Physical);
    let pdf = gennemgang_pdf::render(&l).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(&pdf);
    for expected in [
        "Afgørelse: din førtidspension frakendes",
        "lov om social pension § 44, stk. 1",
        "Ankestyrelsen",
        "retssikkerhedslovens § 67",
        "1. februar 2027",
        "Gladsaxe Kommune",
        "Side 1 af",
    ] {
        assert!(text.contains(expected), "{expected:?} not in: {text}");
    }
    // PDF/A-2 identification and embedded fonts.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("pdfaid:part") && raw.contains("<pdfaid:part>2</pdfaid:part>")
            || raw.contains("pdfaid:part=\"2\""),
        "PDF/A-2 XMP"
    );
    assert!(raw.contains("FontFile2") && raw.contains("IBMPlexSans"), "fonts embedded");
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    let l = letter(LetterKind::Hearing, date(2026, 12, 10), Channel::Digital);
    let first = gennemgang_pdf::render(&l).expect("pdf");
    let again = gennemgang_pdf::render(&l).expect("pdf");
    assert_eq!(first, again);
    let other = letter(LetterKind::Hearing, date(2026, 12, 11), Channel::Digital);
    assert_ne!(gennemgang_pdf::render(&other).expect("pdf"), first, "another date, another document");
}

#[test]
fn case_text_is_never_read_as_markup() {
    let mut l = letter(LetterKind::Summons, date(2026, 12, 7), Channel::Digital);
    l.blocks
        .push(gennemgang_letters::Block::Paragraph { text: "#panic(\"x\") *fed* $x$ [link](http://x) \\ _u_".into() });
    let text = text_of(&gennemgang_pdf::render(&l).expect("pdf"));
    assert!(text.contains("#panic(\"x\") *fed* $x$"), "{text}");
}

#[test]
fn every_kind_renders() {
    for kind in LetterKind::ALL {
        let l = letter(kind, date(2027, 3, 19), Channel::Digital);
        let text = text_of(&gennemgang_pdf::render(&l).unwrap_or_else(|e| panic!("{kind:?}: {e}")));
        assert!(text.contains(kind.danish()), "{kind:?}: {text}");
    }
}
