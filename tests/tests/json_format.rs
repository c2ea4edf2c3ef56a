//! The native JSON format: round trips, the schema file, and one test per kind of
//! mistake, each checking the field path and the message.

use std::path::Path;

use creneau::io::json::{
    parse_problem, problem_schema, problem_to_json, read_solution, solution_to_json,
};
use creneau::model::Problem;
use creneau::search::{solve, SolveOptions};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn demo() -> String {
    std::fs::read_to_string(root().join("datasets/demo/lycee-small.json")).unwrap()
}

#[test]
fn problem_round_trips_exactly() {
    let text = demo();
    let p = parse_problem(&text, Path::new("demo")).unwrap();
    let again = problem_to_json(&p);
    assert_eq!(again, text, "the demo file is in canonical form");
    assert_eq!(parse_problem(&again, Path::new("again")).unwrap(), p);
}

#[test]
fn demo_files_are_the_generators_output() {
    for (file, classes) in [("lycee-demo.json", 20), ("lycee-small.json", 4)] {
        let text = std::fs::read_to_string(root().join("datasets/demo").join(file)).unwrap();
        assert_eq!(
            text,
            problem_to_json(&creneau::generate::generate(classes, 1)),
            "{file} is stale: regenerate it"
        );
    }
}

#[test]
fn solution_round_trips_exactly() {
    let p = parse_problem(&demo(), Path::new("demo")).unwrap();
    let inst = p.compile().unwrap();
    let opts = SolveOptions {
        max_moves: Some(2000),
        ..SolveOptions::default()
    };
    let result = solve(&inst, &opts, &|_| {});
    let text = solution_to_json(&inst, &result.timetable, Some(result.cost));
    let dir = std::env::temp_dir().join(format!("creneau-sol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sol.json");
    std::fs::write(&file, &text).unwrap();
    let back = read_solution(&file, &inst).unwrap();
    assert_eq!(back, result.timetable);
    assert_eq!(solution_to_json(&inst, &back, Some(result.cost)), text);
}

#[test]
fn schema_file_is_up_to_date() {
    let checked_in = std::fs::read_to_string(root().join("docs/problem.schema.json")).unwrap();
    assert_eq!(
        checked_in,
        problem_schema(),
        "regenerate with: creneau schema -o docs/problem.schema.json"
    );
}

/// A small valid problem as JSON, to break in one place per test.
fn base() -> serde_json::Value {
    serde_json::json!({
        "name": "mini",
        "time": {"days": ["Lundi", "Mardi"], "periods": [{"name": "M1"}, {"name": "M2"}, {"name": "M3"}], "weeks": ["A", "B"]},
        "teachers": [{"name": "DUPONT"}, {"name": "DURAND"}],
        "rooms": [{"name": "S1", "capacity": 30, "kind": "classroom"}, {"name": "LAB", "kind": "lab"}],
        "classes": [{"name": "2A", "students": 30, "divisions": [{"name": "demi", "parts": ["G1", "G2"]}]}],
        "groups": [{"name": "2A-G1-bis", "members": ["2A:G1"]}],
        "lessons": [
            {"id": "MATHS", "teachers": ["DUPONT"], "students": ["2A"], "sessions": [2, 1], "rooms": [{"kind": "classroom"}]},
            {"id": "TP", "teachers": ["DURAND"], "students": ["2A:G1"], "weeks": "either", "rooms": [{"one_of": ["LAB"]}]}
        ],
        "constraints": [{"type": "max_per_day", "teachers": ["*"], "max": 4}]
    })
}

fn errors_of(v: serde_json::Value) -> String {
    let text = serde_json::to_string(&v).unwrap();
    match parse_problem(&text, Path::new("p.json")) {
        Err(e) => e.to_string(),
        Ok(p) => match p.compile() {
            Err(e) => e.to_string(),
            Ok(_) => String::from("(no error)"),
        },
    }
}

fn assert_error(v: serde_json::Value, expected: &str) {
    let got = errors_of(v);
    assert!(got.contains(expected), "expected «{expected}» in «{got}»");
}

#[test]
fn the_base_problem_is_valid() {
    assert_eq!(errors_of(base()), "(no error)");
    let p: Problem = serde_json::from_value(base()).unwrap();
    let inst = p.compile().unwrap();
    assert_eq!(inst.atoms.len(), 2);
    assert_eq!(inst.events.len(), 3);
}

#[test]
fn unknown_teacher() {
    let mut v = base();
    v["lessons"][0]["teachers"][0] = "NOBODY".into();
    assert_error(v, "lessons[0].teachers[0]: unknown teacher \"NOBODY\"");
}

#[test]
fn unknown_student_set() {
    let mut v = base();
    v["lessons"][1]["students"][0] = "2A:G3".into();
    assert_error(
        v,
        "lessons[1].students[0]: unknown class, class part or group \"2A:G3\"",
    );
}

#[test]
fn unknown_group_member() {
    let mut v = base();
    v["groups"][0]["members"][0] = "2B".into();
    assert_error(
        v,
        "groups[0].members[0]: unknown class, class part or group \"2B\"",
    );
}

#[test]
fn unknown_room() {
    let mut v = base();
    v["lessons"][1]["rooms"][0]["one_of"][0] = "LAB9".into();
    assert_error(v, "lessons[1].rooms[0].one_of[0]: unknown room \"LAB9\"");
}

#[test]
fn too_many_rooms_per_session() {
    let mut v = base();
    v["lessons"][0]["rooms"] = serde_json::json!(vec![serde_json::json!({}); 9]);
    assert_error(v, "lessons[0].rooms: at most 8 rooms per session");
}

#[test]
fn room_need_nobody_can_meet() {
    let mut v = base();
    v["lessons"][0]["rooms"][0]["kind"] = "pool".into();
    assert_error(v, "lessons[0].rooms[0]: no room matches this need");
}

#[test]
fn duplicate_names() {
    let mut v = base();
    v["teachers"][1]["name"] = "DUPONT".into();
    assert_error(v.clone(), "teachers[1]: duplicate teacher \"DUPONT\"");
    let mut v = base();
    v["lessons"][1]["id"] = "MATHS".into();
    assert_error(v, "lessons[1]: duplicate lesson id \"MATHS\"");
}

#[test]
fn duplicate_class_part() {
    let mut v = base();
    v["classes"][0]["divisions"][0]["parts"][1] = "G1".into();
    assert_error(
        v,
        "classes[0].divisions[0].parts[1]: part \"G1\" appears twice in class 2A",
    );
}

#[test]
fn session_too_long_for_the_day() {
    let mut v = base();
    v["lessons"][0]["sessions"][0] = 4.into();
    assert_error(
        v,
        "lessons[0].sessions[0]: duration must be between 1 and 3 periods",
    );
}

#[test]
fn bad_week_spec() {
    let mut v = base();
    v["lessons"][0]["weeks"] = "C".into();
    assert_error(
        v,
        "lessons[0].weeks: expected \"every\", \"either\" or a week of time.weeks, found \"C\"",
    );
}

#[test]
fn either_week_needs_a_cycle() {
    let mut v = base();
    v["time"]["weeks"] = serde_json::json!([]);
    assert_error(
        v,
        "lessons[1].weeks: \"either\" needs a week cycle in time.weeks",
    );
}

#[test]
fn pinned_session_must_fit() {
    let mut v = base();
    v["lessons"][0]["sessions"][0] =
        serde_json::json!({"duration": 2, "day": "Lundi", "period": "M3"});
    assert_error(
        v,
        "lessons[0].sessions[0]: a session of 2 periods cannot start at Lundi M3",
    );
    let mut v = base();
    v["lessons"][0]["sessions"][0] =
        serde_json::json!({"duration": 2, "day": "Dimanche", "period": "M1"});
    assert_error(v, "lessons[0].sessions[0].day: unknown day \"Dimanche\"");
}

#[test]
fn constraint_references_are_checked() {
    let mut v = base();
    v["constraints"][0] = serde_json::json!({"type": "unavailable", "students": ["2A"], "times": [{"day": "Lundi", "periods": ["M9"]}]});
    assert_error(
        v,
        "constraints[0].times[0].periods[0]: unknown period \"M9\"",
    );
    let mut v = base();
    v["constraints"][0] =
        serde_json::json!({"type": "same_start", "lessons": ["MATHS", "PHYSIQUE"]});
    assert_error(v, "constraints[0].lessons[1]: unknown lesson \"PHYSIQUE\"");
    let mut v = base();
    v["constraints"][0] = serde_json::json!({"type": "max_days", "teachers": ["DURANT"], "max": 1});
    assert_error(v, "constraints[0].teachers[0]: unknown teacher \"DURANT\"");
}

#[test]
fn aligned_lessons_need_a_common_start() {
    let mut v = base();
    v["lessons"][0]["sessions"] =
        serde_json::json!([{"duration": 1, "day": "Lundi", "period": "M1"}]);
    v["lessons"][1]["sessions"] =
        serde_json::json!([{"duration": 1, "day": "Mardi", "period": "M1"}]);
    v["constraints"][0] = serde_json::json!({"type": "same_start", "lessons": ["MATHS", "TP"]});
    assert_error(v, "have no common start time");
}

#[test]
fn wrong_types_and_unknown_fields_name_the_field() {
    let mut v = base();
    v["rooms"][0]["capacity"] = "thirty".into();
    assert_error(v, "rooms[0].capacity");
    let mut v = base();
    v["teachers"][0]["nmae"] = "X".into();
    assert_error(v, "unknown field `nmae`");
    let mut v = base();
    v["constraints"][0]["type"] = "max_per_week".into();
    assert_error(v, "constraints[0]");
    // Inside a constraint too, where serde alone would ignore them.
    let mut v = base();
    v["constraints"][0]["maximum"] = 3.into();
    assert_error(v, "constraints[0].maximum: unknown field for a max_per_day constraint, expected one of: cost, hard, lessons, max, owner, rooms, students, teachers, weight");
}

#[test]
fn an_optional_room_left_empty_is_no_violation_and_round_trips_as_null() {
    let mut v = base();
    v["lessons"][0]["rooms"] =
        serde_json::json!([{"kind": "classroom"}, {"one_of": ["LAB"], "optional": true}]);
    let p: Problem = serde_json::from_value(v).unwrap();
    let inst = p.compile().unwrap();
    let mut tt = creneau::model::Timetable::empty(&inst);
    let (s1, lab) = (inst.rooms_by_name()["S1"], inst.rooms_by_name()["LAB"]);
    for (e, (day, period)) in [(0, 0), (1, 0), (1, 2)].into_iter().enumerate() {
        tt.starts[e] = inst.grid.slot(day, period);
    }
    // Both MATHS sessions in S1, without the optional lab; TP in the lab.
    for e in 0..2 {
        tt.rooms[inst.room_range(e).start] = s1;
    }
    tt.rooms[inst.room_range(2).start] = lab;
    let report = creneau::eval::evaluate(&inst, &tt);
    assert_eq!(report.cost.hard, 0, "{:?}", report.entries);
    let text = solution_to_json(&inst, &tt, None);
    assert!(text.contains("\"S1\",\n        null"), "{text}");
    let file = std::env::temp_dir().join(format!("creneau-optional-{}.json", std::process::id()));
    std::fs::write(&file, &text).unwrap();
    assert_eq!(read_solution(&file, &inst).unwrap(), tt);
    // A required room left empty is a violation.
    tt.rooms[inst.room_range(0).start] = creneau::model::NO_ROOM;
    assert_eq!(creneau::eval::evaluate(&inst, &tt).cost.hard, 1);
}
