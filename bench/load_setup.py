"""Gives a served database 5,000 cases with some history, through the public API (bench/load.sh)."""
import http.client, json, sys

host, port, n, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
conn = http.client.HTTPConnection(host, port)

def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit(f"{method} {path}: {r.status} {data[:200]!r}")
    return json.loads(data) if data else None

def token(user):
    return call("POST", "/api/v1/session", {"username": user, "password": password})["token"]

lead, worker = token("bench-lead"), token("bench-worker")
for case in range(1, n + 1):
    call("POST", f"/api/v1/cases/{case}/actions", {"action": "assign", "caseworker": "bench-worker"}, lead)
    call("POST", f"/api/v1/cases/{case}/actions", {"action": "record_evidence", "source": "income_register", "summary": "Lønindkomst", "obtained_on": "2026-11-01"}, worker)
    call("POST", f"/api/v1/cases/{case}/actions", {"action": "summon", "interview_on": "2030-01-10"}, worker)
print(lead)
