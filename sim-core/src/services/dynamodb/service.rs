//! Building a DynamoDB table from its configuration.

use super::*;
use crate::spec::resources::backup::DEFAULT_BACKUP_RETENTION;

impl Service for DynamoDbConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mut store =
            DynamoDb::build(cx.name, self, cx.catalog, cx.streams).map_err(|reason| {
                BuildError::Invalid {
                    resource: cx.name.to_string(),
                    reason: format!("store {:?}: {reason}", cx.name),
                }
            })?;
        store.resource = Some(cx.index);
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        let mut copies: Vec<DataCopy<'_>> = self
            .replicas
            .iter()
            .map(|r| DataCopy {
                kind: CopyKind::GlobalReplica,
                at: Placement::Region(r),
            })
            .collect();
        copies.extend(crate::services::backup::backup_copy(
            self.backup_plan.as_ref(),
        ));
        copies
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match DynamoDb::build(name, self, catalog, &RngStreams::new(0, 0)) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let traffic = book.traffic(name);
        let (writes, reads) = (
            traffic.writes * SECONDS_PER_MONTH,
            traffic.reads * SECONDS_PER_MONTH,
        );
        let mut bill = Bill::new(book, name, "DynamoDb");
        bill.per_million(
            "writes",
            ("dynamodb", home, "million-writes"),
            writes,
            "writes (on-demand)",
        );
        bill.per_million(
            "reads",
            ("dynamodb", home, "million-reads"),
            reads,
            "reads (on-demand)",
        );
        bill.storage("size_gb", ("dynamodb", home), self.size_gb, 1.0);
        for region in &self.replicas {
            bill.storage("replicas", ("dynamodb", region), self.size_gb, 1.0);
            let rw = ("dynamodb", region.as_str(), "million-replicated-writes");
            bill.per_million(
                "replicas",
                rw,
                writes,
                &format!("replicated writes to {region}"),
            );
            let written = bill.written_gb_per_month();
            bill.transfer("replicas", (home, region), written, "replication");
        }
        if self.pitr {
            let pitr = bill.price("pitr", "dynamodb", home, "pitr-gb-month");
            bill.add(
                format!("PITR, {} GB", self.size_gb),
                f64::from(self.size_gb) * pitr,
            );
        }
        if let Some(plan) = &self.backup_plan {
            let retention = plan.retention.unwrap_or(DEFAULT_BACKUP_RETENTION);
            let (field, size) = ("backup_plan", self.size_gb);
            bill.backups(field, ("dynamodb", home), size, plan, retention, (0.0, 0.0));
        }
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        let gb_month =
            Bill::new(book, name, "DynamoDb").price("size_gb", "dynamodb", region, "gb-month");
        f64::from(self.size_gb) * gb_month / HOURS_PER_MONTH
    }
}
