//! The synthetic nation's proportions. Figures are rounded public ones (RULES.md and
//! `../shared/rules/data/scale_figures.csv`): about 6.0 million residents, about 244,000 on førtidspension,
//! about 198 public housing areas of at least 1,000 residents of which about 74 meet `review-2025`, and a
//! target group of about 5,000. Nothing here is a real person, area or address.

use gennemgang_rules::municipality::MUNICIPALITIES;

/// Population by five-year age band (thousands, Denmark around 2025, rounded), from age 0-4 to 100-104.
pub const AGE_BANDS: [f64; 21] = [
    300.0, 310.0, 330.0, 345.0, 370.0, 400.0, 380.0, 350.0, 340.0, 380.0, 410.0, 400.0, 370.0, 330.0, 320.0, 270.0,
    170.0, 85.0, 35.0, 8.0, 1.0,
];

/// Origin groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Born in Denmark, never registered abroad.
    Native,
    /// Descendant of immigrants, born in Denmark.
    Descendant,
    /// Immigrant from a non-western country.
    NonWestern,
    /// Immigrant from an EU/EØS country (some entered before their country joined).
    Eu,
    /// Immigrant from a western country outside the EU (USA, Canada, Switzerland, the UK …).
    WesternOther,
    /// Born in Denmark, lived abroad, came back.
    Returner,
}

impl Group {
    /// Probability of each group by age (order: descendant, non-western, EU, western-other, returner).
    #[must_use]
    pub fn shares(age: i32) -> [f64; 5] {
        match age {
            0..=17 => [0.08, 0.030, 0.020, 0.010, 0.005],
            18..=29 => [0.05, 0.090, 0.080, 0.020, 0.015],
            30..=59 => [0.015, 0.120, 0.050, 0.020, 0.030],
            _ => [0.002, 0.050, 0.020, 0.010, 0.030],
        }
    }

    /// Probability of living in a public housing area of the universe.
    #[must_use]
    pub fn area_share(self) -> f64 {
        match self {
            Group::NonWestern => 0.33,
            Group::Descendant => 0.28,
            Group::Eu => 0.07,
            Group::WesternOther => 0.045,
            Group::Native => 0.042,
            Group::Returner => 0.035,
        }
    }

    /// How strongly the group concentrates in deprived areas (weight multiplier at deprivation `d`).
    #[must_use]
    pub fn area_affinity(self, d: f64) -> f64 {
        match self {
            Group::NonWestern | Group::Descendant => 0.25 + 2.5 * d.powf(1.5),
            Group::Eu | Group::WesternOther => 1.0,
            Group::Native | Group::Returner => 1.3 - d,
        }
    }

    /// Multiplier on the førtidspension rate.
    #[must_use]
    pub fn pension_factor(self) -> f64 {
        match self {
            Group::NonWestern => 1.55,
            Group::Descendant => 1.1,
            Group::Eu | Group::WesternOther => 0.5,
            Group::Native | Group::Returner => 1.0,
        }
    }
}

/// Probability of being on førtidspension by age (before the group factor).
#[must_use]
pub fn pension_rate(age: i32) -> f64 {
    match age {
        18..=29 => 0.013,
        30..=39 => 0.032,
        40..=49 => 0.069,
        50..=59 => 0.118,
        60..=66 => 0.138,
        _ => 0.0,
    }
}

/// Countries immigrants come from, with weights.
pub const NON_WESTERN: [(&str, f64); 20] = [
    ("SY", 12.0),
    ("TR", 10.0),
    ("IQ", 8.0),
    ("IR", 6.0),
    ("LB", 5.0),
    ("PK", 5.0),
    ("AF", 6.0),
    ("SO", 5.0),
    ("BA", 6.0),
    ("VN", 3.0),
    ("TH", 4.0),
    ("PH", 4.0),
    ("CN", 4.0),
    ("IN", 5.0),
    ("UA", 8.0),
    ("RU", 3.0),
    ("ER", 3.0),
    ("MA", 2.0),
    ("LK", 2.0),
    ("XK", 3.0),
];
/// EU/EØS countries (Poland, Romania, Lithuania … were third countries before they joined).
pub const EU: [(&str, f64); 15] = [
    ("PL", 25.0),
    ("RO", 18.0),
    ("DE", 14.0),
    ("LT", 8.0),
    ("SE", 8.0),
    ("NO", 6.0),
    ("BG", 6.0),
    ("IT", 5.0),
    ("ES", 4.0),
    ("FR", 3.0),
    ("NL", 2.0),
    ("LV", 3.0),
    ("HU", 2.0),
    ("IS", 2.0),
    ("HR", 1.0),
];
/// Western countries outside the EU (the UK only from 2021).
pub const WESTERN_OTHER: [(&str, f64); 7] =
    [("US", 35.0), ("GB", 25.0), ("CA", 10.0), ("AU", 10.0), ("CH", 10.0), ("NZ", 5.0), ("JP", 5.0)];
