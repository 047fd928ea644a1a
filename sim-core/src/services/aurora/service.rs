//! Aurora's `Service` hooks: building the cluster from its configuration, its placement and copies (the
//! Global Database's secondaries), its checks and its pricing.

use crate::engine::rng::RngStreams;
use crate::model::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, CopyKind, DataCopy, Placement, Runtime, Service};
use crate::services::pricing::{Bill, SECONDS_PER_MONTH};
use crate::spec::resources::aurora::AuroraConfig;
use crate::spec::resources::backup::DEFAULT_BACKUP_RETENTION;

use super::Aurora;

impl Service for AuroraConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mut store = Aurora::build(cx.name, self, cx.catalog, cx.streams).map_err(|reason| {
            BuildError::Invalid {
                resource: cx.name.to_string(),
                reason: format!("store {:?}: {reason}", cx.name),
            }
        })?;
        store.set_resource(cx.index);
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        self.instance_azs
            .first()
            .map_or(Placement::Nowhere, |az| Placement::Az(az))
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        let mut copies: Vec<DataCopy<'_>> = self
            .secondaries
            .iter()
            .map(|s| DataCopy {
                kind: CopyKind::GlobalSecondary,
                at: Placement::Region(&s.region),
            })
            .collect();
        copies.extend(crate::services::backup::backup_copy(
            self.backup_plan.as_ref(),
        ));
        copies
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match Aurora::build(name, self, catalog, &RngStreams::new(0, 0)) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let writes = book.traffic(name).writes * SECONDS_PER_MONTH;
        let mut bill = Bill::new(book, name, "Aurora");
        let class = &self.instance_class;
        let n = self.instance_azs.len() as f64;
        bill.db_instances(
            "instance_class",
            ("aurora", home),
            class,
            n,
            "primary cluster",
        );
        bill.storage("size_gb", ("aurora", home), self.size_gb, 1.0);
        bill.per_million(
            "writes",
            ("aurora", home, "million-io"),
            writes,
            "write I/Os",
        );
        for secondary in &self.secondaries {
            let region = secondary.region.as_str();
            let k = match secondary.instances {
                Some(n) => f64::from(n),
                None => bill.assume("aurora-secondary-instances"),
            };
            let what = &format!("secondary cluster in {region}");
            bill.db_instances("instance_class", ("aurora", region), class, k, what);
            bill.storage("size_gb", ("aurora", region), self.size_gb, 1.0);
            let io = ("aurora", region, "million-replicated-write-io");
            let what = format!("replicated write I/Os to {region}");
            bill.per_million("secondaries", io, writes, &what);
            let written = bill.written_gb_per_month();
            bill.transfer("secondaries", (home, region), written, "replication");
        }
        // Continuous backups (PITR): free up to the cluster's size; the changes of the retention period
        // beyond it bill as backup storage.
        let changed = bill.changed_gb(self.size_gb, self.backup_retention);
        let price = bill.price("backup_retention", "backup", home, "aurora-gb-month");
        let what = format!(
            "continuous backup (PITR), {changed:.1} GB of changes kept {} beyond the free size",
            self.backup_retention
        );
        bill.add(what, changed * price);
        if let Some(plan) = &self.backup_plan {
            let retention = plan.retention.unwrap_or(DEFAULT_BACKUP_RETENTION);
            let (field, size) = ("backup_plan", self.size_gb);
            bill.backups(field, ("aurora", home), size, plan, retention, (0.0, 0.0));
        }
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Aurora").price(
            "instance_class",
            "aurora",
            region,
            &self.instance_class,
        )
    }
}
