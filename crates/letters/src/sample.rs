//! A built-in fictitious case (`gennemgang letter --sample`), taken through the review with the case
//! crate's own rules, so that anyone can see every letter without a database. The citizen's CPR number is
//! fictitious (day 61: a substitute number that cannot belong to a real person).

use crate::model::LetterKind;
use gennemgang_case::action::{Action, Channel, ReassessOutcome, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event};
use gennemgang_case::decide::Context;
use gennemgang_case::facts::{CaseFacts, Routing, SchemeCode};
use gennemgang_rules::calendar::params::CalendarParams;
use jiff::civil::date;

fn actor(user: &str, role: Role, municipality: u16) -> Actor {
    Actor { user: user.into(), role, municipality: Some(municipality) }
}

/// The sample case's facts: Gladsaxe, PL pension awarded 2015, born 1980.
#[must_use]
pub fn facts() -> CaseFacts {
    CaseFacts {
        cpr: "6105801001".into(),
        birth_date: date(1980, 5, 1),
        awarded_on: date(2015, 6, 1),
        scheme: SchemeCode::Pl,
        municipality_code: 159,
        area_id: "A0001".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: false,
        screening_reason: String::new(),
    }
}

/// The steps of the sample, in order, each with the letter that follows it (if any).
fn steps() -> Vec<(Actor, Action, Option<LetterKind>)> {
    let lead = actor("leder159", Role::HomeTeamLead, 159);
    let worker = actor("sagsbehandler159", Role::HomeCaseworker, 159);
    let decider = actor("afgoerelse101", Role::DecidingCaseworker, 101);
    let approver = actor("attestant101", Role::DecidingApprover, 101);
    vec![
        (lead, Action::Assign { caseworker: "sagsbehandler159".into() }, None),
        (
            worker.clone(),
            Action::RecordEvidence {
                source: Source::IncomeRegister,
                summary: "Lønindkomst i 2025 på 182.000 kr. fra et rengøringsfirma, ca. 20 timer om ugen".into(),
                obtained_on: date(2026, 12, 2),
            },
            None,
        ),
        (worker.clone(), Action::Summon { interview_on: date(2026, 12, 10) }, Some(LetterKind::Summons)),
        (
            worker.clone(),
            Action::HoldInterview {
                journal_note: "Borgeren oplyste at have arbejdet 20 timer om ugen siden marts 2025 uden gener.".into(),
            },
            None,
        ),
        (
            worker.clone(),
            Action::AssessReopen {
                ground: "Indkomstregistret og samtalen viser, at du siden marts 2025 har arbejdet ca. 20 timer om ugen. Det kan betyde, at din arbejdsevne er blevet væsentligt og varigt bedre.".into(),
                evidence: vec![0],
            },
            Some(LetterKind::Reopening),
        ),
        (worker.clone(), Action::NotifyReopening { sent_on: date(2026, 12, 11) }, None),
        (
            worker.clone(),
            Action::RecordWorkTrial {
                from: date(2027, 1, 4),
                to: date(2027, 2, 26),
                place: "Virksomhed A (rengøring)".into(),
                outcome: "Arbejdede 25 timer om ugen i 8 uger uden fravær".into(),
            },
            None,
        ),
        (
            worker.clone(),
            Action::StartHearing {
                adverse_information: "Lønindkomsten i 2025 og arbejdsprøvningen i Virksomhed A, hvor du arbejdede 25 timer om ugen i 8 uger uden fravær.".into(),
                sent_on: date(2027, 3, 1),
                answer_days: None,
                answer_by: None,
            },
            Some(LetterKind::Hearing),
        ),
        (
            worker.clone(),
            Action::CompleteHearing { answer: Some("Jeg kan ikke arbejde mere end 20 timer.".into()), on: date(2027, 3, 10) },
            None,
        ),
        (worker, Action::SendToDeciding { deciding_municipality: None }, None),
        (decider.clone(), Action::Receive, None),
        (decider.clone(), Action::Validate { notes: "Sagen er tilstrækkeligt oplyst.".into() }, None),
        (
            decider.clone(),
            Action::ProposeRevocation {
                reasons: "Du har i 2025 arbejdet ca. 20 timer om ugen og i arbejdsprøvningen 25 timer om ugen i 8 uger uden fravær. Vi vurderer, at din arbejdsevne er forbedret væsentligt og varigt, så du kan forsørge dig selv ved arbejde, fx i et fleksjob eller på ordinære vilkår med støtte. Dit svar i partshøringen ændrer ikke vurderingen, fordi arbejdsprøvningen viser mere end 20 timer om ugen.".into(),
                decided_on: date(2027, 3, 18),
                effective_from: date(2027, 5, 1),
                keep_payment_months: 3,
                uses_adverse_information: true,
            },
            None,
        ),
        (approver, Action::ApproveRevocation { record: None }, Some(LetterKind::DecisionRevocation)),
        (
            decider.clone(),
            Action::SendDecisionLetter { sent_on: date(2027, 3, 19), channel: Channel::Digital, complaint_deadline: None },
            None,
        ),
        (
            decider.clone(),
            Action::ReceiveComplaint { received_on: date(2027, 4, 12), within_deadline: None, reassess_by: None },
            Some(LetterKind::ComplaintReceipt),
        ),
        (
            decider.clone(),
            Action::Reassess {
                outcome: ReassessOutcome::Maintained,
                reasons: "Klagen indeholder ikke nye oplysninger om din arbejdsevne.".into(),
                on: date(2027, 4, 30),
            },
            None,
        ),
        (decider, Action::ForwardToAppealsBoard { on: date(2027, 4, 30) }, Some(LetterKind::Forwarding)),
    ]
}

