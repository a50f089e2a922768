-- Gennemgang on PostgreSQL. Cases are a projection of their events; events and the access log are
-- append-only (triggers refuse UPDATE, DELETE and TRUNCATE), and every event is chained by hash to the
-- previous. The single row of chain_head holds the last hash and serializes writers.
CREATE TABLE IF NOT EXISTS cases (
    id BIGINT PRIMARY KEY,
    cpr TEXT NOT NULL UNIQUE,
    home_municipality BIGINT NOT NULL,
    deciding_municipality BIGINT,
    phase TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    version BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    actor_user TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_municipality BIGINT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, version)
);
CREATE TABLE IF NOT EXISTS chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash TEXT NOT NULL
);
INSERT INTO chain_head (id, hash)
VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS access_log (
    seq BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_municipality BIGINT,
    case_id BIGINT,
    what TEXT NOT NULL,
    purpose TEXT,
    allowed BOOLEAN NOT NULL
);
CREATE OR REPLACE FUNCTION gennemgang_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION gennemgang_append_only();
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION gennemgang_append_only();
DROP TRIGGER IF EXISTS access_log_append_only ON access_log;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION gennemgang_append_only();
DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log;
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION gennemgang_append_only();
-- Local accounts and sessions (tokens are stored hashed).
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    municipality BIGINT,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
-- The area classifications and screening manifests that imports came from (aggregates only, no person data).
CREATE TABLE IF NOT EXISTS runs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, sha256)
);
DROP TRIGGER IF EXISTS runs_append_only ON runs;
CREATE TRIGGER runs_append_only BEFORE UPDATE OR DELETE ON runs
    FOR EACH ROW EXECUTE FUNCTION gennemgang_append_only();
DROP TRIGGER IF EXISTS runs_no_truncate ON runs;
CREATE TRIGGER runs_no_truncate BEFORE TRUNCATE ON runs
    FOR EACH STATEMENT EXECUTE FUNCTION gennemgang_append_only();
