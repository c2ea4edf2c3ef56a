//! The portfolio: differently seeded workers on a rayon pool, sharing the best
//! timetable, under one set of stop conditions.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::eval::{evaluate, Cost, Report, Scoring, State};
use crate::model::{Instance, Timetable};
use crate::search::completion::suits;
use crate::search::construct::{construct, Order};
use crate::search::forward::forward;
use crate::search::local::{anneal, repair};
use crate::search::moves::Neighbourhood;

/// Length of one cooling cycle of the annealing in a timed run: a longer run cools
/// several times, each cycle restarting from the best timetable.
pub const CYCLE: Duration = Duration::from_secs(60);

/// Chance that a repair step of the even-numbered workers (the first among them, and
/// the only worker of a one-thread run) moves its block to a random start rather than
/// its best. Little noise speeds the repair's way down; where its end states are deep,
/// more noise finds a way out, so the odd-numbered workers take
/// [`NOISY_RANDOM_MOVES`]. Measured on FET's schools with two threads against 0.03 for
/// both (time to valid, geometric mean of per-seed ratios): `Gymnasio` 0.33,
/// `Hong-Kong` 0.67, `liceo` 0.84, `Pedagogic` 0.87, `simpler-Italian` 0.87, with
/// losses on schools solved in 0.1-3 s where FET needs 25 s or more (`GYR` 1.16,
/// `Eng_College` 1.18, `Bethlen` 1.19); 0.01 for both lost `Germany-1` 1.135
/// (`BENCHMARKS.md`, 2026-12-05).
pub const QUIET_RANDOM_MOVES: f64 = 0.01;

/// Chance of a random repair step for the odd-numbered workers (see
/// [`QUIET_RANDOM_MOVES`]). Without random steps at all, `simpler-Italian` finds no
/// valid timetable in 60 s. The two hardest schools pull this level both ways. With
/// both workers at 0.01, `Syria` stays valid on 11 of 12 seeds, and its median falls
/// from 32.6 s to 19.8 s; `Klikks-SLP` falls from 11 of 12 seeds to 7. At 0.02 they are
/// 10 and 9 of 12 (`BENCHMARKS.md`, 2026-12-05, evening). So the noise stays on the way
/// down, and a repair stalled near 0 goes quiet (see `local`'s `PLATEAU_STEPS`).
pub const NOISY_RANDOM_MOVES: f64 = 0.03;

/// The chance of a random repair step of worker `i`.
fn random_moves(i: usize) -> f64 {
    if i.is_multiple_of(2) {
        QUIET_RANDOM_MOVES
    } else {
        NOISY_RANDOM_MOVES
    }
}

/// How to run a search. `Default` gives 60 s, one thread, seed 0.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Wall-clock limit for the whole run.
    pub time_limit: Duration,
    /// Moves per worker; with one thread, a run with a move limit is reproducible.
    pub max_moves: Option<u64>,
    /// Number of workers in parallel.
    pub threads: usize,
    /// Seed of the first worker; worker `i` uses `worker_seed(seed, i)`, so that the
    /// workers of runs with nearby seeds never share a random stream.
    pub seed: u64,
    /// Stop as soon as the best cost is at most this.
    pub target: Option<Cost>,
    /// Set to true from elsewhere (Ctrl-C, a host program) to stop early; the best
    /// timetable found so far is returned.
    pub cancel: Arc<AtomicBool>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(60),
            max_moves: None,
            threads: 1,
            seed: 0,
            target: None,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// A progress event.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Progress {
    /// Seconds since the start.
    pub elapsed: f64,
    /// Best cost so far.
    pub best: Cost,
    /// Moves evaluated so far, all workers.
    pub moves: u64,
}

/// Why the search stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The time limit.
    TimeLimit,
    /// Every worker used its move budget.
    MoveLimit,
    /// The target cost was reached.
    Target,
    /// Cost zero: nothing left to improve.
    Optimal,
    /// Cancelled from outside.
    Cancelled,
}

