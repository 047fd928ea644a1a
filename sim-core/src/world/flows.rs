//! Client flows at run time: where each enters, the targets its entry answers with, its clients' Region,
//! its store, and the timeline of its success ratio that RTO is measured on.

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
    /// Its clients' Region.
    pub client: RegionId,
    /// The store it reads or writes, by store index.
    pub store: Option<usize>,
    /// Answer shares and per-answer success over time.
    pub timeline: FlowTimeline,
}
