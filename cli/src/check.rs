//! `creneau check`: validate a problem, and print a timetable's cost per constraint.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use clap::Args;
use creneau::eval::{evaluate, Report};
use creneau::io::{load, read_timetable, Loaded};
use creneau::model::{Instance, Timetable};

#[derive(Args)]
pub struct CheckArgs {
    /// Problem file: JSON, `.ctt` (ITC-2007) or `.fet` (FET).
    problem: PathBuf,
    /// Timetable to evaluate: JSON solution file, or `.sol` (ITC-2007). Without it, a
    /// FET file holding a timetable (every activity locked) is evaluated as it is.
    solution: Option<PathBuf>,
    /// Refuse a file with constraint types creneau does not support.
    #[arg(long)]
    strict: bool,
    /// Print the evaluation as JSON.
    #[arg(long)]
    json: bool,
    /// List every violation, not only the first ones of each constraint.
    #[arg(short, long)]
    verbose: bool,
}

/// Loads a problem; lists the constraint types the file has that creneau does not
/// support on stderr, or refuses them with `strict`.
pub fn load_checked(file: &Path, strict: bool) -> Result<Loaded> {
    let loaded = load(file)?;
    if !loaded.unsupported.is_empty() {
        let list: Vec<String> = loaded
            .unsupported
            .iter()
            .map(|(kind, n)| format!("  {kind}: {n}"))
            .collect();
        let message = format!(
            "{}: constraint types not supported (left out):\n{}",
            file.display(),
            list.join("\n")
        );
        if strict {
            bail!("{message}\n(--strict refuses them)");
        }
        eprintln!("warning: {message}");
    }
    Ok(loaded)
}

pub fn run(args: CheckArgs) -> Result<()> {
    let loaded = load_checked(&args.problem, args.strict)?;
    let inst = &loaded.inst;
    let tt = match &args.solution {
        Some(solution) => read_timetable(solution, inst)?,
        None if loaded.locked => Timetable::from_pins(inst),
        None => {
            println!(
                "{}: valid problem: {}",
                args.problem.display(),
                summary(inst)
            );
            return Ok(());
        }
    };
    let report = evaluate(inst, &tt);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(inst, &report, args.verbose));
    }
    Ok(())
}

/// One line on the size of a problem.
pub fn summary(inst: &Instance) -> String {
    format!(
        "{} teachers, {} classes, {} student subgroups, {} rooms, {} lessons, {} sessions, {} constraints",
        inst.teachers.len(),
        inst.student_sets.iter().filter(|s| s.is_class).count(),
        inst.atoms.len(),
        inst.rooms.len(),
        inst.lessons.len(),
        inst.events.len(),
        inst.constraints.len()
    )
}

/// The cost breakdown as a text table: constraints with a cost first, the highest on
/// top, then a count of those without.
pub fn table(_inst: &Instance, report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    let mut rows: Vec<_> = report.entries.iter().filter(|e| e.cost > 0).collect();
    rows.sort_by_key(|e| (!e.hard, -e.cost));
    let width = rows
        .iter()
        .map(|e| e.label.len())
        .max()
        .unwrap_or(10)
        .max(10);
    out += &format!(
        "{:<width$}  {:<4}  {:>8}  {:>10}\n",
        "constraint", "kind", "cost", "violations"
    );
    for e in &rows {
        let kind = if e.hard { "hard" } else { "soft" };
        out += &format!(
            "{:<width$}  {kind:<4}  {:>8}  {:>10}\n",
            e.label,
            e.cost,
            e.violations.len()
        );
        let shown = if verbose { e.violations.len() } else { 3 };
        for v in e.violations.iter().take(shown) {
            out += &format!("    {:>5}  {}\n", v.cost, v.message);
        }
        if e.violations.len() > shown {
            out += &format!(
                "    ... {} more (--verbose lists them all)\n",
                e.violations.len() - shown
            );
        }
    }
    let clean = report.entries.len() - rows.len();
    out += &format!("{clean} constraint(s) fully satisfied\n\nby type:\n");
    for (kind, hard, cost) in report.by_kind() {
        out += &format!(
            "  {kind:<20} {:<4} {cost:>8}\n",
            if hard { "hard" } else { "soft" }
        );
    }
    let verdict = if report.cost.hard == 0 {
        "valid"
    } else {
        "NOT valid"
    };
    out += &format!(
        "total: hard {}, soft {} ({verdict})\n",
        report.cost.hard, report.cost.soft
    );
    out
}
