//! The problem as people write it: every reference is a name, nothing is an index.
//!
//! A [`Problem`] is what the native JSON format holds. It is checked and compiled into
//! an index-based [`crate::model::Instance`] by [`Problem::compile`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole school timetabling problem, as written by people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Name of the school or instance.
    pub name: String,
    /// Days, periods and the optional week cycle.
    pub time: TimeGrid,
    /// Teachers, by unique name.
    #[serde(default)]
    pub teachers: Vec<Teacher>,
    /// Rooms, by unique name.
    #[serde(default)]
    pub rooms: Vec<Room>,
    /// Classes; each one is cut into atomic subgroups by its divisions.
    #[serde(default)]
    pub classes: Vec<Class>,
    /// Named student groups made of classes or class parts, possibly across classes
    /// (language groups, specialty groups).
    #[serde(default)]
    pub groups: Vec<Group>,
    /// What has to be taught.
    pub lessons: Vec<Lesson>,
    /// Rules and wishes, each hard or soft.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
}

/// The weekly time grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeGrid {
    /// Day names, in order (for example `["Lundi", "Mardi", ...]`).
    pub days: Vec<String>,
    /// Periods of one day, in order (at most 64).
    pub periods: Vec<Period>,
    /// Names of the weeks of a cycle (for example `["A", "B"]`); empty or absent for a
    /// timetable that is the same every week.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weeks: Vec<String>,
}

/// One period of the day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// Short name, unique in the day (for example `"M1"`).
    pub name: String,
    /// Start time as written on printed timetables (for example `"08:00"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// End time as written on printed timetables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// A declared break follows this period: no session may run across it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub break_after: bool,
}

/// A teacher.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Teacher {
    /// Unique short name (for example `"DUPONT"`).
    pub name: String,
}

/// A room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Room {
    /// Unique name.
    pub name: String,
    /// Number of seats; absent means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Kind of room (for example `"classroom"`, `"lab"`, `"gym"`), matched by lessons'
    /// room needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Building or site the room belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
}

/// A class: a set of students taught together, cut into atomic subgroups by the
/// cartesian product of its divisions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Class {
    /// Unique name (for example `"2A"`).
    pub name: String,
    /// Number of students (used by room capacities).
    #[serde(default)]
    pub students: u32,
    /// Ways the class is divided, each into parts (half-groups, language groups...).
    /// A part is referred to as `"CLASS:PART"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub divisions: Vec<Division>,
}

/// One way a class is divided; every student of the class is in exactly one part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Division {
    /// Name of the division (for example `"half"`, `"lv2"`).
    pub name: String,
    /// Names of its parts, unique within the class (for example `["G1", "G2"]`).
    pub parts: Vec<String>,
}

/// A named group of students: a union of classes, class parts and other groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Unique name, distinct from class names.
    pub name: String,
    /// Members: `"CLASS"`, `"CLASS:PART"` or the name of a group defined earlier.
    pub members: Vec<String>,
}

/// Something to teach: a subject to some students by some teachers, in one or more
/// weekly sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Unique identifier (for example `"2A-MATHS"`).
    pub id: String,
    /// Subject taught.
    #[serde(default)]
    pub subject: String,
    /// Teachers, all present at every session.
    #[serde(default)]
    pub teachers: Vec<String>,
    /// Student sets attending: classes, class parts (`"2A:G1"`) or groups.
    #[serde(default)]
    pub students: Vec<String>,
    /// Number of students, when it differs from the size of the student sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<u32>,
    /// Weekly sessions: a duration in periods, or a detailed session. Default: one
    /// session of one period.
    #[serde(default = "default_sessions")]
    pub sessions: Vec<SessionSpec>,
    /// Which weeks of the cycle: `"every"` (default), `"either"` (the solver chooses one
    /// week of the cycle) or the name of one week.
    #[serde(default = "default_weeks")]
    pub weeks: String,
    /// Rooms needed at every session: one entry per room.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rooms: Vec<RoomNeed>,
}

