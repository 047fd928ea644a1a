//! Disasters: verbs on the world (fail an AZ, a Region, a link, a resource; corrupt a store), each with an
//! onset and a duration after which the world heals.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream, below};
use crate::engine::time::{SimDuration, SimTime};

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
    /// An origin answers every request with an HTTP error status (the Unishop lab's 403).
    OriginError {
        /// The origin (a bucket or load balancer).
        resource: String,
        /// The status it returns.
        status: u16,
    },
}

impl DisasterKind {
    /// A short description for logs: `"Region us-east-1 fails"`.
    pub fn describe(&self) -> String {
        match self {
            DisasterKind::AzOutage { az } => format!("AZ {az} goes dark"),
            DisasterKind::RegionOutage {
                region,
                control_plane: true,
            } => {
                format!("Region {region} fails (data and control plane)")
            }
            DisasterKind::RegionOutage { region, .. } => {
                format!("Region {region} fails (data plane)")
            }
            DisasterKind::Partition { a, b } => format!("network partition between {a} and {b}"),
            DisasterKind::GrayFailure {
                resource,
                error_rate,
                latency,
            } => {
                format!(
                    "{resource} degrades: {:.0} % errors, +{latency} latency",
                    error_rate * 100.0
                )
            }
            DisasterKind::ResourceFailure { resource } => format!("{resource} fails"),
            DisasterKind::Corruption { store } => format!("a bad deploy corrupts {store}"),
            DisasterKind::Delete { store } => format!("{store} is deleted by mistake"),
            DisasterKind::OriginError { resource, status } => {
                format!("{resource} starts answering HTTP {status}")
            }
            DisasterKind::Planned { what } => format!("planned event begins: {what}"),
        }
    }
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

/// A disaster with its onset and end drawn for one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    /// Index in the scenario's disaster list.
    pub index: usize,
    /// When it starts.
    pub onset: SimTime,
    /// When it heals, if within reach.
    pub end: Option<SimTime>,
}

impl DisasterConfig {
    /// Draws onset and end from the disaster's own stream (`disaster/<name>`): two strategies run with the
    /// same seed see the same disaster at the same moment.
    pub fn draw(&self, index: usize, streams: &RngStreams) -> Drawn {
        let mut rng: Stream = streams.named(&format!("disaster/{}", self.name));
        let onset = match &self.onset {
            Onset::At(d) => SimTime::at(*d),
            Onset::Uniform(lo, hi) => {
                let span = hi.saturating_sub(*lo).as_micros();
                SimTime::at(
                    *lo + SimDuration::from_micros(if span == 0 {
                        0
                    } else {
                        below(&mut rng, span)
                    }),
                )
            }
            Onset::Rate(mean) => SimTime::at(Dist::Exponential(*mean).sample(&mut rng)),
        };
        let end = self.duration.as_ref().map(|d| onset + d.sample(&mut rng));
        Drawn { index, onset, end }
    }
}
