//! `preferred_times`: sessions start at one of the given times. Deviation: 1 per
//! session starting elsewhere.

use super::SessionRule;
use crate::eval::View;
use crate::model::EventId;

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
}

impl SessionRule for PreferredTimes {
    fn events(&self) -> &[EventId] {
        &self.events
    }
    fn wrong(&self, e: EventId, view: &View) -> bool {
        let g = &view.inst.grid;
        view.start(e)
            .is_some_and(|s| self.starts[g.day(s)] & (1 << g.period(s)) == 0)
    }
    fn describe(&self, e: EventId, view: &View) -> String {
        format!(
            "starts at {}, not at a preferred time",
            view.inst.grid.slot_name(view.starts[e as usize])
        )
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
