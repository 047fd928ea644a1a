//! What can be wrong with a topology: each message names what is wrong and what to change.

use std::fmt;

use crate::model::topology::EdgeKind;

/// A problem in a [`TopologySpec`]. Each message names what is wrong and what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TopologyError {
    /// Two Regions, two AZs or two nodes share a name: rename one.
    DuplicateName {
        /// `"region"`, `"AZ"` or `"node"`.
        what: &'static str,
        /// The repeated name.
        name: String,
    },
    /// A node names a Region that `regions` does not list: add it, or fix the spelling.
    UnknownRegion {
        /// The node.
        node: String,
        /// The Region it names.
        region: String,
    },
    /// A node names an AZ that no Region lists: add it to its Region, or fix the spelling.
    UnknownAz {
        /// The node.
        node: String,
        /// The AZ it names.
        az: String,
    },
    /// A node is placed in an AZ that belongs to another Region than the node's: pick an AZ of its Region.
    AzInOtherRegion {
        /// The node.
        node: String,
        /// The AZ it names.
        az: String,
        /// The Region the AZ belongs to.
        az_region: String,
        /// The Region the node names.
        region: String,
    },
    /// An edge refers to a node that does not exist: add the node or fix the edge.
    Dangling {
        /// The edge's source.
        from: String,
        /// The edge's destination.
        to: String,
        /// The edge's kind.
        kind: EdgeKind,
        /// The end that does not exist (`from`, `to`, or both joined by " and ").
        missing: String,
    },
    /// A replication edge's primary does not exist: a replica cannot exist without its primary.
    MissingPrimary {
        /// The missing primary.
        primary: String,
        /// The replica.
        replica: String,
    },
    /// Dependency edges form a cycle, listed in order with the first node repeated at the end: break it.
    DependencyCycle {
        /// The cycle, e.g. `["web", "api", "db", "web"]`.
        cycle: Vec<String>,
    },
    /// Routing edges form a loop (an ALB targeting itself, a record routed back to itself through a CDN):
    /// requests would go round it and never reach a server. Listed like [`Self::DependencyCycle`]: break it.
    RoutingCycle {
        /// The loop, e.g. `["alb", "alb"]`.
        cycle: Vec<String>,
    },
}

impl fmt::Display for TopologyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopologyError::DuplicateName { what, name } => {
                write!(f, "{what} name `{name}` is used twice; rename one")
            }
            TopologyError::UnknownRegion { node, region } => write!(
                f,
                "node `{node}` is in region `{region}`, which is not listed in `regions`"
            ),
            TopologyError::UnknownAz { node, az } => write!(
                f,
                "node `{node}` is in AZ `{az}`, which no region in `regions` lists in its `azs`"
            ),
            TopologyError::AzInOtherRegion {
                node,
                az,
                az_region,
                region,
            } => write!(
                f,
                "node `{node}` is in region `{region}` but AZ `{az}` belongs to region `{az_region}`; \
                 pick an AZ of `{region}`"
            ),
            TopologyError::Dangling {
                from,
                to,
                kind,
                missing,
            } => write!(f, "{kind} edge `{from}` → `{to}`: no node named {missing}"),
            TopologyError::MissingPrimary { primary, replica } => write!(
                f,
                "replication edge `{primary}` → `{replica}`: the primary `{primary}` does not exist; \
                 a replica needs its primary"
            ),
            TopologyError::DependencyCycle { cycle } => {
                write!(
                    f,
                    "dependency cycle: {}; remove one of these edges",
                    cycle.join(" → ")
                )
            }
            TopologyError::RoutingCycle { cycle } => {
                write!(
                    f,
                    "routing loop: {}; requests would never reach a server, so route to compute or a store",
                    cycle.join(" → ")
                )
            }
        }
    }
}

impl std::error::Error for TopologyError {}
