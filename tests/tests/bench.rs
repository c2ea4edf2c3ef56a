//! Benchmark suites: every timetable a bench writes is re-read and re-evaluated to the
//! cost it reported; suite mistakes name their line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use creneau::bench::{load_suite, run_suite, table, BenchOptions};
use creneau::eval::evaluate;
use creneau::io::{load_problem, read_timetable};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("creneau-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn shared(rel: &str) -> String {
    creneau_tests::itc2007(&format!("instances/{rel}"))
        .display()
        .to_string()
}

#[test]
fn bench_solutions_evaluate_to_the_reported_costs() {
    let dir = scratch("run");
    let suite_file = dir.join("suite.toml");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/demo/lycee-small.json")
        .display()
        .to_string();
    std::fs::write(
        &suite_file,
        format!(
            "name = \"t\"\ntime_limit = 30\nseeds = [1, 2]\n\
             [[instance]]\nname = \"toy\"\nproblem = \"{}\"\nbest_known = 0\n\
             [[instance]]\nname = \"comp01\"\nproblem = \"{}\"\nbest_known = 5\n\
             [[instance]]\nname = \"lycee\"\nproblem = \"{demo}\"\n",
            shared("toy.ctt"),
            shared("comp01.ctt")
        ),
    )
    .unwrap();
    let suite = load_suite(&suite_file).unwrap();
    let opts = BenchOptions {
        jobs: 2,
        time_limit: Duration::from_secs(30),
        max_moves: Some(20_000),
        seeds: vec![1, 2],
        out_dir: dir.join("out"),
    };
    let results = run_suite(&suite, &opts, &|_, _| {}).unwrap();
    assert_eq!(results.len(), 6);
    for r in &results {
        let (_, inst) = load_problem(&suite.instances[r.instance].problem).unwrap();
        let tt = read_timetable(&r.solution, &inst).unwrap();
        assert_eq!(
            evaluate(&inst, &tt).cost,
            r.cost,
            "{}",
            r.solution.display()
        );
        assert_eq!(r.cost.hard, 0);
    }
    let md = table(&suite, &results);
    assert!(
        md.contains("| comp01 | 5 | - |") && md.contains("| **sum** |"),
        "{md}"
    );
    assert!(md.contains("| lycee | - |") && md.contains("2/2"), "{md}");
}

#[test]
fn suite_mistakes_name_the_line() {
    let dir = scratch("bad");
    let file = dir.join("bad.toml");
    std::fs::write(&file, "name = \"t\"\ntime_limit = 30\nseeds = [1]\n[[instance]]\nname = \"x\"\nproblme = \"a.ctt\"\n").unwrap();
    let err = load_suite(&file).unwrap_err().to_string();
    assert!(
        err.contains("bad.toml:6:") && err.contains("problme"),
        "{err}"
    );
}
