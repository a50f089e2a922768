//! Composing a letter from the case. Every sentence that states a fact, a reason, a rule or a date is
//! taken from the case's history and the rules that computed it — the evidence as recorded with its legal
//! basis, the written reopening ground, the decision's reasons and its decision record (the law at the
//! award), and deadlines from the same calendar function the case used (`calendar::deadline`) — never
//! retyped. The legal basis of a revocation is the review's one parameter, as the decision recorded it;
//! the dates a decision letter fixes come from the case's own [`gennemgang_case::decide::letter_effect`].
//! Legal basis of the letters themselves: FVL § 19 (partshøring), §§ 22-24 (begrundelse), § 25
//! (klagevejledning); RSL §§ 66-67 (genvurdering og klagefrist), § 72 (no suspension); RSL §§ 11 a-12 and
//! GDPR art. 14 (what is obtained, with or without consent).

use crate::model::{Block, Letter, LetterKind, Recipient, Sender};
use gennemgang_case::action::{Action, Channel, Source};
use gennemgang_case::case::{Case, Event, Hearing, InPerson, Interview, State};
use gennemgang_case::guards::{BasisRecord, HearingBasis};
use gennemgang_case::law::Citation;
use gennemgang_rules::calendar::deadline::Deadline;
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::date::danish;
use gennemgang_rules::review::ReviewParams;
use jiff::civil::Date;

/// How and when the letter is sent, and what it is composed with.
#[derive(Clone, Debug)]
pub struct Issue<'a> {
    /// The day it is sent.
    pub sent_on: Date,
    /// Digital Post or a physical letter.
    pub channel: Channel,
    /// The sending municipality.
    pub sender: Sender,
    /// The calendar the deadlines are computed with.
    pub calendar: &'a CalendarParams,
    /// The time of the interview for a summons ("10.00").
    pub meeting_time: String,
}

/// Why a letter cannot be composed for the case.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// The case is not at a step where this letter is sent.
    #[error("{kind} passer ikke til sagen: {why}")]
    NotApplicable {
        /// The kind asked for.
        kind: &'static str,
        /// Why, in Danish.
        why: &'static str,
    },
    /// A deadline could not be computed (a date outside the calendar).
    #[error("fristen kan ikke beregnes: {0}")]
    Calendar(String),
}

fn not(kind: LetterKind, why: &'static str) -> ComposeError {
    ComposeError::NotApplicable { kind: kind.name(), why }
}

fn heading(text: &str) -> Block {
    Block::Heading { text: text.to_owned() }
}

fn para(text: impl Into<String>) -> Block {
    Block::Paragraph { text: text.into() }
}

/// The complaint deadline of a decision sent on `sent_on` by `channel` — the case's own computation
/// ([`gennemgang_case::decide::complaint_deadline`], RSL § 67; JM vejledning 9533/2018).
///
/// # Errors
/// The date is outside the calendar.
pub fn complaint_deadline(
    calendar: &CalendarParams,
    sent_on: Date,
    channel: Channel,
) -> Result<Deadline, ComposeError> {
    gennemgang_case::decide::complaint_deadline(calendar, sent_on, channel)
        .map_err(|e| ComposeError::Calendar(e.to_string()))
}

/// The last event of the history whose action `pick` recognises.
fn last<'e, T>(events: &'e [Event], pick: impl Fn(&'e Action) -> Option<T>) -> Option<T> {
    events.iter().rev().find_map(|e| pick(&e.action))
}

/// The complaint guidance of an appealable decision (FVL § 25, stk. 1; RSL §§ 66-67).
fn complaint_guidance(issue: &Issue<'_>, due: &Deadline) -> Vec<Block> {
    let how = match issue.channel {
        Channel::Digital => {
            "Afgørelsen er sendt med Digital Post og anses for modtaget den dag, den er tilgængelig i din digitale postkasse."
        }
        Channel::Physical => {
            "Afgørelsen er sendt som brev med posten og anses for modtaget 6 omdelingsdage efter, at den er sendt."
        }
    };
    let mut blocks = vec![
        heading("Sådan klager du"),
        para(format!(
            "Du kan klage over afgørelsen. Klagen skal være modtaget hos {} senest {}, som er 4 uger efter, at du har modtaget afgørelsen ({}). {how}",
            issue.sender.name,
            danish(due.date),
            Citation::Rsl67
        )),
        para(format!(
            "Du kan klage skriftligt eller mundtligt til {} ({}, tlf. {}). Vi genvurderer afgørelsen inden 4 uger ({}). Hvis vi fastholder den, sender vi din klage videre til Ankestyrelsen, som træffer afgørelse i klagesagen.",
            issue.sender.name,
            issue.sender.email,
            issue.sender.phone,
            Citation::Rsl66
        )),
        para("Sådan er klagefristen beregnet:"),
        Block::List { items: due.reasoning.iter().map(|r| format!("{} ({})", r.text, r.legal_basis)).collect() },
    ];
    blocks.push(para(format!(
        "Du har ret til at se sagens dokumenter (aktindsigt, {}). Kontakt os, hvis du vil have aktindsigt eller har spørgsmål.",
        Citation::Fvl9
    )));
    blocks
}

