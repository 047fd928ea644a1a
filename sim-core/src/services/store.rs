//! Data-store models (RDS, Aurora, DynamoDB, S3, AWS Backup): their scenario configuration, their run-time
//! state, and how failures, replication, backups and restores move their write ledgers.
//!
//!
//! | store | automatic behaviour | [`StoreAction`]s it supports |
//! |---|---|---|
//! | [`Rds`] | Multi-AZ failover on AZ loss or instance failure; replicas cut off and catch up | `ForceFailover`, `Promote` (read replica), `RestoreToPoint` (home Region), `RestoreSnapshot`, `CopyBackup` |
//! | [`Aurora`] | in-Region failover to a replica instance; secondaries cut off and catch up | `ForceFailover`, `SwitchoverGlobal`, `FailoverGlobal`, `Promote` (detach-and-promote), `RestoreToPoint`, `RestoreSnapshot`, `CopyBackup` |
//! | [`DynamoDb`] | MREC: every Region keeps writing, collisions counted on reconnection; MRSC: minority stops | `RestoreToPoint`, `RestoreSnapshot`, `CopyBackup` |
//! | [`S3Bucket`] | replica bucket cut off and catches up | `Promote` (write to the replica bucket), `RestoreToPoint` (versioned) |
//!
//! Every action checks the control plane of the Region it runs in first (`ControlPlaneDown`).
//!
//! [`StoreConfig`] is what a scenario writes; [`Store::build`] resolves its names against the [`Catalog`]
//! and gives each store its own random streams, named after the store, so adding a store never changes
//! another's draws. [`Store`] implements [`DataStore`] by static dispatch.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::SimTime;
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, RegionId};
use crate::model::{Catalog, Ctx, DataStore, StoreAction, Ticket};
use crate::services::aurora::Aurora;
use crate::services::dynamodb::DynamoDb;
use crate::services::rds::Rds;
use crate::services::s3::S3Bucket;
use crate::spec::runbook::Probe;
use crate::spec::{AuroraConfig, DynamoDbConfig, RdsConfig, S3Config};

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

impl crate::spec::Resource {
    /// The data-store config, for the four store kinds.
    pub fn store(&self) -> Option<StoreConfig> {
        use crate::spec::Resource;
        match self {
            Resource::Rds(c) => Some(StoreConfig::Rds(c.clone())),
            Resource::Aurora(c) => Some(StoreConfig::Aurora(c.clone())),
            Resource::DynamoDb(c) => Some(StoreConfig::DynamoDb(c.clone())),
            Resource::S3(c) => Some(StoreConfig::S3(c.clone())),
            _ => None,
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

impl Store {
    /// Tells the store its resource index in the world, so that `fail(resource)` disasters fail its writer
    /// instance (RDS: Multi-AZ failover; Aurora: in-Region failover). Regional services (DynamoDB, S3) have
    /// no instance to fail and ignore it.
    pub fn set_resource(&mut self, index: u16) {
        match self {
            Store::Rds(s) => s.set_resource(index),
            Store::Aurora(s) => s.set_resource(index),
            Store::DynamoDb(_) | Store::S3(_) => {}
        }
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
    fn probe(&self, health: &Health, what: Probe) -> Option<f64> {
        dispatch!(self, s => s.probe(health, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dist::Dist;

    use crate::model::place::Catalog;

    use crate::spec::*;

    fn catalog() -> Catalog {
        let mut c = Catalog::new();
        let east = c.add_region("us-east-1");
        c.add_az("us-east-1a", east);
        c.add_az("us-east-1b", east);
        let west = c.add_region("us-west-2");
        c.add_az("us-west-2a", west);
        c
    }

    fn build(ron_text: &str) -> Result<Store, String> {
        let config: StoreConfig = ron::from_str(ron_text).map_err(|e| e.to_string())?;
        Store::build("db", &config, &catalog(), &RngStreams::new(1, 0)).map_err(|e| e.to_string())
    }

    #[test]
    fn scenario_text_reads_with_defaults() {
        let store = build(
            r#"Rds((
                deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b"),
                read_replicas: [(az: "us-west-2a")],
            ))"#,
        )
        .unwrap();
        assert_eq!(store.name(), "db");
        let config: StoreConfig = ron::from_str(
            r#"Aurora((instance_azs: ["us-east-1a"], secondaries: [(region: "us-west-2", lag: LogNormal("100ms", "1s"))]))"#,
        )
        .unwrap();
        let StoreConfig::Aurora(aurora) = &config else {
            panic!("{config:?}")
        };
        assert_eq!(aurora.failover, Dist::log_normal("20s", "60s"));
        assert!(
            build(r#"DynamoDb((region: "us-east-1", replicas: ["us-west-2"], pitr: true))"#)
                .is_ok()
        );
        assert!(
            build(
                r#"S3((region: "us-east-1", replication: Some((region: "us-west-2", rtc: true))))"#
            )
            .is_ok()
        );
    }

    #[test]
    fn unknown_fields_and_names_are_errors_that_name_them() {
        let err = build(r#"S3((region: "us-east-1", versoning: true))"#).unwrap_err();
        assert!(err.contains("versoning"), "{err}");
        let err = build(r#"S3((region: "eu-south-9"))"#).unwrap_err();
        assert!(
            err.contains("store \"db\"") && err.contains("eu-south-9") && err.contains("us-east-1"),
            "{err}"
        );
        let err = build(r#"Rds((deployment: SingleAz(az: "us-east-1z")))"#).unwrap_err();
        assert!(
            err.contains("deployment.az") && err.contains("us-east-1z"),
            "{err}"
        );
        let err = build(
            r#"Rds((deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-west-2a")))"#,
        )
        .unwrap_err();
        assert!(err.contains("not in the writer's region"), "{err}");
    }

    #[test]
    fn bad_values_are_rejected_with_what_would_be_valid() {
        let check = |text: &str, expect: &str| {
            let err = build(text).unwrap_err();
            assert!(err.contains(expect), "{text}: {err}");
        };
        check(
            r#"Rds((deployment: SingleAz(az: "us-east-1a"), multi_az_failover: Uniform("2m", "1m")))"#,
            "multi_az_failover: Uniform(\"2m\", \"1m\")",
        );
        check(
            r#"Rds((deployment: SingleAz(az: "us-east-1a"), backup_plan: Some((every: "30m"))))"#,
            "backup_plan.every is 30m",
        );
        check(
            r#"Rds((deployment: SingleAz(az: "us-east-1a"), backup_retention: "40d"))"#,
            "1 to 35 days",
        );
        check(
            r#"Rds((deployment: MultiAzCluster(writer_az: "us-east-1a", reader_azs: ["us-east-1b"])))"#,
            "exactly 2 reader standbys",
        );
        check(r#"Aurora((instance_azs: []))"#, "instance_azs is empty");
        check(r#"DynamoDb((region: "us-east-1", items: 0))"#, "items is 0");
        check(
            r#"S3((region: "us-east-1", replication: Some((region: "us-east-1"))))"#,
            "another region",
        );
        check(
            r#"Aurora((instance_azs: ["us-east-1a"], backup_plan: Some((copy_to: Some("mars-1")))))"#,
            "backup_plan.copy_to names region \"mars-1\"",
        );
    }

    #[test]
    fn defaults_round_trip_through_text() {
        let config = StoreConfig::Rds(RdsConfig::new(RdsDeployment::SingleAz {
            az: "us-east-1a".into(),
        }));
        let text = ron::to_string(&config).unwrap();
        assert_eq!(ron::from_str::<StoreConfig>(&text).unwrap(), config);
        assert!(config.validate().is_ok());
    }
}
