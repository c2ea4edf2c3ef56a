//! `max_gaps_per_day` and `max_gaps_per_week`: idle periods between the first and last
//! busy period of a day (summed over the week for the weekly form). Deviation: idle
//! periods over the limit, per day or per week.

use super::per_resource::{daily_cost, explain_daily, explain_weekly, watch, weekly_cost};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Penalty, ResourceLimit};

/// Idle periods inside the span of a day's busy mask.
#[inline]
pub fn gaps(m: u64) -> u32 {
    if m == 0 {
        0
    } else {
        (64 - m.leading_zeros() - m.trailing_zeros()) - m.count_ones()
    }
}

pub struct MaxGaps {
    limit: ResourceLimit,
    weekly: bool,
}

impl MaxGaps {
    pub fn per_day(limit: ResourceLimit) -> MaxGaps {
        MaxGaps {
            limit,
            weekly: false,
        }
    }
    pub fn per_week(limit: ResourceLimit) -> MaxGaps {
        MaxGaps {
            limit,
            weekly: true,
        }
    }
    fn week_gaps(masks: &[u64]) -> u32 {
        masks.iter().map(|&m| gaps(m)).sum()
    }
}

impl Family for MaxGaps {
    fn units(&self) -> usize {
        self.limit.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.limit.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        let (r, max) = (self.limit.resources[unit], self.limit.limit);
        if self.weekly {
            weekly_cost(view, r, pen, |ms| Self::week_gaps(ms).saturating_sub(max))
        } else {
            daily_cost(view, r, pen, |_, m| gaps(m).saturating_sub(max))
        }
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let (r, max) = (self.limit.resources[unit], self.limit.limit);
        if self.weekly {
            explain_weekly(
                view,
                r,
                pen,
                out,
                |ms| Self::week_gaps(ms).saturating_sub(max),
                |_, ms| {
                    format!(
                        "has {} idle periods in the week (max {max})",
                        Self::week_gaps(ms)
                    )
                },
            );
        } else {
            explain_daily(
                view,
                r,
                pen,
                out,
                |_, m| gaps(m).saturating_sub(max),
                |_, m| format!("has {} idle periods (max {max})", gaps(m)),
            );
        }
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
