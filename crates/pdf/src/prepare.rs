//! A letter's texts made safe to typeset, whatever a caseworker or a register put in them.
//!
//! PDF/A forbids a glyph the font does not have (the `.notdef` box), and Typst breaks lines only where
//! Unicode allows a break, so an unbroken token runs off the page and, in one text run, past the PDF string
//! limit. So before typesetting every string of the letter is cleaned: control characters dropped (a line
//! break kept), a character no embedded font draws shown as U+FFFD "�", an absurd grapheme (hundreds of
//! stacked marks) shown the same way, and a break opportunity (U+200B, invisible) put into any token longer
//! than [`TOKEN_EMS`] wide, and long runs of invisible characters and line breaks cut short. [`replace_clusters`] is the second line: what Typst still drew as `.notdef`
//! (a cluster no single font shapes) is replaced the same way and the letter set again.

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

/// What the citizen sees where a character could not be drawn.
pub const REPLACEMENT: char = '\u{FFFD}';

/// How wide a run of graphemes may be, in em, without a break opportunity: narrower than the text column
/// (465 pt on A4 with the template's margins) at the largest size a case text is set in (15 pt titles),
/// and than either column of the header and the facts tables, so no line runs off the page.
pub const TOKEN_EMS: f64 = 20.0;

/// The least width a visible grapheme counts for, in em: a glyph drawn with no advance of its own still
/// sits on the line, and a token of them must still get its break opportunities.
const MIN_EMS: f64 = 0.25;

/// A grapheme of more characters than this is not writing (the longest emoji sequences, family and
/// subdivision flags, have 7-10), and one cluster this long would end up as one PDF string.
const GRAPHEME_CHARS: usize = 16;

/// The most invisible graphemes (spaces, joiners, fillers) kept in a row, and the most line breaks: more
/// show nothing more, but a line of tens of thousands of them is one text run that the typesetter lays out
/// in quadratic time and the PDF writer cannot split (a run over 64 KiB).
const INVISIBLE_RUN: usize = 4;
const LINE_BREAK_RUN: usize = 3;

/// What the embedded fonts can draw.
pub trait Glyphs {
    /// The fonts (a bit each) that have a glyph for `c`.
    fn fonts(&self, c: char) -> u64;
    /// How wide `c` is, in em, in the first font that has it (0 where none has).
    fn width(&self, c: char) -> f64;
}

/// Cleans every string in `value` (the letter as JSON) for the fonts `glyphs`.
pub fn prepare(value: &mut Value, glyphs: &impl Glyphs) {
    each_string(value, &mut |s| *s = clean(s, glyphs));
}

/// Replaces every occurrence of each of `clusters` in the strings of `value` by [`REPLACEMENT`]; returns
/// whether anything changed.
pub fn replace_clusters(value: &mut Value, clusters: &[String]) -> bool {
    let mut changed = false;
    each_string(value, &mut |s| {
        for cluster in clusters.iter().filter(|c| !c.is_empty()) {
            if s.contains(cluster.as_str()) {
                *s = s.replace(cluster.as_str(), &REPLACEMENT.to_string());
                changed = true;
            }
        }
    });
    changed
}

fn each_string(value: &mut Value, f: &mut impl FnMut(&mut String)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|v| each_string(v, f)),
        Value::Object(map) => map.values_mut().for_each(|v| each_string(v, f)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// What a grapheme does to the line it is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    LineBreak,
    /// A space, a joiner or a filler: nothing is drawn.
    Invisible,
    Visible,
}

fn kind(grapheme: &str) -> Kind {
    if grapheme.contains('\n') {
        Kind::LineBreak
    } else if grapheme.chars().all(|c| c.is_whitespace() || ignorable(c)) {
        Kind::Invisible
    } else {
        Kind::Visible
    }
}

/// One string, cleaned as the module says. A grapheme is drawn only when one font has all its characters:
/// a cluster split over two fonts (an emoji with a combining accent) is what Typst cannot shape. Dropped
/// characters go first and the rest is put in canonical composed form (NFC: a decomposed "é" or Hangul
/// syllable is the character the font has), so that the graphemes judged are the ones Typst will see.
#[must_use]
pub fn clean(s: &str, glyphs: &impl Glyphs) -> String {
    use unicode_normalization::UnicodeNormalization;
    let kept: String = s.replace("\r\n", "\n").chars().filter_map(keep).nfc().collect();
    let mut out = String::with_capacity(kept.len());
    let mut unbroken = 0.0;
    let mut run = (Kind::LineBreak, 0);
    for grapheme in kept.graphemes(true) {
        let kind = kind(grapheme);
        let after = run.0;
        run = if run.0 == kind { (kind, run.1 + 1) } else { (kind, 1) };
        match kind {
            Kind::LineBreak if run.1 > LINE_BREAK_RUN => continue,
            Kind::Invisible if run.1 > INVISIBLE_RUN => continue,
            Kind::LineBreak | Kind::Invisible => {
                if grapheme.chars().any(breaks) {
                    unbroken = 0.0;
                }
                out.push_str(grapheme);
                continue;
            }
            Kind::Visible => {}
        }
        // A mark with no base of its own (first, after a line break, a space or an invisible character)
        // would join whatever comes before it, or stack up unseen on nothing.
        let baseless = after != Kind::Visible && format!("a{grapheme}").graphemes(true).nth(1).is_none();
        let drawable = !baseless
            && grapheme.chars().count() <= GRAPHEME_CHARS
            && !grapheme.chars().any(forbidden)
            && grapheme
                .chars()
                .filter(|c| !c.is_whitespace() && !ignorable(*c))
                .fold(u64::MAX, |m, c| m & glyphs.fonts(c))
                != 0;
        // The width is that of what will be drawn: the replacement where the grapheme is not drawable (no
        // font gives a width for what it does not have, and a token of thousands of those would be one
        // line), and never less than [`MIN_EMS`], so that every visible grapheme uses up the budget.
        let width: f64 =
            if drawable { grapheme.chars().map(|c| glyphs.width(c)).sum() } else { glyphs.width(REPLACEMENT) };
        let width = width.max(MIN_EMS);
        if unbroken > 0.0 && unbroken + width > TOKEN_EMS {
            out.push('\u{200B}');
            unbroken = 0.0;
        }
        unbroken += width;
        if drawable { out.push_str(grapheme) } else { out.push(REPLACEMENT) }
    }
    out
}

