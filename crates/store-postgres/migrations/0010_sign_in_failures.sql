-- Failed sign-ins in a row per account and source address: the lock that guesses from one address set holds
-- for that address only, so that nobody can lock a colleague out from elsewhere. The account's own count
-- (users.failed_logins) still locks it from everywhere, at a higher number. A row is forgotten 15 minutes
-- after the last attempt from its address (`forget_after`), so that guessing from ever new addresses grows
-- nothing for long.
CREATE TABLE IF NOT EXISTS sign_in_failures (
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    source TEXT NOT NULL,
    failed BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    forget_after TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (username, source)
);
CREATE INDEX IF NOT EXISTS sign_in_failures_forget ON sign_in_failures (forget_after);
