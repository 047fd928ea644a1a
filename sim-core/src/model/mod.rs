//! The contract between the world and the models it drives: places and health ([`place`]), the call context
//! and step log ([`ctx`]), actions and their errors ([`action`]), the data-store trait ([`store`]) and the
//! write ledger it keeps ([`ledger`], over [`interval`] sets), and the topology graph validation builds
//! ([`topology`]). Nothing here knows a particular AWS service.

pub mod action;
pub mod component;
pub mod ctx;
pub mod interval;
pub mod ledger;
pub mod place;
pub mod price;
pub mod service;
pub mod store;
pub mod stream_name;
pub mod topology;
pub mod usage;

pub use action::{ActionError, PointTarget, StoreAction, Ticket};
pub use component::{Begun, Component, ComponentAction, Dns, Route, Seen, Served, Watch};
pub use ctx::{Ctx, LogEntry, Outbox, Phase, Request, StepLog};
pub use ledger::{CopyId, Ledger, Settlement};
pub use place::{AzId, Catalog, Health, Place, RegionId};
pub use price::{CostLine, PriceAt, PriceBook, Traffic};
pub use service::{
    BuildCx, BuildError, CopyKind, DataCopy, Expect, Forward, Placement, Reference, Runtime,
    Service,
};
pub use store::DataStore;
pub use stream_name::StreamName;
pub use usage::Usage;
