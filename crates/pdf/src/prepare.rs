//! A letter's texts made safe to typeset, whatever a caseworker or a register put in them.
//!
//! PDF/A forbids a glyph the font does not have (the `.notdef` box), and Typst breaks lines only where
//! Unicode allows a break, so an unbroken token runs off the page and, in one text run, past the PDF string
//! limit. So before typesetting every string of the letter is cleaned: control characters dropped (a line
//! break kept), a character no embedded font draws shown as U+FFFD "�", an absurd grapheme (hundreds of
//! stacked marks) shown the same way, and a break opportunity (U+200B, invisible) put into any token longer
//! than [`TOKEN_GRAPHEMES`]. [`replace_clusters`] is the second line: what Typst still drew as `.notdef`
//! (a cluster no single font shapes) is replaced the same way and the letter set again.

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

/// What the citizen sees where a character could not be drawn.
pub const REPLACEMENT: char = '\u{FFFD}';

/// The longest run of graphemes without a break opportunity: narrower than the text column at 10.5 pt for
/// ordinary letters, so no line runs off the page.
pub const TOKEN_GRAPHEMES: usize = 40;

/// A grapheme of more characters than this is not writing (the longest emoji sequences, family and
/// subdivision flags, have 7-10), and one cluster this long would end up as one PDF string.
const GRAPHEME_CHARS: usize = 16;

/// Cleans every string in `value` (the letter as JSON), with `fonts` telling which fonts (a bit each) draw
/// a char.
pub fn prepare(value: &mut Value, fonts: &impl Fn(char) -> u64) {
    each_string(value, &mut |s| *s = clean(s, fonts));
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

/// One string, cleaned as the module says. A grapheme is drawn only when one font has all its characters:
/// a cluster split over two fonts (an emoji with a combining accent) is what Typst cannot shape. Dropped
/// characters go first, so that the graphemes judged are the ones Typst will see.
#[must_use]
pub fn clean(s: &str, fonts: &impl Fn(char) -> u64) -> String {
    let kept: String = s.chars().filter_map(keep).collect();
    let mut out = String::with_capacity(kept.len());
    let mut unbroken = 0;
    let mut after_space = true;
    for grapheme in kept.graphemes(true) {
        if grapheme.chars().all(char::is_whitespace) {
            out.push_str(grapheme);
            unbroken = 0;
            after_space = true;
            continue;
        }
        if unbroken >= TOKEN_GRAPHEMES {
            out.push('\u{200B}');
            unbroken = 0;
        }
        unbroken += 1;
        // A mark with no base of its own (first in the string or after a line break) would join whatever
        // the template puts before it.
        let baseless = after_space && format!("a{grapheme}").graphemes(true).nth(1).is_none();
        after_space = false;
        let drawable = !baseless
            && grapheme.chars().count() <= GRAPHEME_CHARS
            && !grapheme.chars().any(forbidden)
            && grapheme.chars().filter(|c| !c.is_whitespace() && !ignorable(*c)).fold(u64::MAX, |m, c| m & fonts(c))
                != 0;
        if drawable { out.push_str(grapheme) } else { out.push(REPLACEMENT) }
    }
    out
}

/// The char as it goes into the letter: a control character and the byte-order mark dropped (PDF/A forbids
/// U+FEFF in a glyph's text), the bidirectional embeddings, overrides and isolates dropped (they could make
/// a text read otherwise than it was written), a tab a space, the Unicode line and paragraph separators a
/// line break.
fn keep(c: char) -> Option<char> {
    match c {
        '\n' => Some('\n'),
        '\t' => Some(' '),
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

    /// One font for ASCII and Danish letters, another for the combining acute accent and 'e'.
    fn latin(c: char) -> u64 {
        u64::from(c.is_ascii() || "æøåÆØÅ".contains(c)) | if "e\u{301}".contains(c) { 2 } else { 0 }
    }

    #[test]
    fn controls_are_dropped_and_a_line_break_kept() {
        assert_eq!(clean("a\u{7}b\u{1b}[31m\r\nc\td\u{85}", &latin), "ab[31m\nc d");
        assert_eq!(clean("ab\u{202E}cd\u{2066}e", &latin), "abcde");
    }

    #[test]
    fn what_no_font_draws_is_shown_as_the_replacement_character() {
        assert_eq!(clean("Søren 😀 ok", &latin), "Søren \u{FFFD} ok");
        // A combining sequence is one grapheme: replaced whole, never half.
        assert_eq!(clean("e\u{301}x", &|c| u64::from(c != '\u{301}')), "\u{FFFD}x");
        assert_eq!(clean(&format!("a{}", "\u{301}".repeat(200)), &|_| 1), "\u{FFFD}");
        // One font for the whole grapheme: "e" and the accent share font 2; "a" and the accent share none.
        assert_eq!(clean("e\u{301} a\u{301}", &latin), "e\u{301} \u{FFFD}");
        // A control between a base and a mark is dropped first: the mark then belongs to the base.
        assert_eq!(clean("a\u{0}\u{301}", &latin), "\u{FFFD}");
        // A mark with no base, first or after a line break, is shown as the replacement.
        assert_eq!(clean("\u{301}e\n\u{301}", &latin), "\u{FFFD}e\n\u{FFFD}");
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
}
