//! Construction: blocks placed most-constrained first, each at its cheapest start.
//! It never gives up: when no clean start exists, the least bad one is taken, and a
//! short repair of the sessions placed so far follows (as FET displaces activities to
//! make room for the next one); what is left, the local search repairs.

use crate::eval::State;
use crate::search::local::Repairer;
use crate::search::moves::{best_placement, move_block, Neighbourhood};
use crate::search::portfolio::Control;

/// Most repair steps after one placement.
const REPAIR_STEPS: u64 = 30;

/// Places every unplaced block of `st`.
pub fn construct(st: &mut State, nb: &Neighbourhood, rng: &mut fastrand::Rng, ctl: &mut Control) {
    let mut repairer = Repairer::new(st.instance());
    let inst = st.instance();
    let mut order: Vec<usize> = (0..inst.blocks.len()).collect();
    // Fewest starts first; then most periods of resources to place.
    let weight = |b: usize| -> i64 {
        inst.blocks[b]
            .iter()
            .map(|&e| {
                inst.events[e as usize].resources.len() as i64
                    * inst.events[e as usize].duration as i64
            })
            .sum()
    };
    rng.shuffle(&mut order);
    order.sort_by_key(|&b| (nb.block_starts[b].len(), -weight(b)));
    for b in order {
        let block = &inst.blocks[b];
        if block.iter().all(|&e| st.start(e) != crate::model::UNPLACED) {
            continue;
        }
        let offset = rng.usize(..64);
        if let Some((d, s, w)) = best_placement(st, nb, b, offset, rng, false, |_, _| true) {
            move_block(st, block, s, Some(w), offset);
            st.commit();
            // Placing n sessions cleanly lowers the hard cost by n (placement rule).
            if d.hard > -(block.len() as i64) {
                repairer.run(st, nb, rng, ctl, REPAIR_STEPS, true);
            }
        }
    }
}
