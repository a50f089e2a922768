//! Histories recorded by the first release (computed values were fields of the actions) still fold:
//! `first-release-events.jsonl` holds the events of five cases exactly as that release stored them.

use gennemgang_case::action::Action;
use gennemgang_case::case::{Case, Event, Hearing, State};
use gennemgang_case::event::{Outcome, SCHEMA};
use jiff::civil::date;

fn history() -> Vec<Event> {
    include_str!("first-release-events.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn case(events: &[Event], id: i64) -> Case {
    let own: Vec<Event> = events.iter().filter(|e| e.case_id == id).cloned().collect();
    Case::from_events(&own).expect("folds")
}

#[test]
fn first_release_histories_fold_into_todays_cases() {
    let events = history();
    assert_eq!(events.len(), 41);
    // "No ground" was closed at home; in the model it is an assessment the deciding municipality validates.
    assert_eq!(case(&events, 1).state, State::AssessedNoGround);
    let revoked = case(&events, 2);
    assert_eq!(revoked.state, State::ComplaintReceived);
    let d = revoked.decision.expect("decision");
    assert!(d.revoked && d.decided_on == date(2027, 1, 20));
    assert_eq!(d.effective_from, Some(date(2027, 2, 1)), "the first release's chosen date of effect is kept");
    let record = d.record.expect("record");
    assert_eq!(record.inputs.hearing, gennemgang_case::guards::HearingBasis::Current);
    assert_eq!(revoked.deciding_municipality, Some(101));
    assert_eq!(revoked.complaint.and_then(|c| c.reassess_by), Some(date(2027, 3, 10)));
    assert!(matches!(case(&events, 3).hearing, Hearing::Pending { answer_by, .. } if answer_by == date(2026, 12, 21)));
    assert_eq!(case(&events, 4).state, State::UnderDecision);
    assert_eq!(case(&events, 5).state, State::Unassigned);
    // The computed values became outcomes, and the events read back in today's shape.
    let approve = events.iter().find(|e| matches!(e.action, Action::ApproveRevocation {})).expect("approval");
    assert!(matches!(approve.outcome, Outcome::Decided { decided_on, .. } if decided_on == date(2027, 1, 20)));
    for e in &events {
        assert_eq!(e.schema, SCHEMA);
        let again: Event = serde_json::from_str(&serde_json::to_string(e).expect("json")).expect("parse");
        assert_eq!(&again, e);
    }
}
