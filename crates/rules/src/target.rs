//! The target group ("målgruppen"): whose case must be reviewed, with a reason naming each rule.
//!
//! Seed 000, "Målgruppekriterier": newcomers on førtidspension awarded after 1 January 2003, under 60, living
//! in the selected housing areas, less the exempted. Each condition is a [`Check`] with its own legal
//! basis; the answer is their three-valued conjunction, so a missing register value gives "undecided"
//! instead of a silent yes or no.

use crate::date::{age_on, danish};
use crate::newcomer::{self, Direction, Movement, NewcomerFinding, NewcomerParams};
use crate::tri::Tri;
use jiff::civil::{Date, date};

/// Which law the pension was awarded under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Lov om social pension (awards from 1 January 2003).
    Pl,
    /// The pre-2003 law (højeste, mellemste, forhøjet almindelig, almindelig førtidspension).
    Gfpl,
}

/// The pension's state in the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PensionStatus {
    /// Being paid.
    Active,
    /// Hvilende: kept but not paid.
    Dormant,
    /// Stopped.
    Ceased,
}

/// Whether a dormant ("hvilende") pension counts as being "på førtidspension" in the model's target group.
///
/// This is a reading, not verified law. The model's target group is "personer på førtidspension"; the
/// sources (../shared/rules/RULES.md § 1 and § 2, after STAR and Ældre Sagen) say only that the municipality
/// may let a pension rest when the pensioner can support him/herself over a longer period, and that payment
/// resumes on request; the paragraph of the pension law that governs it is not verified there, and no source
/// says whether a resting pension is "på førtidspension" for the review. PL § 44 (frakendelse) speaks of the
/// awarded pension, which a dormant pension still is and which resumes without a new award, so
/// [`DormantReading::Counts`] is defensible. The default, [`DormantReading::Excluded`], follows the model's
/// wording — a person "på førtidspension" is one it is paid to — and is what the screening always did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DormantReading {
    /// A dormant pension is not "på førtidspension": nothing is paid (the model's wording; the default).
    #[default]
    Excluded,
    /// A dormant pension counts: the award stands, is not frakendt and resumes on request (PL § 44 speaks
    /// of the award).
    Counts,
}

impl DormantReading {
    /// Every reading, in CLI order.
    pub const ALL: [DormantReading; 2] = [DormantReading::Counts, DormantReading::Excluded];

    /// Parses the CLI spelling.
    #[must_use]
    pub fn parse(text: &str) -> Option<DormantReading> {
        DormantReading::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The CLI and manifest spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DormantReading::Counts => "counts",
            DormantReading::Excluded => "excluded",
        }
    }

    fn danish(self) -> &'static str {
        match self {
            DormantReading::Excluded => "læsning: hvilende pension tæller ikke som førtidspension (modellens ordlyd)",
            DormantReading::Counts => {
                "læsning: hvilende pension tæller som førtidspension, tilkendelsen består (PL § 44)"
            }
        }
    }
}

/// Exemptions from the newcomer definition (seed 000; AL § 11, stk. 11-12) and the veterans whose
/// pension cannot be revoked (PL § 44, stk. 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exemption {
    /// Adopted from abroad as a minor (AL § 11, stk. 12, nr. 1).
    InternationalAdoption,
    /// Born abroad under a surrogacy agreement (seed; AL § 11, stk. 12 — number not verified).
    SurrogacyAbroad,
    /// Born during a short stay abroad (seed; AL § 11, stk. 12 — number not verified).
    BornOnShortStayAbroad,
    /// Posted abroad by the state (AL § 11, stk. 11, nr. 2).
    StatePosted,
    /// Spouse, cohabitant or child of a state-posted person (AL § 11, stk. 11, nr. 2-3).
    StatePostedFamily,
    /// Prevented from returning by extraordinary circumstances (AL § 11, stk. 11, nr. 1).
    PreventedReturn,
    /// Former deployed soldier or state employee with a qualifying diagnosis (PL § 44, stk. 5).
    DeployedVeteran,
}

impl Exemption {
    /// All categories, in CONTRACT order.
    pub const ALL: [Exemption; 7] = [
        Exemption::InternationalAdoption,
        Exemption::SurrogacyAbroad,
        Exemption::BornOnShortStayAbroad,
        Exemption::StatePosted,
        Exemption::StatePostedFamily,
        Exemption::PreventedReturn,
        Exemption::DeployedVeteran,
    ];

