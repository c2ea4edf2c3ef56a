//! ITC-2007 track 3 (UD2): the reference evaluator reproduces the official cost of the
//! published solutions term by term, and of hand-built ones worked out by hand.

use std::path::{Path, PathBuf};

use creneau::eval::{evaluate, Report, Scoring, State};
use creneau::io::itc2007::{parse_ctt, parse_sol, write_sol};
use creneau::io::{load_problem, read_timetable};
use creneau::model::Instance;

fn data(rel: &str) -> PathBuf {
    creneau_tests::itc2007(rel)
}

/// Cost of one constraint type in a report.
fn term(report: &Report, kind: &str) -> i64 {
    report
        .by_kind()
        .iter()
        .filter(|(k, _, _)| k == kind)
        .map(|(_, _, c)| c)
        .sum()
}

/// The UD2 terms: (hard, RoomCapacity, MinWorkingDays, CurriculumCompactness, RoomStability).
fn ud2(report: &Report) -> (i64, i64, i64, i64, i64) {
    (
        report.cost.hard,
        term(report, "room_capacity"),
        term(report, "spread_days"),
        term(report, "isolated"),
        term(report, "room_stability"),
    )
}

fn check_incremental(inst: &Instance, report: &Report, tt: creneau::model::Timetable) {
    let scoring = Scoring::new(inst);
    assert_eq!(State::new(inst, &scoring, tt).cost(), report.cost);
}

#[test]
fn published_solutions_have_their_official_costs() {
    // From shared/datasets/itc2007-cbctt/README.md (soft columns already weighted).
    let official = [
        ("comp01", (0, 4, 0, 0, 1), 5),
        ("comp02", (0, 0, 10, 26, 0), 36),
        ("comp03", (0, 0, 20, 46, 0), 66),
        ("comp04", (0, 0, 5, 32, 0), 37),
        ("comp05", (0, 0, 190, 114, 1), 305),
        ("comp06", (0, 0, 5, 28, 7), 40),
        ("comp07", (0, 0, 0, 10, 4), 14),
        ("toy", (0, 0, 0, 0, 0), 0),
    ];
    for (name, terms, soft) in official {
        let (_, inst) = load_problem(&data(&format!("instances/{name}.ctt"))).unwrap();
        let tt = read_timetable(&data(&format!("solutions/{name}.sol")), &inst).unwrap();
        let report = evaluate(&inst, &tt);
        assert_eq!(ud2(&report), terms, "{name}");
        assert_eq!(report.cost.soft, soft, "{name}");
        check_incremental(&inst, &report, tt);
    }
}

/// Two courses of one curriculum Q on a 3 x 3 grid, rooms of 20 and 40 seats; course B
/// may not be at day 2 period 2.
const MICRO: &str = "Name: Micro
Courses: 2
Rooms: 2
Days: 3
Periods_per_day: 3
Curricula: 1
Constraints: 1

COURSES:
A tA 3 3 30
B tB 2 2 10

ROOMS:
small 20
big 40

CURRICULA:
Q 2 A B

UNAVAILABILITY_CONSTRAINTS:
B 2 2

END.
";

fn micro(sol: &str) -> Report {
    let file = Path::new("micro.ctt");
    let inst = parse_ctt(MICRO, file).unwrap().compile().unwrap();
    let tt = parse_sol(sol, Path::new("micro.sol"), &inst).unwrap();
    let report = evaluate(&inst, &tt);
    check_incremental(&inst, &report, tt);
    report
}

#[test]
fn hand_built_solution_every_soft_term_and_availability() {
    let report = micro("A big 0 0\nA big 0 1\nA small 1 0\nB small 2 2\nB small 2 1\n");
    // RoomCapacity: A (30 students) once in small (20 seats): 10.
    // MinWorkingDays: A on days {0, 1}, wants 3: 1 x 5; B on {2}, wants 2: 1 x 5 -> 10.
    // Compactness of Q: day 0 periods 0-1 adjacent, day 1 period 0 alone (1), day 2
    //   periods 1-2 adjacent -> 1 x 2 = 2.
    // RoomStability: A uses big and small: 1; B only small: 0 -> 1.
    // Hard: B at day 2 period 2, where it is unavailable: 1.
    assert_eq!(ud2(&report), (1, 10, 10, 2, 1));
    assert_eq!(term(&report, "unavailable"), 1);
    assert_eq!(report.cost.soft, 23);
}

#[test]
fn hand_built_solution_with_conflicts() {
    let report = micro("A big 0 0\nA big 1 0\nA big 2 0\nB big 0 0\nB small 1 1\n");
    // At day 0 period 0, A and B share curriculum Q (1 conflict) and room big (1 room
    // occupancy): hard 2, as UD2 counts it (1 Conflicts + 1 RoomOccupancy).
    assert_eq!(report.cost.hard, 2);
    assert_eq!(term(&report, "clashes"), 2);
    // RoomStability: B in big and small: 1. Capacities and working days are met.
    assert_eq!(term(&report, "room_stability"), 1);
    assert_eq!(
        term(&report, "room_capacity") + term(&report, "spread_days"),
        0
    );
}

#[test]
fn sol_files_round_trip() {
    let (_, inst) = load_problem(&data("instances/comp01.ctt")).unwrap();
    let text = std::fs::read_to_string(data("solutions/comp01.sol")).unwrap();
    let tt = parse_sol(&text, Path::new("comp01.sol"), &inst).unwrap();
    let again = write_sol(&inst, &tt);
    assert_eq!(
        parse_sol(&again, Path::new("again.sol"), &inst).unwrap(),
        tt
    );
}

#[test]
fn reader_errors_name_file_and_line() {
    let bad_curriculum = MICRO.replace("Q 2 A B", "Q 2 A C");
    let err = parse_ctt(&bad_curriculum, Path::new("m.ctt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("m.ctt:18:") && err.contains("unknown course \"C\""),
        "{err}"
    );
    let bad_count = MICRO.replace("Courses: 2", "Courses: 3");
    let err = parse_ctt(&bad_count, Path::new("m.ctt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("m.ctt:2:") && err.contains("header says 3 Courses, the file lists 2"),
        "{err}"
    );
    let bad_number = MICRO.replace("B tB 2 2 10", "B tB two 2 10");
    let err = parse_ctt(&bad_number, Path::new("m.ctt"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("m.ctt:11:") && err.contains("\"two\""),
        "{err}"
    );
    let no_end = MICRO.replace("END.", "");
    assert!(parse_ctt(&no_end, Path::new("m.ctt"))
        .unwrap_err()
        .to_string()
        .contains("missing \"END.\""));

    let inst = parse_ctt(MICRO, Path::new("m.ctt"))
        .unwrap()
        .compile()
        .unwrap();
    let err = parse_sol(
        "A big 0 0\nA big 0 1\nA big 0 2\nA big 1 0\n",
        Path::new("m.sol"),
        &inst,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("m.sol:4:") && err.contains("course A has only 3 lectures"),
        "{err}"
    );
    let err = parse_sol("A hall 0 0\n", Path::new("m.sol"), &inst)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("m.sol:1:") && err.contains("unknown room \"hall\""),
        "{err}"
    );
    let err = parse_sol("A big 5 0\n", Path::new("m.sol"), &inst)
        .unwrap_err()
        .to_string();
    assert!(err.contains("outside the grid"), "{err}");
}
