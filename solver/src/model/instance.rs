//! The compiled, index-based problem the engine works on.
//!
//! Every resource (teacher, atomic student subgroup, room) has one index in a single
//! resource space, so clashes and every per-resource rule work the same way for all
//! three kinds. Every weekly session of a lesson is one [`Event`].

use crate::model::constraint::CompiledConstraint;

/// Index of a resource in [`Instance::resources`].
pub type ResId = u32;
/// Index of an event (one weekly session of a lesson) in [`Instance::events`].
pub type EventId = u32;
/// A time slot: `day * periods_per_day + period`.
pub type Slot = u16;

/// Marker for "not placed" in a start slot.
pub const UNPLACED: Slot = Slot::MAX;
/// Marker for "no room assigned".
pub const NO_ROOM: ResId = ResId::MAX;
/// Most rooms one session may need (so that a session's rooms fit on the stack).
pub const MAX_ROOM_NEEDS: usize = 8;

/// The time grid, compiled.
#[derive(Clone, Debug)]
pub struct Grid {
    /// Day names.
    pub days: Vec<String>,
    /// Period names.
    pub periods: Vec<String>,
    /// Start and end times of the periods, when given.
    pub period_times: Vec<(Option<String>, Option<String>)>,
    /// Week names of the cycle (one unnamed week when there is no cycle).
    pub weeks: Vec<String>,
    /// Bit `p` set: a break follows period `p`, nothing runs across it.
    pub break_after: u64,
    /// (day, period) of each slot: looked up, not divided, in the hot loop.
    pub(crate) places: Vec<(u8, u8)>,
}

impl Grid {
    /// Number of days.
    pub fn day_count(&self) -> usize {
        self.days.len()
    }
    /// Number of periods a day.
    pub fn periods_per_day(&self) -> usize {
        self.periods.len()
    }
    /// Number of weeks in the cycle (1 without a cycle).
    pub fn week_count(&self) -> usize {
        self.weeks.len()
    }
    /// Number of time slots in a week.
    pub fn slot_count(&self) -> usize {
        self.days.len() * self.periods.len()
    }
    /// Mask with one bit per week of the cycle.
    pub fn all_weeks(&self) -> u8 {
        ((1u16 << self.weeks.len()) - 1) as u8
    }
    /// Day of a slot.
    #[inline]
    pub fn day(&self, slot: Slot) -> usize {
        self.places[slot as usize].0 as usize
    }
    /// Period of a slot within its day.
    #[inline]
    pub fn period(&self, slot: Slot) -> usize {
        self.places[slot as usize].1 as usize
    }
    /// Slot of a day and period.
    #[inline]
    pub fn slot(&self, day: usize, period: usize) -> Slot {
        (day * self.periods.len() + period) as Slot
    }
    /// Whether a session of `duration` periods may start at `slot`: it stays in the day
    /// and crosses no declared break.
    pub fn fits(&self, slot: Slot, duration: u8) -> bool {
        let p = self.period(slot);
        let d = duration as usize;
        if d == 0 || p + d > self.periods.len() {
            return false;
        }
        // Breaks after periods p .. p+d-2 would be crossed.
        let inner = if d > 1 {
            ((1u64 << (d - 1)) - 1) << p
        } else {
            0
        };
        self.break_after & inner == 0
    }
    /// Mask of the periods a session covers within its day.
    #[inline]
    pub fn span_mask(&self, slot: Slot, duration: u8) -> u64 {
        (((1u128 << duration) - 1) as u64) << self.period(slot)
    }
    /// Human name of a slot, e.g. `"Lundi M1"`.
    pub fn slot_name(&self, slot: Slot) -> String {
        format!(
            "{} {}",
            self.days[self.day(slot)],
            self.periods[self.period(slot)]
        )
    }
    /// Human name of a week mask (empty without a cycle).
    pub fn weeks_name(&self, mask: u8) -> String {
        if self.weeks.len() == 1 || mask == self.all_weeks() {
            return String::new();
        }
        let names: Vec<&str> = (0..self.weeks.len())
            .filter(|w| mask & (1 << w) != 0)
            .map(|w| self.weeks[w].as_str())
            .collect();
        format!("week {}", names.join("+"))
    }
}

