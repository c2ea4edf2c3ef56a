//! Moves on the incremental state. Every move is a few `State::set` calls; the caller
//! then reads `delta()` and commits or rolls back.

use crate::eval::{Cost, HardDelta, Rooms, State};
use crate::model::{
    CompiledRule, EventId, Instance, Relation, ResId, ResourceLimit, Slot, MAX_ROOM_NEEDS, NO_ROOM,
    UNPLACED,
};

/// Per-instance data the moves need, built once.
pub struct Neighbourhood {
    /// Start slots allowed for each block, without those that break a hard
    /// unavailability of a block member's teachers, students, lesson or every room it
    /// may take for a need, or a hard preferred start, or that overlap a block with a
    /// single start on a shared teacher, student subgroup or room, or the periods of a
    /// saturated resource whose every session a block member would clash with (each
    /// pruning only where it leaves some start); see `block_domains`.
    pub block_starts: Vec<Vec<Slot>>,
    /// The starts a block may take as a member of a Kempe chain: its `block_starts`
    /// and those only a hard preferred start forbids. A chain through an unavailable
    /// period or a block with a single start gets the repair stuck (RehobothHSY2016:
    /// lessons in the only period of the school assembly); one that breaks a
    /// preferred start for a while is a way round (on secondary-school-1, where 241
    /// lessons have preferred starts, chains kept to `block_starts` solved fewer
    /// seeds; BENCHMARKS.md).
    pub chain_starts: Vec<Vec<Slot>>,
    /// `block_starts` and `chain_starts` as bit sets (one row of `words` words per
    /// block), for the membership tests of swaps and Kempe chains.
    start_bits: Vec<u64>,
    chain_bits: Vec<u64>,
    words: usize,
    /// Events holding each teacher or student subgroup, and events that may take each
    /// room.
    pub events_of: Vec<Vec<EventId>>,
    /// For each event, the other events sharing a teacher or student subgroup with it.
    pub neighbours: Vec<Vec<EventId>>,
    /// Events with a room need that has a choice.
    pub roomy: Vec<EventId>,
    /// For each block, the other blocks a hard `same_day` rule ties it to: the repair
    /// may move them to the day it moves the block to.
    pub same_day: Vec<Vec<usize>>,
    /// Duration of each event, at hand for the scans of [`kempe`] and
    /// [`evict_clashes`] (an event's own record is far larger).
    pub durations: Vec<u8>,
}

impl Neighbourhood {
    /// Builds the neighbourhood data of `inst`.
    pub fn new(inst: &Instance) -> Neighbourhood {
        let mut events_of = vec![Vec::new(); inst.resource_count()];
        for (e, ev) in inst.events.iter().enumerate() {
            for &r in &ev.resources {
                events_of[r as usize].push(e as EventId);
            }
        }
        let (block_starts, chain_starts) = block_domains(inst, &events_of);
        // Each event's neighbours marked in a bit set, read back in order.
        let mut marked = vec![0u64; inst.events.len().div_ceil(64)];
        let neighbours: Vec<Vec<EventId>> = inst
            .events
            .iter()
            .enumerate()
            .map(|(e, ev)| {
                for &r in &ev.resources {
                    for &x in &events_of[r as usize] {
                        marked[x as usize / 64] |= 1 << (x % 64);
                    }
                }
                marked[e / 64] &= !(1 << (e % 64));
                let mut n = Vec::new();
                for (w, word) in marked.iter_mut().enumerate() {
                    while *word != 0 {
                        n.push((w * 64) as EventId + word.trailing_zeros());
                        *word &= *word - 1;
                    }
                }
                n
            })
            .collect();
        for (e, ev) in inst.events.iter().enumerate() {
            for &r in ev.room_needs.iter().flatten() {
                if events_of[r as usize].last() != Some(&(e as EventId)) {
                    events_of[r as usize].push(e as EventId);
                }
            }
        }
        let roomy = (0..inst.events.len() as EventId)
            .filter(|&e| {
                let ev = &inst.events[e as usize];
                ev.pinned_rooms.is_none()
                    && (ev.optional_rooms != 0 || ev.room_needs.iter().any(|c| c.len() > 1))
            })
            .collect();
        let words = inst.grid.slot_count().div_ceil(64);
        Neighbourhood {
            start_bits: bit_rows(&block_starts, words),
            chain_bits: bit_rows(&chain_starts, words),
            words,
            same_day: same_day_ties(inst),
            durations: inst.events.iter().map(|ev| ev.duration).collect(),
            chain_starts,
            block_starts,
            events_of,
            neighbours,
            roomy,
        }
    }
}

impl Neighbourhood {
    /// Whether block `b` may start at `s` (`s` is in its [`Neighbourhood::block_starts`]).
    #[inline]
    pub fn may_start(&self, b: usize, s: Slot) -> bool {
        has_bit(&self.start_bits, self.words, b, s)
    }

    /// Whether block `b` may start at `s` as a member of a Kempe chain (`s` is in its
    /// [`Neighbourhood::chain_starts`]).
    #[inline]
    pub fn may_chain(&self, b: usize, s: Slot) -> bool {
        has_bit(&self.chain_bits, self.words, b, s)
    }
}

/// Each list of `lists` as a row of `words` words of bits.
fn bit_rows(lists: &[Vec<Slot>], words: usize) -> Vec<u64> {
    let mut bits = vec![0; lists.len() * words];
    for (b, list) in lists.iter().enumerate() {
        for &s in list {
            bits[b * words + s as usize / 64] |= 1 << (s % 64);
        }
    }
    bits
}

/// Whether bit `s` of row `b` is set (never for [`UNPLACED`]).
#[inline]
fn has_bit(bits: &[u64], words: usize, b: usize, s: Slot) -> bool {
    let w = s as usize / 64;
    w < words && bits[b * words + w] & (1 << (s % 64)) != 0
}

/// For each block, the other blocks of its hard `same_day` rules
/// ([`Neighbourhood::same_day`]), in order.
fn same_day_ties(inst: &Instance) -> Vec<Vec<usize>> {
    let mut ties = vec![Vec::new(); inst.blocks.len()];
    for c in inst.constraints.iter().filter(|c| c.hard) {
        if let CompiledRule::Relation {
            events,
            relation: Relation::SameDay,
        } = &c.rule
        {
            for &a in events {
                let ba = inst.block_of[a as usize] as usize;
                for &b in events {
                    let bb = inst.block_of[b as usize] as usize;
                    if ba != bb {
                        ties[ba].push(bb);
                    }
                }
            }
        }
    }
    for t in &mut ties {
        t.sort_unstable();
        t.dedup();
    }
    ties
}

