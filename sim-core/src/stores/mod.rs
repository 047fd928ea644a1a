//! Data-store models (RDS, Aurora, DynamoDB, S3, AWS Backup): their scenario configuration, their run-time
//! state, and how failures, replication, backups and restores move their write ledgers.
//!
//! - [`rds`], [`aurora`], [`dynamodb`], [`s3`]: one file per service, each a config type and a model;
//! - [`backup`]: backup plans and copy jobs (computed, never ticked), PITR windows, restore durations;
//! - `members`: the copies of a single-writer store and how writes, cut-offs and corruption reach them.
//!
//! [`StoreConfig`] is what a scenario writes; [`Store::build`] resolves its names against the [`Catalog`]
//! and gives each store its own random streams, named after the store, so adding a store never changes
//! another's draws. [`Store`] implements [`DataStore`] by static dispatch.

pub mod aurora;
pub mod backup;
pub mod dynamodb;
mod members;
pub mod rds;
pub mod s3;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ledger::{CopyId, Ledger, Settlement};
use crate::rng::{RngStreams, Stream};
use crate::time::SimTime;
use crate::world::api::{Catalog, Ctx, DataStore, StoreAction, Ticket};
use crate::world::place::{Health, RegionId};

pub use aurora::{Aurora, AuroraConfig};
pub use backup::{BackupPlanConfig, RestoreConfig};
pub use dynamodb::{DynamoDb, DynamoDbConfig};
pub use rds::{Rds, RdsConfig, RdsDeployment, ReadReplicaConfig};
pub use s3::{S3Bucket, S3Config};

/// A data store as a scenario describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StoreConfig {
    /// Amazon RDS for MySQL.
    Rds(RdsConfig),
    /// Amazon Aurora MySQL, optionally a Global Database.
    Aurora(AuroraConfig),
    /// An Amazon DynamoDB table, optionally a global table.
    DynamoDb(DynamoDbConfig),
    /// An Amazon S3 bucket, optionally replicated.
    S3(S3Config),
}

impl StoreConfig {
    /// Checks the values that do not need the catalog; the message names the field and what is valid.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            StoreConfig::Rds(c) => c.validate(),
            StoreConfig::Aurora(c) => c.validate(),
            StoreConfig::DynamoDb(c) => c.validate(),
            StoreConfig::S3(c) => c.validate(),
        }
    }
}

/// Why a store could not be built from its configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The configuration of store `store` is invalid or names an unknown Region or AZ; fix the field named
    /// in `reason`.
    Invalid {
        /// The store's name.
        store: String,
        /// What is wrong and what would be valid (lowercase, names the field).
        reason: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid { store, reason } => write!(f, "store {store:?}: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// A data-store model, one variant per service.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Store {
    /// Amazon RDS for MySQL.
    Rds(Rds),
    /// Amazon Aurora MySQL.
    Aurora(Aurora),
    /// Amazon DynamoDB.
    DynamoDb(DynamoDb),
    /// Amazon S3.
    S3(S3Bucket),
}

impl Store {
    /// Builds the store `name` from `config`, resolving Region and AZ names with `catalog` and drawing from
    /// streams named `"{name}/…"`.
    pub fn build(
        name: &str,
        config: &StoreConfig,
        catalog: &Catalog,
        streams: &RngStreams,
    ) -> Result<Store, BuildError> {
        let built = match config {
            StoreConfig::Rds(c) => Rds::build(name, c, catalog, streams).map(Store::Rds),
            StoreConfig::Aurora(c) => Aurora::build(name, c, catalog, streams).map(Store::Aurora),
            StoreConfig::DynamoDb(c) => {
                DynamoDb::build(name, c, catalog, streams).map(Store::DynamoDb)
            }
            StoreConfig::S3(c) => S3Bucket::build(name, c, catalog, streams).map(Store::S3),
        };
        built.map_err(|reason| BuildError::Invalid {
            store: name.to_string(),
            reason,
        })
    }
}

/// Calls the same method on whichever model `self` holds.
macro_rules! dispatch {
    ($self:expr, $s:ident => $body:expr) => {
        match $self {
            Store::Rds($s) => $body,
            Store::Aurora($s) => $body,
            Store::DynamoDb($s) => $body,
            Store::S3($s) => $body,
        }
    };
}

impl DataStore for Store {
    fn name(&self) -> &str {
        dispatch!(self, s => s.name())
    }
    fn start(&mut self, ctx: &mut Ctx<'_>) {
        dispatch!(self, s => s.start(ctx))
    }
    fn on_health_change(&mut self, ctx: &mut Ctx<'_>) {
        dispatch!(self, s => s.on_health_change(ctx))
    }
    fn on_wake(&mut self, ctx: &mut Ctx<'_>, token: u32) {
        dispatch!(self, s => s.on_wake(ctx, token))
    }
    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction) {
        dispatch!(self, s => s.begin(ctx, ticket, action))
    }
    fn corrupt(&mut self, ctx: &mut Ctx<'_>) {
        dispatch!(self, s => s.corrupt(ctx))
    }
    fn read_ok(&self, health: &Health, from: RegionId) -> f64 {
        dispatch!(self, s => s.read_ok(health, from))
    }
    fn write_route(&self, health: &Health, from: RegionId) -> Option<(CopyId, f64)> {
        dispatch!(self, s => s.write_route(health, from))
    }
    fn ledger_mut(&mut self) -> &mut Ledger {
        dispatch!(self, s => s.ledger_mut())
    }
    fn settle(&self, until: SimTime, disaster: SimTime, rng: &mut Stream) -> Settlement {
        dispatch!(self, s => s.settle(until, disaster, rng))
    }
    fn probe(&self, health: &Health, what: &str) -> Option<f64> {
        dispatch!(self, s => s.probe(health, what))
    }
}