/// The three kinds of resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// A teacher.
    Teacher,
    /// An atomic student subgroup.
    Students,
    /// A room.
    Room,
}

/// A resource: something that can be in one place at a time.
#[derive(Clone, Debug)]
pub struct Resource {
    /// Name (for an atomic subgroup: `CLASS` or `CLASS/part/part`).
    pub name: String,
    /// Kind.
    pub kind: ResourceKind,
    /// Seats of a room (`u32::MAX` when unlimited); students of an atomic subgroup.
    pub size: f64,
    /// Kind label of a room (for example `"lab"`).
    pub label: Option<String>,
}

/// A named student set and the atomic subgroups it is made of.
#[derive(Clone, Debug)]
pub struct StudentSet {
    /// Name as written in the problem (`"2A"`, `"2A:G1"`, a group name).
    pub name: String,
    /// Atomic subgroups (resource ids), sorted.
    pub atoms: Vec<ResId>,
    /// True for classes (the views printed per class).
    pub is_class: bool,
}

/// A lesson, compiled.
#[derive(Clone, Debug)]
pub struct LessonInfo {
    /// Identifier from the problem.
    pub id: String,
    /// Subject.
    pub subject: String,
    /// Its events (sessions), consecutive ids.
    pub events: std::ops::Range<EventId>,
    /// Number of students.
    pub headcount: u32,
    /// Teacher resources.
    pub teachers: Vec<ResId>,
    /// Student set names, as written.
    pub student_sets: Vec<String>,
}

/// One weekly session of a lesson: the unit the search places.
#[derive(Clone, Debug)]
pub struct Event {
    /// Lesson index.
    pub lesson: u32,
    /// Index of the session within its lesson.
    pub index: u16,
    /// Duration in periods.
    pub duration: u8,
    /// Teachers and atomic subgroups (not rooms), sorted, no duplicates.
    pub resources: Vec<ResId>,
    /// One candidate list per room needed.
    pub room_needs: Vec<Vec<ResId>>,
    /// Bit `k` set: room need `k` is optional (no room is no violation).
    pub optional_rooms: u8,
    /// Week masks the event may take (one entry: fixed weeks).
    pub week_options: Vec<u8>,
    /// Start slots allowed by the grid and pins, sorted.
    pub starts: Vec<Slot>,
    /// Pinned rooms, one per need, when given.
    pub pinned_rooms: Option<Vec<ResId>>,
}

impl Event {
    /// Whether room need `k` may go without a room.
    #[inline]
    pub fn room_optional(&self, k: usize) -> bool {
        self.optional_rooms & (1 << k) != 0
    }

    /// The rooms the event holds in every valid timetable: its pins, or else the sole
    /// candidate of each required need that has one.
    pub fn sole_rooms(&self) -> impl Iterator<Item = ResId> + '_ {
        let single = |k: usize| match self.room_needs[k][..] {
            [r] if !self.room_optional(k) => Some(r),
            _ => None,
        };
        let (pinned, needs) = match &self.pinned_rooms {
            Some(pins) => (pins.as_slice(), 0..0),
            None => (&[][..], 0..self.room_needs.len()),
        };
        pinned
            .iter()
            .copied()
            .chain(needs.filter_map(single))
            .filter(|&r| r != NO_ROOM)
    }

    /// Room needs without a room in `rooms` (one room per need) that are not optional.
    #[inline]
    pub fn rooms_missing(&self, rooms: &[ResId]) -> usize {
        rooms
            .iter()
            .enumerate()
            .filter(|&(k, &r)| r == NO_ROOM && !self.room_optional(k))
            .count()
    }
}