    /// CONTRACT spelling in `exemptions.csv`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Exemption::InternationalAdoption => "international_adoption",
            Exemption::SurrogacyAbroad => "surrogacy_abroad",
            Exemption::BornOnShortStayAbroad => "born_on_short_stay_abroad",
            Exemption::StatePosted => "state_posted",
            Exemption::StatePostedFamily => "state_posted_family",
            Exemption::PreventedReturn => "prevented_return",
            Exemption::DeployedVeteran => "deployed_veteran",
        }
    }

    /// Parses the CONTRACT spelling.
    #[must_use]
    pub fn parse(text: &[u8]) -> Option<Exemption> {
        Exemption::ALL.into_iter().find(|e| e.as_str().as_bytes() == text)
    }

    fn danish(self) -> &'static str {
        match self {
            Exemption::InternationalAdoption => "internationalt adopteret (AL § 11, stk. 12, nr. 1)",
            Exemption::SurrogacyAbroad => {
                "født i udlandet efter surrogataftale (modellens undtagelse; AL § 11, stk. 12)"
            }
            Exemption::BornOnShortStayAbroad => {
                "født under kortere ophold i udlandet (modellens undtagelse; AL § 11, stk. 12)"
            }
            Exemption::StatePosted => "statsudsendt (AL § 11, stk. 11, nr. 2)",
            Exemption::StatePostedFamily => "medrejsende til statsudsendt (AL § 11, stk. 11, nr. 2-3)",
            Exemption::PreventedReturn => "forhindret i at vende tilbage (AL § 11, stk. 11, nr. 1)",
            Exemption::DeployedVeteran => "udsendt veteran; pensionen kan ikke frakendes (PL § 44, stk. 5)",
        }
    }
}

/// The pension register's facts for one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pension {
    /// Award date, when known.
    pub awarded_on: Option<Date>,
    /// Which law, when known.
    pub scheme: Option<Scheme>,
    /// Active, dormant or ceased, when known.
    pub status: Option<PensionStatus>,
}

/// Where a person lived on the reference date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Residence<'a> {
    /// No address registered on or before the date.
    NoAddress,
    /// An address outside every listed housing area.
    OutsideAreas,
    /// An address in a listed housing area.
    InArea {
        /// The area's id.
        id: &'a str,
        /// The area's name.
        name: &'a str,
        /// Whether the area is selected (from `gennemgang areas`).
        selected: Tri,
    },
}

/// What the screening knows of one person.
#[derive(Clone, Copy, Debug)]
pub struct Person<'a> {
    /// Birth date, when known.
    pub birth_date: Option<Date>,
    /// CPR status code (01 resident, 80 emigrated, 90 dead …), when known.
    pub cpr_status: Option<u8>,
    /// The pension that counts, if any.
    pub pension: Option<&'a Pension>,
    /// The address on the reference date.
    pub residence: Residence<'a>,
    /// CPR movements, in date order.
    pub movements: &'a [Movement],
    /// Registered exemptions.
    pub exemptions: &'a [Exemption],
}

/// Parameters of the screening. [`ScreeningParams::new`] gives the seed's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreeningParams {
    /// The reference date.
    pub as_of: Date,
    /// Awards from this date are in scope (seed: "tilkendt førtidspension efter 1. januar 2003").
    pub awarded_from: Date,
    /// Persons of this age or older are out (seed: "under 60 år"; PL § 44, stk. 3).
    pub age_limit: i16,
    /// The newcomer rule's parameters.
    pub newcomer: NewcomerParams,
    /// Whether a dormant pension counts (a reading; see [`DormantReading`]).
    pub dormant_reading: DormantReading,
}

impl ScreeningParams {
    /// The seed's parameters on `as_of`.
    #[must_use]
    pub fn new(as_of: Date) -> ScreeningParams {
        ScreeningParams {
            as_of,
            awarded_from: date(2003, 1, 1),
            age_limit: 60,
            newcomer: NewcomerParams::default(),
            dormant_reading: DormantReading::default(),
        }
    }
}

/// One condition of the target group and how it came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Stable id of the rule (`pension`, `age`, …).
    pub rule: &'static str,
    /// Met, not met, unknown.
    pub outcome: Tri,
    /// Danish text naming the facts.
    pub text: String,
    /// The law and § it comes from.
    pub legal_basis: &'static str,
}

/// The screening of one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screening {
    /// In the target group, not, or undecided.
    pub included: Tri,
    /// Age on the reference date, when the birth date is known.
    pub age: Option<i16>,
    /// The newcomer rule's finding.
    pub newcomer: NewcomerFinding,
    /// Every condition, in a fixed order.
    pub checks: Vec<Check>,
}

