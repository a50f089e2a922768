//! A case through the government model's three phases, each of the law's guarantees as a state the case
//! must be in, and the access policy. The clock moves forward as the story does.

mod common;

use common::*;
use gennemgang_case::PerformError;
use gennemgang_case::action::{
    Action, ActionKind, AppealsOutcome, Channel, Flag, HearingException, ReassessOutcome, SendBackReason, Source,
};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, InPerson, State};
use gennemgang_case::decide::CaseError;
use gennemgang_case::facts::{CaseFacts, SchemeCode};
use gennemgang_case::letter::LetterKind;
use gennemgang_case::policy::{Access, Denied, authorize, may_perform};
use jiff::civil::{Date, date};

fn refused(r: &Result<(), PerformError>, field: &str) -> bool {
    matches!(r, Err(PerformError::Case(CaseError::Invalid { field: f, .. })) if *f == field)
}

fn not_now(r: &Result<(), PerformError>) -> bool {
    matches!(r, Err(PerformError::Case(CaseError::NotNow { .. })))
}

fn barred(r: &Result<(), PerformError>, cite: &str) -> bool {
    matches!(r, Err(PerformError::Case(CaseError::Barred { bars: b, .. })) if b.iter().any(|b| b.contains(cite)))
}

fn letter(kind: LetterKind, id: &str, on: Date, channel: Channel) -> Action {
    Action::SendLetter { kind, channel, sent_on: on, message_id: id.into(), document_sha256: "ab".repeat(32) }
}

#[test]
fn the_whole_model_from_import_to_ankestyrelsen() {
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    assert_eq!(w.case.deciding_municipality, Some(101), "Gladsaxe → the deciding municipality of Hovedstaden");
    w.act(&decider(), Action::Receive {});
    // Phase 3 gathers nothing new, but may send the case back — as often as needed.
    w.act(
        &decider(),
        Action::SendBack { reasons: vec![SendBackReason::WorkCapacity], note: "Arbejdsprøvning mangler".into() },
    );
    assert_eq!((w.case.state, w.case.sent_back), (State::Reopened, 1));
    assert_eq!(w.case.send_backs[0].note, "Arbejdsprøvning mangler", "the home municipality reads why");
    w.on(date(2027, 3, 1));
    w.act(
        &worker(),
        Action::RecordWorkTrial {
            from: date(2027, 1, 4),
            to: date(2027, 2, 26),
            place: "Virksomhed A".into(),
            outcome: "15 timer om ugen".into(),
        },
    );
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    w.act(&decider(), Action::Schedule { meeting_on: None });
    // 1 March 2027 + 14 days to prepare → the board's next meeting: third Thursday of March.
    assert_eq!(w.case.meeting_on, Some(date(2027, 3, 18)));
    // The work trial came after the hearing: the citizen has not been heard on it (FVL § 19).
    let unheard = w.try_act(&decider(), propose());
    assert!(barred(&unheard, "forvaltningslovens § 19"), "{unheard:?}");
    w.act(&decider(), Action::SendBack { reasons: vec![SendBackReason::Hearing], note: "Høring om praktikken".into() });
    heard(&mut w, date(2027, 3, 2), None);
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    w.on(date(2027, 3, 18));
    w.act(&decider(), propose());
    assert_eq!(w.case.proposal.as_ref().map(|p| p.proposed_on), Some(date(2027, 3, 18)));
    // Approved the next day: that is the decision date, by the clock, whatever anyone typed.
    w.on(date(2027, 3, 19));
    w.act(&approver(), Action::ApproveRevocation {});
    let decision = w.case.decision.clone().expect("decided");
    assert!(decision.revoked);
    assert_eq!((decision.decided_on, decision.approved_by.as_deref()), (date(2027, 3, 19), Some("attest")));
    let record = decision.record.expect("the decision records its rules and inputs");
    assert_eq!(record.rules_version, gennemgang_rules::RULES_VERSION);
    assert_eq!(record.basis.as_ref().map(|b| b.citation.as_str()), Some("lov om social pension § 44, stk. 1"));
    let review = gennemgang_rules::review::ReviewParams::builtin();
    assert!(gennemgang_case::guards::replay(&record, review).differences.is_empty());
    // Digital Post on 19 March: received that day; the revocation takes effect 1 April, paid to 30 June.
    w.act(&decider(), Action::SendDecisionLetter { sent_on: date(2027, 3, 19), channel: Channel::Digital });
    let sent = w.case.letter.expect("letter");
    assert_eq!((sent.notified_on, sent.complaint_deadline), (Some(date(2027, 3, 19)), Some(date(2027, 4, 16))));
    let decision = w.case.decision.clone().expect("decision");
    assert_eq!((decision.effective_from, decision.last_paid_day), (Some(date(2027, 4, 1)), Some(date(2027, 6, 30))));
    w.on(date(2027, 4, 16));
    w.act(&decider(), Action::ReceiveComplaint { received_on: date(2027, 4, 16) });
    let complaint = w.case.complaint.clone().expect("complaint");
    assert_eq!(complaint.within_deadline, Some(true), "received on the last day");
    assert_eq!(complaint.reassess_by, Some(date(2027, 5, 14)));
    w.on(date(2027, 4, 30));
    w.act(
        &decider(),
        Action::Reassess {
            outcome: ReassessOutcome::Maintained,
            reasons: "Ingen nye oplysninger.".into(),
            keep_payment_months: None,
        },
    );
    w.act(&decider(), Action::ForwardToAppealsBoard {});
    w.on(date(2027, 8, 2));
    let early = w.try_act(
        &decider(),
        Action::RecordAppealsOutcome { outcome: AppealsOutcome::Upheld, decided_on: date(2027, 4, 1) },
    );
    assert!(refused(&early, "decided_on"), "not before the complaint reached Ankestyrelsen");
    w.act(&decider(), Action::RecordAppealsOutcome { outcome: AppealsOutcome::Upheld, decided_on: date(2027, 8, 1) });
    assert_eq!(w.case.state, State::Closed);

    // State is only ever the fold of the events.
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
    assert_eq!(w.case.version as usize, w.events.len());
}

