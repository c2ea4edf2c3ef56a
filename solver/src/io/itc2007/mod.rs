//! ITC-2007 track 3, curriculum-based course timetabling (`.ctt` instances, `.sol`
//! solutions), formulation UD2.
//!
//! Mapping onto the creneau model:
//! - days `d0`, `d1`, ... and periods `p0`, `p1`, ... (the file's 0-based numbers);
//! - each curriculum is a class with no division (one atomic subgroup), each course a
//!   lesson of `lectures` one-period sessions taught by its teacher to its curricula,
//!   needing one room, with the course's student count as headcount;
//! - hard: clashes (teacher, curriculum, room), every lecture scheduled, and the
//!   course's unavailability (`unavailable` on the lesson);
//! - soft, with the UD2 weights: `room_capacity` (1), `spread_days` per course (5, the
//!   minimum working days), `isolated` on every curriculum (2, curriculum compactness),
//!   `room_stability` (1).
//!
//! One difference in hard costs only: UD2 counts a conflict once per pair of courses in
//! the same period, creneau once per shared teacher, curriculum or room beyond the first.
//! Both are 0 exactly for valid timetables.

use std::collections::HashMap;
use std::path::Path;

use crate::io::Error;
use crate::model::{
    Class, Constraint, Instance, Lesson, Period, Problem, Resources, Room, RoomNeed, Rule,
    SessionSpec, Teacher, TimeGrid, Times, Timetable, NO_ROOM, UNPLACED,
};

fn syntax(file: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::Line {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// Lines split into words, with their 1-based numbers, blank lines skipped.
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split_whitespace().collect::<Vec<_>>()))
        .filter(|(_, w)| !w.is_empty())
}

fn number(file: &Path, line: usize, word: &str, what: &str) -> Result<u32, Error> {
    word.parse().map_err(|_| {
        syntax(
            file,
            line,
            format!("expected {what} (a whole number), found \"{word}\""),
        )
    })
}

/// Parses a `.ctt` instance.
pub fn parse_ctt(text: &str, file: &Path) -> Result<Problem, Error> {
    let mut header: HashMap<String, (usize, String)> = HashMap::new();
    let mut section = String::new();
    let (mut courses, mut rooms, mut curricula, mut unavailable) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut ended = false;
    for (n, words) in lines(text) {
        let first = words[0];
        if first == "END." {
            ended = true;
            break;
        }
        if first.ends_with(':') && words.len() == 1 {
            section = first.trim_end_matches(':').to_string();
            continue;
        }
        if section.is_empty() {
            let key = first.strip_suffix(':').ok_or_else(|| {
                syntax(
                    file,
                    n,
                    format!("expected \"Key: value\", found \"{first}\""),
                )
            })?;
            header.insert(key.to_string(), (n, words[1..].join(" ")));
            continue;
        }
        let (want, list) = match section.as_str() {
            "COURSES" => (5, &mut courses),
            "ROOMS" => (2, &mut rooms),
            "CURRICULA" => (2, &mut curricula),
            "UNAVAILABILITY_CONSTRAINTS" => (3, &mut unavailable),
            other => return Err(syntax(file, n, format!("unknown section \"{other}:\""))),
        };
        if words.len() < want {
            return Err(syntax(
                file,
                n,
                format!(
                    "a {section} line needs at least {want} fields, found {}",
                    words.len()
                ),
            ));
        }
        list.push((
            n,
            words.iter().map(|w| w.to_string()).collect::<Vec<String>>(),
        ));
    }
    if !ended {
        return Err(syntax(file, text.lines().count(), "missing \"END.\""));
    }
    let field = |key: &str| -> Result<u32, Error> {
        let (n, v) = header
            .get(key)
            .ok_or_else(|| syntax(file, 1, format!("missing header \"{key}:\"")))?;
        number(file, *n, v, key)
    };
    let (days, periods) = (field("Days")?, field("Periods_per_day")?);
    for (key, got) in [
        ("Courses", courses.len()),
        ("Rooms", rooms.len()),
        ("Curricula", curricula.len()),
        ("Constraints", unavailable.len()),
    ] {
        let want = field(key)? as usize;
        if want != got {
            let (n, _) = header[key];
            return Err(syntax(
                file,
                n,
                format!("header says {want} {key}, the file lists {got}"),
            ));
        }
    }
    let day_name = |d: u32| format!("d{d}");
    let period_name = |p: u32| format!("p{p}");
    let mut p = Problem {
        name: header
            .get("Name")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        time: TimeGrid {
            days: (0..days).map(day_name).collect(),
            periods: (0..periods)
                .map(|k| Period {
                    name: period_name(k),
                    start: None,
                    end: None,
                    break_after: false,
                })
                .collect(),
            weeks: vec![],
        },
        teachers: vec![],
        rooms: vec![],
        classes: vec![],
        groups: vec![],
        lessons: vec![],
        constraints: vec![],
    };
    for (n, w) in &rooms {
        p.rooms.push(Room {
            name: w[0].clone(),
            capacity: Some(number(file, *n, &w[1], "a room capacity")?),
            kind: None,
            building: None,
        });
    }
    let mut course_index = HashMap::new();
    for (n, w) in &courses {
        let lectures = number(file, *n, &w[2], "a number of lectures")?;
        let min_days = number(file, *n, &w[3], "a minimum of working days")?;
        let students = number(file, *n, &w[4], "a number of students")?;
        if course_index.insert(w[0].clone(), p.lessons.len()).is_some() {
            return Err(syntax(
                file,
                *n,
                format!("course \"{}\" is listed twice", w[0]),
            ));
        }
        if !p.teachers.iter().any(|t| t.name == w[1]) {
            p.teachers.push(Teacher { name: w[1].clone() });
        }
        p.lessons.push(Lesson {
            id: w[0].clone(),
            subject: w[0].clone(),
            teachers: vec![w[1].clone()],
            students: vec![],
            headcount: Some(students),
            sessions: vec![SessionSpec::Duration(1); lectures as usize],
            weeks: "every".into(),
            rooms: vec![RoomNeed {
                kind: None,
                one_of: vec![],
                optional: false,
            }],
        });
        p.constraints.push(Constraint::soft(
            Rule::SpreadDays {
                lessons: vec![w[0].clone()],
                days: min_days,
            },
            5,
        ));
    }
    for (n, w) in &curricula {
        let count = number(file, *n, &w[1], "a number of courses")? as usize;
        if w.len() != 2 + count {
            return Err(syntax(
                file,
                *n,
                format!(
                    "curriculum {} announces {count} courses and lists {}",
                    w[0],
                    w.len() - 2
                ),
            ));
        }
        p.classes.push(Class {
            name: w[0].clone(),
            students: 0,
            divisions: vec![],
        });
        for c in &w[2..] {
            let &l = course_index
                .get(c)
                .ok_or_else(|| syntax(file, *n, format!("unknown course \"{c}\"")))?;
            p.lessons[l].students.push(w[0].clone());
        }
    }
    for (n, w) in &unavailable {
        if !course_index.contains_key(&w[0]) {
            return Err(syntax(file, *n, format!("unknown course \"{}\"", w[0])));
        }
        let (d, k) = (
            number(file, *n, &w[1], "a day")?,
            number(file, *n, &w[2], "a period")?,
        );
        if d >= days || k >= periods {
            return Err(syntax(
                file,
                *n,
                format!("day {d} period {k} is outside the {days} x {periods} grid"),
            ));
        }
        p.constraints.push(Constraint::hard(Rule::Unavailable {
            who: Resources::default(),
            lessons: vec![w[0].clone()],
            times: vec![Times {
                day: day_name(d),
                periods: Some(vec![period_name(k)]),
            }],
        }));
    }
    p.constraints
        .push(Constraint::soft(Rule::RoomCapacity { lessons: vec![] }, 1));
    p.constraints.push(Constraint::soft(
        Rule::Isolated {
            who: Resources {
                students: vec!["*".into()],
                ..Resources::default()
            },
        },
        2,
    ));
    p.constraints
        .push(Constraint::soft(Rule::RoomStability { lessons: vec![] }, 1));
    Ok(p)
}

