//! The worklist's SQL, shared by the adapters so that the visibility rule is written once: a `Scope` (the
//! policy's `can_see` as a query) becomes a WHERE clause; counts by phase and one ordered page follow.

use crate::WorklistQuery;
use gennemgang_case::policy::Scope;

/// A value to bind, in placeholder order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

/// The two statements of a worklist query and their values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statements {
    /// `SELECT phase, COUNT(*) …` over the scope and filters; binds `scope_values`.
    pub counts: String,
    /// `SELECT head, id, version …` for the page, with the history's head it was read at; binds
    /// `page_values`.
    pub page: String,
    /// Values of the counts statement (scope and filters).
    pub scope_values: Vec<Value>,
    /// Values of the page statement (scope, phase).
    pub page_values: Vec<Value>,
}

/// Builds the statements, in PostgreSQL's numbered placeholders (`$1`; SQLite reads them through
/// [`crate::shared::sqlite`]). A name is looked for with `LIKE` over every key in scope.
#[must_use]
pub fn statements(q: &WorklistQuery) -> Statements {
    build(q, None)
}

/// The statements of a search by name whose matching cases are known: `ids`, the cases whose key holds
/// the name (from [`crate::cache::Names`]), in place of the `LIKE` that reads every key in scope. `ids`
/// must not be empty (a search that matches nothing needs no statement).
#[must_use]
pub fn statements_among(q: &WorklistQuery, ids: &[i64]) -> Statements {
    build(q, Some(ids))
}

fn build(q: &WorklistQuery, named: Option<&[i64]>) -> Statements {
    let placeholder = |n: usize| format!("${n}");
    let (filter, scope_values) = match &q.scope {
        Scope::All => ("1 = 1".to_owned(), vec![]),
        Scope::Home(m) => (format!("home_municipality = {}", placeholder(1)), vec![Value::Int(i64::from(*m))]),
        Scope::Assigned(m, user) => (
            format!("home_municipality = {} AND assigned_to = {}", placeholder(1), placeholder(2)),
            vec![Value::Int(i64::from(*m)), Value::Text(user.clone())],
        ),
        Scope::Deciding(m) => (
            format!("deciding_municipality = {} AND phase IN ('decision', 'after_decision', 'closed')", placeholder(1)),
            vec![Value::Int(i64::from(*m))],
        ),
    };
    let (mut filter, mut scope_values) = (filter, scope_values);
    let f = &q.filters;
    if let Some(state) = f.state {
        filter.push_str(&format!(" AND state = {}", placeholder(scope_values.len() + 1)));
        scope_values.push(Value::Text(state.name().to_owned()));
    }
    if let Some(day) = f.overdue_on {
        // A date (PostgreSQL) or ISO text (SQLite, where text order is date order).
        filter.push_str(&format!(" AND next_deadline < {}::date", placeholder(scope_values.len() + 1)));
        scope_values.push(Value::Text(day.to_string()));
    }
    if let Some(user) = &f.assigned_to {
        filter.push_str(&format!(" AND assigned_to = {}", placeholder(scope_values.len() + 1)));
        scope_values.push(Value::Text(user.clone()));
    }
    if let Some(id) = f.case_id {
        filter.push_str(&format!(" AND id = {}", placeholder(scope_values.len() + 1)));
        scope_values.push(Value::Int(id));
    }
    if let Some(cpr) = &f.cpr {
        filter.push_str(&format!(" AND cpr = {}", placeholder(scope_values.len() + 1)));
        scope_values.push(Value::Text(cpr.clone()));
    }
    if let (Some(_), Some(ids)) = (&f.name, named) {
        use std::fmt::Write as _;
        filter.push_str(" AND id IN (");
        for n in 0..ids.len() {
            let separator = if n == 0 { "" } else { ", " };
            // Writing to a String cannot fail.
            let _ = write!(filter, "{separator}${}", scope_values.len() + 1 + n);
        }
        filter.push(')');
        scope_values.extend(ids.iter().map(|id| Value::Int(*id)));
    } else if let Some(name) = &f.name {
        // The key holds letters, digits and spaces only; LIKE's own characters are escaped all the same.
        let pattern: String = name
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                _ => vec![c],
            })
            .collect();
        filter.push_str(&format!(" AND name_key LIKE {} ESCAPE '\\'", placeholder(scope_values.len() + 1)));
        scope_values.push(Value::Text(format!("%{pattern}%")));
    }
    let mut page_values = scope_values.clone();
    let phase = match q.phase {
        Some(p) => {
            let clause = format!(" AND phase = {}", placeholder(page_values.len() + 1));
            page_values.push(Value::Text(p.name().to_owned()));
            clause
        }
        None => String::new(),
    };
    let order = if q.by_deadline { "next_deadline IS NULL, next_deadline, id" } else { "id" };
    // The page's bounds are written into the statement, not bound: SQLite prepares a statement whose LIMIT
    // is a parameter again at every run (the bound value may change its plan), which cost a fifth of the
    // server's time on a worklist page. They are numbers of ours, never text from outside.
    let (limit, offset) = (q.limit, q.offset);
    Statements {
        counts: format!("SELECT phase, COUNT(*) AS matching FROM cases WHERE {filter} GROUP BY phase ORDER BY phase"),
        // The history's head is read in the same statement as the page, so that it dates what the page
        // shows (one statement reads one state of the database). The snapshots are not read here: most are
        // decoded already ([`crate::cache::ReadCache`]), and the others are read by [`snapshots`].
        page: format!(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM events) AS head, id, version FROM cases WHERE {filter}{phase} \
             ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        ),
        scope_values,
        page_values,
    }
}

/// `SELECT id, version, snapshot …` of the `n` cases whose ids it binds (those of a page not decoded before).
#[must_use]
pub fn snapshots(n: usize) -> String {
    let ids: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!("SELECT id, version, snapshot FROM cases WHERE id IN ({})", ids.join(", "))
}

/// Cases matching the phase filter, from the counts by phase.
#[must_use]
pub fn matching(by_phase: &[(String, u64)], q: &WorklistQuery) -> u64 {
    by_phase.iter().filter(|(p, _)| q.phase.is_none_or(|f| f.name() == p)).map(|(_, n)| n).sum()
}
