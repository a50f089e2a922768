//! One form per case action: the fields of each action (the same names as its JSON), their Danish labels,
//! and turning a posted form into the action's JSON so the page and the API share one parser.

use gennemgang_case::action::Action;
use serde_json::{Map, Value};

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Text,
    /// Several lines.
    Area,
    /// A date.
    Date,
    /// A yes/no checkbox.
    Bool,
    /// A whole number.
    Number,
    /// One of fixed choices.
    Select(&'static [(&'static str, &'static str)]),
    /// Several of the case's evidence items (by index).
    Evidence,
    /// Several fixed choices.
    Multi(&'static [(&'static str, &'static str)]),
}

/// One field.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// JSON name and form name.
    pub name: &'static str,
    /// Danish label.
    pub label: &'static str,
    /// Kind.
    pub kind: Kind,
    /// Must be filled in.
    pub required: bool,
}

const fn f(name: &'static str, label: &'static str, kind: Kind, required: bool) -> Field {
    Field { name, label, kind, required }
}

const SOURCES: &[(&str, &str)] = &[
    ("pension_case", "Førtidspensionssagen"),
    ("other_administration", "Andre dele af forvaltningen"),
    ("income_register", "Indkomstregistret (inkl. kommunal kontrolenhed)"),
    ("public_activity", "Offentligt tilgængelige oplysninger om aktivitetsniveau"),
    ("criminal_record", "Visse oplysninger fra kriminalregistret"),
];
const CHANNELS: &[(&str, &str)] = &[("digital", "Digital Post"), ("physical", "Fysisk brev")];
const SEND_BACK: &[(&str, &str)] = &[
    ("health_information", "Helbredsoplysninger mangler"),
    ("work_capacity", "Arbejdsevnen er ikke belyst"),
    ("hearing", "Partshøring mangler"),
    ("reopening_ground", "Anledningen til genåbning er ikke dokumenteret"),
    ("other", "Andet"),
];
const REASSESS: &[(&str, &str)] =
    &[("maintained", "Afgørelsen fastholdes"), ("changed", "Borgeren får helt eller delvist medhold")];
const APPEALS: &[(&str, &str)] = &[("upheld", "Stadfæstet"), ("changed", "Ændret"), ("remitted", "Hjemvist")];

