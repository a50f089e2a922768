-- Documents of the case file (issue 17.3), stored once per content under its SHA-256; the event that adds a
-- document to a case names the hash, so the history proves which content it was.
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    stored_at TEXT NOT NULL
);
