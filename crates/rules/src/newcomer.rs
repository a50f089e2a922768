//! Who is a newcomer ("nytilkommen"), judged from a person's CPR movements.
//!
//! Seed 000, "Definition på nytilkomne": a person registered in CPR as first entered from a third
//! country, or entered after a stay abroad of more than 12 consecutive months — which also covers
//! Danish and EU citizens returning after 12 months in countries outside the EU/EØS. The wording follows
//! AL § 11, stk. 3 and 8 (L 239 2017-18; cut-off date 2 April 1968 by L 152 2023-24, i.e. CPR's start,
//! so every CPR registration counts).
//!
//! Two readings are open in the sources (RULES.md § 8, item 8) and are therefore parameters with the
//! seed's reading as default: whether the stay must be outside the EU/EØS (seed) or only outside the realm
//! (AL § 11's wording), and whether Switzerland counts with the EU/EØS. The stay's country is judged by the
//! country on the entry event, and membership on the date of that event.

use crate::country::{Country, Standing};
use crate::date::{add_months, danish};
use crate::tri::Tri;
use jiff::civil::Date;

/// Direction of a CPR movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Indrejse: entry into Denmark.
    In,
    /// Udrejse: exit from Denmark.
    Out,
}

/// One CPR movement, as `migrations.csv` holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Movement {
    /// The date of the movement.
    pub date: Date,
    /// In or out.
    pub direction: Direction,
    /// The country left for (out) or come from (in), when known.
    pub country: Option<Country>,
    /// Whether CPR marks this as the person's first registered entry, when known.
    pub first_entry: Option<bool>,
}

/// Which reading of "stay abroad" applies to returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StayReading {
    /// The seed's reading: the stay counts only when it was outside the EU/EØS.
    #[default]
    OutsideEuEea,
    /// AL § 11's wording: any stay outside the realm counts.
    OutsideRealm,
}

impl StayReading {
    /// Parses the CLI spelling.
    #[must_use]
    pub fn parse(text: &str) -> Option<StayReading> {
        match text {
            "outside-eu-eea" => Some(StayReading::OutsideEuEea),
            "outside-realm" => Some(StayReading::OutsideRealm),
            _ => None,
        }
    }

    /// The CLI spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StayReading::OutsideEuEea => "outside-eu-eea",
            StayReading::OutsideRealm => "outside-realm",
        }
    }

    fn danish(self) -> &'static str {
        match self {
            StayReading::OutsideEuEea => "læsning: ophold uden for EU/EØS (modellens)",
            StayReading::OutsideRealm => "læsning: ophold uden for riget (AL § 11's ordlyd)",
        }
    }
}

/// Parameters of the newcomer rule. `Default` is the seed's reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewcomerParams {
    /// A return counts after a stay abroad of *more than* this many consecutive months.
    pub abroad_more_than_months: i32,
    /// Which stays count.
    pub stay_reading: StayReading,
    /// Whether Switzerland is treated like the EU/EØS (from the free-movement agreement, 1 June 2002).
    pub switzerland_as_eu_eea: bool,
}

impl Default for NewcomerParams {
    fn default() -> Self {
        NewcomerParams {
            abroad_more_than_months: 12,
            stay_reading: StayReading::OutsideEuEea,
            switzerland_as_eu_eea: true,
        }
    }
}

/// Why a person is a newcomer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewcomerBasis {
    /// First registered entry, from a third country.
    FirstEntryThirdCountry,
    /// Entry after more than 12 consecutive months abroad.
    ReturnAfterAbroad,
}

impl NewcomerBasis {
    /// The CONTRACT spelling (`newcomer_basis` column).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NewcomerBasis::FirstEntryThirdCountry => "first_entry_third_country",
            NewcomerBasis::ReturnAfterAbroad => "return_after_abroad",
        }
    }
}

/// The outcome of the newcomer rule for one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewcomerFinding {
    /// Newcomer, not, or undecidable from the data.
    pub status: Tri,
    /// The basis, when a newcomer.
    pub basis: Option<NewcomerBasis>,
    /// The entry that made the person a newcomer.
    pub entry: Option<Date>,
    /// Danish explanation naming the movements and the reading.
    pub text: String,
}

