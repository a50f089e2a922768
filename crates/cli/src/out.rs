//! Standard output that reports its failures: `println!` panics when standard output is full or gone
//! (exit 101, a half-told result), `say!` returns the error, and the command ends with exit 1 naming it.

use anyhow::Context as _;
use std::io::Write as _;

/// Writes one line to standard output.
///
/// # Errors
/// Standard output cannot be written (a full disk, a closed pipe).
pub fn line(args: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args).and_then(|()| out.write_all(b"\n")).context("writing to standard output")
}

/// Flushes what is still buffered, for the end of a command.
///
/// # Errors
/// As [`line`].
pub fn flush() -> anyhow::Result<()> {
    std::io::stdout().lock().flush().context("writing to standard output")
}

/// `println!` that returns its error with `?`.
macro_rules! say {
    ($($t:tt)*) => {
        $crate::out::line(format_args!($($t)*))?
    };
}
