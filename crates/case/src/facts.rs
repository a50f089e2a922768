//! What a case is about: the facts the screening found, and which law the pension was awarded under.

use gennemgang_rules::target::Scheme;
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

/// The pension's legal regime at the award, which phase 3 decides under ("iht. gældende regler ved
/// tilkendelsestidspunkt", seed 000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardLaw {
    /// The pre-2003 law (GFPL); cannot be revoked (GFPL § 44).
    Gfpl,
    /// Lov om social pension as in force 2003-2012.
    Pl2003,
    /// Lov om social pension after the 2013 reform (lov nr. 1380 af 23/12 2012, in force 1 January 2013).
    Pl2013,
}

impl AwardLaw {
    /// The law in force at the award: PL awards from 1 January 2013 fall under the reformed rules (the
    /// 2013 førtidspension reform, lov nr. 1380 af 23/12 2012); earlier PL awards under the 2003 rules.
    #[must_use]
    pub fn at_award(scheme: Scheme, awarded_on: Date) -> AwardLaw {
        match scheme {
            Scheme::Gfpl => AwardLaw::Gfpl,
            Scheme::Pl if awarded_on < date(2013, 1, 1) => AwardLaw::Pl2003,
            Scheme::Pl => AwardLaw::Pl2013,
        }
    }

    /// Danish description for decisions.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            AwardLaw::Gfpl => "lov om højeste, mellemste, forhøjet almindelig og almindelig førtidspension (før 2003)",
            AwardLaw::Pl2003 => "lov om social pension som gældende 2003-2012",
            AwardLaw::Pl2013 => "lov om social pension efter reformen pr. 1. januar 2013",
        }
    }
}

/// The facts a case starts from (one included row of the screening).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseFacts {
    /// Full CPR number, as text. Kept in the store; never logged.
    pub cpr: String,
    /// Birth date.
    pub birth_date: Date,
    /// Award date.
    pub awarded_on: Date,
    /// Scheme.
    pub scheme: SchemeCode,
    /// Home municipality at import.
    pub municipality_code: u16,
    /// Housing area.
    pub area_id: String,
    /// The screening's as-of date.
    pub screened_as_of: Date,
    /// A veteran whose pension cannot be revoked (PL § 44, stk. 5).
    pub protected_veteran: bool,
    /// Why the screening put the person in the target group: each criterion with the rule it comes from
    /// (empty for cases imported without it; absent from events written before it was recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub screening_reason: String,
    /// The citizen's name and address as CPR held them at the screening (absent from events written
    /// before the registers gave them, and where they did not).
    #[serde(default, skip_serializing_if = "Citizen::is_unknown")]
    pub citizen: Citizen,
}

/// Who the case is about, as CPR holds it: the name, the address letters are posted to, and whether the
/// citizen has name and address protection (navne- og adressebeskyttelse, CPR-loven § 28), which means
/// the address may be used to send the citizen letters but is never passed on or shown to anyone who has
/// no letter to send.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Citizen {
    /// The full name as CPR holds it (empty when the registers gave none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The address on the screening date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Name and address protection (CPR-loven § 28).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub address_protected: bool,
}

/// A Danish postal address.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    /// Street, number, floor and side ("Bøgeparken 12, 3. tv").
    pub street: String,
    /// Postcode ("8210").
    pub postcode: String,
    /// Town of the postcode ("Aarhus V").
    pub city: String,
}

impl Address {
    /// The postcode and town, as the address's last line.
    #[must_use]
    pub fn town(&self) -> String {
        format!("{} {}", self.postcode, self.city).trim().to_owned()
    }
}

impl Citizen {
    /// Whether the registers gave nothing.
    #[must_use]
    pub fn is_unknown(&self) -> bool {
        self.name.is_empty() && self.address.is_none() && !self.address_protected
    }

    /// What differs in `newer`, for the flag a newer screening sets.
    #[must_use]
    pub fn changes(&self, newer: &Citizen) -> Vec<CitizenChange> {
        let mut out = Vec::new();
        if self.name != newer.name {
            out.push(CitizenChange::Name);
        }
        if self.address != newer.address {
            out.push(CitizenChange::Address);
        }
        if self.address_protected != newer.address_protected {
            out.push(if newer.address_protected {
                CitizenChange::ProtectionGiven
            } else {
                CitizenChange::ProtectionLifted
            });
        }
        out
    }
}

