//! A case through the model's three phases (seed 000), the legal guards one by one, and the access policy.

use gennemgang_case::action::{Action, AppealsOutcome, Channel, Flag, ReassessOutcome, SendBackReason, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event, Phase, State};
use gennemgang_case::decide::{CaseError, Context};
use gennemgang_case::facts::{CaseFacts, Routing, SchemeCode};
use gennemgang_case::policy::{Access, Denied, authorize};
use gennemgang_case::{PerformError, perform, start};
use gennemgang_rules::calendar::params::CalendarParams;
use jiff::civil::{Date, date};

fn facts() -> CaseFacts {
    CaseFacts {
        cpr: "0101800000".into(),
        birth_date: date(1980, 1, 1),
        awarded_on: date(2015, 6, 1),
        scheme: SchemeCode::Pl,
        municipality_code: 159,
        area_id: "A1".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: false,
        screening_reason: String::new(),
    }
}

fn actor(user: &str, role: Role, municipality: u16) -> Actor {
    Actor { user: user.into(), role, municipality: Some(municipality) }
}

struct World {
    events: Vec<Event>,
    case: Case,
    today: Date,
    routing: Routing,
}

impl World {
    fn new(facts: CaseFacts) -> World {
        let first = start(1, facts, jiff::Timestamp::UNIX_EPOCH);
        let case = Case::from_events(std::slice::from_ref(&first)).expect("import");
        World { events: vec![first], case, today: date(2026, 12, 7), routing: Routing::default() }
    }

    fn try_act(&mut self, who: &Actor, action: Action) -> Result<(), PerformError> {
        let ctx = Context { today: self.today, routing: &self.routing, calendar: CalendarParams::builtin() };
        let event = perform(&self.case, who, action, &ctx, jiff::Timestamp::UNIX_EPOCH)?;
        self.case.apply(&event);
        self.events.push(event);
        Ok(())
    }

    fn act(&mut self, who: &Actor, action: Action) {
        let name = action.name();
        self.try_act(who, action).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn lead() -> Actor {
    actor("leder", Role::HomeTeamLead, 159)
}
fn worker() -> Actor {
    actor("sagsbeh", Role::HomeCaseworker, 159)
}
fn decider() -> Actor {
    actor("afgoer", Role::DecidingCaseworker, 101)
}
fn approver() -> Actor {
    actor("attest", Role::DecidingApprover, 101)
}

/// Phase 1 up to a reopening, phase 2 up to sending.
fn through_phase_2(w: &mut World, hearing: bool) {
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    for source in [Source::PensionCase, Source::IncomeRegister, Source::CriminalRecord] {
        w.act(
            &worker(),
            Action::RecordEvidence { source, summary: "oplysning".into(), obtained_on: date(2026, 12, 2) },
        );
    }
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.act(&worker(), Action::HoldInterview { journal_note: "Borgeren oplyste at arbejde 20 timer om ugen.".into() });
    w.act(&worker(), Action::AssessReopen { ground: "Indkomstregistret viser lønindkomst.".into(), evidence: vec![1] });
    assert_eq!(w.case.phase(), Phase::Reopening);
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) });
    w.act(&worker(), Action::RecordConsent { granted: true, scope: "egen læge, 2026".into() });
    w.act(
        &worker(),
        Action::RecordHealthInformation {
            summary: "Statusattest".into(),
            obtained_from: "egen læge".into(),
            obtained_on: date(2026, 12, 15),
        },
    );
    if hearing {
        w.act(
            &worker(),
            Action::StartHearing {
                adverse_information: "Lønindkomst 2025".into(),
                sent_on: date(2026, 12, 16),
                answer_days: None,
                answer_by: None,
            },
        );
        w.act(
            &worker(),
            Action::CompleteHearing { answer: Some("Jeg arbejder i fleksjob.".into()), on: date(2026, 12, 20) },
        );
    }
    w.act(&worker(), Action::SendToDeciding { deciding_municipality: None });
}

