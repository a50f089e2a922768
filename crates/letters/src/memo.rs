//! The Digital Post message (MeMo 1.2, namespace `https://DigitalPost.dk/MeMo-1`) that carries a letter:
//! the PDF as main document, the municipality's CVR as sender, the citizen's CPR as recipient, the case
//! id, `legalNotification` for decisions, and `reply`/`replyByDateTime` when an answer is asked for
//! (hearings). Elements follow the order of the public MeMo examples (../shared/reference/memo).

use crate::model::Letter;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The case system named in `memo:CaseID`.
pub const CASE_SYSTEM: &str = "Gennemgang";

/// A message ready to hand to Digital Post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// `memo:messageUUID`: derived from the case, the kind and the date, so the same letter always gets
    /// the same id and a resend is recognisably the same message.
    pub uuid: String,
    /// The XML.
    pub xml: String,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write these: kept, the message would not parse. (New text cannot hold
            // them; a register or an older history might.)
            c if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// A name-based UUID (version 8 layout over SHA-256) of the letter's identity.
#[must_use]
pub fn message_uuid(letter: &Letter) -> String {
    let digest =
        Sha256::digest(format!("gennemgang/{}/{}/{}", letter.case_id, letter.kind.name(), letter.date).as_bytes());
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]).to_uppercase()
}

/// The file name of the letter's PDF.
#[must_use]
pub fn pdf_filename(letter: &Letter) -> String {
    format!("sag-{}-{}-{}.pdf", letter.case_id, letter.kind.name(), letter.date)
}

/// Builds the MeMo message for `letter` with `pdf` as its main document.
#[must_use]
pub fn message(letter: &Letter, pdf: &[u8]) -> Message {
    let uuid = message_uuid(letter);
    let mut x = String::with_capacity(pdf.len() * 4 / 3 + 4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(
        "<memo:Message xmlns:memo=\"https://DigitalPost.dk/MeMo-1\" memoVersion=\"1.2\" memoSchVersion=\"1.2.0\">\n",
    );
    x.push_str("\t<memo:MessageHeader>\n");
    let push = |x: &mut String, name: &str, value: &str, indent: usize| {
        x.push_str(&"\t".repeat(indent));
        x.push_str(&format!("<memo:{name}>{}</memo:{name}>\n", escape(value)));
    };
    push(&mut x, "messageType", "DIGITALPOST", 2);
    push(&mut x, "messageUUID", &uuid, 2);
    push(&mut x, "messageID", &format!("gennemgang-{}-{}-{}", letter.case_id, letter.kind.name(), letter.date), 2);
    push(&mut x, "label", &letter.title, 2);
    push(&mut x, "notification", &format!("{}: {}", letter.sender.name, letter.title), 2);
    if let Some(by) = letter.reply_by {
        push(&mut x, "reply", "true", 2);
        push(&mut x, "replyByDateTime", &format!("{by}T23:59:59Z"), 2);
    }
    push(&mut x, "mandatory", "false", 2);
    push(&mut x, "legalNotification", if letter.kind.is_decision() { "true" } else { "false" }, 2);
    push(&mut x, "postType", "MYNDIGHEDSPOST", 2);
    x.push_str("\t\t<memo:Sender>\n");
    push(&mut x, "senderID", &letter.sender.cvr, 3);
    push(&mut x, "idType", "CVR", 3);
    push(&mut x, "label", &letter.sender.name, 3);
    x.push_str("\t\t\t<memo:ContactPoint>\n");
    push(&mut x, "contactPointID", &letter.sender.department, 4);
    push(&mut x, "label", &letter.sender.department, 4);
    for (label, value) in
        [("Telefon", &letter.sender.phone), ("E-mail", &letter.sender.email), ("Adresse", &letter.sender.address)]
    {
        x.push_str("\t\t\t\t<memo:ContactInfo>\n");
        push(&mut x, "label", label, 5);
        push(&mut x, "value", value, 5);
        x.push_str("\t\t\t\t</memo:ContactInfo>\n");
    }
    x.push_str("\t\t\t</memo:ContactPoint>\n");
    x.push_str("\t\t</memo:Sender>\n");
    x.push_str("\t\t<memo:Recipient>\n");
    push(&mut x, "recipientID", &letter.recipient.cpr, 3);
    push(&mut x, "idType", "CPR", 3);
    if !letter.recipient.label.is_empty() {
        push(&mut x, "label", &letter.recipient.label, 3);
    }
    x.push_str("\t\t</memo:Recipient>\n");
    x.push_str("\t\t<memo:ContentData>\n\t\t\t<memo:CaseID>\n");
    push(&mut x, "caseID", &letter.case_id.to_string(), 4);
    push(&mut x, "caseSystem", CASE_SYSTEM, 4);
    x.push_str("\t\t\t</memo:CaseID>\n\t\t</memo:ContentData>\n");
    x.push_str("\t</memo:MessageHeader>\n");
    x.push_str("\t<memo:MessageBody>\n");
    push(&mut x, "createdDateTime", &format!("{}T00:00:00Z", letter.date), 2);
    x.push_str("\t\t<memo:MainDocument>\n");
    push(&mut x, "mainDocumentID", &format!("{}-1", uuid), 3);
    push(&mut x, "label", &letter.title, 3);
    x.push_str("\t\t\t<memo:File>\n");
    push(&mut x, "encodingFormat", "application/pdf", 4);
    push(&mut x, "filename", &pdf_filename(letter), 4);
    push(&mut x, "language", "da", 4);
    push(&mut x, "content", &base64::engine::general_purpose::STANDARD.encode(pdf), 4);
    x.push_str("\t\t\t</memo:File>\n\t\t</memo:MainDocument>\n\t</memo:MessageBody>\n</memo:Message>\n");
    Message { uuid, xml: x }
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn characters_xml_cannot_hold_are_dropped_and_markup_escaped() {
        assert_eq!(super::escape("a\u{1}b\u{1b}c\u{FFFE}<&>\t\n"), "abc&lt;&amp;&gt;\t\n");
    }
}
