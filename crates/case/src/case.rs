//! The case aggregate: its state is a fold over its events, and nothing else changes it.

use crate::action::{
    Action, AppealsOutcome, Channel, Flag, HearingException, ReassessOutcome, Recommendation, SendBackReason, Source,
};
pub use crate::event::{Event, Outcome};
use crate::facts::CaseFacts;
use crate::guards::{DecisionRecord, HearingBasis};
use crate::letter::{PaymentNoticeKind, SentLetter};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The model's phases (its table 1), plus what follows a decision.
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
    /// Phase 1 assessed: no concrete and objective ground to reopen. Goes on to the deciding municipality.
    AssessedNoGround,
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
    /// The complaint was reassessed and (at least in part) goes on to Ankestyrelsen.
    Reassessed,
    /// At Ankestyrelsen.
    AtAppealsBoard,
    /// The deciding municipality validated the assessment that there is no ground to reopen: the review is
    /// over without a decision.
    ClosedValidated,
    /// Closed.
    Closed,
}

impl State {
    /// Every state, in the order of a case.
    pub const ALL: [State; 13] = [
        State::Unassigned,
        State::Reviewing,
        State::AssessedNoGround,
        State::Reopened,
        State::SentToDeciding,
        State::UnderDecision,
        State::AwaitingApproval,
        State::Decided,
        State::ComplaintReceived,
        State::Reassessed,
        State::AtAppealsBoard,
        State::ClosedValidated,
        State::Closed,
    ];

    /// The phase the state belongs to.
    #[must_use]
    pub fn phase(self) -> Phase {
        match self {
            State::Unassigned | State::Reviewing | State::AssessedNoGround => Phase::Review,
            State::Reopened => Phase::Reopening,
            State::SentToDeciding | State::UnderDecision | State::AwaitingApproval => Phase::Decision,
            State::Decided | State::ComplaintReceived | State::Reassessed | State::AtAppealsBoard => {
                Phase::AfterDecision
            }
            State::ClosedValidated | State::Closed => Phase::Closed,
        }
    }

    /// The Danish name, as the caseworker reads it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            State::Unassigned => "Ikke fordelt",
            State::Reviewing => "Under gennemgang",
            State::AssessedNoGround => "Vurderet: ingen anledning til genåbning",
            State::Reopened => "Genåbnet",
            State::SentToDeciding => "Sendt til afgørelseskommunen",
            State::UnderDecision => "Under afgørelse",
            State::AwaitingApproval => "Afventer attestation",
            State::Decided => "Afgjort",
            State::ComplaintReceived => "Klage modtaget",
            State::Reassessed => "Genvurderet",
            State::AtAppealsBoard => "Hos Ankestyrelsen",
            State::ClosedValidated => "Afsluttet: vurderingen er valideret",
            State::Closed => "Lukket",
        }
    }

    /// The name used in files and the API.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            State::Unassigned => "unassigned",
            State::Reviewing => "reviewing",
            State::AssessedNoGround => "assessed_no_ground",
            State::Reopened => "reopened",
            State::SentToDeciding => "sent_to_deciding",
            State::UnderDecision => "under_decision",
            State::AwaitingApproval => "awaiting_approval",
            State::Decided => "decided",
            State::ComplaintReceived => "complaint_received",
            State::Reassessed => "reassessed",
            State::AtAppealsBoard => "at_appeals_board",
            State::ClosedValidated => "closed_validated",
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

/// The hearing's status. `covers` counts the case's information items when the hearing began: the hearing
/// is current only while no information has been recorded since (FVL § 19; a new hearing on new
/// information).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Hearing {
    /// No hearing.
    None,
    /// Waiting for the answer.
    Pending {
        /// The day the hearing letter was available to the citizen.
        #[serde(default = "epoch")]
        sent_on: Date,
        /// Last day to answer.
        answer_by: Date,
        /// Information items it covers.
        #[serde(default)]
        covers: usize,
    },
    /// Completed.
    Completed {
        /// The citizen answered.
        answered: bool,
        /// Information items it covered.
        #[serde(default)]
        covers: usize,
    },
}

fn epoch() -> Date {
    Date::MIN
}

/// An exception from the hearing (FVL § 19, stk. 2), recorded by an approver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordedException {
    /// Which.
    pub exception: HearingException,
    /// Why.
    pub reason: String,
    /// Who recorded it.
    pub by: String,
    /// Information items it covers.
    pub covers: usize,
}

/// A source of the checklist that was not consulted, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotRelevant {
    /// The source.
    pub source: Source,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
}

