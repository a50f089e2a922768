-- The worklist, its counts and the search by name read the indexes only, never the rows with their
-- snapshots: each index holds, beside the municipality, the page's columns (id, version) and every column
-- the worklist filters or sorts by (phase, caseworker, name, next deadline).
DROP INDEX IF EXISTS cases_home;
DROP INDEX IF EXISTS cases_home_phase;
DROP INDEX IF EXISTS cases_deciding;
CREATE INDEX cases_home ON cases (home_municipality, id, version, phase, assigned_to, name_key, next_deadline);
CREATE INDEX cases_home_phase ON cases (home_municipality, phase, assigned_to, name_key);
CREATE INDEX cases_deciding ON cases (deciding_municipality, id, version, phase, name_key, next_deadline);
