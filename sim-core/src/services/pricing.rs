//! Billing helpers the services' pricing hooks share: instances with their EBS volumes, DB instances,
//! storage, per-million request lines and backup vaults with their cross-Region copies. Each adds lines to
//! the [`PriceBook`] for one resource; every price and assumption is a key of the cost layer's table.

use crate::engine::time::SimDuration;
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
    /// The Region of the last price asked for: where the next line bills.
    region: String,
}

impl<'b> Bill<'b> {
    /// The bill of `resource` (of `kind`).
    pub fn new(book: &'b mut dyn PriceBook, resource: &'b str, kind: &'b str) -> Self {
        Bill {
            book,
            resource,
            kind,
            region: String::new(),
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
        region.clone_into(&mut self.region);
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

    /// Adds a line, billed in the Region of the last price asked for.
    pub fn add(&mut self, what: String, monthly_usd: f64) {
        self.book.line(CostLine {
            resource: self.resource.to_string(),
            what,
            region: self.region.clone(),
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

    /// The data a store of `size_gb` GB changes between two backups `every` apart: the daily change
    /// (`monthly-change-fraction` ÷ 30) scaled by the interval in days to the power
    /// `backup-change-exponent` (hot blocks rewritten within an interval are stored once, so changes grow
    /// more slowly than the interval), at most the whole store.
    pub fn changed_gb(&mut self, size_gb: u32, every: SimDuration) -> f64 {
        let size = f64::from(size_gb);
        let daily = self.assume("monthly-change-fraction") / 30.0;
        let exponent = self.assume("backup-change-exponent");
        let days = every.as_secs_f64() / 86_400.0;
        (size * daily * days.powf(exponent)).min(size)
    }

    /// Acknowledged writes reaching this resource per month, in GB (`kb-per-write` each): what
    /// replication and transaction logs carry.
    pub fn written_gb_per_month(&mut self) -> f64 {
        let writes = self.book.traffic(self.resource).writes * SECONDS_PER_MONTH;
        writes * self.assume("kb-per-write") / 1e6
    }

    /// Inter-Region transfer of `gb` GB per month from `home` to `to` (replication, copies).
    pub fn transfer(&mut self, field: &'b str, (home, to): (&str, &str), gb: f64, what: &str) {
        if home == to {
            return;
        }
        let price = self.price(field, "transfer", home, "inter-region-gb");
        self.add(
            format!("{what} transfer, {gb:.1} GB/month to {to}"),
            gb * price,
        );
    }

    /// A backup plan's storage and copies: the backups retained (a full plus `retention ÷ every`
    /// incrementals of [`Bill::changed_gb`] each) and `logs_gb` of transaction logs, less `free_gb` (RDS
    /// keeps backup storage up to the database's size free in its Region), at `backup/<home>/<service>-
    /// gb-month`; with `copy_to`, the same again in that Region's vault and the transfer of every
    /// incremental and the logs.
    #[allow(clippy::too_many_arguments)]
    pub fn backups(
        &mut self,
        field: &'b str,
        (service, home): (&str, &str),
        size_gb: u32,
        plan: &BackupPlanConfig,
        retention: SimDuration,
        (free_gb, logs_gb): (f64, f64),
    ) {
        let item = format!("{service}-gb-month");
        let every = plan.every.max(SimDuration::from_hours(1));
        let incremental = self.changed_gb(size_gb, every);
        let kept = (retention.as_secs_f64() / every.as_secs_f64()).floor();
        let stored = f64::from(size_gb) + kept * incremental + logs_gb;
        let how = format!(
            "{size_gb} GB full + {kept} × {incremental:.2} GB incrementals (every {every}, kept {retention}){}",
            if logs_gb > 0.0 {
                format!(" + {logs_gb:.1} GB logs")
            } else {
                String::new()
            }
        );
        let billed = (stored - free_gb).max(0.0);
        if billed > 0.0 || free_gb == 0.0 {
            let price = self.price(field, "backup", home, &item);
            let less = if free_gb > 0.0 {
                format!(", less {free_gb:.0} GB free")
            } else {
                String::new()
            };
            let name = if field == "automated_snapshots" {
                "automated backups"
            } else {
                "backups"
            };
            self.add(format!("{name} in {home}: {how}{less}"), billed * price);
        }
        if let Some(to) = &plan.copy_to {
            let price = self.price(field, "backup", to, &item);
            self.add(format!("backup copies in {to}: {how}"), stored * price);
            let per_month = SECONDS_PER_MONTH / every.as_secs_f64();
            let logs_per_month = logs_gb * SECONDS_PER_MONTH / retention.as_secs_f64().max(1.0);
            self.transfer(
                field,
                (home, to),
                per_month * incremental + logs_per_month,
                "backup copy",
            );
        }
    }
}
