//! Property test: on random schools and random move sequences, the incremental state's
//! cost equals the reference evaluator's after every move, commit, rollback and return to
//! a savepoint; with weights raised at random, its weighted delta equals the change of
//! its weighted hard cost counted anew; the hard-only evaluation the repair uses agrees,
//! and a commit after it still keeps the soft cost right; the floor of the hard change
//! that lets the repair skip moves is never above it, nor is the floor of a swap read
//! before it is made; the index of the sessions holding
//! each slot of each teacher and student subgroup follows; the list of events in hard
//! violation agrees with asking event by event. Kempe chains (windows of periods, double
//! lessons) close as they should and keep the cost right.

use creneau::eval::{evaluate, HardDelta, Holders, Scoring, State, SCARCE_ROOM};
use creneau::generate::generate;
use creneau::model::{Instance, SessionSpec, Slot, Timetable, NO_ROOM, UNPLACED};
use creneau::search::moves::{kempe, Links, Neighbourhood};
use proptest::prelude::*;

/// Moves a random event to a random start, weeks and rooms (or unplaces it).
fn random_set(st: &mut State, inst: &Instance, rng: &mut fastrand::Rng) {
    let e = rng.u32(..inst.events.len() as u32);
    let ev = &inst.events[e as usize];
    let start = if rng.u8(..20) == 0 {
        UNPLACED
    } else {
        ev.starts[rng.usize(..ev.starts.len())]
    };
    let weeks = ev.week_options[rng.usize(..ev.week_options.len())];
    st.set(e, start, weeks, &random_rooms(inst, e, rng));
}

/// A random room (or none) for each room need of event `e`.
fn random_rooms(inst: &Instance, e: u32, rng: &mut fastrand::Rng) -> Vec<u32> {
    (inst.events[e as usize].room_needs.iter())
        .map(|c| {
            if rng.u8(..10) == 0 {
                NO_ROOM
            } else {
                c[rng.usize(..c.len())]
            }
        })
        .collect()
}

/// Two random events swap starts (rooms at random) where each may take the other's:
/// the floor the state gives before is not above the weighted hard change, and without
/// its allowance for the rules, not above the change of the weighted clashes and
/// placements. The move is committed.
fn check_swap_floor(
    inst: &Instance,
    st: &mut State,
    rng: &mut fastrand::Rng,
    step: usize,
) -> Result<(), TestCaseError> {
    let n = inst.events.len() as u32;
    let (x, y) = (rng.u32(..n), rng.u32(..n));
    let (sx, sy) = (st.start(x), st.start(y));
    let fits = |e: u32, s: Slot| inst.events[e as usize].starts.contains(&s);
    if x == y || sx == sy || !fits(x, sy) || !fits(y, sx) {
        return Ok(());
    }
    let Some(floor) = st.swap_floor(x, y) else {
        return Ok(());
    };
    let rules = st.weighted_rules();
    st.set(x, sy, st.weeks(x), &random_rooms(inst, x, rng));
    st.set(y, sx, st.weeks(y), &random_rooms(inst, y, rng));
    let weighted = st.weighted_delta().hard;
    st.commit();
    prop_assert_eq!(st.cost(), evaluate(inst, st.timetable()).cost);
    prop_assert!(
        floor <= weighted,
        "swap floor {} above the weighted change {} at step {}",
        floor,
        weighted,
        step
    );
    let clashes_and_placements = weighted - (st.weighted_rules() - rules);
    prop_assert!(
        floor + rules <= clashes_and_placements,
        "swap floor {} above the clashes' change {} at step {}",
        floor + rules,
        clashes_and_placements,
        step
    );
    Ok(())
}

