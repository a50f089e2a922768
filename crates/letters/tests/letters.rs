//! Letters read as a citizen would: every kind composed from the sample case, the decision letter's reasons,
//! law and complaint guidance, its deadline from the same calendar as the case, and the MeMo message.

use gennemgang_case::action::{Action, Channel};
use gennemgang_letters::compose::complaint_deadline;
use gennemgang_letters::memo::message;
use gennemgang_letters::sample::sample;
use gennemgang_letters::sender::demo;
use gennemgang_letters::{ComposeError, Issue, Letter, LetterKind, compose};
use gennemgang_rules::calendar::params::{BUILTIN, CalendarParams};
use jiff::civil::{Date, date};

fn issue(calendar: &CalendarParams, sent_on: Date, channel: Channel) -> Issue<'_> {
    Issue { sent_on, channel, sender: demo(159), calendar, meeting_time: "10.00".into() }
}

fn letter(kind: LetterKind, sent_on: Date, channel: Channel) -> Letter {
    let (case, events, _) = sample(kind).unwrap_or_else(|e| panic!("{e}"));
    compose(&case, &events, kind, &issue(CalendarParams::builtin(), sent_on, channel)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_kind_composes_for_the_sample_at_its_step() {
    for kind in LetterKind::ALL {
        let l = letter(kind, date(2027, 3, 19), Channel::Digital);
        let text = l.plain_text();
        assert!(text.contains(kind.danish()) && text.contains("Gladsaxe Kommune"), "{kind:?}: {text}");
    }
    let summons = letter(LetterKind::Summons, date(2026, 12, 7), Channel::Digital).plain_text();
    assert!(
        summons.contains("10. december 2026") && summons.contains("kl. 10.00") && summons.contains("§ 11 b"),
        "{summons}"
    );
    // GDPR art. 14: the registers consulted without consent, and why.
    assert!(
        summons.contains("uden dit samtykke")
            && summons.contains("databeskyttelsesforordningens artikel 14")
            && summons.contains("Indkomstregistret: dine indkomstforhold"),
        "{summons}"
    );
    let hearing = letter(LetterKind::Hearing, date(2026, 12, 10), Channel::Digital);
    assert!(hearing.reply_by.is_some() && hearing.plain_text().contains("arbejdsprøvningen i Virksomhed A"));
    // The board tells the citizen why the case goes back to the team (seed 004), and that nothing is decided.
    let back = letter(LetterKind::RePresentation, date(2027, 1, 14), Channel::Digital).plain_text();
    assert!(
        back.contains("indstillede på sit møde den 7. januar 2027, at førtidspensionen frakendes")
            && back.contains("Nævnet finder ikke, at den viser en væsentlig og varig forbedring")
            && back.contains("Der er ikke truffet afgørelse i din sag"),
        "{back}"
    );
    // RSL § 3, stk. 2: the deadline cannot be kept; why, and when instead.
    let late = letter(LetterKind::Delay, date(2026, 12, 10), Channel::Digital).plain_text();
    assert!(
        late.contains("retssikkerhedslovens § 3, stk. 2")
            && late.contains("Vi venter på oplysninger fra din tidligere arbejdsgiver")
            && late.contains("Vi forventer at have gennemgået din sag senest 15. april 2027"),
        "{late}"
    );
}

#[test]
fn the_revocation_states_reasons_law_and_the_complaint_deadline_of_a_physical_letter_before_christmas() {
    let l = letter(LetterKind::DecisionRevocation, date(2026, 12, 22), Channel::Physical);
    let text = l.plain_text();
    // Reasons from the decision, evidence with its legal basis, one legal basis with its one test.
    assert!(text.contains("arbejdsprøvningen 25 timer om ugen i 8 uger"), "{text}");
    assert!(
        text.contains("Indkomstregistret (2. december 2026)") && text.contains("retssikkerhedslovens § 11 a, stk. 2"),
        "{text}"
    );
    assert!(text.contains("Afgørelsen er truffet efter lov om social pension § 44, stk. 1. Betingelsen er: Arbejdsevnen er forbedret væsentligt"), "{text}");
    let basis = &gennemgang_rules::review::ReviewParams::builtin().revocation_basis;
    assert!(
        !text.contains("regler, der gjaldt") && !text.contains(&basis.note) && !text.contains("Bekræft hjemlen"),
        "no second test, and the basis is never put to the citizen as a doubt"
    );
    // Decided 22 December 2026, received 4 January 2027: in force from 1 February, paid to 30 April.
    assert!(text.contains("truffet den 22. december 2026"), "{text}");
    assert!(
        text.contains("virkning fra 1. februar 2027")
            && text.contains("3 måneder")
            && text.contains("til og med 30. april 2027"),
        "{text}"
    );
    assert!(text.contains("»Jeg kan ikke arbejde mere end 20 timer.«"), "the hearing answer is weighed");
    assert!(text.contains("retssikkerhedslovens § 72"), "a complaint does not suspend the revocation");
    // Never dated before the decision.
    let (case, events, _) = sample(LetterKind::DecisionRevocation).expect("sample");
    let early = compose(
        &case,
        &events,
        LetterKind::DecisionRevocation,
        &issue(CalendarParams::builtin(), date(2026, 12, 18), Channel::Digital),
    );
    assert!(matches!(early, Err(ComposeError::NotApplicable { .. })), "{early:?}");
    // Complaint guidance: Ankestyrelsen, RSL § 67, and the date. Sent Tuesday 22 December 2026 by post:
    // received on the 6th delivery day (24 December and the weekends and holidays are no delivery days),
    // then 4 weeks.
    let due = complaint_deadline(CalendarParams::builtin(), date(2026, 12, 22), Channel::Physical).expect("deadline");
    assert_eq!(l.complaint_deadline, Some(due.date));
    assert!(due.date > date(2027, 1, 26), "later than a digital letter's {}", due.date);
    assert!(text.contains("Ankestyrelsen") && text.contains("§ 67"));
    assert!(text.contains(&gennemgang_rules::date::danish(due.date)), "{text}");
    for reason in &due.reasoning {
        assert!(text.contains(&reason.text), "the letter explains the deadline: {}", reason.text);
    }
}

#[test]
fn the_letter_never_contradicts_the_case_computation_of_the_complaint_deadline() {
    let (mut case, events, _) = sample(LetterKind::DecisionRevocation).expect("sample");
    let sent_on = date(2026, 12, 22);
    for channel in [Channel::Digital, Channel::Physical] {
        let l = compose(
            &case,
            &events,
            LetterKind::DecisionRevocation,
            &issue(CalendarParams::builtin(), sent_on, channel),
        )
        .expect("letter");
        // The case records the sending with the same inputs; decide() computes the deadline itself.
        let routing = gennemgang_case::facts::Routing::default();
        let staff = gennemgang_case::decide::Staff::default();
        let ctx = gennemgang_case::decide::Context {
            today: sent_on,
            routing: &routing,
            calendar: CalendarParams::builtin(),
            review: gennemgang_rules::review::ReviewParams::builtin(),
            staff: &staff,
        };
        let decider = gennemgang_case::actor::Actor {
            user: "afgoerelse101".into(),
            role: gennemgang_case::actor::Role::DecidingCaseworker,
            municipality: Some(101),
        };
        let event = gennemgang_case::perform(
            &case,
            &decider,
            Action::SendDecisionLetter { sent_on, channel },
            &ctx,
            jiff::Timestamp::UNIX_EPOCH,
        )
        .expect("send");
        let mut sent = case.clone();
        sent.apply(&event);
        assert_eq!(sent.letter.and_then(|x| x.complaint_deadline), l.complaint_deadline, "{channel:?}");
        // And the date of effect the letter states is the one the case records.
        let from = sent.decision.as_ref().and_then(|d| d.effective_from).expect("in force from");
        assert!(
            l.plain_text().contains(&format!("virkning fra {}", gennemgang_rules::date::danish(from))),
            "{channel:?}"
        );
    }
    case.decision = None;
    assert!(matches!(
        compose(
            &case,
            &events,
            LetterKind::DecisionRevocation,
            &issue(CalendarParams::builtin(), sent_on, Channel::Digital)
        ),
        Err(ComposeError::NotApplicable { .. })
    ));
}

#[test]
fn a_changed_rule_changes_the_letter() {
    // The same decision under a calendar whose complaint period is 6 weeks instead of 4.
    let longer = CalendarParams::parse(&BUILTIN.replace("complaint_weeks = 4", "complaint_weeks = 6"), "test")
        .expect("calendar");
    let (case, events, _) = sample(LetterKind::DecisionRevocation).expect("sample");
    let sent_on = date(2027, 3, 19);
    let before = compose(
        &case,
        &events,
        LetterKind::DecisionRevocation,
        &issue(CalendarParams::builtin(), sent_on, Channel::Digital),
    )
    .expect("letter");
    let after = compose(&case, &events, LetterKind::DecisionRevocation, &issue(&longer, sent_on, Channel::Digital))
        .expect("letter");
    assert_eq!(before.complaint_deadline, Some(date(2027, 4, 16)));
    assert_eq!(after.complaint_deadline, Some(date(2027, 4, 30)));
    assert!(after.plain_text().contains("30. april 2027") && !after.plain_text().contains("16. april 2027"));
}

#[test]
fn letters_that_do_not_fit_the_case_are_refused() {
    let (case, events, _) = sample(LetterKind::Summons).expect("sample");
    let i = issue(CalendarParams::builtin(), date(2026, 12, 7), Channel::Digital);
    for kind in [
        LetterKind::DecisionRevocation,
        LetterKind::DecisionUpheld,
        LetterKind::ReviewClosed,
        LetterKind::ComplaintReceipt,
        LetterKind::Forwarding,
        LetterKind::Hearing,
    ] {
        assert!(matches!(compose(&case, &events, kind, &i), Err(ComposeError::NotApplicable { .. })), "{kind:?}");
    }
}

#[test]
fn the_memo_message_carries_the_pdf_and_the_legal_flags() {
    let pdf = b"%PDF-1.7 test".to_vec();
    for (kind, sent_on) in
        [(LetterKind::DecisionRevocation, date(2027, 3, 19)), (LetterKind::Hearing, date(2026, 12, 10))]
    {
        let l = letter(kind, sent_on, Channel::Digital);
        let m = message(&l, &pdf);
        let doc = roxmltree::Document::parse(&m.xml).expect("well-formed XML");
        let ns = "https://DigitalPost.dk/MeMo-1";
        let root = doc.root_element();
        assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(ns), "Message"));
        let text = |name: &str| {
            doc.descendants()
                .find(|n| n.tag_name().name() == name && n.tag_name().namespace() == Some(ns))
                .and_then(|n| n.text())
        };
        assert_eq!(text("messageUUID"), Some(m.uuid.as_str()));
        assert_eq!(text("legalNotification"), Some(if kind.is_decision() { "true" } else { "false" }));
        assert_eq!(text("senderID"), Some(l.sender.cvr.as_str()));
        assert_eq!(text("recipientID"), Some("6105801001"));
        let recipient = doc.descendants().find(|n| n.tag_name().name() == "Recipient").expect("recipient");
        let label = recipient.children().find(|n| n.tag_name().name() == "label").and_then(|n| n.text());
        assert_eq!(label, Some("Amina Yusuf Hassan"), "the citizen's name as CPR holds it");
        assert_eq!(text("caseID"), Some("1"));
        assert_eq!(text("encodingFormat"), Some("application/pdf"));
        use base64::Engine as _;
        let content =
            base64::engine::general_purpose::STANDARD.decode(text("content").expect("content")).expect("base64");
        assert_eq!(content, pdf);
        match kind {
            LetterKind::Hearing => {
                assert_eq!(text("reply"), Some("true"));
                assert_eq!(text("replyByDateTime"), l.reply_by.map(|d| format!("{d}T23:59:59Z")).as_deref());
            }
            _ => assert_eq!(text("reply"), None),
        }
        // The same letter always gets the same message id.
        assert_eq!(message(&l, &pdf).uuid, m.uuid);
    }
}

