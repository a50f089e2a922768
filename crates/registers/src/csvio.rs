//! Streaming CSV reading at register scale, with line-precise errors.
//!
//! Files are read in large blocks cut at the ends of records, the next block read while the current one is
//! parsed. A block without any quote character is split at line ends into chunks that are parsed in parallel
//! (the common case: register extracts are plain). A block with quotes is scanned for the ends of its records
//! (line feeds outside quotes), cut there and its chunks parsed in parallel by the `csv` crate, which handles
//! RFC 4180 quoting with embedded commas and line breaks; a quote where RFC 4180 puts none, or one never
//! closed, is an error naming its line and field, never read as a letter. Both paths see the same fields.
//!
//! Each chunk folds its rows into an accumulator of the caller's choosing; the accumulators come back in
//! file order. The SHA-256 of the file is computed from the same bytes as they pass, for the manifest.

use crate::error::{FieldError, RegisterError};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

const BLOCK: usize = 32 << 20;

/// The longest field of any register column (a name, an address, a screening's reasons are far shorter):
/// a longer one is refused by column, so that nothing downstream holds or shows it.
pub const MAX_FIELD: usize = 64 << 10;

/// The columns a reader wants: required ones must be in the header, optional ones may be absent.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'s> {
    /// Columns that must be present.
    pub required: &'s [&'s str],
    /// Columns that may be absent (then every value reads as empty, i.e. unknown).
    pub optional: &'s [&'s str],
}

impl<'s> Schema<'s> {
    fn names(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.required.iter().chain(self.optional).copied()
    }
}

/// One row, addressed by the schema's column order (required first, then optional).
pub struct Row<'a> {
    fields: &'a [&'a [u8]],
    map: &'a [Option<usize>],
    /// 1-based line of the row in its file.
    pub line: u64,
}

impl Row<'_> {
    /// The raw bytes of schema column `i` (empty when absent or empty).
    #[must_use]
    pub fn get(&self, i: usize) -> &[u8] {
        match self.map.get(i).copied().flatten() {
            Some(pos) => self.fields.get(pos).copied().unwrap_or_default(),
            None => &[],
        }
    }
}

/// What a full read returns.
pub struct ReadOutput<A> {
    /// The accumulators, in file order.
    pub parts: Vec<A>,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Number of data rows (excluding the header and blank lines).
    pub rows: u64,
}

