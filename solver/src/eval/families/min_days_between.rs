//! `min_days_between`: any two sessions of the listed lessons are at least `days` days
//! apart. Deviation: 1 per pair too close; sessions in disjoint weeks of the cycle never
//! count.

use super::{Family, Session, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Grid, Instance, Penalty, Slot};

pub struct MinDaysBetween {
    events: Vec<EventId>,
    days: u32,
}

impl MinDaysBetween {
    pub fn new(events: &[EventId], days: u32) -> Self {
        MinDaysBetween {
            events: events.to_vec(),
            days,
        }
    }

    /// Whether starts `a` and `b` are less than the minimum number of days apart.
    #[inline]
    fn close(&self, g: &Grid, a: Slot, b: Slot) -> bool {
        (g.day(a).abs_diff(g.day(b)) as u32) < self.days
    }

    fn for_each_close_pair(&self, view: &View, mut f: impl FnMut(EventId, EventId)) {
        let g = &view.inst.grid;
        for (i, &a) in self.events.iter().enumerate() {
            let Some(sa) = view.start(a) else { continue };
            for &b in &self.events[i + 1..] {
                let Some(sb) = view.start(b) else { continue };
                if self.close(g, sa, sb) && view.weeks[a as usize] & view.weeks[b as usize] != 0 {
                    f(a, b);
                }
            }
        }
    }
}

impl Family for MinDaysBetween {
    fn units(&self) -> usize {
        1
    }
    fn watch(&self, _unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.events,
        }
    }
    fn pairwise(&self, _unit: usize) -> bool {
        true
    }
    fn pair_deviation(&self, _unit: usize, inst: &Instance, a: Session, b: Session) -> u32 {
        u32::from(self.close(&inst.grid, a.start, b.start) && a.weeks & b.weeks != 0)
    }
    fn cost(&self, _unit: usize, view: &View, pen: Penalty) -> i64 {
        let mut total = 0;
        self.for_each_close_pair(view, |_, _| total += pen.cost(1));
        total
    }
    fn explain(&self, _unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let g = &view.inst.grid;
        self.for_each_close_pair(view, |a, b| {
            let (da, db) = (
                g.day(view.starts[a as usize]),
                g.day(view.starts[b as usize]),
            );
            out.push(Violation {
                cost: pen.cost(1),
                message: format!(
                    "{} ({}) and {} ({}) are less than {} day(s) apart",
                    view.inst.event_name(a),
                    g.days[da],
                    view.inst.event_name(b),
                    g.days[db],
                    self.days
                ),
                events: vec![a, b],
                resources: vec![],
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_pairs_closer_than_the_minimum() {
        // Days 0, 1, 3 with min 2 days apart: pairs (0,1) distance 1 -> bad;
        // (0,3) 3 ok; (1,3) 2 ok -> 1 pair.
        let p = problem(
            3,
            r#"{"type":"min_days_between","lessons":["L0","L1","L2"],"days":2,"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 1, 0), (2, 3, 0)]), 1);
        // All on the same day: 3 pairs.
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 0, 2)]), 3);
    }
}
