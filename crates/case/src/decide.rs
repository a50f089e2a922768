//! Deciding whether an action is allowed in the case's state, under the law's guards and the calendar; an
//! accepted action comes back with what the server computed from it (the event's [`Outcome`]). Dates the law
//! turns on — the decision, its notification, the age bar — come from [`Context::today`] (the server's
//! clock) or from the event they follow, never from the caller.

use crate::action::{Action, ActionKind, Flag, ReassessOutcome, Recommendation, Source};
use crate::actor::Actor;
use crate::case::{Case, Hearing, InPerson, Interview, State};
use crate::event::Outcome;
use crate::facts::Routing;
use crate::guards::{DecisionRecord, GuardInputs, revocation_bars};
use crate::law::Citation;
use crate::letter::{LetterKind, PaymentNoticeKind};
use gennemgang_rules::calendar::board::{meetings, next_meeting};
use gennemgang_rules::calendar::days::is_working_day;
use gennemgang_rules::calendar::deadline::{Kind, deadline, received_on};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::date::danish;
use gennemgang_rules::review::{ReviewParams, RevocationEffect};
use jiff::civil::Date;

/// The users an action may name: the active caseworkers of each home municipality.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Staff {
    caseworkers: Vec<(String, u16)>,
}

impl Staff {
    /// The given (user name, municipality) pairs of active home-municipality caseworkers.
    #[must_use]
    pub fn new(caseworkers: impl IntoIterator<Item = (String, u16)>) -> Staff {
        Staff { caseworkers: caseworkers.into_iter().collect() }
    }

    /// Whether `user` is an active caseworker of `municipality`.
    #[must_use]
    pub fn is_caseworker(&self, user: &str, municipality: u16) -> bool {
        self.caseworkers.iter().any(|(u, m)| u == user && *m == municipality)
    }
}

/// What a decision needs from outside the case: today's date and the configuration.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Today (Europe/Copenhagen) by the server's clock: the decision date, the age bar, deadlines.
    pub today: Date,
    /// Region → deciding municipality.
    pub routing: &'a Routing,
    /// The deadline calendar.
    pub calendar: &'a CalendarParams,
    /// The review's own parameters (legal basis, effect of a revocation, hearing period).
    pub review: &'a ReviewParams,
    /// The users an assignment may name.
    pub staff: &'a Staff,
}

/// The Danish label of an action field, as the forms show it.
#[must_use]
pub fn field_label(field: &str) -> &'static str {
    match field {
        "caseworker" => "Sagsbehandler",
        "source" => "Kilde",
        "summary" => "Hvad viser oplysningen",
        "obtained_on" => "Indhentet",
        "obtained_from" => "Indhentet fra",
        "reason" | "reasons" => "Begrundelse",
        "interview_on" => "Samtalens dato",
        "journal_note" => "Journalnotat",
        "ground" => "Anledning til genåbning",
        "evidence" => "Oplysninger, anledningen bygger på",
        "sent_on" => "Afsendt",
        "scope" => "Omfang",
        "title" => "Titel",
        "dated" => "Dokumentets dato",
        "file" => "Fil",
        "withheld" => "Undtagne dokumenter",
        "awaited" => "Hvad der ventes på",
        "from" => "Første dag",
        "to" => "Sidste dag",
        "place" => "Arbejdsplads",
        "outcome" => "Resultat",
        "adverse_information" => "Oplysninger, borgeren høres om",
        "answer_days" => "Svarfrist i dage",
        "answer" => "Borgerens svar",
        "document" => "Dokument med borgerens svar",
        "on" => "Dato",
        "notes" => "Bemærkninger",
        "note" => "Bemærkning",
        "meeting_on" => "Mødedato",
        "exception" => "Undtagelse",
        "keep_payment_months" => "Måneder med fortsat udbetaling",
        "channel" => "Forsendelse",
        "message_id" => "Meddelelsens id",
        "document_sha256" => "Dokumentets kontrolsum",
        "received_on" => "Modtaget",
        "decided_on" => "Afgørelsesdato",
        "recommendation" => "Teamets indstilling",
        "met_on" => "Teamets mødedato",
        "expected_by" => "Forventet afgørelse senest",
        _ => "Feltet",
    }
}

/// Why an action is refused, in Danish for the caseworker.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseError {
    /// The action does not fit the case's state.
    #[error("»{}« kan ikke udføres, når sagen er »{}«: {why}", .action.danish(), .state.danish().to_lowercase())]
    NotNow {
        /// The action.
        action: ActionKind,
        /// The case's state.
        state: State,
        /// What is missing.
        why: String,
    },
    /// A field is missing or wrong.
    #[error("{}: {message}", field_label(.field))]
    Invalid {
        /// Field name (as in the action's JSON).
        field: &'static str,
        /// What is wrong, with the rule.
        message: String,
    },
    /// The law bars the decision on the day it is judged on; each bar names its §.
    #[error("Frakendelse er ikke mulig {when}: {}", .bars.join("; "))]
    Barred {
        /// The day judged, in words ("i dag (…)", "den dag brevet når frem (…)").
        when: String,
        /// The bars, each with its §.
        bars: Vec<String>,
    },
    /// Four eyes: the approver must not be the proposer.
    #[error("Den, der har indstillet til frakendelse, kan ikke selv godkende eller afvise indstillingen (fire øjne)")]
    SameApprover,
    /// A deadline could not be computed.
    #[error("Fristen kan ikke beregnes: {0}")]
    Calendar(String),
}

fn not_now(case: &Case, kind: ActionKind, why: impl Into<String>) -> CaseError {
    CaseError::NotNow { action: kind, state: case.state, why: why.into() }
}

fn invalid(field: &'static str, message: impl Into<String>) -> CaseError {
    CaseError::Invalid { field, message: message.into() }
}

fn calendar_error(e: impl std::fmt::Display) -> CaseError {
    CaseError::Calendar(e.to_string())
}

fn require_text(field: &'static str, text: &str) -> Result<(), CaseError> {
    match crate::text::refused(text) {
        Some(why) => Err(invalid(field, why.danish())),
        None => Ok(()),
    }
}

/// A date a caseworker reports (a letter sent, an answer received) may not lie in the future.
fn not_future(field: &'static str, day: Date, ctx: &Context<'_>) -> Result<(), CaseError> {
    if day > ctx.today { Err(invalid(field, format!("{} ligger efter i dag", danish(day)))) } else { Ok(()) }
}

/// Nor before what it answers.
fn not_before(field: &'static str, day: Date, earliest: Date, what: &str) -> Result<(), CaseError> {
    if day < earliest {
        Err(invalid(field, format!("{} ligger før {what} ({})", danish(day), danish(earliest))))
    } else {
        Ok(())
    }
}

/// Information about the citizen is not dated before the citizen was born.
fn not_before_birth(field: &'static str, day: Date, case: &Case) -> Result<(), CaseError> {
    not_before(field, day, case.facts.birth_date, "borgerens fødselsdato")
}

/// A letter of the review is not dated before the screening that selected the case.
fn not_before_review(field: &'static str, day: Date, case: &Case) -> Result<(), CaseError> {
    not_before(field, day, case.facts.screened_as_of, "udsøgningen til gennemgangen")
}

/// The longest hearing answer period accepted: longer is a typing error, not a practice.
const MAX_ANSWER_DAYS: u16 = 180;

fn guard_inputs(case: &Case, decided_on: Date) -> GuardInputs {
    GuardInputs {
        scheme: case.facts.scheme,
        birth_date: case.facts.birth_date,
        awarded_on: case.facts.awarded_on,
        decided_on,
        protected_veteran: case.facts.protected_veteran,
        hearing: case.hearing_basis(),
        reopening_ground: case.reopening_ground.is_some(),
    }
}

/// The bars on `inputs.decided_on`; `when` says in words which day that is.
fn check_bars(inputs: &GuardInputs, when: &str) -> Result<(), CaseError> {
    let bars = revocation_bars(inputs);
    if bars.is_empty() {
        Ok(())
    } else {
        Err(CaseError::Barred {
            when: format!("{when} ({})", danish(inputs.decided_on)),
            bars: bars.iter().map(|b| b.danish()).collect(),
        })
    }
}

/// Checks a revocation's bars on the server's today.
fn check_bars_today(case: &Case, ctx: &Context<'_>) -> Result<GuardInputs, CaseError> {
    let inputs = guard_inputs(case, ctx.today);
    check_bars(&inputs, "i dag")?;
    Ok(inputs)
}

