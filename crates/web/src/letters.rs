//! Letters on the web: preview any letter that fits the case (PDF, the read logged), send it (Digital Post
//! or print, through the postbox, then recorded on the case), and send one kind for many cases at once with
//! the progress shown while it runs.

use crate::AppState;
use crate::extract::{Posted, SignedIn};
use crate::pages::{Layout, app_error, field, message, render};
use crate::session::Current;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gennemgang_app::cases;
use gennemgang_app::letters::{Request, preview as preview_letter, send as send_letter};
use gennemgang_case::action::Channel;
use gennemgang_letters::LetterKind;
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_store::Store as _;
use gennemgang_store::shared::{Batch, BatchProgress, NewBatch};

fn channel_of(value: &str) -> Channel {
    if value == "physical" { Channel::Physical } else { Channel::Digital }
}

/// The letter asked for. Only a preview may name its date (to show a letter sent earlier as it was); a
/// letter sent is dated the day it leaves, by the server's clock, because its date is the day the citizen
/// is notified and the complaint deadline runs from it (RSL § 67: 4 weeks from receipt; lov om Digital Post
/// fra offentlige afsendere § 10, nr. 1, and 6 delivery days for a physical letter): a form field could
/// backdate it.
fn request<'a>(
    state: &'a AppState,
    kind: LetterKind,
    channel: &str,
    preview_date: Option<&str>,
) -> Result<Request<'a>, String> {
    let senders = &*state.senders;
    let sent_on = match preview_date.map(str::trim).filter(|d| !d.is_empty()) {
        None => state.today(),
        Some(date) => date.parse().map_err(|_| "Brevets dato i adressen kan ikke læses".to_owned())?,
    };
    Ok(Request { kind, channel: channel_of(channel), sent_on, senders, calendar: CalendarParams::builtin() })
}

fn kind_of(current: &Current, name: &str) -> Result<LetterKind, Box<Response>> {
    LetterKind::parse(name).ok_or_else(|| {
        Box::new(message(Some(current), StatusCode::NOT_FOUND, "Siden findes ikke", "Brevtypen findes ikke."))
    })
}

/// `GET /sager/{id}/breve/{kind}?kanal=digital|physical&dato=YYYY-MM-DD`: the letter as PDF, inline.
pub async fn preview(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path((id, kind)): Path<(i64, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let kind = match kind_of(&current, &kind) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let req = match request(&state, kind, field(&query, "kanal"), Some(field(&query, "dato"))) {
        Ok(r) => r,
        Err(why) => return message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Brevet kan ikke vises", &why),
    };
    match preview_letter(&state.store, &current.user.actor(), id, &req, state.today(), jiff::Timestamp::now()).await {
        Ok(r) => {
            let name = gennemgang_letters::memo::pdf_filename(&r.letter);
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
                ],
                r.pdf,
            )
                .into_response()
        }
        Err(e) => app_error(&current, &e),
    }
}

/// `POST /sager/{id}/breve/{kind}`: sends the letter, then back to the case.
pub async fn send(
    State(state): State<AppState>,
    Path((id, kind)): Path<(i64, String)>,
    Posted { current, form }: Posted<Vec<(String, String)>>,
) -> Response {
    let kind = match kind_of(&current, &kind) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let req = match request(&state, kind, field(&form, "kanal"), None) {
        Ok(r) => r,
        Err(why) => return message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Brevet blev ikke sendt", &why),
    };
    let seen = match crate::pages::seen_version(&current, &form) {
        Ok(seen) => seen,
        Err(r) => return *r,
    };
    match send_letter(&state.store, state.postbox.as_ref(), &current.user.actor(), id, seen, &req, state.on()).await {
        Ok(_) => {
            state.after_action(id).await;
            Redirect::to(&format!("/sager/{id}?sendt={}", kind.name())).into_response()
        }
        Err(e) => app_error(&current, &e),
    }
}

/// A batch's progress, as its page shows it.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// The kind, in Danish.
    pub kind: &'static str,
    /// Cases to send to.
    pub total: usize,
    /// Sent.
    pub sent: usize,
    /// Refused or failed, with the case and why.
    pub failed: Vec<(i64, String)>,
    /// Done.
    pub finished: bool,
}

impl Progress {
    fn of(batch: &Batch) -> Progress {
        Progress {
            kind: LetterKind::parse(&batch.kind).map_or("", LetterKind::danish),
            total: batch.targets.len(),
            sent: batch.sent,
            failed: batch.failed.clone(),
            finished: batch.finished_at.is_some(),
        }
    }
}

/// How long a finished batch's result stays readable, in seconds; then the sweep removes it.
pub const KEEP_FINISHED_SECONDS: i64 = 60 * 60;

/// How long a batch's worker may go without recording progress (each letter records it) before another
/// server takes the batch over, in seconds: far longer than one letter takes.
pub const STALE_AFTER_SECONDS: i64 = 5 * 60;