/// The starts of each block: ([`Neighbourhood::block_starts`],
/// [`Neighbourhood::chain_starts`]). Both are pruned by the hard unary rules and the
/// saturated resources ([`Forbidden::forbid_saturated`]), then by
/// the blocks left with a single start: every valid timetable has such a block there,
/// so no block sharing one of its teachers, student subgroups or (sole candidate) rooms
/// may overlap it, since clashes are always hard. Pruning repeats while it leaves more
/// blocks with a single start. A pruning that would leave a block no start is not made:
/// the search then sees the conflict instead of an empty domain.
/// `sessions_of` lists the events holding each teacher and student subgroup.
fn block_domains(
    inst: &Instance,
    sessions_of: &[Vec<EventId>],
) -> (Vec<Vec<Slot>>, Vec<Vec<Slot>>) {
    let mut forbidden = Forbidden::new(inst, sessions_of);
    let prune = |forbidden: &Forbidden, b: &[EventId], starts: &[Slot], preferred: bool| {
        let free: Vec<Slot> = starts
            .iter()
            .copied()
            .filter(|&s| b.iter().all(|&e| !forbidden.hits(inst, e, s, preferred)))
            .collect();
        if free.is_empty() {
            starts.to_vec()
        } else {
            free
        }
    };
    let all: Vec<Vec<Slot>> = inst
        .blocks
        .iter()
        .map(|b| crate::model::block_starts(inst, b))
        .collect();
    let mut domains: Vec<Vec<Slot>> = (inst.blocks.iter().zip(&all))
        .map(|(b, starts)| prune(&forbidden, b, starts, true))
        .collect();
    let mut fixed = vec![false; inst.blocks.len()];
    loop {
        let mut grew = false;
        for (b, block) in inst.blocks.iter().enumerate() {
            if !fixed[b] && domains[b].len() == 1 {
                fixed[b] = true;
                grew = true;
                for &e in block {
                    forbidden.occupy(inst, e, domains[b][0]);
                }
            }
        }
        if !grew {
            break;
        }
        for (b, block) in inst.blocks.iter().enumerate() {
            if !fixed[b] {
                domains[b] = prune(&forbidden, block, &domains[b], true);
            }
        }
    }
    let chain_domains = (0..inst.blocks.len())
        .map(|b| {
            if fixed[b] {
                domains[b].clone()
            } else {
                prune(&forbidden, &inst.blocks[b], &all[b], false)
            }
        })
        .collect();
    (domains, chain_domains)
}

/// The periods `sessions` last each week, or `None` when one of them takes some weeks
/// only.
fn weekly_periods(inst: &Instance, sessions: &[EventId]) -> Option<u32> {
    let every_week = [inst.grid.all_weeks()];
    (sessions.iter())
        .map(|&y| &inst.events[y as usize])
        .map(|ev| (ev.week_options == every_week).then_some(ev.duration as u32))
        .sum()
}

/// The periods hard `unavailable` rules forbid per event (per resource, the instance
/// has them), the starts hard `preferred_times` rules allow, per event, and the periods
/// per resource that events with a single start take.
struct Forbidden {
    /// `event * days + day` -> forbidden periods.
    event: Vec<u64>,
    /// `event * days + day` -> allowed start periods.
    starts: Vec<u64>,
    /// `resource * days + day` -> periods taken by events with a single start.
    taken: Vec<u64>,
    days: usize,
}

impl Forbidden {
    fn new(inst: &Instance, sessions_of: &[Vec<EventId>]) -> Forbidden {
        let days = inst.grid.day_count();
        let mut f = Forbidden {
            event: vec![0; inst.events.len() * days],
            starts: vec![u64::MAX; inst.events.len() * days],
            taken: vec![0; inst.resource_count() * days],
            days,
        };
        for c in inst.constraints.iter().filter(|c| c.hard) {
            match &c.rule {
                CompiledRule::Unavailable { events, times, .. } => {
                    for (d, &t) in times.iter().enumerate() {
                        for &e in events {
                            f.event[e as usize * days + d] |= t;
                        }
                    }
                }
                CompiledRule::PreferredTimes { events, starts } => {
                    for (d, &t) in starts.iter().enumerate() {
                        for &e in events {
                            f.starts[e as usize * days + d] &= t;
                        }
                    }
                }
                _ => {}
            }
        }
        f.forbid_saturated(inst, sessions_of);
        f.forbid_unworkable_days(inst, sessions_of);
        f
    }

    /// Forbids the periods of each *saturated* resource to the events that clash with
    /// all of its sessions. A teacher or student subgroup whose sessions (every week
    /// each) last as many periods as it is available is busy in every period it is
    /// available, in every valid timetable; an event of another resource that shares a
    /// teacher or student subgroup with each of those sessions clashes with one of them
    /// wherever it overlaps such a period. (In `Bethlen-2008-2009`, teacher KENÉ gives
    /// 12 lessons in the 12 periods he is available, to three classes that two-period
    /// option bands take together: the bands may not be in his periods.)
    /// `sessions_of` lists the events holding each teacher and student subgroup.
    fn forbid_saturated(&mut self, inst: &Instance, sessions_of: &[Vec<EventId>]) {
        let g = &inst.grid;
        let day_mask = u64::MAX >> (64 - g.periods_per_day());
        // For each event, how many sessions of the resource at hand it shares a teacher
        // or student subgroup with, and the last of them it was counted for.
        let mut shared = vec![(0usize, EventId::MAX); inst.events.len()];
        for (r, sessions) in sessions_of.iter().enumerate() {
            let available = |d: usize| day_mask & !inst.unavailable(r as ResId, d);
            let periods: u32 = (0..self.days).map(|d| available(d).count_ones()).sum();
            if sessions.is_empty() || weekly_periods(inst, sessions) != Some(periods) {
                continue;
            }
            shared.fill((0, EventId::MAX));
            for &y in sessions {
                for &q in &inst.events[y as usize].resources {
                    for &x in &sessions_of[q as usize] {
                        let (count, last) = &mut shared[x as usize];
                        if *last != y {
                            *last = y;
                            *count += 1;
                        }
                    }
                }
            }
            for (x, &(count, _)) in shared.iter().enumerate() {
                if count == sessions.len() && !inst.events[x].resources.contains(&(r as ResId)) {
                    for d in 0..self.days {
                        self.event[x * self.days + d] |= available(d);
                    }
                }
            }
        }
    }

    /// Forbids to the sessions of each teacher and student subgroup the days it cannot
    /// work on under its hard rules: a day with fewer available periods (at most its
    /// daily maximum) than its daily minimum on a working day, and, under a limit of
    /// working days, a day whose periods, with those of the best other days the limit
    /// leaves, are fewer than its sessions last. In `lk-example`, Saturday has 4
    /// periods: teacher Ricardo, at least 5 a day, never works on it; nor does Evandro,
    /// with 30 lessons on at most 4 days of 8 periods (Saturday and three weekdays hold
    /// 28). The repair's end states often had them there. `sessions_of` lists the
    /// events holding each teacher and student subgroup.
    fn forbid_unworkable_days(&mut self, inst: &Instance, sessions_of: &[Vec<EventId>]) {
        let g = &inst.grid;
        let day_mask = u64::MAX >> (64 - g.periods_per_day());
        let people = inst.rooms.start as usize;
        let (mut daily_max, mut daily_min, mut max_days) = (
            vec![u32::MAX; people],
            vec![0; people],
            vec![u32::MAX; people],
        );
        let tighten = |of: &mut Vec<u32>, limit: &ResourceLimit, pick: fn(u32, u32) -> u32| {
            for &r in limit.resources.iter().filter(|&&r| (r as usize) < people) {
                of[r as usize] = pick(of[r as usize], limit.limit);
            }
        };
        for c in inst.constraints.iter().filter(|c| c.hard) {
            match &c.rule {
                CompiledRule::MaxPerDay { limit, only: None } => {
                    tighten(&mut daily_max, limit, u32::min)
                }
                CompiledRule::MinPerDay {
                    limit,
                    every_day: false,
                } => tighten(&mut daily_min, limit, u32::max),
                // Days busy outside `periods` only do not count towards the limit.
                CompiledRule::WorkingDays {
                    limit,
                    periods,
                    at_least: false,
                } if periods & day_mask == day_mask => tighten(&mut max_days, limit, u32::min),
                _ => {}
            }
        }
        for (r, sessions) in sessions_of.iter().enumerate().take(people) {
            let Some(busy) = weekly_periods(inst, sessions) else {
                continue;
            };
            if (daily_min[r] == 0 && max_days[r] == u32::MAX) || max_days[r] == 0 {
                continue;
            }
            let capacity: Vec<u32> = (0..self.days)
                .map(|d| {
                    let free = (day_mask & !inst.unavailable(r as ResId, d)).count_ones();
                    let most = free.min(daily_max[r]);
                    if most < daily_min[r] {
                        0
                    } else {
                        most
                    }
                })
                .collect();
            let mut best = capacity.clone();
            best.sort_unstable_by(|a, b| b.cmp(a));
            // The other working days the limit leaves, and the periods of the best of
            // them with day `d`'s own.
            let others = (max_days[r] as usize - 1).min(self.days - 1);
            let top: u32 = best[..others].iter().sum();
            for (d, &own) in capacity.iter().enumerate() {
                // With `d` among the best days, the others are the rest of the best.
                let reach = top + own.min(best[others]);
                if own == 0 || reach < busy {
                    for &e in sessions {
                        self.event[e as usize * self.days + d] |= day_mask;
                    }
                }
            }
        }
    }

