//! The rehabilitation team's recommendation and its re-presentation (seed 004), the board's sitting on a
//! decision, and the municipalities' processing deadlines (RSL § 3, stk. 2), each as a state of the case.

mod common;

use common::*;
use gennemgang_case::PerformError;
use gennemgang_case::action::{Action, ActionKind, Channel, Recommendation};
use gennemgang_case::case::{Case, Phase, State};
use gennemgang_case::decide::{CaseError, letter_does_not_fit, warnings};
use gennemgang_case::facts::{BoardSetup, ProcessingDeadlines};
use gennemgang_case::letter::LetterKind;
use gennemgang_case::processing::{REVIEW_START, processing_deadline};
use jiff::civil::date;

fn not_now_saying(r: &Result<(), PerformError>, words: &str) -> bool {
    matches!(r, Err(PerformError::Case(CaseError::NotNow { why, .. })) if why.contains(words))
}

fn recommend(recommendation: Recommendation, on: jiff::civil::Date) -> Action {
    Action::RecordRecommendation { recommendation, reasons: "Teamets vurdering af arbejdsevnen.".into(), met_on: on }
}

/// Gladsaxe presents its reopened cases to its team: up to the hearing, ready to send.
fn presented_world() -> World {
    let mut w = World::new(facts());
    w.routing.presents_to_team = vec![159];
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    w.on(date(2026, 12, 11));
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) });
    w.act(&worker(), Action::NoNewInformation { reason: "Indkomsten er oplyst.".into() });
    w
}

#[test]
fn a_municipality_that_presents_to_its_team_sends_nothing_on_without_the_recommendation() {
    let mut w = presented_world();
    let early = w.try_act(&worker(), Action::SendToDeciding {});
    assert!(not_now_saying(&early, "registrér teamets indstilling"), "{early:?}");
    // Not before the reopening, not in the future, and with the team's reasons.
    assert!(w.try_act(&worker(), recommend(Recommendation::Keep, date(2026, 12, 9))).is_err(), "before reopening");
    assert!(w.try_act(&worker(), recommend(Recommendation::Keep, date(2026, 12, 30))).is_err(), "in the future");
    let blank =
        Action::RecordRecommendation { recommendation: Recommendation::Keep, reasons: " ".into(), met_on: w.today };
    assert!(w.try_act(&worker(), blank).is_err());
    // Nor by an operator's clock set before the case's latest day.
    w.rewind(date(2026, 12, 10));
    assert!(w.try_act(&worker(), recommend(Recommendation::Keep, date(2026, 12, 10))).is_err(), "clock set back");
    w.on(date(2026, 12, 11));
    w.act(&worker(), recommend(Recommendation::Keep, date(2026, 12, 11)));
    // The recommendation is information the decision may rest on: listed as evidence, heard on.
    let last = w.case.evidence.last().expect("evidence");
    assert!(last.summary.contains("at førtidspensionen bevares"), "{}", last.summary);
    assert_eq!(w.case.hearing_basis(), gennemgang_case::guards::HearingBasis::Missing);
    w.act(&worker(), Action::SendToDeciding {});
    // A municipality that does not present its cases is not held to it (the review's parameter says so).
    let mut other = World::new(facts());
    through_phase_2(&mut other, true);
    assert_eq!(other.case.state, State::SentToDeciding);
}

