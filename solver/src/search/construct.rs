//! Construction: blocks placed most-constrained first, each at its cheapest start.
//! It never gives up: when no clean start exists, the least bad one is taken and the
//! local search repairs.

use crate::eval::State;
use crate::search::moves::{best_placement, move_block, Neighbourhood};

/// Places every unplaced block of `st`.
pub fn construct(st: &mut State, nb: &Neighbourhood, rng: &mut fastrand::Rng) {
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
        if let Some((_, s, w)) = best_placement(st, nb, b, offset, rng, |_, _| true) {
            move_block(st, block, s, Some(w), offset);
            st.commit();
        }
    }
}
