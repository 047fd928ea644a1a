//! Disasters as a scenario writes them: what fails, when, and for how long.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;

/// One disaster to inject.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisasterConfig {
    /// Its name (`drsim run --disaster NAME` picks it; its random stream is named after it).
    pub name: String,
    /// What fails.
    pub kind: DisasterKind,
    /// When it starts.
    #[serde(default)]
    pub onset: Onset,
    /// How long until the failed part heals; `None`: not within the horizon.
    #[serde(default)]
    pub duration: Option<Dist>,
    /// Whether it is injected when no `--disaster` is chosen.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// What a disaster does to the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DisasterKind {
    /// An Availability Zone goes dark: every zonal resource in it is down.
    AzOutage {
        /// The AZ.
        az: String,
    },
    /// A Region's data plane goes down, and its control plane (APIs) too when `control_plane` is set.
    RegionOutage {
        /// The Region.
        region: String,
        /// Whether the Region's APIs fail too.
        #[serde(default)]
        control_plane: bool,
    },
    /// Two Regions cannot reach each other (both stay up).
    Partition {
        /// One side.
        a: String,
        /// The other side.
        b: String,
    },
    /// A resource keeps running but fails a share of requests and/or adds latency.
    GrayFailure {
        /// The resource.
        resource: String,
        /// Share of requests that fail, in [0, 1].
        error_rate: f64,
        /// Latency added to every request.
        #[serde(default)]
        latency: SimDuration,
    },
    /// One resource fails outright (e.g. the Aurora writer instance).
    ResourceFailure {
        /// The resource.
        resource: String,
    },
    /// A bad deploy corrupts a data store; replication copies the corruption.
    Corruption {
        /// The store.
        store: String,
    },
    /// An operator deletes a table or database by mistake; replication copies the delete.
    Delete {
        /// The store.
        store: String,
    },
    /// Nothing fails: a planned event (a switchover drill). Runbooks triggered at `Onset` run, and their
    /// impact is measured like any disaster's.
    Planned {
        /// What is planned, for the log.
        what: String,
    },
    /// An on-premises site is lost for good (fire, flood): everything in it is down and never comes back
    /// within the run. Takes no `duration`.
    SiteLoss {
        /// The site.
        site: String,
    },
    /// An on-premises site loses power: everything in it is down until the disaster's `duration` (which
    /// it needs) has passed, then comes back with its data.
    PowerOutage {
        /// The site.
        site: String,
    },
    /// The site's WAN link to AWS (VPN or Direct Connect) is down: the site runs, but nothing crosses
    /// between it and any Region (transfers over the link stop; clients elsewhere cannot reach it).
    WanLinkDown {
        /// The site.
        site: String,
    },
    /// An origin answers every request with an HTTP error status (the Unishop lab's 403).
    OriginError {
        /// The origin (a bucket or load balancer).
        resource: String,
        /// The status it returns.
        status: u16,
    },
}

/// When a disaster starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Onset {
    /// At this offset from the start of the run.
    At(SimDuration),
    /// Uniformly within this window (so a sweep sees every phase of backup schedules and the like).
    Uniform(SimDuration, SimDuration),
    /// After an exponential time with this mean (a failure rate); may fall beyond the horizon.
    Rate(SimDuration),
}

impl Default for Onset {
    fn default() -> Self {
        Onset::At(SimDuration::from_hours(1))
    }
}
