//! The actions a user can ask for, one per step of the model's phases, and their fieldless kinds. An
//! accepted action is recorded as the event's payload beside what the server computed from it (the event's
//! outcome), so the history reads as the list of what was done.

use crate::facts::CaseFacts;
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
    /// Any other new information that informs the reopened case further (phase 2).
    NewInformation,
    /// The rehabilitation team's recommendation on the reopened case (phase 2).
    RehabilitationTeam,
}

impl Source {
    /// The legal basis for obtaining the information.
    #[must_use]
    pub fn legal_basis(self) -> String {
        use crate::law::Citation as C;
        match self {
            Source::PensionCase | Source::OtherAdministration => format!("{}; {}", C::Model, C::Rsl10),
            Source::IncomeRegister => {
                format!("{} (økonomiske forhold uden samtykke, samkøring og kontrol)", C::Rsl11a2)
            }
            Source::PublicActivity => format!("{}: offentligt tilgængelige oplysninger om aktivitetsniveau", C::Model),
            Source::CriminalRecord => {
                format!(
                    "{}: visse oplysninger fra kriminalregistret; en særskilt lovhjemmel er ikke afklaret",
                    C::Model
                )
            }
            Source::Interview => format!("{}; {} (notatpligt)", C::Model, C::Ofl13),
            Source::HealthInformation => format!("{} (med forudgående samtykke)", C::Rsl11a1),
            Source::WorkTrial => format!("{}: arbejdsafprøvning i virksomhedspraktik", C::Model),
            Source::NewInformation => format!("{}; {} (sagen oplyses yderligere)", C::Model, C::Rsl10),
            Source::RehabilitationTeam => C::RehabilitationTeam.text().to_owned(),
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
            Source::NewInformation => "Andre nye oplysninger",
            Source::RehabilitationTeam => "Rehabiliteringsteamets indstilling",
        }
    }

    /// What the source is consulted for and on which basis, as the summons tells the citizen (GDPR art. 14).
    #[must_use]
    pub fn letter_purpose(self) -> String {
        use crate::law::Citation as C;
        match self {
            Source::PensionCase => "sagen om din førtidspension, som kommunen har i forvejen".to_owned(),
            Source::OtherAdministration => format!("oplysninger, andre dele af kommunen har om dig ({})", C::Rsl10),
            Source::IncomeRegister => {
                format!("dine indkomstforhold, også fra kommunens kontrolenhed ({})", C::Rsl11a2)
            }
            Source::PublicActivity => "offentligt tilgængelige oplysninger om dit aktivitetsniveau".to_owned(),
            Source::CriminalRecord => format!("visse oplysninger fra kriminalregistret, som {} nævner", C::Model),
            Source::Interview
            | Source::HealthInformation
            | Source::WorkTrial
            | Source::NewInformation
            | Source::RehabilitationTeam => self.danish().to_owned(),
        }
    }

    /// Health and criminal-record information: shown only inside the task that needs it.
    #[must_use]
    pub fn is_sensitive(self) -> bool {
        matches!(self, Source::CriminalRecord | Source::HealthInformation)
    }

    /// Obtained from registers without the citizen's consent, so the summons must say so (GDPR art. 14;
    /// RSL §§ 11 a, stk. 2, and 12).
    #[must_use]
    pub fn without_consent(self) -> bool {
        matches!(
            self,
            Source::PensionCase
                | Source::OtherAdministration
                | Source::IncomeRegister
                | Source::PublicActivity
                | Source::CriminalRecord
        )
    }

    /// The phase-1 sources of the model's table.
    pub const PHASE_1: [Source; 6] = [
        Source::PensionCase,
        Source::OtherAdministration,
        Source::IncomeRegister,
        Source::PublicActivity,
        Source::CriminalRecord,
        Source::Interview,
    ];

    /// The phase-1 sources consulted through the registers and the administration: the checklist each
    /// case goes through before any assessment (the interview has its own steps).
    pub const CHECKLIST: [Source; 5] = [
        Source::PensionCase,
        Source::OtherAdministration,
        Source::IncomeRegister,
        Source::PublicActivity,
        Source::CriminalRecord,
    ];
}