/// One weekly session of a lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SessionSpec {
    /// Just a duration in periods.
    Duration(u8),
    /// A session with a pinned time and/or rooms.
    Detailed(SessionDetail),
}

/// A session with details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionDetail {
    /// Duration in periods (default 1).
    #[serde(default = "one")]
    pub duration: u8,
    /// Pinned day (with `period`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// Pinned start period (with `day`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Pinned rooms, one per room need of the lesson.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rooms: Vec<String>,
}

/// A room a lesson needs: any room of a kind, one of a list, or both filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomNeed {
    /// Only rooms of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only these rooms (a single name fixes the room).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<String>,
    /// The session may also go without this room: it then costs nothing, unless a
    /// `preferred_rooms` wish asks for a room (as FET's room preferences below 100 %).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

/// A rule or wish.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Constraint {
    /// What the constraint asks.
    #[serde(flatten)]
    pub rule: Rule,
    /// Hard (must hold) or soft (a wish, weighed). Default: hard.
    #[serde(default = "default_true")]
    pub hard: bool,
    /// Weight of each unit of violation (default 1).
    #[serde(default = "one_u32")]
    pub weight: u32,
    /// How a deviation is turned into cost: `"linear"` (default) or `"quadratic"`.
    #[serde(default)]
    pub cost: CostFunction,
    /// Whose wish this is (a teacher's name, the principal...), for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

impl Constraint {
    /// A hard constraint (weight 1, linear).
    pub fn hard(rule: Rule) -> Constraint {
        Constraint {
            rule,
            hard: true,
            weight: 1,
            cost: CostFunction::Linear,
            owner: None,
        }
    }
    /// A soft constraint with a weight (linear).
    pub fn soft(rule: Rule, weight: u32) -> Constraint {
        Constraint {
            rule,
            hard: false,
            weight,
            cost: CostFunction::Linear,
            owner: None,
        }
    }
}

/// Linear or quadratic cost of a deviation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CostFunction {
    /// Cost = weight x deviation.
    #[default]
    Linear,
    /// Cost = weight x deviation².
    Quadratic,
}

/// Which resources a resource constraint applies to. `"*"` in a list means all of them.
/// Student sets apply to each of their atomic subgroups.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Teacher names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teachers: Vec<String>,
    /// Classes, class parts or groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub students: Vec<String>,
    /// Room names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rooms: Vec<String>,
}

/// A set of times: a day, and some of its periods (all of them when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Times {
    /// Day name.
    pub day: String,
    /// Period names; absent means the whole day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<String>>,
}