const MODEL: &str = "Model for systematisk gennemgang af udvalgte førtidspensionssager (dec. 2025), målgruppekriterier";
const BASIS_PENSION: &str = "Modellens målgruppe: førtidspension tilkendt efter 1. januar 2003 (lov om social pension); GFPL § 44, stk. 1: pension efter gammel ordning kan ikke frakendes";
const BASIS_ACTIVE: &str = "Modellens målgruppe: personer på førtidspension";
const BASIS_DORMANT: &str = "Modellens målgruppe: personer på førtidspension; hvilende pension (STAR, frakendelse og hvilende pension) — om den tæller, er en læsning, ikke verificeret lov";
const BASIS_AGE: &str = "Modellens målgruppe: under 60 år; PL § 44, stk. 3: ingen frakendelse efter det fyldte 60. år";
const BASIS_CPR: &str = "Modellens målgruppe: bosat i udvalgte boligområder; CPR-status 01/03 er bopæl i Danmark";
const BASIS_AREA: &str =
    "Modellens målgruppe: bosat i udvalgte boligområder (kriteriesættet i gennemgang af boligområder)";
const BASIS_EXEMPT: &str = "Modellens undtagelser, jf. AL § 11, stk. 11-12 (L 208 2024-25); PL § 44, stk. 5";

/// Screens one person.
///
/// Legal basis: the seed's target-group criteria (see [`MODEL`]), each check naming its own rule.
#[must_use]
pub fn screen(person: &Person<'_>, params: &ScreeningParams) -> Screening {
    let mut checks = Vec::with_capacity(6);
    checks.push(pension_check(person.pension, params));
    checks.push(active_check(person.pension, params));
    checks.push(cpr_check(person.cpr_status, person.movements, params.as_of));
    let age = person.birth_date.filter(|b| *b <= params.as_of).map(|b| age_on(b, params.as_of));
    checks.push(age_check(person.birth_date, params));
    checks.push(area_check(person.residence, params.as_of));
    let newcomer = newcomer::assess(person.movements, params.as_of, &params.newcomer);
    checks.push(Check {
        rule: "newcomer",
        outcome: newcomer.status,
        text: newcomer.text.clone(),
        legal_basis: newcomer::LEGAL_BASIS,
    });
    checks.push(exemption_check(person.exemptions));
    let included = checks.iter().fold(Tri::Yes, |acc, c| acc.and(c.outcome));
    Screening { included, age, newcomer, checks }
}

/// Whether the person is under the age limit on the reference date. A person born after the date is not
/// there on it (CONTRACT: nothing dated after `as_of` counts), so has no age and is out, never "-3 år".
///
/// Legal basis: the model's "under 60 år"; PL § 44, stk. 3 (no frakendelse "efter det fyldte 60. år").
fn age_check(birth_date: Option<Date>, params: &ScreeningParams) -> Check {
    let (outcome, text) = match birth_date {
        None => (Tri::Unknown, "alder ukendt (fødselsdato mangler)".to_owned()),
        Some(born) if born > params.as_of => (
            Tri::No,
            format!("ikke født pr. {}: fødselsdatoen er {}, efter datoen", danish(params.as_of), danish(born)),
        ),
        Some(born) => {
            let age = age_on(born, params.as_of);
            (
                Tri::from(age < params.age_limit),
                format!("{age} år pr. {} (skal være under {})", danish(params.as_of), params.age_limit),
            )
        }
    };
    Check { rule: "age", outcome, text, legal_basis: BASIS_AGE }
}

/// Whether the award is one the review covers: under lov om social pension, from 1 January 2003, and awarded
/// on or before the reference date.
///
/// Legal basis: the model's target group ("tilkendt førtidspension efter 1. januar 2003"); GFPL § 44, stk. 1
/// (a pre-2003 pension cannot be frakendt). A pension awarded after `as_of` has not happened yet on the date
/// (CONTRACT: nothing dated after `as_of` counts), so the person is not "på førtidspension" on it.
fn pension_check(pension: Option<&Pension>, params: &ScreeningParams) -> Check {
    let (outcome, text) = match pension {
        None => (Tri::No, "ingen førtidspension registreret".to_owned()),
        Some(p) => match (p.scheme, p.awarded_on) {
            // First: whatever the scheme, an award after the date is not there yet on it.
            (_, Some(d)) if d > params.as_of => (
                Tri::No,
                format!(
                    "ingen førtidspension pr. {}: pensionen er tilkendt {}, efter datoen, og tæller ikke",
                    danish(params.as_of),
                    danish(d)
                ),
            ),
            (Some(Scheme::Gfpl), _) => (
                Tri::No,
                "førtidspension efter gammel ordning (før 2003), som ikke kan frakendes (GFPL § 44)".to_owned(),
            ),
            (None, _) => (Tri::Unknown, "ordning for førtidspensionen ukendt".to_owned()),
            (Some(Scheme::Pl), None) => (Tri::Unknown, "tilkendelsesdato ukendt".to_owned()),
            (Some(Scheme::Pl), Some(d)) if d < params.awarded_from => {
                (Tri::No, format!("førtidspension tilkendt {}, før {}", danish(d), danish(params.awarded_from)))
            }
            (Some(Scheme::Pl), Some(d)) => {
                (Tri::Yes, format!("førtidspension efter lov om social pension tilkendt {}", danish(d)))
            }
        },
    };
    Check { rule: "pension", outcome, text, legal_basis: BASIS_PENSION }
}

