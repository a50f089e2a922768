//! The review's deadlines, each computed with its reasoning and legal basis.

use super::CalendarError;
use super::board::next_meeting;
use super::days::{closed_reason, is_delivery_day, next_day, weekday_danish};
use super::params::{Board, CalendarParams};
use crate::date::add_months;
use jiff::ToSpan;
use jiff::civil::Date;

/// How a decision was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// Digital Post: received the day it is available.
    Digital,
    /// A physical letter: received on the 6th delivery day after sending.
    Physical,
}

/// Which deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Complaint (klagefrist): 4 weeks from receipt of the decision.
    Complaint {
        /// Date the decision was sent.
        sent: Date,
        /// How.
        channel: Channel,
    },
    /// Reassessment (genvurdering): 4 weeks from receipt of the complaint.
    Reassessment {
        /// Date the complaint was received.
        from: Date,
    },
    /// The pension decision (PL § 21): 3 months from the case's transfer to the pension rules.
    Board {
        /// Date of the transfer (the letter's sending date).
        from: Date,
        /// Days the board needs to prepare; the calendar's default if `None`.
        prepare_days: Option<u16>,
    },
    /// File access (aktindsigt): 7 working days from receipt of the request.
    FileAccess {
        /// Date the request was received.
        from: Date,
    },
    /// Hearing (partshøring): the answer period, a parameter.
    Hearing {
        /// Date the hearing letter is available to the citizen.
        from: Date,
        /// Days; the calendar's default if `None`.
        days: Option<u16>,
    },
}

/// One line of reasoning.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reason {
    /// What, in Danish.
    pub text: String,
    /// Law, §, or the named parameter.
    pub legal_basis: String,
}

/// A computed deadline.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Deadline {
    /// The last day (the deadline runs to 23:59 that day).
    pub date: Date,
    /// How it was reached.
    pub reasoning: Vec<Reason>,
}

fn reason(text: impl Into<String>, legal_basis: impl Into<String>) -> Reason {
    Reason { text: text.into(), legal_basis: legal_basis.into() }
}

/// "fredag 17. april 2026": the reasoning is printed in letters, so no ISO dates.
fn day_name(date: Date) -> String {
    format!("{} {}", weekday_danish(date.weekday()), crate::date::danish(date))
}

fn add_days(date: Date, days: i64) -> Result<Date, CalendarError> {
    date.checked_add(days.days()).map_err(|_| CalendarError::YearOutOfRange { year: date.year() })
}

/// Moves `end` forward past closed days, explaining each move (JM vejledning nr. 9533 af 26/6 2018).
fn roll(params: &CalendarParams, mut end: Date, reasoning: &mut Vec<Reason>) -> Result<Date, CalendarError> {
    let first = end;
    let mut skipped = Vec::new();
    while let Some(why) = closed_reason(params, end)? {
        skipped.push(format!("{} er {why}", crate::date::danish(end)));
        end = next_day(end)?;
    }
    if end != first {
        let rule = params.closed_rule(first)?;
        reasoning.push(reason(
            format!(
                "{}; en frist kan ikke udløbe på en lukket dag og flyttes til {}",
                skipped.join(", "),
                day_name(end)
            ),
            rule.legal_basis.clone(),
        ));
    }
    Ok(end)
}

/// The day a letter sent on `sent` by `channel` is taken to have reached the citizen ("kommet frem"): a
/// digital letter the day it is available (lov om Digital Post fra offentlige afsendere § 10, nr. 1), a
/// physical one on the delivery day the calendar names (JM vejledning nr. 9533 af 26/6 2018: 6
/// omdelingsdage). The complaint deadline runs from it, and a revocation takes effect only after it.
///
/// # Errors
/// A date outside the calendar's rules.
pub fn received_on(params: &CalendarParams, sent: Date, channel: Channel) -> Result<Date, CalendarError> {
    receipt(params, sent, channel, &mut Vec::new())
}

fn receipt(
    params: &CalendarParams,
    sent: Date,
    channel: Channel,
    reasoning: &mut Vec<Reason>,
) -> Result<Date, CalendarError> {
    let lengths = &params.deadlines;
    Ok(match channel {
        Channel::Digital => {
            reasoning.push(reason(
                format!(
                    "Afgørelsen er sendt med Digital Post {} og anses for modtaget samme dag, også på en lørdag, \
                     søndag eller helligdag",
                    day_name(sent)
                ),
                lengths.digital_basis.clone(),
            ));
            sent
        }
        Channel::Physical => {
            let rule = params.delivery_rule(sent)?;
            let mut day = sent;
            let mut counted = Vec::with_capacity(usize::from(rule.days_until_received));
            while counted.len() < usize::from(rule.days_until_received) {
                day = next_day(day)?;
                if is_delivery_day(params, day)? {
                    counted.push(day);
                }
            }
            let list: Vec<String> = counted.iter().map(|d| format!("{}/{}", d.day(), d.month())).collect();
            let mut text = format!(
                "Afgørelsen er sendt som almindeligt brev {} og anses for modtaget på {}. omdelingsdag: {} \
                 (omdelingsdage: {})",
                day_name(sent),
                rule.days_until_received,
                day_name(day),
                list.join(", ")
            );
            if rule.status != "verified" {
                text.push_str(&format!(". Bemærk: {}", rule.note));
            }
            reasoning.push(reason(text, rule.legal_basis.clone()));
            day
        }
    })
}

