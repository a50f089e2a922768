//! Random action sequences by random users: no sequence reaches a revocation the law bars, the approver is
//! never the proposer, every state change is an event, and the state is always the fold of the events.

use gennemgang_case::action::{Action, AppealsOutcome, Channel, Flag, ReassessOutcome, SendBackReason, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event};
use gennemgang_case::decide::Context;
use gennemgang_case::facts::{CaseFacts, Routing, SchemeCode};
use gennemgang_case::{perform, start};
use gennemgang_rules::calendar::params::CalendarParams;
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
    let d = (0_i64..400).prop_map(day);
    prop_oneof![
        Just(Action::Assign { caseworker: "sagsbeh".into() }),
        (prop::sample::select(Source::PHASE_1.to_vec()), text.clone(), d.clone())
            .prop_map(|(source, summary, obtained_on)| Action::RecordEvidence { source, summary, obtained_on }),
        d.clone().prop_map(|interview_on| Action::Summon { interview_on }),
        text.clone().prop_map(|journal_note| Action::HoldInterview { journal_note }),
        Just(Action::RegisterNoShow),
        text.clone().prop_map(|reason| Action::DecideOnExistingBasis { reason }),
        text.clone().prop_map(|reasons| Action::AssessNoGround { reasons }),
        (text.clone(), prop::collection::vec(0_usize..4, 0..3))
            .prop_map(|(ground, evidence)| Action::AssessReopen { ground, evidence }),
        d.clone().prop_map(|sent_on| Action::NotifyReopening { sent_on }),
        any::<bool>().prop_map(|granted| Action::RecordConsent { granted, scope: "læge".into() }),
        d.clone().prop_map(|obtained_on| Action::RecordHealthInformation {
            summary: "s".into(),
            obtained_from: "l".into(),
            obtained_on
        }),
        (d.clone(), text.clone()).prop_map(|(sent_on, adverse_information)| Action::StartHearing {
            adverse_information,
            sent_on,
            answer_days: None,
            answer_by: None
        }),
        (any::<bool>(), d.clone())
            .prop_map(|(answered, on)| Action::CompleteHearing { answer: answered.then(|| "svar".into()), on }),
        Just(Action::SendToDeciding { deciding_municipality: None }),
        Just(Action::Receive),
        text.clone().prop_map(|notes| Action::Validate { notes }),
        Just(Action::SendBack { reasons: vec![SendBackReason::HealthInformation], note: String::new() }),
        prop::option::of(d.clone()).prop_map(|meeting_on| Action::Schedule { meeting_on }),
        (d.clone(), 0_u8..5, any::<bool>()).prop_map(|(decided_on, keep_payment_months, uses_adverse_information)| {
            Action::ProposeRevocation {
                reasons: "r".into(),
                decided_on,
                effective_from: decided_on,
                keep_payment_months,
                uses_adverse_information,
            }
        }),
        Just(Action::ApproveRevocation { record: None }),
        Just(Action::RejectRevocation { reason: "nej".into() }),
        d.clone().prop_map(|decided_on| Action::Uphold { reasons: "r".into(), decided_on, record: None }),
        (d.clone(), any::<bool>()).prop_map(|(sent_on, digital)| Action::SendDecisionLetter {
            sent_on,
            channel: if digital { Channel::Digital } else { Channel::Physical },
            complaint_deadline: None
        }),
        d.clone().prop_map(|received_on| Action::ReceiveComplaint {
            received_on,
            within_deadline: None,
            reassess_by: None
        }),
        any::<bool>().prop_map(|m| Action::Reassess {
            outcome: if m { ReassessOutcome::Maintained } else { ReassessOutcome::Changed },
            reasons: "r".into(),
            on: day(100)
        }),
        Just(Action::ForwardToAppealsBoard { on: day(120) }),
        prop::sample::select(vec![AppealsOutcome::Upheld, AppealsOutcome::Changed, AppealsOutcome::Remitted])
            .prop_map(|outcome| Action::RecordAppealsOutcome { outcome, decided_on: day(200) }),
        Just(Action::RegisterFlag { flag: Flag::Turned60 }),
        Just(Action::Close),
    ]
}

fn facts() -> impl Strategy<Value = CaseFacts> {
    (0_i64..365 * 25, any::<bool>(), 0_u8..10).prop_map(|(born, gfpl, veteran)| CaseFacts {
        cpr: "0101800000".into(),
        birth_date: date(1966, 6, 1).checked_add(born.days()).unwrap_or(date(1966, 6, 1)),
        awarded_on: if gfpl { date(2001, 1, 1) } else { date(2014, 1, 1) },
        scheme: if gfpl { SchemeCode::Gfpl } else { SchemeCode::Pl },
        municipality_code: 159,
        area_id: "A1".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: veteran == 0,
        screening_reason: String::new(),
    })
}