/// A send-back from the deciding municipality, with its reasons, for the home municipality to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentBack {
    /// Structured reasons.
    pub reasons: Vec<SendBackReason>,
    /// Free text.
    pub note: String,
    /// Who.
    pub by: String,
}

/// A request for access to the case (aktindsigt, FVL § 9) and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRequest {
    /// Received (the server's today when registered).
    pub received_on: Date,
    /// The answer is due (FVL § 16, stk. 2, as the review parameters give it).
    pub answer_by: Date,
    /// What the citizen asked to see.
    pub scope: String,
    /// Who registered it.
    pub by: String,
    /// The day it was answered.
    pub answered_on: Option<Date>,
    /// The documents withheld, each with its reason.
    pub withheld: Vec<crate::action::Withheld>,
    /// The case's version the answer covers: the file as it stood then (the registration's version until
    /// it is answered).
    pub versions: u32,
}

/// A document of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDocument {
    /// The document.
    pub document: crate::action::NewDocument,
    /// Who added it.
    pub by: String,
    /// The day it was added.
    pub added_on: Date,
    /// The phase it was added in.
    pub phase: Phase,
}

/// Something asked for in phase 2, which the case waits on until it is recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InfoRequest {
    /// What.
    pub awaited: crate::action::Awaited,
    /// From whom or where.
    pub from: String,
    /// The day it was asked for.
    pub requested_on: Date,
    /// Who asked.
    pub by: String,
    /// The day it was recorded.
    pub answered_on: Option<Date>,
}

/// The rehabilitation team's recommendation on the reopened case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRecommendation {
    /// What it recommends.
    pub recommendation: Recommendation,
    /// The team's reasons.
    pub reasons: String,
    /// The day of the team's meeting.
    pub met_on: Date,
    /// Who recorded it.
    pub by: String,
    /// How many re-presentations preceded it: 0 for the first presentation.
    pub round: usize,
}

/// The board returned the case to the rehabilitation team (genforelæggelse).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RePresentation {
    /// Why the board could not follow the recommendation (told to the citizen).
    pub reasons: String,
    /// Who.
    pub by: String,
    /// The day.
    pub on: Option<Date>,
}

/// A contact about the case noted in the file (notatpligt, offentlighedslovens § 13).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalNote {
    /// How the contact was made.
    pub contact: crate::action::ContactKind,
    /// The day it happened.
    pub contacted_on: Date,
    /// What was said or written.
    pub note: String,
    /// Who noted it.
    pub by: String,
    /// The phase it was noted in.
    pub phase: Phase,
}

/// A processing deadline that cannot be kept, and when a decision can be expected (RSL § 3, stk. 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delay {
    /// The phase it concerns.
    pub phase: Phase,
    /// When a decision (or the end of the phase) can be expected.
    pub expected_by: Date,
    /// Why.
    pub reason: String,
    /// Who recorded it.
    pub by: String,
    /// The day.
    pub on: Option<Date>,
}

/// The citizen's meeting with the board (foretræde; the municipality's practice, seed 004): once asked
/// for, no decision is made until it has been held or the citizen has withdrawn the request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum InPerson {
    /// Not asked for.
    #[default]
    None,
    /// Asked for; the case is not yet on a meeting.
    Requested,
    /// To take place at this meeting.
    Scheduled {
        /// The meeting.
        meeting_on: Date,
    },
    /// Held: what the citizen said.
    Held {
        /// The day.
        on: Date,
        /// The note of what was said.
        note: String,
    },
    /// The citizen withdrew the request.
    Withdrawn {
        /// How and when the citizen said so.
        note: String,
    },
}

impl InPerson {
    /// Asked for and not yet held or withdrawn: no decision may be made.
    #[must_use]
    pub fn pending(&self) -> bool {
        matches!(self, InPerson::Requested | InPerson::Scheduled { .. })
    }
}

/// The days of the steps the review's letters answer, so that no letter is dated before its step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepDays {
    /// The day the summons was recorded.
    #[serde(default)]
    pub summoned_on: Option<Date>,
    /// The day the case was assessed for reopening.
    #[serde(default)]
    pub reopened_on: Option<Date>,
    /// The day the deciding municipality validated a review without reopening (closing it).
    #[serde(default)]
    pub closed_on: Option<Date>,
}

