//! Where in the file a value stands: every value of the document with its path (`board[0].members[1]`) and
//! its span, so that an error the deserializer reports by offset names the field, and a check made after
//! deserializing can point at the line of the entry it concerns.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value of the document.
pub(super) struct Node {
    /// Its path, as an operator would write it: `deadlines[1].source`.
    pub path: String,
    /// Where the value stands (and, for a table's key, where the key does: the same path).
    pub span: Range<usize>,
    /// Its text, for strings.
    pub text: Option<String>,
}

/// Every value and key of the document, in no particular order.
pub(super) fn nodes(text: &str) -> Result<Vec<Node>, toml::de::Error> {
    let root = DeTable::parse(text)?;
    let mut out = vec![Node { path: String::new(), span: 0..text.len(), text: None }];
    table(root.get_ref(), "", &mut out);
    Ok(out)
}

fn table(t: &DeTable<'_>, at: &str, out: &mut Vec<Node>) {
    for (key, value) in t {
        let path = if at.is_empty() { key.get_ref().to_string() } else { format!("{at}.{}", key.get_ref()) };
        out.push(Node { path: path.clone(), span: key.span(), text: None });
        node(value, path, out);
    }
}

fn node(v: &Spanned<DeValue<'_>>, path: String, out: &mut Vec<Node>) {
    match v.get_ref() {
        DeValue::Table(t) => table(t, &path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                node(item, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
    let text = match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    };
    out.push(Node { path, span: v.span(), text });
}

/// The field an error at `offset` concerns: the innermost value there, and the missing field a
/// "missing field `x`" message names.
pub(super) fn field(nodes: &[Node], offset: usize, message: &str) -> String {
    let innermost = nodes
        .iter()
        .filter(|n| n.span.contains(&offset) || (n.span.is_empty() && n.span.start == offset))
        .min_by_key(|n| (n.span.len(), usize::MAX - n.path.len()))
        .map_or("", |n| n.path.as_str());
    let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
    match (innermost, missing) {
        ("", Some(m)) => m.to_owned(),
        (at, Some(m)) => format!("{at}.{m}"),
        ("", None) => "(file)".to_owned(),
        (at, None) => at.to_owned(),
    }
}

/// Where the last entry of a top-level list (`[[deadlines]]`) starts, for an error about what the list as
/// a whole lacks; the start of the file when there is none.
pub(super) fn last(nodes: &[Node], list: &str) -> usize {
    nodes
        .iter()
        .filter(|n| {
            n.path.strip_prefix(list).and_then(|r| r.strip_prefix('[')).is_some_and(|r| !r.contains(['.', '[']))
        })
        .map(|n| n.span.start)
        .max()
        .unwrap_or(0)
}

/// The key written on the line of `offset`, for an error in the file's syntax (where no value has a
/// path yet); "(file)" when the line holds none.
pub(super) fn key_on_line(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    line.split_once('=')
        .map(|(key, _)| key.trim())
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .map_or_else(|| "(file)".to_owned(), str::to_owned)
}

/// Where the value at `path` starts.
pub(super) fn start(nodes: &[Node], path: &str) -> Option<usize> {
    // A table's key and its value share the path; the value (pushed after the key) is the one meant.
    nodes.iter().rev().find(|n| n.path == path).map(|n| n.span.start)
}
