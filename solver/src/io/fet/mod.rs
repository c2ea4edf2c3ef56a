//! FET (`.fet`, FET 5 and FET 6 "Official" mode): schools of the open-source timetabler
//! FET, read into the creneau model, and written back with a timetable locked in.
//!
//! Mapping (see also `docs/fet.md`):
//! - days and hours become days and periods (named as in FET);
//! - FET's students tree (years, groups, subgroups) becomes classes and groups: every
//!   set that is not divided further (a subgroup, a group without subgroups, a year
//!   without groups) is a class with one atomic subgroup; years and groups are groups
//!   of those;
//! - each active activity is a lesson (id = FET activity id) with one session of its
//!   duration; inactive activities, and inactive or 0 % constraints, are skipped;
//! - a constraint of weight 100 % is hard; below, soft with weight = the percentage
//!   (rounded, at least 1);
//! - rooms: an activity needs a room when a 100 % room constraint names its rooms:
//!   the intersection of its preferred-room constraints (activity, subject, activity
//!   tag), else of its home-room constraints (teacher, students set). Capacities are a
//!   hard `room_capacity` rule (FET's students count of the activity).
//! - a 100 % preferred starting time of one activity pins its session; that is how FET
//!   writes its timetables (`*_data_and_timetable.fet`), so such a file reads as a
//!   school with its timetable ([`FetSchool::locked`]).
//!
//! Constraint types with no creneau rule are counted in [`FetSchool::unsupported`],
//! never silently dropped.

mod constraints;
mod export;
mod xml;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use roxmltree::{Document, Node};

pub use export::write_fet;

use crate::io::Error;
use crate::model::{
    Class, Constraint, Group, Lesson, Period, Problem, Room, RoomNeed, Rule, SessionDetail,
    SessionSpec, Teacher, TimeGrid,
};
use xml::{children, text, texts, Xml};

/// A FET school read into the creneau model.
#[derive(Debug)]
pub struct FetSchool {
    /// The problem (lesson ids are FET activity ids).
    pub problem: Problem,
    /// FET constraint types creneau does not read yet, with how many active constraints
    /// of each the file has (soft room preferences count as `Type (below 100 %)`).
    pub unsupported: BTreeMap<String, usize>,
}

impl FetSchool {
    /// Whether every session is pinned (a FET timetable: `*_data_and_timetable.fet`).
    pub fn locked(&self) -> bool {
        !self.problem.lessons.is_empty()
            && self.problem.lessons.iter().all(|l| {
                l.sessions
                    .iter()
                    .all(|s| matches!(s, SessionSpec::Detailed(d) if d.day.is_some()))
            })
    }

    /// Unsupported constraints as one line each: `Type: count`.
    pub fn unsupported_report(&self) -> Vec<String> {
        self.unsupported
            .iter()
            .map(|(t, n)| format!("{t}: {n}"))
            .collect()
    }
}

/// One FET activity, as read.
struct Activity {
    id: String,
    group: String,
    teachers: Vec<String>,
    subject: String,
    tags: Vec<String>,
    students: Vec<String>,
    duration: u8,
    headcount: u32,
    /// Pinned (day, hour), from a 100 % preferred starting time.
    pin: Option<(String, String)>,
    /// Intersection of the 100 % preferred-room constraints on it.
    preferred_rooms: Option<BTreeSet<String>>,
    /// Intersection of the 100 % home-room constraints on it.
    home_rooms: Option<BTreeSet<String>>,
}

/// A room preference below 100 %: a `preferred_rooms` wish on its activities (which
/// get an optional room need among its rooms when they require none).
struct SoftRooms {
    targets: Vec<String>,
    rooms: Vec<String>,
    weight: u32,
}

