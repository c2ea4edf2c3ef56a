//! The native JSON format: a [`Problem`] as people write it (see `docs/format.md`), and
//! timetables as lists of sessions with day, period, weeks and rooms, all by name.

mod solution;

pub use solution::{read_solution, solution_to_json, SessionOut, SolutionFile};

use std::path::Path;

use crate::io::Error;
use crate::model::Problem;

/// Parses a problem from JSON text; `file` names it in errors.
pub fn parse_problem(text: &str, file: &Path) -> Result<Problem, Error> {
    let problem = parse(text, file)?;
    let value: serde_json::Value = serde_json::from_str(text).expect("parsed once already");
    check_constraint_fields(&value, file)?;
    Ok(problem)
}

/// Rejects unknown fields in constraints, which serde cannot do there (a constraint is
/// a flattened, internally tagged rule). The fields each type allows are read from the
/// JSON Schema generated from the types, so the two cannot drift apart.
fn check_constraint_fields(problem: &serde_json::Value, file: &Path) -> Result<(), Error> {
    let Some(constraints) = problem.get("constraints").and_then(|c| c.as_array()) else {
        return Ok(());
    };
    let schema =
        serde_json::to_value(schemars::schema_for!(Problem)).expect("a schema always serialises");
    let def = &schema["$defs"]["Constraint"];
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v["properties"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let common = keys(def);
    let variants = def["oneOf"].as_array().cloned().unwrap_or_default();
    for (i, c) in constraints.iter().enumerate() {
        let (Some(fields), Some(kind)) = (c.as_object(), c.get("type").and_then(|t| t.as_str()))
        else {
            continue;
        };
        let Some(variant) = variants
            .iter()
            .find(|v| v["properties"]["type"]["const"] == kind)
        else {
            continue;
        };
        let allowed: Vec<String> = common.iter().cloned().chain(keys(variant)).collect();
        if let Some(unknown) = fields.keys().find(|k| !allowed.contains(k)) {
            let mut expected: Vec<&str> = allowed
                .iter()
                .map(|s| s.as_str())
                .filter(|&k| k != "type")
                .collect();
            expected.sort_unstable();
            return Err(Error::Field {
                file: file.to_path_buf(),
                path: format!("constraints[{i}].{unknown}"),
                message: format!(
                    "unknown field for a {kind} constraint, expected one of: {}",
                    expected.join(", ")
                ),
            });
        }
    }
    Ok(())
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