#[test]
fn the_whole_model_from_import_to_ankestyrelsen() {
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    assert_eq!(w.case.deciding_municipality, Some(101), "Gladsaxe → the deciding municipality of Hovedstaden");
    w.act(&decider(), Action::Receive);
    // Phase 3 gathers nothing new, but may send the case back — as often as needed.
    w.act(
        &decider(),
        Action::SendBack { reasons: vec![SendBackReason::WorkCapacity], note: "Arbejdsprøvning mangler".into() },
    );
    assert_eq!((w.case.state, w.case.sent_back), (State::Reopened, 1));
    w.act(
        &worker(),
        Action::RecordWorkTrial {
            from: date(2027, 1, 4),
            to: date(2027, 2, 26),
            place: "Virksomhed A".into(),
            outcome: "15 timer om ugen".into(),
        },
    );
    w.act(&worker(), Action::SendToDeciding { deciding_municipality: None });
    w.act(&decider(), Action::Receive);
    w.act(&decider(), Action::Validate { notes: "Sagen er tilstrækkeligt oplyst.".into() });
    w.act(&decider(), Action::Schedule { meeting_on: None });
    // Today 7 December 2026 + 14 days to prepare → the board's next meeting: third Thursday of January.
    assert_eq!(w.case.meeting_on, Some(date(2027, 1, 21)));
    w.act(
        &decider(),
        Action::ProposeRevocation {
            reasons: "Arbejdsevnen er forbedret væsentligt og varigt.".into(),
            decided_on: date(2027, 3, 18),
            effective_from: date(2027, 4, 1),
            keep_payment_months: 3,
            uses_adverse_information: true,
        },
    );
    w.act(&approver(), Action::ApproveRevocation { record: None });
    let decision = w.case.decision.clone().expect("decided");
    assert!(decision.revoked);
    assert_eq!(decision.approved_by.as_deref(), Some("attest"));
    let record = decision.record.expect("the decision records its rules and inputs");
    assert_eq!(record.rules_version, gennemgang_rules::RULES_VERSION);
    assert!(gennemgang_case::guards::replay(&record).differences.is_empty());

    w.act(
        &decider(),
        Action::SendDecisionLetter { sent_on: date(2027, 3, 19), channel: Channel::Digital, complaint_deadline: None },
    );
    assert_eq!(w.case.letter.and_then(|l| l.complaint_deadline), Some(date(2027, 4, 16)));
    w.act(
        &decider(),
        Action::ReceiveComplaint { received_on: date(2027, 4, 16), within_deadline: None, reassess_by: None },
    );
    let complaint = w.case.complaint.expect("complaint");
    assert_eq!(complaint.within_deadline, Some(true), "received on the last day");
    assert_eq!(complaint.reassess_by, Some(date(2027, 5, 14)));
    w.act(
        &decider(),
        Action::Reassess {
            outcome: ReassessOutcome::Maintained,
            reasons: "Ingen nye oplysninger.".into(),
            on: date(2027, 4, 30),
        },
    );
    w.act(&decider(), Action::ForwardToAppealsBoard { on: date(2027, 4, 30) });
    w.act(&decider(), Action::RecordAppealsOutcome { outcome: AppealsOutcome::Upheld, decided_on: date(2027, 8, 1) });
    assert_eq!(w.case.state, State::Closed);

    // State is only ever the fold of the events.
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
    assert_eq!(w.case.version as usize, w.events.len());
}

#[test]
fn no_ground_closes_the_case_after_phase_1() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.act(&worker(), Action::RegisterNoShow);
    // A new summons is possible after a no-show …
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 17) });
    w.act(&worker(), Action::RegisterNoShow);
    // … or a decision on the existing basis.
    w.act(&worker(), Action::DecideOnExistingBasis { reason: "Udeblevet to gange.".into() });
    w.act(&worker(), Action::AssessNoGround { reasons: "Intet i oplysningerne peger på ændret arbejdsevne.".into() });
    assert_eq!(w.case.state, State::ClosedNoGround);
    let refused = w.try_act(&worker(), Action::Summon { interview_on: date(2026, 12, 20) });
    assert!(matches!(refused, Err(PerformError::Case(CaseError::NotNow { .. }))));
}

