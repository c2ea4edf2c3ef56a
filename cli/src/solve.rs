//! `creneau solve`: build a timetable and write it (JSON, HTML).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use creneau::io::{fet, html, read_text, write_atomic, write_timetable};
use creneau::search::{solve, Progress, SolveOptions};

#[derive(Clone, Copy, ValueEnum)]
enum ProgressKind {
    /// A progress bar on a terminal, nothing otherwise.
    Auto,
    /// JSON lines on stdout, one per progress event and one at the end.
    Json,
    /// Nothing.
    None,
}

#[derive(Args)]
pub struct SolveArgs {
    /// Problem file: JSON, `.ctt` (ITC-2007) or `.fet` (FET).
    problem: PathBuf,
    /// Where to write the timetable: JSON, or `.sol` (ITC-2007).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Time limit, e.g. `60s`, `2m`, `500ms`.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    time_limit: Duration,
    /// Parallel workers.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Random seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Moves per worker; with `--threads 1` the same seed and move budget always give
    /// the same timetable.
    #[arg(long)]
    moves: Option<u64>,
    /// Stop once the timetable is valid (hard cost 0).
    #[arg(long)]
    stop_when_valid: bool,
    /// Write printable timetables (per class, teacher, room) into this folder.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Write the FET school (a `.fet` problem) with the timetable locked in, for FET.
    #[arg(long)]
    fet_out: Option<PathBuf>,
    /// Refuse a file with constraint types creneau does not support.
    #[arg(long)]
    strict: bool,
    /// How to report progress.
    #[arg(long, value_enum, default_value_t = ProgressKind::Auto)]
    progress: ProgressKind,
}

/// Parses `90`, `90s`, `1.5m`, `500ms`, `1h`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("expected a duration like 60s or 2m, found \"{s}\""))?;
    let secs = match unit {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("unknown time unit \"{unit}\" (use ms, s, m or h)")),
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("invalid duration \"{s}\""));
    }
    Ok(Duration::from_secs_f64(secs))
}

pub fn run(args: SolveArgs) -> Result<()> {
    if args.threads == 0 {
        bail!("--threads must be at least 1");
    }
    if args.fet_out.is_some() && args.problem.extension().is_none_or(|e| e != "fet") {
        bail!("--fet-out needs a FET problem (.fet)");
    }
    let inst = crate::check::load_checked(&args.problem, args.strict)?.inst;
    let opts = SolveOptions {
        time_limit: args.time_limit,
        max_moves: args.moves,
        threads: args.threads,
        seed: args.seed,
        target: args.stop_when_valid.then_some(creneau::eval::Cost {
            hard: 0,
            soft: i64::MAX,
        }),
        ..SolveOptions::default()
    };
    let cancel = opts.cancel.clone();
    ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed))
        .context("installing the Ctrl-C handler")?;

    let bar = match args.progress {
        ProgressKind::Auto if std::io::stderr().is_terminal() => {
            let bar = indicatif::ProgressBar::new(args.time_limit.as_millis() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {msg}",
                )
                .expect("valid template"),
            );
            Some(bar)
        }
        _ => None,
    };
    let json_progress = matches!(args.progress, ProgressKind::Json);
    let on_progress = |p: &Progress| {
        if let Some(bar) = &bar {
            bar.set_position((p.elapsed * 1000.0) as u64);
            bar.set_message(format!(
                "best: hard {} soft {} · {} moves",
                p.best.hard, p.best.soft, p.moves
            ));
        }
        if json_progress {
            println!(
                "{}",
                serde_json::json!({"event": "progress", "elapsed": p.elapsed, "hard": p.best.hard, "soft": p.best.soft, "moves": p.moves})
            );
        }
    };
    eprintln!(
        "{}: {}",
        args.problem.display(),
        crate::check::summary(&inst)
    );
    let result = solve(&inst, &opts, &on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Some(out) = &args.output {
        write_timetable(out, &inst, &result.timetable, result.cost)?;
    }
    if let Some(dir) = &args.html {
        html::write_html(&inst, &result.timetable, dir)?;
    }
    if let Some(out) = &args.fet_out {
        let source = read_text(&args.problem)?;
        let text = fet::write_fet(&source, &args.problem, &inst, &result.timetable)?;
        write_atomic(out, text.as_bytes())?;
    }
    let valid = result.cost.hard == 0;
    if json_progress {
        println!(
            "{}",
            serde_json::json!({"event": "done", "hard": result.cost.hard, "soft": result.cost.soft, "valid": valid,
                "time_to_valid": result.time_to_valid.map(|d| d.as_secs_f64()), "elapsed": result.elapsed.as_secs_f64(),
                "moves": result.moves, "stop": result.stop})
        );
    } else {
        print!("{}", crate::check::table(&inst, &result.report, false));
        println!(
            "{} in {:.1}s ({} moves, stop: {:?}){}",
            if valid {
                "valid timetable"
            } else {
                "no valid timetable found"
            },
            result.elapsed.as_secs_f64(),
            result.moves,
            result.stop,
            result
                .time_to_valid
                .map(|t| format!(", valid after {:.2}s", t.as_secs_f64()))
                .unwrap_or_default()
        );
        if let Some(out) = &args.output {
            println!("timetable written to {}", out.display());
        }
        if let Some(dir) = &args.html {
            println!("printable timetables in {}/index.html", dir.display());
        }
        if let Some(out) = &args.fet_out {
            println!(
                "FET school with the timetable locked in written to {}",
                out.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("3 days").is_err());
        assert!(parse_duration("abc").is_err());
    }
}
