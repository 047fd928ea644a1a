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