/// The school as read so far, for the constraint readers.
struct School {
    days: Vec<String>,
    hours: Vec<String>,
    teachers: BTreeSet<String>,
    rooms: BTreeSet<String>,
    /// Whether some room is in a named building.
    has_buildings: bool,
    /// Every students set: its atomic sets and its number of students.
    sets: HashMap<String, (Vec<String>, u32)>,
    activities: Vec<Activity>,
    by_id: HashMap<String, usize>,
    soft_rooms: Vec<SoftRooms>,
}

/// Reads a `.fet` file's text.
pub fn parse_fet(source: &str, file: &Path) -> Result<FetSchool, Error> {
    let doc = Document::parse(source).map_err(|e| {
        let pos = e.pos();
        Error::Syntax {
            file: file.to_path_buf(),
            line: pos.row as usize,
            column: pos.col as usize,
            path: "fet".into(),
            message: e.to_string(),
        }
    })?;
    let x = Xml { doc: &doc, file };
    let root = doc.root_element();
    if root.tag_name().name() != "fet" {
        return Err(x.error(root, "not a FET file: the root element is not <fet>"));
    }
    if let Some(mode) = text(root, "Mode")
        .map(str::trim)
        .filter(|m| *m != "Official")
    {
        return Err(x.error(
            root,
            format!("FET's {mode} mode is not supported (only the Official mode is)"),
        ));
    }
    let mut school = read_structure(&x, root)?;
    let mut constraints = Vec::new();
    let mut unsupported = BTreeMap::new();
    for list in ["Time_Constraints_List", "Space_Constraints_List"] {
        if let Some(list) = children(root, list).next() {
            constraints::read(&x, list, &mut school, &mut constraints, &mut unsupported)?;
        }
    }
    Ok(FetSchool {
        problem: build(&x, root, school, constraints),
        unsupported,
    })
}

fn names(x: &Xml, list: Node, item: &str) -> Result<Vec<String>, Error> {
    children(list, item)
        .map(|n| x.required(n, "Name").map(str::to_string))
        .collect()
}

fn read_structure(x: &Xml, root: Node) -> Result<School, Error> {
    let days = names(x, x.list(root, "Days_List")?, "Day")?;
    let hours = names(x, x.list(root, "Hours_List")?, "Hour")?;
    if days.is_empty() || hours.is_empty() {
        return Err(x.error(root, "the file has no days or no hours"));
    }
    if hours.len() > 64 || days.len() > 64 {
        return Err(x.error(root, "more than 64 days or more than 64 hours a day"));
    }
    let teachers = match children(root, "Teachers_List").next() {
        Some(l) => names(x, l, "Teacher")?.into_iter().collect(),
        None => BTreeSet::new(),
    };
    let mut has_buildings = false;
    let rooms = match children(root, "Rooms_List").next() {
        Some(l) => {
            for r in children(l, "Room") {
                if x.flag(r, "Virtual", false)? {
                    return Err(x.error(r, "virtual rooms are not supported yet"));
                }
                has_buildings |= text(r, "Building").is_some_and(|b| !b.trim().is_empty());
            }
            names(x, l, "Room")?.into_iter().collect()
        }
        None => BTreeSet::new(),
    };
    let sets = match children(root, "Students_List").next() {
        Some(l) => read_students(x, l)?,
        None => HashMap::new(),
    };
    let mut school = School {
        days,
        hours,
        teachers,
        rooms,
        has_buildings,
        sets,
        activities: Vec::new(),
        by_id: HashMap::new(),
        soft_rooms: Vec::new(),
    };
    if let Some(list) = children(root, "Activities_List").next() {
        for a in children(list, "Activity") {
            if !x.flag(a, "Active", true)? {
                continue;
            }
            let activity = read_activity(x, a, &school)?;
            if school.by_id.contains_key(&activity.id) {
                return Err(x.error(a, format!("activity id {} appears twice", activity.id)));
            }
            school
                .by_id
                .insert(activity.id.clone(), school.activities.len());
            school.activities.push(activity);
        }
    }
    Ok(school)
}

