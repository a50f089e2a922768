//! What a letter is made of: its kind, who sends it, to whom, and its text as blocks. The PDF template
//! (gennemgang-pdf) and the Digital Post message read this and nothing else, so a letter can be checked as
//! data before it is typeset.

pub use gennemgang_case::letter::LetterKind;
use serde::{Deserialize, Serialize};

/// The sending municipality as the letter and the Digital Post message name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// Municipality code.
    pub code: u16,
    /// "Gladsaxe Kommune".
    pub name: String,
    /// The unit that handles the case.
    pub department: String,
    /// CVR number (the Digital Post sender id).
    pub cvr: String,
    /// Postal address, one line.
    pub address: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Whether these are demo values rather than the municipality's own (said in the letter).
    pub demo: bool,
}

/// The citizen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Full CPR number (the Digital Post recipient id; printed on the letter as Danish letters do).
    pub cpr: String,
    /// The citizen's name as CPR holds it, or "Til borgeren" when the registers gave none.
    pub name: String,
    /// The postal address's lines, printed in the letter's address field; empty when it is not printed (a
    /// digital letter to a citizen with name and address protection, or no address known).
    #[serde(default)]
    pub address: Vec<String>,
    /// The name as given to Digital Post (empty when unknown).
    #[serde(default)]
    pub label: String,
}

/// One block of the letter's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading.
    Heading {
        /// Text.
        text: String,
    },
    /// A paragraph.
    Paragraph {
        /// Text.
        text: String,
    },
    /// A bulleted list.
    List {
        /// Items.
        items: Vec<String>,
    },
    /// Label/value rows.
    Facts {
        /// Rows.
        rows: Vec<(String, String)>,
    },
}

/// A composed letter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// Kind.
    pub kind: LetterKind,
    /// Title.
    pub title: String,
    /// The case.
    pub case_id: i64,
    /// The letter's date (the day it is sent).
    pub date: jiff::civil::Date,
    /// The same date in Danish ("1. december 2026").
    pub date_text: String,
    /// How it is sent.
    pub channel: gennemgang_case::action::Channel,
    /// Sender.
    pub sender: Sender,
    /// Recipient.
    pub recipient: Recipient,
    /// The body.
    pub blocks: Vec<Block>,
    /// Who signs.
    pub signature: String,
    /// For a hearing: the last day to answer.
    pub reply_by: Option<jiff::civil::Date>,
    /// For a decision that can be appealed: the complaint deadline stated in the letter.
    pub complaint_deadline: Option<jiff::civil::Date>,
    /// The rules version the text was composed under.
    pub rules_version: String,
}

impl Letter {
    /// The whole text, block by block, as a citizen reads it (for previews, tests and search).
    #[must_use]
    pub fn plain_text(&self) -> String {
        let mut out = format!("{}\n{}\n\n", self.sender.name, self.title);
        for b in &self.blocks {
            match b {
                Block::Heading { text } | Block::Paragraph { text } => {
                    out.push_str(text);
                    out.push('\n');
                }
                Block::List { items } => {
                    for i in items {
                        out.push_str("• ");
                        out.push_str(i);
                        out.push('\n');
                    }
                }
                Block::Facts { rows } => {
                    for (k, v) in rows {
                        out.push_str(&format!("{k}: {v}\n"));
                    }
                }
            }
        }
        out
    }
}
