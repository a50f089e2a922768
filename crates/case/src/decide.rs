//! Deciding whether an action is allowed in the case's state, under the law's guards; an accepted action
//! comes back completed with what it computed (deadlines, routing, the decision record).

use crate::action::{Action, Flag, Source};
use crate::actor::Actor;
use crate::case::{Case, Hearing, Interview, State};
use crate::facts::Routing;
use crate::guards::{DecisionRecord, GuardInputs, revocation_bars};
use crate::letter::LetterKind;
use gennemgang_rules::calendar::board::next_meeting;
use gennemgang_rules::calendar::deadline::{Kind, deadline};
use gennemgang_rules::calendar::params::CalendarParams;
use jiff::civil::Date;

/// What a decision needs from outside the case: today's date and the configuration.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Today (Europe/Copenhagen), for the 60-year rule and deadlines.
    pub today: Date,
    /// Region → deciding municipality.
    pub routing: &'a Routing,
    /// The deadline calendar.
    pub calendar: &'a CalendarParams,
}

/// Why an action is refused, in Danish for the caseworker.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseError {
    /// The action does not fit the case's state.
    #[error("Handlingen \"{action}\" kan ikke udføres, når sagen er i tilstanden \"{state}\": {why}")]
    NotNow {
        /// Action name.
        action: &'static str,
        /// State name.
        state: &'static str,
        /// What is missing.
        why: String,
    },
    /// A field is missing or wrong.
    #[error("Feltet {field}: {message}")]
    Invalid {
        /// Field name.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The law bars the decision; each bar names its §.
    #[error("Frakendelse er ikke mulig: {}", .0.join("; "))]
    Barred(Vec<String>),
    /// Four eyes: the approver must not be the proposer.
    #[error("Den, der har indstillet til frakendelse, kan ikke selv godkende eller afvise indstillingen (fire øjne)")]
    SameApprover,
    /// A deadline could not be computed.
    #[error("Fristen kan ikke beregnes: {0}")]
    Calendar(String),
}

fn not_now(case: &Case, action: &Action, why: impl Into<String>) -> CaseError {
    CaseError::NotNow { action: action.name(), state: case.state.name(), why: why.into() }
}

fn require_text(field: &'static str, text: &str) -> Result<(), CaseError> {
    if text.trim().is_empty() {
        Err(CaseError::Invalid { field, message: "må ikke være tom".into() })
    } else {
        Ok(())
    }
}

fn guard_inputs(case: &Case, decided_on: Date, uses_adverse_information: bool) -> GuardInputs {
    GuardInputs {
        scheme: case.facts.scheme,
        birth_date: case.facts.birth_date,
        awarded_on: case.facts.awarded_on,
        decided_on,
        protected_veteran: case.facts.protected_veteran,
        uses_adverse_information,
        hearing_completed: matches!(case.hearing, Hearing::Completed { .. }),
        reopening_ground: case.reopening_ground.is_some(),
    }
}

fn check_bars(inputs: &GuardInputs) -> Result<(), CaseError> {
    let bars = revocation_bars(inputs);
    if bars.is_empty() { Ok(()) } else { Err(CaseError::Barred(bars.iter().map(|b| b.danish().to_owned()).collect())) }
}

