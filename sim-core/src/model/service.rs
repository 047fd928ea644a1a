//! The contract every service implements for its configuration type: where it runs, what it refers to,
//! what is wrong with it, how it becomes a run-time model, what it costs and where its traffic goes.
//!
//! `crate::services` implements [`Service`] once per kind, in that kind's file; the registry
//! (`crate::spec::registry`) generates `Resource::service()`, the one dispatch from a resource to its hooks.
//! Everything that used to `match` over resource kinds outside the services (validation, the topology
//! graph, building the world, pricing, steady-state traffic) calls these hooks instead.

use std::fmt;

use crate::engine::rng::RngStreams;
use crate::model::component::Component;
use crate::model::place::{Catalog, RegionId};
use crate::model::price::PriceBook;
use crate::model::store::DataStore;
use crate::model::topology::EdgeKind;
use crate::spec::{FlowConfig, ResourceKind, Scenario};

/// Where a resource runs, as its configuration names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement<'a> {
    /// A global service (Route 53, CloudFront, CloudWatch alarms as modelled).
    Global,
    /// A regional service (Lambda, DynamoDB, S3, an Auto Scaling group, a load balancer).
    Region(&'a str),
    /// A zonal one (an instance, a database's writer).
    Az(&'a str),
    /// Nowhere the configuration says (an invalid one, refused by its checks).
    Nowhere,
}

/// What kind of copy of a store's data a [`DataCopy`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CopyKind {
    /// A synchronous standby in another AZ (RDS Multi-AZ), promoted automatically.
    Standby,
    /// An asynchronous read replica (RDS), promoted by an operator.
    ReadReplica,
    /// An Aurora Global Database secondary cluster.
    GlobalSecondary,
    /// A DynamoDB global table replica.
    GlobalReplica,
    /// An S3 replication destination.
    BucketReplica,
    /// Backups (AWS Backup, snapshots) copied to another Region.
    BackupCopy,
}

impl CopyKind {
    /// How the topology names it (`"read replica"`).
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Standby => "standby",
            CopyKind::ReadReplica => "read replica",
            CopyKind::GlobalSecondary => "global secondary",
            CopyKind::GlobalReplica => "global replica",
            CopyKind::BucketReplica => "bucket replica",
            CopyKind::BackupCopy => "backup copy",
        }
    }
}

/// A copy of a store's data kept somewhere other than where it runs: what disaster recovery fails over or
/// restores to. The topology draws each as a box with a replication (or backup-copy) edge from the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataCopy<'a> {
    /// What it is.
    pub kind: CopyKind,
    /// Where it is kept.
    pub at: Placement<'a>,
}

/// What a reference may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Any resource.
    Any,
    /// A resource of this kind.
    Kind(ResourceKind),
    /// A data store.
    Store,
    /// A resource or a flow (an alarm watches either).
    ResourceOrFlow,
    /// Something Route 53 has a health check status for: a health check, or an ARC routing control (its
    /// routing control health check reports its state).
    Verdict,
}

/// A reference from one resource to another (or to a flow), by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference<'a> {
    /// The name referred to.
    pub to: &'a str,
    /// What it is to the referrer, for messages (`"target"`, `"origin"`, `"health check"`).
    pub role: &'static str,
    /// The topology edge it draws, if any (a health check guarding a record target draws none).
    pub edge: Option<EdgeKind>,
    /// What it must name.
    pub expects: Expect,
}

impl<'a> Reference<'a> {
    /// A routing edge to any resource (where requests go next).
    pub fn routing(to: &'a str, role: &'static str) -> Self {
        Reference {
            to,
            role,
            edge: Some(EdgeKind::Routing),
            expects: Expect::Any,
        }
    }

    /// A dependency edge to any resource.
    pub fn dependency(to: &'a str, role: &'static str) -> Self {
        Reference {
            to,
            role,
            edge: Some(EdgeKind::Dependency),
            expects: Expect::Any,
        }
    }

    /// The same reference, which must name `expects`.
    pub fn expecting(mut self, expects: Expect) -> Self {
        self.expects = expects;
        self
    }

    /// The same reference, drawing no topology edge.
    pub fn undrawn(mut self) -> Self {
        self.edge = None;
        self
    }
}