/// A random event moves to a random start of its domain (rooms at random), as part of
/// the current move (begun or not): the floor the state gives before is not above the
/// whole move's weighted hard change after, and without its allowance for the rules,
/// not above the change of the weighted clashes and placements (`base` before the move).
fn check_move_floor(
    inst: &Instance,
    st: &mut State,
    rng: &mut fastrand::Rng,
    step: usize,
    base: i64,
) -> Result<(), TestCaseError> {
    let x = rng.u32(..inst.events.len() as u32);
    let starts = &inst.events[x as usize].starts;
    let s = starts[rng.usize(..starts.len())];
    let Some(floor) = st.move_floor(x, s) else {
        return Ok(());
    };
    let rules = st.weighted_rules();
    st.set(x, s, st.weeks(x), &random_rooms(inst, x, rng));
    let weighted = st.weighted_delta().hard;
    prop_assert!(
        floor <= weighted,
        "move floor {} above the weighted change {} at step {}",
        floor,
        weighted,
        step
    );
    let clashes_and_placements = st.occupancy().weighted_clashes() + st.missing() - base;
    prop_assert!(
        floor + rules <= clashes_and_placements,
        "move floor {} above the clashes' change {} at step {}",
        floor + rules,
        clashes_and_placements,
        step
    );
    Ok(())
}

/// The holders' index of `st` agrees with a count of the sessions over each slot of
/// each teacher, student subgroup and scarce room they cannot do without.
fn check_holders(inst: &Instance, st: &State, step: usize) -> Result<(), TestCaseError> {
    let slots = inst.grid.slot_count();
    let load = inst.resource_loads();
    let mut counted = vec![Holders::default(); inst.resource_count() * slots];
    for (e, ev) in inst.events.iter().enumerate() {
        let s = st.start(e as u32);
        if s == UNPLACED {
            continue;
        }
        let scarce = ev.sole_rooms().filter(|&r| load[r as usize] >= SCARCE_ROOM);
        for r in ev.resources.iter().copied().chain(scarce) {
            for h in &mut counted[r as usize * slots + s as usize..][..ev.duration as usize] {
                h.count += 1;
                h.ids ^= e as u32;
            }
        }
    }
    for (i, h) in counted.iter().enumerate() {
        let (r, t) = ((i / slots) as u32, (i % slots) as Slot);
        prop_assert_eq!(
            st.holders(r, t),
            *h,
            "holders of {} at {}, step {}",
            r,
            t,
            step
        );
    }
    Ok(())
}

