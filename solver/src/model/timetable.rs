//! A timetable: where and when every event takes place.

use crate::model::instance::{EventId, Instance, ResId, Slot, NO_ROOM, UNPLACED};

/// Placement of every event of an [`Instance`], in flat arrays indexed by event id
/// (rooms by [`Instance::room_range`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timetable {
    /// Start slot of each event, [`UNPLACED`] when not placed.
    pub starts: Vec<Slot>,
    /// Week mask of each event.
    pub weeks: Vec<u8>,
    /// Room of each room need, [`NO_ROOM`] when none.
    pub rooms: Vec<ResId>,
}

impl Timetable {
    /// A timetable with nothing placed (pinned rooms and fixed weeks are set).
    pub fn empty(inst: &Instance) -> Timetable {
        let mut rooms = vec![NO_ROOM; inst.room_slots()];
        for (e, ev) in inst.events.iter().enumerate() {
            if let Some(pinned) = &ev.pinned_rooms {
                rooms[inst.room_range(e as EventId)].copy_from_slice(pinned);
            }
        }
        Timetable {
            starts: vec![UNPLACED; inst.events.len()],
            weeks: inst.events.iter().map(|e| e.week_options[0]).collect(),
            rooms,
        }
    }

    /// The timetable the pins of `inst` make: pinned sessions at their start, and each
    /// required room need with a single candidate in that room; the rest unplaced (or
    /// without a room).
    pub fn from_pins(inst: &Instance) -> Timetable {
        let mut tt = Timetable::empty(inst);
        for (e, ev) in inst.events.iter().enumerate() {
            if let [start] = ev.starts[..] {
                tt.starts[e] = start;
            }
            let range = inst.room_range(e as EventId);
            for (k, need) in ev.room_needs.iter().enumerate() {
                if let (None, [room], false) = (&ev.pinned_rooms, &need[..], ev.room_optional(k)) {
                    tt.rooms[range.start + k] = *room;
                }
            }
        }
        tt
    }

    /// Rooms of an event.
    pub fn rooms_of<'a>(&'a self, inst: &Instance, e: EventId) -> &'a [ResId] {
        &self.rooms[inst.room_range(e)]
    }
}
