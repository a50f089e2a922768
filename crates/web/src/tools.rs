//! Pages around the cases: housing areas with the criteria what-if, the recorded screening runs, and the
//! pension and deadline calculators. All of them show rules and aggregates, never a person.

use crate::AppState;
use crate::extract::{Posted, SignedIn};
use crate::pages::{ErrorItem, Layout, app_error, field, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gennemgang_app::areas::{self, Classification, Overrides};
use gennemgang_rules::calendar::deadline::{Channel, Kind, deadline};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::criteria::Bound;
use gennemgang_rules::pension::calc::{CalcError, CalcInput, CivilStatus, SchemeName, calculate};
use gennemgang_rules::pension::kr;
use gennemgang_rules::pension::rates::RateTable;
use gennemgang_rules::tri::Tri;
use gennemgang_store::RunKind;
use rust_decimal::Decimal;
use std::str::FromStr;

fn tri_text(t: Tri) -> &'static str {
    match t {
        Tri::Yes => "Udvalgt",
        Tri::No => "Ikke udvalgt",
        Tri::Unknown => "Kan ikke afgøres",
    }
}

fn decimal_text(d: Option<Decimal>) -> String {
    d.map_or_else(|| "ukendt".to_owned(), |v| v.normalize().to_string().replace('.', ","))
}

struct CriterionColumn {
    id: String,
    label: String,
    rule: String,
    input: String,
}

struct AreaLine {
    id: String,
    name: String,
    municipality: String,
    residents: String,
    values: Vec<String>,
    selected: &'static str,
    reason: String,
    candidates: String,
}

struct ChangeLine {
    name: String,
    before: &'static str,
    after: &'static str,
    reason: String,
    persons: String,
}

struct WhatIfView {
    selected_before: usize,
    selected_after: usize,
    changes: Vec<ChangeLine>,
    joining: String,
    leaving: String,
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    layout: Layout,
    recorded: Option<String>,
    set_title: String,
    set_id: String,
    legal_basis: String,
    validity: String,
    min_residents: String,
    at_least: String,
    form_min_residents: String,
    form_at_least: String,
    criteria_count: usize,
    columns: Vec<CriterionColumn>,
    areas: Vec<AreaLine>,
    errors: Vec<ErrorItem>,
    what_if: Option<WhatIfView>,
}

fn rule_text(c: &gennemgang_rules::criteria::Criterion) -> (String, String) {
    match &c.bound {
        Bound::Absolute(t) => (format!("{} {}", c.op.symbol(), decimal_text(Some(*t))), decimal_text(Some(*t))),
        Bound::Relative { indicator, factor } => {
            (format!("{} {} × {indicator}", c.op.symbol(), decimal_text(Some(*factor))), decimal_text(Some(*factor)))
        }
    }
}

/// The what-if parameters from the query; an empty field keeps the recorded value.
fn overrides(c: &Classification, query: &[(String, String)]) -> Result<Option<Overrides>, Vec<ErrorItem>> {
    let mut o = Overrides::default();
    let mut errors = Vec::new();
    let mut any = false;
    let value = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    if let Some(v) = value("min_residents") {
        any = true;
        match v.parse() {
            Ok(n) => o.min_residents = Some(n),
            Err(_) => errors.push(ErrorItem {
                field: "min_residents".into(),
                message: "Mindste antal beboere skal være et helt tal".into(),
            }),
        }
    }
    if let Some(v) = value("at_least") {
        any = true;
        match v.parse() {
            Ok(n) => o.at_least = Some(n),
            Err(_) => errors
                .push(ErrorItem { field: "at_least".into(), message: "Antal kriterier skal være et helt tal".into() }),
        }
    }
    for criterion in c.set.criteria.iter().chain(&c.set.required) {
        let name = format!("b_{}", criterion.id);
        if let Some(v) = value(&name) {
            any = true;
            match Decimal::from_str(&v.replace(',', ".")) {
                Ok(d) => {
                    o.bounds.insert(criterion.id.clone(), d);
                }
                Err(_) => errors.push(ErrorItem {
                    field: name,
                    message: format!("Grænsen for «{}» skal være et tal", criterion.id),
                }),
            }
        }
    }
    if errors.is_empty() { Ok(any.then_some(o)) } else { Err(errors) }
}

