//! `early_start`: a resource's day starts at its first period (periods it is
//! unavailable by a hard `unavailable` constraint, breaks for example, are skipped); at
//! most `limit` days a week may start one period late and none later. Deviation: per
//! week, the late periods beyond the first on each day plus the days one period late
//! over the limit.

use super::per_resource::{explain_weekly, watch, weekly_cost};
use super::{unavailable_masks, Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Instance, Penalty, ResourceLimit};

pub struct EarlyStart {
    limit: ResourceLimit,
    /// Per resource and day, the periods that do not count as a late start.
    excluded: Vec<u64>,
    days: usize,
}

impl EarlyStart {
    pub fn new(inst: &Instance, limit: ResourceLimit) -> Self {
        EarlyStart {
            excluded: unavailable_masks(inst, &limit.resources),
            days: inst.grid.day_count(),
            limit,
        }
    }

    /// (days starting late, periods late beyond the first on each day).
    fn lateness(&self, unit: usize, masks: &[u64]) -> (u32, u32) {
        let (mut late_days, mut beyond) = (0, 0);
        for (d, &m) in masks.iter().enumerate() {
            if m == 0 {
                continue;
            }
            let before = (1u64 << m.trailing_zeros()) - 1;
            let late = (before & !self.excluded[unit * self.days + d]).count_ones();
            if late > 0 {
                late_days += 1;
                beyond += late - 1;
            }
        }
        (late_days, beyond)
    }

    fn deviation(&self, unit: usize, masks: &[u64]) -> u32 {
        let (late_days, beyond) = self.lateness(unit, masks);
        beyond + late_days.saturating_sub(self.limit.limit)
    }
}

impl Family for EarlyStart {
    fn units(&self) -> usize {
        self.limit.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.limit.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        weekly_cost(view, self.limit.resources[unit], pen, |ms| {
            self.deviation(unit, ms)
        })
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let max = self.limit.limit;
        explain_weekly(
            view,
            self.limit.resources[unit],
            pen,
            out,
            |ms| self.deviation(unit, ms),
            |_, ms| {
                let (days, beyond) = self.lateness(unit, ms);
                format!(
                    "starts late on {days} days (max {max} at the second period) and \
                     {beyond} period(s) later than the second"
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_late_days_over_and_periods_beyond_the_second() {
        // Mon starts at P1 (late 1), Tue at P3 (late 3 -> 2 beyond the second), Wed at
        // P0. Max 1 late day: 2 late days -> 1 over; total 1 + 2 = 3.
        let p = problem(
            3,
            r#"{"type":"early_start","students":["C"],"max":1,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 1), (1, 1, 3), (2, 2, 0)]), 3);
    }

    #[test]
    fn unavailable_periods_are_skipped() {
        // C unavailable at D1 P0..P1: Tuesday at P3 is one period late; Monday at P1
        // too: 2 late days, max 2 -> 0.
        let p = problem(
            3,
            r#"{"type":"unavailable","students":["C"],"times":[{"day":"D1","periods":["P0","P1"]}]},
               {"type":"early_start","students":["C"],"max":2,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 1), (1, 1, 3), (2, 2, 0)]), 0);
    }
}
