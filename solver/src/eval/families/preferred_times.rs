//! `preferred_times`: sessions start at one of the given times. Deviation: 1 per
//! session starting elsewhere.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Penalty};

pub struct PreferredTimes {
    events: Vec<EventId>,
    starts: Vec<u64>,
}

impl PreferredTimes {
    pub fn new(events: &[EventId], starts: &[u64]) -> Self {
        PreferredTimes {
            events: events.to_vec(),
            starts: starts.to_vec(),
        }
    }
    fn misplaced(&self, unit: usize, view: &View) -> bool {
        let g = &view.inst.grid;
        view.start(self.events[unit])
            .is_some_and(|s| self.starts[g.day(s)] & (1 << g.period(s)) == 0)
    }
}

impl Family for PreferredTimes {
    fn units(&self) -> usize {
        self.events.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.events[unit..unit + 1],
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        if self.misplaced(unit, view) {
            pen.cost(1)
        } else {
            0
        }
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        if self.misplaced(unit, view) {
            let e = self.events[unit];
            out.push(Violation {
                cost: pen.cost(1),
                message: format!(
                    "{} starts at {}, not at a preferred time",
                    view.inst.event_name(e),
                    view.inst.grid.slot_name(view.starts[e as usize])
                ),
                events: vec![e],
                resources: vec![],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_sessions_starting_elsewhere() {
        // Preferred: Mon P0 and Tue (all). L0 Mon P0 ok, L1 Mon P1 wrong, L2 Tue P3 ok -> 1.
        let p = problem(
            3,
            r#"{"type":"preferred_times","lessons":["L0","L1","L2"],"times":[{"day":"D0","periods":["P0"]},{"day":"D1"}],"hard":false}"#,
        );
        assert_eq!(soft_cost(&p, &[(0, 0, 0), (1, 0, 1), (2, 1, 3)]), 1);
    }
}
