//! Billing helpers the services' pricing hooks share: instances with their EBS volumes, DB instances,
//! storage, per-million request lines and backup vaults with their cross-Region copies. Each adds lines to
//! the [`PriceBook`] for one resource; every price and assumption is a key of the cost layer's table.

use crate::model::price::{CostLine, PriceAt, PriceBook};
use crate::spec::BackupPlanConfig;

/// Hours in the month the cost model bills (365 × 24 / 12, as AWS's own calculator uses).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Seconds in that month, for request rates.
pub const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;

/// The Region key of services priced the same everywhere.
pub const GLOBAL: &str = "global";

/// The lines of one resource being priced.
pub struct Bill<'b> {
    /// Where prices come from and lines go.
    pub book: &'b mut dyn PriceBook,
    /// The resource.
    pub resource: &'b str,
    /// Its kind, for messages.
    pub kind: &'b str,
}

impl<'b> Bill<'b> {
    /// The bill of `resource` (of `kind`).
    pub fn new(book: &'b mut dyn PriceBook, resource: &'b str, kind: &'b str) -> Self {
        Bill {
            book,
            resource,
            kind,
        }
    }

    /// Who asks, for `field`.
    pub fn at(&self, field: &'b str) -> PriceAt<'b> {
        PriceAt {
            resource: self.resource,
            kind: self.kind,
            field,
        }
    }

    /// A price by key, asked for `field`.
    pub fn price(&mut self, field: &'b str, service: &str, region: &str, item: &str) -> f64 {
        let at = self.at(field);
        self.book.price(at, service, region, item)
    }

    /// A billing assumption.
    pub fn assume(&mut self, item: &str) -> f64 {
        self.book.assume(item)
    }

    /// Requests per month reaching this resource in steady state.
    pub fn requests_per_month(&self) -> f64 {
        self.book.traffic(self.resource).requests * SECONDS_PER_MONTH
    }

    /// Adds a line.
    pub fn add(&mut self, what: String, monthly_usd: f64) {
        self.book.line(CostLine {
            resource: self.resource.to_string(),
            what,
            monthly_usd,
        });
    }

    /// Adds a request-priced line unless nothing was requested (`quantity` 0).
    pub fn add_used(&mut self, quantity: f64, what: String, monthly_usd: f64) {
        if quantity > 0.0 {
            self.add(what, monthly_usd);
        }
    }

    /// Adds a line for `count` units priced per million under `service/region/item` (unless `count` is 0).
    pub fn per_million(
        &mut self,
        field: &'b str,
        (service, region, item): (&str, &str, &str),
        count: f64,
        what: &str,
    ) {
        let price = self.price(field, service, region, item);
        let line = format!("{:.1} M {what}", count / 1e6);
        self.add_used(count, line, count / 1e6 * price);
    }

    /// `count` on-demand EC2 instances of `instance_type` and their EBS volumes, for a month.
    pub fn instances(&mut self, field: &'b str, region: &str, instance_type: &str, count: u32) {
        let n = f64::from(count);
        let hourly = self.price(field, "ec2", region, instance_type);
        let what = format!("{count} × {instance_type} on-demand, 730 h");
        self.add(what, n * hourly * HOURS_PER_MONTH);
        let gb = self.assume("ebs-gb-per-instance");
        let ebs = self.price(field, "ebs", region, "gb-month");
        self.add(format!("EBS {count} × {gb} GB gp3"), n * gb * ebs);
    }

    /// One EC2 instance and its EBS volume, per hour.
    pub fn instance_hourly(&mut self, field: &'b str, region: &str, instance_type: &str) -> f64 {
        let instance = self.price(field, "ec2", region, instance_type);
        let gb = self.assume("ebs-gb-per-instance");
        instance + gb * self.price(field, "ebs", region, "gb-month") / HOURS_PER_MONTH
    }

    /// `copies` DB instances of `class` (`service` is `rds` or `aurora`), for a month.
    pub fn db_instances(
        &mut self,
        field: &'b str,
        (service, region): (&str, &str),
        class: &str,
        copies: f64,
        what: &str,
    ) {
        let hourly = self.price(field, service, region, class);
        let line = format!("{copies} × {class} {what}, 730 h");
        self.add(line, copies * hourly * HOURS_PER_MONTH);
    }

    /// `copies` × `size_gb` of `service` storage in `region`, for a month.
    pub fn storage(
        &mut self,
        field: &'b str,
        (service, region): (&str, &str),
        size_gb: u32,
        copies: f64,
    ) {
        let price = self.price(field, service, region, "gb-month");
        let gb = f64::from(size_gb) * copies;
        let what = if copies > 1.0 {
            format!("{copies} × {size_gb} GB storage in {region}")
        } else {
            format!("{size_gb} GB storage in {region}")
        };
        self.add(what, gb * price);
    }

    /// A backup plan's vault storage (one full copy plus a month of changes; `home_vault` false when the
    /// home copy is free, as RDS automated snapshots are) and its cross-Region copy with the transfer of
    /// the changes.
    pub fn backups(
        &mut self,
        field: &'b str,
        (service, home): (&str, &str),
        size_gb: u32,
        plan: &BackupPlanConfig,
        home_vault: bool,
    ) {
        let item = format!("{service}-gb-month");
        let size = f64::from(size_gb);
        let changed = size * self.assume("monthly-change-fraction");
        let stored = size + changed;
        if home_vault {
            let price = self.price(field, "backup", home, &item);
            self.add(format!("backups, {stored:.0} GB in {home}"), stored * price);
        }
        if let Some(to) = &plan.copy_to {
            let price = self.price(field, "backup", to, &item);
            self.add(
                format!("backup copies, {stored:.0} GB in {to}"),
                stored * price,
            );
            let transfer = self.price(field, "transfer", home, "inter-region-gb");
            let what = format!("backup copy transfer, {changed:.0} GB/month to {to}");
            self.add(what, changed * transfer);
        }
    }
}
