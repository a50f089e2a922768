-- A case's access log, read by case without an index on the log itself. Every read of a case wrote into
-- the leaf of `access_log_case` that holds its case (one leaf per case), and SQLite writes every page a
-- commit touches whole into its journal: a search that showed fifty citizens wrote fifty pages. The index
-- is now a table of its own, filled in batches by the servers' sweep up to `access_log_indexed.upto`; the
-- reads of a case since then are found in the log's tail itself (`CASE_ACCESS_LOG`).
CREATE TABLE IF NOT EXISTS access_log_index (
    case_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
-- Append-only like the log it indexes: a read is never taken out of a case's log (`audit verify` checks
-- that the index holds every row up to its mark, and only those).
CREATE TRIGGER IF NOT EXISTS access_log_index_no_update BEFORE UPDATE ON access_log_index
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_index_no_delete BEFORE DELETE ON access_log_index
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
-- The last row of the log the index covers (one row; 0 before the first sweep).
CREATE TABLE IF NOT EXISTS access_log_indexed (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    upto INTEGER NOT NULL
);
INSERT INTO access_log_indexed (one, upto) VALUES (1, 0) ON CONFLICT DO NOTHING;
DROP INDEX IF EXISTS access_log_case;
