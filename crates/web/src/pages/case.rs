//! The case page: the case as the user may see it, its history, and one form per action it may take.

use super::{ErrorItem, Layout, app_error, errors_from, not_found, render, seen_version, server_error};
use crate::AppState;
use crate::extract::{Posted, SignedIn};
use crate::forms::{self, FieldError, Kind};
use crate::session::Current;
use crate::views::{self, masked};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use gennemgang_app::cases::{self, AppError};
use gennemgang_case::action::ActionKind;
use gennemgang_case::actor::Role;
use gennemgang_case::case::{Case, Event, Hearing, Interview};
use serde::Deserialize;

struct EvidenceView {
    index: usize,
    source: &'static str,
    summary: String,
    /// A summary longer than [`FOLD_CHARS`] is folded: its beginning shown, the whole behind a disclosure.
    folded: Option<String>,
    obtained_on: String,
    by: String,
    basis: String,
}

/// Texts longer than this are folded on the case page.
const FOLD_CHARS: usize = 600;

/// The beginning of a long text, to show folded; `None` for a text short enough to show whole.
fn fold(text: &str) -> Option<String> {
    (text.chars().count() > FOLD_CHARS).then(|| text.chars().take(FOLD_CHARS / 3).collect::<String>() + " …")
}

struct FieldView {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    /// Value, label, and whether it is chosen.
    options: Vec<(String, String, bool)>,
    value: String,
}

struct FormView {
    name: &'static str,
    title: &'static str,
    fields: Vec<FieldView>,
    open: bool,
}

struct HistoryView {
    version: u32,
    at: String,
    user: String,
    role: &'static str,
    what: &'static str,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    layout: Layout,
    errors: Vec<ErrorItem>,
    warnings: Vec<String>,
    id: i64,
    version: u32,
    csrf: String,
    phase: &'static str,
    state: &'static str,
    cpr: String,
    cpr_revealed: bool,
    name: String,
    address: Vec<String>,
    address_protected: bool,
    documents: Vec<super::documents::DocumentView>,
    access_requests: Vec<super::access::RequestView>,
    hands_out: bool,
    may_add_document: bool,
    document_form_open: bool,
    document_sources: Vec<(String, &'static str)>,
    /// What was typed into a refused upload: title, date, source, and whether it is evidence.
    document_typed: (String, String, String, bool),
    birth_date: String,
    home: String,
    deciding: String,
    area: String,
    awarded: String,
    law: &'static str,
    revocable: String,
    assigned: String,
    processing: String,
    team: String,
    screened: String,
    screening_reasons: Vec<String>,
    awarded_iso: String,
    birth_iso: String,
    flags: String,
    evidence: Vec<EvidenceView>,
    has_hidden: bool,
    interview: String,
    ground: String,
    hearing: String,
    decision: String,
    recorded: Vec<(String, String)>,
    letter: String,
    complaint: String,
    forms: Vec<FormView>,
    sent_letters: Vec<SentLetterView>,
    letter_kinds: Vec<(&'static str, &'static str)>,
    may_send: bool,
    today_iso: String,
    today_danish: String,
    history: Vec<HistoryView>,
}

struct SentLetterView {
    title: &'static str,
    sent_on: String,
    channel: &'static str,
    message_id: String,
    preview: String,
}

fn municipality_name(code: u16) -> String {
    gennemgang_rules::municipality::by_code(code).map_or_else(|| code.to_string(), |m| format!("{} ({code})", m.name))
}

pub(crate) struct CaseView<'a> {
    pub(crate) errors: Vec<ErrorItem>,
    pub(crate) cpr: Option<String>,
    pub(crate) show_sensitive: bool,
    pub(crate) open_form: Option<&'a str>,
    /// What was posted to the open form, given back when it was refused.
    pub(crate) typed: Option<&'a [(String, String)]>,
    pub(crate) done: Option<String>,
}

impl CaseView<'_> {
    /// The case as anyone may see it: CPR masked, sensitive details hidden, no messages.
    pub(crate) fn plain() -> Self {
        CaseView { errors: Vec::new(), cpr: None, show_sensitive: false, open_form: None, typed: None, done: None }
    }
}

/// What was just done on a case, as the address after it says (`?udfoert=ACTION`, `?sendt=LETTER`): only a
/// known action or letter is confirmed, in its Danish name, so nothing typed into an address is shown.
#[derive(Default, Deserialize)]
pub struct Done {
    udfoert: Option<String>,
    sendt: Option<String>,
}

