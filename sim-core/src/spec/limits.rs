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