#[test]
fn every_case_reaches_the_deciding_municipality_and_no_ground_is_an_assessment_not_a_decision() {
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessNoGround { reasons: "Intet peger på ændret arbejdsevne.".into() });
    assert_eq!(w.case.state, State::AssessedNoGround);
    // The home municipality issues no decision and no decision letter.
    for kind in [LetterKind::DecisionUpheld, LetterKind::DecisionRevocation, LetterKind::ReviewClosed] {
        assert!(not_now(&w.try_act(&worker(), letter(kind, "x", date(2026, 12, 10), Channel::Digital))), "{kind:?}");
    }
    assert_eq!(w.candidates(), vec![ActionKind::Assign, ActionKind::SendToDeciding]);
    w.act(&worker(), Action::SendToDeciding {});
    assert_eq!(w.case.deciding_municipality, Some(101));
    w.act(&decider(), Action::Receive {});
    // Only a reopened case gets a decision.
    assert!(not_now(&w.try_act(&decider(), Action::Uphold { reasons: "x".into() })));
    assert!(not_now(&w.try_act(&decider(), propose())));
    // The deciding municipality may disagree: back to phase 1 with its reasons.
    w.act(
        &decider(),
        Action::SendBack { reasons: vec![SendBackReason::ReopeningGround], note: "Indkomsten er ikke vurderet".into() },
    );
    assert_eq!(w.case.state, State::Reviewing);
    w.act(&worker(), Action::AssessNoGround { reasons: "Indkomsten er under grænsen.".into() });
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    assert_eq!(w.case.state, State::ClosedValidated);
    assert_eq!(w.case.validation_notes.as_deref(), Some("Sagen er tilstrækkeligt oplyst."));
    assert!(w.case.decision.is_none());
    // The citizen gets a plain notice, once, from the deciding municipality.
    w.act(&decider(), letter(LetterKind::ReviewClosed, "n1", date(2026, 12, 10), Channel::Digital));
    assert!(not_now(
        &w.try_act(&decider(), letter(LetterKind::ReviewClosed, "n2", date(2026, 12, 10), Channel::Digital))
    ));
    assert!(w.case.letter.is_none(), "a notice fixes no complaint deadline");
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn the_phase_1_checklist_comes_before_any_assessment() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    w.act(&worker(), evidence(Source::IncomeRegister));
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.on(date(2026, 12, 10));
    w.act(&worker(), Action::HoldInterview { journal_note: "Samtale holdt.".into() });
    let early = w.try_act(&worker(), Action::AssessNoGround { reasons: "Intet.".into() });
    assert!(
        matches!(&early, Err(PerformError::Case(CaseError::NotNow { why, .. })) if why.contains("Kriminalregistret")),
        "{early:?}"
    );
    assert!(!w.candidates().contains(&ActionKind::AssessNoGround));
    let no_reason = w.try_act(&worker(), Action::MarkNotRelevant { source: Source::PensionCase, reason: " ".into() });
    assert!(refused(&no_reason, "reason"));
    let twice = w.try_act(&worker(), Action::MarkNotRelevant { source: Source::IncomeRegister, reason: "x".into() });
    assert!(refused(&twice, "source"), "a consulted source is not also 'not relevant'");
    for source in [Source::PensionCase, Source::OtherAdministration, Source::PublicActivity, Source::CriminalRecord] {
        w.act(&worker(), Action::MarkNotRelevant { source, reason: "Ikke relevant her.".into() });
    }
    w.act(&worker(), Action::AssessNoGround { reasons: "Intet.".into() });
}

#[test]
fn a_reopened_case_goes_on_only_with_new_information_or_a_reason_why_none_was_needed() {
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) });
    assert!(not_now(&w.try_act(&worker(), Action::SendToDeciding {})));
    w.act(&worker(), Action::NoNewInformation { reason: "Indkomstoplysningerne er tilstrækkelige.".into() });
    w.act(&worker(), Action::SendToDeciding {});
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) });
    w.act(
        &worker(),
        Action::RecordInformation {
            summary: "Arbejdsgiveren bekræfter 20 timer om ugen".into(),
            obtained_from: "arbejdsgiver".into(),
            obtained_on: date(2026, 12, 10),
        },
    );
    assert_eq!(w.case.evidence.last().map(|e| e.source), Some(Source::NewInformation));
    w.act(&worker(), Action::SendToDeciding {});
}

#[test]
fn the_decision_date_is_the_day_of_approval_and_every_bar_is_judged_on_it() {
    // PL § 44, stk. 3: born 20 December 1966, 60 on 20 December 2026. Proposed the day before …
    let mut w = World::new(CaseFacts { birth_date: date(1966, 12, 20), ..facts() });
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.on(date(2026, 12, 21));
    let at_60 = w.try_act(&decider(), propose());
    assert!(barred(&at_60, "§ 44, stk. 3"), "{at_60:?}");

    let mut w = World::new(CaseFacts { birth_date: date(1966, 12, 23), ..facts() });
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.on(date(2026, 12, 22));
    w.act(&decider(), propose());
    // … and approved on the 60th birthday: barred then, even though the proposal was not.
    w.on(date(2026, 12, 23));
    let approved_at_60 = w.try_act(&approver(), Action::ApproveRevocation {});
    assert!(barred(&approved_at_60, "§ 44, stk. 3"), "{approved_at_60:?}");
    assert_eq!(w.case.state, State::AwaitingApproval);

    // Approved the day before the birthday, but a physical letter reaches the citizen only after it.
    let mut w = World::new(CaseFacts { birth_date: date(1966, 12, 28), ..facts() });
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.act(&decider(), propose());
    w.on(date(2026, 12, 22));
    w.act(&approver(), Action::ApproveRevocation {});
    let late =
        w.try_act(&decider(), Action::SendDecisionLetter { sent_on: date(2026, 12, 22), channel: Channel::Physical });
    assert!(barred(&late, "§ 44, stk. 3"), "{late:?}");
    assert!(format!("{late:?}").contains("den dag brevet når frem (4. januar 2027)"), "{late:?}");
    // Digital Post reaches the citizen the same day: the revocation stands, in force from 1 January.
    let mut digital = w.clone();
    digital.act(&decider(), Action::SendDecisionLetter { sent_on: date(2026, 12, 22), channel: Channel::Digital });
    let d = digital.case.decision.clone().expect("decision");
    assert_eq!((d.decided_on, d.effective_from), (date(2026, 12, 22), Some(date(2027, 1, 1))));
    // Where only a physical letter can reach her, the approver withdraws the decision (it has bound no one)
    // and the deciding municipality decides again: here it can only uphold.
    assert!(w.candidates().contains(&ActionKind::WithdrawDecision));
    let reason = || Action::WithdrawDecision { reason: "Brevet når først frem efter 60-årsdagen.".into() };
    assert!(matches!(w.try_act(&decider(), reason()), Err(PerformError::Denied(Denied::Forbidden(_)))));
    w.act(&approver(), reason());
    assert_eq!((w.case.state, w.case.decision.is_none()), (State::UnderDecision, true));
    assert_eq!(w.case.withdrawals.len(), 1);
    w.on(date(2026, 12, 28));
    assert!(barred(&w.try_act(&decider(), propose()), "§ 44, stk. 3"));
    w.act(&decider(), Action::Uphold { reasons: "Borgeren er fyldt 60 år.".into() });
    w.act(&decider(), Action::SendDecisionLetter { sent_on: date(2026, 12, 28), channel: Channel::Physical });
    assert!(not_now(&w.try_act(&approver(), reason())), "nor once its letter is sent");
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);

    // PL § 44, stk. 5 and GFPL § 44: never, whatever the date; upholding is always possible.
    for f in [
        CaseFacts { protected_veteran: true, ..facts() },
        CaseFacts { scheme: SchemeCode::Gfpl, awarded_on: date(1999, 1, 1), ..facts() },
        // Awarded in 2002 but coded "pl" in the register: outside the review's awards from 2003.
        CaseFacts { scheme: SchemeCode::Pl, awarded_on: date(2002, 6, 1), ..facts() },
    ] {
        let mut w = World::new(f);
        through_phase_2(&mut w, true);
        validated(&mut w);
        assert!(matches!(w.try_act(&decider(), propose()), Err(PerformError::Case(CaseError::Barred { .. }))));
        w.act(&decider(), Action::Uphold { reasons: "Kan ikke frakendes.".into() });
    }
}

