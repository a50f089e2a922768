-- A search by CPR number (issue 17) finds the citizen's cases through an index, not by reading every row.
CREATE INDEX IF NOT EXISTS cases_cpr ON cases (cpr);
