//! Listing, reading and acting on cases as a user: the policy decides, the store does, and every read of
//! person data (and every refused attempt) is written to the access log.

use gennemgang_case::PerformError;
use gennemgang_case::action::{Action, ActionKind};
use gennemgang_case::actor::Actor;
use gennemgang_case::case::{Case, Event};
use gennemgang_case::decide::{Context, Staff, candidates};
use gennemgang_case::facts::Routing;
use gennemgang_case::policy::{Access, Denied, authorize, can_see, may_perform};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::review::ReviewParams;
use gennemgang_store::{AccessEntry, ActError, Store, StoreError, perform};
use jiff::Timestamp;
use jiff::civil::Date;

/// Why a use case did not complete, mapped to HTTP statuses and exit codes at the edges.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The case does not exist for this user (404; the attempt is logged).
    #[error("Sagen findes ikke")]
    NotFound,
    /// The case is there for the user, but it holds no document of that number (404; the case's read is
    /// logged).
    #[error("Dokumentet findes ikke på sagen")]
    NoSuchDocument,
    /// Seen but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// The action does not fit the case or the law (422), by the rule named.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Someone else changed the case first (409).
    #[error("Sagen er ændret af en anden, siden du åbnede den. Indlæs sagen igen.")]
    Conflict,
    /// The store failed (500).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The postal service did not accept a letter (503); nothing was recorded.
    #[error("brevet kunne ikke afleveres: {0}")]
    Post(String),
    /// The access log could not be written (a full disk, the database gone), so nothing is shown (503).
    #[error("Adgangen kunne ikke skrives i adgangsloggen, så sagen vises ikke. Prøv igen om lidt.")]
    NotLogged(StoreError),
}

