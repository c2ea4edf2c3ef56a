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
    MaxPerDay {
        /// Resources and limit.
        limit: ResourceLimit,
        /// Only these events count (all when `None`).
        only: Option<Vec<EventId>>,
    },
    /// Busy periods on a busy day (or on every day) at least the limit.
    MinPerDay {
        /// Resources and minimum.
        limit: ResourceLimit,
        /// Free days count too.
        every_day: bool,
    },
    /// Consecutive busy periods at most the limit.
    MaxConsecutive {
        /// Resources and limit.
        limit: ResourceLimit,
        /// Only these events count (all when `None`).
        only: Option<Vec<EventId>>,
    },
    /// Idle periods per day at most the limit.
    MaxGapsPerDay(ResourceLimit),
    /// Idle periods per week at most the limit.
    MaxGapsPerWeek(ResourceLimit),
    /// Working days per week at most (or at least) the limit.
    WorkingDays {
        /// Resources and limit.
        limit: ResourceLimit,
        /// Only days busy in these periods count.
        periods: u64,
        /// The limit is a minimum.
        at_least: bool,
    },
    /// Days start at the first free-to-work period; at most `limit` at the second.
    EarlyStart(ResourceLimit),
    /// At least `limit` free periods between consecutive working days.
    MinRest {
        /// Resources and limit.
        limit: ResourceLimit,
        /// The last day is followed by the first.
        circular: bool,
    },
    /// A relation between the sessions of a set.
    Relation {
        /// Events concerned.
        events: Vec<EventId>,
        /// What must hold between them.
        relation: Relation,
    },
    /// Events should take their rooms among `rooms`.
    PreferredRooms {
        /// Events concerned.
        events: Vec<EventId>,
        /// The rooms, sorted.
        rooms: Vec<ResId>,
    },
    /// Each event is the last of the day for its students.
    EndsDay {
        /// Events concerned.
        events: Vec<EventId>,
    },
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

impl CompiledRule {
    /// Whether taking sessions off the timetable never raises the rule's cost, so that a
    /// partial timetable that meets it keeps meeting it as sessions come off (rules
    /// asking for at least something, or for no holes, do not).
    pub fn monotone(&self) -> bool {
        match self {
            CompiledRule::SpreadDays { .. }
            | CompiledRule::MinPerDay { .. }
            | CompiledRule::MaxGapsPerDay(_)
            | CompiledRule::MaxGapsPerWeek(_)
            | CompiledRule::EarlyStart(_)
            | CompiledRule::Isolated { .. } => false,
            CompiledRule::WorkingDays { at_least, .. } => !at_least,
            _ => true,
        }
    }
}

/// What must hold between the sessions of a set (see [`crate::model::Rule`]).
#[derive(Clone, Debug)]
pub enum Relation {
    /// In the order given, each right after the previous one, on one day.
    Consecutive,
    /// One run of consecutive periods on one day, in any order.
    Grouped,
    /// Same-day pairs follow each other.
    ConsecutiveIfSameDay,
    /// All on one day.
    SameDay,
    /// All start at the same period of the day.
    SamePeriod,
    /// No two overlap in time.
    NotOverlapping,
    /// Same-day pairs at least this many free periods apart.
    MinGap(u32),
    /// Any two at most this many days apart.
    MaxDaysBetween(u32),
    /// At most `max` of the `times` (one mask per day) occupied.
    MaxSlots {
        /// Selected periods, one mask per day.
        times: Vec<u64>,
        /// Most selected periods occupied.
        max: u32,
    },
    /// At most `max` sessions at once in any of the `times`.
    MaxSimultaneous {
        /// Selected periods, one mask per day.
        times: Vec<u64>,
        /// Most sessions at once.
        max: u32,
    },
    /// At most this many distinct rooms.
    MaxRooms(u32),
    /// Pairs following each other have the same rooms.
    SameRoomIfConsecutive,
}
