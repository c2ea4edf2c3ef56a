//! File formats. A reader turns text into a [`crate::model::Problem`] (or a timetable)
//! and every mistake is reported with the file, and the line or field path; a writer
//! never leaves a half-written file ([`write_atomic`]).

pub mod fet;
pub mod html;
pub mod itc2007;
pub mod json;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::eval::Cost;
use crate::model::{Instance, ModelErrors, Problem, Timetable};

/// What can go wrong reading or writing a file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or written.
    #[error("{file}: {error}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The system error (in the message, not a separate cause, so that it is
        /// printed once).
        error: std::io::Error,
    },
    /// The file is not valid in its format.
    #[error("{file}:{line}:{column}: {path}: {message}")]
    Syntax {
        /// The file.
        file: PathBuf,
        /// Line (1-based).
        line: usize,
        /// Column (1-based).
        column: usize,
        /// Field path, e.g. `lessons[3].sessions[0]`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// A line of a line-based format is wrong.
    #[error("{file}:{line}: {message}")]
    Line {
        /// The file.
        file: PathBuf,
        /// Line (1-based).
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// The problem is well-formed but inconsistent (unknown names, bad values).
    #[error("{file}: invalid problem:\n{errors}")]
    Model {
        /// The file.
        file: PathBuf,
        /// Every mistake found.
        errors: ModelErrors,
    },
    /// A field has a wrong value (solutions, formats without line numbers).
    #[error("{file}: {path}: {message}")]
    Field {
        /// The file.
        file: PathBuf,
        /// Field path or line.
        path: String,
        /// What was wrong.
        message: String,
    },
}

/// Reads a whole file.
pub fn read_text(file: &Path) -> Result<String, Error> {
    std::fs::read_to_string(file).map_err(|error| Error::Io {
        file: file.to_path_buf(),
        error,
    })
}

/// Writes `bytes` to `file` atomically: into a temporary file beside it, then renamed
/// over it, so a reader never sees a half-written file and a failure leaves nothing.
pub fn write_atomic(file: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |error| Error::Io {
        file: file.to_path_buf(),
        error,
    };
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, file));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

fn extension(file: &Path) -> &str {
    file.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// A problem read from a file, compiled, with what the format could not carry over.
#[derive(Debug)]
pub struct Loaded {
    /// The problem as read.
    pub problem: Problem,
    /// The problem compiled.
    pub inst: Instance,
    /// Constraint types of the file creneau does not support, with their counts
    /// (FET files); these constraints are not in the problem.
    pub unsupported: BTreeMap<String, usize>,
    /// The file holds a timetable: every session is pinned (FET's
    /// `*_data_and_timetable.fet`).
    pub locked: bool,
}

/// Reads and compiles a problem, choosing the format by the file's extension: `.ctt`
/// (ITC-2007), `.fet` (FET), otherwise the native JSON format.
pub fn load(file: &Path) -> Result<Loaded, Error> {
    let text = read_text(file)?;
    let (problem, unsupported, locked) = match extension(file) {
        "ctt" => (itc2007::parse_ctt(&text, file)?, BTreeMap::new(), false),
        "fet" => {
            let school = fet::parse_fet(&text, file)?;
            let locked = school.locked();
            (school.problem, school.unsupported, locked)
        }
        _ => (json::parse_problem(&text, file)?, BTreeMap::new(), false),
    };
    let inst = problem.compile().map_err(|errors| Error::Model {
        file: file.to_path_buf(),
        errors,
    })?;
    Ok(Loaded {
        problem,
        inst,
        unsupported,
        locked,
    })
}

/// Reads and compiles a problem (see [`load`]).
pub fn load_problem(file: &Path) -> Result<(Problem, Instance), Error> {
    let loaded = load(file)?;
    Ok((loaded.problem, loaded.inst))
}

/// Reads a timetable for `inst`: `.sol` (ITC-2007), otherwise a JSON solution file.
pub fn read_timetable(file: &Path, inst: &Instance) -> Result<Timetable, Error> {
    match extension(file) {
        "sol" => itc2007::parse_sol(&read_text(file)?, file, inst),
        _ => json::read_solution(file, inst),
    }
}

/// Writes a timetable atomically in the format of `file`'s extension: `.sol`
/// (ITC-2007), otherwise JSON (with `cost`).
pub fn write_timetable(
    file: &Path,
    inst: &Instance,
    tt: &Timetable,
    cost: Cost,
) -> Result<(), Error> {
    let text = match extension(file) {
        "sol" => itc2007::write_sol(inst, tt),
        _ => json::solution_to_json(inst, tt, Some(cost)),
    };
    write_atomic(file, text.as_bytes())
}