/// The evidence the case rests on, each with what it showed and the legal basis for obtaining it. The basis
/// is a line of its own: on the line of a summary written right to left (Arabic, Persian …) it would be set
/// right to left with it, its brackets and numbers scrambled.
fn evidence_list(case: &Case) -> Block {
    evidence_items(case.evidence.iter())
}

fn evidence_items<'a>(evidence: impl Iterator<Item = &'a gennemgang_case::case::Evidence>) -> Block {
    Block::List {
        items: evidence
            .map(|e| format!("{} ({}): {}\n[{}]", e.source.danish(), danish(e.obtained_on), e.summary, e.legal_basis))
            .collect(),
    }
}

/// Composes the letter of `kind` for the case.
///
/// # Errors
/// The case is not at a step where the letter is sent, or a deadline cannot be computed.
pub fn compose(case: &Case, events: &[Event], kind: LetterKind, issue: &Issue<'_>) -> Result<Letter, ComposeError> {
    let mut reply_by = None;
    let mut complaint = None;
    let blocks = match kind {
        LetterKind::Summons => summons(case, issue)?,
        LetterKind::Reopening => reopening(case, events)?,
        LetterKind::Hearing => {
            let (blocks, by) = hearing(case, events)?;
            reply_by = Some(by);
            blocks
        }
        LetterKind::DecisionRevocation => {
            let (blocks, due) = revocation(case, events, issue)?;
            complaint = Some(due);
            blocks
        }
        LetterKind::DecisionUpheld => {
            let (blocks, due) = upheld(case, issue)?;
            complaint = due;
            blocks
        }
        LetterKind::ReviewClosed => review_closed(case)?,
        LetterKind::InPersonInvitation => in_person_invitation(case, issue)?,
        LetterKind::RePresentation => re_presentation(case)?,
        LetterKind::Delay => delay(case)?,
        LetterKind::ComplaintReceipt => complaint_receipt(case)?,
        LetterKind::Forwarding => forwarding(case, events)?,
        LetterKind::AccessAnswer => access_answer(case)?,
    };
    Ok(Letter {
        kind,
        title: kind.danish().to_owned(),
        case_id: case.id,
        date: issue.sent_on,
        date_text: danish(issue.sent_on),
        channel: issue.channel,
        recipient: recipient(case, issue.channel),
        signature: format!("{}, {}", issue.sender.department, issue.sender.name),
        sender: issue.sender.clone(),
        blocks,
        reply_by,
        complaint_deadline: complaint,
        rules_version: gennemgang_rules::RULES_VERSION.to_owned(),
    })
}

/// Whom the letter is to. A physical letter carries the address it is posted to, also for a citizen with
/// name and address protection (CPR-loven § 28 keeps the address from others, not from letters to the
/// citizen); a digital letter needs no address, so a protected one is never printed on it.
fn recipient(case: &Case, channel: gennemgang_case::action::Channel) -> Recipient {
    let citizen = &case.citizen;
    let printed = channel == gennemgang_case::action::Channel::Physical || !citizen.address_protected;
    let address = match &citizen.address {
        Some(a) if printed => vec![a.street.clone(), a.town()],
        _ => Vec::new(),
    };
    let name = if citizen.name.is_empty() { "Til borgeren".to_owned() } else { citizen.name.clone() };
    Recipient { cpr: case.facts.cpr.clone(), name, address, label: citizen.name.clone() }
}

