//! The incremental state: a timetable whose cost is kept up to date under moves.
//!
//! A move is a few [`State::set`] calls (each changes one event's time, weeks and
//! rooms), then [`State::delta`] for its cost change, then [`State::commit`] or
//! [`State::rollback`]. Only the constraint units that read a changed resource or event
//! are recomputed. After warm-up none of these calls allocates.

use crate::eval::occupancy::{Mark, Occupancy};
use crate::eval::scoring::Scoring;
use crate::eval::view::View;
use crate::eval::violation::Cost;
use crate::model::{
    CompiledRule, EventId, Instance, ResId, Slot, Timetable, MAX_ROOM_NEEDS, NO_ROOM, UNPLACED,
};

/// A copy of one event's rooms, on the stack.
#[derive(Clone, Copy, Debug)]
pub struct Rooms {
    ids: [ResId; MAX_ROOM_NEEDS],
    len: usize,
}

impl Rooms {
    /// A copy of `rooms` (at most [`MAX_ROOM_NEEDS`], as the model guarantees).
    #[inline]
    pub fn of(rooms: &[ResId]) -> Rooms {
        let mut ids = [NO_ROOM; MAX_ROOM_NEEDS];
        // Element by element: a copy of one or two rooms is cheaper than a memmove call.
        for (id, &r) in ids.iter_mut().zip(rooms) {
            *id = r;
        }
        Rooms {
            ids,
            len: rooms.len(),
        }
    }
}

impl std::ops::Deref for Rooms {
    type Target = [ResId];
    #[inline]
    fn deref(&self) -> &[ResId] {
        &self.ids[..self.len]
    }
}

impl std::ops::DerefMut for Rooms {
    #[inline]
    fn deref_mut(&mut self) -> &mut [ResId] {
        &mut self.ids[..self.len]
    }
}

/// A new day value of a day-cached unit.
struct DayChange {
    unit: u32,
    week: u32,
    /// Index in the day cache.
    slot: u32,
    value: i64,
}

struct Undo {
    event: EventId,
    start: Slot,
    weeks: u8,
    rooms_at: u32,
}

/// A point within the current move, to come back to with [`State::rollback_to`].
#[derive(Clone, Copy, Debug)]
pub struct Savepoint {
    journal: usize,
    occ: Mark,
    missing: i64,
}

/// The hard part of a move's cost change ([`State::hard_delta`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HardDelta {
    /// Change of the hard cost.
    pub hard: i64,
    /// Change of the weighted hard cost (see [`State::weighted_delta`]).
    pub weighted: i64,
}

/// A timetable with its occupancy and the cost of every constraint unit.
pub struct State<'a> {
    inst: &'a Instance,
    scoring: &'a Scoring,
    tt: Timetable,
    occ: Occupancy,
    /// Cost of every unit, but 0 for the day-summed ones (see `day_sums`).
    unit_cost: Vec<i64>,
    cost: Cost,
    /// Unplaced events plus room needs without a room (hard, weight 1).
    missing: i64,
    // Move bookkeeping.
    stamp: Vec<u32>,
    epoch: u32,
    touched: Vec<u32>,
    pending: Vec<i64>,
    /// Per day-cached weekly unit, its value on each (week, day): `unit * week_days + day *
    /// weeks + week`.
    day_cache: Vec<i64>,
    /// Per day-cached weekly unit, the sum of its day values each week:
    /// `unit * weeks + week`.
    week_sum: Vec<i64>,
    /// Per resource, the (week, day) pairs the current move changed (bit `day * weeks +
    /// week`: the weeks of a day are next to each other).
    dirty: Vec<u64>,
    /// (day, week) of each bit of `dirty`.
    dirty_bit: Vec<(u8, u8)>,
    dirty_resources: Vec<ResId>,
    /// Scratch for [`State::delta`]: a dirty resource's changed (bit, day, mask).
    changed_days: Vec<(u32, u32, u64)>,
    /// Per resource, the cost of its day-summed units ([`Scoring::day_sum`]) on each
    /// day, over all weeks: `resource * days + day`.
    day_sums: Vec<Cost>,
    /// The day sums the current move changes: (index in `day_sums`, new value).
    pending_sums: Vec<(u32, Cost)>,
    /// The day values the current move changes.
    pending_days: Vec<DayChange>,
    /// The cost changes of day-cached weekly units in the current move.
    pending_daily: Vec<(u32, i64)>,
    journal: Vec<Undo>,
    journal_rooms: Vec<ResId>,
    base_clashes: i64,
    base_missing: i64,
    /// The current move's evaluation: its cost change, and whether soft units were
    /// evaluated too (not by [`State::hard_delta`]).
    evaluated: Option<(Cost, bool)>,
    /// Weights of hard violations, for the repair's choices ([`State::weighted_delta`]):
    /// per resource, of its day-summed hard rules; per unit, of its hard cost (the
    /// occupancy weighs clashes). All 1 until [`State::raise_weights`].
    sum_weight: Vec<i64>,
    unit_weight: Vec<i64>,
    base_weighted_clashes: i64,
    /// The weighted hard cost of the constraint units and day-summed rules (all but
    /// clashes and placements), as last committed ([`State::weighted_rules`]).
    weighted_rules: i64,
    /// Per (teacher, student subgroup or room, slot), the events holding it in some week:
    /// how many, and the XOR of their ids (the event itself when it is alone), for the
    /// look-ups of Kempe chains and evictions ([`State::holders`]). Each event counts on
    /// its [`Scoring::held_resources`] only: a room, on the events that cannot do
    /// without it, and only if it is scarce.
    holders: Vec<Holders>,
}

/// The events holding a resource at a slot ([`State::holders`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holders {
    /// How many.
    pub count: u32,
    /// The XOR of their ids: the one event when `count` is 1.
    pub ids: EventId,
}

