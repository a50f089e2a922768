//! The actions a case can take, one per step of the model's phases. An accepted action is recorded as
//! the event's payload, so the history reads as the list of what was done.

use crate::facts::CaseFacts;
use crate::guards::DecisionRecord;
use crate::letter::LetterKind;
use gennemgang_rules::calendar::deadline::Channel as RulesChannel;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The information sources of phase 1 (seed 000's table) and phase 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The pension case itself.
    PensionCase,
    /// Other parts of the administration.
    OtherAdministration,
    /// The income register, including the municipal control unit.
    IncomeRegister,
    /// Publicly available information on activity level.
    PublicActivity,
    /// Certain information from the criminal register (sensitive).
    CriminalRecord,
    /// The interview with the citizen.
    Interview,
    /// New health information (phase 2; sensitive; needs consent).
    HealthInformation,
    /// Work trial in a company placement (phase 2).
    WorkTrial,
}

impl Source {
    /// The legal basis for obtaining the information.
    #[must_use]
    pub fn legal_basis(self) -> &'static str {
        match self {
            Source::PensionCase | Source::OtherAdministration => {
                "Model dec. 2025 (seed 000); RSL § 10 (officialprincippet)"
            }
            Source::IncomeRegister => "RSL § 11 a, stk. 2 (økonomiske forhold uden samtykke, samkøring og kontrol)",
            Source::PublicActivity => {
                "Model dec. 2025 (seed 000): offentligt tilgængelige oplysninger om aktivitetsniveau"
            }
            Source::CriminalRecord => {
                "Model dec. 2025 (seed 000): visse oplysninger fra kriminalregistret; hjemmel ikke fundet (RULES.md § 8.2)"
            }
            Source::Interview => "Model dec. 2025 (seed 000); OFL § 13 (notatpligt)",
            Source::HealthInformation => "RSL § 11 a, stk. 1 (med forudgående samtykke)",
            Source::WorkTrial => "Model dec. 2025 (seed 000): arbejdsafprøvning i virksomhedspraktik",
        }
    }

    /// The Danish name, as citizens and caseworkers read it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Source::PensionCase => "Førtidspensionssagen",
            Source::OtherAdministration => "Andre dele af forvaltningen",
            Source::IncomeRegister => "Indkomstregistret",
            Source::PublicActivity => "Offentligt tilgængelige oplysninger",
            Source::CriminalRecord => "Kriminalregistret",
            Source::Interview => "Samtale",
            Source::HealthInformation => "Helbredsoplysninger",
            Source::WorkTrial => "Arbejdsprøvning",
        }
    }

    /// Health and criminal-record information: shown only inside the task that needs it.
    #[must_use]
    pub fn is_sensitive(self) -> bool {
        matches!(self, Source::CriminalRecord | Source::HealthInformation)
    }

    /// The phase-1 sources of seed 000's table.
    pub const PHASE_1: [Source; 6] = [
        Source::PensionCase,
        Source::OtherAdministration,
        Source::IncomeRegister,
        Source::PublicActivity,
        Source::CriminalRecord,
        Source::Interview,
    ];
}

/// How a letter was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Digital Post.
    Digital,
    /// A physical letter.
    Physical,
}

impl From<Channel> for RulesChannel {
    fn from(c: Channel) -> RulesChannel {
        match c {
            Channel::Digital => RulesChannel::Digital,
            Channel::Physical => RulesChannel::Physical,
        }
    }
}

/// Structured reasons for sending a case back from phase 3 (seed 000: "ikke tilstrækkelig oplyst").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SendBackReason {
    /// Health information is missing or outdated.
    HealthInformation,
    /// Work capacity is not documented (e.g. no work trial).
    WorkCapacity,
    /// The citizen has not been heard on adverse information.
    Hearing,
    /// The ground for reopening is not documented.
    ReopeningGround,
    /// Something else; the note says what.
    Other,
}

/// Register changes found by a newer screening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// Moved to another municipality (the case is transferred while in phase 1 or 2).
    Moved {
        /// Old municipality.
        from: u16,
        /// New municipality.
        to: u16,
    },
    /// No longer lives in a selected area.
    LeftArea,
    /// Died (CPR status 90).
    Died,
    /// Emigrated or disappeared (CPR status 70/80).
    LeftDenmark,
    /// Turned 60: revocation is no longer possible (PL § 44, stk. 3).
    Turned60,
    /// The pension has ceased or is dormant.
    PensionCeased,
    /// Not in the newer screening at all (no active pension in the extract).
    NotInScreening,
}

/// What the complaint's reassessment concluded (RSL § 66).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReassessOutcome {
    /// The decision is maintained; the complaint goes to Ankestyrelsen.
    Maintained,
    /// The complainant gets full or partial redress; the decision is changed.
    Changed,
}

/// Ankestyrelsen's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealsOutcome {
    /// Stadfæstet.
    Upheld,
    /// Ændret.
    Changed,
    /// Hjemvist: returned for a new decision.
    Remitted,
}

