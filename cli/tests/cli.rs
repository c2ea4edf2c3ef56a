//! The `creneau` command end to end, on the bundled demo schools.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn creneau() -> Command {
    Command::new(env!("CARGO_BIN_EXE_creneau"))
}

fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/demo")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("creneau-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("creneau runs");
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn check_validates_the_demo_school() {
    let out = run(creneau().arg("check").arg(demo("lycee-demo.json")));
    assert!(
        stdout(&out).contains("valid problem: 54 teachers, 20 classes"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn solve_writes_a_valid_timetable_and_html_that_check_agrees_with() {
    let dir = scratch("solve");
    let sol = dir.join("sol.json");
    let out = run(creneau()
        .args([
            "solve",
            "--time-limit",
            "20s",
            "--moves",
            "20000",
            "--progress",
            "none",
            "-o",
        ])
        .arg(&sol)
        .arg("--html")
        .arg(dir.join("html"))
        .arg(demo("lycee-small.json")));
    assert!(stdout(&out).contains("valid timetable"), "{}", stdout(&out));
    for page in ["index.html", "classes.html", "teachers.html", "rooms.html"] {
        let html = std::fs::read_to_string(dir.join("html").join(page)).unwrap();
        assert!(
            html.contains("</html>") && !html.contains("http://") && !html.contains("https://")
        );
    }
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sol).unwrap()).unwrap();
    let check = run(creneau()
        .args(["check", "--json"])
        .arg(demo("lycee-small.json"))
        .arg(&sol));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(report["cost"]["hard"], 0);
    assert_eq!(
        report["cost"], written["cost"],
        "check recomputes the cost solve reported"
    );
}

#[test]
fn same_seed_and_move_budget_give_the_same_timetable() {
    let dir = scratch("seed");
    let solve = |name: &str| {
        let path = dir.join(name);
        run(creneau()
            .args([
                "solve",
                "--seed",
                "7",
                "--moves",
                "30000",
                "--time-limit",
                "60s",
                "--progress",
                "none",
                "-o",
            ])
            .arg(&path)
            .arg(demo("lycee-small.json")));
        std::fs::read_to_string(path).unwrap()
    };
    assert_eq!(solve("a.json"), solve("b.json"));
}

#[test]
fn time_limit_is_honoured() {
    let start = Instant::now();
    run(creneau()
        .args([
            "solve",
            "--time-limit",
            "1s",
            "--threads",
            "2",
            "--progress",
            "none",
        ])
        .arg(demo("lycee-demo.json")));
    // Generous bound: process start and file reading included; precision is benchmarked.
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn progress_json_emits_events_and_a_final_line() {
    let out = run(creneau()
        .args(["solve", "--moves", "5000", "--progress", "json"])
        .arg(demo("lycee-small.json")));
    let last = stdout(&out).lines().last().unwrap().to_string();
    let done: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(done["event"], "done");
    assert_eq!(done["valid"], true);
}

#[test]
fn ctrl_c_writes_the_best_timetable() {
    let dir = scratch("sigint");
    let sol = dir.join("sol.json");
    let child = creneau()
        .args(["solve", "--time-limit", "60s", "--progress", "none", "-o"])
        .arg(&sol)
        .arg(demo("lycee-demo.json"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).contains("Cancelled"), "{}", stdout(&out));
    let check = run(creneau()
        .args(["check", "--json"])
        .arg(demo("lycee-demo.json"))
        .arg(&sol));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(report["cost"]["hard"], 0);
}

#[test]
fn a_broken_problem_names_the_field_and_writes_nothing() {
    let dir = scratch("broken");
    let text = std::fs::read_to_string(demo("lycee-small.json")).unwrap();
    let mut problem: serde_json::Value = serde_json::from_str(&text).unwrap();
    problem["lessons"][12]["teachers"][0] = "DUPONT-NOBODY".into();
    let path = dir.join("broken.json");
    std::fs::write(&path, serde_json::to_string_pretty(&problem).unwrap()).unwrap();
    let sol = dir.join("sol.json");
    let out = creneau()
        .args(["solve", "--progress", "none", "-o"])
        .arg(&sol)
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lessons[12].teachers[0]: unknown teacher \"DUPONT-NOBODY\""),
        "{err}"
    );
    assert!(!sol.exists());
}

#[test]
fn a_syntax_error_names_line_and_field() {
    let dir = scratch("syntax");
    let path = dir.join("bad.json");
    std::fs::write(&path, "{\"name\": \"x\",\n \"time\": {\"days\": [\"Lundi\"], \"periods\": [{\"name\": 3}]},\n \"lessons\": []}").unwrap();
    let out = creneau().arg("check").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.json:2:") && err.contains("time.periods[0].name"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_named_with_the_system_error_once() {
    let path = scratch("missing").join("nowhere.json");
    let out = creneau().arg("check").arg(&path).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nowhere.json: "), "{err}");
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}
