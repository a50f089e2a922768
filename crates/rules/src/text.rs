//! What a free text a user writes may hold: the case and the letters keep it for ever (events are never
//! rewritten), so what cannot be shown honestly is refused when it is written, not found later.
//!
//! Refused: control characters other than line breaks and tabs (they cannot be printed or put in a PDF/A
//! letter), and the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
//! make a text read differently from what it holds ("Trojan Source"). Kept: the joiners (U+200C, U+200D),
//! which Persian, Urdu and emoji need. A text of nothing but spaces and invisible marks is blank.

/// Why a text cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing visible: spaces, line breaks or invisible marks only.
    Blank,
    /// A control character (other than line break and tab).
    Control,
    /// A bidirectional embedding, override or isolate.
    DirectionOverride,
    /// Longer than [`MAX_CHARS`].
    TooLong,
}

/// The longest free text kept, in characters: about twenty pages, far beyond any note, reason or summary
/// a caseworker writes, and short enough that the history and its letters stay bounded.
pub const MAX_CHARS: usize = 50_000;

impl Refusal {
    /// In Danish, for the field's error.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Refusal::Blank => "skal udfyldes",
            Refusal::Control => "indeholder et kontroltegn, som ikke kan stå i en sag eller et brev",
            Refusal::DirectionOverride => {
                "indeholder et usynligt tegn, der vender skriftretningen, så teksten læses anderledes, end den står"
            }
            Refusal::TooLong => "er for lang: højst 50.000 tegn",
        }
    }

    /// In English, for an operator's file (registers, configuration).
    #[must_use]
    pub fn english(self) -> &'static str {
        match self {
            Refusal::Blank => "must not be blank (it holds nothing visible)",
            Refusal::Control => "holds a control character",
            Refusal::DirectionOverride => "holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069)",
            Refusal::TooLong => "is longer than 50,000 characters",
        }
    }
}

/// Marks that show nothing on their own: the soft hyphen, the combining grapheme joiner, the Arabic
/// letter mark, the Hangul fillers, the Khmer inherent vowels, the Mongolian free variation selectors and
/// vowel separator, zero-width space and joiners, direction marks, word joiner and invisible operators,
/// the deprecated format characters, the braille blank, variation selectors, the byte-order mark,
/// interlinear annotation marks, musical format marks and tags. Visible text may hold them (an emoji's
/// variation selector, Persian's non-joiner); text of nothing else is blank.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    ) || direction_override(c)
}

/// The text as compared for sameness (two board members, two user names): invisible marks dropped,
/// runs of spaces as one, case folded.
#[must_use]
pub fn comparable(text: &str) -> String {
    let visible: String = text.chars().filter(|c| !invisible(*c)).collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Combining marks: they show only on a letter before them, so a text of nothing else is blank.
fn combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Whether the character shows nothing by itself (zero-width characters, fillers, the byte-order mark):
/// for one-line names, where nothing may hide.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    invisible(c)
}

/// Whether the text shows nothing.
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || invisible(c) || combining(c))
}

