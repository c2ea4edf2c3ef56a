//! `max_consecutive`: at most `limit` busy periods in a row; a declared break ends a
//! run. Deviation: the periods over, per run.

use super::per_resource::{daily_cost, explain_daily, watch};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResourceLimit};

pub struct MaxConsecutive(pub ResourceLimit);

/// Sum over the runs of busy periods of `m` of (run length - limit), runs being cut at
/// breaks. Also returns the longest run.
fn excess(m: u64, breaks: u64, limit: u32) -> (u32, u32) {
    let (mut total, mut longest, mut run) = (0, 0, 0u32);
    let mut rest = m;
    let mut p = 0;
    while rest != 0 {
        if rest & 1 != 0 {
            run += 1;
        }
        let ends = rest & 1 == 0 || breaks & (1 << p) != 0 || rest == 1;
        if ends && run > 0 {
            total += run.saturating_sub(limit);
            longest = longest.max(run);
            run = 0;
        }
        rest >>= 1;
        p += 1;
    }
    (total, longest)
}

impl Family for MaxConsecutive {
    fn units(&self) -> usize {
        self.0.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.0.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        let breaks = view.inst.grid.break_after;
        daily_cost(view, self.0.resources[unit], pen, |_, m| {
            excess(m, breaks, self.0.limit).0
        })
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let (breaks, max) = (view.inst.grid.break_after, self.0.limit);
        explain_daily(
            view,
            self.0.resources[unit],
            pen,
            out,
            |_, m| excess(m, breaks, max).0,
            |_, m| {
                format!(
                    "is busy {} periods in a row (max {max})",
                    excess(m, breaks, max).1
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::excess;
    use crate::eval::families::testkit::*;

    #[test]
    fn runs_are_cut_by_free_periods_and_breaks() {
        // 0b1110111: runs of 3 and 3, limit 2 -> 1 + 1.
        assert_eq!(excess(0b111_0111, 0, 2), (2, 3));
        // Same periods, a break after period 1: runs 2, 1, 3 -> 0 + 0 + 1.
        assert_eq!(excess(0b111_0111, 0b10, 2), (1, 3));
    }

    #[test]
    fn counts_periods_over_per_run() {
        // T busy Mon periods 0,1,2,3 (one run of 4), max 2 -> 2 over; weight 3 -> 6.
        let p = problem(
            4,
            r#"{"type":"max_consecutive","teachers":["T"],"max":2,"hard":false,"weight":3}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3)]),
            6
        );
    }
}