/// What the rehabilitation team recommends on a reopened case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    /// That the pension is kept.
    Keep,
    /// That the pension is revoked.
    Revoke,
}

impl Recommendation {
    /// As the letter and the case page say it: "at førtidspensionen bevares".
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Recommendation::Keep => "at førtidspensionen bevares",
            Recommendation::Revoke => "at førtidspensionen frakendes",
        }
    }
}

/// How a contact noted in the file was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// A phone call.
    Phone,
    /// An e-mail (or a digital message).
    Email,
    /// A meeting.
    Meeting,
    /// A letter from the citizen.
    LetterFromCitizen,
    /// Another kind of contact.
    Other,
}

impl ContactKind {
    /// As the case page says it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            ContactKind::Phone => "telefonsamtale",
            ContactKind::Email => "e-mail",
            ContactKind::Meeting => "møde",
            ContactKind::LetterFromCitizen => "brev fra borgeren",
            ContactKind::Other => "anden henvendelse",
        }
    }
}

/// The kinds of file a case holds, recognised by their content (never by their name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// TIFF image (scanned letters).
    Tiff,
    /// Word document (Office Open XML).
    Docx,
    /// OpenDocument text.
    Odt,
    /// Plain text (UTF-8).
    Text,
}

impl MediaType {
    /// The media type sent with the file.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Tiff => "image/tiff",
            MediaType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            MediaType::Odt => "application/vnd.oasis.opendocument.text",
            MediaType::Text => "text/plain; charset=utf-8",
        }
    }

    /// As the case page says it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Png => "PNG-billede",
            MediaType::Jpeg => "JPEG-billede",
            MediaType::Tiff => "TIFF-billede",
            MediaType::Docx => "Word-dokument",
            MediaType::Odt => "OpenDocument-tekst",
            MediaType::Text => "tekst",
        }
    }

    /// The file name ending for a download.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Tiff => "tif",
            MediaType::Docx => "docx",
            MediaType::Odt => "odt",
            MediaType::Text => "txt",
        }
    }

    /// Whether a browser shows it itself (the rest are downloaded).
    #[must_use]
    pub fn shown_inline(self) -> bool {
        matches!(self, MediaType::Pdf | MediaType::Png | MediaType::Jpeg | MediaType::Text)
    }
}

/// A file added to a case: what the server found in the upload, and what the caseworker said about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDocument {
    /// SHA-256 of the content, lower-case hex: the content is stored once under it.
    pub sha256: String,
    /// What the content is.
    pub media_type: MediaType,
    /// Bytes.
    pub size: u64,
    /// The name the file had (kept for the reader; its type is never taken from it).
    pub filename: String,
    /// Title.
    pub title: String,
    /// The document's own date (a letter's, a statement's).
    pub dated: Date,
    /// Where it comes from, as the model's sources; health and criminal-record documents are sensitive.
    pub source: Source,
}

/// Why an item of the file is withheld from the party's access to it (aktindsigt).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WithholdReason {
    /// An internal working document of the municipality.
    InternalDocument,
    /// It holds information about other people.
    ThirdParty,
}

impl WithholdReason {
    /// As the letter says it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            WithholdReason::InternalDocument => "internt arbejdsdokument",
            WithholdReason::ThirdParty => "oplysninger om andre personer",
        }
    }
}

/// One item withheld from an aktindsigt: a document of the file by its number, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withheld {
    /// The document's number (from 1).
    pub document: usize,
    /// Why.
    pub reason: WithholdReason,
}

/// What the caseworker asked for in phase 2 and the case then waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Awaited {
    /// Health information from a doctor or a hospital (needs the citizen's consent).
    HealthInformation,
    /// A work trial (arbejdsprøvning).
    WorkTrial,
}