/// Computes a deadline with its reasoning.
///
/// - Complaint (RSL § 67): 4 weeks from receipt; a digital letter is received the day it is available (lov
///   om Digital Post § 10, nr. 1), a physical letter on the 6th delivery day after sending (JM vejledning
///   nr. 9533 af 26/6 2018); counted in weeks, so it ends on the same weekday.
/// - Reassessment (RSL § 66): 4 weeks from receipt of the complaint.
/// - Board (PL § 21): 3 calendar months from the transfer to the pension rules, with the board's next meeting
///   that leaves the days to prepare.
/// - File access (OFL § 36, stk. 2): 7 working days after receipt.
/// - Hearing (FVL § 19): the answer period, a parameter.
///
/// A deadline that would end on a closed day (weekend, holiday, Grundlovsdag, 24 or 31 December) moves to
/// the next day that is not closed.
///
/// # Errors
/// A date outside the calendar's rules.
pub fn deadline(params: &CalendarParams, board: &Board, kind: Kind) -> Result<Deadline, CalendarError> {
    let lengths = &params.deadlines;
    let mut reasoning = Vec::new();
    let date = match kind {
        Kind::Complaint { sent, channel } => {
            let received = receipt(params, sent, channel, &mut reasoning)?;
            let end = add_days(received, 7 * i64::from(lengths.complaint_weeks))?;
            reasoning.push(reason(
                format!(
                    "Klagefristen er {} uger fra modtagelsen, regnet i uger til samme ugedag: {}",
                    lengths.complaint_weeks,
                    day_name(end)
                ),
                lengths.complaint_basis.clone(),
            ));
            roll(params, end, &mut reasoning)?
        }
        Kind::Reassessment { from } => {
            let end = add_days(from, 7 * i64::from(lengths.reassessment_weeks))?;
            reasoning.push(reason(
                format!(
                    "Klagen er modtaget {}; genvurderingen skal ske inden {} uger: {}",
                    day_name(from),
                    lengths.reassessment_weeks,
                    day_name(end)
                ),
                lengths.reassessment_basis.clone(),
            ));
            roll(params, end, &mut reasoning)?
        }
        Kind::Board { from, prepare_days } => {
            params.closed_rule(from)?;
            let end = add_months(from, i32::from(lengths.board_months));
            reasoning.push(reason(
                format!(
                    "Sagen overgik til behandling efter reglerne om førtidspension {}; afgørelse senest {} måneder \
                     efter: {}",
                    day_name(from),
                    lengths.board_months,
                    day_name(end)
                ),
                lengths.board_basis.clone(),
            ));
            let end = roll(params, end, &mut reasoning)?;
            let prepare = prepare_days.unwrap_or(lengths.board_prepare_days);
            match next_meeting(params, board, from, prepare)? {
                Some(meeting) => {
                    let mut text = format!(
                        "Næste møde i {} med mindst {prepare} dages forberedelse: {}",
                        board.name,
                        day_name(meeting.date)
                    );
                    if let Some(original) = meeting.moved_from {
                        text.push_str(&format!(" (flyttet fra {original}, som ikke er en arbejdsdag)"));
                    }
                    if meeting.date > end {
                        text.push_str(
                            ". Mødet ligger efter fristen: sagen skal behandles på et ekstraordinært møde, eller \
                             borgeren skal have en begrundelse og besked om, hvornår afgørelsen forventes",
                        );
                    }
                    reasoning.push(reason(
                        text,
                        format!("Lokal praksis: {}; lov om social pension § 21, 2. pkt.", board.source),
                    ));
                }
                None => reasoning
                    .push(reason(format!("{} har ingen kendte møder efter {from}", board.name), board.source.clone())),
            }
            end
        }
        Kind::FileAccess { from } => {
            let mut day = from;
            let mut counted = 0;
            while counted < lengths.file_access_working_days {
                day = next_day(day)?;
                if closed_reason(params, day)?.is_none() {
                    counted += 1;
                }
            }
            reasoning.push(reason(
                format!(
                    "Anmodningen om aktindsigt er modtaget {}; svar inden {} arbejdsdage (modtagelsesdagen tæller \
                     ikke med, lukkedage tæller ikke): {}",
                    day_name(from),
                    lengths.file_access_working_days,
                    day_name(day)
                ),
                lengths.file_access_basis.clone(),
            ));
            day
        }
        Kind::Hearing { from, days } => {
            let days = days.unwrap_or(lengths.hearing_days);
            let end = add_days(from, i64::from(days))?;
            reasoning.push(reason(
                format!(
                    "Partshøringsbrevet er tilgængeligt {}; svarfrist {days} dage: {}",
                    day_name(from),
                    day_name(end)
                ),
                lengths.hearing_basis.clone(),
            ));
            roll(params, end, &mut reasoning)?
        }
    };
    Ok(Deadline { date, reasoning })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(kind: Kind) -> Date {
        let params = CalendarParams::builtin();
        deadline(params, &params.board, kind).expect("deadline").date
    }

    #[test]
    fn digital_complaint_deadline_is_four_weeks_to_the_weekday() {
        // Sent Monday 7 December 2026 → Monday 4 January 2027.
        assert_eq!(at(Kind::Complaint { sent: date(2026, 12, 7), channel: Channel::Digital }), date(2027, 1, 4));
        // Received on a Saturday still counts from that Saturday: 5 Dec 2026 → Sat 2 Jan 2027 → Mon 4 Jan.
        assert_eq!(at(Kind::Complaint { sent: date(2026, 12, 5), channel: Channel::Digital }), date(2027, 1, 4));
    }

    #[test]
    fn a_deadline_ending_on_christmas_eve_moves_past_christmas() {
        // Sent Thursday 26 November 2026 → Thursday 24 December (closed), 25 (juledag), 26 (2. juledag, Saturday),
        // 27 (Sunday) → Monday 28 December 2026.
        let params = CalendarParams::builtin();
        let d =
            deadline(params, &params.board, Kind::Complaint { sent: date(2026, 11, 26), channel: Channel::Digital })
                .expect("deadline");
        assert_eq!(d.date, date(2026, 12, 28));
        assert!(d.reasoning.last().is_some_and(|r| r.text.contains("juleaftensdag")));
    }

    #[test]
    fn physical_letter_counts_six_delivery_days() {
        // Sent Friday 18 December 2026: delivery days 21, 22, 23, 28, 29, 30 December → received Wednesday
        // 30 December; + 4 weeks = Wednesday 27 January 2027.
        assert_eq!(at(Kind::Complaint { sent: date(2026, 12, 18), channel: Channel::Physical }), date(2027, 1, 27));
    }

    #[test]
    fn physical_letter_around_easter_2027() {
        // Easter 2027: Skærtorsdag 25/3, Langfredag 26/3, 2. påskedag 29/3. Sent Tuesday 23 March 2027:
        // 24, 30, 31 March, 1, 2, 5 April → received Monday 5 April; + 4 weeks = Monday 3 May 2027.
        assert_eq!(at(Kind::Complaint { sent: date(2027, 3, 23), channel: Channel::Physical }), date(2027, 5, 3));
    }

    #[test]
    fn digital_complaint_ending_on_easter_monday() {
        // Sent Monday 1 March 2027 → Monday 29 March 2027 = 2. påskedag → Tuesday 30 March.
        assert_eq!(at(Kind::Complaint { sent: date(2027, 3, 1), channel: Channel::Digital }), date(2027, 3, 30));
    }

    #[test]
    fn board_deadline_is_three_calendar_months() {
        // 30 November 2026 + 3 months = 28 February 2027 (Sunday) → Monday 1 March 2027.
        assert_eq!(at(Kind::Board { from: date(2026, 11, 30), prepare_days: None }), date(2027, 3, 1));
    }

    #[test]
    fn file_access_counts_working_days() {
        // Received Wednesday 23 December 2026; working days 28, 29, 30 Dec, 4 (1 Jan is a holiday, 31 Dec
        // closed, 2-3 Jan weekend), 5, 6, 7 Jan → Thursday 7 January 2027.
        assert_eq!(at(Kind::FileAccess { from: date(2026, 12, 23) }), date(2027, 1, 7));
    }

    #[test]
    fn hearing_period_is_a_parameter() {
        assert_eq!(at(Kind::Hearing { from: date(2026, 12, 1), days: Some(10) }), date(2026, 12, 11));
        // Default 14 days: 1 Dec 2026 → 15 Dec.
        assert_eq!(at(Kind::Hearing { from: date(2026, 12, 1), days: None }), date(2026, 12, 15));
    }

    #[test]
    fn reassessment_is_four_weeks() {
        assert_eq!(at(Kind::Reassessment { from: date(2026, 12, 1) }), date(2026, 12, 29));
    }
}