/// Whether the person is "på førtidspension" on the date: the pension is paid, or it is dormant and the
/// [`DormantReading`] counts it.
///
/// Legal basis: the model's target group ("personer på førtidspension"); for a dormant pension the reading
/// of [`ScreeningParams::dormant_reading`], named in the text. The register's status is the extract's, not
/// dated; an award after the date is no pension on it (see [`pension_check`]).
fn active_check(pension: Option<&Pension>, params: &ScreeningParams) -> Check {
    let reading = params.dormant_reading;
    let (outcome, text, legal_basis) = match pension.map(|p| (p.status, p.awarded_on)) {
        None => (Tri::No, "ingen løbende pension".to_owned(), BASIS_ACTIVE),
        Some((_, Some(d))) if d > params.as_of => {
            (Tri::No, format!("ingen løbende pension pr. {}", danish(params.as_of)), BASIS_ACTIVE)
        }
        Some((None, _)) => (Tri::Unknown, "pensionens status ukendt".to_owned(), BASIS_ACTIVE),
        Some((Some(PensionStatus::Active), _)) => (Tri::Yes, "pensionen udbetales".to_owned(), BASIS_ACTIVE),
        Some((Some(PensionStatus::Dormant), _)) => (
            Tri::from(reading == DormantReading::Counts),
            format!("pensionen er hvilende ({})", reading.danish()),
            BASIS_DORMANT,
        ),
        Some((Some(PensionStatus::Ceased), _)) => (Tri::No, "pensionen er ophørt".to_owned(), BASIS_ACTIVE),
    };
    Check { rule: "active", outcome, text, legal_basis }
}

/// CPR statuses that the person's movements can account for: residence in Denmark or Greenland, gone
/// missing, emigrated, dead. Each of these, when CPR holds a movement after the date, was reached after that
/// movement (nobody moves after death or while missing), so on the date the movements decide. The others
/// (10 reserved, 20 number for tax only, 30 annulled, 50 deleted, 60 changed number) concern the number,
/// not where the person lived, and stand as registered.
const STATUSES_OF_MOVEMENT: [u8; 7] = [1, 3, 5, 7, 70, 80, 90];

/// Whether the person lived in Denmark on the date.
///
/// Legal basis: the model's target group ("bosat i udvalgte boligområder"); CPR status 01/03 is residence in a
/// Danish folkeregister (CPR status codes, RULES.md § 6.3). The status in persons.csv is the extract's, so a
/// movement after `as_of` may have changed it since; CONTRACT: nothing dated after `as_of` counts. When
/// there is such a movement, the state on the date is the one the movements up to it left: after an entry,
/// or before a first exit, the person lived here; after an exit, or before a first entry, not.
fn cpr_check(status: Option<u8>, movements: &[Movement], as_of: Date) -> Check {
    let later = movements.iter().find(|m| m.date > as_of);
    let (outcome, text) = match (status, later) {
        (None, _) => (Tri::Unknown, "CPR-status ukendt".to_owned()),
        (Some(code), Some(later)) if STATUSES_OF_MOVEMENT.contains(&code) => {
            status_from_movements(code, movements, later, as_of)
        }
        (Some(1 | 3), _) => (Tri::Yes, "bopæl i Danmark (CPR-status 01/03)".to_owned()),
        (Some(80), _) => (Tri::No, "udrejst (CPR-status 80)".to_owned()),
        (Some(90), _) => (Tri::No, "død (CPR-status 90)".to_owned()),
        (Some(code), _) => (Tri::No, format!("ikke bopæl i Danmark (CPR-status {code:02})")),
    };
    Check { rule: "cpr_status", outcome, text, legal_basis: BASIS_CPR }
}

