#!/usr/bin/env python3
"""creneau against FET's own generator (fet-cl) on FET's development set.

For each school of benches/suites/fet-dev.txt (paths under FET's examples folder):
- fet-cl, once per FET seed, with the time limit: wall-clock time to its timetable
  (file reading included), or a timeout;
- creneau, once per seed, with --threads 2 and --stop-when-valid: wall-clock time to
  a valid timetable (file reading included), or none within the limit;
- creneau once more for the soft cost reached in --soft-limit seconds (first seed),
  writing the school with that timetable locked in (--fet-out), which fet-cl must then
  accept: place every activity where creneau put it.

Prints a Markdown table and writes every run to out/fet-h2h/runs.jsonl. Times are
medians over the seeds, a run that finds no timetable counting as slower than any; the
ratio is FET's median over creneau's.

Usage: benches/fet_head_to_head.py [--limit 60] [--seeds 1,2,3,4,5] [--fet-seeds 1,2,3]
       [--soft-limit 60] [--no-fet] [--no-soft] [--only NAME,...]
Needs `apt-get install fet fet-data` (the examples and fet-cl) unless --no-fet.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path("/usr/share/doc/fet-data/examples/FET-5-official")
BIN = ROOT / "target" / "release" / "creneau"
OUT = ROOT / "out" / "fet-h2h"


def schools():
    for line in (ROOT / "benches" / "suites" / "fet-dev.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            yield line


def active_activities(school: Path) -> int:
    """Number of active activities in a .fet file."""
    root = ET.parse(school).getroot()
    return sum(a.findtext("Active", "true").strip() == "true" for a in root.iter("Activity"))


def run_fet(school: Path, limit: float, seed: int):
    """Seconds fet-cl took to a timetable, or None on timeout."""
    out = Path(tempfile.mkdtemp(prefix="fet-"))
    cmd = [
        "fet-cl", f"--inputfile={school}", f"--outputdir={out}",
        f"--timelimitseconds={int(limit)}", "--htmllevel=0",
        "--writetimetablesxml=false", "--writetimetablessubgroups=false",
        "--writetimetablesgroups=false", "--writetimetablesyears=false",
        "--writetimetablesteachers=false", "--writetimetablesteachersfreeperiods=false",
        "--writetimetablesrooms=false", "--writetimetablessubjects=false",
        "--writetimetablesactivitytags=false", "--writetimetablesactivities=false",
        "--writetimetablesstatistics=false",
    ]
    # FET's generator takes six seed components; seed s gives s, s+1, s+2 for both.
    cmd += [f"--randomseeds{g}{i}={seed + i}" for g in (1, 2) for i in range(3)]
    start = time.monotonic()
    try:
        subprocess.run(cmd, capture_output=True, text=True, timeout=limit + 60)
    except subprocess.TimeoutExpired:
        pass
    elapsed = time.monotonic() - start
    # fet-cl exits normally at its time limit too; its log says whether it succeeded.
    result = out / "logs" / "result.txt"
    solved = result.exists() and "Simulation successful" in result.read_text(errors="replace")
    shutil.rmtree(out, ignore_errors=True)
    return elapsed if solved else None


def fet_accepts(school: Path) -> bool:
    """Whether fet-cl places every activity of a school whose timetable is locked in."""
    out = Path(tempfile.mkdtemp(prefix="fet-check-"))
    try:
        subprocess.run(["fet-cl", f"--inputfile={school}", f"--outputdir={out}",
                        "--timelimitseconds=30", "--htmllevel=0", "--writetimetablesxml=true"],
                       capture_output=True, timeout=90)
        return any(out.rglob("*_data_and_timetable.fet"))
    except subprocess.TimeoutExpired:
        return False
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_creneau(school: Path, limit: float, seed: int, stop_when_valid: bool, fet_out=None):
    cmd = [str(BIN), "solve", str(school), "--time-limit", f"{limit}s", "--threads", "2",
           "--seed", str(seed), "--progress", "json"]
    if fet_out:
        cmd += ["--fet-out", str(fet_out)]
    if stop_when_valid:
        cmd.append("--stop-when-valid")
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + 60)
    elapsed = time.monotonic() - start
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": proc.stderr.strip()[-300:]}
    done = json.loads(lines[-1])
    done["wall"] = elapsed
    return done


def median_time(times):
    """Median of run times, a run without a timetable (None) counting as longer than
    any; None when the median run has none."""
    if not times:
        return None
    m = statistics.median(math.inf if t is None else t for t in times)
    return None if math.isinf(m) else m


def ratio_text(fet, creneau, limit):
    """FET's median time over creneau's: a lower bound when FET timed out, nothing when
    creneau did."""
    if creneau is None:
        return "-"
    if fet is None:
        return f"> {limit / creneau:.1f}x"
    return f"{fet / creneau:.1f}x"


def fmt(seconds, limit):
    return f"> {limit:g}" if seconds is None else f"{seconds:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=float, default=60)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--fet-seeds", default="1")
    ap.add_argument("--soft-limit", type=float, default=None)
    ap.add_argument("--no-fet", action="store_true")
    ap.add_argument("--no-soft", action="store_true")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    fet_seeds = [int(s) for s in args.fet_seeds.split(",")]
    only = [o for o in args.only.split(",") if o]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "creneau-cli"], cwd=ROOT, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    log = open(OUT / "runs.jsonl", "a")
    soft_limit = args.soft_limit or args.limit
    print(f"limit {args.limit:g} s; creneau seeds {seeds} with --threads 2; FET seeds {fet_seeds}; "
          f"soft cost after {soft_limit:g} s (seed {seeds[0]})")
    print()
    print("| school | activities | unsupported types | FET time (s) | creneau valid runs | "
          "creneau median time to valid (s) | worst (s) | FET / creneau | creneau soft cost |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for rel in schools():
        if only and not any(o in rel for o in only):
            continue
        school = EXAMPLES / rel
        check = subprocess.run([str(BIN), "check", str(school)], capture_output=True, text=True)
        if check.returncode != 0:
            print(f"| `{rel}` | | error: {check.stderr.strip()[:80]} | | | | | | |", flush=True)
            continue
        activities = active_activities(school)
        unsupported = [l.strip() for l in check.stderr.splitlines() if l.startswith("  ")]
        fet_times = []
        if not args.no_fet:
            for s in fet_seeds:
                t = run_fet(school, args.limit, s)
                fet_times.append(t)
                log.write(json.dumps({"school": rel, "tool": "fet", "seed": s, "time": t}) + "\n")
        runs = []
        for s in seeds:
            r = run_creneau(school, args.limit, s, True)
            r.update({"school": rel, "tool": "creneau", "seed": s})
            log.write(json.dumps(r) + "\n")
            runs.append(r)
        log.flush()
        times = [r["wall"] if r.get("valid") else None for r in runs]
        soft = "-"
        if not args.no_soft:
            written = OUT / (rel.replace("/", "__"))
            r = run_creneau(school, args.soft_limit or args.limit, seeds[0], False, written)
            r.update({"school": rel, "tool": "creneau-full", "seed": seeds[0]})
            soft = str(r.get("soft")) if r.get("valid") else "not valid"
            if r.get("valid") and not args.no_fet:
                r["fet_accepts"] = fet_accepts(written)
                soft += " (FET accepts it)" if r["fet_accepts"] else " (FET does NOT accept it)"
            log.write(json.dumps(r) + "\n")
        med = median_time(times)
        if args.no_fet:
            fet, ratio = "-", "-"
        else:
            fet_med = median_time(fet_times)
            fet = fmt(fet_med, args.limit)
            ratio = ratio_text(fet_med, med, args.limit)
            if len(fet_times) > 1:
                fet += " (" + " / ".join(fmt(t, args.limit) for t in fet_times) + ")"
        worst = fmt(None if None in times else max(times), args.limit)
        valid = sum(t is not None for t in times)
        print(f"| `{rel}` | {activities} | {'; '.join(unsupported) or '-'} | {fet} | "
              f"{valid}/{len(runs)} | {fmt(med, args.limit)} | {worst} | {ratio} | {soft} |",
              flush=True)


if __name__ == "__main__":
    sys.exit(main())