/// From a random full timetable of `inst`, random move sequences: the incremental
/// delta, commit, rollback and rollback to a savepoint within a move agree with the
/// reference evaluator after every step. Day sums are looked up in tables with
/// `tables`, computed without.
fn check_random_moves(
    inst: &Instance,
    move_seed: u64,
    steps: usize,
    tables: bool,
) -> Result<(), TestCaseError> {
    let scoring = Scoring::with_table_entries(inst, if tables { usize::MAX } else { 0 });
    let mut rng = fastrand::Rng::with_seed(move_seed);
    let mut tt = Timetable::empty(inst);
    for (e, ev) in inst.events.iter().enumerate() {
        tt.starts[e] = ev.starts[rng.usize(..ev.starts.len())];
        tt.weeks[e] = ev.week_options[rng.usize(..ev.week_options.len())];
        for (k, r) in inst.room_range(e as u32).enumerate() {
            tt.rooms[r] = ev.room_needs[k][rng.usize(..ev.room_needs[k].len())];
        }
    }
    let mut st = State::new(inst, &scoring, tt.clone());
    prop_assert_eq!(st.cost(), evaluate(inst, &tt).cost);
    for step in 0..steps {
        if rng.u8(..4) == 0 {
            st.raise_weights(rng.u32(..inst.events.len() as u32));
        }
        check_swap_floor(inst, &mut st, &mut rng, step)?;
        let (before, weighted_before) = (st.cost(), st.weighted_hard());
        prop_assert_eq!(
            weighted_before - st.weighted_rules(),
            st.occupancy().weighted_clashes() + st.missing(),
            "weighted rules kept wrong before step {}",
            step
        );
        let base = st.occupancy().weighted_clashes() + st.missing();
        if rng.bool() {
            check_move_floor(inst, &mut st, &mut rng, step, base)?;
        }
        for _ in 0..rng.usize(1..4) {
            random_set(&mut st, inst, &mut rng);
        }
        check_move_floor(inst, &mut st, &mut rng, step, base)?;
        if rng.u8(..3) == 0 {
            // More changes after a savepoint (sometimes taken before any), then back.
            if rng.u8(..4) == 0 {
                st.rollback();
            }
            let (savepoint, saved) = (st.savepoint(), st.timetable().clone());
            for _ in 0..rng.usize(1..4) {
                random_set(&mut st, inst, &mut rng);
            }
            let floor = st.hard_delta_floor();
            let further = before + st.delta();
            prop_assert!(
                floor.hard <= further.hard - before.hard,
                "hard floor {} above the change at step {}",
                floor.hard,
                step
            );
            prop_assert_eq!(
                further,
                evaluate(inst, st.timetable()).cost,
                "delta wrong after savepoint at step {}",
                step
            );
            st.rollback_to(savepoint);
            prop_assert_eq!(
                st.timetable(),
                &saved,
                "savepoint not restored at step {}",
                step
            );
            check_holders(inst, &st, step)?;
        }
        // Half the time the repair's hard-only evaluation comes first, sometimes right
        // before the commit.
        let floor = st.hard_delta_floor();
        let hard_only = rng.bool().then(|| st.hard_delta());
        let moved = evaluate(inst, st.timetable()).cost;
        if let Some(h) = hard_only.filter(|_| rng.u8(..4) == 0) {
            prop_assert_eq!(before.hard + h.hard, moved.hard);
            st.commit();
            prop_assert_eq!(st.cost(), moved, "commit after hard-only delta at {}", step);
            check_holders(inst, &st, step)?;
            continue;
        }
        let (delta, weighted) = (st.delta(), st.weighted_delta().hard);
        prop_assert_eq!(before + delta, moved, "delta wrong at step {}", step);
        prop_assert!(
            floor.hard <= delta.hard && floor.weighted <= weighted,
            "floor {:?} above the change ({}, weighted {}) at step {}",
            floor,
            delta.hard,
            weighted,
            step
        );
        if let Some(h) = hard_only {
            let full = HardDelta {
                hard: delta.hard,
                weighted,
            };
            prop_assert_eq!(h, full, "hard-only delta wrong at step {}", step);
        }
        if rng.bool() {
            st.commit();
            prop_assert_eq!(st.cost(), moved);
            prop_assert_eq!(
                st.weighted_hard(),
                weighted_before + weighted,
                "weighted delta wrong at step {}",
                step
            );
        } else {
            st.rollback();
            prop_assert_eq!(st.cost(), before);
            prop_assert_eq!(st.weighted_hard(), weighted_before);
            prop_assert_eq!(
                evaluate(inst, st.timetable()).cost,
                before,
                "rollback did not restore at step {}",
                step
            );
        }
        check_holders(inst, &st, step)?;
    }
    // The repair's list of events to mend reads each resource once and asks only the
    // events that may be in violation: same events as asking event by event.
    let nb = Neighbourhood::new(inst);
    let (mut listed, mut scratch) = (Vec::new(), Vec::new());
    for placed_only in [false, true] {
        st.hard_violations(placed_only, &nb.events_of, &mut listed, &mut scratch);
        let asked: Vec<u32> = (0..inst.events.len() as u32)
            .filter(|&e| (!placed_only || st.start(e) != UNPLACED) && st.in_hard_violation(e))
            .collect();
        prop_assert_eq!(&listed, &asked);
    }
    // Rebuilding the state from its own timetable gives the same cost.
    let rebuilt = State::new(inst, &scoring, st.timetable().clone());
    prop_assert_eq!(rebuilt.cost(), st.cost());
    Ok(())
}

