//! The search: construction, local search and the parallel portfolio.
//!
//! [`solve`] is the entry point. Each worker builds a timetable most-constrained first
//! (`construct`), drives the hard cost to zero by min-conflicts repair with a tabu
//! list on weighted hard violations (preceded, in every second worker and where it
//! suits the school, by a clash-free iterative forward search: `forward`), then
//! lowers the soft cost by simulated annealing without breaking hard constraints
//! (`local`). Workers run in parallel on a rayon pool and share the best timetable
//! (`portfolio`). The result is always re-checked by the reference evaluator.

mod completion;
mod construct;
mod forward;
mod local;
pub mod moves;
mod portfolio;
mod resolve;

pub use portfolio::{solve, Progress, SolveOptions, SolveResult, StopReason};
