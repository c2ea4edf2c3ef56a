//! `max_gaps_per_day` and `max_gaps_per_week`: idle periods between the first and last
//! busy period of a day (summed over the week for the weekly form). Periods the resource
//! is unavailable by a hard `unavailable` constraint (breaks, days off) are not idle.
//! Deviation: idle periods over the limit, per day or per week.

use super::{unavailable_masks, DayRule, WeekRule};
use crate::model::{Grid, Instance, ResId, ResourceLimit};

/// Idle periods inside the span of a day's busy mask, not counting `excluded` ones.
#[inline]
pub fn gaps(m: u64, excluded: u64) -> u32 {
    if m == 0 {
        0
    } else {
        let span = (u64::MAX >> m.leading_zeros()) & (u64::MAX << m.trailing_zeros());
        (span & !m & !excluded).count_ones()
    }
}

/// The limit and, per resource and day, the periods that are not idle time.
struct Gaps {
    limit: ResourceLimit,
    excluded: Vec<u64>,
    days: usize,
    /// Per resource, the first resource with the same excluded periods.
    class: Vec<u64>,
}

impl Gaps {
    fn new(inst: &Instance, limit: ResourceLimit) -> Self {
        let excluded = unavailable_masks(inst, &limit.resources);
        let days = inst.grid.day_count();
        let mut first = std::collections::HashMap::new();
        let class = excluded
            .chunks(days.max(1))
            .enumerate()
            .map(|(u, masks)| *first.entry(masks).or_insert(u as u64))
            .collect();
        Gaps {
            excluded,
            days,
            class,
            limit,
        }
    }
    #[inline]
    fn day(&self, unit: usize, day: usize, mask: u64) -> u32 {
        gaps(mask, self.excluded[unit * self.days + day])
    }
}

pub struct MaxGapsPerDay(Gaps);

impl MaxGapsPerDay {
    pub fn new(inst: &Instance, limit: ResourceLimit) -> Self {
        MaxGapsPerDay(Gaps::new(inst, limit))
    }
}

impl DayRule for MaxGapsPerDay {
    fn resources(&self) -> &[ResId] {
        &self.0.limit.resources
    }
    fn class(&self, unit: usize) -> u64 {
        self.0.class[unit]
    }
    #[inline]
    fn deviation(&self, unit: usize, day: usize, mask: u64, _grid: &Grid) -> u32 {
        self.0
            .day(unit, day, mask)
            .saturating_sub(self.0.limit.limit)
    }
    fn describe(&self, _unit: usize, dev: u32, _mask: u64, _grid: &Grid) -> String {
        let max = self.0.limit.limit;
        format!("has {} idle periods (max {max})", dev + max)
    }
}

pub struct MaxGapsPerWeek(Gaps);

impl MaxGapsPerWeek {
    pub fn new(inst: &Instance, limit: ResourceLimit) -> Self {
        MaxGapsPerWeek(Gaps::new(inst, limit))
    }
}

impl WeekRule for MaxGapsPerWeek {
    fn resources(&self) -> &[ResId] {
        &self.0.limit.resources
    }
    #[inline]
    fn tally(&self, unit: usize, day: usize, mask: u64) -> i64 {
        self.0.day(unit, day, mask) as i64
    }
    #[inline]
    fn deviation(&self, _unit: usize, total: i64) -> u32 {
        (total as u32).saturating_sub(self.0.limit.limit)
    }
    fn describe(&self, _unit: usize, _dev: u32, total: i64) -> String {
        let max = self.0.limit.limit;
        format!("has {total} idle periods in the week (max {max})")
    }
}

#[cfg(test)]
mod tests {
    use super::gaps;
    use crate::eval::families::testkit::*;

    #[test]
    fn gaps_are_idle_periods_inside_the_span() {
        assert_eq!(gaps(0, 0), 0);
        assert_eq!(gaps(0b1, 0), 0);
        assert_eq!(gaps(0b1001, 0), 2);
        assert_eq!(gaps(0b1010_0100, 0), 3);
        // Excluded periods inside the span are not idle; outside it they do not matter.
        assert_eq!(gaps(0b1010_0100, 0b0100_1001), 1);
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

    #[test]
    fn unavailable_periods_are_not_gaps() {
        // Same timetable, T unavailable (hard) at D0 P1: Monday has 1 gap, the week 2,
        // max 1 -> 1 over.
        let p = problem(
            4,
            r#"{"type":"unavailable","teachers":["T"],"times":[{"day":"D0","periods":["P1"]}]},
               {"type":"max_gaps_per_week","teachers":["T"],"max":1,"hard":false}"#,
        );
        assert_eq!(
            soft_cost(&p, &[(0, 0, 0), (1, 0, 3), (2, 1, 0), (3, 1, 2)]),
            1
        );
    }
}