/// Why a use case refused what it was asked (422): the case crate's rule, carried through so that each
/// surface can name it (the API gives every rule a problem type of its own).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The case or the law refused the action.
    #[error(transparent)]
    Case(#[from] gennemgang_case::decide::CaseError),
    /// A read that must state its purpose was asked without one.
    #[error("Angiv formålet med at se CPR-nummeret")]
    NoPurpose,
    /// The letter is not one the case is at.
    #[error("Brevet kan ikke sendes: {0}")]
    LetterNotNow(&'static str),
    /// The letter does not fit the case, or could not be typeset.
    #[error(transparent)]
    Letter(#[from] crate::letters::LetterError),
    /// An uploaded file is not taken.
    #[error(transparent)]
    Upload(#[from] crate::documents::UploadError),
}

impl Refused {
    /// The field of the request the refusal is about, where it is one.
    #[must_use]
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Refused::Case(gennemgang_case::decide::CaseError::Invalid { field, .. }) => Some(field),
            Refused::NoPurpose => Some("purpose"),
            Refused::Upload(e) => Some(e.field()),
            _ => None,
        }
    }
}

/// Writes the access log's entries before anything is shown: if they cannot be written, the read is
/// refused (every read is logged, or it does not happen).
async fn logged<S: Store>(store: &S, entries: &[AccessEntry]) -> Result<(), AppError> {
    store.log_access(entries).await.map_err(AppError::NotLogged)
}

fn entry(
    actor: &Actor,
    case_id: Option<i64>,
    what: &str,
    purpose: Option<&str>,
    allowed: bool,
    at: Timestamp,
) -> AccessEntry {
    AccessEntry {
        at,
        user: actor.user.clone(),
        role: actor.role,
        municipality: actor.municipality,
        case_id,
        what: what.to_owned(),
        purpose: purpose.and_then(logged_purpose),
        allowed,
    }
}

/// The longest purpose the access log keeps, in characters: a purpose says why in a phrase.
pub const MAX_LOGGED_PURPOSE: usize = 500;

/// A stated purpose as the access log keeps it, also one that was refused: as it was tried, on one line
/// (the access log's file for an aktindsigt lists one read a line, so a line break would forge another
/// read), with nothing in it that could act on its reader or hide text, and at most
/// [`MAX_LOGGED_PURPOSE`] characters (the log is append-only, and anyone signed in can try a read);
/// nothing for a blank one.
#[must_use]
pub fn logged_purpose(purpose: &str) -> Option<String> {
    let mut line = String::with_capacity(purpose.len().min(4 * MAX_LOGGED_PURPOSE));
    let mut broken = false;
    for (c, hides) in gennemgang_rules::text::with_hiding(purpose) {
        if breaks_line(c) {
            // A run of breaks ("\r\n", a blank line) is one space, as it reads.
            broken = true;
            continue;
        }
        if std::mem::take(&mut broken) {
            line.push(' ');
        }
        line.push(if hides { '\u{FFFD}' } else { c });
    }
    let line = gennemgang_rules::text::defused(line.trim());
    // What was replaced is no purpose either: a purpose of nothing but hidden characters is none.
    if gennemgang_rules::text::is_blank(&line.replace('\u{FFFD}', "")) {
        return None;
    }
    Some(cut(&line, MAX_LOGGED_PURPOSE))
}

/// Whether the character ends a line where a reader or a file split lines: every one is a space on the
/// access log's one line, also those Rust's `lines()` keeps (VT, FF, NEL, the information separators).
fn breaks_line(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' | '\u{1C}'..='\u{1F}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The text cut to at most `max` characters at the end of a whole grapheme (never between a letter and its
/// accent, inside an emoji sequence or a flag's pair), with "…" when something was cut.
fn cut(text: &str, max: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation as _;
    if text.chars().nth(max).is_none() {
        return text.to_owned();
    }
    let mut kept = 0;
    let mut end = 0;
    for (at, grapheme) in text.grapheme_indices(true) {
        kept += grapheme.chars().count();
        if kept > max {
            break;
        }
        end = at + grapheme.len();
    }
    // A first grapheme longer than the whole (a letter with a thousand accents) is cut inside it.
    if end == 0 {
        end = text.char_indices().nth(max).map_or(text.len(), |(at, _)| at);
    }
    format!("{}…", &text[..end])
}

/// The cases the user may see, by id; the listing is logged.
///
/// # Errors
/// The role may not list cases, or the store fails.
pub async fn list<S: Store>(store: &S, actor: &Actor, now: Timestamp) -> Result<Vec<Case>, AppError> {
    if let Err(denied) = authorize(actor, None, Access::ListCases) {
        logged(store, &[entry(actor, None, "list", None, false, now)]).await?;
        return Err(AppError::Forbidden(denied.to_string()));
    }
    let cases: Vec<Case> = store.cases().await?.into_iter().filter(|c| can_see(actor, c)).collect();
    logged(store, &[entry(actor, None, "list", None, true, now)]).await?;
    Ok(cases)
}

/// One page of the user's worklist, selected, counted and ordered by the database; the listing is logged.
///
/// # Errors
/// The role may not list cases, or the store fails.
pub async fn worklist<S: Store>(
    store: &S,
    actor: &Actor,
    phase: Option<gennemgang_case::case::Phase>,
    filters: gennemgang_store::WorklistFilters,
    by_deadline: bool,
    (offset, limit): (u32, u32),
    now: Timestamp,
) -> Result<gennemgang_store::WorklistPage, AppError> {
    let scope = match (authorize(actor, None, Access::ListCases), gennemgang_case::policy::scope(actor)) {
        (Ok(()), Some(scope)) => scope,
        (Err(denied), _) => {
            logged(store, &[entry(actor, None, "list", None, false, now)]).await?;
            return Err(AppError::Forbidden(denied.to_string()));
        }
        (Ok(()), None) => return Err(AppError::Forbidden("ingen sager".into())),
    };
    let lookup = filters.cpr.is_some() || filters.name.is_some();
    let query = gennemgang_store::WorklistQuery { scope, phase, filters, by_deadline, offset, limit };
    let page = store.worklist(&query).await?;
    let mut entries = vec![entry(actor, None, "list", None, true, now)];
    // A search by the full CPR number or by name looks a person up: logged with its purpose, for each case
    // it found (the citizen's right to see who looked them up), or once when it found none.
    if lookup {
        let found = page.cases.iter().map(|c| entry(actor, Some(c.id), "search", Some(SEARCH_PURPOSE), true, now));
        entries.extend(found);
        if page.cases.is_empty() {
            entries.push(entry(actor, None, "search", Some(SEARCH_PURPOSE), true, now));
        }
    }
    logged(store, &entries).await?;
    Ok(page)
}

/// The purpose a search by CPR number is logged with.
pub const SEARCH_PURPOSE: &str = "søgning";

/// What a search asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    /// A case by its number.
    Case(i64),
    /// A citizen by the full CPR number (10 digits).
    Cpr(String),
    /// Citizens whose name holds this, folded (`gennemgang_rules::text::folded`): "sørensen", "ozturk".
    Name(String),
}

/// A search as a caseworker types it: a case number ("17", "sag 17", "#17"), a full CPR number
/// ("0101801234" or "010180-1234") or part of a name (any text with a letter in it, at least two letters or
/// digits once folded); anything else is said in Danish.
///
/// # Errors
/// Neither a case number, a full CPR number nor a name.
pub fn search(text: &str) -> Result<Search, &'static str> {
    let text = text.trim();
    let case_word = ["sag ", "Sag "]
        .iter()
        .any(|p| text.strip_prefix(p).is_some_and(|r| r.trim().bytes().all(|b| b.is_ascii_digit())));
    if !case_word && text.chars().any(char::is_alphabetic) {
        if text.chars().count() > 200 {
            return Err("Søgningen er for lang.");
        }
        let key = gennemgang_rules::text::folded(text);
        return if key.chars().filter(|c| *c != ' ').count() >= 2 {
            Ok(Search::Name(key))
        } else {
            Err("Skriv mindst to bogstaver af navnet.")
        };
    }
    let bare = ["#", "sag ", "Sag "].iter().find_map(|p| text.strip_prefix(p)).unwrap_or(text).trim();
    let digits: String = bare.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let separators_ok = bare.chars().filter(|c| *c == '-').count() <= 1
        && bare.find('-').is_none_or(|at| at == 6 && digits.len() == 10);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || !separators_ok {
        return Err("Søg på et sagsnummer, et fuldt CPR-nummer (10 cifre) eller et navn.");
    }
    match digits.len() {
        10 => Ok(Search::Cpr(digits)),
        1..=9 => digits.parse().map(Search::Case).map_err(|_| "Sagsnummeret er for langt."),
        _ => Err("Et CPR-nummer har 10 cifre; et sagsnummer er kortere."),
    }
}

/// One case, for reading; the read (or the refused attempt) is logged as `what`.
///
/// # Errors
/// [`AppError::NotFound`] when the case does not exist for the user.
pub async fn read<S: Store>(store: &S, actor: &Actor, id: i64, what: &str, now: Timestamp) -> Result<Case, AppError> {
    let case = store.case(id).await?;
    allowed(store, actor, id, what, None, case, now).await
}

/// A case and its history, read in one statement: the case is the fold of its events (which its stored
/// projection is, as `audit verify` checks), so the page that shows both reads the database once. The
/// read is logged as [`read`]'s.
///
/// # Errors
/// As [`read`]; a history that does not fold is a store error.
pub async fn read_with_history<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    what: &str,
    now: Timestamp,
) -> Result<(Case, Vec<Event>), AppError> {
    let events = store.events(id).await?;
    let case = match events.first() {
        None => None,
        Some(_) => Some(Case::from_events(&events).map_err(|e| StoreError::Corrupt(e.to_string()))?),
    };
    Ok((allowed(store, actor, id, what, None, case, now).await?, events))
}