/// Checks `action` against the case's state and the law, and returns the action to record — completed with
/// computed deadlines, routing and the decision record. Who may act is [`crate::policy`]'s question.
///
/// # Errors
/// The action does not fit the state, a field is wrong, the law bars it, or four eyes are violated.
#[expect(clippy::too_many_lines, reason = "one arm per action keeps the whole state machine in one view")]
pub fn decide(case: &Case, actor: &Actor, action: Action, ctx: &Context<'_>) -> Result<Action, CaseError> {
    let state = case.state;
    let gone = case.flags.iter().any(|f| matches!(f, Flag::Died | Flag::LeftDenmark));
    let open = !matches!(state, State::Closed | State::ClosedNoGround);
    match &action {
        Action::Import { .. } => return Err(not_now(case, &action, "sagen findes allerede")),
        Action::RegisterFlag { .. } if open => {}
        Action::Close if open => {}
        _ if !open => return Err(not_now(case, &action, "sagen er lukket")),
        _ if gone => {
            return Err(not_now(case, &action, "borgeren er død eller udrejst; sagen kan kun lukkes"));
        }
        _ => {}
    }
    let reviewing = state == State::Reviewing;
    let reopened = state == State::Reopened;
    let under_decision = state == State::UnderDecision;
    match action {
        Action::Import { .. } | Action::RegisterFlag { .. } => Ok(action),
        Action::Assign { ref caseworker } => {
            require_text("caseworker", caseworker)?;
            if matches!(state, State::Unassigned | State::Reviewing | State::Reopened) {
                Ok(action)
            } else {
                Err(not_now(case, &action, "kun sager i fase 1 og 2 fordeles"))
            }
        }
        Action::RecordEvidence { source, ref summary, obtained_on } => {
            if !reviewing {
                return Err(not_now(case, &action, "oplysninger fra fase 1's kilder registreres under gennemgangen"));
            }
            if !Source::PHASE_1.contains(&source) || source == Source::Interview {
                return Err(CaseError::Invalid {
                    field: "source",
                    message: "brug de særskilte handlinger for samtale, helbredsoplysninger og arbejdsprøvning".into(),
                });
            }
            require_text("summary", summary)?;
            if obtained_on > ctx.today {
                return Err(CaseError::Invalid { field: "obtained_on", message: "ligger i fremtiden".into() });
            }
            Ok(action)
        }
        Action::Summon { interview_on } => {
            if !reviewing || !matches!(case.interview, Interview::NotSummoned | Interview::NoShow) {
                return Err(not_now(case, &action, "borgeren er allerede indkaldt eller samtalen er holdt"));
            }
            if interview_on < ctx.today {
                return Err(CaseError::Invalid { field: "interview_on", message: "ligger før i dag".into() });
            }
            Ok(action)
        }
        Action::HoldInterview { ref journal_note } => {
            if !reviewing || !matches!(case.interview, Interview::Summoned { .. }) {
                return Err(not_now(case, &action, "borgeren er ikke indkaldt"));
            }
            // Notatpligt (OFL § 13): what was said must be written down.
            require_text("journal_note", journal_note)?;
            Ok(action)
        }
        Action::RegisterNoShow => {
            if reviewing && matches!(case.interview, Interview::Summoned { .. }) {
                Ok(action)
            } else {
                Err(not_now(case, &action, "borgeren er ikke indkaldt"))
            }
        }
        Action::DecideOnExistingBasis { ref reason } => {
            if !reviewing || case.interview != Interview::NoShow {
                return Err(not_now(case, &action, "kun efter udeblivelse"));
            }
            require_text("reason", reason)?;
            Ok(action)
        }
        Action::AssessNoGround { ref reasons } => {
            if !reviewing || !matches!(case.interview, Interview::Held | Interview::ExistingBasis) {
                return Err(not_now(
                    case,
                    &action,
                    "vurderingen kræver en afholdt samtale eller en beslutning om at afgøre på det foreliggende grundlag",
                ));
            }
            require_text("reasons", reasons)?;
            Ok(action)
        }
        Action::AssessReopen { ref ground, ref evidence } => {
            if !reviewing || !matches!(case.interview, Interview::Held | Interview::ExistingBasis) {
                return Err(not_now(
                    case,
                    &action,
                    "vurderingen kræver en afholdt samtale eller en beslutning om at afgøre på det foreliggende grundlag",
                ));
            }
            require_text("ground", ground)?;
            if evidence.is_empty() {
                return Err(CaseError::Invalid {
                    field: "evidence",
                    message: "anledningen skal henvise til de oplysninger, den bygger på".into(),
                });
            }
            if let Some(bad) = evidence.iter().find(|&&i| i >= case.evidence.len()) {
                return Err(CaseError::Invalid {
                    field: "evidence",
                    message: format!("oplysning nr. {bad} findes ikke"),
                });
            }
            Ok(action)
        }
        Action::NotifyReopening { .. } if reopened => Ok(action),
        Action::RecordConsent { ref scope, .. } if reopened => {
            require_text("scope", scope)?;
            Ok(action)
        }
        Action::RecordHealthInformation { ref summary, ref obtained_from, .. } if reopened => {
            if case.consent != Some(true) {
                return Err(not_now(
                    case,
                    &action,
                    "helbredsoplysninger kræver borgerens samtykke (RSL § 11 a, stk. 1)",
                ));
            }
            require_text("summary", summary)?;
            require_text("obtained_from", obtained_from)?;
            Ok(action)
        }
        Action::RecordWorkTrial { from, to, ref place, ref outcome } if reopened => {
            if to < from {
                return Err(CaseError::Invalid { field: "to", message: "slutter før den begynder".into() });
            }
            require_text("place", place)?;
            require_text("outcome", outcome)?;
            Ok(action)
        }
        Action::StartHearing { adverse_information, sent_on, answer_days, .. } if reopened => {
            if matches!(case.hearing, Hearing::Pending { .. }) {
                return Err(not_now(
                    case,
                    &Action::StartHearing { adverse_information, sent_on, answer_days, answer_by: None },
                    "en partshøring er allerede i gang",
                ));
            }
            require_text("adverse_information", &adverse_information)?;
            let d = deadline(ctx.calendar, &ctx.calendar.board, Kind::Hearing { from: sent_on, days: answer_days })
                .map_err(|e| CaseError::Calendar(e.to_string()))?;
            Ok(Action::StartHearing { adverse_information, sent_on, answer_days, answer_by: Some(d.date) })
        }
        Action::CompleteHearing { ref answer, on } if reopened => {
            let Hearing::Pending { answer_by } = case.hearing else {
                return Err(not_now(case, &action, "der er ingen partshøring i gang"));
            };
            if answer.is_none() && on <= answer_by {
                return Err(CaseError::Invalid {
                    field: "answer",
                    message: format!(
                        "svarfristen udløber først {answer_by}; uden svar kan høringen afsluttes derefter"
                    ),
                });
            }
            Ok(action)
        }
        Action::SendToDeciding { .. } if reopened => {
            if case.notified_on.is_none() {
                return Err(not_now(case, &action, "borgeren er ikke orienteret om genåbningen"));
            }
            if matches!(case.hearing, Hearing::Pending { .. }) {
                return Err(not_now(case, &action, "partshøringen er ikke afsluttet"));
            }
            if case.reopening_ground.is_none() {
                return Err(not_now(case, &action, "sagen har ingen anledning til genåbning"));
            }
            let to = ctx.routing.deciding_for(case.home_municipality).ok_or_else(|| {
                not_now(case, &action, format!("ingen afgørelseskommune for kommune {}", case.home_municipality))
            })?;
            Ok(Action::SendToDeciding { deciding_municipality: Some(to) })
        }
        Action::Receive if state == State::SentToDeciding => Ok(action),
        Action::Validate { ref notes } if under_decision => {
            require_text("notes", notes)?;
            Ok(action)
        }
        Action::SendBack { ref reasons, .. } if under_decision => {
            if reasons.is_empty() {
                return Err(CaseError::Invalid { field: "reasons", message: "angiv mindst én grund".into() });
            }
            Ok(action)
        }
        Action::Schedule { meeting_on } if under_decision => match meeting_on {
            Some(day) if day < ctx.today => {
                Err(CaseError::Invalid { field: "meeting_on", message: "ligger før i dag".into() })
            }
            Some(_) => Ok(action),
            None => {
                // The pension board meets monthly, not in July (seed 004); the calendar holds its dates.
                let board = &ctx.calendar.board;
                let next = next_meeting(ctx.calendar, board, ctx.today, ctx.calendar.deadlines.board_prepare_days)
                    .map_err(|e| CaseError::Calendar(e.to_string()))?
                    .ok_or_else(|| not_now(case, &action, format!("{} har ingen kendte møder", board.name)))?;
                Ok(Action::Schedule { meeting_on: Some(next.date) })
            }
        },
        Action::RequestHearingInPerson if under_decision => Ok(action),
        Action::ProposeRevocation {
            ref reasons,
            decided_on,
            effective_from,
            keep_payment_months,
            uses_adverse_information,
        } if under_decision => {
            if !case.validated {
                return Err(not_now(case, &action, "sagen er ikke valideret"));
            }
            require_text("reasons", reasons)?;
            if keep_payment_months > 3 {
                return Err(CaseError::Invalid {
                    field: "keep_payment_months",
                    message: "højst 3 måneder (PL § 44, stk. 1)".into(),
                });
            }
            if effective_from < decided_on {
                return Err(CaseError::Invalid {
                    field: "effective_from",
                    message: "ligger før afgørelsesdatoen".into(),
                });
            }
            check_bars(&guard_inputs(case, decided_on, uses_adverse_information))?;
            Ok(action)
        }
        Action::ApproveRevocation { .. } | Action::RejectRevocation { .. } if state == State::AwaitingApproval => {
            let Some(proposal) = case.proposal.as_ref() else {
                return Err(not_now(case, &action, "der er ingen indstilling"));
            };
            if proposal.proposer == actor.user {
                return Err(CaseError::SameApprover);
            }
            match action {
                Action::ApproveRevocation { .. } => {
                    let inputs = guard_inputs(case, proposal.decided_on, proposal.uses_adverse_information);
                    check_bars(&inputs)?;
                    Ok(Action::ApproveRevocation { record: Some(DecisionRecord::new(inputs)) })
                }
                other => {
                    if let Action::RejectRevocation { ref reason } = other {
                        require_text("reason", reason)?;
                    }
                    Ok(other)
                }
            }
        }
        Action::Uphold { reasons, decided_on, .. } if under_decision => {
            if !case.validated {
                return Err(not_now(
                    case,
                    &Action::Uphold { reasons, decided_on, record: None },
                    "sagen er ikke valideret",
                ));
            }
            require_text("reasons", &reasons)?;
            let record = DecisionRecord::new(guard_inputs(case, decided_on, false));
            Ok(Action::Uphold { reasons, decided_on, record: Some(record) })
        }
        Action::SendDecisionLetter { sent_on, channel, .. } if state == State::Decided && case.letter.is_none() => {
            let d = complaint_deadline(ctx.calendar, sent_on, channel)?;
            Ok(Action::SendDecisionLetter { sent_on, channel, complaint_deadline: Some(d.date) })
        }
        Action::SendLetter { kind, channel, sent_on, ref message_id, ref document_sha256, .. } => {
            require_text("message_id", message_id)?;
            if document_sha256.len() != 64 || !document_sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(CaseError::Invalid {
                    field: "document_sha256", message: "skal være SHA-256 i hex".into()
                });
            }
            if case.letters.iter().any(|l| &l.message_id == message_id) {
                return Err(not_now(case, &action, "brevet er allerede sendt"));
            }
            if let Some(why) = letter_does_not_fit(case, kind) {
                return Err(not_now(case, &action, why));
            }
            // As for SendDecisionLetter: the deadline runs from any decision letter (closing waits for it).
            let complaint_deadline = if kind.is_decision() && case.decision.is_some() {
                Some(complaint_deadline(ctx.calendar, sent_on, channel)?.date)
            } else {
                None
            };
            let (message_id, document_sha256) = (message_id.clone(), document_sha256.clone());
            Ok(Action::SendLetter { kind, channel, sent_on, message_id, document_sha256, complaint_deadline })
        }
        Action::ReceiveComplaint { received_on, .. } if state == State::Decided => {
            let Some(letter) = case.letter else {
                return Err(not_now(case, &action, "afgørelsesbrevet er ikke sendt"));
            };
            let within = letter.complaint_deadline.map(|d| received_on <= d);
            let reassess = deadline(ctx.calendar, &ctx.calendar.board, Kind::Reassessment { from: received_on })
                .map_err(|e| CaseError::Calendar(e.to_string()))?;
            Ok(Action::ReceiveComplaint { received_on, within_deadline: within, reassess_by: Some(reassess.date) })
        }
        Action::Reassess { ref reasons, .. } if state == State::ComplaintReceived => {
            require_text("reasons", reasons)?;
            Ok(action)
        }
        Action::ForwardToAppealsBoard { .. } if state == State::Reassessed => Ok(action),
        Action::RecordAppealsOutcome { .. } if state == State::AtAppealsBoard => Ok(action),
        Action::Close => {
            if gone
                || (state == State::Decided
                    && case.letter.and_then(|l| l.complaint_deadline).is_some_and(|d| ctx.today > d))
            {
                Ok(action)
            } else {
                Err(not_now(case, &action, "sagen kan lukkes, når klagefristen er udløbet uden klage"))
            }
        }
        other => {
            let why = match other.name() {
                "notify_reopening"
                | "record_consent"
                | "record_health_information"
                | "record_work_trial"
                | "start_hearing"
                | "complete_hearing"
                | "send_to_deciding" => "handlingen hører til fase 2 (genåbning)",
                "receive" => "sagen er ikke sendt til afgørelse",
                "approve_revocation" | "reject_revocation" => "der er ingen indstilling til frakendelse",
                "send_decision_letter" => "der er ingen afgørelse, eller brevet er sendt",
                _ => "handlingen passer ikke til sagens tilstand",
            };
            Err(not_now(case, &other, why))
        }
    }
}