#[test]
fn notatpligt_and_a_ground_that_cites_evidence_are_required() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    let empty_note = w.try_act(&worker(), Action::HoldInterview { journal_note: "  ".into() });
    assert!(matches!(empty_note, Err(PerformError::Case(CaseError::Invalid { field: "journal_note", .. }))));
    w.act(&worker(), Action::HoldInterview { journal_note: "Samtale holdt.".into() });
    let no_evidence = w.try_act(&worker(), Action::AssessReopen { ground: "Mistanke.".into(), evidence: vec![] });
    assert!(matches!(no_evidence, Err(PerformError::Case(CaseError::Invalid { field: "evidence", .. }))));
    let bad_index = w.try_act(&worker(), Action::AssessReopen { ground: "Mistanke.".into(), evidence: vec![3] });
    assert!(matches!(bad_index, Err(PerformError::Case(CaseError::Invalid { field: "evidence", .. }))));
}

fn to_validated(facts: CaseFacts, hearing: bool) -> World {
    let mut w = World::new(facts);
    through_phase_2(&mut w, hearing);
    w.act(&decider(), Action::Receive);
    w.act(&decider(), Action::Validate { notes: "ok".into() });
    w
}

fn propose(decided_on: Date, uses_adverse_information: bool) -> Action {
    Action::ProposeRevocation {
        reasons: "Forbedret arbejdsevne.".into(),
        decided_on,
        effective_from: decided_on,
        keep_payment_months: 0,
        uses_adverse_information,
    }
}

#[test]
fn guards_no_revocation_at_60_of_a_veteran_of_a_legacy_pension_or_without_hearing() {
    // PL § 44, stk. 3: born 1967-01-10, 60 on 2027-01-10.
    let mut w = to_validated(CaseFacts { birth_date: date(1967, 1, 10), ..facts() }, true);
    let at_60 = w.try_act(&decider(), propose(date(2027, 1, 10), true));
    assert!(
        matches!(&at_60, Err(PerformError::Case(CaseError::Barred(b))) if b[0].contains("§ 44, stk. 3")),
        "{at_60:?}"
    );
    w.act(&decider(), propose(date(2027, 1, 9), true));

    // PL § 44, stk. 5.
    let mut w = to_validated(CaseFacts { protected_veteran: true, ..facts() }, true);
    assert!(matches!(
        w.try_act(&decider(), propose(date(2027, 2, 1), true)),
        Err(PerformError::Case(CaseError::Barred(_)))
    ));

    // GFPL § 44, stk. 1.
    let mut w = to_validated(CaseFacts { scheme: SchemeCode::Gfpl, awarded_on: date(1999, 1, 1), ..facts() }, true);
    assert!(matches!(
        w.try_act(&decider(), propose(date(2027, 2, 1), true)),
        Err(PerformError::Case(CaseError::Barred(_)))
    ));
    // Upholding is always possible.
    w.act(
        &decider(),
        Action::Uphold { reasons: "Kan ikke frakendes.".into(), decided_on: date(2027, 2, 1), record: None },
    );

    // FVL § 19: adverse information without a hearing.
    let mut w = to_validated(facts(), false);
    let unheard = w.try_act(&decider(), propose(date(2027, 2, 1), true));
    assert!(
        matches!(&unheard, Err(PerformError::Case(CaseError::Barred(b))) if b[0].contains("FVL § 19")),
        "{unheard:?}"
    );
    w.act(&decider(), propose(date(2027, 2, 1), false));
}