fn summons(case: &Case, issue: &Issue<'_>) -> Result<Vec<Block>, ComposeError> {
    let Interview::Summoned { on } = case.interview else {
        return Err(not(LetterKind::Summons, "borgeren er ikke indkaldt til en samtale"));
    };
    Ok(vec![
        para(
            "Regeringen har besluttet, at udvalgte sager om førtidspension skal gennemgås. Din sag er en af dem, fordi du bor i et af de udvalgte boligområder og opfylder de øvrige betingelser for gennemgangen. Vi vil derfor gerne tale med dig om din situation.",
        ),
        Block::Facts {
            rows: vec![
                ("Dato".into(), danish(on)),
                ("Tidspunkt".into(), format!("kl. {}", issue.meeting_time)),
                ("Sted".into(), format!("{}, {}", issue.sender.department, issue.sender.address)),
            ],
        },
        heading("Oplysninger, vi indhenter uden dit samtykke"),
        para(format!(
            "Før samtalen gennemgår vi oplysninger om dig fra disse kilder for at vurdere, om der er grundlag for at genåbne din sag. Vi må indhente dem uden dit samtykke, og vi skal fortælle dig om det ({}; {}; {}):",
            Citation::Gdpr14,
            Citation::Rsl11a2,
            Citation::Rsl12
        )),
        Block::List {
            items: Source::CHECKLIST
                .into_iter()
                .filter(|s| s.without_consent())
                .map(|s| format!("{}: {}", s.danish(), s.letter_purpose()))
                .collect(),
        },
        para(
            "Du har ret til at se de oplysninger, vi har om dig, og til at få forkerte oplysninger rettet. Oplysningerne bruges kun i denne sag.",
        ),
        heading("Det skal du have med"),
        Block::List {
            items: vec![
                "Billedlegitimation og dit sundhedskort.".into(),
                "Oplysninger om arbejde, praktik eller uddannelse, du har haft, siden du fik førtidspension.".into(),
                "Andre papirer, du mener, er vigtige for din sag, fx fra din læge.".into(),
            ],
        },
        para("Du må gerne tage en bisidder med. Har du brug for tolk, så kontakt os senest 5 hverdage før samtalen."),
        heading("Hvis du ikke kommer"),
        para(format!(
            "Kan du ikke komme, skal du kontakte os hurtigst muligt på tlf. {} eller {}, så vi kan finde en ny tid. Kommer du ikke, og hører vi ikke fra dig, kan vi behandle din sag på det grundlag, vi allerede har ({}).",
            issue.sender.phone,
            issue.sender.email,
            Citation::Rsl11b
        )),
        para(format!(
            "Det, du fortæller ved samtalen, skriver vi ned i din sag ({}). Samtalen ændrer ikke i sig selv din pension.",
            Citation::Ofl13
        )),
    ])
}

fn reopening(case: &Case, events: &[Event]) -> Result<Vec<Block>, ComposeError> {
    let Some(ground) = &case.reopening_ground else {
        return Err(not(LetterKind::Reopening, "sagen er ikke genåbnet"));
    };
    // What the reopening rests on is what its ground cites, as it stood then: not what came later.
    let cited = last(events, |a| match a {
        Action::AssessReopen { evidence, .. } => Some(evidence.clone()),
        _ => None,
    })
    .unwrap_or_default();
    Ok(vec![
        para(format!(
            "Vi har gennemgået din sag om førtidspension og har besluttet at genåbne den. Det betyder, at vi undersøger, om betingelsen for at frakende pensionen er opfyldt ({}): {} Du beholder din pension, mens vi undersøger sagen.",
            basis().citation,
            basis().test
        )),
        heading("Hvorfor vi genåbner sagen"),
        para(ground.clone()),
        para("Vi har lagt vægt på disse oplysninger:"),
        evidence_items(cited.iter().filter_map(|i| case.evidence.get(*i))),
        heading("Vi beder om dit samtykke"),
        para(format!(
            "For at vurdere din arbejdsevne har vi brug for nye oplysninger om dit helbred fra din læge eller sygehuset. Det må vi kun indhente med dit samtykke ({}). Vedlagt er en samtykkeerklæring, der siger, hvilke oplysninger vi vil indhente, og hvorfra.",
            Citation::Rsl11a1
        )),
        para(format!(
            "Du bestemmer selv, om du vil give samtykke. Giver du ikke samtykke, behandler vi sagen på det grundlag, vi har ({}). Vi kan også bede dig om at deltage i en arbejdsprøvning i en virksomhed.",
            Citation::Rsl11b
        )),
        para(format!(
            "Vi hører dig, før der træffes en afgørelse, om de oplysninger, afgørelsen kan bygge på ({}).",
            Citation::Fvl19
        )),
    ])
}

