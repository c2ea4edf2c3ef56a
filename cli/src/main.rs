//! `creneau`: the command-line interface of the creneau timetabling engine. Thin: it
//! reads files, calls the library and prints; no solving logic lives here.

mod bench;
mod check;
mod solve;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "creneau", version, about = "Free school timetabling engine")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a problem and, given a timetable, print its cost per constraint.
    Check(check::CheckArgs),
    /// Build a timetable.
    Solve(solve::SolveArgs),
    /// Run a benchmark suite (TOML) and print a Markdown table.
    Bench(bench::BenchArgs),
    /// Generate a realistic French lycée (seeded).
    Generate {
        /// Number of classes.
        #[arg(long, default_value_t = 20)]
        classes: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (stdout when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of the problem format.
    Schema {
        /// Output file (stdout when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Solve(args) => solve::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Generate {
            classes,
            seed,
            output,
        } => {
            let json =
                creneau::io::json::problem_to_json(&creneau::generate::generate(classes, seed));
            emit(output, &json)
        }
        Command::Schema { output } => emit(output, &creneau::io::json::problem_schema()),
    }
}

/// Writes `text` atomically to `output`, or to stdout.
fn emit(output: Option<PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(path) => creneau::io::write_atomic(&path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
