//! Tiny problems for the family tests: 5 days (D0..D4) x 4 periods (P0..P3), teacher
//! `T`, class `C` of 30 students, rooms `R20` and `R40` (20 and 40 seats), and
//! one-period lessons `L0`, `L1`, ... taught by `T` to `C`, plus one constraint.
//! Placements are `(event, day, period)`. Every cost is also checked against the
//! incremental state.

use crate::eval::{evaluate, Cost, Scoring, State};
use crate::model::{Instance, Problem, Timetable};

fn base(lessons: String, constraint: &str) -> Problem {
    let json = format!(
        r#"{{"name":"t","time":{{"days":["D0","D1","D2","D3","D4"],"periods":[{{"name":"P0"}},{{"name":"P1"}},{{"name":"P2"}},{{"name":"P3"}}]}},
        "teachers":[{{"name":"T"}}],"classes":[{{"name":"C","students":30}}],
        "rooms":[{{"name":"R20","capacity":20}},{{"name":"R40","capacity":40}}],
        "lessons":[{lessons}],"constraints":[{constraint}]}}"#
    );
    serde_json::from_str(&json).expect("test problem parses")
}

/// `n` one-period lessons without rooms.
pub fn problem(n: usize, constraint: &str) -> Problem {
    let lessons: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"L{i}","teachers":["T"],"students":["C"]}}"#))
        .collect();
    base(lessons.join(","), constraint)
}

/// `n` one-period lessons, each needing one room.
pub fn problem_with_rooms(n: usize, constraint: &str) -> Problem {
    let lessons: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"L{i}","teachers":["T"],"students":["C"],"rooms":[{{}}]}}"#))
        .collect();
    base(lessons.join(","), constraint)
}

/// One lesson `L0` of `n` one-period sessions needing one room.
pub fn problem_with_rooms_sessions(n: usize, constraint: &str) -> Problem {
    let sessions = vec!["1"; n].join(",");
    base(
        format!(
            r#"{{"id":"L0","teachers":["T"],"students":["C"],"sessions":[{sessions}],"rooms":[{{}}]}}"#
        ),
        constraint,
    )
}

fn timetable(inst: &Instance, placements: &[(usize, usize, usize, Option<&str>)]) -> Timetable {
    let mut tt = Timetable::empty(inst);
    for &(e, d, p, room) in placements {
        tt.starts[e] = inst.grid.slot(d, p);
        if let Some(room) = room {
            let r = inst
                .resources
                .iter()
                .position(|x| x.name == room)
                .expect("room exists") as u32;
            tt.rooms[inst.room_range(e as u32).start] = r;
        }
    }
    tt
}

/// Cost of the problem's one constraint, checked against the incremental state.
fn constraint_cost(p: &Problem, placements: &[(usize, usize, usize, Option<&str>)]) -> Cost {
    let inst = p.compile().expect("test problem compiles");
    let tt = timetable(&inst, placements);
    let report = evaluate(&inst, &tt);
    let scoring = Scoring::new(&inst);
    let state = State::new(&inst, &scoring, tt);
    assert_eq!(
        state.cost(),
        report.cost,
        "incremental state disagrees with the reference"
    );
    let last = report.entries.last().expect("one constraint");
    Cost::of(last.hard, last.cost)
}

/// Soft cost of the constraint.
pub fn soft_cost(p: &Problem, placements: &[(usize, usize, usize)]) -> i64 {
    let pl: Vec<_> = placements
        .iter()
        .map(|&(e, d, q)| (e, d, q, None))
        .collect();
    let c = constraint_cost(p, &pl);
    assert_eq!(c.hard, 0);
    c.soft
}

/// Hard cost of the constraint.
pub fn hard_cost(p: &Problem, placements: &[(usize, usize, usize)]) -> i64 {
    let pl: Vec<_> = placements
        .iter()
        .map(|&(e, d, q)| (e, d, q, None))
        .collect();
    let c = constraint_cost(p, &pl);
    assert_eq!(c.soft, 0);
    c.hard
}

/// Soft cost of the constraint, with rooms.
pub fn soft_cost_rooms(p: &Problem, placements: &[(usize, usize, usize, &str)]) -> i64 {
    let pl: Vec<_> = placements
        .iter()
        .map(|&(e, d, q, r)| (e, d, q, Some(r)))
        .collect();
    let c = constraint_cost(p, &pl);
    assert_eq!(c.hard, 0);
    c.soft
}
