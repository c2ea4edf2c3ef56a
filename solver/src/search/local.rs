//! Local search: min-conflicts repair of hard violations, then simulated annealing on
//! the soft cost that never lets the hard cost rise.
//!
//! The repair weighs the hard violations (breakout, as in Morris's breakout method and
//! the constraint-weighting searches of the ITC-2007 finalists): a step that finds no
//! move lowering the weighted hard cost raises the weights of the violations it leaves,
//! so that the next steps trade them for others until the stuck spot gives way. On
//! FET's schools this made the repair several times faster (`BENCHMARKS.md`).

use crate::eval::{Cost, State};
use crate::model::{EventId, ResId, Slot, UNPLACED};
use crate::search::moves::{
    best_placement, bound, change_room, change_to_free_room, evaluate_within, evict_clashes, kempe,
    move_block, Links, Neighbourhood, KEMPE_MAX,
};
use crate::search::portfolio::{Control, QUIET_RANDOM_MOVES};
use crate::search::resolve::Resolver;

/// Starting temperature of the second and later cooling cycles, relative to the first.
const REHEAT: f64 = 0.5;

/// Drives the hard cost to zero: repeatedly takes a session in hard violation and moves
/// its block to the start (and weeks) of least weighted hard cost, with a tabu list
/// against cycling and weights raised where it is stuck.
///
/// `random_moves` is the chance that a step moves its block to a random start instead.
pub fn repair(
    st: &mut State,
    nb: &Neighbourhood,
    random_moves: f64,
    rng: &mut fastrand::Rng,
    ctl: &mut Control,
) {
    Repairer::new(st.instance(), random_moves).run(st, nb, rng, ctl, u64::MAX, false);
}

/// Min-conflicts repair with a tabu list, kept across calls (construction repairs after
/// each placement with one). The weights it raises live in the state: those raised
/// while constructing carry over to the repair that follows.
pub struct Repairer {
    /// `block * slots + start` -> step until which moving the block there is tabu.
    tabu: Vec<u64>,
    slots: usize,
    conflicted: Vec<EventId>,
    /// Scratch of [`State::hard_violations`].
    resource_flags: Vec<(bool, bool)>,
    chain: Vec<(EventId, Slot)>,
    /// Ejection chains' scratch; its `evicted` also holds the blocks the last step took
    /// off, with their former starts.
    eject: EjectScratch,
    /// Scratch of the exact re-solving of two days ([`Resolver`]).
    resolver: Resolver,
    /// Chance that a step moves its block to a random start rather than its best; at
    /// most [`QUIET_RANDOM_MOVES`] once a run is on a plateau ([`PLATEAU_STEPS`]).
    random_moves: f64,
    iter: u64,
}

impl Repairer {
    /// A repairer for `inst`, with an empty tabu list, whose steps move their block to a
    /// random start with chance `random_moves` (the portfolio gives its workers different
    /// chances: see `portfolio`).
    pub fn new(inst: &crate::model::Instance, random_moves: f64) -> Repairer {
        let slots = inst.grid.slot_count();
        Repairer {
            tabu: vec![0; inst.blocks.len() * slots],
            slots,
            conflicted: Vec::new(),
            resource_flags: Vec::new(),
            chain: Vec::with_capacity(KEMPE_MAX),
            eject: EjectScratch::default(),
            resolver: Resolver::default(),
            random_moves,
            iter: 0,
        }
    }

    /// Steps taken so far, over all its runs.
    pub fn steps(&self) -> u64 {
        self.iter
    }

    /// Repairs until no session (no placed session, with `placed_only`) is in hard
    /// violation, for at most `steps` steps or until the run stops.
    pub fn run(
        &mut self,
        st: &mut State,
        nb: &Neighbourhood,
        rng: &mut fastrand::Rng,
        ctl: &mut Control,
        steps: u64,
        placed_only: bool,
    ) {
        let inst = st.instance();
        let slots = self.slots;
        let mut best_hard = st.cost().hard;
        // Step of the last new best hard cost.
        let mut improved_at = 0;
        self.conflicted.clear();
        for k in 0..steps {
            if st.cost().hard == 0 || ctl.tick() {
                return;
            }
            self.iter += 1;
            let iter = self.iter;
            if k % PLATEAU_CHECK == 0
                && k - improved_at > PLATEAU_STEPS
                && best_hard <= PLATEAU_HARD
            {
                self.random_moves = self.random_moves.min(QUIET_RANDOM_MOVES);
            }
            if k % 32 == 0 || self.conflicted.is_empty() {
                st.hard_violations(
                    placed_only,
                    &nb.events_of,
                    &mut self.conflicted,
                    &mut self.resource_flags,
                );
                if self.conflicted.is_empty() {
                    return; // Nothing left that a session move can address.
                }
            }
            let e = self
                .conflicted
                .swap_remove(rng.usize(..self.conflicted.len()));
            if !st.in_hard_violation(e) {
                continue;
            }
            let resources = &inst.events[e as usize].resources;
            if k - improved_at > STALLED_AFTER
                && !resources.is_empty()
                && rng.f64() < RESOLVE_CHANCE
                && self.resolver.resolve(
                    st,
                    nb,
                    e,
                    resources[rng.usize(..resources.len())],
                    rng,
                    ctl,
                )
            {
                if st.cost().hard < best_hard {
                    best_hard = st.cost().hard;
                    improved_at = k;
                }
                ctl.improved(st);
                continue;
            }
            let b = inst.block_of[e as usize] as usize;
            let block = &inst.blocks[b];
            let starts = &nb.block_starts[b];
            let options = &inst.events[block[0] as usize].week_options;
            let current = st.start(block[0]);
            let offset = rng.usize(..64);
            self.eject.evicted.clear();
            let mut stuck = false;
            if rng.f64() < self.random_moves {
                let s = starts[rng.usize(..starts.len())];
                move_block(
                    st,
                    block,
                    s,
                    Some(options[rng.usize(..options.len())]),
                    offset,
                );
            } else {
                let (hard, tabu) = (st.cost().hard, &self.tabu);
                // Tabu starts are allowed only when they beat the best hard cost seen.
                let allowed =
                    |s: Slot, d: i64| tabu[b * slots + s as usize] <= iter || hard + d < best_hard;
                let (chain, eject) = (&mut self.chain, &mut self.eject);
                let mut best: Option<(i64, Step)> = None;
                if let Some((d, s, w)) = best_placement(st, nb, b, offset, rng, true, None, allowed)
                {
                    consider(&mut best, d.hard, Step::Move(s, w));
                }
                // Chains and swaps cost more to try: only when moving does not improve.
                if best.as_ref().is_none_or(|&(d, _)| d >= 0) {
                    // A step of another kind is taken only if it beats the best so far
                    // (`consider` keeps the first of equals): one changing the weighted
                    // hard cost by more than this is of no use.
                    let held = |best: &Option<(i64, Step)>| best.as_ref().map(|&(d, _)| d - 1);
                    let limit = held(&best);
                    let stalled = k - improved_at > STALLED_AFTER;
                    if let Some((d, t, links)) =
                        best_kempe(st, nb, e, offset, rng, chain, allowed, limit, stalled)
                    {
                        consider(&mut best, d, Step::Kempe(t, links));
                    }
                    let limit = held(&best);
                    if let Some((d, other)) = best_swap(st, nb, e, offset, rng, allowed, limit) {
                        consider(&mut best, d, Step::Swap(other));
                    }
                    let open = |x: usize, s: Slot| tabu[x * slots + s as usize] <= iter;
                    let limit = held(&best);
                    if let Some((d, plan)) =
                        best_ejection(st, nb, b, offset, rng, open, limit, eject)
                    {
                        consider(&mut best, d, Step::Eject(plan));
                    }
                    if let Some((d, plan)) = best_tied(st, nb, b, offset, rng, open) {
                        consider(&mut best, d, Step::Tied(plan));
                    }
                    if stalled {
                        if let Some((d, plan)) = best_day_off(st, nb, e, offset, rng, open, eject) {
                            consider(&mut best, d, Step::Tied(plan));
                        }
                    }
                    if let Some((d, k, r)) = best_room(st, e, rng) {
                        consider(&mut best, d, Step::Room(k, r));
                    }
                }
                self.eject.evicted.clear(); // Filled while trying the chains.
                stuck = best.as_ref().is_none_or(|&(d, _)| d >= 0);
                match best {
                    None => continue,
                    Some((_, Step::Move(s, w))) => move_block(st, block, s, Some(w), offset),
                    Some((_, Step::Eject(plan))) => {
                        move_block(st, block, plan.start, None, offset);
                        evict_clashes(st, nb, block, &mut self.eject.evicted);
                        plan.move_others(st, offset);
                    }
                    Some((_, Step::Tied(plan))) => {
                        move_block(st, block, plan.start, None, offset);
                        plan.move_others(st, offset);
                    }
                    Some((_, Step::Kempe(t, links))) => {
                        kempe(st, nb, e, t, offset, chain, links);
                    }
                    Some((_, Step::Swap(other))) => swap_blocks(st, nb, b, other, offset),
                    Some((_, Step::Room(k, r))) => change_room(st, e, k, r),
                }
            }
            st.commit();
            if stuck {
                // No step lowers the weighted hard cost: weigh what it leaves.
                st.raise_weights(e);
            }
            if current != UNPLACED {
                self.tabu[b * slots + current as usize] = iter + 8 + rng.u64(..8);
            }
            // An evicted block may not come straight back.
            for &(x, from) in &self.eject.evicted {
                self.tabu[x * slots + from as usize] = iter + 8 + rng.u64(..8);
            }
            if st.cost().hard < best_hard {
                best_hard = st.cost().hard;
                improved_at = k;
            }
            ctl.improved(st);
        }
    }
}

