"""Gives a served database 5,000 cases with some history, through the public API (bench/load.sh)."""
import sys
from api import Api

host, port, n, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
api = Api(host, port, password)
lead, worker = api.token("bench-lead"), api.token("bench-worker")
for case in range(1, n + 1):
    api.call("POST", f"/api/v1/cases/{case}/actions", {"action": "assign", "caseworker": "bench-worker"}, lead)
    api.call("POST", f"/api/v1/cases/{case}/actions", {"action": "record_evidence", "source": "income_register", "summary": "Lønindkomst", "obtained_on": "2026-11-01"}, worker)
    api.call("POST", f"/api/v1/cases/{case}/actions", {"action": "summon", "interview_on": "2030-01-10"}, worker)
print(lead)
