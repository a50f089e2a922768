//! The access log: every read of person data, and every refused attempt, with who, when and why.

use gennemgang_case::actor::Role;
use serde::{Deserialize, Serialize};

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// When.
    pub at: jiff::Timestamp,
    /// Who.
    pub user: String,
    /// In which role.
    pub role: Role,
    /// For which municipality.
    pub municipality: Option<u16>,
    /// The case read, if one.
    pub case_id: Option<i64>,
    /// What was read (e.g. `case`, `events`, `health_information`, `list`).
    pub what: String,
    /// The stated purpose, for sensitive reads.
    pub purpose: Option<String>,
    /// Whether access was granted.
    pub allowed: bool,
}

impl AccessEntry {
    /// What was read, as the citizen and the caseworker read it (the access-log page, an aktindsigt).
    #[must_use]
    pub fn what_danish(&self) -> String {
        let numbered = |prefix: &str| self.what.strip_prefix(prefix).map(str::trim);
        if let Some(n) = numbered("document ") {
            return format!("dokument nr. {n}");
        }
        if let Some(n) = numbered("aktindsigt ") {
            return format!("aktindsigt nr. {n} (udlevering af sagen)");
        }
        match self.what.as_str() {
            "case" => "sagen",
            "list" => "sagslisten",
            "search" => "en søgning, der fandt sagen",
            "cpr" => "det fulde CPR-nummer",
            "events" => "sagens historik",
            "act" => "et forsøg på at handle på sagen",
            "letter" => "et brev i sagen",
            "access_log" => "sagens adgangslog",
            "criminal_record" => "oplysninger fra kriminalregistret",
            "health_information" => "helbredsoplysninger",
            "transfer" => "overdragelse af sager mellem sagsbehandlere",
            _ => "andre oplysninger i sagen",
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_is_said_in_danish() {
        let entry = |what: &str| AccessEntry {
            at: jiff::Timestamp::UNIX_EPOCH,
            user: "sb".into(),
            role: Role::HomeCaseworker,
            municipality: Some(159),
            case_id: Some(1),
            what: what.into(),
            purpose: None,
            allowed: true,
        };
        assert_eq!(entry("document 2").what_danish(), "dokument nr. 2");
        assert_eq!(entry("cpr").what_danish(), "det fulde CPR-nummer");
        for what in
            ["case", "list", "search", "events", "act", "letter", "access_log", "health_information", "transfer"]
        {
            let said = entry(what).what_danish();
            assert!(!said.contains('_') && said != "andre oplysninger i sagen", "{what}: {said}");
        }
    }
}
