//! The Danish sentence that explains an area's outcome.

use super::eval::{AreaOutcome, CriterionOutcome};
use super::model::{Bound, CriteriaSet, Criterion};
use crate::tri::Tri;
use rust_decimal::Decimal;

/// The label shown for a criterion: its own, or a standard one for the CONTRACT indicators.
pub(super) fn label(criterion: &Criterion) -> String {
    if let Some(label) = &criterion.label {
        return label.clone();
    }
    indicator_label(&criterion.indicator).map_or_else(|| criterion.id.replace('_', " "), str::to_owned)
}

fn indicator_label(indicator: &str) -> Option<&'static str> {
    Some(match indicator {
        "share_no_work_or_education_pct" => "andel uden tilknytning til arbejdsmarked eller uddannelse",
        "convicted_share_pct" => "andel dømte",
        "national_convicted_share_pct" => "landsgennemsnittet for dømte",
        "share_basic_education_pct" => "andel med alene grunduddannelse",
        "income_pct_of_region" => "bruttoindkomst i pct. af regionens",
        "share_non_western_pct" => "andel ikke-vestlige indvandrere og efterkommere",
        _ => return None,
    })
}

/// A decimal as Danish text: `34,2`.
pub(crate) fn danish_decimal(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

/// An integer with Danish thousands separators: `1.234`.
pub(crate) fn danish_integer(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

fn describe(criterion: &Criterion, outcome: &CriterionOutcome) -> String {
    let value = outcome.value.map_or_else(|| "ukendt".to_owned(), |v| format!("{} %", danish_decimal(v)));
    let bound = match &criterion.bound {
        Bound::Absolute(t) => format!("{} {} %", criterion.op.danish(), danish_decimal(*t)),
        Bound::Relative { indicator, factor } => {
            let of = indicator_label(indicator).unwrap_or(indicator.as_str());
            match outcome.threshold {
                Some(t) => {
                    format!("{} {} × {} = {} %", criterion.op.danish(), danish_decimal(*factor), of, danish_decimal(t))
                }
                None => format!("{} {} × {}", criterion.op.danish(), danish_decimal(*factor), of),
            }
        }
    };
    format!("{} {value} ({bound})", outcome.label)
}

fn list(set_items: &[Criterion], outcomes: &[CriterionOutcome], want: Tri) -> Vec<String> {
    set_items.iter().zip(outcomes).filter(|(_, o)| o.met == want).map(|(c, o)| describe(c, o)).collect()
}

fn missing_inputs(outcomes: &[CriterionOutcome]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in outcomes.iter().filter(|o| o.met == Tri::Unknown).flat_map(|o| &o.missing) {
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

pub(super) fn sentence(set: &CriteriaSet, out: &AreaOutcome, count_ok: Tri, required_ok: Tri) -> String {
    let n = set.criteria.len();
    let k = out.criteria_met;
    let need = set.at_least;
    let residents_text = || {
        out.residents.map_or_else(|| "ukendt antal beboere".to_owned(), |r| format!("{} beboere", danish_integer(r)))
    };
    match out.selected {
        Tri::Yes => {
            let mut s = format!("Udvalgt efter {}: {}", set.id, residents_text());
            if let Some(min) = set.min_residents {
                s.push_str(&format!(" (mindst {})", danish_integer(min)));
            }
            s.push_str(&format!(
                " og {k} af {n} kriterier opfyldt (mindst {need} kræves): {}",
                list(&set.criteria, &out.criteria, Tri::Yes).join("; ")
            ));
            let required = list(&set.required, &out.required, Tri::Yes);
            if !required.is_empty() {
                s.push_str(&format!("; desuden opfyldt: {}", required.join("; ")));
            }
            s.push('.');
            s
        }
        Tri::No => {
            if out.residents_ok == Tri::No {
                let min = set.min_residents.unwrap_or_default();
                format!(
                    "Ikke udvalgt efter {}: {}, under mindstekravet på {}.",
                    set.id,
                    residents_text(),
                    danish_integer(min)
                )
            } else if required_ok == Tri::No {
                format!(
                    "Ikke udvalgt efter {}: betingelsen er ikke opfyldt: {}.",
                    set.id,
                    list(&set.required, &out.required, Tri::No).join("; ")
                )
            } else {
                let met = list(&set.criteria, &out.criteria, Tri::Yes);
                let met_text = if met.is_empty() { "ingen".to_owned() } else { met.join("; ") };
                format!(
                    "Ikke udvalgt efter {}: {k} af {n} kriterier opfyldt, mindst {need} kræves (opfyldt: {met_text}).",
                    set.id
                )
            }
        }
        Tri::Unknown => {
            let mut missing = Vec::new();
            if out.residents_ok == Tri::Unknown {
                missing.push("residents".to_owned());
            }
            if required_ok == Tri::Unknown {
                missing.extend(missing_inputs(&out.required));
            }
            if count_ok == Tri::Unknown {
                missing.extend(missing_inputs(&out.criteria));
            }
            missing.dedup();
            format!(
                "Kan ikke afgøres efter {}: værdien for {} mangler og kan ændre resultatet ({k} af {n} kriterier opfyldt, mindst {need} kræves).",
                set.id,
                missing.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_numbers() {
        assert_eq!(danish_integer(1234), "1.234");
        assert_eq!(danish_integer(999), "999");
        assert_eq!(danish_integer(1_234_567), "1.234.567");
        assert_eq!(danish_decimal(Decimal::new(2900, 3)), "2,9");
    }
}
