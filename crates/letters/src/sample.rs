//! A built-in fictitious case (`gennemgang letter --sample`), taken through the review with the case
//! crate's own rules, so that anyone can see every letter without a database. The citizen's CPR number is
//! fictitious (day 61: a substitute number that cannot belong to a real person).

use crate::model::LetterKind;
use gennemgang_case::action::{Action, Channel, ReassessOutcome, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event};
use gennemgang_case::decide::{Context, Staff};
use gennemgang_case::facts::{Address, CaseFacts, Citizen, Routing, SchemeCode};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::review::ReviewParams;
use jiff::civil::{Date, date};

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
        citizen: Citizen {
            name: "Amina Yusuf Hassan".into(),
            address: Some(Address {
                street: "Bøgeparken 12, 3. tv".into(),
                postcode: "2860".into(),
                city: "Søborg".into(),
            }),
            address_protected: false,
        },
    }
}

type Step = (Date, Actor, Action, Option<LetterKind>);

fn people() -> [Actor; 4] {
    [
        actor("leder159", Role::HomeTeamLead, 159),
        actor("sagsbehandler159", Role::HomeCaseworker, 159),
        actor("afgoerelse101", Role::DecidingCaseworker, 101),
        actor("attestant101", Role::DecidingApprover, 101),
    ]
}

/// Phase 1 up to the interview: assigned, the checklist gone through, the citizen summoned and heard.
fn phase_1(income: &str, note: &str) -> Vec<Step> {
    let [lead, worker, ..] = people();
    let d = date(2026, 12, 7);
    let mut steps = vec![
        (d, lead, Action::Assign { caseworker: "sagsbehandler159".into() }, None),
        (
            d,
            worker.clone(),
            Action::RecordEvidence {
                source: Source::IncomeRegister,
                summary: income.into(),
                obtained_on: date(2026, 12, 2),
            },
            None,
        ),
    ];
    for source in [Source::PensionCase, Source::OtherAdministration, Source::PublicActivity, Source::CriminalRecord] {
        let reason = "Gennemgået; intet nyt af betydning for arbejdsevnen.";
        steps.push((d, worker.clone(), Action::MarkNotRelevant { source, reason: reason.into() }, None));
    }
    steps.push((d, worker.clone(), Action::Summon { interview_on: date(2026, 12, 10) }, Some(LetterKind::Summons)));
    steps.push((date(2026, 12, 10), worker, Action::HoldInterview { journal_note: note.into() }, None));
    steps
}

