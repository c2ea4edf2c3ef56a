//! Helpers for the end-to-end tests in `tests/tests/`.

use std::path::PathBuf;

/// A file of the ITC-2007 data set in the project's shared folder, `../shared` beside
/// the checkout (where CI and every developer have it). Panics with a clear message
/// when it is missing.
pub fn itc2007(rel: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets/itc2007-cbctt");
    assert!(
        dir.is_dir(),
        "ITC-2007 data not found at {}: these tests read the project's shared data sets, expected in ../shared beside the checkout",
        dir.display()
    );
    dir.join(rel)
}
