//! MILP models solved with HiGHS through good_lp: room assignment for fixed times,
//! repair of a freed neighbourhood, exact solves and lower bounds for small instances.
//!
//! Not written yet (the MILP issue); the dependency is in place and builds.