/// Whether `c` is a space a line may break at (the no-break spaces glue their neighbours together).
fn breaks(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// The char as it goes into the letter: a control character and the byte-order mark dropped (PDF/A forbids
/// U+FEFF in a glyph's text), the bidirectional embeddings, overrides and isolates dropped (they could make
/// a text read otherwise than it was written), a tab a space, the Unicode line and paragraph separators a
/// line break, and so is a carriage return on its own (old Mac line ends).
fn keep(c: char) -> Option<char> {
    match c {
        '\n' => Some('\n'),
        '\t' => Some(' '),
        '\r' => Some('\n'),
        '\u{2028}' | '\u{2029}' => Some('\n'),
        '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
        c if c.is_control() => None,
        c => Some(c),
    }
}

/// What PDF/A-2u forbids as the text of a glyph (ISO 19005-2, 6.2.11.7.2: private use and noncharacters
/// have no meaning to a reader), so it is never drawn, even by a font that has it.
fn forbidden(c: char) -> bool {
    let n = u32::from(c);
    matches!(n, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFDD0..=0xFDEF) || n & 0xFFFE == 0xFFFE
}

/// Unicode's default-ignorable code points (DerivedCoreProperties.txt): shaping hides them, so a font needs
/// no glyph for them (the joiners of Persian and emoji, variation selectors, tags of subdivision flags).
fn ignorable(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF
        | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every char half an em wide, so that [`TOKEN_EMS`] is this many graphemes.
    const TOKEN_GRAPHEMES: usize = 40;

    impl<F: Fn(char) -> u64> Glyphs for F {
        fn fonts(&self, c: char) -> u64 {
            self(c)
        }
        fn width(&self, _: char) -> f64 {
            0.5
        }
    }

    /// One font for ASCII and Danish letters, another for the combining acute accent and 'q' (which has no
    /// precomposed form with it, so composition leaves the pair as it is).
    fn latin(c: char) -> u64 {
        u64::from(c.is_ascii() || "æøåÆØÅ".contains(c)) | if "q\u{301}".contains(c) { 2 } else { 0 }
    }

    #[test]
    fn controls_are_dropped_and_a_line_break_kept() {
        assert_eq!(clean("a\u{7}b\u{1b}[31m\r\nc\td\u{85}", &latin), "ab[31m\nc d");
        // A carriage return on its own ends a line too.
        assert_eq!(clean("a\rb\r\n\rc", &latin), "a\nb\n\nc");
        assert_eq!(clean("ab\u{202E}cd\u{2066}e", &latin), "abcde");
    }

    #[test]
    fn what_no_font_draws_is_shown_as_the_replacement_character() {
        assert_eq!(clean("Søren 😀 ok", &latin), "Søren \u{FFFD} ok");
        // A combining sequence is one grapheme: replaced whole, never half.
        assert_eq!(clean("q\u{301}x", &|c| u64::from(c != '\u{301}')), "\u{FFFD}x");
        assert_eq!(clean(&format!("a{}", "\u{301}".repeat(200)), &|_| 1), "\u{FFFD}");
        // One font for the whole grapheme: "q" and the accent share font 2; "x" and the accent share none.
        assert_eq!(clean("q\u{301} x\u{301}", &latin), "q\u{301} \u{FFFD}");
        // A control between a base and a mark is dropped first: the mark then belongs to the base.
        assert_eq!(clean("x\u{0}\u{301}", &latin), "\u{FFFD}");
        // A mark with no base, first or after a line break, is shown as the replacement.
        assert_eq!(clean("\u{301}q\n\u{301}", &latin), "\u{FFFD}q\n\u{FFFD}");
    }

    #[test]
    fn long_tokens_get_a_break_opportunity_and_short_ones_none() {
        let short = "x".repeat(TOKEN_GRAPHEMES);
        assert_eq!(clean(&short, &latin), short);
        let long = clean(&"x".repeat(TOKEN_GRAPHEMES * 3 + 1), &latin);
        assert_eq!(long.matches('\u{200B}').count(), 3);
        assert!(long.split('\u{200B}').all(|t| t.chars().count() <= TOKEN_GRAPHEMES));
        // A space starts a new token.
        let words = format!("{short} {short}");
        assert_eq!(clean(&words, &latin), words);
    }

    #[test]
    fn every_string_of_the_letter_is_cleaned_and_clusters_replaced() {
        let mut v = serde_json::json!({"a": "x\u{7}y", "b": ["\u{1F600}"], "c": {"d": 3}});
        prepare(&mut v, &latin);
        assert_eq!(v, serde_json::json!({"a": "xy", "b": ["\u{FFFD}"], "c": {"d": 3}}));
        let mut v = serde_json::json!({"a": "ab\u{0E31}c", "b": ["b\u{0E31}"]});
        assert!(replace_clusters(&mut v, &["b\u{0E31}".to_owned()]));
        assert_eq!(v, serde_json::json!({"a": "a\u{FFFD}c", "b": ["\u{FFFD}"]}));
        assert!(!replace_clusters(&mut v, &["zz".to_owned()]));
    }

    #[test]
    fn runs_of_invisible_characters_and_of_line_breaks_are_cut_short() {
        // Tens of thousands of zero-width spaces or Hangul fillers would be one text run the PDF writer
        // cannot split; four show as much as all of them.
        let zw = clean(&format!("x{}y", "\u{200B}".repeat(21_846)), &latin);
        assert_eq!(zw, format!("x{}y", "\u{200B}".repeat(INVISIBLE_RUN)));
        let filler = clean(&format!("x{}", "\u{3164}".repeat(49_999)), &latin);
        assert_eq!(filler.chars().count(), 1 + INVISIBLE_RUN);
        assert_eq!(clean(&format!("a{}b", " ".repeat(100)), &latin), "a    b");
        assert_eq!(clean(&format!("a{}b", "\n".repeat(100)), &latin), "a\n\n\nb");
        // A mark after something invisible has no base to sit on.
        assert_eq!(
            clean(&format!("a{}", "\u{200B}\u{301}".repeat(3)), &latin),
            "a\u{200B}\u{FFFD}\u{200B}\u{FFFD}\u{200B}\u{FFFD}"
        );
    }

    #[test]
    fn text_is_composed_so_that_a_decomposed_letter_finds_its_glyph() {
        // "e" + combining acute is "é" (U+00E9) in NFC; a font with "é" but no combining accent draws it.
        assert_eq!(clean("Rene\u{301}", &|c: char| u64::from(c.is_ascii() || c == 'é')), "René");
        // A Hangul syllable written as its jamo.
        assert_eq!(clean("\u{1112}\u{1161}\u{11AB}", &|c: char| u64::from(c == '한')), "한");
    }

    #[test]
    fn what_is_replaced_takes_the_width_of_the_replacement() {
        // No font has cuneiform, so no font gives it a width: the budget counts the "�" it becomes.
        struct Latin;
        impl Glyphs for Latin {
            fn fonts(&self, c: char) -> u64 {
                u64::from(c.is_ascii() || c == REPLACEMENT)
            }
            fn width(&self, c: char) -> f64 {
                if self.fonts(c) == 0 { 0.0 } else { 0.5 }
            }
        }
        let cleaned = clean(&"\u{1242B}".repeat(TOKEN_GRAPHEMES * 3), &Latin);
        assert_eq!(cleaned.matches('\u{200B}').count(), 2);
        assert!(cleaned.split('\u{200B}').all(|t| t.chars().count() == TOKEN_GRAPHEMES));
        // A glyph with no advance still counts: a token of them gets its breaks too.
        let zero = |c: char| u64::from(c == 'x');
        struct Zero<F>(F);
        impl<F: Fn(char) -> u64> Glyphs for Zero<F> {
            fn fonts(&self, c: char) -> u64 {
                (self.0)(c)
            }
            fn width(&self, _: char) -> f64 {
                0.0
            }
        }
        let flat = clean(&"x".repeat(1000), &Zero(zero));
        assert!(flat.matches('\u{200B}').count() >= 1000 / 80 - 1, "{}", flat.matches('\u{200B}').count());
    }

    #[test]
    fn break_opportunities_follow_the_width_of_what_is_drawn() {
        struct Wide;
        impl Glyphs for Wide {
            fn fonts(&self, _: char) -> u64 {
                1
            }
            fn width(&self, c: char) -> f64 {
                if c == '\u{FDFD}' { 5.0 } else { 0.5 }
            }
        }
        // Four of the five-em ligature fill the budget; the fifth starts on a new line.
        assert_eq!(clean(&"\u{FDFD}".repeat(8), &Wide), format!("{0}\u{200B}{0}", "\u{FDFD}".repeat(4)));
        // A no-break space glues its neighbours: it is no break, so the budget runs on.
        let glued = clean(&"x\u{A0}".repeat(60), &Wide);
        assert_eq!(glued.matches('\u{200B}').count(), 1);
    }
}
