//! The price table: a dated *example* of AWS on-demand list prices, keyed `service/region/item`, and the
//! overrides a scenario lays over it.
//!
//! **The figures are an example, not a quote.** They are AWS public on-demand list prices for us-east-1,
//! us-west-2 and us-west-1 as the authors remembered them in January 2025, rounded; some us-west-1 figures
//! are estimates (about 10–20 % above us-east-1, as that Region usually is). Check them against the AWS
//! pricing pages and override what matters to you (see `docs/calibration.md`, *Prices*).
//!
//! ## Key scheme
//! Every price is one `f64` under a key `service/region/item`:
//! - `service`: `ec2`, `ebs`, `rds`, `aurora`, `alb`, `dynamodb`, `s3`, `transfer`, `backup`, `lambda`,
//!   `snowball`, `datasync`, `dms`, `storagegateway`,
//!   `apigateway`, `cloudfront`, `route53`, `cloudwatch`, and `assume` for the model's assumptions;
//! - `region`: a Region name (`us-east-1`) or `global` for services priced the same everywhere;
//! - `item`: an instance type or DB class (`m5.large`, `db.r6g.large`: hourly USD) or a unit named after
//!   what it counts (`gb-month`, `million-writes`, `hour`, ...): USD per that unit.
//!
//! E.g. `ec2/us-east-1/m5.large` is the hourly price of an m5.large in us-east-1 and
//! `assume/global/cloudfront-kb-per-request` the assumed response size. Overrides may replace any key,
//! add an instance type or DB class (`ec2/…/r5.large`, `rds/…/db.m6i.large`: an item with a dot), or price
//! a known item in another Region of the scenario.

use std::collections::BTreeMap;

use crate::services::pricing::GLOBAL;
use crate::spec::PriceOverrides;

use serde::{Deserialize, Serialize};

/// Hourly and per-unit prices in USD, keyed `service/region/item` (module doc), plus the assumptions that
/// turn a scenario into billable units (`assume/global/…`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// When the figures were taken (`"2025-01"` for the built-in example).
    pub as_of: String,
    /// What the figures are (the built-in one says it is an example to override).
    pub note: String,
    /// Key → price.
    pub prices: BTreeMap<String, f64>,
}

impl Default for PriceTable {
    fn default() -> Self {
        PriceTable::example()
    }
}

impl PriceTable {
    /// The built-in example table: AWS public on-demand list prices (us-east-1, us-west-2, us-west-1) as of
    /// January 2025, rounded, and the cost model's assumptions. **An example to override**, not a quote.
    pub fn example() -> PriceTable {
        PriceTable {
            as_of: "2025-01".to_string(),
            note: "example prices as of 2025-01 (AWS public on-demand list prices for us-east-1, \
                   us-west-2 and us-west-1; every other commercial Region at its level relative to \
                   us-east-1), not a quote: load real ones with --price-list or override them"
                .to_string(),
            prices: EXAMPLE
                .iter()
                .map(|&(k, v)| (k.to_string(), v))
                .chain(super::regions::derived(EXAMPLE))
                .collect(),
        }
    }