/// The first text field of the action holding what a text may not (a control character other than line
/// breaks and tabs, a direction override; see [`crate::text`]), and why: the event that holds it is never
/// rewritten.
fn unfit_text(action: &Action) -> Option<(&'static str, crate::text::Refusal)> {
    const FIELDS: [&str; 16] = [
        "caseworker",
        "summary",
        "reason",
        "reasons",
        "journal_note",
        "ground",
        "scope",
        "obtained_from",
        "adverse_information",
        "answer",
        "notes",
        "note",
        "place",
        "outcome",
        "message_id",
        "document_sha256",
    ];
    let serde_json::Value::Object(map) = serde_json::to_value(action).ok()? else { return None };
    map.iter().find_map(|(key, value)| {
        let why = crate::text::unfit(value.as_str()?)?;
        Some((FIELDS.into_iter().find(|f| f == key).unwrap_or("text"), why))
    })
}

/// No decision while the citizen's request to meet the board is neither held nor withdrawn.
fn in_person_settled(case: &Case, kind: ActionKind) -> Result<(), CaseError> {
    match &case.in_person {
        InPerson::Requested => Err(not_now(
            case,
            kind,
            "borgeren har bedt om foretræde for nævnet; sæt sagen på et møde, og registrér foretrædet, før der træffes afgørelse",
        )),
        InPerson::Scheduled { meeting_on } => Err(not_now(
            case,
            kind,
            format!(
                "borgerens foretræde for nævnet er {}; der træffes ikke afgørelse, før det er holdt",
                danish(*meeting_on)
            ),
        )),
        InPerson::None | InPerson::Held { .. } | InPerson::Withdrawn { .. } => Ok(()),
    }
}

/// New information in phase 2: health information, a work trial or any other.
fn has_new_information(case: &Case) -> bool {
    case.evidence.iter().any(|e| {
        matches!(
            e.source,
            Source::HealthInformation | Source::WorkTrial | Source::NewInformation | Source::RehabilitationTeam
        )
    })
}

/// A case put before the board is decided at its meeting, not before: the sitting, with the board's name
/// and members as configured (seed 004: the board of two team leaders decides), or none when the case was
/// not put on a meeting.
fn at_meeting(case: &Case, kind: ActionKind, ctx: &Context<'_>) -> Result<Option<crate::case::Sitting>, CaseError> {
    let Some(meeting_on) = case.meeting_on else { return Ok(None) };
    if ctx.today < meeting_on {
        return Err(not_now(case, kind, format!("sagen afgøres på mødet {}", danish(meeting_on))));
    }
    let setup = ctx.routing.board(case.deciding_municipality);
    Ok(Some(crate::case::Sitting {
        board: setup.map(|b| b.meetings.name.clone()),
        meeting_on,
        members: setup.map(|b| b.members.clone()).unwrap_or_default(),
    }))
}

/// The latest delay of the case's current phase, if the citizen has not yet had its letter (RSL § 3,
/// stk. 2: told in writing when a decision can be expected).
#[must_use]
pub fn untold_delay(case: &Case) -> Option<&crate::case::Delay> {
    let told = case.letters.iter().filter(|l| l.kind == LetterKind::Delay).count();
    case.delays.last().filter(|d| d.phase == case.phase() && told < case.delays.len())
}

/// A re-presentation the citizen has not yet been told of in a letter (seed 004: "Du vil blive orienteret
/// af Pensionsnævnet, hvis din sag skal genforelægges. Du vil også få oplyst, hvorfor").
fn re_presentation_untold(case: &Case) -> bool {
    let told = case.letters.iter().filter(|l| l.kind == LetterKind::RePresentation).count();
    told < case.re_presentations.len()
}

/// Whether the case must have the rehabilitation team's recommendation before it goes on: the home
/// municipality presents its cases to the team (its configuration), or the review requires it of all (a
/// sourced parameter).
fn team_required(case: &Case, routing: &Routing, review: &ReviewParams) -> bool {
    review.rehabilitation_team.required || routing.presents_to_team(case.home_municipality)
}

/// What still keeps a reopened case from going on to the deciding municipality, if anything: the
/// citizen told of the reopening, the hearing over, the ground recorded, a re-presentation told and
/// answered by the team, the team's recommendation where the municipality presents to it, and new
/// information (or the reason there is none).
fn reopened_not_ready(case: &Case, team_required: bool) -> Option<&'static str> {
    if case.notified_on.is_none() {
        Some("borgeren er ikke orienteret om genåbningen")
    } else if matches!(case.hearing, Hearing::Pending { .. }) {
        Some("partshøringen er ikke afsluttet")
    } else if case.reopening_ground.is_none() {
        Some("sagen har ingen anledning til genåbning")
    } else if re_presentation_untold(case) {
        Some("borgeren har ikke fået brev om genforelæggelsen og om, hvorfor nævnet ikke kunne følge indstillingen")
    } else if !case.re_presentations.is_empty() && case.current_recommendation().is_none() {
        Some("sagen er genforelagt for rehabiliteringsteamet; registrér teamets nye indstilling")
    } else if team_required && case.current_recommendation().is_none() {
        Some("kommunen forelægger genåbnede sager for rehabiliteringsteamet; registrér teamets indstilling")
    } else if !has_new_information(case) && case.no_new_information.is_none() {
        Some("registrér de nye oplysninger, eller begrund, hvorfor der ikke skal indhentes nye")
    } else {
        None
    }
}

/// A decision against the team's first recommendation is not made: the board returns the case to the team
/// first (seed 004: "Hvis Pensionsnævnet ikke kan følge Rehabiliteringsteamets indstilling, skal din sag
/// genforelægges for teamet").
fn follows_recommendation(case: &Case, kind: ActionKind, revoke: bool) -> Result<(), CaseError> {
    match case.binding_recommendation() {
        Some(r) if (r == Recommendation::Revoke) != revoke => Err(not_now(
            case,
            kind,
            format!(
                "rehabiliteringsteamet har indstillet, {}; kan pensionsnævnet ikke følge indstillingen, genforelægges sagen for teamet, før der træffes afgørelse",
                r.danish()
            ),
        )),
        _ => Ok(()),
    }
}

fn checklist_done(case: &Case, kind: ActionKind) -> Result<(), CaseError> {
    if !matches!(case.interview, Interview::Held | Interview::ExistingBasis) {
        return Err(not_now(
            case,
            kind,
            "vurderingen kræver en afholdt samtale eller en beslutning om at afgøre på det foreliggende grundlag",
        ));
    }
    let open = case.checklist_open();
    if open.is_empty() {
        Ok(())
    } else {
        let names: Vec<&str> = open.iter().map(|s| s.danish()).collect();
        Err(not_now(
            case,
            kind,
            format!(
                "hver kilde skal være undersøgt eller markeret som ikke relevant med en begrundelse; mangler: {}",
                names.join(", ")
            ),
        ))
    }
}

/// What a decision letter fixes: the day it reaches the citizen, the complaint deadline and, for a
/// revocation, the day it takes effect and the last day of payment. The case records it and the letter
/// states it, from this one function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterEffect {
    /// The day the letter reaches the citizen ("kommet frem").
    pub notified_on: Date,
    /// The complaint deadline, with its reasoning (RSL § 67).
    pub complaint: gennemgang_rules::calendar::deadline::Deadline,
    /// A revocation's effect (never before `notified_on`; PL § 44, stk. 1).
    pub effective_from: Option<Date>,
    /// The last day the pension is paid after a revocation (PL § 44, stk. 1, 2. pkt.).
    pub last_paid_day: Option<Date>,
}

/// The effect of sending the case's decision letter on `sent_on` by `channel` (RSL § 67; lov om Digital
/// Post § 10, nr. 1; JM vejledning nr. 9533 af 26/6 2018; PL § 44, stk. 1, and the review's dated reading of
/// when a revocation takes effect).
///
/// # Errors
/// A date outside the calendar.
pub fn letter_effect(
    case: &Case,
    sent_on: Date,
    channel: crate::action::Channel,
    calendar: &CalendarParams,
    review: &ReviewParams,
) -> Result<LetterEffect, CaseError> {
    let notified_on = received_on(calendar, sent_on, channel.into()).map_err(calendar_error)?;
    let complaint = complaint_deadline(calendar, sent_on, channel)?;
    let (effective_from, last_paid_day) = match case.decision.as_ref().filter(|d| d.revoked) {
        Some(decision) => {
            let computed = review.revocation_effect.effective_from(notified_on);
            // A proposal of the first release chose its own date of effect: never earlier than the computed one.
            let from = decision.effective_from.map_or(computed, |d| d.max(computed));
            (Some(from), Some(RevocationEffect::last_paid_day(from, decision.keep_payment_months)))
        }
        None => (None, None),
    };
    Ok(LetterEffect { notified_on, complaint, effective_from, last_paid_day })
}

