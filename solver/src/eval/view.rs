//! A read-only view of a timetable and its occupancy, what constraint families read.

use crate::eval::occupancy::Occupancy;
use crate::model::{EventId, Instance, ResId, Slot, UNPLACED};

/// A timetable with its occupancy, as the families see it.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The instance.
    pub inst: &'a Instance,
    /// Start of each event ([`UNPLACED`] if none).
    pub starts: &'a [Slot],
    /// Week mask of each event.
    pub weeks: &'a [u8],
    /// Flat room array (see [`Instance::room_range`]).
    pub rooms: &'a [ResId],
    /// Occupancy of every resource.
    pub occ: &'a Occupancy,
}

impl View<'_> {
    /// Start of `e`, if placed.
    #[inline]
    pub fn start(&self, e: EventId) -> Option<Slot> {
        let s = self.starts[e as usize];
        (s != UNPLACED).then_some(s)
    }
    /// Rooms of `e`.
    #[inline]
    pub fn rooms_of(&self, e: EventId) -> &[ResId] {
        &self.rooms[self.inst.room_range(e)]
    }
    /// Events holding `r` on `day` of week `w` (for explanations; scans all events).
    pub fn events_on_day(&self, r: ResId, w: usize, day: usize) -> Vec<EventId> {
        let g = &self.inst.grid;
        (0..self.inst.events.len() as EventId)
            .filter(|&e| {
                self.start(e).is_some_and(|s| g.day(s) == day)
                    && self.weeks[e as usize] & (1 << w) != 0
                    && (self.inst.events[e as usize]
                        .resources
                        .binary_search(&r)
                        .is_ok()
                        || self.rooms_of(e).contains(&r))
            })
            .collect()
    }
}