/// One thing a newer screening found changed about the citizen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CitizenChange {
    /// A new name.
    Name,
    /// A new address.
    Address,
    /// Name and address protection given.
    ProtectionGiven,
    /// Name and address protection lifted.
    ProtectionLifted,
}

impl CitizenChange {
    /// As the caseworker reads it.
    #[must_use]
    pub fn danish(self) -> &'static str {
        match self {
            CitizenChange::Name => "nyt navn",
            CitizenChange::Address => "ny adresse",
            CitizenChange::ProtectionGiven => "navne- og adressebeskyttelse givet",
            CitizenChange::ProtectionLifted => "navne- og adressebeskyttelse ophævet",
        }
    }
}

impl std::fmt::Debug for Citizen {
    /// Nothing but whether each part is known: names and addresses are person data, and debug output can
    /// end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Citizen")
            .field("name", &if self.name.is_empty() { "" } else { "…" })
            .field("address", &self.address.as_ref().map(|_| "…"))
            .field("address_protected", &self.address_protected)
            .finish()
    }
}

impl std::fmt::Debug for Address {
    /// Hidden: an address is person data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Address(…)")
    }
}

/// Scheme as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SchemeCode {
    /// PL.
    Pl,
    /// GFPL.
    Gfpl,
}

impl SchemeCode {
    /// As the rules' scheme.
    #[must_use]
    pub fn scheme(self) -> Scheme {
        match self {
            SchemeCode::Pl => Scheme::Pl,
            SchemeCode::Gfpl => Scheme::Gfpl,
        }
    }
}

impl CaseFacts {
    /// The law in force at the award.
    #[must_use]
    pub fn award_law(&self) -> AwardLaw {
        AwardLaw::at_award(self.scheme.scheme(), self.awarded_on)
    }

    /// The 60th birthday, after which a pension cannot be revoked without consent (PL § 44, stk. 3).
    #[must_use]
    pub fn sixtieth_birthday(&self) -> Date {
        gennemgang_rules::date::add_months(self.birth_date, 60 * 12)
    }
}

/// The deciding municipality of each region and each one's pension board: configurable, because the model
/// leaves the choice to be made ("udvalgte kommuner i de enkelte regioner", seed 000), no list was found
/// (RULES.md § 8.2), and every board meets on its own published dates (seed 004).
#[derive(Clone, Debug)]
pub struct Routing {
    /// (region code, deciding municipality code).
    pub deciding: Vec<(u16, u16)>,
    /// The boards of the deciding municipalities.
    pub boards: Vec<BoardSetup>,
    /// The municipalities' published processing deadlines (RSL § 3, stk. 2), later entries first.
    pub deadlines: Vec<ProcessingDeadlines>,
    /// The home municipalities that present a reopened case to their rehabilitation team (seed 004).
    pub presents_to_team: Vec<u16>,
    /// Whether this is the built-in placeholder (shown as such wherever it is used).
    pub placeholder: bool,
}

/// A municipality's published processing deadlines for the review's phases, in weeks (RSL § 3, stk. 2:
/// the municipality fixes and publishes how long may pass before a decision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessingDeadlines {
    /// The municipalities it applies to; empty for every municipality no other entry names.
    pub municipalities: Vec<u16>,
    /// Phase 1 (home municipality), from the start of the review.
    pub review_weeks: u16,
    /// Phase 2 (home municipality), from the reopening.
    pub reopening_weeks: u16,
    /// Phase 3 (deciding municipality), from the day the case was sent to it.
    pub decision_weeks: u16,
    /// Where the municipality publishes them.
    pub source: String,
}

/// A deciding municipality's pension board: who sits on it, how long before a meeting a case must be
/// ready, and its meeting calendar.
#[derive(Clone, Debug)]
pub struct BoardSetup {
    /// The deciding municipality.
    pub municipality: u16,
    /// Its members, by their role (e.g. two team leaders).
    pub members: Vec<String>,
    /// Days a case must be ready before a meeting.
    pub prepare_days: u16,
    /// The meetings.
    pub meetings: gennemgang_rules::calendar::params::Board,
}

