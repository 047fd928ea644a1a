//! sim-core's integration tests: one binary, a module per behaviour.

mod cost;
mod determinism;
mod edge;
mod engine_bounds;
mod format_reference;
mod layering;
mod ordering;
mod stores;
mod streams;
mod time;
