//! `room_stability`: all sessions of a lesson in the same room(s). Deviation: distinct
//! rooms used minus the rooms one session needs, per lesson.

use super::{Family, Watch};
use crate::eval::{View, Violation};
use crate::model::{EventId, Penalty, NO_ROOM};

pub struct RoomStability {
    /// The events of each lesson.
    lessons: Vec<Vec<EventId>>,
}

impl RoomStability {
    /// The family with each lesson resolved to its events.
    pub fn new(inst: &crate::model::Instance, lessons: &[u32]) -> Self {
        RoomStability {
            lessons: lessons
                .iter()
                .map(|&l| inst.lessons[l as usize].events.clone().collect())
                .collect(),
        }
    }

    fn deviation(&self, unit: usize, view: &View) -> u32 {
        let events = &self.lessons[unit];
        let mut distinct = 0u32;
        let mut needs = 0u32;
        for (i, &e) in events.iter().enumerate() {
            if view.start(e).is_none() {
                continue;
            }
            let rooms = view.rooms_of(e);
            needs = needs.max(rooms.len() as u32);
            for (k, &r) in rooms.iter().enumerate() {
                if r == NO_ROOM || rooms[..k].contains(&r) {
                    continue;
                }
                let seen_before = events[..i]
                    .iter()
                    .any(|&o| view.start(o).is_some() && view.rooms_of(o).contains(&r));
                if !seen_before {
                    distinct += 1;
                }
            }
        }
        distinct.saturating_sub(needs)
    }
}

impl Family for RoomStability {
    fn units(&self) -> usize {
        self.lessons.len()
    }
    fn watch(&self, unit: usize) -> Watch<'_> {
        Watch {
            resources: &[],
            events: &self.lessons[unit],
        }
    }
    fn cost(&self, unit: usize, view: &View, pen: Penalty) -> i64 {
        pen.cost(self.deviation(unit, view))
    }
    fn explain(&self, unit: usize, view: &View, pen: Penalty, out: &mut Vec<Violation>) {
        let dev = self.deviation(unit, view);
        if dev > 0 {
            let events = self.lessons[unit].clone();
            let lesson = &view.inst.lessons[view.inst.events[events[0] as usize].lesson as usize];
            out.push(Violation {
                cost: pen.cost(dev),
                message: format!("{} uses {dev} room(s) more than needed", lesson.id),
                events,
                resources: vec![],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::families::testkit::*;

    #[test]
    fn counts_extra_rooms_per_lesson() {
        // Lesson L0 has 3 sessions in R20, R40, R20 -> 2 distinct - 1 = 1.
        let p = problem_with_rooms_sessions(3, r#"{"type":"room_stability","hard":false}"#);
        assert_eq!(
            soft_cost_rooms(&p, &[(0, 0, 0, "R20"), (1, 1, 0, "R40"), (2, 2, 0, "R20")]),
            1
        );
    }
}
