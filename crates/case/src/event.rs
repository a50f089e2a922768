//! The stored event: who asked for what (the [`Action`], as the user sent it) and what the server computed
//! when it accepted it (the [`Outcome`]: dates of decisions, deadlines, routing, the decision record).
//! Events are versioned by [`SCHEMA`]; an event stored in an older shape is read into today's, so every
//! history ever recorded still folds. Nothing is rewritten in the store: the hash chain covers the stored
//! bytes.

use crate::action::Action;
use crate::actor::Actor;
use crate::guards::{DecisionRecord, HearingBasis};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The shape events are written in. 1 (no `schema` field) is the shape of the first release, in which
/// computed values were fields of the action; 2 split the command from its outcome; 3 adds the day the
/// action was judged on ([`Event::on`]); 4 the foretræde actions (and the case's projection of them); 5 the
/// rehabilitation team's actions and the day each phase began (the projection folded again).
pub const SCHEMA: u16 = 5;

/// What the server computed when it accepted an action.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// Nothing beyond the action.
    #[default]
    None,
    /// A hearing started: the last day to answer.
    HearingStarted {
        /// Last day to answer.
        answer_by: Date,
    },
    /// An aktindsigt request was registered: the day it was received and the answer's due day.
    AccessRequested {
        /// Received (the server's today).
        received_on: Date,
        /// The answer is due.
        answer_by: Date,
    },
    /// The case was routed to its region's deciding municipality.
    Routed {
        /// The deciding municipality.
        deciding_municipality: u16,
    },
    /// The case was put on a meeting of the board.
    Scheduled {
        /// The meeting.
        meeting_on: Date,
    },
    /// A revocation was proposed.
    Proposed {
        /// The day of the proposal (the server's date).
        proposed_on: Date,
        /// A date of effect chosen by the proposer: only in proposals recorded by the first release.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective_from: Option<Date>,
    },
    /// A decision was made.
    Decided {
        /// The decision date: the day of approval (or of upholding), by the server's clock.
        decided_on: Date,
        /// What the decision was computed from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<DecisionRecord>,
        /// The board's meeting it was made at, and who sat on the board.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sitting: Option<crate::case::Sitting>,
    },
    /// A decision letter was sent.
    DecisionLetter {
        /// The day the letter reached the citizen (absent in letters recorded by the first release).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notified_on: Option<Date>,
        /// The complaint deadline.
        complaint_deadline: Date,
        /// A revocation's effect: never before `notified_on`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective_from: Option<Date>,
        /// The last day the pension is paid after a revocation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_paid_day: Option<Date>,
    },
    /// A complaint was received.
    ComplaintReceived {
        /// Within the complaint deadline.
        within_deadline: bool,
        /// The reassessment deadline.
        reassess_by: Date,
    },
    /// The decision was reassessed on this day.
    Reassessed {
        /// The day (a changed decision's decision date).
        on: Date,
    },
    /// The complaint was sent to Ankestyrelsen on this day.
    Forwarded {
        /// The day.
        on: Date,
    },
}

impl Outcome {
    /// Whether nothing was computed.
    #[must_use]
    pub fn is_none(&self) -> bool {
        *self == Outcome::None
    }
}

/// A recorded event: who did what, when, in which role and municipality, and what it computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "StoredEvent")]
pub struct Event {
    /// Case id.
    pub case_id: i64,
    /// The case's version after this event (1 for the import).
    pub version: u32,
    /// When it was recorded.
    pub recorded_at: jiff::Timestamp,
    /// Who.
    pub actor: Actor,
    /// What (and why, inside the action), as the user asked for it.
    pub action: Action,
    /// What the server computed.
    #[serde(default, skip_serializing_if = "Outcome::is_none")]
    pub outcome: Outcome,
    /// The day the action was judged on: the server's today (absent before schema 3, and in the system's
    /// imports). No later action may be judged on an earlier day, so a case's dates never run backwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    /// The shape it is stored in ([`SCHEMA`]).
    pub schema: u16,
}

/// An event as stored, in any shape ever written.
#[derive(Deserialize)]
struct StoredEvent {
    case_id: i64,
    version: u32,
    recorded_at: jiff::Timestamp,
    actor: Actor,
    action: Value,
    #[serde(default)]
    outcome: Option<Outcome>,
    #[serde(default)]
    on: Option<Date>,
    #[serde(default = "first_schema")]
    schema: u16,
}

fn first_schema() -> u16 {
    1
}

impl TryFrom<StoredEvent> for Event {
    type Error = String;

    fn try_from(stored: StoredEvent) -> Result<Event, String> {
        let (action, outcome) = match stored.schema {
            1 => upgrade_first(stored.action)?,
            2..=SCHEMA => {
                let action = serde_json::from_value(stored.action).map_err(|e| e.to_string())?;
                (action, stored.outcome.unwrap_or_default())
            }
            other => return Err(format!("event schema {other} is newer than this release ({SCHEMA})")),
        };
        Ok(Event {
            case_id: stored.case_id,
            version: stored.version,
            recorded_at: stored.recorded_at,
            actor: stored.actor,
            action,
            outcome,
            on: stored.on,
            schema: SCHEMA,
        })
    }
}

fn take_date(map: &mut Map<String, Value>, field: &str) -> Result<Option<Date>, String> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v).map(Some).map_err(|e| format!("{field}: {e}")),
    }
}

