//! Letters for any text: the scripts newcomers write (Arabic, Persian, Urdu, Tigrinya, Chinese …), emoji,
//! control characters, unbroken tokens far past the PDF string limit, and arbitrary Unicode in every field
//! of every letter kind. Every one renders as PDF/A; what no font draws is shown as "�".

use gennemgang_case::action::Channel;
use gennemgang_letters::sample::sample;
use gennemgang_letters::sender::demo;
use gennemgang_letters::{Block, Issue, Letter, LetterKind, compose};
use gennemgang_rules::calendar::params::CalendarParams;
use proptest::prelude::*;

fn letter(kind: LetterKind) -> Letter {
    let (case, events, sent_on) = sample(kind).expect("sample");
    let issue = Issue {
        sent_on,
        channel: Channel::Digital,
        sender: demo(159),
        calendar: CalendarParams::builtin(),
        meeting_time: "10.00".into(),
    };
    compose(&case, &events, kind, &issue).expect("letter")
}

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("text")
}

/// The embedded font names of the PDF (subset prefixes stripped).
fn fonts_of(pdf: &[u8]) -> String {
    String::from_utf8_lossy(pdf).to_string()
}

const SCRIPTS: [(&str, &str, &str); 12] = [
    ("Arabic", "السيد محمد عبد الله يعاني من آلام مزمنة في الظهر", "NotoSansArabic"),
    ("Persian, with its zero-width non-joiner", "می‌خواهم با مددکار صحبت کنم", "NotoSansArabic"),
    ("Urdu", "میں اپنی پنشن کے بارے میں بات کرنا چاہتا ہوں", "NotoSansArabic"),
    ("Somali", "Waxaan rabaa inaan la hadlo shaqaalaha", "IBMPlexSans"),
    ("Turkish", "Çalışma denemesine katılamıyorum, ağrım çok şiddetli", "IBMPlexSans"),
    ("Cyrillic", "Я не могу работать из-за болезни", "IBMPlexSans"),
    ("Greek", "Δεν μπορώ να εργαστώ", "IBMPlexSans"),
    ("Tigrinya", "ሰላም ከመይ ኣለኹም", "NotoSansEthiopic"),
    ("Chinese", "我不能工作，因为我的背很痛。具体：港口？", "NotoSansCJK"),
    ("Korean", "저는 일할 수 없습니다", "NotoSansCJK"),
    ("Tamil", "நான் வேலை செய்ய முடியாது", "NotoSansTamil"),
    ("Vietnamese", "Tôi không thể làm việc được", "IBMPlexSans"),
];

#[test]
fn every_script_a_citizen_writes_is_drawn_with_a_font_that_has_it() {
    for (name, text, font) in SCRIPTS {
        let mut l = letter(LetterKind::Hearing);
        l.recipient.name = text.to_owned();
        l.blocks.push(Block::Paragraph { text: text.to_owned() });
        let pdf = gennemgang_pdf::render(&l).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(fonts_of(&pdf).contains(font), "{name}: {font} not embedded");
        assert!(!text_of(&pdf).contains('\u{FFFD}'), "{name}: something was replaced");
    }
}

/// With `GENNEMGANG_SCRIPTS_PDF=FILE`, writes the letter of every script and emoji to FILE, to look at.
#[test]
fn a_letter_of_every_script_can_be_written_to_look_at() {
    let mut l = letter(LetterKind::Hearing);
    for (name, text, _) in SCRIPTS {
        l.blocks.push(Block::Facts { rows: vec![(name.to_owned(), text.to_owned())] });
    }
    l.blocks.push(Block::Paragraph {
        text: format!("Emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🇩🇰 ❤️ — ikke tegnbart: \u{E000} — {}", "Z".repeat(120)),
    });
    let pdf = gennemgang_pdf::render(&l).expect("pdf");
    if let Some(path) = std::env::var_os("GENNEMGANG_SCRIPTS_PDF") {
        std::fs::write(path, &pdf).expect("write");
    }
}

#[test]
fn emoji_are_drawn_in_colour_and_text_no_font_has_is_shown_as_the_replacement_character() {
    let mut l = letter(LetterKind::Summons);
    l.blocks.push(Block::Paragraph {
        text: "Tak 😀 👍🏽 👨‍👩‍👧‍👦 🇩🇰 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ❤️ 🫠".to_owned()
    });
    let pdf = gennemgang_pdf::render(&l).expect("pdf");
    assert!(fonts_of(&pdf).contains("NotoColorEmoji"), "emoji font embedded");
    let text = text_of(&pdf);
    assert!(!text.contains('\u{FFFD}'), "an emoji was replaced: {text}");

    // A private-use character and an unassigned one: no font has them, the reader sees "�".
    let mut l = letter(LetterKind::Summons);
    l.blocks.push(Block::Paragraph { text: "A\u{E000}B\u{10FFFD}C\u{0378}D".to_owned() });
    let text: String = text_of(&gennemgang_pdf::render(&l).expect("pdf")).split_whitespace().collect();
    assert!(text.contains("A\u{FFFD}B\u{FFFD}C\u{FFFD}D"), "{text}");
}

