//! `unavailable`: resources or lessons must not be busy at given times. Deviation: the
//! busy periods at forbidden times, per resource and day (per session for lessons),
//! counted in each week of the cycle.

use super::per_resource::{explain_days, sum_days};
use super::{ByDay, Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Grid, Penalty, ResId};

pub struct Unavailable {
    resources: Vec<ResId>,
    events: Vec<EventId>,
    times: Vec<u64>,
}

impl Unavailable {
    pub fn new(resources: &[ResId], events: &[EventId], times: &[u64]) -> Self {
        Unavailable {
            resources: resources.to_vec(),
            events: events.to_vec(),
            times: times.to_vec(),
        }
    }

    /// Forbidden periods covered by event `e`, over all its weeks.
    fn event_deviation(&self, e: EventId, view: &View) -> u32 {
        let Some(s) = view.start(e) else { return 0 };
        let g = &view.inst.grid;
        let span = g.span_mask(s, view.inst.events[e as usize].duration);
        (span & self.times[g.day(s)]).count_ones() * view.weeks[e as usize].count_ones()
    }
}

impl Family for Unavailable {
    fn units(&self) -> usize {
        self.resources.len() + self.events.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        if unit < self.resources.len() {
            Watch {
                resources: &self.resources[unit..unit + 1],
                events: &[],
            }
        } else {
            let k = unit - self.resources.len();
            Watch {
                resources: &[],
                events: &self.events[k..k + 1],
            }
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        if unit < self.resources.len() {
            sum_days(self, unit, self.resources[unit], view, pen)
        } else {
            pen.cost(self.event_deviation(self.events[unit - self.resources.len()], view))
        }
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        if unit < self.resources.len() {
            explain_days(view, self.resources[unit], out, |d, m| {
                match (m & self.times[d]).count_ones() {
                    0 => None,
                    n => Some((
                        pen.cost(n),
                        format!("is busy {n} period(s) while unavailable"),
                    )),
                }
            });
        } else {
            let e = self.events[unit - self.resources.len()];
            let dev = self.event_deviation(e, view);
            if dev > 0 {
                let s = view.starts[e as usize];
                out.push(Violation {
                    cost: pen.cost(dev),
                    message: format!(
                        "{} is at {}, a forbidden time",
                        view.inst.event_name(e),
                        view.inst.grid.slot_name(s)
                    ),
                    events: vec![e],
                    resources: vec![],
                });
            }
        }
    }
    fn by_day(&self, unit: usize) -> ByDay {
        if unit < self.resources.len() {
            ByDay::Sum
        } else {
            ByDay::No
        }
    }
    /// The forbidden times are the same for every resource.
    fn day_class(&self, _unit: usize) -> u64 {
        0
    }
    #[inline]
    fn day_value(&self, _unit: usize, day: usize, mask: u64, _grid: &Grid, pen: Penalty) -> i64 {
        match (mask & self.times[day]).count_ones() {
            0 => 0,
            n => pen.cost(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_busy_periods_at_forbidden_times() {
        // T unavailable Mon P0-P1 and all Tue. Lessons at Mon P1, Mon P2, Tue P3:
        // Mon 1 period + Tue 1 period = 2, hard.
        let p = problem(
            3,
            r#"{"type":"unavailable","teachers":["T"],"times":[{"day":"D0","periods":["P0","P1"]},{"day":"D1"}]}"#,
        );
        assert_eq!(hard_cost(&p, &[(0, 0, 1), (1, 0, 2), (2, 1, 3)]), 2);
    }

    #[test]
    fn lessons_can_be_forbidden_too() {
        // L1 forbidden at Wed; L0 there is fine, L1 there costs 1 (weight 3 -> 3).
        let p = problem(
            2,
            r#"{"type":"unavailable","lessons":["L1"],"times":[{"day":"D2"}],"hard":false,"weight":3}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 2, 0), (1, 2, 1)]), 3);
    }
}