    /// The price under `key`, if the table has one.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.prices.get(key).copied()
    }

    /// The items the table prices for `service` in `region` (e.g. the EC2 instance types in us-east-1),
    /// sorted.
    pub fn items(&self, service: &str, region: &str) -> Vec<&str> {
        let prefix = format!("{service}/{region}/");
        self.prices
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .collect()
    }

    /// The Regions the table prices (besides `global`), sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self
            .prices
            .keys()
            .filter_map(|k| k.split('/').nth(1))
            .filter(|&r| r != GLOBAL)
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// This table with `overrides` laid over it. `regions` are the scenario's Regions, where a known item
    /// may be priced anew. Returns the table with every acceptable override applied and a message for
    /// each one rejected (malformed key, unknown service or item, negative or non-finite value).
    pub fn with_overrides(
        &self,
        overrides: &PriceOverrides,
        regions: &[&str],
    ) -> (PriceTable, Vec<String>) {
        let mut table = self.clone();
        let mut errors = Vec::new();
        for (key, &value) in overrides {
            match self.check_key(key, regions) {
                Err(e) => errors.push(format!("prices: key {key:?}: {e}")),
                Ok(()) if !value.is_finite() || value < 0.0 => errors.push(format!(
                    "prices: key {key:?}: value {value} must be a finite number ≥ 0"
                )),
                Ok(()) => {
                    table.prices.insert(key.clone(), value);
                }
            }
        }
        (table, errors)
    }

    /// Whether an override may set `key` (see the module doc).
    fn check_key(&self, key: &str, regions: &[&str]) -> Result<(), String> {
        let parts: Vec<&str> = key.split('/').collect();
        let [service, region, item] = parts[..] else {
            return Err(
                "keys are service/region/item, e.g. \"ec2/us-east-1/m5.large\"".to_string(),
            );
        };
        if self.prices.contains_key(key) {
            return Ok(());
        }
        let mut services: Vec<&str> = self
            .prices
            .keys()
            .filter_map(|k| k.split('/').next())
            .collect();
        services.dedup();
        if !services.contains(&service) {
            return Err(format!("unknown service; known: {}", services.join(", ")));
        }
        let known_regions = self.regions();
        let region_ok = if self
            .prices
            .keys()
            .any(|k| k.starts_with(&format!("{service}/{GLOBAL}/")))
        {
            region == GLOBAL
        } else {
            known_regions.contains(&region) || regions.contains(&region)
        };
        if !region_ok {
            return Err(format!(
                "unknown Region for {service}; use {}",
                if region == GLOBAL {
                    format!("a Region ({})", known_regions.join(", "))
                } else {
                    GLOBAL.to_string()
                }
            ));
        }
        let instance_priced = matches!(service, "ec2" | "rds" | "aurora");
        let item_known = self
            .prices
            .keys()
            .any(|k| k.starts_with(&format!("{service}/")) && k.ends_with(&format!("/{item}")));
        if item_known || (instance_priced && item.contains('.')) {
            return Ok(());
        }
        let mut items: Vec<&str> = self
            .prices
            .keys()
            .filter(|k| k.starts_with(&format!("{service}/")))
            .filter_map(|k| k.rsplit('/').next())
            .collect();
        items.sort_unstable();
        items.dedup();
        Err(format!(
            "unknown item for {service}; known: {}{}",
            items.join(", "),
            if instance_priced {
                " (or a new instance type / DB class)"
            } else {
                ""
            }
        ))
    }
}