/// The case if the actor may read it, the attempt logged either way (with the purpose the read was asked
/// for, if it states one).
async fn allowed<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    what: &str,
    purpose: Option<&str>,
    case: Option<Case>,
    now: Timestamp,
) -> Result<Case, AppError> {
    let case = visible(actor, case);
    logged(store, &[entry(actor, Some(id), what, purpose, case.is_some(), now)]).await?;
    case.ok_or(AppError::NotFound)
}

/// The case, if there is one and the actor may read it.
fn visible(actor: &Actor, case: Option<Case>) -> Option<Case> {
    case.filter(|c| authorize(actor, Some(c), Access::ReadCase).is_ok())
}

/// A case's history.
///
/// # Errors
/// As [`read`].
pub async fn history<S: Store>(store: &S, actor: &Actor, id: i64, now: Timestamp) -> Result<Vec<Event>, AppError> {
    Ok(read_with_history(store, actor, id, "events", now).await?.1)
}

/// The full CPR number, shown only on request with a stated purpose; the read is logged with it, as one
/// row (the page that shows it logs its own read of the case).
///
/// # Errors
/// Not visible, or no purpose given (nothing read); the attempt is logged, refused, either way.
pub async fn reveal_cpr<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    purpose: &str,
    now: Timestamp,
) -> Result<String, AppError> {
    let Some(case) = visible(actor, store.case(id).await?) else {
        logged(store, &[entry(actor, Some(id), "cpr", Some(purpose), false, now)]).await?;
        return Err(AppError::NotFound);
    };
    let stated = gennemgang_rules::text::refused(purpose).is_none();
    logged(store, &[entry(actor, Some(id), "cpr", Some(purpose), stated, now)]).await?;
    if !stated {
        return Err(Refused::NoPurpose.into());
    }
    Ok(case.facts.cpr)
}