/// The residence on `as_of` from the movements (in date order) when `later`, the first movement after the
/// date, shows that the registered status `code` may be younger than the date. See [`cpr_check`].
fn status_from_movements(code: u8, movements: &[Movement], later: &Movement, as_of: Date) -> (Tri, String) {
    let on = danish(as_of);
    let ignored = format!(
        "{} {} er efter datoen og tæller ikke (registreret CPR-status {code:02})",
        if later.direction == Direction::In { "indrejsen" } else { "udrejsen" },
        danish(later.date)
    );
    let country = |m: &Movement| m.country.map_or_else(|| "ukendt land".to_owned(), |c| c.as_str());
    match movements.iter().rev().find(|m| m.date <= as_of) {
        Some(m) if m.direction == Direction::In => {
            (Tri::Yes, format!("bopæl i Danmark pr. {on}: indrejst {} fra {}; {ignored}", danish(m.date), country(m)))
        }
        Some(m) => (
            Tri::No,
            format!("ikke bopæl i Danmark pr. {on}: udrejst {} til {}; {ignored}", danish(m.date), country(m)),
        ),
        None if later.direction == Direction::Out => {
            (Tri::Yes, format!("bopæl i Danmark pr. {on}: ingen udrejse før datoen; {ignored}"))
        }
        None => (Tri::No, format!("ikke bopæl i Danmark pr. {on}: endnu ikke indrejst; {ignored}")),
    }
}

/// The id of the check on residence in a selected area.
pub const AREA_RULE: &str = "area";

/// Whether the address on the date is in a selected area.
///
/// Legal basis: the model's target group ("bosat i udvalgte boligområder"). The address is the one in force
/// on `as_of` (the last move-in on or before it; a later move has not happened yet on the date), chosen by
/// the caller into `residence`; the text names the date so that the reason says which address counted.
fn area_check(residence: Residence<'_>, as_of: Date) -> Check {
    let on = danish(as_of);
    let (outcome, text) = match residence {
        Residence::NoAddress => (Tri::No, format!("ingen adresse registreret pr. {on}")),
        Residence::OutsideAreas => (Tri::No, format!("bopæl pr. {on} uden for de udvalgte boligområder")),
        Residence::InArea { id, name, selected: Tri::Yes } => {
            (Tri::Yes, format!("bopæl pr. {on} i {name} ({id}), et udvalgt boligområde"))
        }
        Residence::InArea { id, name, selected: Tri::No } => {
            (Tri::No, format!("bopæl pr. {on} i {name} ({id}), som ikke er udvalgt"))
        }
        Residence::InArea { id, name, selected: Tri::Unknown } => {
            (Tri::Unknown, format!("bopæl pr. {on} i {name} ({id}), hvor udvælgelsen ikke kan afgøres"))
        }
    };
    Check { rule: AREA_RULE, outcome, text, legal_basis: BASIS_AREA }
}

fn exemption_check(exemptions: &[Exemption]) -> Check {
    if exemptions.is_empty() {
        return Check {
            rule: "exemption",
            outcome: Tri::Yes,
            text: "ingen undtagelse registreret".to_owned(),
            legal_basis: BASIS_EXEMPT,
        };
    }
    let names: Vec<&str> = exemptions.iter().map(|e| e.danish()).collect();
    Check {
        rule: "exemption",
        outcome: Tri::No,
        text: format!("undtaget: {}", names.join(", ")),
        legal_basis: BASIS_EXEMPT,
    }
}

impl Screening {
    /// One Danish text naming the verdict and every condition with its rule.
    #[must_use]
    pub fn reason(&self) -> String {
        let verdict = match self.included {
            Tri::Yes => "I målgruppen",
            Tri::No => "Ikke i målgruppen",
            Tri::Unknown => "Uafklaret (oplysninger mangler)",
        };
        // Failing conditions first: they are why.
        let mut ordered: Vec<&Check> = self.checks.iter().filter(|c| c.outcome == Tri::No).collect();
        ordered.extend(self.checks.iter().filter(|c| c.outcome == Tri::Unknown));
        ordered.extend(self.checks.iter().filter(|c| c.outcome == Tri::Yes));
        let parts: Vec<String> = ordered
            .iter()
            .map(|c| {
                let mark = match c.outcome {
                    Tri::Yes => "opfyldt",
                    Tri::No => "ikke opfyldt",
                    Tri::Unknown => "uafklaret",
                };
                format!("{} [{mark}; {}]", c.text, c.legal_basis)
            })
            .collect();
        format!("{verdict} ({MODEL}): {}.", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country::Country;
    use crate::newcomer::Direction;

    const AS_OF: Date = date(2026, 12, 1);

    fn entry() -> [Movement; 1] {
        [Movement {
            date: date(2012, 5, 3),
            direction: Direction::In,
            country: Country::parse(b"SY"),
            first_entry: Some(true),
        }]
    }

    fn pension(awarded: Date) -> Pension {
        Pension { awarded_on: Some(awarded), scheme: Some(Scheme::Pl), status: Some(PensionStatus::Active) }
    }

    fn person<'a>(p: &'a Pension, moves: &'a [Movement], ex: &'a [Exemption]) -> Person<'a> {
        Person {
            birth_date: Some(date(1980, 6, 1)),
            cpr_status: Some(1),
            pension: Some(p),
            residence: Residence::InArea { id: "A1", name: "Bøgeparken", selected: Tri::Yes },
            movements: moves,
            exemptions: ex,
        }
    }

