//! The world: what a scenario describes, running on the engine.
//!
//! - [`place`]: Regions, AZs and their health;
//! - [`api`]: the contract with the models (call context, step log, actions, the [`api::DataStore`] trait).

pub mod api;
pub mod config;
pub mod disaster;
pub mod graph;
pub mod place;
pub mod result;
pub mod run;
pub mod runbook;
pub mod timeline;
