//! What an on-premises database's paths cost on AWS's bill: copies in S3 in the store's archive class
//! (one full copy per path), Snowball jobs, DataSync's per-GB fee, DMS's instances; virtual tapes in the
//! library or on the shelf and what the gateway writes; stored volumes' EBS snapshots and their copies;
//! and, as an assumption outside AWS, a courier's pickups of physical tapes.

use crate::engine::time::SimDuration;
use crate::model::price::PriceBook;
use crate::services::pricing::{Bill, GLOBAL, HOURS_PER_MONTH};
use crate::spec::resources::onprem::{OffsiteConfig, OnPremDbConfig, StorageClass};

/// How many times a month something recurring every `every` happens.
fn per_month(every: SimDuration) -> f64 {
    HOURS_PER_MONTH / every.as_secs_f64() * 3_600.0
}

/// The S3 price item of a storage class.
fn class_item(class: StorageClass) -> &'static str {
    match class {
        StorageClass::Standard => "gb-month",
        StorageClass::GlacierFlexibleRetrieval => "glacier-flexible-gb-month",
        StorageClass::GlacierDeepArchive => "glacier-deep-gb-month",
    }
}

/// Storage Gateway bills the data it writes to AWS per GB, up to a monthly cap per gateway.
fn gateway_written(bill: &mut Bill<'_>, to: &str, gb_a_month: f64) {
    let per_gb = bill.price("offsite", "storagegateway", to, "gb-written");
    let cap = bill.price("offsite", "storagegateway", to, "written-cap-month");
    let usd = (gb_a_month * per_gb).min(cap);
    bill.add(
        format!("Storage Gateway writes {gb_a_month:.0} GB a month to AWS in {to}"),
        usd,
    );
}

/// The lines of `config`'s paths, for the resource `name`.
pub(super) fn price(config: &OnPremDbConfig, name: &str, book: &mut dyn PriceBook) {
    let mut bill = Bill::new(book, name, "OnPremDb");
    let size = f64::from(config.size_gb);
    let changed = |changed_gb: u32| {
        f64::from(if changed_gb == 0 {
            config.size_gb.div_ceil(100)
        } else {
            changed_gb
        })
    };
    for path in &config.offsite {
        let to = path.to();
        match path {
            OffsiteConfig::TapeGateway {
                every,
                tape_gb,
                shelf,
                ..
            } => {
                // Assumption: a month of tapes is kept (a monthly rotation), in the library or on the shelf.
                let tape = if *tape_gb == 0 {
                    size
                } else {
                    f64::from(*tape_gb)
                };
                let item = class_item(*shelf);
                let storage = bill.price("offsite", "s3", to, item);
                let gb = per_month(*every) * tape;
                let r#where = if *shelf == StorageClass::Standard {
                    "in the virtual tape library"
                } else {
                    "on the virtual tape shelf"
                };
                bill.add(
                    format!("{gb:.0} GB of virtual tapes {where} ({item}) in {to}"),
                    gb * storage,
                );
                gateway_written(&mut bill, to, gb);
                continue;
            }
            OffsiteConfig::Tape { pickup_every, .. } => {
                // Not AWS's bill: the courier's pickups, an assumed fee (the tapes and vault are the
                // company's).
                let fee = bill.price("offsite", "assume", GLOBAL, "courier-pickup");
                let pickups = per_month(*pickup_every);
                bill.add(
                    format!("{pickups:.1} courier pickups a month (assumed fee)"),
                    pickups * fee,
                );
                continue;
            }
            OffsiteConfig::StoredVolume {
                every,
                changed_gb,
                copy_to,
                ..
            } => {
                // Assumption: a month of snapshots is kept: one full volume and the month's changes.
                let month = per_month(*every) * changed(*changed_gb);
                let gb = size + month;
                let storage = bill.price("offsite", "ebs", to, "snapshot-gb-month");
                bill.add(format!("{gb:.0} GB of EBS snapshots in {to}"), gb * storage);
                gateway_written(&mut bill, to, month);
                if let Some(c) = copy_to {
                    let transfer = bill.price("offsite", "transfer", to, "inter-region-gb");
                    bill.add(
                        format!("snapshot copies of {month:.0} GB a month from {to}"),
                        month * transfer,
                    );
                    let r = c.region.as_str();
                    let storage = bill.price("offsite", "ebs", r, "snapshot-gb-month");
                    bill.add(
                        format!("{gb:.0} GB of EBS snapshot copies in {r}"),
                        gb * storage,
                    );
                }
                continue;
            }
            _ => {}
        }
        let item = class_item(config.archive.class);
        let storage = bill.price("archive", "s3", to, item);
        bill.add(
            format!("{size} GB of copies in S3 ({item}) in {to}"),
            size * storage,
        );
        match path {
            OffsiteConfig::Snowball { every, .. } => {
                let per_month = per_month(*every);
                let job = bill.price("offsite", "snowball", to, "job");
                bill.add(
                    format!("{per_month:.1} Snowball jobs a month"),
                    per_month * job,
                );
            }
            OffsiteConfig::DataSync {
                every, changed_gb, ..
            } => {
                let runs = per_month(*every);
                let per_gb = bill.price("offsite", "datasync", to, "gb");
                let gb = runs * changed(*changed_gb);
                bill.add(format!("DataSync of {gb:.0} GB a month"), gb * per_gb);
            }
            OffsiteConfig::Dms { .. } => {
                let hourly = bill.price("offsite", "dms", to, "dms.r5.large");
                bill.add(
                    format!("DMS replication instance dms.r5.large in {to}"),
                    hourly * HOURS_PER_MONTH,
                );
                let what = "DMS target";
                bill.db_instances("offsite", ("rds", to), "db.r6g.large", 1.0, what);
            }
            _ => {}
        }
    }
}
