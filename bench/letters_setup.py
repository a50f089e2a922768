"""Takes N imported cases through the review to an approved revocation, through the public API
(bench/letters.sh): the state in which a decision letter is written."""
import datetime
import sys
from api import Api

host, port, n, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
api = Api(host, port, password)
lead, worker, decider, approver = (api.token(u) for u in ("bench-lead", "bench-worker", "bench-decider", "bench-approver"))
# Everything happens on the server's today (the decision date is always the day of approval), so the
# benchmark is run on a working day: the interview is summoned for today and held today.
today = datetime.date.today().isoformat()
steps = [
    (lead, {"action": "assign", "caseworker": "bench-worker"}),
    (worker, {"action": "record_evidence", "source": "income_register", "summary": "Lønindkomst 2025 på 182.000 kr., ca. 20 timer om ugen", "obtained_on": "2026-11-20"}),
] + [
    (worker, {"action": "mark_not_relevant", "source": s, "reason": "Ikke relevant for sagen."})
    for s in ("pension_case", "other_administration", "public_activity", "criminal_record")
] + [
    (worker, {"action": "summon", "interview_on": today}),
    (worker, {"action": "hold_interview", "journal_note": "Borgeren oplyste at arbejde 20 timer om ugen."}),
    (worker, {"action": "assess_reopen", "ground": "Indkomstregistret viser lønindkomst svarende til 20 timer om ugen.", "evidence": [0]}),
    (worker, {"action": "notify_reopening", "sent_on": today}),
    (worker, {"action": "start_hearing", "adverse_information": "Lønindkomsten i 2025.", "sent_on": today}),
    (worker, {"action": "complete_hearing", "answer": "Jeg arbejder 20 timer om ugen.", "on": today}),
    (worker, {"action": "no_new_information", "reason": "Indkomstoplysningerne er tilstrækkelige."}),
    (worker, {"action": "send_to_deciding"}),
    (decider, {"action": "receive"}),
    (decider, {"action": "validate", "notes": "Sagen er tilstrækkeligt oplyst."}),
    (decider, {"action": "propose_revocation", "reasons": "Arbejdsevnen er forbedret væsentligt og varigt; borgeren har arbejdet ca. 20 timer om ugen i over et år.", "keep_payment_months": 3}),
    (approver, {"action": "approve_revocation"}),
]
for case in range(1, n + 1):
    for who, action in steps:
        api.call("POST", f"/api/v1/cases/{case}/actions", action, who)