/// A repair step.
enum Step {
    /// The block to a start, with weeks.
    Move(Slot, u8),
    /// A Kempe-chain swap of the event with a start, the chain drawn by the links.
    Kempe(Slot, Links),
    /// The block swaps starts with another block.
    Swap(usize),
    /// An ejection chain.
    Eject(Ejection),
    /// The block moves with others carried along (none ejected): to another day with
    /// the blocks tied to the same day ([`best_tied`]), or off its day with the other
    /// blocks of a teacher over its working days ([`best_day_off`]).
    Tied(Ejection),
    /// The event's room for one of its needs changes: (need, room).
    Room(usize, ResId),
}

/// The best change of one of placed event `e`'s rooms, at its time: (weighted hard
/// cost change, need, room); the state is left as it was.
fn best_room(st: &mut State, e: EventId, rng: &mut fastrand::Rng) -> Option<(i64, usize, ResId)> {
    let inst = st.instance();
    let ev = &inst.events[e as usize];
    if ev.pinned_rooms.is_some() || st.start(e) == UNPLACED {
        return None;
    }
    let mut best: Option<(i64, u64, usize, ResId)> = None;
    for (k, need) in ev.room_needs.iter().enumerate() {
        for &r in need {
            if st.rooms(e).contains(&r) {
                continue; // Its room for this need already, or for another.
            }
            change_room(st, e, k, r);
            let d = st.hard_delta().weighted;
            st.rollback();
            let tie = rng.u64(..);
            if best.is_none_or(|(c, t, _, _)| (d, tie) < (c, t)) {
                best = Some((d, tie, k, r));
            }
        }
    }
    best.map(|(d, _, k, r)| (d, k, r))
}

/// Most blocks an ejection chain moves out of the way for a block off the timetable
/// (such as one that 7 classes and 7 teachers share, in Germany/secondary-school-1).
const EJECT_MAX: usize = 16;

/// Most blocks an ejection chain moves out of the way for a block on the timetable:
/// more made Eng_College slower (BENCHMARKS.md).
const EJECT_MAX_PLACED: usize = 2;

/// Most starts of a block tried for ejection chains in one repair step: two rather than
/// four makes the steps that find no better move cheaper, which pays on the schools
/// solved in the repair's tail (Germany/secondary-school-1, liceo; BENCHMARKS.md).
const EJECT_STARTS: usize = 2;

/// An ejection chain: a block goes to `start`, the blocks it then clashes with are taken
/// off and each goes to its own best start (`moved`: block, start, weeks). A tied move
/// ([`best_tied`]) and a day off ([`best_day_off`]) are planned the same way, their
/// `moved` the blocks carried along.
#[derive(Clone, Copy, Debug)]
struct Ejection {
    start: Slot,
    moved: [(u32, Slot, u8); EJECT_MAX],
    len: usize,
}

impl Ejection {
    /// The block to `start`, nothing moved yet.
    fn to(start: Slot) -> Ejection {
        Ejection {
            start,
            moved: [(0, 0, 0); EJECT_MAX],
            len: 0,
        }
    }

    /// Records that block `x` goes to `start` in `weeks`.
    fn push(&mut self, x: usize, start: Slot, weeks: u8) {
        self.moved[self.len] = (x as u32, start, weeks);
        self.len += 1;
    }

    /// Moves the blocks of `moved` to their starts (rooms picked from `offset`).
    fn move_others(&self, st: &mut State, offset: usize) {
        let inst = st.instance();
        for &(x, t, w) in &self.moved[..self.len] {
            move_block(st, &inst.blocks[x as usize], t, Some(w), offset);
        }
    }
}

/// Scratch of [`best_ejection`], kept so that repair steps do not allocate.
#[derive(Default)]
struct EjectScratch {
    /// Blocks the move being tried took off, with their former starts.
    evicted: Vec<(usize, Slot)>,
    /// Starts where the block clashes: (hard cost change with the blocks in the way
    /// off, random tie-break, start).
    ranked: Vec<(i64, u64, Slot)>,
}