    /// Records that event `e`, whose block has the single start `s`, takes its
    /// resources at `s` in every valid timetable: its teachers and student subgroups,
    /// and the room of each need it must have and has one candidate (or a pin) for.
    /// An event that may take some weeks only takes nothing.
    fn occupy(&mut self, inst: &Instance, e: EventId, s: Slot) {
        let g = &inst.grid;
        let ev = &inst.events[e as usize];
        if ev.week_options != [g.all_weeks()] {
            return;
        }
        let (day, span) = (g.day(s), g.span_mask(s, ev.duration));
        for r in ev.resources.iter().copied().chain(ev.sole_rooms()) {
            self.taken[r as usize * self.days + day] |= span;
        }
    }

    /// Whether event `e` starting at `s` covers a forbidden or taken period of its own
    /// or of one of its teachers or student subgroups, or of every candidate of one of
    /// its room needs (an optional need may go without), or, with `preferred`, starts
    /// where a hard preferred-start rule does not allow.
    fn hits(&self, inst: &Instance, e: EventId, s: Slot, preferred: bool) -> bool {
        let g = &inst.grid;
        let ev = &inst.events[e as usize];
        let (day, span) = (g.day(s), g.span_mask(s, ev.duration));
        let at = e as usize * self.days + day;
        let busy = |r: &ResId| {
            (inst.unavailable(*r, day) | self.taken[*r as usize * self.days + day]) & span != 0
        };
        self.event[at] & span != 0
            || (preferred && self.starts[at] & (1 << g.period(s)) == 0)
            || ev.resources.iter().any(busy)
            || ev
                .room_needs
                .iter()
                .enumerate()
                .any(|(k, cands)| !ev.room_optional(k) && cands.iter().all(busy))
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
    for &e in block {
        let rooms = st.rooms_copy(e);
        move_event(st, e, start, weeks, offset, rooms);
    }
}

/// Moves event `e` to `start` (in `weeks` if it is one of its options), with `rooms`
/// as its rooms where they are free and otherwise a free suitable room (scanning from
/// `offset`); pinned rooms stay.
fn move_event(
    st: &mut State,
    e: EventId,
    start: Slot,
    weeks: Option<u8>,
    offset: usize,
    mut rooms: Rooms,
) {
    let ev = &st.instance().events[e as usize];
    let w = match weeks {
        Some(w) if ev.week_options.contains(&w) => w,
        _ => st.weeks(e),
    };
    if ev.pinned_rooms.is_none() {
        for k in 0..rooms.len() {
            rooms[k] = pick_room(st, e, k, start, w, rooms[k], &rooms[..k], offset);
        }
    }
    st.set(e, start, w, &rooms);
}

/// The cheapest placement of block `b`: every start of its domain with every week
/// option of its first event, rooms picked from `offset`, ties broken at random; with
/// `hard_only`, candidates are compared on the weighted hard cost alone (random among
/// equals; see [`State::weighted_delta`]) and soft units are not evaluated.
/// `allowed(start, hard change)` filters candidates (a tabu list). With `hard_only`,
/// candidates sure to be worse than `limit` are not evaluated: when none is better than
/// it, the one returned may not be the best, or none may be. Returns the cost change
/// compared (of the whole current move, which may have begun before: with `hard_only`,
/// the weighted hard change only), start and weeks; the state is left as it was.
#[allow(clippy::too_many_arguments)] // The search's shared context plus what to place.
pub fn best_placement(
    st: &mut State,
    nb: &Neighbourhood,
    b: usize,
    offset: usize,
    rng: &mut fastrand::Rng,
    hard_only: bool,
    limit: Option<i64>,
    allowed: impl Fn(Slot, i64) -> bool,
) -> Option<(Cost, Slot, u8)> {
    let inst = st.instance();
    let block = &inst.blocks[b];
    let options = &inst.events[block[0] as usize].week_options;
    let mut best: Option<(Cost, u64, Slot, u8)> = None;
    let before = st.savepoint();
    for &s in &nb.block_starts[b] {
        for &w in options {
            // Drawn for every candidate, so that skipping one leaves the stream alone.
            let tie = rng.u64(..);
            let bound = bound(limit, best.map(|(c, _, _, _)| c.hard)).filter(|_| hard_only);
            // A session alone in its block: its bound is read without moving it.
            if let (Some(bound), &[e]) = (bound, &block[..]) {
                if st.move_floor(e, s).is_some_and(|floor| floor > bound) {
                    continue;
                }
            }
            move_block(st, block, s, Some(w), offset);
            let (hard, key) = if hard_only {
                let Some(d) = evaluate_within(st, bound, None) else {
                    st.rollback_to(before);
                    continue; // Worse than the best.
                };
                (d.hard, Cost::of(true, d.weighted))
            } else {
                let d = st.delta();
                (d.hard, d)
            };
            st.rollback_to(before);
            if !allowed(s, hard) {
                continue;
            }
            if best.is_none_or(|(c, t, _, _)| (key, tie) < (c, t)) {
                best = Some((key, tie, s, w));
            }
        }
    }
    best.map(|(d, _, s, w)| (d, s, w))
}

/// The current move's hard change ([`State::hard_delta`]), or `None` when it is sure
/// to be above both `limit`, the most a candidate may change it to be of use, and
/// `best`, the best of this kind so far: the evaluation then stops as soon as it knows
/// ([`State::hard_delta_within`]).
pub fn evaluate_within(st: &mut State, limit: Option<i64>, best: Option<i64>) -> Option<HardDelta> {
    match bound(limit, best) {
        Some(bound) => st.hard_delta_within(bound),
        None => Some(st.hard_delta()),
    }
}

/// The bound a candidate must not exceed: the lower of `limit`, the most a candidate
/// may change the weighted hard cost to be of use, and `best`, the best of this kind so
/// far (none while neither is known).
pub fn bound(limit: Option<i64>, best: Option<i64>) -> Option<i64> {
    limit.into_iter().chain(best).min()
}

/// Unplaces every block, other than `block`'s, with a session that overlaps a session
/// of `block` on one of its teachers, student subgroups or rooms, so that `block` holds
/// its periods alone (as FET displaces activities to place another). Pushes each
/// evicted block with its former start on `evicted`.
pub fn evict_clashes(
    st: &mut State,
    nb: &Neighbourhood,
    block: &[EventId],
    evicted: &mut Vec<(usize, Slot)>,
) {
    let inst = st.instance();
    let own = inst.block_of[block[0] as usize] as usize;
    for &e in block {
        let (s, w) = (st.start(e), st.weeks(e));
        if s == UNPLACED {
            continue;
        }
        let ev = &inst.events[e as usize];
        let end = s + ev.duration as Slot;
        let rooms = st.rooms_copy(e);
        for (k, &r) in ev.resources.iter().chain(rooms.iter()).enumerate() {
            if r == NO_ROOM || !st.occupancy().is_shared(r, w, s, ev.duration) {
                continue;
            }
            // A teacher's or subgroup's other holders are looked up; a room's, scanned.
            let mut held = [0; HELD_MAX];
            let listed = (k < ev.resources.len())
                .then(|| sole_holders(st, e, &[r], (s, end), true, &mut held))
                .flatten();
            let candidates = match listed {
                Some(n) => &held[..n],
                None => &nb.events_of[r as usize][..],
            };
            for &y in candidates {
                let by = inst.block_of[y as usize] as usize;
                let sy = st.start(y);
                if by == own
                    || sy == UNPLACED
                    || sy >= end
                    || sy + nb.durations[y as usize] as Slot <= s
                    || st.weeks(y) & w == 0
                    || !(inst.events[y as usize].resources.contains(&r) || st.rooms(y).contains(&r))
                {
                    continue;
                }
                for &z in &inst.blocks[by] {
                    st.unplace(z);
                }
                evicted.push((by, sy));
            }
        }
    }
}

/// Whether room `r` is free for event `e` at `start` in `weeks`, not counting `e`'s own
/// current occupancy of it.
fn room_free_for(st: &State, e: EventId, r: ResId, start: Slot, weeks: u8) -> bool {
    let inst = st.instance();
    let ev = &inst.events[e as usize];
    let g = &inst.grid;
    if inst.unavailable(r, g.day(start)) & g.span_mask(start, ev.duration) != 0 {
        return false;
    }
    let occ = st.occupancy();
    if occ.is_free(r, weeks, start, ev.duration) {
        return true;
    }
    let old = st.start(e);
    if old == UNPLACED || !st.rooms(e).contains(&r) {
        return false;
    }
    if g.day(old) != g.day(start) {
        return false;
    }
    let old_weeks = st.weeks(e);
    let own =
        |w: usize, t: Slot| old_weeks & (1 << w) != 0 && old <= t && t < old + ev.duration as Slot;
    (0..g.week_count())
        .filter(|w| weeks & (1 << w) != 0)
        .all(|w| {
            (start..start + ev.duration as Slot).all(|t| occ.count(r, w, t) == own(w, t) as u32)
        })
}

/// The room for need `k` of `e` at `start`: `current` if free, else a free room another
/// session of the lesson uses, else the first free candidate from `offset` (not already
/// taken by the same event), else no room if the need is optional, else `current`.
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
    let inst = st.instance();
    let ev = &inst.events[e as usize];
    if current != NO_ROOM
        && !taken.contains(&current)
        && room_free_for(st, e, current, start, weeks)
    {
        return current;
    }
    // Rooms the lesson's other sessions use, for room stability.
    for other in inst.lessons[ev.lesson as usize].events.clone() {
        if other == e || st.start(other) == UNPLACED {
            continue;
        }
        let r = st.rooms(other).get(k).copied().unwrap_or(NO_ROOM);
        if r != NO_ROOM
            && r != current
            && !taken.contains(&r)
            && ev.room_needs[k].binary_search(&r).is_ok()
            && room_free_for(st, e, r, start, weeks)
        {
            return r;
        }
    }
    let cands = &ev.room_needs[k];
    let (first, later) = cands.split_at(offset % cands.len());
    for &r in later.iter().chain(first) {
        if !taken.contains(&r) && room_free_for(st, e, r, start, weeks) {
            return r;
        }
    }
    if ev.room_optional(k) {
        NO_ROOM
    } else if current != NO_ROOM {
        current
    } else {
        later[0]
    }
}