    #[test]
    fn a_newcomer_in_a_selected_area_is_in() {
        let p = pension(date(2015, 3, 1));
        let moves = entry();
        let s = screen(&person(&p, &moves, &[]), &ScreeningParams::new(AS_OF));
        assert_eq!(s.included, Tri::Yes);
        assert_eq!(s.age, Some(46));
        let reason = s.reason();
        assert!(reason.starts_with("I målgruppen"), "{reason}");
        for needle in ["PL § 44, stk. 3", "Bøgeparken", "SY", "1. januar 2003"] {
            assert!(reason.contains(needle), "{needle} missing from {reason}");
        }
    }

    /// Seed: "tilkendt førtidspension efter 1. januar 2003": the first day of the 2003 law is in.
    #[test]
    fn award_date_boundary() {
        let moves = entry();
        let params = ScreeningParams::new(AS_OF);
        let on = pension(date(2003, 1, 1));
        assert_eq!(screen(&person(&on, &moves, &[]), &params).included, Tri::Yes);
        let before = pension(date(2002, 12, 31));
        assert_eq!(screen(&person(&before, &moves, &[]), &params).included, Tri::No);
        let gfpl = Pension { scheme: Some(Scheme::Gfpl), ..on };
        let s = screen(&person(&gfpl, &moves, &[]), &params);
        assert_eq!(s.included, Tri::No);
        assert!(s.reason().contains("GFPL § 44"), "{}", s.reason());
    }

    /// PL § 44, stk. 3 and the seed's "under 60 år": a person whose 60th birthday is the reference date is out.
    #[test]
    fn sixtieth_birthday_on_the_reference_date_is_out() {
        let p = pension(date(2015, 3, 1));
        let moves = entry();
        let mut who = person(&p, &moves, &[]);
        who.birth_date = Some(date(1966, 12, 1));
        assert_eq!(screen(&who, &ScreeningParams::new(AS_OF)).included, Tri::No);
        who.birth_date = Some(date(1966, 12, 2));
        assert_eq!(screen(&who, &ScreeningParams::new(AS_OF)).included, Tri::Yes);
    }

    /// CONTRACT: nothing dated after `as_of` counts, a birth neither: a person born after the reference date
    /// has no age on it and is out by the age rule, saying so; born on the date, the person is 0.
    #[test]
    fn a_person_born_after_the_date_has_no_age_on_it() {
        let moves = entry();
        let p = pension(date(2015, 3, 1));
        let mut who = person(&p, &moves, &[]);
        let params = ScreeningParams::new(date(2026, 12, 1));
        who.birth_date = Some(date(2026, 12, 2));
        let s = screen(&who, &params);
        let age = s.checks.iter().find(|c| c.rule == "age").expect("age");
        assert_eq!((s.age, age.outcome), (None, Tri::No));
        assert_eq!(age.text, "ikke født pr. 1. december 2026: fødselsdatoen er 2. december 2026, efter datoen");
        who.birth_date = Some(date(2026, 12, 1));
        let s = screen(&who, &params);
        assert_eq!(s.age, Some(0));
        assert_eq!(s.checks.iter().find(|c| c.rule == "age").expect("age").outcome, Tri::Yes);
    }

    #[test]
    fn dormant_emigrated_outside_and_exempt_are_out() {
        let moves = entry();
        let params = ScreeningParams::new(AS_OF);
        let dormant = Pension { status: Some(PensionStatus::Dormant), ..pension(date(2015, 3, 1)) };
        assert_eq!(screen(&person(&dormant, &moves, &[]), &params).included, Tri::No);
        let p = pension(date(2015, 3, 1));
        let mut who = person(&p, &moves, &[]);
        who.cpr_status = Some(80);
        assert_eq!(screen(&who, &params).included, Tri::No);
        let mut who = person(&p, &moves, &[]);
        who.residence = Residence::OutsideAreas;
        assert_eq!(screen(&who, &params).included, Tri::No);
        for exemption in Exemption::ALL {
            let ex = [exemption];
            let s = screen(&person(&p, &moves, &ex), &params);
            assert_eq!(s.included, Tri::No, "{exemption:?}");
        }
        let ex = [Exemption::DeployedVeteran];
        assert!(screen(&person(&p, &moves, &ex), &params).reason().contains("PL § 44, stk. 5"));
    }