/// Reads a first-release action, whose computed values were its own fields, into today's action and
/// outcome.
fn upgrade_first(action: Value) -> Result<(Action, Outcome), String> {
    let Value::Object(mut map) = action else { return Err("the action is not an object".into()) };
    let name = map.get("action").and_then(Value::as_str).unwrap_or_default().to_owned();
    let outcome = match name.as_str() {
        "start_hearing" => {
            let answer_by = take_date(&mut map, "answer_by")?;
            let sent_on = map.get("sent_on").cloned().map(serde_json::from_value::<Date>).transpose();
            match answer_by.or(sent_on.map_err(|e| e.to_string())?) {
                Some(answer_by) => Outcome::HearingStarted { answer_by },
                None => Outcome::None,
            }
        }
        "send_to_deciding" => match map.remove("deciding_municipality") {
            Some(Value::Number(n)) => Outcome::Routed {
                deciding_municipality: n
                    .as_u64()
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or("deciding_municipality out of range")?,
            },
            _ => Outcome::None,
        },
        "schedule" => match map.get("meeting_on").cloned().map(serde_json::from_value::<Option<Date>>) {
            Some(Ok(Some(meeting_on))) => Outcome::Scheduled { meeting_on },
            _ => Outcome::None,
        },
        "propose_revocation" => {
            map.remove("uses_adverse_information");
            let proposed_on = take_date(&mut map, "decided_on")?.ok_or("propose_revocation without decided_on")?;
            Outcome::Proposed { proposed_on, effective_from: take_date(&mut map, "effective_from")? }
        }
        "approve_revocation" | "uphold" => {
            let decided_on = take_date(&mut map, "decided_on")?;
            let record = match map.remove("record") {
                None | Some(Value::Null) => None,
                Some(v) => Some(upgrade_first_record(v)?),
            };
            match decided_on.or(record.as_ref().map(|r| r.inputs.decided_on)) {
                Some(decided_on) => Outcome::Decided { decided_on, record, sitting: None },
                None => Outcome::None,
            }
        }
        "send_decision_letter" | "send_letter" => match take_date(&mut map, "complaint_deadline")? {
            Some(complaint_deadline) => Outcome::DecisionLetter {
                notified_on: None,
                complaint_deadline,
                effective_from: None,
                last_paid_day: None,
            },
            None => Outcome::None,
        },
        "receive_complaint" => {
            let within = map.remove("within_deadline").and_then(|v| v.as_bool());
            match take_date(&mut map, "reassess_by")? {
                Some(reassess_by) => {
                    Outcome::ComplaintReceived { within_deadline: within.unwrap_or(true), reassess_by }
                }
                None => Outcome::None,
            }
        }
        "reassess" => take_date(&mut map, "on")?.map_or(Outcome::None, |on| Outcome::Reassessed { on }),
        "forward_to_appeals_board" => take_date(&mut map, "on")?.map_or(Outcome::None, |on| Outcome::Forwarded { on }),
        _ => Outcome::None,
    };
    let action = serde_json::from_value(Value::Object(map)).map_err(|e| format!("{name}: {e}"))?;
    Ok((action, outcome))
}

/// A first-release decision record: its guard inputs said whether adverse information was used and
/// whether a hearing was completed; today the question is only whether the citizen was heard.
fn upgrade_first_record(record: Value) -> Result<DecisionRecord, String> {
    let Value::Object(mut map) = record else { return Err("record is not an object".into()) };
    if let Some(Value::Object(inputs)) = map.get_mut("inputs")
        && !inputs.contains_key("hearing")
    {
        let completed = inputs.remove("hearing_completed").and_then(|v| v.as_bool()).unwrap_or(false);
        inputs.remove("uses_adverse_information");
        let hearing = if completed { HearingBasis::Current } else { HearingBasis::Missing };
        inputs.insert("hearing".into(), serde_json::to_value(hearing).map_err(|e| e.to_string())?);
    }
    map.remove("basis");
    serde_json::from_value(Value::Object(map)).map_err(|e| format!("record: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_round_trips_in_todays_shape() {
        let e = Event {
            case_id: 3,
            version: 7,
            recorded_at: jiff::Timestamp::UNIX_EPOCH,
            actor: Actor::system(),
            action: Action::SendToDeciding {},
            outcome: Outcome::Routed { deciding_municipality: 101 },
            on: Some(jiff::civil::date(2026, 12, 7)),
            schema: SCHEMA,
        };
        let json = serde_json::to_string(&e).expect("serialize");
        assert!(json.contains(r#""on":"2026-12-07","schema":5"#), "{json}");
        assert_eq!(serde_json::from_str::<Event>(&json).expect("parse"), e);
    }

    #[test]
    fn a_first_release_event_is_read_with_its_computed_fields_as_outcome() {
        let json = r#"{"case_id":1,"version":9,"recorded_at":"2026-12-02T10:00:00Z",
            "actor":{"user":"a","role":"deciding_caseworker","municipality":101},
            "action":{"action":"propose_revocation","reasons":"r","decided_on":"2027-01-05",
                      "effective_from":"2027-02-01","keep_payment_months":2,"uses_adverse_information":true}}"#;
        let e: Event = serde_json::from_str(json).expect("legacy");
        assert_eq!(e.action, Action::ProposeRevocation { reasons: "r".into(), keep_payment_months: 2 });
        assert_eq!(
            e.outcome,
            Outcome::Proposed {
                proposed_on: jiff::civil::date(2027, 1, 5),
                effective_from: Some(jiff::civil::date(2027, 2, 1))
            }
        );
        let newer = json.replace(r#""version":9,"#, r#""version":9,"schema":6,"#);
        assert!(serde_json::from_str::<Event>(&newer).expect_err("newer").to_string().contains("newer"));
    }
}
