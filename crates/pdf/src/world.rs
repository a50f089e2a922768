//! The Typst world of one letter: the template as the main file, the letter's JSON as `/letter.json`,
//! the embedded fonts, and "today" fixed to the letter's date.

use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

const TEMPLATE: &str = include_str!("letter.typ");
// The design system's IBM Plex Sans first, then Noto for the scripts it lacks (fonts/README says where
// each file comes from and under which licence). The template names the same families in this order.
const FONTS: [&[u8]; 28] = [
    include_bytes!("../fonts/IBMPlexSans-Regular.ttf"),
    include_bytes!("../fonts/IBMPlexSans-Bold.ttf"),
    include_bytes!("../fonts/IBMPlexSans-Italic.ttf"),
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../fonts/NotoSansEthiopic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArmenian-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGeorgian-Regular.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../fonts/NotoSansBengali-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGurmukhi-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGujarati-Regular.ttf"),
    include_bytes!("../fonts/NotoSansTamil-Regular.ttf"),
    include_bytes!("../fonts/NotoSansTelugu-Regular.ttf"),
    include_bytes!("../fonts/NotoSansKannada-Regular.ttf"),
    include_bytes!("../fonts/NotoSansMalayalam-Regular.ttf"),
    include_bytes!("../fonts/NotoSansSinhala-Regular.ttf"),
    include_bytes!("../fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../fonts/NotoSansLao-Regular.ttf"),
    include_bytes!("../fonts/NotoSansKhmer-Regular.ttf"),
    include_bytes!("../fonts/NotoSansMyanmar-Regular.ttf"),
    include_bytes!("../fonts/NotoSansCJKsc-Regular-subset.otf"),
    include_bytes!("../fonts/NotoColorEmoji.ttf"),
    include_bytes!("../fonts/NotoSansSymbols-Regular.ttf"),
    include_bytes!("../fonts/NotoSansSymbols2-Regular.ttf"),
];

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));
static FONT_SET: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

// The same fonts parsed for their metrics (every file holds one face).
static FACES: LazyLock<Vec<ttf_parser::Face<'static>>> =
    LazyLock::new(|| FONTS.iter().filter_map(|data| ttf_parser::Face::parse(data, 0).ok()).collect());

/// The embedded fonts that have a glyph for `c`, as a bit per font (in [`FONTS`] order, a collection's
/// faces after each other; there are fewer than 64, which a test checks).
pub fn fonts_for(c: char) -> u64 {
    FONT_SET
        .1
        .iter()
        .enumerate()
        .take(64)
        .fold(0, |mask, (i, f)| if f.info().coverage.contains(u32::from(c)) { mask | 1 << i } else { mask })
}

/// The embedded fonts, as [`crate::prepare`] asks about them.
pub struct Embedded;

impl crate::prepare::Glyphs for Embedded {
    fn fonts(&self, c: char) -> u64 {
        fonts_for(c)
    }

    fn width(&self, c: char) -> f64 {
        FACES
            .iter()
            .find_map(|face| Some((face, face.glyph_index(c)?)))
            .and_then(|(face, glyph)| Some(f64::from(face.glyph_hor_advance(glyph)?) / f64::from(face.units_per_em())))
            .unwrap_or(0.0)
    }
}

fn file_id(path: &str) -> Option<FileId> {
    VirtualPath::new(path).ok().map(|p| RootedPath::new(VirtualRoot::Project, p).intern())
}

static MAIN: LazyLock<Option<FileId>> = LazyLock::new(|| file_id("/letter.typ"));
static DATA: LazyLock<Option<FileId>> = LazyLock::new(|| file_id("/letter.json"));

/// One letter's world.
pub struct LetterWorld {
    main: Source,
    main_id: FileId,
    data_id: Option<FileId>,
    data: Bytes,
    today: jiff::civil::Date,
}

impl LetterWorld {
    /// The world for the letter whose JSON is `data`, dated `today`.
    pub fn new(data: Vec<u8>, today: jiff::civil::Date) -> LetterWorld {
        // A constant path: valid by construction, and every test renders through it.
        let main_id = MAIN.expect("/letter.typ is a valid path");
        LetterWorld {
            main: Source::new(main_id, TEMPLATE.to_owned()),
            main_id,
            data_id: *DATA,
            data: Bytes::new(data),
            today,
        }
    }
}

impl World for LetterWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONT_SET.0
    }

    fn main(&self) -> FileId {
        self.main_id
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main_id { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if Some(id) == self.data_id { Ok(self.data.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONT_SET.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            i32::from(self.today.year()),
            self.today.month().unsigned_abs(),
            self.today.day().unsigned_abs(),
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_font_has_its_bit() {
        assert!(super::FONT_SET.1.len() < 64);
        assert_eq!(super::FACES.len(), super::FONT_SET.1.len(), "one face per file");
        assert_ne!(super::fonts_for('a') & 1, 0, "IBM Plex Sans first");
        assert_eq!(super::fonts_for('\u{E000}'), 0);
    }

    #[test]
    fn widths_come_from_the_font_that_draws_the_char() {
        use crate::prepare::Glyphs;
        let (i, w, wide) = (super::Embedded.width('i'), super::Embedded.width('W'), super::Embedded.width('\u{FDFD}'));
        assert!(0.1 < i && i < w && w < 1.2, "i {i}, W {w}");
        assert!(wide > 2.0, "the basmala ligature is several em wide: {wide}");
        assert!((super::Embedded.width('\u{E000}')).abs() < f64::EPSILON);
    }
}