/// Reads a `.sol` solution (`course room day period` per line) for an instance read
/// from a `.ctt` file: the k-th line of a course places its k-th lecture.
pub fn parse_sol(text: &str, file: &Path, inst: &Instance) -> Result<Timetable, Error> {
    let g = &inst.grid;
    let (lessons, rooms) = (inst.lessons_by_id(), inst.rooms_by_name());
    let mut next = vec![0u32; inst.lessons.len()];
    let mut tt = Timetable::empty(inst);
    for (n, w) in lines(text) {
        if w.len() != 4 {
            return Err(syntax(
                file,
                n,
                format!(
                    "expected \"course room day period\", found {} fields",
                    w.len()
                ),
            ));
        }
        let &l = lessons
            .get(w[0])
            .ok_or_else(|| syntax(file, n, format!("unknown course \"{}\"", w[0])))?;
        let &room = rooms
            .get(w[1])
            .ok_or_else(|| syntax(file, n, format!("unknown room \"{}\"", w[1])))?;
        let (d, k) = (
            number(file, n, w[2], "a day")? as usize,
            number(file, n, w[3], "a period")? as usize,
        );
        if d >= g.day_count() || k >= g.periods_per_day() {
            return Err(syntax(
                file,
                n,
                format!("day {d} period {k} is outside the grid"),
            ));
        }
        let events = inst.lessons[l].events.clone();
        if next[l] as usize >= events.len() {
            return Err(syntax(
                file,
                n,
                format!("course {} has only {} lectures", w[0], events.len()),
            ));
        }
        let e = events.start + next[l];
        next[l] += 1;
        tt.starts[e as usize] = g.slot(d, k);
        tt.rooms[inst.room_range(e).start] = room;
    }
    Ok(tt)
}

/// A timetable as a `.sol` file: one line per scheduled lecture.
pub fn write_sol(inst: &Instance, tt: &Timetable) -> String {
    let g = &inst.grid;
    let mut out = String::new();
    for (e, ev) in inst.events.iter().enumerate() {
        let s = tt.starts[e];
        if s == UNPLACED {
            continue;
        }
        let room = tt
            .rooms_of(inst, e as u32)
            .first()
            .copied()
            .filter(|&r| r != NO_ROOM);
        let room = room.map_or("-", |r| inst.resource_name(r));
        out += &format!(
            "{} {room} {} {}\n",
            inst.lessons[ev.lesson as usize].id,
            g.day(s),
            g.period(s)
        );
    }
    out
}
