//! MILP.
