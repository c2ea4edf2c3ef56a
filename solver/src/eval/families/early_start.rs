//! `early_start`: a resource's day starts at its first period (periods it is
//! unavailable by a hard `unavailable` constraint, breaks for example, are skipped); at
//! most `limit` days a week may start one period late and none later. Deviation: per
//! week, the late periods beyond the first on each day plus the days one period late
//! over the limit.

use super::{unavailable_masks, WeekRule};
use crate::model::{Instance, ResId, ResourceLimit};

pub struct EarlyStart {
    limit: ResourceLimit,
    /// Per resource and day, the periods that do not count as a late start.
    excluded: Vec<u64>,
    days: usize,
}

/// A week's tally holds two counts: days starting late (high half) and periods late
/// beyond the first on each day (low half).
const LATE_DAY: i64 = 1 << 32;

impl EarlyStart {
    pub fn new(inst: &Instance, limit: ResourceLimit) -> Self {
        EarlyStart {
            excluded: unavailable_masks(inst, &limit.resources),
            days: inst.grid.day_count(),
            limit,
        }
    }
}

impl WeekRule for EarlyStart {
    fn resources(&self) -> &[ResId] {
        &self.limit.resources
    }
    #[inline]
    fn tally(&self, unit: usize, day: usize, mask: u64) -> i64 {
        if mask == 0 {
            return 0;
        }
        let before = (1u64 << mask.trailing_zeros()) - 1;
        match (before & !self.excluded[unit * self.days + day]).count_ones() {
            0 => 0,
            late => LATE_DAY + late as i64 - 1,
        }
    }
    #[inline]
    fn deviation(&self, _unit: usize, total: i64) -> u32 {
        let (late_days, beyond) = ((total / LATE_DAY) as u32, (total % LATE_DAY) as u32);
        beyond + late_days.saturating_sub(self.limit.limit)
    }
    fn describe(&self, _unit: usize, _dev: u32, total: i64) -> String {
        let (days, beyond) = (total / LATE_DAY, total % LATE_DAY);
        let max = self.limit.limit;
        format!(
            "starts late on {days} days (max {max} at the second period) and {beyond} \
             period(s) later than the second"
        )
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