/// Why the sample could not be built (never expected: it is tested).
#[derive(Debug, thiserror::Error)]
#[error("the sample case breaks a rule at \"{action}\": {why}")]
pub struct SampleError {
    /// The action.
    pub action: &'static str,
    /// The refusal.
    pub why: String,
}

/// The sample case at the step where `kind` is sent, with its history.
///
/// # Errors
/// The sample breaks a rule of the case crate (a test guards against this).
pub fn sample(kind: LetterKind) -> Result<(Case, Vec<Event>), SampleError> {
    let routing = Routing::default();
    let ctx = Context { today: date(2026, 12, 7), routing: &routing, calendar: CalendarParams::builtin() };
    if kind == LetterKind::DecisionUpheld {
        let lead = actor("leder159", Role::HomeTeamLead, 159);
        let worker = actor("sagsbehandler159", Role::HomeCaseworker, 159);
        return replay(
            &ctx,
            vec![
                (lead, Action::Assign { caseworker: "sagsbehandler159".into() }),
                (
                    worker.clone(),
                    Action::RecordEvidence {
                        source: Source::IncomeRegister,
                        summary: "Ingen lønindkomst siden tilkendelsen".into(),
                        obtained_on: date(2026, 12, 2),
                    },
                ),
                (worker.clone(), Action::Summon { interview_on: date(2026, 12, 10) }),
                (worker.clone(), Action::HoldInterview { journal_note: "Borgeren har ikke arbejdet siden 2015.".into() }),
                (
                    worker,
                    Action::AssessNoGround {
                        reasons: "Indkomstregistret viser ingen indkomst fra arbejde siden tilkendelsen, og samtalen gav ingen oplysninger om, at din arbejdsevne er blevet bedre. Der er derfor ikke en konkret og saglig anledning til at genåbne sagen.".into(),
                    },
                ),
            ],
        );
    }
    let mut wanted = Vec::new();
    for (who, action, letter) in steps() {
        wanted.push((who, action));
        if letter == Some(kind) {
            break;
        }
    }
    replay(&ctx, wanted)
}

fn replay(ctx: &Context<'_>, steps: Vec<(Actor, Action)>) -> Result<(Case, Vec<Event>), SampleError> {
    let first = gennemgang_case::start(1, facts(), jiff::Timestamp::UNIX_EPOCH);
    let mut case = Case::from_events(std::slice::from_ref(&first))
        .map_err(|e| SampleError { action: "import", why: e.to_string() })?;
    let mut events = vec![first];
    for (who, action) in steps {
        let name = action.name();
        let event = gennemgang_case::perform(&case, &who, action, ctx, jiff::Timestamp::UNIX_EPOCH)
            .map_err(|e| SampleError { action: name, why: e.to_string() })?;
        case.apply(&event);
        events.push(event);
    }
    Ok((case, events))
}