impl Done {
    fn confirmation(&self) -> Option<String> {
        if let Some(kind) = self.udfoert.as_deref().and_then(ActionKind::parse) {
            return Some(format!("Registreret på sagen: {}.", kind.danish()));
        }
        let letter = self.sendt.as_deref().and_then(gennemgang_case::letter::LetterKind::parse)?;
        Some(format!("Brevet er sendt og registreret på sagen: »{}«.", letter.danish()))
    }
}

/// Everything recorded on the case that the next person to act needs to read: the checklist's reasons, the
/// assessment, consent, the hearing's answer or exception, send-backs, validation, rejections — and, on the
/// deciding side, that the date of effect is a reading.
fn recorded(
    case: &Case,
    deciding_side: bool,
    review: &gennemgang_rules::review::ReviewParams,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in &case.not_relevant {
        out.push((format!("Ikke relevant: {}", n.source.danish()), format!("{} ({})", n.reason, n.by)));
    }
    // The journal notes (notatpligt), each with its day, kind and who noted it.
    for j in &case.contacts {
        out.push((
            format!("Journalnotat, {} ({})", gennemgang_rules::date::danish(j.contacted_on), j.contact.danish()),
            format!("{} ({})", j.note, j.by),
        ));
    }
    if let Some(r) = &case.no_ground_reasons {
        out.push(("Vurdering: ingen anledning til genåbning".into(), r.clone()));
    }
    if let Some(scope) = &case.consent_scope {
        let given = if case.consent == Some(true) { "Givet" } else { "Afslået" };
        out.push(("Samtykke".into(), format!("{given}: {scope}")));
    }
    if let Some(r) = &case.no_new_information {
        out.push(("Ingen nye oplysninger nødvendige".into(), r.clone()));
    }
    if let Some(a) = &case.hearing_answer {
        out.push(("Borgerens svar i partshøringen".into(), a.clone()));
    }
    if let Some(n) = case.hearing_answer_document {
        let title = n.checked_sub(1).and_then(|i| case.documents.get(i)).map_or("", |d| d.document.title.as_str());
        out.push(("Borgerens skriftlige svar i partshøringen".into(), format!("Dokument nr. {n}: {title}")));
    }
    if let Some(e) = &case.hearing_exception {
        out.push(("Undtagelse fra partshøring".into(), format!("{}. {} ({})", e.exception.danish(), e.reason, e.by)));
    }
    for (i, b) in case.send_backs.iter().enumerate() {
        let reasons: Vec<&str> = b.reasons.iter().map(|r| send_back_reason(*r)).collect();
        out.push((
            format!("Sendt tilbage ({}. gang)", i + 1),
            format!("{}: {} ({})", reasons.join(", "), b.note, b.by),
        ));
    }
    for r in &case.recommendations {
        let round = if r.round == 0 { String::new() } else { format!(" efter genforelæggelse ({}. gang)", r.round) };
        out.push((
            format!("Rehabiliteringsteamets indstilling{round}"),
            format!(
                "Mødet {}: {}. {} ({})",
                gennemgang_rules::date::danish(r.met_on),
                r.recommendation.danish(),
                r.reasons,
                r.by
            ),
        ));
    }
    for (i, r) in case.re_presentations.iter().enumerate() {
        out.push((
            format!("Genforelagt for rehabiliteringsteamet ({}. gang)", i + 1),
            format!("{} ({})", r.reasons, r.by),
        ));
    }
    if let Some(n) = &case.validation_notes {
        out.push(("Validering".into(), n.clone()));
    }
    for r in &case.rejections {
        out.push(("Indstilling afvist".into(), r.clone()));
    }
    match &case.in_person {
        gennemgang_case::case::InPerson::None => {}
        gennemgang_case::case::InPerson::Requested => {
            out.push(("Foretræde for nævnet".into(), "Ønsket; sagen er endnu ikke sat på et møde".into()));
        }
        gennemgang_case::case::InPerson::Scheduled { meeting_on } => out.push((
            "Foretræde for nævnet".into(),
            format!("På mødet {}; der træffes ikke afgørelse før", gennemgang_rules::date::danish(*meeting_on)),
        )),
        gennemgang_case::case::InPerson::Held { on, note } => {
            out.push((format!("Foretræde for nævnet {}", gennemgang_rules::date::danish(*on)), note.clone()));
        }
        gennemgang_case::case::InPerson::Withdrawn { note } => {
            out.push(("Ønsket om foretræde trukket tilbage".into(), note.clone()));
        }
    }
    for r in &case.withdrawals {
        out.push(("Afgørelse tilbagekaldt før afsendelse".into(), r.clone()));
    }
    if let Some(c) = case.complaint.as_ref().and_then(|c| c.reassessment_reasons.clone()) {
        out.push(("Genvurdering".into(), c));
    }
    let effect = &review.revocation_effect;
    if deciding_side && case.reopening_ground.is_some() && !effect.standing.is_confirmed() {
        out.push((
            "Virkningstidspunkt for en frakendelse".into(),
            format!("{} ({}; {})", effect.note, effect.standing.danish(), effect.legal_basis),
        ));
    }
    out
}

