//! Moves on the incremental state. Every move is a few `State::set` calls; the caller
//! then reads `delta()` and commits or rolls back.

use crate::eval::State;
use crate::model::{EventId, Instance, ResId, Slot, NO_ROOM, UNPLACED};

/// Per-instance data the moves need, built once.
pub struct Neighbourhood {
    /// Start slots allowed for each block.
    pub block_starts: Vec<Vec<Slot>>,
    /// Events holding each resource (teachers and atoms).
    pub events_of: Vec<Vec<EventId>>,
    /// Events with a room need that has a choice.
    pub roomy: Vec<EventId>,
}

impl Neighbourhood {
    /// Builds the neighbourhood data of `inst`.
    pub fn new(inst: &Instance) -> Neighbourhood {
        let block_starts = inst
            .blocks
            .iter()
            .map(|b| crate::model::block_starts(inst, b))
            .collect();
        let mut events_of = vec![Vec::new(); inst.resource_count()];
        for (e, ev) in inst.events.iter().enumerate() {
            for &r in &ev.resources {
                events_of[r as usize].push(e as EventId);
            }
        }
        let roomy = (0..inst.events.len() as EventId)
            .filter(|&e| {
                inst.events[e as usize].pinned_rooms.is_none()
                    && inst.events[e as usize]
                        .room_needs
                        .iter()
                        .any(|c| c.len() > 1)
            })
            .collect();
        Neighbourhood {
            block_starts,
            events_of,
            roomy,
        }
    }
}

/// Moves every event of `block` to `start`, keeping each one's rooms where they are
/// free and otherwise taking a free suitable room (scanning from `offset`). Event
/// weeks stay unless `weeks` gives a new mask for the block's events.
pub fn move_block(
    st: &mut State,
    block: &[EventId],
    start: Slot,
    weeks: Option<u8>,
    offset: usize,
) {
    let inst = st.instance();
    for &e in block {
        let ev = &inst.events[e as usize];
        let w = match weeks {
            Some(w) if ev.week_options.contains(&w) => w,
            _ => st.weeks(e),
        };
        let n = inst.room_range(e).len().min(8);
        let mut rooms = [NO_ROOM; 8];
        rooms[..n].copy_from_slice(&st.rooms(e)[..n]);
        if ev.pinned_rooms.is_none() {
            for k in 0..n {
                rooms[k] = pick_room(st, e, k, start, w, rooms[k], &rooms[..k], offset);
            }
        }
        st.set(e, start, w, &rooms[..n]);
    }
}

/// Whether room `r` is free for event `e` at `start` in `weeks`, not counting `e`'s own
/// current occupancy of it.
fn room_free_for(st: &State, e: EventId, r: ResId, start: Slot, weeks: u8) -> bool {
    let ev = &st.instance().events[e as usize];
    let occ = st.occupancy();
    if occ.is_free(r, weeks, start, ev.duration) {
        return true;
    }
    let old = st.start(e);
    if old == UNPLACED || !st.rooms(e).contains(&r) {
        return false;
    }
    let g = &st.instance().grid;
    if g.day(old) != g.day(start) {
        return false;
    }
    let old_weeks = st.weeks(e);
    let own =
        |w: usize, t: Slot| old_weeks & (1 << w) != 0 && old <= t && t < old + ev.duration as Slot;
    (0..g.week_count())
        .filter(|w| weeks & (1 << w) != 0)
        .all(|w| {
            (start..start + ev.duration as Slot).all(|t| occ.count(r, w, t) == own(w, t) as u8)
        })
}

/// The room for need `k` of `e` at `start`: `current` if free, else the first free
/// candidate from `offset` (not already taken by the same event), else `current`.
#[allow(clippy::too_many_arguments)]
fn pick_room(
    st: &State,
    e: EventId,
    k: usize,
    start: Slot,
    weeks: u8,
    current: ResId,
    taken: &[ResId],
    offset: usize,
) -> ResId {
    let ev = &st.instance().events[e as usize];
    if current != NO_ROOM
        && !taken.contains(&current)
        && room_free_for(st, e, current, start, weeks)
    {
        return current;
    }
    let cands = &ev.room_needs[k];
    let n = cands.len();
    for i in 0..n {
        let r = cands[(offset + i) % n];
        if !taken.contains(&r) && room_free_for(st, e, r, start, weeks) {
            return r;
        }
    }
    if current != NO_ROOM {
        current
    } else {
        cands[offset % n]
    }
}

/// Changes room need `k` of event `e` to `room`.
pub fn change_room(st: &mut State, e: EventId, k: usize, room: ResId) {
    let n = st.instance().room_range(e).len().min(8);
    let mut rooms = [NO_ROOM; 8];
    rooms[..n].copy_from_slice(&st.rooms(e)[..n]);
    rooms[k] = room;
    let (s, w) = (st.start(e), st.weeks(e));
    st.set(e, s, w, &rooms[..n]);
}