/// Sends a batch's letters from where it stands, as long as this server holds it: each letter is sent at
/// the version its case was chosen at (a case that moved on is refused, never sent twice), and progress is
/// recorded after each, so that another server resumes where this one stopped.
pub async fn run_batch(state: AppState, id: i64) {
    let worker = state.worker.to_string();
    let loaded = state.store.batch(id).await;
    let Ok(Some(batch)) = loaded else {
        if let Err(e) = loaded {
            crate::log::failed(&e);
        }
        return;
    };
    let owner = match state.store.user(&batch.owner).await {
        Ok(owner) => owner,
        Err(e) => return crate::log::failed(&e),
    };
    let kind = LetterKind::parse(&batch.kind);
    let mut progress =
        BatchProgress { next: batch.next, sent: batch.sent, failed: batch.failed.clone(), finished_at: None };
    let now = || jiff::Timestamp::now().as_second();
    for &(case_id, version) in batch.targets.iter().skip(batch.next) {
        let outcome = match (&owner, kind) {
            (Some(owner), Some(kind)) => {
                // Dated the day it leaves: a batch resumed the next day dates its remaining letters then.
                let req = Request {
                    kind,
                    channel: channel_of(&batch.channel),
                    sent_on: state.today(),
                    senders: &state.senders,
                    calendar: CalendarParams::builtin(),
                };
                let actor = owner.actor();
                send_letter(&state.store, state.postbox.as_ref(), &actor, case_id, Some(version), &req, state.on())
                    .await
                    .map_err(|e| e.to_string())
            }
            (None, _) => Err("Brugeren, der startede kørslen, findes ikke længere".to_owned()),
            _ => Err("Kørslen kan ikke læses".to_owned()),
        };
        match outcome {
            Ok(_) => {
                state.after_action(case_id).await;
                progress.sent += 1;
            }
            Err(why) => progress.failed.push((case_id, why)),
        }
        progress.next += 1;
        if progress.next == batch.targets.len() {
            progress.finished_at = Some(now());
        }
        match state.store.batch_progress(id, &worker, &progress, now()).await {
            Ok(true) => {}
            // Another server took the batch over (this one was silent too long): it goes on from here.
            Ok(false) => return,
            Err(e) => return crate::log::failed(&e),
        }
        // Typesetting is CPU work; let the requests of the people using the application go first.
        tokio::task::yield_now().await;
    }
    if batch.targets.len() <= batch.next && batch.finished_at.is_none() {
        progress.finished_at = Some(now());
        if let Err(e) = state.store.batch_progress(id, &worker, &progress, now()).await {
            crate::log::failed(&e);
        }
    }
}

#[derive(Template)]
#[template(path = "batch.html")]
struct BatchPage {
    layout: Layout,
    kinds: Vec<(&'static str, &'static str, usize)>,
    progress: Option<(i64, Progress)>,
}

impl BatchPage {
    fn percent(&self) -> usize {
        self.progress.as_ref().map_or(0, |(_, p)| ((p.sent + p.failed.len()) * 100).checked_div(p.total).unwrap_or(100))
    }
}

async fn batch_page(state: &AppState, current: &Current, progress: Option<(i64, Progress)>) -> Response {
    let visible = match cases::list(&state.store, &current.user.actor(), jiff::Timestamp::now()).await {
        Ok(v) => v,
        Err(e) => return app_error(current, &e),
    };
    let actor = current.user.actor();
    let kinds = LetterKind::ALL
        .into_iter()
        .map(|k| {
            let n = visible
                .iter()
                .filter(|c| {
                    gennemgang_case::policy::may_perform(&actor, c, gennemgang_case::action::ActionKind::SendLetter)
                })
                .filter(|c| gennemgang_case::decide::letter_does_not_fit(c, k).is_none())
                .count();
            (k.name(), k.danish(), n)
        })
        .collect();
    render(StatusCode::OK, &BatchPage { layout: Layout::of(Some(current)), kinds, progress })
}

/// `GET /breve`: how many cases each letter fits, and the form to send one kind to all of them.
pub async fn batch(State(state): State<AppState>, SignedIn(current): SignedIn) -> Response {
    batch_page(&state, &current, None).await
}

/// `POST /breve`: starts sending one kind of letter to every case the user may send it for.
pub async fn start_batch(
    State(state): State<AppState>,
    Posted { current, form }: Posted<Vec<(String, String)>>,
) -> Response {
    let kind = match kind_of(&current, field(&form, "kind")) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let (channel, sent_on) = match request(&state, kind, field(&form, "kanal"), None) {
        Ok(r) => (r.channel, r.sent_on),
        Err(why) => return message(Some(&current), StatusCode::UNPROCESSABLE_ENTITY, "Brevene blev ikke sendt", &why),
    };
    let actor = current.user.actor();
    let visible = match cases::list(&state.store, &actor, jiff::Timestamp::now()).await {
        Ok(v) => v,
        Err(e) => return app_error(&current, &e),
    };
    let targets: Vec<(i64, u32)> = visible
        .iter()
        .filter(|c| gennemgang_case::policy::may_perform(&actor, c, gennemgang_case::action::ActionKind::SendLetter))
        .filter(|c| gennemgang_case::decide::letter_does_not_fit(c, kind).is_none())
        .map(|c| (c.id, c.version))
        .collect();
    let new = NewBatch {
        owner: actor.user.clone(),
        kind: kind.name().to_owned(),
        channel: if channel == Channel::Physical { "physical" } else { "digital" }.to_owned(),
        sent_on: sent_on.to_string(),
        targets,
        started_at: jiff::Timestamp::now().as_second(),
        worker: state.worker.to_string(),
    };
    // Kept in the database: its progress is read on whichever server the page asks, and a server that
    // stops halfway leaves it to another (the sweep resumes it).
    let id = match state.store.start_batch(&new).await {
        Ok(id) => id,
        Err(e) => return crate::pages::server_error(&e),
    };
    tokio::spawn(run_batch(state.clone(), id));
    Redirect::to(&format!("/breve/{id}")).into_response()
}

/// `GET /breve/{id}`: the batch's progress (the page polls it with htmx while it runs); only its owner
/// sees it.
pub async fn batch_progress(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.store.batch(id).await {
        Ok(Some(b)) if b.owner == current.user.username => {
            batch_page(&state, &current, Some((id, Progress::of(&b)))).await
        }
        Ok(_) => message(Some(&current), StatusCode::NOT_FOUND, "Siden findes ikke", "Kørslen findes ikke."),
        Err(e) => crate::pages::server_error(&e),
    }
}