/// Opens a case's health and criminal-record details to the user, inside the task that needs them and with a
/// stated purpose; every such read (or refusal, also of a case the user may not see) is logged with the purpose.
///
/// # Errors
/// Not visible, or the role or phase does not allow it, or no purpose is given.
pub async fn reveal_sensitive<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    purpose: &str,
    now: Timestamp,
) -> Result<Case, AppError> {
    let case = store.case(id).await?;
    // The same rule for the purpose as a CPR reveal's: one that could not be kept is refused, and the
    // attempt logged as such, whatever the case holds (found by an outside check).
    if gennemgang_rules::text::refused(purpose).is_some() {
        let seen = visible(actor, case).is_some();
        logged(store, &[entry(actor, Some(id), "case", Some(purpose), false, now)]).await?;
        return Err(if seen { Refused::NoPurpose.into() } else { AppError::NotFound });
    }
    let case = allowed(store, actor, id, "case", Some(purpose), case, now).await?;
    for source in [gennemgang_case::action::Source::CriminalRecord, gennemgang_case::action::Source::HealthInformation]
    {
        if !case.evidence.iter().any(|e| e.source == source) {
            continue;
        }
        let allowed = authorize(actor, Some(&case), Access::ReadSensitive { source, purpose });
        let what = match source {
            gennemgang_case::action::Source::CriminalRecord => "criminal_record",
            _ => "health_information",
        };
        logged(store, &[entry(actor, Some(id), what, Some(purpose), allowed.is_ok(), now)]).await?;
        allowed.map_err(|d| AppError::Forbidden(d.to_string()))?;
    }
    Ok(case)
}

/// The access log of one case (for file-access requests), for those who may read the case.
///
/// # Errors
/// As [`read`].
pub async fn access_log<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    now: Timestamp,
) -> Result<Vec<AccessEntry>, AppError> {
    read(store, actor, id, "access_log", now).await?;
    Ok(store.case_access_log(id).await?)
}

/// The actions the user may offer on the case now, under the configured routing.
#[must_use]
pub fn offered(actor: &Actor, case: &Case, routing: &Routing) -> Vec<ActionKind> {
    let mut kinds = candidates(case, routing, ReviewParams::builtin());
    if gennemgang_case::decide::notes_taken(case) {
        kinds.push(ActionKind::RecordContact);
        kinds.push(ActionKind::RegisterAccessRequest);
        if case.access_requests.iter().any(|r| r.answered_on.is_none()) {
            kinds.push(ActionKind::AnswerAccessRequest);
        }
    }
    kinds.into_iter().filter(|kind| may_perform(actor, case, *kind)).collect()
}

/// The users an action names, as the case rules must know them: an assignment names a caseworker, who
/// must be an existing home-municipality caseworker.
async fn staff_for<S: Store>(store: &S, action: &Action) -> Result<Staff, StoreError> {
    let Action::Assign { caseworker } = action else { return Ok(Staff::default()) };
    Ok(match store.user(caseworker).await? {
        Some(u) if u.role == gennemgang_case::actor::Role::HomeCaseworker => {
            Staff::new(u.municipality.map(|m| (u.username, m)))
        }
        _ => Staff::default(),
    })
}