/// Whether the case goes before the rehabilitation team, and on which footing.
fn team_note(
    case: &Case,
    routing: &gennemgang_case::facts::Routing,
    review: &gennemgang_rules::review::ReviewParams,
) -> String {
    let team = &review.rehabilitation_team;
    if team.required {
        format!("Alle genåbnede sager forelægges teamet ({}; {})", team.standing.danish(), team.legal_basis)
    } else if routing.presents_to_team(case.home_municipality) {
        "Bopælskommunen forelægger genåbnede sager for teamet; dets indstilling skal foreligge, før sagen sendes videre"
            .into()
    } else {
        format!("Forelægges ikke. {}", team.note)
    }
}

fn send_back_reason(r: gennemgang_case::action::SendBackReason) -> &'static str {
    use gennemgang_case::action::SendBackReason as R;
    match r {
        R::HealthInformation => "helbredsoplysninger mangler",
        R::WorkCapacity => "arbejdsevnen er ikke belyst",
        R::Hearing => "partshøring mangler",
        R::ReopeningGround => "anledningen er ikke dokumenteret",
        R::Other => "andet",
    }
}

fn case_page(
    current: &Current,
    case: &Case,
    events: &[Event],
    v: CaseView<'_>,
    today: jiff::civil::Date,
    routing: &gennemgang_case::facts::Routing,
    caseworkers: &[String],
) -> CasePage {
    let actor = current.user.actor();
    let evidence: Vec<EvidenceView> = case
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let summary = if e.source.is_sensitive() && !v.show_sensitive {
                "Følsom oplysning — vises kun med angivet formål".into()
            } else {
                e.summary.clone()
            };
            // Folded from what is shown: a withheld summary's beginning is never the way round it.
            let folded = fold(&summary);
            EvidenceView {
                index: i + 1,
                source: e.source.danish(),
                summary,
                folded,
                obtained_on: gennemgang_rules::date::danish(e.obtained_on),
                by: e.obtained_by.clone(),
                basis: e.legal_basis.clone(),
            }
        })
        .collect();
    let has_hidden = !v.show_sensitive && case.evidence.iter().any(|e| e.source.is_sensitive());
    // On the page, a decision letter is sent from the letters section (composed, typeset, handed to the
    // postbox, then recorded); the bare recording action stays in the API for systems that send themselves.
    let forms = gennemgang_app::cases::offered(&actor, case, routing)
        .into_iter()
        .filter(|kind| *kind != ActionKind::SendDecisionLetter)
        .filter_map(|kind| {
            let name = kind.name();
            let (title, fields) = forms::spec(name)?;
            Some(FormView {
                name,
                title,
                open: v.open_form == Some(name),
                fields: fields
                    .iter()
                    .map(|f| (f, v.typed.filter(|_| v.open_form == Some(name))))
                    .map(|(f, typed)| {
                        (
                            f,
                            typed.map(|t| {
                                t.iter().filter(|(k, _)| k == f.name).map(|(_, x)| x.as_str()).collect::<Vec<_>>()
                            }),
                        )
                    })
                    .map(|(f, typed)| FieldView {
                        name: f.name,
                        label: f.label,
                        kind: match f.kind {
                            Kind::Area => "area",
                            Kind::Date => "date",
                            Kind::Bool => "bool",
                            Kind::Select(_) | Kind::Caseworker | Kind::Document => "select",
                            Kind::Multi(_) | Kind::Evidence | Kind::Withheld(_) => "multi",
                            Kind::Text | Kind::Number => "text",
                        },
                        options: {
                            let options: Vec<(String, String)> = match f.kind {
                                Kind::Select(o) | Kind::Multi(o) => {
                                    o.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
                                }
                                Kind::Caseworker => caseworkers
                                    .iter()
                                    .map(|name| {
                                        let now = if case.assigned_to.as_deref() == Some(name.as_str()) {
                                            format!("{name} (har sagen nu)")
                                        } else {
                                            name.clone()
                                        };
                                        (name.clone(), now)
                                    })
                                    .collect(),
                                Kind::Withheld(_) => documents(case),
                                Kind::Document => std::iter::once((String::new(), "Intet dokument".to_owned()))
                                    .chain(documents(case))
                                    .collect(),
                                Kind::Evidence => case
                                    .evidence
                                    .iter()
                                    .enumerate()
                                    .map(|(i, e)| (i.to_string(), format!("Nr. {}: {}", i + 1, e.source.danish())))
                                    .collect(),
                                _ => Vec::new(),
                            };
                            options
                                .into_iter()
                                .map(|(value, label)| {
                                    let chosen = typed.as_ref().is_some_and(|t| t.contains(&value.as_str()));
                                    (value, label, chosen)
                                })
                                .collect()
                        },
                        value: match &typed {
                            // What was typed into a refused form is given back as it was (issue 17.8).
                            Some(t) => t.first().map(|s| (*s).to_owned()).unwrap_or_default(),
                            None if f.kind == Kind::Date && f.required => today.to_string(),
                            None => String::new(),
                        },
                    })
                    .collect(),
            })
        })
        .collect();
    let revocable = gennemgang_case::guards::revocation_bars(&gennemgang_case::guards::GuardInputs {
        scheme: case.facts.scheme,
        birth_date: case.facts.birth_date,
        awarded_on: case.facts.awarded_on,
        decided_on: today,
        protected_veteran: case.facts.protected_veteran,
        hearing: gennemgang_case::guards::HearingBasis::Current,
        reopening_ground: true,
    });
    let review = gennemgang_rules::review::ReviewParams::builtin();
    let deciding_side = matches!(actor.role, Role::DecidingCaseworker | Role::DecidingApprover);
    let mut warnings = gennemgang_case::decide::warnings(case, routing, today);
    if deciding_side && let Some(notice) = gennemgang_case::decide::basis_notice(case, review) {
        warnings.push(notice);
    }
    // The built-in placeholder as a whole is said on every page (the layout); here a configured
    // installation whose deciding municipality has no board of its own.
    if !routing.placeholder
        && case.deciding_municipality.is_some()
        && routing.board(case.deciding_municipality).is_none()
    {
        warnings.push("Afgørelseskommunens pensionsnævn er ikke sat op; mødedatoerne er et eksempel".into());
    }
    CasePage {
        layout: Layout::of(Some(current)).done(v.done),
        errors: v.errors,
        warnings,
        id: case.id,
        version: case.version,
        csrf: current.session.csrf.clone(),
        phase: views::phase(case.phase()),
        state: views::state(case.state),
        cpr_revealed: v.cpr.is_some(),
        cpr: v.cpr.unwrap_or_else(|| masked(&case.facts.cpr)),
        name: case.citizen.name.clone(),
        address: match &case.citizen.address {
            Some(a) if gennemgang_case::policy::may_see_address(&actor, case) => vec![a.street.clone(), a.town()],
            _ => Vec::new(),
        },
        address_protected: case.citizen.address_protected,
        documents: super::documents::views(case, &actor),
        access_requests: super::access::views(case, today),
        hands_out: gennemgang_case::policy::may_perform(&actor, case, ActionKind::AnswerAccessRequest),
        may_add_document: gennemgang_case::policy::may_perform(&actor, case, ActionKind::AddDocument)
            && gennemgang_case::decide::notes_taken(case),
        document_form_open: v.open_form == Some("add_document"),
        document_sources: super::documents::source_options(),
        document_typed: {
            let typed = v.typed.filter(|_| v.open_form == Some("add_document")).unwrap_or_default();
            let get = |k: &str| typed.iter().find(|(n, _)| n == k).map(|(_, x)| x.clone()).unwrap_or_default();
            let dated = if typed.is_empty() { today.to_string() } else { get("dated") };
            (get("title"), dated, get("source"), get("as_evidence") == "true")
        },
        birth_date: gennemgang_rules::date::danish(case.facts.birth_date),
        home: municipality_name(case.home_municipality),
        deciding: case.deciding_municipality.map(municipality_name).unwrap_or_else(|| "Endnu ikke sendt".into()),
        area: case.facts.area_id.clone(),
        awarded: gennemgang_rules::date::danish(case.facts.awarded_on),
        law: case.facts.award_law().danish(),
        revocable: if revocable.is_empty() {
            format!("Ja, hvis betingelsen i {} er opfyldt", review.revocation_basis.citation())
        } else {
            revocable.iter().map(|b| b.danish()).collect::<Vec<_>>().join("; ")
        },
        assigned: case.assigned_to.clone().unwrap_or_else(|| "Ikke fordelt".into()),
        processing: gennemgang_case::processing::processing_deadline(case, routing).map_or_else(
            || "Ingen; efter afgørelsen gælder klagens frister".into(),
            |d| gennemgang_case::processing::ProcessingDeadline::danish(&d),
        ),
        team: team_note(case, routing, review),
        screened: gennemgang_rules::date::danish(case.facts.screened_as_of),
        screening_reasons: views::reason_items(&case.facts.screening_reason),
        awarded_iso: case.facts.awarded_on.to_string(),
        birth_iso: case.facts.birth_date.to_string(),
        flags: case.flags.iter().map(gennemgang_case::action::Flag::danish).collect::<Vec<_>>().join("; "),
        evidence,
        has_hidden,
        interview: match case.interview {
            Interview::NotSummoned => "Ikke indkaldt".into(),
            Interview::Summoned { on } => format!("Indkaldt til {}", gennemgang_rules::date::danish(on)),
            Interview::Held => format!("Afholdt. Journalnotat: {}", case.journal.last().cloned().unwrap_or_default()),
            Interview::NoShow => "Udeblevet".into(),
            Interview::ExistingBasis => "Afgøres på det foreliggende grundlag".into(),
        },
        ground: case.reopening_ground.clone().unwrap_or_else(|| "—".into()),
        hearing: match (case.hearing, case.hearing_basis()) {
            (Hearing::None, _) => "Ingen".into(),
            (Hearing::Pending { answer_by, .. }, _) => {
                format!(
                    "Svarfrist {} ({})",
                    gennemgang_rules::date::danish(answer_by),
                    gennemgang_case::law::Citation::Fvl19
                )
            }
            (Hearing::Completed { answered, .. }, basis) => format!(
                "{}{}",
                if answered { "Afsluttet med svar" } else { "Afsluttet uden svar inden fristen" },
                if basis == gennemgang_case::guards::HearingBasis::Missing {
                    "; der er registreret oplysninger efter høringen, så en ny partshøring er nødvendig før frakendelse"
                } else {
                    ""
                }
            ),
        },
        decision: match (&case.decision, &case.proposal) {
            (Some(d), _) => format!(
                "{} {}{} ({}){}",
                if d.revoked { "Frakendt" } else { "Fastholdt" },
                gennemgang_rules::date::danish(d.decided_on),
                match (d.effective_from, d.last_paid_day) {
                    (Some(from), Some(last)) => format!(
                        ", virkning fra {}, udbetaling til og med {}",
                        gennemgang_rules::date::danish(from),
                        gennemgang_rules::date::danish(last)
                    ),
                    _ => String::new(),
                },
                d.reasons,
                d.approved_by.as_ref().map(|a| format!(", godkendt af {a}")).unwrap_or_default()
            ),
            (None, Some(p)) => format!(
                "Indstillet til frakendelse af {} den {} — afventer attestation. Begrundelse: {} Fortsat udbetaling: {} måned(er).",
                p.proposer,
                gennemgang_rules::date::danish(p.proposed_on),
                p.reasons,
                p.keep_payment_months
            ),
            (None, None) => "—".into(),
        },
        recorded: recorded(case, deciding_side, review),
        letter: case.letter.map_or_else(
            || "—".into(),
            |l| {
                format!(
                    "Sendt {} ({}), modtaget {}; klagefrist {} ({})",
                    gennemgang_rules::date::danish(l.sent_on),
                    match l.channel {
                        gennemgang_case::action::Channel::Digital => "Digital Post",
                        gennemgang_case::action::Channel::Physical => "fysisk brev",
                    },
                    l.notified_on.map_or_else(|| "—".to_owned(), gennemgang_rules::date::danish),
                    l.complaint_deadline.map(gennemgang_rules::date::danish).unwrap_or_default(),
                    gennemgang_case::law::Citation::Rsl67
                )
            },
        ),
        complaint: case.complaint.as_ref().map_or_else(
            || "—".into(),
            |c| {
                format!(
                    "Modtaget {}{}; genvurdering senest {}",
                    gennemgang_rules::date::danish(c.received_on),
                    if c.within_deadline == Some(false) { " (efter klagefristen)" } else { "" },
                    c.reassess_by.map(gennemgang_rules::date::danish).unwrap_or_default()
                )
            },
        ),
        forms,
        sent_letters: case
            .letters
            .iter()
            .map(|l| SentLetterView {
                title: l.kind.danish(),
                sent_on: gennemgang_rules::date::danish(l.sent_on),
                channel: match l.channel {
                    gennemgang_case::action::Channel::Digital => "Digital Post",
                    gennemgang_case::action::Channel::Physical => "Fysisk brev",
                },
                message_id: l.message_id.clone(),
                preview: format!(
                    "/sager/{}/breve/{}?kanal={}&dato={}",
                    case.id,
                    l.kind.name(),
                    match l.channel {
                        gennemgang_case::action::Channel::Digital => "digital",
                        gennemgang_case::action::Channel::Physical => "physical",
                    },
                    l.sent_on
                ),
            })
            .collect(),
        letter_kinds: gennemgang_app::letters::fitting(case).into_iter().map(|k| (k.name(), k.danish())).collect(),
        may_send: gennemgang_case::policy::may_perform(&actor, case, ActionKind::SendLetter),
        today_iso: today.to_string(),
        today_danish: gennemgang_rules::date::danish(today),
        history: events
            .iter()
            .map(|e| HistoryView {
                version: e.version,
                at: views::local_time(e.recorded_at),
                user: e.actor.user.clone(),
                role: views::role(e.actor.role),
                what: e.action.kind().danish(),
            })
            .collect(),
    }
}