/// Reads `path`, folding each data row into an accumulator made by `make`.
///
/// # Errors
/// The first bad row in file order, as [`RegisterError::Input`] with file, line and column; or a missing
/// column in the header (line 1); or an I/O error.
pub fn read<A, M, F>(
    path: &Path,
    display: &str,
    schema: Schema<'_>,
    make: M,
    fold: F,
) -> Result<ReadOutput<A>, RegisterError>
where
    A: Send,
    M: Fn() -> A + Sync,
    F: Fn(&mut A, &Row<'_>) -> Result<(), FieldError> + Sync,
{
    let mut file = std::fs::File::open(path).map_err(|e| RegisterError::io(display, e))?;
    let mut hasher = Sha256::new();
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + (1 << 20));
    let mut eof = fill(&mut file, &mut buf, display)?;
    // Header.
    let header_end = match memchr::memchr(b'\n', &buf) {
        Some(i) => i + 1,
        None if eof => buf.len(),
        None => return Err(too_long(display, 1)),
    };
    let header_line = &buf[..header_end];
    lone_carriage_return(header_line, display)?;
    // A header quoted wrong is named as such, not as the column it hides.
    if let Scan::Malformed { at, unclosed, .. } = record_ends(header_line, usize::MAX, true) {
        return Err(malformed(display, 1, &header_line[..at], unclosed));
    }
    let map = header_map(header_line, display, schema)?;
    let width = header_width(header_line);
    hasher.update(header_line);
    buf.drain(..header_end);

    let mut parts = Vec::new();
    let mut rows = 0u64;
    let mut next_line = 2u64;
    // The next block is read into this one while the current one is parsed and hashed.
    let mut next: Vec<u8> = Vec::with_capacity(buf.capacity());
    loop {
        if !eof && buf.len() < BLOCK {
            eof = fill(&mut file, &mut buf, display)?;
        }
        if buf.is_empty() {
            break;
        }
        let piece = (buf.len() / (rayon::current_num_threads() * 4)).max(1 << 16);
        let (cut, chunks) = if memchr::memchr(b'"', &buf).is_none() {
            let cut = if eof {
                buf.len()
            } else {
                // A block without a line end holds part of one line longer than a block: never split it.
                memchr::memrchr(b'\n', &buf).map(|i| i + 1).ok_or_else(|| too_long(display, next_line))?
            };
            (cut, split_chunks(&buf[..cut], piece))
        } else {
            // Quoted fields: cut at the ends of records, and read in parallel too.
            match record_ends(&buf, piece, eof) {
                Scan::Ends(ends) => {
                    let cut = if eof { buf.len() } else { ends.last.ok_or_else(|| too_long(display, next_line))? };
                    (cut, cut_at(&buf[..cut], &ends.cuts))
                }
                Scan::Malformed { ends, record, at, unclosed } => {
                    // The rows before it come first: an error among them is the file's first.
                    let before = &buf[..record];
                    parse_block(before, cut_at(before, &ends.cuts), display, &map, width, next_line, &make, &fold)?;
                    let line = next_line + memchr::memchr_iter(b'\n', before).count() as u64;
                    return Err(malformed(display, line, &buf[record..at], unclosed));
                }
            }
        };
        let (block, rest) = buf.split_at(cut);
        next.clear();
        next.extend_from_slice(rest);
        let ((hash_done, filled), parsed) = rayon::join(
            || {
                rayon::join(
                    || hasher.update(block),
                    || if eof { Ok(true) } else { fill(&mut file, &mut next, display) },
                )
            },
            || parse_block(block, chunks, display, &map, width, next_line, &make, &fold),
        );
        let () = hash_done;
        let (block_parts, block_rows, lines) = parsed?;
        eof = filled?;
        parts.extend(block_parts);
        rows += block_rows;
        next_line += lines;
        std::mem::swap(&mut buf, &mut next);
    }
    Ok(ReadOutput { parts, sha256: hex(&hasher.finalize()), rows })
}

/// A line longer than a block (no register's line comes near it): refused, never read in parts.
fn too_long(display: &str, line: u64) -> RegisterError {
    RegisterError::Input {
        file: display.to_owned(),
        line,
        message: format!("the line is longer than {} MiB; no register line is that long", BLOCK >> 20),
    }
}

/// Reads until `buf` holds a block's worth or the file ends; returns whether it ended. The bytes are read
/// into the buffer's spare capacity, never zeroed first (zeroing 32 MiB a block cost as much as reading it).
fn fill(file: &mut std::fs::File, buf: &mut Vec<u8>, display: &str) -> Result<bool, RegisterError> {
    let want = BLOCK.saturating_sub(buf.len()).max(1 << 20);
    buf.reserve(want);
    // `Take` ends at `want` bytes or at the end of the file, whichever comes first, so a short count is the
    // end of the file (`read_to_end` itself retries an interrupted read).
    let n = Read::take(&mut *file, want as u64).read_to_end(buf).map_err(|e| RegisterError::io(display, e))?;
    Ok(n < want)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn split_header(line: &[u8]) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line);
    let mut record = csv::ByteRecord::new();
    if reader.read_byte_record(&mut record).unwrap_or(false) {
        record.iter().map(|f| String::from_utf8_lossy(f).trim().trim_start_matches('\u{feff}').to_owned()).collect()
    } else {
        Vec::new()
    }
}

fn header_width(line: &[u8]) -> usize {
    split_header(line).len()
}