#[test]
fn a_revocation_needs_a_current_hearing_or_an_approvers_exception() {
    // No hearing at all.
    let mut w = World::new(facts());
    through_phase_2(&mut w, false);
    validated(&mut w);
    assert!(barred(&w.try_act(&decider(), propose()), "forvaltningslovens § 19"));
    // Only the approver records an exception of FVL § 19, stk. 2, with its number and reason.
    let exception = Action::RecordHearingException {
        exception: HearingException::Nr2,
        reason: "Sagen skal afgøres inden fristen.".into(),
    };
    assert!(matches!(w.try_act(&decider(), exception.clone()), Err(PerformError::Denied(Denied::Forbidden(_)))));
    let empty =
        w.try_act(&approver(), Action::RecordHearingException { exception: HearingException::Nr1, reason: "".into() });
    assert!(refused(&empty, "reason"));
    w.act(&approver(), exception);
    w.act(&decider(), propose());
    w.act(&approver(), Action::ApproveRevocation {});
    let record = w.case.decision.clone().and_then(|d| d.record).expect("record");
    assert_eq!(
        record.inputs.hearing,
        gennemgang_case::guards::HearingBasis::Exception { exception: HearingException::Nr2 }
    );

    // Information recorded while a hearing runs needs a new hearing.
    let mut w = World::new(facts());
    hearing_started(&mut w);
    w.act(
        &worker(),
        Action::RecordInformation {
            summary: "Ny oplysning".into(),
            obtained_from: "x".into(),
            obtained_on: date(2026, 12, 14),
        },
    );
    w.on(date(2026, 12, 18));
    w.act(&worker(), Action::CompleteHearing { answer: Some("Svar".into()), on: date(2026, 12, 18), document: None });
    assert_eq!(w.case.hearing_basis(), gennemgang_case::guards::HearingBasis::Missing);
    assert_eq!(w.case.hearing_answer.as_deref(), Some("Svar"), "the answer is kept for the decision");
    heard(&mut w, date(2026, 12, 21), Some("Nyt svar"));
    assert_eq!(w.case.hearing_basis(), gennemgang_case::guards::HearingBasis::Current);
}

/// Phase 1 done with a ground, the reopening told, and a hearing started on 14 December 2026.
fn hearing_started(w: &mut World) {
    through_phase_1(w);
    w.act(&worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![1] });
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) });
    w.on(date(2026, 12, 14));
    w.act(
        &worker(),
        Action::StartHearing { adverse_information: "Løn".into(), sent_on: date(2026, 12, 14), answer_days: None },
    );
}

/// FVL § 19: the citizen's written answer to the hearing is part of the case; it can be the letter the
/// citizen sent, added to the case as a document, and the hearing is then answered (not closed without an
/// answer).
#[test]
fn a_hearing_is_answered_by_a_document_of_the_case() {
    use gennemgang_case::action::{MediaType, NewDocument, Source};
    let mut w = World::new(facts());
    hearing_started(&mut w);
    let letter = |dated| Action::AddDocument {
        document: NewDocument {
            sha256: "cd".repeat(32),
            media_type: MediaType::Pdf,
            size: 1_000,
            filename: "svar.pdf".into(),
            title: "Borgerens svar på partshøringen".into(),
            dated,
            source: Source::PensionCase,
        },
        as_evidence: false,
    };
    w.on(date(2026, 12, 18));
    w.act(&worker(), letter(date(2026, 12, 1)));
    w.act(&worker(), letter(date(2026, 12, 17)));
    let answered = |document| Action::CompleteHearing { answer: None, on: date(2026, 12, 18), document };
    // A number the case does not hold, and a letter from before the hearing, are no answer to it.
    assert!(refused(&w.try_act(&worker(), answered(Some(3))), "document"));
    assert!(refused(&w.try_act(&worker(), answered(Some(0))), "document"));
    assert!(refused(&w.try_act(&worker(), answered(Some(1))), "document"));
    // Without text or document, inside the period, the hearing cannot close.
    assert!(refused(&w.try_act(&worker(), answered(None)), "answer"));
    w.act(&worker(), answered(Some(2)));
    assert!(matches!(w.case.hearing, gennemgang_case::case::Hearing::Completed { answered: true, .. }));
    assert_eq!((w.case.hearing_answer.as_deref(), w.case.hearing_answer_document), (None, Some(2)));
    assert_eq!(w.case.hearing_basis(), gennemgang_case::guards::HearingBasis::Current);
}