/// Every action, as sent to `POST /api/v1/cases/{id}/actions` and recorded in the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    // -- system ------------------------------------------------------------------------------------------
    /// The case is created from a screening row.
    Import {
        /// The facts.
        facts: CaseFacts,
    },
    /// A newer screening found a change.
    RegisterFlag {
        /// What changed.
        flag: Flag,
    },
    // -- phase 1: systematic review (home municipality) --------------------------------------------------
    /// The team lead assigns the case.
    Assign {
        /// User name of the caseworker.
        caseworker: String,
    },
    /// An information source was consulted.
    RecordEvidence {
        /// Which source.
        source: Source,
        /// What it showed (case content: never logged).
        summary: String,
        /// When it was obtained.
        obtained_on: Date,
    },
    /// The citizen is summoned to the interview.
    Summon {
        /// Date of the interview.
        interview_on: Date,
    },
    /// The interview was held; the journal note is required (OFL § 13).
    HoldInterview {
        /// The journal note.
        journal_note: String,
    },
    /// The citizen did not attend.
    RegisterNoShow,
    /// After a no-show: decide on the existing basis instead of a new summons (RSL § 11 b).
    DecideOnExistingBasis {
        /// Why.
        reason: String,
    },
    /// No concrete and objective ground to reopen: the case is closed and the citizen informed.
    AssessNoGround {
        /// Reasons.
        reasons: String,
    },
    /// Reopen: the written ground must cite the evidence it rests on.
    AssessReopen {
        /// The ground.
        ground: String,
        /// Indexes (0-based) of the evidence it rests on.
        evidence: Vec<usize>,
    },
    // -- phase 2: reopening (home municipality) ------------------------------------------------------------
    /// The citizen is told the case is reopened.
    NotifyReopening {
        /// Date the letter was sent.
        sent_on: Date,
    },
    /// Consent to obtain health information (RSL § 11 a, stk. 1), or its refusal.
    RecordConsent {
        /// Given or refused.
        granted: bool,
        /// What the consent covers.
        scope: String,
    },
    /// New health information (needs consent).
    RecordHealthInformation {
        /// Summary (sensitive).
        summary: String,
        /// From whom.
        obtained_from: String,
        /// When.
        obtained_on: Date,
    },
    /// A work trial.
    RecordWorkTrial {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
        /// Where.
        place: String,
        /// What it showed.
        outcome: String,
    },
    /// Hearing on adverse information (FVL § 19).
    StartHearing {
        /// What the citizen is heard on.
        adverse_information: String,
        /// Date the hearing letter is available to the citizen.
        sent_on: Date,
        /// Answer period in days (the calendar's default if absent).
        #[serde(default)]
        answer_days: Option<u16>,
        /// The last day to answer; computed when the action is accepted.
        #[serde(default)]
        answer_by: Option<Date>,
    },
    /// The hearing's outcome: the answer, or none after the period ran out.
    CompleteHearing {
        /// The citizen's answer, if any.
        answer: Option<String>,
        /// Date.
        on: Date,
    },
    /// The informed case goes to the region's deciding municipality.
    SendToDeciding {
        /// The deciding municipality; filled in from the routing when the action is accepted.
        #[serde(default)]
        deciding_municipality: Option<u16>,
    },
    // -- phase 3: decision (deciding municipality) ---------------------------------------------------------
    /// The deciding municipality receives the case.
    Receive,
    /// The home municipality's assessment is validated.
    Validate {
        /// Notes.
        notes: String,
    },
    /// Not sufficiently informed: back to the home municipality's phase 2.
    SendBack {
        /// Structured reasons.
        reasons: Vec<SendBackReason>,
        /// Free text.
        note: String,
    },
    /// Put on the agenda of the deciding body's meeting.
    Schedule {
        /// Meeting date; when absent, the board's next meeting that leaves the days to prepare.
        #[serde(default)]
        meeting_on: Option<Date>,
    },
    /// The citizen asks to meet the board (foretræde).
    RequestHearingInPerson,
    /// Propose revocation (needs a second person's approval).
    ProposeRevocation {
        /// Reasons (FVL §§ 22-24).
        reasons: String,
        /// Decision date.
        decided_on: Date,
        /// Date the revocation takes effect.
        effective_from: Date,
        /// Months the pension is kept after that (0-3, PL § 44, stk. 1).
        keep_payment_months: u8,
        /// Whether adverse information the citizen has not commented on is used.
        uses_adverse_information: bool,
    },
    /// The approver approves the proposed revocation.
    ApproveRevocation {
        /// What the decision was computed from; filled in when the action is accepted.
        #[serde(default)]
        record: Option<DecisionRecord>,
    },
    /// The approver rejects it.
    RejectRevocation {
        /// Why.
        reason: String,
    },
    /// Decide that the pension is upheld.
    Uphold {
        /// Reasons.
        reasons: String,
        /// Decision date.
        decided_on: Date,
        /// What the decision was computed from; filled in when the action is accepted.
        #[serde(default)]
        record: Option<DecisionRecord>,
    },
    // -- after the decision --------------------------------------------------------------------------------
    /// The decision letter was sent; the complaint deadline runs from receipt.
    SendDecisionLetter {
        /// Date sent.
        sent_on: Date,
        /// How.
        channel: Channel,
        /// The complaint deadline; computed when the action is accepted.
        #[serde(default)]
        complaint_deadline: Option<Date>,
    },
    /// A letter was handed to Digital Post or the print service (written first, recorded after). A decision
    /// letter also fixes the complaint deadline, like [`Action::SendDecisionLetter`].
    SendLetter {
        /// Kind.
        kind: LetterKind,
        /// How.
        channel: Channel,
        /// Date sent.
        sent_on: Date,
        /// The message id (the same letter always has the same id).
        message_id: String,
        /// SHA-256 of the PDF, hex.
        document_sha256: String,
        /// A decision letter's complaint deadline; computed when the action is accepted.
        #[serde(default)]
        complaint_deadline: Option<Date>,
    },
    /// A complaint was received.
    ReceiveComplaint {
        /// Date received.
        received_on: Date,
        /// Within the complaint deadline; computed when the action is accepted.
        #[serde(default)]
        within_deadline: Option<bool>,
        /// The reassessment deadline; computed when the action is accepted.
        #[serde(default)]
        reassess_by: Option<Date>,
    },
    /// The deciding body reassesses the decision (RSL § 66).
    Reassess {
        /// Outcome.
        outcome: ReassessOutcome,
        /// Reasons.
        reasons: String,
        /// Date.
        on: Date,
    },
    /// The complaint goes to Ankestyrelsen.
    ForwardToAppealsBoard {
        /// Date.
        on: Date,
    },
    /// Ankestyrelsen's decision.
    RecordAppealsOutcome {
        /// Outcome.
        outcome: AppealsOutcome,
        /// Date.
        decided_on: Date,
    },
    /// The case is closed.
    Close,
}