/// The steps of the sample that ends in a revocation and a complaint, in order, each on its day and with the
/// letter that follows it (if any).
fn revocation_path() -> Vec<Step> {
    let [_, worker, decider, approver] = people();
    let mut steps = phase_1(
        "Lønindkomst i 2025 på 182.000 kr. fra et rengøringsfirma, ca. 20 timer om ugen",
        "Borgeren oplyste at have arbejdet 20 timer om ugen siden marts 2025 uden gener.",
    );
    steps.extend([
        (
            date(2026, 12, 10),
            worker.clone(),
            Action::AssessReopen {
                ground: "Indkomstregistret og samtalen viser, at du siden marts 2025 har arbejdet ca. 20 timer om ugen. Det kan betyde, at din arbejdsevne er blevet væsentligt og varigt bedre.".into(),
                evidence: vec![0],
            },
            Some(LetterKind::Reopening),
        ),
        (date(2026, 12, 10), worker.clone(), Action::NotifyReopening { sent_on: date(2026, 12, 10) }, None),
        (
            date(2026, 12, 10),
            worker.clone(),
            Action::RecordWorkTrial {
                from: date(2026, 10, 5),
                to: date(2026, 11, 27),
                place: "Virksomhed A (rengøring)".into(),
                outcome: "Arbejdede 25 timer om ugen i 8 uger uden fravær".into(),
            },
            None,
        ),
        (
            date(2026, 12, 10),
            worker.clone(),
            Action::StartHearing {
                adverse_information: "Lønindkomsten i 2025 og arbejdsprøvningen i Virksomhed A, hvor du arbejdede 25 timer om ugen i 8 uger uden fravær.".into(),
                sent_on: date(2026, 12, 10),
                answer_days: None,
            },
            Some(LetterKind::Hearing),
        ),
        (
            date(2026, 12, 14),
            worker.clone(),
            Action::CompleteHearing { answer: Some("Jeg kan ikke arbejde mere end 20 timer.".into()), on: date(2026, 12, 14), document: None },
            None,
        ),
        (date(2026, 12, 14), worker, Action::SendToDeciding {}, None),
        (date(2026, 12, 15), decider.clone(), Action::Receive {}, None),
        (date(2026, 12, 15), decider.clone(), Action::Validate { notes: "Sagen er tilstrækkeligt oplyst.".into() }, None),
        (
            date(2026, 12, 21),
            decider.clone(),
            Action::ProposeRevocation {
                reasons: "Du har i 2025 arbejdet ca. 20 timer om ugen og i arbejdsprøvningen 25 timer om ugen i 8 uger uden fravær. Vi vurderer, at din arbejdsevne er forbedret væsentligt og varigt, så du kan forsørge dig selv ved arbejde, fx i et fleksjob eller på ordinære vilkår med støtte. Dit svar i partshøringen ændrer ikke vurderingen, fordi arbejdsprøvningen viser mere end 20 timer om ugen.".into(),
                keep_payment_months: 3,
            },
            None,
        ),
        (date(2026, 12, 22), approver, Action::ApproveRevocation {}, Some(LetterKind::DecisionRevocation)),
        (
            date(2026, 12, 22),
            decider.clone(),
            Action::SendDecisionLetter { sent_on: date(2026, 12, 22), channel: Channel::Physical },
            None,
        ),
        (
            date(2027, 1, 11),
            decider.clone(),
            Action::ReceiveComplaint { received_on: date(2027, 1, 11) },
            Some(LetterKind::ComplaintReceipt),
        ),
        (
            date(2027, 1, 20),
            decider.clone(),
            Action::Reassess {
                outcome: ReassessOutcome::Maintained,
                reasons: "Klagen indeholder ikke nye oplysninger om din arbejdsevne.".into(),
                keep_payment_months: None,
            },
            None,
        ),
        (date(2027, 1, 20), decider, Action::ForwardToAppealsBoard {}, Some(LetterKind::Forwarding)),
    ]);
    steps
}

/// Phase 1 up to the summons, when the citizen asks to see the case; the request is answered in full.
fn access_path() -> Vec<Step> {
    let [_, worker, _, _] = people();
    let mut steps: Vec<Step> = revocation_path()
        .into_iter()
        .take_while(|(_, _, action, _)| !matches!(action, Action::HoldInterview { .. }))
        .collect();
    steps.extend([
        (date(2026, 12, 8), worker.clone(), Action::RegisterAccessRequest { scope: "Hele min sag".into() }, None),
        (
            date(2026, 12, 10),
            worker,
            Action::AnswerAccessRequest { withheld: Vec::new() },
            Some(LetterKind::AccessAnswer),
        ),
    ]);
    steps
}

/// The revocation path up to validation, then put before the board, where the citizen asks to meet it.
fn in_person_path() -> Vec<Step> {
    let [_, _, decider, _] = people();
    let mut steps: Vec<Step> = revocation_path()
        .into_iter()
        .take_while(|(_, _, action, _)| !matches!(action, Action::ProposeRevocation { .. }))
        .collect();
    steps.extend([
        (date(2026, 12, 16), decider.clone(), Action::Schedule { meeting_on: None }, None),
        (date(2026, 12, 16), decider, Action::RequestHearingInPerson {}, Some(LetterKind::InPersonInvitation)),
    ]);
    steps
}