/// The best ejection chain of block `b`: (weighted hard cost change, chain); the state is
/// left as it was. Of the starts that `open(block, start)` allows and where `b` clashes with one to
/// [`EJECT_MAX_PLACED`] blocks ([`EJECT_MAX`] if `b` is off the timetable), the
/// [`EJECT_STARTS`] cheapest once those blocks are off are tried in full: each block in
/// the way goes to its start of least hard cost other than the one it left (or stays
/// off when it has none). Like [`best_placement`], it may run inside a larger move.
/// Chains sure to change the weighted hard cost by more than `limit` (the most a step
/// may change it to beat the best step of another kind) are not finished: when none is
/// within it, the one returned may not be the best.
#[allow(clippy::too_many_arguments)] // The repair's step in full, as `best_swap`'s.
fn best_ejection(
    st: &mut State,
    nb: &Neighbourhood,
    b: usize,
    offset: usize,
    rng: &mut fastrand::Rng,
    open: impl Fn(usize, Slot) -> bool,
    limit: Option<i64>,
    scratch: &mut EjectScratch,
) -> Option<(i64, Ejection)> {
    let inst = st.instance();
    let block = &inst.blocks[b];
    let EjectScratch { evicted, ranked } = scratch;
    let most = if st.start(block[0]) == UNPLACED {
        EJECT_MAX
    } else {
        EJECT_MAX_PLACED
    };
    let before = st.savepoint();
    ranked.clear();
    // The EJECT_STARTS least changes ranked so far, in order.
    let mut least = [i64::MAX; EJECT_STARTS];
    for &s in &nb.block_starts[b] {
        if s == st.start(block[0]) || !open(b, s) || evicts_more_than(st, block, s, most) {
            continue;
        }
        move_block(st, block, s, None, offset);
        evicted.clear();
        evict_clashes(st, nb, block, evicted);
        if (1..=most).contains(&evicted.len()) {
            let tie = rng.u64(..);
            // One sure to rank below the EJECT_STARTS least so far need not be evaluated.
            let last = least[EJECT_STARTS - 1];
            if let Some(d) = evaluate_within(st, (last < i64::MAX).then_some(last), None) {
                let d = d.weighted;
                ranked.push((d, tie, s));
                if d < least[EJECT_STARTS - 1] {
                    least[EJECT_STARTS - 1] = d;
                    least.sort_unstable();
                }
            }
        }
        st.rollback_to(before);
    }
    let tried = EJECT_STARTS.min(ranked.len());
    if tried == 0 {
        return None;
    }
    ranked.select_nth_unstable(tried - 1);
    // In an order that the starts left out above do not change.
    ranked[..tried].sort_unstable();
    let mut best: Option<(i64, u64, Ejection)> = None;
    'chains: for &(_, tie, s) in &ranked[..tried] {
        move_block(st, block, s, None, offset);
        evicted.clear();
        evict_clashes(st, nb, block, evicted);
        let mut plan = Ejection::to(s);
        for (i, &(x, from)) in evicted.iter().enumerate() {
            let allowed = |t: Slot, _| t != from && open(x, t);
            // Only the last block's placement ends the chain's change: a chain whose last
            // placements are all sure to lose need not be finished.
            let last = i + 1 == evicted.len();
            let bound = bound(limit, best.map(|(c, _, _)| c));
            let chain_limit = bound.filter(|_| last);
            match best_placement(st, nb, x, offset, rng, true, chain_limit, allowed) {
                Some((_, t, w)) => {
                    move_block(st, &inst.blocks[x], t, Some(w), offset);
                    plan.push(x, t, w);
                }
                None if chain_limit.is_some()
                    && nb.block_starts[x].iter().any(|&t| allowed(t, 0)) =>
                {
                    st.rollback_to(before);
                    continue 'chains; // Its allowed starts were all sure to lose.
                }
                None => {}
            }
        }
        let d = st.hard_delta().weighted;
        st.rollback_to(before);
        if best.is_none_or(|(c, k, _)| (d, tie) < (c, k)) {
            best = Some((d, tie, plan));
        }
    }
    best.map(|(d, _, plan)| (d, plan))
}

/// Whether moving `block` to `start` is sure to evict more than `most` other blocks
/// ([`evict_clashes`]), read from the holders' index without moving it: for a block of
/// one session in a timetable of one week, the blocks of the sessions that alone hold
/// one of its teachers or student subgroups in one of its new periods. False when
/// unsure.
fn evicts_more_than(st: &State, block: &[EventId], start: Slot, most: usize) -> bool {
    let inst = st.instance();
    let &[e] = block else {
        return false;
    };
    let (from, duration) = (st.start(e), inst.events[e as usize].duration as Slot);
    let end = start + duration;
    // Where the session holds some of these periods already, its own count would
    // hide another holder.
    if inst.grid.week_count() != 1 || (from != UNPLACED && from < end && start < from + duration) {
        return false;
    }
    let mut blocks = [0u32; EJECT_MAX + 1];
    let mut n = 0;
    for &r in &inst.events[e as usize].resources {
        for t in start..end {
            let h = st.holders(r, t);
            if h.count != 1 {
                continue; // None, or several whose ids are not known.
            }
            let b = inst.block_of[h.ids as usize];
            if !blocks[..n].contains(&b) {
                if n == most {
                    return true;
                }
                blocks[n] = b;
                n += 1;
            }
        }
    }
    false
}

/// The best move of block `b` to another day together with the blocks a hard
/// `same_day` rule ties to it: at each start of `b` that `open(block, start)` allows,
/// each tied block not on that day goes to its start of least hard cost on it that
/// `open` allows (weighted hard cost change, plan; the blocks carried along in its
/// `moved`). Starts where no tied block moves are left to the plain moves. The state is
/// left as it was.
fn best_tied(
    st: &mut State,
    nb: &Neighbourhood,
    b: usize,
    offset: usize,
    rng: &mut fastrand::Rng,
    open: impl Fn(usize, Slot) -> bool,
) -> Option<(i64, Ejection)> {
    let ties = &nb.same_day[b];
    if ties.is_empty() || ties.len() > EJECT_MAX {
        return None;
    }
    let inst = st.instance();
    let (block, grid) = (&inst.blocks[b], &inst.grid);
    let current = st.start(block[0]);
    let before = st.savepoint();
    let mut best: Option<(i64, u64, Ejection)> = None;
    for &s in &nb.block_starts[b] {
        if s == current || !open(b, s) {
            continue;
        }
        let day = grid.day(s);
        move_block(st, block, s, None, offset);
        let mut plan = Ejection::to(s);
        for &x in ties {
            let at = st.start(inst.blocks[x][0]);
            if at != UNPLACED && grid.day(at) == day {
                continue;
            }
            // Its start of least weighted hard cost on the day (ties: the first).
            let here = st.savepoint();
            let mut least: Option<(i64, Slot)> = None;
            for &t in &nb.block_starts[x] {
                if grid.day(t) != day || !open(x, t) {
                    continue;
                }
                move_block(st, &inst.blocks[x], t, None, offset);
                let d = st.hard_delta().weighted;
                st.rollback_to(here);
                if least.is_none_or(|(c, _)| d < c) {
                    least = Some((d, t));
                }
            }
            if let Some((_, t)) = least {
                move_block(st, &inst.blocks[x], t, None, offset);
                plan.push(x, t, st.weeks(inst.blocks[x][0]));
            }
        }
        let d = (plan.len > 0).then(|| st.hard_delta().weighted);
        st.rollback_to(before);
        let tie = rng.u64(..);
        if let Some(d) = d.filter(|&d| best.is_none_or(|(c, k, _)| (d, tie) < (c, k))) {
            best = Some((d, tie, plan));
        }
    }
    best.map(|(d, _, plan)| (d, plan))
}