impl Action {
    /// The action's name (its `action` tag).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Action::Import { .. } => "import",
            Action::RegisterFlag { .. } => "register_flag",
            Action::Assign { .. } => "assign",
            Action::RecordEvidence { .. } => "record_evidence",
            Action::Summon { .. } => "summon",
            Action::HoldInterview { .. } => "hold_interview",
            Action::RegisterNoShow => "register_no_show",
            Action::DecideOnExistingBasis { .. } => "decide_on_existing_basis",
            Action::AssessNoGround { .. } => "assess_no_ground",
            Action::AssessReopen { .. } => "assess_reopen",
            Action::NotifyReopening { .. } => "notify_reopening",
            Action::RecordConsent { .. } => "record_consent",
            Action::RecordHealthInformation { .. } => "record_health_information",
            Action::RecordWorkTrial { .. } => "record_work_trial",
            Action::StartHearing { .. } => "start_hearing",
            Action::CompleteHearing { .. } => "complete_hearing",
            Action::SendToDeciding { .. } => "send_to_deciding",
            Action::Receive => "receive",
            Action::Validate { .. } => "validate",
            Action::SendBack { .. } => "send_back",
            Action::Schedule { .. } => "schedule",
            Action::RequestHearingInPerson => "request_hearing_in_person",
            Action::ProposeRevocation { .. } => "propose_revocation",
            Action::ApproveRevocation { .. } => "approve_revocation",
            Action::RejectRevocation { .. } => "reject_revocation",
            Action::Uphold { .. } => "uphold",
            Action::SendDecisionLetter { .. } => "send_decision_letter",
            Action::SendLetter { .. } => "send_letter",
            Action::ReceiveComplaint { .. } => "receive_complaint",
            Action::Reassess { .. } => "reassess",
            Action::ForwardToAppealsBoard { .. } => "forward_to_appeals_board",
            Action::RecordAppealsOutcome { .. } => "record_appeals_outcome",
            Action::Close => "close",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_actions_are_refused() {
        let ok: Action = serde_json::from_str(r#"{"action":"assign","caseworker":"sb"}"#).expect("valid");
        assert_eq!(ok, Action::Assign { caseworker: "sb".into() });
        let extra = serde_json::from_str::<Action>(r#"{"action":"assign","caseworker":"sb","extra":1}"#);
        assert!(extra.expect_err("unknown field").to_string().contains("extra"));
        assert!(serde_json::from_str::<Action>(r#"{"action":"delete_case"}"#).is_err());
        // Unit actions and computed fields.
        assert_eq!(serde_json::from_str::<Action>(r#"{"action":"receive"}"#).expect("unit"), Action::Receive);
        assert_eq!(
            serde_json::from_str::<Action>(r#"{"action":"approve_revocation"}"#).expect("defaults"),
            Action::ApproveRevocation { record: None }
        );
    }
}
