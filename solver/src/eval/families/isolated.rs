//! `isolated`: a busy period with no busy period just before or after it on the same
//! day (ITC-2007 curriculum compactness). Deviation: 1 per isolated period.

use super::per_resource::{explain_daily, watch};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResId};

pub struct Isolated(pub Vec<ResId>);

#[inline]
fn isolated(m: u64) -> u64 {
    m & !(m << 1) & !(m >> 1)
}

impl Family for Isolated {
    fn units(&self) -> usize {
        self.0.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.0, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        // Each isolated period is its own deviation of 1.
        let n: u32 = (0..view.inst.grid.week_count())
            .flat_map(|w| view.occ.week_masks(self.0[unit], w).iter())
            .map(|&m| isolated(m).count_ones())
            .sum();
        pen.cost(1) * n as i64
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let before = out.len();
        explain_daily(
            view,
            self.0[unit],
            Penalty::UNIT,
            out,
            |_, m| isolated(m).count_ones(),
            |n, _| format!("has {n} isolated period(s)"),
        );
        for v in &mut out[before..] {
            v.cost *= pen.cost(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_periods_without_neighbours() {
        // Mon periods 0, 1, 3: 0-1 adjacent, 3 alone -> 1. Tue period 2 alone -> 1.
        // Weight 2 -> 4.
        let p = problem(
            4,
            r#"{"type":"isolated","teachers":["T"],"hard":false,"weight":2}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 3), (3, 1, 2)]),
            4
        );
    }
}
