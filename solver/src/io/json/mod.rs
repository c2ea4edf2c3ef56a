//! The native JSON format: a [`Problem`] as people write it (see `docs/format.md`), and
//! timetables as lists of sessions with day, period, weeks and rooms, all by name.

mod solution;

pub use solution::{read_solution, solution_to_json, SessionOut, SolutionFile};

use std::path::Path;

use crate::io::Error;
use crate::model::Problem;

/// Parses a problem from JSON text; `file` names it in errors.
pub fn parse_problem(text: &str, file: &Path) -> Result<Problem, Error> {
    parse(text, file)
}

/// Parses JSON into `T`, reporting the line, column and field path of a mistake.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(text: &str, file: &Path) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::Syntax {
            file: file.to_path_buf(),
            line: inner.line(),
            column: inner.column(),
            path,
            message: inner
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    })
}

/// The problem as pretty-printed JSON.
pub fn problem_to_json(problem: &Problem) -> String {
    serde_json::to_string_pretty(problem).expect("a problem always serialises") + "\n"
}

/// The JSON Schema of the problem format, generated from the types.
pub fn problem_schema() -> String {
    let schema = schemars::schema_for!(Problem);
    serde_json::to_string_pretty(&schema).expect("a schema always serialises") + "\n"
}
