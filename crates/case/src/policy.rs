//! Who may see and do what: access follows the task. Every combination of
//! role and access is matched explicitly; a case a user may not see does not exist for that user.

use crate::action::{Action, ActionKind, Source};
use crate::actor::{Actor, Role};
use crate::case::{Case, Phase};

/// What is asked for.
#[derive(Clone, Copy, Debug)]
pub enum Access<'a> {
    /// List cases (the list is filtered by [`can_see`]).
    ListCases,
    /// Read a case's ordinary content and history.
    ReadCase,
    /// Read health or criminal-record details, inside a task, with a stated purpose.
    ReadSensitive {
        /// Which kind of sensitive source.
        source: Source,
        /// Why (logged with the read).
        purpose: &'a str,
    },
    /// Perform an action.
    Act(&'a Action),
    /// Read aggregate statistics.
    Statistics,
    /// Manage users and rules.
    Administer,
}

/// Why access is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The case does not exist for this user (answer 404, log the attempt).
    #[error("sagen findes ikke")]
    NotVisible,
    /// The user may see the case but not do this.
    #[error("{0}")]
    Forbidden(&'static str),
}

/// Whether the user may see the case at all.
#[must_use]
pub fn can_see(actor: &Actor, case: &Case) -> bool {
    let own_home = actor.municipality == Some(case.home_municipality);
    let own_deciding = case.deciding_municipality.is_some() && actor.municipality == case.deciding_municipality;
    let decision_or_later = case.phase() >= Phase::Decision && case.deciding_municipality.is_some();
    match actor.role {
        Role::HomeTeamLead => own_home,
        Role::HomeCaseworker => own_home && case.assigned_to.as_deref() == Some(actor.user.as_str()),
        Role::DecidingCaseworker | Role::DecidingApprover => own_deciding && decision_or_later,
        Role::MinistryAnalyst | Role::Administrator => false,
        Role::System => true,
    }
}

/// The cases a user may see, as a query can select them (the same rule as [`can_see`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every case (the system).
    All,
    /// The cases of a home municipality (team lead).
    Home(u16),
    /// The cases of a home municipality assigned to one caseworker.
    Assigned(u16, String),
    /// The cases sent to a deciding municipality, from phase 3 on.
    Deciding(u16),
}

impl Scope {
    /// Whether the scope contains the case; equal to [`can_see`] for the scope's user.
    #[must_use]
    pub fn contains(&self, case: &Case) -> bool {
        match self {
            Scope::All => true,
            Scope::Home(m) => case.home_municipality == *m,
            Scope::Assigned(m, user) => {
                case.home_municipality == *m && case.assigned_to.as_deref() == Some(user.as_str())
            }
            Scope::Deciding(m) => case.deciding_municipality == Some(*m) && case.phase() >= Phase::Decision,
        }
    }
}

/// The scope of the cases the user may see; `None` for roles that see no cases.
#[must_use]
pub fn scope(actor: &Actor) -> Option<Scope> {
    match (actor.role, actor.municipality) {
        (Role::System, _) => Some(Scope::All),
        (Role::HomeTeamLead, Some(m)) => Some(Scope::Home(m)),
        (Role::HomeCaseworker, Some(m)) => Some(Scope::Assigned(m, actor.user.clone())),
        (Role::DecidingCaseworker | Role::DecidingApprover, Some(m)) => Some(Scope::Deciding(m)),
        (Role::HomeTeamLead | Role::HomeCaseworker | Role::DecidingCaseworker | Role::DecidingApprover, None)
        | (Role::MinistryAnalyst | Role::Administrator, _) => None,
    }
}

/// Which side of the model performs an action.
enum Side {
    System,
    HomeAssign,
    Home,
    HomeClose,
    Deciding,
    Approver,
}

/// The side that performs an action of `kind` on this case. Exhaustive: a new action kind does not compile
/// until it has a side here.
fn side_of(kind: ActionKind, case: &Case) -> Side {
    use ActionKind as K;
    match kind {
        // The system informs Udbetaling Danmark once a notice is due; no person sends or forgets it.
        K::Import | K::RegisterFlag | K::SendPaymentNotice => Side::System,
        K::Assign => Side::HomeAssign,
        K::Close if case.phase() <= Phase::Reopening => Side::HomeClose,
        // Letters come from whoever holds the case: home until it was sent on, then the deciding municipality.
        K::SendLetter
        | K::RecordDelay
        | K::RecordContact
        | K::AddDocument
        | K::RegisterAccessRequest
        | K::AnswerAccessRequest
            if case.deciding_municipality.is_none() || case.phase() <= Phase::Reopening =>
        {
            Side::Home
        }
        K::RecordDelay | K::RecordContact | K::AddDocument | K::RegisterAccessRequest | K::AnswerAccessRequest => {
            Side::Deciding
        }
        K::RecordEvidence
        | K::MarkNotRelevant
        | K::Summon
        | K::HoldInterview
        | K::RegisterNoShow
        | K::DecideOnExistingBasis
        | K::AssessNoGround
        | K::AssessReopen
        | K::NotifyReopening
        | K::RecordConsent
        | K::RecordHealthInformation
        | K::RecordWorkTrial
        | K::RequestInformation
        | K::RecordInformation
        | K::RecordRecommendation
        | K::NoNewInformation
        | K::StartHearing
        | K::CompleteHearing
        | K::SendToDeciding => Side::Home,
        // Four eyes: the approver approves or rejects, and only the approver sets the hearing aside.
        K::ApproveRevocation | K::RejectRevocation | K::WithdrawDecision | K::RecordHearingException => Side::Approver,
        K::Reassess
        | K::Receive
        | K::Validate
        | K::SendBack
        | K::RePresent
        | K::Schedule
        | K::RequestHearingInPerson
        | K::RecordHearingInPerson
        | K::WithdrawHearingInPerson
        | K::ProposeRevocation
        | K::Uphold
        | K::SendDecisionLetter
        | K::SendLetter
        | K::ReceiveComplaint
        | K::ForwardToAppealsBoard
        | K::RecordAppealsOutcome
        | K::Close => Side::Deciding,
    }
}

