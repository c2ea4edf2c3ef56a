//! Python bindings of creneau. Placeholder: the pyo3 module arrives with the Python
//! bindings issue; until then this crate only pins the dependency on the engine.

/// Version of the engine these bindings wrap.
pub fn engine_version() -> &'static str {
    creneau::VERSION
}