/// Changes room need `k` of event `e` to a free suitable room, scanning from `offset`
/// (no change when none is free).
pub fn change_to_free_room(st: &mut State, e: EventId, k: usize, offset: usize) {
    let (start, weeks) = (st.start(e), st.weeks(e));
    let cands = &st.instance().events[e as usize].room_needs[k];
    let current = st.rooms(e)[k];
    let free = (0..cands.len())
        .map(|i| cands[(offset + i) % cands.len()])
        .find(|&r| {
            r != current
                && !st.rooms(e).contains(&r)
                && start != UNPLACED
                && room_free_for(st, e, r, start, weeks)
        });
    change_room(st, e, k, free.unwrap_or(current));
}

/// Changes room need `k` of event `e` to `room`.
pub fn change_room(st: &mut State, e: EventId, k: usize, room: ResId) {
    let mut rooms = st.rooms_copy(e);
    rooms[k] = room;
    let (s, w) = (st.start(e), st.weeks(e));
    st.set(e, s, w, &rooms);
}

/// Most sessions a Kempe chain may hold.
pub const KEMPE_MAX: usize = 32;

/// Which shared resources draw a session into a Kempe chain ([`kempe`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// A teacher, a student subgroup or a scarce room the session cannot do without (the
    /// only gym of PE): the chain makes no clash. Without the rooms, a chain that takes a PE
    /// lesson to where another class has PE leaves two classes in the gym; on
    /// `Pedagogic`, a repair stuck on such a clash took 22,000 steps to mend it
    /// (`BENCHMARKS.md`).
    Shared,
    /// A student subgroup only: the chain keeps the students' periods as they were
    /// (each member takes the place of the lessons its students had there) and may
    /// leave a member's teacher busy twice, which the move's cost counts. Where every
    /// student's week is full (`Klikks-SLP`: 530 of 531 subgroups with 40 lessons in
    /// 40 periods), a chain drawn through teachers as well runs into other years and
    /// past [`KEMPE_MAX`]; the repair tries this one wherever that one cannot be made.
    /// It is refused where a student subgroup already has two sessions in a period it
    /// reaches.
    Students,
    /// As `Students`, and through a period where a student subgroup already has two
    /// sessions too: every session there sharing a student subgroup with the member
    /// joins.
    StudentsThroughClashes,
}

impl Links {
    /// The resources among `resources` (an event's [`Scoring::held_resources`], sorted:
    /// teachers, then student subgroups, then rooms) that draw sessions in.
    fn of<'r>(self, inst: &Instance, resources: &'r [ResId]) -> &'r [ResId] {
        match self {
            Links::Shared => resources,
            Links::Students | Links::StudentsThroughClashes => {
                let from = resources.partition_point(|&r| r < inst.atoms.start);
                let to = resources.partition_point(|&r| r < inst.rooms.start);
                &resources[from..to]
            }
        }
    }
}

