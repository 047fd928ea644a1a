//! The divergence finder: run two replications with the trace recorder on and report where they first
//! differ (see [`crate::engine::trace`]).

use crate::engine::trace::{Divergence, TracedEvent, first_divergence};
use crate::model::StepLog;
use crate::spec::Scenario;
use crate::sweep::run::{RunError, Runner};

/// The event trace of one replication (the enabled disasters, or those in `active`).
pub fn trace_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
) -> Result<Vec<TracedEvent>, RunError> {
    let finished =
        Runner::new(scenario).world(seed, replication, active, StepLog::quiet(), true)?;
    Ok(finished.trace.unwrap_or_default())
}

/// Runs replication `replication` of `left` and of `right` (often the same scenario twice, or one with a
/// `--set` tweak) at `seed` and returns where their traces first differ; `None` when they are identical.
pub fn find_divergence(
    left: &Scenario,
    right: &Scenario,
    seed: u64,
    replication: u64,
) -> Result<Option<Divergence>, RunError> {
    let a = trace_replication(left, seed, replication, None)?;
    let b = trace_replication(right, seed, replication, None)?;
    Ok(first_divergence(&a, &b))
}
