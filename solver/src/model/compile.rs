//! Checking a [`Problem`] and compiling it into an [`Instance`].

use std::collections::HashMap;
use std::fmt;

use crate::model::constraint::{
    CompiledConstraint, CompiledRule, Penalty, Relation, ResourceLimit,
};
use crate::model::instance::{
    Event, EventId, Grid, Instance, LessonInfo, ResId, Resource, ResourceKind, Slot, StudentSet,
    MAX_ROOM_NEEDS,
};
use crate::model::problem::{CostFunction, Problem, Resources, Rule, SessionSpec, Times};

/// One mistake in a problem: where (a field path such as `lessons[12].teachers[0]`)
/// and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// Field path.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every mistake found in a problem (at least one).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ModelErrors(pub Vec<ModelError>);

impl fmt::Display for ModelErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Most periods a day (one bit each in a `u64`).
pub const MAX_PERIODS: usize = 64;
/// Most days of a grid (rules keep a set of days in a 64-bit mask).
pub const MAX_DAYS: usize = 64;
/// Most weeks in a cycle (one bit each in a `u8`).
pub const MAX_WEEKS: usize = 8;

impl Problem {
    /// Checks every field and reference, and compiles the problem into an [`Instance`].
    /// All mistakes found are returned together.
    pub fn compile(&self) -> Result<Instance, ModelErrors> {
        let mut c = Compiler::default();
        let grid = c.grid(self);
        let inst = c.build(self, grid);
        if c.errors.is_empty() {
            Ok(inst)
        } else {
            Err(ModelErrors(c.errors))
        }
    }
}

#[derive(Default)]
struct Compiler {
    errors: Vec<ModelError>,
    teachers: HashMap<String, ResId>,
    rooms: HashMap<String, ResId>,
    sets: HashMap<String, usize>,
    lessons: HashMap<String, u32>,
}

fn index_names<'a>(
    names: impl Iterator<Item = &'a str>,
    path: &str,
    what: &str,
    errors: &mut Vec<ModelError>,
) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, name) in names.enumerate() {
        if name.trim().is_empty() {
            errors.push(err(format!("{path}[{i}]"), format!("empty {what} name")));
        } else if map.insert(name.to_string(), i).is_some() {
            errors.push(err(
                format!("{path}[{i}]"),
                format!("duplicate {what} \"{name}\""),
            ));
        }
    }
    map
}

fn err(path: impl Into<String>, message: impl Into<String>) -> ModelError {
    ModelError {
        path: path.into(),
        message: message.into(),
    }
}

