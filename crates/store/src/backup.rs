//! What a backup holds, table by table: the cases, their history, the access log, the accounts and the
//! runs, each column as it is stored. Sessions are left out: a restored database signs everyone in anew,
//! and a copy of the database carries no live sign-in. The SQLite adapter copies its file whole; the
//! PostgreSQL adapter reads these tables in one snapshot, and the SQLite adapter writes them into a new
//! file, so that every backup is a file `--database sqlite://FILE` opens.

/// A column's type, as both adapters store it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An integer.
    Int,
    /// Text.
    Text,
    /// A truth value (PostgreSQL `BOOLEAN`, SQLite 0 or 1).
    Bool,
    /// Bytes (PostgreSQL `BYTEA`, SQLite `BLOB`).
    Bytes,
    /// An instant (PostgreSQL `TIMESTAMPTZ`, SQLite text as jiff writes it).
    Instant,
    /// A day (PostgreSQL `DATE`, SQLite `2026-12-07`).
    Day,
    /// A JSON document (PostgreSQL `JSONB`, SQLite text).
    Json,
    /// A JSON document kept to the byte, because a hash covers it (PostgreSQL `JSON`, SQLite text).
    ExactJson,
}

impl Kind {
    /// Whether a value of this kind is held as a [`Cell::Text`].
    #[must_use]
    pub fn is_text(self) -> bool {
        matches!(self, Kind::Text | Kind::Instant | Kind::Day | Kind::Json | Kind::ExactJson)
    }

    /// The cast that stores its text in PostgreSQL's column (none for a column of text).
    #[must_use]
    pub fn postgres_cast(self) -> &'static str {
        match self {
            Kind::Instant => "::timestamptz",
            Kind::Day => "::date",
            Kind::Json => "::jsonb",
            Kind::ExactJson => "::json",
            Kind::Int | Kind::Text | Kind::Bool | Kind::Bytes => "",
        }
    }
}

/// One stored value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer (a truth value as 0 or 1).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

/// A table: its name, the column rows are read in order of (unique), and its columns.
#[derive(Debug)]
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// The key rows are read in order of (the first column).
    pub columns: &'static [(&'static str, Kind)],
}

impl Table {
    /// The key column: the first.
    #[must_use]
    pub fn key(&self) -> &'static str {
        self.columns[0].0
    }

    /// The statement reading one batch of the table in key order (`$1` the batch size, `$2` the last key
    /// read when `after`), in PostgreSQL's placeholders ([`crate::shared::sqlite`] gives SQLite's).
    #[must_use]
    pub fn batch_query(&self, after: bool) -> String {
        let filter = if after { format!("WHERE {} > $2", self.key()) } else { String::new() };
        format!("SELECT {} FROM {} {filter} ORDER BY {} LIMIT $1", self.column_list(), self.name, self.key())
    }

    /// The columns' names, comma-separated.
    #[must_use]
    pub fn column_list(&self) -> String {
        self.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
    }
}

use Kind::{Bool, Bytes, Day, ExactJson, Instant, Int, Json, Text};

/// The tables a backup holds, in an order that keeps references valid (a case before its events).
pub const TABLES: &[Table] = &[
    Table {
        name: "cases",
        columns: &[
            ("id", Int),
            ("cpr", Text),
            ("home_municipality", Int),
            ("deciding_municipality", Int),
            ("phase", Text),
            ("state", Text),
            ("version", Int),
            ("snapshot", Json),
            ("assigned_to", Text),
            ("next_deadline", Day),
            ("name_key", Text),
        ],
    },
    Table {
        name: "events",
        columns: &[
            ("seq", Int),
            ("case_id", Int),
            ("version", Int),
            ("recorded_at", Instant),
            ("actor_user", Text),
            ("actor_role", Text),
            ("actor_municipality", Int),
            ("kind", Text),
            ("payload", ExactJson),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    },
    Table {
        name: "access_log",
        columns: &[
            ("seq", Int),
            ("at", Text),
            ("actor_user", Text),
            ("actor_role", Text),
            ("actor_municipality", Int),
            ("case_id", Int),
            ("what", Text),
            ("purpose", Text),
            ("allowed", Bool),
        ],
    },
    Table {
        name: "users",
        columns: &[
            ("username", Text),
            ("password_hash", Text),
            ("role", Text),
            ("municipality", Int),
            ("failed_logins", Int),
            ("locked_until", Instant),
        ],
    },
    Table {
        name: "runs",
        columns: &[("id", Int), ("kind", Text), ("sha256", Text), ("recorded_at", Instant), ("body", Text)],
    },
    Table {
        name: "documents",
        columns: &[("sha256", Text), ("size", Int), ("content", Bytes), ("stored_at", Instant)],
    },
];

/// How many rows of each table a backup holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows per table, in [`TABLES`] order.
    pub rows: Vec<(&'static str, u64)>,
}

impl Copied {
    /// The rows of `table`.
    #[must_use]
    pub fn of(&self, table: &str) -> u64 {
        self.rows.iter().find(|(t, _)| *t == table).map_or(0, |(_, n)| *n)
    }
}

/// Rows read and written at a time: memory stays flat however long the access log is.
pub const BATCH: u32 = 2_000;

/// Rows of `table` read and written at a time: a few of the documents (each up to the upload limit), a
/// [`BATCH`] of everything else.
#[must_use]
pub fn batch_of(table: &Table) -> u32 {
    if table.columns.iter().any(|(_, k)| *k == Kind::Bytes) { 4 } else { BATCH }
}
