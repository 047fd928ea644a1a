//! Disasters as faults: each kind is a type in its own file that acts on the world through the narrow
//! verbs of [`Hooks`] — take an AZ, a Region or an on-premises site down, partition two places, degrade, fail or break a
//! resource, corrupt or delete a store — as turmoil's per-subsystem `crash` hooks do, never by reaching
//! into the world's fields. When a fault begins or heals, the world tells every store and component that
//! health changed.
//!
//! A disaster's onset and end are drawn from its own stream (`disaster/<name>`), so two strategies run with
//! the same seed see the same disaster at the same moment (common random numbers).

mod az_outage;
mod data_loss;
mod gray_failure;
mod origin_error;
mod partition;
mod planned;
mod region_outage;
mod resource_failure;
mod site;

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream, below};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::stream_name::StreamName;
use crate::model::{Catalog, Health};
use crate::spec::disaster::{DisasterConfig, DisasterKind, Onset};

/// What faults may do to the world.
pub struct Hooks<'a> {
    /// Places and resources up or down.
    pub health: &'a mut Health,
    /// Stores to corrupt (`false`) or delete (`true`) once the hook returns, by store index.
    pub(crate) data_loss: Vec<(usize, bool)>,
}

impl Hooks<'_> {
    /// A bad write corrupts store `store`, or (`deleted`) the table or database is deleted.
    pub fn lose_data(&mut self, store: usize, deleted: bool) {
        self.data_loss.push((store, deleted));
    }
}

/// A disaster kind at run time, its names resolved.
pub trait Fault {
    /// What begins, for the log (`"Region us-east-1 fails (data plane)"`).
    fn describe(&self) -> String;
    /// The disaster begins.
    fn begin(&self, hooks: &mut Hooks<'_>);
    /// It heals (its duration has passed). Data lost stays lost.
    fn end(&self, hooks: &mut Hooks<'_>);
}

/// Resolves names for [`fault`].
pub struct Names<'a> {
    /// Regions and AZs.
    pub catalog: &'a Catalog,
    /// A resource's index.
    pub node: &'a dyn Fn(&str) -> Option<u16>,
    /// A store's index.
    pub store: &'a dyn Fn(&str) -> Option<usize>,
}

/// The fault of a disaster kind. A name that resolves to nothing makes a fault that does nothing
/// (validation refuses such scenarios first).
pub fn fault(kind: &DisasterKind, names: &Names<'_>) -> Box<dyn Fault> {
    match kind {
        DisasterKind::AzOutage { az } => Box::new(az_outage::AzOutage::new(az, names)),
        DisasterKind::RegionOutage {
            region,
            control_plane,
        } => Box::new(region_outage::RegionOutage::new(
            region,
            *control_plane,
            names,
        )),
        DisasterKind::Partition { a, b } => Box::new(partition::Partition::new(a, b, names)),
        DisasterKind::GrayFailure {
            resource,
            error_rate,
            latency,
        } => Box::new(gray_failure::GrayFailure::new(
            resource,
            *error_rate,
            *latency,
            names,
        )),
        DisasterKind::ResourceFailure { resource } => {
            Box::new(resource_failure::ResourceFailure::new(resource, names))
        }
        DisasterKind::Corruption { store } => {
            Box::new(data_loss::DataLoss::new(store, false, names))
        }
        DisasterKind::Delete { store } => Box::new(data_loss::DataLoss::new(store, true, names)),
        DisasterKind::Planned { what } => Box::new(planned::Planned::new(what)),
        DisasterKind::SiteLoss { site } => Box::new(site::SiteDown::new(site, true, names)),
        DisasterKind::PowerOutage { site } => Box::new(site::SiteDown::new(site, false, names)),
        DisasterKind::WanLinkDown { site } => Box::new(site::WanLinkDown::new(site, names)),
        DisasterKind::OriginError { resource, status } => {
            Box::new(origin_error::OriginError::new(resource, *status, names))
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

/// Draws a disaster's onset and end from its own stream (`disaster/<name>`).
pub fn draw(config: &DisasterConfig, index: usize, streams: &RngStreams) -> Drawn {
    let mut rng: Stream = StreamName::disaster(&config.name).stream(streams);
    let onset = match &config.onset {
        Onset::At(d) => SimTime::at(*d),
        Onset::Uniform(lo, hi) => {
            let span = hi.saturating_sub(*lo).as_micros();
            SimTime::at(
                *lo + SimDuration::from_micros(if span == 0 { 0 } else { below(&mut rng, span) }),
            )
        }
        Onset::Rate(mean) => SimTime::at(Dist::Exponential(*mean).sample(&mut rng)),
    };
    let end = config.duration.as_ref().map(|d| onset + d.sample(&mut rng));
    Drawn { index, onset, end }
}
