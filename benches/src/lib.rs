//! Benchmarks live in `benches/benches/`; suites in `benches/suites/`.
