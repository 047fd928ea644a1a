//! Actions the world asks of models on a runbook's behalf, how they are identified ([`Ticket`]) and how they
//! fail ([`ActionError`], which runbooks `Catch` by code).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimTime;
use crate::model::place::RegionId;

/// Identifies one action a runbook started, so its completion can be matched to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ticket {
    /// The runbook (its index in the scenario).
    pub book: u16,
    /// Which of its actions (a sequence number within the execution).
    pub seq: u32,
}

/// Why an action could not be done. Runbooks can `Catch` these by [`ActionError::code`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ActionError {
    /// The Region's control plane is down, so its API cannot be called.
    ControlPlaneDown(RegionId),
    /// The thing the action needs is down (e.g. the source of a switchover).
    TargetDown(String),
    /// The action does not apply to this resource or its state, with the reason (e.g. "no replica in
    /// us-west-2", "already the writer").
    NotApplicable(String),
    /// The action is not supported by this kind of resource.
    Unsupported(String),
}

impl ActionError {
    /// A short, stable error name for `Retry`/`Catch` matching, in the spirit of States Language error names.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::ControlPlaneDown(_) => "ControlPlaneDown",
            ActionError::TargetDown(_) => "TargetDown",
            ActionError::NotApplicable(_) => "NotApplicable",
            ActionError::Unsupported(_) => "Unsupported",
        }
    }
}

impl ActionError {
    /// The error in words, with Regions named from `catalog` (`control plane of us-east-1 is down`);
    /// [`Display`](fmt::Display) has no catalog and shows the index.
    pub fn describe(&self, catalog: &crate::model::place::Catalog) -> String {
        match self {
            ActionError::ControlPlaneDown(r) => {
                format!("control plane of {} is down", catalog.region_name(*r))
            }
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::ControlPlaneDown(r) => {
                write!(f, "control plane of region #{} is down", r.0)
            }
            ActionError::TargetDown(what) => write!(f, "{what} is down"),
            ActionError::NotApplicable(why) => write!(f, "not applicable: {why}"),
            ActionError::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

/// Where a point-in-time restore should land.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointTarget {
    /// The latest restorable time (e.g. now − up to 5 min for RDS, C9).
    Latest,
    /// Just before the most recent corruption or delete of this store (the operator picks the instant
    /// before the bad deploy).
    BeforeCorruption,
    /// A given instant.
    At(SimTime),
}

/// Actions a runbook can ask of a data store. A store answers the ones that do not apply to it with
/// [`ActionError::Unsupported`] or [`ActionError::NotApplicable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreAction {
    /// Promote the read replica (RDS) or detach-and-promote the secondary cluster (Aurora) in `region` to a
    /// standalone writer.
    Promote {
        /// Where the replica is.
        region: RegionId,
    },
    /// Aurora Global Database unplanned failover to the secondary in `region` (allows data loss).
    FailoverGlobal {
        /// The new primary Region.
        region: RegionId,
    },
    /// Aurora Global Database managed switchover to `region` (planned: RPO 0; both Regions must be up).
    SwitchoverGlobal {
        /// The new primary Region.
        region: RegionId,
    },
    /// Force a Multi-AZ failover to the standby (reboot with failover).
    ForceFailover,
    /// Restore a new writer in `region` from the latest snapshot or backup held there.
    RestoreSnapshot {
        /// Where to restore.
        region: RegionId,
    },
    /// Restore a new writer in `region` to a point in time.
    RestoreToPoint {
        /// Where to restore.
        region: RegionId,
        /// To when.
        target: PointTarget,
    },
    /// Copy the latest snapshot or backup to `region` (an AWS Backup copy job).
    CopyBackup {
        /// Destination Region.
        region: RegionId,
    },
    /// The application now uses the store's current writer: a restored instance, cluster or table has a
    /// new endpoint or name, and clients keep using the old one until this is done. The world times the
    /// change (the runbook's `Repoint` duration); the store applies it at once.
    Repoint,
    /// Add a replica in `region` to a DynamoDB table (UpdateTable `ReplicaUpdates: Create`): how a
    /// restored, single-Region table becomes a global table again.
    AddReplica {
        /// The new replica's Region.
        region: RegionId,
    },
}
