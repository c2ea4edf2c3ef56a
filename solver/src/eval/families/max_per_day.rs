//! `max_per_day`: at most `limit` busy periods a day. Deviation: the periods over, per
//! resource and day.

use super::DayRule;
use crate::model::{Grid, ResId, ResourceLimit};

pub struct MaxPerDay(pub ResourceLimit);

impl DayRule for MaxPerDay {
    fn resources(&self) -> &[ResId] {
        &self.0.resources
    }
    fn class(&self, _unit: usize) -> u64 {
        0
    }
    #[inline]
    fn deviation(&self, _unit: usize, _day: usize, mask: u64, _grid: &Grid) -> u32 {
        mask.count_ones().saturating_sub(self.0.limit)
    }
    fn describe(&self, _unit: usize, _dev: u32, mask: u64, _grid: &Grid) -> String {
        format!(
            "is busy {} periods (max {})",
            mask.count_ones(),
            self.0.limit
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_periods_over_the_limit_per_day() {
        // T teaches 3 one-period lessons on Mon and 1 on Tue; max 2 a day.
        // Mon: 3 - 2 = 1 over; Tue: 0. Weight 5 -> soft 5.
        let p = problem(
            4,
            r#"{"type":"max_per_day","teachers":["T"],"max":2,"hard":false,"weight":5}"#,
        );
        let cost = soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 1, 0)]);
        assert_eq!(cost, 5);
    }

    #[test]
    fn quadratic_cost_squares_each_days_deviation() {
        // 4 lessons on Mon, max 1: deviation 3, quadratic weight 2 -> 2 * 9 = 18.
        let p = problem(
            4,
            r#"{"type":"max_per_day","teachers":["T"],"max":1,"hard":false,"weight":2,"cost":"quadratic"}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3)]),
            18
        );
    }
}