/// The compiled problem.
#[derive(Debug)]
pub struct Instance {
    /// Name.
    pub name: String,
    /// Time grid.
    pub grid: Grid,
    /// All resources: teachers, then atomic subgroups, then rooms.
    pub resources: Vec<Resource>,
    /// Resource ids of teachers.
    pub teachers: std::ops::Range<ResId>,
    /// Resource ids of atomic subgroups.
    pub atoms: std::ops::Range<ResId>,
    /// Resource ids of rooms.
    pub rooms: std::ops::Range<ResId>,
    /// Named student sets: classes, class parts and groups.
    pub student_sets: Vec<StudentSet>,
    /// Lessons.
    pub lessons: Vec<LessonInfo>,
    /// Events (weekly sessions).
    pub events: Vec<Event>,
    /// Offset of each event's rooms in a flat room array (length `events + 1`).
    pub room_offset: Vec<u32>,
    /// The constraints, compiled.
    pub constraints: Vec<CompiledConstraint>,
    /// Events that must start together (hard `same_start`), as blocks the search moves
    /// as one; every event is in exactly one block.
    pub blocks: Vec<Vec<EventId>>,
    /// Block of each event.
    pub block_of: Vec<u32>,
    /// Per `resource * days + day`, the periods a hard `unavailable` rule forbids.
    pub unavailable: Vec<u64>,
}

impl Instance {
    /// Rooms of event `e` in a flat room array.
    #[inline]
    pub fn room_range(&self, e: EventId) -> std::ops::Range<usize> {
        self.room_offset[e as usize] as usize..self.room_offset[e as usize + 1] as usize
    }
    /// Total number of room needs over all events.
    pub fn room_slots(&self) -> usize {
        *self.room_offset.last().unwrap_or(&0) as usize
    }
    /// Human label of an event: `"2A-MATHS #2"`.
    pub fn event_name(&self, e: EventId) -> String {
        let ev = &self.events[e as usize];
        let lesson = &self.lessons[ev.lesson as usize];
        if lesson.events.len() == 1 {
            lesson.id.clone()
        } else {
            format!("{} #{}", lesson.id, ev.index + 1)
        }
    }
    /// Periods of `day` resource `r` may not be busy (hard `unavailable` rules).
    #[inline]
    pub fn unavailable(&self, r: ResId, day: usize) -> u64 {
        self.unavailable[r as usize * self.grid.day_count() + day]
    }
    /// Per resource, its load: the periods the sessions ask of it over the periods it is
    /// available. A room need with k candidate rooms asks 1/k of its periods of each;
    /// optional needs ask nothing.
    pub fn resource_loads(&self) -> Vec<f64> {
        let g = &self.grid;
        let mut asked = vec![0.0f64; self.resource_count()];
        for ev in &self.events {
            let d = ev.duration as f64;
            for &r in &ev.resources {
                asked[r as usize] += d;
            }
            for (k, need) in ev.room_needs.iter().enumerate() {
                if !ev.room_optional(k) {
                    for &r in need {
                        asked[r as usize] += d / need.len() as f64;
                    }
                }
            }
        }
        asked
            .iter()
            .enumerate()
            .map(|(r, &a)| {
                let available: u32 = (0..g.day_count())
                    .map(|d| {
                        g.periods_per_day() as u32 - self.unavailable(r as ResId, d).count_ones()
                    })
                    .sum();
                a / available.max(1) as f64
            })
            .collect()
    }
    /// Name of a resource.
    pub fn resource_name(&self, r: ResId) -> &str {
        &self.resources[r as usize].name
    }
    /// Number of resources.
    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }
    /// Index of a lesson by id.
    pub fn lesson_index(&self, id: &str) -> Option<usize> {
        self.lessons.iter().position(|l| l.id == id)
    }
    /// Lesson indices by id (for readers).
    pub fn lessons_by_id(&self) -> std::collections::HashMap<&str, usize> {
        self.lessons
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect()
    }
    /// Room resources by name (for readers).
    pub fn rooms_by_name(&self) -> std::collections::HashMap<&str, ResId> {
        self.rooms
            .clone()
            .map(|r| (self.resource_name(r), r))
            .collect()
    }
}
