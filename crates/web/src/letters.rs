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

fn channel_of(value: &str) -> Channel {
    if value == "physical" { Channel::Physical } else { Channel::Digital }
}

fn request<'a>(state: &'a AppState, kind: LetterKind, channel: &str, date: &str) -> Result<Request<'a>, String> {
    let senders = &*state.senders;
    let sent_on = if date.trim().is_empty() {
        state.today()
    } else {
        date.trim().parse().map_err(|_| "Afsendelsesdatoen skal skrives ÅÅÅÅ-MM-DD".to_owned())?
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
    let req = match request(&state, kind, field(&query, "kanal"), field(&query, "dato")) {
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
    let req = match request(&state, kind, field(&form, "kanal"), field(&form, "dato")) {
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

/// A batch's progress.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// Who started it (only they see it).
    pub owner: String,
    /// The kind.
    pub kind: &'static str,
    /// Cases to send to.
    pub total: usize,
    /// Sent.
    pub sent: usize,
    /// Refused or failed, with the case and why.
    pub failed: Vec<(i64, String)>,
    /// Done.
    pub finished: bool,
    /// When it finished: it is kept for [`KEEP_FINISHED`] after, for its owner to read, then removed.
    pub finished_at: Option<std::time::Instant>,
}

/// How long a finished batch's result stays readable.
pub const KEEP_FINISHED: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// The batches the server knows, under ids that are never reused.
#[derive(Debug, Default)]
pub struct Batches {
    next: u64,
    jobs: std::collections::HashMap<u64, Progress>,
}

impl Batches {
    /// Adds a batch; returns its id. Batches finished more than [`KEEP_FINISHED`] before `now` are removed
    /// first, so the server's memory does not grow with every batch ever run.
    pub fn start(&mut self, progress: Progress, now: std::time::Instant) -> u64 {
        self.jobs.retain(|_, p| p.finished_at.is_none_or(|at| now.saturating_duration_since(at) < KEEP_FINISHED));
        self.next += 1;
        self.jobs.insert(self.next, progress);
        self.next
    }

    /// A batch's progress.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut Progress> {
        self.jobs.get_mut(&id)
    }

    /// How many batches are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// How many are still sending.
    #[must_use]
    pub fn running(&self) -> usize {
        self.jobs.values().filter(|p| !p.finished).count()
    }

    /// Whether none is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }
}

#[derive(Template)]
#[template(path = "batch.html")]
struct BatchPage {
    layout: Layout,
    kinds: Vec<(&'static str, &'static str, usize)>,
    today_iso: String,
    progress: Option<(u64, Progress)>,
}

impl BatchPage {
    fn percent(&self) -> usize {
        self.progress.as_ref().map_or(0, |(_, p)| ((p.sent + p.failed.len()) * 100).checked_div(p.total).unwrap_or(100))
    }
}

async fn batch_page(state: &AppState, current: &Current, progress: Option<(u64, Progress)>) -> Response {
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
    render(
        StatusCode::OK,
        &BatchPage { layout: Layout::of(Some(current)), kinds, today_iso: state.today().to_string(), progress },
    )
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
    let (channel, sent_on) = match request(&state, kind, field(&form, "kanal"), field(&form, "dato")) {
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
    let id = {
        let Ok(mut batches) = state.batches.lock() else {
            return crate::pages::server_error(&std::io::Error::other("the letter batches' lock is poisoned"));
        };
        batches.start(
            Progress { owner: actor.user.clone(), kind: kind.danish(), total: targets.len(), ..Progress::default() },
            std::time::Instant::now(),
        )
    };
    let worker = state.clone();
    tokio::spawn(async move {
        let req = Request { kind, channel, sent_on, senders: &worker.senders, calendar: CalendarParams::builtin() };
        for (case_id, version) in targets {
            let outcome =
                send_letter(&worker.store, worker.postbox.as_ref(), &actor, case_id, Some(version), &req, worker.on())
                    .await;
            if outcome.is_ok() {
                worker.after_action(case_id).await;
            }
            if let Ok(mut batches) = worker.batches.lock()
                && let Some(p) = batches.get_mut(id)
            {
                match outcome {
                    Ok(_) => p.sent += 1,
                    Err(e) => p.failed.push((case_id, e.to_string())),
                }
            }
            // Typesetting is CPU work; let the requests of the people using the application go first.
            tokio::task::yield_now().await;
        }
        if let Ok(mut batches) = worker.batches.lock()
            && let Some(p) = batches.get_mut(id)
        {
            p.finished = true;
            p.finished_at = Some(std::time::Instant::now());
        }
    });
    Redirect::to(&format!("/breve/{id}")).into_response()
}

/// `GET /breve/{id}`: the batch's progress (the page polls it with htmx while it runs).
pub async fn batch_progress(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Path(id): Path<u64>,
) -> Response {
    let progress =
        state.batches.lock().ok().and_then(|mut b| b.get_mut(id).cloned()).filter(|p| p.owner == current.user.username);
    match progress {
        Some(p) => batch_page(&state, &current, Some((id, p))).await,
        None => message(Some(&current), StatusCode::NOT_FOUND, "Siden findes ikke", "Kørslen findes ikke."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_batches_are_removed_an_hour_after_and_ids_are_never_reused() {
        let start = std::time::Instant::now();
        let mut batches = Batches::default();
        let done = Progress { finished: true, finished_at: Some(start), ..Progress::default() };
        let first = batches.start(done, start);
        let running = batches.start(Progress::default(), start);
        assert_eq!(batches.len(), 2);
        // Still readable within the hour; gone after it, while the running one stays.
        let third = batches.start(Progress::default(), start + KEEP_FINISHED / 2);
        assert_eq!(batches.len(), 3);
        let fourth = batches.start(Progress::default(), start + KEEP_FINISHED);
        assert!(batches.get_mut(first).is_none() && batches.get_mut(running).is_some());
        assert_eq!((first, running, third, fourth), (1, 2, 3, 4), "a removed batch's id is not given again");
    }
}