/// `GET /omraader`: the recorded classification, each area with its criteria values and reason, and a
/// what-if on the thresholds (`?min_residents=…&at_least=…&b_<criterion>=…`).
pub async fn areas(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let classification = match areas::latest(&state.store, &current.user.actor()).await {
        Ok(c) => c,
        Err(e) => return app_error(&current, &e),
    };
    let mut page = AreasPage {
        layout: Layout::of(Some(&current)),
        recorded: None,
        set_title: String::new(),
        set_id: String::new(),
        legal_basis: String::new(),
        validity: String::new(),
        min_residents: String::new(),
        at_least: String::new(),
        form_min_residents: String::new(),
        form_at_least: String::new(),
        criteria_count: 0,
        columns: Vec::new(),
        areas: Vec::new(),
        errors: Vec::new(),
        what_if: None,
    };
    let Some(c) = classification else { return render(StatusCode::OK, &page) };
    let set = &c.set;
    page.recorded = Some(crate::views::local_time(c.recorded_at));
    page.set_title = set.title.clone();
    page.set_id = set.id.clone();
    page.legal_basis = set.legal_basis.clone();
    page.validity = set.validity();
    page.min_residents = set.min_residents.map_or_else(String::new, |n| crate::views::number(n as usize));
    page.at_least = set.at_least.to_string();
    page.form_min_residents = set.min_residents.map_or_else(String::new, |n| n.to_string());
    page.form_at_least.clone_from(&page.at_least);
    page.criteria_count = set.criteria.len();
    page.columns = set
        .criteria
        .iter()
        .chain(&set.required)
        .map(|cr| {
            let (rule, input) = rule_text(cr);
            CriterionColumn {
                id: cr.id.clone(),
                label: cr.label.clone().unwrap_or_else(|| cr.indicator.clone()),
                rule,
                input,
            }
        })
        .collect();
    page.areas = c
        .areas
        .iter()
        .map(|a| {
            let outcome = gennemgang_rules::criteria::evaluate(set, a);
            AreaLine {
                id: a.area_id.clone(),
                name: a.area_name.clone(),
                municipality: a.municipality.clone(),
                residents: a.residents.map_or_else(|| "ukendt".into(), |n| n.to_string()),
                values: outcome
                    .criteria
                    .iter()
                    .chain(&outcome.required)
                    .map(|o| {
                        let mark = match o.met {
                            Tri::Yes => "opfyldt",
                            Tri::No => "ikke opfyldt",
                            Tri::Unknown => "ukendt",
                        };
                        format!("{} ({mark})", decimal_text(o.value))
                    })
                    .collect(),
                selected: tri_text(outcome.selected),
                reason: a.reason.clone(),
                candidates: c.candidates.get(&a.area_id).map_or_else(
                    || "–".into(),
                    |n| gennemgang_app::stats::count(usize::try_from(*n).unwrap_or(usize::MAX)).shown().0,
                ),
            }
        })
        .collect();
    match overrides(&c, &query) {
        Err(errors) => page.errors = errors,
        Ok(None) => {}
        Ok(Some(o)) => match areas::apply(set, &o) {
            Err(e) => page.errors = vec![ErrorItem { field: e.field, message: e.message }],
            Ok(changed) => {
                let w = areas::what_if(&c, &changed);
                page.what_if = Some(WhatIfView {
                    selected_before: w.selected_before,
                    selected_after: w.selected_after,
                    changes: w
                        .changes
                        .into_iter()
                        .map(|ch| ChangeLine {
                            name: format!("{} ({})", ch.area_name, ch.area_id),
                            before: tri_text(ch.before),
                            after: tri_text(ch.after),
                            reason: ch.reason,
                            persons: ch.persons.shown().0,
                        })
                        .collect(),
                    joining: w.persons_joining.shown().0,
                    leaving: w.persons_leaving.shown().0,
                });
                for col in &mut page.columns {
                    if let Some(v) = o.bounds.get(&col.id) {
                        col.input = decimal_text(Some(*v));
                    }
                }
                if let Some(n) = o.min_residents {
                    page.form_min_residents = n.to_string();
                }
                if let Some(n) = o.at_least {
                    page.form_at_least = n.to_string();
                }
            }
        },
    }
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render(status, &page)
}

struct RunLine {
    id: i64,
    kind: &'static str,
    recorded: String,
    sha256: String,
    facts: Vec<(String, String)>,
    inputs: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "runs.html")]