/// The constraint catalogue. Each family is documented in `docs/format.md`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// The resources (or lessons) must not be busy at these times. Deviation: busy
    /// periods at those times, per day.
    Unavailable {
        #[serde(flatten)]
        who: Resources,
        /// Lessons that must not be scheduled at these times.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lessons: Vec<String>,
        times: Vec<Times>,
    },
    /// Sessions of these lessons should start at one of these times. Deviation: 1 per
    /// session starting elsewhere.
    PreferredTimes {
        lessons: Vec<String>,
        times: Vec<Times>,
    },
    /// The k-th sessions of these lessons start together (aligned block, "barrette").
    /// Deviation: number of distinct start times minus one, per k.
    SameStart { lessons: Vec<String> },
    /// Any two sessions of these lessons are at least `days` days apart. Deviation: 1
    /// per pair too close (sessions in disjoint weeks never count).
    MinDaysBetween { lessons: Vec<String>, days: u32 },
    /// The sessions of these lessons, together, fall on at least `days` distinct days.
    /// Deviation: the days missing.
    SpreadDays { lessons: Vec<String>, days: u32 },
    /// At most `max` busy periods a day; with `lessons`, only their sessions count.
    /// Deviation: periods over, per day.
    MaxPerDay {
        #[serde(flatten)]
        who: Resources,
        max: u32,
        /// Only sessions of these lessons count (all when absent).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lessons: Vec<String>,
    },
    /// On a day with any lesson, at least `min` busy periods. Deviation: periods
    /// missing, per busy day.
    MinPerDay {
        #[serde(flatten)]
        who: Resources,
        min: u32,
        /// Free days count too: every day needs `min` busy periods.
        #[serde(default, skip_serializing_if = "is_false")]
        every_day: bool,
    },
    /// At most `max` consecutive busy periods (a declared break ends a run); with
    /// `lessons`, only runs of their sessions count. Deviation: periods over, per run.
    MaxConsecutive {
        #[serde(flatten)]
        who: Resources,
        max: u32,
        /// Only sessions of these lessons count (all when absent).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lessons: Vec<String>,
    },
    /// At most `max` idle periods between the first and last busy period of a day.
    /// Deviation: idle periods over, per day.
    MaxGapsPerDay {
        #[serde(flatten)]
        who: Resources,
        max: u32,
    },
    /// At most `max` idle periods in the week (summed over days). Deviation: idle
    /// periods over, per week.
    MaxGapsPerWeek {
        #[serde(flatten)]
        who: Resources,
        max: u32,
    },
    /// At most `max` working days a week; with `periods`, only days busy in one of
    /// those periods count. Deviation: days over, per week.
    MaxDays {
        #[serde(flatten)]
        who: Resources,
        max: u32,
        /// Only days busy in one of these periods count (all periods when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        periods: Option<Vec<String>>,
    },
    /// At least `min` working days a week. Deviation: days missing, per week.
    MinDays {
        #[serde(flatten)]
        who: Resources,
        min: u32,
    },
    /// Days start at the first period: at most `max` days a week start at the second
    /// one, and none later. Periods the resource is unavailable (hard) do not count.
    /// Deviation: late periods beyond the second, plus days at the second over `max`.
    EarlyStart {
        #[serde(flatten)]
        who: Resources,
        max: u32,
    },
    /// At least `min` free periods between the last busy period of a working day and
    /// the first of the next working day (the periods after the one and before the
    /// other); with `circular`, the last day of the week is followed by the first.
    /// Deviation: periods missing, per pair of consecutive working days.
    MinRest {
        #[serde(flatten)]
        who: Resources,
        min: u32,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        circular: bool,
    },
    /// Every day, at least `min_free` (default 1) of these periods are free.
    /// Deviation: free periods missing, per day.
    LunchBreak {
        #[serde(flatten)]
        who: Resources,
        periods: Vec<String>,
        #[serde(default = "one_u32")]
        min_free: u32,
    },
    /// A busy period with no busy period just before or after it on the same day is
    /// isolated. Deviation: 1 per isolated period.
    Isolated {
        #[serde(flatten)]
        who: Resources,
    },
    /// The sessions of these lessons, in the order listed, follow each other on one day
    /// with no free period between. Deviation: 1 per session not right after the
    /// previous one.
    Consecutive { lessons: Vec<String> },
    /// The sessions of these lessons fill one run of consecutive periods of one day, in
    /// any order. Deviation: 1 when they do not.
    Grouped { lessons: Vec<String> },
    /// Two sessions of these lessons on the same day follow each other with no free
    /// period between. Deviation: 1 per same-day pair apart.
    ConsecutiveIfSameDay { lessons: Vec<String> },
    /// The sessions of these lessons are on one day. Deviation: days used minus one.
    SameDay { lessons: Vec<String> },
    /// The sessions of these lessons start at the same period of the day (any day).
    /// Deviation: distinct start periods minus one.
    SamePeriod { lessons: Vec<String> },
    /// No two sessions of these lessons overlap in time. Deviation: 1 per overlapping
    /// pair.
    NotOverlapping { lessons: Vec<String> },
    /// Two sessions of these lessons on the same day have at least `periods` free
    /// periods between them. Deviation: 1 per pair too close.
    MinGap { lessons: Vec<String>, periods: u32 },
    /// Any two sessions of these lessons are at most `days` days apart. Deviation: days
    /// over, summed over pairs.
    MaxDaysBetween { lessons: Vec<String>, days: u32 },
    /// Together, the sessions of these lessons occupy at most `max` of these times.
    /// Deviation: times over.
    MaxSlots {
        lessons: Vec<String>,
        times: Vec<Times>,
        max: u32,
    },
    /// At any of these times, at most `max` sessions of these lessons run at once.
    /// Deviation: sessions over, summed over the times.
    MaxSimultaneous {
        lessons: Vec<String>,
        times: Vec<Times>,
        max: u32,
    },
    /// Together, the sessions of these lessons use at most `max` distinct rooms.
    /// Deviation: rooms over.
    MaxRooms { lessons: Vec<String>, max: u32 },
    /// Two sessions of these lessons that follow each other (same day and week, one
    /// right after the other) have the same rooms. Deviation: 1 per such pair in
    /// different rooms.
    SameRoomIfConsecutive { lessons: Vec<String> },
    /// Each session of these lessons is the last of the day for all its students.
    /// Deviation: 1 per student subgroup busy later that day, per session.
    EndsDay { lessons: Vec<String> },
    /// Sessions of these lessons should take their rooms among `rooms`. Deviation: 1
    /// per session with a room elsewhere.
    PreferredRooms {
        lessons: Vec<String>,
        rooms: Vec<String>,
    },
    /// Rooms seat everybody. Deviation: students over capacity, per session. No lesson
    /// listed means every lesson.
    RoomCapacity {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lessons: Vec<String>,
    },
    /// All sessions of a lesson in the same room. Deviation: distinct rooms minus one,
    /// per lesson. No lesson listed means every lesson.
    RoomStability {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lessons: Vec<String>,
    },
}