#[test]
fn a_validated_review_gets_a_plain_notice_and_a_kept_pension_on_a_reopened_case_a_decision() {
    let notice = letter(LetterKind::ReviewClosed, date(2026, 12, 14), Channel::Digital);
    let text = notice.plain_text();
    assert!(
        text.contains("Gennemgangen er dermed afsluttet") && text.contains("ikke truffet en ny afgørelse"),
        "{text}"
    );
    assert!(!text.contains("Sådan klager du") && notice.complaint_deadline.is_none(), "no complaint guidance: {text}");
    assert!(!notice.kind.is_decision(), "a notice is no legal notification");
    let upheld = letter(LetterKind::DecisionUpheld, date(2027, 1, 14), Channel::Digital);
    let text = upheld.plain_text();
    assert!(
        text.contains("har truffet afgørelse om, at du beholder din førtidspension")
            && text.contains("14. januar 2027"),
        "{text}"
    );
}

/// The sample case decided at the board's meeting under `routing`: the decision letter's text and the day.
fn decided_at_the_board(routing: &gennemgang_case::facts::Routing) -> (String, String) {
    use gennemgang_case::actor::{Actor, Role};
    use gennemgang_case::case::InPerson;
    let (mut case, mut events, _) = sample(LetterKind::InPersonInvitation).expect("sample");
    let InPerson::Scheduled { meeting_on } = case.in_person else { panic!("not scheduled: {:?}", case.in_person) };
    let staff = gennemgang_case::decide::Staff::default();
    let ctx = gennemgang_case::decide::Context {
        today: meeting_on,
        routing,
        calendar: CalendarParams::builtin(),
        review: gennemgang_rules::review::ReviewParams::builtin(),
        staff: &staff,
    };
    let who = |user: &str, role| Actor { user: user.into(), role, municipality: Some(101) };
    for (actor, action) in [
        (
            who("afgoerelse101", Role::DecidingCaseworker),
            Action::RecordHearingInPerson { note: "Smerter i ryggen.".into() },
        ),
        (
            who("afgoerelse101", Role::DecidingCaseworker),
            Action::ProposeRevocation { reasons: "Arbejdsevnen er forbedret.".into(), keep_payment_months: 0 },
        ),
        (who("attestant101", Role::DecidingApprover), Action::ApproveRevocation {}),
    ] {
        let event = gennemgang_case::perform(&case, &actor, action, &ctx, jiff::Timestamp::UNIX_EPOCH).expect("acts");
        case.apply(&event);
        events.push(event);
    }
    let text = compose(
        &case,
        &events,
        LetterKind::DecisionRevocation,
        &issue(CalendarParams::builtin(), meeting_on, Channel::Digital),
    )
    .expect("letter")
    .plain_text();
    (text, gennemgang_rules::date::danish(meeting_on))
}