/// A carriage return ends a record for the csv crate but not a line here: a header cut there would lose
/// what follows it (with a file whose lines end in a carriage return alone, every row) without a word. Told
/// before anything else of the header (a file of CR line ends with quotes read as a misplaced quote).
fn lone_carriage_return(line: &[u8], display: &str) -> Result<(), RegisterError> {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    if memchr::memchr(b'\r', content).is_some() {
        return Err(RegisterError::Input {
            file: display.to_owned(),
            line: 1,
            message: "the header row holds a carriage return that does not end it; lines end in a line feed \
                      (LF or CR LF), not in a carriage return alone"
                .into(),
        });
    }
    Ok(())
}

fn header_map(line: &[u8], display: &str, schema: Schema<'_>) -> Result<Vec<Option<usize>>, RegisterError> {
    if std::str::from_utf8(line).is_err() {
        return Err(RegisterError::Input {
            file: display.to_owned(),
            line: 1,
            message: "the header row is not valid UTF-8".into(),
        });
    }
    let names: Vec<String> = split_header(line).iter().map(|n| gennemgang_rules::text::escaped(n)).collect();
    if names.iter().all(String::is_empty) {
        return Err(RegisterError::Input {
            file: display.to_owned(),
            line: 1,
            message: "the file has no header row".into(),
        });
    }
    for (i, name) in names.iter().enumerate() {
        if !name.is_empty() && names[..i].contains(name) {
            return Err(RegisterError::Input {
                file: display.to_owned(),
                line: 1,
                message: format!("column {name}: appears twice in the header"),
            });
        }
    }
    let mut map = Vec::new();
    for (i, wanted) in schema.names().enumerate() {
        let pos = names.iter().position(|n| n == wanted);
        if pos.is_none() && i < schema.required.len() {
            return Err(RegisterError::Input {
                file: display.to_owned(),
                line: 1,
                message: format!("column {wanted}: missing from the header"),
            });
        }
        map.push(pos);
    }
    Ok(map)
}

type BlockResult<A> = Result<(Vec<A>, u64, u64), RegisterError>;

/// Where a block that holds quotes may be cut: the ends of records (a line feed outside quotes), one about
/// every `piece` bytes, and the last.
#[derive(Default)]
struct RecordEnds {
    cuts: Vec<usize>,
    last: Option<usize>,
}

/// What the scan of a block with quotes found.
enum Scan {
    /// Quotes only where RFC 4180 places them.
    Ends(RecordEnds),
    /// A quote where RFC 4180 puts none — inside a field that does not start with one, or after the quote
    /// that closes one — or, at the end of the file, a quote never closed (`unclosed`): the record starting
    /// at `record`, the quote at `at`, and the ends found before it.
    Malformed { ends: RecordEnds, record: usize, at: usize, unclosed: bool },
}

/// Finds the ends of the records in `block`, which starts at a record's start. The csv crate would read a
/// misplaced quote as a letter of the field, and an unclosed one as running to the end of the file: a
/// register row quoted wrong would then be read as something it does not say, so it is found here and
/// refused.
fn record_ends(block: &[u8], piece: usize, eof: bool) -> Scan {
    let mut ends = RecordEnds::default();
    let mut next = piece;
    let mut record = 0;
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'"', b'\n', &block[i..]) {
        let p = i + k;
        if block[p] == b'\n' {
            ends.last = Some(p + 1);
            if p + 1 >= next {
                ends.cuts.push(p + 1);
                next = p + 1 + piece;
            }
            record = p + 1;
            i = p + 1;
            continue;
        }
        if p > record && block[p - 1] != b',' {
            return Scan::Malformed { ends, record, at: p, unclosed: false };
        }
        // Past the closing quote; a doubled quote is one quote inside the field.
        let mut j = p + 1;
        i = loop {
            let Some(k) = memchr::memchr(b'"', &block[j..]) else {
                // The block ends inside quotes: a record that goes on in the next block, or, at the end of
                // the file, a quote never closed.
                return if eof { Scan::Malformed { ends, record, at: p, unclosed: true } } else { Scan::Ends(ends) };
            };
            let q = j + k;
            match block.get(q + 1) {
                Some(b'"') => j = q + 2,
                None | Some(b',' | b'\n') => break q + 1,
                Some(b'\r') if matches!(block.get(q + 2), None | Some(b'\n')) => break q + 1,
                Some(_) => return Scan::Malformed { ends, record, at: q + 1, unclosed: false },
            }
        };
    }
    Scan::Ends(ends)
}

