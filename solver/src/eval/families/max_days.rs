//! `max_days` and `min_days`: working days (days with a busy period, or with a busy
//! period among some periods) a week, at most or at least a limit. Deviation: days over
//! or missing, per week.

use super::WeekRule;
use crate::model::{ResId, ResourceLimit};

pub struct WorkingDays {
    pub limit: ResourceLimit,
    /// Only days busy in these periods count.
    pub periods: u64,
    /// The limit is a minimum.
    pub at_least: bool,
}

impl WeekRule for WorkingDays {
    fn resources(&self) -> &[ResId] {
        &self.limit.resources
    }
    #[inline]
    fn tally(&self, _unit: usize, _day: usize, mask: u64) -> i64 {
        (mask & self.periods != 0) as i64
    }
    #[inline]
    fn deviation(&self, _unit: usize, days: i64) -> u32 {
        let days = days as u32;
        if self.at_least {
            self.limit.limit.saturating_sub(days)
        } else {
            days.saturating_sub(self.limit.limit)
        }
    }
    fn describe(&self, _unit: usize, _dev: u32, days: i64) -> String {
        let (limit, bound) = (self.limit.limit, if self.at_least { "min" } else { "max" });
        format!("works {days} days ({bound} {limit})")
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