/// The actions the case's state can take next (before access and field checks), for offering forms.
#[must_use]
pub fn candidates(case: &Case) -> Vec<&'static str> {
    let gone = case.flags.iter().any(|f| matches!(f, Flag::Died | Flag::LeftDenmark));
    let mut out: Vec<&'static str> = match case.state {
        State::ClosedNoGround | State::Closed => return Vec::new(),
        _ if gone => return vec!["close"],
        State::Unassigned => vec!["assign"],
        State::Reviewing => {
            let mut v = vec!["assign", "record_evidence"];
            v.extend(match case.interview {
                Interview::NotSummoned => &["summon"][..],
                Interview::Summoned { .. } => &["hold_interview", "register_no_show"][..],
                Interview::NoShow => &["summon", "decide_on_existing_basis"][..],
                Interview::Held | Interview::ExistingBasis => &["assess_no_ground", "assess_reopen"][..],
            });
            v
        }
        State::Reopened => {
            let mut v = vec!["assign", "notify_reopening", "record_consent"];
            if case.consent == Some(true) {
                v.push("record_health_information");
            }
            v.push("record_work_trial");
            match case.hearing {
                Hearing::Pending { .. } => v.push("complete_hearing"),
                Hearing::None | Hearing::Completed { .. } => v.push("start_hearing"),
            }
            if case.notified_on.is_some() && !matches!(case.hearing, Hearing::Pending { .. }) {
                v.push("send_to_deciding");
            }
            v
        }
        State::SentToDeciding => vec!["receive"],
        State::UnderDecision => {
            let mut v = vec!["validate", "send_back", "schedule", "request_hearing_in_person"];
            if case.validated {
                v.extend(["propose_revocation", "uphold"]);
            }
            v
        }
        State::AwaitingApproval => vec!["approve_revocation", "reject_revocation"],
        State::Decided if case.letter.is_none() => vec!["send_decision_letter"],
        State::Decided => vec!["receive_complaint", "close"],
        State::ComplaintReceived => vec!["reassess"],
        State::Reassessed => vec!["forward_to_appeals_board"],
        State::AtAppealsBoard => vec!["record_appeals_outcome"],
    };
    out.dedup();
    out
}