/// The legal basis every newcomer explanation names.
pub const LEGAL_BASIS: &str = "Model for systematisk gennemgang (dec. 2025), definition på nytilkomne; jf. lov om aktiv socialpolitik § 11, stk. 3 og 8";

fn is_third(country: Country, on: Date, params: &NewcomerParams) -> bool {
    match country.standing_on(on) {
        Standing::Third => true,
        Standing::Switzerland => !params.switzerland_as_eu_eea,
        Standing::EuEea | Standing::Realm => false,
    }
}

fn whole_months(from: Date, to: Date) -> i32 {
    let mut months =
        (i32::from(to.year()) - i32::from(from.year())) * 12 + i32::from(to.month()) - i32::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months
}

/// Assesses whether a person is a newcomer on `as_of`, from the person's movements in date order.
///
/// Legal basis: seed 000 "Definition på nytilkomne", AL § 11, stk. 3 and 8. "Mere end 12 på hinanden
/// følgende måneder" is strict: an entry exactly 12 calendar months after the exit does not count. A
/// movement after `as_of` has not happened yet on the date (CONTRACT: nothing dated after `as_of` counts): it
/// is left out, and the text says so.
#[must_use]
pub fn assess(movements: &[Movement], as_of: Date, params: &NewcomerParams) -> NewcomerFinding {
    let relevant: Vec<&Movement> = movements.iter().filter(|m| m.date <= as_of).collect();
    let after = match movements.len() - relevant.len() {
        0 => String::new(),
        1 => format!("; en ind- eller udrejse efter {} tæller ikke", danish(as_of)),
        n => format!("; {n} ind- og udrejser efter {} tæller ikke", danish(as_of)),
    };
    let mut notes: Vec<String> = Vec::new();
    let mut status = Tri::No;
    let mut found: Option<(NewcomerBasis, Date, String)> = None;

    // (a) First registered entry from a third country.
    if let Some(first) = relevant.first().filter(|m| m.direction == Direction::In) {
        let first_entry = if first.first_entry == Some(true) { Tri::Yes } else { Tri::from(first.first_entry) };
        let third = first.country.map(|c| is_third(c, first.date, params));
        let outcome = first_entry.and(Tri::from(third));
        let country = first.country.map_or_else(|| "ukendt land".to_owned(), |c| c.as_str());
        match outcome {
            Tri::Yes => {
                found = Some((
                    NewcomerBasis::FirstEntryThirdCountry,
                    first.date,
                    format!("førstegangsindrejst {} fra {country}, som var tredjeland på datoen", danish(first.date)),
                ));
            }
            Tri::No if first_entry == Tri::Yes => notes
                .push(format!("førstegangsindrejst {} fra {country}, som var i EU/EØS på datoen", danish(first.date))),
            Tri::No => {}
            Tri::Unknown => notes.push(format!(
                "uafklaret om indrejsen {} fra {country} er en førstegangsindrejse fra tredjeland (oplysning mangler)",
                danish(first.date)
            )),
        }
        status = status.or(outcome);
    }

    // (b) Entry after more than N consecutive months abroad.
    for pair in relevant.windows(2) {
        let (out, entry) = (pair[0], pair[1]);
        if out.direction != Direction::Out || entry.direction != Direction::In {
            continue;
        }
        if entry.date <= add_months(out.date, params.abroad_more_than_months) {
            continue;
        }
        let months = whole_months(out.date, entry.date);
        let country = entry.country.map_or_else(|| "ukendt land".to_owned(), |c| c.as_str());
        let counts = match (params.stay_reading, entry.country) {
            (_, None) => Tri::Unknown,
            (StayReading::OutsideEuEea, Some(c)) => Tri::from(is_third(c, entry.date, params)),
            (StayReading::OutsideRealm, Some(c)) => Tri::from(c.standing_on(entry.date) != Standing::Realm),
        };
        let reading = params.stay_reading.danish();
        match counts {
            Tri::Yes => {
                found = Some((
                    NewcomerBasis::ReturnAfterAbroad,
                    entry.date,
                    format!(
                        "indrejst {} fra {country} efter {months} måneders sammenhængende udlandsophold (mere end {}); {reading}",
                        danish(entry.date),
                        params.abroad_more_than_months
                    ),
                ));
            }
            Tri::No => notes.push(format!(
                "indrejst {} fra {country} efter {months} måneder, men opholdet tæller ikke ({reading})",
                danish(entry.date)
            )),
            Tri::Unknown => notes.push(format!(
                "uafklaret om indrejsen {} efter {months} måneder tæller: land mangler",
                danish(entry.date)
            )),
        }
        status = status.or(counts);
    }

    match (status, found) {
        (Tri::Yes, Some((basis, entry, text))) => NewcomerFinding {
            status,
            basis: Some(basis),
            entry: Some(entry),
            text: format!("nytilkommen: {text}{after}"),
        },
        (Tri::Unknown, _) => NewcomerFinding {
            status,
            basis: None,
            entry: None,
            text: format!("nytilkommen uafklaret: {}{after}", notes.join("; ")),
        },
        _ => {
            let why = if movements.is_empty() {
                "ingen ind- eller udrejse registreret".to_owned()
            } else if relevant.is_empty() {
                format!("ingen ind- eller udrejse registreret pr. {}", danish(as_of))
            } else if notes.is_empty() {
                format!(
                    "ingen førstegangsindrejse fra tredjeland og ingen indrejse efter mere end {} måneders udlandsophold",
                    params.abroad_more_than_months
                )
            } else {
                notes.join("; ")
            };
            NewcomerFinding {
                status: Tri::No,
                basis: None,
                entry: None,
                text: format!("ikke nytilkommen: {why}{after}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn mv(d: Date, direction: Direction, country: &str, first_entry: Option<bool>) -> Movement {
        Movement { date: d, direction, country: Country::parse(country.as_bytes()), first_entry }
    }
    fn first_in(d: Date, country: &str) -> Movement {
        mv(d, Direction::In, country, Some(true))
    }
    fn out(d: Date, country: &str) -> Movement {
        mv(d, Direction::Out, country, Some(false))
    }
    fn back(d: Date, country: &str) -> Movement {
        mv(d, Direction::In, country, Some(false))
    }
    const AS_OF: Date = date(2026, 12, 1);

    fn check(movements: &[Movement]) -> NewcomerFinding {
        assess(movements, AS_OF, &NewcomerParams::default())
    }

    /// Seed: "registreret i CPR som førstegangsindrejst fra et tredjeland".
    #[test]
    fn first_entry_from_third_country() {
        let f = check(&[first_in(date(2012, 5, 3), "SY")]);
        assert_eq!((f.status, f.basis), (Tri::Yes, Some(NewcomerBasis::FirstEntryThirdCountry)));
        assert!(f.text.contains("SY"), "{}", f.text);
    }

    /// Membership is judged on the date of the entry: Poland was a third country until 30 April 2004.
    #[test]
    fn third_country_on_the_date() {
        assert_eq!(check(&[first_in(date(2004, 4, 30), "PL")]).status, Tri::Yes);
        assert_eq!(check(&[first_in(date(2004, 5, 1), "PL")]).status, Tri::No);
        assert_eq!(check(&[first_in(date(2013, 6, 30), "HR")]).status, Tri::Yes);
        assert_eq!(check(&[first_in(date(2013, 7, 1), "HR")]).status, Tri::No);
        assert_eq!(check(&[first_in(date(2020, 12, 31), "GB")]).status, Tri::No);
        assert_eq!(check(&[first_in(date(2021, 1, 1), "GB")]).status, Tri::Yes);
    }

    /// Seed: "indrejst efter udlandsophold i mere end 12 på hinanden følgende måneder" — exactly 12 is not enough.
    #[test]
    fn more_than_twelve_months_is_strict() {
        let exit = date(2020, 1, 15);
        assert_eq!(check(&[out(exit, "US"), back(date(2021, 1, 15), "US")]).status, Tri::No);
        let f = check(&[out(exit, "US"), back(date(2021, 1, 16), "US")]);
        assert_eq!((f.status, f.basis), (Tri::Yes, Some(NewcomerBasis::ReturnAfterAbroad)));
        assert!(f.text.contains("12 måneders"), "{}", f.text);
        // Leap day: 12 months after 29 Feb 2020 is 28 Feb 2021.
        assert_eq!(check(&[out(date(2020, 2, 29), "US"), back(date(2021, 2, 28), "US")]).status, Tri::No);
        assert_eq!(check(&[out(date(2020, 2, 29), "US"), back(date(2021, 3, 1), "US")]).status, Tri::Yes);
    }

    /// Seed: danske statsborgere "indrejst efter 12 måneders sammenhængende ophold i lande udenfor EU/EØS".
    #[test]
    fn return_from_eu_counts_only_under_the_realm_reading() {
        let moves = [out(date(2015, 1, 1), "DE"), back(date(2018, 1, 1), "DE")];
        assert_eq!(check(&moves).status, Tri::No);
        let realm = NewcomerParams { stay_reading: StayReading::OutsideRealm, ..NewcomerParams::default() };
        let f = assess(&moves, AS_OF, &realm);
        assert_eq!(f.status, Tri::Yes);
        assert!(f.text.contains("uden for riget"), "{}", f.text);
        // Greenland is part of the realm under either reading.
        let gl = [out(date(2015, 1, 1), "GL"), back(date(2018, 1, 1), "GL")];
        assert_eq!(assess(&gl, AS_OF, &realm).status, Tri::No);
    }

    #[test]
    fn switzerland_is_a_parameter() {
        let moves = [first_in(date(2010, 1, 1), "CH")];
        assert_eq!(check(&moves).status, Tri::No);
        let strict = NewcomerParams { switzerland_as_eu_eea: false, ..NewcomerParams::default() };
        assert_eq!(assess(&moves, AS_OF, &strict).status, Tri::Yes);
    }

    #[test]
    fn movements_after_the_reference_date_do_not_count() {
        assert_eq!(check(&[first_in(date(2027, 1, 1), "SY")]).status, Tri::No);
    }

    /// CONTRACT: a movement dated after `as_of` has not happened yet. A first entry on the date counts, one
    /// the day after does not, and the text says that a later movement was left out.
    #[test]
    fn a_first_entry_the_day_after_the_date_is_ignored() {
        let day_after = date(2026, 12, 2);
        assert_eq!(check(&[first_in(AS_OF, "SY")]).status, Tri::Yes);
        let f = check(&[first_in(day_after, "SY")]);
        assert_eq!((f.status, f.basis, f.entry), (Tri::No, None, None));
        assert!(f.text.contains("pr. 1. december 2026"), "{}", f.text);
        assert!(f.text.contains("efter 1. december 2026 tæller ikke"), "{}", f.text);
    }

    /// A return after more than 12 months abroad makes a newcomer only when the return is on or before the
    /// date; an emigration after the date changes nothing for a newcomer by first entry.
    #[test]
    fn a_return_or_an_emigration_after_the_date_is_ignored() {
        let exit = date(2024, 1, 1);
        let on = check(&[out(exit, "US"), back(AS_OF, "US")]);
        assert_eq!((on.status, on.basis), (Tri::Yes, Some(NewcomerBasis::ReturnAfterAbroad)));
        let after = check(&[out(exit, "US"), back(date(2026, 12, 2), "US")]);
        assert_eq!(after.status, Tri::No, "{}", after.text);
        let emigrated_later = check(&[first_in(date(2012, 5, 3), "SY"), out(date(2026, 12, 2), "SY")]);
        assert_eq!((emigrated_later.status, emigrated_later.entry), (Tri::Yes, Some(date(2012, 5, 3))));
        assert!(emigrated_later.text.contains("en ind- eller udrejse efter"), "{}", emigrated_later.text);
    }

    #[test]
    fn missing_values_make_it_undecided_only_when_they_matter() {
        let no_country = [mv(date(2012, 1, 1), Direction::In, "", Some(true))];
        assert_eq!(check(&no_country).status, Tri::Unknown);
        let unknown_flag = [mv(date(2012, 1, 1), Direction::In, "SY", None)];
        assert_eq!(check(&unknown_flag).status, Tri::Unknown);
        // A qualifying return decides even if the first entry is unclear.
        let decided = [
            mv(date(2000, 1, 1), Direction::In, "", Some(true)),
            out(date(2010, 1, 1), "IQ"),
            back(date(2015, 1, 1), "IQ"),
        ];
        assert_eq!(check(&decided).status, Tri::Yes);
    }

    #[test]
    fn born_here_without_movements_is_not_a_newcomer() {
        let f = check(&[]);
        assert_eq!(f.status, Tri::No);
        assert!(f.text.contains("ingen ind- eller udrejse"), "{}", f.text);
    }
}