#[test]
fn a_decision_made_at_the_board_says_so_and_what_the_citizen_told_it() {
    let (text, day) = decided_at_the_board(&gennemgang_case::facts::Routing::default());
    assert!(text.contains(&format!("truffet af pensionsnævnet i Gladsaxe Kommune på mødet den {day}")), "{text}");
    assert!(text.contains(&format!("Du var i foretræde for pensionsnævnet den {day}")), "{text}");
    assert!(!text.contains("praksis") && !text.contains("Nævnet bestod"), "no example board in a letter: {text}");
    // A configured board is named with its members, as the decision recorded them at the meeting.
    let mut routing = gennemgang_case::facts::Routing::default();
    let mut meetings = CalendarParams::builtin().board.clone();
    meetings.name = "Pensionsnævnet, Københavns Kommune".into();
    routing.boards.push(gennemgang_case::facts::BoardSetup {
        municipality: 101,
        members: vec!["teamlederen for Jobcenter".into(), "teamlederen for Ydelsesservice".into()],
        prepare_days: 14,
        meetings,
    });
    let (text, day) = decided_at_the_board(&routing);
    assert!(
        text.contains(&format!(
            "truffet af pensionsnævnet, Københavns Kommune på mødet den {day}: ét medlem har indstillet, og et andet har godkendt den. Nævnet bestod af teamlederen for Jobcenter og teamlederen for Ydelsesservice."
        )),
        "{text}"
    );
}