#[test]
fn a_board_that_does_not_follow_the_recommendation_returns_the_case_to_the_team_and_tells_the_citizen_why() {
    let mut w = presented_world();
    w.act(&worker(), recommend(Recommendation::Keep, date(2026, 12, 11)));
    heard(&mut w, date(2026, 12, 14), Some("Jeg kan ikke mere."));
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    // The team recommends keeping the pension: no revocation is proposed against it, and none is offered.
    assert!(!w.candidates().contains(&ActionKind::ProposeRevocation));
    assert!(w.candidates().contains(&ActionKind::RePresent));
    let against = w.try_act(&decider(), propose());
    assert!(not_now_saying(&against, "genforelægges sagen for teamet"), "{against:?}");
    assert!(w.try_act(&decider(), Action::RePresent { reasons: " ".into() }).is_err(), "the citizen is told why");
    w.act(&decider(), Action::RePresent { reasons: "Lønindkomsten er ikke vurderet af teamet.".into() });
    assert_eq!((w.case.state, w.case.meeting_on, w.case.validated), (State::Reopened, None, false));
    // Back home: nothing goes on before the citizen has the letter saying why, and the team has spoken again.
    assert!(letter_does_not_fit(&w.case, LetterKind::RePresentation).is_none());
    let untold = w.try_act(&worker(), Action::SendToDeciding {});
    assert!(not_now_saying(&untold, "brev om genforelæggelsen"), "{untold:?}");
    w.on(date(2026, 12, 21));
    let told = Action::SendLetter {
        kind: LetterKind::RePresentation,
        channel: Channel::Digital,
        sent_on: date(2026, 12, 21),
        message_id: "genforelaeggelse-1".into(),
        document_sha256: "ab".repeat(32),
    };
    w.act(&worker(), told);
    assert!(letter_does_not_fit(&w.case, LetterKind::RePresentation).is_some(), "told once");
    let silent = w.try_act(&worker(), Action::SendToDeciding {});
    assert!(not_now_saying(&silent, "teamets nye indstilling"), "{silent:?}");
    w.on(date(2027, 1, 6));
    w.act(&worker(), recommend(Recommendation::Keep, date(2027, 1, 6)));
    assert_eq!(w.case.current_recommendation().map(|r| r.round), Some(1));
    heard(&mut w, date(2027, 1, 7), Some("Jeg fastholder."));
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    // Reassessed by the team after the re-presentation, the recommendation no longer binds: the board
    // decides, and is not offered another re-presentation.
    assert!(!w.candidates().contains(&ActionKind::RePresent));
    let again = w.try_act(&decider(), Action::RePresent { reasons: "Igen.".into() });
    assert!(not_now_saying(&again, "træffer nu afgørelse"), "{again:?}");
    w.act(&decider(), propose());
    w.act(&approver(), Action::ApproveRevocation {});
    assert_eq!(w.case.state, State::Decided);
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn a_recommendation_to_revoke_binds_an_uphold_in_the_same_way_and_the_review_can_require_the_team_of_all() {
    let mut w = presented_world();
    w.act(&worker(), recommend(Recommendation::Revoke, date(2026, 12, 11)));
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    assert!(!w.candidates().contains(&ActionKind::Uphold));
    let against = w.try_act(&decider(), Action::Uphold { reasons: "Arbejdsevnen er ikke forbedret.".into() });
    assert!(not_now_saying(&against, "at førtidspensionen frakendes"), "{against:?}");
    // The review's parameter, not a guess, says whether every municipality presents its cases.
    let mut review = gennemgang_rules::review::ReviewParams::builtin().clone();
    review.rehabilitation_team.required = true;
    let mut all = World::new(facts());
    through_phase_1(&mut all);
    all.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    all.act(&worker(), Action::NotifyReopening { sent_on: all.today });
    all.act(&worker(), Action::NoNewInformation { reason: "Oplyst.".into() });
    let ctx = gennemgang_case::decide::Context {
        today: all.today,
        routing: &all.routing,
        calendar: gennemgang_rules::calendar::params::CalendarParams::builtin(),
        review: &review,
        staff: &all.staff,
    };
    let refused =
        gennemgang_case::perform(&all.case, &worker(), Action::SendToDeciding {}, &ctx, jiff::Timestamp::UNIX_EPOCH);
    assert!(format!("{refused:?}").contains("rehabiliteringsteamet"), "{refused:?}");
}

#[test]
fn a_decision_at_a_meeting_records_the_board_and_its_members() {
    let mut w = World::new(facts());
    w.routing.boards.push(BoardSetup {
        municipality: 101,
        members: vec!["Teamleder, Jobcenter".into(), "Teamleder, Ydelsesservice".into()],
        prepare_days: 14,
        meetings: gennemgang_rules::calendar::params::CalendarParams::builtin().board.clone(),
    });
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.act(&decider(), Action::Schedule { meeting_on: None });
    let meeting = w.case.meeting_on.expect("scheduled");
    w.act(&decider(), propose());
    assert!(w.try_act(&approver(), Action::ApproveRevocation {}).is_err(), "decided at the meeting, not before");
    w.on(meeting);
    w.act(&approver(), Action::ApproveRevocation {});
    let sitting = w.case.decision.as_ref().and_then(|d| d.sitting.clone()).expect("sitting");
    assert_eq!(sitting.meeting_on, meeting);
    assert_eq!(sitting.members, ["Teamleder, Jobcenter", "Teamleder, Ydelsesservice"]);
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn each_phase_runs_on_the_responsible_municipalitys_published_deadline() {
    let mut w = World::new(facts());
    w.routing.placeholder = false;
    w.routing.deadlines = vec![
        ProcessingDeadlines {
            municipalities: Vec::new(),
            review_weeks: 13,
            reopening_weeks: 26,
            decision_weeks: 13,
            source: "alle".into(),
        },
        ProcessingDeadlines {
            municipalities: vec![101],
            review_weeks: 1,
            reopening_weeks: 1,
            decision_weeks: 6,
            source: "kk.dk".into(),
        },
    ];
    // Phase 1 runs from the start of the review, 1 December 2026 (the model), for 13 weeks.
    let d = processing_deadline(&w.case, &w.routing).expect("phase 1");
    assert_eq!((d.phase, d.municipality, d.since, d.due), (Phase::Review, 159, REVIEW_START, date(2027, 3, 2)));
    assert!(warnings(&w.case, &w.routing, date(2027, 3, 2)).iter().all(|x| !x.contains("Sagsbehandlingsfristen")));
    let late = warnings(&w.case, &w.routing, date(2027, 3, 3));
    assert!(
        late.iter().any(|x| x.contains("Sagsbehandlingsfristen er overskredet")
            && x.contains("retssikkerhedslovens § 3, stk. 2")
            && x.contains("2. marts 2027")),
        "{late:?}"
    );
    // Phase 2 from the day of the reopening, 26 weeks.
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    let d = processing_deadline(&w.case, &w.routing).expect("phase 2");
    assert_eq!((d.phase, d.since, d.due), (Phase::Reopening, date(2026, 12, 10), date(2027, 6, 10)));
    assert!(d.danish().contains("26 uger fra 10. december 2026"), "{}", d.danish());
    // Phase 3 on the deciding municipality's own deadline, from the day the case was sent.
    w.on(date(2026, 12, 11));
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) });
    w.act(&worker(), Action::NoNewInformation { reason: "Oplyst.".into() });
    w.on(date(2026, 12, 14));
    w.act(&worker(), Action::SendToDeciding {});
    let d = processing_deadline(&w.case, &w.routing).expect("phase 3");
    assert_eq!(
        (d.phase, d.municipality, d.since, d.due),
        (Phase::Decision, 101, date(2026, 12, 14), date(2027, 1, 25))
    );
    // Back home on a send-back, phase 2 runs again from that day.
    validated(&mut w);
    w.on(date(2026, 12, 17));
    w.act(
        &decider(),
        Action::SendBack { reasons: vec![gennemgang_case::action::SendBackReason::Other], note: "Mere.".into() },
    );
    let d = processing_deadline(&w.case, &w.routing).expect("phase 2 again");
    assert_eq!((d.phase, d.since), (Phase::Reopening, date(2026, 12, 17)));
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case, "the day a phase began is folded");
}