/// Checks a decision letter against the case and the law again on the day it reaches the citizen.
fn decision_letter(
    case: &Case,
    sent_on: Date,
    channel: crate::action::Channel,
    kind: ActionKind,
    ctx: &Context<'_>,
) -> Result<Outcome, CaseError> {
    let Some(decision) = case.decision.as_ref() else {
        return Err(not_now(case, kind, "der er ingen afgørelse"));
    };
    if case.letter.is_some() || !matches!(case.state, State::Decided | State::Reassessed) {
        return Err(not_now(case, kind, "afgørelsesbrevet er allerede sendt"));
    }
    not_future("sent_on", sent_on, ctx)?;
    not_before("sent_on", sent_on, decision.decided_on, "afgørelsen")?;
    not_before_review("sent_on", sent_on, case)?;
    let effect = letter_effect(case, sent_on, channel, ctx.calendar, ctx.review)?;
    if decision.revoked {
        // The bars hold on the day the decision reaches the citizen, too; if one does, the approver
        // withdraws the decision, which has bound no one yet.
        check_bars(&guard_inputs(case, effect.notified_on), "den dag brevet når frem")?;
    }
    Ok(Outcome::DecisionLetter {
        notified_on: Some(effect.notified_on),
        complaint_deadline: effect.complaint.date,
        effective_from: effect.effective_from,
        last_paid_day: effect.last_paid_day,
    })
}

