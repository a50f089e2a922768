//! Mapping errors to exit codes and one-line messages.

use gennemgang_registers::RegisterError;
use gennemgang_rules::criteria::CriteriaError;

/// Marks an error as bad usage or bad input (exit code 2).
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Shorthand for a bad-input error.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// 2 when any cause is the input's fault, else 1.
pub fn code(error: &anyhow::Error) -> u8 {
    let bad = error.chain().any(|cause| {
        cause.downcast_ref::<BadInput>().is_some()
            || cause.downcast_ref::<CriteriaError>().is_some()
            || cause.downcast_ref::<RegisterError>().is_some_and(RegisterError::is_bad_input)
            // An output that is not a regular file (a FIFO, a device, a folder) is the caller's choice.
            || cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::InvalidInput)
    });
    if bad { 2 } else { 1 }
}

/// The error as one line. A bad-input error is printed as itself (it already names file, line and
/// column); other errors show their context chain.
pub fn one_line(error: &anyhow::Error) -> String {
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<RegisterError>()
            && e.is_bad_input()
        {
            return e.to_string();
        }
        if cause.downcast_ref::<CriteriaError>().is_some() || cause.downcast_ref::<BadInput>().is_some() {
            return cause.to_string();
        }
    }
    error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ").replace('\n', " ")
}