fn hearing(case: &Case, events: &[Event]) -> Result<(Vec<Block>, Date), ComposeError> {
    let Hearing::Pending { answer_by: by, .. } = case.hearing else {
        return Err(not(LetterKind::Hearing, "der er ikke startet en partshøring"));
    };
    let info = last(events, |a| match a {
        Action::StartHearing { adverse_information, .. } => Some(adverse_information.clone()),
        _ => None,
    })
    .unwrap_or_default();
    Ok((
        vec![
            para(format!(
                "Vi er ved at undersøge, om din førtidspension skal frakendes ({}): {} Inden der træffes afgørelse, skal du have mulighed for at udtale dig om de oplysninger, afgørelsen kan bygge på ({}).",
                basis().citation,
                basis().test,
                Citation::Fvl19
            )),
            heading("De oplysninger, vi vil lægge vægt på"),
            para(info),
            para("Oplysningerne stammer fra:"),
            evidence_list(case),
            heading("Sådan svarer du"),
            para(format!(
                "Send os dine bemærkninger senest {}. Du kan svare på dette brev i Digital Post, skrive eller ringe til os. Hører vi ikke fra dig inden fristen, træffes afgørelsen på det grundlag, vi har.",
                danish(by)
            )),
            para("Dette brev er ikke en afgørelse. Du beholder din pension, mens sagen behandles."),
        ],
        by,
    ))
}

/// The review's legal basis for a revocation, as the letters before a decision state it.
fn basis() -> BasisRecord {
    BasisRecord::of(ReviewParams::builtin())
}

/// Who made the decision and when: the board at its meeting, when the case was put before it; one proposed
/// and another approved (four eyes).
fn decided_by(case: &Case, decision: &gennemgang_case::case::Decision, issue: &Issue<'_>) -> String {
    let members = |m: &[String]| match m {
        [] => String::new(),
        [one] => format!(" Nævnet bestod af {one}."),
        [rest @ .., last] => format!(" Nævnet bestod af {} og {last}.", rest.join(", ")),
    };
    let meeting = decision.sitting.as_ref().map(|s| s.meeting_on).or(case.meeting_on);
    match (decision.sitting.as_ref().and_then(|s| s.board.as_ref().map(|b| (b, s))), meeting) {
        (Some((board, s)), _) => format!(
            "Afgørelsen er truffet af {} på mødet den {}: ét medlem har indstillet, og et andet har godkendt den.{}",
            lowercase_first(board),
            danish(s.meeting_on),
            members(&s.members)
        ),
        // The built-in example board, or a decision recorded before the sitting was kept.
        (None, Some(meeting)) if meeting <= decision.decided_on => format!(
            "Afgørelsen er truffet af pensionsnævnet i {} på mødet den {}: ét medlem har indstillet, og et andet har godkendt den.",
            issue.sender.name,
            danish(meeting)
        ),
        (None, _) => format!(
            "Afgørelsen er truffet den {} af {} og godkendt af en anden medarbejder.",
            danish(decision.decided_on),
            issue.sender.name
        ),
    }
}

/// "Pensionsnævnet, Gladsaxe Kommune" inside a sentence: "pensionsnævnet, Gladsaxe Kommune".
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

