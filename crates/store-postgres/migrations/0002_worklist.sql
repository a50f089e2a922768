-- The worklist's columns beside each case's snapshot (who has it, its next deadline), so that the worklist
-- is filtered and sorted in SQL; the rows already there are folded again to fill them.
ALTER TABLE cases ADD COLUMN assigned_to TEXT;
ALTER TABLE cases ADD COLUMN next_deadline TEXT;
CREATE INDEX IF NOT EXISTS cases_home ON cases (home_municipality, id);
CREATE INDEX IF NOT EXISTS cases_home_phase ON cases (home_municipality, phase);
CREATE INDEX IF NOT EXISTS cases_deciding ON cases (deciding_municipality, id);
CREATE INDEX IF NOT EXISTS cases_deadline ON cases (next_deadline);
