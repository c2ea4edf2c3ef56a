//! `max_gaps_per_day` and `max_gaps_per_week`: idle periods between the first and last
//! busy period of a day (summed over the week for the weekly form). Deviation: idle
//! periods over the limit, per day or per week.

use super::per_resource::{explain_weekly, watch, weekly_cost};
use super::{DayRule, Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Grid, Penalty, ResId, ResourceLimit};

/// Idle periods inside the span of a day's busy mask.
#[inline]
pub fn gaps(m: u64) -> u32 {
    if m == 0 {
        0
    } else {
        (64 - m.leading_zeros() - m.trailing_zeros()) - m.count_ones()
    }
}

fn week_gaps(masks: &[u64]) -> u32 {
    masks.iter().map(|&m| gaps(m)).sum()
}

pub struct MaxGapsPerDay(pub ResourceLimit);

impl DayRule for MaxGapsPerDay {
    fn resources(&self) -> &[ResId] {
        &self.0.resources
    }
    #[inline]
    fn deviation(&self, _day: usize, mask: u64, _grid: &Grid) -> u32 {
        gaps(mask).saturating_sub(self.0.limit)
    }
    fn describe(&self, _dev: u32, mask: u64, _grid: &Grid) -> String {
        format!("has {} idle periods (max {})", gaps(mask), self.0.limit)
    }
}

pub struct MaxGapsPerWeek(pub ResourceLimit);

impl Family for MaxGapsPerWeek {
    fn units(&self) -> usize {
        self.0.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.0.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        weekly_cost(view, self.0.resources[unit], pen, |ms| {
            week_gaps(ms).saturating_sub(self.0.limit)
        })
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let max = self.0.limit;
        explain_weekly(
            view,
            self.0.resources[unit],
            pen,
            out,
            |ms| week_gaps(ms).saturating_sub(max),
            |_, ms| format!("has {} idle periods in the week (max {max})", week_gaps(ms)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::gaps;
    use crate::eval::families::testkit::*;

    #[test]
    fn gaps_are_idle_periods_inside_the_span() {
        assert_eq!(gaps(0), 0);
        assert_eq!(gaps(0b1), 0);
        assert_eq!(gaps(0b1001), 2);
        assert_eq!(gaps(0b1010_0100), 3);
    }

    #[test]
    fn per_day_counts_each_day_over() {
        // Mon: periods 0 and 3 -> 2 gaps; Tue: 0 and 2 -> 1 gap. Max 1 per day:
        // Mon 1 over, Tue 0 -> 1.
        let p = problem(
            4,
            r#"{"type":"max_gaps_per_day","teachers":["T"],"max":1,"hard":false}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 3), (2, 1, 0), (3, 1, 2)]),
            1
        );
    }

    #[test]
    fn per_week_sums_days_first() {
        // Same timetable, 3 gaps in the week, max 1 per week -> 2 over.
        let p = problem(
            4,
            r#"{"type":"max_gaps_per_week","teachers":["T"],"max":1,"hard":false}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 3), (2, 1, 0), (3, 1, 2)]),
            2
        );
    }
}