/// The legal basis of each piece of evidence is a line of its own, so a summary written right to left does
/// not carry the basis into its direction (found by an outside attack: the brackets came out scrambled).
#[test]
fn each_evidence_item_gives_its_legal_basis_on_a_line_of_its_own() {
    let l = letter(LetterKind::Reopening, date(2026, 12, 10), Channel::Digital);
    let items: Vec<&String> = l
        .blocks
        .iter()
        .filter_map(|b| match b {
            gennemgang_letters::Block::List { items } => Some(items),
            _ => None,
        })
        .flatten()
        .filter(|i| i.contains('['))
        .collect();
    assert!(!items.is_empty());
    for item in items {
        let last = item.lines().last().unwrap_or_default();
        assert!(last.starts_with('[') && last.ends_with(']') && item.lines().count() >= 2, "{item:?}");
    }
}

/// The letter that closes a review without reopening says what the home municipality assessed and on
/// what: its reasons and the evidence, not only the result.
#[test]
fn the_closing_letter_gives_the_municipalitys_reasons_and_evidence() {
    let (case, _, _) = sample(LetterKind::ReviewClosed).unwrap_or_else(|e| panic!("{e}"));
    let reasons = case.no_ground_reasons.clone().expect("the sample's reasons");
    let text = letter(LetterKind::ReviewClosed, date(2027, 3, 19), Channel::Digital).plain_text();
    assert!(text.contains("Kommunens vurdering") && text.contains(reasons.trim()), "{text}");
    assert!(text.contains("Det har kommunen set på"), "{text}");
}