/// Checks `action` against the case's state, the law and the calendar, and returns what the server
/// computes for the event. Who may act is [`crate::policy`]'s question.
///
/// # Errors
/// The action does not fit the state, a field is wrong, the law bars it, or four eyes are violated.
#[expect(clippy::too_many_lines, reason = "one arm per action keeps the whole state machine in one view")]
pub fn decide(case: &Case, actor: &Actor, action: &Action, ctx: &Context<'_>) -> Result<Outcome, CaseError> {
    let kind = action.kind();
    let state = case.state;
    // Nor before the screening that selected the case: the review did not exist then.
    if ctx.today < case.facts.screened_as_of {
        return Err(not_now(
            case,
            kind,
            format!(
                "dagen ({}) ligger før udsøgningen til gennemgangen ({})",
                danish(ctx.today),
                danish(case.facts.screened_as_of)
            ),
        ));
    }
    if let Some((field, why)) = unfit_text(action) {
        return Err(invalid(field, why.danish()));
    }
    if let Some(last) = case.last_day
        && ctx.today < last
    {
        return Err(not_now(
            case,
            kind,
            format!("dagen ({}) ligger før sagens seneste handling ({})", danish(ctx.today), danish(last)),
        ));
    }
    let gone = case.flags.iter().any(|f| matches!(f, Flag::Died | Flag::LeftDenmark));
    let open = !matches!(state, State::Closed | State::ClosedValidated);
    match kind {
        ActionKind::Import => return Err(not_now(case, kind, "sagen findes allerede")),
        // Udbetaling Danmark is told whatever became of the case since (closed, died, emigrated).
        ActionKind::SendPaymentNotice => {}
        ActionKind::RegisterFlag | ActionKind::Close if open => {}
        // Letters after closing (the notice of a validated review) and late complaints have their own checks.
        ActionKind::SendLetter | ActionKind::ReceiveComplaint if !gone => {}
        _ if !open => return Err(not_now(case, kind, "sagen er lukket")),
        _ if gone => return Err(not_now(case, kind, "borgeren er død eller udrejst; sagen kan kun lukkes")),
        _ => {}
    }
    let reviewing = state == State::Reviewing;
    let reopened = state == State::Reopened;
    let under_decision = state == State::UnderDecision;
    let phase_2 = |why: &str| if reopened { Ok(()) } else { Err(not_now(case, kind, why)) };
    let deciding = |why: &str| if under_decision { Ok(()) } else { Err(not_now(case, kind, why)) };
    match action {
        Action::Import { .. } | Action::RegisterFlag { .. } => Ok(Outcome::None),
        Action::Assign { caseworker } => {
            require_text("caseworker", caseworker)?;
            if !matches!(state, State::Unassigned | State::Reviewing | State::AssessedNoGround | State::Reopened) {
                return Err(not_now(case, kind, "kun sager i fase 1 og 2 fordeles"));
            }
            if !ctx.staff.is_caseworker(caseworker, case.home_municipality) {
                return Err(invalid("caseworker", "er ikke en aktiv sagsbehandler i bopælskommunen"));
            }
            // An assignment to the one who holds the case would add an event that changes nothing; decided
            // on the case as it stands when the event is appended, so that the same assignment sent several
            // times at once lands once.
            if case.assigned_to.as_deref() == Some(caseworker.as_str()) {
                return Err(invalid("caseworker", format!("sagen er allerede fordelt til {caseworker}")));
            }
            Ok(Outcome::None)
        }
        Action::RecordEvidence { source, summary, obtained_on } => {
            if !reviewing {
                return Err(not_now(case, kind, "oplysninger fra fase 1's kilder registreres under gennemgangen"));
            }
            if !Source::CHECKLIST.contains(source) {
                return Err(invalid(
                    "source",
                    "brug de særskilte handlinger for samtale, helbredsoplysninger, arbejdsprøvning og andre nye oplysninger",
                ));
            }
            require_text("summary", summary)?;
            not_future("obtained_on", *obtained_on, ctx)?;
            not_before_birth("obtained_on", *obtained_on, case)?;
            Ok(Outcome::None)
        }
        Action::MarkNotRelevant { source, reason } => {
            if !reviewing {
                return Err(not_now(case, kind, "tjeklisten gennemgås i fase 1"));
            }
            if !Source::CHECKLIST.contains(source) {
                return Err(invalid("source", "kun kilderne på tjeklisten kan markeres som ikke relevante"));
            }
            if !case.checklist_open().contains(source) {
                return Err(invalid("source", format!("{} er allerede undersøgt eller markeret", source.danish())));
            }
            require_text("reason", reason)?;
            Ok(Outcome::None)
        }
        Action::Summon { interview_on } => {
            if !reviewing || !matches!(case.interview, Interview::NotSummoned | Interview::NoShow) {
                return Err(not_now(case, kind, "borgeren er allerede indkaldt eller samtalen er holdt"));
            }
            if *interview_on < ctx.today {
                return Err(invalid("interview_on", format!("{} ligger før i dag", danish(*interview_on))));
            }
            if !is_working_day(ctx.calendar, *interview_on).map_err(calendar_error)? {
                return Err(invalid(
                    "interview_on",
                    format!("{} er ikke en arbejdsdag (lørdag, søndag eller helligdag)", danish(*interview_on)),
                ));
            }
            Ok(Outcome::None)
        }
        Action::HoldInterview { journal_note } => {
            let Interview::Summoned { on } = case.interview else {
                return Err(not_now(case, kind, "borgeren er ikke indkaldt"));
            };
            if !reviewing {
                return Err(not_now(case, kind, "samtalen hører til fase 1"));
            }
            if ctx.today < on {
                return Err(not_now(case, kind, format!("samtalen er først {}", danish(on))));
            }
            // Notatpligt (OFL § 13): what was said must be written down.
            require_text("journal_note", journal_note)?;
            Ok(Outcome::None)
        }
        Action::RegisterNoShow {} => match case.interview {
            Interview::Summoned { on } if reviewing && ctx.today >= on => Ok(Outcome::None),
            Interview::Summoned { on } if reviewing => {
                Err(not_now(case, kind, format!("samtalen er først {}", danish(on))))
            }
            _ => Err(not_now(case, kind, "borgeren er ikke indkaldt")),
        },
        Action::DecideOnExistingBasis { reason } => {
            if !reviewing || case.interview != Interview::NoShow {
                return Err(not_now(case, kind, "kun efter udeblivelse"));
            }
            require_text("reason", reason)?;
            Ok(Outcome::None)
        }
        Action::AssessNoGround { reasons } => {
            if !reviewing {
                return Err(not_now(case, kind, "vurderingen foretages under gennemgangen"));
            }
            checklist_done(case, kind)?;
            require_text("reasons", reasons)?;
            Ok(Outcome::None)
        }
        Action::AssessReopen { ground, evidence } => {
            if !reviewing {
                return Err(not_now(case, kind, "vurderingen foretages under gennemgangen"));
            }
            checklist_done(case, kind)?;
            require_text("ground", ground)?;
            if evidence.is_empty() {
                return Err(invalid("evidence", "anledningen skal henvise til de oplysninger, den bygger på"));
            }
            if let Some(bad) = evidence.iter().find(|&&i| i >= case.evidence.len()) {
                return Err(invalid("evidence", format!("oplysning nr. {} findes ikke", bad + 1)));
            }
            Ok(Outcome::None)
        }
        Action::NotifyReopening { sent_on } => {
            phase_2("orienteringen sendes, når sagen er genåbnet")?;
            if case.notified_on.is_some() {
                return Err(not_now(case, kind, "borgeren er allerede orienteret"));
            }
            letter_date(case, LetterKind::Reopening, *sent_on, ctx.today)?;
            Ok(Outcome::None)
        }
        Action::RecordConsent { scope, .. } => {
            phase_2("samtykke indhentes i fase 2")?;
            require_text("scope", scope)?;
            Ok(Outcome::None)
        }
        Action::RecordHealthInformation { summary, obtained_from, obtained_on } => {
            phase_2("helbredsoplysninger indhentes i fase 2")?;
            if case.consent != Some(true) {
                return Err(not_now(
                    case,
                    kind,
                    format!("helbredsoplysninger kræver borgerens samtykke ({})", Citation::Rsl11a1),
                ));
            }
            require_text("summary", summary)?;
            require_text("obtained_from", obtained_from)?;
            not_future("obtained_on", *obtained_on, ctx)?;
            not_before_birth("obtained_on", *obtained_on, case)?;
            Ok(Outcome::None)
        }
        Action::RecordWorkTrial { from, to, place, outcome } => {
            phase_2("arbejdsprøvning hører til fase 2")?;
            not_before("to", *to, *from, "første dag")?;
            not_future("to", *to, ctx)?;
            not_before_birth("from", *from, case)?;
            require_text("place", place)?;
            require_text("outcome", outcome)?;
            Ok(Outcome::None)
        }
        Action::RequestInformation { awaited, from } => {
            phase_2("oplysninger indhentes i fase 2")?;
            if *awaited == crate::action::Awaited::HealthInformation && case.consent != Some(true) {
                return Err(not_now(
                    case,
                    kind,
                    format!("helbredsoplysninger kræver borgerens samtykke ({})", Citation::Rsl11a1),
                ));
            }
            require_text("from", from)?;
            Ok(Outcome::None)
        }
        Action::RecordInformation { summary, obtained_from, obtained_on } => {
            phase_2("nye oplysninger indhentes i fase 2")?;
            require_text("summary", summary)?;
            require_text("obtained_from", obtained_from)?;
            not_future("obtained_on", *obtained_on, ctx)?;
            not_before_birth("obtained_on", *obtained_on, case)?;
            Ok(Outcome::None)
        }
        Action::RecordRecommendation { reasons, met_on, .. } => {
            phase_2("rehabiliteringsteamet ser sagen i fase 2")?;
            // One recommendation per presentation: the team gives a new one only when the board returns the
            // case to it, or the board could escape the first by having another recorded (seed 004).
            if let Some(given) = case.current_recommendation() {
                return Err(not_now(
                    case,
                    kind,
                    format!(
                        "teamet har allerede afgivet sin indstilling ({}); en ny indstilling gives kun, når pensionsnævnet genforelægger sagen",
                        danish(given.met_on)
                    ),
                ));
            }
            require_text("reasons", reasons)?;
            not_future("met_on", *met_on, ctx)?;
            if let Some(reopened) = case.step_days.reopened_on {
                not_before("met_on", *met_on, reopened, "genåbningen")?;
            }
            if let Some(returned) = case.re_presentations.last().and_then(|r| r.on) {
                not_before("met_on", *met_on, returned, "genforelæggelsen")?;
            }
            Ok(Outcome::None)
        }
        Action::NoNewInformation { reason } => {
            phase_2("hører til fase 2")?;
            require_text("reason", reason)?;
            Ok(Outcome::None)
        }
        Action::StartHearing { adverse_information, sent_on, answer_days } => {
            phase_2("partshøringen foretages af bopælskommunen i fase 2")?;
            if matches!(case.hearing, Hearing::Pending { .. }) {
                return Err(not_now(case, kind, "en partshøring er allerede i gang"));
            }
            require_text("adverse_information", adverse_information)?;
            not_future("sent_on", *sent_on, ctx)?;
            not_before_review("sent_on", *sent_on, case)?;
            // A hearing covers what the case holds when it starts: it cannot have started before the
            // case's latest action (the reopening, the information), or its period would run from a day
            // the citizen could not have been asked about them.
            if let Some(last) = case.last_day {
                not_before("sent_on", *sent_on, last, "sagens seneste handling")?;
            }
            if let Some(latest) = case.evidence.iter().map(|e| e.obtained_on).max() {
                not_before("sent_on", *sent_on, latest, "den seneste oplysning, borgeren høres om")?;
            }
            let min = ctx.review.hearing.min_answer_days;
            let days = answer_days.unwrap_or(ctx.calendar.deadlines.hearing_days);
            if days > MAX_ANSWER_DAYS {
                return Err(invalid("answer_days", format!("højst {MAX_ANSWER_DAYS} dage")));
            }
            if days < min {
                return Err(invalid(
                    "answer_days",
                    format!(
                        "mindst {min} dage ({}; {})",
                        ctx.review.hearing.standing.danish(),
                        ctx.review.hearing.legal_basis
                    ),
                ));
            }
            let d = deadline(ctx.calendar, &ctx.calendar.board, Kind::Hearing { from: *sent_on, days: Some(days) })
                .map_err(calendar_error)?;
            Ok(Outcome::HearingStarted { answer_by: d.date })
        }
        // FVL § 19: the citizen's answer is part of the case, in the text recorded or in a document of it.
        Action::CompleteHearing { answer, on, document } => {
            phase_2("der er ingen partshøring i gang")?;
            let Hearing::Pending { sent_on, answer_by, .. } = case.hearing else {
                return Err(not_now(case, kind, "der er ingen partshøring i gang"));
            };
            not_future("on", *on, ctx)?;
            not_before("on", *on, sent_on, "høringsbrevet")?;
            if let Some(n) = document {
                let Some(held) = n.checked_sub(1).and_then(|i| case.documents.get(i)) else {
                    return Err(invalid("document", format!("sagen har intet dokument nr. {n}")));
                };
                if held.document.dated < sent_on {
                    return Err(invalid(
                        "document",
                        format!("dokument nr. {n} er dateret før høringsbrevet ({})", danish(sent_on)),
                    ));
                }
            }
            match answer {
                Some(text) => require_text("answer", text)?,
                // The answer is the document's.
                None if document.is_some() => {}
                // Without an answer the hearing is complete only once its period has run out, by the clock.
                None if ctx.today <= answer_by => {
                    return Err(invalid(
                        "answer",
                        format!(
                            "svarfristen udløber først {}; uden svar kan høringen afsluttes derefter",
                            danish(answer_by)
                        ),
                    ));
                }
                // And the day it is recorded as completed is after the period, not inside it.
                None if *on <= answer_by => {
                    return Err(invalid(
                        "on",
                        format!(
                            "{} ligger inden svarfristen ({}); uden svar afsluttes høringen efter den",
                            danish(*on),
                            danish(answer_by)
                        ),
                    ));
                }
                None => {}
            }
            Ok(Outcome::None)
        }
        // Offentlighedslovens § 13: what the case's facts rest on is noted, dated as it happened.
        Action::RecordContact { contacted_on, note, .. } => {
            if !notes_taken(case) {
                return Err(not_now(case, kind, "ingen har sagen: den er ikke fordelt eller er afsluttet"));
            }
            require_text("note", note)?;
            not_future("contacted_on", *contacted_on, ctx)?;
            not_before_birth("contacted_on", *contacted_on, case)?;
            Ok(Outcome::None)
        }
        Action::AddDocument { document, as_evidence } => {
            if !notes_taken(case) {
                return Err(not_now(case, kind, "ingen har sagen: den er ikke fordelt eller er afsluttet"));
            }
            check_document(document, ctx, case)?;
            if *as_evidence {
                evidence_now(case, document.source, kind)?;
            }
            Ok(Outcome::None)
        }
        Action::RegisterAccessRequest { scope } => {
            if !notes_taken(case) {
                return Err(not_now(case, kind, "ingen har sagen: den er ikke fordelt eller er afsluttet"));
            }
            require_text("scope", scope)?;
            let days = ctx.review.access.answer_working_days;
            let answer_by = gennemgang_rules::calendar::days::working_days_after(ctx.calendar, ctx.today, days)
                .map_err(calendar_error)?;
            Ok(Outcome::AccessRequested { received_on: ctx.today, answer_by })
        }
        Action::AnswerAccessRequest { withheld } => {
            if !case.access_requests.iter().any(|r| r.answered_on.is_none()) {
                return Err(not_now(case, kind, "der er ingen ubesvaret anmodning om aktindsigt"));
            }
            for w in withheld {
                if w.document == 0 || w.document > case.documents.len() {
                    return Err(invalid("withheld", format!("dokument nr. {} findes ikke", w.document)));
                }
            }
            let mut numbers: Vec<usize> = withheld.iter().map(|w| w.document).collect();
            numbers.sort_unstable();
            if numbers.windows(2).any(|w| w[0] == w[1]) {
                return Err(invalid("withheld", "et dokument er nævnt to gange"));
            }
            Ok(Outcome::None)
        }
        Action::RecordDelay { expected_by, reason } => {
            let Some(due) = crate::processing::processing_deadline(case, ctx.routing) else {
                return Err(not_now(case, kind, "der løber ingen sagsbehandlingsfrist i sagens fase"));
            };
            require_text("reason", reason)?;
            if *expected_by <= due.due.max(ctx.today) {
                return Err(invalid(
                    "expected_by",
                    format!("skal ligge efter fristen ({}) og efter i dag; ellers holdes fristen", danish(due.due)),
                ));
            }
            if expected_by.year() > ctx.today.year() + 2 {
                return Err(invalid("expected_by", "højst to år frem"));
            }
            Ok(Outcome::None)
        }
        Action::SendToDeciding {} => {
            match state {
                // "No ground" is an assessment, not a decision: the case goes on like every other.
                State::AssessedNoGround => {}
                State::Reopened => {
                    if let Some(why) = reopened_not_ready(case, team_required(case, ctx.routing, ctx.review)) {
                        return Err(not_now(case, kind, why));
                    }
                }
                _ => return Err(not_now(case, kind, "sagen er ikke færdigbehandlet i bopælskommunen")),
            }
            let to = ctx.routing.deciding_for(case.home_municipality).ok_or_else(|| {
                not_now(case, kind, format!("ingen afgørelseskommune for kommune {}", case.home_municipality))
            })?;
            Ok(Outcome::Routed { deciding_municipality: to })
        }
        Action::Receive {} => {
            if state == State::SentToDeciding {
                Ok(Outcome::None)
            } else {
                Err(not_now(case, kind, "sagen er ikke sendt til afgørelse"))
            }
        }
        Action::Validate { notes } => {
            deciding("sagen er ikke under afgørelse")?;
            if case.validated {
                return Err(not_now(case, kind, "vurderingen er allerede valideret"));
            }
            require_text("notes", notes)?;
            Ok(Outcome::None)
        }
        Action::SendBack { reasons, note } => {
            deciding("sagen er ikke under afgørelse")?;
            if reasons.is_empty() {
                return Err(invalid("reasons", "angiv mindst én grund"));
            }
            require_text("note", note)?;
            Ok(Outcome::None)
        }
        Action::RePresent { reasons } => {
            deciding("sagen er ikke under afgørelse")?;
            if case.current_recommendation().is_none() {
                return Err(not_now(case, kind, "der er ingen indstilling fra rehabiliteringsteamet"));
            }
            if case.binding_recommendation().is_none() {
                return Err(not_now(
                    case,
                    kind,
                    "teamet har revurderet sagen efter en genforelæggelse; pensionsnævnet træffer nu afgørelse",
                ));
            }
            require_text("reasons", reasons)?;
            Ok(Outcome::None)
        }
        Action::Schedule { meeting_on } => {
            deciding("sagen er ikke under afgørelse")?;
            if case.reopening_ground.is_none() {
                return Err(not_now(case, kind, "en sag uden genåbning afsluttes ved validering"));
            }
            // The deciding municipality's own board; without one configured, the built-in example calendar.
            let setup = ctx.routing.board(case.deciding_municipality);
            let board = setup.map_or(&ctx.calendar.board, |b| &b.meetings);
            let prepare = setup.map_or(ctx.calendar.deadlines.board_prepare_days, |b| b.prepare_days);
            let day = match meeting_on {
                Some(day) => {
                    if *day < ctx.today {
                        return Err(invalid("meeting_on", format!("{} ligger før i dag", danish(*day))));
                    }
                    let ready = ctx.today.checked_add(jiff::Span::new().days(i64::from(prepare))).unwrap_or(ctx.today);
                    if *day < ready {
                        return Err(invalid(
                            "meeting_on",
                            format!(
                                "{} giver ikke de {prepare} dages forberedelse, {} kræver (tidligst {})",
                                danish(*day),
                                board.name,
                                danish(ready)
                            ),
                        ));
                    }
                    let held = meetings(ctx.calendar, board, day.year()).map_err(calendar_error)?;
                    if !held.iter().any(|m| m.date == *day) {
                        let next: Vec<String> =
                            held.iter().filter(|m| m.date >= ctx.today).take(3).map(|m| danish(m.date)).collect();
                        return Err(invalid(
                            "meeting_on",
                            format!(
                                "{} er ikke en mødedato for {} (de næste: {})",
                                danish(*day),
                                board.name,
                                if next.is_empty() { "ingen kendte".to_owned() } else { next.join(", ") }
                            ),
                        ));
                    }
                    *day
                }
                // The pension board meets monthly, not in July; the calendar holds its dates.
                None => {
                    next_meeting(ctx.calendar, board, ctx.today, prepare)
                        .map_err(calendar_error)?
                        .ok_or_else(|| not_now(case, kind, format!("{} har ingen kendte møder", board.name)))?
                        .date
                }
            };
            Ok(Outcome::Scheduled { meeting_on: day })
        }
        Action::RequestHearingInPerson {} => {
            if !matches!(state, State::UnderDecision | State::AwaitingApproval) {
                return Err(not_now(case, kind, "sagen er ikke under afgørelse"));
            }
            if case.reopening_ground.is_none() {
                return Err(not_now(case, kind, "der træffes ingen afgørelse i en sag uden genåbning"));
            }
            if case.in_person.pending() {
                return Err(not_now(case, kind, "ønsket om foretræde er allerede registreret"));
            }
            Ok(Outcome::None)
        }
        Action::RecordHearingInPerson { note } => {
            let InPerson::Scheduled { meeting_on } = case.in_person else {
                return Err(not_now(case, kind, "der er ikke planlagt et foretræde på et møde"));
            };
            if ctx.today < meeting_on {
                return Err(not_now(case, kind, format!("foretrædet er først {}", danish(meeting_on))));
            }
            require_text("note", note)?;
            Ok(Outcome::None)
        }
        Action::WithdrawHearingInPerson { note } => {
            if !case.in_person.pending() {
                return Err(not_now(case, kind, "borgeren har ikke et ønske om foretræde, der venter"));
            }
            require_text("note", note)?;
            Ok(Outcome::None)
        }
        Action::RecordHearingException { reason, .. } => {
            deciding("sagen er ikke under afgørelse")?;
            if case.reopening_ground.is_none() {
                return Err(not_now(case, kind, "der træffes ingen afgørelse i en sag uden genåbning"));
            }
            require_text("reason", reason)?;
            Ok(Outcome::None)
        }
        Action::ProposeRevocation { reasons, keep_payment_months } => {
            deciding("sagen er ikke under afgørelse")?;
            if !case.validated {
                return Err(not_now(case, kind, "sagen er ikke valideret"));
            }
            require_text("reasons", reasons)?;
            in_person_settled(case, kind)?;
            follows_recommendation(case, kind, true)?;
            if *keep_payment_months > 3 {
                return Err(invalid("keep_payment_months", format!("højst 3 måneder ({})", Citation::Pl44Stk1)));
            }
            check_bars_today(case, ctx)?;
            Ok(Outcome::Proposed { proposed_on: ctx.today, effective_from: None })
        }
        Action::ApproveRevocation {} | Action::RejectRevocation { .. } => {
            let Some(proposal) = case.proposal.as_ref().filter(|_| state == State::AwaitingApproval) else {
                return Err(not_now(case, kind, "der er ingen indstilling til frakendelse"));
            };
            if proposal.proposer == actor.user {
                return Err(CaseError::SameApprover);
            }
            if let Action::RejectRevocation { reason } = action {
                require_text("reason", reason)?;
                return Ok(Outcome::None);
            }
            in_person_settled(case, kind)?;
            let sitting = at_meeting(case, kind, ctx)?;
            // The decision is made today, by the server's clock, and every bar is judged on that day.
            let inputs = check_bars_today(case, ctx)?;
            Ok(Outcome::Decided {
                decided_on: ctx.today,
                record: Some(DecisionRecord::new(inputs, ctx.review)),
                sitting,
            })
        }
        Action::WithdrawDecision { reason } => {
            if state != State::Decided || case.decision.is_none() {
                return Err(not_now(case, kind, "der er ingen afgørelse"));
            }
            // Only a first decision that never reached the citizen: one made on a complaint answers what
            // the citizen asked for and stands until Ankestyrelsen decides.
            if case.letter.is_some() || case.complaint.is_some() {
                return Err(not_now(
                    case,
                    kind,
                    "afgørelsen er sendt til borgeren eller truffet på en klage; den kan kun ændres ved genvurdering eller af Ankestyrelsen",
                ));
            }
            require_text("reason", reason)?;
            Ok(Outcome::None)
        }
        Action::Uphold { reasons } => {
            deciding("sagen er ikke under afgørelse")?;
            if case.reopening_ground.is_none() {
                return Err(not_now(
                    case,
                    kind,
                    "en sag uden genåbning afsluttes ved validering; der træffes ingen afgørelse",
                ));
            }
            if !case.validated {
                return Err(not_now(case, kind, "sagen er ikke valideret"));
            }
            require_text("reasons", reasons)?;
            in_person_settled(case, kind)?;
            follows_recommendation(case, kind, false)?;
            let sitting = at_meeting(case, kind, ctx)?;
            let record = DecisionRecord::new(guard_inputs(case, ctx.today), ctx.review);
            Ok(Outcome::Decided { decided_on: ctx.today, record: Some(record), sitting })
        }
        Action::SendDecisionLetter { sent_on, channel } => decision_letter(case, *sent_on, *channel, kind, ctx),
        Action::SendLetter { kind: letter, channel, sent_on, message_id, document_sha256 } => {
            require_text("message_id", message_id)?;
            if document_sha256.len() != 64 || !document_sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid("document_sha256", "skal være en SHA-256-kontrolsum (64 hexadecimale tegn)"));
            }
            if case.letters.iter().any(|l| &l.message_id == message_id) {
                return Err(not_now(case, kind, "brevet er allerede sendt"));
            }
            if let Some(why) = letter_does_not_fit(case, *letter) {
                return Err(not_now(case, kind, why));
            }
            letter_date(case, *letter, *sent_on, ctx.today)?;
            if letter.is_decision() { decision_letter(case, *sent_on, *channel, kind, ctx) } else { Ok(Outcome::None) }
        }
        Action::SendPaymentNotice { kind: notice, message_id, document_sha256 } => {
            require_text("message_id", message_id)?;
            if document_sha256.len() != 64 || !document_sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid("document_sha256", "skal være en SHA-256-kontrolsum (64 hexadecimale tegn)"));
            }
            if payment_notice_due(case) != Some(*notice) {
                return Err(not_now(case, kind, "der skal ikke sendes denne meddelelse til Udbetaling Danmark nu"));
            }
            Ok(Outcome::None)
        }
        Action::ReceiveComplaint { received_on } => {
            let Some(letter) = case.letter.filter(|_| case.decision.is_some()) else {
                return Err(not_now(case, kind, "afgørelsesbrevet er ikke sendt"));
            };
            let after_decision = matches!(state, State::Decided | State::Closed);
            if state == State::Closed && case.complaint.as_ref().is_some_and(|c| c.appeals_outcome.is_some()) {
                return Err(not_now(case, kind, "Ankestyrelsen har afgjort klagen over afgørelsen"));
            }
            if !after_decision || (state == State::Closed && case.complaint.is_some()) {
                return Err(not_now(case, kind, "der er allerede en klage under behandling"));
            }
            not_future("received_on", *received_on, ctx)?;
            not_before("received_on", *received_on, letter.sent_on, "afgørelsesbrevet")?;
            // A late complaint is still recorded; Ankestyrelsen decides whether to accept it.
            let within = letter.complaint_deadline.is_none_or(|d| *received_on <= d);
            let reassess = deadline(ctx.calendar, &ctx.calendar.board, Kind::Reassessment { from: *received_on })
                .map_err(calendar_error)?;
            Ok(Outcome::ComplaintReceived { within_deadline: within, reassess_by: reassess.date })
        }
        Action::Reassess { outcome, reasons, keep_payment_months } => {
            if state != State::ComplaintReceived {
                return Err(not_now(case, kind, "der er ingen klage at genvurdere"));
            }
            require_text("reasons", reasons)?;
            let revoked = case.decision.as_ref().is_some_and(|d| d.revoked);
            if *outcome == ReassessOutcome::Changed && !revoked {
                return Err(invalid("outcome", "kun en frakendelse kan ændres til fordel for borgeren"));
            }
            if keep_payment_months.is_some() && !(*outcome == ReassessOutcome::PartlyChanged && revoked) {
                return Err(invalid("keep_payment_months", "ændres kun, når en frakendelse ændres delvist"));
            }
            if keep_payment_months.is_some_and(|m| m > 3) {
                return Err(invalid("keep_payment_months", format!("højst 3 måneder ({})", Citation::Pl44Stk1)));
            }
            // A revocation that is partly changed is a new revocation: proposed now (the bars must hold
            // today) and decided only when another person approves it, as at the first decision.
            if *outcome == ReassessOutcome::PartlyChanged && revoked {
                check_bars_today(case, ctx)?;
            }
            Ok(Outcome::Reassessed { on: ctx.today })
        }
        Action::ForwardToAppealsBoard {} => {
            let late = case.complaint.as_ref().is_some_and(|c| c.within_deadline == Some(false));
            match state {
                // A changed decision reaches the citizen before the rest of the complaint goes on.
                State::Reassessed if case.letter.is_none() => {
                    Err(not_now(case, kind, "den ændrede afgørelse er ikke sendt til borgeren"))
                }
                State::Reassessed => Ok(Outcome::Forwarded { on: ctx.today }),
                State::ComplaintReceived if late => Ok(Outcome::Forwarded { on: ctx.today }),
                _ => Err(not_now(case, kind, "klagen er ikke genvurderet")),
            }
        }
        Action::RecordAppealsOutcome { decided_on, .. } => {
            if state != State::AtAppealsBoard {
                return Err(not_now(case, kind, "klagen er ikke sendt til Ankestyrelsen"));
            }
            not_future("decided_on", *decided_on, ctx)?;
            if let Some(sent) = case.complaint.as_ref().and_then(|c| c.forwarded_on) {
                not_before("decided_on", *decided_on, sent, "klagen blev sendt til Ankestyrelsen")?;
            }
            Ok(Outcome::None)
        }
        Action::Close {} => {
            let expired = state == State::Decided
                && case.letter.and_then(|l| l.complaint_deadline).is_some_and(|d| ctx.today > d);
            if gone || expired {
                Ok(Outcome::None)
            } else {
                Err(not_now(case, kind, "sagen kan lukkes, når klagefristen er udløbet uden klage"))
            }
        }
    }
}