#[test]
fn dates_agree_with_each_other_and_with_the_calendar() {
    let mut w = World::new(facts());
    // Assignment only to an active caseworker of the municipality.
    assert!(refused(&w.try_act(&lead(), Action::Assign { caseworker: "ukendt".into() }), "caseworker"));
    assert!(refused(&w.try_act(&lead(), Action::Assign { caseworker: "aarhus-sb".into() }), "caseworker"));
    // Nor to the one who holds the case already (an event that changes nothing; sent several times at
    // once, the same assignment lands once).
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    assert!(refused(&w.try_act(&lead(), Action::Assign { caseworker: "sagsbeh".into() }), "caseworker"));
    checklist(&mut w);
    // Interviews on working days only: Saturday 12 December and Christmas Day are refused.
    for day in [date(2026, 12, 12), date(2026, 12, 25)] {
        let r = w.try_act(&worker(), Action::Summon { interview_on: day });
        assert!(refused(&r, "interview_on"), "{day}: {r:?}");
    }
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    // Held only on or after its day.
    assert!(not_now(&w.try_act(&worker(), Action::HoldInterview { journal_note: "x".into() })));
    assert!(not_now(&w.try_act(&worker(), Action::RegisterNoShow {})));
    w.on(date(2026, 12, 10));
    w.act(&worker(), Action::HoldInterview { journal_note: "Samtale.".into() });
    w.act(&worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![1] });
    // Letters not in the future.
    assert!(refused(&w.try_act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) }), "sent_on"));
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) });
    w.act(&worker(), Action::NoNewInformation { reason: "Tilstrækkeligt oplyst.".into() });
    // A hearing answer period under the review's minimum (14 days, practice) is refused, and the hearing
    // letter is not dated before the information it is about.
    let short = w.try_act(
        &worker(),
        Action::StartHearing { adverse_information: "Løn".into(), sent_on: date(2026, 12, 10), answer_days: Some(10) },
    );
    assert!(refused(&short, "answer_days"), "{short:?}");
    let early = w.try_act(
        &worker(),
        Action::StartHearing { adverse_information: "Løn".into(), sent_on: date(2026, 12, 1), answer_days: None },
    );
    assert!(refused(&early, "sent_on"), "{early:?}");
    heard(&mut w, date(2026, 12, 10), Some("Svar"));
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    // Board meetings only on the board's meeting dates.
    let wrong = w.try_act(&decider(), Action::Schedule { meeting_on: Some(date(2027, 1, 20)) });
    assert!(
        matches!(&wrong, Err(PerformError::Case(CaseError::Invalid { field: "meeting_on", message })) if message.contains("21. januar 2027")),
        "{wrong:?}"
    );
    w.act(&decider(), Action::Schedule { meeting_on: Some(date(2027, 1, 21)) });
    w.act(&decider(), propose());
    // A case before the board is decided at its meeting, not before.
    w.on(date(2027, 1, 20));
    let early = w.try_act(&approver(), Action::ApproveRevocation {});
    assert!(not_now(&early) && format!("{early:?}").contains("mødet 21. januar 2027"), "{early:?}");
    w.on(date(2027, 1, 21));
    w.act(&approver(), Action::ApproveRevocation {});
    // The decision letter not before the decision, nor in the future.
    for day in [date(2027, 1, 20), date(2027, 1, 22)] {
        let r = w.try_act(&decider(), Action::SendDecisionLetter { sent_on: day, channel: Channel::Digital });
        assert!(refused(&r, "sent_on"), "{day}: {r:?}");
    }
    w.act(&decider(), Action::SendDecisionLetter { sent_on: date(2027, 1, 21), channel: Channel::Digital });
    // A complaint not received before the letter it complains about.
    let before = w.try_act(&decider(), Action::ReceiveComplaint { received_on: date(2027, 1, 20) });
    assert!(refused(&before, "received_on"), "{before:?}");
    // And the case's days never run backwards: nothing is judged on a day before its latest action.
    w.rewind(date(2027, 1, 20));
    let back = w.try_act(&decider(), Action::ReceiveComplaint { received_on: date(2027, 1, 20) });
    assert!(not_now(&back) && format!("{back:?}").contains("ligger før sagens seneste handling"), "{back:?}");
    // Nonsense dates are refused too: information from before the citizen was born, a letter from before
    // the screening, a hearing period no one means.
    let mut w2 = World::new(facts());
    w2.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    let ancient = w2.try_act(
        &worker(),
        Action::RecordEvidence { source: Source::PensionCase, summary: "x".into(), obtained_on: date(0, 1, 1) },
    );
    assert!(refused(&ancient, "obtained_on"), "{ancient:?}");
    through_phase_1(&mut w2);
    w2.act(&worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![1] });
    assert!(refused(&w2.try_act(&worker(), Action::NotifyReopening { sent_on: date(2026, 11, 30) }), "sent_on"));
    let long = w2.try_act(
        &worker(),
        Action::StartHearing {
            adverse_information: "Løn".into(),
            sent_on: date(2026, 12, 10),
            answer_days: Some(u16::MAX),
        },
    );
    assert!(refused(&long, "answer_days"), "{long:?}");
    // Every refusal reads in Danish with the field's Danish name.
    let text = PerformError::Case(CaseError::Invalid { field: "interview_on", message: "x".into() }).to_string();
    assert!(text.starts_with("Samtalens dato"), "{text}");
}

