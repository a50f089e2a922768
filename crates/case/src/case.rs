//! The case aggregate: its state is a fold over its events, and nothing else changes it.

use crate::action::{Action, AppealsOutcome, Channel, Flag, ReassessOutcome, Source};
use crate::actor::Actor;
use crate::facts::CaseFacts;
use crate::guards::DecisionRecord;
use crate::letter::SentLetter;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The model's phases (seed 000's table), plus what follows a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Phase 1: systematic review (home municipality).
    Review,
    /// Phase 2: reopening (home municipality).
    Reopening,
    /// Phase 3: decision (deciding municipality).
    Decision,
    /// After the decision: letter, complaint, reassessment, Ankestyrelsen.
    AfterDecision,
    /// Closed.
    Closed,
}

impl Phase {
    /// The name used in files and the API.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Phase::Review => "review",
            Phase::Reopening => "reopening",
            Phase::Decision => "decision",
            Phase::AfterDecision => "after_decision",
            Phase::Closed => "closed",
        }
    }
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Imported; no caseworker yet.
    Unassigned,
    /// Phase 1 in progress.
    Reviewing,
    /// Closed after phase 1: no concrete and objective ground to reopen.
    ClosedNoGround,
    /// Phase 2 in progress (also after a send-back).
    Reopened,
    /// Sent to the deciding municipality, not yet received.
    SentToDeciding,
    /// Phase 3 in progress.
    UnderDecision,
    /// A revocation is proposed and awaits the approver.
    AwaitingApproval,
    /// Decided (revoked or upheld).
    Decided,
    /// A complaint was received.
    ComplaintReceived,
    /// The complaint was reassessed and the decision maintained.
    Reassessed,
    /// At Ankestyrelsen.
    AtAppealsBoard,
    /// Closed.
    Closed,
}

impl State {
    /// The phase the state belongs to.
    #[must_use]
    pub fn phase(self) -> Phase {
        match self {
            State::Unassigned | State::Reviewing => Phase::Review,
            State::Reopened => Phase::Reopening,
            State::SentToDeciding | State::UnderDecision | State::AwaitingApproval => Phase::Decision,
            State::Decided | State::ComplaintReceived | State::Reassessed | State::AtAppealsBoard => {
                Phase::AfterDecision
            }
            State::ClosedNoGround | State::Closed => Phase::Closed,
        }
    }

    /// The name used in files and the API.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            State::Unassigned => "unassigned",
            State::Reviewing => "reviewing",
            State::ClosedNoGround => "closed_no_ground",
            State::Reopened => "reopened",
            State::SentToDeciding => "sent_to_deciding",
            State::UnderDecision => "under_decision",
            State::AwaitingApproval => "awaiting_approval",
            State::Decided => "decided",
            State::ComplaintReceived => "complaint_received",
            State::Reassessed => "reassessed",
            State::AtAppealsBoard => "at_appeals_board",
            State::Closed => "closed",
        }
    }
}

/// One item of evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// Source.
    pub source: Source,
    /// What it showed.
    pub summary: String,
    /// When obtained.
    pub obtained_on: Date,
    /// Who obtained it.
    pub obtained_by: String,
    /// Legal basis for obtaining it.
    pub legal_basis: String,
}

/// The interview's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Interview {
    /// Not yet summoned.
    NotSummoned,
    /// Summoned for a date.
    Summoned {
        /// Date.
        on: Date,
    },
    /// Held, with a journal note.
    Held,
    /// The citizen did not attend.
    NoShow,
    /// After a no-show, the case is decided on the existing basis.
    ExistingBasis,
}

/// The hearing's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Hearing {
    /// No hearing.
    None,
    /// Waiting for the answer.
    Pending {
        /// Last day to answer.
        answer_by: Date,
    },
    /// Completed.
    Completed {
        /// The citizen answered.
        answered: bool,
    },
}

/// A proposed revocation, awaiting the approver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    /// Who proposed it.
    pub proposer: String,
    /// Reasons.
    pub reasons: String,
    /// Decision date.
    pub decided_on: Date,
    /// Effective date.
    pub effective_from: Date,
    /// Months of continued payment (0-3).
    pub keep_payment_months: u8,
    /// Uses adverse information.
    pub uses_adverse_information: bool,
}

/// The decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// Revoked (true) or upheld.
    pub revoked: bool,
    /// Reasons.
    pub reasons: String,
    /// Decision date.
    pub decided_on: Date,
    /// Who decided (the proposer for a revocation).
    pub decided_by: String,
    /// Who approved a revocation.
    pub approved_by: Option<String>,
    /// Effective date of a revocation.
    pub effective_from: Option<Date>,
    /// Months of continued payment after a revocation.
    pub keep_payment_months: u8,
    /// What it was computed from.
    pub record: Option<DecisionRecord>,
}

