//! Fictitious names and addresses for the synthetic population: given names and surnames as CPR would
//! hold them for people from Denmark and from the countries the population's newcomers come from (in Latin
//! letters with each language's own: Ş, ğ, ı, ł, ă, ș, ė, ễ), and Danish street addresses with the
//! postcode of each municipality's main town. Common names combined at random, so no real person is meant.

use super::rng::Rng;

/// Names of one language: male and female given names, surnames.
struct Names {
    male: &'static [&'static str],
    female: &'static [&'static str],
    surnames: &'static [&'static str],
}

const DANISH: Names = Names {
    male: &[
        "Jens", "Peter", "Lars", "Søren", "Niels", "Mads", "Rasmus", "Anders", "Jørgen", "Mikkel", "Frederik", "Bjørn",
    ],
    female: &[
        "Anne", "Kirsten", "Mette", "Hanne", "Lene", "Camilla", "Maria", "Louise", "Birgit", "Signe", "Ida", "Åse",
    ],
    surnames: &[
        "Nielsen",
        "Jensen",
        "Hansen",
        "Pedersen",
        "Andersen",
        "Christensen",
        "Larsen",
        "Sørensen",
        "Rasmussen",
        "Jørgensen",
        "Petersen",
        "Madsen",
        "Kristensen",
        "Olsen",
        "Thomsen",
        "Møller",
        "Kjær",
        "Østergaard",
    ],
};

const ARABIC: Names = Names {
    male: &["Mohammad", "Ahmad", "Ali", "Omar", "Khaled", "Youssef", "Hassan", "Mahmoud", "Bilal", "Samir"],
    female: &["Fatima", "Aisha", "Mariam", "Noor", "Rania", "Huda", "Layla", "Amal", "Zainab", "Yasmin"],
    surnames: &[
        "Al-Hassan",
        "Haddad",
        "Khalil",
        "Al-Khatib",
        "Mansour",
        "Nasser",
        "Saleh",
        "Al-Ahmad",
        "Darwish",
        "Abbas",
    ],
};

const TURKISH: Names = Names {
    male: &["Mehmet", "Mustafa", "Ahmet", "Hüseyin", "İbrahim", "Murat", "Yusuf", "Emre", "Gökhan", "Çağlar"],
    female: &["Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Özlem", "Gülşen", "Şükran", "Büşra"],
    surnames: &["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Doğan", "Kılıç"],
};

const PERSIAN: Names = Names {
    male: &["Reza", "Hossein", "Mehdi", "Ahmad", "Farhad", "Dariush", "Navid", "Karim", "Abdullah", "Jawad"],
    female: &["Maryam", "Zahra", "Shirin", "Parisa", "Leila", "Nasrin", "Fereshteh", "Soraya", "Mina", "Nahid"],
    surnames: &[
        "Hosseini",
        "Mohammadi",
        "Rezaei",
        "Ahmadi",
        "Karimi",
        "Rahimi",
        "Sultani",
        "Azizi",
        "Haidari",
        "Jafari",
    ],
};

const URDU: Names = Names {
    male: &["Muhammad", "Imran", "Asif", "Tariq", "Shahid", "Naveed", "Kamran", "Zubair"],
    female: &["Ayesha", "Sana", "Nazia", "Rabia", "Shazia", "Farah", "Saima", "Uzma"],
    surnames: &["Khan", "Hussain", "Malik", "Qureshi", "Chaudhry", "Butt", "Iqbal", "Anwar"],
};

const SOMALI: Names = Names {
    male: &["Abdi", "Mohamed", "Abdirahman", "Hassan", "Farah", "Abdullahi", "Yusuf", "Ismail"],
    female: &["Hodan", "Faadumo", "Sahra", "Ayaan", "Hibo", "Nimco", "Ubah", "Asha"],
    surnames: &["Warsame", "Abdi", "Hirsi", "Jama", "Osman", "Ahmed", "Egal", "Nur"],
};