fn revocation(case: &Case, events: &[Event], issue: &Issue<'_>) -> Result<(Vec<Block>, Date), ComposeError> {
    let Some(decision) = case.decision.as_ref().filter(|d| d.revoked) else {
        return Err(not(LetterKind::DecisionRevocation, "der er ikke truffet afgørelse om frakendelse"));
    };
    if issue.sent_on < decision.decided_on {
        return Err(not(LetterKind::DecisionRevocation, "brevet kan ikke dateres før afgørelsen"));
    }
    let effect = gennemgang_case::decide::letter_effect(
        case,
        issue.sent_on,
        issue.channel,
        issue.calendar,
        ReviewParams::builtin(),
    )
    .map_err(|e| ComposeError::Calendar(e.to_string()))?;
    // Once the letter is recorded, the case holds the dates it fixed; before, the same function computes them.
    let from = decision.effective_from.or(effect.effective_from).unwrap_or(effect.notified_on);
    let last_paid = decision.last_paid_day.or(effect.last_paid_day).unwrap_or(from);
    let basis = decision.record.as_ref().and_then(|r| r.basis.clone()).unwrap_or_else(basis);
    let payment = if decision.keep_payment_months == 0 {
        format!("Pensionen udbetales til og med {}.", danish(last_paid))
    } else {
        format!(
            "Du får fortsat udbetalt pension i {} {} efter dette tidspunkt, dvs. til og med {} ({}, 2. pkt.).",
            decision.keep_payment_months,
            if decision.keep_payment_months == 1 { "måned" } else { "måneder" },
            danish(last_paid),
            Citation::Pl44Stk1
        )
    };
    let mut blocks = vec![
        heading("Afgørelse"),
        para(format!(
            "Din førtidspension frakendes med virkning fra {}, som er den 1. i måneden efter, at du har modtaget denne afgørelse. {payment}",
            danish(from)
        )),
        heading("Begrundelse"),
        para(decision.reasons.clone()),
        para(format!("Afgørelsen er truffet efter {}. Betingelsen er: {}", basis.citation, basis.test)),
        para(format!(
            "{} Du var under 60 år, da afgørelsen blev truffet ({}).",
            decided_by(case, decision, issue),
            Citation::Pl44Stk3
        )),
        heading("De oplysninger, afgørelsen bygger på"),
        evidence_list(case),
    ];
    if let InPerson::Held { on, .. } = &case.in_person {
        blocks.push(para(format!(
            "Du var i foretræde for pensionsnævnet den {}, og nævnet har indgået det, du fortalte, i vurderingen.",
            danish(*on)
        )));
    }
    let exception = decision.record.as_ref().map(|r| r.inputs.hearing);
    match (exception, &case.hearing_exception) {
        (Some(HearingBasis::Exception { exception }), Some(recorded)) => blocks.push(para(format!(
            "Du er ikke blevet hørt om de seneste oplysninger, fordi {}. Begrundelse: {}",
            exception.danish(),
            recorded.reason
        ))),
        _ => {
            let on = last(events, |a| match a {
                Action::CompleteHearing { on, .. } => Some(*on),
                _ => None,
            });
            let written = case.hearing_answer_document.and_then(|n| case.documents.get(n.wrapping_sub(1)));
            blocks.push(para(match (&case.hearing_answer, written, on) {
                (Some(text), _, Some(on)) => format!(
                    "Du er blevet hørt om oplysningerne ({}) og svarede den {}: »{text}«. Vi har indgået dit svar i vurderingen.",
                    Citation::Fvl19,
                    danish(on)
                ),
                (None, Some(doc), Some(on)) => format!(
                    "Du er blevet hørt om oplysningerne ({}) og svarede skriftligt den {} (»{}«). Vi har indgået dit svar i vurderingen.",
                    Citation::Fvl19,
                    danish(on),
                    doc.document.title
                ),
                _ => format!(
                    "Du er blevet hørt om oplysningerne ({}), men vi har ikke modtaget bemærkninger inden fristen.",
                    Citation::Fvl19
                ),
            }));
        }
    }
    blocks.push(heading("Hvad sker der nu"));
    blocks.push(para(format!(
        "En klage udsætter ikke frakendelsen: pensionen ophører som beskrevet ovenfor, også hvis du klager ({}).",
        Citation::Rsl72
    )));
    blocks.push(para("Når pensionen ophører, kan du have ret til anden hjælp til forsørgelse, fx kontanthjælp, fleksjob, ledighedsydelse eller et ressourceforløb. Kontakt jobcentret hurtigst muligt, gerne inden pensionen ophører, så vi kan hjælpe dig videre."));
    blocks.extend(complaint_guidance(issue, &effect.complaint));
    Ok((blocks, effect.complaint.date))
}

