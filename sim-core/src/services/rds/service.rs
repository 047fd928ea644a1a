//! RDS's `Service` hooks: building the database from its configuration, its placement and copies, its
//! checks and its pricing.

use crate::engine::rng::RngStreams;
use crate::model::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, CopyKind, DataCopy, Placement, Runtime, Service};
use crate::services::pricing::{Bill, SECONDS_PER_MONTH};
use crate::spec::resources::backup::DEFAULT_BACKUP_RETENTION;
use crate::spec::resources::rds::{RdsConfig, RdsDeployment};

use super::Rds;

impl Service for RdsConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mut store = Rds::build(cx.name, self, cx.catalog, cx.streams).map_err(|reason| {
            BuildError::Invalid {
                resource: cx.name.to_string(),
                reason: format!("store {:?}: {reason}", cx.name),
            }
        })?;
        store.set_resource(cx.index);
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Az(match &self.deployment {
            RdsDeployment::SingleAz { az } => az,
            RdsDeployment::MultiAzInstance { primary_az, .. } => primary_az,
            RdsDeployment::MultiAzCluster { writer_az, .. } => writer_az,
        })
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        fn at(kind: CopyKind, az: &str) -> DataCopy<'_> {
            DataCopy {
                kind,
                at: Placement::Az(az),
            }
        }
        let mut copies: Vec<DataCopy<'_>> = match &self.deployment {
            RdsDeployment::SingleAz { .. } => Vec::new(),
            RdsDeployment::MultiAzInstance { standby_az, .. } => {
                vec![at(CopyKind::Standby, standby_az)]
            }
            RdsDeployment::MultiAzCluster { reader_azs, .. } => reader_azs
                .iter()
                .map(|az| at(CopyKind::Standby, az))
                .collect(),
        };
        copies.extend(
            self.read_replicas
                .iter()
                .map(|r| at(CopyKind::ReadReplica, &r.az)),
        );
        copies.extend(crate::services::backup::backup_copy(
            self.backup_plan.as_ref(),
        ));
        // Automated snapshots copied to the same Region draw one box, not two.
        let automated = self.automated_backups.then_some(&self.automated_snapshots);
        if let Some(c) = crate::services::backup::backup_copy(automated)
            && !copies.contains(&c)
        {
            copies.push(c);
        }
        copies
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match Rds::build(name, self, catalog, &RngStreams::new(0, 0)) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "Rds");
        let (copies, deployment) = match self.deployment {
            RdsDeployment::SingleAz { .. } => (1.0, "Single-AZ"),
            RdsDeployment::MultiAzInstance { .. } => (2.0, "Multi-AZ instance (2×)"),
            RdsDeployment::MultiAzCluster { .. } => (3.0, "Multi-AZ cluster (3×)"),
        };
        let class = &self.instance_class;
        bill.db_instances("instance_class", ("rds", home), class, copies, deployment);
        bill.storage("size_gb", ("rds", home), self.size_gb, copies);
        for replica in &self.read_replicas {
            let at = bill.at("read_replicas");
            let Some(region) = bill.book.region_of_az(at, &replica.az) else {
                continue;
            };
            let what = &format!("read replica in {region}");
            bill.db_instances("instance_class", ("rds", &region), class, 1.0, what);
            bill.storage("size_gb", ("rds", &region), self.size_gb, 1.0);
            let written = bill.written_gb_per_month();
            bill.transfer("read_replicas", (home, &region), written, "replication");
        }
        if self.automated_backups {
            // Snapshots and the transaction logs PITR replays, free up to the database's size.
            let plan = &self.automated_snapshots;
            let retention = plan.retention.unwrap_or(self.backup_retention);
            let logs = bill.written_gb_per_month() * retention.as_secs_f64() / SECONDS_PER_MONTH;
            let free = f64::from(self.size_gb);
            let (field, size) = ("automated_snapshots", self.size_gb);
            bill.backups(field, ("rds", home), size, plan, retention, (free, logs));
        }
        if let Some(plan) = &self.backup_plan {
            let retention = plan.retention.unwrap_or(DEFAULT_BACKUP_RETENTION);
            let (field, size) = ("backup_plan", self.size_gb);
            bill.backups(field, ("rds", home), size, plan, retention, (0.0, 0.0));
        }
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        let mut bill = Bill::new(book, name, "Rds");
        let class = bill.price("instance_class", "rds", region, &self.instance_class);
        let storage = bill.price("size_gb", "rds", region, "gb-month");
        class + f64::from(self.size_gb) * storage / crate::services::pricing::HOURS_PER_MONTH
    }
}