    /// CONTRACT: a pension awarded after `as_of` has not happened yet on the date. Awarded on the date: in;
    /// the day after: out, saying why.
    #[test]
    fn a_pension_awarded_after_the_date_does_not_count() {
        let moves = entry();
        let params = ScreeningParams::new(AS_OF);
        let on = pension(AS_OF);
        assert_eq!(screen(&person(&on, &moves, &[]), &params).included, Tri::Yes);
        let day_after = pension(date(2026, 12, 2));
        let s = screen(&person(&day_after, &moves, &[]), &params);
        assert_eq!(s.included, Tri::No);
        let check = |rule: &str| s.checks.iter().find(|c| c.rule == rule).expect("check").clone();
        assert_eq!(check("pension").outcome, Tri::No);
        assert!(check("pension").text.contains("tilkendt 2. december 2026, efter datoen"), "{}", s.reason());
        assert_eq!(check("active").outcome, Tri::No, "an award not yet made is paid to nobody");
        // Whatever the scheme or status.
        let dormant = Pension { status: Some(PensionStatus::Dormant), ..day_after };
        let counts = ScreeningParams { dormant_reading: DormantReading::Counts, ..params };
        assert_eq!(screen(&person(&dormant, &moves, &[]), &counts).included, Tri::No);
    }

    /// CONTRACT: a movement after `as_of` is ignored for residence too. CPR's status is the extract's; an
    /// emigration the day after the date left the person living here on it, one on the date did not.
    #[test]
    fn an_emigration_after_the_date_does_not_count_for_residence() {
        let p = pension(date(2015, 3, 1));
        let params = ScreeningParams::new(AS_OF);
        let arrival = entry()[0];
        let exit = |d: Date| Movement {
            date: d,
            direction: Direction::Out,
            country: Country::parse(b"SY"),
            first_entry: Some(false),
        };
        let later = [arrival, exit(date(2026, 12, 2))];
        let mut who = person(&p, &later, &[]);
        who.cpr_status = Some(80);
        let s = screen(&who, &params);
        assert_eq!(s.included, Tri::Yes, "{}", s.reason());
        assert!(s.reason().contains("udrejsen 2. december 2026 er efter datoen og tæller ikke"), "{}", s.reason());
        // Emigrated on the date itself: gone on it.
        let on = [arrival, exit(AS_OF)];
        who.movements = &on;
        assert_eq!(screen(&who, &params).included, Tri::No);
        // Dead now, but moved after the date: alive and here on it.
        who.movements = &later;
        who.cpr_status = Some(90);
        assert_eq!(screen(&who, &params).included, Tri::Yes);
        // A status about the number, not the address, stands; an unknown status stays unknown.
        who.cpr_status = Some(30);
        assert_eq!(screen(&who, &params).included, Tri::No);
        who.cpr_status = None;
        assert_eq!(screen(&who, &params).included, Tri::Unknown);
    }

    /// The converse: back in Denmark now (status 01), but the return is after the date, so the person was
    /// abroad on it; and a first entry after the date means not here yet.
    #[test]
    fn a_return_after_the_date_leaves_the_person_abroad_on_it() {
        let p = pension(date(2015, 3, 1));
        let params = ScreeningParams::new(AS_OF);
        let sy = Country::parse(b"SY");
        let moves = [
            entry()[0],
            Movement { date: date(2024, 1, 1), direction: Direction::Out, country: sy, first_entry: Some(false) },
            Movement { date: date(2026, 12, 2), direction: Direction::In, country: sy, first_entry: Some(false) },
        ];
        let s = screen(&person(&p, &moves, &[]), &params);
        let cpr = s.checks.iter().find(|c| c.rule == "cpr_status").expect("check");
        assert_eq!(cpr.outcome, Tri::No);
        assert!(cpr.text.contains("udrejst 1. januar 2024"), "{}", cpr.text);
        let not_yet = [Movement { date: date(2026, 12, 2), ..entry()[0] }];
        assert_eq!(screen(&person(&p, &not_yet, &[]), &params).included, Tri::No);
    }

