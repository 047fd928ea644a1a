//! Capacity a run provisions beyond steady state (stacks created, groups scaled up, databases restored),
//! recorded by the world and priced by the cost layer.

use serde::{Deserialize, Serialize};

use crate::engine::time::SimTime;

/// Capacity a run provisions beyond steady state, for [`recovery_cost`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// The resource (scenario name): an `Asg` or `Ec2` (instances), `Rds` or `Aurora` (DB instances, each
    /// priced as one Single-AZ instance of the class plus its storage for RDS), `Alb`, `DynamoDb`
    /// (a restored table's storage) or a `Stack` (all its resources at their configured size).
    pub resource: String,
    /// How many of it (instances, DB instances, stacks).
    pub instances: u32,
    /// When it started to bill.
    pub from: SimTime,
    /// When it stops billing: the world records the horizon; the run's pricing sets it to the incident's
    /// end (`crate::cost::recovery`). Before `from` counts as nothing.
    pub to: SimTime,
    /// The Region it runs in, when not the resource's own (a database restored in another Region).
    #[serde(default)]
    pub region: Option<String>,
}
