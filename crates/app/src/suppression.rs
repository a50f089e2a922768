//! Statistical disclosure control: which cells of a set of related tables to hide so that no count under
//! [`THRESHOLD`] can be read or worked out from the numbers that are shown.
//!
//! The tables are given as cells (true counts) and the linear relations between them that anyone may know:
//! a table's rows add up to its total ([`Relation::exact`]), or a group of cells cannot exceed another
//! ([`Relation::at_most`], e.g. the cases past a deadline are among the open cases). A reader who sees the
//! shown cells can combine these relations to narrow a hidden cell down; the rule below hides enough that
//! such a reader never pins a small count to its value.
//!
//! The rule:
//! 1. *Primary suppression*: every count from 1 to 4 is hidden. Zero is shown: a zero is not a person, and
//!    a table where the zeros are visible is still safe as long as the hidden cells are (every hidden cell
//!    is then known to be at least 1, and the audit below reasons with exactly that).
//! 2. *Secondary suppression*, in every exact relation (a table and its total): a relation with exactly one
//!    hidden cell gives that cell away, and hidden rows whose sum is known (the total minus the shown rows)
//!    and under 5 give too much away (two hidden rows summing to 2 are both 1). Then the smallest shown
//!    non-zero row is hidden as well, or the total when no row is left, until every relation has no hidden
//!    cell or at least two, and hidden rows summing to at least 5 when the total is shown.
//! 3. *Audit*: the relations are solved for the range of every hidden cell as a reader would (bound
//!    propagation over all relations together, so that a cell shared by two tables is narrowed by both). A
//!    hidden count under 5 whose range is a single value is protected by hiding the smallest shown non-zero
//!    cell of a relation it takes part in.
//!
//! Steps 2 and 3 repeat until nothing changes; the hidden set only grows, so this ends (at worst with
//! every non-zero cell hidden, when nothing finite can be derived at all).

/// Counts below this are hidden.
pub const THRESHOLD: usize = 5;

/// A linear relation between cells that a reader may know: the sum of `parts` equals, or is at most, the
/// sum of `whole`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// The cells summed on the left (a table's rows).
    pub parts: Vec<usize>,
    /// The cells summed on the right (a table's total).
    pub whole: Vec<usize>,
    /// Equal (a table and its total), or only at most.
    pub exact: bool,
}

impl Relation {
    /// The rows `parts` add up to the total `margin`.
    #[must_use]
    pub fn exact(parts: Vec<usize>, margin: usize) -> Relation {
        Relation { parts, whole: vec![margin], exact: true }
    }

    /// The cells `parts` add up to at most the cells `whole`.
    #[must_use]
    pub fn at_most(parts: Vec<usize>, whole: Vec<usize>) -> Relation {
        Relation { parts, whole, exact: false }
    }

    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().chain(&self.whole).copied()
    }
}

/// What a reader can derive about a cell: at least `lo`, at most `hi` (`None`: no upper bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// Lower bound.
    pub lo: usize,
    /// Upper bound, if any.
    pub hi: Option<usize>,
}

impl Range {
    /// Whether the range is a single value.
    #[must_use]
    pub fn pinned(self) -> bool {
        self.hi == Some(self.lo)
    }
}

