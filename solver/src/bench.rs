//! Benchmark suites: a TOML file naming instances, reference values, a time limit and
//! seeds; every (instance, seed) run is solved on one thread, runs in parallel, each
//! timetable written to a file, and the results summed up in a Markdown table.
//!
//! ```toml
//! name = "ITC-2007 track 3 (UD2)"
//! time_limit = 60          # seconds per run
//! seeds = [1, 2, 3]
//!
//! [[instance]]
//! name = "comp01"
//! problem = "../../../shared/datasets/itc2007-cbctt/instances/comp01.ctt"  # from this file
//! best_known = 5
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use serde::Deserialize;

use crate::eval::Cost;
use crate::io::{load_problem, read_text, write_timetable, Error};
use crate::search::{solve, SolveOptions};

/// A benchmark suite.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Title of the table.
    pub name: String,
    /// Seconds per run.
    pub time_limit: f64,
    /// Seeds, one run each per instance.
    pub seeds: Vec<u64>,
    /// The instances.
    #[serde(rename = "instance")]
    pub instances: Vec<SuiteInstance>,
}

/// One instance of a suite.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteInstance {
    /// Short name (also the solution file names).
    pub name: String,
    /// Problem file, relative to the suite file.
    pub problem: PathBuf,
    /// Best known soft cost, when published.
    #[serde(default)]
    pub best_known: Option<i64>,
    /// Proven lower bound, when known.
    #[serde(default)]
    pub lower_bound: Option<i64>,
}

/// Reads a suite file; problem paths become relative to the working directory.
pub fn load_suite(file: &Path) -> Result<Suite, Error> {
    let text = read_text(file)?;
    let mut suite: Suite = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
        Error::Line {
            file: file.to_path_buf(),
            line,
            message: e.message().to_string(),
        }
    })?;
    let dir = file.parent().unwrap_or(Path::new("."));
    for inst in &mut suite.instances {
        inst.problem = dir.join(&inst.problem);
    }
    Ok(suite)
}

/// How to run a suite.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Runs at the same time.
    pub jobs: usize,
    /// Time limit per run.
    pub time_limit: Duration,
    /// Move budget per run (reproducible runs), if any.
    pub max_moves: Option<u64>,
    /// Seeds.
    pub seeds: Vec<u64>,
    /// Folder for the solution files and the table.
    pub out_dir: PathBuf,
}

/// The result of one run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Index of the instance in the suite.
    pub instance: usize,
    /// Seed.
    pub seed: u64,
    /// Cost of the timetable (reference evaluator).
    pub cost: Cost,
    /// Seconds to the first valid timetable.
    pub time_to_valid: Option<f64>,
    /// Where the timetable was written.
    pub solution: PathBuf,
}

/// Runs every (instance, seed) of `suite`, `opts.jobs` at a time, writing each
/// timetable into `opts.out_dir` (`.sol` for ITC-2007 instances, JSON otherwise).
/// `on_run` is called as each run ends. Results are in suite order.
pub fn run_suite(
    suite: &Suite,
    opts: &BenchOptions,
    on_run: &(dyn Fn(&Suite, &RunResult) + Sync),
) -> Result<Vec<RunResult>, Error> {
    std::fs::create_dir_all(&opts.out_dir).map_err(|error| Error::Io {
        file: opts.out_dir.clone(),
        error,
    })?;
    let instances = suite
        .instances
        .iter()
        .map(|i| load_problem(&i.problem).map(|(_, inst)| inst))
        .collect::<Result<Vec<_>, _>>()?;
    let runs: Vec<(usize, u64)> = (0..instances.len())
        .flat_map(|i| opts.seeds.iter().map(move |&s| (i, s)))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .expect("thread pool");
    pool.install(|| {
        runs.par_iter()
            .map(|&(i, seed)| {
                let inst = &instances[i];
                let solve_opts = SolveOptions {
                    time_limit: opts.time_limit,
                    max_moves: opts.max_moves,
                    seed,
                    ..SolveOptions::default()
                };
                let result = solve(inst, &solve_opts, &|_| {});
                let ext = if suite.instances[i]
                    .problem
                    .extension()
                    .is_some_and(|e| e == "ctt")
                {
                    "sol"
                } else {
                    "json"
                };
                let solution = opts
                    .out_dir
                    .join(format!("{}-seed{seed}.{ext}", suite.instances[i].name));
                write_timetable(&solution, inst, &result.timetable, result.cost)?;
                let run = RunResult {
                    instance: i,
                    seed,
                    cost: result.cost,
                    time_to_valid: result.time_to_valid.map(|d| d.as_secs_f64()),
                    solution,
                };
                on_run(suite, &run);
                Ok(run)
            })
            .collect()
    })
}

/// The Markdown table of a suite's results: per instance the reference values, the
/// best, median (lower median for an even number of runs) and worst soft cost over the
/// seeds, valid runs and median time to the first valid timetable; then the sums.
pub fn table(suite: &Suite, results: &[RunResult]) -> String {
    let mut out = String::from(
        "| instance | best known | lower bound | best | median | worst | valid runs | median time to valid (s) |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut sums = [Some(0i64); 4]; // best known, best, median, worst
    let show = |v: Option<i64>| v.map_or("-".to_string(), |v| v.to_string());
    for (i, inst) in suite.instances.iter().enumerate() {
        let mut runs: Vec<&RunResult> = results.iter().filter(|r| r.instance == i).collect();
        runs.sort_by_key(|r| r.cost);
        let valid = runs.iter().filter(|r| r.cost.hard == 0).count();
        let pick = |k: usize| {
            runs.get(k)
                .filter(|r| r.cost.hard == 0)
                .map(|r| r.cost.soft)
        };
        let n = runs.len();
        let (best, median, worst) = if n == 0 {
            (None, None, None)
        } else {
            (pick(0), pick((n - 1) / 2), pick(n - 1))
        };
        for (sum, v) in sums.iter_mut().zip([inst.best_known, best, median, worst]) {
            *sum = sum.zip(v).map(|(a, b)| a + b);
        }
        let mut times: Vec<f64> = runs.iter().filter_map(|r| r.time_to_valid).collect();
        times.sort_by(f64::total_cmp);
        let time = times
            .get(times.len().saturating_sub(1) / 2)
            .map_or("-".to_string(), |t| format!("{t:.2}"));
        out += &format!(
            "| {} | {} | {} | {} | {} | {} | {valid}/{n} | {time} |\n",
            inst.name,
            show(inst.best_known),
            show(inst.lower_bound),
            show(best),
            show(median),
            show(worst)
        );
    }
    out += &format!(
        "| **sum** | {} | | {} | {} | {} | | |\n",
        show(sums[0]),
        show(sums[1]),
        show(sums[2]),
        show(sums[3])
    );
    out
}