impl Rule {
    /// The `type` tag of the rule, as written in JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            Rule::Unavailable { .. } => "unavailable",
            Rule::PreferredTimes { .. } => "preferred_times",
            Rule::SameStart { .. } => "same_start",
            Rule::MinDaysBetween { .. } => "min_days_between",
            Rule::SpreadDays { .. } => "spread_days",
            Rule::MaxPerDay { .. } => "max_per_day",
            Rule::MinPerDay { .. } => "min_per_day",
            Rule::MaxConsecutive { .. } => "max_consecutive",
            Rule::MaxGapsPerDay { .. } => "max_gaps_per_day",
            Rule::MaxGapsPerWeek { .. } => "max_gaps_per_week",
            Rule::MaxDays { .. } => "max_days",
            Rule::MinDays { .. } => "min_days",
            Rule::EarlyStart { .. } => "early_start",
            Rule::MinRest { .. } => "min_rest",
            Rule::Consecutive { .. } => "consecutive",
            Rule::Grouped { .. } => "grouped",
            Rule::ConsecutiveIfSameDay { .. } => "consecutive_if_same_day",
            Rule::SameDay { .. } => "same_day",
            Rule::SamePeriod { .. } => "same_period",
            Rule::NotOverlapping { .. } => "not_overlapping",
            Rule::MinGap { .. } => "min_gap",
            Rule::MaxDaysBetween { .. } => "max_days_between",
            Rule::MaxSlots { .. } => "max_slots",
            Rule::MaxSimultaneous { .. } => "max_simultaneous",
            Rule::MaxRooms { .. } => "max_rooms",
            Rule::SameRoomIfConsecutive { .. } => "same_room_if_consecutive",
            Rule::EndsDay { .. } => "ends_day",
            Rule::PreferredRooms { .. } => "preferred_rooms",
            Rule::LunchBreak { .. } => "lunch_break",
            Rule::Isolated { .. } => "isolated",
            Rule::RoomCapacity { .. } => "room_capacity",
            Rule::RoomStability { .. } => "room_stability",
        }
    }
}

fn default_sessions() -> Vec<SessionSpec> {
    vec![SessionSpec::Duration(1)]
}
fn default_weeks() -> String {
    "every".to_string()
}
fn default_true() -> bool {
    true
}
fn one() -> u8 {
    1
}
fn one_u32() -> u32 {
    1
}
fn is_false(b: &bool) -> bool {
    !*b
}

impl SessionSpec {
    /// Duration of the session in periods.
    pub fn duration(&self) -> u8 {
        match self {
            SessionSpec::Duration(d) => *d,
            SessionSpec::Detailed(d) => d.duration,
        }
    }
}
