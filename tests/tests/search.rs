//! The search on the demo schools: valid timetables, costs re-checked by the reference
//! evaluator, reproducible runs.

use std::path::Path;

use creneau::io::load_problem as load;
use creneau::search::{solve, SolveOptions, StopReason};

fn demo(name: &str) -> creneau::model::Instance {
    load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../datasets/demo")
            .join(name),
    )
    .unwrap()
    .1
}

#[test]
fn small_demo_is_solved_and_the_reported_cost_is_the_reference_cost() {
    let inst = demo("lycee-small.json");
    let opts = SolveOptions {
        max_moves: Some(50_000),
        seed: 3,
        ..SolveOptions::default()
    };
    let r = solve(&inst, &opts, &|_| {});
    assert_eq!(r.cost.hard, 0);
    assert_eq!(
        r.search_cost, r.cost,
        "incremental cost must equal the reference evaluator's"
    );
    assert!(r.time_to_valid.is_some());
    assert!(
        matches!(r.stop, StopReason::MoveLimit | StopReason::Optimal),
        "{:?}",
        r.stop
    );
}

#[test]
fn one_thread_runs_are_reproducible() {
    let inst = demo("lycee-small.json");
    let opts = SolveOptions {
        max_moves: Some(20_000),
        seed: 11,
        ..SolveOptions::default()
    };
    let a = solve(&inst, &opts, &|_| {});
    let b = solve(&inst, &opts, &|_| {});
    assert_eq!(a.timetable, b.timetable);
}

#[test]
fn portfolio_finds_a_valid_demo_timetable() {
    let inst = demo("lycee-demo.json");
    let opts = SolveOptions {
        max_moves: Some(30_000),
        threads: 2,
        ..SolveOptions::default()
    };
    let r = solve(&inst, &opts, &|_| {});
    assert_eq!(r.cost.hard, 0);
    assert_eq!(r.search_cost, r.cost);
}

#[test]
fn cancel_returns_the_best_so_far() {
    let inst = demo("lycee-demo.json");
    let opts = SolveOptions::default();
    opts.cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let r = solve(&inst, &opts, &|_| {});
    assert_eq!(r.stop, StopReason::Cancelled);
    assert_eq!(r.search_cost, r.cost);
}
