//! `isolated`: a busy period with no busy period just before or after it on the same
//! day (ITC-2007 curriculum compactness). Deviation: 1 per isolated period.

use super::DayRule;
use crate::model::{Grid, Penalty, ResId};

pub struct Isolated(pub Vec<ResId>);

impl DayRule for Isolated {
    fn resources(&self) -> &[ResId] {
        &self.0
    }
    fn class(&self, _unit: usize) -> u64 {
        0
    }
    /// The number of isolated periods that day.
    #[inline]
    fn deviation(&self, _unit: usize, _day: usize, m: u64, _grid: &Grid) -> u32 {
        (m & !(m << 1) & !(m >> 1)).count_ones()
    }
    /// Each isolated period is a deviation of its own.
    fn cost(&self, isolated: u32, pen: Penalty) -> i64 {
        isolated as i64 * pen.cost(1)
    }
    fn describe(&self, _unit: usize, isolated: u32, _mask: u64, _grid: &Grid) -> String {
        format!("has {isolated} isolated period(s)")
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_periods_without_neighbours() {
        // Mon periods 0, 1, 3: 0-1 adjacent, 3 alone -> 1. Tue period 2 alone -> 1.
        // Weight 2 -> 4.
        let p = problem(
            4,
            r#"{"type":"isolated","teachers":["T"],"hard":false,"weight":2}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 3), (3, 1, 2)]),
            4
        );
    }
}
