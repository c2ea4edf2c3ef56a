//! A seeded generator of realistic French lycées (seconde, première, terminale).
//!
//! `generate(classes, seed)` gives the same school for the same arguments. What it
//! builds, per level:
//! - *seconde*: common core lessons, lab half-groups (PC, SVT, SNT), LV2 groups shared
//!   by pairs of classes and aligned, an A/B week for SVT labs, SES and EMC;
//! - *première* / *terminale*: common core, aligned LV2 groups, and three (première)
//!   or two (terminale) specialty blocks: every student follows one specialty per
//!   block, taught in cross-class groups that all start together (barrettes).
//!
//! Rules: no lessons on Wednesday afternoon, a lunch break for students (hard) and
//! teachers (soft), at most 8 periods a day for students, few gaps, sessions of a
//! lesson on different days, teacher unavailabilities (hard) and wishes (soft, owned).

use crate::model::{
    Class, Constraint, Division, Group, Lesson, Period, Problem, Resources, Room, RoomNeed, Rule,
    SessionSpec, Teacher, TimeGrid, Times,
};

const DAYS: [&str; 5] = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"];
const PERIODS: [(&str, &str, &str); 10] = [
    ("M1", "08:00", "08:55"),
    ("M2", "08:55", "09:50"),
    ("M3", "10:05", "11:00"),
    ("M4", "11:00", "11:55"),
    ("M5", "12:00", "12:55"),
    ("S1", "13:05", "14:00"),
    ("S2", "14:00", "14:55"),
    ("S3", "15:10", "16:05"),
    ("S4", "16:05", "17:00"),
    ("S5", "17:00", "17:55"),
];
const SURNAMES: [&str; 40] = [
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY",
    "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX",
    "VINCENT", "FOURNIER", "MOREL", "GIRARD", "ANDRE", "LEFEVRE", "MERCIER", "DUPONT", "LAMBERT",
    "BONNET", "FRANCOIS", "MARTINEZ", "LEGRAND", "GARNIER", "FAURE", "ROUSSEAU", "BLANC", "GUERIN",
    "MULLER", "HENRY", "ROUSSEL", "NICOLAS",
];

/// Specialties per block, première (three blocks) then terminale (two blocks).
const SPE_PREMIERE: [[&str; 3]; 3] = [
    ["MATHS", "SES", "HLP"],
    ["PC", "HGGSP", "LLCER"],
    ["SVT", "NSI", "SI"],
];
const SPE_TERMINALE: [[&str; 3]; 2] = [["MATHS", "SES", "HGGSP"], ["PC", "SVT", "NSI"]];

struct Builder {
    rng: fastrand::Rng,
    problem: Problem,
    /// Lessons with their subject, waiting for a teacher: (lesson index, block id).
    pending: Vec<(usize, Option<String>)>,
}

/// Generates a lycée of about `classes` classes (at least 3), reproducibly from `seed`.
pub fn generate(classes: usize, seed: u64) -> Problem {
    let classes = classes.max(3);
    let mut b = Builder {
        rng: fastrand::Rng::with_seed(seed),
        problem: Problem {
            name: format!("lycee-{classes}-classes-seed-{seed}"),
            time: TimeGrid {
                days: DAYS.iter().map(|d| d.to_string()).collect(),
                periods: PERIODS
                    .iter()
                    .map(|(n, s, e)| Period {
                        name: n.to_string(),
                        start: Some(s.to_string()),
                        end: Some(e.to_string()),
                        break_after: false,
                    })
                    .collect(),
                weeks: vec!["A".into(), "B".into()],
            },
            teachers: vec![],
            rooms: vec![],
            classes: vec![],
            groups: vec![],
            lessons: vec![],
            constraints: vec![],
        },
        pending: vec![],
    };
    let seconde = (classes * 2).div_ceil(5);
    let premiere = (classes - seconde) / 2;
    let terminale = classes - seconde - premiere;
    b.level("2", seconde);
    b.level("1", premiere);
    b.level("T", terminale);
    b.rooms(classes);
    b.teachers();
    b.rules();
    b.problem
}

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