#[test]
fn a_later_screening_starts_phase_1_later_and_decided_cases_have_no_processing_deadline() {
    let w = World::new(gennemgang_case::facts::CaseFacts { screened_as_of: date(2027, 3, 1), ..facts() });
    let d = processing_deadline(&w.case, &w.routing).expect("phase 1");
    assert_eq!(d.since, date(2027, 3, 1));
    assert!(d.example && d.danish().contains("eksempel"), "the built-in weeks are marked as an example");
    let mut w = World::new(facts());
    through_phase_2(&mut w, true);
    validated(&mut w);
    w.act(&decider(), Action::Uphold { reasons: "Arbejdsevnen er ikke forbedret.".into() });
    assert_eq!(processing_deadline(&w.case, &w.routing), None);
}

#[test]
fn a_deadline_that_cannot_be_kept_is_told_to_the_citizen_with_a_new_date() {
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    // Phase 1's example deadline is 2 March 2027: a "new" date not after it keeps the deadline.
    let early = w.try_act(&worker(), Action::RecordDelay { expected_by: date(2027, 3, 2), reason: "Ventetid.".into() });
    assert!(matches!(early, Err(PerformError::Case(CaseError::Invalid { field: "expected_by", .. }))));
    assert!(w.try_act(&worker(), Action::RecordDelay { expected_by: date(2027, 4, 15), reason: " ".into() }).is_err());
    assert!(w.try_act(&decider(), Action::RecordDelay { expected_by: date(2027, 4, 15), reason: "x".into() }).is_err());
    w.act(
        &worker(),
        Action::RecordDelay { expected_by: date(2027, 4, 15), reason: "Vi venter på arbejdsgiveren.".into() },
    );
    assert!(letter_does_not_fit(&w.case, LetterKind::Delay).is_none());
    // Until the letter is sent the overdue warning stands; once told, only a passed new date warns.
    assert!(warnings(&w.case, &w.routing, date(2027, 3, 3)).iter().any(|x| x.contains("Sagsbehandlingsfristen")));
    w.act(
        &worker(),
        Action::SendLetter {
            kind: LetterKind::Delay,
            channel: Channel::Digital,
            sent_on: w.today,
            message_id: "forsinkelse-1".into(),
            document_sha256: "ab".repeat(32),
        },
    );
    assert!(letter_does_not_fit(&w.case, LetterKind::Delay).is_some(), "told once");
    assert!(warnings(&w.case, &w.routing, date(2027, 3, 3)).iter().all(|x| !x.contains("Sagsbehandlingsfristen")));
    let passed = warnings(&w.case, &w.routing, date(2027, 4, 16));
    assert!(passed.iter().any(|x| x.contains("senest 15. april 2027") && x.contains("§ 3, stk. 2")), "{passed:?}");
    // A new phase has its own deadline: the old delay does not cover it.
    w.act(&worker(), Action::AssessReopen { ground: "Lønindkomst.".into(), evidence: vec![1] });
    assert!(letter_does_not_fit(&w.case, LetterKind::Delay).is_some());
    assert_eq!(Case::from_events(&w.events).expect("history"), w.case);
}

