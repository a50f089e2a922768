#!/usr/bin/env python3
"""Crash consistency: kills `gennemgang` with SIGKILL at random moments during imports, case actions and
letter batches (ROUNDS times each), and checks after every kill that

- the store is as before or after the interrupted work (an import: none or all of its cases; an action:
  every action a client saw accepted is there, and each case's version equals its number of events),
- the history's hash chain verifies (`gennemgang audit verify`),
- no letter is recorded as sent that was not written: every letter on a case has its MeMo file in the
  outbox, and the PDF inside has the digest the case recorded.

Usage: scripts/crash.py [ROUNDS]   (default 50; builds the release binary; needs only Python 3)
"""
import base64, csv, hashlib, http.client, io, json, os, random, re, shutil, signal, subprocess, sys, tempfile, threading, time
from urllib.parse import urlencode

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "gennemgang")
PASSWORD = "crash-password-1"
work = tempfile.mkdtemp(prefix="gennemgang-crash-")
rng = random.Random(int(os.environ.get("SEED", "20261123")))


def run(*args, stdin=None, check=True):
    out = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True)
    if check and out.returncode != 0:
        sys.exit(f"gennemgang {' '.join(args)}: exit {out.returncode}: {out.stderr.strip()}")
    return out


def screening(path, n, offset=0):
    with open(path, "w") as f:
        f.write("cpr,included,area_id,municipality_code,awarded_on,as_of\n")
        for i in range(offset, offset + n):
            f.write("%02d%02d%02d%04d,true,A1,159,2015-01-01,2026-12-01\n" % (61 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 20, i // 6720))


def copy_db(src, dst):
    # SQLite in WAL mode keeps recent pages beside the file; a copy needs all of it.
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(src + suffix):
            shutil.copy(src + suffix, dst + suffix)


def cases(db):
    return list(csv.DictReader(io.StringIO(run("cases", "--database", db).stdout)))


def verify(db, where):
    out = run("audit", "verify", "--database", db, check=False)
    if out.returncode != 0 or not out.stdout.startswith("ok "):
        sys.exit(f"{where}: chain does not verify: {out.stdout}{out.stderr}")


def users(db):
    for name, role, m in [("crash-lead", "home_team_lead", "159"), ("crash-worker", "home_caseworker", "159")]:
        run("user", "put", "--database", db, "--username", name, "--role", role, "--municipality", m, stdin=PASSWORD + "\n")


class Server:
    def __init__(self, db, outbox, port):
        self.port = port
        self.proc = subprocess.Popen([BIN, "serve", "--database", db, "--listen", f"127.0.0.1:{port}", "--outbox", outbox],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.proc.stdout.readline()  # "listening http://…"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def call(port, method, path, body=None, token=None, headers=None, raw=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers or {})
    if token:
        h["authorization"] = "Bearer " + token
    if body is not None and not raw:
        h["content-type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body, h)
    r = conn.getresponse()
    data = r.read()
    return r.status, r, data


def token(port, user):
    status, _, data = call(port, "POST", "/api/v1/session", {"username": user, "password": PASSWORD})
    assert status == 200, data
    return json.loads(data)["token"]


# 1. Imports -----------------------------------------------------------------------------------------------
base = os.path.join(work, "import-base.db")
screening(os.path.join(work, "small.csv"), 100)
run("import", "--database", f"sqlite://{base}", "--screening", os.path.join(work, "small.csv"))
big = os.path.join(work, "big.csv")
screening(big, 20000, offset=100)
start = time.time()
probe = os.path.join(work, "probe.db")
copy_db(base, probe)
run("import", "--database", f"sqlite://{probe}", "--screening", big)
duration = time.time() - start
outcomes = {"none": 0, "all": 0}
for i in range(ROUNDS):
    db = os.path.join(work, f"import-{i}.db")
    copy_db(base, db)
    proc = subprocess.Popen([BIN, "import", "--database", f"sqlite://{db}", "--screening", big], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0, duration * 1.1))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n = len(cases(f"sqlite://{db}"))
    if n not in (100, 20100):
        sys.exit(f"import round {i}: {n} cases after the kill, expected 100 or 20100")
    outcomes["none" if n == 100 else "all"] += 1
    verify(f"sqlite://{db}", f"import round {i}")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
print(f"imports: {ROUNDS} kills within {duration:.1f} s imports of 20,000 rows: {outcomes['none']} left none, {outcomes['all']} all; chain verified each time")

# 2. Actions -----------------------------------------------------------------------------------------------
db = f"sqlite://{os.path.join(work, 'actions.db')}"
screening(os.path.join(work, "actions.csv"), 200)
run("import", "--database", db, "--screening", os.path.join(work, "actions.csv"))
users(db)
accepted = []  # (case, summary) the server answered 200 to
port = 18250
server = Server(db, os.path.join(work, "outbox-actions"), port)
lead, worker = token(port, "crash-lead"), token(port, "crash-worker")
for case in range(1, 201):
    call(port, "POST", f"/api/v1/cases/{case}/actions", {"action": "assign", "caseworker": "crash-worker"}, lead)
server.kill()
total_accepted = 0
for i in range(ROUNDS):
    server = Server(db, os.path.join(work, "outbox-actions"), port)
    worker = token(port, "crash-worker")
    stop = threading.Event()
    round_accepted = []

    def client(k):
        while not stop.is_set():
            case = rng.randint(1, 200)
            summary = f"runde {i} klient {k} {rng.random():.6f}"
            try:
                status, _, _ = call(port, "POST", f"/api/v1/cases/{case}/actions",
                                    {"action": "record_evidence", "source": "income_register", "summary": summary, "obtained_on": "2026-11-20"}, worker)
            except (ConnectionError, OSError, http.client.HTTPException):
                return
            if status == 200:
                round_accepted.append((case, summary))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.05, 1.0))
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    accepted.extend(round_accepted)
    total_accepted += len(round_accepted)
    verify(db, f"actions round {i}")
# After all rounds: every accepted action is in its case; versions equal the number of events.
server = Server(db, os.path.join(work, "outbox-actions"), port)
worker = token(port, "crash-worker")
by_case = {}
for case, summary in accepted:
    by_case.setdefault(case, set()).add(summary)
for case in range(1, 201):
    _, _, data = call(port, "GET", f"/api/v1/cases/{case}", token=worker)
    c = json.loads(data)
    _, _, events = call(port, "GET", f"/api/v1/cases/{case}/events", token=worker)
    n_events = len(json.loads(events)) if isinstance(json.loads(events), list) else len(json.loads(events)["items"])
    if c["version"] != n_events:
        sys.exit(f"case {case}: version {c['version']} but {n_events} events")
    have = {e["summary"] for e in c["evidence"]}
    missing = by_case.get(case, set()) - have
    if missing:
        sys.exit(f"case {case}: accepted but lost: {sorted(missing)[:3]}")
server.kill()
print(f"actions: {ROUNDS} kills under 8 concurrent clients; {total_accepted} accepted actions all present; every case's version = its events; chain verified each time")

# 3. Letter batches ----------------------------------------------------------------------------------------
db = f"sqlite://{os.path.join(work, 'letters.db')}"
outbox = os.path.join(work, "outbox")
screening(os.path.join(work, "letters.csv"), 400, offset=1000)
run("import", "--database", db, "--screening", os.path.join(work, "letters.csv"))
users(db)
server = Server(db, outbox, port)
lead, worker = token(port, "crash-lead"), token(port, "crash-worker")
for case in range(1, 401):
    call(port, "POST", f"/api/v1/cases/{case}/actions", {"action": "assign", "caseworker": "crash-worker"}, lead)
    call(port, "POST", f"/api/v1/cases/{case}/actions", {"action": "summon", "interview_on": "2030-01-10"}, worker)
server.kill()


def browser_session(port):
    status, r, data = call(port, "GET", "/login")
    login_cookie = re.search(r"__Host-gennemgang-login=([^;]+)", r.getheader("set-cookie") or "").group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', data.decode()).group(1)
    form = urlencode({"csrf": csrf, "username": "crash-worker", "password": PASSWORD})
    status, r, _ = call(port, "POST", "/login", form, headers={"cookie": f"__Host-gennemgang-login={login_cookie}", "content-type": "application/x-www-form-urlencoded"}, raw=True)
    session = re.search(r"__Host-gennemgang=([^;]+)", r.getheader("set-cookie")).group(1)
    _, _, page = call(port, "GET", "/breve", headers={"cookie": f"__Host-gennemgang={session}"})
    return session, re.search(r'name="csrf" value="([^"]+)"', page.decode()).group(1)


sent_total = 0
for i in range(ROUNDS):
    server = Server(db, outbox, port)
    session, csrf = browser_session(port)
    form = urlencode({"csrf": csrf, "kind": "summons", "kanal": "digital", "dato": f"2030-01-{1 + i % 28:02d}"})
    call(port, "POST", "/breve", form, headers={"cookie": f"__Host-gennemgang={session}", "content-type": "application/x-www-form-urlencoded"}, raw=True)
    time.sleep(rng.uniform(0.0, 0.5))
    server.kill()
    verify(db, f"letters round {i}")
server = Server(db, outbox, port)
worker = token(port, "crash-worker")
for case in range(1, 401):
    _, _, data = call(port, "GET", f"/api/v1/cases/{case}", token=worker)
    for letter in json.loads(data).get("letters", []):
        path = os.path.join(outbox, "digital-post", letter["message_id"] + ".xml")
        if not os.path.exists(path):
            sys.exit(f"case {case}: letter {letter['message_id']} recorded as sent but never written")
        content = re.search(r"<memo:content>([^<]+)</memo:content>", open(path).read()).group(1)
        if hashlib.sha256(base64.b64decode(content)).hexdigest() != letter["document_sha256"]:
            sys.exit(f"case {case}: letter {letter['message_id']}: the written PDF is not the one recorded")
        sent_total += 1
server.kill()
written = len(os.listdir(os.path.join(outbox, "digital-post"))) if os.path.isdir(os.path.join(outbox, "digital-post")) else 0
print(f"letters: {ROUNDS} kills during batches; {sent_total} letters recorded, each written with the recorded digest; {written} files written (a written but unrecorded letter is resent under the same id)")
shutil.rmtree(work)
print("crash consistency ok")