/// Steps of a repair without a new best hard cost before it tries days off
/// ([`best_day_off`]) and Kempe chains through students' clashes
/// ([`Links::StudentsThroughClashes`]): a repair on its way down does without them.
/// Tried from the start, days off made `VietNamHungYen` slower (median 0.358 -> 0.427
/// s, worst 0.90 -> 1.42 s over 40 seeds), and those chains `lk-example` (median 13.0
/// -> 21.6 s over 9 seeds); after 5,000 steps they are as before, and `Syria` and
/// `Klikks-SLP`, which stall for far longer, still gain (BENCHMARKS.md).
const STALLED_AFTER: u64 = 5_000;

/// Steps without a new best hard cost after which a repair whose best is at most
/// [`PLATEAU_HARD`] is on a plateau: from then on, it takes random steps no more often
/// than [`QUIET_RANDOM_MOVES`]. A worker with more noise comes down faster on some
/// schools, but from a plateau near 0 it wanders higher and dips to 0 less often. On
/// `Syria` both workers are at hard 1-2 within 3 s, and the current hard cost then
/// wanders around 5-10 at 1 % noise and around 9-16 at 3 %. Over seeds 1-12 (2
/// threads, 60 s), `Syria` went from 11 to 12 valid runs (median 32.6 -> 20.5 s) and
/// `Klikks-SLP`, which needs the noise on its way down, from 11 to 12 (median 21.9 ->
/// 22.5 s). The 17 faster FET schools and `lk-example` run as before (`BENCHMARKS.md`,
/// 2026-12-05, evening).
const PLATEAU_STEPS: u64 = 50_000;

/// Highest best hard cost at which a stalled repair counts as on a plateau
/// ([`PLATEAU_STEPS`]).
const PLATEAU_HARD: i64 = 2;

/// How often, in steps, a repair checks whether it is on a plateau ([`PLATEAU_STEPS`]).
const PLATEAU_CHECK: u64 = 1_024;

/// Chance that a step of a stalled repair first re-solves two days of a teacher or
/// subgroup of its session exactly ([`Resolver`]). On `Syria` (2 threads, 60 s) it
/// made 6 runs of 10 valid, against 2 of 12 without; with a chance of 0.1, none of 6
/// (BENCHMARKS.md).
const RESOLVE_CHANCE: f64 = 0.02;

/// Most blocks a day-off move takes off one day ([`best_day_off`]).
const DAY_OFF_MAX: usize = 8;

/// A day off for a teacher or student subgroup of placed event `e` that works more
/// days than a hard maximum allows, or breaks a day-summed hard rule (a minimum per day,
/// gaps in a day, ...) on `e`'s day: every block holding it on `e`'s day, `e`'s first,
/// goes in turn to its start of least weighted hard cost on another day that
/// `open(block, start)` allows. Returns (weighted hard cost change, plan: `e`'s block
/// to `start`, the others in `moved`), or `None` when there is no such resource, the
/// day holds more than [`DAY_OFF_MAX`] blocks, a block has no allowed start, or the
/// plain hard cost would rise (many blocks moved at once would otherwise trade the
/// violation, weighed up, for several lightly weighed clashes); the state is left as
/// it was. A single move cannot free a day that holds two lessons, and weighing the
/// violation only spreads it over the teacher's days (`Syria`'s teachers over their
/// maximum days, `BENCHMARKS.md`). A day short of a minimum is mended the same way
/// (`lk-example`'s teachers with a minimum of hours per day: over 12 seeds, the slowest
/// run 38.4 -> 17.9 s, `BENCHMARKS.md`).
fn best_day_off(
    st: &mut State,
    nb: &Neighbourhood,
    e: EventId,
    offset: usize,
    rng: &mut fastrand::Rng,
    open: impl Fn(usize, Slot) -> bool,
    scratch: &mut EjectScratch,
) -> Option<(i64, Ejection)> {
    let inst = st.instance();
    let (start, grid) = (st.start(e), &inst.grid);
    if start == UNPLACED {
        return None;
    }
    let day = grid.day(start);
    let ev = &inst.events[e as usize];
    let r = *ev
        .resources
        .iter()
        .find(|&&r| st.over_working_days(r) || st.breaks_day_rule(r, day))?;
    // The blocks holding `r` on the day, `e`'s first (in `evicted`, starts unused).
    let blocks = &mut scratch.evicted;
    blocks.clear();
    blocks.push((inst.block_of[e as usize] as usize, start));
    for &x in &nb.events_of[r as usize] {
        let (bx, at) = (inst.block_of[x as usize] as usize, st.start(x));
        if at != UNPLACED && grid.day(at) == day && !blocks.iter().any(|&(b, _)| b == bx) {
            if blocks.len() == DAY_OFF_MAX {
                return None;
            }
            blocks.push((bx, at));
        }
    }
    let before = st.savepoint();
    let mut plan = Ejection::to(start);
    for (i, &(x, _)) in blocks.iter().enumerate() {
        let allowed = |t: Slot, _| grid.day(t) != day && open(x, t);
        let Some((_, t, w)) = best_placement(st, nb, x, offset, rng, true, None, allowed) else {
            st.rollback_to(before);
            return None;
        };
        move_block(st, &inst.blocks[x], t, Some(w), offset);
        if i == 0 {
            plan.start = t;
        } else {
            plan.push(x, t, w);
        }
    }
    let d = st.hard_delta();
    st.rollback_to(before);
    (d.hard <= 0).then_some((d.weighted, plan))
}

/// Keeps the cheaper of `best` and (`d`, `step`).
fn consider(best: &mut Option<(i64, Step)>, d: i64, step: Step) {
    if best.as_ref().is_none_or(|&(c, _)| d < c) {
        *best = Some((d, step));
    }
}

/// Swaps the starts of blocks `a` and `b` (rooms re-picked from `offset`).
fn swap_blocks(st: &mut State, nb: &Neighbourhood, a: usize, b: usize, offset: usize) {
    let inst = st.instance();
    let (sa, sb) = (st.start(inst.blocks[a][0]), st.start(inst.blocks[b][0]));
    debug_assert!(nb.may_start(a, sb));
    move_block(st, &inst.blocks[a], sb, None, offset);
    move_block(st, &inst.blocks[b], sa, None, offset);
}

