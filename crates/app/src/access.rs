//! Aktindsigt for the party (FVL §§ 9-18): the file an answered request produces, as it stood when the
//! request was answered — an index, the documents not withheld, the history and the access-log excerpt —
//! for whoever holds the case, the production itself logged.

use crate::cases::{AppError, read};
use gennemgang_case::action::ActionKind;
use gennemgang_case::actor::Actor;
use gennemgang_case::case::Case;
use gennemgang_case::policy::may_perform;
use gennemgang_rules::date::danish;
use gennemgang_store::{AccessEntry, Store};
use jiff::Timestamp;
use std::fmt::Write as _;

/// The files of an aktindsigt, by their names in the bundle.
#[derive(Debug, Default)]
pub struct Bundle {
    /// (path, content).
    pub files: Vec<(String, Vec<u8>)>,
}

/// A title as part of a file name: letters, digits and dashes only.
fn file_part(title: &str) -> String {
    let folded = gennemgang_rules::text::folded(title).replace(' ', "-");
    folded.chars().take(60).collect()
}

/// The file of answered request `number` (from 1) of case `id`.
///
/// # Errors
/// [`AppError::NotFound`] for a case or request not there (or not answered); [`AppError::Forbidden`] for a
/// user who does not hold the case.
pub async fn bundle<S: Store>(
    store: &S,
    actor: &Actor,
    id: i64,
    number: usize,
    now: Timestamp,
) -> Result<Bundle, AppError> {
    let case = read(store, actor, id, "case", now).await?;
    if !may_perform(actor, &case, ActionKind::AnswerAccessRequest) {
        return Err(AppError::Forbidden("kun den, der har sagen, udleverer aktindsigt".into()));
    }
    let Some(request) = number.checked_sub(1).and_then(|i| case.access_requests.get(i)).cloned() else {
        return Err(AppError::NotFound);
    };
    let Some(answered_on) = request.answered_on else { return Err(AppError::NotFound) };
    let events = store.events(id).await?;
    let upto = usize::try_from(request.versions).unwrap_or(usize::MAX).min(events.len());
    let then = Case::from_events(&events[..upto])
        .map_err(|e| AppError::Store(gennemgang_store::StoreError::Corrupt(e.to_string())))?;
    let answered_at = events.get(upto.saturating_sub(1)).map_or(now, |e| e.recorded_at);
    store
        .log_access(&[AccessEntry {
            at: now,
            user: actor.user.clone(),
            role: actor.role,
            municipality: actor.municipality,
            case_id: Some(id),
            what: format!("aktindsigt {number}"),
            purpose: Some("aktindsigt".into()),
            allowed: true,
        }])
        .await
        .map_err(AppError::NotLogged)?;
    let mut out = Bundle::default();
    let mut index = format!(
        "Aktindsigt i sag {id}\nAnmodning modtaget {}: {}\nBesvaret {}\n\nDokumenter\n",
        danish(request.received_on),
        request.scope,
        danish(answered_on)
    );
    for (i, d) in then.documents.iter().enumerate() {
        let n = i + 1;
        match request.withheld.iter().find(|w| w.document == n) {
            Some(w) => {
                let _ = writeln!(
                    index,
                    "{n}. {} ({}) — undtaget: {}",
                    d.document.title,
                    danish(d.document.dated),
                    w.reason.danish()
                );
            }
            None => {
                let name =
                    format!("dokumenter/{n:02}-{}.{}", file_part(&d.document.title), d.document.media_type.extension());
                let _ = writeln!(index, "{n}. {} ({}) — {name}", d.document.title, danish(d.document.dated));
                let content = store.document(&d.document.sha256).await?.ok_or(AppError::NotFound)?;
                out.files.push((name, content));
            }
        }
    }
    if then.documents.is_empty() {
        index.push_str("Sagen har ingen dokumenter.\n");
    }
    index.push_str("\nhistorik.txt: sagens historik\nadgangslog.txt: hvem der har set oplysningerne i sagen\n");
    let mut history = String::from("Sagens historik\n\n");
    for e in &events[..upto] {
        // An event without a day of its own (the import) is dated by when it was recorded.
        let day = danish(e.on.unwrap_or_else(|| gennemgang_rules::date::day_of(e.recorded_at)));
        let _ = writeln!(history, "{}. {day}: {} ({})", e.version, e.action.kind().danish(), e.actor.user);
    }
    let mut log = String::from("Adgangslog for sagen\n\n");
    for e in store.case_access_log(id).await?.iter().filter(|e| e.at <= answered_at) {
        let day = match e.at.in_tz("Europe/Copenhagen") {
            Ok(z) => format!("{} kl. {:02}.{:02}", danish(z.date()), z.hour(), z.minute()),
            Err(_) => danish(e.at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()),
        };
        // Whether it was refused is said before the purpose, which is quoted and ends the line: a purpose
        // that reads like a refusal ("opslag (afvist)") cannot make an allowed read look refused.
        let verb = if e.allowed { "så" } else { "blev afvist:" };
        // One read a line, also for a purpose logged before purposes were kept on one line.
        let purpose = e.purpose.as_deref().and_then(crate::cases::logged_purpose);
        let purpose = purpose.map_or_else(String::new, |p| format!(", formål: »{p}«"));
        let _ = writeln!(log, "{day}: {} ({}) {verb} {}{purpose}", e.user, e.role.danish(), e.what_danish());
    }
    out.files.insert(0, ("indholdsfortegnelse.txt".into(), index.into_bytes()));
    out.files.push(("historik.txt".into(), history.into_bytes()));
    out.files.push(("adgangslog.txt".into(), log.into_bytes()));
    Ok(out)
}
