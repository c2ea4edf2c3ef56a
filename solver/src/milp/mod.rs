//! MILP models solved with HiGHS through good_lp.
//!
//! [`replace`]: the exact re-placement of a freed set of blocks, the rest of the
//! timetable fixed (a large neighbourhood for a repair stuck on a violation no short
//! chain of moves mends). Still to come: room assignment for fixed times, exact solves
//! and lower bounds for small instances.

pub mod replace;