/// Where a flow's steady-state traffic goes at a resource (for pricing request-priced services).
#[derive(Clone, Debug, PartialEq)]
pub enum Forward<'a> {
    /// Requests end here (compute serves them).
    Serves,
    /// Requests go on to these resources, in these shares (which may sum below 1: a cache absorbs some).
    To(Vec<(&'a str, f64)>),
    /// Requests go nowhere (not a routable resource).
    Nowhere,
}

/// A resource's run-time model: a data store or a component.
pub enum Runtime<'s> {
    /// A data store (it has a ledger and answers reads and writes).
    Store(Box<dyn DataStore>),
    /// Anything else (edge, compute, DNS, watchers, stacks); it may borrow its configuration.
    Component(Box<dyn Component + 's>),
}

/// Why a scenario cannot be built into a world. Validation reports with file positions first; these are
/// the last line of defence and name the offending items.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A name refers to nothing (a Region, AZ, resource, health check, store).
    Unknown {
        /// What kind of thing was expected.
        what: &'static str,
        /// The name.
        name: String,
        /// Where it was referenced.
        referenced_by: String,
    },
    /// A resource's own configuration is invalid.
    Invalid {
        /// The resource.
        resource: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Unknown {
                what,
                name,
                referenced_by,
            } => {
                write!(
                    f,
                    "{referenced_by} refers to {what} {name:?}, which does not exist"
                )
            }
            BuildError::Invalid { resource, reason } => write!(f, "{resource}: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// What a service's `build` hook is given.
pub struct BuildCx<'a, 's> {
    /// The resource's name.
    pub name: &'s str,
    /// Its index among the scenario's resources (health and fault hooks are keyed by it).
    pub index: u16,
    /// Regions and AZs.
    pub catalog: &'a Catalog,
    /// The replication's random streams.
    pub streams: &'a RngStreams,
    /// The whole scenario (a record reads the runbooks that may repoint it; an alarm, the flows).
    pub scenario: &'s Scenario,
    /// Resolves another resource's name to its index.
    pub resolve: &'a dyn Fn(&str) -> Option<u16>,
}

impl<'s> BuildCx<'_, 's> {
    /// `resource "name"`, as errors name the referrer.
    pub fn by(&self) -> String {
        format!("resource {:?}", self.name)
    }

    /// The index of resource `name`, or an error saying `what` was expected.
    pub fn index_of(&self, name: &str, what: &'static str) -> Result<u16, BuildError> {
        (self.resolve)(name).ok_or_else(|| BuildError::Unknown {
            what,
            name: name.to_string(),
            referenced_by: self.by(),
        })
    }

    /// The id of Region `name`, or an error.
    pub fn region(&self, name: &str) -> Result<RegionId, BuildError> {
        self.catalog
            .region(name)
            .ok_or_else(|| BuildError::Unknown {
                what: "Region",
                name: name.to_string(),
                referenced_by: self.by(),
            })
    }

    /// An invalid-configuration error for this resource.
    pub fn invalid(&self, reasons: &[impl ToString]) -> BuildError {
        BuildError::Invalid {
            resource: self.name.to_string(),
            reason: reasons
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// The hooks of one service, implemented by its configuration type in `crate::services`.
pub trait Service {
    /// Where the resource runs.
    fn placement(&self) -> Placement<'_>;

    /// The names it refers to (validated generically; drawn in the topology graph).
    fn references(&self) -> Vec<Reference<'_>> {
        Vec::new()
    }

    /// What is wrong with its own fields, given the scenario's places; every problem, each naming the
    /// field and what would be valid. Empty when it can be built.
    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String>;

    /// Its run-time model for one replication.
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError>;

    /// Adds its steady-state monthly cost lines (`home`: its Region, or `"global"`).
    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook);

    /// What one unit of it costs per hour in `region` when recovery provisions it (an instance, a DB
    /// instance, a stack's resources); 0 when nothing bills by the hour.
    fn hourly(&self, _name: &str, _region: &str, _book: &mut dyn PriceBook) -> f64 {
        0.0
    }

    /// The resources it creates when it runs (a CloudFormation stack): they do not exist, and cost
    /// nothing, until then.
    fn creates(&self) -> &[String] {
        &[]
    }

    /// The copies of its data it keeps elsewhere (replicas, secondaries, copied backups); none for
    /// resources that hold no data.
    fn copies(&self) -> Vec<DataCopy<'_>> {
        Vec::new()
    }

    /// How many billable units it has at its configured size (an Auto Scaling group: its desired
    /// instances); a stack's hourly price counts each member this many times.
    fn units(&self) -> u32 {
        1
    }

    /// Where a flow's steady traffic goes from here.
    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Nowhere
    }
}