/// Checks the day a letter of `kind` is dated (sent): not after `today`, not before the screening that
/// selected the case, and not before the step it belongs to. The same check applies to a preview, so no
/// letter is ever shown with a date the case cannot have.
///
/// # Errors
/// The date, naming the field `sent_on` and what it may not precede.
pub fn letter_date(case: &Case, kind: LetterKind, sent_on: Date, today: Date) -> Result<(), CaseError> {
    if sent_on > today {
        return Err(invalid("sent_on", format!("{} ligger efter i dag", danish(sent_on))));
    }
    not_before_review("sent_on", sent_on, case)?;
    if let Some((earliest, what)) = answers(case, kind) {
        not_before("sent_on", sent_on, earliest, what)?;
    }
    Ok(())
}

/// The notice Udbetaling Danmark must have now, if any (PL § 44, stk. 1: payment stops from the date of
/// effect, after the months kept): a stop once a revocation has reached the citizen (its letter sent,
/// its date of effect fixed) and that stop was not yet sent; a resumption once a stop was sent and the
/// revocation no longer stands (changed on reassessment, set aside when withdrawn or remitted, or changed by
/// Ankestyrelsen). Each is due once: the notices sent are on the case.
#[must_use]
pub fn payment_notice_due(case: &Case) -> Option<PaymentNoticeKind> {
    let last = case.payment_notices.last();
    let stopped = last.is_some_and(|n| n.kind == PaymentNoticeKind::Stop);
    let reversed_by_appeal =
        case.complaint.as_ref().is_some_and(|c| c.appeals_outcome == Some(crate::action::AppealsOutcome::Changed));
    match case.decision.as_ref().filter(|d| d.revoked && !reversed_by_appeal) {
        Some(d) if case.letter.is_some() && d.effective_from.is_some() => {
            let same = last.is_some_and(|n| {
                n.kind == PaymentNoticeKind::Stop
                    && n.effective_from == d.effective_from
                    && n.last_paid_day == d.last_paid_day
            });
            (!same).then_some(PaymentNoticeKind::Stop)
        }
        // Decided but not yet notified: a stop already sent (an earlier revocation) stands for now.
        Some(_) => None,
        None => stopped.then_some(PaymentNoticeKind::Resume),
    }
}

