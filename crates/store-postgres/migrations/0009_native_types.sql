-- PostgreSQL's own types for what was text: instants as timestamptz, the day of a deadline or a letter
-- batch as date, a case's projection and a batch's lists as jsonb. An event's payload becomes json, not
-- jsonb: its hash covers its exact text, which json keeps and jsonb would reorder. The access log's `at`
-- stays text: its digest (and every signed checkpoint made of it) covers the instant to the nanosecond as
-- written, and timestamptz keeps microseconds. The shared state's times stay Unix seconds in bigint (the
-- throttle and the heartbeats compute with them). A run's body stays text: an area classification is CSV.
-- ALTER … TYPE rewrites each table in place; it is no UPDATE, so the append-only triggers neither fire nor
-- need lifting, and the indexes are rebuilt with their columns.
ALTER TABLE cases
    ALTER COLUMN snapshot TYPE jsonb USING snapshot::jsonb,
    ALTER COLUMN next_deadline TYPE date USING next_deadline::date;
ALTER TABLE events
    ALTER COLUMN recorded_at TYPE timestamptz USING recorded_at::timestamptz,
    ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE users ALTER COLUMN locked_until TYPE timestamptz USING locked_until::timestamptz;
ALTER TABLE sessions ALTER COLUMN expires_at TYPE timestamptz USING expires_at::timestamptz;
ALTER TABLE runs ALTER COLUMN recorded_at TYPE timestamptz USING recorded_at::timestamptz;
ALTER TABLE documents ALTER COLUMN stored_at TYPE timestamptz USING stored_at::timestamptz;
ALTER TABLE letter_batches
    ALTER COLUMN sent_on TYPE date USING sent_on::date,
    ALTER COLUMN targets TYPE jsonb USING targets::jsonb,
    ALTER COLUMN failed TYPE jsonb USING failed::jsonb;
ALTER TABLE schema_migrations ALTER COLUMN applied_at TYPE timestamptz USING applied_at::timestamptz;