/// The decision letter and its complaint deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Letter {
    /// Sent.
    pub sent_on: Date,
    /// How.
    pub channel: Channel,
    /// Complaint deadline.
    pub complaint_deadline: Option<Date>,
}

/// A complaint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complaint {
    /// Received.
    pub received_on: Date,
    /// Within the deadline.
    pub within_deadline: Option<bool>,
    /// Reassessment deadline.
    pub reassess_by: Option<Date>,
    /// Reassessment outcome.
    pub reassessment: Option<ReassessOutcome>,
    /// Ankestyrelsen's outcome.
    pub appeals_outcome: Option<AppealsOutcome>,
}

/// A case, as derived from its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    /// Case id.
    pub id: i64,
    /// Events applied (the version for optimistic concurrency).
    pub version: u32,
    /// The facts from the screening.
    pub facts: CaseFacts,
    /// The home municipality (changes on transfer).
    pub home_municipality: u16,
    /// The deciding municipality, once sent.
    pub deciding_municipality: Option<u16>,
    /// State.
    pub state: State,
    /// Assigned caseworker.
    pub assigned_to: Option<String>,
    /// Evidence gathered.
    pub evidence: Vec<Evidence>,
    /// Interview.
    pub interview: Interview,
    /// Journal notes.
    pub journal: Vec<String>,
    /// The written ground for reopening.
    pub reopening_ground: Option<String>,
    /// Date the citizen was notified of the reopening.
    pub notified_on: Option<Date>,
    /// Consent to health information.
    pub consent: Option<bool>,
    /// Hearing.
    pub hearing: Hearing,
    /// How many times the case was sent back.
    pub sent_back: u32,
    /// Validated by the deciding municipality.
    pub validated: bool,
    /// The meeting it is scheduled for.
    pub meeting_on: Option<Date>,
    /// The citizen asked to meet the board.
    pub hearing_in_person: bool,
    /// A proposed revocation.
    pub proposal: Option<Proposal>,
    /// The decision.
    pub decision: Option<Decision>,
    /// The decision letter.
    pub letter: Option<Letter>,
    /// A complaint.
    pub complaint: Option<Complaint>,
    /// Register flags from newer screenings.
    pub flags: Vec<Flag>,
    /// The letters sent, in order.
    #[serde(default)]
    pub letters: Vec<SentLetter>,
}

/// A recorded event: who did what, when, in which role and municipality.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Case id.
    pub case_id: i64,
    /// The case's version after this event (1 for the import).
    pub version: u32,
    /// When it was recorded.
    pub recorded_at: jiff::Timestamp,
    /// Who.
    pub actor: Actor,
    /// What (and why, inside the action).
    pub action: Action,
}

/// Why a history cannot be folded into a case.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HistoryError {
    /// The first event is not an import.
    #[error("the history of case {0} does not start with an import")]
    NoImport(i64),
    /// Versions are not 1, 2, 3, ….
    #[error("case {case}: event version {found} where {expected} was expected")]
    Gap {
        /// Case.
        case: i64,
        /// Expected.
        expected: u32,
        /// Found.
        found: u32,
    },
}

/// A phase a case has left: when it entered and when it left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhaseStay {
    /// The phase.
    pub phase: Phase,
    /// Entered.
    pub entered: jiff::Timestamp,
    /// Left.
    pub left: jiff::Timestamp,
}

impl Case {
    /// Folds a case's history into its state.
    ///
    /// # Errors
    /// The history does not start with an import, or has a gap.
    pub fn from_events(events: &[Event]) -> Result<Case, HistoryError> {
        Case::fold(events, |_, _| {})
    }

    /// The phases a case has left, each with the moments it entered and left it, from its history.
    ///
    /// # Errors
    /// As [`Case::from_events`].
    pub fn phase_stays(events: &[Event]) -> Result<Vec<PhaseStay>, HistoryError> {
        let mut stays = Vec::new();
        let mut current: Option<(Phase, jiff::Timestamp)> = None;
        Case::fold(events, |case, event| match current {
            None => current = Some((case.phase(), event.recorded_at)),
            Some((phase, since)) if phase != case.phase() => {
                stays.push(PhaseStay { phase, entered: since, left: event.recorded_at });
                current = Some((case.phase(), event.recorded_at));
            }
            Some(_) => {}
        })?;
        Ok(stays)
    }