/// A reopened case that ends with the pension kept: a decision on the reopened case.
fn upheld_path() -> Vec<Step> {
    let [_, worker, decider, _] = people();
    let mut steps = phase_1(
        "Lønindkomst i 2025 på 40.000 kr. fra en kortvarig ansættelse",
        "Borgeren forsøgte at arbejde 8 timer om ugen i foråret 2025, men måtte stoppe efter tre måneder.",
    );
    steps.extend([
        (
            date(2026, 12, 10),
            worker.clone(),
            Action::AssessReopen {
                ground: "Indkomstregistret viser lønindkomst i 2025, som skal undersøges nærmere.".into(),
                evidence: vec![0],
            },
            None,
        ),
        (date(2026, 12, 11), worker.clone(), Action::NotifyReopening { sent_on: date(2026, 12, 11) }, None),
        (
            date(2027, 1, 11),
            worker.clone(),
            Action::RecordInformation {
                summary: "Arbejdsgiveren oplyser, at ansættelsen ophørte på grund af borgerens helbred".into(),
                obtained_from: "tidligere arbejdsgiver".into(),
                obtained_on: date(2027, 1, 11),
            },
            None,
        ),
        (date(2027, 1, 11), worker, Action::SendToDeciding {}, None),
        (date(2027, 1, 12), decider.clone(), Action::Receive {}, None),
        (date(2027, 1, 12), decider.clone(), Action::Validate { notes: "Sagen er tilstrækkeligt oplyst.".into() }, None),
        (
            date(2027, 1, 14),
            decider,
            Action::Uphold {
                reasons: "Ansættelsen i 2025 ophørte efter tre måneder på grund af dit helbred. Der er ikke oplysninger om, at din arbejdsevne er forbedret væsentligt og varigt.".into(),
            },
            Some(LetterKind::DecisionUpheld),
        ),
    ]);
    steps
}

/// A reopened case the team recommends revoking and the board cannot decide on without the team seeing it
/// again: re-presented, and the citizen told why.
fn re_presentation_path() -> Vec<Step> {
    let [_, worker, decider, _] = people();
    let mut steps = phase_1(
        "Lønindkomst i 2025 på 40.000 kr. fra en kortvarig ansættelse",
        "Borgeren forsøgte at arbejde 8 timer om ugen i foråret 2025, men måtte stoppe efter tre måneder.",
    );
    steps.extend([
        (
            date(2026, 12, 10),
            worker.clone(),
            Action::AssessReopen {
                ground: "Indkomstregistret viser lønindkomst i 2025, som skal undersøges nærmere.".into(),
                evidence: vec![0],
            },
            None,
        ),
        (date(2026, 12, 11), worker.clone(), Action::NotifyReopening { sent_on: date(2026, 12, 11) }, None),
        (
            date(2027, 1, 7),
            worker.clone(),
            Action::RecordRecommendation {
                recommendation: gennemgang_case::action::Recommendation::Revoke,
                reasons: "Ansættelsen i 2025 viser, at borgeren kan arbejde nogle timer om ugen.".into(),
                met_on: date(2027, 1, 7),
            },
            None,
        ),
        (date(2027, 1, 11), worker, Action::SendToDeciding {}, None),
        (date(2027, 1, 12), decider.clone(), Action::Receive {}, None),
        (date(2027, 1, 12), decider.clone(), Action::Validate { notes: "Sagen er tilstrækkeligt oplyst.".into() }, None),
        (
            date(2027, 1, 14),
            decider,
            Action::RePresent {
                reasons: "Ansættelsen i 2025 ophørte efter tre måneder på grund af dit helbred. Nævnet finder ikke, at den viser en væsentlig og varig forbedring af din arbejdsevne, og beder teamet vurdere sagen igen med de helbredsoplysninger, der er kommet siden.".into(),
            },
            Some(LetterKind::RePresentation),
        ),
    ]);
    steps
}

