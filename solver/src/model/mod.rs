//! The problem as data: time grid, resources, student sets, lessons, constraints.
//!
//! [`Problem`] is what people write (names); [`Problem::compile`] checks every
//! reference and turns it into an [`Instance`] (indices) the engine works on.

mod compile;
pub mod constraint;
pub mod instance;
pub mod problem;
pub mod timetable;

pub use compile::{block_starts, ModelError, ModelErrors, MAX_DAYS};
pub use constraint::{CompiledConstraint, CompiledRule, Penalty, Relation, ResourceLimit};
pub use instance::{
    Event, EventId, Grid, Instance, LessonInfo, ResId, Resource, ResourceKind, Slot, StudentSet,
    MAX_ROOM_NEEDS, NO_ROOM, UNPLACED,
};
pub use problem::*;
pub use timetable::Timetable;
