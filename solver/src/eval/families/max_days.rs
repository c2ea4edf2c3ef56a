//! `max_days` and `min_days`: working days (days with a busy period, or with a busy
//! period among some periods) a week, at most or at least a limit. Deviation: days over
//! or missing, per week.

use super::per_resource::{explain_weekly, watch, weekly_cost};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResourceLimit};

pub struct WorkingDays {
    pub limit: ResourceLimit,
    /// Only days busy in these periods count.
    pub periods: u64,
    /// The limit is a minimum.
    pub at_least: bool,
}

impl WorkingDays {
    fn days(&self, masks: &[u64]) -> u32 {
        masks.iter().filter(|&&m| m & self.periods != 0).count() as u32
    }
    fn deviation(&self, masks: &[u64]) -> u32 {
        let days = self.days(masks);
        if self.at_least {
            self.limit.limit.saturating_sub(days)
        } else {
            days.saturating_sub(self.limit.limit)
        }
    }
}

impl Family for WorkingDays {
    fn units(&self) -> usize {
        self.limit.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.limit.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        weekly_cost(view, self.limit.resources[unit], pen, |ms| {
            self.deviation(ms)
        })
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let (limit, bound) = (self.limit.limit, if self.at_least { "min" } else { "max" });
        explain_weekly(
            view,
            self.limit.resources[unit],
            pen,
            out,
            |ms| self.deviation(ms),
            |_, ms| format!("works {} days ({bound} {limit})", self.days(ms)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_days_over() {
        // Lessons on Mon, Tue, Wed, Tue again: 3 working days, max 1 -> 2 over, weight 4 -> 8.
        let p = problem(
            4,
            r#"{"type":"max_days","teachers":["T"],"max":1,"hard":false,"weight":4}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 2, 0), (3, 1, 1)]),
            8
        );
    }

    #[test]
    fn with_periods_counts_only_days_busy_in_them() {
        // Same timetable; only days busy at P0 count: Mon, Tue, Wed (Tue also at P1):
        // 3 days; restricted to P1: Tue only -> 0 over.
        let p = problem(
            4,
            r#"{"type":"max_days","teachers":["T"],"max":1,"periods":["P1"],"hard":false}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 2, 0), (3, 1, 1)]),
            0
        );
        let p = problem(
            4,
            r#"{"type":"max_days","teachers":["T"],"max":1,"periods":["P0"],"hard":false}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 2, 0), (3, 1, 1)]),
            2
        );
    }

    #[test]
    fn min_days_counts_days_missing() {
        // Mon and Tue busy, min 4 -> 2 missing.
        let p = problem(
            3,
            r#"{"type":"min_days","teachers":["T"],"min":4,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 1, 1)]), 2);
    }
}