/// Addressed by name and address; with name and address protection (CPR-loven § 28) the address is printed
/// only where the letter must be posted to it.
#[test]
fn the_letter_is_addressed_by_name_and_a_protected_address_only_on_paper() {
    let kind = LetterKind::Summons;
    let on = date(2026, 12, 7);
    let (mut case, events, _) = sample(kind).unwrap_or_else(|e| panic!("{e}"));
    let cal = CalendarParams::builtin();
    let to = |case: &gennemgang_case::case::Case, channel| {
        compose(case, &events, kind, &issue(cal, on, channel)).unwrap_or_else(|e| panic!("{e}")).recipient
    };
    let r = to(&case, Channel::Digital);
    assert_eq!(
        (r.name.as_str(), r.address.clone()),
        ("Amina Yusuf Hassan", vec!["Bøgeparken 12, 3. tv".to_owned(), "2860 Søborg".to_owned()])
    );
    case.citizen.address_protected = true;
    assert!(to(&case, Channel::Digital).address.is_empty(), "a digital letter needs no address");
    assert_eq!(to(&case, Channel::Physical).address.len(), 2, "a paper letter must be posted to it");
    case.citizen = gennemgang_case::facts::Citizen::default();
    let r = to(&case, Channel::Physical);
    assert_eq!((r.name.as_str(), r.address.len(), r.label.as_str()), ("Til borgeren", 0, ""));
}