struct RunsPage {
    layout: Layout,
    runs: Vec<RunLine>,
}

fn run_line(run: &gennemgang_store::Run) -> RunLine {
    let doc: serde_json::Value = serde_json::from_str(&run.body).unwrap_or(serde_json::Value::Null);
    // As a Dane reads it: dates written out, numbers with thousands points, yes and no, lists joined.
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => match gennemgang_rules::date::parse_iso(s.as_bytes()) {
                Some(d) if s.len() == 10 => gennemgang_rules::date::danish(d),
                _ => s.clone(),
            },
            serde_json::Value::Null => String::new(),
            serde_json::Value::Bool(b) => if *b { "ja" } else { "nej" }.into(),
            serde_json::Value::Number(n) => {
                n.as_u64().and_then(|n| usize::try_from(n).ok()).map_or_else(|| n.to_string(), crate::views::number)
            }
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
            serde_json::Value::Object(_) => String::new(),
        }
    }
    let mut facts = Vec::new();
    let mut inputs = Vec::new();
    match run.kind {
        RunKind::Screening => {
            for (label, key) in
                [("Opgørelsesdato", "as_of"), ("Regelversion", "rules_version"), ("Værktøj", "tool_version")]
            {
                facts.push((label.to_owned(), text(&doc[key])));
            }
            facts.push(("Kriteriesæt".into(), text(&doc["criteria_sets"])));
            for (label, key) in [
                ("Befolkning", "population"),
                ("Med førtidspension", "screened"),
                ("I målgruppen", "included"),
                ("Kan ikke afgøres", "undecided"),
                ("Uden for målgruppen", "excluded"),
            ] {
                facts.push((label.to_owned(), text(&doc["counts"][key])));
            }
            for (key, value) in doc["parameters"].as_object().into_iter().flatten() {
                let label = match key.as_str() {
                    "awarded_from" => "Pension tilkendt fra",
                    "age_limit" => "Aldersgrænse (under)",
                    "abroad_more_than_months" => "Udrejst i mere end (måneder)",
                    "stay_reading" => "Læsning af ophold",
                    "switzerland_as_eu_eea" => "Schweiz regnes som EU/EØS",
                    "dormant_reading" => "Læsning af hvilende pension",
                    "all" => "Begrundelse for alle pensionister",
                    _ => "Anden parameter",
                };
                facts.push((label.to_owned(), text(value)));
            }
            for input in doc["inputs"].as_array().into_iter().flatten() {
                inputs.push((text(&input["file"]), text(&input["rows"]), text(&input["sha256"])));
            }
        }
        RunKind::Areas => {
            let set = &doc["criteria_set"];
            facts.push(("Kriteriesæt".into(), format!("{} – {}", text(&set["id"]), text(&set["title"]))));
            facts.push(("Hjemmel".into(), text(&set["legal_basis"])));
            facts.push(("Regelversion".into(), text(&doc["rules_version"])));
            let areas = doc["areas"].as_array().map_or(0, Vec::len);
            let selected = doc["areas"].as_array().map_or(0, |a| a.iter().filter(|x| x["selected"] == true).count());
            facts.push(("Boligområder".into(), areas.to_string()));
            facts.push(("Udvalgt".into(), selected.to_string()));
        }
    }
    RunLine {
        id: run.id,
        kind: match run.kind {
            RunKind::Areas => "Klassifikation af boligområder",
            RunKind::Screening => "Screening af målgruppen",
        },
        recorded: crate::views::local_time(run.recorded_at),
        sha256: run.sha256.clone(),
        facts,
        inputs,
    }
}

/// `GET /koersler`: every recorded screening run and area classification with its manifest.
pub async fn runs(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    match areas::runs(&state.store, &current.user.actor()).await {
        Ok(runs) => render(
            StatusCode::OK,
            &RunsPage { layout: Layout::of(Some(&current)), runs: runs.iter().map(run_line).collect() },
        ),
        Err(e) => app_error(&current, &e),
    }
}

struct StepLine {
    label: String,
    amount: String,
    basis: String,
}

struct RateLine {
    name: String,
    value: String,
    status: String,
    source: String,
}

struct CalcResult {
    yearly: String,
    monthly: String,
    fraction: String,
    rule: String,
    steps: Vec<StepLine>,
    rates: Vec<RateLine>,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "pension_calc.html")]
