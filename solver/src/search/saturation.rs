//! Which block the construction places next: the one with the fewest clean starts left,
//! as DSATUR colours graphs (Brélaz, 1979) and as UniTime's construction picks the
//! variable of smallest domain. A start is *clean* when none of the block's teachers
//! and student subgroups is busy over the periods its sessions would cover (rooms are
//! left out: most sessions have a choice of them). Ties go to the block that comes
//! first in the construction's static order.
//!
//! On FET's schools this halved the construction of the schools whose classes are full
//! (`RehobothHSY2016`, `MAPS`, `Pedagogic`: `BENCHMARKS.md`): a static order leaves
//! their last lessons with no clean start, while here the lessons that are running out
//! of room go first.

use crate::eval::State;
use crate::model::{Instance, Slot, UNPLACED};
use crate::search::moves::Neighbourhood;

/// Mark of a block whose clean starts must be counted again.
const STALE: u32 = u32::MAX;

/// The blocks left to place, with their clean starts, kept up to date as sessions move:
/// only the blocks sharing a teacher or student subgroup with a session that moved are
/// counted again.
pub struct Saturation {
    days: usize,
    /// Per block and day, the periods where the block may start (its
    /// [`Neighbourhood::block_starts`]).
    start_masks: Vec<u64>,
    /// Per block, its position in the static order.
    rank: Vec<u32>,
    /// Per block, its clean starts when last counted, or [`STALE`].
    clean: Vec<u32>,
    /// Blocks not yet taken.
    left: Vec<usize>,
    /// Every event's start when the last block was taken.
    starts: Vec<Slot>,
}

impl Saturation {
    /// The blocks of `order` (every block of the instance, in the static order that
    /// breaks ties) with a session off `st`'s timetable, none taken yet.
    pub fn new(st: &State, nb: &Neighbourhood, order: Vec<usize>) -> Saturation {
        let inst = st.instance();
        let g = &inst.grid;
        let days = g.day_count();
        let mut start_masks = vec![0u64; inst.blocks.len() * days];
        for (b, starts) in nb.block_starts.iter().enumerate() {
            for &s in starts {
                start_masks[b * days + g.day(s)] |= 1 << g.period(s);
            }
        }
        let mut rank = vec![0u32; inst.blocks.len()];
        for (i, &b) in order.iter().enumerate() {
            rank[b] = i as u32;
        }
        let mut left = order;
        left.retain(|&b| unplaced(st, inst, b));
        Saturation {
            days,
            start_masks,
            rank,
            clean: vec![STALE; inst.blocks.len()],
            left,
            starts: st.timetable().starts.clone(),
        }
    }

    /// Takes the block to place next: of the blocks not yet taken that still have a
    /// session off the timetable, the one with the fewest clean starts; `None` when
    /// there is none.
    pub fn take(&mut self, st: &State, nb: &Neighbourhood) -> Option<usize> {
        let inst = st.instance();
        self.forget_moved(st, nb);
        self.left.retain(|&b| unplaced(st, inst, b));
        let mut best: Option<(u32, u32, usize)> = None;
        for i in 0..self.left.len() {
            let b = self.left[i];
            if self.clean[b] == STALE {
                self.clean[b] = self.count_clean(st, b);
            }
            let key = (self.clean[b], self.rank[b], i);
            if best.is_none_or(|k| key < k) {
                best = Some(key);
            }
        }
        let (_, _, i) = best?;
        Some(self.left.swap_remove(i))
    }

    /// Marks stale the counts of the blocks that share a teacher or student subgroup
    /// with an event that moved since the last block was taken.
    fn forget_moved(&mut self, st: &State, nb: &Neighbourhood) {
        let inst = st.instance();
        for (e, (&now, then)) in st
            .timetable()
            .starts
            .iter()
            .zip(&mut self.starts)
            .enumerate()
        {
            if now != *then {
                *then = now;
                for &r in &inst.events[e].resources {
                    for &x in &nb.events_of[r as usize] {
                        self.clean[inst.block_of[x as usize] as usize] = STALE;
                    }
                }
            }
        }
    }