/// Which of `values` to hide under `relations` (cells are indices into `values`; an index out of range in
/// a relation is ignored). `hidden[i]` is true for a hidden cell.
#[must_use]
pub fn suppress(values: &[usize], relations: &[Relation]) -> Vec<bool> {
    let relations: Vec<Relation> = relations
        .iter()
        .map(|r| Relation {
            parts: r.parts.iter().copied().filter(|&c| c < values.len()).collect(),
            whole: r.whole.iter().copied().filter(|&c| c < values.len()).collect(),
            exact: r.exact,
        })
        .collect();
    let mut hidden: Vec<bool> = values.iter().map(|&n| (1..THRESHOLD).contains(&n)).collect();
    loop {
        let mut changed = false;
        for r in relations.iter().filter(|r| r.exact) {
            while let Some(cell) = secondary(values, &hidden, r) {
                hidden[cell] = true;
                changed = true;
            }
        }
        let ranges = derive(values, &hidden, &relations);
        for cell in 0..values.len() {
            let small = (1..THRESHOLD).contains(&values[cell]);
            if hidden[cell] && small && ranges[cell].pinned() {
                let shown_neighbour = relations
                    .iter()
                    .filter(|r| r.cells().any(|c| c == cell))
                    .flat_map(Relation::cells)
                    .filter(|&c| c != cell && !hidden[c] && values[c] > 0)
                    .min_by_key(|&c| (values[c], c));
                if let Some(c) = shown_neighbour {
                    hidden[c] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// The next cell step 2 hides in the exact relation `r`, if any.
fn secondary(values: &[usize], hidden: &[bool], r: &Relation) -> Option<usize> {
    let hidden_cells = r.cells().filter(|&c| hidden[c]).count();
    let margin_shown = r.whole.iter().all(|&c| !hidden[c]);
    let hidden_sum: usize = r.parts.iter().filter(|&&c| hidden[c]).map(|&c| values[c]).sum();
    let leaks = hidden_cells == 1 || (margin_shown && (1..THRESHOLD).contains(&hidden_sum));
    if !leaks {
        return None;
    }
    let smallest = |cells: &[usize]| {
        cells.iter().copied().filter(|&c| !hidden[c] && values[c] > 0).min_by_key(|&c| (values[c], c))
    };
    smallest(&r.parts).or_else(|| smallest(&r.whole))
}

/// The range of every cell as a reader derives it from the shown cells and `relations`: a shown cell is its
/// value; a hidden cell is at least 1 (zeros are shown) and otherwise bounded only by the relations, applied
/// again and again until no bound moves (bound propagation).
#[must_use]
pub fn derive(values: &[usize], hidden: &[bool], relations: &[Relation]) -> Vec<Range> {
    let mut lo: Vec<u128> = Vec::with_capacity(values.len());
    let mut hi: Vec<Option<u128>> = Vec::with_capacity(values.len());
    for (i, &v) in values.iter().enumerate() {
        let v = v as u128;
        let h = hidden.get(i).copied().unwrap_or(false);
        lo.push(if h { 1 } else { v });
        hi.push(if h { None } else { Some(v) });
    }
    let sum_lo = |lo: &[u128], cells: &[usize], except: usize| -> u128 {
        cells.iter().filter(|&&c| c != except).map(|&c| lo[c]).sum()
    };
    let sum_hi = |hi: &[Option<u128>], cells: &[usize], except: usize| -> Option<u128> {
        cells.iter().filter(|&&c| c != except).map(|&c| hi[c]).sum()
    };
    // Each round either raises a lower bound or lowers an upper one; bounds are at most the sum of all
    // values once finite, so this ends. The cap is only a guard.
    for _ in 0..10_000 {
        let mut moved = false;
        for r in relations {
            let (parts, whole) = (&r.parts, &r.whole);
            // Each part is at most the whole minus the other parts.
            for &p in parts {
                if let Some(w) = sum_hi(&hi, whole, usize::MAX) {
                    let bound = w.saturating_sub(sum_lo(&lo, parts, p));
                    if hi[p].is_none_or(|h| bound < h) {
                        hi[p] = Some(bound);
                        moved = true;
                    }
                }
            }
            // The whole is at least the parts; each cell of it at least that minus the other cells.
            for &w in whole {
                if let Some(others) = sum_hi(&hi, whole, w) {
                    let bound = sum_lo(&lo, parts, usize::MAX).saturating_sub(others);
                    if bound > lo[w] {
                        lo[w] = bound;
                        moved = true;
                    }
                }
            }
            if r.exact {
                // Each part is at least the whole minus the other parts at their largest.
                for &p in parts {
                    if let Some(others) = sum_hi(&hi, parts, p) {
                        let bound = sum_lo(&lo, whole, usize::MAX).saturating_sub(others);
                        if bound > lo[p] {
                            lo[p] = bound;
                            moved = true;
                        }
                    }
                }
                // The whole is at most the parts at their largest.
                for &w in whole {
                    if let Some(p) = sum_hi(&hi, parts, usize::MAX) {
                        let bound = p.saturating_sub(sum_lo(&lo, whole, w));
                        if hi[w].is_none_or(|h| bound < h) {
                            hi[w] = Some(bound);
                            moved = true;
                        }
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
    lo.iter()
        .zip(&hi)
        .map(|(&l, &h)| Range {
            lo: usize::try_from(l).unwrap_or(usize::MAX),
            hi: h.map(|h| usize::try_from(h).unwrap_or(usize::MAX)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Total 12 with rows 9 and 3: the 3 is hidden, and so is the 9 (else 12 − 9 = 3).
    #[test]
    fn a_single_hidden_row_hides_the_smallest_other_row() {
        let values = [12, 9, 3];
        let hidden = suppress(&values, &[Relation::exact(vec![1, 2], 0)]);
        assert_eq!(hidden, [false, true, true]);
    }

    /// A total of 1 to 4 is hidden, and so is every row in it.
    #[test]
    fn a_small_total_hides_all() {
        let values = [3, 2, 0, 1];
        let hidden = suppress(&values, &[Relation::exact(vec![1, 2, 3], 0)]);
        assert_eq!(hidden, [true, true, false, true]);
    }

    /// Two hidden rows summing to 2 are both 1: a third row is hidden too, so that the hidden rows sum to at
    /// least 5 and neither is pinned.
    #[test]
    fn two_hidden_rows_summing_to_two_hide_a_third() {
        let values = [20, 1, 1, 7, 11];
        let relations = [Relation::exact(vec![1, 2, 3, 4], 0)];
        let hidden = suppress(&values, &relations);
        assert_eq!(hidden, [false, true, true, true, false]);
        let ranges = derive(&values, &hidden, &relations);
        assert!(ranges.iter().zip(&hidden).all(|(r, &h)| !h || !r.pinned()), "{ranges:?}");
    }

    /// With no other row to hide, the total is hidden instead.
    #[test]
    fn two_hidden_rows_summing_to_two_and_nothing_else_hide_the_total() {
        let values = [2, 1, 1, 0];
        let hidden = suppress(&values, &[Relation::exact(vec![1, 2, 3], 0)]);
        assert_eq!(hidden, [true, true, true, false]);
        let values = [7, 1, 1, 5];
        let hidden = suppress(&values, &[Relation::exact(vec![1, 2, 3], 0)]);
        assert_eq!(hidden, [false, true, true, true], "the 5 first: then the hidden rows sum to 7");
    }

    /// A cell shared by two tables: hiding it in one table must not leave it derivable from the other.
    #[test]
    fn a_cell_shared_by_two_tables_is_protected_in_both() {
        // Total 30 by phase (20, 10) and by municipality (27, 3).
        let values = [30, 20, 10, 27, 3];
        let relations = [Relation::exact(vec![1, 2], 0), Relation::exact(vec![3, 4], 0)];
        let hidden = suppress(&values, &relations);
        assert!(hidden[4] && hidden[3], "{hidden:?}");
        let ranges = derive(&values, &hidden, &relations);
        assert!(!ranges[4].pinned(), "{ranges:?}");
    }

    /// An inequality narrows too, across tables: total 6 = 5 in phase 1 + 1 in phase 2, and 5 cases past
    /// phase 1's deadline (among phase 1's cases). Step 2 hides the 5 with the 1, but the 5 past the
    /// deadline show that phase 1 has at least 5, so phase 2 at most 1: pinned. The audit hides more.
    #[test]
    fn an_inequality_that_pins_a_cell_hides_more() {
        let values = [6, 5, 1, 5];
        let relations = [Relation::exact(vec![1, 2], 0), Relation::at_most(vec![3], vec![1])];
        let step_2 = [false, true, true, false];
        assert!(derive(&values, &step_2, &relations)[2].pinned(), "step 2 alone is not enough");
        let hidden = suppress(&values, &relations);
        let ranges = derive(&values, &hidden, &relations);
        assert!(hidden[2] && !ranges[2].pinned(), "{hidden:?} {ranges:?}");
    }

    #[test]
    fn bounds_follow_the_relations() {
        let values = [12, 9, 3];
        let ranges = derive(&values, &[false, false, true], &[Relation::exact(vec![1, 2], 0)]);
        assert_eq!(ranges[2], Range { lo: 3, hi: Some(3) });
        let ranges = derive(&values, &[false, true, true], &[Relation::exact(vec![1, 2], 0)]);
        assert_eq!(ranges[2], Range { lo: 1, hi: Some(11) });
    }
}
