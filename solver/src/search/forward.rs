//! Iterative forward search, as UniTime's solver and FET's placement work: the timetable
//! never holds a clash. Each step takes a block off the timetable and puts it at the
//! start where it costs least, taking off every block it would clash with; those wait
//! their turn. Blocks often taken off weigh more (with a decay), so that the search
//! learns which ones are hard to place and stops pushing them out.
//!
//! Rules against holes and short days (no gaps, an early start, a minimum per day) break
//! as soon as sessions wait; their cost is forgiven up to what the waiting sessions
//! could mend ([`Completion`], as FET does). The portfolio runs forward search only
//! where every hard rule either stays met as sessions come off or is forgiven so
//! ([`crate::search::completion::suits`]), and only in some workers: it beats
//! min-conflicts repair on `Spain/1-school`, `Arabic_Saudi_1`, `MHS_Covid_Final` and
//! `Pedagogic` (`BENCHMARKS.md`), and hands over to the repair when it stalls.

use crate::eval::State;
use crate::model::{EventId, Instance, Slot, Timetable, UNPLACED};
use crate::search::completion::Completion;
use crate::search::moves::{evict_clashes, move_block, Neighbourhood};
use crate::search::portfolio::Control;

/// Weight of a block taken off one step ago, against one hard cost unit.
const EVICTION_WEIGHT: f64 = 0.1;

/// Per step, the weight of past evictions is multiplied by this.
const EVICTION_DECAY: f64 = 0.999;

/// A block taken off may not come back to the start it left for this many steps (plus
/// as many at random).
const TENURE: u64 = 8;

/// Share of steps that place the block at a random start.
const RANDOM_STEPS: f64 = 0.02;

/// Steps without a new best hard cost after which the search gives up. It finds its
/// best early: at 5,000, half of `Germany/secondary-school-1`'s forward search was
/// spent waiting for a better one, and at 1,000 its median time to valid is 12 %
/// shorter (`BENCHMARKS.md`, 2026-12-05).
const STALL_STEPS: u64 = 1_000;