/// When and under which configuration an action is judged: the server's today (Copenhagen; the decision
/// date and every bar are judged on it), the moment it is recorded, and the installation's deciding
/// municipalities and boards.
#[derive(Clone, Copy, Debug)]
pub struct On<'a> {
    /// Today.
    pub today: Date,
    /// Now.
    pub now: Timestamp,
    /// Deciding municipalities and their boards.
    pub routing: &'a Routing,
}

/// The context every action is decided in: the day and configuration, the built-in calendar and review
/// parameters, and the users the action names.
fn context<'a>(on: On<'a>, staff: &'a Staff) -> Context<'a> {
    Context {
        today: on.today,
        routing: on.routing,
        calendar: CalendarParams::builtin(),
        review: ReviewParams::builtin(),
        staff,
    }
}

/// Decides `action` on `case` as [`act`] would, without recording it: for what must be refused before
/// something leaves the building (a letter handed to the postbox is recorded only after).
///
/// # Errors
/// Not allowed (403) or refused by the case or the law (422).
pub fn check(case: &Case, actor: &Actor, action: Action, on: On<'_>) -> Result<(), AppError> {
    let staff = Staff::default();
    match gennemgang_case::perform(case, actor, action, &context(on, &staff), on.now) {
        Ok(_) => Ok(()),
        Err(PerformError::Denied(Denied::NotVisible)) => Err(AppError::NotFound),
        Err(PerformError::Denied(Denied::Forbidden(why))) => Err(AppError::Forbidden(why.to_owned())),
        Err(PerformError::Case(e)) => Err(Refused::Case(e).into()),
    }
}

/// How many times an action without a seen version is decided again after losing a race to another.
pub const RETRIES: u32 = 50;

/// Performs an action as the user, on the version the user saw: if the case has moved on since, a conflict.
/// Without a seen version, on the case as it is, decided again up to [`RETRIES`] times when another action
/// lands first. `today` is the server's date (Copenhagen): the decision date and every bar are judged on it.
///
/// # Errors
/// Not visible, not allowed, refused by the case or the law, a conflict, or a store failure.
pub async fn act<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    seen_version: Option<u32>,
    action: Action,
    on: On<'_>,
) -> Result<Case, AppError> {
    act_with(store, actor, id, seen_version, action, on, None).await
}

/// [`act`], storing a document's `content` with the event when there is one (one transaction).
///
/// # Errors
/// As [`act`].
pub async fn act_with<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    seen_version: Option<u32>,
    action: Action,
    on: On<'_>,
    content: Option<&[u8]>,
) -> Result<Case, AppError> {
    let now = on.now;
    let staff = staff_for(store, &action).await?;
    let ctx = context(on, &staff);
    let attempt = |action: Action| {
        let ctx = &ctx;
        async move {
            match content {
                Some(bytes) => {
                    gennemgang_store::perform_with_document(store, id, seen_version, actor, action, ctx, now, bytes)
                        .await
                }
                None => perform(store, id, seen_version, actor, action, ctx, now).await,
            }
        }
    };
    let mut outcome = attempt(action.clone()).await;
    // Without a seen version the caller asked for the action on the case as it is: after losing a race to
    // another action, decide it again on the new state (every guard again) rather than answer a conflict
    // the caller never asked about. A random pause spreads writers that keep colliding on one case.
    let mut lost = 0;
    while seen_version.is_none()
        && lost < RETRIES
        && matches!(outcome, Err(ActError::Store(StoreError::Conflict { .. })))
    {
        lost += 1;
        let mut byte = [0_u8; 1];
        let _ = getrandom::fill(&mut byte);
        let ceiling = 1_u64 << lost.min(5);
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(byte[0]) % ceiling)).await;
        outcome = attempt(action.clone()).await;
    }
    match outcome {
        Ok(case) => Ok(case),
        Err(ActError::Refused(PerformError::Denied(Denied::NotVisible)))
        | Err(ActError::Store(StoreError::NotFound(_))) => {
            logged(store, &[entry(actor, Some(id), "act", None, false, now)]).await?;
            Err(AppError::NotFound)
        }
        Err(ActError::Refused(PerformError::Denied(Denied::Forbidden(why)))) => {
            Err(AppError::Forbidden(why.to_owned()))
        }
        Err(ActError::Refused(PerformError::Case(e))) => Err(Refused::Case(e).into()),
        Err(ActError::Store(StoreError::Conflict { .. })) => Err(AppError::Conflict),
        Err(ActError::Store(e)) => Err(AppError::Store(e)),
    }
}

