//! `preferred_rooms`: sessions of the listed lessons take their rooms among some rooms.
//! Deviation: 1 per session with a room elsewhere, or without a room (an optional room
//! need left empty).

use super::SessionRule;
use crate::eval::View;
use crate::model::{EventId, ResId, NO_ROOM};

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
}

impl SessionRule for PreferredRooms {
    fn events(&self) -> &[EventId] {
        &self.events
    }
    fn wrong(&self, e: EventId, view: &View) -> bool {
        view.rooms_of(e)
            .iter()
            .any(|&r| r == NO_ROOM || self.rooms.binary_search(&r).is_err())
    }
    fn describe(&self, e: EventId, view: &View) -> String {
        let rooms: Vec<&str> = view
            .rooms_of(e)
            .iter()
            .filter(|&&r| r != NO_ROOM)
            .map(|&r| view.inst.resource_name(r))
            .collect();
        if rooms.is_empty() {
            "has no room, not a preferred room".into()
        } else {
            format!("is in {}, not a preferred room", rooms.join(", "))
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