#[test]
fn four_eyes_the_approver_is_never_the_proposer() {
    let mut w = to_validated(facts(), true);
    // The deciding caseworker who is also an approver proposes, then tries to approve.
    let both = actor("afgoer", Role::DecidingApprover, 101);
    w.act(&decider(), propose(date(2027, 2, 1), true));
    assert_eq!(
        w.try_act(&both, Action::ApproveRevocation { record: None }),
        Err(PerformError::Case(CaseError::SameApprover))
    );
    // A caseworker cannot approve at all.
    let as_worker =
        w.try_act(&actor("anden", Role::DecidingCaseworker, 101), Action::ApproveRevocation { record: None });
    assert!(matches!(as_worker, Err(PerformError::Denied(Denied::Forbidden(_)))));
    w.act(&approver(), Action::RejectRevocation { reason: "Begrundelsen er for tynd.".into() });
    assert_eq!(w.case.state, State::UnderDecision);
}

#[test]
fn health_information_needs_consent_and_a_hearing_needs_its_period() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.act(&worker(), Action::HoldInterview { journal_note: "Samtale.".into() });
    w.act(
        &worker(),
        Action::RecordEvidence {
            source: Source::IncomeRegister,
            summary: "løn".into(),
            obtained_on: date(2026, 12, 1),
        },
    );
    w.act(&worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![0] });
    w.act(&worker(), Action::RecordConsent { granted: false, scope: "egen læge".into() });
    let without = w.try_act(
        &worker(),
        Action::RecordHealthInformation {
            summary: "x".into(),
            obtained_from: "læge".into(),
            obtained_on: date(2026, 12, 12),
        },
    );
    assert!(matches!(&without, Err(PerformError::Case(CaseError::NotNow { why, .. })) if why.contains("RSL § 11 a")));
    w.act(
        &worker(),
        Action::StartHearing {
            adverse_information: "Løn".into(),
            sent_on: date(2026, 12, 14),
            answer_days: Some(14),
            answer_by: None,
        },
    );
    let early = w.try_act(&worker(), Action::CompleteHearing { answer: None, on: date(2026, 12, 20) });
    assert!(matches!(early, Err(PerformError::Case(CaseError::Invalid { field: "answer", .. }))));
    let send = w.try_act(&worker(), Action::SendToDeciding { deciding_municipality: None });
    assert!(send.is_err(), "not sent while the hearing runs or before the citizen is notified");
    w.act(&worker(), Action::CompleteHearing { answer: None, on: date(2026, 12, 29) });
}

#[test]
fn a_move_transfers_the_case_and_death_only_allows_closing() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    w.act(&Actor::system(), Action::RegisterFlag { flag: Flag::Moved { from: 159, to: 751 } });
    assert_eq!(w.case.home_municipality, 751);
    assert_eq!(w.case.assigned_to, None);
    // The old municipality no longer sees it; the new one does.
    assert_eq!(authorize(&lead(), Some(&w.case), Access::ReadCase), Err(Denied::NotVisible));
    assert_eq!(authorize(&actor("aarhus", Role::HomeTeamLead, 751), Some(&w.case), Access::ReadCase), Ok(()));
    let aarhus_lead = actor("aarhus", Role::HomeTeamLead, 751);
    w.act(&aarhus_lead, Action::Assign { caseworker: "aarhus-sb".into() });
    w.act(&Actor::system(), Action::RegisterFlag { flag: Flag::Died });
    let aarhus_worker = actor("aarhus-sb", Role::HomeCaseworker, 751);
    let summon = w.try_act(&aarhus_worker, Action::Summon { interview_on: date(2026, 12, 20) });
    assert!(
        matches!(&summon, Err(PerformError::Case(CaseError::NotNow { why, .. })) if why.contains("død")),
        "{summon:?}"
    );
    w.act(&aarhus_lead, Action::Close);
    assert_eq!(w.case.state, State::Closed);
}