const BALKAN: Names = Names {
    male: &["Emir", "Adnan", "Haris", "Edin", "Nermin", "Arben", "Besnik", "Driton"],
    female: &["Amra", "Lejla", "Selma", "Emina", "Jasmina", "Arta", "Blerta", "Vjosa"],
    surnames: &["Hodžić", "Kovačević", "Begović", "Hadžić", "Mehmedović", "Krasniqi", "Gashi", "Berisha"],
};

const VIETNAMESE: Names = Names {
    male: &["Minh", "Tuấn", "Hùng", "Dũng", "Quang", "Thành"],
    female: &["Hương", "Lan", "Thảo", "Ngọc", "Trang", "Mai"],
    surnames: &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"],
};

const EAST_ASIAN: Names = Names {
    male: &["Wei", "Jun", "Somchai", "Niran", "José", "Mark", "Li", "Arjun", "Rahul", "Senthil"],
    female: &["Mei", "Xiu", "Siriporn", "Malee", "Maricel", "Rowena", "Priya", "Lakshmi", "Anjali", "Kavitha"],
    surnames: &[
        "Wang",
        "Zhang",
        "Chen",
        "Srisuk",
        "Saetang",
        "Santos",
        "Reyes",
        "Dela Cruz",
        "Sharma",
        "Patel",
        "Sivakumar",
        "Perera",
    ],
};

const EAST_SLAVIC: Names = Names {
    male: &["Oleksandr", "Andrii", "Serhii", "Dmytro", "Mykola", "Ivan", "Aleksei", "Vladimir"],
    female: &["Olena", "Nataliia", "Iryna", "Oksana", "Tetiana", "Svetlana", "Anastasia", "Yuliia"],
    surnames: &["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk", "Ivanov", "Petrov", "Kravets"],
};

const TIGRINYA: Names = Names {
    male: &["Tesfay", "Yonas", "Dawit", "Berhane", "Filmon", "Mehari"],
    female: &["Selam", "Helen", "Senait", "Yordanos", "Saba", "Luwam"],
    surnames: &["Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Tekle", "Ghebreyesus"],
};

const POLISH: Names = Names {
    male: &["Piotr", "Krzysztof", "Tomasz", "Paweł", "Łukasz", "Michał", "Andrei", "Ionuț", "Tomas", "Mindaugas"],
    female: &["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Joanna", "Ioana", "Elena", "Mihaela", "Rūta", "Jurgita"],
    surnames: &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Zieliński",
        "Popescu",
        "Ionescu",
        "Stănescu",
        "Kazlauskas",
        "Petrauskienė",
    ],
};

const GERMANIC: Names = Names {
    male: &["Thomas", "Stefan", "Lukas", "Erik", "Johan", "Magnus", "Marco", "Pierre", "Javier", "László"],
    female: &["Julia", "Sabine", "Ingrid", "Karin", "Astrid", "Giulia", "Sophie", "Lucía", "Zsófia", "Sigríður"],
    surnames: &[
        "Müller",
        "Schmidt",
        "Weiß",
        "Johansson",
        "Lindqvist",
        "Berg",
        "Rossi",
        "Dubois",
        "García",
        "Nagy",
        "de Vries",
        "Ivanova",
    ],
};

const ENGLISH: Names = Names {
    male: &["James", "John", "Michael", "David", "Daniel", "Christopher", "Hiroshi", "Kenji"],
    female: &["Mary", "Jennifer", "Sarah", "Emily", "Jessica", "Rebecca", "Yuki", "Akiko"],
    surnames: &["Smith", "Johnson", "Brown", "Taylor", "Wilson", "O'Brien", "MacDonald", "Tanaka", "Suzuki"],
};

