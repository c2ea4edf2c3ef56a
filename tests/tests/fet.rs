//! FET schools: the timetables FET generated for the development set evaluate to hard
//! cost 0 (creneau's semantics of FET's constraints agree with FET's), bad files are
//! reported with their line, and a timetable written back with `--fet-out` reads back
//! as the same timetable.

use std::path::Path;

use creneau::eval::evaluate;
use creneau::io::fet::{parse_fet, write_fet};
use creneau::io::{load, Error};
use creneau::model::{Problem, Rule, SessionSpec, Timetable};
use creneau::search::moves::Neighbourhood;
use creneau::search::{solve, SolveOptions};

#[test]
fn every_fet_timetable_of_the_development_set_is_valid() {
    let files = creneau_tests::fet_solutions();
    assert!(files.len() >= 24, "expected FET's 24 timetables");
    let mut failures = Vec::new();
    for file in &files {
        let loaded = load(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            loaded.locked,
            "{}: not every activity is locked",
            file.display()
        );
        let tt = Timetable::from_pins(&loaded.inst);
        let report = evaluate(&loaded.inst, &tt);
        if report.cost.hard != 0 {
            let broken: Vec<String> = report
                .entries
                .iter()
                .filter(|e| e.hard && e.cost > 0)
                .map(|e| format!("{} ({})", e.label, e.violations[0].message))
                .collect();
            failures.push(format!("{}: {}", file.display(), broken.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "hard violations:\n{}",
        failures.join("\n")
    );
}

/// The school of a FET timetable file, with the pins FET added removed.
fn unpinned(problem: &Problem) -> Problem {
    let mut p = problem.clone();
    for l in &mut p.lessons {
        l.sessions = vec![SessionSpec::Duration(l.sessions[0].duration())];
    }
    p
}

#[test]
fn the_fet_timetable_is_valid_for_the_unpinned_school_too_and_a_changed_one_is_not() {
    let file = creneau_tests::fet_solutions()
        .into_iter()
        .find(|f| f.to_string_lossy().contains("Argentina"))
        .expect("Argentina's timetable");
    let school = parse_fet(&std::fs::read_to_string(&file).unwrap(), &file).unwrap();
    let pinned = school.problem.compile().unwrap();
    let tt = Timetable::from_pins(&pinned);
    let free = unpinned(&school.problem).compile().unwrap();
    assert_eq!(evaluate(&free, &tt).cost.hard, 0);
    // Every session one period later (or earlier at the end of the day): teachers'
    // unavailabilities and the students' gaps rules break.
    let g = &free.grid;
    let mut moved = tt.clone();
    for (e, s) in moved.starts.iter_mut().enumerate() {
        let d = free.events[e].duration as usize;
        let p = g.period(*s);
        let q = if p + d < g.periods_per_day() {
            p + 1
        } else {
            p - 1
        };
        *s = g.slot(g.day(*s), q);
    }
    assert!(evaluate(&free, &moved).cost.hard > 0);
}

/// The starts the search allows each block (pruned by the hard rules: unavailable
/// periods, saturated teachers, days a teacher cannot work on, ...) keep those of
/// FET's timetables: the pruning takes out no valid timetable.
#[test]
fn search_start_domains_keep_every_start_of_fet_timetables() {
    for file in creneau_tests::fet_solutions() {
        let school = parse_fet(&std::fs::read_to_string(&file).unwrap(), &file).unwrap();
        let tt = Timetable::from_pins(&school.problem.compile().unwrap());
        let free = unpinned(&school.problem).compile().unwrap();
        let nb = Neighbourhood::new(&free);
        for (b, block) in free.blocks.iter().enumerate() {
            let start = tt.starts[block[0] as usize];
            for (kind, starts) in [
                ("block", &nb.block_starts[b]),
                ("chain", &nb.chain_starts[b]),
            ] {
                assert!(
                    starts.contains(&start),
                    "{}: {} at {} left out of its {kind} starts",
                    file.display(),
                    free.event_name(block[0]),
                    free.grid.slot_name(start),
                );
            }
        }
    }
}

#[test]
fn a_solved_school_written_back_for_fet_reads_back_as_the_same_timetable() {
    let file = creneau_tests::fet_solutions()
        .into_iter()
        .find(|f| f.to_string_lossy().contains("Hopwood"))
        .expect("Hopwood's timetable");
    let source = std::fs::read_to_string(&file).unwrap();
    let school = parse_fet(&source, &file).unwrap();
    // Solve the school without FET's pins, then lock creneau's timetable in.
    let mut stripped = source.clone();
    while let Some(at) = stripped.find("<ConstraintActivityPreferredStartingTime>") {
        let end = stripped[at..]
            .find("</ConstraintActivityPreferredStartingTime>")
            .unwrap();
        stripped.replace_range(at..at + end + 42, "");
    }
    let free = parse_fet(&stripped, &file).unwrap();
    assert!(!free.locked());
    assert_eq!(free.problem.lessons.len(), school.problem.lessons.len());
    let inst = free.problem.compile().unwrap();
    let opts = SolveOptions {
        max_moves: Some(200_000),
        target: Some(creneau::eval::Cost { hard: 0, soft: 0 }),
        ..SolveOptions::default()
    };
    let result = solve(&inst, &opts, &|_| {});
    assert_eq!(result.cost.hard, 0);
    let written = write_fet(&stripped, &file, &inst, &result.timetable).unwrap();
    let back = parse_fet(&written, &file).unwrap();
    assert!(back.locked());
    let back_inst = back.problem.compile().unwrap();
    let back_tt = Timetable::from_pins(&back_inst);
    assert_eq!(back_tt.starts, result.timetable.starts);
    assert_eq!(evaluate(&back_inst, &back_tt).cost, result.cost);
}

fn read_error(text: &str) -> String {
    match parse_fet(text, Path::new("school.fet")) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    }
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<fet version="5.41.0">
<Days_List><Number_of_Days>2</Number_of_Days><Day><Name>Mon</Name></Day><Day><Name>Tue</Name></Day></Days_List>
<Hours_List><Number_of_Hours>2</Number_of_Hours><Hour><Name>1</Name></Hour><Hour><Name>2</Name></Hour></Hours_List>
<Teachers_List><Teacher><Name>Ann</Name></Teacher></Teachers_List>
<Students_List><Year><Name>Y1</Name><Number_of_Students>20</Number_of_Students></Year></Students_List>
"#;

fn school(activities: &str, time: &str) -> String {
    format!(
        "{HEAD}<Activities_List>{activities}</Activities_List>\n<Time_Constraints_List>\n{time}</Time_Constraints_List>\n<Space_Constraints_List></Space_Constraints_List>\n</fet>\n"
    )
}

const ACTIVITY: &str = "<Activity><Teacher>Ann</Teacher><Subject>M</Subject><Students>Y1</Students><Duration>1</Duration><Id>1</Id><Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>";

#[test]
fn mistakes_are_reported_with_the_file_and_line() {
    let bad_xml = school(ACTIVITY, "<Oops>\n");
    assert!(
        read_error(&bad_xml).starts_with("school.fet:"),
        "{}",
        read_error(&bad_xml)
    );
    let unknown = school(&ACTIVITY.replace("<Teacher>Ann", "<Teacher>Bob"), "");
    let message = read_error(&unknown);
    assert!(message.starts_with("school.fet:7:"), "{message}");
    assert!(message.contains("unknown teacher \"Bob\""), "{message}");
    let hour = school(
        ACTIVITY,
        "<ConstraintTeacherNotAvailableTimes><Weight_Percentage>100</Weight_Percentage><Teacher>Ann</Teacher>\
         <Not_Available_Time><Day>Mon</Day><Hour>9</Hour></Not_Available_Time></ConstraintTeacherNotAvailableTimes>\n",
    );
    assert!(read_error(&hour).contains("unknown hour \"9\""));
    let mode = HEAD.replace("<Days_List>", "<Mode>Terms</Mode><Days_List>");
    assert!(read_error(&format!("{mode}</fet>")).contains("Terms mode is not supported"));
    assert!(matches!(
        parse_fet("<fet>", Path::new("x.fet")),
        Err(Error::Syntax { line: 1, .. })
    ));
}

#[test]
fn unsupported_types_are_counted_and_weights_map_to_hard_and_soft() {
    let text = school(
        ACTIVITY,
        "<ConstraintTwoActivitiesOrdered><Weight_Percentage>100</Weight_Percentage></ConstraintTwoActivitiesOrdered>\n\
         <ConstraintTwoActivitiesOrdered><Weight_Percentage>100</Weight_Percentage></ConstraintTwoActivitiesOrdered>\n\
         <ConstraintTeacherMaxHoursDaily><Weight_Percentage>95</Weight_Percentage><Teacher_Name>Ann</Teacher_Name><Maximum_Hours_Daily>1</Maximum_Hours_Daily></ConstraintTeacherMaxHoursDaily>\n\
         <ConstraintTeachersMaxGapsPerDay><Weight_Percentage>100</Weight_Percentage><Max_Gaps>0</Max_Gaps></ConstraintTeachersMaxGapsPerDay>\n\
         <ConstraintActivityPreferredStartingTime><Weight_Percentage>100</Weight_Percentage><Activity_Id>1</Activity_Id><Preferred_Day>Tue</Preferred_Day><Preferred_Hour>2</Preferred_Hour></ConstraintActivityPreferredStartingTime>\n\
         <ConstraintStudentsMaxGapsPerDay><Weight_Percentage>100</Weight_Percentage><Max_Gaps>0</Max_Gaps><Active>false</Active></ConstraintStudentsMaxGapsPerDay>\n",
    );
    let s = parse_fet(&text, Path::new("school.fet")).unwrap();
    assert_eq!(
        s.unsupported_report(),
        vec!["ConstraintTwoActivitiesOrdered: 2"]
    );
    let c = &s.problem.constraints;
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(!c[0].hard && c[0].weight == 95 && c[0].rule.type_name() == "max_per_day");
    assert!(c[1].hard && c[1].rule.type_name() == "max_gaps_per_day");
    assert!(s.locked(), "the one activity is pinned to Tue 2");
}

#[test]
fn break_times_hold_for_activities_without_teachers_or_students_too() {
    // Found on Namibia/MAPS: creneau put such an activity in the break and FET refused
    // the timetable.
    let alone = ACTIVITY
        .replace("<Teacher>Ann</Teacher>", "")
        .replace("<Students>Y1</Students>", "")
        .replace("<Id>1</Id>", "<Id>2</Id>");
    let text = school(
        &format!("{ACTIVITY}{alone}"),
        "<ConstraintBreakTimes><Weight_Percentage>100</Weight_Percentage><Number_of_Break_Times>1</Number_of_Break_Times>\
         <Break_Time><Day>Mon</Day><Hour>1</Hour></Break_Time></ConstraintBreakTimes>\n",
    );
    let inst = parse_fet(&text, Path::new("school.fet"))
        .unwrap()
        .problem
        .compile()
        .unwrap();
    let mut tt = Timetable::empty(&inst);
    let g = &inst.grid;
    for (monday_first, hard) in [(true, 1), (false, 0)] {
        let at = if monday_first {
            g.slot(0, 0)
        } else {
            g.slot(1, 0)
        };
        tt.starts = vec![g.slot(1, 1), at];
        assert_eq!(evaluate(&inst, &tt).cost.hard, hard);
    }
}

#[test]
fn building_changes_are_met_when_there_are_no_buildings() {
    let changes = "<ConstraintTeacherMaxBuildingChangesPerDay><Weight_Percentage>100</Weight_Percentage>\
                   <Teacher>Ann</Teacher><Max_Building_Changes_Per_Day>0</Max_Building_Changes_Per_Day></ConstraintTeacherMaxBuildingChangesPerDay>\n";
    let rooms = |building: &str| {
        format!("<Rooms_List><Room><Name>R1</Name><Building>{building}</Building><Capacity>30</Capacity></Room></Rooms_List>\n")
    };
    let with = |building: &str| {
        school(ACTIVITY, changes).replace(
            "<Activities_List>",
            &format!("{}<Activities_List>", rooms(building)),
        )
    };
    let none = parse_fet(&with(""), Path::new("school.fet")).unwrap();
    assert!(none.unsupported_report().is_empty());
    assert!(none.problem.constraints.is_empty());
    let some = parse_fet(&with("North"), Path::new("school.fet")).unwrap();
    assert_eq!(
        some.unsupported_report(),
        vec!["ConstraintTeacherMaxBuildingChangesPerDay: 1"]
    );
}

#[test]
fn min_resting_hours_become_min_rest() {
    let text = school(
        ACTIVITY,
        "<ConstraintTeacherMinRestingHours><Weight_Percentage>100</Weight_Percentage><Teacher_Name>Ann</Teacher_Name>\
         <Minimum_Resting_Hours>2</Minimum_Resting_Hours><Circular>true</Circular></ConstraintTeacherMinRestingHours>\n",
    );
    let s = parse_fet(&text, Path::new("school.fet")).unwrap();
    assert!(s.unsupported_report().is_empty());
    let json = serde_json::to_value(&s.problem.constraints[0]).unwrap();
    assert_eq!(json["type"], "min_rest");
    assert_eq!(json["teachers"][0], "Ann");
    assert_eq!(
        (json["min"].as_u64(), json["circular"].as_bool()),
        (Some(2), Some(true))
    );
    assert!(s.problem.constraints[0].hard);
}

#[test]
fn soft_room_preferences_become_wishes_and_optional_rooms() {
    let rooms = "<Rooms_List><Room><Name>R1</Name><Capacity>30</Capacity></Room>\
                 <Room><Name>R2</Name><Capacity>30</Capacity></Room></Rooms_List>\n";
    let two = format!(
        "{ACTIVITY}{}",
        ACTIVITY
            .replace("<Id>1</Id>", "<Id>2</Id>")
            .replace("<Subject>M</Subject>", "<Subject>P</Subject>")
    );
    let space = "<ConstraintActivityPreferredRooms><Weight_Percentage>100</Weight_Percentage><Activity_Id>1</Activity_Id>\
                 <Preferred_Room>R1</Preferred_Room><Preferred_Room>R2</Preferred_Room></ConstraintActivityPreferredRooms>\
                 <ConstraintSubjectPreferredRoom><Weight_Percentage>90</Weight_Percentage><Subject>M</Subject><Room>R2</Room></ConstraintSubjectPreferredRoom>\
                 <ConstraintSubjectPreferredRoom><Weight_Percentage>80</Weight_Percentage><Subject>P</Subject><Room>R2</Room></ConstraintSubjectPreferredRoom>";
    let text = school(&two, "")
        .replace("<Activities_List>", &format!("{rooms}<Activities_List>"))
        .replace(
            "<Space_Constraints_List></Space_Constraints_List>",
            &format!("<Space_Constraints_List>{space}</Space_Constraints_List>"),
        );
    let s = parse_fet(&text, Path::new("school.fet")).unwrap();
    // Activity 1 needs R1 or R2 and prefers R2 (90); activity 2 needs no room, so its
    // preference (80) gives it an optional room among R2.
    let rooms = |l: usize| &s.problem.lessons[l].rooms;
    assert_eq!(
        (rooms(0)[0].one_of.clone(), rooms(0)[0].optional),
        (vec!["R1".to_string(), "R2".into()], false)
    );
    assert_eq!(
        (rooms(1)[0].one_of.clone(), rooms(1)[0].optional),
        (vec!["R2".to_string()], true)
    );
    let wishes: Vec<(u32, &str)> = s
        .problem
        .constraints
        .iter()
        .filter(|c| c.rule.type_name() == "preferred_rooms" && !c.hard)
        .map(|c| match &c.rule {
            creneau::model::Rule::PreferredRooms { lessons, .. } => (c.weight, lessons[0].as_str()),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(wishes, vec![(90, "1"), (80, "2")]);
    assert!(s.unsupported_report().is_empty());
    // Without a room, activity 2 breaks no rule but its wish.
    let inst = s.problem.compile().unwrap();
    let mut tt = creneau::model::Timetable::empty(&inst);
    tt.starts[0] = inst.grid.slot(0, 0);
    tt.starts[1] = inst.grid.slot(1, 0);
    tt.rooms[inst.room_range(0).start] = inst.rooms_by_name()["R1"];
    let report = creneau::eval::evaluate(&inst, &tt);
    assert_eq!((report.cost.hard, report.cost.soft), (0, 80 + 90));
}

#[test]
fn consecutive_if_same_day_is_hard_even_at_zero_percent() {
    // FET places the second activity right after the first when they share a day,
    // whatever the weight of the min-days constraint (found with fet-cl on Brazil.fet).
    let two = format!("{ACTIVITY}{}", ACTIVITY.replace("<Id>1</Id>", "<Id>2</Id>"));
    let text = school(
        &two,
        "<ConstraintMinDaysBetweenActivities><Weight_Percentage>0</Weight_Percentage><Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>\
         <Number_of_Activities>2</Number_of_Activities><Activity_Id>1</Activity_Id><Activity_Id>2</Activity_Id><MinDays>1</MinDays></ConstraintMinDaysBetweenActivities>\n",
    );
    let s = parse_fet(&text, Path::new("school.fet")).unwrap();
    let c = &s.problem.constraints;
    assert_eq!(c.len(), 1);
    assert!(c[0].hard && c[0].rule.type_name() == "consecutive_if_same_day");
}

#[test]
fn a_students_filter_takes_the_activities_of_the_sets_inside_it() {
    // As in FET (fet-cl refused a creneau timetable of simpler-Italian.fet otherwise):
    // "activities of year Y1" includes those of its group G1.
    let text = school(
        &ACTIVITY.replace("<Students>Y1</Students>", "<Students>G1</Students>"),
        "<ConstraintActivitiesPreferredStartingTimes><Weight_Percentage>100</Weight_Percentage><Students_Name>Y1</Students_Name>\
         <Number_of_Preferred_Starting_Times>1</Number_of_Preferred_Starting_Times><Preferred_Starting_Time>\
         <Preferred_Starting_Day>Mon</Preferred_Starting_Day><Preferred_Starting_Hour>1</Preferred_Starting_Hour></Preferred_Starting_Time>\
         </ConstraintActivitiesPreferredStartingTimes>\n",
    )
    .replace(
        "<Number_of_Students>20</Number_of_Students></Year>",
        "<Number_of_Students>20</Number_of_Students><Group><Name>G1</Name></Group></Year>",
    );
    let s = parse_fet(&text, Path::new("school.fet")).unwrap();
    let c = &s.problem.constraints;
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(matches!(&c[0].rule, Rule::PreferredTimes { lessons, .. } if lessons == &["1"]));
}

/// The search's forward steps count on it (`CompiledRule::monotone`): taking sessions
/// off a FET timetable never raises the cost of a rule called monotone, on every kind
/// of rule the development set uses.
#[test]
fn rules_called_monotone_never_cost_more_as_sessions_come_off_fet_timetables() {
    let mut rng = fastrand::Rng::with_seed(3);
    let mut rises = [0, 0]; // Of the other rules, of monotone ones.
    for file in creneau_tests::fet_solutions() {
        let loaded = load(&file).unwrap_or_else(|e| panic!("{e}"));
        let inst = &loaded.inst;
        let mut tt = Timetable::from_pins(inst);
        let mut before = evaluate(inst, &tt);
        for e in rng.choose_multiple(0..inst.events.len(), 25) {
            tt.starts[e] = creneau::model::UNPLACED;
            let after = evaluate(inst, &tt);
            // Entries: clashes, placement, then the constraints in order.
            for (c, constraint) in inst.constraints.iter().enumerate() {
                let (old, new) = (&before.entries[c + 2], &after.entries[c + 2]);
                assert_eq!(old.label, constraint.label);
                let monotone = constraint.rule.monotone();
                assert!(
                    !monotone || new.cost <= old.cost,
                    "{}: {} rose from {} to {}",
                    file.display(),
                    constraint.label,
                    old.cost,
                    new.cost
                );
                rises[monotone as usize] += (new.cost > old.cost) as usize;
            }
            before = after;
        }
    }
    assert!(rises[0] > 0, "the test sees rules that do rise");
}
