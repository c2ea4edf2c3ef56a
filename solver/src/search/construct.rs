//! Construction: blocks placed most-constrained first, each at its cheapest start.
//! It never gives up: when no clean start exists, the least bad one is taken, and a
//! short repair of the sessions placed so far follows (as FET displaces activities to
//! make room for the next one), within a budget of repair steps for the whole
//! construction in the first worker's order; what is left, the local search repairs.

use crate::eval::State;
use crate::model::{Event, Instance};
use crate::search::local::Repairer;
use crate::search::moves::{best_placement, move_block, Neighbourhood};
use crate::search::portfolio::Control;

/// Most repair steps after one placement.
const REPAIR_STEPS: u64 = 30;

/// Repair steps a construction in [`Order::Slack`] may take, per block: once they are
/// spent, the blocks left are placed without repairs, and the repair that follows the
/// construction takes over. Where most placements clash (`Pedagogic`: 318 of 685) the
/// repairs after them cost more than they mend, and the repair of the whole timetable
/// is faster; elsewhere (`VietNamHungYen`) the last placements' repairs pay, so the
/// other orders repair without a budget (measured on FET's schools: see
/// `BENCHMARKS.md`).
const REPAIR_BUDGET_PER_BLOCK: u64 = 4;

/// A resource is *saturated* when its sessions ask at least this share of the periods
/// it is available.
const SATURATED: f64 = 0.9;

/// In which order the construction places the blocks. Which is best depends on the
/// school (measured on FET's schools: see `BENCHMARKS.md`), so the workers of a
/// portfolio take them in turn ([`Order::nth`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Blocks on a saturated resource first, then fewest starts weighted by the load of
    /// their busiest resource.
    Slack,
    /// Blocks whose busiest resource is most loaded first (by tenths), then fewest
    /// starts.
    Load,
    /// Fewest starts weighted by the load of their busiest resource.
    WeightedStarts,
    /// Fewest starts first.
    Starts,
}

impl Order {
    /// The orders, taken in turn.
    const ALL: [Order; 4] = [
        Order::Slack,
        Order::Load,
        Order::WeightedStarts,
        Order::Starts,
    ];

    /// The `n`-th order of the rotation.
    pub fn nth(n: usize) -> Order {
        Order::ALL[n % Order::ALL.len()]
    }

    /// Repair steps a construction in this order may take for `blocks` blocks (see
    /// [`REPAIR_BUDGET_PER_BLOCK`]).
    fn repair_budget(self, blocks: usize) -> u64 {
        match self {
            Order::Slack => REPAIR_BUDGET_PER_BLOCK * blocks as u64,
            _ => u64::MAX,
        }
    }
}

/// The blocks of `inst` in `order`, ties broken at random, then by most periods of
/// resources to place.
fn placement_order(
    inst: &Instance,
    nb: &Neighbourhood,
    order: Order,
    rng: &mut fastrand::Rng,
) -> Vec<usize> {
    let weight = |b: usize| -> i64 {
        inst.blocks[b]
            .iter()
            .map(|&e| {
                inst.events[e as usize].resources.len() as i64
                    * inst.events[e as usize].duration as i64
            })
            .sum()
    };
    let load = block_loads(inst);
    let starts = |b: usize| nb.block_starts[b].len() as f64;
    // Fewer starts count as more when the busiest resource is loaded.
    let weighted = |b: usize| (starts(b) * (1.0 - SATURATED * load[b]) * 100.0) as i64;
    let mut blocks: Vec<usize> = (0..inst.blocks.len()).collect();
    rng.shuffle(&mut blocks);
    match order {
        Order::Slack => blocks.sort_by_key(|&b| (load[b] < SATURATED, weighted(b), -weight(b))),
        Order::Load => {
            blocks.sort_by_key(|&b| (-(load[b] * 10.0) as i64, starts(b) as i64, -weight(b)))
        }
        Order::WeightedStarts => blocks.sort_by_key(|&b| (weighted(b), -weight(b))),
        Order::Starts => blocks.sort_by_key(|&b| (starts(b) as i64, -weight(b))),
    }
    blocks
}

/// Places every unplaced block of `st`, in `order`; the repairs after placements move
/// a block to a random start with chance `random_moves` ([`Repairer::new`]).
pub fn construct(
    st: &mut State,
    nb: &Neighbourhood,
    order: Order,
    random_moves: f64,
    rng: &mut fastrand::Rng,
    ctl: &mut Control,
) {
    let mut repairer = Repairer::new(st.instance(), random_moves);
    let inst = st.instance();
    let budget = order.repair_budget(inst.blocks.len());
    for b in placement_order(inst, nb, order, rng) {
        let block = &inst.blocks[b];
        if block.iter().all(|&e| st.start(e) != crate::model::UNPLACED) {
            continue;
        }
        let offset = rng.usize(..64);
        if let Some((d, s, w)) = best_placement(st, nb, b, offset, rng, false, None, |_, _| true) {
            move_block(st, block, s, Some(w), offset);
            st.commit();
            // Placing n sessions cleanly lowers the hard cost by n (placement rule).
            if d.hard > -(block.len() as i64) && repairer.steps() < budget {
                repairer.run(st, nb, rng, ctl, REPAIR_STEPS, true);
            }
        }
    }
}

