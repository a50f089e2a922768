-- A closed case erased after its retention (gennemgang_store::erasure): the erasure is an event at the end
-- of the chain, the case's earlier events keep their rows and hashes with a tombstone for a payload, and its
-- projection is deleted. Events no longer reference cases (an erased case's events stay, its row does not;
-- `audit verify` checks that every case with live events has its row), and the trigger that refused every
-- UPDATE now allows exactly one: an event of a case whose erasure follows it becoming the tombstone that
-- names the erasure, every other column unchanged. DELETE and TRUNCATE stay refused.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_case_id_fkey;
-- The erasure is looked up in the trigger's own schema (a server's schema is its search path; whoever
-- runs the UPDATE may have another).
CREATE OR REPLACE FUNCTION gennemgang_events_erasable() RETURNS trigger AS $$
DECLARE
    erasure BIGINT;
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.kind NOT IN ('erased', 'erasure') AND NEW.kind = 'erased'
        AND (NEW.seq, NEW.case_id, NEW.version, NEW.recorded_at, NEW.actor_user, NEW.actor_role,
             NEW.actor_municipality, NEW.prev_hash, NEW.hash)
            IS NOT DISTINCT FROM (OLD.seq, OLD.case_id, OLD.version, OLD.recorded_at, OLD.actor_user,
             OLD.actor_role, OLD.actor_municipality, OLD.prev_hash, OLD.hash)
    THEN
        EXECUTE format('SELECT seq FROM %I.%I WHERE case_id = $1 AND kind = ''erasure'' AND seq > $2',
                TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO erasure USING OLD.case_id, OLD.seq;
        IF erasure IS NOT NULL AND NEW.payload::text = '{"erased":' || erasure || '}' THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION gennemgang_events_erasable();
