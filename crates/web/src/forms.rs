//! One form per case action: the fields of each action (the same names as its JSON), their Danish labels,
//! and turning a posted form into the action's JSON so the page and the API share one parser.

use gennemgang_case::action::{Action, ActionKind};
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
    /// One of the case's documents (by number, from 1), or none.
    Document,
    /// Several of the case's documents (by number) withheld for one reason: each ticked document becomes
    /// an item `{document, reason}` of the action's `withheld`.
    Withheld(&'static str),
    /// Several fixed choices.
    Multi(&'static [(&'static str, &'static str)]),
    /// One of the home municipality's caseworkers (the choices come from the accounts when the form is
    /// shown; the case rules check the name again when the action is taken).
    Caseworker,
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
const AWAITED: &[(&str, &str)] = &[("health_information", "Helbredsoplysninger"), ("work_trial", "Arbejdsprøvning")];
const CHANNELS: &[(&str, &str)] = &[("digital", "Digital Post"), ("physical", "Fysisk brev")];
const CONTACTS: &[(&str, &str)] = &[
    ("phone", "Telefonsamtale"),
    ("email", "E-mail"),
    ("meeting", "Møde"),
    ("letter_from_citizen", "Brev fra borgeren"),
    ("other", "Anden henvendelse"),
];

const SEND_BACK: &[(&str, &str)] = &[
    ("health_information", "Helbredsoplysninger mangler"),
    ("work_capacity", "Arbejdsevnen er ikke belyst"),
    ("hearing", "Partshøring mangler"),
    ("reopening_ground", "Anledningen til genåbning er ikke dokumenteret"),
    ("other", "Andet"),
];
const REASSESS: &[(&str, &str)] = &[
    ("maintained", "Afgørelsen fastholdes"),
    ("changed", "Borgeren får fuldt ud medhold (ny afgørelse)"),
    ("partly_changed", "Borgeren får delvist medhold (ny afgørelse; resten til Ankestyrelsen)"),
];
const EXCEPTIONS: &[(&str, &str)] = &[
    ("nr1", "Nr. 1: ubetænkeligt at afgøre på det foreliggende grundlag"),
    ("nr2", "Nr. 2: udsættelse vil overskride en lovbestemt frist"),
    ("nr4", "Nr. 4: borgeren har ikke ret til aktindsigt i oplysningerne"),
];
const RECOMMENDATIONS: &[(&str, &str)] =
    &[("keep", "At førtidspensionen bevares"), ("revoke", "At førtidspensionen frakendes")];
const APPEALS: &[(&str, &str)] = &[("upheld", "Stadfæstet"), ("changed", "Ændret"), ("remitted", "Hjemvist")];

/// The fields of each action's form. Exhaustive over the action kinds, so a new action does not compile
/// without its form; `None` for the actions no one fills in a form for (the system's, and letters, which
/// have their own page).
fn fields(kind: ActionKind) -> Option<&'static [Field]> {
    use ActionKind as K;
    use Kind::{Area, Bool, Caseworker, Date, Number, Select, Text, Withheld};
    Some(match kind {
        // A document comes through its own upload form (the server reads the file for its hash and type).
        K::Import | K::RegisterFlag | K::SendLetter | K::SendPaymentNotice | K::AddDocument => return None,
        K::Assign => const { &[f("caseworker", "Sagsbehandler", Caseworker, true)] },
        K::RecordEvidence => {
            const {
                &[
                    f("source", "Kilde", Select(SOURCES), true),
                    f("summary", "Hvad viser oplysningen", Area, true),
                    f("obtained_on", "Indhentet", Date, true),
                ]
            }
        }
        K::MarkNotRelevant => {
            const {
                &[
                    f("source", "Kilde", Select(SOURCES), true),
                    f("reason", "Hvorfor kilden ikke er relevant", Area, true),
                ]
            }
        }
        K::Summon => const { &[f("interview_on", "Samtalens dato (en arbejdsdag)", Date, true)] },
        K::HoldInterview => const { &[f("journal_note", "Journalnotat (offentlighedslovens § 13)", Area, true)] },
        K::RegisterNoShow
        | K::SendToDeciding
        | K::Receive
        | K::RequestHearingInPerson
        | K::ApproveRevocation
        | K::ForwardToAppealsBoard
        | K::Close => &[],
        K::DecideOnExistingBasis => const { &[f("reason", "Begrundelse", Area, true)] },
        K::AssessNoGround => const { &[f("reasons", "Begrundelse for vurderingen", Area, true)] },
        K::AssessReopen => {
            const {
                &[
                    f("ground", "Konkret og saglig anledning", Area, true),
                    f("evidence", "Oplysninger, anledningen bygger på", Kind::Evidence, true),
                ]
            }
        }
        K::NotifyReopening => const { &[f("sent_on", "Brevet er sendt", Date, true)] },
        K::RecordConsent => {
            const { &[f("granted", "Borgeren giver samtykke", Bool, false), f("scope", "Samtykket omfatter", Text, true)] }
        }
        K::RecordHealthInformation => {
            const {
                &[
                    f("summary", "Oplysningerne", Area, true),
                    f("obtained_from", "Indhentet fra", Text, true),
                    f("obtained_on", "Indhentet", Date, true),
                ]
            }
        }
        K::RequestInformation => {
            const { &[f("awaited", "Hvad der bedes om", Select(AWAITED), true), f("from", "Fra hvem", Text, true)] }
        }
        K::RecordWorkTrial => {
            const {
                &[
                    f("from", "Fra", Date, true),
                    f("to", "Til", Date, true),
                    f("place", "Virksomhed", Text, true),
                    f("outcome", "Resultat", Area, true),
                ]
            }
        }
        K::RecordInformation => {
            const {
                &[
                    f("summary", "Oplysningerne", Area, true),
                    f("obtained_from", "Indhentet fra", Text, true),
                    f("obtained_on", "Indhentet", Date, true),
                ]
            }
        }
        K::RecordRecommendation => {
            const {
                &[
                    f("recommendation", "Teamet indstiller", Select(RECOMMENDATIONS), true),
                    f("reasons", "Teamets begrundelse", Area, true),
                    f("met_on", "Teamets mødedato", Date, true),
                ]
            }
        }
        K::RePresent => {
            const {
                &[f("reasons", "Hvorfor nævnet ikke kan følge indstillingen (borgeren får begrundelsen)", Area, true)]
            }
        }
        K::RegisterAccessRequest => {
            const { &[f("scope", "Hvad borgeren beder om at se (modtaget i dag)", Area, true)] }
        }
        K::AnswerAccessRequest => {
            const {
                &[
                    f(
                        "withheld_internal",
                        "Undtaget som interne arbejdsdokumenter",
                        Withheld("internal_document"),
                        false,
                    ),
                    f("withheld_third_party", "Undtaget af hensyn til andre personer", Withheld("third_party"), false),
                ]
            }
        }
        K::RecordContact => {
            const {
                &[
                    f("contact", "Henvendelsen", Select(CONTACTS), true),
                    f("contacted_on", "Dato for henvendelsen", Date, true),
                    f("note", "Journalnotat: hvad blev der sagt eller skrevet", Area, true),
                ]
            }
        }
        K::RecordDelay => {
            const {
                &[
                    f("expected_by", "Forventet afgørelse (eller fasens afslutning) senest", Date, true),
                    f("reason", "Hvorfor fristen ikke kan holdes (borgeren får begrundelsen)", Area, true),
                ]
            }
        }
        K::NoNewInformation => const { &[f("reason", "Hvorfor der ikke skal indhentes nye oplysninger", Area, true)] },
        K::StartHearing => {
            const {
                &[
                    f("adverse_information", "Oplysninger, borgeren høres om", Area, true),
                    f("sent_on", "Brevet er tilgængeligt for borgeren", Date, true),
                    f("answer_days", "Svarfrist i dage (tom: 14 dage)", Number, false),
                ]
            }
        }
        K::CompleteHearing => {
            const {
                &[
                    f("answer", "Borgerens svar (tom: intet svar inden fristen)", Area, false),
                    f("document", "Borgerens skriftlige svar som dokument på sagen", Kind::Document, false),
                    f("on", "Svaret er modtaget (eller dato for afslutning)", Date, true),
                ]
            }
        }
        K::Validate => const { &[f("notes", "Bemærkninger", Area, true)] },
        K::SendBack => {
            const {
                &[
                    f("reasons", "Sagen er ikke tilstrækkeligt oplyst", Kind::Multi(SEND_BACK), true),
                    f("note", "Uddybning til bopælskommunen", Area, true),
                ]
            }
        }
        K::Schedule => const { &[f("meeting_on", "Mødedato (tom: næste møde)", Date, false)] },
        K::RecordHearingException => {
            const {
                &[
                    f("exception", "Undtagelse (forvaltningslovens § 19, stk. 2)", Select(EXCEPTIONS), true),
                    f("reason", "Hvorfor undtagelsen gælder i sagen", Area, true),
                ]
            }
        }
        K::ProposeRevocation => {
            const {
                &[
                    f("reasons", "Begrundelse (forvaltningslovens §§ 22-24)", Area, true),
                    f(
                        "keep_payment_months",
                        "Pensionen bevares i antal måneder efter virkningstidspunktet (0-3)",
                        Number,
                        true,
                    ),
                ]
            }
        }
        K::RejectRevocation | K::WithdrawDecision => const { &[f("reason", "Begrundelse", Area, true)] },
        K::RecordHearingInPerson => {
            const { &[f("note", "Notat om, hvad borgeren sagde (offentlighedslovens § 13)", Area, true)] }
        }
        K::WithdrawHearingInPerson => const { &[f("note", "Hvordan og hvornår borgeren meddelte det", Area, true)] },
        K::Uphold => const { &[f("reasons", "Begrundelse", Area, true)] },
        K::SendDecisionLetter => {
            const { &[f("sent_on", "Afsendt", Date, true), f("channel", "Forsendelse", Select(CHANNELS), true)] }
        }
        K::ReceiveComplaint => const { &[f("received_on", "Modtaget", Date, true)] },
        K::Reassess => {
            const {
                &[
                    f("outcome", "Resultat", Select(REASSESS), true),
                    f("reasons", "Begrundelse", Area, true),
                    f(
                        "keep_payment_months",
                        "Måneder med fortsat udbetaling, hvis en frakendelse ændres delvist (0-3)",
                        Number,
                        false,
                    ),
                ]
            }
        }
        K::RecordAppealsOutcome => {
            const {
                &[
                    f("outcome", "Afgørelse", Select(APPEALS), true),
                    f("decided_on", "Ankestyrelsens afgørelsesdato", Date, true),
                ]
            }
        }
    })
}

/// The Danish title and the fields of an action, by its name.
#[must_use]
pub fn spec(name: &str) -> Option<(&'static str, &'static [Field])> {
    let kind = ActionKind::parse(name)?;
    fields(kind).map(|fields| (kind.danish(), fields))
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
            Kind::Withheld(reason) => {
                let items: Result<Vec<Value>, _> = values(form, field.name)
                    .map(|v| v.parse::<u64>().map(|n| serde_json::json!({"document": n, "reason": reason})))
                    .collect();
                match items {
                    Ok(mut v) => {
                        // Both reasons' fields add to the one list.
                        if let Some(Value::Array(all)) = json.get_mut("withheld") {
                            all.append(&mut v);
                        } else {
                            json.insert("withheld".into(), Value::Array(v));
                        }
                    }
                    Err(_) => errors.push(err("ugyldigt valg")),
                }
                None
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
            Kind::Number | Kind::Document => match first.parse::<u64>() {
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
            Kind::Text | Kind::Area | Kind::Caseworker => Some(Value::String(first.to_owned())),
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
    fn every_action_a_person_takes_has_a_form() {
        for &kind in ActionKind::ALL {
            let system = matches!(
                kind,
                ActionKind::Import
                    | ActionKind::RegisterFlag
                    | ActionKind::SendLetter
                    | ActionKind::SendPaymentNotice
                    | ActionKind::AddDocument
            );
            assert_eq!(spec(kind.name()).is_some(), !system, "{kind:?}");
        }
    }

    #[test]
    fn no_form_asks_for_what_the_server_computes() {
        for &kind in ActionKind::ALL {
            for field in spec(kind.name()).map_or(&[][..], |(_, f)| f) {
                assert!(
                    !matches!(field.name, "decided_on" if kind != ActionKind::RecordAppealsOutcome)
                        && !matches!(field.name, "effective_from" | "uses_adverse_information" | "record"),
                    "{kind:?} asks for {}",
                    field.name
                );
            }
        }
    }

    #[test]
    fn forms_become_actions_and_errors_name_fields() {
        let a =
            parse("assess_reopen", &form(&[("ground", "Løn"), ("evidence", "0"), ("evidence", "2")])).expect("valid");
        assert_eq!(a, Action::AssessReopen { ground: "Løn".into(), evidence: vec![0, 2] });
        let errors =
            parse("propose_revocation", &form(&[("reasons", ""), ("keep_payment_months", "tre")])).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["reasons", "keep_payment_months"]);
        let backdated = parse("uphold", &form(&[("reasons", "r"), ("decided_on", "2020-01-01")])).expect("ignored");
        assert_eq!(backdated, Action::Uphold { reasons: "r".into() }, "a posted decision date is never read");
        assert_eq!(
            parse("schedule", &form(&[("meeting_on", "")])).expect("optional"),
            Action::Schedule { meeting_on: None }
        );
        // The written answer as a document of the case, or none ("Intet dokument" sends nothing).
        let on = jiff::civil::date(2026, 12, 18);
        for (chosen, document) in [("2", Some(2)), ("", None)] {
            let a = parse("complete_hearing", &form(&[("answer", ""), ("document", chosen), ("on", "2026-12-18")]));
            assert_eq!(a.expect("valid"), Action::CompleteHearing { answer: None, on, document });
        }
        let bad = parse("complete_hearing", &form(&[("document", "nr. 2"), ("on", "2026-12-18")])).expect_err("bad");
        assert_eq!(bad.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), vec!["document"]);
    }
}