/// Whether the user's role performs an action of `kind` on this case (the access half of offering an
/// action; whether the state allows it is [`crate::decide::candidates`]).
#[must_use]
pub fn may_perform(actor: &Actor, case: &Case, kind: ActionKind) -> bool {
    can_see(actor, case)
        && matches!(
            (side_of(kind, case), actor.role),
            (Side::System, Role::System)
                | (Side::HomeAssign | Side::HomeClose, Role::HomeTeamLead)
                | (Side::HomeClose | Side::Home, Role::HomeCaseworker)
                | (Side::Deciding, Role::DecidingCaseworker)
                | (Side::Approver, Role::DecidingApprover)
        )
}

/// Whether the user may see the citizen's address. With name and address protection (CPR-loven § 28) the
/// address may be used to send the citizen letters and is passed on to no one else: so only whoever may
/// send the case's letters sees it; everyone else who sees the case is told that it is protected.
#[must_use]
pub fn may_see_address(actor: &Actor, case: &Case) -> bool {
    can_see(actor, case) && (!case.citizen.address_protected || may_perform(actor, case, ActionKind::SendLetter))
}

/// Decides an access. `case` is `None` for accesses that are not about one case.
///
/// # Errors
/// [`Denied::NotVisible`] when the case does not exist for the user; [`Denied::Forbidden`] otherwise.
pub fn authorize(actor: &Actor, case: Option<&Case>, access: Access<'_>) -> Result<(), Denied> {
    match (access, case) {
        (Access::Statistics, _) => match actor.role {
            Role::MinistryAnalyst | Role::HomeTeamLead | Role::DecidingApprover | Role::Administrator => Ok(()),
            Role::HomeCaseworker | Role::DecidingCaseworker | Role::System => {
                Err(Denied::Forbidden("statistik er for teamledere, attestanter, ministeriet og driften"))
            }
        },
        (Access::Administer, _) => match actor.role {
            Role::Administrator => Ok(()),
            _ => Err(Denied::Forbidden("kun administratorer")),
        },
        (Access::ListCases, _) => match actor.role {
            Role::HomeCaseworker
            | Role::HomeTeamLead
            | Role::DecidingCaseworker
            | Role::DecidingApprover
            | Role::System => Ok(()),
            Role::MinistryAnalyst | Role::Administrator => Err(Denied::Forbidden("ingen adgang til persondata")),
        },
        (Access::ReadCase | Access::ReadSensitive { .. } | Access::Act(_), None) => Err(Denied::NotVisible),
        (_, Some(case)) if !can_see(actor, case) => Err(Denied::NotVisible),
        (Access::ReadCase, Some(_)) => Ok(()),
        (Access::ReadSensitive { source, purpose }, Some(case)) => {
            if !source.is_sensitive() {
                return Ok(());
            }
            if crate::text::refused(purpose).is_some() {
                return Err(Denied::Forbidden("angiv formålet med at se følsomme oplysninger"));
            }
            let phase = case.phase();
            let in_task = match (actor.role, source) {
                (Role::HomeCaseworker, Source::CriminalRecord) => phase == Phase::Review,
                (Role::HomeCaseworker, _) => phase == Phase::Reopening,
                (Role::DecidingCaseworker | Role::DecidingApprover, _) => {
                    matches!(phase, Phase::Decision | Phase::AfterDecision)
                }
                (Role::HomeTeamLead | Role::MinistryAnalyst | Role::Administrator | Role::System, _) => false,
            };
            if in_task {
                Ok(())
            } else {
                Err(Denied::Forbidden("følsomme oplysninger vises kun i den opgave, der kræver dem"))
            }
        }
        (Access::Act(action), Some(case)) => match (side_of(action.kind(), case), actor.role) {
            (Side::System, Role::System)
            | (Side::HomeAssign | Side::HomeClose, Role::HomeTeamLead)
            | (Side::HomeClose, Role::HomeCaseworker)
            | (Side::Home, Role::HomeCaseworker)
            | (Side::Deciding, Role::DecidingCaseworker)
            | (Side::Approver, Role::DecidingApprover) => Ok(()),
            (Side::System, _) => Err(Denied::Forbidden("kun systemet registrerer importer og registerændringer")),
            (Side::HomeAssign, _) => Err(Denied::Forbidden("kun teamlederen fordeler sager")),
            (Side::Home | Side::HomeClose, _) => {
                Err(Denied::Forbidden("handlingen udføres af sagsbehandleren i bopælskommunen"))
            }
            (Side::Deciding, _) => Err(Denied::Forbidden("handlingen udføres af sagsbehandleren i afgørelseskommunen")),
            (Side::Approver, _) => Err(Denied::Forbidden(
                "kun en attestant godkender eller afviser en frakendelse eller registrerer en undtagelse fra partshøring",
            )),
        },
    }
}
