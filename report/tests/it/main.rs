//! report's integration tests: one binary, a module per behaviour.

mod browser;
mod fixtures;
mod robust;
mod snapshots;