impl Awaited {
    /// As the case page says it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Awaited::HealthInformation => "helbredsoplysninger",
            Awaited::WorkTrial => "arbejdsprøvning",
        }
    }
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
    /// The pension has ceased.
    PensionCeased,
    /// The pension is dormant (hvilende): not paid while the citizen works, but not ceased.
    PensionDormant,
    /// Not in the newer screening at all (no active pension in the extract).
    NotInScreening,
    /// CPR holds a new name or address, or the name and address protection changed: the case's citizen
    /// becomes the one the newer screening found.
    CitizenChanged {
        /// The citizen as the newer screening found them.
        citizen: crate::facts::Citizen,
        /// What changed.
        changes: Vec<crate::facts::CitizenChange>,
    },
}

impl Flag {
    /// The change as the caseworker reads it.
    #[must_use]
    pub fn danish(&self) -> String {
        let name = |code: u16| {
            gennemgang_rules::municipality::by_code(code)
                .map_or_else(|| format!("kommune {code}"), |m| m.name.to_owned())
        };
        match self {
            Flag::Moved { from, to } => format!("Flyttet fra {} til {}", name(*from), name(*to)),
            Flag::LeftArea => "Bor ikke længere i et udvalgt boligområde".into(),
            Flag::Died => "Død".into(),
            Flag::LeftDenmark => "Udrejst eller forsvundet".into(),
            Flag::Turned60 => format!("Fyldt 60 år; pensionen kan ikke frakendes ({})", crate::law::Citation::Pl44Stk3),
            Flag::PensionCeased => "Pensionen er ophørt".into(),
            Flag::PensionDormant => "Pensionen er hvilende".into(),
            Flag::NotInScreening => "Ikke med i den nyeste udsøgning".into(),
            Flag::CitizenChanged { changes, .. } => {
                let what: Vec<&str> = changes.iter().map(|c| c.danish()).collect();
                format!("Nye oplysninger fra CPR: {}", what.join(", "))
            }
        }
    }
}

/// What the complaint's reassessment concluded (RSL § 66).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReassessOutcome {
    /// The decision is maintained; the complaint goes to Ankestyrelsen.
    Maintained,
    /// Full redress: the decision is changed by a new decision with its own letter.
    Changed,
    /// Partial redress: a new decision on what is changed, and the rest goes to Ankestyrelsen.
    PartlyChanged,
}

/// The exceptions from the hearing in FVL § 19, stk. 2 that can apply in a revocation case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HearingException {
    /// Nr. 1: the information's nature and the case make it safe to decide on the existing basis.
    Nr1,
    /// Nr. 2: waiting would exceed a statutory deadline for the decision.
    Nr2,
    /// Nr. 4: the citizen has no right of access to the information (FVL chapter 4).
    Nr4,
}

impl HearingException {
    /// The number in FVL § 19, stk. 2.
    #[must_use]
    pub fn number(self) -> u8 {
        match self {
            HearingException::Nr1 => 1,
            HearingException::Nr2 => 2,
            HearingException::Nr4 => 4,
        }
    }