    /// Applies `events` in order, calling `after` with the case after each.
    fn fold(events: &[Event], mut after: impl FnMut(&Case, &Event)) -> Result<Case, HistoryError> {
        let Some(first) = events.first() else { return Err(HistoryError::NoImport(0)) };
        let Action::Import { facts } = &first.action else { return Err(HistoryError::NoImport(first.case_id)) };
        let mut case = Case::new(first.case_id, facts.clone());
        for event in events {
            if event.version != case.version + 1 {
                return Err(HistoryError::Gap { case: case.id, expected: case.version + 1, found: event.version });
            }
            case.apply(event);
            after(&case, event);
        }
        Ok(case)
    }

    fn new(id: i64, facts: CaseFacts) -> Case {
        Case {
            id,
            version: 0,
            home_municipality: facts.municipality_code,
            facts,
            deciding_municipality: None,
            state: State::Unassigned,
            assigned_to: None,
            evidence: Vec::new(),
            interview: Interview::NotSummoned,
            journal: Vec::new(),
            reopening_ground: None,
            notified_on: None,
            consent: None,
            hearing: Hearing::None,
            sent_back: 0,
            validated: false,
            meeting_on: None,
            hearing_in_person: false,
            proposal: None,
            decision: None,
            letter: None,
            complaint: None,
            flags: Vec::new(),
            letters: Vec::new(),
        }
    }

    /// The case's phase.
    #[must_use]
    pub fn phase(&self) -> Phase {
        self.state.phase()
    }

    /// The next deadline running on the case, with what it is (in Danish): the hearing's answer date, the
    /// reassessment of a complaint, or the complaint deadline of a decision.
    #[must_use]
    pub fn next_deadline(&self) -> Option<(Date, &'static str)> {
        if let Hearing::Pending { answer_by } = self.hearing {
            return Some((answer_by, "svarfrist i partshøring"));
        }
        match self.state {
            State::ComplaintReceived => self.complaint.and_then(|c| c.reassess_by).map(|d| (d, "genvurdering")),
            State::Decided => self.letter.and_then(|l| l.complaint_deadline).map(|d| (d, "klagefrist")),
            _ => None,
        }
    }