/// Random Kempe chains from a random timetable of `inst` (every block at a start of its
/// domain), drawn by teachers and students or by students only (through their clashes
/// or not): a refused chain changes nothing; an applied one keeps every block together,
/// leaves no moved session overlapping an unmoved one that shares a resource of its
/// links with it, and the incremental cost agrees with the reference. Returns how many
/// chains were applied.
fn check_kempe_chains(inst: &Instance, seed: u64) -> Result<usize, TestCaseError> {
    let (scoring, nb) = (Scoring::new(inst), Neighbourhood::new(inst));
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut tt = Timetable::empty(inst);
    for (b, block) in inst.blocks.iter().enumerate() {
        let s = nb.block_starts[b][rng.usize(..nb.block_starts[b].len())];
        block.iter().for_each(|&e| tt.starts[e as usize] = s);
    }
    let mut st = State::new(inst, &scoring, tt);
    let (mut chain, mut applied) = (Vec::new(), 0);
    let end = |e: usize, start: u16| start + inst.events[e].duration as u16;
    for _ in 0..300 {
        let a = rng.u32(..inst.events.len() as u32);
        let starts = &nb.block_starts[inst.block_of[a as usize] as usize];
        let target = starts[rng.usize(..starts.len())];
        let before = st.timetable().starts.clone();
        let links = [
            Links::Shared,
            Links::Students,
            Links::StudentsThroughClashes,
        ][rng.usize(..3)];
        if !kempe(&mut st, &nb, a, target, 0, &mut chain, links) {
            prop_assert_eq!(&st.timetable().starts, &before, "refused chain moved");
            continue;
        }
        st.commit();
        applied += 1;
        let now = &st.timetable().starts;
        for block in &inst.blocks {
            prop_assert!(block
                .iter()
                .all(|&e| now[e as usize] == now[block[0] as usize]));
        }
        for x in (0..now.len()).filter(|&x| now[x] != before[x]) {
            for y in nb.neighbours[x].iter().map(|&y| y as usize) {
                let linked = links == Links::Shared
                    || inst.events[x]
                        .resources
                        .iter()
                        .any(|r| inst.atoms.contains(r) && inst.events[y].resources.contains(r));
                let overlaps = now[y] < end(x, now[x]) && now[x] < end(y, now[y]);
                prop_assert!(
                    now[y] != before[y] || !overlaps || !linked,
                    "moved {} overlaps unmoved neighbour {}",
                    x,
                    y
                );
            }
        }
        prop_assert_eq!(st.cost(), evaluate(inst, st.timetable()).cost);
    }
    Ok(applied)
}

/// A FET school of the development set (from FET's timetable file, pins removed), so
/// that FET's constraint types are exercised.
fn fet_school(index: usize) -> Instance {
    let files = creneau_tests::fet_solutions();
    let mut problem = creneau::io::load(&files[index % files.len()])
        .unwrap()
        .problem;
    for l in &mut problem.lessons {
        l.sessions = vec![SessionSpec::Duration(l.sessions[0].duration())];
    }
    problem.compile().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn incremental_cost_equals_reference(school_seed in 0u64..1000, move_seed in 0u64..1000, classes in 3usize..6, tables: bool) {
        let inst = generate(classes, school_seed).compile().unwrap();
        check_random_moves(&inst, move_seed, 60, tables)?;
    }

    #[test]
    fn kempe_chains_close_on_fet_schools(school in 0usize..24, seed in 0u64..1000) {
        let applied = check_kempe_chains(&fet_school(school), seed)?;
        prop_assert!(applied > 0, "no chain applied");
    }

    #[test]
    fn incremental_cost_equals_reference_on_fet_schools(school in 0usize..24, move_seed in 0u64..1000, tables: bool) {
        check_random_moves(&fet_school(school), move_seed, 30, tables)?;
    }
}
