//! `preferred_rooms`: sessions of the listed lessons take their rooms among some rooms.
//! Deviation: 1 per session with a room elsewhere.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Penalty, ResId, NO_ROOM};

pub struct PreferredRooms {
    events: Vec<EventId>,
    rooms: Vec<ResId>,
}

impl PreferredRooms {
    pub fn new(events: &[EventId], rooms: &[ResId]) -> Self {
        PreferredRooms {
            events: events.to_vec(),
            rooms: rooms.to_vec(),
        }
    }

    fn elsewhere(&self, unit: usize, view: &View) -> bool {
        view.rooms_of(self.events[unit])
            .iter()
            .any(|&r| r != NO_ROOM && self.rooms.binary_search(&r).is_err())
    }
}

impl Family for PreferredRooms {
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
        if self.elsewhere(unit, view) {
            pen.cost(1)
        } else {
            0
        }
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        if self.elsewhere(unit, view) {
            let e = self.events[unit];
            let rooms: Vec<&str> = view
                .rooms_of(e)
                .iter()
                .map(|&r| view.inst.resource_name(r))
                .collect();
            out.push(Violation {
                cost: pen.cost(1),
                message: format!(
                    "{} is in {}, not a preferred room",
                    view.inst.event_name(e),
                    rooms.join(", ")
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
    fn counts_sessions_in_other_rooms() {
        let p = problem_with_rooms(
            2,
            r#"{"type":"preferred_rooms","lessons":["L0","L1"],"rooms":["R40"],"hard":false,"weight":3}"#,
        );
        assert_eq!(
            soft_cost_rooms(&p, &[(0, 0, 0, "R40"), (1, 0, 1, "R20")]),
            3
        );
        assert_eq!(
            soft_cost_rooms(&p, &[(0, 0, 0, "R40"), (1, 0, 1, "R40")]),
            0
        );
    }
}
