//! Demo users: one per role in the home municipalities with the most cases and in their deciding
//! municipalities, all with the same password, printed as CONTRACT.md says.

use crate::auth::{AuthError, hash_password};
use gennemgang_case::actor::Role;
use gennemgang_case::facts::Routing;
use gennemgang_store::{Store, User};

/// A demo user as printed: `user USERNAME ROLE MUNICIPALITY_CODE PASSWORD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoUser {
    /// User name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Municipality code (0 for national roles).
    pub municipality: u16,
}

/// Creates (or resets) demo users: a team lead and two caseworkers in each of the `homes` municipalities
/// with the most cases (at least three), a caseworker and two approvers in each of their deciding
/// municipalities, a ministry analyst and an administrator. All get `password`.
///
/// # Errors
/// The store or the password hashing fails.
pub async fn create_users<S: Store>(store: &S, password: &str, homes: usize) -> Result<Vec<DemoUser>, AuthError> {
    let cases = store.cases().await?;
    let mut counts: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
    for c in &cases {
        *counts.entry(c.home_municipality).or_default() += 1;
    }
    let mut ranked: Vec<(u16, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let routing = Routing::default();
    let mut chosen: Vec<u16> = ranked.iter().map(|&(m, _)| m).take(homes.max(3)).collect();
    // Pad with large municipalities of other regions until there are enough home municipalities and at
    // least two regions' deciding municipalities, so that every role can be tried against another's cases.
    for m in [101, 751, 461, 851, 265, 159, 147] {
        let deciding: std::collections::BTreeSet<u16> =
            chosen.iter().filter_map(|&c| routing.deciding_for(c)).collect();
        if chosen.len() >= homes.max(3) && deciding.len() >= 2 {
            break;
        }
        let new_region = routing.deciding_for(m).is_some_and(|d| !deciding.contains(&d));
        if !chosen.contains(&m) && (chosen.len() < homes.max(3) || new_region) {
            chosen.push(m);
        }
    }
    let mut deciding: Vec<u16> = chosen.iter().filter_map(|&m| routing.deciding_for(m)).collect();
    deciding.sort_unstable();
    deciding.dedup();
    let mut users = Vec::new();
    for &m in &chosen {
        users.push(DemoUser { username: format!("leder{m}"), role: Role::HomeTeamLead, municipality: m });
        users.push(DemoUser { username: format!("sagsbehandler{m}"), role: Role::HomeCaseworker, municipality: m });
        users.push(DemoUser { username: format!("sagsbehandler{m}b"), role: Role::HomeCaseworker, municipality: m });
    }
    for &m in &deciding {
        users.push(DemoUser { username: format!("afgoerelse{m}"), role: Role::DecidingCaseworker, municipality: m });
        users.push(DemoUser { username: format!("attestant{m}"), role: Role::DecidingApprover, municipality: m });
        users.push(DemoUser { username: format!("attestant{m}b"), role: Role::DecidingApprover, municipality: m });
    }
    users.push(DemoUser { username: "analytiker".into(), role: Role::MinistryAnalyst, municipality: 0 });
    users.push(DemoUser { username: "drift".into(), role: Role::Administrator, municipality: 0 });
    let hash = hash_password(password)?;
    for u in &users {
        store
            .put_user(&User {
                username: u.username.clone(),
                password_hash: hash.clone(),
                role: u.role,
                municipality: (u.municipality != 0).then_some(u.municipality),
                failed_logins: 0,
                locked_until: None,
            })
            .await?;
    }
    Ok(users)
}
