//! Countries (ISO 3166-1 alpha-2) and, as dated data, which of them were in the EU/EØS on a given day.
//!
//! The review's definition of newcomers turns on whether a stay was in a *third country* (outside the
//! EU/EØS). Membership changes over time, so the answer is always asked for a date: Poland entered on
//! 1 May 2004, Croatia on 1 July 2013, and the United Kingdom is treated as in the EU until the end of the
//! transition period, 31 December 2020 (Withdrawal Agreement art. 126-127).

use jiff::civil::{Date, date};

/// A known ISO 3166-1 alpha-2 code (plus the few historic codes found in old CPR movements).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(u16);

/// Current ISO 3166-1 alpha-2 codes, Kosovo's user-assigned `XK`, and historic codes still met in CPR
/// history: `DD` (GDR), `YU` (Yugoslavia), `SU` (USSR), `CS` (Czechoslovakia / Serbia and Montenegro),
/// `AN` (Netherlands Antilles).
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER \
ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM \
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF \
MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK \
PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD \
TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK DD YU \
SU CS AN";

/// One period in which a country counts as EU/EØS (or as Switzerland, which the rules treat alike).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    /// ISO alpha-2 code.
    pub code: &'static str,
    /// First day of membership.
    pub from: Date,
    /// Last day of membership, when it ended.
    pub to: Option<Date>,
    /// `EU`, `EØS` or `CH`: what the membership is.
    pub kind: &'static str,
    /// Where the date comes from.
    pub legal_basis: &'static str,
}

const ROME: &str = "Romtraktaten, i kraft 1. januar 1958";
const EEA: &str = "EØS-aftalen, i kraft 1. januar 1994";
const ACCESSION_2004: &str = "Tiltrædelsestraktaten 2003, i kraft 1. maj 2004";
const BREXIT: &str =
    "Tiltrædelse 1. januar 1973; udtrædelsesaftalen art. 126-127: overgangsperiode til 31. december 2020";