#[test]
fn the_teams_first_recommendation_binds_until_the_board_itself_returns_the_case_to_the_team() {
    let mut w = presented_world();
    // Where the municipality presents to its team, going on is not offered before the recommendation.
    assert!(!w.candidates().contains(&ActionKind::SendToDeciding));
    w.act(&worker(), recommend(Recommendation::Keep, date(2026, 12, 11)));
    assert!(w.candidates().contains(&ActionKind::SendToDeciding));
    // One recommendation per presentation: a second, contrary one is not recorded nor offered.
    assert!(!w.candidates().contains(&ActionKind::RecordRecommendation));
    let second = w.try_act(&worker(), recommend(Recommendation::Revoke, date(2026, 12, 11)));
    assert!(not_now_saying(&second, "allerede afgivet sin indstilling"), "{second:?}");
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    // Sent back for more information, the case still rests on the team's first word: the home municipality
    // cannot replace it, and the board still cannot revoke against it.
    w.act(
        &decider(),
        Action::SendBack {
            reasons: vec![gennemgang_case::action::SendBackReason::WorkCapacity],
            note: "Arbejdsevnen er ikke belyst.".into(),
        },
    );
    let replaced = w.try_act(&worker(), recommend(Recommendation::Revoke, w.today));
    assert!(not_now_saying(&replaced, "allerede afgivet sin indstilling"), "{replaced:?}");
    w.on(date(2026, 12, 16));
    w.act(&worker(), Action::SendToDeciding {});
    validated(&mut w);
    assert_eq!(w.case.binding_recommendation(), Some(Recommendation::Keep));
    let against = w.try_act(&decider(), propose());
    assert!(not_now_saying(&against, "genforelægges sagen for teamet"), "{against:?}");
    // Returned to the team by the board: the new recommendation is from a meeting after the return.
    w.act(&decider(), Action::RePresent { reasons: "Lønindkomsten er ikke vurderet af teamet.".into() });
    w.on(date(2026, 12, 21));
    let before = w.try_act(&worker(), recommend(Recommendation::Revoke, date(2026, 12, 15)));
    assert!(
        matches!(&before, Err(PerformError::Case(CaseError::Invalid { field: "met_on", message })) if message.contains("genforelæggelsen")),
        "{before:?}"
    );
    w.act(&worker(), recommend(Recommendation::Revoke, date(2026, 12, 21)));
    assert_eq!(w.case.binding_recommendation(), None, "reassessed by the team, the board decides");
}

#[test]
fn a_text_of_invisible_marks_is_blank_and_a_direction_override_is_refused() {
    let mut w = presented_world();
    for (reasons, why) in [
        ("\u{200B}\u{200B}\u{FEFF}", "skal udfyldes"),
        ("Teamet \u{202E}tseb\u{202C} vurderer", "skriftretningen"),
        ("Teamet\u{2067} vurderer", "skriftretningen"),
        (&"Teamet vurderer. ".repeat(3_000), "højst 50.000 tegn"),
    ] {
        let r = w.try_act(
            &worker(),
            Action::RecordRecommendation {
                recommendation: Recommendation::Keep,
                reasons: reasons.into(),
                met_on: w.today,
            },
        );
        assert!(
            matches!(&r, Err(PerformError::Case(CaseError::Invalid { field: "reasons", message })) if message.contains(why)),
            "{reasons:?}: {r:?}"
        );
    }
    // Persian's zero-width non-joiner is writing, not decoration.
    let persian = "تیم می\u{200C}خواهد مستمری حفظ شود";
    w.act(
        &worker(),
        Action::RecordRecommendation { recommendation: Recommendation::Keep, reasons: persian.into(), met_on: w.today },
    );
}

#[test]
fn going_on_is_not_offered_where_the_routing_knows_no_deciding_municipality() {
    let mut w = World::new(facts());
    through_phase_1(&mut w);
    w.act(&worker(), Action::AssessNoGround { reasons: "Intet peger på ændret arbejdsevne.".into() });
    assert!(w.candidates().contains(&ActionKind::SendToDeciding));
    // A home municipality outside the routing (Christiansø, 411, is administered by the state).
    w.routing.deciding.clear();
    assert!(!w.candidates().contains(&ActionKind::SendToDeciding));
    assert!(w.try_act(&worker(), Action::SendToDeciding {}).is_err());
}