/// What a search returns.
#[derive(Clone, Debug)]
pub struct SolveResult {
    /// The best timetable found.
    pub timetable: Timetable,
    /// Its cost, as computed by the reference evaluator.
    pub cost: Cost,
    /// The reference evaluator's report on it.
    pub report: Report,
    /// The cost the search believed it had (equal to `cost` unless there is a bug).
    pub search_cost: Cost,
    /// Time to the first timetable with hard cost 0.
    pub time_to_valid: Option<Duration>,
    /// Moves evaluated, all workers.
    pub moves: u64,
    /// Total time.
    pub elapsed: Duration,
    /// Why it stopped.
    pub stop: StopReason,
}

struct Shared<'a> {
    opts: &'a SolveOptions,
    start: Instant,
    best: Mutex<Option<(Cost, Timetable)>>,
    first_valid: Mutex<Option<Duration>>,
    stop: AtomicBool,
    reason: Mutex<Option<StopReason>>,
    moves: AtomicU64,
    last_progress: Mutex<Instant>,
    progress: &'a (dyn Fn(&Progress) + Sync),
}

impl<'a> Shared<'a> {
    fn new(opts: &'a SolveOptions, progress: &'a (dyn Fn(&Progress) + Sync)) -> Shared<'a> {
        Shared {
            opts,
            start: Instant::now(),
            best: Mutex::new(None),
            first_valid: Mutex::new(None),
            stop: AtomicBool::new(false),
            reason: Mutex::new(None),
            moves: AtomicU64::new(0),
            last_progress: Mutex::new(Instant::now()),
            progress,
        }
    }

    fn halt(&self, reason: StopReason) {
        let mut r = self.reason.lock().unwrap();
        if r.is_none() {
            *r = Some(reason);
        }
        self.stop.store(true, Ordering::Relaxed);
    }

    fn emit(&self, force: bool) {
        let mut last = self.last_progress.lock().unwrap();
        if !force && last.elapsed() < Duration::from_millis(200) {
            return;
        }
        *last = Instant::now();
        if let Some((best, _)) = &*self.best.lock().unwrap() {
            (self.progress)(&Progress {
                elapsed: self.start.elapsed().as_secs_f64(),
                best: *best,
                moves: self.moves.load(Ordering::Relaxed),
            });
        }
    }
}

/// A worker's handle on the shared run: stop checks, progress and the shared best.
pub struct Control<'s, 'a> {
    shared: &'s Shared<'a>,
    moves: u64,
}

impl Control<'_, '_> {
    /// Counts one step; true when the worker must stop.
    #[inline]
    pub fn tick(&mut self) -> bool {
        self.moves += 1;
        if !self.moves.is_multiple_of(64) {
            return self.shared.stop.load(Ordering::Relaxed);
        }
        self.shared.moves.fetch_add(64, Ordering::Relaxed);
        let s = self.shared;
        if s.opts.cancel.load(Ordering::Relaxed) {
            s.halt(StopReason::Cancelled);
        } else if s.start.elapsed() >= s.opts.time_limit {
            s.halt(StopReason::TimeLimit);
        } else if s.opts.max_moves.is_some_and(|m| self.moves >= m) {
            return true;
        } else {
            s.emit(false);
        }
        s.stop.load(Ordering::Relaxed)
    }

    /// Steps counted so far by [`Control::tick`].
    #[cfg(test)]
    pub(crate) fn moves(&self) -> u64 {
        self.moves
    }

    /// Progress of the run between 0 and 1 (moves when there is a move budget, time
    /// otherwise), for cooling schedules.
    pub fn fraction(&self) -> f64 {
        match self.shared.opts.max_moves {
            Some(m) => (self.moves as f64 / m as f64).min(1.0),
            None => (self.shared.start.elapsed().as_secs_f64()
                / self.shared.opts.time_limit.as_secs_f64().max(1e-9))
            .min(1.0),
        }
    }

    /// Number of cooling cycles of the annealing: one per [`CYCLE`] of the time limit
    /// (at least one); one when the run has a move budget.
    pub fn cycles(&self) -> usize {
        match self.shared.opts.max_moves {
            Some(_) => 1,
            None => (self.shared.opts.time_limit.as_secs_f64() / CYCLE.as_secs_f64())
                .round()
                .max(1.0) as usize,
        }
    }

