//! Denmark's 98 municipalities (since the 2007 reform) and their five regions, for validating codes.

/// A region (one of the five since 1 January 2007).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    /// Region Nordjylland (1081).
    Nordjylland,
    /// Region Midtjylland (1082).
    Midtjylland,
    /// Region Syddanmark (1083).
    Syddanmark,
    /// Region Hovedstaden (1084).
    Hovedstaden,
    /// Region Sjælland (1085).
    Sjaelland,
}

impl Region {
    /// All five, in code order.
    pub const ALL: [Region; 5] =
        [Region::Nordjylland, Region::Midtjylland, Region::Syddanmark, Region::Hovedstaden, Region::Sjaelland];

    /// Danish name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Region::Nordjylland => "Region Nordjylland",
            Region::Midtjylland => "Region Midtjylland",
            Region::Syddanmark => "Region Syddanmark",
            Region::Hovedstaden => "Region Hovedstaden",
            Region::Sjaelland => "Region Sjælland",
        }
    }

    /// The region code (1081-1085).
    #[must_use]
    pub fn code(self) -> u16 {
        match self {
            Region::Nordjylland => 1081,
            Region::Midtjylland => 1082,
            Region::Syddanmark => 1083,
            Region::Hovedstaden => 1084,
            Region::Sjaelland => 1085,
        }
    }
}

/// A municipality: its CPR code, name and region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Municipality {
    /// Three-digit municipality code (kommunekode).
    pub code: u16,
    /// Danish name.
    pub name: &'static str,
    /// The region it lies in.
    pub region: Region,
}

use Region::{Hovedstaden as H, Midtjylland as M, Nordjylland as N, Sjaelland as S, Syddanmark as D};

const fn k(code: u16, name: &'static str, region: Region) -> Municipality {
    Municipality { code, name, region }
}

/// The 98 municipalities, by code.
pub const MUNICIPALITIES: [Municipality; 98] = [
    k(101, "København", H),
    k(147, "Frederiksberg", H),
    k(151, "Ballerup", H),
    k(153, "Brøndby", H),
    k(155, "Dragør", H),
    k(157, "Gentofte", H),
    k(159, "Gladsaxe", H),
    k(161, "Glostrup", H),
    k(163, "Herlev", H),
    k(165, "Albertslund", H),
    k(167, "Hvidovre", H),
    k(169, "Høje-Taastrup", H),
    k(173, "Lyngby-Taarbæk", H),
    k(175, "Rødovre", H),
    k(183, "Ishøj", H),
    k(185, "Tårnby", H),
    k(187, "Vallensbæk", H),
    k(190, "Furesø", H),
    k(201, "Allerød", H),
    k(210, "Fredensborg", H),
    k(217, "Helsingør", H),
    k(219, "Hillerød", H),
    k(223, "Hørsholm", H),
    k(230, "Rudersdal", H),
    k(240, "Egedal", H),
    k(250, "Frederikssund", H),
    k(253, "Greve", S),
    k(259, "Køge", S),
    k(260, "Halsnæs", H),
    k(265, "Roskilde", S),
    k(269, "Solrød", S),
    k(270, "Gribskov", H),
    k(306, "Odsherred", S),
    k(316, "Holbæk", S),
    k(320, "Faxe", S),
    k(326, "Kalundborg", S),
    k(329, "Ringsted", S),
    k(330, "Slagelse", S),
    k(336, "Stevns", S),
    k(340, "Sorø", S),
    k(350, "Lejre", S),
    k(360, "Lolland", S),
    k(370, "Næstved", S),
    k(376, "Guldborgsund", S),
    k(390, "Vordingborg", S),
    k(400, "Bornholm", H),
    k(410, "Middelfart", D),
    k(420, "Assens", D),
    k(430, "Faaborg-Midtfyn", D),
    k(440, "Kerteminde", D),
    k(450, "Nyborg", D),
    k(461, "Odense", D),
    k(479, "Svendborg", D),
    k(480, "Nordfyns", D),
    k(482, "Langeland", D),
    k(492, "Ærø", D),
    k(510, "Haderslev", D),
    k(530, "Billund", D),
    k(540, "Sønderborg", D),
    k(550, "Tønder", D),
    k(561, "Esbjerg", D),
    k(563, "Fanø", D),
    k(573, "Varde", D),
    k(575, "Vejen", D),
    k(580, "Aabenraa", D),
    k(607, "Fredericia", D),
    k(615, "Horsens", M),
    k(621, "Kolding", D),
    k(630, "Vejle", D),
    k(657, "Herning", M),
    k(661, "Holstebro", M),
    k(665, "Lemvig", M),
    k(671, "Struer", M),
    k(706, "Syddjurs", M),
    k(707, "Norddjurs", M),
    k(710, "Favrskov", M),
    k(727, "Odder", M),
    k(730, "Randers", M),
    k(740, "Silkeborg", M),
    k(741, "Samsø", M),
    k(746, "Skanderborg", M),
    k(751, "Aarhus", M),
    k(756, "Ikast-Brande", M),
    k(760, "Ringkøbing-Skjern", M),
    k(766, "Hedensted", M),
    k(773, "Morsø", N),
    k(779, "Skive", M),
    k(787, "Thisted", N),
    k(791, "Viborg", M),
    k(810, "Brønderslev", N),
    k(813, "Frederikshavn", N),
    k(820, "Vesthimmerlands", N),
    k(825, "Læsø", N),
    k(840, "Rebild", N),
    k(846, "Mariagerfjord", N),
    k(849, "Jammerbugt", N),
    k(851, "Aalborg", N),
    k(860, "Hjørring", N),
];

/// Christiansø has a CPR municipality code (411) but is administered by the state, not a municipality.
pub const CHRISTIANSOE: u16 = 411;

/// Looks a municipality up by code.
#[must_use]
pub fn by_code(code: u16) -> Option<&'static Municipality> {
    MUNICIPALITIES.binary_search_by_key(&code, |m| m.code).ok().map(|i| &MUNICIPALITIES[i])
}

/// Whether `code` is a municipality code found in CPR addresses (the 98 plus Christiansø).
#[must_use]
pub fn is_known_code(code: u16) -> bool {
    static KNOWN: std::sync::OnceLock<[bool; 1000]> = std::sync::OnceLock::new();
    let table = KNOWN.get_or_init(|| {
        let mut t = [false; 1000];
        for m in &MUNICIPALITIES {
            t[usize::from(m.code)] = true;
        }
        t[usize::from(CHRISTIANSOE)] = true;
        t
    });
    table.get(usize::from(code)).copied().unwrap_or(false)
}

/// Parses a 3- or 4-digit municipality code (`101` or CPR's `0101`) that CPR uses for an address.
#[must_use]
pub fn parse_code(bytes: &[u8]) -> Option<u16> {
    if bytes.is_empty() || bytes.len() > 4 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let code = bytes.iter().fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'));
    is_known_code(code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ninety_eight_sorted_and_per_region() {
        assert!(MUNICIPALITIES.windows(2).all(|w| w[0].code < w[1].code));
        let count = |r: Region| MUNICIPALITIES.iter().filter(|m| m.region == r).count();
        assert_eq!([count(N), count(M), count(D), count(H), count(S)], [11, 19, 22, 29, 17]);
    }

    #[test]
    fn codes() {
        assert_eq!(by_code(159).map(|m| m.name), Some("Gladsaxe"));
        assert_eq!(parse_code(b"0751"), Some(751));
        assert_eq!(parse_code(b"411"), Some(411));
        assert_eq!(parse_code(b"999"), None);
        assert_eq!(parse_code(b""), None);
    }
}