struct PensionPage {
    layout: Layout,
    csrf: String,
    form: Vec<(String, String)>,
    errors: Vec<ErrorItem>,
    result: Option<CalcResult>,
}

impl PensionPage {
    fn value(&self, name: &str) -> &str {
        field(&self.form, name)
    }
}

/// The calculator's form as the CONTRACT's calc input; errors name the form field.
fn calc_input(form: &[(String, String)]) -> Result<CalcInput, Vec<ErrorItem>> {
    let mut errors = Vec::new();
    let mut number = |name: &str, label: &str| -> i64 {
        let v = field(form, name).trim().replace('.', "");
        if v.is_empty() {
            return 0;
        }
        v.parse().unwrap_or_else(|_| {
            errors.push(ErrorItem { field: name.into(), message: format!("{label} skal være et helt antal kroner") });
            0
        })
    };
    let own_income = number("own_income", "Egen indkomst");
    let partner_income = number("partner_income", "Partnerens indkomst");
    let partner_work_income = number("partner_work_income", "Partnerens arbejdsindkomst");
    let year = field(form, "year").trim().parse::<i16>().unwrap_or_else(|_| {
        errors.push(ErrorItem { field: "year".into(), message: "År skal være et årstal, fx 2025".into() });
        0
    });
    let date = |name: &str, errors: &mut Vec<ErrorItem>| {
        let v = field(form, name).trim();
        if v.is_empty() {
            return None;
        }
        v.parse::<jiff::civil::Date>().map(Some).unwrap_or_else(|_| {
            errors.push(ErrorItem { field: name.into(), message: "Datoen skal skrives ÅÅÅÅ-MM-DD".into() });
            None
        })
    };
    let birth_date = date("birth_date", &mut errors);
    let awarded_on = date("awarded_on", &mut errors);
    let residence = field(form, "residence_months").trim();
    let residence_months = if residence.is_empty() {
        None
    } else {
        residence.parse().map(Some).unwrap_or_else(|_| {
            errors.push(ErrorItem {
                field: "residence_months".into(),
                message: "Bopælsmåneder skal være et helt tal".into(),
            });
            None
        })
    };
    let civil_status = match field(form, "civil_status") {
        "cohabiting" => CivilStatus::Cohabiting,
        _ => CivilStatus::Single,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CalcInput {
        year,
        scheme: SchemeName::Pl,
        civil_status,
        partner_is_pensioner: field(form, "partner_is_pensioner") == "true",
        own_income,
        partner_income,
        partner_work_income,
        birth_date,
        awarded_on,
        residence_months,
        refugee_origin_months: None,
        legacy_type: None,
        paid: None,
    })
}

fn calc_error_field(e: &CalcError) -> &'static str {
    match e {
        CalcError::Input { field, .. } => match *field {
            "own_income" | "partner_income" | "partner_work_income" | "birth_date" | "awarded_on" => field,
            _ => "year",
        },
        CalcError::Rates(_) => "rates",
        CalcError::Fraction(_) => "residence_months",
    }
}

fn pension_page(current: &crate::session::Current, form: Vec<(String, String)>) -> PensionPage {
    PensionPage {
        layout: Layout::of(Some(current)),
        csrf: current.session.csrf.clone(),
        form,
        errors: Vec::new(),
        result: None,
    }
}

/// `GET /beregner/pension`: the pension calculator, prefilled from the query (e.g. a case's dates).
pub async fn pension_form(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let mut form = query;
    if field(&form, "year").is_empty() {
        form.push(("year".into(), state.today().year().to_string()));
    }
    render(StatusCode::OK, &pension_page(&current, form))
}