/// The names of a country's people.
fn of_country(country: &str) -> &'static Names {
    match country {
        "SY" | "IQ" | "LB" | "MA" | "AE" => &ARABIC,
        "TR" => &TURKISH,
        "IR" | "AF" => &PERSIAN,
        "PK" | "IN" => &URDU,
        "SO" => &SOMALI,
        "BA" | "XK" | "HR" => &BALKAN,
        "VN" => &VIETNAMESE,
        "TH" | "PH" | "CN" | "LK" | "SG" => &EAST_ASIAN,
        "UA" | "RU" => &EAST_SLAVIC,
        "ER" => &TIGRINYA,
        "PL" | "RO" | "LT" | "LV" | "BG" => &POLISH,
        "DE" | "SE" | "NO" | "IT" | "ES" | "FR" | "NL" | "HU" | "IS" | "CH" => &GERMANIC,
        "US" | "GB" | "CA" | "AU" | "NZ" | "JP" => &ENGLISH,
        _ => &DANISH,
    }
}

fn one<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[usize::try_from(rng.below(list.len() as u64)).unwrap_or(0)]
}

/// A full name for a person from `country` (`None`: Danish), as CPR holds it: given names, then surname.
pub fn name(rng: &mut Rng, country: Option<&str>, male: bool) -> String {
    let names = country.map_or(&DANISH, of_country);
    let given = if male { names.male } else { names.female };
    let first = one(rng, given);
    let mut out = String::with_capacity(40);
    out.push_str(first);
    if rng.chance(0.3) {
        let middle = one(rng, given);
        if middle != first {
            out.push(' ');
            out.push_str(middle);
        }
    }
    out.push(' ');
    out.push_str(one(rng, names.surnames));
    out
}

/// The postcode and town of each municipality's main town, by municipality code.
pub const POSTCODES: [(u16, &str, &str); 98] = [
    (101, "2300", "København S"),
    (147, "2000", "Frederiksberg"),
    (151, "2750", "Ballerup"),
    (153, "2605", "Brøndby"),
    (155, "2791", "Dragør"),
    (157, "2820", "Gentofte"),
    (159, "2860", "Søborg"),
    (161, "2600", "Glostrup"),
    (163, "2730", "Herlev"),
    (165, "2620", "Albertslund"),
    (167, "2650", "Hvidovre"),
    (169, "2630", "Taastrup"),
    (173, "2800", "Kongens Lyngby"),
    (175, "2610", "Rødovre"),
    (183, "2635", "Ishøj"),
    (185, "2770", "Kastrup"),
    (187, "2625", "Vallensbæk"),
    (190, "3520", "Farum"),
    (201, "3450", "Allerød"),
    (210, "3480", "Fredensborg"),
    (217, "3000", "Helsingør"),
    (219, "3400", "Hillerød"),
    (223, "2970", "Hørsholm"),
    (230, "2840", "Holte"),
    (240, "3660", "Stenløse"),
    (250, "3600", "Frederikssund"),
    (253, "2670", "Greve"),
    (259, "4600", "Køge"),
    (260, "3300", "Frederiksværk"),
    (265, "4000", "Roskilde"),
    (269, "2680", "Solrød Strand"),
    (270, "3200", "Helsinge"),
    (306, "4500", "Nykøbing Sj"),
    (316, "4300", "Holbæk"),
    (320, "4640", "Faxe"),
    (326, "4400", "Kalundborg"),
    (329, "4100", "Ringsted"),
    (330, "4200", "Slagelse"),
    (336, "4660", "Store Heddinge"),
    (340, "4180", "Sorø"),
    (350, "4320", "Lejre"),
    (360, "4900", "Nakskov"),
    (370, "4700", "Næstved"),
    (376, "4800", "Nykøbing F"),
    (390, "4760", "Vordingborg"),
    (400, "3700", "Rønne"),
    (410, "5500", "Middelfart"),
    (420, "5610", "Assens"),
    (430, "5600", "Faaborg"),
    (440, "5300", "Kerteminde"),
    (450, "5800", "Nyborg"),
    (461, "5000", "Odense C"),
    (479, "5700", "Svendborg"),
    (480, "5400", "Bogense"),
    (482, "5900", "Rudkøbing"),
    (492, "5970", "Ærøskøbing"),
    (510, "6100", "Haderslev"),
    (530, "7190", "Billund"),
    (540, "6400", "Sønderborg"),
    (550, "6270", "Tønder"),
    (561, "6700", "Esbjerg"),
    (563, "6720", "Fanø"),
    (573, "6800", "Varde"),
    (575, "6600", "Vejen"),
    (580, "6200", "Aabenraa"),
    (607, "7000", "Fredericia"),
    (615, "8700", "Horsens"),
    (621, "6000", "Kolding"),
    (630, "7100", "Vejle"),
    (657, "7400", "Herning"),
    (661, "7500", "Holstebro"),
    (665, "7620", "Lemvig"),
    (671, "7600", "Struer"),
    (706, "8400", "Ebeltoft"),
    (707, "8500", "Grenaa"),
    (710, "8370", "Hadsten"),
    (727, "8300", "Odder"),
    (730, "8900", "Randers C"),
    (740, "8600", "Silkeborg"),
    (741, "8305", "Samsø"),
    (746, "8660", "Skanderborg"),
    (751, "8000", "Aarhus C"),
    (756, "7430", "Ikast"),
    (760, "6950", "Ringkøbing"),
    (766, "8722", "Hedensted"),
    (773, "7900", "Nykøbing M"),
    (779, "7800", "Skive"),
    (787, "7700", "Thisted"),
    (791, "8800", "Viborg"),
    (810, "9700", "Brønderslev"),
    (813, "9900", "Frederikshavn"),
    (820, "9600", "Aars"),
    (825, "9940", "Læsø"),
    (840, "9520", "Skørping"),
    (846, "9500", "Hobro"),
    (849, "9440", "Aabybro"),
    (851, "9000", "Aalborg"),
    (860, "9800", "Hjørring"),
];

