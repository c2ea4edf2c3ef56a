//! `room_capacity`: the rooms of a session seat its students. Deviation: students over
//! the total capacity of its rooms, per session.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Instance, Penalty, NO_ROOM};

/// The sessions checked, with what the check reads at hand (it runs on every move).
pub struct RoomCapacity {
    events: Vec<EventId>,
    /// Per unit, its session's students.
    headcount: Vec<f64>,
    /// Per resource, its seats.
    seats: Vec<f64>,
}

impl RoomCapacity {
    /// The check of `events`, less those any rooms would seat: no room needed, or no
    /// more students than the smallest room of the school seats times the rooms needed
    /// (FET's rooms often seat 30,000). Their cost is 0 in every timetable.
    pub fn new(inst: &Instance, events: Vec<EventId>) -> Self {
        let lesson = |e: &EventId| &inst.lessons[inst.events[*e as usize].lesson as usize];
        let smallest = (inst.rooms.clone())
            .map(|r| inst.resources[r as usize].size)
            .fold(f64::INFINITY, f64::min);
        let may_exceed = |e: &EventId| {
            let needs = inst.events[*e as usize].room_needs.len();
            needs > 0 && lesson(e).headcount as f64 > needs as f64 * smallest
        };
        let events: Vec<EventId> = events.into_iter().filter(may_exceed).collect();
        RoomCapacity {
            headcount: events.iter().map(|e| lesson(e).headcount as f64).collect(),
            seats: inst.resources.iter().map(|r| r.size).collect(),
            events,
        }
    }

    /// Students of unit `unit`'s session over the seats of its rooms.
    fn excess(&self, unit: usize, view: &View) -> u32 {
        let e = self.events[unit];
        let rooms = view.rooms_of(e);
        if view.start(e).is_none() || rooms.is_empty() || rooms.contains(&NO_ROOM) {
            return 0;
        }
        let seats: f64 = rooms.iter().map(|&r| self.seats[r as usize]).sum();
        (self.headcount[unit] - seats).max(0.0) as u32
    }
}

impl Family for RoomCapacity {
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
        pen.cost(self.excess(unit, view))
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let e = self.events[unit];
        let over = self.excess(unit, view);
        if over > 0 {
            let rooms = view.rooms_of(e).to_vec();
            let names: Vec<&str> = rooms.iter().map(|&r| view.inst.resource_name(r)).collect();
            out.push(Violation {
                cost: pen.cost(over),
                message: format!(
                    "{} has {over} student(s) more than {} seats",
                    view.inst.event_name(e),
                    names.join(" + ")
                ),
                events: vec![e],
                resources: rooms,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_students_over_capacity() {
        // Class C has 30 students; R20 seats 20, R40 seats 40.
        // L0 in R20: 10 over; L1 in R40: 0 -> 10.
        let p = problem_with_rooms(2, r#"{"type":"room_capacity","hard":false}"#);
        assert_eq!(
            soft_cost_rooms(&p, &[(0, 0, 0, "R20"), (1, 0, 1, "R40")]),
            10
        );
    }

    #[test]
    fn sessions_that_every_room_seats_are_not_checked() {
        use super::{Family, RoomCapacity};
        // Class C has 30 students, in one room of R20 or R40.
        let p = problem_with_rooms(2, r#"{"type":"room_capacity"}"#);
        let mut inst = p.compile().unwrap();
        let units = |inst: &crate::model::Instance| RoomCapacity::new(inst, vec![0, 1]).units();
        assert_eq!(units(&inst), 2, "R20 is too small");
        let r20 = inst.resources.iter().position(|r| r.name == "R20").unwrap();
        inst.resources[r20].size = 30.0;
        assert_eq!(units(&inst), 0, "every room seats C");
    }
}