/// The best swap of `e`'s block with the block of an event sharing a teacher or
/// student subgroup with `e`: (weighted hard cost change, other block), among the swaps
/// whose new start for `e`'s block is `allowed`; the state is left as it was. Swaps sure
/// to change the weighted hard cost by more than `limit` (the most a step may change it
/// to beat the best step of another kind) are not evaluated: when none is within it,
/// the one returned may not be the best.
fn best_swap(
    st: &mut State,
    nb: &Neighbourhood,
    e: EventId,
    offset: usize,
    rng: &mut fastrand::Rng,
    allowed: impl Fn(Slot, i64) -> bool,
    limit: Option<i64>,
) -> Option<(i64, usize)> {
    let inst = st.instance();
    let a = inst.block_of[e as usize] as usize;
    let sa = st.start(inst.blocks[a][0]);
    if sa == UNPLACED {
        return None;
    }
    let mut best: Option<(i64, u64, usize)> = None;
    for &y in &nb.neighbours[e as usize] {
        let b = inst.block_of[y as usize] as usize;
        let sb = st.start(inst.blocks[b][0]);
        if b == a || sb == sa || sb == UNPLACED || !nb.may_start(a, sb) || !nb.may_start(b, sa) {
            continue;
        }
        // Two single sessions (`e` and `y`) are first bounded without moving them.
        let bound = bound(limit, best.map(|(c, _, _)| c));
        let singles = inst.blocks[a].len() == 1 && inst.blocks[b].len() == 1;
        if singles && bound.is_some_and(|bound| st.swap_floor(e, y).is_some_and(|f| f > bound)) {
            rng.u64(..); // The tie it would have drawn.
            continue;
        }
        swap_blocks(st, nb, a, b, offset);
        let Some(d) = evaluate_within(st, limit, best.map(|(c, _, _)| c)) else {
            st.rollback();
            rng.u64(..); // The tie it would have drawn.
            continue;
        };
        st.rollback();
        let tie = rng.u64(..);
        if allowed(sb, d.hard) && best.is_none_or(|(c, k, _)| (d.weighted, tie) < (c, k)) {
            best = Some((d.weighted, tie, b));
        }
    }
    best.map(|(d, _, b)| (d, b))
}

/// The best Kempe-chain swap of event `e` (with its block) to another start: (weighted hard
/// cost change, target start, links), among the targets `allowed`; the state is left as
/// it was. Chains sure to change it by more than `limit` are not evaluated, as in
/// [`best_swap`].
/// Where the chain drawn through teachers and students cannot be made, the one drawn
/// through students only ([`Links::Students`]) is tried, and through students' clashes
/// too once the repair has `stalled`: on `Klikks-SLP`, whose students' weeks are full,
/// the repair was stuck without it, and `Bethlen` and `GYR` take a fraction of the time
/// (`BENCHMARKS.md`).
#[allow(clippy::too_many_arguments)] // The repair's step in full, as `best_swap`'s.
fn best_kempe(
    st: &mut State,
    nb: &Neighbourhood,
    e: EventId,
    offset: usize,
    rng: &mut fastrand::Rng,
    chain: &mut Vec<(EventId, Slot)>,
    allowed: impl Fn(Slot, i64) -> bool,
    limit: Option<i64>,
    stalled: bool,
) -> Option<(i64, Slot, Links)> {
    let students = if stalled {
        Links::StudentsThroughClashes
    } else {
        Links::Students
    };
    let inst = st.instance();
    let b = inst.block_of[e as usize] as usize;
    let mut best: Option<(i64, u64, Slot, Links)> = None;
    let (duration, w) = (inst.events[e as usize].duration, st.weeks(e));
    for &t in &nb.block_starts[b] {
        // Where every resource of `e` is free, the chain is a plain move (tried apart).
        let busy = (st.scoring().held_resources(e).iter())
            .any(|&r| !st.occupancy().is_free(r, w, t, duration));
        if !busy {
            continue;
        }
        let Some(links) = [Links::Shared, students]
            .into_iter()
            .find(|&links| kempe(st, nb, e, t, offset, chain, links))
        else {
            continue;
        };
        let Some(d) = evaluate_within(st, limit, best.map(|(c, ..)| c)) else {
            st.rollback();
            rng.u64(..); // The tie it would have drawn.
            continue;
        };
        st.rollback();
        let tie = rng.u64(..);
        if allowed(t, d.hard) && best.is_none_or(|(c, k, ..)| (d.weighted, tie) < (c, k)) {
            best = Some((d.weighted, tie, t, links));
        }
    }
    best.map(|(d, _, t, links)| (d, t, links))
}

/// Lowers the soft cost by simulated annealing over block moves, block swaps, Kempe-chain
/// swaps and room changes; a move that raises the hard cost is never kept.
pub fn anneal(st: &mut State, nb: &Neighbourhood, rng: &mut fastrand::Rng, ctl: &mut Control) {
    let inst = st.instance();
    if inst.blocks.is_empty() {
        return;
    }
    // Scratch for Kempe chains, so the loop does not allocate.
    let mut chain = Vec::with_capacity(KEMPE_MAX);
    let t0 = initial_temperature(st, nb, rng, &mut chain);
    let t_end = 0.05f64.min(t0);
    let mut temperature = t0;
    // Long runs cool in several cycles, each from the best timetable and a reheat.
    let cycles = ctl.cycles();
    let mut cycle = 0;
    let mut t_start = t0;
    let mut best = st.cost();
    let mut since_best: u64 = 0;
    let mut n: u64 = 0;
    loop {
        if ctl.tick() {
            return;
        }
        n += 1;
        if n.is_multiple_of(256) {
            let position = ctl.fraction() * cycles as f64;
            let now = (position as usize).min(cycles - 1);
            if now != cycle {
                cycle = now;
                t_start = t0 * REHEAT;
                if let Some(tt) = ctl.better_than(st.cost()) {
                    *st = State::new(inst, st.scoring(), tt);
                }
            }
            temperature = t_start * (t_end / t_start).powf(position - cycle as f64);
        }
        random_move(st, nb, rng, &mut chain, &[]);
        let d = st.delta();
        let accept = if d.hard != 0 {
            d.hard < 0
        } else {
            d.soft <= 0 || rng.f64() < (-(d.soft as f64) / temperature).exp()
        };
        if accept {
            st.commit();
            if st.cost() < best {
                best = st.cost();
                since_best = 0;
                ctl.improved(st);
                if best == Cost::ZERO {
                    return;
                }
                continue;
            }
        } else {
            st.rollback();
        }
        since_best += 1;
        if since_best > 200_000 {
            // Stuck: go back to the best timetable known to any worker.
            since_best = 0;
            if let Some(tt) = ctl.better_than(st.cost()) {
                let restored = State::new(inst, st.scoring(), tt);
                *st = restored;
            }
        }
    }
}