#[test]
fn a_late_complaint_is_recorded_and_forwarded_and_reassessment_makes_new_decisions() {
    let decided = || {
        let mut w = World::new(facts());
        through_phase_2(&mut w, true);
        validated(&mut w);
        w.act(&decider(), propose());
        w.on(date(2027, 1, 4));
        w.act(&approver(), Action::ApproveRevocation {});
        w.act(&decider(), Action::SendDecisionLetter { sent_on: date(2027, 1, 4), channel: Channel::Digital });
        w
    };
    // Late: deadline 1 February; received 10 February after the case was closed.
    let mut w = decided();
    w.on(date(2027, 2, 9));
    w.act(&decider(), Action::Close {});
    w.on(date(2027, 2, 10));
    w.act(&decider(), Action::ReceiveComplaint { received_on: date(2027, 2, 10) });
    assert_eq!(w.case.complaint.as_ref().and_then(|c| c.within_deadline), Some(false));
    // Ankestyrelsen decides whether to accept it.
    assert!(w.candidates().contains(&ActionKind::ForwardToAppealsBoard));
    w.act(&decider(), Action::ForwardToAppealsBoard {});
    assert_eq!(w.case.complaint.as_ref().and_then(|c| c.forwarded_on), Some(date(2027, 2, 10)));

    // Full redress on reassessment (RSL § 66): a new decision, with its own letter and complaint deadline.
    let mut w = decided();
    w.act(&decider(), Action::ReceiveComplaint { received_on: date(2027, 1, 4) });
    w.on(date(2027, 1, 20));
    w.act(
        &decider(),
        Action::Reassess {
            outcome: ReassessOutcome::Changed,
            reasons: "Nye lægeoplysninger.".into(),
            keep_payment_months: None,
        },
    );
    let d = w.case.decision.clone().expect("new decision");
    assert!(!d.revoked && d.on_reassessment && d.decided_on == date(2027, 1, 20));
    assert_eq!((w.case.state, w.case.letter), (State::Decided, None));
    assert!(gennemgang_case::decide::letter_does_not_fit(&w.case, LetterKind::DecisionUpheld).is_none());
    w.act(&decider(), letter(LetterKind::DecisionUpheld, "ny", date(2027, 1, 20), Channel::Digital));
    assert!(w.case.letter.is_some());

    // Partial redress: a new decision on what changed, and the rest goes on to Ankestyrelsen.
    let mut w = decided();
    w.act(&decider(), Action::ReceiveComplaint { received_on: date(2027, 1, 4) });
    let partly = |months| Action::Reassess {
        outcome: ReassessOutcome::PartlyChanged,
        reasons: "Udbetalingen fortsætter i 3 måneder i stedet for 1.".into(),
        keep_payment_months: Some(months),
    };
    assert!(refused(&w.try_act(&decider(), partly(4)), "keep_payment_months"));
    // Still a revocation: proposed anew by the caseworker and decided only when another approves it.
    w.act(&decider(), partly(1));
    assert_eq!(w.case.state, State::AwaitingApproval);
    assert_eq!(w.case.proposal.as_ref().map(|p| p.keep_payment_months), Some(1));
    assert_eq!(
        w.try_act(&actor("afgoer", Role::DecidingApprover, 101), Action::ApproveRevocation {}),
        Err(PerformError::Case(CaseError::SameApprover))
    );
    // Rejected: the complaint is reassessed again.
    w.act(&approver(), Action::RejectRevocation { reason: "En måned er for lidt.".into() });
    assert_eq!(
        (w.case.state, w.case.complaint.as_ref().and_then(|c| c.reassessment)),
        (State::ComplaintReceived, None)
    );
    w.on(date(2027, 1, 6));
    w.act(&decider(), partly(3));
    w.act(&approver(), Action::ApproveRevocation {});
    assert_eq!(w.case.state, State::Reassessed);
    let d = w.case.decision.clone().expect("decision");
    assert!(d.revoked && d.on_reassessment && d.approved_by.as_deref() == Some("attest") && d.decided_by == "afgoer");
    assert_eq!((d.decided_on, d.keep_payment_months, d.effective_from), (date(2027, 1, 6), 3, None));
    assert_eq!(
        d.record.as_ref().map(|r| r.inputs.decided_on),
        Some(date(2027, 1, 6)),
        "the record is the new decision's"
    );
    // Not withdrawn: a decision on a complaint answers the citizen and stands.
    assert!(not_now(&w.try_act(&approver(), Action::WithdrawDecision { reason: "x".into() })));
    // The changed decision reaches the citizen before the rest of the complaint goes on.
    assert_eq!(w.candidates(), vec![ActionKind::SendDecisionLetter]);
    assert!(not_now(&w.try_act(&decider(), Action::ForwardToAppealsBoard {})));
    w.act(&decider(), letter(LetterKind::DecisionRevocation, "del", date(2027, 1, 6), Channel::Digital));
    let d = w.case.decision.clone().expect("decision");
    assert_eq!(
        (d.effective_from, d.last_paid_day),
        (Some(date(2027, 2, 1)), Some(date(2027, 4, 30))),
        "from its own notification"
    );
    assert_eq!(w.candidates(), vec![ActionKind::ForwardToAppealsBoard]);
    w.act(&decider(), Action::ForwardToAppealsBoard {});
    // Remitted by Ankestyrelsen: the deciding municipality decides again.
    w.act(&decider(), Action::RecordAppealsOutcome { outcome: AppealsOutcome::Remitted, decided_on: date(2027, 1, 6) });
    assert_eq!((w.case.state, w.case.decision.is_none(), w.case.meeting_on), (State::UnderDecision, true, None));
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn four_eyes_the_approver_is_never_the_proposer() {
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    validated(&mut w);
    let both = actor("afgoer", Role::DecidingApprover, 101);
    w.act(&decider(), propose());
    assert_eq!(w.try_act(&both, Action::ApproveRevocation {}), Err(PerformError::Case(CaseError::SameApprover)));
    let as_worker = w.try_act(&actor("anden", Role::DecidingCaseworker, 101), Action::ApproveRevocation {});
    assert!(matches!(as_worker, Err(PerformError::Denied(Denied::Forbidden(_)))));
    w.act(&approver(), Action::RejectRevocation { reason: "Begrundelsen er for tynd.".into() });
    assert_eq!(w.case.state, State::UnderDecision);
    assert_eq!(w.case.rejections, vec!["Begrundelsen er for tynd.".to_owned()]);
}

#[test]
fn health_information_needs_consent_and_a_hearing_needs_its_period() {
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![1] });
    w.act(&worker(), Action::RecordConsent { granted: false, scope: "egen læge".into() });
    assert_eq!(w.case.consent_scope.as_deref(), Some("egen læge"));
    let without = w.try_act(
        &worker(),
        Action::RecordHealthInformation {
            summary: "x".into(),
            obtained_from: "læge".into(),
            obtained_on: date(2026, 12, 10),
        },
    );
    assert!(matches!(&without, Err(PerformError::Case(CaseError::NotNow { why, .. })) if why.contains("§ 11 a")));
    w.on(date(2026, 12, 14));
    w.act(
        &worker(),
        Action::StartHearing { adverse_information: "Løn".into(), sent_on: date(2026, 12, 14), answer_days: Some(14) },
    );
    // Without an answer, the hearing closes only after the period, by the clock — not by a typed date.
    w.on(date(2026, 12, 20));
    let early = w.try_act(&worker(), Action::CompleteHearing { answer: None, on: date(2026, 12, 20), document: None });
    assert!(refused(&early, "answer"));
    let future = w.try_act(&worker(), Action::CompleteHearing { answer: None, on: date(2026, 12, 29), document: None });
    assert!(refused(&future, "on"));
    assert!(not_now(&w.try_act(&worker(), Action::SendToDeciding {})), "not sent while the hearing runs");
    w.on(date(2026, 12, 29));
    w.act(&worker(), Action::CompleteHearing { answer: None, on: date(2026, 12, 29), document: None });
}