/// Dated EU/EØS/Switzerland membership. A country absent from this table is a third country on every date;
/// Denmark, the Faroe Islands and Greenland are the realm ("riget") and never abroad.
pub const MEMBERSHIPS: &[Membership] = &[
    m("BE", date(1958, 1, 1), None, "EU", ROME),
    m("DE", date(1958, 1, 1), None, "EU", ROME),
    m("FR", date(1958, 1, 1), None, "EU", ROME),
    m("IT", date(1958, 1, 1), None, "EU", ROME),
    m("LU", date(1958, 1, 1), None, "EU", ROME),
    m("NL", date(1958, 1, 1), None, "EU", ROME),
    m("GF", date(1958, 1, 1), None, "EU", "Fransk oversøisk område i EU (Romtraktaten)"),
    m("GP", date(1958, 1, 1), None, "EU", "Fransk oversøisk område i EU (Romtraktaten)"),
    m("MQ", date(1958, 1, 1), None, "EU", "Fransk oversøisk område i EU (Romtraktaten)"),
    m("RE", date(1958, 1, 1), None, "EU", "Fransk oversøisk område i EU (Romtraktaten)"),
    m("MF", date(1958, 1, 1), None, "EU", "Fransk del af Saint-Martin, del af Frankrig i EU"),
    m("YT", date(2014, 1, 1), None, "EU", "Mayotte gjort til EU-område i den yderste periferi 1. januar 2014"),
    m("IE", date(1973, 1, 1), None, "EU", "Tiltrædelse 1. januar 1973"),
    m("GB", date(1973, 1, 1), Some(date(2020, 12, 31)), "EU", BREXIT),
    m("GI", date(1973, 1, 1), Some(date(2020, 12, 31)), "EU", BREXIT),
    m("GR", date(1981, 1, 1), None, "EU", "Tiltrædelse 1. januar 1981"),
    m("ES", date(1986, 1, 1), None, "EU", "Tiltrædelse 1. januar 1986"),
    m("PT", date(1986, 1, 1), None, "EU", "Tiltrædelse 1. januar 1986"),
    m("AT", date(1994, 1, 1), None, "EØS", "EØS-aftalen 1. januar 1994; EU fra 1. januar 1995"),
    m("FI", date(1994, 1, 1), None, "EØS", "EØS-aftalen 1. januar 1994; EU fra 1. januar 1995"),
    m("SE", date(1994, 1, 1), None, "EØS", "EØS-aftalen 1. januar 1994; EU fra 1. januar 1995"),
    m("AX", date(1995, 1, 1), None, "EU", "Åland, del af Finland i EU fra 1. januar 1995"),
    m("IS", date(1994, 1, 1), None, "EØS", EEA),
    m("NO", date(1994, 1, 1), None, "EØS", EEA),
    m("LI", date(1995, 5, 1), None, "EØS", "EØS-aftalen for Liechtenstein, i kraft 1. maj 1995"),
    m(
        "CH",
        date(2002, 6, 1),
        None,
        "CH",
        "Aftalen mellem EU og Schweiz om fri bevægelighed for personer, i kraft 1. juni 2002",
    ),
    m("CY", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("CZ", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("EE", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("HU", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("LT", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("LV", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("MT", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("PL", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("SI", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("SK", date(2004, 5, 1), None, "EU", ACCESSION_2004),
    m("BG", date(2007, 1, 1), None, "EU", "Tiltrædelse 1. januar 2007"),
    m("RO", date(2007, 1, 1), None, "EU", "Tiltrædelse 1. januar 2007"),
    m("HR", date(2013, 7, 1), None, "EU", "Tiltrædelse 1. juli 2013"),
];

const fn m(
    code: &'static str,
    from: Date,
    to: Option<Date>,
    kind: &'static str,
    legal_basis: &'static str,
) -> Membership {
    Membership { code, from, to, kind, legal_basis }
}

/// Where a country stood on a given date, for the newcomer rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Denmark, the Faroe Islands or Greenland: not abroad at all.
    Realm,
    /// In the EU or EØS on that date.
    EuEea,
    /// Switzerland, on a date when the free-movement agreement applied.
    Switzerland,
    /// Outside the EU/EØS on that date.
    Third,
}

impl Country {
    /// Parses a known two-letter code (upper case, as CONTRACT.md specifies).
    #[must_use]
    pub fn parse(bytes: &[u8]) -> Option<Country> {
        let [a, b] = bytes else { return None };
        if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
            return None;
        }
        let key = u16::from(a - b'A') * 26 + u16::from(b - b'A');
        known_table()[usize::from(key)].then_some(Country(key))
    }

    /// The two-letter code.
    #[must_use]
    pub fn code(self) -> [u8; 2] {
        let a = u8::try_from(self.0 / 26).unwrap_or(0);
        let b = u8::try_from(self.0 % 26).unwrap_or(0);
        [b'A' + a, b'A' + b]
    }

    /// The code as text.
    #[must_use]
    pub fn as_str(self) -> String {
        String::from_utf8_lossy(&self.code()).into_owned()
    }

    /// The country's standing on `on`.
    #[must_use]
    pub fn standing_on(self, on: Date) -> Standing {
        let code = self.code();
        if matches!(&code, b"DK" | b"FO" | b"GL") {
            return Standing::Realm;
        }
        let member = MEMBERSHIPS
            .iter()
            .find(|ms| ms.code.as_bytes() == code && ms.from <= on && ms.to.is_none_or(|to| on <= to));
        match member {
            Some(ms) if ms.kind == "CH" => Standing::Switzerland,
            Some(_) => Standing::EuEea,
            None => Standing::Third,
        }
    }
}

fn known_table() -> &'static [bool; 676] {
    static TABLE: std::sync::OnceLock<[bool; 676]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [false; 676];
        for code in CODES.split_whitespace() {
            let b = code.as_bytes();
            table[usize::from(b[0] - b'A') * 26 + usize::from(b[1] - b'A')] = true;
        }
        table
    })
}

impl std::fmt::Debug for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

impl std::fmt::Display for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: &str) -> Country {
        Country::parse(code.as_bytes()).expect("known code")
    }

    #[test]
    fn knows_all_codes_and_only_those() {
        assert_eq!(CODES.split_whitespace().count(), 249 + 6);
        assert!(Country::parse(b"QQ").is_none());
        assert!(Country::parse(b"dk").is_none());
        assert!(Country::parse(b"DNK").is_none());
        assert_eq!(c("SY").as_str(), "SY");
        for ms in MEMBERSHIPS {
            assert!(Country::parse(ms.code.as_bytes()).is_some(), "{}", ms.code);
        }
    }

    /// The issue's own examples: Poland from 1 May 2004, Croatia from 1 July 2013, the UK until 31 Dec 2020.
    #[test]
    fn membership_is_judged_on_the_date() {
        assert_eq!(c("PL").standing_on(date(2004, 4, 30)), Standing::Third);
        assert_eq!(c("PL").standing_on(date(2004, 5, 1)), Standing::EuEea);
        assert_eq!(c("HR").standing_on(date(2013, 6, 30)), Standing::Third);
        assert_eq!(c("HR").standing_on(date(2013, 7, 1)), Standing::EuEea);
        assert_eq!(c("GB").standing_on(date(2020, 12, 31)), Standing::EuEea);
        assert_eq!(c("GB").standing_on(date(2021, 1, 1)), Standing::Third);
        assert_eq!(c("NO").standing_on(date(1993, 12, 31)), Standing::Third);
        assert_eq!(c("NO").standing_on(date(1994, 1, 1)), Standing::EuEea);
        assert_eq!(c("CH").standing_on(date(2002, 6, 1)), Standing::Switzerland);
        assert_eq!(c("CH").standing_on(date(2002, 5, 31)), Standing::Third);
        assert_eq!(c("GL").standing_on(date(2000, 1, 1)), Standing::Realm);
        assert_eq!(c("SY").standing_on(date(2015, 1, 1)), Standing::Third);
    }
}
