//! Costs: the reference evaluator and the incremental state.
//!
//! - [`evaluate`] recomputes a timetable's cost from scratch with a per-constraint
//!   breakdown and every violation explained. It is the source of truth.
//! - [`State`] keeps a timetable's cost up to date under moves, recomputing only the
//!   constraint units a move touches; the search runs on it. Tests check it against
//!   [`evaluate`].
//!
//! Both read the constraint families of [`families`] through [`Scoring`].

mod day_sums;
pub mod families;
mod occupancy;
mod reference;
mod scoring;
mod state;
mod view;
mod violation;

pub use occupancy::Occupancy;
pub use reference::{evaluate, Entry, Report};
pub(crate) use scoring::{csr, row};
pub use scoring::{Scoring, SCARCE_ROOM};
pub use state::{HardDelta, Holders, Rooms, Savepoint, State};
pub use view::View;
pub use violation::{Cost, Violation};