#[test]
fn a_move_transfers_the_case_and_death_only_allows_closing() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    w.act(&Actor::system(), Action::RegisterFlag { flag: Flag::Moved { from: 159, to: 751 } });
    assert_eq!(w.case.home_municipality, 751);
    assert_eq!(w.case.assigned_to, None);
    assert_eq!(authorize(&lead(), Some(&w.case), Access::ReadCase), Err(Denied::NotVisible));
    let aarhus_lead = actor("aarhus", Role::HomeTeamLead, 751);
    assert_eq!(authorize(&aarhus_lead, Some(&w.case), Access::ReadCase), Ok(()));
    w.act(&aarhus_lead, Action::Assign { caseworker: "aarhus-sb".into() });
    w.act(&Actor::system(), Action::RegisterFlag { flag: Flag::Died });
    let aarhus_worker = actor("aarhus-sb", Role::HomeCaseworker, 751);
    let summon = w.try_act(&aarhus_worker, Action::Summon { interview_on: date(2026, 12, 21) });
    assert!(
        matches!(&summon, Err(PerformError::Case(CaseError::NotNow { why, .. })) if why.contains("død")),
        "{summon:?}"
    );
    assert_eq!(w.candidates(), vec![ActionKind::Close]);
    w.act(&aarhus_lead, Action::Close {});
    assert_eq!(w.case.state, State::Closed);
}

#[test]
fn access_follows_the_task() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    assert_eq!(
        authorize(&actor("anden", Role::HomeCaseworker, 159), Some(&w.case), Access::ReadCase),
        Err(Denied::NotVisible)
    );
    for other in [
        actor("x", Role::HomeTeamLead, 101),
        actor("afgoer", Role::DecidingCaseworker, 101),
        Actor { user: "analytiker".into(), role: Role::MinistryAnalyst, municipality: None },
        Actor { user: "drift".into(), role: Role::Administrator, municipality: None },
    ] {
        assert_eq!(authorize(&other, Some(&w.case), Access::ReadCase), Err(Denied::NotVisible), "{other:?}");
    }
    let crim = Access::ReadSensitive { source: Source::CriminalRecord, purpose: "gennemgang fase 1" };
    assert_eq!(authorize(&worker(), Some(&w.case), crim), Ok(()));
    let no_purpose = Access::ReadSensitive { source: Source::CriminalRecord, purpose: "" };
    assert!(authorize(&worker(), Some(&w.case), no_purpose).is_err());
    let health = Access::ReadSensitive { source: Source::HealthInformation, purpose: "x" };
    assert!(authorize(&worker(), Some(&w.case), health).is_err());
    assert!(authorize(&lead(), Some(&w.case), crim).is_err(), "the team lead assigns, not reads sensitive details");
    let analyst = Actor { user: "a".into(), role: Role::MinistryAnalyst, municipality: None };
    assert_eq!(authorize(&analyst, None, Access::Statistics), Ok(()));
    assert!(authorize(&analyst, None, Access::ListCases).is_err());
    assert!(authorize(&worker(), None, Access::Administer).is_err());
}

#[test]
fn the_60th_birthday_is_warned_of_well_before() {
    use gennemgang_case::decide::warnings;
    let w = World::new(CaseFacts { birth_date: date(1967, 6, 1), ..facts() });
    assert!(warnings(&w.case, &w.routing, date(2026, 5, 31)).is_empty());
    let warned = warnings(&w.case, &w.routing, date(2026, 12, 7));
    assert_eq!(warned.len(), 1);
    assert!(warned[0].contains("1. juni 2027") && warned[0].contains("§ 44, stk. 3"), "{warned:?}");
    assert!(warnings(&w.case, &w.routing, date(2027, 6, 1)).iter().any(|x| x.contains("er fyldt 60")));
}

#[test]
fn the_approver_is_told_the_legal_basis_is_unconfirmed_and_the_citizen_never_is() {
    let review = gennemgang_rules::review::ReviewParams::builtin();
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    assert!(gennemgang_case::decide::basis_notice(&w.case, review).is_none(), "not before phase 3");
    validated(&mut w);
    let notice = gennemgang_case::decide::basis_notice(&w.case, review).expect("unconfirmed");
    assert!(notice.contains("§ 44, stk. 1") && notice.contains("ikke bekræftet"), "{notice}");
}

#[test]
fn offered_actions_follow_state_and_role_and_every_step_of_a_path_was_offered() {
    let mut w = World::new(facts());
    assert_eq!(w.candidates(), vec![ActionKind::Assign]);
    assert!(may_perform(&lead(), &w.case, ActionKind::Assign));
    assert!(!may_perform(&worker(), &w.case, ActionKind::Assign), "the case is not the worker's yet");
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    assert_eq!(
        w.candidates(),
        vec![
            ActionKind::Assign,
            ActionKind::RecordEvidence,
            ActionKind::RecordDelay,
            ActionKind::MarkNotRelevant,
            ActionKind::Summon
        ]
    );
    assert!(may_perform(&worker(), &w.case, ActionKind::Summon));
    assert!(!may_perform(&lead(), &w.case, ActionKind::Summon));
    let steps: Vec<(Actor, Action, Option<Date>)> = vec![
        (worker(), evidence(Source::IncomeRegister), None),
        (worker(), Action::MarkNotRelevant { source: Source::PensionCase, reason: "x".into() }, None),
        (worker(), Action::MarkNotRelevant { source: Source::OtherAdministration, reason: "x".into() }, None),
        (worker(), Action::MarkNotRelevant { source: Source::PublicActivity, reason: "x".into() }, None),
        (worker(), Action::MarkNotRelevant { source: Source::CriminalRecord, reason: "x".into() }, None),
        (worker(), Action::Summon { interview_on: date(2026, 12, 10) }, None),
        (worker(), Action::HoldInterview { journal_note: "Samtale.".into() }, Some(date(2026, 12, 10))),
        (worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![0] }, None),
        (worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) }, None),
        (worker(), Action::NoNewInformation { reason: "Oplyst.".into() }, None),
        (worker(), Action::SendToDeciding {}, None),
        (decider(), Action::Receive {}, None),
        (decider(), Action::Validate { notes: "ok".into() }, None),
        (decider(), Action::Uphold { reasons: "Ingen ændring.".into() }, Some(date(2027, 1, 10))),
        (
            decider(),
            Action::SendDecisionLetter { sent_on: date(2027, 1, 11), channel: Channel::Physical },
            Some(date(2027, 1, 11)),
        ),
    ];
    for (who, action, day) in steps {
        if let Some(day) = day {
            w.on(day);
        }
        let offered = w.candidates();
        assert!(offered.contains(&action.kind()), "{} not offered in {:?}: {offered:?}", action.name(), w.case.state);
        assert!(may_perform(&who, &w.case, action.kind()));
        w.act(&who, action);
    }
}