/// One random move, left pending (the caller commits or rolls back).
fn random_move(
    st: &mut State,
    nb: &Neighbourhood,
    rng: &mut fastrand::Rng,
    chain: &mut Vec<(EventId, Slot)>,
    focus: &[EventId],
) {
    let inst = st.instance();
    let r = rng.f64();
    if r < 0.15 && !nb.roomy.is_empty() {
        let e = nb.roomy[rng.usize(..nb.roomy.len())];
        let needs = &inst.events[e as usize].room_needs;
        let k = rng.usize(..needs.len());
        change_to_free_room(st, e, k, rng.usize(..needs[k].len()));
        return;
    }
    let a = if !focus.is_empty() && rng.bool() {
        inst.block_of[focus[rng.usize(..focus.len())] as usize] as usize
    } else {
        rng.usize(..inst.blocks.len())
    };
    let starts = &nb.block_starts[a];
    if r < 0.25 {
        let target = starts[rng.usize(..starts.len())];
        if kempe(
            st,
            nb,
            inst.blocks[a][0],
            target,
            rng.usize(..64),
            chain,
            Links::Shared,
        ) {
            return;
        }
    }
    if r < 0.6 {
        let first = &inst.events[inst.blocks[a][0] as usize];
        let weeks = (first.week_options.len() > 1 && rng.f64() < 0.3)
            .then(|| first.week_options[rng.usize(..first.week_options.len())]);
        move_block(
            st,
            &inst.blocks[a],
            starts[rng.usize(..starts.len())],
            weeks,
            rng.usize(..64),
        );
        return;
    }
    // Swap with a block sharing a resource.
    let first = &inst.events[inst.blocks[a][0] as usize];
    let b = match first.resources.len() {
        0 => rng.usize(..inst.blocks.len()),
        n => {
            let holders = &nb.events_of[first.resources[rng.usize(..n)] as usize];
            inst.block_of[holders[rng.usize(..holders.len())] as usize] as usize
        }
    };
    let (sa, sb) = (st.start(inst.blocks[a][0]), st.start(inst.blocks[b][0]));
    if a == b || sa == sb || !nb.may_start(a, sb) || !nb.may_start(b, sa) {
        move_block(
            st,
            &inst.blocks[a],
            starts[rng.usize(..starts.len())],
            None,
            rng.usize(..64),
        );
        return;
    }
    let offset = rng.usize(..64);
    move_block(st, &inst.blocks[a], sb, None, offset);
    move_block(st, &inst.blocks[b], sa, None, offset);
}

