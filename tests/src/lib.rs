//! Helpers for the end-to-end tests in `tests/tests/`.

use std::path::PathBuf;

/// A folder of the project's shared data (`../shared` beside the checkout), which CI
/// and every developer have. Panics with a clear message when it is missing.
fn shared(rel: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(rel);
    assert!(
        dir.is_dir(),
        "{} not found: these tests read the project's shared data sets, expected in ../shared beside the checkout",
        dir.display()
    );
    dir
}

/// The timetables FET generated for the development set of FET schools
/// (`<Country>__<name>_data_and_timetable.fet`), sorted.
pub fn fet_solutions() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared("fet/solutions"))
        .expect("readable folder")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "fet"))
        .collect();
    files.sort();
    files
}

/// A file of the ITC-2007 data set in the project's shared folder.
pub fn itc2007(rel: &str) -> PathBuf {
    shared("datasets/itc2007-cbctt").join(rel)
}
