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
const FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/IBMPlexSans-Regular.ttf"),
    include_bytes!("../fonts/IBMPlexSans-Bold.ttf"),
    include_bytes!("../fonts/IBMPlexSans-Italic.ttf"),
];

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));
static FONT_SET: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

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