/// A proposed revocation, awaiting the approver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    /// Who proposed it.
    pub proposer: String,
    /// Reasons.
    pub reasons: String,
    /// The day of the proposal.
    pub proposed_on: Date,
    /// Months of continued payment (0-3).
    pub keep_payment_months: u8,
    /// A date of effect chosen by the proposer (first release only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<Date>,
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
    /// Effective date of a revocation: fixed when its letter is sent, from the day it reaches the citizen.
    pub effective_from: Option<Date>,
    /// The last day the pension is paid after a revocation.
    #[serde(default)]
    pub last_paid_day: Option<Date>,
    /// Months of continued payment after a revocation.
    pub keep_payment_months: u8,
    /// What it was computed from.
    pub record: Option<DecisionRecord>,
    /// A decision changed on reassessment (RSL § 66) replaces the one complained of.
    #[serde(default)]
    pub on_reassessment: bool,
    /// The board's meeting it was made at, when the case was put before the board.
    #[serde(default)]
    pub sitting: Option<Sitting>,
}

/// The board's meeting at which a decision was made, as the configuration named the board then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sitting {
    /// The board as configured ("Pensionsnævnet, Gladsaxe Kommune"); none under the built-in example.
    pub board: Option<String>,
    /// The meeting.
    pub meeting_on: Date,
    /// Its members, by role; empty when the board is the built-in example.
    pub members: Vec<String>,
}

/// The decision letter and its complaint deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Letter {
    /// Sent.
    pub sent_on: Date,
    /// How.
    pub channel: Channel,
    /// The day it reached the citizen.
    #[serde(default)]
    pub notified_on: Option<Date>,
    /// Complaint deadline.
    pub complaint_deadline: Option<Date>,
}

/// A complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The reassessment's reasons.
    #[serde(default)]
    pub reassessment_reasons: Option<String>,
    /// Sent to Ankestyrelsen on.
    #[serde(default)]
    pub forwarded_on: Option<Date>,
    /// Ankestyrelsen's outcome.
    pub appeals_outcome: Option<AppealsOutcome>,
}

