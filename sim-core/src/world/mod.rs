//! The world: a scenario's resources running as models on the engine, for one replication.
//!
//! **One place for dispatch.** [`Event`] is the closed set of things that happen; `World::handle`
//! (`handle.rs`) is the one `match` over it. After every event the world *refreshes* (`refresh.rs`): what
//! components observe (CloudFront's primary origin, records' answers), every flow's success ratio per DNS
//! answer (recorded in the flow's timeline), the write acceptance of every store's ledger, and what
//! watchers see (health checks, alarms), which starts verdict timers. Refreshing walks each flow's path
//! once (`routing.rs`, memoised), so a run costs a few microseconds per state change, whatever its
//! horizon.
//!
//! The world knows no particular service: stores and components are models behind
//! [`crate::model::DataStore`] and [`crate::model::Component`], built by their services' hooks
//! (`build.rs`); disasters are faults acting through narrow hooks (`faults/`); runbooks run in
//! [`crate::runbook`] and hand back commands (`actions.rs`). The world neither measures nor prices: a run
//! ends in [`Finished`], which [`crate::measure`] turns into results.
//!
//! Files: `event.rs` (events and indices), `build.rs`, `handle.rs` (events, triggers), `routing.rs`,
//! `refresh.rs`, `actions.rs` (runbook commands, timed effects, settling), `conditions.rs` (runbook
//! `Choice` rules), `faults/` (one file per disaster kind), `flows.rs`, `timeline.rs`, `finish.rs`.

mod actions;
mod build;
mod conditions;
pub mod event;
pub mod faults;
mod finish;
pub mod flows;
mod handle;
mod refresh;
mod routing;
pub mod timeline;

use std::collections::BTreeMap;

use crate::engine::rng::RngStreams;
use crate::engine::time::SimTime;
use crate::model::{
    Catalog, Component, CopyId, DataStore, Health, Outbox, StepLog, StoreAction, Ticket, Usage,
};
use crate::runbook::{Execution, Runbook};
use crate::spec::Scenario;

pub use crate::model::BuildError;
pub use build::compile_runbooks;
pub use event::Event;
pub use faults::Drawn;
pub use finish::Finished;
pub use flows::FlowRt;

/// Regions, AZs and their health now.
pub struct Places {
    /// Names of Regions and AZs.
    pub catalog: Catalog,
    /// What is up.
    pub health: Health,
}

/// Where a resource's model lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The store with this index.
    Store(usize),
    /// The component with this index.
    Comp(usize),
}

/// The scenario's resources as models, by index (the resource's position in the scenario's name order).
pub struct Nodes<'s> {
    /// Resource names.
    pub names: Vec<&'s str>,
    /// Name → index.
    pub index: BTreeMap<&'s str, u16>,
    /// Index → model.
    pub slots: Vec<Slot>,
    /// The data stores.
    pub stores: Vec<Box<dyn DataStore>>,
    /// The components.
    pub comps: Vec<Box<dyn Component + 's>>,
    /// Component → its resource index.
    pub comp_node: Vec<u16>,
    /// Whether each resource exists now (a stack's resources exist once it is created).
    pub provisioned: Vec<bool>,
}

impl Nodes<'_> {
    /// The index of resource `name`.
    pub fn node(&self, name: &str) -> Option<u16> {
        self.index.get(name).copied()
    }

    /// The store called `name`.
    pub fn store(&self, name: &str) -> Option<usize> {
        match self.slots[usize::from(self.node(name)?)] {
            Slot::Store(k) => Some(k),
            Slot::Comp(_) => None,
        }
    }

    /// The component called `name`.
    pub fn comp(&self, name: &str) -> Option<usize> {
        match self.slots[usize::from(self.node(name)?)] {
            Slot::Comp(c) => Some(c),
            Slot::Store(_) => None,
        }
    }

    /// The verdict of the health check at `node`; `true` for anything that is not a health check.
    pub fn verdict(&self, node: u16) -> bool {
        match self.slots[usize::from(node)] {
            Slot::Comp(c) => self.comps[c].verdict().unwrap_or(true),
            Slot::Store(_) => true,
        }
    }
}

/// Runbooks and their executions.
pub struct Books {
    /// Compiled runbooks, in scenario order (compiled once per sweep, shared by its replications).
    pub books: std::sync::Arc<[Runbook]>,
    /// One execution each.
    pub execs: Vec<Execution>,
}

/// What a timed action does when its time has passed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Effect {
    /// Component `c` completes the action it began, with this token.
    Complete(usize, u32),
    /// Nothing more (a generic `Run` step).
    Nothing,
    /// Store `k` does this action now and reports it finished itself (a `Repoint` once its time has
    /// passed).
    Store(usize, StoreAction),
}

/// Runbook actions in flight.
#[derive(Default)]
pub struct Actions {
    /// Timed actions: effect id → (effect, ticket).
    effects: BTreeMap<u32, (Effect, Ticket)>,
    next_effect: u32,
    /// `(component, argument, ticket)` of actions waiting for the component to be ready.
    waiting: Vec<(usize, u32, Ticket)>,
    /// Store actions in flight that bring up a copy billed from when they finish (restores, added
    /// replicas): ticket → (store, Region of the new copy).
    provisions: BTreeMap<Ticket, (usize, crate::model::RegionId)>,
}

/// Client flows at run time and the write rates their stores' ledgers were last told.
pub struct Flows {
    /// The flows, in scenario order.
    pub list: Vec<FlowRt>,
    /// `(store, writer copy)` → writes/s acknowledged now.
    accepting: BTreeMap<(usize, CopyId), f64>,
}

/// The disasters of this replication.
pub struct Faults {
    /// Each injected disaster with its drawn onset and end, and its fault.
    pub drawn: Vec<(Drawn, Box<dyn faults::Fault>)>,
    /// The earliest onset: `(disaster index, when)`.
    pub onset: Option<(usize, SimTime)>,
}

/// A scenario running for one replication.
pub struct World<'s> {
    sc: &'s Scenario,
    places: Places,
    nodes: Nodes<'s>,
    flows: Flows,
    faults: Faults,
    books: Books,
    actions: Actions,
    out: Outbox,
    log: StepLog,
    /// Capacity provisioned during the run beyond steady state, for the recovery cost.
    usage: Vec<Usage>,
    streams: RngStreams,
    horizon: SimTime,
    /// The time of the event being handled.
    now: SimTime,
    /// Routing memos reused across evaluations.
    memos: routing::Memos,
    /// Per store that had a copy outside its writer's Region at time zero: when its data was exposed
    /// (1) or not (0) ([`DataStore::exposed`]).
    exposure: Vec<(usize, timeline::Steps)>,
}
