//! `lunch_break`: every day, at least `limit` of the lunch periods are free.
//! Deviation: free lunch periods missing, per day.

use super::DayRule;
use crate::model::{Grid, ResId, ResourceLimit};

pub struct LunchBreak {
    pub limit: ResourceLimit,
    pub periods: u64,
}

impl DayRule for LunchBreak {
    fn resources(&self) -> &[ResId] {
        &self.limit.resources
    }
    fn class(&self, _unit: usize) -> u64 {
        0
    }
    #[inline]
    fn deviation(&self, _unit: usize, _day: usize, mask: u64, _grid: &Grid) -> u32 {
        self.limit
            .limit
            .saturating_sub((self.periods & !mask).count_ones())
    }
    fn describe(&self, _unit: usize, _dev: u32, mask: u64, _grid: &Grid) -> String {
        format!(
            "has {} free lunch periods (min {})",
            (self.periods & !mask).count_ones(),
            self.limit.limit
        )
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
