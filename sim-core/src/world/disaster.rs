//! Disasters: verbs on the world (fail an AZ, a Region, a link, a resource; corrupt a store), each with an
//! onset and a duration after which the world heals.

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream, below};
use crate::engine::time::{SimDuration, SimTime};
use crate::spec::disaster::{DisasterConfig, DisasterKind, Onset};

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
