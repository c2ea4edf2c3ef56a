//! FET's time and space constraints, mapped onto creneau rules (or onto the lessons:
//! pins and room needs). The mapping of each type is in `docs/fet.md`.

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::Node;

use super::xml::{children, elements, text, texts, Xml};
use super::{School, SoftRooms};
use crate::io::Error;
use crate::model::{Constraint, Resources, Rule, Times};

/// Reads the constraints of one list into `out`, counting the unsupported types.
pub(super) fn read(
    x: &Xml,
    list: Node,
    school: &mut School,
    out: &mut Vec<Constraint>,
    unsupported: &mut BTreeMap<String, usize>,
) -> Result<(), Error> {
    for c in elements(list) {
        if !x.flag(c, "Active", true)? {
            continue;
        }
        let percent: f64 = x.number(c, "Weight_Percentage")?;
        let kind = c.tag_name().name();
        if percent <= 0.0 {
            // FET enforces "consecutive if same day" whatever the weight, even 0 %.
            if kind == "ConstraintMinDaysBetweenActivities"
                && x.flag(c, "Consecutive_If_Same_Day", false)?
            {
                let lessons: Vec<String> = texts(c, "Activity_Id")
                    .into_iter()
                    .map(str::trim)
                    .filter(|id| school.by_id.contains_key(*id))
                    .map(String::from)
                    .collect();
                if lessons.len() >= 2 {
                    out.push(Constraint::hard(Rule::ConsecutiveIfSameDay { lessons }));
                }
            }
            continue;
        }
        let hard = percent >= 100.0;
        let weight = (percent.round() as u32).max(1);
        let mut reader = Reader {
            x,
            c,
            school,
            hard,
            weight,
        };
        match reader.rules(kind)? {
            Mapped::Rules(rules) => {
                for rule in rules {
                    out.push(if hard {
                        Constraint::hard(rule)
                    } else {
                        Constraint::soft(rule, weight)
                    });
                }
            }
            Mapped::Both(weighted, hard_rules) => {
                out.extend(weighted.into_iter().map(|r| Constraint::soft(r, weight)));
                out.extend(hard_rules.into_iter().map(Constraint::hard));
            }
            Mapped::Lessons => {}
            Mapped::Unsupported => *unsupported.entry(kind.to_string()).or_default() += 1,
        }
    }
    Ok(())
}

/// What a FET constraint became.
enum Mapped {
    /// Rules with the constraint's weight.
    Rules(Vec<Rule>),
    /// Rules with the constraint's (soft) weight, and rules hard whatever the weight.
    Both(Vec<Rule>, Vec<Rule>),
    /// Pins or room needs of lessons (or nothing to do).
    Lessons,
    /// No creneau rule for it.
    Unsupported,
}

struct Reader<'r, 'a, 'i> {
    x: &'r Xml<'a, 'i>,
    c: Node<'a, 'i>,
    school: &'r mut School,
    hard: bool,
    /// Weight of the constraint when soft.
    weight: u32,
}

