//! Errors of register input: every one names the file, and where it can, the line and column.

/// A register file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Bad input at a line (CONTRACT.md: `persons.csv:1043: column birth_date: "1999-02-30" is not a date`).
    #[error("{file}:{line}: {message}")]
    Input {
        /// The file as the user named it.
        file: String,
        /// 1-based line; the header is line 1.
        line: u64,
        /// What is wrong, beginning with the column where there is one.
        message: String,
    },
    /// Bad input that is not tied to one line (a missing file, an inconsistency between files).
    #[error("{file}: {message}")]
    File {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing failed (not the input's fault).
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl RegisterError {
    /// Whether the error is the input's fault (exit code 2) rather than the system's (exit code 1).
    #[must_use]
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, RegisterError::Io { .. })
    }

    pub(crate) fn io(file: &str, source: std::io::Error) -> RegisterError {
        if source.kind() == std::io::ErrorKind::NotFound {
            RegisterError::File { file: file.to_owned(), message: "no such file".to_owned() }
        } else {
            RegisterError::Io { file: file.to_owned(), source }
        }
    }
}

/// What is wrong with one field; the reader adds file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `column NAME: "VALUE" is not …`.
    pub message: String,
}

impl FieldError {
    /// A field whose value is wrong; the value is quoted (truncated if long).
    #[must_use]
    pub fn value(column: &str, value: &[u8], problem: &str) -> FieldError {
        // Quoted escaped: a value may hold what would act on the operator's terminal.
        let text = gennemgang_rules::text::escaped(&String::from_utf8_lossy(&value[..value.len().min(60)]));
        FieldError { message: format!("column {column}: \"{text}\" {problem}") }
    }

    /// A field whose value is wrong but must not be echoed (CPR numbers).
    #[must_use]
    pub fn hidden(column: &str, problem: &str) -> FieldError {
        FieldError { message: format!("column {column}: {problem}") }
    }

    /// A required field that is empty.
    #[must_use]
    pub fn missing(column: &str) -> FieldError {
        FieldError { message: format!("column {column}: is empty but required") }
    }
}