    /// The exception as the letter states it.
    #[must_use]
    pub fn danish(self) -> String {
        let what = match self {
            HearingException::Nr1 => {
                "det efter oplysningernes karakter og sagens beskaffenhed er ubetænkeligt at træffe afgørelse på det foreliggende grundlag"
            }
            HearingException::Nr2 => {
                "en udsættelse af sagen vil medføre, at en lovbestemt frist for afgørelsen overskrides"
            }
            HearingException::Nr4 => "du ikke har ret til aktindsigt i de pågældende oplysninger",
        };
        format!("{}, nr. {}: {what}", crate::law::Citation::Fvl19Stk2, self.number())
    }
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

/// Every action a user asks for, as sent to `POST /api/v1/cases/{id}/actions`. It holds only what the user
/// says; what the server computes (dates of decisions, deadlines, routing, the decision record) is the
/// event's [`crate::event::Outcome`], never a field a caller could fill in.
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
    /// The team lead assigns the case to one of the municipality's caseworkers.
    Assign {
        /// User name of the caseworker.
        caseworker: String,
    },
    /// An information source of the checklist was consulted.
    RecordEvidence {
        /// Which source.
        source: Source,
        /// What it showed (case content: never logged).
        summary: String,
        /// When it was obtained.
        obtained_on: Date,
    },
    /// A source of the checklist is not relevant for this case, and why.
    MarkNotRelevant {
        /// Which source.
        source: Source,
        /// Why it is not consulted.
        reason: String,
    },
    /// The citizen is summoned to the interview.
    Summon {
        /// Date of the interview (a working day).
        interview_on: Date,
    },
    /// The interview was held; the journal note is required (OFL § 13).
    HoldInterview {
        /// The journal note.
        journal_note: String,
    },
    /// The citizen did not attend.
    RegisterNoShow {},
    /// After a no-show: decide on the existing basis instead of a new summons (RSL § 11 b).
    DecideOnExistingBasis {
        /// Why.
        reason: String,
    },
    /// The home municipality's assessment: no concrete and objective ground to reopen. Not a decision: the
    /// case goes on to the deciding municipality, which validates it.
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
    /// Health information or a work trial is asked for; the case waits on it (the day is the day it is
    /// recorded) until it is recorded.
    RequestInformation {
        /// What is asked for.
        awaited: Awaited,
        /// From whom or where: the doctor, the hospital, the workplace.
        from: String,
    },
    /// Any other new information that informs the case further.
    RecordInformation {
        /// What it shows.
        summary: String,
        /// From whom or where.
        obtained_from: String,
        /// When.
        obtained_on: Date,
    },
    /// The rehabilitation team's recommendation (indstilling) on the reopened case, where the home
    /// municipality presents it to the team (seed 004): information the decision may rest on.
    RecordRecommendation {
        /// What the team recommends.
        recommendation: Recommendation,
        /// The team's reasons.
        reasons: String,
        /// The day of the team's meeting.
        met_on: Date,
    },
    /// No new information is needed before the case goes on, and why.
    NoNewInformation {
        /// Why.
        reason: String,
    },
    /// Hearing on the information the decision may rest on (FVL § 19).
    StartHearing {
        /// What the citizen is heard on.
        adverse_information: String,
        /// Date the hearing letter is available to the citizen.
        sent_on: Date,
        /// Answer period in days (the calendar's default if absent; never under the review's minimum).
        #[serde(default)]
        answer_days: Option<u16>,
    },
    /// The hearing's outcome: the answer, or none after the period ran out.
    CompleteHearing {
        /// The citizen's answer, if any.
        answer: Option<String>,
        /// Date the answer was received (or the day the hearing is closed without one).
        on: Date,
        /// The case's document (its number, from 1) that holds the citizen's written answer, when the answer
        /// came as a letter or an e-mail and was added to the case.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document: Option<usize>,
    },
    /// The processing deadline of the phase cannot be kept: when a decision can be expected instead, and
    /// why, for the letter the citizen must get (RSL § 3, stk. 2). In any of phases 1-3, by whoever holds
    /// the case.
    RecordDelay {
        /// When the municipality expects to decide (or finish its phase).
        expected_by: Date,
        /// Why the deadline cannot be kept.
        reason: String,
    },
    /// A contact about the case noted in the file (notatpligt, offentlighedslovens § 13): a phone call, an
    /// e-mail, a meeting or a letter from the citizen, with the day it happened and what was said. In any
    /// phase, by whoever holds the case.
    RecordContact {
        /// How the contact was made.
        contact: ContactKind,
        /// The day it happened (not after today).
        contacted_on: Date,
        /// What was said or written, as the caseworker notes it.
        note: String,
    },
    /// A document added to the file (uploaded through the documents route, which computes its hash, type
    /// and size): by whoever holds the case; with `as_evidence` it is also an item of the evidence, where its
    /// source may be recorded now.
    AddDocument {
        /// The document.
        document: NewDocument,
        /// Also cited as evidence.
        #[serde(default)]
        as_evidence: bool,
    },
    /// The citizen asks for access to their own case (aktindsigt, FVL § 9), received today; the answer is
    /// due within the working days the review parameters give (FVL § 16, stk. 2).
    RegisterAccessRequest {
        /// What the citizen asks to see, as they put it.
        scope: String,
    },
    /// The oldest open request answered: the file produced with the documents listed in `withheld` left
    /// out, each for its stated reason; the letter that goes with it follows.
    AnswerAccessRequest {
        /// The documents withheld.
        #[serde(default)]
        withheld: Vec<Withheld>,
    },
    /// The case goes to the region's deciding municipality (every case does, whatever the assessment).
    SendToDeciding {},
    // -- phase 3: decision (deciding municipality) ---------------------------------------------------------
    /// The deciding municipality receives the case.
    Receive {},
    /// The home municipality's assessment is validated: a case without ground to reopen is closed as a
    /// validated review; a reopened case can then be decided.
    Validate {
        /// Notes.
        notes: String,
    },
    /// Not sufficiently informed: back to the home municipality.
    SendBack {
        /// Structured reasons.
        reasons: Vec<SendBackReason>,
        /// Free text.
        note: String,
    },
    /// The board cannot follow the rehabilitation team's recommendation: the case goes back to the team
    /// (genforelæggelse) before the board decides, and the citizen is told why (seed 004).
    RePresent {
        /// Why the board cannot follow it.
        reasons: String,
    },
    /// Put on the agenda of the deciding body's meeting.
    Schedule {
        /// Meeting date (one of the board's meetings); when absent, the next that leaves the days to prepare.
        #[serde(default)]
        meeting_on: Option<Date>,
    },
    /// The citizen asks to meet the board (foretræde); scheduled at the case's meeting.
    RequestHearingInPerson {},
    /// The citizen met the board: what was said.
    RecordHearingInPerson {
        /// The note (OFL § 13).
        note: String,
    },
    /// The citizen withdrew the request to meet the board.
    WithdrawHearingInPerson {
        /// How and when the citizen said so.
        note: String,
    },
    /// The approver records that an exception of FVL § 19, stk. 2 applies instead of a (new) hearing.
    RecordHearingException {
        /// Which exception.
        exception: HearingException,
        /// Why it applies in this case.
        reason: String,
    },
    /// Propose revocation (needs a second person's approval). The decision date is the day it is approved.
    ProposeRevocation {
        /// Reasons (FVL §§ 22-24).
        reasons: String,
        /// Months the pension is kept after the revocation takes effect (0-3, PL § 44, stk. 1).
        keep_payment_months: u8,
    },
    /// The approver approves the proposed revocation: the decision is made today.
    ApproveRevocation {},
    /// The approver rejects it.
    RejectRevocation {
        /// Why.
        reason: String,
    },
    /// The approver withdraws a decision that has not reached the citizen (its letter not sent), e.g. when
    /// a bar would hold on the day the letter arrives; the deciding municipality decides again.
    WithdrawDecision {
        /// Why.
        reason: String,
    },
    /// Decide on the reopened case that the pension is kept.
    Uphold {
        /// Reasons.
        reasons: String,
    },
    // -- after the decision --------------------------------------------------------------------------------
    /// The decision letter was sent; the complaint deadline runs from receipt.
    SendDecisionLetter {
        /// Date sent.
        sent_on: Date,
        /// How.
        channel: Channel,
    },
    /// The system handed a notice to Udbetaling Danmark (written first, recorded after), as
    /// [`crate::decide::payment_notice_due`] said was due.
    SendPaymentNotice {
        /// Stop or resume.
        kind: crate::letter::PaymentNoticeKind,
        /// The notice's id.
        message_id: String,
        /// SHA-256 of the document, hex.
        document_sha256: String,
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
    },
    /// A complaint was received (also after the deadline: it is recorded as late).
    ReceiveComplaint {
        /// Date received.
        received_on: Date,
    },
    /// The deciding body reassesses the decision (RSL § 66).
    Reassess {
        /// Outcome.
        outcome: ReassessOutcome,
        /// Reasons.
        reasons: String,
        /// For a revocation partly changed: the months of continued payment after the date of effect
        /// (0-3, PL § 44, stk. 1); absent keeps them as they were.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep_payment_months: Option<u8>,
    },
    /// The complaint goes to Ankestyrelsen.
    ForwardToAppealsBoard {},
    /// Ankestyrelsen's decision.
    RecordAppealsOutcome {
        /// Outcome.
        outcome: AppealsOutcome,
        /// Date of Ankestyrelsen's decision.
        decided_on: Date,
    },
    /// The case is closed.
    Close {},
}

