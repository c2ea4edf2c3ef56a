//! Constraints after name resolution: what each family needs, as indices.

use crate::model::instance::{EventId, ResId};

/// A constraint of the problem, compiled.
#[derive(Clone, Debug)]
pub struct CompiledConstraint {
    /// Where it comes from and what it is, e.g. `constraints[3] max_per_day`.
    pub label: String,
    /// The rule's type, as written in JSON (`max_per_day`...).
    pub kind: &'static str,
    /// The rule with resolved indices.
    pub rule: CompiledRule,
    /// Hard (must hold) or soft.
    pub hard: bool,
    /// How deviations become cost.
    pub penalty: Penalty,
    /// Whose wish it is, when given.
    pub owner: Option<String>,
}

/// Weight and shape of a constraint's cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Penalty {
    /// Weight of each unit of deviation.
    pub weight: i64,
    /// Cost grows with the square of each deviation.
    pub quadratic: bool,
}

impl Penalty {
    /// Linear penalty with weight 1.
    pub const UNIT: Penalty = Penalty {
        weight: 1,
        quadratic: false,
    };

    /// Cost of one deviation.
    #[inline]
    pub fn cost(self, deviation: u32) -> i64 {
        let d = deviation as i64;
        if self.quadratic {
            self.weight * d * d
        } else {
            self.weight * d
        }
    }
}

/// A limit applied to each of a set of resources.
#[derive(Clone, Debug)]
pub struct ResourceLimit {
    /// Resources it applies to, each on its own.
    pub resources: Vec<ResId>,
    /// The limit.
    pub limit: u32,
}

/// Rules with resolved indices; times are per-day period masks.
#[derive(Clone, Debug)]
pub enum CompiledRule {
    /// Busy periods forbidden at `times` (one mask per day).
    Unavailable {
        /// Resources concerned.
        resources: Vec<ResId>,
        /// Events concerned (from listed lessons).
        events: Vec<EventId>,
        /// Forbidden periods, one mask per day.
        times: Vec<u64>,
    },
    /// Allowed start periods, one mask per day.
    PreferredTimes {
        /// Events concerned.
        events: Vec<EventId>,
        /// Allowed starts, one mask per day.
        starts: Vec<u64>,
    },
    /// The k-th sessions of these lessons start together.
    SameStart {
        /// Lesson indices.
        lessons: Vec<u32>,
    },
    /// Pairs of these events at least `days` days apart.
    MinDaysBetween {
        /// Events concerned.
        events: Vec<EventId>,
        /// Minimum distance in days.
        days: u32,
    },
    /// These events cover at least `days` distinct days.
    SpreadDays {
        /// Events concerned.
        events: Vec<EventId>,
        /// Minimum number of distinct days.
        days: u32,
    },
    /// Busy periods per day at most the limit.
    MaxPerDay(ResourceLimit),
    /// Busy periods on a busy day at least the limit.
    MinPerDay(ResourceLimit),
    /// Consecutive busy periods at most the limit.
    MaxConsecutive(ResourceLimit),
    /// Idle periods per day at most the limit.
    MaxGapsPerDay(ResourceLimit),
    /// Idle periods per week at most the limit.
    MaxGapsPerWeek(ResourceLimit),
    /// Working days per week at most the limit.
    MaxDays(ResourceLimit),
    /// At least `limit` free periods among `periods` every day.
    LunchBreak {
        /// Resources and minimum free periods.
        limit: ResourceLimit,
        /// The lunch periods, as a mask of the day.
        periods: u64,
    },
    /// Busy periods with no busy neighbour on the same day.
    Isolated {
        /// Resources concerned.
        resources: Vec<ResId>,
    },
    /// Rooms large enough for the lesson's students.
    RoomCapacity {
        /// Events concerned.
        events: Vec<EventId>,
    },
    /// One room for all sessions of each lesson.
    RoomStability {
        /// Lesson indices.
        lessons: Vec<u32>,
    },
}
