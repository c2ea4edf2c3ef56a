//! Move evaluation throughput on the demo lycée: one element = one block moved to a
//! random start (rooms re-picked), its cost change computed, and rolled back. This is
//! the search's hot loop.

use std::path::Path;

use creneau::eval::{Scoring, State};
use creneau::io::load_problem as load;
use creneau::search::moves::{move_block, Neighbourhood};
use creneau::search::{solve, SolveOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench_moves(c: &mut Criterion) {
    let (_, inst) =
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../datasets/demo/lycee-demo.json"))
            .unwrap();
    // Start from a valid timetable, as the soft phase does.
    let start = solve(
        &inst,
        &SolveOptions {
            max_moves: Some(20_000),
            ..SolveOptions::default()
        },
        &|_| {},
    );
    let scoring = Scoring::new(&inst);
    let nb = Neighbourhood::new(&inst);
    let mut st = State::new(&inst, &scoring, start.timetable);
    let mut rng = fastrand::Rng::with_seed(1);
    const BATCH: u64 = 1000;
    let mut group = c.benchmark_group("demo-lycee");
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("move-evaluate-rollback", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for _ in 0..BATCH {
                let blk = rng.usize(..inst.blocks.len());
                let starts = &nb.block_starts[blk];
                move_block(
                    &mut st,
                    &inst.blocks[blk],
                    starts[rng.usize(..starts.len())],
                    None,
                    rng.usize(..64),
                );
                sum += st.delta().soft;
                st.rollback();
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(benches, bench_moves);
criterion_main!(benches);