/// Warnings a caseworker should see on the case today.
#[must_use]
pub fn warnings(case: &Case, today: Date) -> Vec<String> {
    let mut out = Vec::new();
    let sixty = case.facts.sixtieth_birthday();
    let open = !matches!(case.state, State::Closed | State::ClosedNoGround | State::Decided);
    if open && today < sixty && gennemgang_rules::date::add_months(today, 12) >= sixty {
        out.push(format!(
            "Borgeren fylder 60 år {}; derefter kan pensionen ikke frakendes (PL § 44, stk. 3)",
            gennemgang_rules::date::danish(sixty)
        ));
    }
    if open && today >= sixty {
        out.push("Borgeren er fyldt 60 år; pensionen kan ikke frakendes (PL § 44, stk. 3)".to_owned());
    }
    if let Hearing::Pending { answer_by } = case.hearing
        && today > answer_by
    {
        out.push(format!("Svarfristen i partshøringen udløb {answer_by}"));
    }
    if let Some(c) = case.complaint
        && let Some(by) = c.reassess_by
        && today > by
        && case.state == State::ComplaintReceived
    {
        out.push(format!("Genvurderingen skulle have været foretaget senest {by}"));
    }
    out
}

/// Why a letter of `kind` is not sent at the case's step, or `None` when it is. The steps are those of the
/// model: a summons while an interview is set, the reopening notice once reopened, a hearing while it runs,
/// the decision letter once (the complaint deadline runs from it), the complaint receipt after a complaint,
/// the forwarding once the complaint is with Ankestyrelsen.
#[must_use]
pub fn letter_does_not_fit(case: &Case, kind: LetterKind) -> Option<&'static str> {
    let decided_unsent = case.state == State::Decided && case.letter.is_none();
    let fits = match kind {
        LetterKind::Summons => matches!(case.interview, Interview::Summoned { .. }),
        LetterKind::Reopening => case.state == State::Reopened,
        LetterKind::Hearing => matches!(case.hearing, Hearing::Pending { .. }),
        LetterKind::DecisionRevocation => decided_unsent && case.decision.as_ref().is_some_and(|d| d.revoked),
        LetterKind::DecisionUpheld => {
            (decided_unsent && case.decision.as_ref().is_some_and(|d| !d.revoked))
                || case.state == State::ClosedNoGround
        }
        LetterKind::ComplaintReceipt => case.complaint.is_some(),
        LetterKind::Forwarding => case.state == State::AtAppealsBoard,
    };
    (!fits).then_some(match kind {
        LetterKind::Summons => "borgeren er ikke indkaldt til en samtale",
        LetterKind::Reopening => "sagen er ikke genåbnet",
        LetterKind::Hearing => "der kører ikke en partshøring",
        LetterKind::DecisionRevocation => "der er ingen afgørelse om frakendelse, eller brevet er sendt",
        LetterKind::DecisionUpheld => "pensionen er ikke fastholdt, eller brevet er sendt",
        LetterKind::ComplaintReceipt => "der er ikke modtaget en klage",
        LetterKind::Forwarding => "klagen er ikke sendt til Ankestyrelsen",
    })
}

/// The complaint deadline of a decision sent on `sent_on` by `channel`, with its reasoning: 4 weeks from
/// receipt (RSL § 67), a digital letter received the day it is available and a physical one on the 6th
/// delivery day (JM vejledning nr. 9533 af 26/6 2018). The case records it and the letter states it, from
/// this one function.
///
/// # Errors
/// The date is outside the calendar.
pub fn complaint_deadline(
    calendar: &CalendarParams,
    sent_on: Date,
    channel: crate::action::Channel,
) -> Result<gennemgang_rules::calendar::deadline::Deadline, CaseError> {
    deadline(calendar, &calendar.board, Kind::Complaint { sent: sent_on, channel: channel.into() })
        .map_err(|e| CaseError::Calendar(e.to_string()))
}
