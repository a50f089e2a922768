-- What several servers on one database share instead of each keeping it in memory (gennemgang_store::shared):
-- sign-in attempts per subject and minute, single sign-on sign-ins under way, and letter batches as durable
-- jobs. Times are Unix seconds.
CREATE TABLE IF NOT EXISTS sign_in_attempts (
    subject TEXT PRIMARY KEY,
    minute BIGINT NOT NULL,
    tries BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS sso_pending (
    state TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    started_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS sso_pending_started ON sso_pending (started_at);
CREATE TABLE IF NOT EXISTS letter_batches (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    targets TEXT NOT NULL,
    next_index BIGINT NOT NULL,
    sent BIGINT NOT NULL,
    failed TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    worker TEXT,
    heartbeat_at BIGINT
);
CREATE INDEX IF NOT EXISTS letter_batches_unfinished ON letter_batches (finished_at, heartbeat_at);
