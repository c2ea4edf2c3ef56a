//! Explanations: what each violation is, in words, and who and what causes it.

use serde::Serialize;

use crate::model::{EventId, ResId};

/// One violation of a constraint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Its cost (already weighted).
    pub cost: i64,
    /// What is wrong, in plain words.
    pub message: String,
    /// Events (sessions) involved.
    pub events: Vec<EventId>,
    /// Resources involved.
    pub resources: Vec<ResId>,
}

/// A cost: hard violations first, then soft; compared lexicographically. A timetable
/// is valid when `hard == 0`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Cost {
    /// Sum of hard constraint costs.
    pub hard: i64,
    /// Sum of soft constraint costs.
    pub soft: i64,
}

impl Cost {
    /// No cost.
    pub const ZERO: Cost = Cost { hard: 0, soft: 0 };

    /// A cost with `value` on the hard or the soft side.
    #[inline]
    pub fn of(hard: bool, value: i64) -> Cost {
        if hard {
            Cost {
                hard: value,
                soft: 0,
            }
        } else {
            Cost {
                hard: 0,
                soft: value,
            }
        }
    }
}

impl std::ops::Add for Cost {
    type Output = Cost;
    #[inline]
    fn add(self, o: Cost) -> Cost {
        Cost {
            hard: self.hard + o.hard,
            soft: self.soft + o.soft,
        }
    }
}

impl std::ops::AddAssign for Cost {
    #[inline]
    fn add_assign(&mut self, o: Cost) {
        self.hard += o.hard;
        self.soft += o.soft;
    }
}

impl std::ops::Sub for Cost {
    type Output = Cost;
    #[inline]
    fn sub(self, o: Cost) -> Cost {
        Cost {
            hard: self.hard - o.hard,
            soft: self.soft - o.soft,
        }
    }
}

impl std::fmt::Display for Cost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "hard {} / soft {}", self.hard, self.soft)
    }
}
