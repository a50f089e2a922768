//! Danish names and formats shared by the pages.

use gennemgang_case::actor::Role;
use gennemgang_case::case::{Phase, State};

/// A CPR number as `DDMMYY-****`.
#[must_use]
pub fn masked(cpr: &str) -> String {
    gennemgang_case::facts::masked_cpr(cpr)
}

/// The Danish name of a role.
#[must_use]
pub fn role(role: Role) -> &'static str {
    role.danish()
}

/// The Danish name of a phase.
#[must_use]
pub fn phase(phase: Phase) -> &'static str {
    match phase {
        Phase::Review => "Fase 1: Systematisk gennemgang",
        Phase::Reopening => "Fase 2: Genåbning",
        Phase::Decision => "Fase 3: Afgørelse",
        Phase::AfterDecision => "Efter afgørelsen",
        Phase::Closed => "Lukket",
    }
}

/// The Danish name of a state.
#[must_use]
pub fn state(state: State) -> &'static str {
    state.danish()
}

/// A moment as Copenhagen local time, `23.11.2026 18:14`.
#[must_use]
pub fn local_time(at: jiff::Timestamp) -> String {
    match at.in_tz("Europe/Copenhagen") {
        Ok(z) => format!("{:02}.{:02}.{} {:02}:{:02}", z.day(), z.month(), z.year(), z.hour(), z.minute()),
        Err(_) => at.to_string(),
    }
}

/// A screening reason (`I målgruppen (…): criterion [outcome; basis]; …`) as one item per criterion.
#[must_use]
pub fn reason_items(reason: &str) -> Vec<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Vec::new();
    }
    let (head, rest) = reason.split_once("): ").map_or(("", reason), |(h, r)| (h, r));
    let mut items: Vec<String> = rest
        .trim_end_matches('.')
        .split("]; ")
        .map(|part| if part.ends_with(']') { part.to_owned() } else { format!("{part}]") })
        .collect();
    if !head.is_empty() {
        items.insert(0, format!("{head})"));
    }
    items
}

/// A count as Danish writes it: thousands grouped with a point ("5.000").
#[must_use]
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

/// "1 sag", "2 sager" (and "0 sager"): a count of cases in Danish.
#[must_use]
pub fn cases(n: usize) -> String {
    format!("{} {}", number(n), if n == 1 { "sag" } else { "sager" })
}

/// "1 gang", "3 gange": how many times.
#[must_use]
pub fn times(n: usize) -> String {
    format!("{} {}", number(n), if n == 1 { "gang" } else { "gange" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_danish_in_number_and_plural() {
        assert_eq!(
            (cases(0), cases(1), cases(2), cases(5_000)),
            ("0 sager".into(), "1 sag".into(), "2 sager".into(), "5.000 sager".into())
        );
        assert_eq!((times(1), times(3)), ("1 gang".into(), "3 gange".into()));
        assert_eq!((number(999), number(1_000), number(1_234_567)), ("999".into(), "1.000".into(), "1.234.567".into()));
    }

    #[test]
    fn a_screening_reason_becomes_one_item_per_criterion() {
        let items =
            reason_items("I målgruppen (model): alder 47 [opfyldt; PL § 44, stk. 3]; bopæl i A1 [opfyldt; model].");
        assert_eq!(
            items,
            vec!["I målgruppen (model)", "alder 47 [opfyldt; PL § 44, stk. 3]", "bopæl i A1 [opfyldt; model]"]
        );
        assert!(reason_items("").is_empty());
    }
}