impl Default for Routing {
    /// A placeholder until the selected municipalities are known: the largest municipality of each region
    /// (Aalborg, Aarhus, Odense, København, Roskilde), with no boards of their own (the built-in example
    /// calendar applies, marked as an example).
    fn default() -> Routing {
        Routing {
            deciding: vec![(1081, 851), (1082, 751), (1083, 461), (1084, 101), (1085, 265)],
            boards: Vec::new(),
            // An example only: every municipality publishes its own.
            deadlines: vec![ProcessingDeadlines {
                municipalities: Vec::new(),
                review_weeks: 13,
                reopening_weeks: 26,
                decision_weeks: 13,
                source: "Eksempel; kommunens egne offentliggjorte frister er ikke indlæst".into(),
            }],
            presents_to_team: Vec::new(),
            placeholder: true,
        }
    }
}

impl Routing {
    /// The deciding municipality for a home municipality.
    #[must_use]
    pub fn deciding_for(&self, home: u16) -> Option<u16> {
        let region = gennemgang_rules::municipality::by_code(home)?.region.code();
        self.deciding.iter().find(|(r, _)| *r == region).map(|&(_, m)| m)
    }

    /// The processing deadlines `municipality` has published: the last entry naming it, else the entry
    /// for every municipality.
    #[must_use]
    pub fn deadlines_of(&self, municipality: u16) -> Option<&ProcessingDeadlines> {
        self.deadlines
            .iter()
            .rev()
            .find(|d| d.municipalities.contains(&municipality))
            .or_else(|| self.deadlines.iter().rev().find(|d| d.municipalities.is_empty()))
    }

    /// Whether `municipality` presents a reopened case to its rehabilitation team.
    #[must_use]
    pub fn presents_to_team(&self, municipality: u16) -> bool {
        self.presents_to_team.contains(&municipality)
    }

    /// The configured board of a deciding municipality.
    #[must_use]
    pub fn board(&self, municipality: Option<u16>) -> Option<&BoardSetup> {
        let m = municipality?;
        self.boards.iter().find(|b| b.municipality == m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn award_law_by_date() {
        assert_eq!(AwardLaw::at_award(Scheme::Pl, date(2012, 12, 31)), AwardLaw::Pl2003);
        assert_eq!(AwardLaw::at_award(Scheme::Pl, date(2013, 1, 1)), AwardLaw::Pl2013);
        assert_eq!(AwardLaw::at_award(Scheme::Gfpl, date(1999, 1, 1)), AwardLaw::Gfpl);
    }

    #[test]
    fn routing_by_region() {
        let routing = Routing::default();
        assert_eq!(routing.deciding_for(159), Some(101), "Gladsaxe → København (Hovedstaden)");
        assert_eq!(routing.deciding_for(461), Some(461));
        assert_eq!(routing.deciding_for(999), None);
    }
}

/// The CPR number masked (`DDMMYY-****`), for debug output and anything else that may reach a log.
#[must_use]
pub fn masked_cpr(cpr: &str) -> String {
    format!("{}-****", cpr.get(..6).unwrap_or("??????"))
}

impl std::fmt::Debug for CaseFacts {
    /// Everything but the CPR number, which is masked: debug output can end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseFacts")
            .field("cpr", &masked_cpr(&self.cpr))
            .field("birth_date", &self.birth_date)
            .field("awarded_on", &self.awarded_on)
            .field("scheme", &self.scheme)
            .field("municipality_code", &self.municipality_code)
            .field("area_id", &self.area_id)
            .field("screened_as_of", &self.screened_as_of)
            .field("protected_veteran", &self.protected_veteran)
            .field("citizen", &self.citizen)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    #[test]
    fn debug_output_masks_the_cpr_number() {
        let facts = CaseFacts {
            cpr: "6105801001".into(),
            birth_date: date(1980, 5, 1),
            awarded_on: date(2015, 6, 1),
            scheme: SchemeCode::Pl,
            municipality_code: 159,
            area_id: "A1".into(),
            screened_as_of: date(2026, 12, 1),
            protected_veteran: false,
            screening_reason: "nytilkommen fra VN".into(),
            citizen: Citizen {
                name: "Nguyễn Thị Hương".into(),
                address: Some(Address {
                    street: "Bøgeparken 12, 3. tv".into(),
                    postcode: "8210".into(),
                    city: "Aarhus V".into(),
                }),
                address_protected: true,
            },
        };
        let text = format!("{facts:?}");
        assert!(text.contains("610580-****") && !text.contains("6105801001") && !text.contains("VN"), "{text}");
        for secret in ["Nguy", "Bøgeparken", "8210", "Aarhus"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