/// The example table. Sources: AWS pricing pages (on-demand, Linux, MySQL, Standard storage), as of
/// 2025-01, rounded; per-Region notes on each line. Every figure is an example to override.
const EXAMPLE: &[(&str, f64)] = &[
    // ---- EC2 on-demand, Linux, USD per instance-hour ----
    ("ec2/us-east-1/t3.micro", 0.0104),  // 2 vCPU burstable, 1 GiB
    ("ec2/us-east-1/t3.small", 0.0208),  // 2 GiB; the Unishop lab's instance
    ("ec2/us-east-1/t3.medium", 0.0416), // 4 GiB
    ("ec2/us-east-1/m5.large", 0.096),   // 2 vCPU, 8 GiB; the default
    ("ec2/us-east-1/m5.xlarge", 0.192),  // 4 vCPU, 16 GiB
    ("ec2/us-east-1/c5.large", 0.085),   // 2 vCPU, 4 GiB, compute-optimised
    ("ec2/us-west-2/t3.micro", 0.0104),  // us-west-2 lists the same as us-east-1
    ("ec2/us-west-2/t3.small", 0.0208),  // same as us-east-1
    ("ec2/us-west-2/t3.medium", 0.0416), // same as us-east-1
    ("ec2/us-west-2/m5.large", 0.096),   // same as us-east-1
    ("ec2/us-west-2/m5.xlarge", 0.192),  // same as us-east-1
    ("ec2/us-west-2/c5.large", 0.085),   // same as us-east-1
    ("ec2/us-west-1/t3.micro", 0.0124),  // N. California, ~19 % above us-east-1
    ("ec2/us-west-1/t3.small", 0.0248),  // N. California
    ("ec2/us-west-1/t3.medium", 0.0496), // N. California
    ("ec2/us-west-1/m5.large", 0.112),   // N. California
    ("ec2/us-west-1/m5.xlarge", 0.224),  // N. California
    ("ec2/us-west-1/c5.large", 0.106),   // N. California
    // ---- EBS gp3 root volumes, USD per GB-month ----
    ("ebs/us-east-1/gb-month", 0.08),  // gp3
    ("ebs/us-west-2/gb-month", 0.08),  // gp3
    ("ebs/us-west-1/gb-month", 0.096), // gp3, N. California
    // ---- RDS for MySQL, Single-AZ, USD per instance-hour (Multi-AZ instance 2×, cluster 3×) ----
    ("rds/us-east-1/db.t3.micro", 0.017),  // burstable, 1 GiB
    ("rds/us-east-1/db.t3.small", 0.034),  // burstable, 2 GiB
    ("rds/us-east-1/db.t3.medium", 0.068), // burstable, 4 GiB
    ("rds/us-east-1/db.m5.large", 0.171),  // 2 vCPU, 8 GiB
    ("rds/us-east-1/db.r5.large", 0.25),   // 2 vCPU, 16 GiB
    ("rds/us-east-1/db.r6g.large", 0.215), // Graviton2, 16 GiB; the default
    ("rds/us-east-1/db.r6g.xlarge", 0.43), // Graviton2, 32 GiB
    ("rds/us-west-2/db.t3.micro", 0.017),  // same as us-east-1
    ("rds/us-west-2/db.t3.small", 0.034),  // same as us-east-1
    ("rds/us-west-2/db.t3.medium", 0.068), // same as us-east-1
    ("rds/us-west-2/db.m5.large", 0.171),  // same as us-east-1
    ("rds/us-west-2/db.r5.large", 0.25),   // same as us-east-1
    ("rds/us-west-2/db.r6g.large", 0.215), // same as us-east-1
    ("rds/us-west-2/db.r6g.xlarge", 0.43), // same as us-east-1
    ("rds/us-west-1/db.t3.micro", 0.02),   // N. California, estimate
    ("rds/us-west-1/db.t3.small", 0.04),   // N. California, estimate
    ("rds/us-west-1/db.t3.medium", 0.08),  // N. California, estimate
    ("rds/us-west-1/db.m5.large", 0.199),  // N. California, estimate
    ("rds/us-west-1/db.r5.large", 0.285),  // N. California, estimate
    ("rds/us-west-1/db.r6g.large", 0.245), // N. California, estimate
    ("rds/us-west-1/db.r6g.xlarge", 0.49), // N. California, estimate
    ("rds/us-east-1/gb-month", 0.115),     // gp2 storage per copy (Multi-AZ pays per instance)
    ("rds/us-west-2/gb-month", 0.115),     // gp2
    ("rds/us-west-1/gb-month", 0.138),     // gp2, N. California
    // ---- Aurora MySQL (Standard), USD per instance-hour, storage and I/O ----
    ("aurora/us-east-1/db.t3.medium", 0.082),  // burstable
    ("aurora/us-east-1/db.t4g.medium", 0.073), // Graviton2 burstable
    ("aurora/us-east-1/db.r5.large", 0.29),    // 16 GiB
    ("aurora/us-east-1/db.r6g.large", 0.26),   // Graviton2, 16 GiB; the default
    ("aurora/us-east-1/db.r6g.xlarge", 0.519), // Graviton2, 32 GiB
    ("aurora/us-west-2/db.t3.medium", 0.082),  // same as us-east-1
    ("aurora/us-west-2/db.t4g.medium", 0.073), // same as us-east-1
    ("aurora/us-west-2/db.r5.large", 0.29),    // same as us-east-1
    ("aurora/us-west-2/db.r6g.large", 0.26),   // same as us-east-1
    ("aurora/us-west-2/db.r6g.xlarge", 0.519), // same as us-east-1
    ("aurora/us-west-1/db.t3.medium", 0.095),  // N. California, estimate
    ("aurora/us-west-1/db.t4g.medium", 0.085), // N. California, estimate
    ("aurora/us-west-1/db.r5.large", 0.32),    // N. California, estimate
    ("aurora/us-west-1/db.r6g.large", 0.29),   // N. California, estimate
    ("aurora/us-west-1/db.r6g.xlarge", 0.58),  // N. California, estimate
    ("aurora/us-east-1/gb-month", 0.10),       // cluster volume, one per cluster
    ("aurora/us-west-2/gb-month", 0.10),       // cluster volume
    ("aurora/us-west-1/gb-month", 0.11),       // cluster volume, N. California
    ("aurora/us-east-1/million-io", 0.20),     // I/O requests (Standard configuration)
    ("aurora/us-west-2/million-io", 0.20),     // I/O requests
    ("aurora/us-west-1/million-io", 0.22),     // I/O requests, N. California
    ("aurora/us-east-1/million-replicated-write-io", 0.20), // Global Database, charged where it lands
    ("aurora/us-west-2/million-replicated-write-io", 0.20), // Global Database
    ("aurora/us-west-1/million-replicated-write-io", 0.22), // Global Database, N. California
    // ---- Application Load Balancer ----
    ("alb/us-east-1/hour", 0.0225),    // per ALB-hour
    ("alb/us-west-2/hour", 0.0225),    // per ALB-hour
    ("alb/us-west-1/hour", 0.0252),    // per ALB-hour, N. California
    ("alb/us-east-1/lcu-hour", 0.008), // per LCU-hour
    ("alb/us-west-2/lcu-hour", 0.008), // per LCU-hour
    ("alb/us-west-1/lcu-hour", 0.008), // per LCU-hour
    // ---- DynamoDB on-demand (prices after the November 2024 reduction) ----
    ("dynamodb/us-east-1/million-writes", 0.625), // write request units
    ("dynamodb/us-west-2/million-writes", 0.625), // write request units
    ("dynamodb/us-west-1/million-writes", 0.6975), // N. California
    ("dynamodb/us-east-1/million-reads", 0.125),  // read request units
    ("dynamodb/us-west-2/million-reads", 0.125),  // read request units
    ("dynamodb/us-west-1/million-reads", 0.1395), // N. California
    ("dynamodb/us-east-1/million-replicated-writes", 0.625), // global tables, per receiving replica
    ("dynamodb/us-west-2/million-replicated-writes", 0.625), // global tables
    ("dynamodb/us-west-1/million-replicated-writes", 0.6975), // global tables, N. California
    ("dynamodb/us-east-1/gb-month", 0.25),        // table storage, per replica
    ("dynamodb/us-west-2/gb-month", 0.25),        // table storage
    ("dynamodb/us-west-1/gb-month", 0.28),        // table storage, N. California
    ("dynamodb/us-east-1/pitr-gb-month", 0.20),   // continuous backups (PITR)
    ("dynamodb/us-west-2/pitr-gb-month", 0.20),   // continuous backups
    ("dynamodb/us-west-1/pitr-gb-month", 0.224),  // continuous backups, N. California
    // ---- S3 ----
    ("s3/us-east-1/gb-month", 0.023), // S3 Standard, first 50 TB
    ("s3/us-west-2/gb-month", 0.023), // S3 Standard
    ("s3/us-west-1/gb-month", 0.026), // S3 Standard, N. California
    ("s3/us-east-1/rtc-gb", 0.015),   // Replication Time Control, per GB replicated
    ("s3/us-west-2/rtc-gb", 0.015),   // Replication Time Control
    ("s3/us-west-1/rtc-gb", 0.015),   // Replication Time Control
    ("s3/us-east-1/glacier-flexible-gb-month", 0.0036), // S3 Glacier Flexible Retrieval
    ("s3/us-west-2/glacier-flexible-gb-month", 0.0036), // S3 Glacier Flexible Retrieval
    ("s3/us-west-1/glacier-flexible-gb-month", 0.004), // S3 Glacier Flexible Retrieval, N. California
    ("s3/us-east-1/glacier-deep-gb-month", 0.00099),   // S3 Glacier Deep Archive
    ("s3/us-west-2/glacier-deep-gb-month", 0.00099),   // S3 Glacier Deep Archive
    ("s3/us-west-1/glacier-deep-gb-month", 0.002),     // S3 Glacier Deep Archive, N. California
    // ---- Moving data in from an on-premises site ----
    ("snowball/us-east-1/job", 300.0), // Snowball Edge Storage Optimized import job fee
    ("snowball/us-west-2/job", 300.0), // Snowball Edge import job fee
    ("snowball/us-west-1/job", 300.0), // Snowball Edge import job fee
    ("datasync/us-east-1/gb", 0.0125), // DataSync, per GB copied
    ("datasync/us-west-2/gb", 0.0125), // DataSync, per GB copied
    ("datasync/us-west-1/gb", 0.0125), // DataSync, per GB copied
    ("dms/us-east-1/dms.r5.large", 0.252), // DMS replication instance, single-AZ
    ("dms/us-west-2/dms.r5.large", 0.252), // DMS replication instance
    ("dms/us-west-1/dms.r5.large", 0.282), // DMS replication instance, N. California
    ("storagegateway/us-east-1/gb-written", 0.01), // data written to AWS by a gateway
    ("storagegateway/us-west-2/gb-written", 0.01), // data written to AWS by a gateway
    ("storagegateway/us-west-1/gb-written", 0.01), // data written to AWS by a gateway
    ("storagegateway/us-east-1/written-cap-month", 125.0), // its monthly cap per gateway
    ("storagegateway/us-west-2/written-cap-month", 125.0), // its monthly cap per gateway
    ("storagegateway/us-west-1/written-cap-month", 125.0), // its monthly cap per gateway
    ("ebs/us-east-1/snapshot-gb-month", 0.05), // EBS snapshots (standard tier)
    ("ebs/us-west-2/snapshot-gb-month", 0.05), // EBS snapshots
    ("ebs/us-west-1/snapshot-gb-month", 0.055), // EBS snapshots, N. California
    // ---- Data transfer between Regions (CRR, backup and snapshot copies), USD per GB sent ----
    ("transfer/us-east-1/inter-region-gb", 0.02), // out of us-east-1 to another US Region
    ("transfer/us-west-2/inter-region-gb", 0.02), // out of us-west-2
    ("transfer/us-west-1/inter-region-gb", 0.02), // out of us-west-1
    // ---- AWS Backup (warm storage), USD per GB-month in a vault ----
    ("backup/us-east-1/rds-gb-month", 0.095), // RDS snapshots
    ("backup/us-west-2/rds-gb-month", 0.095), // RDS snapshots
    ("backup/us-west-1/rds-gb-month", 0.095), // RDS snapshots
    ("backup/us-east-1/aurora-gb-month", 0.021), // Aurora snapshots
    ("backup/us-west-2/aurora-gb-month", 0.021), // Aurora snapshots
    ("backup/us-west-1/aurora-gb-month", 0.023), // Aurora snapshots, N. California
    ("backup/us-east-1/dynamodb-gb-month", 0.10), // DynamoDB backups
    ("backup/us-west-2/dynamodb-gb-month", 0.10), // DynamoDB backups
    ("backup/us-west-1/dynamodb-gb-month", 0.112), // DynamoDB backups, N. California
    // ---- Lambda and API Gateway ----
    ("lambda/us-east-1/million-requests", 0.20), // invocations
    ("lambda/us-west-2/million-requests", 0.20), // invocations
    ("lambda/us-west-1/million-requests", 0.20), // invocations
    ("lambda/us-east-1/gb-second", 0.000_016_666_7), // x86 duration
    ("lambda/us-west-2/gb-second", 0.000_016_666_7), // x86 duration
    ("lambda/us-west-1/gb-second", 0.000_016_666_7), // x86 duration
    ("apigateway/us-east-1/million-requests", 3.50), // REST API, first 333 million
    ("apigateway/us-west-2/million-requests", 3.50), // REST API
    ("apigateway/us-west-1/million-requests", 3.50), // REST API
    // ---- CloudFront (United States and Canada edge locations) ----
    ("cloudfront/global/10k-requests", 0.01), // HTTPS requests
    ("cloudfront/global/gb-out", 0.085),      // data out to the internet, first 10 TB
    // ---- Route 53 ----
    ("route53/global/hosted-zone-month", 0.50), // first 25 zones
    ("route53/global/health-check-month", 0.50), // health check on an AWS endpoint
    ("route53/global/fast-interval-month", 1.00), // extra for a 10 s interval (AWS endpoint)
    ("route53/global/million-queries", 0.40),   // standard queries, first billion
    ("route53/global/million-latency-queries", 0.60), // latency-routed queries
    // ---- Application Recovery Controller ----
    ("arc/global/cluster-hour", 2.50), // a routing control cluster, per hour (controls included)
    // ---- CloudWatch ----
    ("cloudwatch/global/alarm-month", 0.10), // standard-resolution metric alarm
    // ---- Assumptions that turn a scenario into billable units (not prices; override them too) ----
    ("assume/global/cloudfront-kb-per-request", 20.0), // mean response size, KB (1 GB = 10^6 KB)
    ("assume/global/alb-requests-per-s-per-lcu", 25.0), // every request a new connection: 25/s per LCU
    ("assume/global/lambda-gb-s-per-request", 0.0125),  // 128 MB for 100 ms
    ("assume/global/dns-queries-per-request", 0.01), // resolvers cache answers: 1 query per 100 requests
    ("assume/global/ebs-gb-per-instance", 20.0),     // gp3 root volume of each EC2 instance
    ("assume/global/monthly-change-fraction", 0.3), // share of a store's data changed per month (~1 %/day)
    ("assume/global/aurora-secondary-instances", 1.0), // instances in each Global Database secondary
    ("assume/global/backup-change-exponent", 0.5), // changes between backups grow as interval^0.5
    ("assume/global/kb-per-write", 1.0), // data a write carries to replicas and logs (one 1 KB write unit)
    ("assume/global/courier-pickup", 75.0), // a courier's pickup of tapes for an offsite vault, USD
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_is_dated_and_prices_every_commercial_region() {
        let t = PriceTable::example();
        assert_eq!(t.as_of, "2025-01");
        assert!(t.note.contains("example prices as of 2025-01"));
        let all: Vec<&str> = super::super::regions::REGIONS
            .iter()
            .map(|r| r.region)
            .collect();
        assert_eq!(t.regions(), all);
        let per_region = EXAMPLE
            .iter()
            .filter(|(k, _)| k.split('/').nth(1) == Some("us-east-1"))
            .count();
        let global = EXAMPLE
            .iter()
            .filter(|(k, _)| k.contains("/global/"))
            .count();
        assert_eq!(
            t.prices.len(),
            global + per_region * all.len(),
            "no key listed twice"
        );
        for region in t.regions() {
            assert_eq!(t.items("ec2", region).len(), 6, "{region}");
            let us_east: Vec<&str> = t.items("backup", "us-east-1");
            assert_eq!(t.items("backup", region), us_east, "{region}");
        }
        assert_eq!(
            t.get("ec2/us-west-1/m5.large"),
            Some(0.112),
            "its own figure"
        );
        assert_eq!(t.get("ec2/eu-west-1/m5.large"), Some(0.10704));
    }

    #[test]
    fn overrides_replace_add_and_reject() {
        let t = PriceTable::example();
        let overrides: PriceOverrides = [
            ("ec2/us-east-1/m5.large", 0.1),
            ("ec2/us-east-1/r5.large", 0.126),
            ("s3/eu-west-1/gb-month", 0.023),
            ("ec2/us-east-1/gb-month", 1.0),
            ("route53/us-east-1/hosted-zone-month", 1.0),
            ("nope/global/x", 1.0),
            ("ec2/us-east-1", 1.0),
            ("alb/us-east-1/hour", -1.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let (t2, errors) = t.with_overrides(&overrides, &["eu-west-1"]);
        assert_eq!(t2.get("ec2/us-east-1/m5.large"), Some(0.1));
        assert_eq!(t2.get("ec2/us-east-1/r5.large"), Some(0.126));
        assert_eq!(t2.get("s3/eu-west-1/gb-month"), Some(0.023));
        assert_eq!(t2.get("alb/us-east-1/hour"), Some(0.0225));
        assert_eq!(errors.len(), 5, "{errors:#?}");
        let about = |key: &str| {
            let quoted = format!("{key:?}:");
            errors
                .iter()
                .find(|e| e.contains(&quoted))
                .cloned()
                .unwrap_or_default()
        };
        assert!(about("alb/us-east-1/hour").contains("≥ 0"));
        assert!(about("ec2/us-east-1/gb-month").contains("unknown item for ec2"));
        assert!(about("ec2/us-east-1").contains("service/region/item"));
        assert!(about("nope/global/x").contains("unknown service"));
        assert!(about("route53/us-east-1/hosted-zone-month").contains("use global"));
    }
}
