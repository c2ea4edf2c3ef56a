//! `min_rest`: at least `limit` free periods between the last busy period of a working
//! day and the first busy period of the next working day (FET's min resting hours).
//! With `circular`, the week's last day is followed by its first. Deviation: periods
//! missing, per pair of consecutive days that are both working days.

use super::per_resource::{in_week, watch};
use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{Instance, Penalty, ResourceLimit};

pub struct MinRest {
    limit: ResourceLimit,
    circular: bool,
    periods: u32,
}

impl MinRest {
    pub fn new(inst: &Instance, limit: ResourceLimit, circular: bool) -> Self {
        MinRest {
            limit,
            circular,
            periods: inst.grid.periods_per_day() as u32,
        }
    }

    /// Periods missing between a day busy in `evening` and the next busy in `morning`.
    #[inline]
    fn missing(&self, evening: u64, morning: u64) -> u32 {
        if evening == 0 || morning == 0 {
            return 0;
        }
        let after = self.periods - (64 - evening.leading_zeros());
        let before = morning.trailing_zeros();
        self.limit.limit.saturating_sub(after + before)
    }

    /// Calls `f(day, next day, periods missing)` for each pair of consecutive days of
    /// a week of `n` days whose busy masks are `mask(day)`, with some missing.
    fn shortfalls(
        &self,
        n: usize,
        mask: impl Fn(usize) -> u64,
        mut f: impl FnMut(usize, usize, u32),
    ) {
        let pairs = if self.circular && n > 1 { n } else { n - 1 };
        for d in 0..pairs {
            let next = (d + 1) % n;
            let missing = self.missing(mask(d), mask(next));
            if missing > 0 {
                f(d, next, missing);
            }
        }
    }
}

impl Family for MinRest {
    fn units(&self) -> usize {
        self.limit.resources.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        watch(&self.limit.resources, unit)
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        let r = self.limit.resources[unit];
        let mut total = 0;
        let days = view.inst.grid.day_count();
        for w in 0..view.inst.grid.week_count() {
            let mask = |d| view.occ.day_mask(r, w, d);
            self.shortfalls(days, mask, |_, _, missing| total += pen.cost(missing));
        }
        total
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let r = self.limit.resources[unit];
        let days = &view.inst.grid.days;
        for w in 0..view.inst.grid.week_count() {
            let mask = |d| view.occ.day_mask(r, w, d);
            self.shortfalls(days.len(), mask, |d, next, missing| {
                let mut events = view.events_on_day(r, w, d);
                events.extend(view.events_on_day(r, w, next));
                out.push(Violation {
                    cost: pen.cost(missing),
                    message: format!(
                        "{} rests {} periods between {} and {} (min {}){}",
                        view.inst.resource_name(r),
                        self.limit.limit - missing,
                        days[d],
                        days[next],
                        self.limit.limit,
                        in_week(view, w)
                    ),
                    events,
                    resources: vec![r],
                });
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_rest_periods_missing_between_working_days() {
        // 4 periods a day. T busy Mon P3 (0 after) and Tue P1 (1 before): rest 1, min 3
        // -> 2 missing. Tue P1 (2 after) and Wed P2 (2 before): rest 4 -> 0. Thu free.
        let p = problem(
            3,
            r#"{"type":"min_rest","teachers":["T"],"min":3,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 3), (1, 1, 1), (2, 2, 2)]), 2);
    }

    #[test]
    fn circular_joins_the_last_day_to_the_first() {
        // T busy on the last day (D4) at P3 and on D0 at P0: rest 0, min 1 -> 1
        // missing, only when circular.
        let linear = problem(
            2,
            r#"{"type":"min_rest","teachers":["T"],"min":1,"hard":false}"#,
        );
        let circular = problem(
            2,
            r#"{"type":"min_rest","teachers":["T"],"min":1,"circular":true,"hard":false}"#,
        );
        let tt = [(0, 0, 0), (1, 4, 3)];
        assert_eq!(soft_cost(&linear, &tt), 0);
        assert_eq!(soft_cost(&circular, &tt), 1);
    }
}
