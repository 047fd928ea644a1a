//! # scenarios: drsim's built-in scenarios
//!
//! This crate will embed the course's eleven scenarios (RON files in `scenarios/`) and load them by name;
//! the format and the files arrive with the scenarios issue. Until then the only built-in run is
//! `sim_core::demo`, reached through `drsim demo`.
//!
//! Invariant: a built-in scenario is a file a user can read, copy and edit; nothing here is hard-coded that
//! the file does not say.