/// The postcode and town of a municipality.
pub fn postcode(municipality: u16) -> (&'static str, &'static str) {
    POSTCODES
        .binary_search_by_key(&municipality, |p| p.0)
        .map_or(("9999", "Ukendt"), |i| (POSTCODES[i].1, POSTCODES[i].2))
}

const SIDES: [&str; 3] = ["tv", "th", "mf"];

/// The street line of address `k` of an area whose street is `street`: a block of 8 flats per stairway,
/// ground floor to 3rd, left and right.
pub fn street_line(street: &str, k: u32) -> String {
    let number = k / 8 + 1;
    let floor = (k % 8) / 2;
    let side = SIDES[usize::try_from(k % 2).unwrap_or(0)];
    if floor == 0 { format!("{street} {number}, st. {side}") } else { format!("{street} {number}, {floor}. {side}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_municipality_has_a_postcode_in_code_order() {
        let codes: Vec<u16> = POSTCODES.iter().map(|p| p.0).collect();
        let known: Vec<u16> = gennemgang_rules::municipality::MUNICIPALITIES.iter().map(|m| m.code).collect();
        assert_eq!(codes, known);
        assert!(POSTCODES.iter().all(|p| p.1.len() == 4 && p.1.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn names_use_their_own_letters_and_addresses_read_as_danish_ones() {
        let mut rng = Rng::new(7, 1);
        let turkish: Vec<String> = (0..200).map(|_| name(&mut rng, Some("TR"), false)).collect();
        assert!(turkish.iter().any(|n| n.chars().any(|c| "ışğçöüİŞ".contains(c))), "{turkish:?}");
        assert!(turkish.iter().all(|n| n.split(' ').count() >= 2));
        assert_eq!(street_line("Bøgeparken", 0), "Bøgeparken 1, st. tv");
        assert_eq!(street_line("Bøgeparken", 13), "Bøgeparken 2, 2. th");
        assert_eq!(postcode(751), ("8000", "Aarhus C"));
    }
}
