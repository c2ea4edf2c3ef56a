//! Exact re-solving of two days of one teacher or student subgroup: a large
//! neighbourhood for a repair that has stalled on a violation no short chain of moves
//! mends.
//!
//! On `Syria`, whose classes fill every period of their week, the repair stalls at one
//! clash: a class holds two lessons at one period and its one free period is where
//! neither lesson's teacher may go. No sequence of three moves mends it (searched
//! exhaustively, `BENCHMARKS.md`). Taking every lesson of the class off the clash's
//! day and another day, and placing them back by a complete search that never lets a
//! teacher or subgroup clash, often does; the rest of the timetable stays as it is.

use crate::eval::State;
use crate::model::{EventId, ResId, Slot, UNPLACED};
use crate::search::moves::{move_block, Neighbourhood};
use crate::search::portfolio::Control;

/// Most placements one search tries: most searches end well before, having tried every
/// way (`Syria`: 87 % of them).
const NODE_LIMIT: u64 = 5_000;

/// Most blocks taken off: a teacher's or subgroup's two days hold fewer.
const MAX_BLOCKS: usize = 20;

/// Scratch of [`Resolver::resolve`], kept between searches.
#[derive(Default)]
pub struct Resolver {
    /// The blocks taken off.
    blocks: Vec<usize>,
    /// Starts of each block on the two days: `starts[ranges[i].0..ranges[i].1]`.
    starts: Vec<Slot>,
    ranges: Vec<(usize, usize)>,
    placed: Vec<bool>,
    /// The clash-free starts of the block placed at each depth of the search, one
    /// after the other.
    stack: Vec<Slot>,
    /// Placements tried by the current search.
    nodes: u64,
}

impl Resolver {
    /// Takes off every block holding `r`, a teacher or student subgroup of placed event
    /// `e`, on `e`'s day and on another day where `r` has a free available period (any
    /// other day when there is none), and searches for a way to place them back on
    /// those two days, without a clash on a teacher or subgroup, that lowers the hard
    /// cost: blocks with fewest clash-free starts first, at most [`NODE_LIMIT`]
    /// placements. Commits the first such way and returns true; otherwise leaves the
    /// state as it was.
    pub fn resolve(
        &mut self,
        st: &mut State,
        nb: &Neighbourhood,
        e: EventId,
        r: ResId,
        rng: &mut fastrand::Rng,
        ctl: &mut Control,
    ) -> bool {
        let inst = st.instance();
        let g = &inst.grid;
        let start = st.start(e);
        if start == UNPLACED || g.day_count() < 2 {
            return false;
        }
        let day = g.day(start);
        let has_free_period = |d: usize| {
            (0..g.periods_per_day()).any(|p| {
                inst.unavailable(r, d) & (1 << p) == 0 && st.holders(r, g.slot(d, p)).count == 0
            })
        };
        // The other days, only those with a free period when there are such.
        let others = |free_only: bool| {
            (0..g.day_count()).filter(move |&d| d != day && (!free_only || has_free_period(d)))
        };
        let free_only = others(true).next().is_some();
        let count = others(free_only).count();
        let Some(other) = others(free_only).nth(rng.usize(..count)) else {
            return false;
        };
        let days = (1u64 << day) | (1 << other);
        self.blocks.clear();
        for &x in &nb.events_of[r as usize] {
            let at = st.start(x);
            if at == UNPLACED || days & (1 << g.day(at)) == 0 {
                continue;
            }
            let b = inst.block_of[x as usize] as usize;
            if !self.blocks.contains(&b) {
                if self.blocks.len() == MAX_BLOCKS {
                    return false;
                }
                self.blocks.push(b);
            }
        }
        self.starts.clear();
        self.ranges.clear();
        for &b in &self.blocks {
            let from = self.starts.len();
            self.starts.extend(
                nb.block_starts[b]
                    .iter()
                    .filter(|&&s| days & (1 << g.day(s)) != 0),
            );
            self.ranges.push((from, self.starts.len()));
        }
        for &b in &self.blocks {
            for &x in &inst.blocks[b] {
                st.unplace(x);
            }
        }
        self.placed.clear();
        self.placed.resize(self.blocks.len(), false);
        self.stack.clear();
        self.nodes = 0;
        let offset = rng.usize(..64);
        if self.search(st, nb, offset, rng, ctl) {
            st.commit();
            true
        } else {
            st.rollback();
            false
        }
    }