/// Years, groups and subgroups: each set with its atomic sets and size.
fn read_students(x: &Xml, list: Node) -> Result<HashMap<String, (Vec<String>, u32)>, Error> {
    let mut sets: HashMap<String, (Vec<String>, u32)> = HashMap::new();
    let size = |n: Node| -> Result<u32, Error> {
        match text(n, "Number_of_Students") {
            None | Some("") => Ok(0),
            Some(_) => x.number(n, "Number_of_Students"),
        }
    };
    for year in children(list, "Year") {
        let mut year_atoms = Vec::new();
        for group in children(year, "Group") {
            let mut group_atoms = Vec::new();
            for sub in children(group, "Subgroup") {
                let name = x.required(sub, "Name")?.to_string();
                sets.insert(name.clone(), (vec![name.clone()], size(sub)?));
                group_atoms.push(name);
            }
            let name = x.required(group, "Name")?.to_string();
            if group_atoms.is_empty() {
                group_atoms.push(name.clone());
            }
            year_atoms.extend(group_atoms.iter().cloned());
            merge_set(&mut sets, name, group_atoms, size(group)?);
        }
        let name = x.required(year, "Name")?.to_string();
        if year_atoms.is_empty() {
            year_atoms.push(name.clone());
        }
        merge_set(&mut sets, name, year_atoms, size(year)?);
    }
    Ok(sets)
}

/// Adds a set; a group listed under several years is one set with the union of atoms.
fn merge_set(
    sets: &mut HashMap<String, (Vec<String>, u32)>,
    name: String,
    mut atoms: Vec<String>,
    size: u32,
) {
    let entry = sets.entry(name).or_insert_with(|| (Vec::new(), size));
    entry.0.append(&mut atoms);
    entry.0.sort();
    entry.0.dedup();
}

fn read_activity(x: &Xml, a: Node, school: &School) -> Result<Activity, Error> {
    let id = x.required(a, "Id")?.trim().to_string();
    let teachers: Vec<String> = texts(a, "Teacher").into_iter().map(String::from).collect();
    for t in &teachers {
        if !school.teachers.contains(t) {
            return Err(x.error(a, format!("activity {id}: unknown teacher \"{t}\"")));
        }
    }
    let students: Vec<String> = texts(a, "Students").into_iter().map(String::from).collect();
    let mut headcount = 0;
    for s in &students {
        match school.sets.get(s) {
            Some((_, n)) => headcount += n,
            None => return Err(x.error(a, format!("activity {id}: unknown students set \"{s}\""))),
        }
    }
    if let Some(n) = text(a, "Number_Of_Students") {
        headcount = n.trim().parse().map_err(|_| {
            x.error(
                a,
                format!("<Number_Of_Students> should be a number, found \"{n}\""),
            )
        })?;
    }
    let duration: u8 = x.number(a, "Duration")?;
    if duration == 0 || duration as usize > school.hours.len() {
        return Err(x.error(
            a,
            format!("activity {id}: duration {duration} does not fit in a day"),
        ));
    }
    Ok(Activity {
        group: text(a, "Activity_Group_Id")
            .unwrap_or("0")
            .trim()
            .to_string(),
        subject: text(a, "Subject").unwrap_or("").to_string(),
        tags: texts(a, "Activity_Tag")
            .into_iter()
            .map(String::from)
            .collect(),
        id,
        teachers,
        students,
        duration,
        headcount,
        pin: None,
        preferred_rooms: None,
        home_rooms: None,
    })
}