/// A starting temperature at which a typical worsening move is accepted half the time.
fn initial_temperature(
    st: &mut State,
    nb: &Neighbourhood,
    rng: &mut fastrand::Rng,
    chain: &mut Vec<(EventId, Slot)>,
) -> f64 {
    let (mut sum, mut count) = (0i64, 0i64);
    for _ in 0..500 {
        random_move(st, nb, rng, chain, &[]);
        let d = st.delta();
        st.rollback();
        if d.hard <= 0 && d.soft > 0 {
            sum += d.soft;
            count += 1;
        }
    }
    if count == 0 {
        1.0
    } else {
        (sum as f64 / count as f64 / std::f64::consts::LN_2).max(0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instance, Problem, Timetable};

    /// Lesson A (teacher TA, every class of C0..C`classes`) may not start at P0; lesson
    /// Bi (teacher Ti, class Ci) is number i + 1; periods P0 to P2 of one day.
    fn ejection_problem(classes: usize) -> Instance {
        let list = |f: &dyn Fn(usize) -> String| (0..classes).map(f).collect::<Vec<_>>().join(",");
        let json = format!(
            r#"{{"name":"e","time":{{"days":["D0"],"periods":[{{"name":"P0"}},{{"name":"P1"}},{{"name":"P2"}}]}},
            "teachers":[{{"name":"TA"}},{}],"classes":[{}],
            "lessons":[{{"id":"A","teachers":["TA"],"students":[{}]}},{}],
            "constraints":[{{"type":"unavailable","lessons":["A"],"times":[{{"day":"D0","periods":["P0"]}}]}}]}}"#,
            list(&|i| format!(r#"{{"name":"T{i}"}}"#)),
            list(&|i| format!(r#"{{"name":"C{i}"}}"#)),
            list(&|i| format!(r#""C{i}""#)),
            list(&|i| format!(r#"{{"id":"B{i}","teachers":["T{i}"],"students":["C{i}"]}}"#)),
        );
        serde_json::from_str::<Problem>(&json)
            .unwrap()
            .compile()
            .unwrap()
    }

    /// The best ejection chain of A (block 0) with every Bi at P1 and A at `a_start`,
    /// moves to `(block, start)` allowed by `open`, chains sure to be worse than `limit`
    /// left unfinished; the state must be left as it was.
    fn eject_a(
        classes: usize,
        a_start: Slot,
        open: impl Fn(usize, Slot) -> bool,
        limit: Option<i64>,
    ) -> Option<(i64, Ejection)> {
        let inst = ejection_problem(classes);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut tt = Timetable::empty(&inst);
        tt.starts = std::iter::once(a_start)
            .chain([1].repeat(classes))
            .collect();
        let mut st = State::new(&inst, &scoring, tt.clone());
        let mut rng = fastrand::Rng::with_seed(1);
        let found = best_ejection(
            &mut st,
            &nb,
            0,
            0,
            &mut rng,
            open,
            limit,
            &mut EjectScratch::default(),
        );
        assert_eq!(st.timetable(), &tt, "the state is left as it was");
        found
    }

    /// End hard costs of one-step repairs of A at P0 (where it may not start) and B0 at
    /// P1, with a chance `random_moves` of a random step, over seeds 0 to 39.
    fn one_step_repairs(random_moves: f64) -> Vec<i64> {
        let inst = ejection_problem(1);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let opts = crate::search::portfolio::SolveOptions::default();
        (0..40)
            .map(|seed| {
                let mut tt = Timetable::empty(&inst);
                tt.starts = vec![0, 1];
                let mut st = State::new(&inst, &scoring, tt);
                assert_eq!(st.cost().hard, 1, "A at P0");
                let mut rng = fastrand::Rng::with_seed(seed);
                crate::search::portfolio::with_control(&opts, |ctl| {
                    Repairer::new(&inst, random_moves).run(&mut st, &nb, &mut rng, ctl, 1, false)
                });
                assert_eq!(st.cost(), crate::eval::evaluate(&inst, st.timetable()).cost);
                st.cost().hard
            })
            .collect()
    }

    /// A's best step is to P2, where nothing clashes; a random step may take it to P1,
    /// onto B0's class.
    #[test]
    fn random_steps_come_with_their_chance() {
        assert!(one_step_repairs(0.0).iter().all(|&h| h == 0));
        let random = one_step_repairs(1.0);
        assert!(random.iter().any(|&h| h > 0), "{random:?}");
        assert!(random.contains(&0), "P2 is drawn too: {random:?}");
    }

    /// The chance of a random step after a repair of `steps` steps of `lessons` lessons
    /// of one class, each with its own teacher, in a week of one period: the repair
    /// starts with a chance of 0.03 and never gets below `lessons - 1` clashes.
    fn noise_after(lessons: usize, steps: u64) -> f64 {
        let list = |f: &dyn Fn(usize) -> String| (0..lessons).map(f).collect::<Vec<_>>().join(",");
        let json = format!(
            r#"{{"name":"p","time":{{"days":["D0"],"periods":[{{"name":"P0"}}]}},
            "teachers":[{}],"classes":[{{"name":"C"}}],"lessons":[{}]}}"#,
            list(&|i| format!(r#"{{"name":"T{i}"}}"#)),
            list(&|i| format!(r#"{{"id":"L{i}","teachers":["T{i}"],"students":["C"]}}"#)),
        );
        let inst = serde_json::from_str::<Problem>(&json)
            .unwrap()
            .compile()
            .unwrap();
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut tt = Timetable::empty(&inst);
        tt.starts = vec![0; lessons];
        let mut st = State::new(&inst, &scoring, tt);
        let mut repairer = Repairer::new(&inst, 0.03);
        let opts = crate::search::portfolio::SolveOptions::default();
        crate::search::portfolio::with_control(&opts, |ctl| {
            let mut rng = fastrand::Rng::with_seed(1);
            repairer.run(&mut st, &nb, &mut rng, ctl, steps, false)
        });
        assert_eq!(st.cost().hard, lessons as i64 - 1);
        repairer.random_moves
    }

    /// A repair that stalls near 0 goes quiet; one that stalls higher, or not for long,
    /// keeps its noise.
    #[test]
    fn a_repair_on_a_plateau_near_zero_goes_quiet() {
        assert_eq!(noise_after(2, PLATEAU_STEPS), 0.03);
        assert_eq!(noise_after(2, 2 * PLATEAU_STEPS), QUIET_RANDOM_MOVES);
        assert_eq!(noise_after(3, 2 * PLATEAU_STEPS), QUIET_RANDOM_MOVES);
        assert_eq!(noise_after(4, 2 * PLATEAU_STEPS), 0.03);
    }

    /// L0 in R20 and L1 in R40 break "one room for both": L1's best room step is to R20.
    #[test]
    fn a_room_step_mends_a_hard_rule_on_rooms() {
        let p = crate::eval::families::testkit::problem_with_rooms(
            2,
            r#"{"type":"max_rooms","lessons":["L0","L1"],"max":1}"#,
        );
        let inst = p.compile().unwrap();
        let scoring = crate::eval::Scoring::new(&inst);
        let room = |name: &str| inst.resources.iter().position(|r| r.name == name).unwrap();
        let mut tt = Timetable::empty(&inst);
        tt.starts[..2].copy_from_slice(&[inst.grid.slot(0, 0), inst.grid.slot(1, 0)]);
        tt.rooms[inst.room_range(0).start] = room("R20") as u32;
        tt.rooms[inst.room_range(1).start] = room("R40") as u32;
        let mut st = State::new(&inst, &scoring, tt.clone());
        assert_eq!(st.cost().hard, 1, "two rooms, one allowed");
        let (d, k, r) = best_room(&mut st, 1, &mut fastrand::Rng::with_seed(1)).unwrap();
        assert_eq!((d, k, r), (-1, 0, room("R20") as u32));
        assert_eq!(st.timetable(), &tt, "the state is left as it was");
    }

    #[test]
    fn an_ejection_chain_moves_the_block_in_the_way_to_its_best_other_start() {
        // A off the timetable may only go to P1, where B0 is; B0 moves to P0 or P2.
        let (d, plan) = eject_a(1, UNPLACED, |_, _| true, None).unwrap();
        assert_eq!(d, -1, "A placed, B0 moved without a clash");
        assert_eq!((plan.start, plan.len, plan.moved[0].0), (1, 1, 1));
        assert_ne!(plan.moved[0].1, 1);
        // With B0's other starts tabu, B0 stays off: no gain.
        let (d, plan) = eject_a(1, UNPLACED, |b, s| b == 0 || s == 1, None).unwrap();
        assert_eq!((d, plan.len), (0, 0));
    }

    #[test]
    fn a_chain_sure_to_lose_against_the_limit_is_left_unfinished() {
        // The chain of the test above lowers the hard cost by 1.
        let (d, plan) = eject_a(1, UNPLACED, |_, _| true, Some(-1)).unwrap();
        assert_eq!(
            (d, plan.len),
            (-1, 1),
            "no better than the limit, still found"
        );
        assert!(eject_a(1, UNPLACED, |_, _| true, Some(-2)).is_none());
        // B0 with no allowed start stays off, as without a limit; the chain then costs 0.
        let (d, plan) = eject_a(1, UNPLACED, |b, s| b == 0 || s == 1, Some(-2)).unwrap();
        assert_eq!((d, plan.len), (0, 0));
    }

    /// The family tests' tiny school (`testkit`) with `rule`, and lesson Li at `at[i]`
    /// (day, period).
    fn tiny_school(rule: &str, at: &[(usize, usize)]) -> (Instance, Timetable) {
        let inst = crate::eval::families::testkit::problem(at.len(), rule)
            .compile()
            .unwrap();
        let mut tt = Timetable::empty(&inst);
        for (start, &(day, period)) in tt.starts.iter_mut().zip(at) {
            *start = inst.grid.slot(day, period);
        }
        (inst, tt)
    }

    /// L0 on D0 and L1 on D1 break "same day": L0's tied move takes L1 along to the day
    /// it goes to, mending it; the starts on L1's day are left to the plain moves.
    #[test]
    fn a_tied_move_takes_the_same_day_blocks_along() {
        let rule = r#"{"type":"same_day","lessons":["L0","L1"]}"#;
        let (inst, tt) = tiny_school(rule, &[(0, 0), (1, 0)]);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let (g, block) = (&inst.grid, |e: usize| inst.block_of[e] as usize);
        assert_eq!(nb.same_day[block(0)], vec![block(1)]);
        let mut st = State::new(&inst, &scoring, tt.clone());
        assert_eq!(st.cost().hard, 1, "two days, one allowed");
        let mut rng = fastrand::Rng::with_seed(1);
        let (d, plan) = best_tied(&mut st, &nb, block(0), 0, &mut rng, |_, _| true).unwrap();
        assert_eq!(st.timetable(), &tt, "the state is left as it was");
        assert_eq!((d, plan.len, plan.moved[0].0), (-1, 1, block(1) as u32));
        assert_ne!(g.day(plan.start), 1, "a start on L1's day carries nothing");
        assert_eq!(g.day(plan.moved[0].1), g.day(plan.start));
    }

    /// With `rule` on T and L0 and L1 on D0, L2 on D1, at hard cost `hard`: no single
    /// move of L0 or L1 lowers the cost, but a day off for T on D0 takes both to D1 and
    /// mends it all. Returns the school.
    fn a_day_off_mends(rule: &str, hard: i64) -> (Instance, Timetable) {
        let (inst, tt) = tiny_school(rule, &[(0, 0), (0, 1), (1, 0)]);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let (g, block) = (&inst.grid, |e: usize| inst.block_of[e] as usize);
        let mut st = State::new(&inst, &scoring, tt.clone());
        assert_eq!(st.cost().hard, hard);
        let mut rng = fastrand::Rng::with_seed(1);
        for e in 0..2 {
            let (single, _, _) =
                best_placement(&mut st, &nb, block(e), 0, &mut rng, true, None, |_, _| true)
                    .unwrap();
            assert!(single.hard >= 0, "L{e} alone");
        }
        let mut scratch = EjectScratch::default();
        let (d, plan) =
            best_day_off(&mut st, &nb, 0, 0, &mut rng, |_, _| true, &mut scratch).unwrap();
        assert_eq!(st.timetable(), &tt, "the state is left as it was");
        assert_eq!((d, plan.len, plan.moved[0].0), (-hard, 1, block(1) as u32));
        assert_eq!((g.day(plan.start), g.day(plan.moved[0].1)), (1, 1));
        (inst, tt)
    }

    /// T may teach one day only: a day off takes L0 and L1 to L2's day; it is not
    /// taken where it would clash, nor tried within the limit.
    #[test]
    fn a_day_off_takes_every_lesson_of_the_day_away() {
        let rule = r#"{"type":"max_days","teachers":["T"],"max":1}"#;
        let (inst, tt) = a_day_off_mends(rule, 1);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let g = &inst.grid;
        let mut st = State::new(&inst, &scoring, tt.clone());
        let (mut rng, mut scratch) = (fastrand::Rng::with_seed(1), EjectScratch::default());
        // Only D1 P0, L2's period, allowed: the day off would trade the day for two
        // clashes.
        let only = |_, t: Slot| t == g.slot(1, 0);
        assert!(best_day_off(&mut st, &nb, 0, 0, &mut rng, only, &mut scratch).is_none());
        // Within the limit, no day off is tried.
        let mut st = State::new(
            &inst,
            &scoring,
            Timetable {
                starts: vec![g.slot(1, 1), g.slot(1, 2), g.slot(1, 0)],
                ..tt
            },
        );
        assert!(best_day_off(&mut st, &nb, 0, 0, &mut rng, |_, _| true, &mut scratch).is_none());
    }

    /// T must teach at least 3 periods on a day it teaches: D0 is one short, D1 two.
    #[test]
    fn a_day_off_mends_a_day_short_of_its_minimum() {
        a_day_off_mends(r#"{"type":"min_per_day","teachers":["T"],"min":3}"#, 3);
    }

    /// One day, P0 to P2: A (teacher T1, class C), B (T2, C), X (T1, class K), barred
    /// from P0, and Y (T3, C), barred from period `y_barred`; at `starts`.
    fn students_chain_school(y_barred: &str, starts: [Slot; 4]) -> (Instance, Timetable) {
        let json = format!(
            r#"{{"name":"k","time":{{"days":["D0"],"periods":[{{"name":"P0"}},{{"name":"P1"}},{{"name":"P2"}}]}},
            "teachers":[{{"name":"T1"}},{{"name":"T2"}},{{"name":"T3"}}],"classes":[{{"name":"C"}},{{"name":"K"}}],
            "lessons":[{{"id":"A","teachers":["T1"],"students":["C"]}},{{"id":"B","teachers":["T2"],"students":["C"]}},
              {{"id":"X","teachers":["T1"],"students":["K"]}},{{"id":"Y","teachers":["T3"],"students":["C"]}}],
            "constraints":[{{"type":"unavailable","lessons":["X"],"times":[{{"day":"D0","periods":["P0"]}}]}},
              {{"type":"unavailable","lessons":["Y"],"times":[{{"day":"D0","periods":["{y_barred}"]}}]}}]}}"#
        );
        let inst = serde_json::from_str::<Problem>(&json)
            .unwrap()
            .compile()
            .unwrap();
        let mut tt = Timetable::empty(&inst);
        tt.starts = starts.to_vec();
        (inst, tt)
    }

    /// The best Kempe chain of lesson A (event 0), any target allowed, no limit.
    fn best_kempe_of_a(
        st: &mut State,
        nb: &Neighbourhood,
        chain: &mut Vec<(EventId, Slot)>,
        stalled: bool,
    ) -> Option<(i64, Slot, Links)> {
        let mut rng = fastrand::Rng::with_seed(1);
        best_kempe(st, nb, 0, 0, &mut rng, chain, |_, _| true, None, stalled)
    }

    /// A at P0, B and X at P1, Y at P2. The chain taking A to P1 draws in B by class C
    /// and X by teacher T1, and X may not go to P0: refused. Drawn by students only, it
    /// swaps A and B and leaves T1 twice at P1, a cost the repair weighs against its
    /// other steps. (A to P2 would take Y to P0, where it may not go.)
    #[test]
    fn a_chain_drawn_by_students_only_is_tried_when_the_full_one_cannot_be_made() {
        let (inst, tt) = students_chain_school("P0", [0, 1, 1, 2]);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut st = State::new(&inst, &scoring, tt.clone());
        assert_eq!(st.cost().hard, 0);
        let chain = &mut Vec::new();
        assert!(!kempe(&mut st, &nb, 0, 1, 0, chain, Links::Shared));
        assert_eq!(st.timetable(), &tt, "nothing changed");
        assert!(kempe(&mut st, &nb, 0, 1, 0, chain, Links::Students));
        assert_eq!(st.timetable().starts, vec![1, 0, 1, 2], "A and B swapped");
        assert_eq!(st.hard_delta().hard, 1, "T1 twice at P1");
        st.rollback();
        let found = best_kempe_of_a(&mut st, &nb, chain, false);
        assert_eq!(st.timetable(), &tt, "the state is left as it was");
        assert_eq!(found, Some((1, 1, Links::Students)));
    }

    /// A at P0, B, X and Y at P1 (class C twice there). A chain drawn by students only
    /// is refused at P1; through students' clashes it takes B and Y to P0, and only a
    /// stalled repair tries it.
    #[test]
    fn a_stalled_repair_draws_students_chains_through_their_clashes() {
        let (inst, tt) = students_chain_school("P2", [0, 1, 1, 1]);
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut st = State::new(&inst, &scoring, tt.clone());
        assert_eq!(st.cost().hard, 1, "class C twice at P1");
        let chain = &mut Vec::new();
        assert!(!kempe(&mut st, &nb, 0, 1, 0, chain, Links::Students));
        assert_eq!(st.timetable(), &tt, "nothing changed");
        let through = Links::StudentsThroughClashes;
        assert!(kempe(&mut st, &nb, 0, 1, 0, chain, through));
        assert_eq!(st.timetable().starts, vec![1, 0, 1, 0]);
        assert_eq!(
            st.hard_delta().hard,
            1,
            "C twice at P0 now, and T1 twice at P1"
        );
        st.rollback();
        let mut best = |stalled| best_kempe_of_a(&mut st, &nb, chain, stalled);
        assert_eq!(best(false), None);
        assert_eq!(best(true), Some((1, 1, through)));
    }

    #[test]
    fn only_a_block_off_the_timetable_pushes_out_more_than_two() {
        let (d, plan) = eject_a(3, UNPLACED, |_, _| true, None).unwrap();
        assert_eq!((d, plan.len), (-1, 3));
        // Placed at P2, A may not move to P1 by pushing out three blocks.
        assert!(eject_a(3, 2, |_, _| true, None).is_none());
    }

    #[test]
    fn evictions_are_counted_from_the_holders_as_moving_counts_them() {
        for classes in 1..=4 {
            let inst = ejection_problem(classes);
            let scoring = crate::eval::Scoring::new(&inst);
            let nb = Neighbourhood::new(&inst);
            let mut tt = Timetable::empty(&inst);
            tt.starts = std::iter::once(2).chain([1].repeat(classes)).collect();
            let mut st = State::new(&inst, &scoring, tt);
            let a = &inst.blocks[0];
            move_block(&mut st, a, 1, None, 0);
            let mut evicted = Vec::new();
            evict_clashes(&mut st, &nb, a, &mut evicted);
            st.rollback();
            assert_eq!(evicted.len(), classes);
            for most in 0..=4 {
                let sure = evicts_more_than(&st, a, 1, most);
                assert_eq!(sure, classes > most, "{classes} classes, at most {most}");
            }
        }
    }
}
