//! Composing a letter from the case. Every sentence that states a fact, a reason, a rule or a date is
//! taken from the case's history and the rules that computed it — the evidence as recorded with its legal
//! basis, the written reopening ground, the decision's reasons and its decision record (the law at the
//! award), and deadlines from the same calendar function the case used (`calendar::deadline`) — never
//! retyped. Legal basis of the letters themselves: FVL § 19 (partshøring), §§ 22-24 (begrundelse), § 25
//! (klagevejledning); RSL §§ 66-67 (genvurdering og klagefrist); RSL §§ 11 a-11 b (samtykke).

use crate::model::{Block, Letter, LetterKind, Recipient, Sender};
use gennemgang_case::action::{Action, Channel};
use gennemgang_case::case::{Case, Event, Interview, State};
use gennemgang_rules::calendar::deadline::Deadline;
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::date::danish;
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
            "Du kan klage over afgørelsen. Klagen skal være modtaget hos {} senest {}, som er 4 uger efter, at du har modtaget afgørelsen (retssikkerhedslovens § 67). {how}",
            issue.sender.name,
            danish(due.date)
        )),
        para(format!(
            "Du kan klage skriftligt eller mundtligt til {} ({}, tlf. {}). Vi genvurderer afgørelsen inden 4 uger (retssikkerhedslovens § 66). Hvis vi fastholder den, sender vi din klage videre til Ankestyrelsen, som træffer afgørelse i klagesagen.",
            issue.sender.name, issue.sender.email, issue.sender.phone
        )),
        para("Sådan er klagefristen beregnet:"),
        Block::List { items: due.reasoning.iter().map(|r| format!("{} ({})", r.text, r.legal_basis)).collect() },
    ];
    blocks.push(para(
        "Du har ret til at se sagens dokumenter (aktindsigt, forvaltningslovens § 9). Kontakt os, hvis du vil have aktindsigt eller har spørgsmål.",
    ));
    blocks
}

/// The evidence the case rests on, each with what it showed and the legal basis for obtaining it.
fn evidence_list(case: &Case) -> Block {
    Block::List {
        items: case
            .evidence
            .iter()
            .map(|e| format!("{} ({}): {} [{}]", e.source.danish(), danish(e.obtained_on), e.summary, e.legal_basis))
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
        LetterKind::Reopening => reopening(case)?,
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
        LetterKind::DecisionUpheld => upheld(case, events)?,
        LetterKind::ComplaintReceipt => complaint_receipt(case)?,
        LetterKind::Forwarding => forwarding(events)?,
    };
    Ok(Letter {
        kind,
        title: kind.danish().to_owned(),
        case_id: case.id,
        date: issue.sent_on,
        date_text: danish(issue.sent_on),
        channel: issue.channel,
        recipient: Recipient { cpr: case.facts.cpr.clone(), name: "Til borgeren".into() },
        signature: format!("{}, {}", issue.sender.department, issue.sender.name),
        sender: issue.sender.clone(),
        blocks,
        reply_by,
        complaint_deadline: complaint,
        rules_version: gennemgang_rules::RULES_VERSION.to_owned(),
    })
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
            "Kan du ikke komme, skal du kontakte os hurtigst muligt på tlf. {} eller {}, så vi kan finde en ny tid. Kommer du ikke, og hører vi ikke fra dig, kan vi behandle din sag på det grundlag, vi allerede har (retssikkerhedslovens § 11 b).",
            issue.sender.phone, issue.sender.email
        )),
        para(
            "Det, du fortæller ved samtalen, skriver vi ned i din sag (offentlighedslovens § 13). Samtalen ændrer ikke i sig selv din pension.",
        ),
    ])
}

