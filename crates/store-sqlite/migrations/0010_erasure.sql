-- A closed case erased after its retention (gennemgang_store::erasure): the erasure is an event at the end
-- of the chain, the case's earlier events keep their rows and hashes with a tombstone for a payload, and its
-- projection is deleted. The events table is rebuilt without its reference to cases (an erased case's events
-- stay, its row does not; `audit verify` checks that every case with live events has its row), and the
-- trigger that refused every UPDATE now allows exactly one: an event of a case whose erasure follows it
-- becoming the tombstone that names the erasure, every other column unchanged.
CREATE TABLE events_rebuilt (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    actor_user TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_municipality INTEGER,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, version)
);
INSERT INTO events_rebuilt (seq, case_id, version, recorded_at, actor_user, actor_role, actor_municipality, kind,
    payload, prev_hash, hash)
SELECT seq, case_id, version, recorded_at, actor_user, actor_role, actor_municipality, kind, payload, prev_hash, hash
FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (
    OLD.kind NOT IN ('erased', 'erasure') AND NEW.kind IS 'erased'
    AND NEW.seq IS OLD.seq AND NEW.case_id IS OLD.case_id AND NEW.version IS OLD.version
    AND NEW.recorded_at IS OLD.recorded_at AND NEW.actor_user IS OLD.actor_user
    AND NEW.actor_role IS OLD.actor_role AND NEW.actor_municipality IS OLD.actor_municipality
    AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
    AND NEW.payload IS (SELECT '{"erased":' || e.seq || '}' FROM events e
        WHERE e.case_id = OLD.case_id AND e.kind = 'erasure' AND e.seq > OLD.seq)
)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
