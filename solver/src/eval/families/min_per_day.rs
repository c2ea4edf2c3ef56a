//! `min_per_day`: on a day with any busy period, at least `limit` of them. Deviation:
//! the periods missing, per resource and busy day (free days cost nothing).

use super::per_resource::{daily_cost, explain_daily, watch};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResourceLimit};

pub struct MinPerDay(pub ResourceLimit);

impl MinPerDay {
    fn deviation(&self, m: u64) -> u32 {
        if m == 0 {
            0
        } else {
            self.0.limit.saturating_sub(m.count_ones())
        }
    }
}

impl Family for MinPerDay {
    fn units(&self) -> usize {
        self.0.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.0.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        daily_cost(view, self.0.resources[unit], pen, |_, m| self.deviation(m))
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let min = self.0.limit;
        explain_daily(
            view,
            self.0.resources[unit],
            pen,
            out,
            |_, m| self.deviation(m),
            |_, m| format!("is busy only {} periods (min {min})", m.count_ones()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_missing_periods_on_busy_days_only() {
        // Min 3 a day. Mon: 1 lesson -> 2 missing; Tue: 2 lessons -> 1 missing;
        // Wed..: free, no cost. Total 3.
        let p = problem(
            3,
            r#"{"type":"min_per_day","teachers":["T"],"min":3,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 1, 3)]), 3);
    }
}