/// What a letter of `kind` answers, and so may not be dated before: the summons, reopening, decision or
/// closing it announces, the complaint it acknowledges, the forwarding it reports.
fn answers(case: &Case, kind: LetterKind) -> Option<(Date, &'static str)> {
    match kind {
        LetterKind::Summons => case.step_days.summoned_on.map(|d| (d, "indkaldelsen blev registreret")),
        LetterKind::Reopening => case.step_days.reopened_on.map(|d| (d, "sagen blev genåbnet")),
        LetterKind::ReviewClosed => case.step_days.closed_on.map(|d| (d, "gennemgangen blev afsluttet")),
        LetterKind::DecisionRevocation | LetterKind::DecisionUpheld => {
            case.decision.as_ref().map(|d| (d.decided_on, "afgørelsen"))
        }
        LetterKind::ComplaintReceipt => case.complaint.as_ref().map(|c| (c.received_on, "klagen blev modtaget")),
        LetterKind::Forwarding => {
            case.complaint.as_ref().and_then(|c| c.forwarded_on).map(|d| (d, "klagen blev sendt videre"))
        }
        LetterKind::AccessAnswer => {
            case.access_requests.iter().rev().find_map(|r| r.answered_on).map(|d| (d, "anmodningen blev besvaret"))
        }
        LetterKind::Hearing => match case.hearing {
            Hearing::Pending { sent_on, .. } => Some((sent_on, "partshøringen blev indledt")),
            _ => None,
        },
        // Sent once the request is on a meeting; no earlier day to keep.
        LetterKind::InPersonInvitation => None,
        LetterKind::RePresentation => {
            case.re_presentations.last().and_then(|r| r.on).map(|d| (d, "pensionsnævnet genforelagde sagen"))
        }
        LetterKind::Delay => untold_delay(case).and_then(|d| d.on).map(|d| (d, "forsinkelsen blev registreret")),
    }
}