#[test]
fn access_follows_the_task() {
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    // Another caseworker in the same municipality does not see a case not assigned to them.
    assert_eq!(
        authorize(&actor("anden", Role::HomeCaseworker, 159), Some(&w.case), Access::ReadCase),
        Err(Denied::NotVisible)
    );
    // Another municipality, the ministry and administrators never see it.
    for other in [
        actor("x", Role::HomeTeamLead, 101),
        actor("afgoer", Role::DecidingCaseworker, 101),
        Actor { user: "analytiker".into(), role: Role::MinistryAnalyst, municipality: None },
        Actor { user: "drift".into(), role: Role::Administrator, municipality: None },
    ] {
        assert_eq!(authorize(&other, Some(&w.case), Access::ReadCase), Err(Denied::NotVisible), "{other:?}");
    }
    // Criminal-record details in phase 1, with a purpose; health details not yet.
    let crim = Access::ReadSensitive { source: Source::CriminalRecord, purpose: "gennemgang fase 1" };
    assert_eq!(authorize(&worker(), Some(&w.case), crim), Ok(()));
    let no_purpose = Access::ReadSensitive { source: Source::CriminalRecord, purpose: "" };
    assert!(authorize(&worker(), Some(&w.case), no_purpose).is_err());
    let health = Access::ReadSensitive { source: Source::HealthInformation, purpose: "x" };
    assert!(authorize(&worker(), Some(&w.case), health).is_err());
    assert!(authorize(&lead(), Some(&w.case), crim).is_err(), "the team lead assigns, not reads sensitive details");
    // Only the ministry's analysts, leads, approvers and operators get statistics; no one but admins administer.
    let analyst = Actor { user: "a".into(), role: Role::MinistryAnalyst, municipality: None };
    assert_eq!(authorize(&analyst, None, Access::Statistics), Ok(()));
    assert!(authorize(&analyst, None, Access::ListCases).is_err());
    assert!(authorize(&worker(), None, Access::Administer).is_err());
}

#[test]
fn the_60th_birthday_is_warned_of_well_before() {
    use gennemgang_case::decide::warnings;
    let w = World::new(CaseFacts { birth_date: date(1967, 6, 1), ..facts() });
    // A year and a day before: no warning yet; within the year: a warning naming the date and the §.
    assert!(warnings(&w.case, date(2026, 5, 31)).is_empty());
    let warned = warnings(&w.case, date(2026, 12, 7));
    assert_eq!(warned.len(), 1);
    assert!(warned[0].contains("1. juni 2027") && warned[0].contains("PL § 44, stk. 3"), "{warned:?}");
    assert!(warnings(&w.case, date(2027, 6, 1))[0].contains("er fyldt 60"));
}

#[test]
fn offered_actions_follow_state_and_role() {
    use gennemgang_case::decide::candidates;
    use gennemgang_case::policy::may_perform;
    let mut w = World::new(facts());
    assert_eq!(candidates(&w.case), vec!["assign"]);
    assert!(may_perform(&lead(), &w.case, "assign"));
    assert!(!may_perform(&worker(), &w.case, "assign"), "the case is not the worker's yet");
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    assert_eq!(candidates(&w.case), vec!["assign", "record_evidence", "summon"]);
    assert!(may_perform(&worker(), &w.case, "summon"));
    assert!(!may_perform(&lead(), &w.case, "summon"));
    assert!(!may_perform(&worker(), &w.case, "no_such_action"));
    // Every offered action is one the state accepts when its fields are right: the whole model's path
    // never needs an action that was not offered.
    through_rest_checking_candidates(&mut w);
}