impl<'a> State<'a> {
    /// The state of timetable `tt`, with every unit's cost computed.
    pub fn new(inst: &'a Instance, scoring: &'a Scoring, tt: Timetable) -> State<'a> {
        let mut st = State {
            inst,
            scoring,
            tt: Timetable::empty(inst),
            occ: Occupancy::new(inst),
            unit_cost: vec![0; scoring.unit_count()],
            cost: Cost::ZERO,
            missing: inst.events.len() as i64,
            stamp: vec![0; scoring.unit_count()],
            epoch: 1,
            touched: Vec::with_capacity(256),
            pending: Vec::with_capacity(256),
            day_cache: vec![0; scoring.unit_count() * scoring.week_days],
            week_sum: vec![0; scoring.unit_count() * inst.grid.week_count()],
            dirty: vec![0; inst.resource_count()],
            dirty_bit: (0..inst.grid.day_count())
                .flat_map(|d| (0..inst.grid.week_count()).map(move |w| (d as u8, w as u8)))
                .take(64)
                .collect(),
            dirty_resources: Vec::with_capacity(64),
            changed_days: Vec::with_capacity(64),
            day_sums: vec![Cost::ZERO; inst.resource_count() * inst.grid.day_count()],
            pending_sums: Vec::with_capacity(256),
            pending_days: Vec::with_capacity(1024),
            pending_daily: Vec::with_capacity(256),
            journal: Vec::with_capacity(64),
            journal_rooms: Vec::with_capacity(64),
            base_clashes: 0,
            base_missing: 0,
            evaluated: None,
            sum_weight: vec![1; inst.resource_count()],
            unit_weight: vec![1; scoring.unit_count()],
            base_weighted_clashes: 0,
            weighted_rules: 0,
            holders: vec![Holders::default(); inst.resource_count() * inst.grid.slot_count()],
        };
        for e in 0..inst.events.len() {
            let e = e as EventId;
            let r = inst.room_range(e);
            st.apply(e, tt.starts[e as usize], tt.weeks[e as usize], &tt.rooms[r]);
        }
        st.end_move();
        let view = st.view();
        let mut total = Cost {
            hard: st.occ.clashes() + st.missing,
            soft: 0,
        };
        let mut costs = vec![0; scoring.unit_count()];
        for (u, cost) in costs.iter_mut().enumerate() {
            let c = scoring.unit_constraint[u] as usize;
            *cost = scoring.families[c].cost(
                u - scoring.unit_base[c] as usize,
                &view,
                scoring.penalty[c],
            );
            total += Cost::of(scoring.hard[c], *cost);
        }
        for r in 0..inst.resource_count() as ResId {
            for du in scoring.day_summed_units(r) {
                costs[du.unit as usize] = 0;
            }
        }
        st.unit_cost = costs;
        st.cost = total;
        let (weeks, days) = (inst.grid.week_count(), inst.grid.day_count());
        for r in 0..inst.resource_count() as ResId {
            if scoring.has_day_sum(r) {
                for d in 0..days {
                    st.day_sums[r as usize * days + d] = st.day_sum(r, d);
                }
            }
            for du in scoring.daily_units_of_resource(r) {
                let c = du.constraint as usize;
                for w in 0..weeks {
                    for d in 0..days {
                        let value = scoring.families[c].day_value(
                            du.local as usize,
                            d,
                            st.occ.day_mask(r, w, d),
                            &inst.grid,
                            scoring.penalty[c],
                        );
                        st.day_cache[du.unit as usize * scoring.week_days + d * weeks + w] = value;
                        st.week_sum[du.unit as usize * weeks + w] += value;
                    }
                }
            }
        }
        st.weighted_rules = st.rules_recounted();
        st
    }

    /// The instance.
    pub fn instance(&self) -> &'a Instance {
        self.inst
    }
    /// The scoring.
    pub fn scoring(&self) -> &'a Scoring {
        self.scoring
    }
    /// Current cost.
    #[inline]
    pub fn cost(&self) -> Cost {
        self.cost
    }
    /// Current timetable.
    pub fn timetable(&self) -> &Timetable {
        &self.tt
    }
    /// Current occupancy.
    #[inline]
    pub fn occupancy(&self) -> &Occupancy {
        &self.occ
    }
    /// Start of an event.
    #[inline]
    pub fn start(&self, e: EventId) -> Slot {
        self.tt.starts[e as usize]
    }
    /// Week mask of an event.
    #[inline]
    pub fn weeks(&self, e: EventId) -> u8 {
        self.tt.weeks[e as usize]
    }
    /// Rooms of an event.
    #[inline]
    pub fn rooms(&self, e: EventId) -> &[ResId] {
        &self.tt.rooms[self.inst.room_range(e)]
    }
    /// A copy of an event's rooms, to edit and pass back to [`State::set`].
    #[inline]
    pub fn rooms_copy(&self, e: EventId) -> Rooms {
        Rooms::of(self.rooms(e))
    }
    /// Unplaced events plus missing rooms.
    pub fn missing(&self) -> i64 {
        self.missing
    }

    /// The timetable and occupancy as constraint families read them.
    pub(crate) fn view(&self) -> View<'_> {
        View {
            inst: self.inst,
            starts: &self.tt.starts,
            weeks: &self.tt.weeks,
            rooms: &self.tt.rooms,
            occ: &self.occ,
        }
    }

    /// Moves event `e` to `start` (or [`UNPLACED`]) in weeks `weeks` with `rooms` (one
    /// per room need). Part of the current move until commit or rollback.
    pub fn set(&mut self, e: EventId, start: Slot, weeks: u8, rooms: &[ResId]) {
        if self.journal.is_empty() {
            self.base_clashes = self.occ.clashes();
            self.base_weighted_clashes = self.occ.weighted_clashes();
            self.base_missing = self.missing;
            self.occ.record();
        }
        self.evaluated = None;
        let range = self.inst.room_range(e);
        self.journal.push(Undo {
            event: e,
            start: self.tt.starts[e as usize],
            weeks: self.tt.weeks[e as usize],
            rooms_at: self.journal_rooms.len() as u32,
        });
        self.journal_rooms
            .extend(self.tt.rooms[range].iter().copied());
        self.apply(e, start, weeks, rooms);
    }

    /// Takes event `e` off the timetable (keeping its weeks and rooms for later), as part
    /// of the current move.
    pub fn unplace(&mut self, e: EventId) {
        let rooms = self.rooms_copy(e);
        self.set(e, UNPLACED, self.weeks(e), &rooms);
    }

    #[inline]
    fn missing_of(&self, e: EventId) -> i64 {
        if self.tt.starts[e as usize] == UNPLACED {
            1
        } else {
            self.inst.events[e as usize].rooms_missing(self.rooms(e)) as i64
        }
    }

    fn touch_resource(&mut self, r: ResId) {
        for &u in self.scoring.whole_units_of_resource(r) {
            if self.stamp[u as usize] != self.epoch {
                self.stamp[u as usize] = self.epoch;
                self.touched.push(u);
            }
        }
    }

    /// The `dirty` bits of the (week, day) pairs an event at `start` in `weeks` covers.
    #[inline]
    fn day_bits(&self, start: Slot, weeks: u8) -> u64 {
        if start == UNPLACED {
            0
        } else {
            (weeks as u64) << (self.inst.grid.day(start) * self.inst.grid.week_count())
        }
    }

    /// Records that `r`'s busy masks changed on the (week, day) pairs of `bits`, for its
    /// day-cached units.
    #[inline]
    fn mark_days(&mut self, r: ResId, bits: u64) {
        // No bits (a session off the timetable): nothing to mark, and `r` must not be
        // listed while its `dirty` stays 0, or a later mark would list it twice.
        if bits == 0 || !self.scoring.is_day_cached(r) {
            return;
        }
        if self.dirty[r as usize] == 0 {
            self.dirty_resources.push(r);
        }
        self.dirty[r as usize] |= bits;
    }

    fn touch_event(&mut self, e: EventId) {
        for &u in self.scoring.units_of_event(e) {
            if self.stamp[u as usize] != self.epoch {
                self.stamp[u as usize] = self.epoch;
                self.touched.push(u);
            }
        }
    }

    /// Moves event `e` from `from` to `to` among the holders of the slots of its
    /// [`Scoring::held_resources`].
    #[inline]
    fn hold(&mut self, e: EventId, from: Slot, to: Slot) {
        if from == to {
            return;
        }
        let (slots, duration) = (
            self.inst.grid.slot_count(),
            self.inst.events[e as usize].duration as usize,
        );
        for &r in self.scoring.held_resources(e) {
            let row = &mut self.holders[r as usize * slots..][..slots];
            if from != UNPLACED {
                for h in &mut row[from as usize..][..duration] {
                    h.count -= 1;
                    h.ids ^= e;
                }
            }
            if to != UNPLACED {
                for h in &mut row[to as usize..][..duration] {
                    h.count += 1;
                    h.ids ^= e;
                }
            }
        }
    }

    /// The events holding teacher or student subgroup `r` at `slot`, in some week; for a
    /// scarce room, those of them that cannot do without it; for another room, none
    /// ([`Scoring::held_resources`]).
    #[inline]
    pub fn holders(&self, r: ResId, slot: Slot) -> Holders {
        self.holders[r as usize * self.inst.grid.slot_count() + slot as usize]
    }

    /// Moves event `e`, marking what changed for [`State::delta`].
    fn apply(&mut self, e: EventId, start: Slot, weeks: u8, rooms: &[ResId]) {
        let inst = self.inst;
        let ev = &inst.events[e as usize];
        let (old_start, old_weeks) = (self.tt.starts[e as usize], self.tt.weeks[e as usize]);
        self.missing -= self.missing_of(e);
        let time_changed = old_start != start || old_weeks != weeks;
        let (old_bits, new_bits) = (
            self.day_bits(old_start, old_weeks),
            self.day_bits(start, weeks),
        );
        if time_changed {
            self.hold(e, old_start, start);
            for &r in &ev.resources {
                if old_start != UNPLACED {
                    self.occ.remove(r, old_weeks, old_start, ev.duration);
                }
                if start != UNPLACED {
                    self.occ.add(r, weeks, start, ev.duration);
                }
                self.mark_days(r, old_bits | new_bits);
                self.touch_resource(r);
            }
        }
        let range = inst.room_range(e);
        for (k, &new_room) in rooms.iter().enumerate() {
            let old_room = self.tt.rooms[range.start + k];
            if !time_changed && old_room == new_room {
                continue;
            }
            if old_room != NO_ROOM {
                if old_start != UNPLACED {
                    self.occ.remove(old_room, old_weeks, old_start, ev.duration);
                }
                self.mark_days(old_room, old_bits);
                self.touch_resource(old_room);
            }
            if new_room != NO_ROOM {
                if start != UNPLACED {
                    self.occ.add(new_room, weeks, start, ev.duration);
                }
                self.mark_days(new_room, new_bits);
                self.touch_resource(new_room);
            }
            self.tt.rooms[range.start + k] = new_room;
        }
        self.tt.starts[e as usize] = start;
        self.tt.weeks[e as usize] = weeks;
        self.missing += self.missing_of(e);
        self.touch_event(e);
    }

    /// Cost change of the current move (the `set` calls since the last commit or
    /// rollback).
    pub fn delta(&mut self) -> Cost {
        match self.evaluated {
            Some((d, true)) => d,
            _ => self.evaluate(true),
        }
    }

    /// The hard part of the current move's cost change, plain and weighted (as
    /// [`State::weighted_delta`]), the soft units left out: the repair compares its
    /// moves on hard costs only. [`State::commit`] evaluates the soft part.
    pub fn hard_delta(&mut self) -> HardDelta {
        self.bounded_hard_delta(None)
            .expect("an evaluation without a bound finishes")
    }

    /// [`State::hard_delta`], or `None` when the weighted change is sure to be above
    /// `bound`: the evaluation then stops as soon as it knows (a move compared with a
    /// better one held need not be evaluated in full).
    pub fn hard_delta_within(&mut self, bound: i64) -> Option<HardDelta> {
        self.bounded_hard_delta(Some(bound))
    }

    fn bounded_hard_delta(&mut self, bound: Option<i64>) -> Option<HardDelta> {
        let d = match self.evaluated {
            Some((d, _)) => d,
            None => self.evaluate_within(false, bound)?,
        };
        Some(HardDelta {
            hard: d.hard,
            weighted: self.weighted_hard_change(d),
        })
    }

    /// Lower bounds of the current move's hard change, plain and weighted, found without
    /// evaluating a constraint unit: the clashes and placements it changes, less the hard
    /// cost (plain and weighted) of every unit and day-summed rule it touches, which can
    /// at best fall to zero. The repair skips the moves whose bound shows them worse than
    /// the best it holds.
    pub fn hard_delta_floor(&self) -> HardDelta {
        if self.journal.is_empty() {
            return HardDelta {
                hard: 0,
                weighted: 0,
            };
        }
        let scoring = self.scoring;
        let missing = self.missing - self.base_missing;
        let mut floor = HardDelta {
            hard: (self.occ.clashes() - self.base_clashes) + missing,
            weighted: (self.occ.weighted_clashes() - self.base_weighted_clashes) + missing,
        };
        let mut relieve = |cost: i64, weight: i64| {
            floor.hard -= cost;
            floor.weighted -= weight * cost;
        };
        for &u in &self.touched {
            if scoring.is_hard_unit(u) {
                relieve(self.unit_cost[u as usize], self.unit_weight[u as usize]);
            }
        }
        let days = self.inst.grid.day_count();
        for &r in &self.dirty_resources {
            let sums = &self.day_sums[r as usize * days..][..days];
            relieve(
                sums.iter().map(|c| c.hard).sum(),
                self.sum_weight[r as usize],
            );
            for du in scoring.daily_units_of_resource(r) {
                if scoring.hard[du.constraint as usize] {
                    relieve(
                        self.unit_cost[du.unit as usize],
                        self.unit_weight[du.unit as usize],
                    );
                }
            }
        }
        floor
    }

    /// The current move's change of the weighted clashes and of the placements (a move
    /// must have begun).
    #[inline]
    fn weighted_clash_change(&self) -> i64 {
        (self.occ.weighted_clashes() - self.base_weighted_clashes)
            + (self.missing - self.base_missing)
    }

    /// A lower bound of the weighted hard change of swapping the starts of placed
    /// events `x` and `y`, each to the other's start with any rooms, found between moves
    /// without moving them. It counts the clashes the swap makes or mends on their
    /// teachers and student subgroups from the holders' index, and subtracts what could
    /// at best disappear: the room clashes and missing rooms of the two events, and the
    /// weighted cost of every rule ([`State::weighted_rules`]). `None` where the index
    /// does not tell the weeks apart (a grid of several weeks) or an event is off the
    /// timetable. Each start must be one the other event may take.
    pub fn swap_floor(&self, x: EventId, y: EventId) -> Option<i64> {
        debug_assert!(self.journal.is_empty(), "swap floor within a move");
        let (sx, sy) = (self.start(x), self.start(y));
        if self.inst.grid.week_count() != 1 || sx == UNPLACED || sy == UNPLACED {
            return None;
        }
        let (ex, ey) = (&self.inst.events[x as usize], &self.inst.events[y as usize]);
        let (dx, dy) = (ex.duration as Slot, ey.duration as Slot);
        // The periods whose holders change: from each start, as long as the longer
        // event; one stretch where the two overlap.
        let span = dx.max(dy);
        let (lo, hi) = (sx.min(sy), sx.max(sy));
        let apart = hi >= lo + span;
        let stretches = if apart {
            [(sx, sx + span), (sy, sy + span)]
        } else {
            [(lo, hi + span), (0, 0)]
        };
        let within = |t: Slot, start: Slot, duration: Slot| start <= t && t < start + duration;
        let count = |r: ResId, t: Slot| self.holders(r, t).count as i64;
        // Change of r's clashes, period by period.
        let change = |r: ResId, in_x: bool, in_y: bool| -> i64 {
            let mut change = 0;
            for t in stretches.iter().flat_map(|&(from, to)| from..to) {
                let now = count(r, t);
                let after =
                    now - (in_x && within(t, sx, dx)) as i64 - (in_y && within(t, sy, dy)) as i64
                        + (in_x && within(t, sy, dx)) as i64
                        + (in_y && within(t, sx, dy)) as i64;
                change += (after - 1).max(0) - (now - 1).max(0);
            }
            change
        };
        // Where the stretches are apart, a resource of one event only loses a holder
        // over that event's periods and gains one over the other's start.
        let moved = |r: ResId, from: Slot, to: Slot, duration: Slot| -> i64 {
            let left = (from..from + duration)
                .filter(|&t| count(r, t) >= 2)
                .count();
            let joined = (to..to + duration).filter(|&t| count(r, t) >= 1).count();
            joined as i64 - left as i64
        };
        // The two sorted resource lists, merged.
        let (rx, ry) = (&ex.resources, &ey.resources);
        let (mut i, mut j) = (0, 0);
        let mut floor = 0;
        while i < rx.len() || j < ry.len() {
            let (r, in_x, in_y) = match (rx.get(i), ry.get(j)) {
                (Some(&a), Some(&b)) if a == b => (a, true, true),
                (Some(&a), Some(&b)) if a < b => (a, true, false),
                (Some(&a), None) => (a, true, false),
                (_, Some(&b)) => (b, false, true),
                (None, None) => unreachable!("the loop runs while one is left"),
            };
            i += in_x as usize;
            j += in_y as usize;
            let clashes = match (in_x, in_y) {
                (true, true) if dx == dy => 0, // Each period keeps its holders' count.
                (true, false) if apart => moved(r, sx, sy, dx),
                (false, true) if apart => moved(r, sy, sx, dy),
                _ => change(r, in_x, in_y),
            };
            floor += self.occ.weight(r) * clashes;
        }
        Some(floor - self.relief(x) - self.relief(y) - self.weighted_rules)
    }

    /// The most that moving event `x` can take off the weighted clashes of its rooms and
    /// the missing placements and rooms: its rooms' clashes where it is, and its own
    /// missing placement or rooms.
    fn relief(&self, x: EventId) -> i64 {
        let (from, ev) = (self.start(x), &self.inst.events[x as usize]);
        if from == UNPLACED {
            return self.missing_of(x);
        }
        let clashing = (self.rooms(x).iter())
            .filter(|&&r| r != NO_ROOM && self.occ.is_shared(r, self.weeks(x), from, ev.duration));
        let weighted: i64 = clashing.map(|&r| self.occ.weight(r)).sum();
        weighted * ev.duration as i64 + self.missing_of(x)
    }

    /// A lower bound of the weighted hard change of the current move (as
    /// [`State::hard_delta_floor`] weighs it) once event `x` moves on to `start` with any
    /// rooms, found without moving it: the change so far, plus the clashes the move makes
    /// or mends on `x`'s teachers and student subgroups (from the holders' index), less
    /// what could at best disappear: `x`'s room clashes, its missing placement or rooms,
    /// and the weighted cost of every rule as last committed. `None` where the index
    /// does not tell the weeks apart (a grid of several weeks).
    pub fn move_floor(&self, x: EventId, start: Slot) -> Option<i64> {
        if self.inst.grid.week_count() != 1 {
            return None;
        }
        let ev = &self.inst.events[x as usize];
        let (from, duration) = (self.start(x), ev.duration as Slot);
        let within = |t: Slot, s: Slot| s != UNPLACED && s <= t && t < s + duration;
        let mut floor = if self.journal.is_empty() {
            0
        } else {
            self.weighted_clash_change()
        };
        let left = if from == UNPLACED {
            0..0
        } else {
            from..from + duration
        };
        for &r in &ev.resources {
            let mut clashes = 0;
            // The periods `x` leaves (and those of them it keeps), then those it joins.
            for t in left.clone() {
                let now = self.holders(r, t).count as i64;
                let after = now - 1 + within(t, start) as i64;
                clashes += (after - 1).max(0) - (now - 1).max(0);
            }
            for t in (start..start + duration).filter(|&t| !within(t, from)) {
                clashes += (self.holders(r, t).count >= 1) as i64;
            }
            floor += self.occ.weight(r) * clashes;
        }
        Some(floor - self.relief(x) - self.weighted_rules)
    }

    /// Evaluates the current move: its cost change, the soft units' part only
    /// `with_soft` (the soft units then keep their cost in `pending`).
    fn evaluate(&mut self, with_soft: bool) -> Cost {
        self.evaluate_within(with_soft, None)
            .expect("an evaluation without a bound finishes")
    }

    /// [`State::evaluate`], given up (`None`) as soon as the move's weighted hard change
    /// is sure to be above `bound`: from [`State::hard_delta_floor`], each unit and
    /// day-summed rule evaluated replaces its share of the relief by its new cost.
    fn evaluate_within(&mut self, with_soft: bool, bound: Option<i64>) -> Option<Cost> {
        if self.journal.is_empty() {
            return Some(Cost::ZERO); // No change: the bases below would be an earlier move's.
        }
        let mut floor = match bound {
            Some(bound) => {
                let floor = self.hard_delta_floor().weighted;
                if floor > bound {
                    return None;
                }
                floor
            }
            None => 0,
        };
        // The floor is kept only for a bounded evaluation.
        let bounded = bound.is_some();
        let above = |floor: i64| bound.is_some_and(|bound| floor > bound);
        let mut d = Cost {
            hard: (self.occ.clashes() - self.base_clashes) + (self.missing - self.base_missing),
            soft: 0,
        };
        let scoring = self.scoring;
        let view = View {
            inst: self.inst,
            starts: &self.tt.starts,
            weeks: &self.tt.weeks,
            rooms: &self.tt.rooms,
            occ: &self.occ,
        };
        self.pending.clear();
        self.pending_days.clear();
        self.pending_daily.clear();
        self.pending_sums.clear();
        for &u in &self.touched {
            let c = scoring.unit_constraint[u as usize] as usize;
            if !with_soft && !scoring.hard[c] {
                self.pending.push(self.unit_cost[u as usize]);
                continue;
            }
            let local = u as usize - scoring.unit_base[c] as usize;
            let new = scoring.families[c].cost(local, &view, scoring.penalty[c]);
            self.pending.push(new);
            d += Cost::of(scoring.hard[c], new - self.unit_cost[u as usize]);
            if bounded && scoring.hard[c] {
                floor += self.unit_weight[u as usize] * new;
                if above(floor) {
                    return None;
                }
            }
        }
        // Day-cached units: only the days the move changed.
        let (weeks, days) = (self.inst.grid.week_count(), self.inst.grid.day_count());
        let all_weeks = (1u64 << weeks) - 1;
        let grid = &self.inst.grid;
        let mut changed = std::mem::take(&mut self.changed_days);
        for &r in &self.dirty_resources {
            let units = scoring.daily_units_of_resource(r);
            let has_sum = scoring.has_day_sum(r);
            changed.clear();
            if bounded && has_sum {
                // Its day sums' relief, replaced below by their changes.
                let sums = &self.day_sums[r as usize * days..][..days];
                floor += self.sum_weight[r as usize] * sums.iter().map(|c| c.hard).sum::<i64>();
            }
            let mut bits = self.dirty[r as usize];
            while bits != 0 {
                let day = self.dirty_bit[bits.trailing_zeros() as usize].0 as usize;
                let first = day * weeks;
                let dirty_weeks = (bits >> first) & all_weeks;
                bits &= !(all_weeks << first);
                if has_sum {
                    let slot = r as usize * days + day;
                    let sum = self.day_sum(r, day);
                    d += sum - self.day_sums[slot];
                    if bounded {
                        floor +=
                            self.sum_weight[r as usize] * (sum.hard - self.day_sums[slot].hard);
                    }
                    self.pending_sums.push((slot as u32, sum));
                }
                if !units.is_empty() {
                    let mut ws = dirty_weeks;
                    while ws != 0 {
                        let w = ws.trailing_zeros() as usize;
                        ws &= ws - 1;
                        let mask = self.occ.day_mask(r, w, day);
                        changed.push(((first + w) as u32, day as u32, mask));
                    }
                }
            }
            for du in units {
                let c = du.constraint as usize;
                if !with_soft && !scoring.hard[c] {
                    continue;
                }
                let (family, pen) = (&scoring.families[c], scoring.penalty[c]);
                let base = du.unit as usize * scoring.week_days;
                let mut week_change = [0i64; 8];
                for &(b, day, mask) in &changed {
                    let w = self.dirty_bit[b as usize].1 as usize;
                    let value = family.day_value(du.local as usize, day as usize, mask, grid, pen);
                    let slot = base + b as usize;
                    week_change[w] += value - self.day_cache[slot];
                    self.pending_days.push(DayChange {
                        unit: du.unit,
                        week: w as u32,
                        slot: slot as u32,
                        value,
                    });
                }
                let sums = &self.week_sum[du.unit as usize * weeks..][..weeks];
                let local = du.local as usize;
                let change: i64 = (0..weeks)
                    .filter(|&w| week_change[w] != 0)
                    .map(|w| {
                        family.week_cost(local, sums[w] + week_change[w], pen)
                            - family.week_cost(local, sums[w], pen)
                    })
                    .sum();
                if change != 0 {
                    self.pending_daily.push((du.unit, change));
                    d += Cost::of(scoring.hard[c], change);
                }
                if bounded && scoring.hard[c] {
                    let unit = du.unit as usize;
                    floor += self.unit_weight[unit] * (self.unit_cost[unit] + change);
                }
            }
            if above(floor) {
                self.changed_days = changed;
                return None;
            }
        }
        self.changed_days = changed;
        self.evaluated = Some((d, with_soft));
        debug_assert!(bound.is_none() || floor == self.weighted_hard_change(d));
        Some(d)
    }

    /// Like [`State::delta`], with the hard part weighted: each clash by its resource's
    /// weight, each hard unit's cost by its weight, each resource's day-summed hard
    /// rules by its weight (see [`State::raise_weights`]). Read from what
    /// [`State::delta`] found, so that moves not compared so cost nothing more.
    pub fn weighted_delta(&mut self) -> Cost {
        let d = self.delta();
        Cost {
            hard: self.weighted_hard_change(d),
            soft: d.soft,
        }
    }

    /// The weighted hard change of the move just evaluated, whose plain change is `d`.
    fn weighted_hard_change(&self, d: Cost) -> i64 {
        if self.journal.is_empty() {
            return d.hard;
        }
        let scoring = self.scoring;
        let mut hard = self.weighted_clash_change();
        for (&u, &new) in self.touched.iter().zip(&self.pending) {
            if scoring.is_hard_unit(u) {
                hard += self.unit_weight[u as usize] * (new - self.unit_cost[u as usize]);
            }
        }
        let days = self.inst.grid.day_count();
        for &(slot, sum) in &self.pending_sums {
            let change = sum.hard - self.day_sums[slot as usize].hard;
            hard += self.sum_weight[slot as usize / days] * change;
        }
        for &(u, change) in &self.pending_daily {
            if scoring.is_hard_unit(u) {
                hard += self.unit_weight[u as usize] * change;
            }
        }
        hard
    }

    /// Keeps the current move.
    pub fn commit(&mut self) {
        let d = self.delta();
        // The weighted rules follow their units' and day sums' hard changes.
        let scoring = self.scoring;
        let mut rules = 0;
        for (i, &u) in self.touched.iter().enumerate() {
            let new = self.pending[i];
            if scoring.is_hard_unit(u) {
                rules += self.unit_weight[u as usize] * (new - self.unit_cost[u as usize]);
            }
            self.unit_cost[u as usize] = new;
        }
        let weeks = self.inst.grid.week_count();
        for c in &self.pending_days {
            let slot = c.slot as usize;
            self.week_sum[c.unit as usize * weeks + c.week as usize] +=
                c.value - self.day_cache[slot];
            self.day_cache[slot] = c.value;
        }
        for &(u, change) in &self.pending_daily {
            if scoring.is_hard_unit(u) {
                rules += self.unit_weight[u as usize] * change;
            }
            self.unit_cost[u as usize] += change;
        }
        let days = self.inst.grid.day_count();
        for &(slot, value) in &self.pending_sums {
            let change = value.hard - self.day_sums[slot as usize].hard;
            rules += self.sum_weight[slot as usize / days] * change;
            self.day_sums[slot as usize] = value;
        }
        self.weighted_rules += rules;
        self.cost += d;
        self.end_move();
    }

    /// Undoes the current move.
    pub fn rollback(&mut self) {
        self.occ.undo();
        if !self.journal.is_empty() {
            self.missing = self.base_missing;
        }
        self.restore_journal(0);
        self.end_move();
    }

    /// The current point of the move, to try further changes and come back.
    pub fn savepoint(&self) -> Savepoint {
        Savepoint {
            journal: self.journal.len(),
            occ: self.occ.mark(),
            missing: self.missing,
        }
    }

    /// Undoes the changes of the current move made after `sp` (all of them, like
    /// [`State::rollback`], when `sp` was taken before the move's first change).
    pub fn rollback_to(&mut self, sp: Savepoint) {
        if sp.journal == 0 {
            return self.rollback();
        }
        self.occ.undo_to(sp.occ);
        self.missing = sp.missing;
        self.restore_journal(sp.journal);
        // The units touched since stay touched: `delta` recomputes them all.
        self.evaluated = None;
    }

    /// Puts back the events of the journal entries after the first `len`.
    fn restore_journal(&mut self, len: usize) {
        while self.journal.len() > len {
            let undo = self.journal.pop().expect("longer than len");
            let e = undo.event as usize;
            self.hold(undo.event, self.tt.starts[e], undo.start);
            self.tt.starts[e] = undo.start;
            self.tt.weeks[e] = undo.weeks;
            let at = undo.rooms_at as usize;
            let range = self.inst.room_range(undo.event);
            let n = range.len();
            for (room, &old) in self.tt.rooms[range]
                .iter_mut()
                .zip(&self.journal_rooms[at..at + n])
            {
                *room = old;
            }
            self.journal_rooms.truncate(at);
        }
    }

    fn end_move(&mut self) {
        self.occ.keep();
        self.journal.clear();
        self.journal_rooms.clear();
        self.touched.clear();
        // An evaluation of the move just ended is not for the next `commit`.
        self.pending.clear();
        self.pending_days.clear();
        self.pending_daily.clear();
        self.pending_sums.clear();
        for &r in &self.dirty_resources {
            self.dirty[r as usize] = 0;
        }
        self.dirty_resources.clear();
        self.evaluated = None;
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.epoch = 1;
        }
    }

    /// The cost of resource `r`'s day-summed units on `day`, over all weeks.
    #[inline]
    fn day_sum(&self, r: ResId, day: usize) -> Cost {
        let masks = (0..self.inst.grid.week_count()).map(|w| self.occ.day_mask(r, w, day));
        self.scoring.day_sum(r, day, masks, &self.inst.grid)
    }

    /// Whether event `e` is placed and shares a teacher, student subgroup or room with
    /// another session at the same time.
    pub fn in_clash(&self, e: EventId) -> bool {
        let (s, w) = (self.start(e), self.weeks(e));
        let ev = &self.inst.events[e as usize];
        s != UNPLACED
            && ev
                .resources
                .iter()
                .chain(self.rooms(e))
                .any(|&r| r != NO_ROOM && self.occ.is_shared(r, w, s, ev.duration))
    }

    /// Whether event `e` takes part in a hard violation (a clash, a missing placement or
    /// room, or a hard constraint unit with a cost that reads it or one of its
    /// resources, rooms included).
    pub fn in_hard_violation(&self, e: EventId) -> bool {
        self.event_in_hard_violation(e, |r| (self.resource_in_hard_violation(r), true))
    }

    /// The events in hard violation, in order, as [`State::in_hard_violation`] tells
    /// (placed ones only with `placed_only`), into `out`. Each resource is looked at
    /// once, into `scratch`: whether a hard rule on it is broken, and whether it has a
    /// clash anywhere. Only the events that may be in violation are asked: those off
    /// the timetable, missing a room or in a room with a broken rule or a clash, those
    /// a hard unit with a cost reads, and those of a teacher or student subgroup with a
    /// broken rule or a clash (`events_of`: the events holding each resource).
    pub fn hard_violations(
        &self,
        placed_only: bool,
        events_of: &[Vec<EventId>],
        out: &mut Vec<EventId>,
        scratch: &mut Vec<(bool, bool)>,
    ) {
        scratch.clear();
        scratch.extend(
            (0..self.inst.resource_count() as ResId)
                .map(|r| (self.resource_in_hard_violation(r), self.occ.has_clash(r))),
        );
        let flagged = |r: ResId| scratch[r as usize].0 || scratch[r as usize].1;
        out.clear();
        out.extend((0..self.inst.events.len() as EventId).filter(|&e| {
            let rooms = self.rooms(e);
            if self.start(e) == UNPLACED {
                return !placed_only;
            }
            (self.inst.events[e as usize]).rooms_missing(rooms) > 0
                || rooms.iter().any(|&r| r != NO_ROOM && flagged(r))
        }));
        let (teachers, atoms) = (&self.inst.teachers, &self.inst.atoms);
        for r in (teachers.start..teachers.end).chain(atoms.start..atoms.end) {
            if flagged(r) {
                out.extend_from_slice(&events_of[r as usize]);
            }
        }
        for u in 0..self.unit_cost.len() as u32 {
            if self.unit_cost[u as usize] > 0 && self.scoring.is_hard_unit(u) {
                out.extend_from_slice(self.scoring.events_of_unit(u));
            }
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&e| {
            (!placed_only || self.start(e) != UNPLACED)
                && self.event_in_hard_violation(e, |r| scratch[r as usize])
        });
    }

    /// Whether event `e` takes part in a hard violation, `flags(r)` telling whether a
    /// hard rule on resource `r` is broken and whether `r` may have a clash.
    #[inline]
    fn event_in_hard_violation(&self, e: EventId, flags: impl Fn(ResId) -> (bool, bool)) -> bool {
        let (s, w) = (self.start(e), self.weeks(e));
        let ev = &self.inst.events[e as usize];
        if s == UNPLACED || ev.rooms_missing(self.rooms(e)) > 0 {
            return true;
        }
        let bad = |r: ResId| {
            let (broken, clashing) = flags(r);
            broken || (clashing && self.occ.is_shared(r, w, s, ev.duration))
        };
        self.scoring
            .hard_units_of_event(e)
            .any(|u| self.unit_cost[u as usize] > 0)
            || (ev.resources.iter().chain(self.rooms(e))).any(|&r| r != NO_ROOM && bad(r))
    }

    /// Whether resource `r` works more days than a hard maximum of working days allows.
    pub fn over_working_days(&self, r: ResId) -> bool {
        self.scoring.hard_units_of_resource(r).any(|u| {
            let c = self.scoring.unit_constraint[u as usize] as usize;
            self.unit_cost[u as usize] > 0
                && matches!(
                    self.inst.constraints[c].rule,
                    CompiledRule::WorkingDays {
                        at_least: false,
                        ..
                    }
                )
        })
    }

    /// Whether a day-summed hard rule on resource `r` (a minimum or maximum per day,
    /// gaps in a day, ...) is broken on `day`.
    pub fn breaks_day_rule(&self, r: ResId, day: usize) -> bool {
        self.day_sums[r as usize * self.inst.grid.day_count() + day].hard > 0
    }

    /// Whether a hard constraint unit or day-summed hard rule on resource `r` has a cost.
    fn resource_in_hard_violation(&self, r: ResId) -> bool {
        let days = self.inst.grid.day_count();
        self.scoring
            .hard_units_of_resource(r)
            .any(|u| self.unit_cost[u as usize] > 0)
            || self.day_sums[r as usize * days..][..days]
                .iter()
                .any(|c| c.hard > 0)
    }

    /// Raises by one the weight of every hard violation event `e` takes part in: its
    /// clashes, the hard units that read it or its resources with a cost, and its
    /// resources' day-summed hard rules on its day. The repair raises them where it is
    /// stuck, so that its next choices leave these violations for others (breakout).
    /// Between moves only.
    pub fn raise_weights(&mut self, e: EventId) {
        debug_assert!(self.journal.is_empty(), "weights raised within a move");
        let s = self.start(e);
        if s == UNPLACED {
            return;
        }
        let (w, ev) = (self.weeks(e), &self.inst.events[e as usize]);
        let day = self.inst.grid.day(s);
        let days = self.inst.grid.day_count();
        for u in self.scoring.hard_units_of_event(e) {
            if self.unit_cost[u as usize] > 0 {
                self.unit_weight[u as usize] += 1;
                self.weighted_rules += self.unit_cost[u as usize];
            }
        }
        for &r in ev.resources.iter().chain(self.rooms_copy(e).iter()) {
            if r == NO_ROOM {
                continue;
            }
            if self.occ.is_shared(r, w, s, ev.duration) {
                self.occ.raise_weight(r);
            }
            let sums = &self.day_sums[r as usize * days..][..days];
            if sums[day].hard > 0 {
                self.sum_weight[r as usize] += 1;
                self.weighted_rules += sums.iter().map(|c| c.hard).sum::<i64>();
            }
            for u in self.scoring.hard_units_of_resource(r) {
                if self.unit_cost[u as usize] > 0 {
                    self.unit_weight[u as usize] += 1;
                    self.weighted_rules += self.unit_cost[u as usize];
                }
            }
        }
    }

    /// The weighted hard cost of the timetable as last committed (see
    /// [`State::weighted_delta`]), its clashes and rules counted anew: for checks, it
    /// reads every period of every resource and every unit.
    pub fn weighted_hard(&self) -> i64 {
        let clashes: i64 = (0..self.inst.resource_count() as ResId)
            .map(|r| self.occ.weight(r) * self.occ.clashes_of(r))
            .sum();
        clashes + self.missing + self.rules_recounted()
    }

    /// The weighted hard cost of the constraint units and day-summed rules (all but
    /// clashes and placements) of the timetable as last committed, kept up to date
    /// through moves and raised weights.
    pub fn weighted_rules(&self) -> i64 {
        self.weighted_rules
    }

    /// [`State::weighted_rules`] counted anew.
    fn rules_recounted(&self) -> i64 {
        let scoring = self.scoring;
        let days = self.inst.grid.day_count();
        let units: i64 = (0..self.unit_cost.len())
            .filter(|&u| scoring.is_hard_unit(u as u32))
            .map(|u| self.unit_weight[u] * self.unit_cost[u])
            .sum();
        let sums: i64 = (self.day_sums.iter().enumerate())
            .map(|(i, c)| self.sum_weight[i / days] * c.hard)
            .sum();
        units + sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::families::testkit::{problem, problem_with_rooms};

    /// A move without a change costs nothing, even right after a move that did.
    #[test]
    fn committing_an_empty_move_keeps_the_cost() {
        let p = problem(2, r#"{"type":"max_per_day","teachers":["T"],"max":1}"#);
        let inst = p.compile().unwrap();
        let scoring = Scoring::new(&inst);
        let mut st = State::new(&inst, &scoring, Timetable::empty(&inst));
        let rooms = st.rooms_copy(0);
        st.set(0, inst.grid.slot(0, 0), st.weeks(0), &rooms);
        st.commit();
        let cost = st.cost();
        assert_eq!(st.delta(), Cost::ZERO);
        st.commit();
        assert_eq!(st.cost(), cost);
        assert_eq!(cost, crate::eval::evaluate(&inst, st.timetable()).cost);
    }

    /// A session off the timetable keeps its room; placing it again in that room
    /// changes the room's day once, not twice (the room was listed twice as changed,
    /// and the day sum's change counted twice).
    #[test]
    fn placing_a_session_back_in_its_room_counts_the_room_once() {
        let p = problem_with_rooms(2, r#"{"type":"max_per_day","rooms":["R20"],"max":1}"#);
        let inst = p.compile().unwrap();
        let r20 = inst.resources.iter().position(|x| x.name == "R20").unwrap() as ResId;
        let g = &inst.grid;
        let mut tt = Timetable::empty(&inst);
        tt.starts[0] = g.slot(0, 0);
        tt.rooms[inst.room_range(0).start] = r20;
        tt.rooms[inst.room_range(1).start] = r20;
        for entries in [0, usize::MAX] {
            let scoring = Scoring::with_table_entries(&inst, entries);
            let mut st = State::new(&inst, &scoring, tt.clone());
            assert_eq!(st.cost().hard, 1, "session 1 is off the timetable");
            st.set(1, g.slot(0, 1), st.weeks(1), &[r20]);
            assert_eq!(
                st.delta().hard,
                0,
                "one more busy period, one fewer missing"
            );
            st.commit();
            assert_eq!(st.cost(), crate::eval::evaluate(&inst, st.timetable()).cost);
        }
    }

    /// A clash whose weight was raised counts with that weight in the weighted delta,
    /// not in the cost; a rolled-back move leaves the weighted clashes as they were.
    #[test]
    fn raised_weights_weigh_the_repairs_choices_only() {
        let p = problem(3, r#"{"type":"max_per_day","teachers":["T"],"max":1}"#);
        let inst = p.compile().unwrap();
        let scoring = Scoring::new(&inst);
        let g = &inst.grid;
        let mut tt = Timetable::empty(&inst);
        tt.starts[..3].copy_from_slice(&[g.slot(0, 0), g.slot(0, 0), g.slot(0, 1)]);
        let mut st = State::new(&inst, &scoring, tt);
        // A clash of T and one of C at D0 P0, and T busy 2 periods on D0 (max 1).
        assert_eq!((st.cost().hard, st.weighted_hard()), (3, 3));
        st.raise_weights(0);
        // Each of these weighs 2 now.
        assert_eq!((st.cost().hard, st.weighted_hard()), (3, 6));
        let rooms = st.rooms_copy(1);
        let weigh = |st: &mut State, e: EventId, day: usize, period: usize| {
            st.set(e, g.slot(day, period), st.weeks(e), &rooms);
            (st.delta().hard, st.weighted_delta().hard)
        };
        // Off the clash, onto a third period of T on D0.
        assert_eq!(weigh(&mut st, 1, 0, 2), (-1, -2));
        st.rollback();
        assert_eq!(st.weighted_hard(), 6);
        assert_eq!(weigh(&mut st, 1, 2, 0), (-2, -4));
        st.commit();
        assert_eq!(weigh(&mut st, 2, 3, 0), (-1, -2));
        st.commit();
        assert_eq!((st.cost().hard, st.weighted_hard()), (0, 0));
    }

    /// A bounded evaluation gives the full one when it is within the bound, and nothing
    /// when it is above: over random moves of a school with hard rules of every kind the
    /// evaluation reads (day-summed, weekly by day, whole units), raised weights too.
    #[test]
    fn a_bounded_evaluation_stops_only_above_its_bound() {
        let rules = r#"{"type":"max_per_day","teachers":["T"],"max":2},
            {"type":"max_gaps_per_week","teachers":["T"],"max":1},
            {"type":"min_days_between","lessons":["L0","L1","L2","L3"],"days":1},
            {"type":"min_per_day","teachers":["T"],"min":2}"#;
        let p = problem(8, rules);
        let inst = p.compile().unwrap();
        let scoring = Scoring::new(&inst);
        let slots = inst.grid.slot_count() as Slot;
        let mut rng = fastrand::Rng::with_seed(3);
        let mut tt = Timetable::empty(&inst);
        for s in &mut tt.starts {
            *s = rng.u16(..slots);
        }
        let mut st = State::new(&inst, &scoring, tt);
        let (mut stopped, mut finished) = (0, 0);
        for step in 0..400 {
            let e = rng.u32(..inst.events.len() as u32);
            let (to, rooms) = (rng.u16(..slots), st.rooms_copy(e));
            st.set(e, to, st.weeks(e), &rooms);
            let full = st.hard_delta();
            st.rollback();
            st.set(e, to, st.weeks(e), &rooms);
            let bound = full.weighted + rng.i64(-3..=3);
            match st.hard_delta_within(bound) {
                Some(d) => {
                    assert!(d == full && full.weighted <= bound, "step {step}");
                    finished += 1;
                }
                None => {
                    assert!(full.weighted > bound, "step {step}");
                    stopped += 1;
                }
            }
            if rng.bool() {
                st.commit();
                st.raise_weights(e);
            } else {
                st.rollback();
            }
        }
        assert!(
            stopped > 50 && finished > 50,
            "{stopped} stopped, {finished} finished"
        );
    }

    /// A hard daily rule is kept in the day sums, not per unit: the events of a resource
    /// over its limit are still seen in hard violation, with or without lookup tables.
    #[test]
    fn day_summed_hard_rules_show_their_events_in_violation() {
        let p = problem(3, r#"{"type":"max_per_day","teachers":["T"],"max":1}"#);
        let inst = p.compile().unwrap();
        for entries in [0, usize::MAX] {
            let scoring = Scoring::with_table_entries(&inst, entries);
            let mut tt = Timetable::empty(&inst);
            let g = &inst.grid;
            tt.starts[..3].copy_from_slice(&[g.slot(0, 0), g.slot(0, 1), g.slot(1, 0)]);
            let mut st = State::new(&inst, &scoring, tt);
            assert_eq!(st.cost().hard, 1);
            assert!(st.in_hard_violation(0) && st.in_hard_violation(1));
            let rooms = st.rooms_copy(1);
            st.set(1, g.slot(2, 0), st.weeks(1), &rooms);
            assert_eq!(st.delta().hard, -1);
            st.commit();
            assert!((0..3).all(|e| !st.in_hard_violation(e)));
        }
    }

    /// A session in a room at a time the room is unavailable is in hard violation: the
    /// repair must see it (it only saw rules on teachers and classes, and on Germany's
    /// secondary-school-1 left such a session to the annealing: 29.87 s to a valid
    /// timetable instead of 4.07 s).
    #[test]
    fn a_session_in_an_unavailable_room_is_in_hard_violation() {
        let p = problem_with_rooms(
            1,
            r#"{"type":"unavailable","rooms":["R20"],"times":[{"day":"D0"}]}"#,
        );
        let inst = p.compile().unwrap();
        let room = |name: &str| inst.resources.iter().position(|x| x.name == name).unwrap();
        for entries in [0, usize::MAX] {
            let scoring = Scoring::with_table_entries(&inst, entries);
            let mut tt = Timetable::empty(&inst);
            tt.starts[0] = inst.grid.slot(0, 0);
            tt.rooms[inst.room_range(0).start] = room("R20") as ResId;
            let mut st = State::new(&inst, &scoring, tt);
            assert_eq!(st.cost().hard, 1);
            assert!(st.in_hard_violation(0));
            st.set(
                0,
                inst.grid.slot(0, 0),
                st.weeks(0),
                &[room("R40") as ResId],
            );
            st.commit();
            assert!(st.cost().hard == 0 && !st.in_hard_violation(0));
        }
    }
}