fn upheld(case: &Case, issue: &Issue<'_>) -> Result<(Vec<Block>, Option<Date>), ComposeError> {
    let Some(decision) = case.decision.as_ref().filter(|d| !d.revoked) else {
        return Err(not(LetterKind::DecisionUpheld, "der er ikke truffet afgørelse om, at pensionen fastholdes"));
    };
    if issue.sent_on < decision.decided_on {
        return Err(not(LetterKind::DecisionUpheld, "brevet kan ikke dateres før afgørelsen"));
    }
    let opening = if decision.on_reassessment {
        "Vi har genvurderet afgørelsen om at frakende din førtidspension og giver dig fuldt ud medhold: du beholder din førtidspension, og frakendelsen er ophævet."
    } else {
        "Vi har genåbnet og undersøgt din sag om førtidspension og har truffet afgørelse om, at du beholder din førtidspension."
    };
    Ok((
        vec![
            heading("Afgørelse"),
            para(opening),
            heading("Begrundelse"),
            para(decision.reasons.clone()),
            para(format!("Afgørelsen er truffet den {}.", danish(decision.decided_on))),
            para("Vi har lagt vægt på disse oplysninger:"),
            evidence_list(case),
            para(format!(
                "Afgørelsen giver dig fuldt ud medhold, og der er derfor ikke klagevejledning ({}, stk. 1). Du har ret til aktindsigt i sagen ({}). Kontakt os, hvis du har spørgsmål.",
                Citation::Fvl25,
                Citation::Fvl9
            )),
        ],
        None,
    ))
}

/// The invitation to meet the board (foretræde), a practice of the municipality (seed 004), not a
/// statutory right: no § is cited.
fn in_person_invitation(case: &Case, issue: &Issue<'_>) -> Result<Vec<Block>, ComposeError> {
    let InPerson::Scheduled { meeting_on } = case.in_person else {
        return Err(not(LetterKind::InPersonInvitation, "borgerens foretræde er ikke planlagt på et møde"));
    };
    Ok(vec![
        para(format!(
            "Du har bedt om at komme i foretræde for pensionsnævnet i {}, før der træffes afgørelse i din sag om førtidspension. Du er velkommen.",
            issue.sender.name
        )),
        Block::Facts {
            rows: vec![
                ("Dato".into(), danish(meeting_on)),
                ("Tidspunkt".into(), format!("kl. {}", issue.meeting_time)),
                ("Sted".into(), format!("{}, {}", issue.sender.department, issue.sender.address)),
            ],
        },
        para(
            "På mødet kan du med dine egne ord fortælle nævnet om din situation og om det, sagen handler om. Nævnet har sagens dokumenter, også dem, du tidligere har fået til partshøring.",
        ),
        para("Du må gerne tage en bisidder med. Har du brug for tolk, så kontakt os senest 5 hverdage før mødet."),
        heading("Hvis du ikke kan komme"),
        para(format!(
            "Kontakt os hurtigst muligt på tlf. {} eller {}, så vi kan finde en anden mødedato. Vil du alligevel ikke i foretræde, så sig det til os; så træffer nævnet afgørelse på det skriftlige grundlag.",
            issue.sender.phone, issue.sender.email
        )),
        para(
            "Nævnet træffer ikke afgørelse i din sag, før du har været i foretræde, eller du har sagt, at du ikke ønsker det.",
        ),
    ])
}

/// The notice that the board returns the case to the rehabilitation team, and why (the municipality's
/// practice, seed 004: "Du vil blive orienteret af Pensionsnævnet, hvis din sag skal genforelægges. Du vil
/// også få oplyst, hvorfor Pensionsnævnet ikke kan træffe en afgørelse").
fn re_presentation(case: &Case) -> Result<Vec<Block>, ComposeError> {
    let (Some(back), Some(team)) = (case.re_presentations.last(), case.recommendations.last()) else {
        return Err(not(LetterKind::RePresentation, "sagen er ikke genforelagt for rehabiliteringsteamet"));
    };
    if case.state != State::Reopened {
        return Err(not(LetterKind::RePresentation, "sagen er ikke genforelagt for rehabiliteringsteamet"));
    }
    let deciding = case
        .deciding_municipality
        .and_then(gennemgang_rules::municipality::by_code)
        .map_or_else(|| "afgørelseskommunen".to_owned(), |m| format!("{} Kommune", m.name));
    Ok(vec![
        para(format!(
            "Pensionsnævnet i {deciding} har behandlet din sag om førtidspension. Rehabiliteringsteamet indstillede på sit møde den {}, {}. Nævnet kan ikke følge indstillingen og har derfor sendt sagen tilbage til teamet, så det kan vurdere den igen (genforelæggelse).",
            danish(team.met_on),
            team.recommendation.danish()
        )),
        heading("Hvorfor nævnet ikke kan følge indstillingen"),
        para(back.reasons.clone()),
        heading("Hvad der sker nu"),
        para(
            "Du bliver indkaldt til rehabiliteringsteamets møde om din sag. Du skal deltage, så du kan komme med nye oplysninger; de kan indgå i grundlaget for afgørelsen. Når teamet har givet en ny indstilling, får du mulighed for at udtale dig om den, før pensionsnævnet træffer afgørelse.",
        ),
        para(
            "Der er ikke truffet afgørelse i din sag, og du beholder din førtidspension som hidtil. Du skal ikke gøre noget nu.",
        ),
        para(format!(
            "Du har ret til at se sagens dokumenter (aktindsigt, {}). Kontakt os, hvis du har spørgsmål.",
            Citation::Fvl9
        )),
    ])
}

