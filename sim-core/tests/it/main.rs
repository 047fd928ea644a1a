//! sim-core's integration tests: one binary, a module per behaviour.

mod determinism;
mod ordering;
mod streams;
mod time;
