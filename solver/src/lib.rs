//! # creneau: a school timetabling engine
//!
//! A short guided tour, in the order data flows:
//!
//! 1. [`model`]: the problem as people write it ([`model::Problem`], names) and as the
//!    engine uses it ([`model::Instance`], indices); [`model::Timetable`] is a solution.
//! 2. [`eval`]: costs. [`eval::evaluate`] is the reference evaluator (full
//!    recomputation, per-constraint breakdown, explanations); [`eval::State`] keeps the
//!    cost up to date under moves for the search. Each constraint family is one file in
//!    [`eval::families`].
//! 3. [`search`]: construction, local search, the parallel portfolio.
//! 4. [`milp`]: exact models solved with HiGHS through good_lp: the exact re-placement
//!    of a freed set of blocks ([`milp::replace`]).
//! 5. [`io`]: file formats (native JSON, exports). Nothing outside `io` knows a format.
//! 6. [`generate`]: seeded generator of realistic French lycées.
//! 7. [`bench`](mod@bench): benchmark suites (`creneau bench`).

pub mod bench;
pub mod eval;
pub mod generate;
pub mod io;
pub mod milp;
pub mod model;
pub mod search;

/// Version of the engine.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
