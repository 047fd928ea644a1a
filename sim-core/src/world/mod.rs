//! The world: what a scenario describes, running on the engine.
//!
//! The contract with the models (places, health, call context, actions, the store trait) is
//! [`crate::model`]; the scenario as data is [`crate::spec`].

pub mod disaster;
pub mod result;
pub mod run;
pub mod runbook;
pub mod timeline;