/// Phase 1 cannot be finished within the municipality's deadline: the citizen is told when to expect it.
fn delay_path() -> Vec<Step> {
    let [_, worker, _, _] = people();
    let mut steps = phase_1("Lønindkomst i 2025", "Borgeren har arbejdet lidt i 2025.");
    steps.push((
        date(2026, 12, 10),
        worker,
        Action::RecordDelay {
            expected_by: date(2027, 4, 15),
            reason: "Vi venter på oplysninger fra din tidligere arbejdsgiver, som vi har bedt om flere gange.".into(),
        },
        Some(LetterKind::Delay),
    ));
    steps
}

/// No ground to reopen, validated by the deciding municipality: the review closes without a decision.
fn review_closed_path() -> Vec<Step> {
    let [_, worker, decider, _] = people();
    let mut steps = phase_1("Ingen lønindkomst siden tilkendelsen", "Borgeren har ikke arbejdet siden 2015.");
    steps.extend([
        (
            date(2026, 12, 10),
            worker.clone(),
            Action::AssessNoGround {
                reasons: "Indkomstregistret viser ingen indkomst fra arbejde siden tilkendelsen, og samtalen gav ingen oplysninger om, at din arbejdsevne er blevet bedre. Der er derfor ikke en konkret og saglig anledning til at genåbne sagen.".into(),
            },
            None,
        ),
        (date(2026, 12, 10), worker, Action::SendToDeciding {}, None),
        (date(2026, 12, 14), decider.clone(), Action::Receive {}, None),
        (
            date(2026, 12, 14),
            decider,
            Action::Validate { notes: "Vurderingen er velbegrundet; sagen afsluttes uden genåbning.".into() },
            Some(LetterKind::ReviewClosed),
        ),
    ]);
    steps
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

/// The sample case at the step where `kind` is sent, with its history and the day it got there (a letter
/// of the sample is dated that day).
///
/// # Errors
/// The sample breaks a rule of the case crate (a test guards against this).
pub fn sample(kind: LetterKind) -> Result<(Case, Vec<Event>, Date), SampleError> {
    let path = match kind {
        LetterKind::DecisionUpheld => upheld_path(),
        LetterKind::ReviewClosed => review_closed_path(),
        LetterKind::InPersonInvitation => in_person_path(),
        LetterKind::RePresentation => re_presentation_path(),
        LetterKind::Delay => delay_path(),
        LetterKind::AccessAnswer => access_path(),
        LetterKind::Summons
        | LetterKind::Reopening
        | LetterKind::Hearing
        | LetterKind::DecisionRevocation
        | LetterKind::ComplaintReceipt
        | LetterKind::Forwarding => revocation_path(),
    };
    let mut wanted = Vec::new();
    for (day, who, action, letter) in path {
        wanted.push((day, who, action));
        if letter == Some(kind) {
            break;
        }
    }
    replay(wanted)
}

fn replay(steps: Vec<(Date, Actor, Action)>) -> Result<(Case, Vec<Event>, Date), SampleError> {
    let routing = Routing::default();
    let staff = Staff::new([("sagsbehandler159".to_owned(), 159)]);
    let first = gennemgang_case::start(1, facts(), jiff::Timestamp::UNIX_EPOCH);
    let mut case = Case::from_events(std::slice::from_ref(&first))
        .map_err(|e| SampleError { action: "import", why: e.to_string() })?;
    let mut events = vec![first];
    let mut today = date(2026, 12, 7);
    for (day, who, action) in steps {
        today = day;
        let ctx = Context {
            today,
            routing: &routing,
            calendar: CalendarParams::builtin(),
            review: ReviewParams::builtin(),
            staff: &staff,
        };
        let name = action.name();
        let event = gennemgang_case::perform(&case, &who, action, &ctx, jiff::Timestamp::UNIX_EPOCH)
            .map_err(|e| SampleError { action: name, why: e.to_string() })?;
        case.apply(&event);
        events.push(event);
    }
    Ok((case, events, today))
}
