//! `lunch_break`: every day, at least `limit` of the lunch periods are free.
//! Deviation: free lunch periods missing, per day.

use super::per_resource::{daily_cost, explain_daily, watch};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResourceLimit};

pub struct LunchBreak {
    pub limit: ResourceLimit,
    pub periods: u64,
}

impl LunchBreak {
    fn deviation(&self, m: u64) -> u32 {
        self.limit
            .limit
            .saturating_sub((self.periods & !m).count_ones())
    }
}

impl Family for LunchBreak {
    fn units(&self) -> usize {
        self.limit.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.limit.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        daily_cost(view, self.limit.resources[unit], pen, |_, m| {
            self.deviation(m)
        })
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let min = self.limit.limit;
        explain_daily(
            view,
            self.limit.resources[unit],
            pen,
            out,
            |_, m| self.deviation(m),
            |_, m| {
                format!(
                    "has {} free lunch periods (min {min})",
                    (self.periods & !m).count_ones()
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_missing_free_lunch_periods() {
        // Lunch periods P1, P2; one must be free. Mon: both busy -> 1 missing.
        // Tue: P1 busy only -> fine. Hard, weight 1 -> hard 1.
        let p = problem(
            3,
            r#"{"type":"lunch_break","teachers":["T"],"periods":["P1","P2"]}"#,
        );
        assert_eq!(hard_cost(&p, &[(0, 0, 1), (1, 0, 2), (2, 1, 1)]), 1);
    }
}