/// The case's documents as choices: the number (from 1) and "Nr. n: title".
fn documents(case: &Case) -> Vec<(String, String)> {
    case.documents
        .iter()
        .enumerate()
        .map(|(i, d)| ((i + 1).to_string(), format!("Nr. {}: {}", i + 1, d.document.title)))
        .collect()
}

pub(crate) async fn show_case(
    state: &AppState,
    current: &Current,
    id: i64,
    status: StatusCode,
    v: CaseView<'_>,
) -> Response {
    let actor = current.user.actor();
    let now = jiff::Timestamp::now();
    let (case, events) = match cases::read_with_history(&state.store, &actor, id, "case", now).await {
        Ok(read) => read,
        Err(e) => return app_error(current, &e),
    };
    // Who a case may be assigned to: the home municipality's caseworkers, for the one who assigns.
    let assigns = gennemgang_case::policy::may_perform(&actor, &case, ActionKind::Assign);
    let caseworkers = if assigns {
        match state.caseworkers(i64::from(case.home_municipality)).await {
            Ok(names) => names.as_ref().clone(),
            Err(e) => return server_error(&e),
        }
    } else {
        Vec::new()
    };
    render(status, &case_page(current, &case, &events, v, state.today(), &state.routing, &caseworkers))
}

/// `GET /sager/{id}`.
pub async fn case(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Response {
    let done = done.confirmation();
    show_case(&state, &current, id, StatusCode::OK, CaseView { done, ..CaseView::plain() }).await
}

/// A read that states its purpose (the full CPR number, the sensitive details).
#[derive(Deserialize)]
pub struct Purpose {
    /// Why the user reads it (in the access log).
    #[serde(default)]
    purpose: String,
}

/// `POST /sager/{id}/cpr`: the full CPR number, with a stated purpose, logged.
pub async fn reveal_cpr(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { current, form }: Posted<Purpose>,
) -> Response {
    match cases::reveal_cpr(&state.store, &current.user.actor(), id, &form.purpose, jiff::Timestamp::now()).await {
        Ok(cpr) => {
            show_case(&state, &current, id, StatusCode::OK, CaseView { cpr: Some(cpr), ..CaseView::plain() }).await
        }
        Err(AppError::Refused(msg)) => {
            show_case(
                &state,
                &current,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                CaseView {
                    errors: vec![ErrorItem { field: "formaal".into(), message: msg.to_string() }],
                    open_form: None,
                    ..CaseView::plain()
                },
            )
            .await
        }
        Err(e) => app_error(&current, &e),
    }
}

/// `POST /sager/{id}/foelsomme`: health and criminal-record details, inside the task, with a purpose.
pub async fn reveal_sensitive(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { current, form }: Posted<Purpose>,
) -> Response {
    if let Err(e) =
        cases::reveal_sensitive(&state.store, &current.user.actor(), id, &form.purpose, jiff::Timestamp::now()).await
    {
        return app_error(&current, &e);
    }
    show_case(&state, &current, id, StatusCode::OK, CaseView { show_sensitive: true, ..CaseView::plain() }).await
}

/// A refusal as the form that was sent says it: a field's error under the label the form shows it with
/// (the case rules' own label is one for every action; the same field may be labelled otherwise here).
fn in_words_of_the_form(action: &str, refused: &gennemgang_app::cases::Refused) -> String {
    use gennemgang_case::decide::CaseError;
    if let gennemgang_app::cases::Refused::Case(CaseError::Invalid { field, message }) = refused
        && let Some(f) = crate::forms::spec(action).and_then(|(_, fields)| fields.iter().find(|f| f.name == *field))
    {
        return format!("{}: {message}", f.label);
    }
    refused.to_string()
}

/// `POST /sager/{id}/handling/{action}`: one action, as a plain form post or through htmx (same answer).
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, name)): Path<(i64, String)>,
    Posted { current, form }: Posted<Vec<(String, String)>>,
) -> Response {
    if forms::spec(&name).is_none() {
        return not_found().await;
    }
    let action = match forms::parse(&name, &form) {
        Ok(a) => a,
        Err(errors) => {
            // The summary links to the field inside this action's form.
            let errors = errors
                .into_iter()
                .map(|e| FieldError { field: format!("{name}-{}", e.field), message: e.message })
                .collect();
            let v = CaseView {
                errors: errors_from(errors),
                open_form: Some(name.as_str()),
                typed: Some(&form),
                ..CaseView::plain()
            };
            return show_case(&state, &current, id, StatusCode::UNPROCESSABLE_ENTITY, v).await;
        }
    };
    let seen = match seen_version(&current, &form) {
        Ok(seen) => seen,
        Err(r) => return *r,
    };
    let acted = cases::act(&state.store, &current.user.actor(), id, seen, action, state.on()).await;
    if acted.is_ok() {
        state.after_action(id).await;
    }
    match acted {
        // An action can hand the case to another municipality (send back, send on): then the case is out of
        // the user's reach and the worklist is where to go; htmx is told to load it as a whole page.
        Ok(case) if !gennemgang_case::policy::can_see(&current.user.actor(), &case) => {
            if headers.contains_key("hx-request") {
                ([("hx-redirect", "/sager")], StatusCode::NO_CONTENT).into_response()
            } else {
                Redirect::to("/sager").into_response()
            }
        }
        Ok(_) => Redirect::to(&format!("/sager/{id}?udfoert={name}")).into_response(),
        Err(AppError::Refused(msg)) => {
            show_case(
                &state,
                &current,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                CaseView {
                    errors: vec![ErrorItem {
                        // The field the rule is about, inside this action's form, where there is one.
                        field: msg.field().map_or_else(|| "handlinger".into(), |f| format!("{name}-{f}")),
                        message: in_words_of_the_form(&name, &msg),
                    }],
                    open_form: Some(name.as_str()),
                    typed: Some(&form),
                    ..CaseView::plain()
                },
            )
            .await
        }
        Err(AppError::Conflict) => {
            show_case(
                &state,
                &current,
                id,
                StatusCode::CONFLICT,
                // The case as it is now, with the form open and what was typed kept: the user reads what
                // changed and sends it again if it still holds.
                CaseView {
                    errors: vec![ErrorItem { field: "handlinger".into(), message: AppError::Conflict.to_string() }],
                    open_form: Some(name.as_str()),
                    typed: Some(&form),
                    ..CaseView::plain()
                },
            )
            .await
        }
        Err(e) => app_error(&current, &e),
    }
}