/// What assigning several cases did: the cases assigned, and each one refused with why (in Danish).
#[derive(Debug, Default)]
pub struct Assigned {
    /// Cases now assigned to the caseworker.
    pub done: Vec<i64>,
    /// Cases not assigned, each with the reason.
    pub refused: Vec<(i64, String)>,
}

/// Assigns each of `ids` to `caseworker`, each as the assignment action on its own case (its own event
/// and transaction, every guard of a single assignment), going on past the ones refused.
///
/// # Errors
/// Only when the store fails (or the access log cannot be written): a refused case is reported, not an
/// error.
pub async fn assign_many<S: Store>(
    store: &S,
    actor: &Actor,
    ids: &[i64],
    caseworker: &str,
    on: On<'_>,
) -> Result<Assigned, AppError> {
    let mut seen = std::collections::HashSet::new();
    // A case ticked twice is one case: it gets one assignment, never two events from one request.
    let targets: Vec<(i64, Option<u32>)> = ids.iter().filter(|&&id| seen.insert(id)).map(|&id| (id, None)).collect();
    assign_each(store, actor, &targets, caseworker, on).await
}

/// Assigns each case of `targets` (at the version given, where one is) to `caseworker`.
async fn assign_each<S: Store>(
    store: &S,
    actor: &Actor,
    targets: &[(i64, Option<u32>)],
    caseworker: &str,
    on: On<'_>,
) -> Result<Assigned, AppError> {
    // The one caseworker is checked once (the case rules check again per case, under their guard): a
    // name that is not one refuses the whole request instead of every case in it.
    if let Some(m) = actor.municipality
        && !store.caseworkers(i64::from(m)).await?.iter().any(|c| c == caseworker)
    {
        return Err(Refused::from(gennemgang_case::decide::CaseError::Invalid {
            field: "caseworker",
            message: "er ikke en aktiv sagsbehandler i bopælskommunen".into(),
        })
        .into());
    }
    let mut out = Assigned::default();
    for &(id, version) in targets {
        let action = Action::Assign { caseworker: caseworker.to_owned() };
        match act(store, actor, id, version, action, on).await {
            Ok(_) => out.done.push(id),
            Err(e @ (AppError::Store(_) | AppError::NotLogged(_))) => return Err(e),
            Err(e) => out.refused.push((id, e.to_string())),
        }
    }
    Ok(out)
}

/// Moves every open case of the home municipality assigned to `from` (an absent caseworker) to `to`, in one
/// request: each case gets its assignment event (the history says who moved it, and when), and the access
/// log one entry for the whole transfer with the two names. Each case moves only from the version it was
/// found at in `from`'s hands: two transfers at once move it once, and the other names it as changed.
///
/// # Errors
/// The user may not assign, or as [`assign_many`].
pub async fn transfer<S: Store>(
    store: &S,
    actor: &Actor,
    from: &str,
    to: &str,
    on: On<'_>,
) -> Result<Assigned, AppError> {
    let mine: Vec<(i64, Option<u32>)> = list(store, actor, on.now)
        .await?
        .iter()
        .filter(|c| c.assigned_to.as_deref() == Some(from) && may_perform(actor, c, ActionKind::Assign))
        .filter(|c| c.phase() <= gennemgang_case::case::Phase::Reopening)
        .map(|c| (c.id, Some(c.version)))
        .collect();
    let purpose = format!("overdragelse fra {from} til {to} ({} sager)", mine.len());
    logged(store, &[entry(actor, None, "transfer", Some(&purpose), true, on.now)]).await?;
    assign_each(store, actor, &mine, to, on).await
}

#[cfg(test)]
mod tests {
    use super::{MAX_LOGGED_PURPOSE, Search, logged_purpose, search};