/// Declares [`ActionKind`] with its names, and [`Action::kind`], from one list.
macro_rules! kinds {
    ($($kind:ident = $name:literal : $title:literal),+ $(,)?) => {
        /// The kind of an action, without its fields: what the policy, the offered actions and the forms
        /// match on. Every match on it is exhaustive, so a new action does not compile without its policy.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ActionKind {
            $(
                #[doc = concat!("`", $name, "`")]
                $kind,
            )+
        }

        impl ActionKind {
            /// Every kind, in the order of the model.
            pub const ALL: &'static [ActionKind] = &[$(ActionKind::$kind),+];

            /// The name (the action's `action` tag).
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(ActionKind::$kind => $name,)+
                }
            }

            /// The Danish title, as the caseworker reads it.
            #[must_use]
            pub fn danish(self) -> &'static str {
                match self {
                    $(ActionKind::$kind => $title,)+
                }
            }
        }

        impl Action {
            /// The action's kind.
            #[must_use]
            pub fn kind(&self) -> ActionKind {
                match self {
                    $(Action::$kind { .. } => ActionKind::$kind,)+
                }
            }
        }
    };
}

kinds! {
    Import = "import" : "Import fra screeningen",
    RegisterFlag = "register_flag" : "Registerændring",
    Assign = "assign" : "Fordel sagen",
    RecordEvidence = "record_evidence" : "Registrér oplysning",
    MarkNotRelevant = "mark_not_relevant" : "Kilden er ikke relevant",
    Summon = "summon" : "Indkald til samtale",
    HoldInterview = "hold_interview" : "Registrér afholdt samtale",
    RegisterNoShow = "register_no_show" : "Registrér udeblivelse",
    DecideOnExistingBasis = "decide_on_existing_basis" : "Afgør på det foreliggende grundlag",
    AssessNoGround = "assess_no_ground" : "Ingen anledning til genåbning",
    AssessReopen = "assess_reopen" : "Genåbn sagen",
    NotifyReopening = "notify_reopening" : "Orientér borgeren om genåbningen",
    RecordConsent = "record_consent" : "Registrér samtykke",
    RecordHealthInformation = "record_health_information" : "Registrér helbredsoplysninger",
    RecordWorkTrial = "record_work_trial" : "Registrér arbejdsprøvning",
    RequestInformation = "request_information" : "Bed om helbredsoplysninger eller arbejdsprøvning",
    RecordInformation = "record_information" : "Registrér andre nye oplysninger",
    RecordRecommendation = "record_recommendation" : "Registrér rehabiliteringsteamets indstilling",
    NoNewInformation = "no_new_information" : "Ingen nye oplysninger er nødvendige",
    StartHearing = "start_hearing" : "Start partshøring",
    CompleteHearing = "complete_hearing" : "Afslut partshøring",
    RecordDelay = "record_delay" : "Registrér, at fristen ikke kan holdes",
    RecordContact = "record_contact" : "Registrér henvendelse (journalnotat)",
    AddDocument = "add_document" : "Tilføj dokument",
    RegisterAccessRequest = "register_access_request" : "Registrér anmodning om aktindsigt",
    AnswerAccessRequest = "answer_access_request" : "Besvar anmodningen om aktindsigt",
    SendToDeciding = "send_to_deciding" : "Send til afgørelseskommunen",
    Receive = "receive" : "Modtag sagen",
    Validate = "validate" : "Validér kommunens vurdering",
    SendBack = "send_back" : "Send sagen tilbage",
    RePresent = "re_present" : "Genforelæg sagen for rehabiliteringsteamet",
    Schedule = "schedule" : "Sæt på nævnsmøde",
    RequestHearingInPerson = "request_hearing_in_person" : "Registrér ønske om foretræde",
    RecordHearingInPerson = "record_hearing_in_person" : "Registrér afholdt foretræde",
    WithdrawHearingInPerson = "withdraw_hearing_in_person" : "Borgeren har trukket ønsket om foretræde tilbage",
    RecordHearingException = "record_hearing_exception" : "Registrér undtagelse fra partshøring",
    ProposeRevocation = "propose_revocation" : "Indstil til frakendelse",
    ApproveRevocation = "approve_revocation" : "Godkend frakendelsen",
    RejectRevocation = "reject_revocation" : "Afvis indstillingen",
    WithdrawDecision = "withdraw_decision" : "Tilbagekald afgørelsen før afsendelse",
    Uphold = "uphold" : "Fasthold pensionen",
    SendDecisionLetter = "send_decision_letter" : "Registrér afsendt afgørelsesbrev",
    SendLetter = "send_letter" : "Send brev",
    SendPaymentNotice = "send_payment_notice" : "Meddelelse til Udbetaling Danmark",
    ReceiveComplaint = "receive_complaint" : "Registrér klage",
    Reassess = "reassess" : "Genvurdér afgørelsen",
    ForwardToAppealsBoard = "forward_to_appeals_board" : "Send til Ankestyrelsen",
    RecordAppealsOutcome = "record_appeals_outcome" : "Registrér Ankestyrelsens afgørelse",
    Close = "close" : "Luk sagen",
}

