//! How requests fare on a path: a node's success share and the Region of the compute that served it,
//! evaluated through each component's [`Component::serve`](crate::model::Component::serve) for one asker —
//! a flow's clients in one Region with their timeout, or a probe with its own.
//!
//! One evaluation keeps a memo per node and time left, so a node reached by several routes (load
//! balancers in layers, each targeting the next layer's) is evaluated once per budget: the cost is linear
//! in the graph, not in its number of paths. Budgets differ only below a node that stalls some requests
//! (CloudFront failing over) or is slow (a gray failure), so a node sees a handful of them at most.
//!
//! **Health applied here, for every node alike:** a node not provisioned yet or (for a component) failed
//! outright serves nothing; a gray failure fails its error share and adds its latency to every request
//! through the node (taken from the budget before the node is asked; a node slower than what is left
//! serves nothing in time). A store answers for its own outright failure ([`DataStore::read_ok`],
//! [`DataStore::write_route`]: RDS and Aurora fail over, the others stop serving); its gray failure
//! applies to the path's data-store calls too ([`Route::backend_within`]).

use std::cell::RefCell;

use crate::engine::time::{SimDuration, SimTime};
use crate::model::store::DataLoss;
use crate::model::{Catalog, DataStore, Health, RegionId, Route, Served};
use crate::spec::FlowKind;
use crate::spec::limits::MAX_ROUTING_DEPTH;
use crate::spec::runbook::Probe;
use crate::world::{Slot, World};

/// Who is asking: a flow's clients in one Region, or a probe (`flow: None`, a read from the first Region).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ask {
    /// The flow, if any.
    pub flow: Option<usize>,
    /// The clients' Region (what latency records answer).
    pub client: RegionId,
}

impl Ask {
    /// A probe: no flow, no store, reads.
    pub(crate) const PROBE: Ask = Ask {
        flow: None,
        client: RegionId(0),
    };
}

/// Per-node results of one evaluation (one [`Ask`]): the first budget a node was evaluated with in
/// `first`, any others in `rest` (rare: only below a stall or a slow node). Entries count only when they
/// carry the current `stamp`, so clearing is O(1) and a memo is reused across evaluations.
pub(crate) struct Memo {
    stamp: u32,
    first: Vec<Option<(u32, SimDuration, Served)>>,
    rest: Vec<(u16, SimDuration, Served)>,
}

impl Memo {
    /// An empty memo over `nodes` nodes.
    pub(crate) fn new(nodes: usize) -> Memo {
        Memo {
            stamp: 0,
            first: vec![None; nodes],
            rest: Vec::new(),
        }
    }

    /// Forgets every entry.
    fn clear(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.first.fill(None);
        }
        self.rest.clear();
    }

    fn get(&self, node: u16, budget: SimDuration) -> Option<Served> {
        match self.first.get(usize::from(node)).copied().flatten() {
            Some((stamp, b, served)) if stamp == self.stamp && b == budget => Some(served),
            Some((stamp, _, _)) if stamp == self.stamp => self
                .rest
                .iter()
                .find(|&&(n, b, _)| n == node && b == budget)
                .map(|&(_, _, served)| served),
            _ => None,
        }
    }

    fn put(&mut self, node: u16, budget: SimDuration, served: Served) {
        let stamp = self.stamp;
        match self.first.get_mut(usize::from(node)) {
            Some(Some((s, _, _))) if *s == stamp => self.rest.push((node, budget, served)),
            Some(slot) => *slot = Some((stamp, budget, served)),
            None => {}
        }
    }
}

/// Memos kept between evaluations, so refreshing allocates none. A pool, not one memo: an evaluation
/// may start another (a component's serving that probes).
#[derive(Default)]
pub(crate) struct Memos(RefCell<Vec<Memo>>);