/// A document's own fields: a title on one line, its date neither ahead nor before the citizen's birth, and
/// what the server found (a SHA-256, some bytes).
fn check_document(d: &crate::action::NewDocument, ctx: &Context<'_>, case: &Case) -> Result<(), CaseError> {
    require_text("title", &d.title)?;
    // A carriage return breaks a line as surely as a line feed (in a list, a letter's index, a CSV export).
    if d.title.contains(['\n', '\r']) || d.title.chars().count() > 200 {
        return Err(invalid("title", "titlen skal stå på én linje og højst have 200 tegn"));
    }
    if d.filename.chars().count() > 255 || gennemgang_rules::text::unfit(&d.filename).is_some() {
        return Err(invalid("file", "filnavnet kan ikke bruges"));
    }
    not_future("dated", d.dated, ctx)?;
    not_before_birth("dated", d.dated, case)?;
    if d.size == 0
        || d.sha256.len() != 64
        || !d.sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(invalid("file", "filen er tom"));
    }
    Ok(())
}

/// Whether information from `source` may become evidence now: the phase 1 checklist's sources during the
/// review, phase 2's new information in phase 2 (health information only with the citizen's consent, RSL
/// § 11 a, stk. 1); the deciding municipality gathers nothing new (the government's model).
fn evidence_now(case: &Case, source: Source, kind: ActionKind) -> Result<(), CaseError> {
    let reviewing = matches!(case.state, State::Reviewing);
    let ok = match source {
        s if Source::CHECKLIST.contains(&s) => reviewing,
        Source::HealthInformation => case.state == State::Reopened && case.consent == Some(true),
        Source::WorkTrial | Source::NewInformation => case.state == State::Reopened,
        Source::Interview | Source::RehabilitationTeam => false,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(not_now(case, kind, format!("{} kan ikke registreres som oplysning i sagen nu", source.danish())))
    }
}

/// Whether contacts are noted on the case now (offentlighedslovens § 13): whenever someone holds it, from
/// its assignment until it is closed. Not one of the review's steps: [`candidates`] leaves it out.
#[must_use]
pub fn notes_taken(case: &Case) -> bool {
    !matches!(case.state, State::Unassigned | State::Closed | State::ClosedValidated)
}

/// The actions the case's state can take next (before access and field checks), for offering forms; the
/// routing and the review's parameters say whether the municipality presents the case to its
/// rehabilitation team before it goes on.
#[must_use]
pub fn candidates(case: &Case, routing: &Routing, review: &ReviewParams) -> Vec<ActionKind> {
    use ActionKind as K;
    let gone = case.flags.iter().any(|f| matches!(f, Flag::Died | Flag::LeftDenmark));
    let pending = matches!(case.hearing, Hearing::Pending { .. });
    // A home municipality the routing does not know (a code outside the 98) has nowhere to send to.
    let routed = routing.deciding_for(case.home_municipality).is_some();
    match case.state {
        State::ClosedValidated => Vec::new(),
        State::Closed if case.decision.is_some() && case.letter.is_some() && case.complaint.is_none() && !gone => {
            vec![K::ReceiveComplaint]
        }
        State::Closed => Vec::new(),
        _ if gone => vec![K::Close],
        State::Unassigned => vec![K::Assign],
        State::Reviewing => {
            let mut v = vec![K::Assign, K::RecordEvidence, K::RecordDelay];
            if !case.checklist_open().is_empty() {
                v.push(K::MarkNotRelevant);
            }
            v.extend(match case.interview {
                Interview::NotSummoned => &[K::Summon][..],
                Interview::Summoned { .. } => &[K::HoldInterview, K::RegisterNoShow][..],
                Interview::NoShow => &[K::Summon, K::DecideOnExistingBasis][..],
                Interview::Held | Interview::ExistingBasis if case.checklist_open().is_empty() => {
                    &[K::AssessNoGround, K::AssessReopen][..]
                }
                Interview::Held | Interview::ExistingBasis => &[][..],
            });
            v
        }
        State::AssessedNoGround if routed => vec![K::Assign, K::SendToDeciding],
        State::AssessedNoGround => vec![K::Assign],
        State::Reopened => {
            let mut v = vec![K::Assign];
            if case.notified_on.is_none() {
                v.push(K::NotifyReopening);
            }
            v.push(K::RecordConsent);
            if case.consent == Some(true) {
                v.push(K::RecordHealthInformation);
            }
            v.extend([K::RequestInformation, K::RecordWorkTrial, K::RecordInformation]);
            if case.current_recommendation().is_none() {
                v.push(K::RecordRecommendation);
            }
            v.push(K::RecordDelay);
            if case.no_new_information.is_none() && !has_new_information(case) {
                v.push(K::NoNewInformation);
            }
            v.push(if pending { K::CompleteHearing } else { K::StartHearing });
            if routed && reopened_not_ready(case, team_required(case, routing, review)).is_none() {
                v.push(K::SendToDeciding);
            }
            v
        }
        State::SentToDeciding => vec![K::Receive],
        State::UnderDecision if case.reopening_ground.is_none() => vec![K::Validate, K::SendBack],
        State::UnderDecision => {
            let mut v = Vec::new();
            if !case.validated {
                v.push(K::Validate);
            }
            v.extend([K::SendBack, K::Schedule, K::RecordDelay]);
            let binding = case.binding_recommendation();
            if binding.is_some() {
                v.push(K::RePresent);
            }
            v.extend(in_person_candidates(case));
            v.push(K::RecordHearingException);
            if case.validated && !case.in_person.pending() {
                if binding != Some(Recommendation::Keep) {
                    v.push(K::ProposeRevocation);
                }
                if binding != Some(Recommendation::Revoke) {
                    v.push(K::Uphold);
                }
            }
            v
        }
        State::AwaitingApproval => {
            let mut v = if case.in_person.pending() { vec![] } else { vec![K::ApproveRevocation] };
            v.push(K::RejectRevocation);
            v.extend(in_person_candidates(case));
            v
        }
        State::Decided if case.letter.is_none() => vec![K::SendDecisionLetter, K::WithdrawDecision],
        State::Decided => vec![K::ReceiveComplaint, K::Close],
        State::ComplaintReceived => {
            let late = case.complaint.as_ref().is_some_and(|c| c.within_deadline == Some(false));
            if late { vec![K::Reassess, K::ForwardToAppealsBoard] } else { vec![K::Reassess] }
        }
        State::Reassessed if case.letter.is_none() => vec![K::SendDecisionLetter],
        State::Reassessed => vec![K::ForwardToAppealsBoard],
        State::AtAppealsBoard => vec![K::RecordAppealsOutcome],
    }
}