/// Every action's Danish title and fields, in the order of the model.
const SPECS: &[(&str, &str, &[Field])] = {
    use Kind::{Area, Bool, Date, Number, Select, Text};
    &[
        ("assign", "Fordel sagen", &[f("caseworker", "Sagsbehandler (brugernavn)", Text, true)]),
        (
            "record_evidence",
            "Registrér oplysning",
            &[
                f("source", "Kilde", Select(SOURCES), true),
                f("summary", "Hvad viser oplysningen", Area, true),
                f("obtained_on", "Indhentet", Date, true),
            ],
        ),
        ("summon", "Indkald til samtale", &[f("interview_on", "Samtalens dato", Date, true)]),
        ("hold_interview", "Registrér afholdt samtale", &[f("journal_note", "Journalnotat (OFL § 13)", Area, true)]),
        ("register_no_show", "Registrér udeblivelse", &[]),
        ("decide_on_existing_basis", "Afgør på det foreliggende grundlag", &[f("reason", "Begrundelse", Area, true)]),
        ("assess_no_ground", "Ingen anledning til genåbning", &[f("reasons", "Begrundelse", Area, true)]),
        (
            "assess_reopen",
            "Genåbn sagen",
            &[
                f("ground", "Konkret og saglig anledning", Area, true),
                f("evidence", "Oplysninger, anledningen bygger på", Kind::Evidence, true),
            ],
        ),
        ("notify_reopening", "Orientér borgeren om genåbningen", &[f("sent_on", "Brevet er sendt", Date, true)]),
        (
            "record_consent",
            "Registrér samtykke (RSL § 11 a)",
            &[f("granted", "Borgeren giver samtykke", Bool, false), f("scope", "Samtykket omfatter", Text, true)],
        ),
        (
            "record_health_information",
            "Registrér helbredsoplysninger",
            &[
                f("summary", "Oplysningerne", Area, true),
                f("obtained_from", "Indhentet fra", Text, true),
                f("obtained_on", "Indhentet", Date, true),
            ],
        ),
        (
            "record_work_trial",
            "Registrér arbejdsprøvning",
            &[
                f("from", "Fra", Date, true),
                f("to", "Til", Date, true),
                f("place", "Virksomhed", Text, true),
                f("outcome", "Resultat", Area, true),
            ],
        ),
        (
            "start_hearing",
            "Send partshøring (FVL § 19)",
            &[
                f("adverse_information", "Oplysninger til ugunst for borgeren", Area, true),
                f("sent_on", "Brevet er tilgængeligt for borgeren", Date, true),
                f("answer_days", "Svarfrist i dage (tom: standard)", Number, false),
            ],
        ),
        (
            "complete_hearing",
            "Afslut partshøring",
            &[f("answer", "Borgerens svar (tom: intet svar inden fristen)", Area, false), f("on", "Dato", Date, true)],
        ),
        ("send_to_deciding", "Send til afgørelseskommunen", &[]),
        ("receive", "Modtag sagen", &[]),
        ("validate", "Validér kommunens vurdering", &[f("notes", "Bemærkninger", Area, true)]),
        (
            "send_back",
            "Send tilbage til bopælskommunen",
            &[
                f("reasons", "Sagen er ikke tilstrækkeligt oplyst", Kind::Multi(SEND_BACK), true),
                f("note", "Uddybning", Area, false),
            ],
        ),
        ("schedule", "Sæt på nævnsmøde", &[f("meeting_on", "Mødedato (tom: næste møde)", Date, false)]),
        ("request_hearing_in_person", "Registrér ønske om foretræde", &[]),
        (
            "propose_revocation",
            "Indstil til frakendelse",
            &[
                f("reasons", "Begrundelse (FVL §§ 22-24)", Area, true),
                f("decided_on", "Afgørelsesdato", Date, true),
                f("effective_from", "Frakendelsen har virkning fra", Date, true),
                f("keep_payment_months", "Pensionen bevares i antal måneder (0-3)", Number, true),
                f("uses_adverse_information", "Afgørelsen bygger på oplysninger til ugunst for borgeren", Bool, false),
            ],
        ),
        ("approve_revocation", "Godkend frakendelsen", &[]),
        ("reject_revocation", "Afvis indstillingen", &[f("reason", "Begrundelse", Area, true)]),
        (
            "uphold",
            "Fasthold pensionen",
            &[f("reasons", "Begrundelse", Area, true), f("decided_on", "Afgørelsesdato", Date, true)],
        ),
        (
            "send_decision_letter",
            "Send afgørelsesbrev",
            &[f("sent_on", "Afsendt", Date, true), f("channel", "Forsendelse", Select(CHANNELS), true)],
        ),
        ("receive_complaint", "Registrér klage", &[f("received_on", "Modtaget", Date, true)]),
        (
            "reassess",
            "Genvurdér afgørelsen",
            &[
                f("outcome", "Resultat", Select(REASSESS), true),
                f("reasons", "Begrundelse", Area, true),
                f("on", "Dato", Date, true),
            ],
        ),
        ("forward_to_appeals_board", "Send til Ankestyrelsen", &[f("on", "Dato", Date, true)]),
        (
            "record_appeals_outcome",
            "Registrér Ankestyrelsens afgørelse",
            &[f("outcome", "Afgørelse", Select(APPEALS), true), f("decided_on", "Dato", Date, true)],
        ),
        ("close", "Luk sagen", &[]),
    ]
};

/// The Danish title and the fields of an action.
#[must_use]
pub fn spec(name: &str) -> Option<(&'static str, &'static [Field])> {
    SPECS.iter().find(|(n, _, _)| *n == name).map(|&(_, title, fields)| (title, fields))
}

/// A field error, for the error summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The form field (for the link to it).
    pub field: String,
    /// The Danish message.
    pub message: String,
}