    /// The starts of block `b` where none of its events' teachers and student subgroups
    /// is busy (in the weeks of the event's first week option) over the event's periods.
    fn count_clean(&self, st: &State, b: usize) -> u32 {
        let inst = st.instance();
        let occ = st.occupancy();
        let weeks = inst.grid.week_count();
        let mut clean = 0;
        for day in 0..self.days {
            let mut starts = self.start_masks[b * self.days + day];
            for &e in &inst.blocks[b] {
                if starts == 0 {
                    break;
                }
                let ev = &inst.events[e as usize];
                let in_weeks = ev.week_options.first().copied().unwrap_or(0);
                for &r in &ev.resources {
                    let busy = (0..weeks)
                        .filter(|w| in_weeks >> w & 1 == 1)
                        .fold(0, |m, w| m | occ.day_mask(r, w, day));
                    // A start is blocked when one of the periods it covers is busy.
                    let blocked = (0..ev.duration).fold(0, |m, k| m | busy >> k);
                    starts &= !blocked;
                }
            }
            clean += starts.count_ones();
        }
        clean
    }
}

/// Whether a session of block `b` is off `st`'s timetable.
fn unplaced(st: &State, inst: &Instance, b: usize) -> bool {
    inst.blocks[b].iter().any(|&e| st.start(e) == UNPLACED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Scoring;
    use crate::model::{Problem, Timetable};

    /// Two days of three periods. X and W (two periods long) are teacher T0's lessons
    /// to class C0, Y is T0's to C1, Z (two periods long) is T1's to C2. X is at
    /// D0 P0, the others are off the timetable. In a static order Z would come last.
    #[test]
    fn the_block_with_fewest_clean_starts_is_taken_and_moves_recount_its_neighbours() {
        let json = r#"{"name":"t","time":{"days":["D0","D1"],"periods":[{"name":"P0"},{"name":"P1"},{"name":"P2"}]},
            "teachers":[{"name":"T0"},{"name":"T1"}],
            "classes":[{"name":"C0"},{"name":"C1"},{"name":"C2"}],
            "lessons":[
              {"id":"X","teachers":["T0"],"students":["C0"]},
              {"id":"W","teachers":["T0"],"students":["C0"],"sessions":[2]},
              {"id":"Y","teachers":["T0"],"students":["C1"]},
              {"id":"Z","teachers":["T1"],"students":["C2"],"sessions":[2]}]}"#;
        let inst = serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap();
        let (x, w, y, z) = (0, 1, 2, 3);
        for b in [x, w, y, z] {
            assert_eq!(inst.blocks[b], [b as u32], "one session per block");
        }
        let (scoring, nb) = (Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut tt = Timetable::empty(&inst);
        let slot = |day, period| inst.grid.slot(day, period);
        tt.starts[x] = slot(0, 0);
        let mut st = State::new(&inst, &scoring, tt);
        let mut blocks = Saturation::new(&st, &nb, vec![x, y, z, w]);
        // W may start at P0 and P1 of each day, not at D0 P0 where X is: 3 clean
        // starts, against 4 for Z and 5 for Y.
        assert_eq!(blocks.count_clean(&st, w), 3);
        assert_eq!(blocks.take(&st, &nb), Some(w));
        assert_eq!(blocks.clean[z], 4);
        assert_eq!(blocks.clean[y], 5);
        // W at D1 P0 covers D1 P0 and P1 of T0: Y keeps 3 clean starts, fewer than Z.
        st.set(w as u32, slot(1, 0), 1, &[]);
        st.commit();
        assert_eq!(blocks.take(&st, &nb), Some(y));
        assert_eq!(blocks.clean[y], 3);
        assert_eq!(blocks.take(&st, &nb), Some(z));
        assert_eq!(blocks.take(&st, &nb), None, "X was placed from the start");
    }
}