/// The processing deadline cannot be kept: why, and when the citizen can expect the step instead
/// (RSL § 3, stk. 2: the citizen is told in writing when a decision can be expected).
fn delay(case: &Case) -> Result<Vec<Block>, ComposeError> {
    let Some(d) = gennemgang_case::decide::untold_delay(case) else {
        return Err(not(LetterKind::Delay, "der er ikke registreret en ny forventet dato i sagens fase"));
    };
    let step = match d.phase {
        gennemgang_case::case::Phase::Review => "at have gennemgået din sag",
        gennemgang_case::case::Phase::Reopening => {
            "at have behandlet den genåbnede sag færdig og sendt den til afgørelse"
        }
        _ => "at have truffet afgørelse i din sag",
    };
    Ok(vec![
        para(format!(
            "Kommunen har fastsat, hvor lang tid der højst må gå med at behandle en sag som din ({}). Vi kan ikke holde den frist i din sag om førtidspension.",
            Citation::Rsl3Stk2
        )),
        heading("Hvorfor det tager længere tid"),
        para(d.reason.clone()),
        heading("Hvornår du kan forvente at høre fra os"),
        para(format!("Vi forventer {step} senest {}.", danish(d.expected_by))),
        para(
            "Du beholder din førtidspension som hidtil, og du skal ikke gøre noget. Kontakt os, hvis du har spørgsmål.",
        ),
    ])
}

fn review_closed(case: &Case) -> Result<Vec<Block>, ComposeError> {
    if case.state != State::ClosedValidated {
        return Err(not(LetterKind::ReviewClosed, "gennemgangen er ikke afsluttet uden genåbning"));
    }
    let home = gennemgang_rules::municipality::by_code(case.home_municipality)
        .map_or_else(|| "Din kommune".to_owned(), |m| format!("{} Kommune", m.name));
    let mut blocks = vec![para(format!(
        "{home} har gennemgået din sag om førtidspension som en del af den systematiske gennemgang af udvalgte sager og har ikke fundet en konkret og saglig anledning til at genåbne den. Vi skal som afgørelseskommune efterprøve den vurdering, og vi er enige i den."
    ))];
    // What was assessed, and on what: the citizen reads the municipality's own reasons, not only its result.
    if let Some(reasons) = case.no_ground_reasons.as_deref().filter(|r| !r.trim().is_empty()) {
        blocks.push(heading("Kommunens vurdering"));
        blocks.push(para(reasons.to_owned()));
    }
    if !case.evidence.is_empty() {
        blocks.push(heading("Det har kommunen set på"));
        blocks.push(evidence_list(case));
    }
    blocks.push(para(
        "Gennemgangen er dermed afsluttet. Du beholder din førtidspension som hidtil. Der er ikke truffet en ny afgørelse i din sag, og du skal ikke gøre noget.",
    ));
    blocks.push(para(format!(
        "Du har ret til at se sagens dokumenter (aktindsigt, {}). Kontakt os, hvis du har spørgsmål.",
        Citation::Fvl9
    )));
    Ok(blocks)
}

fn complaint_receipt(case: &Case) -> Result<Vec<Block>, ComposeError> {
    let Some(c) = &case.complaint else {
        return Err(not(LetterKind::ComplaintReceipt, "der er ikke registreret en klage"));
    };
    let mut blocks = vec![para(format!(
        "Vi har den {} modtaget din klage over afgørelsen om din førtidspension.",
        danish(c.received_on)
    ))];
    if c.within_deadline == Some(false) {
        blocks.push(para("Klagen er modtaget efter klagefristen. Ankestyrelsen vurderer, om den alligevel kan behandles, fx hvis der er en undskyldende grund til, at den kom for sent."));
    }
    blocks.push(para(format!(
        "Vi genvurderer afgørelsen{} ({}). Giver vi dig helt eller delvist medhold, får du en ny afgørelse. Ellers sender vi klagen og sagens dokumenter til Ankestyrelsen og giver dig besked.",
        c.reassess_by.map_or_else(String::new, |d| format!(" senest {}", danish(d))),
        Citation::Rsl66
    )));
    Ok(blocks)
}

