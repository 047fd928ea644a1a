//! How requests fare on a path: a node's success share and the Region of the compute that served it,
//! evaluated through each component's [`Component::serve`](crate::model::Component::serve).
//!
//! One evaluation keeps a memo per node, so a node reached by several routes (load balancers in layers,
//! each targeting the next layer's) is evaluated once: the cost is linear in the graph, not in its number
//! of paths.

use crate::engine::time::SimTime;
use crate::model::store::DataLoss;
use crate::model::{Catalog, DataStore, Health, RegionId, Route, Served};
use crate::spec::FlowKind;
use crate::spec::limits::MAX_ROUTING_DEPTH;
use crate::spec::runbook::Probe;
use crate::world::{Slot, World};

/// Per-node results of one evaluation.
pub(crate) type Memo = Vec<Option<Served>>;

impl World<'_> {
    /// What requests of flow `flow` (none: a probe such as a health check) entering at `node` get now.
    pub(crate) fn ok(&self, node: u16, flow: Option<usize>) -> Served {
        self.ok_in(node, flow, 0, &mut vec![None; self.nodes.names.len()])
    }

    /// [`ok`](Self::ok) within one evaluation's memo.
    pub(crate) fn ok_in(
        &self,
        node: u16,
        flow: Option<usize>,
        depth: usize,
        memo: &mut Memo,
    ) -> Served {
        let i = usize::from(node);
        if let Some(known) = memo.get(i).copied().flatten() {
            return known;
        }
        let served = self.evaluate(node, flow, depth, memo);
        if let Some(slot) = memo.get_mut(i) {
            *slot = Some(served);
        }
        served
    }

    fn evaluate(&self, node: u16, flow: Option<usize>, depth: usize, memo: &mut Memo) -> Served {
        let i = usize::from(node);
        let health = &self.places.health;
        // Validation refuses routing cycles and chains past the limit; the bound is the last defence.
        if depth > MAX_ROUTING_DEPTH || !self.nodes.provisioned[i] || health.resource_failed(node) {
            return Served::DOWN;
        }
        let gray = health.degradation(node).map_or(1.0, |(rate, _)| 1.0 - rate);
        let served = match self.nodes.slots[i] {
            Slot::Store(s) => {
                let store = &self.nodes.stores[s];
                let region = store_region(store.as_ref(), health);
                Served {
                    ok: store.read_ok(health, region),
                    region: Some(region),
                }
            }
            Slot::Comp(c) => self.nodes.comps[c].serve(&mut Router {
                world: self,
                flow,
                depth,
                memo,
            }),
        };
        Served {
            ok: (served.ok * gray).clamp(0.0, 1.0),
            region: served.region,
        }
    }

    /// The share of flow `flow`'s data-store calls that succeed from compute in `region`.
    fn backend(&self, flow: Option<usize>, region: RegionId) -> f64 {
        let Some((s, kind)) = flow.and_then(|f| {
            let rt = &self.flows.list[f];
            rt.store.map(|s| (s, self.sc.flows[rt.index].kind))
        }) else {
            return 1.0;
        };
        let health = &self.places.health;
        let store = &self.nodes.stores[s];
        match (kind, store.data_loss(health, region)) {
            (FlowKind::Read, Some(_)) | (FlowKind::Write, Some(DataLoss::Deletion)) => 0.0,
            (FlowKind::Read, None) => store.read_ok(health, region),
            (FlowKind::Write, _) => store.write_route(health, region).map_or(0.0, |(_, ok)| ok),
        }
    }
}

/// The Region a store writes in (for a bucket: its own Region), from its `writer_region` probe.
pub(crate) fn store_region(store: &dyn DataStore, health: &Health) -> RegionId {
    store
        .probe(health, Probe::WriterRegion)
        .map_or(RegionId(0), |r| RegionId(r as u8))
}

/// The world as one component's `serve` sees it, one level down the path.
struct Router<'r, 'w> {
    world: &'r World<'w>,
    flow: Option<usize>,
    depth: usize,
    memo: &'r mut Memo,
}

impl Route for Router<'_, '_> {
    fn now(&self) -> SimTime {
        self.world.now
    }

    fn health(&self) -> &Health {
        &self.world.places.health
    }

    fn catalog(&self) -> &Catalog {
        &self.world.places.catalog
    }

    fn client(&self) -> RegionId {
        self.flow
            .map_or(RegionId(0), |f| self.world.flows.list[f].client)
    }

    fn next(&mut self, node: u16) -> Served {
        self.world.ok_in(node, self.flow, self.depth + 1, self.memo)
    }

    fn backend(&self, region: RegionId) -> f64 {
        self.world.backend(self.flow, region)
    }

    fn verdict(&self, node: u16) -> bool {
        self.world.nodes.verdict(node)
    }
}