impl ActionKind {
    /// From the name.
    #[must_use]
    pub fn parse(name: &str) -> Option<ActionKind> {
        ActionKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl Action {
    /// The action's name (its `action` tag).
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_changes_read_in_danish_with_municipality_names() {
        assert_eq!(Flag::Moved { from: 159, to: 101 }.danish(), "Flyttet fra Gladsaxe til København");
        assert_eq!(
            Flag::Turned60.danish(),
            "Fyldt 60 år; pensionen kan ikke frakendes (lov om social pension § 44, stk. 3)"
        );
        assert_ne!(Flag::PensionDormant.danish(), Flag::PensionCeased.danish());
    }

    #[test]
    fn unknown_fields_and_actions_are_refused() {
        let ok: Action = serde_json::from_str(r#"{"action":"assign","caseworker":"sb"}"#).expect("valid");
        assert_eq!(ok, Action::Assign { caseworker: "sb".into() });
        let extra = serde_json::from_str::<Action>(r#"{"action":"assign","caseworker":"sb","extra":1}"#);
        assert!(extra.expect_err("unknown field").to_string().contains("extra"));
        assert!(serde_json::from_str::<Action>(r#"{"action":"delete_case"}"#).is_err());
        assert_eq!(serde_json::from_str::<Action>(r#"{"action":"receive"}"#).expect("unit"), Action::Receive {});
    }

    #[test]
    fn what_the_server_computes_cannot_be_sent() {
        // A caller cannot backdate a decision, fill in a decision record or choose the routing.
        for json in [
            r#"{"action":"approve_revocation","record":{}}"#,
            r#"{"action":"propose_revocation","reasons":"x","keep_payment_months":0,"decided_on":"2020-01-01"}"#,
            r#"{"action":"propose_revocation","reasons":"x","keep_payment_months":0,"uses_adverse_information":false}"#,
            r#"{"action":"uphold","reasons":"x","decided_on":"2020-01-01"}"#,
            r#"{"action":"send_to_deciding","deciding_municipality":101}"#,
            r#"{"action":"start_hearing","adverse_information":"x","sent_on":"2026-12-01","answer_by":"2026-12-02"}"#,
            r#"{"action":"receive_complaint","received_on":"2026-12-01","within_deadline":true}"#,
        ] {
            assert!(serde_json::from_str::<Action>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn every_kind_has_a_unique_name_that_parses_back() {
        for &k in ActionKind::ALL {
            assert_eq!(ActionKind::parse(k.name()), Some(k));
        }
        let mut names: Vec<_> = ActionKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ActionKind::ALL.len());
    }
}
