//! Timetables in JSON: one entry per scheduled session, by name.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::eval::Cost;
use crate::io::{read_text, Error};
use crate::model::{Instance, ResId, Timetable, NO_ROOM, UNPLACED};

/// A timetable file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SolutionFile {
    /// Name of the problem it solves.
    pub problem: String,
    /// Cost reported by the writer (informative; `creneau check` recomputes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostOut>,
    /// Scheduled sessions; a session not listed is unscheduled.
    pub sessions: Vec<SessionOut>,
}

/// A cost in a solution file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostOut {
    /// Hard cost (0 for a valid timetable).
    pub hard: i64,
    /// Soft cost.
    pub soft: i64,
}

/// One scheduled session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionOut {
    /// Lesson id.
    pub lesson: String,
    /// Session number within the lesson, from 1.
    pub session: u32,
    /// Day name.
    pub day: String,
    /// Start period name.
    pub period: String,
    /// Week of the cycle, when the session is not every week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week: Option<String>,
    /// Rooms, one per room need (`null`: an optional need without a room); empty
    /// when the session has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rooms: Vec<Option<String>>,
}

/// The rooms of a session as written: one per need, `None` for no room; nothing when
/// it has no room at all.
fn rooms_out(inst: &Instance, rooms: &[ResId]) -> Vec<Option<String>> {
    if rooms.iter().all(|&r| r == NO_ROOM) {
        return vec![];
    }
    rooms
        .iter()
        .map(|&r| (r != NO_ROOM).then(|| inst.resource_name(r).to_string()))
        .collect()
}

/// A timetable as a solution file.
pub fn solution_to_json(inst: &Instance, tt: &Timetable, cost: Option<Cost>) -> String {
    let g = &inst.grid;
    let sessions = (0..inst.events.len() as u32)
        .filter(|&e| tt.starts[e as usize] != UNPLACED)
        .map(|e| {
            let ev = &inst.events[e as usize];
            let s = tt.starts[e as usize];
            let w = tt.weeks[e as usize];
            SessionOut {
                lesson: inst.lessons[ev.lesson as usize].id.clone(),
                session: ev.index as u32 + 1,
                day: g.days[g.day(s)].clone(),
                period: g.periods[g.period(s)].clone(),
                week: (w != g.all_weeks()).then(|| g.weeks[w.trailing_zeros() as usize].clone()),
                rooms: rooms_out(inst, tt.rooms_of(inst, e)),
            }
        })
        .collect();
    let file = SolutionFile {
        problem: inst.name.clone(),
        cost: cost.map(|c| CostOut {
            hard: c.hard,
            soft: c.soft,
        }),
        sessions,
    };
    serde_json::to_string_pretty(&file).expect("a solution always serialises") + "\n"
}

/// Reads a solution file for `inst`.
pub fn read_solution(file: &Path, inst: &Instance) -> Result<Timetable, Error> {
    let sol: SolutionFile = super::parse(&read_text(file)?, file)?;
    let field = |path: String, message: String| Error::Field {
        file: file.to_path_buf(),
        path,
        message,
    };
    let g = &inst.grid;
    let (lessons, rooms) = (inst.lessons_by_id(), inst.rooms_by_name());
    let mut tt = Timetable::empty(inst);
    for (i, s) in sol.sessions.iter().enumerate() {
        let path = format!("sessions[{i}]");
        let l = *lessons.get(s.lesson.as_str()).ok_or_else(|| {
            field(
                format!("{path}.lesson"),
                format!("unknown lesson \"{}\"", s.lesson),
            )
        })?;
        let events = inst.lessons[l].events.clone();
        if s.session == 0 || s.session as usize > events.len() {
            return Err(field(
                format!("{path}.session"),
                format!("lesson {} has sessions 1 to {}", s.lesson, events.len()),
            ));
        }
        let e = events.start + s.session - 1;
        if tt.starts[e as usize] != UNPLACED {
            return Err(field(
                path,
                format!("session {} of {} is listed twice", s.session, s.lesson),
            ));
        }
        let day =
            g.days.iter().position(|d| *d == s.day).ok_or_else(|| {
                field(format!("{path}.day"), format!("unknown day \"{}\"", s.day))
            })?;
        let period = g
            .periods
            .iter()
            .position(|p| *p == s.period)
            .ok_or_else(|| {
                field(
                    format!("{path}.period"),
                    format!("unknown period \"{}\"", s.period),
                )
            })?;
        let ev = &inst.events[e as usize];
        if period + ev.duration as usize > g.periods_per_day() {
            return Err(field(
                path,
                format!(
                    "a session of {} periods cannot start at {}",
                    ev.duration, s.period
                ),
            ));
        }
        tt.starts[e as usize] = g.slot(day, period);
        tt.weeks[e as usize] =
            match &s.week {
                None => g.all_weeks(),
                Some(w) => {
                    1 << g.weeks.iter().position(|x| x == w).ok_or_else(|| {
                        field(format!("{path}.week"), format!("unknown week \"{w}\""))
                    })?
                }
            };
        let range = inst.room_range(e);
        if !s.rooms.is_empty() && s.rooms.len() != range.len() {
            return Err(field(
                format!("{path}.rooms"),
                format!("{} rooms for {} room needs", s.rooms.len(), range.len()),
            ));
        }
        for (k, r) in s.rooms.iter().enumerate() {
            let Some(r) = r else {
                tt.rooms[range.start + k] = NO_ROOM;
                continue;
            };
            tt.rooms[range.start + k] = *rooms.get(r.as_str()).ok_or_else(|| {
                field(
                    format!("{path}.rooms[{k}]"),
                    format!("unknown room \"{r}\""),
                )
            })?;
        }
    }
    Ok(tt)
}
