//! `min_per_day`: on a day with any busy period, at least `limit` of them. Deviation:
//! the periods missing, per resource and busy day (free days cost nothing).

use super::DayRule;
use crate::model::{Grid, ResId, ResourceLimit};

pub struct MinPerDay(pub ResourceLimit);

impl DayRule for MinPerDay {
    fn resources(&self) -> &[ResId] {
        &self.0.resources
    }
    #[inline]
    fn deviation(&self, _day: usize, mask: u64, _grid: &Grid) -> u32 {
        if mask == 0 {
            0
        } else {
            self.0.limit.saturating_sub(mask.count_ones())
        }
    }
    fn describe(&self, _dev: u32, mask: u64, _grid: &Grid) -> String {
        format!(
            "is busy only {} periods (min {})",
            mask.count_ones(),
            self.0.limit
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
}
