//! Client flows at run time: where each enters, the targets its entry answers with, its clients' Regions
//! and shares, its store, its clients' timeout, and the timeline of its success ratio that RTO is measured
//! on.
//!
//! **Clients in several Regions.** Each client Region is evaluated on its own (its DNS answers, its paths)
//! and weighted by its share. The timeline keeps one slot per (client Region, target): slot
//! `c × targets + k` holds client Region `c`'s answer share of target `k` times its weight, and the success
//! of target `k` for those clients. Resolver caches average answer shares linearly, so the weighted slots
//! sum to exactly the weighted mean of the per-Region ratios.

use crate::engine::time::SimDuration;
use crate::model::RegionId;
use crate::world::timeline::FlowTimeline;

/// One flow at run time.
pub struct FlowRt {
    /// Its index in the scenario's `flows`.
    pub index: usize,
    /// The component index of its entry record, when it enters through DNS.
    pub entry_record: Option<usize>,
    /// The nodes its entry's answers index (the entry itself otherwise).
    pub targets: Vec<u16>,
    /// Its clients' Regions and their shares (summing to 1), in scenario Region order.
    pub clients: Vec<(RegionId, f64)>,
    /// How long its clients wait for an answer.
    pub timeout: SimDuration,
    /// The store it reads or writes, by store index.
    pub store: Option<usize>,
    /// That store's resource index (where its health is kept).
    pub store_node: Option<u16>,
    /// Answer shares and per-answer success over time, one slot per (client Region, target).
    pub timeline: FlowTimeline,
}

impl FlowRt {
    /// The timeline slot of target `k` for the clients in the `c`-th client Region.
    pub fn slot(&self, c: usize, k: usize) -> usize {
        c * self.targets.len() + k
    }
}
