//! The MeMo message round trip: a letter whose texts (reasons, evidence, sender) are arbitrary strings
//! becomes well-formed XML from which the same texts, ids and PDF bytes read back.
#![no_main]

use base64::Engine as _;
use gennemgang_case::action::Channel;
use gennemgang_letters::memo::message;
use gennemgang_letters::sample::sample;
use gennemgang_letters::sender::demo;
use gennemgang_letters::{Issue, LetterKind, compose};
use gennemgang_rules::calendar::params::CalendarParams;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // XML 1.0 cannot carry most control characters at all; the letter texts are typed by people.
    let text: String = text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    let Ok((case, events)) = sample(LetterKind::DecisionRevocation) else { return };
    let mut sender = demo(159);
    sender.name = text.clone();
    sender.department = text.clone();
    let issue = Issue {
        sent_on: jiff::civil::date(2027, 3, 19),
        channel: Channel::Digital,
        sender,
        calendar: CalendarParams::builtin(),
        meeting_time: "10.00".into(),
    };
    let Ok(mut letter) = compose(&case, &events, LetterKind::DecisionRevocation, &issue) else { return };
    letter.title = text.clone();
    let pdf = data.to_vec();
    let m = message(&letter, &pdf);
    let doc = roxmltree::Document::parse(&m.xml).expect("the message is well-formed XML");
    let get = |name: &str| doc.descendants().find(|n| n.tag_name().name() == name).and_then(|n| n.text()).unwrap_or("");
    assert_eq!(get("messageUUID"), m.uuid);
    assert_eq!(get("label"), letter.title.as_str(), "the title reads back");
    let content = base64::engine::general_purpose::STANDARD.decode(get("content")).expect("base64");
    assert_eq!(content, pdf, "the PDF reads back");
});