/// A Kempe-chain swap between two windows of periods, the one of event `a` and the one
/// from `target`, each as long as the longest event of `a`'s block: the chain starts
/// with `a`; the events of a member's block join it to the same start, and every
/// session that shares a resource of `links` with a member and overlaps the member's
/// new periods joins it, to the same position in the other window, until it closes;
/// then every member moves (rooms are re-picked). A double lesson thus trades places
/// with two single ones, and an option band taken by several classes with those
/// classes' lessons. Returns false, changing nothing, when the windows overlap or the
/// chain would hold a session that cannot move so (one reaching out of its window,
/// other weeks, a start outside its chain starts) or more than [`KEMPE_MAX`] sessions,
/// or, with [`Links::Students`], when a student subgroup already has two sessions in a
/// period the chain reaches. `chain` is scratch.
pub fn kempe(
    st: &mut State,
    nb: &Neighbourhood,
    a: EventId,
    target: Slot,
    offset: usize,
    chain: &mut Vec<(EventId, Slot)>,
    links: Links,
) -> bool {
    let (inst, scoring) = (st.instance(), st.scoring());
    let source = st.start(a);
    let len = inst.blocks[inst.block_of[a as usize] as usize]
        .iter()
        .map(|&x| nb.durations[x as usize])
        .max()
        .unwrap_or(1) as Slot;
    if source == UNPLACED || source.abs_diff(target) < len {
        return false;
    }
    // The window holding slot `s` (the window's first slot), and the other one.
    let window = |s: Slot| {
        if s >= target && s < target + len {
            (target, source)
        } else {
            (source, target)
        }
    };
    chain.clear();
    chain.push((a, target));
    // The blocks of several events whose other events the chain holds already: a block
    // joins whole, once.
    let mut joined = [0u32; KEMPE_MAX];
    let mut blocks = 0;
    let mut k = 0;
    while k < chain.len() {
        let (x, to) = chain[k];
        k += 1;
        let b = inst.block_of[x as usize] as usize;
        // The block's other events start with it.
        if inst.blocks[b].len() > 1 && !joined[..blocks].contains(&(b as u32)) {
            joined[blocks] = b as u32;
            blocks += 1;
            for &y in &inst.blocks[b] {
                if y != x && !chain.iter().any(|&(c, _)| c == y) {
                    if chain.len() == KEMPE_MAX {
                        return false;
                    }
                    chain.push((y, to));
                }
            }
        }
        let (here, there) = window(to);
        let end = to + inst.events[x as usize].duration as Slot;
        if end > here + len || st.weeks(x) != st.weeks(a) || !nb.may_chain(b, to) {
            return false;
        }
        // Each session sharing a resource of `links` with `x` over its new periods
        // joins, in the order of their ids.
        let mut join = |y: EventId| {
            if chain.iter().any(|&(c, _)| c == y) {
                return true;
            }
            // One starting before the window is refused here; one ending after it,
            // when its turn comes (above).
            let at = st.start(y);
            if chain.len() == KEMPE_MAX || at < here {
                return false;
            }
            chain.push((y, there + (at - here)));
            true
        };
        let mut held = [0; HELD_MAX];
        let resources = links.of(inst, scoring.held_resources(x));
        if let Some(n) = sole_holders(st, x, resources, (to, end), false, &mut held) {
            if !held[..n].iter().all(|&y| join(y)) {
                return false;
            }
        } else if links == Links::Students {
            return false;
        } else {
            // Some period with several holders: the neighbours that overlap join, if
            // they share a resource of `links` (the neighbours share any).
            for &y in &nb.neighbours[x as usize] {
                let at = st.start(y);
                let overlaps =
                    at != UNPLACED && at < end && to < at + nb.durations[y as usize] as Slot;
                if !overlaps {
                    continue;
                }
                let linked = links == Links::Shared
                    || links
                        .of(inst, scoring.held_resources(y))
                        .iter()
                        .any(|r| resources.binary_search(r).is_ok());
                if linked && !join(y) {
                    return false;
                }
            }
        }
    }
    // Free every member's rooms, then move each to its new slot: the rooms picked are
    // those of taking every member off first and placing them in turn (rooms are
    // picked by the rooms' occupancy and the placed sessions' rooms), for one change
    // of times per member rather than two.
    let mut kept = [Rooms::of(&[]); KEMPE_MAX];
    for (k, &(x, _)) in chain.iter().enumerate() {
        kept[k] = st.rooms_copy(x);
        let free = inst.events[x as usize].pinned_rooms.is_none();
        if free && kept[k].iter().any(|&r| r != NO_ROOM) {
            let none = Rooms::of(&[NO_ROOM; MAX_ROOM_NEEDS][..kept[k].len()]);
            st.set(x, st.start(x), st.weeks(x), &none);
        }
    }
    for (k, &(x, to)) in chain.iter().enumerate() {
        move_event(st, x, to, None, offset, kept[k]);
    }
    true
}

/// Most sessions [`sole_holders`] lists.
const HELD_MAX: usize = 32;