    /// The dormant reading: excluded by default, included under `counts`, and the reason names the reading.
    #[test]
    fn a_dormant_pension_follows_the_reading() {
        let moves = entry();
        let dormant = Pension { status: Some(PensionStatus::Dormant), ..pension(date(2015, 3, 1)) };
        let default = ScreeningParams::new(AS_OF);
        assert_eq!(default.dormant_reading, DormantReading::Excluded);
        let s = screen(&person(&dormant, &moves, &[]), &default);
        assert_eq!(s.included, Tri::No);
        assert!(s.reason().contains("læsning: hvilende pension tæller ikke som førtidspension"), "{}", s.reason());
        let counts = ScreeningParams { dormant_reading: DormantReading::Counts, ..default };
        let s = screen(&person(&dormant, &moves, &[]), &counts);
        assert_eq!(s.included, Tri::Yes, "{}", s.reason());
        assert!(s.reason().contains("læsning: hvilende pension tæller som førtidspension"), "{}", s.reason());
        // The reading is about dormant pensions only.
        let active = pension(date(2015, 3, 1));
        for params in [default, counts] {
            assert_eq!(screen(&person(&active, &moves, &[]), &params).included, Tri::Yes);
            let ceased = Pension { status: Some(PensionStatus::Ceased), ..active };
            assert_eq!(screen(&person(&ceased, &moves, &[]), &params).included, Tri::No);
        }
        for reading in DormantReading::ALL {
            assert_eq!(DormantReading::parse(reading.as_str()), Some(reading));
        }
        assert_eq!(DormantReading::parse("active"), None);
    }

    #[test]
    fn unknown_values_leave_it_undecided() {
        let p = pension(date(2015, 3, 1));
        let moves = entry();
        let mut who = person(&p, &moves, &[]);
        who.birth_date = None;
        let s = screen(&who, &ScreeningParams::new(AS_OF));
        assert_eq!(s.included, Tri::Unknown);
        assert!(s.reason().starts_with("Uafklaret"));
        // …unless something else already rules the person out.
        who.cpr_status = Some(90);
        assert_eq!(screen(&who, &ScreeningParams::new(AS_OF)).included, Tri::No);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn day(offset: i32) -> Date {
            date(1950, 1, 1).checked_add(jiff::Span::new().days(offset)).expect("in range")
        }

        proptest! {
            /// Whatever the facts, nobody is included who breaks a rule of the seed's target group, and a
            /// missing value never yields a definite inclusion.
            #[test]
            fn inclusion_implies_every_rule(
                birth in 0i32..25_000, award in 0i32..28_500, gfpl: bool, status in 0u8..3,
                counts_dormant: bool,
                cpr in prop_oneof![Just(Some(1u8)), Just(Some(3)), Just(Some(80)), Just(Some(90)), Just(None)],
                area in 0u8..4, entry in 0i32..28_500, country in prop_oneof![Just("SY"), Just("PL"), Just("DE"), Just("US")],
                exempt: bool, know_birth: bool,
            ) {
                let pension = Pension {
                    awarded_on: Some(day(award)),
                    scheme: Some(if gfpl { Scheme::Gfpl } else { Scheme::Pl }),
                    status: Some([PensionStatus::Active, PensionStatus::Dormant, PensionStatus::Ceased][usize::from(status)]),
                };
                let moves = [Movement { date: day(entry), direction: Direction::In, country: Country::parse(country.as_bytes()), first_entry: Some(true) }];
                let exemptions = if exempt { vec![Exemption::StatePosted] } else { vec![] };
                let residence = match area {
                    0 => Residence::NoAddress,
                    1 => Residence::OutsideAreas,
                    2 => Residence::InArea { id: "A", name: "A", selected: Tri::No },
                    _ => Residence::InArea { id: "B", name: "B", selected: Tri::Yes },
                };
                let person = Person {
                    birth_date: know_birth.then(|| day(birth)),
                    cpr_status: cpr,
                    pension: Some(&pension),
                    residence,
                    movements: &moves,
                    exemptions: &exemptions,
                };
                let reading = if counts_dormant { DormantReading::Counts } else { DormantReading::Excluded };
                let params = ScreeningParams { dormant_reading: reading, ..ScreeningParams::new(AS_OF) };
                let s = screen(&person, &params);
                if s.included == Tri::Yes {
                    prop_assert!(!gfpl && award >= 19_358 /* 2003-01-01 */ && day(award) <= AS_OF);
                    prop_assert!(status == 0 || (status == 1 && counts_dormant));
                    prop_assert!(matches!(cpr, Some(1 | 3)));
                    prop_assert!(s.age.is_some_and(|a| a < 60));
                    prop_assert_eq!(area, 3);
                    prop_assert!(!exempt);
                    prop_assert!(day(entry) <= AS_OF);
                }
                if !know_birth || cpr.is_none() {
                    prop_assert_ne!(s.included, Tri::Yes);
                }
                prop_assert_eq!(s.checks.len(), 7);
                prop_assert!(s.checks.iter().all(|c| !c.legal_basis.is_empty() && !c.text.is_empty()));
            }
        }
    }
}