impl Compiler {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(err(path, message));
    }

    fn grid(&mut self, p: &Problem) -> Grid {
        let t = &p.time;
        if t.days.is_empty() || t.days.len() > MAX_DAYS {
            self.fail(
                "time.days",
                format!("between 1 and {MAX_DAYS} days are needed"),
            );
        }
        if t.periods.is_empty() || t.periods.len() > MAX_PERIODS {
            self.fail(
                "time.periods",
                format!("between 1 and {MAX_PERIODS} periods are needed"),
            );
        }
        if t.weeks.len() > MAX_WEEKS {
            self.fail(
                "time.weeks",
                format!("at most {MAX_WEEKS} weeks in a cycle"),
            );
        }
        index_names(
            t.days.iter().map(|s| s.as_str()),
            "time.days",
            "day",
            &mut self.errors,
        );
        index_names(
            t.periods.iter().map(|p| p.name.as_str()),
            "time.periods",
            "period",
            &mut self.errors,
        );
        index_names(
            t.weeks.iter().map(|s| s.as_str()),
            "time.weeks",
            "week",
            &mut self.errors,
        );
        let mut break_after = 0u64;
        for (i, period) in t.periods.iter().enumerate().take(MAX_PERIODS) {
            if period.break_after {
                break_after |= 1 << i;
            }
        }
        Grid {
            days: t.days.clone(),
            periods: t.periods.iter().map(|p| p.name.clone()).collect(),
            period_times: t
                .periods
                .iter()
                .map(|p| (p.start.clone(), p.end.clone()))
                .collect(),
            weeks: if t.weeks.is_empty() {
                vec![String::new()]
            } else {
                t.weeks.clone()
            },
            break_after,
            places: (0..t.days.len())
                .flat_map(|d| (0..t.periods.len()).map(move |p| (d as u8, p as u8)))
                .collect(),
        }
    }

    fn build(&mut self, p: &Problem, grid: Grid) -> Instance {
        let mut resources = Vec::new();
        // Teachers.
        let tmap = index_names(
            p.teachers.iter().map(|t| t.name.as_str()),
            "teachers",
            "teacher",
            &mut self.errors,
        );
        for t in &p.teachers {
            resources.push(Resource {
                name: t.name.clone(),
                kind: ResourceKind::Teacher,
                size: 0.0,
                label: None,
            });
        }
        self.teachers = tmap.into_iter().map(|(k, v)| (k, v as ResId)).collect();
        let teachers = 0..resources.len() as ResId;

        // Atomic subgroups and student sets.
        let student_sets = self.students(p, &mut resources);
        let atoms = teachers.end..resources.len() as ResId;

        // Rooms.
        let rmap = index_names(
            p.rooms.iter().map(|r| r.name.as_str()),
            "rooms",
            "room",
            &mut self.errors,
        );
        for r in &p.rooms {
            resources.push(Resource {
                name: r.name.clone(),
                kind: ResourceKind::Room,
                size: r.capacity.map_or(f64::INFINITY, f64::from),
                label: r.kind.clone(),
            });
        }
        self.rooms = rmap
            .into_iter()
            .map(|(k, v)| (k, (atoms.end as usize + v) as ResId))
            .collect();
        let rooms = atoms.end..resources.len() as ResId;

        let (lessons, events, room_offset) = self.lessons(p, &grid, &resources, &student_sets);
        let mut inst = Instance {
            name: p.name.clone(),
            grid,
            resources,
            teachers,
            atoms,
            rooms,
            student_sets,
            lessons,
            events,
            room_offset,
            constraints: Vec::new(),
            blocks: Vec::new(),
            block_of: Vec::new(),
            unavailable: Vec::new(),
        };
        let constraints: Vec<CompiledConstraint> = p
            .constraints
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let path = format!("constraints[{i}]");
                let rule = self.rule(&c.rule, &path, &inst)?;
                Some(CompiledConstraint {
                    label: format!("{path} {}", c.rule.type_name()),
                    kind: c.rule.type_name(),
                    rule,
                    hard: c.hard,
                    penalty: Penalty {
                        weight: c.weight as i64,
                        quadratic: c.cost == CostFunction::Quadratic,
                    },
                    owner: c.owner.clone(),
                })
            })
            .collect();
        inst.constraints = constraints;
        inst.unavailable = hard_unavailable(&inst);
        self.blocks(&mut inst);
        inst
    }

    fn students(&mut self, p: &Problem, resources: &mut Vec<Resource>) -> Vec<StudentSet> {
        let mut sets: Vec<StudentSet> = Vec::new();
        for (ci, class) in p.classes.iter().enumerate() {
            let path = format!("classes[{ci}]");
            if class.name.trim().is_empty() || class.name.contains(':') {
                self.fail(
                    format!("{path}.name"),
                    "a class name must be non-empty and contain no ':'",
                );
            }
            // Cartesian product of the divisions' parts.
            let mut combos: Vec<Vec<usize>> = vec![vec![]];
            for (di, d) in class.divisions.iter().enumerate() {
                if d.parts.is_empty() {
                    self.fail(
                        format!("{path}.divisions[{di}].parts"),
                        "a division needs at least one part",
                    );
                    continue;
                }
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        (0..d.parts.len()).map(move |k| {
                            let mut c = c.clone();
                            c.push(k);
                            c
                        })
                    })
                    .collect();
            }
            let first = resources.len() as ResId;
            let size = class.students as f64 / combos.len() as f64;
            for combo in &combos {
                let mut name = class.name.clone();
                for (di, &k) in combo.iter().enumerate() {
                    name.push('/');
                    name.push_str(&class.divisions[di].parts[k]);
                }
                resources.push(Resource {
                    name,
                    kind: ResourceKind::Students,
                    size,
                    label: None,
                });
            }
            let all: Vec<ResId> = (first..resources.len() as ResId).collect();
            self.add_set(&mut sets, &class.name, all, true, &format!("{path}.name"));
            let mut seen_parts = HashMap::new();
            for (di, d) in class.divisions.iter().enumerate() {
                for (k, part) in d.parts.iter().enumerate() {
                    let ppath = format!("{path}.divisions[{di}].parts[{k}]");
                    if seen_parts.insert(part.clone(), ()).is_some() {
                        self.fail(
                            ppath.clone(),
                            format!("part \"{part}\" appears twice in class {}", class.name),
                        );
                    }
                    let members = combos
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c[di] == k)
                        .map(|(i, _)| first + i as ResId)
                        .collect();
                    let name = format!("{}:{}", class.name, part);
                    self.add_set(&mut sets, &name, members, false, &ppath);
                }
            }
        }
        for (gi, g) in p.groups.iter().enumerate() {
            let path = format!("groups[{gi}]");
            let mut atoms = Vec::new();
            for (mi, m) in g.members.iter().enumerate() {
                match self.sets.get(m) {
                    Some(&s) => atoms.extend_from_slice(&sets[s].atoms),
                    None => self.fail(
                        format!("{path}.members[{mi}]"),
                        format!("unknown class, class part or group \"{m}\" (groups may only use groups defined before them)"),
                    ),
                }
            }
            atoms.sort_unstable();
            atoms.dedup();
            if g.members.is_empty() {
                self.fail(format!("{path}.members"), "a group needs members");
            }
            self.add_set(&mut sets, &g.name, atoms, false, &format!("{path}.name"));
        }
        sets
    }

    fn add_set(
        &mut self,
        sets: &mut Vec<StudentSet>,
        name: &str,
        atoms: Vec<ResId>,
        is_class: bool,
        path: &str,
    ) {
        if self.sets.contains_key(name) {
            self.fail(path, format!("duplicate student set name \"{name}\""));
            return;
        }
        self.sets.insert(name.to_string(), sets.len());
        sets.push(StudentSet {
            name: name.to_string(),
            atoms,
            is_class,
        });
    }

    fn day_index(&mut self, grid: &Grid, day: &str, path: &str) -> Option<usize> {
        let d = grid.days.iter().position(|d| d == day);
        if d.is_none() {
            self.fail(path, format!("unknown day \"{day}\""));
        }
        d
    }

    fn period_index(&mut self, grid: &Grid, period: &str, path: &str) -> Option<usize> {
        let p = grid.periods.iter().position(|p| p == period);
        if p.is_none() {
            self.fail(path, format!("unknown period \"{period}\""));
        }
        p
    }

    #[allow(clippy::type_complexity)]
    fn lessons(
        &mut self,
        p: &Problem,
        grid: &Grid,
        resources: &[Resource],
        sets: &[StudentSet],
    ) -> (Vec<LessonInfo>, Vec<Event>, Vec<u32>) {
        let mut lessons = Vec::new();
        let mut events = Vec::new();
        let mut room_offset = vec![0u32];
        let ids = index_names(
            p.lessons.iter().map(|l| l.id.as_str()),
            "lessons",
            "lesson id",
            &mut self.errors,
        );
        self.lessons = ids.into_iter().map(|(k, v)| (k, v as u32)).collect();
        for (li, l) in p.lessons.iter().enumerate() {
            let path = format!("lessons[{li}]");
            let mut teachers = Vec::new();
            for (ti, t) in l.teachers.iter().enumerate() {
                match self.teachers.get(t) {
                    Some(&r) => teachers.push(r),
                    None => self.fail(
                        format!("{path}.teachers[{ti}]"),
                        format!("unknown teacher \"{t}\""),
                    ),
                }
            }
            let mut atoms = Vec::new();
            for (si, s) in l.students.iter().enumerate() {
                match self.sets.get(s) {
                    Some(&k) => atoms.extend_from_slice(&sets[k].atoms),
                    None => self.fail(
                        format!("{path}.students[{si}]"),
                        format!("unknown class, class part or group \"{s}\""),
                    ),
                }
            }
            atoms.sort_unstable();
            atoms.dedup();
            let mut event_resources: Vec<ResId> = teachers
                .iter()
                .copied()
                .chain(atoms.iter().copied())
                .collect();
            event_resources.sort_unstable();
            if event_resources.windows(2).any(|w| w[0] == w[1]) {
                self.fail(format!("{path}.teachers"), "a teacher is listed twice");
                event_resources.dedup();
            }
            let headcount = l.headcount.unwrap_or_else(|| {
                atoms
                    .iter()
                    .map(|&a| resources[a as usize].size)
                    .sum::<f64>()
                    .round() as u32
            });
            let week_options = self.week_options(grid, &l.weeks, &format!("{path}.weeks"));
            let mut needs = Vec::new();
            let optional_rooms = l
                .rooms
                .iter()
                .enumerate()
                .filter(|(_, need)| need.optional)
                .fold(0u8, |mask, (k, _)| mask | 1 << k.min(7));
            if l.rooms.len() > MAX_ROOM_NEEDS {
                self.fail(
                    format!("{path}.rooms"),
                    format!("at most {MAX_ROOM_NEEDS} rooms per session"),
                );
            }
            for (ni, need) in l.rooms.iter().enumerate() {
                let npath = format!("{path}.rooms[{ni}]");
                for (ri, r) in need.one_of.iter().enumerate() {
                    if !self.rooms.contains_key(r) {
                        self.fail(
                            format!("{npath}.one_of[{ri}]"),
                            format!("unknown room \"{r}\""),
                        );
                    }
                }
                let of_kind = |r: ResId| {
                    need.kind
                        .as_ref()
                        .is_none_or(|k| resources[r as usize].label.as_ref() == Some(k))
                };
                let mut cands: Vec<ResId> = if need.one_of.is_empty() {
                    self.rooms
                        .values()
                        .copied()
                        .filter(|&r| of_kind(r))
                        .collect()
                } else {
                    (need.one_of.iter())
                        .filter_map(|name| self.rooms.get(name).copied())
                        .filter(|&r| of_kind(r))
                        .collect()
                };
                cands.sort_unstable();
                cands.dedup();
                if cands.is_empty() {
                    self.fail(npath, "no room matches this need");
                }
                needs.push(cands);
            }
            let first = events.len() as EventId;
            for (si, s) in l.sessions.iter().enumerate() {
                let spath = format!("{path}.sessions[{si}]");
                let duration = s.duration();
                if duration == 0 || duration as usize > grid.periods_per_day() {
                    self.fail(
                        spath.clone(),
                        format!(
                            "duration must be between 1 and {} periods",
                            grid.periods_per_day()
                        ),
                    );
                }
                let mut starts: Vec<Slot> = (0..grid.slot_count() as Slot)
                    .filter(|&s| grid.fits(s, duration))
                    .collect();
                let mut pinned_rooms = None;
                if let SessionSpec::Detailed(d) = s {
                    match (&d.day, &d.period) {
                        (Some(day), Some(period)) => {
                            let dd = self.day_index(grid, day, &format!("{spath}.day"));
                            let pp = self.period_index(grid, period, &format!("{spath}.period"));
                            if let (Some(dd), Some(pp)) = (dd, pp) {
                                let slot = grid.slot(dd, pp);
                                if grid.fits(slot, duration) {
                                    starts = vec![slot];
                                } else {
                                    self.fail(
                                        spath.clone(),
                                        format!("a session of {duration} periods cannot start at {day} {period}"),
                                    );
                                }
                            }
                        }
                        (None, None) => {}
                        _ => self.fail(spath.clone(), "a pinned session needs both day and period"),
                    }
                    if !d.rooms.is_empty() {
                        if d.rooms.len() != needs.len() {
                            self.fail(
                                format!("{spath}.rooms"),
                                format!(
                                    "{} pinned rooms for {} room needs",
                                    d.rooms.len(),
                                    needs.len()
                                ),
                            );
                        }
                        let mut pinned = Vec::new();
                        for (ri, r) in d.rooms.iter().enumerate() {
                            match self.rooms.get(r) {
                                Some(&room) if needs.get(ri).is_some_and(|c| c.contains(&room)) => {
                                    pinned.push(room)
                                }
                                Some(_) => self.fail(
                                    format!("{spath}.rooms[{ri}]"),
                                    format!("room \"{r}\" does not match the lesson's room need"),
                                ),
                                None => self.fail(
                                    format!("{spath}.rooms[{ri}]"),
                                    format!("unknown room \"{r}\""),
                                ),
                            }
                        }
                        pinned_rooms = Some(pinned);
                    }
                }
                events.push(Event {
                    lesson: li as u32,
                    index: si as u16,
                    duration,
                    resources: event_resources.clone(),
                    room_needs: needs.clone(),
                    optional_rooms,
                    week_options: week_options.clone(),
                    starts,
                    pinned_rooms,
                });
                room_offset.push(room_offset.last().unwrap() + needs.len() as u32);
            }
            if l.sessions.is_empty() {
                self.fail(
                    format!("{path}.sessions"),
                    "a lesson needs at least one session",
                );
            }
            lessons.push(LessonInfo {
                id: l.id.clone(),
                subject: l.subject.clone(),
                events: first..events.len() as EventId,
                headcount,
                teachers,
                student_sets: l.students.clone(),
            });
        }
        (lessons, events, room_offset)
    }

    fn week_options(&mut self, grid: &Grid, spec: &str, path: &str) -> Vec<u8> {
        let all = grid.all_weeks();
        match spec {
            "every" => vec![all],
            "either" if grid.week_count() > 1 => (0..grid.week_count()).map(|w| 1u8 << w).collect(),
            "either" => {
                self.fail(path, "\"either\" needs a week cycle in time.weeks");
                vec![all]
            }
            name => match grid.weeks.iter().position(|w| w == name) {
                Some(w) if grid.week_count() > 1 => vec![1 << w],
                _ => {
                    self.fail(
                        path,
                        format!("expected \"every\", \"either\" or a week of time.weeks, found \"{name}\""),
                    );
                    vec![all]
                }
            },
        }
    }

    fn resolve_lessons(&mut self, lessons: &[String], path: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, l) in lessons.iter().enumerate() {
            match self.lessons.get(l) {
                Some(&k) => out.push(k),
                None => self.fail(
                    format!("{path}.lessons[{i}]"),
                    format!("unknown lesson \"{l}\""),
                ),
            }
        }
        out
    }

    fn lesson_events(&mut self, lessons: &[String], path: &str, inst: &Instance) -> Vec<EventId> {
        let all = lessons.is_empty();
        let idx: Vec<u32> = if all {
            (0..inst.lessons.len() as u32).collect()
        } else {
            self.resolve_lessons(lessons, path)
        };
        idx.iter()
            .flat_map(|&l| inst.lessons[l as usize].events.clone())
            .collect()
    }

    fn resolve_resources(&mut self, who: &Resources, path: &str, inst: &Instance) -> Vec<ResId> {
        let mut out = Vec::new();
        let mut push_named = |c: &mut Compiler,
                              names: &[String],
                              field: &str,
                              all: std::ops::Range<ResId>,
                              map: Kind| {
            for (i, n) in names.iter().enumerate() {
                if n == "*" {
                    out.extend(all.clone());
                    continue;
                }
                let found = match map {
                    Kind::Teacher => c.teachers.get(n).map(|&r| vec![r]),
                    Kind::Room => c.rooms.get(n).map(|&r| vec![r]),
                    Kind::Students => c.sets.get(n).map(|&s| inst.student_sets[s].atoms.clone()),
                };
                match found {
                    Some(rs) => out.extend(rs),
                    None => c.fail(
                        format!("{path}.{field}[{i}]"),
                        format!("unknown {} \"{n}\"", map.noun()),
                    ),
                }
            }
        };
        push_named(
            self,
            &who.teachers,
            "teachers",
            inst.teachers.clone(),
            Kind::Teacher,
        );
        push_named(
            self,
            &who.students,
            "students",
            inst.atoms.clone(),
            Kind::Students,
        );
        push_named(self, &who.rooms, "rooms", inst.rooms.clone(), Kind::Room);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn times(&mut self, times: &[Times], path: &str, grid: &Grid) -> Vec<u64> {
        let mut masks = vec![0u64; grid.day_count()];
        for (i, t) in times.iter().enumerate() {
            let tpath = format!("{path}.times[{i}]");
            let Some(d) = self.day_index(grid, &t.day, &format!("{tpath}.day")) else {
                continue;
            };
            match &t.periods {
                None => masks[d] = ((1u128 << grid.periods_per_day()) - 1) as u64,
                Some(ps) => {
                    for (k, p) in ps.iter().enumerate() {
                        if let Some(pp) =
                            self.period_index(grid, p, &format!("{tpath}.periods[{k}]"))
                        {
                            masks[d] |= 1 << pp;
                        }
                    }
                }
            }
        }
        masks
    }

    /// Mask of the named periods of `{path}.periods`.
    fn period_mask(&mut self, grid: &Grid, periods: &[String], path: &str) -> u64 {
        let mut mask = 0u64;
        for (k, p) in periods.iter().enumerate() {
            if let Some(pp) = self.period_index(grid, p, &format!("{path}.periods[{k}]")) {
                mask |= 1 << pp;
            }
        }
        mask
    }

    /// The events of `lessons`, or `None` (every event) when none is listed.
    fn only(&mut self, lessons: &[String], path: &str, inst: &Instance) -> Option<Vec<EventId>> {
        (!lessons.is_empty()).then(|| self.lesson_events(lessons, path, inst))
    }

    /// A relation between the sessions of `lessons` (at least two sessions).
    fn relation(
        &mut self,
        lessons: &[String],
        relation: Relation,
        path: &str,
        inst: &Instance,
    ) -> CompiledRule {
        if lessons.is_empty() {
            self.fail(format!("{path}.lessons"), "no lesson listed");
        }
        CompiledRule::Relation {
            events: self.lesson_events(lessons, path, inst),
            relation,
        }
    }

    fn rule(&mut self, rule: &Rule, path: &str, inst: &Instance) -> Option<CompiledRule> {
        let n_err = self.errors.len();
        let limit = |c: &mut Compiler, who: &Resources, limit: u32| ResourceLimit {
            resources: c.resolve_resources(who, path, inst),
            limit,
        };
        let compiled = match rule {
            Rule::Unavailable {
                who,
                lessons,
                times,
            } => CompiledRule::Unavailable {
                resources: self.resolve_resources(who, path, inst),
                events: if lessons.is_empty() {
                    vec![]
                } else {
                    self.lesson_events(lessons, path, inst)
                },
                times: self.times(times, path, &inst.grid),
            },
            Rule::PreferredTimes { lessons, times } => CompiledRule::PreferredTimes {
                events: self.lesson_events(lessons, path, inst),
                starts: self.times(times, path, &inst.grid),
            },
            Rule::SameStart { lessons } => {
                if lessons.len() < 2 {
                    self.fail(
                        format!("{path}.lessons"),
                        "same_start needs at least two lessons",
                    );
                }
                CompiledRule::SameStart {
                    lessons: self.resolve_lessons(lessons, path),
                }
            }
            Rule::MinDaysBetween { lessons, days } => CompiledRule::MinDaysBetween {
                events: self.lesson_events(lessons, path, inst),
                days: *days,
            },
            Rule::SpreadDays { lessons, days } => CompiledRule::SpreadDays {
                events: self.lesson_events(lessons, path, inst),
                days: *days,
            },
            Rule::MaxPerDay { who, max, lessons } => CompiledRule::MaxPerDay {
                limit: limit(self, who, *max),
                only: self.only(lessons, path, inst),
            },
            Rule::MinPerDay {
                who,
                min,
                every_day,
            } => CompiledRule::MinPerDay {
                limit: limit(self, who, *min),
                every_day: *every_day,
            },
            Rule::MaxConsecutive { who, max, lessons } => CompiledRule::MaxConsecutive {
                limit: limit(self, who, *max),
                only: self.only(lessons, path, inst),
            },
            Rule::MaxGapsPerDay { who, max } => CompiledRule::MaxGapsPerDay(limit(self, who, *max)),
            Rule::MaxGapsPerWeek { who, max } => {
                CompiledRule::MaxGapsPerWeek(limit(self, who, *max))
            }
            Rule::MaxDays { who, max, periods } => CompiledRule::WorkingDays {
                limit: limit(self, who, *max),
                periods: match periods {
                    Some(ps) => self.period_mask(&inst.grid, ps, path),
                    None => u64::MAX,
                },
                at_least: false,
            },
            Rule::MinDays { who, min } => CompiledRule::WorkingDays {
                limit: limit(self, who, *min),
                periods: u64::MAX,
                at_least: true,
            },
            Rule::EarlyStart { who, max } => CompiledRule::EarlyStart(limit(self, who, *max)),
            Rule::MinRest { who, min, circular } => CompiledRule::MinRest {
                limit: limit(self, who, *min),
                circular: *circular,
            },
            Rule::Consecutive { lessons } => {
                self.relation(lessons, Relation::Consecutive, path, inst)
            }
            Rule::Grouped { lessons } => self.relation(lessons, Relation::Grouped, path, inst),
            Rule::ConsecutiveIfSameDay { lessons } => {
                self.relation(lessons, Relation::ConsecutiveIfSameDay, path, inst)
            }
            Rule::SameDay { lessons } => self.relation(lessons, Relation::SameDay, path, inst),
            Rule::SamePeriod { lessons } => {
                self.relation(lessons, Relation::SamePeriod, path, inst)
            }
            Rule::NotOverlapping { lessons } => {
                self.relation(lessons, Relation::NotOverlapping, path, inst)
            }
            Rule::MinGap { lessons, periods } => {
                self.relation(lessons, Relation::MinGap(*periods), path, inst)
            }
            Rule::MaxDaysBetween { lessons, days } => {
                self.relation(lessons, Relation::MaxDaysBetween(*days), path, inst)
            }
            Rule::MaxSlots {
                lessons,
                times,
                max,
            } => {
                let times = self.times(times, path, &inst.grid);
                self.relation(lessons, Relation::MaxSlots { times, max: *max }, path, inst)
            }
            Rule::MaxSimultaneous {
                lessons,
                times,
                max,
            } => {
                let times = self.times(times, path, &inst.grid);
                let relation = Relation::MaxSimultaneous { times, max: *max };
                self.relation(lessons, relation, path, inst)
            }
            Rule::MaxRooms { lessons, max } => {
                self.relation(lessons, Relation::MaxRooms(*max), path, inst)
            }
            Rule::SameRoomIfConsecutive { lessons } => {
                self.relation(lessons, Relation::SameRoomIfConsecutive, path, inst)
            }
            Rule::PreferredRooms { lessons, rooms } => CompiledRule::PreferredRooms {
                events: self.lesson_events(lessons, path, inst),
                rooms: {
                    let who = Resources {
                        rooms: rooms.clone(),
                        ..Default::default()
                    };
                    self.resolve_resources(&who, path, inst)
                },
            },
            Rule::EndsDay { lessons } => CompiledRule::EndsDay {
                events: self.lesson_events(lessons, path, inst),
            },
            Rule::LunchBreak {
                who,
                periods,
                min_free,
            } => {
                let mask = self.period_mask(&inst.grid, periods, path);
                if (mask.count_ones()) < *min_free {
                    self.fail(
                        format!("{path}.min_free"),
                        "min_free is larger than the number of lunch periods",
                    );
                }
                CompiledRule::LunchBreak {
                    limit: limit(self, who, *min_free),
                    periods: mask,
                }
            }
            Rule::Isolated { who } => CompiledRule::Isolated {
                resources: self.resolve_resources(who, path, inst),
            },
            Rule::RoomCapacity { lessons } => CompiledRule::RoomCapacity {
                events: self.lesson_events(lessons, path, inst),
            },
            Rule::RoomStability { lessons } => CompiledRule::RoomStability {
                lessons: if lessons.is_empty() {
                    (0..inst.lessons.len() as u32).collect()
                } else {
                    self.resolve_lessons(lessons, path)
                },
            },
        };
        (self.errors.len() == n_err).then_some(compiled)
    }

    /// Groups events tied by hard `same_start` constraints into blocks (union-find).
    fn blocks(&mut self, inst: &mut Instance) {
        let n = inst.events.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while p[r] != r {
                r = p[r];
            }
            let mut y = x;
            while p[y] != r {
                let next = p[y];
                p[y] = r;
                y = next;
            }
            r
        }
        for c in inst.constraints.iter().filter(|c| c.hard) {
            if let CompiledRule::SameStart { lessons } = &c.rule {
                let first = inst.lessons[lessons[0] as usize].events.clone();
                for &l in &lessons[1..] {
                    for (a, b) in first.clone().zip(inst.lessons[l as usize].events.clone()) {
                        let (ra, rb) =
                            (find(&mut parent, a as usize), find(&mut parent, b as usize));
                        parent[ra] = rb;
                    }
                }
            }
        }
        let mut block_index = vec![u32::MAX; n];
        inst.block_of = vec![0; n];
        for e in 0..n {
            let r = find(&mut parent, e);
            if block_index[r] == u32::MAX {
                block_index[r] = inst.blocks.len() as u32;
                inst.blocks.push(Vec::new());
            }
            inst.block_of[e] = block_index[r];
            inst.blocks[block_index[r] as usize].push(e as EventId);
        }
        for block in &inst.blocks {
            if block.len() < 2 {
                continue;
            }
            let common = block_starts(inst, block);
            if common.is_empty() {
                let names: Vec<String> = block.iter().map(|&e| inst.event_name(e)).collect();
                self.fail(
                    "constraints",
                    format!(
                        "aligned sessions {} have no common start time",
                        names.join(", ")
                    ),
                );
            }
        }
    }
}

/// Per resource and day, the periods a hard `unavailable` rule forbids it.
fn hard_unavailable(inst: &Instance) -> Vec<u64> {
    let days = inst.grid.day_count();
    let mut out = vec![0u64; inst.resource_count() * days];
    for c in inst.constraints.iter().filter(|c| c.hard) {
        if let CompiledRule::Unavailable {
            resources, times, ..
        } = &c.rule
        {
            for &r in resources {
                for (d, &t) in times.iter().enumerate() {
                    out[r as usize * days + d] |= t;
                }
            }
        }
    }
    out
}

/// Start slots allowed for every event of a block.
pub fn block_starts(inst: &Instance, block: &[EventId]) -> Vec<Slot> {
    let mut common = inst.events[block[0] as usize].starts.clone();
    for &e in &block[1..] {
        let s = &inst.events[e as usize].starts;
        common.retain(|x| s.binary_search(x).is_ok());
    }
    common
}

#[derive(Clone, Copy)]
enum Kind {
    Teacher,
    Students,
    Room,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Teacher => "teacher",
            Kind::Students => "class, class part or group",
            Kind::Room => "room",
        }
    }
}