/// Builds the action from a posted form.
///
/// # Errors
/// Every field that is missing or malformed, by name.
pub fn parse(name: &str, form: &[(String, String)]) -> Result<Action, Vec<FieldError>> {
    let Some((_, fields)) = spec(name) else {
        return Err(vec![FieldError { field: "action".into(), message: "Ukendt handling".into() }]);
    };
    let mut json = Map::new();
    json.insert("action".into(), Value::String(name.to_owned()));
    let mut errors = Vec::new();
    fn values<'a>(form: &'a [(String, String)], field: &'a str) -> impl Iterator<Item = &'a str> {
        form.iter().filter(move |(k, _)| k == field).map(|(_, v)| v.trim())
    }
    for field in fields {
        let first = values(form, field.name).next().unwrap_or("");
        let err =
            |message: &str| FieldError { field: field.name.into(), message: format!("{}: {message}", field.label) };
        let value = match field.kind {
            Kind::Bool => Some(Value::Bool(first == "true" || first == "on")),
            Kind::Evidence => {
                let items: Result<Vec<Value>, _> =
                    values(form, field.name).map(|v| v.parse::<u64>().map(Value::from)).collect();
                match items {
                    Ok(v) if !v.is_empty() || !field.required => Some(Value::Array(v)),
                    Ok(_) => {
                        errors.push(err("vælg mindst én oplysning"));
                        None
                    }
                    Err(_) => {
                        errors.push(err("ugyldigt valg"));
                        None
                    }
                }
            }
            Kind::Multi(choices) => {
                let picked: Vec<Value> = values(form, field.name)
                    .filter(|v| choices.iter().any(|(c, _)| c == v))
                    .map(|v| Value::String(v.to_owned()))
                    .collect();
                if picked.is_empty() && field.required {
                    errors.push(err("vælg mindst én"));
                }
                Some(Value::Array(picked))
            }
            _ if first.is_empty() => {
                if field.required {
                    errors.push(err("skal udfyldes"));
                }
                None
            }
            Kind::Number => match first.parse::<u64>() {
                Ok(n) => Some(Value::from(n)),
                Err(_) => {
                    errors.push(err("skal være et helt tal"));
                    None
                }
            },
            Kind::Date => {
                if gennemgang_rules::date::parse_iso(first.as_bytes()).is_some() {
                    Some(Value::String(first.to_owned()))
                } else {
                    errors.push(err("skal være en dato (ÅÅÅÅ-MM-DD)"));
                    None
                }
            }
            Kind::Select(choices) => {
                if choices.iter().any(|(c, _)| *c == first) {
                    Some(Value::String(first.to_owned()))
                } else {
                    errors.push(err("vælg en af mulighederne"));
                    None
                }
            }
            Kind::Text | Kind::Area => Some(Value::String(first.to_owned())),
        };
        if let Some(v) = value {
            json.insert(field.name.into(), v);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_value(Value::Object(json))
        .map_err(|e| vec![FieldError { field: "action".into(), message: format!("Formularen kunne ikke læses: {e}") }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn every_offered_action_has_a_form() {
        for name in [
            "assign",
            "record_evidence",
            "summon",
            "hold_interview",
            "register_no_show",
            "decide_on_existing_basis",
            "assess_no_ground",
            "assess_reopen",
            "notify_reopening",
            "record_consent",
            "record_health_information",
            "record_work_trial",
            "start_hearing",
            "complete_hearing",
            "send_to_deciding",
            "receive",
            "validate",
            "send_back",
            "schedule",
            "request_hearing_in_person",
            "propose_revocation",
            "approve_revocation",
            "reject_revocation",
            "uphold",
            "send_decision_letter",
            "receive_complaint",
            "reassess",
            "forward_to_appeals_board",
            "record_appeals_outcome",
            "close",
        ] {
            assert!(spec(name).is_some(), "{name}");
        }
    }

    #[test]
    fn forms_become_actions_and_errors_name_fields() {
        let a =
            parse("assess_reopen", &form(&[("ground", "Løn"), ("evidence", "0"), ("evidence", "2")])).expect("valid");
        assert_eq!(a, Action::AssessReopen { ground: "Løn".into(), evidence: vec![0, 2] });
        let errors =
            parse("propose_revocation", &form(&[("reasons", ""), ("decided_on", "2027-02-30")])).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["reasons", "decided_on", "effective_from", "keep_payment_months"]);
        assert_eq!(
            parse("schedule", &form(&[("meeting_on", "")])).expect("optional"),
            Action::Schedule { meeting_on: None }
        );
    }
}