/// A case, as derived from its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    /// The shape of this projection ([`crate::event::SCHEMA`]); an older one is folded again from the events.
    #[serde(default)]
    pub schema: u16,
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
    /// Evidence gathered, in order (the information a decision may rest on).
    pub evidence: Vec<Evidence>,
    /// Checklist sources marked as not relevant, with the reason.
    #[serde(default)]
    pub not_relevant: Vec<NotRelevant>,
    /// Interview.
    pub interview: Interview,
    /// Journal notes.
    pub journal: Vec<String>,
    /// The home municipality's assessment that there is no ground to reopen.
    #[serde(default)]
    pub no_ground_reasons: Option<String>,
    /// The written ground for reopening.
    pub reopening_ground: Option<String>,
    /// Date the citizen was notified of the reopening.
    pub notified_on: Option<Date>,
    /// Consent to health information.
    pub consent: Option<bool>,
    /// What the consent covers.
    #[serde(default)]
    pub consent_scope: Option<String>,
    /// Why no new information was needed in phase 2.
    #[serde(default)]
    pub no_new_information: Option<String>,
    /// Hearing.
    pub hearing: Hearing,
    /// The citizen's answer in the last hearing.
    #[serde(default)]
    pub hearing_answer: Option<String>,
    /// The document (its number, from 1) that holds the citizen's written answer in the last hearing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing_answer_document: Option<usize>,
    /// An exception from the hearing (FVL § 19, stk. 2).
    #[serde(default)]
    pub hearing_exception: Option<RecordedException>,
    /// How many times the case was sent back.
    pub sent_back: u32,
    /// The send-backs, with their reasons.
    #[serde(default)]
    pub send_backs: Vec<SentBack>,
    /// Validated by the deciding municipality.
    pub validated: bool,
    /// The validation's notes.
    #[serde(default)]
    pub validation_notes: Option<String>,
    /// The rehabilitation team's recommendations, in order.
    #[serde(default)]
    pub recommendations: Vec<TeamRecommendation>,
    /// The board's returns of the case to the team.
    #[serde(default)]
    pub re_presentations: Vec<RePresentation>,
    /// Processing deadlines that could not be kept, in order.
    #[serde(default)]
    pub delays: Vec<Delay>,
    /// The contacts noted in the file (notatpligt), in order.
    #[serde(default)]
    pub contacts: Vec<JournalNote>,
    /// What was asked for in phase 2, in order, each until it was recorded.
    #[serde(default)]
    pub requests: Vec<InfoRequest>,
    /// The documents of the file, numbered from 1 in this order.
    #[serde(default)]
    pub documents: Vec<CaseDocument>,
    /// The citizen's requests for access to the case (aktindsigt), in order.
    #[serde(default)]
    pub access_requests: Vec<AccessRequest>,
    /// The meeting it is scheduled for.
    pub meeting_on: Option<Date>,
    /// The citizen's meeting with the board (foretræde).
    #[serde(default)]
    pub in_person: InPerson,
    /// A proposed revocation.
    pub proposal: Option<Proposal>,
    /// Reasons given for rejected proposals.
    #[serde(default)]
    pub rejections: Vec<String>,
    /// Reasons given for decisions withdrawn before they reached the citizen.
    #[serde(default)]
    pub withdrawals: Vec<String>,
    /// The decision.
    pub decision: Option<Decision>,
    /// The decision letter.
    pub letter: Option<Letter>,
    /// A complaint.
    pub complaint: Option<Complaint>,
    /// Register flags from newer screenings.
    pub flags: Vec<Flag>,
    /// The citizen as the newest screening found them (the import's, until a newer one changed it).
    #[serde(default, skip_serializing_if = "crate::facts::Citizen::is_unknown")]
    pub citizen: crate::facts::Citizen,
    /// The letters sent, in order.
    #[serde(default)]
    pub letters: Vec<SentLetter>,
    /// The notices sent to Udbetaling Danmark, in order.
    #[serde(default)]
    pub payment_notices: Vec<crate::letter::SentNotice>,
    /// The latest day an action on the case was judged on; none may be judged on an earlier one.
    #[serde(default)]
    pub last_day: Option<Date>,
    /// The days of the steps letters answer.
    #[serde(default)]
    pub step_days: StepDays,
    /// The day the case entered its current phase (none while it is in phase 1, which runs from the start
    /// of the review); processing deadlines run from it.
    #[serde(default)]
    pub phase_since: Option<Date>,
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
            schema: crate::event::SCHEMA,
            id,
            version: 0,
            home_municipality: facts.municipality_code,
            citizen: facts.citizen.clone(),
            facts,
            deciding_municipality: None,
            state: State::Unassigned,
            assigned_to: None,
            evidence: Vec::new(),
            not_relevant: Vec::new(),
            interview: Interview::NotSummoned,
            journal: Vec::new(),
            no_ground_reasons: None,
            reopening_ground: None,
            notified_on: None,
            consent: None,
            consent_scope: None,
            no_new_information: None,
            hearing: Hearing::None,
            hearing_answer: None,
            hearing_answer_document: None,
            hearing_exception: None,
            sent_back: 0,
            send_backs: Vec::new(),
            validated: false,
            validation_notes: None,
            recommendations: Vec::new(),
            re_presentations: Vec::new(),
            delays: Vec::new(),
            contacts: Vec::new(),
            requests: Vec::new(),
            documents: Vec::new(),
            access_requests: Vec::new(),
            meeting_on: None,
            in_person: InPerson::None,
            proposal: None,
            rejections: Vec::new(),
            withdrawals: Vec::new(),
            decision: None,
            letter: None,
            complaint: None,
            flags: Vec::new(),
            letters: Vec::new(),
            payment_notices: Vec::new(),
            last_day: None,
            step_days: StepDays::default(),
            phase_since: None,
        }
    }

    /// Marks what was asked for of this kind as answered.
    fn answer(&mut self, awaited: crate::action::Awaited, on: Option<Date>) {
        for r in self.requests.iter_mut().filter(|r| r.awaited == awaited && r.answered_on.is_none()) {
            r.answered_on = Some(on.unwrap_or(r.requested_on));
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
        let own = self.own_deadline();
        let access = self.access_requests.iter().find(|r| r.answered_on.is_none()).map(|r| (r.answer_by, "aktindsigt"));
        match (own, access) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// The next deadline of the review's own steps (see [`Case::next_deadline`]).
    fn own_deadline(&self) -> Option<(Date, &'static str)> {
        if let Hearing::Pending { answer_by, .. } = self.hearing {
            return Some((answer_by, "svarfrist i partshøring"));
        }
        match self.state {
            State::ComplaintReceived => {
                self.complaint.as_ref().and_then(|c| c.reassess_by).map(|d| (d, "genvurdering"))
            }
            State::Decided => self.letter.and_then(|l| l.complaint_deadline).map(|d| (d, "klagefrist")),
            _ => None,
        }
    }

    /// Whether the citizen has been heard on everything recorded so far: a hearing completed after the last
    /// information, or an exception of FVL § 19, stk. 2 recorded after it.
    #[must_use]
    pub fn hearing_basis(&self) -> HearingBasis {
        let n = self.evidence.len();
        if matches!(self.hearing, Hearing::Completed { covers, .. } if covers == n) {
            return HearingBasis::Current;
        }
        match &self.hearing_exception {
            Some(e) if e.covers == n => HearingBasis::Exception { exception: e.exception },
            _ => HearingBasis::Missing,
        }
    }

    /// The team's recommendation the case now rests on: the latest one given since the last
    /// re-presentation.
    #[must_use]
    pub fn current_recommendation(&self) -> Option<&TeamRecommendation> {
        self.recommendations.last().filter(|r| r.round == self.re_presentations.len())
    }

    /// The recommendation the board must follow or else return to the team: the first presentation's.
    /// Once the team has reassessed the case after a re-presentation, the board decides (seed 004: "Når
    /// Rehabiliteringsteamet har revurderet sagen og afgivet en ny indstilling, træffer Pensionsnævnet en
    /// afgørelse").
    #[must_use]
    pub fn binding_recommendation(&self) -> Option<Recommendation> {
        if self.re_presentations.is_empty() {
            self.recommendations.iter().find(|r| r.round == 0).map(|r| r.recommendation)
        } else {
            None
        }
    }

    /// The checklist sources neither consulted nor marked as not relevant.
    #[must_use]
    pub fn checklist_open(&self) -> Vec<Source> {
        Source::CHECKLIST
            .into_iter()
            .filter(|s| {
                !self.evidence.iter().any(|e| e.source == *s) && !self.not_relevant.iter().any(|n| n.source == *s)
            })
            .collect()
    }

    /// Back to the home municipality from phase 3, off the board's agenda: to phase 1 for "no ground", to
    /// phase 2 otherwise.
    fn back_home(&mut self) {
        self.validated = false;
        self.meeting_on = None;
        if let InPerson::Scheduled { .. } = self.in_person {
            self.in_person = InPerson::Requested;
        }
        self.state = if self.reopening_ground.is_some() { State::Reopened } else { State::Reviewing };
    }

    fn add_evidence(&mut self, source: Source, summary: String, obtained_on: Date, by: String) {
        self.evidence.push(Evidence {
            source,
            summary,
            obtained_on,
            obtained_by: by,
            legal_basis: source.legal_basis(),
        });
    }

    /// Applies one accepted event. Only [`crate::decide`] produces events, so every event here is valid
    /// for the state it meets; what the server computed is read from the event's outcome.
    pub fn apply(&mut self, event: &Event) {
        let phase = self.phase();
        self.apply_action(event);
        if self.phase() != phase {
            self.phase_since = event.on.or(self.last_day);
        }
    }

    #[expect(clippy::too_many_lines, reason = "one arm per action keeps the whole fold in one view")]
    fn apply_action(&mut self, event: &Event) {
        self.version = event.version;
        self.last_day = self.last_day.max(event.on);
        let by = event.actor.user.clone();
        let outcome = &event.outcome;
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
                if let Flag::CitizenChanged { citizen, .. } = flag {
                    self.citizen = citizen.clone();
                }
                self.flags.push(flag.clone());
            }
            Action::Assign { caseworker } => {
                self.assigned_to = Some(caseworker.clone());
                if self.state == State::Unassigned {
                    self.state = State::Reviewing;
                }
            }
            Action::RecordEvidence { source, summary, obtained_on } => {
                self.add_evidence(*source, summary.clone(), *obtained_on, by);
            }
            Action::MarkNotRelevant { source, reason } => {
                self.not_relevant.push(NotRelevant { source: *source, reason: reason.clone(), by });
            }
            Action::Summon { interview_on } => {
                self.interview = Interview::Summoned { on: *interview_on };
                self.step_days.summoned_on = event.on;
            }
            Action::HoldInterview { journal_note } => {
                self.interview = Interview::Held;
                self.journal.push(journal_note.clone());
            }
            Action::RegisterNoShow {} => self.interview = Interview::NoShow,
            Action::DecideOnExistingBasis { reason } => {
                self.interview = Interview::ExistingBasis;
                self.journal.push(reason.clone());
            }
            Action::AssessNoGround { reasons } => {
                self.no_ground_reasons = Some(reasons.clone());
                self.state = State::AssessedNoGround;
            }
            Action::AssessReopen { ground, .. } => {
                self.no_ground_reasons = None;
                self.reopening_ground = Some(ground.clone());
                self.state = State::Reopened;
                self.step_days.reopened_on = event.on;
            }
            Action::NotifyReopening { sent_on } => self.notified_on = Some(*sent_on),
            Action::RecordConsent { granted, scope } => {
                self.consent = Some(*granted);
                self.consent_scope = Some(scope.clone());
            }
            Action::RequestInformation { awaited, from } => self.requests.push(InfoRequest {
                awaited: *awaited,
                from: from.clone(),
                requested_on: event.on.or(self.last_day).unwrap_or(self.facts.screened_as_of),
                by,
                answered_on: None,
            }),
            Action::RecordHealthInformation { summary, obtained_from, obtained_on } => {
                self.answer(crate::action::Awaited::HealthInformation, event.on);
                self.add_evidence(
                    Source::HealthInformation,
                    format!("{summary} (fra {obtained_from})"),
                    *obtained_on,
                    by,
                );
            }
            Action::RecordWorkTrial { from, to, place, outcome } => {
                self.answer(crate::action::Awaited::WorkTrial, event.on);
                let (f, t) = (gennemgang_rules::date::danish(*from), gennemgang_rules::date::danish(*to));
                self.add_evidence(Source::WorkTrial, format!("{place}, {f} - {t}: {outcome}"), *to, by);
            }
            Action::RecordInformation { summary, obtained_from, obtained_on } => {
                self.add_evidence(Source::NewInformation, format!("{summary} (fra {obtained_from})"), *obtained_on, by);
            }
            Action::RecordRecommendation { recommendation, reasons, met_on } => {
                let summary = format!("Teamet indstiller, {}: {reasons}", recommendation.danish());
                self.add_evidence(Source::RehabilitationTeam, summary, *met_on, by.clone());
                self.recommendations.push(TeamRecommendation {
                    recommendation: *recommendation,
                    reasons: reasons.clone(),
                    met_on: *met_on,
                    by,
                    round: self.re_presentations.len(),
                });
            }
            Action::NoNewInformation { reason } => self.no_new_information = Some(reason.clone()),
            Action::RecordContact { contact, contacted_on, note } => self.contacts.push(JournalNote {
                contact: *contact,
                contacted_on: *contacted_on,
                note: note.clone(),
                by: by.clone(),
                phase: self.phase(),
            }),
            Action::AddDocument { document, as_evidence } => {
                let number = self.documents.len() + 1;
                if *as_evidence {
                    let summary = format!("{} (dokument nr. {number})", document.title);
                    self.add_evidence(document.source, summary, document.dated, by.clone());
                }
                self.documents.push(CaseDocument {
                    document: document.clone(),
                    by,
                    added_on: event.on.or(self.last_day).unwrap_or(self.facts.screened_as_of),
                    phase: self.phase(),
                });
            }
            Action::RegisterAccessRequest { scope } => {
                if let Outcome::AccessRequested { received_on, answer_by } = outcome {
                    self.access_requests.push(AccessRequest {
                        received_on: *received_on,
                        answer_by: *answer_by,
                        scope: scope.clone(),
                        by,
                        answered_on: None,
                        withheld: Vec::new(),
                        versions: self.version,
                    });
                }
            }
            Action::AnswerAccessRequest { withheld } => {
                let on = event.on.unwrap_or(self.facts.screened_as_of);
                if let Some(r) = self.access_requests.iter_mut().find(|r| r.answered_on.is_none()) {
                    r.answered_on = Some(on);
                    r.withheld = withheld.clone();
                    r.versions = event.version;
                }
            }
            Action::RecordDelay { expected_by, reason } => self.delays.push(Delay {
                phase: self.phase(),
                expected_by: *expected_by,
                reason: reason.clone(),
                by,
                on: event.on,
            }),
            Action::StartHearing { sent_on, .. } => {
                let answer_by = match outcome {
                    Outcome::HearingStarted { answer_by } => *answer_by,
                    _ => *sent_on,
                };
                self.hearing = Hearing::Pending { sent_on: *sent_on, answer_by, covers: self.evidence.len() };
                self.hearing_answer = None;
                self.hearing_answer_document = None;
            }
            Action::CompleteHearing { answer, document, .. } => {
                let covers = match self.hearing {
                    Hearing::Pending { covers, .. } => covers,
                    _ => 0,
                };
                self.hearing = Hearing::Completed { answered: answer.is_some() || document.is_some(), covers };
                self.hearing_answer.clone_from(answer);
                self.hearing_answer_document = *document;
            }
            Action::SendToDeciding {} => {
                if let Outcome::Routed { deciding_municipality } = outcome {
                    self.deciding_municipality = Some(*deciding_municipality);
                }
                self.validated = false;
                self.state = State::SentToDeciding;
            }
            Action::Receive {} => self.state = State::UnderDecision,
            Action::Validate { notes } => {
                self.validation_notes = Some(notes.clone());
                self.validated = true;
                if self.reopening_ground.is_none() {
                    self.state = State::ClosedValidated;
                    self.step_days.closed_on = event.on;
                }
            }
            Action::SendBack { reasons, note } => {
                self.sent_back += 1;
                self.send_backs.push(SentBack { reasons: reasons.clone(), note: note.clone(), by });
                self.back_home();
            }
            Action::RePresent { reasons } => {
                self.re_presentations.push(RePresentation { reasons: reasons.clone(), by, on: event.on });
                self.back_home();
            }
            Action::Schedule { meeting_on } => {
                self.meeting_on = match outcome {
                    Outcome::Scheduled { meeting_on } => Some(*meeting_on),
                    _ => *meeting_on,
                };
                if let (InPerson::Requested | InPerson::Scheduled { .. }, Some(meeting_on)) =
                    (&self.in_person, self.meeting_on)
                {
                    self.in_person = InPerson::Scheduled { meeting_on };
                }
            }
            Action::RequestHearingInPerson {} => {
                // On the agenda already: the citizen meets the board at that meeting.
                self.in_person = match self.meeting_on {
                    Some(meeting_on) => InPerson::Scheduled { meeting_on },
                    None => InPerson::Requested,
                };
            }
            Action::RecordHearingInPerson { note } => {
                if let InPerson::Scheduled { meeting_on } = self.in_person {
                    self.in_person = InPerson::Held { on: event.on.unwrap_or(meeting_on), note: note.clone() };
                }
            }
            Action::WithdrawHearingInPerson { note } => self.in_person = InPerson::Withdrawn { note: note.clone() },
            Action::RecordHearingException { exception, reason } => {
                self.hearing_exception = Some(RecordedException {
                    exception: *exception,
                    reason: reason.clone(),
                    by,
                    covers: self.evidence.len(),
                });
            }
            Action::ProposeRevocation { reasons, keep_payment_months } => {
                let (proposed_on, effective_from) = match outcome {
                    Outcome::Proposed { proposed_on, effective_from } => (*proposed_on, *effective_from),
                    _ => (Date::MIN, None),
                };
                self.proposal = Some(Proposal {
                    proposer: by,
                    reasons: reasons.clone(),
                    proposed_on,
                    keep_payment_months: *keep_payment_months,
                    effective_from,
                });
                self.state = State::AwaitingApproval;
            }
            Action::ApproveRevocation {} => {
                // Approving a partly changed revocation decides the complaint's reassessment anew.
                let on_reassessment = self.complaint.is_some();
                if let Some(p) = self.proposal.take() {
                    let (decided_on, record, sitting) = match outcome {
                        Outcome::Decided { decided_on, record, sitting } => {
                            (*decided_on, record.clone(), sitting.clone())
                        }
                        _ => (p.proposed_on, None, None),
                    };
                    self.decision = Some(Decision {
                        revoked: true,
                        reasons: p.reasons,
                        decided_on,
                        decided_by: p.proposer,
                        approved_by: Some(by),
                        effective_from: p.effective_from,
                        last_paid_day: None,
                        keep_payment_months: p.keep_payment_months,
                        record,
                        on_reassessment,
                        sitting,
                    });
                }
                if on_reassessment {
                    self.letter = None;
                    self.state = State::Reassessed;
                } else {
                    self.state = State::Decided;
                }
            }
            Action::RejectRevocation { reason } => {
                self.rejections.push(reason.clone());
                self.proposal = None;
                // A rejected partial change leaves the complaint to be reassessed again.
                self.state = match self.complaint.as_mut() {
                    Some(c) => {
                        c.reassessment = None;
                        c.reassessment_reasons = None;
                        State::ComplaintReceived
                    }
                    None => State::UnderDecision,
                };
            }
            Action::WithdrawDecision { reason } => {
                // Not yet notified, the decision binds no one (it has not reached the citizen): it is
                // set aside and the deciding municipality decides again.
                self.withdrawals.push(reason.clone());
                self.decision = None;
                self.state = State::UnderDecision;
            }
            Action::Uphold { reasons } => {
                let (decided_on, record, sitting) = match outcome {
                    Outcome::Decided { decided_on, record, sitting } => (*decided_on, record.clone(), sitting.clone()),
                    _ => (Date::MIN, None, None),
                };
                self.decision = Some(Decision {
                    revoked: false,
                    reasons: reasons.clone(),
                    decided_on,
                    decided_by: by,
                    approved_by: None,
                    effective_from: None,
                    last_paid_day: None,
                    keep_payment_months: 0,
                    record,
                    on_reassessment: false,
                    sitting,
                });
                self.state = State::Decided;
            }
            Action::SendDecisionLetter { sent_on, channel } => self.record_decision_letter(*sent_on, *channel, outcome),
            Action::SendLetter { kind, channel, sent_on, message_id, document_sha256 } => {
                if kind.is_decision() && self.decision.is_some() && self.letter.is_none() {
                    self.record_decision_letter(*sent_on, *channel, outcome);
                }
                self.letters.push(SentLetter {
                    kind: *kind,
                    channel: *channel,
                    sent_on: *sent_on,
                    message_id: message_id.clone(),
                    document_sha256: document_sha256.clone(),
                });
            }
            Action::SendPaymentNotice { kind, message_id, document_sha256 } => {
                let revoked = self.decision.as_ref().filter(|d| d.revoked && *kind == PaymentNoticeKind::Stop);
                self.payment_notices.push(crate::letter::SentNotice {
                    kind: *kind,
                    effective_from: revoked.and_then(|d| d.effective_from),
                    last_paid_day: revoked.and_then(|d| d.last_paid_day),
                    sent_on: event.on.unwrap_or(Date::MIN),
                    message_id: message_id.clone(),
                    document_sha256: document_sha256.clone(),
                });
            }
            Action::ReceiveComplaint { received_on } => {
                let (within_deadline, reassess_by) = match outcome {
                    Outcome::ComplaintReceived { within_deadline, reassess_by } => {
                        (Some(*within_deadline), Some(*reassess_by))
                    }
                    _ => (None, None),
                };
                self.complaint = Some(Complaint {
                    received_on: *received_on,
                    within_deadline,
                    reassess_by,
                    reassessment: None,
                    reassessment_reasons: None,
                    forwarded_on: None,
                    appeals_outcome: None,
                });
                self.state = State::ComplaintReceived;
            }
            Action::Reassess { outcome: result, reasons, keep_payment_months } => {
                if let Some(c) = self.complaint.as_mut() {
                    c.reassessment = Some(*result);
                    c.reassessment_reasons = Some(reasons.clone());
                }
                let on = match outcome {
                    Outcome::Reassessed { on } => *on,
                    _ => Date::MIN,
                };
                self.state = match result {
                    ReassessOutcome::Maintained => State::Reassessed,
                    // A changed decision is a new decision (RSL § 66): full redress keeps the pension, and
                    // its own letter, with new reasons and complaint guidance, is sent; a partial change
                    // replaces the decision too, and the rest of the complaint goes on to Ankestyrelsen.
                    // A revocation partly changed is proposed anew and waits for another person's approval.
                    ReassessOutcome::PartlyChanged if self.decision.as_ref().is_some_and(|d| d.revoked) => {
                        let kept = self.decision.as_ref().map_or(0, |d| d.keep_payment_months);
                        self.proposal = Some(Proposal {
                            proposer: by,
                            reasons: reasons.clone(),
                            proposed_on: on,
                            keep_payment_months: keep_payment_months.unwrap_or(kept),
                            effective_from: None,
                        });
                        State::AwaitingApproval
                    }
                    ReassessOutcome::Changed | ReassessOutcome::PartlyChanged => {
                        if let Some(d) = self.decision.as_mut() {
                            if *result == ReassessOutcome::Changed {
                                d.revoked = false;
                                d.effective_from = None;
                                d.last_paid_day = None;
                                d.keep_payment_months = 0;
                            }
                            d.reasons = reasons.clone();
                            d.decided_on = on;
                            d.decided_by = by;
                            d.approved_by = None;
                            d.on_reassessment = true;
                        }
                        self.letter = None;
                        if *result == ReassessOutcome::Changed { State::Decided } else { State::Reassessed }
                    }
                };
            }
            Action::ForwardToAppealsBoard {} => {
                if let (Some(c), Outcome::Forwarded { on }) = (self.complaint.as_mut(), outcome) {
                    c.forwarded_on = Some(*on);
                }
                self.state = State::AtAppealsBoard;
            }
            Action::RecordAppealsOutcome { outcome: result, .. } => {
                if let Some(c) = self.complaint.as_mut() {
                    c.appeals_outcome = Some(*result);
                }
                self.state = match result {
                    AppealsOutcome::Remitted => State::UnderDecision,
                    AppealsOutcome::Upheld | AppealsOutcome::Changed => State::Closed,
                };
                if *result == AppealsOutcome::Remitted {
                    // Hjemvist: the deciding municipality decides again; the old decision is gone.
                    self.decision = None;
                    self.letter = None;
                    self.complaint = None;
                    self.proposal = None;
                    self.meeting_on = None;
                }
            }
            Action::Close {} => self.state = State::Closed,
        }
    }

    fn record_decision_letter(&mut self, sent_on: Date, channel: Channel, outcome: &Outcome) {
        let (notified_on, complaint_deadline) = match outcome {
            Outcome::DecisionLetter { notified_on, complaint_deadline, effective_from, last_paid_day } => {
                if let Some(d) = self.decision.as_mut()
                    && d.revoked
                    && effective_from.is_some()
                {
                    d.effective_from = *effective_from;
                    d.last_paid_day = *last_paid_day;
                }
                (*notified_on, Some(*complaint_deadline))
            }
            _ => (None, None),
        };
        self.letter = Some(Letter { sent_on, channel, notified_on, complaint_deadline });
    }
}