/// The creneau problem of a school read with its constraints.
fn build(x: &Xml, root: Node, school: School, constraints: Vec<Constraint>) -> Problem {
    let name = text(root, "Institution_Name")
        .filter(|n| !n.is_empty())
        .map(String::from)
        .unwrap_or_else(|| x.file.display().to_string());
    let capacities: HashMap<String, (Option<u32>, Option<String>)> =
        match children(root, "Rooms_List").next() {
            Some(l) => children(l, "Room")
                .map(|r| {
                    let name = text(r, "Name").unwrap_or("").to_string();
                    let capacity = text(r, "Capacity").and_then(|c| c.trim().parse().ok());
                    let building = text(r, "Building")
                        .filter(|b| !b.is_empty())
                        .map(String::from);
                    (name, (capacity, building))
                })
                .collect(),
            None => HashMap::new(),
        };
    let mut classes = Vec::new();
    let mut groups = Vec::new();
    let mut set_names: Vec<&String> = school.sets.keys().collect();
    set_names.sort();
    for name in set_names {
        let (atoms, size) = &school.sets[name];
        if atoms.len() == 1 && &atoms[0] == name {
            classes.push(Class {
                name: name.clone(),
                students: *size,
                divisions: vec![],
            });
        } else if !atoms.contains(name) {
            groups.push(Group {
                name: name.clone(),
                members: atoms.clone(),
            });
        }
    }
    // Per activity, the rooms its room preferences below 100 % name.
    let mut wished: HashMap<String, BTreeSet<String>> = HashMap::new();
    for soft in &school.soft_rooms {
        for t in &soft.targets {
            wished
                .entry(t.clone())
                .or_default()
                .extend(soft.rooms.iter().cloned());
        }
    }
    let mut lessons = Vec::new();
    let mut any_room = false;
    for a in school.activities {
        let session = match &a.pin {
            Some((day, hour)) => SessionSpec::Detailed(SessionDetail {
                duration: a.duration,
                day: Some(day.clone()),
                period: Some(hour.clone()),
                rooms: vec![],
            }),
            None => SessionSpec::Duration(a.duration),
        };
        // As FET does, rooms too small for the activity are not candidates (unless
        // none is large enough: the capacity rule then reports it).
        let fits = |r: &String| {
            capacities
                .get(r)
                .and_then(|c| c.0)
                .is_none_or(|c| c >= a.headcount)
        };
        let large = |set: BTreeSet<String>| {
            let large: Vec<String> = set.iter().filter(|r| fits(r)).cloned().collect();
            if large.is_empty() {
                set.into_iter().collect()
            } else {
                large
            }
        };
        let required = a.preferred_rooms.or(a.home_rooms);
        // Without a required room, FET's room preferences below 100 % may give one of
        // their rooms or none: an optional need among them.
        let optional = required.is_none();
        let rooms: Vec<RoomNeed> = required
            .or_else(|| wished.remove(&a.id))
            .map(|set| RoomNeed {
                kind: None,
                one_of: large(set),
                optional,
            })
            .into_iter()
            .collect();
        any_room |= !rooms.is_empty();
        lessons.push(Lesson {
            id: a.id,
            subject: a.subject,
            teachers: a.teachers,
            students: a.students,
            headcount: Some(a.headcount),
            sessions: vec![session],
            weeks: "every".into(),
            rooms,
        });
    }
    let mut constraints = constraints;
    for soft in school.soft_rooms {
        constraints.push(Constraint::soft(
            Rule::PreferredRooms {
                lessons: soft.targets,
                rooms: soft.rooms,
            },
            soft.weight,
        ));
    }
    if any_room {
        constraints.push(Constraint::hard(Rule::RoomCapacity { lessons: vec![] }));
    }
    Problem {
        name,
        time: TimeGrid {
            days: school.days,
            periods: school
                .hours
                .into_iter()
                .map(|h| Period {
                    name: h,
                    start: None,
                    end: None,
                    break_after: false,
                })
                .collect(),
            weeks: vec![],
        },
        teachers: school
            .teachers
            .into_iter()
            .map(|name| Teacher { name })
            .collect(),
        rooms: school
            .rooms
            .into_iter()
            .map(|name| {
                let (capacity, building) = capacities.get(&name).cloned().unwrap_or_default();
                Room {
                    name,
                    capacity,
                    kind: None,
                    building,
                }
            })
            .collect(),
        classes,
        groups,
        lessons,
        constraints,
    }
}