/// Characters no text of a case has a use for and that could hide or break it: the line and paragraph
/// separators (a line break that is not one), the noncharacters U+FFFE and U+FFFF, the interlinear
/// annotation marks (U+FFF9-FFFB, which some readers hide with the text between them), the object
/// replacement character, and the tag characters outside an emoji flag (which carry hidden text).
fn hidden_or_broken(text: &str) -> bool {
    with_hiding(text).any(|(c, hides)| hides || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// Each character of the text with whether it hides text or stands for none: the interlinear annotation
/// marks (U+FFF9-FFFB), the object replacement character, the noncharacters U+FFFE and U+FFFF, and the tag
/// characters outside an emoji flag (a subdivision flag's tags are the flag).
pub fn with_hiding(text: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut in_flag = false;
    text.chars().map(move |c| {
        let flagged = in_flag;
        in_flag = c == '\u{1F3F4}' || (in_flag && matches!(c, '\u{E0020}'..='\u{E007E}'));
        let hides = matches!(c, '\u{FFF9}'..='\u{FFFC}' | '\u{FFFE}' | '\u{FFFF}')
            || (matches!(c, '\u{E0000}'..='\u{E007F}') && !flagged);
        (c, hides)
    })
}

/// Why a text, which may be empty, cannot be kept: too long, a control character or a direction override.
#[must_use]
pub fn unfit(text: &str) -> Option<Refusal> {
    if plain(text) {
        // Nothing to refuse but the length; a character is a byte that does not continue one.
        let too_long = text.len() > MAX_CHARS && text.bytes().filter(|b| !(0x80..0xC0).contains(b)).count() > MAX_CHARS;
        return too_long.then_some(Refusal::TooLong);
    }
    unfit_by_character(text)
}

/// Whether the text's bytes rule out everything [`unfit`] refuses, so that it needs no look at its
/// characters (the 6 million names of a register extract): no control byte but line break and tab, and
/// none of the lead bytes that every refused character above U+007F begins with — 0xC2 (the C1 controls
/// U+0080-U+009F), 0xE2 (U+2028-U+202E, U+2066-U+2069), 0xEF (U+FFF9-U+FFFF) and 0xF3 (the tags
/// U+E0000-U+E007F). Conservative: a text with such a lead byte (a "§", a "½") takes the long way.
fn plain(text: &str) -> bool {
    text.bytes().all(|b| match b {
        b'\t' | b'\n' | b'\r' => true,
        0x00..0x20 | 0x7F | 0xC2 | 0xE2 | 0xEF | 0xF3 => false,
        _ => true,
    })
}

/// [`unfit`], character by character.
fn unfit_by_character(text: &str) -> Option<Refusal> {
    // Bytes first: a text of fewer bytes than the limit has fewer characters, and is not counted.
    if text.len() > MAX_CHARS && text.chars().count() > MAX_CHARS {
        Some(Refusal::TooLong)
    } else if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || hidden_or_broken(text) {
        Some(Refusal::Control)
    } else if text.chars().any(direction_override) {
        Some(Refusal::DirectionOverride)
    } else {
        None
    }
}

/// The text with what may not be kept (control characters, direction overrides) replaced by U+FFFD, for
/// recording a refused text as it was tried (the access log) without letting it act on whoever reads it.
#[must_use]
pub fn defused(text: &str) -> String {
    text.chars()
        .map(
            |c| {
                if (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || direction_override(c) {
                    '\u{FFFD}'
                } else {
                    c
                }
            },
        )
        .collect()
}

/// The text with what could act on a terminal or reverse its reading (control characters other than tab,
/// direction overrides) written as `\u{1b}`: for quoting input in an error without echoing it raw.
#[must_use]
pub fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && c != '\t') || direction_override(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Why a text that must be filled in cannot be kept.
#[must_use]
pub fn refused(text: &str) -> Option<Refusal> {
    if is_blank(text) { Some(Refusal::Blank) } else { unfit(text) }
}

/// A name as a search compares it: letters and digits only, lower case, without diacritics, so that
/// "sorensen" finds "Sørensen", "ozturk" finds "Öztürk" and "nguyen" finds "Nguyễn". The Danish letters
/// are spelt as Danes type them without a Danish keyboard (æ → ae, ø → o, å → a), and the letters that do
/// not decompose (ß, ł, đ, ı, ø) are given their base letter; runs of anything else are one space.
#[must_use]
pub fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) || invisible(c) {
            continue;
        }
        let base: &str = match c {
            'æ' | 'Æ' => "ae",
            'ø' | 'Ø' => "o",
            'ß' | 'ẞ' => "ss",
            'ł' | 'Ł' => "l",
            'đ' | 'Đ' => "d",
            'ı' => "i",
            'œ' | 'Œ' => "oe",
            'þ' | 'Þ' => "th",
            _ if c.is_alphanumeric() => {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.extend(c.to_lowercase());
                continue;
            }
            _ => {
                gap = true;
                continue;
            }
        };
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push_str(base);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The byte test is only a shortcut: over any text — random characters, and texts built from the
        /// lead bytes' neighbours, the refused characters and plain letters — the answer is the one the
        /// characters give.
        #[test]
        fn the_shortcut_answers_as_the_characters_do(
            any in any::<String>(),
            built in proptest::collection::vec(prop_oneof![
                Just('a'), Just('ø'), Just('§'), Just('\u{80}'), Just('\u{9F}'), Just('\u{A0}'), Just('\u{2028}'),
                Just('\u{202A}'), Just('\u{2030}'), Just('\u{2069}'), Just('\u{FFFC}'), Just('\u{FFFD}'),
                Just('\u{E0001}'), Just('\u{E0080}'), Just('\u{1F3F4}'), Just('\t'), Just('\u{7F}'), Just('\0'),
                any::<char>(),
            ], 0..40),
        ) {
            let built: String = built.into_iter().collect();
            for text in [any.as_str(), built.as_str()] {
                prop_assert_eq!(unfit(text), unfit_by_character(text), "{:?}", text);
            }
        }
    }

    #[test]
    fn invisible_text_is_blank_and_direction_overrides_are_refused() {
        assert_eq!(refused("\u{200B}\u{200B} \u{FEFF}\n"), Some(Refusal::Blank));
        assert_eq!(refused("\u{2060}"), Some(Refusal::Blank));
        // Fillers and blanks that render as nothing (found by an outside attack).
        for blank in [
            "\u{3164}",
            "\u{115F}",
            "\u{2800}",
            "\u{034F}",
            "\u{FE0F}",
            "\u{E0020}",
            "\u{206A}",
            "\u{FFF9}",
            "\u{17B4}",
            "\u{180B}",
        ] {
            assert_eq!(refused(blank), Some(Refusal::Blank), "{blank:?}");
        }
        assert_eq!(comparable("Teamleder,\u{00A0}Jobcenter\u{200B}"), comparable("teamleder,  JOBCENTER"));
        // A lone combining mark shows nothing; on a letter it is writing.
        assert_eq!(refused("\u{0301}"), Some(Refusal::Blank));
        assert_eq!(refused("Sene\u{0301}gal"), None);
        // Separators that are not line breaks, noncharacters, and tags smuggling hidden text are refused;
        // a subdivision flag's tags are part of the emoji.
        for broken in [
            "a\u{2028}b",
            "a\u{2029}",
            "a\u{FFFE}",
            "a\u{FFFC}",
            "a\u{FFF9}b\u{FFFA}c\u{FFFB}",
            "synlig\u{E0068}\u{E0069}",
        ] {
            assert_eq!(refused(broken), Some(Refusal::Control), "{broken:?}");
        }
        assert_eq!(refused("Wales \u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}"), None);
        assert_eq!(refused("tilbage\u{202E}tfahs"), Some(Refusal::DirectionOverride));
        assert_eq!(refused("a\u{2067}b"), Some(Refusal::DirectionOverride));
        assert_eq!(refused("lyd\u{7}"), Some(Refusal::Control));
        // Persian needs the zero-width non-joiner, emoji the joiner; both are kept.
        assert_eq!(refused("می\u{200C}خواهم"), None);
        assert_eq!(refused("👩\u{200D}⚕️ Lægen"), None);
        assert_eq!(refused("Linje 1\nLinje 2\tslut"), None);
        assert_eq!(unfit(""), None);
        assert_eq!(unfit(&"æ".repeat(MAX_CHARS)), None, "the limit counts characters, not bytes");
        assert_eq!(unfit(&"a".repeat(MAX_CHARS + 1)), Some(Refusal::TooLong));
        assert_eq!(unfit(&"ø".repeat(MAX_CHARS + 1)), Some(Refusal::TooLong));
        assert_eq!(unfit(&format!("{}\u{7}", "a".repeat(MAX_CHARS + 1))), Some(Refusal::TooLong));
        assert_eq!(defused("a\u{7}b\u{202E}c\nd"), "a\u{FFFD}b\u{FFFD}c\nd");
        assert_eq!(escaped("\u{1b}[31mX\u{202E}"), "\\u{1b}[31mX\\u{202e}");
    }

    #[test]
    fn a_name_is_found_without_its_diacritics_as_danes_type_it() {
        assert_eq!(folded("Sørensen"), "sorensen");
        assert_eq!(folded("Ærø-Ågård"), "aero agard");
        assert_eq!(folded("Öztürk, Ayşe"), "ozturk ayse");
        assert_eq!(folded("Nguyễn Thị Hương"), "nguyen thi huong");
        assert_eq!(folded("Łukasz Wiśniewski"), "lukasz wisniewski");
        assert_eq!(folded("Yıldız"), "yildiz");
        assert_eq!(folded("  Al-Hassan  "), "al hassan");
        assert_eq!(folded("Straße"), "strasse");
        // What a name cannot hold drops out rather than blocking the match.
        assert_eq!(folded("Ah\u{200B}med"), "ahmed");
        assert_eq!(folded("محمد"), "محمد");
        assert_eq!(folded("---"), "");
    }
}
