//! # scenarios: drsim's built-in scenarios and the RON loader
//!
//! This crate reads scenario files: RON text in, typed scenario out, with errors that name the file, line
//! and column and suggest the closest valid name ([`source`]). The course's eleven built-in scenarios
//! arrive with the scenarios issue; until then the only built-in run is `sim_core::demo`, reached through
//! `drsim demo`.
//!
//! Invariant: a built-in scenario is a file a user can read, copy and edit; nothing here is hard-coded that
//! the file does not say.

pub mod source;
