//! Random action sequences by random users on random days: no sequence reaches a revocation that breaks a
//! bar on its approval date, lacks a hearing after the last information (or an approver's exception), or
//! takes effect before it reached the citizen; the approver is never the proposer; a case without ground to
//! reopen is never decided; every state change is an event, and the state is always the fold of the events.

use gennemgang_case::action::{
    Action, AppealsOutcome, Channel, Flag, HearingException, ReassessOutcome, SendBackReason, Source,
};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event, State};
use gennemgang_case::decide::{Context, Staff};
use gennemgang_case::event::Outcome;
use gennemgang_case::facts::{CaseFacts, Routing, SchemeCode};
use gennemgang_case::guards::HearingBasis;
use gennemgang_case::letter::{LetterKind, PaymentNoticeKind};
use gennemgang_case::{perform, start};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::review::ReviewParams;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;

fn day(offset: i64) -> Date {
    date(2026, 12, 1).checked_add(offset.days()).unwrap_or(date(2026, 12, 1))
}

fn actors() -> Vec<Actor> {
    let a = |user: &str, role, m| Actor { user: user.into(), role, municipality: Some(m) };
    vec![
        a("leder", Role::HomeTeamLead, 159),
        a("sagsbeh", Role::HomeCaseworker, 159),
        a("afgoer", Role::DecidingCaseworker, 101),
        a("afgoer", Role::DecidingApprover, 101),
        a("attest", Role::DecidingApprover, 101),
        a("fremmed", Role::HomeCaseworker, 751),
        Actor::system(),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let text = prop_oneof![Just(String::new()), Just("tekst".to_owned())];
    let d = (0_i64..500).prop_map(day);
    let channel = any::<bool>().prop_map(|digital| if digital { Channel::Digital } else { Channel::Physical });
    prop_oneof![
        prop_oneof![Just("sagsbeh"), Just("ukendt")].prop_map(|c| Action::Assign { caseworker: c.into() }),
        (prop::sample::select(Source::PHASE_1.to_vec()), text.clone(), d.clone())
            .prop_map(|(source, summary, obtained_on)| Action::RecordEvidence { source, summary, obtained_on }),
        (prop::sample::select(Source::CHECKLIST.to_vec()), text.clone())
            .prop_map(|(source, reason)| Action::MarkNotRelevant { source, reason }),
        d.clone().prop_map(|interview_on| Action::Summon { interview_on }),
        text.clone().prop_map(|journal_note| Action::HoldInterview { journal_note }),
        Just(Action::RegisterNoShow {}),
        text.clone().prop_map(|reason| Action::DecideOnExistingBasis { reason }),
        text.clone().prop_map(|reasons| Action::AssessNoGround { reasons }),
        (text.clone(), prop::collection::vec(0_usize..6, 0..3))
            .prop_map(|(ground, evidence)| Action::AssessReopen { ground, evidence }),
        d.clone().prop_map(|sent_on| Action::NotifyReopening { sent_on }),
        any::<bool>().prop_map(|granted| Action::RecordConsent { granted, scope: "læge".into() }),
        d.clone().prop_map(|obtained_on| Action::RecordHealthInformation {
            summary: "s".into(),
            obtained_from: "l".into(),
            obtained_on
        }),
        d.clone().prop_map(|obtained_on| Action::RecordInformation {
            summary: "ny".into(),
            obtained_from: "x".into(),
            obtained_on
        }),
        text.clone().prop_map(|reason| Action::NoNewInformation { reason }),
        (d.clone(), text.clone(), prop::option::of(1_u16..30)).prop_map(
            |(sent_on, adverse_information, answer_days)| {
                Action::StartHearing { adverse_information, sent_on, answer_days }
            }
        ),
        (any::<bool>(), d.clone()).prop_map(|(answered, on)| Action::CompleteHearing {
            answer: answered.then(|| "svar".into()),
            on,
            document: None
        }),
        Just(Action::SendToDeciding {}),
        Just(Action::Receive {}),
        text.clone().prop_map(|notes| Action::Validate { notes }),
        Just(Action::SendBack { reasons: vec![SendBackReason::HealthInformation], note: "mangler".into() }),
        prop::option::of(d.clone()).prop_map(|meeting_on| Action::Schedule { meeting_on }),
        text.clone().prop_map(|reason| Action::RecordHearingException { exception: HearingException::Nr1, reason }),
        (0_u8..5)
            .prop_map(|keep_payment_months| Action::ProposeRevocation { reasons: "r".into(), keep_payment_months }),
        Just(Action::ApproveRevocation {}),
        Just(Action::RejectRevocation { reason: "nej".into() }),
        Just(Action::WithdrawDecision { reason: "tilbage".into() }),
        Just(Action::RequestHearingInPerson {}),
        prop::sample::select(vec![PaymentNoticeKind::Stop, PaymentNoticeKind::Resume]).prop_map(|kind| {
            Action::SendPaymentNotice { kind, message_id: "n".into(), document_sha256: "ab".repeat(32) }
        }),
        text.clone().prop_map(|note| Action::RecordHearingInPerson { note }),
        Just(Action::WithdrawHearingInPerson { note: "trukket".into() }),
        Just(Action::Uphold { reasons: "r".into() }),
        (d.clone(), channel.clone()).prop_map(|(sent_on, channel)| Action::SendDecisionLetter { sent_on, channel }),
        (d.clone(), channel, prop::sample::select(LetterKind::ALL.to_vec()), 0_u32..1000).prop_map(
            |(sent_on, channel, kind, n)| Action::SendLetter {
                kind,
                channel,
                sent_on,
                message_id: format!("m{n}"),
                document_sha256: "ab".repeat(32),
            }
        ),
        d.clone().prop_map(|received_on| Action::ReceiveComplaint { received_on }),
        prop::sample::select(vec![
            ReassessOutcome::Maintained,
            ReassessOutcome::Changed,
            ReassessOutcome::PartlyChanged
        ])
        .prop_map(|outcome| Action::Reassess { outcome, reasons: "r".into(), keep_payment_months: None }),
        Just(Action::ForwardToAppealsBoard {}),
        (prop::sample::select(vec![AppealsOutcome::Upheld, AppealsOutcome::Changed, AppealsOutcome::Remitted]), d)
            .prop_map(|(outcome, decided_on)| Action::RecordAppealsOutcome { outcome, decided_on }),
        Just(Action::RegisterFlag { flag: Flag::Turned60 }),
        prop::sample::select(vec![
            gennemgang_case::action::Awaited::HealthInformation,
            gennemgang_case::action::Awaited::WorkTrial
        ])
        .prop_map(|awaited| Action::RequestInformation { awaited, from: "egen læge".into() }),
        Just(Action::Close {}),
    ]
}

fn facts() -> impl Strategy<Value = CaseFacts> {
    (0_i64..365 * 25, 0_u8..3, 0_u8..10).prop_map(|(born, award, veteran)| CaseFacts {
        cpr: "0101800000".into(),
        birth_date: date(1966, 6, 1).checked_add(born.days()).unwrap_or(date(1966, 6, 1)),
        // Under the earlier rules; in 2002 but coded "pl" in the register; under today's rules.
        awarded_on: [date(2001, 1, 1), date(2002, 6, 1), date(2014, 1, 1)][usize::from(award)],
        scheme: if award == 0 { SchemeCode::Gfpl } else { SchemeCode::Pl },
        municipality_code: 159,
        area_id: "A1".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: veteran == 0,
        screening_reason: String::new(),
        citizen: gennemgang_case::facts::Citizen::default(),
    })
}

/// The model's path to a revocation as (actor, action); a guided step performs the next one, so that random
/// runs reach phase 3 and its guards often, while unguided steps try anything in between.
fn script() -> Vec<(usize, Action)> {
    let mut s = vec![(0, Action::Assign { caseworker: "sagsbeh".into() })];
    for source in Source::CHECKLIST {
        s.push((1, Action::RecordEvidence { source, summary: "oplysning".into(), obtained_on: day(0) }));
    }
    s.extend([
        (1, Action::Summon { interview_on: day(20) }),
        (1, Action::HoldInterview { journal_note: "note".into() }),
        (1, Action::AssessReopen { ground: "løn".into(), evidence: vec![2] }),
        (1, Action::NotifyReopening { sent_on: day(21) }),
        (1, Action::RecordInformation { summary: "ny".into(), obtained_from: "x".into(), obtained_on: day(21) }),
        (1, Action::StartHearing { adverse_information: "løn".into(), sent_on: day(22), answer_days: None }),
        (1, Action::CompleteHearing { answer: Some("svar".into()), on: day(30), document: None }),
        (1, Action::SendToDeciding {}),
        (2, Action::Receive {}),
        (2, Action::Validate { notes: "ok".into() }),
        (2, Action::ProposeRevocation { reasons: "r".into(), keep_payment_months: 3 }),
        (4, Action::ApproveRevocation {}),
        (2, Action::SendDecisionLetter { sent_on: day(60), channel: Channel::Physical }),
    ]);
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn no_sequence_breaks_a_guard(
        facts in facts(),
        // The day moves on by 0-12 days, or back by up to 8 (an operator's `--today` out of order).
        steps in prop::collection::vec((0_u8..10, 0_usize..7, action(), -2_i64..4), 1..70),
    ) {
        let routing = Routing::default();
        let staff = Staff::new([("sagsbeh".to_owned(), 159)]);
        let review = ReviewParams::builtin();
        let people = actors();
        let first = start(7, facts.clone(), jiff::Timestamp::UNIX_EPOCH);
        let mut events: Vec<Event> = vec![first];
        let mut case = Case::from_events(&events).expect("import");
        let mut today = day(0);
        let script = script();
        let mut next = 0;
        for (guided, who, action, advance) in steps {
            today = today.checked_add((advance * 4).days()).unwrap_or(today);
            let ctx = Context { today, routing: &routing, calendar: CalendarParams::builtin(), review, staff: &staff };
            let before = case.clone();
            let (who, action, scripted) = match script.get(next) {
                Some((w, a)) if guided < 7 => (*w, a.clone(), true),
                _ => (who, action, false),
            };
            match perform(&case, &people[who], action, &ctx, jiff::Timestamp::UNIX_EPOCH) {
                Ok(event) => {
                    next += usize::from(scripted);
                    prop_assert_eq!(event.version, case.version + 1);
                    prop_assert_eq!(event.on, Some(today));
                    prop_assert!(before.last_day.is_none_or(|last| today >= last), "the case's days never run backwards");
                    if matches!(event.action, Action::ProposeRevocation { .. } | Action::ApproveRevocation {} | Action::Uphold { .. }) {
                        prop_assert!(!before.in_person.pending(), "no decision before the citizen has met the board");
                    }
                    if let Action::SendPaymentNotice { kind, .. } = &event.action {
                        prop_assert_eq!(gennemgang_case::decide::payment_notice_due(&before), Some(*kind), "only a due notice");
                        if *kind == PaymentNoticeKind::Stop {
                            prop_assert!(before.letter.is_some(), "payment stops only once the revocation is notified");
                        }
                    }
                    if let Outcome::Decided { decided_on, .. } = event.outcome {
                        prop_assert_eq!(decided_on, today, "the decision date is the server's today");
                        prop_assert!(before.reopening_ground.is_some(), "only a reopened case is decided");
                        prop_assert!(before.deciding_municipality.is_some(), "decided by the deciding municipality");
                    }
                    if matches!(event.action, Action::ApproveRevocation {}) {
                        prop_assert!(before.meeting_on.is_none_or(|m| today >= m), "decided at the board's meeting, not before");
                        prop_assert!(before.proposal.as_ref().is_some_and(|p| p.proposed_on <= today), "approved after the proposal");
                        prop_assert_ne!(before.hearing_basis(), HearingBasis::Missing, "FVL § 19 on the approval date");
                        prop_assert_ne!(
                            before.proposal.as_ref().map(|p| p.proposer.as_str()),
                            Some(event.actor.user.as_str()),
                            "four eyes"
                        );
                    }
                    case.apply(&event);
                    events.push(event);
                }
                Err(_) => prop_assert_eq!(&case, &before, "a refused action changes nothing"),
            }
            if let Some(decision) = case.decision.as_ref().filter(|d| d.revoked) {
                let record = decision.record.as_ref().expect("a revocation records its inputs");
                prop_assert!(record.bars.is_empty());
                if !decision.on_reassessment {
                    prop_assert_eq!(record.inputs.decided_on, decision.decided_on);
                }
                prop_assert_ne!(Some(&decision.decided_by), decision.approved_by.as_ref(), "four eyes");
                prop_assert_eq!(facts.scheme, SchemeCode::Pl, "GFPL § 44");
                prop_assert!(facts.awarded_on >= date(2003, 1, 1), "only awards from 2003 are reviewed");
                prop_assert!(gennemgang_rules::date::age_on(facts.birth_date, decision.decided_on) < 60, "PL § 44, stk. 3");
                prop_assert!(!facts.protected_veteran, "PL § 44, stk. 5");
                prop_assert!(case.reopening_ground.is_some(), "phase 3 only after a reopening ground");
                prop_assert_ne!(record.inputs.hearing, HearingBasis::Missing, "FVL § 19");
                if let (Some(letter), Some(from)) = (case.letter, decision.effective_from) {
                    let notified = letter.notified_on.expect("notified");
                    prop_assert!(from > notified, "in force only after it reached the citizen");
                    prop_assert!(gennemgang_rules::date::age_on(facts.birth_date, notified) < 60, "PL § 44, stk. 3 at notification");
                }
            }
            if case.state == State::ClosedValidated {
                prop_assert!(case.decision.is_none() && case.reopening_ground.is_none());
            }
        }
        prop_assert_eq!(Case::from_events(&events).expect("history"), case, "state is the fold of the events");
        // Every event reads back from its stored form.
        for e in &events {
            let json = serde_json::to_string(e).expect("serialize");
            prop_assert_eq!(&serde_json::from_str::<Event>(&json).expect("parse"), e);
        }
    }
}

proptest! {
    /// The query scope of a user selects exactly the cases the policy lets the user see.
    #[test]
    fn scope_equals_can_see(facts in facts(), steps in prop::collection::vec((0_usize..7, action(), 0_i64..3), 0..40), who in 0_usize..7) {
        let routing = Routing::default();
        let staff = Staff::new([("sagsbeh".to_owned(), 159)]);
        let people = actors();
        let mut case = Case::from_events(&[start(7, facts, jiff::Timestamp::UNIX_EPOCH)]).expect("import");
        for (i, (w, action, _)) in steps.into_iter().enumerate() {
            let ctx = Context {
                today: day(i64::try_from(i).unwrap_or(0) * 3),
                routing: &routing,
                calendar: CalendarParams::builtin(),
                review: ReviewParams::builtin(),
                staff: &staff,
            };
            if let Ok(e) = perform(&case, &people[w], action, &ctx, jiff::Timestamp::UNIX_EPOCH) {
                case.apply(&e);
            }
        }
        let actor = &people[who];
        let in_scope = gennemgang_case::policy::scope(actor).is_some_and(|s| s.contains(&case));
        prop_assert_eq!(in_scope, gennemgang_case::policy::can_see(actor, &case));
    }
}

/// The guided path is itself valid: followed on the days it needs, it ends in a notified revocation, so the
/// random runs above reach phase 3 and its guards.
#[test]
fn the_guided_path_reaches_a_notified_revocation() {
    let routing = Routing::default();
    let staff = Staff::new([("sagsbeh".to_owned(), 159)]);
    let people = actors();
    let facts = CaseFacts { protected_veteran: false, ..facts_fixed() };
    let mut case = Case::from_events(&[start(7, facts, jiff::Timestamp::UNIX_EPOCH)]).expect("import");
    let days = [0, 0, 0, 0, 0, 0, 0, 20, 20, 21, 21, 22, 30, 30, 30, 30, 30, 30, 60];
    for ((who, action), d) in script().into_iter().zip(days) {
        let ctx = Context {
            today: day(d),
            routing: &routing,
            calendar: CalendarParams::builtin(),
            review: ReviewParams::builtin(),
            staff: &staff,
        };
        let name = action.name();
        let event = perform(&case, &people[who], action, &ctx, jiff::Timestamp::UNIX_EPOCH)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        case.apply(&event);
    }
    let decision = case.decision.expect("decided");
    assert!(decision.revoked && decision.effective_from.is_some() && case.letter.is_some());
}

fn facts_fixed() -> CaseFacts {
    CaseFacts {
        cpr: "0101800000".into(),
        birth_date: date(1980, 1, 1),
        awarded_on: date(2014, 1, 1),
        scheme: SchemeCode::Pl,
        municipality_code: 159,
        area_id: "A1".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: false,
        screening_reason: String::new(),
        citizen: gennemgang_case::facts::Citizen::default(),
    }
}