fn reopening(case: &Case) -> Result<Vec<Block>, ComposeError> {
    let Some(ground) = &case.reopening_ground else {
        return Err(not(LetterKind::Reopening, "sagen er ikke genåbnet"));
    };
    Ok(vec![
        para(
            "Vi har gennemgået din sag om førtidspension og har besluttet at genåbne den. Det betyder, at vi undersøger, om din arbejdsevne er blevet væsentligt og varigt bedre, siden du fik førtidspension (lov om social pension § 44, stk. 1). Du beholder din pension, mens vi undersøger sagen.",
        ),
        heading("Hvorfor vi genåbner sagen"),
        para(ground.clone()),
        para("Vi har lagt vægt på disse oplysninger:"),
        evidence_list(case),
        heading("Vi beder om dit samtykke"),
        para(
            "For at vurdere din arbejdsevne har vi brug for nye oplysninger om dit helbred fra din læge eller sygehuset. Det må vi kun indhente med dit samtykke (retssikkerhedslovens § 11 a, stk. 1). Vedlagt er en samtykkeerklæring, der siger, hvilke oplysninger vi vil indhente, og hvorfra.",
        ),
        para(
            "Du bestemmer selv, om du vil give samtykke. Giver du ikke samtykke, behandler vi sagen på det grundlag, vi har (retssikkerhedslovens § 11 b). Vi kan også bede dig om at deltage i en arbejdsprøvning i en virksomhed.",
        ),
        para(
            "Vi hører dig, før vi træffer en afgørelse, hvis vi vil lægge vægt på oplysninger, der taler imod dig (forvaltningslovens § 19).",
        ),
    ])
}

fn hearing(case: &Case, events: &[Event]) -> Result<(Vec<Block>, Date), ComposeError> {
    let Some((info, by)) = last(events, |a| match a {
        Action::StartHearing { adverse_information, answer_by: Some(by), .. } => {
            Some((adverse_information.clone(), *by))
        }
        _ => None,
    }) else {
        return Err(not(LetterKind::Hearing, "der er ikke startet en partshøring"));
    };
    Ok((
        vec![
            para(
                "Vi er ved at undersøge, om din førtidspension skal frakendes, fordi din arbejdsevne kan være blevet væsentligt og varigt bedre (lov om social pension § 44, stk. 1). Inden vi træffer afgørelse, skal du have mulighed for at udtale dig om de oplysninger, der kan tale imod dig (forvaltningslovens § 19).",
            ),
            heading("De oplysninger, vi vil lægge vægt på"),
            para(info),
            para("Oplysningerne stammer fra:"),
            evidence_list(case),
            heading("Sådan svarer du"),
            para(format!(
                "Send os dine bemærkninger senest {}. Du kan svare på dette brev i Digital Post, skrive eller ringe til os. Hører vi ikke fra dig inden fristen, træffer vi afgørelse på det grundlag, vi har.",
                danish(by)
            )),
            para("Dette brev er ikke en afgørelse. Du beholder din pension, mens sagen behandles."),
        ],
        by,
    ))
}

fn revocation(case: &Case, events: &[Event], issue: &Issue<'_>) -> Result<(Vec<Block>, Date), ComposeError> {
    let Some(decision) = case.decision.as_ref().filter(|d| d.revoked) else {
        return Err(not(LetterKind::DecisionRevocation, "der er ikke truffet afgørelse om frakendelse"));
    };
    let award_law = decision
        .record
        .as_ref()
        .map_or_else(|| case.facts.award_law().danish().to_owned(), |r| r.award_law.danish().to_owned());
    let due = complaint_deadline(issue.calendar, issue.sent_on, issue.channel)?;
    let mut blocks = vec![
        heading("Afgørelse"),
        para(format!(
            "Din førtidspension frakendes med virkning fra {}. Du får udbetalt pension i {} måned(er) efter dette tidspunkt (lov om social pension § 44, stk. 1, 2. pkt.).",
            decision.effective_from.map_or_else(|| "den dato, der står i afgørelsen".to_owned(), danish),
            decision.keep_payment_months
        )),
        heading("Begrundelse"),
        para(decision.reasons.clone()),
        para(format!(
            "Afgørelsen er truffet efter lov om social pension § 44, stk. 1, som kræver, at din arbejdsevne er forbedret væsentligt og varigt, så du kan forsørge dig selv ved indtægtsgivende arbejde. Din sag er vurderet efter de regler, der gjaldt, da du fik tilkendt pension den {}: {award_law}.",
            danish(case.facts.awarded_on)
        )),
        para(format!(
            "Du er under 60 år på afgørelsesdagen (lov om social pension § 44, stk. 3), og afgørelsen er truffet den {} af {} og godkendt af en anden medarbejder.",
            danish(decision.decided_on),
            issue.sender.name
        )),
        heading("De oplysninger, afgørelsen bygger på"),
        evidence_list(case),
    ];
    if let Some(answer) = last(events, |a| match a {
        Action::CompleteHearing { answer, on } => Some((answer.clone(), *on)),
        _ => None,
    }) {
        blocks.push(para(match answer {
            (Some(text), on) => format!("Du er blevet hørt om oplysningerne (forvaltningslovens § 19) og svarede den {}: »{text}«. Vi har indgået dit svar i vurderingen.", danish(on)),
            (None, _) => "Du er blevet hørt om oplysningerne (forvaltningslovens § 19), men vi har ikke modtaget bemærkninger inden fristen.".to_owned(),
        }));
    }
    blocks.push(heading("Hvad sker der nu"));
    blocks.push(para("Når pensionen ophører, kan du søge om anden hjælp til forsørgelse, fx kontanthjælp eller fleksjob. Kontakt jobcentret, så hjælper vi dig videre."));
    blocks.extend(complaint_guidance(issue, &due));
    Ok((blocks, due.date))
}