/// The model's happy path as (actor, action); a guided step performs the next one, so that random runs
/// reach phase 3 and its guards often, while unguided steps try anything.
fn script(propose: &Action) -> Vec<(usize, Action)> {
    vec![
        (0, Action::Assign { caseworker: "sagsbeh".into() }),
        (1, Action::RecordEvidence { source: Source::IncomeRegister, summary: "løn".into(), obtained_on: day(0) }),
        (1, Action::Summon { interview_on: day(20) }),
        (1, Action::HoldInterview { journal_note: "note".into() }),
        (1, Action::AssessReopen { ground: "løn".into(), evidence: vec![0] }),
        (1, Action::NotifyReopening { sent_on: day(21) }),
        (
            1,
            Action::StartHearing {
                adverse_information: "løn".into(),
                sent_on: day(22),
                answer_days: None,
                answer_by: None,
            },
        ),
        (1, Action::CompleteHearing { answer: Some("svar".into()), on: day(30) }),
        (1, Action::SendToDeciding { deciding_municipality: None }),
        (2, Action::Receive),
        (2, Action::Validate { notes: "ok".into() }),
        (2, propose.clone()),
        (4, Action::ApproveRevocation { record: None }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn no_sequence_breaks_a_guard(
        facts in facts(),
        propose in (0_i64..365 * 14, any::<bool>()).prop_map(|(d, adverse)| Action::ProposeRevocation {
            reasons: "r".into(),
            decided_on: day(d),
            effective_from: day(d),
            keep_payment_months: 3,
            uses_adverse_information: adverse,
        }),
        steps in prop::collection::vec((0_u8..10, 0_usize..7, action(), 0_i64..3), 1..60),
    ) {
        let routing = Routing::default();
        let people = actors();
        let first = start(7, facts.clone(), jiff::Timestamp::UNIX_EPOCH);
        let mut events: Vec<Event> = vec![first];
        let mut case = Case::from_events(&events).expect("import");
        let mut today = day(0);
        let script = script(&propose);
        let mut next = 0;
        for (guided, who, action, advance) in steps {
            today = today.checked_add((advance * 5).days()).unwrap_or(today);
            let ctx = Context { today, routing: &routing, calendar: CalendarParams::builtin() };
            let before = case.clone();
            let (who, action, scripted) = match script.get(next) {
                Some((w, a)) if guided < 7 => (*w, a.clone(), true),
                _ => (who, action, false),
            };
            match perform(&case, &people[who], action, &ctx, jiff::Timestamp::UNIX_EPOCH) {
                Ok(event) => {
                    next += usize::from(scripted);
                    prop_assert_eq!(event.version, case.version + 1);
                    case.apply(&event);
                    events.push(event);
                }
                Err(_) => prop_assert_eq!(&case, &before, "a refused action changes nothing"),
            }
            if let Some(decision) = &case.decision && decision.revoked {
                let record = decision.record.as_ref().expect("a revocation records its inputs");
                prop_assert!(record.bars.is_empty());
                prop_assert_ne!(Some(&decision.decided_by), decision.approved_by.as_ref(), "four eyes");
                prop_assert_eq!(facts.scheme, SchemeCode::Pl, "GFPL § 44");
                prop_assert!(gennemgang_rules::date::age_on(facts.birth_date, decision.decided_on) < 60, "PL § 44, stk. 3");
                prop_assert!(!facts.protected_veteran, "PL § 44, stk. 5");
                prop_assert!(case.reopening_ground.is_some(), "phase 3 only after a reopening ground");
                if record.inputs.uses_adverse_information {
                    prop_assert!(record.inputs.hearing_completed, "FVL § 19");
                }
            }
        }
        prop_assert_eq!(Case::from_events(&events).expect("history"), case, "state is the fold of the events");
    }
}

proptest! {
    /// The query scope of a user selects exactly the cases the policy lets the user see.
    #[test]
    fn scope_equals_can_see(facts in facts(), steps in prop::collection::vec((0_usize..7, action(), 0_i64..3), 0..40), who in 0_usize..7) {
        let routing = Routing::default();
        let people = actors();
        let mut case = Case::from_events(&[start(7, facts, jiff::Timestamp::UNIX_EPOCH)]).expect("import");
        for (w, action, _) in steps {
            let ctx = Context { today: day(0), routing: &routing, calendar: CalendarParams::builtin() };
            if let Ok(e) = perform(&case, &people[w], action, &ctx, jiff::Timestamp::UNIX_EPOCH) {
                case.apply(&e);
            }
        }
        let actor = &people[who];
        let in_scope = gennemgang_case::policy::scope(actor).is_some_and(|s| s.contains(&case));
        prop_assert_eq!(in_scope, gennemgang_case::policy::can_see(actor, &case));
    }
}