/// Where Danes go and come back from.
pub const ABROAD: [(&str, f64); 14] = [
    ("US", 12.0),
    ("GB", 12.0),
    ("DE", 10.0),
    ("SE", 10.0),
    ("NO", 10.0),
    ("ES", 8.0),
    ("FR", 5.0),
    ("AU", 5.0),
    ("CN", 4.0),
    ("TH", 4.0),
    ("AE", 3.0),
    ("SG", 3.0),
    ("CH", 4.0),
    ("GL", 4.0),
];

/// Approximate population per municipality (thousands), in [`MUNICIPALITIES`] order.
pub const MUNICIPALITY_POPULATION: [f64; 98] = [
    660.0, 105.0, 49.0, 36.0, 14.0, 75.0, 70.0, 24.0, 30.0, 28.0, 54.0, 57.0, 57.0, 41.0, 24.0, 44.0, 17.0, 42.0, 26.0,
    41.0, 64.0, 53.0, 25.0, 58.0, 44.0, 46.0, 51.0, 62.0, 31.0, 90.0, 24.0, 41.0, 33.0, 73.0, 37.0, 49.0, 36.0, 80.0,
    23.0, 31.0, 29.0, 40.0, 84.0, 60.0, 45.0, 39.0, 39.0, 41.0, 51.0, 24.0, 32.0, 208.0, 59.0, 29.0, 12.0, 6.0, 55.0,
    27.0, 74.0, 37.0, 116.0, 3.5, 50.0, 43.0, 59.0, 52.0, 98.0, 95.0, 120.0, 90.0, 59.0, 19.0, 21.0, 43.0, 37.0, 50.0,
    23.0, 99.0, 101.0, 3.7, 64.0, 367.0, 42.0, 56.0, 47.0, 20.0, 46.0, 43.0, 97.0, 36.0, 58.0, 36.0, 1.8, 30.0, 42.0,
    38.0, 222.0, 64.0,
];

/// Municipalities where immigrants settle more often than their population share.
pub const IMMIGRANT_CITIES: [u16; 12] = [101, 147, 751, 461, 851, 167, 153, 183, 165, 169, 159, 175];

/// Parts of fictitious area names.
pub const NAME_FIRST: [&str; 24] = [
    "Bøge", "Rosen", "Ege", "Lærke", "Birke", "Kastanje", "Kløver", "Nørre", "Sønder", "Vester", "Øster", "Mølle",
    "Skov", "Sø", "Eng", "Kirke", "Strand", "Bakke", "Hyld", "Poppel", "Hassel", "Lind", "Elme", "Tjørne",
];
/// Endings of fictitious area names.
pub const NAME_LAST: [&str; 10] =
    ["parken", "gården", "højen", "vænget", "haven", "lunden", "bakken", "engen", "toften", "stykket"];

/// The national share of convicted (2-year average, %), used for the synthetic area indicators.
pub const NATIONAL_CONVICTED_PCT: f64 = 1.32;

/// Sanity: the tables line up with the municipality list.
#[must_use]
pub fn municipality_weights(non_western: bool) -> Vec<f64> {
    MUNICIPALITIES
        .iter()
        .zip(MUNICIPALITY_POPULATION)
        .map(|(m, pop)| if non_western && IMMIGRANT_CITIES.contains(&m.code) { pop * 3.0 } else { pop })
        .collect()
}