impl Reader<'_, '_, '_> {
    fn error(&self, message: impl Into<String>) -> Error {
        self.x.error(self.c, message)
    }

    fn number(&self, name: &str) -> Result<u32, Error> {
        self.x.number(self.c, name)
    }

    /// The active activities listed in `field` (constraints on inactive ones ignore
    /// them, as FET does).
    fn ids(&self, field: &str) -> Vec<String> {
        texts(self.c, field)
            .into_iter()
            .map(str::trim)
            .filter(|id| self.school.by_id.contains_key(*id))
            .map(String::from)
            .collect()
    }

    fn day(&self, day: &str) -> Result<String, Error> {
        if self.school.days.iter().any(|d| d == day) {
            Ok(day.to_string())
        } else {
            Err(self.error(format!("unknown day \"{day}\"")))
        }
    }

    fn hour(&self, hour: &str) -> Result<String, Error> {
        if self.school.hours.iter().any(|h| h == hour) {
            Ok(hour.to_string())
        } else {
            Err(self.error(format!("unknown hour \"{hour}\"")))
        }
    }

    /// The (day, hour) pairs of the `item` children, grouped by day.
    fn times(&self, item: &str, day: &str, hour: &str) -> Result<Vec<Times>, Error> {
        let mut by_day: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for t in children(self.c, item) {
            let d = self.day(self.x.required(t, day)?)?;
            let h = self.hour(self.x.required(t, hour)?)?;
            let index = self.school.days.iter().position(|x| *x == d).unwrap_or(0);
            by_day.entry(index).or_default().push(h);
        }
        Ok(by_day
            .into_iter()
            .map(|(d, periods)| Times {
                day: self.school.days[d].clone(),
                periods: Some(periods),
            })
            .collect())
    }

    /// Every (day, hour) not in `times`.
    fn complement(&self, times: &[Times]) -> Vec<Times> {
        self.school
            .days
            .iter()
            .filter_map(|d| {
                let chosen: BTreeSet<&String> = times
                    .iter()
                    .filter(|t| &t.day == d)
                    .flat_map(|t| t.periods.iter().flatten())
                    .collect();
                let rest: Vec<String> = self
                    .school
                    .hours
                    .iter()
                    .filter(|h| !chosen.contains(h))
                    .cloned()
                    .collect();
                (!rest.is_empty()).then(|| Times {
                    day: d.clone(),
                    periods: Some(rest),
                })
            })
            .collect()
    }

    fn teacher(&self) -> Result<String, Error> {
        let t = text(self.c, "Teacher_Name")
            .or_else(|| text(self.c, "Teacher"))
            .ok_or_else(|| self.error("no <Teacher_Name>"))?;
        if self.school.teachers.contains(t) {
            Ok(t.to_string())
        } else {
            Err(self.error(format!("unknown teacher \"{t}\"")))
        }
    }

    fn students(&self, field: &str) -> Result<String, Error> {
        let s = self.x.required(self.c, field)?;
        if self.school.sets.contains_key(s) {
            Ok(s.to_string())
        } else {
            Err(self.error(format!("unknown students set \"{s}\"")))
        }
    }

    fn room(&self, name: &str) -> Result<String, Error> {
        if self.school.rooms.contains(name) {
            Ok(name.to_string())
        } else {
            Err(self.error(format!("unknown room \"{name}\"")))
        }
    }

    /// Activities matching the optional teacher, students, subject, activity tag and
    /// duration filters of "activities" constraints (and the component number of
    /// "subactivities" ones: the n-th activity of its split group).
    fn filtered(&self) -> Result<Vec<String>, Error> {
        let field = |name| text(self.c, name).filter(|t| !t.is_empty());
        let (teacher, students, subject, tag) = (
            field("Teacher_Name"),
            field("Students_Name"),
            field("Subject_Name"),
            field("Activity_Tag_Name"),
        );
        let duration: Option<u8> = match field("Duration") {
            Some(_) => Some(self.x.number(self.c, "Duration")?),
            None => None,
        };
        let component: Option<usize> = match field("Component_Number") {
            Some(_) => Some(self.x.number(self.c, "Component_Number")?),
            None => None,
        };
        let acts = &self.school.activities;
        Ok(acts
            .iter()
            .filter(|a| {
                teacher.is_none_or(|t| a.teachers.iter().any(|x| x == t))
                    && students.is_none_or(|s| self.shares_students(&a.students, s))
                    && subject.is_none_or(|s| a.subject == s)
                    && tag.is_none_or(|t| a.tags.iter().any(|x| x == t))
                    && duration.is_none_or(|d| a.duration == d)
                    && component.is_none_or(|n| {
                        let position = if a.group == "0" {
                            1
                        } else {
                            acts.iter()
                                .filter(|b| b.group == a.group)
                                .position(|b| b.id == a.id)
                                .map_or(0, |p| p + 1)
                        };
                        position == n
                    })
            })
            .map(|a| a.id.clone())
            .collect())
    }

    /// Whether students sets `sets` share a student with set `other` (as FET matches
    /// the students filter of "activities" constraints: a year's filter takes the
    /// activities of its groups too).
    fn shares_students(&self, sets: &[String], other: &str) -> bool {
        let Some((wanted, _)) = self.school.sets.get(other) else {
            return false;
        };
        sets.iter().any(|s| {
            self.school
                .sets
                .get(s)
                .is_some_and(|(atoms, _)| atoms.iter().any(|a| wanted.contains(a)))
        })
    }

    /// The resources a teacher or students constraint names: all teachers, one
    /// teacher, all students or one students set, by its type's prefix.
    fn who(&self, prefix: &str) -> Result<Resources, Error> {
        let all = || vec!["*".to_string()];
        Ok(match prefix {
            "ConstraintTeachers" => Resources {
                teachers: all(),
                ..Default::default()
            },
            "ConstraintTeacher" => Resources {
                teachers: vec![self.teacher()?],
                ..Default::default()
            },
            "ConstraintStudentsSet" => Resources {
                students: vec![self.students("Students")?],
                ..Default::default()
            },
            _ => Resources {
                students: all(),
                ..Default::default()
            },
        })
    }

    /// Rules on the resources of a teacher or students constraint.
    fn resource_rule(&self, kind: &str) -> Result<Option<Rule>, Error> {
        const PREFIXES: [&str; 4] = [
            "ConstraintTeachers",
            "ConstraintTeacher",
            "ConstraintStudentsSet",
            "ConstraintStudents",
        ];
        const SUFFIXES: [&str; 13] = [
            "NotAvailableTimes",
            "MaxHoursDaily",
            "MinHoursDaily",
            "MaxDaysPerWeek",
            "MinDaysPerWeek",
            "IntervalMaxDaysPerWeek",
            "MaxGapsPerWeek",
            "MaxGapsPerDay",
            "MaxHoursContinuously",
            "EarlyMaxBeginningsAtSecondHour",
            "ActivityTagMaxHoursDaily",
            "ActivityTagMaxHoursContinuously",
            "MinRestingHours",
        ];
        let Some((prefix, rest)) = PREFIXES
            .iter()
            .find_map(|p| kind.strip_prefix(p).map(|rest| (*p, rest)))
            .filter(|(_, rest)| SUFFIXES.contains(rest))
        else {
            return Ok(None);
        };
        let who = self.who(prefix)?;
        Ok(Some(match rest {
            "NotAvailableTimes" => Rule::Unavailable {
                who,
                lessons: vec![],
                times: self.times("Not_Available_Time", "Day", "Hour")?,
            },
            "MaxHoursDaily" => Rule::MaxPerDay {
                who,
                max: self.number("Maximum_Hours_Daily")?,
                lessons: vec![],
            },
            "ActivityTagMaxHoursDaily" => Rule::MaxPerDay {
                who,
                max: self.number("Maximum_Hours_Daily")?,
                lessons: self.tagged(),
            },
            "MinHoursDaily" => Rule::MinPerDay {
                who,
                min: self.number("Minimum_Hours_Daily")?,
                every_day: !self.x.flag(self.c, "Allow_Empty_Days", true)?,
            },
            "MaxDaysPerWeek" => Rule::MaxDays {
                who,
                max: self.number("Max_Days_Per_Week")?,
                periods: None,
            },
            "MinDaysPerWeek" => Rule::MinDays {
                who,
                min: self.number("Minimum_Days_Per_Week")?,
            },
            "IntervalMaxDaysPerWeek" => Rule::MaxDays {
                who,
                max: self.number("Max_Days_Per_Week")?,
                periods: Some(self.interval()?),
            },
            "MaxGapsPerWeek" => Rule::MaxGapsPerWeek {
                who,
                max: self.number("Max_Gaps")?,
            },
            "MaxGapsPerDay" => Rule::MaxGapsPerDay {
                who,
                max: self.number("Max_Gaps")?,
            },
            "MaxHoursContinuously" => Rule::MaxConsecutive {
                who,
                max: self.number("Maximum_Hours_Continuously")?,
                lessons: vec![],
            },
            "ActivityTagMaxHoursContinuously" => Rule::MaxConsecutive {
                who,
                max: self.number("Maximum_Hours_Continuously")?,
                lessons: self.tagged(),
            },
            "MinRestingHours" => Rule::MinRest {
                who,
                min: self.number("Minimum_Resting_Hours")?,
                circular: self.x.flag(self.c, "Circular", false)?,
            },
            "EarlyMaxBeginningsAtSecondHour" => Rule::EarlyStart {
                who,
                max: self.number("Max_Beginnings_At_Second_Hour")?,
            },
            _ => return Ok(None),
        }))
    }

    /// The activities with the constraint's activity tag (`Activity_Tag_Name` or
    /// `Activity_Tag`).
    fn tagged(&self) -> Vec<String> {
        let tag = text(self.c, "Activity_Tag_Name")
            .or_else(|| text(self.c, "Activity_Tag"))
            .unwrap_or("");
        self.school
            .activities
            .iter()
            .filter(|a| a.tags.iter().any(|t| t == tag))
            .map(|a| a.id.clone())
            .collect()
    }

    /// Hours from `Interval_Start_Hour` up to `Interval_End_Hour` (excluded; empty or
    /// absent: the end of the day).
    fn interval(&self) -> Result<Vec<String>, Error> {
        let hours = &self.school.hours;
        let index = |field: &str, default: usize| match text(self.c, field) {
            None | Some("") => Ok(default),
            Some(h) => hours
                .iter()
                .position(|x| x == h)
                .ok_or_else(|| self.error(format!("<{field}>: unknown hour \"{h}\""))),
        };
        let (start, end) = (
            index("Interval_Start_Hour", 0)?,
            index("Interval_End_Hour", hours.len())?,
        );
        Ok(hours[start..end.max(start)].to_vec())
    }

    /// Intersects the room set of `activities` with `rooms` (home rooms apart).
    fn restrict_rooms(&mut self, activities: &[String], rooms: Vec<String>, home: bool) {
        let rooms: BTreeSet<String> = rooms.into_iter().collect();
        for id in activities {
            let a = &mut self.school.activities[self.school.by_id[id]];
            let set = if home {
                &mut a.home_rooms
            } else {
                &mut a.preferred_rooms
            };
            *set = Some(match set.take() {
                None => rooms.clone(),
                Some(s) => s.intersection(&rooms).cloned().collect(),
            });
        }
    }

    /// The rooms of a room-preference constraint (`Room` or `Preferred_Room`s).
    fn preferred_rooms(&self) -> Result<Vec<String>, Error> {
        let mut rooms = texts(self.c, "Preferred_Room");
        if let Some(r) = text(self.c, "Room") {
            rooms.push(r);
        }
        rooms.into_iter().map(|r| self.room(r)).collect()
    }

    /// Activities a room-preference constraint applies to.
    fn room_targets(&self, kind: &str) -> Result<Option<(Vec<String>, bool)>, Error> {
        let acts = &self.school.activities;
        let select = |f: &dyn Fn(&super::Activity) -> bool| -> Vec<String> {
            acts.iter().filter(|a| f(a)).map(|a| a.id.clone()).collect()
        };
        let subject = text(self.c, "Subject").unwrap_or("");
        let tag = text(self.c, "Activity_Tag").unwrap_or("");
        Ok(Some(match kind {
            "ConstraintActivityPreferredRoom" | "ConstraintActivityPreferredRooms" => {
                (self.ids("Activity_Id"), false)
            }
            "ConstraintSubjectPreferredRoom" | "ConstraintSubjectPreferredRooms" => {
                (select(&|a| a.subject == subject), false)
            }
            "ConstraintSubjectActivityTagPreferredRoom"
            | "ConstraintSubjectActivityTagPreferredRooms" => (
                select(&|a| a.subject == subject && a.tags.iter().any(|t| t == tag)),
                false,
            ),
            "ConstraintActivityTagPreferredRoom" | "ConstraintActivityTagPreferredRooms" => {
                (select(&|a| a.tags.iter().any(|t| t == tag)), false)
            }
            "ConstraintTeacherHomeRoom" | "ConstraintTeacherHomeRooms" => {
                let t = self.x.required(self.c, "Teacher")?;
                // FET: only the activities this teacher teaches alone.
                (select(&|a| a.teachers == [t]), true)
            }
            "ConstraintStudentsSetHomeRoom" | "ConstraintStudentsSetHomeRooms" => {
                let s = self.students("Students")?;
                // FET: only the activities of this students set alone.
                (select(&|a| a.students == [s.as_str()]), true)
            }
            _ => return Ok(None),
        }))
    }

    /// The rules (or lesson changes) of a constraint of type `kind`.
    fn rules(&mut self, kind: &str) -> Result<Mapped, Error> {
        let one = |rule: Rule| Ok(Mapped::Rules(vec![rule]));
        if let Some((targets, home)) = self.room_targets(kind)? {
            let rooms = self.preferred_rooms()?;
            if self.hard {
                self.restrict_rooms(&targets, rooms, home);
            } else {
                // Resolved once every activity's required rooms are known.
                self.school.soft_rooms.push(SoftRooms {
                    targets,
                    rooms,
                    weight: self.weight,
                });
            }
            return Ok(Mapped::Lessons);
        }
        match kind {
            "ConstraintBasicCompulsoryTime" | "ConstraintBasicCompulsorySpace" => {
                Ok(Mapped::Lessons)
            }
            // Without buildings, no session ever changes building: always met.
            _ if kind.contains("BuildingChanges") && !self.school.has_buildings => {
                Ok(Mapped::Lessons)
            }
            // A break holds for every activity, those without teachers or students too.
            "ConstraintBreakTimes" => one(Rule::Unavailable {
                who: Resources {
                    teachers: vec!["*".into()],
                    students: vec!["*".into()],
                    rooms: vec![],
                },
                lessons: self
                    .school
                    .activities
                    .iter()
                    .filter(|a| a.teachers.is_empty() && a.students.is_empty())
                    .map(|a| a.id.clone())
                    .collect(),
                times: self.times("Break_Time", "Day", "Hour")?,
            }),
            "ConstraintRoomNotAvailableTimes" => one(Rule::Unavailable {
                who: Resources {
                    rooms: vec![self.room(self.x.required(self.c, "Room")?)?],
                    ..Default::default()
                },
                lessons: vec![],
                times: self.times("Not_Available_Time", "Day", "Hour")?,
            }),
            "ConstraintActivityPreferredStartingTime" => self.starting_time(),
            "ConstraintActivityPreferredStartingTimes" => one(Rule::PreferredTimes {
                lessons: self.ids("Activity_Id"),
                times: self.times(
                    "Preferred_Starting_Time",
                    "Preferred_Starting_Day",
                    "Preferred_Starting_Hour",
                )?,
            }),
            "ConstraintActivitiesPreferredStartingTimes"
            | "ConstraintSubactivitiesPreferredStartingTimes" => {
                let ids = self.filtered()?;
                if ids.is_empty() {
                    return Ok(Mapped::Lessons);
                }
                one(Rule::PreferredTimes {
                    lessons: ids,
                    times: self.times(
                        "Preferred_Starting_Time",
                        "Preferred_Starting_Day",
                        "Preferred_Starting_Hour",
                    )?,
                })
            }
            "ConstraintActivityPreferredTimeSlots"
            | "ConstraintActivitiesPreferredTimeSlots"
            | "ConstraintSubactivitiesPreferredTimeSlots" => {
                let ids = if kind == "ConstraintActivityPreferredTimeSlots" {
                    self.ids("Activity_Id")
                } else {
                    self.filtered()?
                };
                let slots = self.times("Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")?;
                let times = self.complement(&slots);
                if ids.is_empty() || times.is_empty() {
                    return Ok(Mapped::Lessons);
                }
                one(Rule::Unavailable {
                    who: Resources::default(),
                    lessons: ids,
                    times,
                })
            }
            "ConstraintActivitiesSameStartingTime" => one(Rule::SameStart {
                lessons: self.ids("Activity_Id"),
            }),
            "ConstraintActivitiesSameStartingHour" => one(Rule::SamePeriod {
                lessons: self.ids("Activity_Id"),
            }),
            "ConstraintActivitiesSameStartingDay" => one(Rule::SameDay {
                lessons: self.ids("Activity_Id"),
            }),
            "ConstraintMinDaysBetweenActivities" => {
                let ids = self.ids("Activity_Id");
                let days = self.number("MinDays")?;
                let mut rules = vec![Rule::MinDaysBetween {
                    lessons: ids.clone(),
                    days,
                }];
                if self.x.flag(self.c, "Consecutive_If_Same_Day", false)? {
                    // FET enforces this part whatever the weight.
                    let hard = Rule::ConsecutiveIfSameDay { lessons: ids };
                    if self.hard {
                        rules.push(hard);
                    } else {
                        return Ok(Mapped::Both(rules, vec![hard]));
                    }
                }
                Ok(Mapped::Rules(rules))
            }
            "ConstraintMaxDaysBetweenActivities" => one(Rule::MaxDaysBetween {
                lessons: self.ids("Activity_Id"),
                days: self.number("MaxDays")?,
            }),
            "ConstraintMinGapsBetweenActivities" => one(Rule::MinGap {
                lessons: self.ids("Activity_Id"),
                periods: self.number("MinGaps")?,
            }),
            "ConstraintActivitiesNotOverlapping" => one(Rule::NotOverlapping {
                lessons: self.ids("Activity_Id"),
            }),
            "ConstraintTwoActivitiesConsecutive" => one(Rule::Consecutive {
                lessons: self.ids_of(&["First_Activity_Id", "Second_Activity_Id"]),
            }),
            "ConstraintTwoActivitiesGrouped" => one(Rule::Grouped {
                lessons: self.ids_of(&["First_Activity_Id", "Second_Activity_Id"]),
            }),
            "ConstraintThreeActivitiesGrouped" => one(Rule::Grouped {
                lessons: self.ids_of(&[
                    "First_Activity_Id",
                    "Second_Activity_Id",
                    "Third_Activity_Id",
                ]),
            }),
            "ConstraintActivityEndsStudentsDay" => one(Rule::EndsDay {
                lessons: self.ids("Activity_Id"),
            }),
            "ConstraintActivitiesEndStudentsDay" => one(Rule::EndsDay {
                lessons: self.filtered()?,
            }),
            "ConstraintActivitiesOccupyMaxTimeSlotsFromSelection" => one(Rule::MaxSlots {
                lessons: self.ids("Activity_Id"),
                times: self.times("Selected_Time_Slot", "Selected_Day", "Selected_Hour")?,
                max: self.number("Max_Number_of_Occupied_Time_Slots")?,
            }),
            "ConstraintActivitiesMaxSimultaneousInSelectedTimeSlots" => {
                one(Rule::MaxSimultaneous {
                    lessons: self.ids("Activity_Id"),
                    times: self.times("Selected_Time_Slot", "Selected_Day", "Selected_Hour")?,
                    max: self.number("Max_Number_of_Simultaneous_Activities")?,
                })
            }
            "ConstraintActivitiesOccupyMaxDifferentRooms" => one(Rule::MaxRooms {
                lessons: self.ids("Activity_Id"),
                max: self.number("Max_Number_of_Different_Rooms")?,
            }),
            "ConstraintActivitiesSameRoomIfConsecutive" => one(Rule::SameRoomIfConsecutive {
                lessons: self.ids("Activity_Id"),
            }),
            _ => match self.resource_rule(kind)? {
                Some(rule) => one(rule),
                None => Ok(Mapped::Unsupported),
            },
        }
        .map(|m| match m {
            // A relation over fewer than two sessions says nothing.
            Mapped::Rules(rules) => Mapped::Rules(rules.into_iter().filter(relevant).collect()),
            Mapped::Both(a, b) => Mapped::Both(
                a.into_iter().filter(relevant).collect(),
                b.into_iter().filter(relevant).collect(),
            ),
            other => other,
        })
    }

    fn ids_of(&self, fields: &[&str]) -> Vec<String> {
        fields.iter().flat_map(|f| self.ids(f)).collect()
    }

    /// `ConstraintActivityPreferredStartingTime`: a 100 % one with day and hour pins the
    /// session; otherwise a preferred start.
    fn starting_time(&mut self) -> Result<Mapped, Error> {
        let Some(id) = self.ids("Activity_Id").pop() else {
            return Ok(Mapped::Lessons);
        };
        let day = text(self.c, "Preferred_Day").filter(|d| !d.is_empty());
        let hour = text(self.c, "Preferred_Hour").filter(|h| !h.is_empty());
        let day = day.map(|d| self.day(d)).transpose()?;
        let hour = hour.map(|h| self.hour(h)).transpose()?;
        if let (true, Some(d), Some(h)) = (self.hard, &day, &hour) {
            let a = &mut self.school.activities[self.school.by_id[&id]];
            if a.pin.is_none() {
                a.pin = Some((d.clone(), h.clone()));
                return Ok(Mapped::Lessons);
            }
        }
        let times: Vec<Times> = match (day, hour) {
            (Some(d), h) => vec![Times {
                day: d,
                periods: h.map(|h| vec![h]),
            }],
            (None, Some(h)) => self
                .school
                .days
                .iter()
                .map(|d| Times {
                    day: d.clone(),
                    periods: Some(vec![h.clone()]),
                })
                .collect(),
            (None, None) => return Ok(Mapped::Lessons),
        };
        Ok(Mapped::Rules(vec![Rule::PreferredTimes {
            lessons: vec![id],
            times,
        }]))
    }
}

/// Whether a rule can have a cost: relations need two sessions, other rules a lesson.
fn relevant(rule: &Rule) -> bool {
    match rule {
        Rule::SameStart { lessons }
        | Rule::Consecutive { lessons }
        | Rule::Grouped { lessons }
        | Rule::ConsecutiveIfSameDay { lessons }
        | Rule::SameRoomIfConsecutive { lessons }
        | Rule::SameDay { lessons }
        | Rule::SamePeriod { lessons }
        | Rule::NotOverlapping { lessons }
        | Rule::MinGap { lessons, .. }
        | Rule::MaxDaysBetween { lessons, .. }
        | Rule::MinDaysBetween { lessons, .. } => lessons.len() >= 2,
        Rule::PreferredTimes { lessons, .. }
        | Rule::MaxSlots { lessons, .. }
        | Rule::MaxSimultaneous { lessons, .. }
        | Rule::MaxRooms { lessons, .. }
        | Rule::EndsDay { lessons } => !lessons.is_empty(),
        _ => true,
    }
}
