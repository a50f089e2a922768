-- Failed sign-ins in a row per account and source address: the lock that guesses from one address set holds
-- for that address only, so that nobody can lock a colleague out from elsewhere. The account's own count
-- (users.failed_logins) still locks it from everywhere, at a higher number.
CREATE TABLE IF NOT EXISTS sign_in_failures (
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    source TEXT NOT NULL,
    failed BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    PRIMARY KEY (username, source)
);