/// The answer to a request for access to one's own case (FVL § 9): what the file holds, what is withheld
/// and why, each withholding with its legal basis (the review parameters').
fn access_answer(case: &Case) -> Result<Vec<Block>, ComposeError> {
    let Some(r) = case.access_requests.iter().rev().find(|r| r.answered_on.is_some()) else {
        return Err(not(LetterKind::AccessAnswer, "der er ingen besvaret anmodning om aktindsigt"));
    };
    let params = &ReviewParams::builtin().access;
    let withheld = |n: usize| r.withheld.iter().find(|w| w.document == n);
    let mut blocks = vec![
        para(format!(
            "Du bad den {} om aktindsigt i din sag om førtidspension: »{}«. Som part i sagen har du ret til at se sagens dokumenter ({}).",
            danish(r.received_on),
            r.scope,
            Citation::Fvl9
        )),
        heading("Det får du"),
    ];
    let documents: Vec<String> = case
        .documents
        .iter()
        .enumerate()
        .filter(|(i, _)| withheld(i + 1).is_none())
        .map(|(i, d)| format!("Dokument nr. {}: {} ({})", i + 1, d.document.title, danish(d.document.dated)))
        .collect();
    let mut items = documents;
    items.push("Sagens historik: hvert skridt i sagen med dato og hvem, der tog det".into());
    items.push("En oversigt over, hvem der har set oplysningerne i din sag, og hvornår".into());
    blocks.push(Block::List { items });
    if !r.withheld.is_empty() {
        blocks.push(heading("Det får du ikke"));
        let items = r
            .withheld
            .iter()
            .map(|w| {
                let title = case.documents.get(w.document - 1).map_or("", |d| d.document.title.as_str());
                let basis = match w.reason {
                    gennemgang_case::action::WithholdReason::InternalDocument => &params.internal_document_basis,
                    gennemgang_case::action::WithholdReason::ThirdParty => &params.third_party_basis,
                };
                format!("Dokument nr. {} ({title}): {} ({basis})", w.document, w.reason.danish())
            })
            .collect();
        blocks.push(Block::List { items });
    }
    blocks.push(para(
        "Dokumenterne følger med dette brev. Har du spørgsmål, eller mener du, at noget mangler, så kontakt os.",
    ));
    Ok(blocks)
}

fn forwarding(case: &Case, events: &[Event]) -> Result<Vec<Block>, ComposeError> {
    let Some(complaint) = case.complaint.as_ref() else {
        return Err(not(LetterKind::Forwarding, "klagen er ikke sendt til Ankestyrelsen"));
    };
    let Some(on) = complaint.forwarded_on else {
        return Err(not(LetterKind::Forwarding, "klagen er ikke sendt til Ankestyrelsen"));
    };
    let reasons = last(events, |a| match a {
        Action::Reassess { reasons, .. } => Some(reasons.clone()),
        _ => None,
    });
    let mut blocks = vec![para(match complaint.reassessment {
        Some(gennemgang_case::action::ReassessOutcome::PartlyChanged) => format!(
            "Vi har genvurderet afgørelsen og givet dig delvist medhold; det har du fået en ny afgørelse om. Resten af din klage har vi den {} sendt til Ankestyrelsen sammen med sagens dokumenter ({}).",
            danish(on),
            Citation::Rsl66
        ),
        Some(_) => format!(
            "Vi har genvurderet afgørelsen og fastholder den. Vi har derfor den {} sendt din klage og sagens dokumenter til Ankestyrelsen ({}).",
            danish(on),
            Citation::Rsl66
        ),
        None => format!(
            "Din klage er modtaget efter klagefristen. Vi har den {} sendt den og sagens dokumenter til Ankestyrelsen, som vurderer, om klagen alligevel kan behandles.",
            danish(on)
        ),
    })];
    if let Some(reasons) = reasons.filter(|_| complaint.reassessment.is_some()) {
        blocks.push(heading("Vores begrundelse"));
        blocks.push(para(reasons));
    }
    blocks.push(para(
        "Ankestyrelsen skriver til dig, når de har modtaget sagen, og træffer afgørelse i klagesagen. Du kan sende bemærkninger til vores genvurdering direkte til Ankestyrelsen.",
    ));
    Ok(blocks)
}