/// What can be done about the citizen's meeting with the board.
fn in_person_candidates(case: &Case) -> Vec<ActionKind> {
    match case.in_person {
        InPerson::None | InPerson::Held { .. } | InPerson::Withdrawn { .. } => vec![ActionKind::RequestHearingInPerson],
        InPerson::Requested => vec![ActionKind::WithdrawHearingInPerson],
        InPerson::Scheduled { .. } => vec![ActionKind::RecordHearingInPerson, ActionKind::WithdrawHearingInPerson],
    }
}

/// Warnings a caseworker should see on the case today, under the municipalities' deadlines in `routing`.
#[must_use]
pub fn warnings(case: &Case, routing: &Routing, today: Date) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = crate::processing::processing_deadline(case, routing) {
        let told = case.delays.last().filter(|x| x.phase == d.phase && untold_delay(case).is_none());
        match told {
            Some(x) if today <= x.expected_by => {}
            Some(x) => out.push(format!(
                "Borgeren har fået besked om en afgørelse senest {}, og den dato er overskredet ({})",
                danish(x.expected_by),
                Citation::Rsl3Stk2
            )),
            None => out.extend(d.warning(today)),
        }
    }
    let sixty = case.facts.sixtieth_birthday();
    let open = !matches!(case.state, State::Closed | State::ClosedValidated | State::Decided);
    if open && today < sixty && gennemgang_rules::date::add_months(today, 12) >= sixty {
        out.push(format!(
            "Borgeren fylder 60 år {}; derefter kan pensionen ikke frakendes ({})",
            danish(sixty),
            Citation::Pl44Stk3
        ));
    }
    if open && today >= sixty {
        out.push(format!("Borgeren er fyldt 60 år; pensionen kan ikke frakendes ({})", Citation::Pl44Stk3));
    }
    if let Some(notice) = payment_notice_due(case) {
        out.push(format!(
            "Meddelelsen til Udbetaling Danmark om {} er ikke sendt endnu; systemet sender den",
            notice.danish()
        ));
    }
    if let Hearing::Pending { answer_by, .. } = case.hearing
        && today > answer_by
    {
        out.push(format!("Svarfristen i partshøringen udløb {}", danish(answer_by)));
    }
    if matches!(case.state, State::UnderDecision | State::AwaitingApproval)
        && case.reopening_ground.is_some()
        && case.hearing_basis() == crate::guards::HearingBasis::Missing
    {
        out.push(format!(
            "Borgeren er ikke partshørt efter de seneste oplysninger; der kan ikke indstilles til frakendelse uden en ny partshøring eller en undtagelse ({})",
            Citation::Fvl19Stk2
        ));
    }
    if let Some(c) = case.complaint.as_ref()
        && let Some(by) = c.reassess_by
        && today > by
        && case.state == State::ComplaintReceived
    {
        out.push(format!("Genvurderingen skulle have været foretaget senest {}", danish(by)));
    }
    out
}

/// What the approver must know about the legal basis before deciding: shown on the deciding side only,
/// never in a letter, while the basis is not confirmed by a verified source.
#[must_use]
pub fn basis_notice(case: &Case, review: &ReviewParams) -> Option<String> {
    let basis = &review.revocation_basis;
    (case.reopening_ground.is_some()
        && matches!(case.state, State::UnderDecision | State::AwaitingApproval)
        && !basis.standing.is_confirmed())
    .then(|| {
        format!("Hjemlen for frakendelse er sat til {} ({}): {}", basis.citation(), basis.standing.danish(), basis.note)
    })
}

/// Why a letter of `kind` is not sent at the case's step, or `None` when it is. The steps are those of the
/// model: a summons while an interview is set, the reopening notice once reopened, a hearing while it runs,
/// the decision letter once per decision (the complaint deadline runs from it), the notice that the review
/// is over once the deciding municipality validated "no ground" (no decision, so no complaint guidance), the
/// complaint receipt after a complaint, the forwarding once the complaint is with Ankestyrelsen.
#[must_use]
pub fn letter_does_not_fit(case: &Case, kind: LetterKind) -> Option<&'static str> {
    let unsent = matches!(case.state, State::Decided | State::Reassessed) && case.letter.is_none();
    let fits = match kind {
        LetterKind::Summons => matches!(case.interview, Interview::Summoned { .. }) && case.state == State::Reviewing,
        LetterKind::Reopening => case.state == State::Reopened,
        LetterKind::Hearing => matches!(case.hearing, Hearing::Pending { .. }),
        LetterKind::InPersonInvitation => matches!(case.in_person, InPerson::Scheduled { .. }),
        LetterKind::RePresentation => case.state == State::Reopened && re_presentation_untold(case),
        LetterKind::Delay => untold_delay(case).is_some(),
        LetterKind::DecisionRevocation => unsent && case.decision.as_ref().is_some_and(|d| d.revoked),
        LetterKind::DecisionUpheld => unsent && case.decision.as_ref().is_some_and(|d| !d.revoked),
        LetterKind::ReviewClosed => {
            case.state == State::ClosedValidated && !case.letters.iter().any(|l| l.kind == LetterKind::ReviewClosed)
        }
        LetterKind::ComplaintReceipt => case.complaint.is_some(),
        LetterKind::Forwarding => case.state == State::AtAppealsBoard,
        LetterKind::AccessAnswer => {
            let answered = case.access_requests.iter().filter(|r| r.answered_on.is_some()).count();
            case.letters.iter().filter(|l| l.kind == LetterKind::AccessAnswer).count() < answered
        }
    };
    (!fits).then_some(match kind {
        LetterKind::Summons => "borgeren er ikke indkaldt til en samtale",
        LetterKind::Reopening => "sagen er ikke genåbnet",
        LetterKind::Hearing => "der kører ikke en partshøring",
        LetterKind::InPersonInvitation => "borgerens foretræde er ikke planlagt på et møde",
        LetterKind::RePresentation => {
            "sagen er ikke genforelagt for rehabiliteringsteamet, eller borgeren har fået brevet"
        }
        LetterKind::Delay => {
            "der er ikke registreret en ny forventet dato i sagens fase, eller borgeren har fået brevet"
        }
        LetterKind::DecisionRevocation => "der er ingen afgørelse om frakendelse, eller brevet er sendt",
        LetterKind::DecisionUpheld => "pensionen er ikke fastholdt ved en afgørelse, eller brevet er sendt",
        LetterKind::ReviewClosed => "gennemgangen er ikke afsluttet uden genåbning, eller orienteringen er sendt",
        LetterKind::ComplaintReceipt => "der er ikke modtaget en klage",
        LetterKind::Forwarding => "klagen er ikke sendt til Ankestyrelsen",
        LetterKind::AccessAnswer => "der er ingen besvaret anmodning om aktindsigt, der mangler sit brev",
    })
}

/// The complaint deadline of a decision sent on `sent_on` by `channel`, with its reasoning: 4 weeks from
/// receipt (RSL § 67), a digital letter received the day it is available and a physical one on the 6th
/// delivery day (JM vejledning nr. 9533 af 26/6 2018). The case records it and the letter states it, from
/// this one function.
///
/// # Errors
/// The date is outside the calendar.
pub fn complaint_deadline(
    calendar: &CalendarParams,
    sent_on: Date,
    channel: crate::action::Channel,
) -> Result<gennemgang_rules::calendar::deadline::Deadline, CaseError> {
    deadline(calendar, &calendar.board, Kind::Complaint { sent: sent_on, channel: channel.into() })
        .map_err(calendar_error)
}