/// Drives the hard cost down by forward search, until it is zero, the run stops, or
/// [`STALL_STEPS`] steps bring nothing new; then leaves `st` at the best timetable it
/// saw, by hard cost less what is forgiven, or where it stands if none beat the start
/// (going back to the start measured as noise: `BENCHMARKS.md`). Blocks in a clash are
/// taken off first. The timetable left may have blocks off it: the caller repairs them.
pub fn forward(st: &mut State, nb: &Neighbourhood, rng: &mut fastrand::Rng, ctl: &mut Control) {
    let inst = st.instance();
    let slots = inst.grid.slot_count();
    let mut tabu = vec![0u64; inst.blocks.len() * slots];
    // Eviction weights, in units of `unit`, the weight of an eviction now.
    let mut weight = vec![0f64; inst.blocks.len()];
    let mut unit = 1.0f64;
    let mut waiting: Vec<usize> = (0..inst.blocks.len())
        .filter(|&b| take_off_if_clashing(st, &inst.blocks[b]))
        .collect();
    st.commit();
    // The search's hard cost is the state's less what the waiting sessions may mend.
    let mut completion = Completion::new(st);
    let mut evicted: Vec<(usize, Slot)> = Vec::new();
    let mut conflicted: Vec<usize> = Vec::new();
    let mut best_hard = completion.hard(st);
    let mut best: Option<Timetable> = None;
    let (mut iter, mut last_best) = (0u64, 0u64);
    loop {
        if st.cost().hard == 0 || ctl.tick() {
            return;
        }
        if iter - last_best > STALL_STEPS {
            // Wandered off since: the repair starts from the best.
            if let Some(tt) = best.take() {
                *st = State::new(inst, st.scoring(), tt);
            }
            return;
        }
        iter += 1;
        unit /= EVICTION_DECAY;
        if unit > 1e100 {
            weight.iter_mut().for_each(|w| *w /= unit);
            unit = 1.0;
        }
        let b = if waiting.is_empty() {
            // Every block placed, another hard rule broken: take one of its blocks off.
            conflicted.clear();
            conflicted.extend(
                (0..inst.events.len() as EventId)
                    .filter(|&e| st.in_hard_violation(e))
                    .map(|e| inst.block_of[e as usize] as usize),
            );
            if conflicted.is_empty() {
                return;
            }
            let b = conflicted[rng.usize(..conflicted.len())];
            let from = st.start(inst.blocks[b][0]);
            inst.blocks[b].iter().for_each(|&e| st.unplace(e));
            st.commit();
            completion.update(st, inst.blocks[b].iter().copied());
            tabu[b * slots + from as usize] = iter + TENURE + rng.u64(..TENURE);
            b
        } else {
            waiting.swap_remove(rng.usize(..waiting.len()))
        };
        let block = &inst.blocks[b];
        if st.start(block[0]) != UNPLACED {
            continue; // Placed again since it was queued.
        }
        let offset = rng.usize(..64);
        let random = rng.f64() < RANDOM_STEPS;
        let (hard, before) = (completion.hard(st), st.savepoint());
        let mut choice: Option<(f64, u64, Slot)> = None;
        for &s in &nb.block_starts[b] {
            move_block(st, block, s, None, offset);
            evicted.clear();
            evict_clashes(st, nb, block, &mut evicted);
            let d = st.delta().hard - completion.delta(st, moved(inst, block, &evicted));
            st.rollback_to(before);
            // A tabu start is allowed when it gives a new best.
            if tabu[b * slots + s as usize] > iter && hard + d >= best_hard {
                continue;
            }
            let pushed: f64 = evicted.iter().map(|&(x, _)| weight[x]).sum();
            let value = if random {
                0.0
            } else {
                d as f64 + EVICTION_WEIGHT * pushed / unit
            };
            let tie = rng.u64(..);
            if choice.is_none_or(|(v, t, _)| (value, tie) < (v, t)) {
                choice = Some((value, tie, s));
            }
        }
        let Some((_, _, s)) = choice else {
            waiting.push(b); // Every start tabu: later.
            continue;
        };
        move_block(st, block, s, None, offset);
        evicted.clear();
        evict_clashes(st, nb, block, &mut evicted);
        st.commit();
        completion.update(st, moved(inst, block, &evicted));
        for &(x, from) in &evicted {
            weight[x] += unit;
            tabu[x * slots + from as usize] = iter + TENURE + rng.u64(..TENURE);
            waiting.push(x);
        }
        if completion.hard(st) < best_hard {
            best_hard = completion.hard(st);
            last_best = iter;
            best = Some(st.timetable().clone());
        }
        ctl.improved(st);
    }
}

/// The sessions of `block` and of the blocks it pushed out.
fn moved<'a>(
    inst: &'a Instance,
    block: &'a [EventId],
    evicted: &'a [(usize, Slot)],
) -> impl Iterator<Item = EventId> + 'a {
    let pushed_out = evicted.iter().flat_map(|&(x, _)| inst.blocks[x].iter());
    block.iter().chain(pushed_out).copied()
}