/// The error for a quote out of place in the record `before_quote` begins (up to the quote), naming the
/// field by its place in the row.
fn malformed(display: &str, line: u64, before_quote: &[u8], unclosed: bool) -> RegisterError {
    let mut quoted = false;
    let field = 1 + before_quote
        .iter()
        .filter(|&&b| {
            quoted ^= b == b'"';
            b == b',' && !quoted
        })
        .count();
    let message = if unclosed {
        format!("column {field} of the row: the quote that opens the field is never closed")
    } else {
        format!(
            "column {field} of the row: a quote (\") inside a field or after the quote that closes it; a field that holds a quote is quoted whole, with the quote doubled (\"\")"
        )
    };
    RegisterError::Input { file: display.to_owned(), line, message }
}

/// `block` cut at `cuts` (ascending offsets into it; those at or past its end are ignored).
fn cut_at<'b>(block: &'b [u8], cuts: &[usize]) -> Vec<&'b [u8]> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &cut in cuts.iter().take_while(|&&c| c < block.len()) {
        out.push(&block[start..cut]);
        start = cut;
    }
    if start < block.len() {
        out.push(&block[start..]);
    }
    out
}

#[expect(clippy::too_many_arguments, reason = "internal continuation of `read` with its whole state")]
fn parse_block<A, M, F>(
    block: &[u8],
    chunks: Vec<&[u8]>,
    display: &str,
    map: &[Option<usize>],
    width: usize,
    first_line: u64,
    make: &M,
    fold: &F,
) -> BlockResult<A>
where
    A: Send,
    M: Fn() -> A + Sync,
    F: Fn(&mut A, &Row<'_>) -> Result<(), FieldError> + Sync,
{
    let counts: Vec<u64> = chunks.par_iter().map(|c| memchr::memchr_iter(b'\n', c).count() as u64).collect();
    let mut starts = Vec::with_capacity(chunks.len());
    let mut line = first_line;
    for c in &counts {
        starts.push(line);
        line += c;
    }
    let results: Vec<Result<(A, u64), RegisterError>> = chunks
        .par_iter()
        .zip(starts.par_iter())
        .map(|(chunk, &start)| {
            if memchr::memchr(b'"', chunk).is_some() {
                read_quoted(chunk, display, map, width, start, make, fold)
            } else {
                parse_chunk(chunk, display, map, width, start, make, fold)
            }
        })
        .collect();
    let mut parts = Vec::with_capacity(results.len());
    let mut rows = 0;
    for r in results {
        let (acc, n) = r?;
        parts.push(acc);
        rows += n;
    }
    // A final line without a newline still counts as a line.
    let trailing = u64::from(block.last().is_some_and(|&b| b != b'\n'));
    Ok((parts, rows, line - first_line + trailing))
}

/// `block` of plain lines cut at the first line end after every `target` bytes.
fn split_chunks(block: &[u8], target: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = block;
    while rest.len() > target {
        let cut = memchr::memchr(b'\n', &rest[target..]).map_or(rest.len(), |i| target + i + 1);
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn parse_chunk<A, M, F>(
    chunk: &[u8],
    display: &str,
    map: &[Option<usize>],
    width: usize,
    first_line: u64,
    make: &M,
    fold: &F,
) -> Result<(A, u64), RegisterError>
where
    M: Fn() -> A,
    F: Fn(&mut A, &Row<'_>) -> Result<(), FieldError>,
{
    let mut acc = make();
    let mut fields: Vec<&[u8]> = Vec::with_capacity(width.max(1));
    let mut line = first_line;
    let mut rows = 0;
    let mut start = 0;
    while start < chunk.len() {
        let end = memchr::memchr(b'\n', &chunk[start..]).map_or(chunk.len(), |i| start + i);
        let mut text = &chunk[start..end];
        if let [rest @ .., b'\r'] = text {
            text = rest;
        }
        if !text.is_empty() {
            fields.clear();
            fields.extend(text.split(|&b| b == b','));
            fold_row(&mut acc, &fields, map, width, display, line, fold)?;
            rows += 1;
        }
        line += 1;
        start = end + 1;
    }
    Ok((acc, rows))
}

/// Checks one row's width and folds it into `acc`, giving any error its file and line.
fn fold_row<A, F>(
    acc: &mut A,
    fields: &[&[u8]],
    map: &[Option<usize>],
    width: usize,
    display: &str,
    line: u64,
    fold: &F,
) -> Result<(), RegisterError>
where
    F: Fn(&mut A, &Row<'_>) -> Result<(), FieldError>,
{
    let error = |message: String| RegisterError::Input { file: display.to_owned(), line, message };
    if fields.len() != width {
        return Err(error(format!("the row has {} fields but the header has {width}", fields.len())));
    }
    if let Some(column) = fields.iter().position(|f| f.len() > MAX_FIELD) {
        return Err(error(format!(
            "column {} of the row is longer than {} KiB; no register field is that long",
            column + 1,
            MAX_FIELD >> 10
        )));
    }
    fold(acc, &Row { fields, map, line }).map_err(|e| error(e.message))
}

/// Reads `chunk`, whole records with quotes where RFC 4180 places them ([`record_ends`]), with the csv crate
/// (quoted fields, line breaks inside them): the accumulator and the number of rows.
fn read_quoted<A, M, F>(
    chunk: &[u8],
    display: &str,
    map: &[Option<usize>],
    width: usize,
    first_line: u64,
    make: &M,
    fold: &F,
) -> Result<(A, u64), RegisterError>
where
    M: Fn() -> A,
    F: Fn(&mut A, &Row<'_>) -> Result<(), FieldError>,
{
    let mut rows = 0;
    // Records end at a line feed only, and a carriage return before it is taken off the last field below:
    // with the csv crate's own CRLF ending a record ended at the `\r`, and the `\n` after it was counted on
    // the next record's line, so every row of a Windows file was named one line too early.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(chunk);
    let mut record = csv::ByteRecord::new();
    let mut acc = make();
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            // The csv crate counts lines inside quoted fields too.
            let line = e.position().map_or(first_line, |p| first_line + p.line() - 1);
            RegisterError::Input { file: display.to_owned(), line, message: format!("not valid CSV: {e}") }
        })?;
        if !more {
            return Ok((acc, rows));
        }
        let line = record.position().map_or(first_line, |p| first_line + p.line() - 1);
        let mut fields: Vec<&[u8]> = record.iter().collect();
        if let Some(last) = fields.last_mut()
            && let [rest @ .., b'\r'] = *last
        {
            *last = rest;
        }
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        fold_row(&mut acc, &fields, map, width, display, line, fold)?;
        rows += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    const SCHEMA: Schema<'static> = Schema { required: &["a", "b"], optional: &["c"] };

    #[test]
    fn a_line_longer_than_a_block_is_refused_not_split() {
        let long = "x".repeat(2 * BLOCK);
        let message = |r: Result<Vec<(u64, String, String, String)>, RegisterError>| match r {
            Ok(rows) => format!("{} rows read", rows.len()),
            Err(e) => e.to_string(),
        };
        let e = message(collect(&format!("a,b\n1,2\n{long},3\n4,5\n")));
        assert_eq!(e, "t.csv:3: the line is longer than 32 MiB; no register line is that long");
        let e = message(collect(&format!("a,b{long}\n1,2\n")));
        assert!(e.starts_with("t.csv:1: the line is longer"), "{e}");
        // Around a block's length, a line is read whole, whatever the block boundaries: made of fields under
        // the field limit, ignored columns but for the first two.
        for n in [BLOCK - 100_000, BLOCK + 100_000] {
            let (header, line, pad) = wide(n, false);
            let rows =
                collect(&format!("{header}\n1,2{pad}\n{line}\n4,5{pad}\n")).map_err(|e| e.to_string()).expect("read");
            assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3, 4]);
            assert_eq!((rows[1].1.len(), rows[1].2.as_str()), (MAX_FIELD / 2, "3"));
        }
    }

    /// A header of `a,b` and ignored columns, a row of about `n` bytes whose fields are each half the field
    /// limit (`quoted`: each quoted, with a line break inside), and the empty fields that pad a short row.
    fn wide(n: usize, quoted: bool) -> (String, String, String) {
        let field = if quoted {
            format!("\"{}\n{}\"", "y".repeat(MAX_FIELD / 4), "z".repeat(MAX_FIELD / 4 - 1))
        } else {
            "y".repeat(MAX_FIELD / 2)
        };
        let extra = n / (field.len() + 1);
        let header: Vec<String> =
            ["a".to_owned(), "b".to_owned()].into_iter().chain((0..extra).map(|i| format!("x{i}"))).collect();
        let row: Vec<String> =
            [field.clone(), "3".to_owned()].into_iter().chain((0..extra).map(|_| field.clone())).collect();
        (header.join(","), row.join(","), ",".repeat(extra))
    }

    #[test]
    fn a_quoted_field_longer_than_a_block_is_refused_before_it_is_held_in_memory() {
        let long = "x".repeat(3 * BLOCK);
        let e = collect(&format!("a,b\n\"1\",2\n3,4\n\"{long}\",5\n6,7\n")).map(|r| r.len()).map_err(|e| e.to_string());
        assert_eq!(e, Err("t.csv:4: the line is longer than 32 MiB; no register line is that long".to_owned()));
        // An unclosed quote runs to the end of the file: the same, from the line it opened on.
        let e = collect(&format!("a,b\n\"1\",2\n\"{long}\n")).map(|r| r.len()).map_err(|e| e.to_string());
        assert_eq!(e, Err("t.csv:3: the line is longer than 32 MiB; no register line is that long".to_owned()));
        // A quoted record just under a block is read whole, line breaks and all.
        let (header, record, pad) = wide(BLOCK - 200_000, true);
        let rows =
            collect(&format!("{header}\n\"1\",2{pad}\n{record}\n4,5{pad}\n")).map_err(|e| e.to_string()).expect("read");
        let lines_in_record = u64::try_from(record.matches('\n').count()).expect("lines");
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3, 4 + lines_in_record]);
        assert_eq!(rows[1].1.len(), MAX_FIELD / 2);
    }

    #[test]
    fn a_field_longer_than_the_field_limit_is_refused_by_its_column() {
        let long = "x".repeat(MAX_FIELD + 1);
        for text in [format!("a,b\n1,2\n3,{long}\n"), format!("a,b\n\"1\",2\n3,\"{long}\"\n")] {
            let e = collect(&text).map(|r| r.len()).map_err(|e| e.to_string());
            assert_eq!(
                e,
                Err("t.csv:3: column 2 of the row is longer than 64 KiB; no register field is that long".into())
            );
        }
        let at_limit = "x".repeat(MAX_FIELD);
        assert!(collect(&format!("a,b\n1,{at_limit}\n")).is_ok());
    }

    fn collect(text: &str) -> Result<Vec<(u64, String, String, String)>, RegisterError> {
        let mut f = tempfile::NamedTempFile::new().expect("temp");
        f.write_all(text.as_bytes()).expect("write");
        let out = read(f.path(), "t.csv", SCHEMA, Vec::new, |acc: &mut Vec<_>, row| {
            let s = |i| String::from_utf8_lossy(row.get(i)).into_owned();
            if row.get(0) == b"bad" {
                return Err(FieldError::value("a", row.get(0), "is bad"));
            }
            acc.push((row.line, s(0), s(1), s(2)));
            Ok(())
        })?;
        Ok(out.parts.into_iter().flatten().collect())
    }

    #[test]
    fn columns_by_name_in_any_order_and_unknown_ignored() {
        let rows = collect("x,b,a\r\n1,2,3\r\n\n4,5,6").expect("ok");
        assert_eq!(rows, vec![(2, "3".into(), "2".into(), String::new()), (4, "6".into(), "5".into(), String::new())]);
    }

    #[test]
    fn quoted_fields_and_embedded_newlines() {
        let rows = collect("a,b,c\n1,\"x,y\",\"line\nbreak\"\n2,3,4\n").expect("ok");
        assert_eq!(rows[0], (2, "1".into(), "x,y".into(), "line\nbreak".into()));
        assert_eq!(rows[1], (4, "2".into(), "3".into(), "4".into()));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let err = collect("a,b\n1,2\nbad,3\n").expect_err("bad row").to_string();
        assert_eq!(err, "t.csv:3: column a: \"bad\" is bad");
        let err = collect("a,c\n1,2\n").expect_err("missing column").to_string();
        assert_eq!(err, "t.csv:1: column b: missing from the header");
        let err = collect("a,b\n1,2,3\n").expect_err("width").to_string();
        assert_eq!(err, "t.csv:2: the row has 3 fields but the header has 2");
        let err = collect("a,b\n1,2\n\"3\",\"4\n5\",6\n").expect_err("quoted width").to_string();
        assert_eq!(err, "t.csv:3: the row has 3 fields but the header has 2");
        // Windows line endings with a quoted field (the csv crate's path): the same lines (found by an
        // outside check: every row was named one line too early).
        let err = collect("a,b\r\n1,\"x\"\r\n2,\"y\"\r\nbad,\"z\"\r\n").expect_err("bad row").to_string();
        assert_eq!(err, "t.csv:4: column a: \"bad\" is bad");
        // A quote never closed, or out of place: named by line and field (an outside check found both
        // read without a word, the quote as a letter of the street).
        let err = collect("a,b\n1,2\n3,\"4\n5,6\n").expect_err("unclosed").to_string();
        assert_eq!(err, "t.csv:3: column 2 of the row: the quote that opens the field is never closed");
        let err = collect("a,\"b\"x\n1,2\n").expect_err("header").to_string();
        assert!(err.starts_with("t.csv:1: column 2 of the row: a quote (\") inside a field"), "{err}");
        let err = collect("\"a,b\n1,2\n").expect_err("header").to_string();
        assert_eq!(err, "t.csv:1: column 1 of the row: the quote that opens the field is never closed");
        assert_eq!(collect("\"a\",\"b\"\r\n1,2\r\n").expect("a header quoted right").len(), 1);
        for wrong in ["3,\"Vej 1, st. tv\"X", "\"3\"\"\"3,4", "3,Vej 1\"x"] {
            let err = collect(&format!("a,b\n1,\"2\"\n{wrong}\n5,6\n")).expect_err(wrong).to_string();
            assert!(err.starts_with("t.csv:3: column "), "{wrong}: {err}");
            assert!(err.contains("a quote (\") inside a field or after the quote that closes it"), "{wrong}: {err}");
        }
        // A carriage return alone in the header: refused, never a header cut short (an outside check found
        // the rest of such a line, and with carriage-return line ends every row, dropped without a word).
        for cr in ["a,b\r1,2\n3,4\n", "a,b\r1,2\r3,4\r", "a,b\r1,2", "a,b\r1,\"x, y\"\r2,3\r"] {
            let err = collect(cr).expect_err("a carriage return in the header").to_string();
            assert!(err.starts_with("t.csv:1: the header row holds a carriage return"), "{err}");
        }
        assert_eq!(collect("a,b\r\n1,2\r\n").expect("CR LF").len(), 1);
        let rows = collect("a,b\r\n1,\"x\"\r\n\r\n2,y\r\n").expect("ok");
        assert_eq!(rows.iter().map(|r| (r.0, r.2.clone())).collect::<Vec<_>>(), vec![(2, "x".into()), (4, "y".into())]);
    }

    /// One random row of a file with quotes: plain and quoted fields (commas, doubled quotes and line
    /// breaks inside), now and then a row the fold refuses, a row too wide, a blank line, a Windows line
    /// end.
    fn random_row() -> impl Strategy<Value = String> {
        let plain = "[a-z0-9 ]{0,12}";
        let quoted =
            proptest::collection::vec(prop_oneof![Just("x"), Just(","), Just("\n"), Just("\"\""), Just("ø")], 0..8)
                .prop_map(|parts| format!("\"{}\"", parts.concat()));
        let field = prop_oneof![4 => plain.prop_map(String::from), 2 => quoted];
        // Each odd kind about once in five files of 6,000 rows, so that most files are read to the end.
        (field.clone(), field.clone(), field, 0..30_000_u16, prop_oneof![Just("\n"), Just("\r\n")]).prop_map(
            |(a, b, c, odd, end)| match odd {
                0 | 1 => format!("bad,{b}{end}"),
                2 => format!("{a},{b},{c},d{end}"),
                3..300 => end.to_owned(),
                _ => format!("{a},{b},{c}{end}"),
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// A file with quoted fields, long enough to be cut into many chunks read in parallel, reads as the
        /// csv crate reads it in one go: the same rows on the same lines, or the same first error.
        #[test]
        fn quoted_files_read_in_parallel_as_in_one_go(rows in proptest::collection::vec(random_row(), 6_000..7_000)) {
            let body = rows.concat();
            let text = format!("a,b,c\n{body}");
            let parallel = collect(&text).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(parallel, in_one_go(&body));
        }

        /// A quote out of place anywhere in such a file is an error on the line of its row, unless a row
        /// before it is wrong in another way (that error comes first): never read as a letter of a field.
        #[test]
        fn a_misplaced_quote_is_an_error_on_its_line(
            rows in proptest::collection::vec(random_row(), 3_000..7_000),
            at in 0.0..1.0_f64,
            wrong in prop_oneof![Just("1,x\"y,3"), Just("1,\"x\"y,3"), Just("\"1\" ,2,3"), Just("1, \"2\",3")],
        ) {
            let k = ((rows.len() as f64) * at) as usize;
            let before = rows[..k].concat();
            let text = format!("a,b,c\n{before}{wrong}\n{}", rows[k..].concat());
            let line = 2 + before.matches('\n').count();
            let expected = in_one_go(&before).and_then(|_| {
                let field = if wrong.starts_with('"') { 1 } else { 2 };
                Err(format!("t.csv:{line}: column {field} of the row: a quote (\") inside a field or after the quote that closes it; a field that holds a quote is quoted whole, with the quote doubled (\"\")"))
            });
            proptest::prop_assert_eq!(collect(&text).map_err(|e| e.to_string()), expected);
        }
    }

    /// The rows of `body` (after the header `a,b,c`) as the csv crate reads them in one go.
    fn in_one_go(body: &str) -> Result<Vec<(u64, String, String, String)>, String> {
        read_quoted(
            body.as_bytes(),
            "t.csv",
            &[Some(0), Some(1), Some(2)],
            3,
            2,
            &Vec::new,
            &|acc: &mut Vec<_>, row: &Row<'_>| {
                let s = |i| String::from_utf8_lossy(row.get(i)).into_owned();
                if row.get(0) == b"bad" {
                    return Err(FieldError::value("a", row.get(0), "is bad"));
                }
                acc.push((row.line, s(0), s(1), s(2)));
                Ok(())
            },
        )
        .map(|(rows, _)| rows)
        .map_err(|e| e.to_string())
    }

    /// Many blocks and chunks: line numbers stay exact across every boundary.
    #[test]
    fn line_numbers_survive_chunking() {
        let mut text = String::from("a,b\n");
        for i in 0..300_000 {
            text.push_str(&format!("{i},x\n"));
        }
        text.push_str("bad,y\n");
        let err = collect(&text).expect_err("bad row").to_string();
        assert_eq!(err, "t.csv:300002: column a: \"bad\" is bad");
    }
}
