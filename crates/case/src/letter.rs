//! The letters a case sends the citizen, as the history records them: which kind, how, when, and the
//! message id and digest of the document that was handed to the postal service. The text itself is composed
//! by gennemgang-letters; the case only knows what was sent.

use crate::action::Channel;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The kinds of letter (CONTRACT.md `gennemgang letter --kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    /// Indkaldelse til samtale.
    Summons,
    /// Varsel om genåbning og anmodning om samtykke.
    Reopening,
    /// Partshøring (FVL § 19).
    Hearing,
    /// Indbydelse til foretræde for pensionsnævnet.
    InPersonInvitation,
    /// Sagen genforelægges for rehabiliteringsteamet, og hvorfor.
    RePresentation,
    /// Sagsbehandlingsfristen kan ikke holdes: hvornår der kan forventes en afgørelse (RSL § 3, stk. 2).
    Delay,
    /// Afgørelse om frakendelse.
    DecisionRevocation,
    /// Afgørelse på den genåbnede sag: pensionen fastholdes.
    DecisionUpheld,
    /// Orientering: gennemgangen er afsluttet uden genåbning (no decision, so no complaint guidance).
    ReviewClosed,
    /// Kvittering for klage.
    ComplaintReceipt,
    /// Klagen er sendt videre til Ankestyrelsen.
    Forwarding,
    /// Svar på en anmodning om aktindsigt (FVL § 9): what the file holds, what is withheld and why.
    AccessAnswer,
}

impl LetterKind {
    /// Every kind, in the order of a case.
    pub const ALL: [LetterKind; 12] = [
        LetterKind::Summons,
        LetterKind::Reopening,
        LetterKind::Hearing,
        LetterKind::InPersonInvitation,
        LetterKind::RePresentation,
        LetterKind::Delay,
        LetterKind::DecisionRevocation,
        LetterKind::DecisionUpheld,
        LetterKind::ReviewClosed,
        LetterKind::ComplaintReceipt,
        LetterKind::Forwarding,
        LetterKind::AccessAnswer,
    ];

    /// The name used on the command line and in the API.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Summons => "summons",
            LetterKind::Reopening => "reopening",
            LetterKind::Hearing => "hearing",
            LetterKind::InPersonInvitation => "in-person-invitation",
            LetterKind::RePresentation => "re-presentation",
            LetterKind::Delay => "delay",
            LetterKind::DecisionRevocation => "decision-revocation",
            LetterKind::DecisionUpheld => "decision-upheld",
            LetterKind::ReviewClosed => "review-closed",
            LetterKind::ComplaintReceipt => "complaint-receipt",
            LetterKind::Forwarding => "forwarding",
            LetterKind::AccessAnswer => "access-answer",
        }
    }

    /// From the name.
    #[must_use]
    pub fn parse(name: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The Danish title.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            LetterKind::Summons => "Indkaldelse til samtale om din førtidspension",
            LetterKind::Reopening => "Vi genåbner din sag om førtidspension",
            LetterKind::Hearing => "Partshøring: vi beder om dine bemærkninger",
            LetterKind::InPersonInvitation => "Indbydelse til foretræde for pensionsnævnet",
            LetterKind::RePresentation => "Din sag skal genforelægges for rehabiliteringsteamet",
            LetterKind::Delay => "Din sag tager længere tid end kommunens frist",
            LetterKind::DecisionRevocation => "Afgørelse: din førtidspension frakendes",
            LetterKind::DecisionUpheld => "Afgørelse: du beholder din førtidspension",
            LetterKind::ReviewClosed => "Gennemgangen af din sag om førtidspension er afsluttet",
            LetterKind::ComplaintReceipt => "Vi har modtaget din klage",
            LetterKind::Forwarding => "Din klage er sendt til Ankestyrelsen",
            LetterKind::AccessAnswer => "Svar på din anmodning om aktindsigt",
        }
    }

    /// Whether the letter is a decision with legal effect (MeMo `legalNotification`).
    #[must_use]
    pub fn is_decision(self) -> bool {
        matches!(self, LetterKind::DecisionRevocation | LetterKind::DecisionUpheld)
    }
}

/// A letter the case has sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentLetter {
    /// Kind.
    pub kind: LetterKind,
    /// Digital Post or post.
    pub channel: Channel,
    /// The day it was sent.
    pub sent_on: Date,
    /// The message id (MeMo `messageUUID`, or the print job's id).
    pub message_id: String,
    /// SHA-256 of the PDF.
    pub document_sha256: String,
}

/// What a notice to Udbetaling Danmark, which pays the pension, tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentNoticeKind {
    /// A revocation was decided and notified: payment stops after its last day.
    Stop,
    /// A revocation was reversed (reassessment, Ankestyrelsen, or set aside): payment resumes.
    Resume,
}

impl PaymentNoticeKind {
    /// The name used in files and the API.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PaymentNoticeKind::Stop => "stop",
            PaymentNoticeKind::Resume => "resume",
        }
    }

    /// In Danish.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            PaymentNoticeKind::Stop => "ophør af udbetaling",
            PaymentNoticeKind::Resume => "genoptagelse af udbetaling",
        }
    }
}

/// A notice the case has sent to Udbetaling Danmark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentNotice {
    /// What it told.
    pub kind: PaymentNoticeKind,
    /// The revocation's date of effect it concerned (for a stop).
    pub effective_from: Option<Date>,
    /// The last day paid (for a stop).
    pub last_paid_day: Option<Date>,
    /// The day it was sent.
    pub sent_on: Date,
    /// Its id (the same notice always has the same id).
    pub message_id: String,
    /// SHA-256 of the document sent, hex.
    pub document_sha256: String,
}