/// Takes `block` off the timetable, as part of the current move, if one of its sessions
/// shares a teacher, student subgroup or room with another at the same time; true if it
/// is off the timetable now.
fn take_off_if_clashing(st: &mut State, block: &[EventId]) -> bool {
    let clashing = block.iter().any(|&e| st.in_clash(e));
    if clashing {
        block.iter().for_each(|&e| st.unplace(e));
    }
    clashing || block.iter().any(|&e| st.start(e) == UNPLACED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate, Scoring};
    use crate::model::{Problem, Timetable};
    use crate::search::portfolio::{with_control, SolveOptions};

    /// A generated lycée with only the rules that forward search is for.
    fn monotone_school(classes: usize, seed: u64) -> Problem {
        let mut p = crate::generate::generate(classes, seed);
        let inst = p.compile().unwrap();
        let keep: Vec<bool> = inst.constraints.iter().map(|c| c.rule.monotone()).collect();
        assert!(
            keep.contains(&false),
            "the generator has rules of both kinds"
        );
        let mut k = keep.iter();
        p.constraints.retain(|_| *k.next().unwrap());
        p
    }

    /// Runs forward search on `p` from every block at a random start of its domain
    /// (random by `seed`); checks that no clash is left and that the state agrees with
    /// the reference, whose report it returns.
    fn forward_from_random_starts(p: Problem, seed: u64) -> crate::eval::Report {
        let inst = p.compile().unwrap();
        let (scoring, nb) = (Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut tt = Timetable::empty(&inst);
        for (b, block) in inst.blocks.iter().enumerate() {
            let s = nb.block_starts[b][rng.usize(..nb.block_starts[b].len())];
            block.iter().for_each(|&e| tt.starts[e as usize] = s);
        }
        let mut st = State::new(&inst, &scoring, tt);
        assert!(st.occupancy().clashes() > 0);
        let opts = SolveOptions {
            max_moves: Some(200_000),
            ..SolveOptions::default()
        };
        with_control(&opts, |ctl| forward(&mut st, &nb, &mut rng, ctl));
        let report = evaluate(&inst, st.timetable());
        assert_eq!(
            st.cost(),
            report.cost,
            "the state agrees with the reference"
        );
        assert_eq!(report.entries[0].label, "clashes");
        assert_eq!(report.entries[0].cost, 0, "no clash left");
        report
    }

    #[test]
    fn forward_search_solves_from_a_clashing_timetable_and_never_leaves_a_clash() {
        let report = forward_from_random_starts(monotone_school(8, 3), 5);
        assert_eq!(report.cost.hard, 0, "{:?}", report.by_kind());
    }

    /// A generated lycée with the rules forward search is for, and its students' gap
    /// limit hard: forgiven while their sessions wait.
    #[test]
    fn forward_search_solves_a_school_with_a_hard_gap_limit() {
        let mut p = monotone_school(8, 3);
        let mut gaps = crate::generate::generate(8, 3)
            .constraints
            .into_iter()
            .find(|c| c.rule.type_name() == "max_gaps_per_day")
            .expect("the generator limits students' gaps");
        gaps.hard = true;
        p.constraints.push(gaps);
        assert!(crate::search::completion::suits(&p.compile().unwrap()));
        let report = forward_from_random_starts(p, 7);
        assert_eq!(report.cost.hard, 0, "{:?}", report.by_kind());
    }

    #[test]
    fn a_clashing_block_is_taken_off_and_the_one_it_clashed_with_stays() {
        let inst = monotone_school(2, 1).compile().unwrap();
        let scoring = Scoring::new(&inst);
        // Every session at the first start of its domain: most clash.
        let nb = Neighbourhood::new(&inst);
        let mut tt = Timetable::empty(&inst);
        for (b, block) in inst.blocks.iter().enumerate() {
            block
                .iter()
                .for_each(|&e| tt.starts[e as usize] = nb.block_starts[b][0]);
        }
        let mut st = State::new(&inst, &scoring, tt);
        let off: Vec<usize> = (0..inst.blocks.len())
            .filter(|&b| take_off_if_clashing(&mut st, &inst.blocks[b]))
            .collect();
        st.commit();
        assert_eq!(st.occupancy().clashes(), 0);
        assert!(!off.is_empty() && off.len() < inst.blocks.len());
        assert_eq!(st.cost(), evaluate(&inst, st.timetable()).cost);
    }

    #[test]
    fn monotone_rules_never_cost_more_when_a_session_comes_off() {
        let inst = crate::generate::generate(3, 7).compile().unwrap();
        let mut rng = fastrand::Rng::with_seed(11);
        let mut tt = Timetable::empty(&inst);
        for (e, ev) in inst.events.iter().enumerate() {
            tt.starts[e] = ev.starts[rng.usize(..ev.starts.len())];
        }
        let mut before = evaluate(&inst, &tt);
        let mut rises = [0, 0]; // Of non-monotone rules, of monotone ones.
        for e in rng.choose_multiple(0..inst.events.len(), 60) {
            tt.starts[e] = UNPLACED;
            let after = evaluate(&inst, &tt);
            // Entries: clashes, placement, then the constraints in order.
            for (c, constraint) in inst.constraints.iter().enumerate() {
                let (old, new) = (&before.entries[c + 2], &after.entries[c + 2]);
                assert_eq!(old.label, constraint.label);
                if new.cost > old.cost {
                    rises[constraint.rule.monotone() as usize] += 1;
                }
            }
            before = after;
        }
        assert_eq!(rises[1], 0, "a monotone rule cost more");
        assert!(rises[0] > 0, "the test sees rules that do rise");
    }
}
