//! `creneau bench`: run a benchmark suite and print its Markdown table.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{bail, Result};
use clap::Args;
use creneau::bench::{load_suite, run_suite, table, BenchOptions};
use creneau::io::write_atomic;

#[derive(Args)]
pub struct BenchArgs {
    /// Suite file (TOML), e.g. benches/suites/itc2007.toml.
    suite: PathBuf,
    /// Runs at the same time (each on one thread).
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Time limit per run, overriding the suite's (e.g. `60s`).
    #[arg(long, value_parser = crate::solve::parse_duration)]
    time_limit: Option<Duration>,
    /// Seeds, overriding the suite's (e.g. `1,2,3`).
    #[arg(long, value_delimiter = ',')]
    seeds: Option<Vec<u64>>,
    /// Move budget per run: reproducible runs whatever the machine.
    #[arg(long)]
    moves: Option<u64>,
    /// Only these instances (e.g. `comp01,comp05`).
    #[arg(long, value_delimiter = ',')]
    only: Option<Vec<String>>,
    /// Folder for the timetables and the table (default `out/bench/SUITE`).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: BenchArgs) -> Result<()> {
    let mut suite = load_suite(&args.suite)?;
    if let Some(only) = &args.only {
        if let Some(unknown) = only
            .iter()
            .find(|n| !suite.instances.iter().any(|i| &i.name == *n))
        {
            bail!("--only: the suite has no instance \"{unknown}\"");
        }
        suite.instances.retain(|i| only.contains(&i.name));
    }
    let stem = args
        .suite
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let opts = BenchOptions {
        jobs: args.jobs.max(1),
        time_limit: args
            .time_limit
            .unwrap_or(Duration::from_secs_f64(suite.time_limit)),
        max_moves: args.moves,
        seeds: args.seeds.unwrap_or_else(|| suite.seeds.clone()),
        out_dir: args
            .out
            .unwrap_or_else(|| PathBuf::from("out/bench").join(stem)),
    };
    let total = suite.instances.len() * opts.seeds.len();
    let done = AtomicUsize::new(0);
    eprintln!(
        "{}: {total} runs, {} at a time, {:?} each",
        suite.name, opts.jobs, opts.time_limit
    );
    let results = run_suite(&suite, &opts, &|suite, run| {
        let k = done.fetch_add(1, Ordering::Relaxed) + 1;
        eprintln!(
            "[{k}/{total}] {} seed {}: hard {}, soft {}",
            suite.instances[run.instance].name, run.seed, run.cost.hard, run.cost.soft
        );
    })?;
    let limit = match opts.max_moves {
        Some(m) => format!("{m} moves"),
        None => format!("{} s", opts.time_limit.as_secs_f64()),
    };
    let seeds: Vec<String> = opts.seeds.iter().map(|s| s.to_string()).collect();
    let text = format!(
        "{}: {limit} per run, seeds {}, one thread per run, {} runs at a time. Soft costs of valid runs (hard 0).\n\n{}",
        suite.name,
        seeds.join(" "),
        opts.jobs,
        table(&suite, &results)
    );
    write_atomic(&opts.out_dir.join("table.md"), text.as_bytes())?;
    print!("{text}");
    eprintln!("timetables and table.md in {}", opts.out_dir.display());
    Ok(())
}