/// The sessions other than `x` holding one of `resources` (teachers and student
/// subgroups of `x`) over the periods `from..to`, `x` itself holding them or not
/// (`x_holds`), into `held` in the order of their ids: how many, or `None` when some of
/// these periods has more than one holder besides `x` (or there are more than
/// [`HELD_MAX`]). The holders' index makes this a few look-ups, where a list of
/// neighbours takes a scan.
fn sole_holders(
    st: &State,
    x: EventId,
    resources: &[ResId],
    (from, to): (Slot, Slot),
    x_holds: bool,
    held: &mut [EventId; HELD_MAX],
) -> Option<usize> {
    let mut n = 0;
    for &r in resources {
        for t in from..to {
            let h = st.holders(r, t);
            let (count, ids) = if x_holds {
                (h.count - 1, h.ids ^ x)
            } else {
                (h.count, h.ids)
            };
            if count > 1 {
                return None;
            }
            if count == 1 && ids != x && !held[..n].contains(&ids) {
                if n == HELD_MAX {
                    return None;
                }
                held[n] = ids;
                n += 1;
            }
        }
    }
    held[..n].sort_unstable();
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::{Links, Neighbourhood};
    use crate::model::Problem;

    fn problem(unavailable_hard: bool) -> Problem {
        let json = format!(
            r#"{{"name":"t","time":{{"days":["D0","D1"],"periods":[{{"name":"P0"}},{{"name":"P1"}}]}},
            "teachers":[{{"name":"T"}},{{"name":"U"}}],"classes":[{{"name":"C"}},{{"name":"K"}}],
            "lessons":[{{"id":"A","teachers":["T"],"students":["C"]}},{{"id":"B","teachers":["U"],"students":["K"]}}],
            "constraints":[{{"type":"same_start","lessons":["A","B"]}},
              {{"type":"unavailable","teachers":["U"],"times":[{{"day":"D0"}}],"hard":{unavailable_hard}}},
              {{"type":"unavailable","lessons":["A"],"times":[{{"day":"D1","periods":["P1"]}}]}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    /// Aligns lessons B and E.
    const ALIGNED: &str = r#",{"type":"same_start","lessons":["B","E"]}"#;

    /// A and B share class C; D is another class's lesson at B's slot; E is class L's;
    /// `extra` adds constraints (JSON objects, each after a comma).
    fn kempe_problem(extra: &str) -> Problem {
        let json = format!(
            r#"{{"name":"k","time":{{"days":["D0"],"periods":[{{"name":"P0"}},{{"name":"P1"}},{{"name":"P2"}}]}},
            "teachers":[{{"name":"T1"}},{{"name":"T2"}},{{"name":"T3"}},{{"name":"T4"}}],
            "classes":[{{"name":"C"}},{{"name":"K"}},{{"name":"L"}}],
            "lessons":[{{"id":"A","teachers":["T1"],"students":["C"]}},{{"id":"B","teachers":["T2"],"students":["C"]}},
              {{"id":"D","teachers":["T3"],"students":["K"]}},{{"id":"E","teachers":["T4"],"students":["L"]}}],
            "constraints":[{{"type":"max_per_day","teachers":["*"],"max":3,"hard":false}}{extra}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    /// Runs `check` on the state of `problem` with its sessions at `starts`.
    fn on_state(
        problem: Problem,
        starts: &[crate::model::Slot],
        check: impl FnOnce(&crate::model::Instance, &Neighbourhood, &mut crate::eval::State),
    ) {
        let inst = problem.compile().unwrap();
        let scoring = crate::eval::Scoring::new(&inst);
        let nb = Neighbourhood::new(&inst);
        let mut tt = crate::model::Timetable::empty(&inst);
        tt.starts = starts.to_vec();
        check(
            &inst,
            &nb,
            &mut crate::eval::State::new(&inst, &scoring, tt),
        );
    }

    /// PE lessons A (class C0) at P0 and B (class C1) at P1, both with the only gym. The
    /// gym draws B into A's chain to P1, which swaps them; a chain drawn by students
    /// only leaves both classes in the gym at P1.
    #[test]
    fn a_room_its_sessions_cannot_do_without_draws_them_into_a_chain() {
        let json = r#"{"name":"t","time":{"days":["D0"],"periods":[{"name":"P0"},{"name":"P1"}]},
            "teachers":[{"name":"T0"},{"name":"T1"}],"classes":[{"name":"C0"},{"name":"C1"}],
            "rooms":[{"name":"Gym"}],
            "lessons":[{"id":"A","teachers":["T0"],"students":["C0"],"rooms":[{"one_of":["Gym"]}]},
              {"id":"B","teachers":["T1"],"students":["C1"],"rooms":[{"one_of":["Gym"]}]}]}"#;
        let inst = serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap();
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let gym = inst.rooms.start;
        let mut tt = crate::model::Timetable::empty(&inst);
        tt.starts = vec![0, 1];
        for e in 0..2 {
            tt.rooms[inst.room_range(e).start] = gym;
        }
        let st = &mut crate::eval::State::new(&inst, &scoring, tt);
        assert_eq!(scoring.held_resources(0).last(), Some(&gym));
        let (p0, p1) = (st.holders(gym, 0), st.holders(gym, 1));
        assert_eq!(
            (p0.count, p0.ids, p1.count, p1.ids),
            (1, 0, 1, 1),
            "A, then B"
        );
        assert_eq!(st.cost().hard, 0);
        let chain = &mut Vec::new();
        assert!(super::kempe(st, &nb, 0, 1, 0, chain, Links::Shared));
        assert_eq!(st.timetable().starts, vec![1, 0], "A and B swapped");
        assert_eq!(st.hard_delta().hard, 0);
        st.rollback();
        assert!(super::kempe(st, &nb, 0, 1, 0, chain, Links::Students));
        assert_eq!(st.timetable().starts, vec![1, 1]);
        assert_eq!(st.hard_delta().hard, 1, "two classes in the gym at P1");
    }

    /// Runs `check` on the state of [`kempe_problem`] with lessons A, B, D, E at `starts`.
    fn on_kempe_problem(
        extra: &str,
        starts: [crate::model::Slot; 4],
        check: impl FnOnce(&crate::model::Instance, &Neighbourhood, &mut crate::eval::State),
    ) {
        on_state(kempe_problem(extra), &starts, check);
    }

    #[test]
    fn kempe_swaps_the_connected_sessions_only() {
        // A at P0; B and D at P1; E at P2.
        on_kempe_problem("", [0, 1, 1, 2], |inst, nb, st| {
            assert!(super::kempe(
                st,
                nb,
                0,
                1,
                0,
                &mut Vec::new(),
                Links::Shared
            ));
            st.commit();
            // A and B (class C) swap; D (class K) and E stay.
            assert_eq!(st.timetable().starts, vec![1, 0, 1, 2]);
            assert_eq!(st.cost(), crate::eval::evaluate(inst, st.timetable()).cost);
        });
    }

    #[test]
    fn eviction_takes_off_the_blocks_sharing_a_resource_at_the_same_time_only() {
        on_kempe_problem("", [0, 1, 1, 2], |inst, nb, st| {
            super::move_block(st, &[0], 1, None, 0);
            let mut evicted = Vec::new();
            super::evict_clashes(st, nb, &[0], &mut evicted);
            // B (class C, like A) goes off; D (class K) stays.
            assert_eq!(evicted, vec![(inst.block_of[1] as usize, 1)]);
            assert_eq!(st.timetable().starts, vec![1, super::UNPLACED, 1, 2]);
            assert_eq!(st.delta().hard, 1);
            st.commit();
            assert_eq!(st.cost(), crate::eval::evaluate(inst, st.timetable()).cost);
        });
    }

    /// Class C over one day of four periods: double lesson A, single lessons B and D,
    /// each with its own teacher, at `starts`.
    fn on_double_lesson(
        starts: [crate::model::Slot; 3],
        check: impl FnOnce(&crate::model::Instance, &Neighbourhood, &mut crate::eval::State),
    ) {
        let json = r#"{"name":"d","time":{"days":["D0"],"periods":[{"name":"P0"},{"name":"P1"},{"name":"P2"},{"name":"P3"}]},
            "teachers":[{"name":"T1"},{"name":"T2"},{"name":"T3"}],"classes":[{"name":"C"}],
            "lessons":[{"id":"A","teachers":["T1"],"students":["C"],"sessions":[2]},
              {"id":"B","teachers":["T2"],"students":["C"]},{"id":"D","teachers":["T3"],"students":["C"]}]}"#;
        on_state(serde_json::from_str(json).unwrap(), &starts, check);
    }

    /// A at P0 and B at P1, class C's, both in room R1 (R2 free): the chain swapping
    /// them keeps both in R1, each finding it free at the other's period.
    #[test]
    fn kempe_chains_keep_the_rooms_the_members_swap() {
        let json = r#"{"name":"k","time":{"days":["D0"],"periods":[{"name":"P0"},{"name":"P1"}]},
            "teachers":[{"name":"T1"},{"name":"T2"}],"classes":[{"name":"C"}],
            "rooms":[{"name":"R1"},{"name":"R2"}],
            "lessons":[{"id":"A","teachers":["T1"],"students":["C"],"rooms":[{"one_of":["R1","R2"]}]},
              {"id":"B","teachers":["T2"],"students":["C"],"rooms":[{"one_of":["R1","R2"]}]}]}"#;
        let inst = serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap();
        let r1 = inst.events[0].room_needs[0][0];
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut tt = crate::model::Timetable::empty(&inst);
        tt.starts = vec![0, 1];
        tt.rooms = vec![r1, r1];
        let mut st = crate::eval::State::new(&inst, &scoring, tt);
        // From offset 1, a room picked afresh would be R2.
        let chain = &mut Vec::new();
        assert!(super::kempe(&mut st, &nb, 0, 1, 1, chain, Links::Shared));
        st.commit();
        assert_eq!(st.timetable().starts, vec![1, 0]);
        assert_eq!(st.timetable().rooms, vec![r1, r1]);
        assert_eq!(st.cost(), crate::eval::evaluate(&inst, st.timetable()).cost);
    }

    #[test]
    fn kempe_chains_trade_a_double_lesson_for_two_single_ones() {
        // A at P0-P1, B at P2, D at P3: A to P2 takes B to P0 and D to P1.
        on_double_lesson([0, 2, 3], |inst, nb, st| {
            assert!(super::kempe(
                st,
                nb,
                0,
                2,
                0,
                &mut Vec::new(),
                Links::Shared
            ));
            st.commit();
            assert_eq!(st.timetable().starts, vec![2, 0, 1]);
            assert_eq!(st.cost(), crate::eval::evaluate(inst, st.timetable()).cost);
        });
        // A at P2-P3, B at P0: B to P2 would take A into B's one-period window, where
        // A does not fit: refused, nothing changed.
        on_double_lesson([2, 0, 1], |_, nb, st| {
            let before = st.timetable().clone();
            assert!(!super::kempe(
                st,
                nb,
                1,
                2,
                0,
                &mut Vec::new(),
                Links::Shared
            ));
            assert_eq!(st.timetable(), &before);
        });
        // Windows that overlap are refused: A from P0 to P1.
        on_double_lesson([0, 2, 3], |_, nb, st| {
            assert!(!super::kempe(
                st,
                nb,
                0,
                1,
                0,
                &mut Vec::new(),
                Links::Shared
            ));
        });
    }

    #[test]
    fn kempe_chains_carry_aligned_blocks_whole() {
        // B and E aligned at P1. From A to P1 (taking B to P0, and E with it), or from E
        // to P0 (taking B with it, and A to P1): the same swap.
        for (from, target) in [(0, 1), (3, 0)] {
            on_kempe_problem(ALIGNED, [0, 1, 2, 1], |inst, nb, st| {
                assert!(super::kempe(
                    st,
                    nb,
                    from,
                    target,
                    0,
                    &mut Vec::new(),
                    Links::Shared
                ));
                st.commit();
                assert_eq!(st.timetable().starts, vec![1, 0, 2, 0]);
                assert_eq!(st.cost(), crate::eval::evaluate(inst, st.timetable()).cost);
                assert_eq!(st.cost().hard, 0);
            });
        }
    }

    #[test]
    fn a_saturated_teacher_keeps_off_the_events_that_clash_with_all_its_lessons() {
        // One day, P0 to P2. Teacher T gives A (class C) and B (class K); X (teacher U)
        // takes classes C and K together; Y (teacher V) takes class C alone.
        let school = |constraints: &str| {
            format!(
                r#"{{"name":"s","time":{{"days":["D0"],"periods":[{{"name":"P0"}},{{"name":"P1"}},{{"name":"P2"}}]}},
                "teachers":[{{"name":"T"}},{{"name":"U"}},{{"name":"V"}}],"classes":[{{"name":"C"}},{{"name":"K"}}],
                "lessons":[{{"id":"A","teachers":["T"],"students":["C"]}},{{"id":"B","teachers":["T"],"students":["K"]}},
                  {{"id":"X","teachers":["U"],"students":["C","K"]}},{{"id":"Y","teachers":["V"],"students":["C"]}}],
                "constraints":[{constraints}]}}"#
            )
        };
        let starts = |json: String| {
            let p: Problem = serde_json::from_str(&json).unwrap();
            Neighbourhood::new(&p.compile().unwrap()).block_starts
        };
        // T is away at P2: A and B fill P0 and P1, so X, which would clash with either,
        // has P2 alone; Y then loses P2 to X (class C).
        assert_eq!(
            starts(school(
                r#"{"type":"unavailable","teachers":["T"],"times":[{"day":"D0","periods":["P2"]}]}"#
            )),
            vec![vec![0, 1], vec![0, 1], vec![2], vec![0, 1]]
        );
        // T available at all three periods: nothing to prune.
        assert_eq!(starts(school("")), vec![vec![0, 1, 2]; 4]);
    }

    #[test]
    fn days_a_teacher_cannot_work_on_under_its_hard_rules_are_pruned() {
        // Three days of three periods; teacher T is away on D2 but at P2, and gives
        // `sessions` single lessons to class C.
        let starts = |sessions: usize, constraints: &str| {
            let json = format!(
                r#"{{"name":"s","time":{{"days":["D0","D1","D2"],"periods":[{{"name":"P0"}},{{"name":"P1"}},{{"name":"P2"}}]}},
                "teachers":[{{"name":"T"}}],"classes":[{{"name":"C"}}],
                "lessons":[{{"id":"A","teachers":["T"],"students":["C"],"sessions":{:?}}}],
                "constraints":[{{"type":"unavailable","teachers":["T"],"times":[{{"day":"D2","periods":["P0","P1"]}}]}}{constraints}]}}"#,
                vec![1; sessions]
            );
            let p: Problem = serde_json::from_str(&json).unwrap();
            Neighbourhood::new(&p.compile().unwrap()).block_starts
        };
        let (weekdays, all) = (vec![0, 1, 2, 3, 4, 5], vec![0, 1, 2, 3, 4, 5, 8]);
        let two_days = r#",{"type":"max_days","teachers":["T"],"max":2}"#;
        // Five lessons on at most two days: D2 and another day hold 4 periods.
        assert_eq!(starts(5, two_days), vec![weekdays.clone(); 5]);
        assert_eq!(starts(5, ""), vec![all.clone(); 5], "no limit of days");
        let soft = two_days.replace('}', r#","hard":false}"#);
        assert_eq!(starts(5, &soft), vec![all.clone(); 5], "a soft limit");
        // Four lessons: D2 and another day hold 4, unless 2 a day at most.
        assert_eq!(starts(4, two_days), vec![all.clone(); 4]);
        let two_a_day = r#",{"type":"max_per_day","teachers":["T"],"max":2}"#;
        assert_eq!(
            starts(4, &format!("{two_days}{two_a_day}")),
            vec![weekdays.clone(); 4]
        );
        // At least 2 periods on a working day: D2, with 1, is out.
        let two_at_least = r#",{"type":"min_per_day","teachers":["T"],"min":2}"#;
        assert_eq!(starts(4, two_at_least), vec![weekdays; 4]);
        let every_day = r#",{"type":"min_per_day","teachers":["T"],"min":2,"every_day":true}"#;
        assert_eq!(starts(4, every_day), vec![all; 4], "no day off to take");
    }

    #[test]
    fn saturated_resources_are_found_on_days_of_64_periods() {
        // T, away from P2 on, fills P0 and P1 with A and B: X keeps to P2-P63.
        let names: Vec<String> = (0..64).map(|p| format!("P{p}")).collect();
        let periods: Vec<String> = names
            .iter()
            .map(|n| format!(r#"{{"name":"{n}"}}"#))
            .collect();
        let away: Vec<String> = names[2..].iter().map(|n| format!(r#""{n}""#)).collect();
        let json = format!(
            r#"{{"name":"w","time":{{"days":["D0"],"periods":[{}]}},
            "teachers":[{{"name":"T"}},{{"name":"U"}}],"classes":[{{"name":"C"}},{{"name":"K"}}],
            "lessons":[{{"id":"A","teachers":["T"],"students":["C"]}},{{"id":"B","teachers":["T"],"students":["K"]}},
              {{"id":"X","teachers":["U"],"students":["C","K"]}}],
            "constraints":[{{"type":"unavailable","teachers":["T"],"times":[{{"day":"D0","periods":[{}]}}]}}]}}"#,
            periods.join(","),
            away.join(",")
        );
        let p: Problem = serde_json::from_str(&json).unwrap();
        let nb = Neighbourhood::new(&p.compile().unwrap());
        assert_eq!(nb.block_starts[2], (2..64).collect::<Vec<_>>());
    }

    #[test]
    fn start_bit_sets_hold_the_start_lists() {
        // Two days of 40 periods (80 slots, two words a row); A may not start on D0 from
        // P30 on nor on D1 before P5 (unavailable), B prefers D1 (a chain may break it).
        let periods: Vec<String> = (0..40).map(|p| format!(r#"{{"name":"P{p}"}}"#)).collect();
        let list = |r: std::ops::Range<usize>| {
            r.map(|p| format!(r#""P{p}""#))
                .collect::<Vec<_>>()
                .join(",")
        };
        let json = format!(
            r#"{{"name":"t","time":{{"days":["D0","D1"],"periods":[{}]}},
            "teachers":[{{"name":"T"}}],"classes":[{{"name":"C"}}],
            "lessons":[{{"id":"A","teachers":["T"],"students":["C"]}},{{"id":"B","teachers":["T"],"students":["C"]}}],
            "constraints":[{{"type":"unavailable","lessons":["A"],"times":[{{"day":"D0","periods":[{}]}},{{"day":"D1","periods":[{}]}}]}},
              {{"type":"preferred_times","lessons":["B"],"times":[{{"day":"D1","periods":[{}]}}]}}]}}"#,
            periods.join(","),
            list(30..40),
            list(0..5),
            list(0..40)
        );
        let p: Problem = serde_json::from_str(&json).unwrap();
        let nb = Neighbourhood::new(&p.compile().unwrap());
        assert_eq!(nb.block_starts[0].len(), 65);
        assert_eq!(nb.block_starts[1], (40..80).collect::<Vec<_>>());
        assert_eq!(nb.chain_starts[1].len(), 80);
        for b in 0..2 {
            for s in 0..80 {
                assert_eq!(
                    nb.may_start(b, s),
                    nb.block_starts[b].contains(&s),
                    "{b} {s}"
                );
                assert_eq!(
                    nb.may_chain(b, s),
                    nb.chain_starts[b].contains(&s),
                    "{b} {s}"
                );
            }
            assert!(!nb.may_start(b, crate::model::UNPLACED));
            assert!(!nb.may_chain(b, crate::model::UNPLACED));
        }
    }

    #[test]
    fn kempe_chains_may_break_a_preferred_start_but_not_an_unavailability() {
        // A at P0, B at P1 (both class C): the chain moving A to P1 takes B to P0.
        const B_NOT_AT_P0: &str =
            r#",{"type":"unavailable","lessons":["B"],"times":[{"day":"D0","periods":["P0"]}]}"#;
        const B_AT_P1_OR_P2: &str = r#",{"type":"preferred_times","lessons":["B"],"times":[{"day":"D0","periods":["P1","P2"]}]}"#;
        // B may not be at P0: refused, nothing changed.
        on_kempe_problem(B_NOT_AT_P0, [0, 1, 2, 2], |_, nb, st| {
            assert_eq!(nb.chain_starts[1], vec![1, 2]);
            let before = st.timetable().clone();
            assert!(!super::kempe(
                st,
                nb,
                0,
                1,
                0,
                &mut Vec::new(),
                Links::Shared
            ));
            assert_eq!(st.timetable(), &before);
        });
        // B should start at P1 or P2: a plain move never takes it to P0, a chain may.
        on_kempe_problem(B_AT_P1_OR_P2, [0, 1, 2, 2], |inst, nb, st| {
            assert_eq!(nb.block_starts[1], vec![1, 2]);
            assert!(super::kempe(
                st,
                nb,
                0,
                1,
                0,
                &mut Vec::new(),
                Links::Shared
            ));
            st.commit();
            assert_eq!(st.timetable().starts, vec![1, 0, 2, 2]);
            assert_eq!(st.cost(), crate::eval::evaluate(inst, st.timetable()).cost);
            assert_eq!(st.cost().hard, 1, "B off its preferred starts");
        });
    }

    #[test]
    fn blocks_with_a_single_start_keep_the_others_off_their_teachers_and_classes() {
        // One day, P0 to P2. A (T1, class C) may only start at P0, so B (T2, class C)
        // loses P0; barred from P2, B has P1 alone, so F (T2, class K) loses P1. G
        // (T3, class L) shares nothing and keeps every start.
        let json = r#"{"name":"p","time":{"days":["D0"],"periods":[{"name":"P0"},{"name":"P1"},{"name":"P2"}]},
            "teachers":[{"name":"T1"},{"name":"T2"},{"name":"T3"}],
            "classes":[{"name":"C"},{"name":"K"},{"name":"L"}],
            "lessons":[{"id":"A","teachers":["T1"],"students":["C"]},{"id":"B","teachers":["T2"],"students":["C"]},
              {"id":"F","teachers":["T2"],"students":["K"]},{"id":"G","teachers":["T3"],"students":["L"]}],
            "constraints":[{"type":"preferred_times","lessons":["A"],"times":[{"day":"D0","periods":["P0"]}]},
              {"type":"unavailable","lessons":["B"],"times":[{"day":"D0","periods":["P2"]}]}]}"#;
        let p: Problem = serde_json::from_str(json).unwrap();
        let nb = Neighbourhood::new(&p.compile().unwrap());
        let expected = vec![vec![0], vec![1], vec![0, 2], vec![0, 1, 2]];
        assert_eq!(nb.block_starts, expected);
        // The preferred start of A fixes it: chains may not move it either.
        assert_eq!(nb.chain_starts, expected);
    }

    #[test]
    fn hard_unavailability_of_any_block_member_prunes_starts() {
        // A and B are aligned. U (B's teacher) is unavailable all of D0 and A may not be
        // at D1 P1: slots are D0P0=0, D0P1=1, D1P0=2, D1P1=3; only 2 remains.
        let inst = problem(true).compile().unwrap();
        let nb = Neighbourhood::new(&inst);
        assert_eq!(inst.blocks.len(), 1);
        assert_eq!(nb.block_starts[0], vec![2]);
        // A soft unavailability is a wish: U's prunes nothing, only A's hard rule does.
        let inst = problem(false).compile().unwrap();
        assert_eq!(Neighbourhood::new(&inst).block_starts[0], vec![0, 1, 2]);
    }

    #[test]
    fn starts_where_every_room_of_a_need_is_unavailable_are_pruned() {
        // A needs LAB, unavailable all of D0 (hard); an optional need does not prune.
        let with = |optional: bool| {
            let json = format!(
                r#"{{"name":"r","time":{{"days":["D0","D1"],"periods":[{{"name":"P0"}},{{"name":"P1"}}]}},
                "teachers":[{{"name":"T"}}],"classes":[{{"name":"C"}}],"rooms":[{{"name":"LAB"}}],
                "lessons":[{{"id":"A","teachers":["T"],"students":["C"],"rooms":[{{"one_of":["LAB"],"optional":{optional}}}]}}],
                "constraints":[{{"type":"unavailable","rooms":["LAB"],"times":[{{"day":"D0"}}]}}]}}"#
            );
            let p: Problem = serde_json::from_str(&json).unwrap();
            Neighbourhood::new(&p.compile().unwrap()).block_starts[0].clone()
        };
        assert_eq!(with(false), vec![2, 3]);
        assert_eq!(with(true), vec![0, 1, 2, 3]);
    }
}
