-- A case's access log (the citizen's right to know who read their case) read by case, not by scanning
-- every read of every case.
CREATE INDEX IF NOT EXISTS access_log_case ON access_log (case_id, seq);