impl World<'_> {
    /// What a probe with this timeout gets from `node` now (a health check, CloudFront watching its
    /// origin, an ALB checking a target).
    pub(crate) fn probe(&self, node: u16, timeout: SimDuration) -> Served {
        self.with_memo(|memo| self.ok_in(node, Ask::PROBE, timeout, 0, memo))
    }

    /// Runs `f` with a cleared memo from the pool, and returns the memo to it.
    pub(crate) fn with_memo<R>(&self, f: impl FnOnce(&mut Memo) -> R) -> R {
        let popped = self.memos.0.borrow_mut().pop();
        let mut memo = popped.unwrap_or_else(|| Memo::new(self.nodes.names.len()));
        let result = f(&mut memo);
        memo.clear();
        self.memos.0.borrow_mut().push(memo);
        result
    }

    /// What requests of `ask` entering at `node` with `budget` left get, within one evaluation's memo.
    pub(crate) fn ok_in(
        &self,
        node: u16,
        ask: Ask,
        budget: SimDuration,
        depth: usize,
        memo: &mut Memo,
    ) -> Served {
        if let Some(known) = memo.get(node, budget) {
            return known;
        }
        let served = self.evaluate(node, ask, budget, depth, memo);
        memo.put(node, budget, served);
        served
    }

    fn evaluate(
        &self,
        node: u16,
        ask: Ask,
        budget: SimDuration,
        depth: usize,
        memo: &mut Memo,
    ) -> Served {
        let i = usize::from(node);
        let health = &self.places.health;
        // Validation refuses routing cycles and chains past the limit; the bound is the last defence.
        if depth > MAX_ROUTING_DEPTH || !self.nodes.provisioned[i] {
            return Served::DOWN;
        }
        let (rate, latency) = health.degradation(node).unwrap_or((0.0, 0));
        let latency = SimDuration::from_micros(latency);
        if latency >= budget {
            // Every request through this node takes longer than the client waits.
            return Served::DOWN;
        }
        let served = match self.nodes.slots[i] {
            Slot::Store(s) => {
                let store = &self.nodes.stores[s];
                let region = store_region(store.as_ref(), health);
                Served {
                    ok: store.read_ok(health, region),
                    region: Some(region),
                }
            }
            Slot::Comp(_) if health.resource_failed(node) => return Served::DOWN,
            Slot::Comp(c) => self.nodes.comps[c].serve(&mut Router {
                world: self,
                ask,
                budget: budget.saturating_sub(latency),
                depth,
                memo,
            }),
        };
        Served {
            ok: (served.ok * (1.0 - rate)).clamp(0.0, 1.0),
            region: served.region,
        }
    }

    /// The share of `ask`'s data-store calls from compute in `region` that succeed with `budget` left.
    fn backend(&self, ask: Ask, region: RegionId, budget: SimDuration) -> f64 {
        let Some((rt, kind)) = ask.flow.map(|f| {
            let rt = &self.flows.list[f];
            (rt, self.sc.flows[rt.index].kind)
        }) else {
            return 1.0;
        };
        let (Some(s), Some(node)) = (rt.store, rt.store_node) else {
            return 1.0;
        };
        let health = &self.places.health;
        let (rate, latency) = health.degradation(node).unwrap_or((0.0, 0));
        if SimDuration::from_micros(latency) >= budget {
            return 0.0;
        }
        let store = &self.nodes.stores[s];
        let ok = match (kind, store.data_loss(health, region)) {
            (FlowKind::Read, Some(_)) | (FlowKind::Write, Some(DataLoss::Deletion)) => 0.0,
            (FlowKind::Read, None) => store.read_ok(health, region),
            (FlowKind::Write, _) => store.write_route(health, region).map_or(0.0, |(_, ok)| ok),
        };
        ok * (1.0 - rate)
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
    ask: Ask,
    /// Time the client still waits when requests reach this component.
    budget: SimDuration,
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
        self.ask.client
    }

    fn writes(&self) -> bool {
        self.ask.flow.is_some_and(|f| {
            self.world.sc.flows[self.world.flows.list[f].index].kind == FlowKind::Write
        })
    }

    fn budget(&self) -> SimDuration {
        self.budget
    }

    fn next_with(&mut self, node: u16, budget: SimDuration) -> Served {
        self.world
            .ok_in(node, self.ask, budget, self.depth + 1, self.memo)
    }

    fn backend_within(&self, region: RegionId, limit: SimDuration) -> f64 {
        self.world.backend(self.ask, region, self.budget.min(limit))
    }

    fn verdict(&self, node: u16) -> bool {
        self.world.nodes.verdict(node)
    }
}
