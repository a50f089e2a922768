-- A case's access log, read by case without an index on the log itself: the index is a table of its own,
-- filled in batches by the servers' sweep up to `access_log_indexed.upto`, and the reads of a case since
-- then are found in the log's tail itself (`CASE_ACCESS_LOG`), as in the SQLite adapter, where every read
-- of a case had written a page of `access_log_case` whole into the journal. Rows of the log are written
-- under an advisory lock, so that they commit in the order of their numbers and the sweep's mark never
-- passes a row still being written.
CREATE TABLE IF NOT EXISTS access_log_index (
    case_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
-- Append-only like the log it indexes: a read is never taken out of a case's log (`audit verify` checks
-- that the index holds every row up to its mark, and only those).
DROP TRIGGER IF EXISTS access_log_index_append_only ON access_log_index;
CREATE TRIGGER access_log_index_append_only BEFORE UPDATE OR DELETE ON access_log_index
    FOR EACH ROW EXECUTE FUNCTION gennemgang_append_only();
DROP TRIGGER IF EXISTS access_log_index_no_truncate ON access_log_index;
CREATE TRIGGER access_log_index_no_truncate BEFORE TRUNCATE ON access_log_index
    FOR EACH STATEMENT EXECUTE FUNCTION gennemgang_append_only();
-- The last row of the log the index covers (one row; 0 before the first sweep).
CREATE TABLE IF NOT EXISTS access_log_indexed (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    upto BIGINT NOT NULL
);
INSERT INTO access_log_indexed (one, upto) VALUES (1, 0) ON CONFLICT DO NOTHING;
DROP INDEX IF EXISTS access_log_case;
