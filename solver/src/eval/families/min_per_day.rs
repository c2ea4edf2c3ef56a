//! `min_per_day`: on a day with any busy period (on every day with `every_day`), at
//! least `limit` of them. Deviation: the periods missing, per resource and day.

use super::DayRule;
use crate::model::{Grid, ResId, ResourceLimit};

pub struct MinPerDay {
    pub limit: ResourceLimit,
    pub every_day: bool,
}

impl DayRule for MinPerDay {
    fn resources(&self) -> &[ResId] {
        &self.limit.resources
    }
    fn class(&self, _unit: usize) -> u64 {
        0
    }
    #[inline]
    fn deviation(&self, _unit: usize, _day: usize, mask: u64, _grid: &Grid) -> u32 {
        if mask == 0 && !self.every_day {
            0
        } else {
            self.limit.limit.saturating_sub(mask.count_ones())
        }
    }
    fn describe(&self, _unit: usize, _dev: u32, mask: u64, _grid: &Grid) -> String {
        format!(
            "is busy only {} periods (min {})",
            mask.count_ones(),
            self.limit.limit
        )
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

    #[test]
    fn every_day_counts_free_days_too() {
        // Same timetable, every day: Wed, Thu, Fri miss 3 each -> 3 + 9 = 12.
        let p = problem(
            3,
            r#"{"type":"min_per_day","teachers":["T"],"min":3,"every_day":true,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 1, 3)]), 12);
    }
}