#[test]
fn letters_are_recorded_at_their_step_once_and_a_decision_letter_fixes_the_complaint_deadline() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    checklist(&mut w);
    assert!(w.try_act(&worker(), letter(LetterKind::Summons, "m1", date(2026, 12, 3), Channel::Physical)).is_err());
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.act(&worker(), letter(LetterKind::Summons, "m1", date(2026, 12, 7), Channel::Physical));
    assert!(w.try_act(&worker(), letter(LetterKind::Summons, "m1", date(2026, 12, 7), Channel::Physical)).is_err());
    assert!(w.try_act(&decider(), letter(LetterKind::Summons, "m2", date(2026, 12, 7), Channel::Physical)).is_err());
    w.on(date(2026, 12, 10));
    w.act(&worker(), Action::HoldInterview { journal_note: "Samtale holdt.".into() });
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) });
    heard(&mut w, date(2026, 12, 10), Some("Svar"));
    w.act(&worker(), Action::NoNewInformation { reason: "Oplyst.".into() });
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    w.act(&decider(), propose());
    w.on(date(2026, 12, 22));
    w.act(&approver(), Action::ApproveRevocation {});
    // A physical letter sent Tuesday 22 December 2026: received Monday 4 January 2027, deadline 1 February;
    // in force from 1 February.
    w.act(&decider(), letter(LetterKind::DecisionRevocation, "m3", date(2026, 12, 22), Channel::Physical));
    let sent = w.case.letter.expect("letter");
    assert_eq!((sent.notified_on, sent.complaint_deadline), (Some(date(2027, 1, 4)), Some(date(2027, 2, 1))));
    assert_eq!(w.case.decision.as_ref().and_then(|d| d.effective_from), Some(date(2027, 2, 1)));
    assert_eq!(w.case.letters.iter().map(|l| l.message_id.as_str()).collect::<Vec<_>>(), ["m1", "m3"]);
    assert!(
        w.try_act(&decider(), letter(LetterKind::DecisionRevocation, "m4", date(2026, 12, 22), Channel::Physical))
            .is_err()
    );
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn no_decision_while_the_citizens_meeting_with_the_board_is_pending() {
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.act(&decider(), propose());
    // Asked for while the proposal awaits approval: the approver must wait for the meeting.
    w.act(&decider(), Action::RequestHearingInPerson {});
    assert_eq!(w.case.in_person, InPerson::Requested);
    assert!(!w.candidates().contains(&ActionKind::ApproveRevocation));
    let early = w.try_act(&approver(), Action::ApproveRevocation {});
    assert!(not_now(&early) && format!("{early:?}").contains("foretræde"), "{early:?}");
    // Rejected back to the deciding caseworker, who puts the case on the board's next meeting.
    w.act(&approver(), Action::RejectRevocation { reason: "Borgeren skal først i foretræde.".into() });
    assert!(not_now(&w.try_act(&decider(), propose())));
    assert!(not_now(&w.try_act(&decider(), Action::Uphold { reasons: "r".into() })));
    w.act(&decider(), Action::Schedule { meeting_on: Some(date(2027, 1, 21)) });
    assert_eq!(w.case.in_person, InPerson::Scheduled { meeting_on: date(2027, 1, 21) });
    assert!(gennemgang_case::decide::letter_does_not_fit(&w.case, LetterKind::InPersonInvitation).is_none());
    // Held only on or after the meeting, and with a note of what was said.
    let before = w.try_act(&decider(), Action::RecordHearingInPerson { note: "Borgeren fortalte om smerter.".into() });
    assert!(not_now(&before), "{before:?}");
    w.on(date(2027, 1, 21));
    assert!(refused(&w.try_act(&decider(), Action::RecordHearingInPerson { note: " ".into() }), "note"));
    w.act(&decider(), Action::RecordHearingInPerson { note: "Borgeren fortalte om smerter.".into() });
    assert!(matches!(&w.case.in_person, InPerson::Held { on, .. } if *on == date(2027, 1, 21)));
    w.act(&decider(), propose());
    w.act(&approver(), Action::ApproveRevocation {});
    assert_eq!(w.case.state, State::Decided);

    // Or the citizen withdraws the request, and the decision can be made without it.
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.act(&decider(), Action::RequestHearingInPerson {});
    assert!(not_now(&w.try_act(&decider(), Action::RecordHearingInPerson { note: "x".into() })), "not on a meeting");
    w.act(&decider(), Action::WithdrawHearingInPerson { note: "Borgeren ringede 8. december og trak ønsket.".into() });
    w.act(&decider(), Action::Uphold { reasons: "Arbejdsevnen er ikke forbedret.".into() });
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn udbetaling_danmark_is_told_once_when_a_revocation_stops_payment_and_again_when_it_is_reversed() {
    use gennemgang_case::decide::payment_notice_due;
    use gennemgang_case::letter::PaymentNoticeKind::{Resume, Stop};
    let notice = |w: &mut World, kind| {
        w.act(
            &Actor::system(),
            Action::SendPaymentNotice {
                kind,
                message_id: format!("n{}", w.events.len()),
                document_sha256: "ab".repeat(32),
            },
        );
    };
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.act(&decider(), propose());
    w.act(&approver(), Action::ApproveRevocation {});
    // Decided but not yet notified: nothing stops yet, and no person may send the notice.
    assert_eq!(payment_notice_due(&w.case), None);
    let day = w.today;
    w.act(&decider(), Action::SendDecisionLetter { sent_on: day, channel: Channel::Digital });
    assert_eq!(payment_notice_due(&w.case), Some(Stop));
    let by_person = Action::SendPaymentNotice { kind: Stop, message_id: "x".into(), document_sha256: "ab".repeat(32) };
    assert!(matches!(w.try_act(&decider(), by_person), Err(PerformError::Denied(Denied::Forbidden(_)))));
    assert!(not_now(&w.try_act(
        &Actor::system(),
        Action::SendPaymentNotice { kind: Resume, message_id: "r".into(), document_sha256: "ab".repeat(32) }
    )));
    notice(&mut w, Stop);
    let sent = w.case.payment_notices.last().cloned().expect("recorded");
    assert_eq!((sent.effective_from, sent.last_paid_day), (Some(date(2027, 1, 1)), Some(date(2027, 3, 31))));
    // Never twice.
    assert_eq!(payment_notice_due(&w.case), None);
    assert!(not_now(&w.try_act(
        &Actor::system(),
        Action::SendPaymentNotice { kind: Stop, message_id: "igen".into(), document_sha256: "ab".repeat(32) }
    )));
    // Full redress on reassessment: payment resumes, once.
    w.act(&decider(), Action::ReceiveComplaint { received_on: day });
    w.on(date(2026, 12, 28));
    w.act(
        &decider(),
        Action::Reassess {
            outcome: ReassessOutcome::Changed,
            reasons: "Nye lægeoplysninger.".into(),
            keep_payment_months: None,
        },
    );
    assert_eq!(payment_notice_due(&w.case), Some(Resume));
    notice(&mut w, Resume);
    assert_eq!(payment_notice_due(&w.case), None);
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn no_day_before_the_screening_and_no_text_a_letter_cannot_hold() {
    let mut w = World::new(facts());
    w.rewind(date(2020, 1, 6));
    let early = w.try_act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    assert!(not_now(&early) && format!("{early:?}").contains("før udsøgningen"), "{early:?}");
    w.on(date(2026, 12, 7));
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    let nul = w.try_act(
        &worker(),
        Action::RecordEvidence {
            source: Source::PensionCase,
            summary: "akt\u{0}".into(),
            obtained_on: date(2026, 12, 1),
        },
    );
    assert!(refused(&nul, "summary"), "{nul:?}");
    // Line breaks are text.
    w.act(
        &worker(),
        Action::RecordEvidence {
            source: Source::PensionCase,
            summary: "akt\nside 2".into(),
            obtained_on: date(2026, 12, 1),
        },
    );
}

/// Offentlighedslovens § 13 (notatpligt): a contact about the case is noted in the file with the day it
/// happened, what kind it was and what was said, by whoever holds the case; never dated ahead, never
/// blank, and not before there is a case to note it on.
#[test]
fn a_contact_is_noted_in_the_file_by_whoever_holds_the_case() {
    use gennemgang_case::action::ContactKind;
    let mut w = World::new(facts());
    let note = |on: Date, text: &str| Action::RecordContact {
        contact: ContactKind::Phone,
        contacted_on: on,
        note: text.into(),
    };
    assert!(!gennemgang_case::decide::notes_taken(&w.case), "an unassigned case has nobody to note it");
    assert!(w.try_act(&lead(), note(date(2026, 12, 4), "Borgeren ringede.")).is_err());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    assert!(gennemgang_case::decide::notes_taken(&w.case) && !w.candidates().contains(&ActionKind::RecordContact));
    assert!(w.try_act(&worker(), note(date(2026, 12, 8), "Borgeren ringede.")).is_err(), "after today");
    assert!(w.try_act(&worker(), note(date(2026, 12, 7), "  ")).is_err(), "blank");
    assert!(!may_perform(&decider(), &w.case, ActionKind::RecordContact), "not the deciding side's case yet");
    w.act(&worker(), note(date(2026, 12, 4), "Borgeren ringede og spurgte til brevet."));
    let noted = w.case.contacts.last().expect("noted");
    assert_eq!(
        (noted.contact, noted.contacted_on, noted.by.as_str()),
        (ContactKind::Phone, date(2026, 12, 4), "sagsbeh")
    );
    assert_eq!(noted.note, "Borgeren ringede og spurgte til brevet.");
}

/// CPR-loven § 28: a protected address is used for the citizen's letters and passed on to no one else.
#[test]
fn a_protected_address_is_seen_only_by_whoever_sends_the_letters() {
    use gennemgang_case::facts::{Address, Citizen};
    use gennemgang_case::policy::may_see_address;
    let mut facts = common::facts();
    facts.citizen = Citizen {
        name: "Hodan Warsame".into(),
        address: Some(Address {
            street: "Lindparken 4, 2. th".into(), postcode: "2860".into(), city: "Søborg".into()
        }),
        address_protected: true,
    };
    let mut w = World::new(facts.clone());
    w.act(&lead(), Action::Assign { caseworker: worker().user });
    let case = &w.case;
    assert!(may_see_address(&worker(), case), "the caseworker who sends the letters");
    assert!(!may_see_address(&lead(), case), "the team lead sends none");
    assert!(!may_see_address(&decider(), case), "the deciding municipality does not see the case yet");
    facts.citizen.address_protected = false;
    let open = World::new(facts);
    assert!(may_see_address(&lead(), &open.case), "without protection everyone who sees the case");
}

/// What a case waits on: the consent from the reopening letter, then what was asked for, each until it is
/// recorded, with the municipality's working deadlines (14 days for consent, 28 for health information).
#[test]
fn a_case_waits_on_consent_and_on_what_was_asked_for_until_it_is_recorded() {
    use gennemgang_case::action::Awaited;
    use gennemgang_case::waits::{WaitKind, waits};
    let params = &gennemgang_rules::review::ReviewParams::builtin().waits;
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    assert!(waits(&w.case, params).is_empty(), "nothing asked of the citizen yet");
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 10) });
    let consent = waits(&w.case, params);
    assert_eq!(consent.len(), 1);
    assert_eq!(
        (consent[0].kind, consent[0].since, consent[0].due),
        (WaitKind::Consent, date(2026, 12, 10), date(2026, 12, 24))
    );
    assert_eq!((consent[0].days_waited(date(2026, 12, 24)), consent[0].overdue(date(2026, 12, 24))), (14, false));
    assert!(consent[0].overdue(date(2026, 12, 25)));
    // Health information needs the consent first (RSL § 11 a, stk. 1).
    let ask = |awaited| Action::RequestInformation { awaited, from: "egen læge".into() };
    assert!(not_now(&w.try_act(&worker(), ask(Awaited::HealthInformation))));
    w.on(date(2026, 12, 14));
    w.act(&worker(), Action::RecordConsent { granted: true, scope: "Egen læge".into() });
    w.act(&worker(), ask(Awaited::HealthInformation));
    w.act(&worker(), Action::RequestInformation { awaited: Awaited::WorkTrial, from: "Virksomhed A".into() });
    let asked: Vec<_> = waits(&w.case, params).iter().map(|x| (x.kind, x.since, x.due)).collect();
    assert_eq!(
        asked,
        vec![
            (WaitKind::HealthInformation, date(2026, 12, 14), date(2027, 1, 11)),
            (WaitKind::WorkTrial, date(2026, 12, 14), date(2027, 3, 15)),
        ]
    );
    assert!(matches!(
        w.try_act(&worker(), Action::RequestInformation { awaited: Awaited::WorkTrial, from: " ".into() }),
        Err(PerformError::Case(CaseError::Invalid { field: "from", .. }))
    ));
    w.on(date(2026, 12, 20));
    w.act(
        &worker(),
        Action::RecordHealthInformation {
            summary: "Statusattest".into(),
            obtained_from: "egen læge".into(),
            obtained_on: date(2026, 12, 19),
        },
    );
    let left: Vec<_> = waits(&w.case, params).iter().map(|x| x.kind).collect();
    assert_eq!(left, vec![WaitKind::WorkTrial], "the health information came");
    assert_eq!(w.case.requests[0].answered_on, Some(date(2026, 12, 20)));
}