fn upheld(case: &Case, events: &[Event]) -> Result<Vec<Block>, ComposeError> {
    let reasons = match (&case.decision, case.state) {
        (Some(d), _) if !d.revoked => d.reasons.clone(),
        (_, State::ClosedNoGround) => last(events, |a| match a {
            Action::AssessNoGround { reasons } => Some(reasons.clone()),
            _ => None,
        })
        .unwrap_or_default(),
        _ => return Err(not(LetterKind::DecisionUpheld, "sagen er ikke afsluttet med, at pensionen fastholdes")),
    };
    Ok(vec![
        heading("Afgørelse"),
        para("Du beholder din førtidspension. Vi har gennemgået din sag og har ikke fundet grundlag for at ændre den."),
        heading("Begrundelse"),
        para(reasons),
        para("Vi har lagt vægt på disse oplysninger:"),
        evidence_list(case),
        para(
            "Afgørelsen giver dig fuldt ud medhold, og der er derfor ikke klagevejledning (forvaltningslovens § 25, stk. 1). Du har ret til aktindsigt i sagen (forvaltningslovens § 9). Kontakt os, hvis du har spørgsmål.",
        ),
    ])
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
        "Vi genvurderer afgørelsen{} (retssikkerhedslovens § 66). Giver vi dig helt eller delvist medhold, får du en ny afgørelse. Ellers sender vi klagen og sagens dokumenter til Ankestyrelsen og giver dig besked.",
        c.reassess_by.map_or_else(String::new, |d| format!(" senest {}", danish(d)))
    )));
    Ok(blocks)
}

fn forwarding(events: &[Event]) -> Result<Vec<Block>, ComposeError> {
    let Some(on) = last(events, |a| match a {
        Action::ForwardToAppealsBoard { on } => Some(*on),
        _ => None,
    }) else {
        return Err(not(LetterKind::Forwarding, "klagen er ikke sendt til Ankestyrelsen"));
    };
    let reasons = last(events, |a| match a {
        Action::Reassess { reasons, .. } => Some(reasons.clone()),
        _ => None,
    })
    .unwrap_or_default();
    Ok(vec![
        para(format!(
            "Vi har genvurderet afgørelsen og fastholder den. Vi har derfor den {} sendt din klage og sagens dokumenter til Ankestyrelsen (retssikkerhedslovens § 66).",
            danish(on)
        )),
        heading("Vores begrundelse for at fastholde afgørelsen"),
        para(reasons),
        para(
            "Ankestyrelsen skriver til dig, når de har modtaget sagen, og træffer afgørelse i klagesagen. Du kan sende bemærkninger til vores genvurdering direkte til Ankestyrelsen.",
        ),
    ])
}