fn through_rest_checking_candidates(w: &mut World) {
    let steps: Vec<(Actor, Action)> = vec![
        (worker(), Action::Summon { interview_on: date(2026, 12, 10) }),
        (worker(), Action::HoldInterview { journal_note: "Samtale.".into() }),
        (
            worker(),
            Action::RecordEvidence {
                source: Source::IncomeRegister,
                summary: "løn".into(),
                obtained_on: date(2026, 12, 1),
            },
        ),
        (worker(), Action::AssessReopen { ground: "Løn.".into(), evidence: vec![0] }),
        (worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) }),
        (worker(), Action::SendToDeciding { deciding_municipality: None }),
        (decider(), Action::Receive),
        (decider(), Action::Validate { notes: "ok".into() }),
        (decider(), Action::Uphold { reasons: "Ingen ændring.".into(), decided_on: date(2027, 1, 10), record: None }),
        (
            decider(),
            Action::SendDecisionLetter {
                sent_on: date(2027, 1, 11),
                channel: Channel::Physical,
                complaint_deadline: None,
            },
        ),
    ];
    for (who, action) in steps {
        let offered = gennemgang_case::decide::candidates(&w.case);
        assert!(offered.contains(&action.name()), "{} not offered in {:?}: {offered:?}", action.name(), w.case.state);
        assert!(gennemgang_case::policy::may_perform(&who, &w.case, action.name()));
        w.act(&who, action);
    }
}

#[test]
fn letters_are_recorded_at_their_step_once_and_a_decision_letter_fixes_the_complaint_deadline() {
    use gennemgang_case::letter::LetterKind;
    let send = |kind: LetterKind, id: &str, on: Date| Action::SendLetter {
        kind,
        channel: Channel::Physical,
        sent_on: on,
        message_id: id.into(),
        document_sha256: "ab".repeat(32),
        complaint_deadline: None,
    };
    let mut w = World::new(facts());
    w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    // Not yet summoned: no summons letter.
    assert!(w.try_act(&worker(), send(LetterKind::Summons, "m1", date(2026, 12, 3))).is_err());
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.act(&worker(), send(LetterKind::Summons, "m1", date(2026, 12, 3)));
    assert!(
        w.try_act(&worker(), send(LetterKind::Summons, "m1", date(2026, 12, 3))).is_err(),
        "the same message twice"
    );
    // The deciding municipality cannot send the home municipality's letters.
    assert!(w.try_act(&decider(), send(LetterKind::Summons, "m2", date(2026, 12, 3))).is_err());
    through_phase_2_rest(&mut w);
    w.act(&decider(), Action::Receive);
    w.act(&decider(), Action::Validate { notes: "Oplyst.".into() });
    w.act(
        &decider(),
        Action::ProposeRevocation {
            reasons: "Arbejdsevnen er forbedret væsentligt og varigt.".into(),
            decided_on: date(2027, 3, 18),
            effective_from: date(2027, 4, 1),
            keep_payment_months: 3,
            uses_adverse_information: false,
        },
    );
    w.act(&approver(), Action::ApproveRevocation { record: None });
    // A physical letter sent Tuesday 22 December 2026: received Monday 4 January 2027, deadline 1 February.
    w.act(&decider(), send(LetterKind::DecisionRevocation, "m3", date(2026, 12, 22)));
    assert_eq!(w.case.letter.and_then(|l| l.complaint_deadline), Some(date(2027, 2, 1)));
    assert_eq!(w.case.letters.iter().map(|l| l.message_id.as_str()).collect::<Vec<_>>(), ["m1", "m3"]);
    assert!(
        w.try_act(&decider(), send(LetterKind::DecisionRevocation, "m4", date(2026, 12, 23))).is_err(),
        "sent once"
    );
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

/// Phase 1 after the summons, and phase 2, up to sending the case on.
fn through_phase_2_rest(w: &mut World) {
    w.act(
        &worker(),
        Action::RecordEvidence {
            source: Source::IncomeRegister,
            summary: "løn".into(),
            obtained_on: date(2026, 12, 2),
        },
    );
    w.act(&worker(), Action::HoldInterview { journal_note: "Samtale holdt.".into() });
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![0] });
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) });
    w.act(&worker(), Action::SendToDeciding { deciding_municipality: None });
}
