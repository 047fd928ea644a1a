//! Every bound drsim puts on a scenario, in one place: validation refuses what exceeds them and the world
//! relies on them.

use crate::engine::time::SimDuration;

/// The longest PITR retention DynamoDB allows (35 days, C14).
pub const MAX_PITR_RETENTION: SimDuration = SimDuration::from_hours(35 * 24);

/// The largest Auto Scaling group drsim models (a bound on work per replication, far above the course's
/// groups; AWS's own limits are per-account quotas).
pub const MAX_GROUP_SIZE: u32 = 10_000;

/// The longest chain of routing hops from a flow's entry (record → distribution → load balancer → …):
/// validation refuses longer chains; the world's routing and the cost model's traffic walk never go deeper.
pub const MAX_ROUTING_DEPTH: usize = 24;

/// The most Regions a scenario may list (health keeps them in 64-bit sets).
pub const MAX_REGIONS: usize = 64;

/// The most AZs a scenario may list, over all Regions (health keeps them in 64-bit sets).
pub const MAX_AZS: usize = 64;

/// The most resources a scenario may list.
pub const MAX_RESOURCES: usize = 10_000;

/// The longest horizon of a replication (366 days).
pub const MAX_HORIZON: SimDuration = SimDuration::from_hours(24 * 366);

/// The most events one replication may handle (a runaway model stops with an error, not a hang).
pub const MAX_EVENTS: u64 = 50_000_000;

/// The most replications one invocation runs; beyond this, shard the sweep across machines.
pub const MAX_RUNS: u64 = 10_000_000;

/// The largest scenario file read (bytes). Real scenarios are a few KiB; anything this large is a mistake
/// or an attack, and is refused before parsing.
pub const MAX_SCENARIO_BYTES: usize = 4 << 20;

/// The longest chain of `extends` (a longer one is almost certainly a cycle).
pub const MAX_EXTENDS_DEPTH: usize = 8;

/// The largest results file read (`merge`, `report`, `check --baseline`): 8 GiB. A `drsim-sweep/2` file
/// holds 60–150 bytes per replication for the built-ins, so 10 million runs fit with room for large
/// scenarios; anything larger is refused before it is read.
pub const MAX_RESULTS_BYTES: u64 = 8 << 30;

/// Steps one runbook thread may take without waiting (a `Choice` loop that never waits stops here).
pub const MAX_STEPS_PER_CALL: u32 = 10_000;

/// Rounds of "an action finished → the runbook's next step" one event may settle.
pub const MAX_SETTLE_ROUNDS: usize = 1_000;

/// States one runbook may enter in one replication. A 30 s poll fits 11 days within it; a `Wait 0s` back to
/// itself, a `Retry` with a huge `max_attempts`, or a one-second poll for a year does not, and the run stops
/// with an error naming the state (it used to take half a minute and gigabytes per replication).
pub const MAX_RUNBOOK_STEPS: u64 = 100_000;

/// The largest `max_attempts` of a `Retry` (Amazon States Language: 99999999).
pub const MAX_RETRY_ATTEMPTS: u32 = 99_999_999;

/// The most memory one invocation's sweep may keep in samples (4 GiB): beyond it, shard the sweep.
pub const MAX_SAMPLE_BYTES: u64 = 4 << 30;