/// Per block, the load of its busiest resource ([`Instance::resource_loads`]); a room need
/// weighs with the least loaded of its candidates, optional needs do not count.
fn block_loads(inst: &Instance) -> Vec<f64> {
    let load = inst.resource_loads();
    let event_load = |ev: &Event| {
        let own = ev.resources.iter().map(|&r| load[r as usize]);
        let rooms = (0..ev.room_needs.len())
            .filter(|&k| !ev.room_optional(k))
            .map(|k| {
                ev.room_needs[k]
                    .iter()
                    .map(|&r| load[r as usize])
                    .fold(f64::MAX, f64::min)
            });
        own.chain(rooms).fold(0.0, f64::max)
    };
    inst.blocks
        .iter()
        .map(|b| {
            b.iter()
                .map(|&e| event_load(&inst.events[e as usize]))
                .fold(0.0, f64::max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Problem;
    use crate::search::portfolio::QUIET_RANDOM_MOVES;

    /// Two days of two periods; the gym (the only room of the PE lessons) is asked
    /// for all 4 periods; classes C0 and C1, the busiest resources of the other
    /// lessons, for 3.
    fn school() -> Instance {
        let json = r#"{"name":"t","time":{"days":["D0","D1"],"periods":[{"name":"P0"},{"name":"P1"}]},
            "teachers":[{"name":"T0"},{"name":"T1"},{"name":"T2"},{"name":"T3"},{"name":"T4"}],
            "classes":[{"name":"C0"},{"name":"C1"},{"name":"C2"},{"name":"C3"}],
            "rooms":[{"name":"Gym"}],
            "lessons":[
              {"id":"M0","teachers":["T0"],"students":["C0"],"sessions":[1,1]},
              {"id":"M1","teachers":["T1"],"students":["C1"],"sessions":[1,1]},
              {"id":"PE0","teachers":["T2"],"students":["C0"],"rooms":[{"one_of":["Gym"]}]},
              {"id":"PE1","teachers":["T3"],"students":["C1"],"rooms":[{"one_of":["Gym"]}]},
              {"id":"PE2","teachers":["T4"],"students":["C2"],"rooms":[{"one_of":["Gym"]}]},
              {"id":"PE3","teachers":["T4"],"students":["C3"],"rooms":[{"one_of":["Gym"]}]}]}"#;
        serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap()
    }

    #[test]
    fn loads_count_the_busiest_resource_of_a_block() {
        let inst = school();
        let load = block_loads(&inst);
        for (b, block) in inst.blocks.iter().enumerate() {
            let gym = inst.events[block[0] as usize].room_needs.len() == 1;
            assert_eq!(load[b], if gym { 1.0 } else { 0.75 }, "block {b}");
        }
    }

    /// Repair steps of a construction in `order`, and the budget of the slack order, on
    /// a school where every placement after the fourth clashes (one teacher, 12
    /// lessons, 4 periods) and no repair can mend it; checks the state against the
    /// reference.
    fn construction_steps(order: Order) -> (u64, u64) {
        let json = r#"{"name":"t","time":{"days":["D0","D1"],"periods":[{"name":"P0"},{"name":"P1"}]},
            "teachers":[{"name":"T"}],"classes":[{"name":"C"}],
            "lessons":[{"id":"L","teachers":["T"],"students":["C"],"sessions":[1,1,1,1,1,1,1,1,1,1,1,1]}]}"#;
        let inst = serde_json::from_str::<Problem>(json)
            .unwrap()
            .compile()
            .unwrap();
        let (scoring, nb) = (crate::eval::Scoring::new(&inst), Neighbourhood::new(&inst));
        let mut st = State::new(&inst, &scoring, crate::model::Timetable::empty(&inst));
        let mut rng = fastrand::Rng::with_seed(1);
        let opts = crate::search::portfolio::SolveOptions::default();
        let steps = crate::search::portfolio::with_control(&opts, |ctl| {
            construct(&mut st, &nb, order, QUIET_RANDOM_MOVES, &mut rng, ctl);
            ctl.moves()
        });
        assert_eq!(st.cost(), crate::eval::evaluate(&inst, st.timetable()).cost);
        (steps, REPAIR_BUDGET_PER_BLOCK * inst.blocks.len() as u64)
    }

    #[test]
    fn the_slack_order_repairs_within_its_budget_the_others_do_not() {
        let (steps, budget) = construction_steps(Order::Slack);
        assert!(steps >= budget, "the repairs ran: {steps} steps");
        assert!(steps < budget + REPAIR_STEPS, "{steps} steps");
        // 8 clashing placements, each repaired for up to 30 steps.
        let (steps, _) = construction_steps(Order::Load);
        assert!(steps > budget + REPAIR_STEPS, "{steps} steps");
    }

    #[test]
    fn slack_order_places_the_saturated_room_first() {
        let inst = school();
        let nb = Neighbourhood::new(&inst);
        let mut rng = fastrand::Rng::with_seed(7);
        let order = placement_order(&inst, &nb, Order::Slack, &mut rng);
        let gym = |b: usize| inst.events[inst.blocks[b][0] as usize].room_needs.len() == 1;
        assert!(order[..4].iter().all(|&b| gym(b)), "{order:?}");
        assert_eq!(order.len(), inst.blocks.len());
    }
}