    /// Applies one accepted event. Only [`crate::decide`] produces events, so every event here is valid
    /// for the state it meets.
    pub fn apply(&mut self, event: &Event) {
        self.version = event.version;
        let by = event.actor.user.clone();
        match &event.action {
            Action::Import { .. } => {}
            Action::RegisterFlag { flag } => {
                if let Flag::Moved { to, .. } = flag
                    && matches!(self.phase(), Phase::Review | Phase::Reopening)
                {
                    self.home_municipality = *to;
                    self.assigned_to = None;
                    if self.state == State::Reviewing && self.interview == Interview::NotSummoned {
                        self.state = State::Unassigned;
                    }
                }
                self.flags.push(flag.clone());
            }
            Action::Assign { caseworker } => {
                self.assigned_to = Some(caseworker.clone());
                if self.state == State::Unassigned {
                    self.state = State::Reviewing;
                }
            }
            Action::RecordEvidence { source, summary, obtained_on } => self.evidence.push(Evidence {
                source: *source,
                summary: summary.clone(),
                obtained_on: *obtained_on,
                obtained_by: by,
                legal_basis: source.legal_basis().to_owned(),
            }),
            Action::Summon { interview_on } => self.interview = Interview::Summoned { on: *interview_on },
            Action::HoldInterview { journal_note } => {
                self.interview = Interview::Held;
                self.journal.push(journal_note.clone());
            }
            Action::RegisterNoShow => self.interview = Interview::NoShow,
            Action::DecideOnExistingBasis { reason } => {
                self.interview = Interview::ExistingBasis;
                self.journal.push(reason.clone());
            }
            Action::AssessNoGround { .. } => self.state = State::ClosedNoGround,
            Action::AssessReopen { ground, .. } => {
                self.reopening_ground = Some(ground.clone());
                self.state = State::Reopened;
            }
            Action::NotifyReopening { sent_on } => self.notified_on = Some(*sent_on),
            Action::RecordConsent { granted, .. } => self.consent = Some(*granted),
            Action::RecordHealthInformation { summary, obtained_from, obtained_on } => self.evidence.push(Evidence {
                source: Source::HealthInformation,
                summary: format!("{summary} (fra {obtained_from})"),
                obtained_on: *obtained_on,
                obtained_by: by,
                legal_basis: Source::HealthInformation.legal_basis().to_owned(),
            }),
            Action::RecordWorkTrial { from, to, place, outcome } => self.evidence.push(Evidence {
                source: Source::WorkTrial,
                summary: format!("{place}, {from} - {to}: {outcome}"),
                obtained_on: *to,
                obtained_by: by,
                legal_basis: Source::WorkTrial.legal_basis().to_owned(),
            }),
            Action::StartHearing { answer_by, sent_on, .. } => {
                self.hearing = Hearing::Pending { answer_by: answer_by.unwrap_or(*sent_on) };
            }
            Action::CompleteHearing { answer, .. } => {
                self.hearing = Hearing::Completed { answered: answer.is_some() };
            }
            Action::SendToDeciding { deciding_municipality } => {
                self.deciding_municipality = *deciding_municipality;
                self.validated = false;
                self.state = State::SentToDeciding;
            }
            Action::Receive => self.state = State::UnderDecision,
            Action::Validate { .. } => self.validated = true,
            Action::SendBack { .. } => {
                self.sent_back += 1;
                self.validated = false;
                self.meeting_on = None;
                self.state = State::Reopened;
            }
            Action::Schedule { meeting_on } => self.meeting_on = *meeting_on,
            Action::RequestHearingInPerson => self.hearing_in_person = true,
            Action::ProposeRevocation {
                reasons,
                decided_on,
                effective_from,
                keep_payment_months,
                uses_adverse_information,
            } => {
                self.proposal = Some(Proposal {
                    proposer: by,
                    reasons: reasons.clone(),
                    decided_on: *decided_on,
                    effective_from: *effective_from,
                    keep_payment_months: *keep_payment_months,
                    uses_adverse_information: *uses_adverse_information,
                });
                self.state = State::AwaitingApproval;
            }
            Action::ApproveRevocation { record } => {
                if let Some(p) = self.proposal.take() {
                    self.decision = Some(Decision {
                        revoked: true,
                        reasons: p.reasons,
                        decided_on: p.decided_on,
                        decided_by: p.proposer,
                        approved_by: Some(by),
                        effective_from: Some(p.effective_from),
                        keep_payment_months: p.keep_payment_months,
                        record: record.clone(),
                    });
                }
                self.state = State::Decided;
            }
            Action::RejectRevocation { .. } => {
                self.proposal = None;
                self.state = State::UnderDecision;
            }
            Action::Uphold { reasons, decided_on, record } => {
                self.decision = Some(Decision {
                    revoked: false,
                    reasons: reasons.clone(),
                    decided_on: *decided_on,
                    decided_by: by,
                    approved_by: None,
                    effective_from: None,
                    keep_payment_months: 0,
                    record: record.clone(),
                });
                self.state = State::Decided;
            }
            Action::SendDecisionLetter { sent_on, channel, complaint_deadline } => {
                self.letter =
                    Some(Letter { sent_on: *sent_on, channel: *channel, complaint_deadline: *complaint_deadline });
            }
            Action::SendLetter { kind, channel, sent_on, message_id, document_sha256, complaint_deadline } => {
                if kind.is_decision() && self.decision.is_some() {
                    self.letter =
                        Some(Letter { sent_on: *sent_on, channel: *channel, complaint_deadline: *complaint_deadline });
                }
                self.letters.push(SentLetter {
                    kind: *kind,
                    channel: *channel,
                    sent_on: *sent_on,
                    message_id: message_id.clone(),
                    document_sha256: document_sha256.clone(),
                });
            }
            Action::ReceiveComplaint { received_on, within_deadline, reassess_by } => {
                self.complaint = Some(Complaint {
                    received_on: *received_on,
                    within_deadline: *within_deadline,
                    reassess_by: *reassess_by,
                    reassessment: None,
                    appeals_outcome: None,
                });
                self.state = State::ComplaintReceived;
            }
            Action::Reassess { outcome, .. } => {
                if let Some(c) = self.complaint.as_mut() {
                    c.reassessment = Some(*outcome);
                }
                self.state = match outcome {
                    ReassessOutcome::Maintained => State::Reassessed,
                    ReassessOutcome::Changed => State::Closed,
                };
            }
            Action::ForwardToAppealsBoard { .. } => self.state = State::AtAppealsBoard,
            Action::RecordAppealsOutcome { outcome, .. } => {
                if let Some(c) = self.complaint.as_mut() {
                    c.appeals_outcome = Some(*outcome);
                }
                self.state = match outcome {
                    AppealsOutcome::Remitted => State::UnderDecision,
                    AppealsOutcome::Upheld | AppealsOutcome::Changed => State::Closed,
                };
                if *outcome == AppealsOutcome::Remitted {
                    self.decision = None;
                    self.letter = None;
                    self.complaint = None;
                }
            }
            Action::Close => self.state = State::Closed,
        }
    }
}