/// `POST /beregner/pension`: computes with the built-in rates, or with a what-if rates file pasted in.
pub async fn pension(Posted { current, form }: Posted<Vec<(String, String)>>) -> Response {
    let mut page = pension_page(&current, form.clone());
    let overlay = field(&form, "rates").trim();
    let table = if overlay.is_empty() {
        Ok(std::borrow::Cow::Borrowed(RateTable::builtin()))
    } else {
        RateTable::builtin().overlay(overlay, "satser indsat i beregneren").map(std::borrow::Cow::Owned)
    };
    let outcome = match (table, calc_input(&form)) {
        (Err(e), _) => {
            Err(vec![ErrorItem { field: "rates".into(), message: format!("Satserne kan ikke læses: {e}") }])
        }
        (_, Err(errors)) => Err(errors),
        (Ok(table), Ok(input)) => calculate(&table, &input, None).map_err(|e| {
            vec![ErrorItem { field: calc_error_field(&e).into(), message: format!("Kan ikke beregnes: {e}") }]
        }),
    };
    match outcome {
        Err(errors) => {
            page.errors = errors;
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Ok(out) => {
            page.result = Some(CalcResult {
                yearly: kr(out.yearly),
                monthly: kr(out.monthly),
                fraction: out.fraction,
                rule: out.rule.to_owned(),
                steps: out
                    .steps
                    .into_iter()
                    .map(|s| StepLine {
                        label: s.label,
                        amount: s.amount.map(kr).unwrap_or_default(),
                        basis: s.legal_basis,
                    })
                    .collect(),
                rates: out
                    .rates
                    .into_iter()
                    .map(|r| RateLine {
                        name: format!("{} ({})", r.name, r.year),
                        value: format!("{} {}", r.value, r.unit),
                        status: format!("{:?}", r.status).to_lowercase(),
                        source: r.source,
                    })
                    .collect(),
                warnings: out.warnings,
            });
            render(StatusCode::OK, &page)
        }
    }
}

struct DeadlineResult {
    date: String,
    reasoning: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "deadline_calc.html")]
struct DeadlinePage {
    layout: Layout,
    kind: String,
    from: String,
    channel: String,
    errors: Vec<ErrorItem>,
    result: Option<DeadlineResult>,
}

/// The kinds of deadline the calculator offers, with their Danish names.
const KINDS: [(&str, &str); 5] = [
    ("complaint", "Klagefrist (4 uger fra modtagelsen af afgørelsen)"),
    ("reassessment", "Genvurdering (4 uger fra modtagelsen af klagen)"),
    ("board", "Pensionsnævnet (3 måneder, næste møde)"),
    ("file-access", "Aktindsigt (7 arbejdsdage)"),
    ("hearing", "Partshøring (svarfrist)"),
];

/// `GET /beregner/frist?kind=…&from=ÅÅÅÅ-MM-DD&channel=digital|physical`: a deadline with its reasoning.
pub async fn deadline_page(SignedIn(current): SignedIn, Query(query): Query<Vec<(String, String)>>) -> Response {
    let kind = field(&query, "kind").to_owned();
    let from = field(&query, "from").trim().to_owned();
    let channel = field(&query, "channel").to_owned();
    let mut page = DeadlinePage {
        layout: Layout::of(Some(&current)),
        kind: kind.clone(),
        from: from.clone(),
        channel: channel.clone(),
        errors: Vec::new(),
        result: None,
    };
    if from.is_empty() {
        return render(StatusCode::OK, &page);
    }
    let Ok(date) = from.parse::<jiff::civil::Date>() else {
        page.errors.push(ErrorItem { field: "from".into(), message: "Datoen skal skrives ÅÅÅÅ-MM-DD".into() });
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let which = match kind.as_str() {
        "complaint" => Kind::Complaint {
            sent: date,
            channel: if channel == "physical" { Channel::Physical } else { Channel::Digital },
        },
        "reassessment" => Kind::Reassessment { from: date },
        "board" => Kind::Board { from: date, prepare_days: None },
        "file-access" => Kind::FileAccess { from: date },
        "hearing" => Kind::Hearing { from: date, days: None },
        _ => {
            page.errors.push(ErrorItem { field: "kind".into(), message: "Vælg hvilken frist".into() });
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let params = CalendarParams::builtin();
    match deadline(params, &params.board, which) {
        Ok(d) => {
            page.result = Some(DeadlineResult {
                date: format!("{} ({})", gennemgang_rules::date::danish(d.date), d.date),
                reasoning: d.reasoning.into_iter().map(|r| (r.text, r.legal_basis)).collect(),
            });
            render(StatusCode::OK, &page)
        }
        Err(e) => {
            page.errors.push(ErrorItem { field: "from".into(), message: format!("Kan ikke beregnes: {e}") });
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

impl DeadlinePage {
    fn kinds(&self) -> &'static [(&'static str, &'static str)] {
        &KINDS
    }
}