    /// Places the blocks not yet placed, each on a start where it clashes with no
    /// teacher or subgroup: true, with the state holding them, when every block is
    /// placed and the move so far lowers the hard cost.
    fn search(
        &mut self,
        st: &mut State,
        nb: &Neighbourhood,
        offset: usize,
        rng: &mut fastrand::Rng,
        ctl: &mut Control,
    ) -> bool {
        if self.nodes >= NODE_LIMIT || ctl.tick() {
            return false;
        }
        self.nodes += 1;
        // The block with fewest clash-free starts; a block with none ends this branch.
        let mut pick: Option<(usize, usize)> = None;
        for i in 0..self.blocks.len() {
            if self.placed[i] {
                continue;
            }
            let (from, to) = self.ranges[i];
            let b = self.blocks[i];
            let n = self.starts[from..to]
                .iter()
                .filter(|&&s| clash_free(st, nb, b, s))
                .count();
            if n == 0 {
                return false;
            }
            if pick.is_none_or(|(_, m)| n < m) {
                pick = Some((i, n));
            }
        }
        let Some((i, n)) = pick else {
            return st.hard_delta().hard < 0;
        };
        let b = self.blocks[i];
        let base = self.stack.len();
        let (from, to) = self.ranges[i];
        for k in from..to {
            let s = self.starts[k];
            if clash_free(st, nb, b, s) {
                self.stack.push(s);
            }
        }
        let first = rng.usize(..n);
        self.placed[i] = true;
        let block = &st.instance().blocks[b];
        for j in 0..n {
            let s = self.stack[base + (first + j) % n];
            let before = st.savepoint();
            move_block(st, block, s, None, offset);
            if self.search(st, nb, offset, rng, ctl) {
                return true;
            }
            st.rollback_to(before);
        }
        self.placed[i] = false;
        self.stack.truncate(base);
        false
    }
}

/// Whether block `b` may start at `s` without sharing a period with another session on
/// one of its teachers or student subgroups (in any week).
fn clash_free(st: &State, nb: &Neighbourhood, b: usize, s: Slot) -> bool {
    let inst = st.instance();
    inst.blocks[b].iter().all(|&x| {
        let span = s..s + nb.durations[x as usize] as Slot;
        inst.events[x as usize]
            .resources
            .iter()
            .all(|&r| span.clone().all(|t| st.holders(r, t).count == 0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate, Scoring};
    use crate::model::{Instance, Problem, Timetable};
    use crate::search::portfolio::{with_control, SolveOptions};

    /// Class C fills its 4 periods (2 days of 2) with lessons of teachers A, B, X, Y;
    /// A and B may not take D1 P1, nor may X and Y when `xy_barred`. The timetable puts
    /// A's and B's lessons both at D0 P0, X's at D0 P1, Y's at D1 P0: one clash, and
    /// the class's free period is D1 P1.
    fn clashing_class(xy_barred: bool) -> (Instance, Timetable) {
        let barred = if xy_barred { r#","X","Y""# } else { "" };
        let json = format!(
            r#"{{"name":"t","time":{{"days":["D0","D1"],"periods":[{{"name":"P0"}},{{"name":"P1"}}]}},
            "teachers":[{{"name":"A"}},{{"name":"B"}},{{"name":"X"}},{{"name":"Y"}}],
            "classes":[{{"name":"C"}}],
            "lessons":[{{"id":"LA","teachers":["A"],"students":["C"]}},
              {{"id":"LB","teachers":["B"],"students":["C"]}},
              {{"id":"LX","teachers":["X"],"students":["C"]}},
              {{"id":"LY","teachers":["Y"],"students":["C"]}}],
            "constraints":[{{"type":"unavailable","teachers":["A","B"{barred}],
              "times":[{{"day":"D1","periods":["P1"]}}]}}]}}"#
        );
        let inst = serde_json::from_str::<Problem>(&json)
            .unwrap()
            .compile()
            .unwrap();
        let mut tt = Timetable::empty(&inst);
        for (e, (day, period)) in [(0, 0), (0, 0), (0, 1), (1, 0)].into_iter().enumerate() {
            tt.starts[e] = inst.grid.slot(day, period);
        }
        (inst, tt)
    }

    /// Re-solves the class's two days from LA's clash: (whether it mended, the state's
    /// timetable and cost, the reference evaluator's cost of that timetable).
    fn resolve_class(
        xy_barred: bool,
    ) -> (
        bool,
        Timetable,
        crate::eval::Cost,
        crate::eval::Cost,
        Timetable,
    ) {
        let (inst, tt) = clashing_class(xy_barred);
        let (scoring, nb) = (Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut st = State::new(&inst, &scoring, tt.clone());
        assert_eq!(st.cost().hard, 1, "the clash");
        let class = *inst.events[0].resources.last().unwrap();
        assert_eq!(inst.resource_name(class), "C");
        let mut rng = fastrand::Rng::with_seed(3);
        let mended = with_control(&SolveOptions::default(), |ctl| {
            Resolver::default().resolve(&mut st, &nb, 0, class, &mut rng, ctl)
        });
        let reference = evaluate(&inst, st.timetable()).cost;
        (mended, st.timetable().clone(), st.cost(), reference, tt)
    }

    #[test]
    fn a_class_clash_is_mended_by_placing_its_two_days_again() {
        let (mended, tt, cost, reference, _) = resolve_class(false);
        assert!(mended);
        assert_eq!((cost.hard, reference), (0, cost));
        assert!(tt.starts.iter().all(|&s| s != UNPLACED));
    }

    #[test]
    fn without_a_way_the_state_is_left_as_it_was() {
        let (mended, tt, cost, reference, before) = resolve_class(true);
        assert!(!mended);
        assert_eq!(tt, before);
        assert_eq!((cost.hard, reference), (1, cost));
    }
}
