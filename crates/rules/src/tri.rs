//! Three-valued (Kleene) logic for rules evaluated over incomplete register data.
//!
//! An empty register cell means "unknown" (CONTRACT.md). A rule over an unknown value is neither met nor
//! unmet: it is [`Tri::Unknown`], and it only decides the overall answer when the known values cannot.

use serde::Serialize;

/// Met, not met, or not decidable from the data at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    /// The condition holds.
    Yes,
    /// The condition does not hold.
    No,
    /// A value the condition depends on is missing.
    Unknown,
}

impl Tri {
    /// Kleene conjunction: `No` wins, then `Unknown`.
    #[must_use]
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: `Yes` wins, then `Unknown`.
    #[must_use]
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    /// "At least `needed` of these hold", given how many are known to hold and how many are unknown.
    #[must_use]
    pub fn at_least(known_met: usize, unknown: usize, needed: usize) -> Tri {
        if known_met >= needed {
            Tri::Yes
        } else if known_met + unknown < needed {
            Tri::No
        } else {
            Tri::Unknown
        }
    }

    /// `true`, `false` or the empty cell, as CONTRACT.md writes booleans.
    #[must_use]
    pub fn as_csv(self) -> &'static str {
        match self {
            Tri::Yes => "true",
            Tri::No => "false",
            Tri::Unknown => "",
        }
    }

    /// `Some(bool)` when decided.
    #[must_use]
    pub fn known(self) -> Option<bool> {
        match self {
            Tri::Yes => Some(true),
            Tri::No => Some(false),
            Tri::Unknown => None,
        }
    }
}

impl From<bool> for Tri {
    fn from(value: bool) -> Self {
        if value { Tri::Yes } else { Tri::No }
    }
}

impl From<Option<bool>> for Tri {
    fn from(value: Option<bool>) -> Self {
        value.map_or(Tri::Unknown, Tri::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::{self, No, Unknown, Yes};
    use proptest::prelude::*;

    fn tri() -> impl Strategy<Value = Tri> {
        prop_oneof![Just(Yes), Just(No), Just(Unknown)]
    }

    proptest! {
        /// Filling in an unknown can only confirm what Kleene logic already decided.
        #[test]
        fn decided_answers_survive_any_completion(a in tri(), b in tri(), fill_a: bool, fill_b: bool) {
            let complete = |t: Tri, f: bool| if t == Unknown { Tri::from(f) } else { t };
            let (ca, cb) = (complete(a, fill_a), complete(b, fill_b));
            if let Some(v) = a.and(b).known() { prop_assert_eq!(Some(v), ca.and(cb).known()); }
            if let Some(v) = a.or(b).known() { prop_assert_eq!(Some(v), ca.or(cb).known()); }
        }

        #[test]
        fn at_least_is_monotone_in_what_is_met(met in 0usize..6, unknown in 0usize..6, needed in 0usize..8) {
            let t = Tri::at_least(met, unknown, needed);
            for extra in 0..=unknown {
                let decided = Tri::at_least(met + extra, 0, needed);
                if let Some(v) = t.known() { prop_assert_eq!(Some(v), decided.known()); }
            }
        }
    }

    #[test]
    fn at_least_boundaries() {
        assert_eq!(Tri::at_least(2, 0, 2), Yes);
        assert_eq!(Tri::at_least(1, 0, 2), No);
        assert_eq!(Tri::at_least(1, 1, 2), Unknown);
        assert_eq!(Tri::at_least(0, 1, 2), No);
    }
}
