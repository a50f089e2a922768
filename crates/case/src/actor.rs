//! Who acts: a user with a role in a municipality.

use serde::{Deserialize, Serialize};

/// The roles of the review (the users of the mission), plus the system itself for imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sagsbehandler in a home municipality: works the cases assigned to them in phases 1 and 2.
    HomeCaseworker,
    /// Teamleder in a home municipality: sees all the municipality's cases and assigns them.
    HomeTeamLead,
    /// Sagsbehandler in a deciding municipality: phase 3 and after, for cases sent to it.
    DecidingCaseworker,
    /// Attestant in a deciding municipality: approves or rejects proposed revocations (four eyes).
    DecidingApprover,
    /// Analyst in the ministry: aggregates only, never person data.
    MinistryAnalyst,
    /// Runs the system: users and rules, never case content.
    Administrator,
    /// The system itself (imports and register flags); no person logs in with it.
    System,
}

impl Role {
    /// The name used in files and the API.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::HomeCaseworker => "home_caseworker",
            Role::HomeTeamLead => "home_team_lead",
            Role::DecidingCaseworker => "deciding_caseworker",
            Role::DecidingApprover => "deciding_approver",
            Role::MinistryAnalyst => "ministry_analyst",
            Role::Administrator => "administrator",
            Role::System => "system",
        }
    }

    /// The role as a Dane reads it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            Role::HomeCaseworker => "Sagsbehandler",
            Role::HomeTeamLead => "Teamleder",
            Role::DecidingCaseworker => "Sagsbehandler, afgørelseskommune",
            Role::DecidingApprover => "Attestant",
            Role::MinistryAnalyst => "Analytiker, ministeriet",
            Role::Administrator => "Administrator",
            Role::System => "System",
        }
    }

    /// The role with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Role> {
        [
            Role::HomeCaseworker,
            Role::HomeTeamLead,
            Role::DecidingCaseworker,
            Role::DecidingApprover,
            Role::MinistryAnalyst,
            Role::Administrator,
            Role::System,
        ]
        .into_iter()
        .find(|r| r.name() == name)
    }
}

/// A user acting in a role for a municipality (none for the ministry, administrators and the system).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// User name.
    pub user: String,
    /// Role.
    pub role: Role,
    /// Municipality code, for municipal roles.
    pub municipality: Option<u16>,
}

impl Actor {
    /// The system actor used by imports.
    #[must_use]
    pub fn system() -> Actor {
        Actor { user: "system".into(), role: Role::System, municipality: None }
    }
}