    #[test]
    fn a_purpose_is_logged_on_one_line_bounded_and_unable_to_act_or_hide() {
        assert_eq!(logged_purpose("Partshøring").as_deref(), Some("Partshøring"));
        // A line break would be a forged read in the aktindsigt file's one read a line.
        let forged = "Partshøring\n7. december 2026 kl. 10.00: falsk (x) så y";
        assert_eq!(logged_purpose(forged).as_deref(), Some("Partshøring 7. december 2026 kl. 10.00: falsk (x) så y"));
        // Every line break is one space, a run of them too (found by an outside check: NEL, VT and FF were
        // U+FFFD, and CRLF two spaces).
        for separator in [
            "\n", "\r\n", "\r", "\u{2028}", "\u{2029}", "\u{85}", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1E}", "\u{1F}",
            "\t", "\n\r\n",
        ] {
            assert_eq!(logged_purpose(&format!("a{separator}b")).as_deref(), Some("a b"), "{separator:?}");
        }
        assert_eq!(
            logged_purpose("a\u{202E}b\u{1b}c\u{E0041}d\u{FFFC}").as_deref(),
            Some("a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}")
        );
        // An emoji flag's tags are the flag (Scotland), not hidden text; tags outside one are.
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(logged_purpose(&format!("Møde {scotland}")), Some(format!("Møde {scotland}")));
        // Interlinear annotations (U+FFF9-FFFB), which some readers hide, are replaced too.
        assert_eq!(
            logged_purpose("a\u{FFF9}skjult\u{FFFA}b\u{FFFB}").as_deref(),
            Some("a\u{FFFD}skjult\u{FFFD}b\u{FFFD}")
        );
        // One grapheme longer than the cut keeps its first characters, not nothing.
        let accents = format!("e{}", "\u{301}".repeat(1_000));
        assert_eq!(logged_purpose(&accents).map(|p| p.chars().count()), Some(MAX_LOGGED_PURPOSE + 1));
        // Nothing visible is no purpose, nor is nothing but what is replaced.
        for blank in ["", "     ", "\u{200D}", "\n\n", "\u{1C}", "\u{FFFC}", "\u{1b}\u{202E}", "\u{E0041}\u{85}"] {
            assert_eq!(logged_purpose(blank), None, "{blank:?}");
        }
        // A megabyte tried is five hundred characters kept, marked as cut.
        let kept = logged_purpose(&"å".repeat(1_000_000)).expect("kept");
        assert_eq!(kept.chars().count(), MAX_LOGGED_PURPOSE + 1);
        assert!(kept.ends_with('…'));
        assert_eq!(logged_purpose(&"a".repeat(MAX_LOGGED_PURPOSE)).map(|p| p.len()), Some(MAX_LOGGED_PURPOSE));
        // The cut keeps whole graphemes: an accent stays on its letter, a flag's pair and a family together.
        for (grapheme, chars) in [("e\u{301}", 2), ("\u{1F1E9}\u{1F1F0}", 2), ("👩\u{200D}👩\u{200D}👧", 5)] {
            let kept = logged_purpose(&format!("a{}", grapheme.repeat(MAX_LOGGED_PURPOSE))).expect("kept");
            let body = kept.strip_suffix('…').expect("cut");
            assert!(body.strip_prefix('a').expect("a").split(grapheme).all(str::is_empty), "{grapheme:?}");
            assert_eq!(body.chars().count(), 1 + (MAX_LOGGED_PURPOSE - 1) / chars * chars, "{grapheme:?}");
            // The aktindsigt file passes a kept purpose through again: it stays as it is.
            assert_eq!(logged_purpose(&kept).as_deref(), Some(kept.as_str()));
        }
    }

    #[test]
    fn a_case_number_or_a_full_cpr_number_and_nothing_else() {
        assert_eq!(search(" 17 "), Ok(Search::Case(17)));
        assert_eq!(search("sag 17"), Ok(Search::Case(17)));
        assert_eq!(search("#17"), Ok(Search::Case(17)));
        assert_eq!(search("0101801234"), Ok(Search::Cpr("0101801234".into())));
        assert_eq!(search("010180-1234"), Ok(Search::Cpr("0101801234".into())));
        assert_eq!(search("Sørensen"), Ok(Search::Name("sorensen".into())));
        assert_eq!(search(" öztürk "), Ok(Search::Name("ozturk".into())));
        assert_eq!(search("Al-Hassan"), Ok(Search::Name("al hassan".into())));
        for bad in ["", "J", "Ø-", "0101-801234", "01018012345", "12-3", "\u{0661}\u{0667}"] {
            assert!(search(bad).is_err(), "{bad:?}");
        }
    }
}