    /// Offers the worker's current timetable as a new best.
    pub fn improved(&self, st: &State) {
        let s = self.shared;
        let cost = st.cost();
        {
            let mut best = s.best.lock().unwrap();
            if best.as_ref().is_some_and(|(b, _)| *b <= cost) {
                return;
            }
            *best = Some((cost, st.timetable().clone()));
        }
        if cost.hard == 0 {
            let mut fv = s.first_valid.lock().unwrap();
            if fv.is_none() {
                *fv = Some(s.start.elapsed());
            }
        }
        if cost == Cost::ZERO {
            s.halt(StopReason::Optimal);
        } else if s.opts.target.is_some_and(|t| cost <= t) {
            s.halt(StopReason::Target);
        }
        s.emit(false);
    }

    /// The shared best timetable, if it is better than `cost`.
    pub fn better_than(&self, cost: Cost) -> Option<Timetable> {
        let best = self.shared.best.lock().unwrap();
        best.as_ref()
            .filter(|(b, _)| *b < cost)
            .map(|(_, tt)| tt.clone())
    }
}

/// Runs `f` with the control of a one-worker run under `opts`, for tests of the search
/// steps.
#[cfg(test)]
pub(crate) fn with_control<R>(opts: &SolveOptions, f: impl FnOnce(&mut Control) -> R) -> R {
    let shared = Shared::new(opts, &|_| {});
    f(&mut Control {
        shared: &shared,
        moves: 0,
    })
}

/// The random seed of worker `i` of a run with `seed`: `seed` itself for the first, far
/// from any other run's for the others (with `seed + i`, worker 1 of seed 1 would repeat
/// worker 0 of seed 2).
pub fn worker_seed(seed: u64, i: usize) -> u64 {
    seed.wrapping_add((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Solves `inst`: returns the best timetable found when a stop condition is met, with
/// its cost recomputed by the reference evaluator. `progress` is called from the
/// workers a few times a second.
pub fn solve(
    inst: &Instance,
    opts: &SolveOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> SolveResult {
    let shared = Shared::new(opts, progress);
    let scoring = Scoring::new(inst);
    let nb = Neighbourhood::new(inst);
    let threads = opts.threads.max(1);
    // Forward search pays where partial timetables meet every hard rule or may still be
    // completed (see `forward`); the other workers keep to repair.
    let forward_ok = suits(inst);
    let worker = |i: usize| {
        let mut rng = fastrand::Rng::with_seed(worker_seed(opts.seed, i));
        let mut ctl = Control {
            shared: &shared,
            moves: 0,
        };
        // The workers of a portfolio build in different orders: which one is best
        // depends on the school.
        let chance = random_moves(i);
        let mut st = State::new(inst, &scoring, Timetable::empty(inst));
        construct(&mut st, &nb, Order::nth(i), chance, &mut rng, &mut ctl);
        ctl.improved(&st);
        if forward_ok && i % 2 == 1 {
            forward(&mut st, &nb, &mut rng, &mut ctl);
        }
        repair(&mut st, &nb, chance, &mut rng, &mut ctl);
        if !shared.stop.load(Ordering::Relaxed) {
            anneal(&mut st, &nb, &mut rng, &mut ctl);
        }
        shared.moves.fetch_add(ctl.moves % 64, Ordering::Relaxed);
    };
    if threads == 1 {
        worker(0);
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        pool.scope(|s| {
            for i in 0..threads {
                let worker = &worker;
                s.spawn(move |_| worker(i));
            }
        });
    }
    shared.emit(true);
    let (search_cost, timetable) = shared
        .best
        .into_inner()
        .unwrap()
        .unwrap_or_else(|| (Cost::ZERO, Timetable::empty(inst)));
    let report = evaluate(inst, &timetable);
    SolveResult {
        cost: report.cost,
        report,
        search_cost,
        timetable,
        time_to_valid: shared.first_valid.into_inner().unwrap(),
        moves: shared.moves.load(Ordering::Relaxed),
        elapsed: shared.start.elapsed(),
        stop: shared
            .reason
            .into_inner()
            .unwrap()
            .unwrap_or(StopReason::MoveLimit),
    }
}

#[cfg(test)]
mod tests {
    use super::worker_seed;

    #[test]
    fn workers_of_nearby_seeds_never_share_a_seed() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..100 {
            assert_eq!(worker_seed(seed, 0), seed, "one thread keeps its seed");
            for i in 0..8 {
                assert!(seen.insert(worker_seed(seed, i)), "seed {seed}, worker {i}");
            }
        }
    }
}