#[test]
fn control_characters_are_dropped_and_a_token_of_any_length_is_wrapped() {
    let mut l = letter(LetterKind::Hearing);
    let token = "ﷺ".repeat(5) + &"Z".repeat(40_000);
    l.blocks.push(Block::Paragraph { text: format!("før\u{7}\u{1b}[2J\u{0}efter {token}") });
    l.blocks.push(Block::Facts { rows: vec![(token.clone(), "x".repeat(70_000))] });
    l.signature = "s".repeat(33_000);
    let pdf = gennemgang_pdf::render(&l).expect("a letter of long tokens renders");
    let text = text_of(&pdf);
    assert!(text.contains("føre[2Jefter") || text.contains("før[2Jefter"), "controls dropped: {}", &text[..200]);
    let zs = text.matches('Z').count();
    assert_eq!(zs, 40_000 * 2, "every character of the long tokens is in the letter");
    // Wrapped, not run off the page: the tokens fill many pages.
    let pages = String::from_utf8_lossy(&pdf).matches("/Type /Page\n").count()
        + String::from_utf8_lossy(&pdf).matches("/Type/Page/").count();
    assert!(pages == 0 || pages > 5, "{pages} pages");
}

/// Texts that once stopped the PDF writer (one line over 64 KiB of invisible characters) or took minutes
/// to lay out (fifty thousand fillers), and wide ligatures that ran off the page.
#[test]
fn invisible_floods_and_wide_ligatures_render() {
    for text in [
        format!("x{}", "\u{200B}".repeat(21_846)),
        format!("x{}", "\u{3164}".repeat(49_999)),
        format!("a{}", "\u{200B}\u{301}".repeat(20_000)),
        format!("a{}b", " ".repeat(60_000)),
        "\u{FDFD}".repeat(8),
        "\u{2E3B}".repeat(20),
    ] {
        let mut l = letter(LetterKind::Hearing);
        l.blocks.push(Block::Paragraph { text: text.clone() });
        let started = std::time::Instant::now();
        let pdf = gennemgang_pdf::render(&l);
        assert!(pdf.is_ok(), "{:?}: {:?}", text.chars().take(3).collect::<String>(), pdf.err());
        // Not a timing test: minutes instead of a second is the defect this guards against.
        assert!(started.elapsed().as_secs() < 60);
    }
}

/// Any string: arbitrary chars, weighted to the ones that break typesetting (controls, marks, joiners,
/// right-to-left, surrogates' neighbours, noncharacters, emoji parts).
fn nasty() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        any::<char>(),
        prop::char::range('\u{0}', '\u{1f}'),
        prop::char::range('\u{300}', '\u{36f}'),
        prop::char::range('\u{600}', '\u{6ff}'),
        prop::char::range('\u{200b}', '\u{206f}'),
        prop::char::range('\u{fe00}', '\u{fe0f}'),
        prop::char::range('\u{1f300}', '\u{1faff}'),
        prop::char::range('\u{e0000}', '\u{e007f}'),
        Just('\u{fdd0}'),
        Just('\u{fffe}'),
        Just('\u{ffff}'),
        prop::char::range('\u{4e00}', '\u{4e50}'),
        Just(' '),
    ];
    prop::collection::vec(chars, 0..300).prop_map(|v| v.into_iter().collect())
}

/// Every string of `letter` replaced, one after the other, by `texts` (the fields that are codes, dates and
/// enum tags stay what they are, as no user writes them).
fn with_texts(letter: &Letter, texts: &[String]) -> Letter {
    fn walk(v: &mut serde_json::Value, key: &str, texts: &[String], next: &mut usize) {
        match v {
            serde_json::Value::String(s)
                if !matches!(key, "kind" | "date" | "channel" | "reply_by" | "complaint_deadline") =>
            {
                *s = texts[*next % texts.len()].clone();
                *next += 1;
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, key, texts, next)),
            serde_json::Value::Object(map) => map.iter_mut().for_each(|(k, i)| walk(i, k, texts, next)),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(letter).expect("json");
    walk(&mut value, "", texts, &mut 0);
    serde_json::from_value(value).expect("still a letter")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_in_every_field_of_every_kind_renders(
        kind in prop::sample::select(LetterKind::ALL.to_vec()),
        texts in prop::collection::vec(nasty(), 1..8),
    ) {
        let l = with_texts(&letter(kind), &texts);
        let pdf = gennemgang_pdf::render(&l);
        prop_assert!(pdf.is_ok(), "{kind:?}: {:?}", pdf.err());
    }
}