impl Builder {
    /// The most lessons needing a room of `kind` in one aligned block.
    fn largest_aligned_need(&self, kind: &str) -> usize {
        let needs = |id: &String| {
            self.problem
                .lessons
                .iter()
                .find(|l| &l.id == id)
                .is_some_and(|l| l.rooms.iter().any(|r| r.kind.as_deref() == Some(kind)))
        };
        self.problem
            .constraints
            .iter()
            .filter_map(|c| match &c.rule {
                Rule::SameStart { lessons } => Some(lessons.iter().filter(|id| needs(id)).count()),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    fn rooms(&mut self, classes: usize) {
        let special = [
            ("LABO-PC", "lab-pc"),
            ("LABO-SVT", "lab-svt"),
            ("INFO", "computer"),
        ]
        .map(|(prefix, kind)| {
            (
                prefix,
                kind,
                self.largest_aligned_need(kind).max(classes / 4).max(2),
            )
        });
        let mut add = |name: String, kind: &str, capacity: u32, building: &str| {
            self.problem.rooms.push(Room {
                name,
                capacity: Some(capacity),
                kind: Some(kind.into()),
                building: Some(building.into()),
            })
        };
        for i in 0..classes + classes / 5 + 2 {
            let building = if i % 2 == 0 { "A" } else { "B" };
            add(format!("{building}{}", 101 + i), "classroom", 36, building);
        }
        // Enough labs and computer rooms for the largest aligned block's need.
        for (prefix, kind, count) in special {
            for i in 0..count {
                add(format!("{prefix}{}", i + 1), kind, 36, "C");
            }
        }
        // One gym for every 8 classes: each class has a 2-period EPS session a week.
        for i in 0..(classes / 8).max(2) {
            add(format!("GYMNASE{}", i + 1), "gym", 70, "G");
        }
    }

    #[allow(clippy::too_many_arguments)] // One call per lesson reads best with every field named in place.
    fn lesson(
        &mut self,
        id: String,
        subject: &str,
        students: Vec<String>,
        sessions: &[u8],
        weeks: &str,
        room: &str,
        block: Option<String>,
    ) -> String {
        let index = self.problem.lessons.len();
        self.problem.lessons.push(Lesson {
            id: id.clone(),
            subject: subject.into(),
            teachers: vec![],
            students,
            headcount: None,
            sessions: sessions.iter().map(|&d| SessionSpec::Duration(d)).collect(),
            weeks: weeks.into(),
            rooms: vec![RoomNeed {
                kind: Some(room.into()),
                one_of: vec![],
                optional: false,
            }],
        });
        self.pending.push((index, block));
        id
    }

    fn align(&mut self, lessons: Vec<String>) {
        if lessons.len() > 1 {
            self.problem
                .constraints
                .push(Constraint::hard(Rule::SameStart { lessons }));
        }
    }

    fn level(&mut self, level: &str, n: usize) {
        if n == 0 {
            return;
        }
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let blocks: Vec<Vec<&str>> = match level {
            "1" => SPE_PREMIERE.iter().map(|b| b.to_vec()).collect(),
            "T" => SPE_TERMINALE.iter().map(|b| b.to_vec()).collect(),
            _ => vec![],
        };
        let names: Vec<String> = (0..n)
            .map(|i| match i / 26 {
                0 => format!("{level}{}", &letters[i..i + 1]),
                round => format!("{level}{}{}", &letters[i % 26..i % 26 + 1], round + 1),
            })
            .collect();
        // Classes and their divisions; specialty profiles are drawn per class.
        let mut profiles: Vec<Vec<Vec<usize>>> = Vec::new();
        for name in &names {
            let mut divisions = vec![Division {
                name: "lv2".into(),
                parts: ids(&["ESP", "ALL"]),
            }];
            if blocks.is_empty() {
                divisions.push(Division {
                    name: "demi".into(),
                    parts: ids(&["G1", "G2"]),
                });
                profiles.push(vec![]);
            } else {
                let mut chosen: Vec<Vec<usize>> = Vec::new();
                while chosen.len() < 3 {
                    let combo: Vec<usize> =
                        blocks.iter().map(|b| self.rng.usize(..b.len())).collect();
                    if !chosen.contains(&combo) {
                        chosen.push(combo);
                    }
                }
                let parts = chosen
                    .iter()
                    .map(|c| {
                        c.iter()
                            .enumerate()
                            .map(|(k, &s)| blocks[k][s])
                            .collect::<Vec<_>>()
                            .join("-")
                    })
                    .collect();
                divisions.push(Division {
                    name: "spe".into(),
                    parts,
                });
                profiles.push(chosen);
            }
            let students = 30 + self.rng.u32(..7);
            self.problem.classes.push(Class {
                name: name.clone(),
                students,
                divisions,
            });
        }
        // Common core.
        let core: &[(&str, &[u8], &str)] = match level {
            "2" => &[
                ("FRA", &[2, 1, 1], "classroom"),
                ("MATHS", &[1, 1, 1, 1], "classroom"),
                ("HG", &[1, 1, 1], "classroom"),
                ("ANG", &[1, 1, 1], "classroom"),
                ("PC", &[1, 1], "classroom"),
                ("SVT", &[1], "classroom"),
                ("SES", &[1], "classroom"),
                ("EPS", &[2], "gym"),
            ],
            "1" => &[
                ("FRA", &[2, 1, 1], "classroom"),
                ("HG", &[1, 1, 1], "classroom"),
                ("ANG", &[1, 1], "classroom"),
                ("ES", &[1, 1], "classroom"),
                ("EPS", &[2], "gym"),
            ],
            _ => &[
                ("PHILO", &[2, 1, 1], "classroom"),
                ("HG", &[1, 1, 1], "classroom"),
                ("ANG", &[1, 1], "classroom"),
                ("ES", &[1, 1], "classroom"),
                ("EPS", &[2], "gym"),
            ],
        };
        for name in &names {
            for &(subject, sessions, room) in core {
                self.lesson(
                    format!("{name}-{subject}"),
                    subject,
                    vec![name.clone()],
                    sessions,
                    "every",
                    room,
                    None,
                );
            }
            self.lesson(
                format!("{name}-EMC"),
                "EMC",
                vec![name.clone()],
                &[1],
                "either",
                "classroom",
                None,
            );
            if level == "2" {
                for g in ["G1", "G2"] {
                    let part = vec![format!("{name}:{g}")];
                    self.lesson(
                        format!("{name}-{g}-TP-PC"),
                        "PC",
                        part.clone(),
                        &[1],
                        "every",
                        "lab-pc",
                        None,
                    );
                    self.lesson(
                        format!("{name}-{g}-SNT"),
                        "SNT",
                        part.clone(),
                        &[1],
                        "every",
                        "computer",
                        None,
                    );
                    let week = if g == "G1" { "A" } else { "B" };
                    self.lesson(
                        format!("{name}-{g}-TP-SVT"),
                        "SVT",
                        part,
                        &[2],
                        week,
                        "lab-svt",
                        None,
                    );
                }
                self.lesson(
                    format!("{name}-SES-2"),
                    "SES",
                    vec![name.clone()],
                    &[1],
                    "either",
                    "classroom",
                    None,
                );
            }
        }
        // LV2 groups shared by pairs of classes, both languages aligned.
        for pair in names.chunks(2) {
            let tag: String = pair
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("+");
            let mut aligned = Vec::new();
            for lang in ["ESP", "ALL"] {
                let group = format!("{tag}-{lang}");
                self.problem.groups.push(Group {
                    name: group.clone(),
                    members: pair.iter().map(|c| format!("{c}:{lang}")).collect(),
                });
                let block = Some(format!("{tag}-LV2"));
                aligned.push(self.lesson(
                    format!("{group}-LV2"),
                    lang,
                    vec![group],
                    &[1, 1],
                    "every",
                    "classroom",
                    block,
                ));
            }
            self.align(aligned);
        }
        // Specialty blocks.
        let hours: &[u8] = if level == "1" {
            &[2, 1, 1]
        } else {
            &[2, 2, 1, 1]
        };
        for (k, offer) in blocks.iter().enumerate() {
            let mut aligned = Vec::new();
            for (s, spe) in offer.iter().enumerate() {
                let parts: Vec<(usize, String)> = names
                    .iter()
                    .enumerate()
                    .flat_map(|(c, name)| {
                        let blocks = &blocks;
                        profiles[c].iter().filter(move |p| p[k] == s).map(move |p| {
                            (
                                c,
                                format!(
                                    "{name}:{}",
                                    p.iter()
                                        .enumerate()
                                        .map(|(b, &x)| blocks[b][x])
                                        .collect::<Vec<_>>()
                                        .join("-")
                                ),
                            )
                        })
                    })
                    .collect();
                if parts.is_empty() {
                    continue;
                }
                // About 35 students a group: each part is about a third of a class.
                let groups = parts.len().div_ceil(3);
                for g in 0..groups {
                    let members: Vec<String> = parts
                        .iter()
                        .skip(g)
                        .step_by(groups)
                        .map(|(_, p)| p.clone())
                        .collect();
                    let group = format!("{level}-B{}-{spe}-{}", k + 1, g + 1);
                    self.problem.groups.push(Group {
                        name: group.clone(),
                        members,
                    });
                    let room = match *spe {
                        "PC" => "lab-pc",
                        "SVT" => "lab-svt",
                        "NSI" | "SI" => "computer",
                        _ => "classroom",
                    };
                    let block = Some(format!("{level}-B{}", k + 1));
                    aligned.push(self.lesson(
                        group.clone(),
                        spe,
                        vec![group],
                        hours,
                        "every",
                        room,
                        block,
                    ));
                }
            }
            self.align(aligned);
        }
    }

    /// Gives every lesson a teacher: about 18 periods each, one teacher per class and
    /// subject where possible, never two lessons of one aligned block to one teacher.
    fn teachers(&mut self) {
        let mut load: Vec<(String, String, u32)> = Vec::new(); // (name, subject, periods)
        let mut surname = 0;
        let mut blocks_of: Vec<Vec<String>> = Vec::new();
        let pending = std::mem::take(&mut self.pending);
        for (index, block) in pending {
            let lesson = &self.problem.lessons[index];
            let hours: u32 = lesson.sessions.iter().map(|s| s.duration() as u32).sum();
            let hours = if lesson.weeks == "every" {
                hours
            } else {
                hours.div_ceil(2)
            };
            let subject = lesson.subject.clone();
            let candidate = (0..load.len())
                .filter(|&t| load[t].1 == subject && load[t].2 + hours <= 18)
                .find(|&t| block.as_ref().is_none_or(|b| !blocks_of[t].contains(b)));
            let t = match candidate {
                Some(t) => t,
                None => {
                    let name = format!("{}-{}", SURNAMES[surname % SURNAMES.len()], subject);
                    let name = if surname >= SURNAMES.len() {
                        format!("{name}{}", surname / SURNAMES.len() + 1)
                    } else {
                        name
                    };
                    surname += 1;
                    load.push((name, subject, 0));
                    blocks_of.push(vec![]);
                    load.len() - 1
                }
            };
            load[t].2 += hours;
            if let Some(b) = block {
                blocks_of[t].push(b);
            }
            self.problem.lessons[index].teachers.push(load[t].0.clone());
        }
        self.problem.teachers = load
            .iter()
            .map(|(n, _, _)| Teacher { name: n.clone() })
            .collect();
    }

    fn rules(&mut self) {
        let everyone = |who: &str| {
            Resources {
                teachers: vec![],
                students: vec![],
                rooms: vec![],
            }
            .with(who)
        };
        let afternoon: Vec<String> = ids(&["S1", "S2", "S3", "S4", "S5"]);
        let c = &mut self.problem.constraints;
        c.push(Constraint::hard(Rule::Unavailable {
            who: everyone("students"),
            lessons: vec![],
            times: vec![Times {
                day: "Mercredi".into(),
                periods: Some(afternoon.clone()),
            }],
        }));
        c.push(Constraint::hard(Rule::LunchBreak {
            who: everyone("students"),
            periods: ids(&["M5", "S1"]),
            min_free: 1,
        }));
        c.push(Constraint::hard(Rule::MaxPerDay {
            who: everyone("students"),
            max: 8,
            lessons: vec![],
        }));
        c.push(Constraint::soft(
            Rule::MaxGapsPerDay {
                who: everyone("students"),
                max: 1,
            },
            3,
        ));
        c.push(Constraint::soft(
            Rule::MaxConsecutive {
                who: everyone("students"),
                max: 4,
                lessons: vec![],
            },
            2,
        ));
        c.push(Constraint::soft(
            Rule::LunchBreak {
                who: everyone("teachers"),
                periods: ids(&["M5", "S1"]),
                min_free: 1,
            },
            2,
        ));
        c.push(Constraint::soft(
            Rule::MaxGapsPerWeek {
                who: everyone("teachers"),
                max: 4,
            },
            1,
        ));
        c.push(Constraint::soft(Rule::RoomCapacity { lessons: vec![] }, 1));
        for l in &self.problem.lessons {
            if l.sessions.len() > 1 {
                self.problem.constraints.push(Constraint::soft(
                    Rule::MinDaysBetween {
                        lessons: vec![l.id.clone()],
                        days: 1,
                    },
                    2,
                ));
            }
        }
        let teachers: Vec<String> = self
            .problem
            .teachers
            .iter()
            .map(|t| t.name.clone())
            .collect();
        for t in teachers {
            let roll = self.rng.u32(..10);
            let who = Resources {
                teachers: vec![t.clone()],
                students: vec![],
                rooms: vec![],
            };
            if roll < 3 {
                // A hard unavailable half-day (not Wednesday afternoon, already free).
                let day = DAYS[self.rng.usize(..5)];
                let morning = self.rng.bool() || day == "Mercredi";
                let periods = if morning {
                    ids(&["M1", "M2", "M3", "M4"])
                } else {
                    afternoon.clone()
                };
                self.problem
                    .constraints
                    .push(Constraint::hard(Rule::Unavailable {
                        who,
                        lessons: vec![],
                        times: vec![Times {
                            day: day.into(),
                            periods: Some(periods),
                        }],
                    }));
            } else if roll < 5 {
                let mut wish = Constraint::soft(
                    Rule::MaxDays {
                        who,
                        max: 4,
                        periods: None,
                    },
                    5,
                );
                wish.owner = Some(t);
                self.problem.constraints.push(wish);
            }
        }
    }
}

impl Resources {
    fn with(mut self, who: &str) -> Resources {
        match who {
            "students" => self.students = vec!["*".into()],
            _ => self.teachers = vec!["*".into()],
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::generate;

    #[test]
    fn same_seed_same_school_and_it_compiles() {
        let a = generate(12, 7);
        assert_eq!(a, generate(12, 7));
        assert_ne!(a, generate(12, 8));
        let inst = a.compile().expect("generated school compiles");
        assert_eq!(
            inst.resources
                .iter()
                .filter(|r| r.kind == crate::model::ResourceKind::Teacher)
                .count(),
            a.teachers.len()
        );
        assert!(
            inst.blocks.iter().any(|b| b.len() > 2),
            "specialty blocks are aligned"
        );
    }
}
