//! The cost model: what a scenario's strategy costs per month in steady state, and what the capacity a run
//! adds during recovery costs, from a [`PriceTable`] the scenario can override.
//!
//! - [`steady_state`] prices what is provisioned while nothing is wrong: instances by type and count, data
//!   stores by deployment and size, request-priced services (DynamoDB, CloudFront, Lambda, API Gateway,
//!   ALB LCUs, DNS queries) by the flows that reach them, backups and cross-Region copies. Resources that
//!   a CloudFormation `Stack` lists exist only once the stack runs, so they cost nothing here.
//! - [`recovery_cost`] prices [`Usage`]: capacity the world provisions during a run beyond steady state
//!   (a stack's resources once created, an ASG scaled up, a restored database), hours × hourly price.
//! - [`validate`] names every instance type, DB class or price key the table cannot price, and every bad
//!   override, with the valid choices. The models never see prices.
//!
//! Money is `f64` (it never touches the clock); every sum runs in a fixed order, so a report is identical
//! run to run. The prices are an **example** (see [`prices`] and `docs/calibration.md`, *Prices*); every
//! assumption that turns a scenario into billable units is a key under `assume/global/` and can be
//! overridden like a price.

pub mod prices;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::spec::PriceOverrides;
pub use prices::{HOURS_PER_MONTH, PriceTable, SECONDS_PER_MONTH};

use crate::engine::time::{SimDuration, SimTime};
use crate::spec::{BackupPlanConfig, RdsDeployment, RecordConfig, RoutingPolicy};
use crate::spec::{FlowConfig, FlowKind, Resource, Scenario};

/// One priced item of a [`CostReport`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// The resource it belongs to (scenario name).
    pub resource: String,
    /// What is priced, with the quantities, e.g. `"6 × m5.large on-demand"`.
    pub what: String,
    /// USD per month (730 h).
    pub monthly_usd: f64,
}

/// The monthly cost of a scenario's steady state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// The sum of the lines, USD per month (730 h).
    pub monthly_usd: f64,
    /// Priced items, by resource name, then in the order each resource's items are priced.
    pub lines: Vec<CostLine>,
    /// What the table could not price (each counted as 0 in the lines): the same messages [`validate`]
    /// gives. Empty when the report is complete.
    pub unpriced: Vec<String>,
}

/// Capacity a run provisions beyond steady state, for [`recovery_cost`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// The resource (scenario name): an `Asg` or `Ec2` (instances), `Rds` or `Aurora` (DB instances, each
    /// priced as one Single-AZ instance of the class plus its storage for RDS), `Alb`, `DynamoDb`
    /// (a restored table's storage) or a `Stack` (all its resources at their configured size).
    pub resource: String,
    /// How many of it (instances, DB instances, stacks).
    pub instances: u32,
    /// When it started to bill.
    pub from: SimTime,
    /// When it stopped (the end of the run if it never did); before `from` counts as nothing.
    pub to: SimTime,
    /// The Region it runs in, when not the resource's own (a database restored in another Region).
    #[serde(default)]
    pub region: Option<String>,
}

/// The steady-state monthly cost of `scenario` under `table` with the scenario's `prices` overrides.
/// Never fails: what cannot be priced counts as 0 and is listed in [`CostReport::unpriced`].
/// The example price table with the scenario's `prices` overrides laid over it, and a message for each
/// override rejected.
pub fn table_for(scenario: &Scenario) -> (PriceTable, Vec<String>) {
    let example = PriceTable::example();
    match &scenario.prices {
        None => (example, Vec::new()),
        Some(overrides) => {
            let regions: Vec<&str> = scenario.regions.iter().map(|r| r.name.as_str()).collect();
            example.with_overrides(overrides, &regions)
        }
    }
}

/// The steady-state monthly cost of `scenario`: what is provisioned when nothing has failed.
pub fn steady_state(scenario: &Scenario, table: &PriceTable) -> CostReport {
    let mut pricer = Pricer::new(scenario, table);
    let lines = pricer.steady_lines();
    CostReport {
        monthly_usd: lines.iter().map(|l| l.monthly_usd).sum(),
        lines,
        unpriced: pricer.missing,
    }
}

/// The cost in USD of `usage` (hours × instances × hourly price, in the usage's Region) under `table`
/// with the scenario's `prices` overrides. A resource the table cannot price counts as 0 ([`validate`]
/// names it).
pub fn recovery_cost(scenario: &Scenario, table: &PriceTable, usage: &[Usage]) -> f64 {
    let mut pricer = Pricer::new(scenario, table);
    usage
        .iter()
        .map(|u| {
            let hours = hours(u.to.saturating_since(u.from));
            f64::from(u.instances) * hours * pricer.hourly(&u.resource, u.region.as_deref(), 0)
        })
        .sum()
}

/// Everything that stops `scenario` from being priced under `table`: bad `prices` overrides, unknown
/// instance types and DB classes (naming the resource, the field and the known choices) and missing price
/// keys. Empty when the scenario can be priced in full, steady state and recovery.
pub fn validate(scenario: &Scenario, table: &PriceTable) -> Vec<String> {
    let mut pricer = Pricer::new(scenario, table);
    pricer.steady_lines();
    for name in stack_members(scenario) {
        pricer.hourly(&name, None, 0);
    }
    let mut errors = pricer.override_errors;
    errors.extend(pricer.missing);
    errors
}

/// How deep a flow's path or a stack's resources are followed (guards against cycles).
const MAX_HOPS: usize = 8;

fn hours(d: SimDuration) -> f64 {
    d.as_micros() as f64 / 3_600_000_000.0
}

/// Names of resources that a `Stack` creates (they cost nothing until it runs).
fn stack_members(scenario: &Scenario) -> Vec<String> {
    let mut names: Vec<String> = scenario
        .resources
        .values()
        .filter_map(|r| match r {
            Resource::Stack(s) => Some(s.resources.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Requests per second reaching each resource, and reads and writes per second reaching each store, in
/// steady state.
#[derive(Default)]
struct Traffic {
    requests_per_s: BTreeMap<String, f64>,
    reads_per_s: BTreeMap<String, f64>,
    writes_per_s: BTreeMap<String, f64>,
}

impl Traffic {
    /// Follows every flow from its entry: a record answers with its steady-state target (failover: the
    /// primary; latency: the clients' Region; weighted: by weight), CloudFront passes its cache misses to
    /// its first origin, and what reaches compute (ALB, ASG, EC2, Lambda) reaches the flow's store.
    fn of(scenario: &Scenario) -> Traffic {
        let mut t = Traffic::default();
        for flow in &scenario.flows {
            let served = t.walk(scenario, flow, &flow.entry, flow.rate_per_s.max(0.0), 0);
            if let Some(store) = &flow.store {
                let to = match flow.kind {
                    FlowKind::Read => &mut t.reads_per_s,
                    FlowKind::Write => &mut t.writes_per_s,
                };
                *to.entry(store.clone()).or_default() += served;
            }
        }
        t
    }

    /// Adds `rate` to `name` and follows it; returns the rate that reaches compute.
    fn walk(
        &mut self,
        s: &Scenario,
        flow: &FlowConfig,
        name: &str,
        rate: f64,
        depth: usize,
    ) -> f64 {
        if depth > MAX_HOPS || rate <= 0.0 {
            return 0.0;
        }
        *self.requests_per_s.entry(name.to_string()).or_default() += rate;
        match s.resources.get(name) {
            Some(Resource::Record(r)) => steady_answers(r, flow, s)
                .into_iter()
                .map(|(to, share)| self.walk(s, flow, to, rate * share, depth + 1))
                .sum(),
            Some(Resource::CloudFront(c)) => {
                let hit = c
                    .cache
                    .as_ref()
                    .map_or(0.0, |c| c.hit_ratio.clamp(0.0, 1.0));
                c.origins.first().map_or(0.0, |origin| {
                    self.walk(s, flow, origin, rate * (1.0 - hit), depth + 1)
                })
            }
            Some(Resource::Alb(_) | Resource::Asg(_) | Resource::Ec2(_) | Resource::Lambda(_)) => {
                rate
            }
            _ => 0.0,
        }
    }

    fn requests(&self, name: &str) -> f64 {
        self.requests_per_s.get(name).copied().unwrap_or(0.0)
    }
}

/// The endpoints a record answers `flow`'s clients with while everything is healthy, with their shares.
fn steady_answers<'r>(r: &'r RecordConfig, flow: &FlowConfig, s: &Scenario) -> Vec<(&'r str, f64)> {
    match &r.policy {
        RoutingPolicy::Simple { target } => vec![(target.endpoint.as_str(), 1.0)],
        RoutingPolicy::Failover { primary, .. } => vec![(primary.endpoint.as_str(), 1.0)],
        RoutingPolicy::Latency { targets } => {
            let clients = flow
                .clients
                .as_deref()
                .or_else(|| s.regions.first().map(|r| r.name.as_str()));
            let chosen = targets
                .iter()
                .find(|(region, _)| Some(region.as_str()) == clients)
                .or_else(|| targets.first());
            chosen
                .map(|(_, t)| vec![(t.endpoint.as_str(), 1.0)])
                .unwrap_or_default()
        }
        RoutingPolicy::Weighted { targets } => {
            let total: u32 = targets.iter().map(|(w, _)| w).sum();
            let n = targets.len() as f64;
            targets
                .iter()
                .map(|(w, t)| {
                    let share = if total == 0 {
                        1.0 / n
                    } else {
                        f64::from(*w) / f64::from(total)
                    };
                    (t.endpoint.as_str(), share)
                })
                .collect()
        }
    }
}

/// Looks prices up for one scenario, recording what it cannot find.
struct Pricer<'s> {
    scenario: &'s Scenario,
    table: PriceTable,
    override_errors: Vec<String>,
    missing: Vec<String>,
}

/// Which resource and field a price is looked up for (for messages).
#[derive(Clone, Copy)]
struct For<'a> {
    resource: &'a str,
    kind: &'a str,
    field: &'a str,
}

impl<'s> Pricer<'s> {
    fn new(scenario: &'s Scenario, table: &PriceTable) -> Pricer<'s> {
        let regions: Vec<&str> = scenario.regions.iter().map(|r| r.name.as_str()).collect();
        let (table, override_errors) = match &scenario.prices {
            Some(overrides) => table.with_overrides(overrides, &regions),
            None => (table.clone(), Vec::new()),
        };
        Pricer {
            scenario,
            table,
            override_errors,
            missing: Vec::new(),
        }
    }

    fn miss(&mut self, message: String) {
        if !self.missing.contains(&message) {
            self.missing.push(message);
        }
    }

    /// The price under `service/region/item`; 0 and a message naming `at` when there is none.
    fn price(&mut self, at: For<'_>, service: &str, region: &str, item: &str) -> f64 {
        let key = format!("{service}/{region}/{item}");
        if let Some(v) = self.table.get(&key) {
            return v;
        }
        let For {
            resource,
            kind,
            field,
        } = at;
        let message = if item.contains('.') {
            let known = self.table.items(service, region);
            let known: Vec<&str> = known.into_iter().filter(|i| i.contains('.')).collect();
            format!(
                "resource {resource:?} ({kind}), field {field}: no {service} price for {item:?} in \
                 {region} (key {key:?}); known: {}; or add the key under `prices`",
                if known.is_empty() {
                    "none in this Region".to_string()
                } else {
                    known.join(", ")
                }
            )
        } else {
            format!(
                "resource {resource:?} ({kind}), field {field}: no price under key {key:?}; the table \
                 prices the Regions {}; add the key under `prices`",
                self.table.regions().join(", ")
            )
        };
        self.miss(message);
        0.0
    }

    /// An assumption (`assume/global/item`).
    fn assume(&mut self, item: &str) -> f64 {
        let at = For {
            resource: "-",
            kind: "assumption",
            field: item,
        };
        self.price(at, "assume", prices::GLOBAL, item)
    }

    /// The Region of an AZ of the scenario.
    fn region_of_az(&mut self, at: For<'_>, az: &str) -> Option<String> {
        let region = self
            .scenario
            .regions
            .iter()
            .find(|r| r.azs.iter().any(|a| a == az))
            .map(|r| r.name.clone());
        if region.is_none() {
            let For { resource, kind, .. } = at;
            self.miss(format!(
                "resource {resource:?} ({kind}): AZ {az:?} is in no Region of the scenario, so it \
                 cannot be priced"
            ));
        }
        region
    }

    /// The Region a resource lives in, where it has one.
    fn home(&mut self, name: &str, resource: &Resource) -> Option<String> {
        let at = For {
            resource: name,
            kind: resource.kind().as_str(),
            field: "az",
        };
        match resource {
            Resource::Ec2(c) => self.region_of_az(at, &c.az),
            Resource::Rds(c) => {
                let az = match &c.deployment {
                    RdsDeployment::SingleAz { az } => az,
                    RdsDeployment::MultiAzInstance { primary_az, .. } => primary_az,
                    RdsDeployment::MultiAzCluster { writer_az, .. } => writer_az,
                };
                self.region_of_az(at, az)
            }
            Resource::Aurora(c) => match c.instance_azs.first() {
                Some(az) => self.region_of_az(at, az),
                None => None,
            },
            Resource::Asg(c) => Some(c.region.clone()),
            Resource::Alb(c) => Some(c.region.clone()),
            Resource::Lambda(c) => Some(c.region.clone()),
            Resource::Stack(c) => Some(c.region.clone()),
            Resource::DynamoDb(c) => Some(c.region.clone()),
            Resource::S3(c) => Some(c.region.clone()),
            Resource::CloudFront(_)
            | Resource::Record(_)
            | Resource::HealthCheck(_)
            | Resource::Alarm(_) => Some(prices::GLOBAL.to_string()),
        }
    }

    /// Hourly price of one EC2 instance of `instance_type` with its root volume.
    fn instance_hourly(&mut self, at: For<'_>, region: &str, instance_type: &str) -> f64 {
        let instance = self.price(at, "ec2", region, instance_type);
        let gb = self.assume("ebs-gb-per-instance");
        instance + gb * self.price(at, "ebs", region, "gb-month") / HOURS_PER_MONTH
    }

    /// Hourly price of one unit of a resource beyond steady state (see [`Usage`]), in `region` or its own.
    fn hourly(&mut self, name: &str, region: Option<&str>, depth: usize) -> f64 {
        let Some(resource) = self.scenario.resources.get(name) else {
            self.miss(format!(
                "usage names resource {name:?}, which the scenario does not have"
            ));
            return 0.0;
        };
        let Some(home) = self.home(name, resource) else {
            return 0.0;
        };
        let region = region.unwrap_or(&home).to_string();
        let kind = resource.kind().as_str();
        let at = |field| For {
            resource: name,
            kind,
            field,
        };
        match resource {
            Resource::Ec2(c) => {
                self.instance_hourly(at("instance_type"), &region, &c.instance_type)
            }
            Resource::Asg(c) => {
                self.instance_hourly(at("instance_type"), &region, &c.instance_type)
            }
            Resource::Rds(c) => {
                let class = self.price(at("instance_class"), "rds", &region, &c.instance_class);
                let storage = self.price(at("size_gb"), "rds", &region, "gb-month");
                class + f64::from(c.size_gb) * storage / HOURS_PER_MONTH
            }
            Resource::Aurora(c) => {
                self.price(at("instance_class"), "aurora", &region, &c.instance_class)
            }
            Resource::Alb(_) => self.price(at("region"), "alb", &region, "hour"),
            Resource::DynamoDb(c) => {
                f64::from(c.size_gb) * self.price(at("size_gb"), "dynamodb", &region, "gb-month")
                    / HOURS_PER_MONTH
            }
            Resource::Stack(c) if depth < MAX_HOPS => {
                let mut sum = 0.0;
                for member in &c.resources {
                    let count = match self.scenario.resources.get(member) {
                        Some(Resource::Asg(a)) => a.desired,
                        _ => 1,
                    };
                    sum += f64::from(count) * self.hourly(member, Some(&region), depth + 1);
                }
                sum
            }
            _ => 0.0,
        }
    }

    /// The steady-state lines of every resource not created by a stack, then the hosted zone.
    fn steady_lines(&mut self) -> Vec<CostLine> {
        let traffic = Traffic::of(self.scenario);
        let in_stacks = stack_members(self.scenario);
        let mut bill = Bill::default();
        let scenario = self.scenario;
        for (name, resource) in &scenario.resources {
            if in_stacks.contains(name) {
                continue;
            }
            if let Some(home) = self.home(name, resource) {
                self.resource_lines(&mut bill, name, resource, &home, &traffic);
            }
        }
        let first_record = scenario
            .resources
            .iter()
            .find(|(_, r)| matches!(r, Resource::Record(_)));
        if let Some((name, _)) = first_record {
            let at = For {
                resource: name,
                kind: "Record",
                field: "hosted zone",
            };
            let zone = self.price(at, "route53", prices::GLOBAL, "hosted-zone-month");
            bill.add(name, "hosted zone (one per scenario)".to_string(), zone);
        }
        bill.0
    }

    /// Adds the lines of one resource in its home Region.
    fn resource_lines(
        &mut self,
        bill: &mut Bill,
        name: &str,
        resource: &Resource,
        home: &str,
        traffic: &Traffic,
    ) {
        let kind = resource.kind().as_str();
        let at = |field| For {
            resource: name,
            kind,
            field,
        };
        let global = prices::GLOBAL;
        let per_month = |per_s: f64| per_s * SECONDS_PER_MONTH;
        match resource {
            Resource::Ec2(c) => {
                self.instance_lines(bill, at("instance_type"), home, &c.instance_type, 1)
            }
            Resource::Asg(c) => {
                self.instance_lines(bill, at("instance_type"), home, &c.instance_type, c.desired);
            }
            Resource::Alb(_) => {
                let hourly = self.price(at("region"), "alb", home, "hour");
                bill.add(
                    name,
                    "load balancer, 730 h".to_string(),
                    hourly * HOURS_PER_MONTH,
                );
                let lcus =
                    traffic.requests(name) / self.assume("alb-requests-per-s-per-lcu").max(1e-9);
                let lcu = self.price(at("region"), "alb", home, "lcu-hour");
                bill.add_used(
                    name,
                    lcus,
                    format!("{lcus:.2} LCU, 730 h"),
                    lcus * lcu * HOURS_PER_MONTH,
                );
            }
            Resource::Rds(c) => {
                let (copies, deployment) = match c.deployment {
                    RdsDeployment::SingleAz { .. } => (1.0, "Single-AZ"),
                    RdsDeployment::MultiAzInstance { .. } => (2.0, "Multi-AZ instance (2×)"),
                    RdsDeployment::MultiAzCluster { .. } => (3.0, "Multi-AZ cluster (3×)"),
                };
                self.db_lines(
                    bill,
                    at("instance_class"),
                    "rds",
                    home,
                    &c.instance_class,
                    copies,
                    deployment,
                );
                self.storage_line(bill, at("size_gb"), "rds", home, c.size_gb, copies);
                for replica in &c.read_replicas {
                    let Some(region) = self.region_of_az(at("read_replicas"), &replica.az) else {
                        continue;
                    };
                    let what = &format!("read replica in {region}");
                    self.db_lines(
                        bill,
                        at("instance_class"),
                        "rds",
                        &region,
                        &c.instance_class,
                        1.0,
                        what,
                    );
                    self.storage_line(bill, at("size_gb"), "rds", &region, c.size_gb, 1.0);
                }
                if c.automated_backups {
                    // Automated snapshots in the home Region are free up to the database's size.
                    let plan = &c.automated_snapshots;
                    self.backup_lines(
                        bill,
                        at("automated_snapshots"),
                        "rds",
                        home,
                        c.size_gb,
                        plan,
                        false,
                    );
                }
                if let Some(plan) = &c.backup_plan {
                    self.backup_lines(bill, at("backup_plan"), "rds", home, c.size_gb, plan, true);
                }
            }
            Resource::Aurora(c) => {
                let n = c.instance_azs.len() as f64;
                self.db_lines(
                    bill,
                    at("instance_class"),
                    "aurora",
                    home,
                    &c.instance_class,
                    n,
                    "primary cluster",
                );
                self.storage_line(bill, at("size_gb"), "aurora", home, c.size_gb, 1.0);
                let writes = per_month(traffic.writes_per_s.get(name).copied().unwrap_or(0.0));
                let io = (at("writes"), "aurora", home, "million-io");
                self.per_million(bill, io, writes, "write I/Os");
                for secondary in &c.secondaries {
                    let region = &secondary.region;
                    let k = self.assume("aurora-secondary-instances");
                    let what = &format!("secondary cluster in {region}");
                    self.db_lines(
                        bill,
                        at("instance_class"),
                        "aurora",
                        region,
                        &c.instance_class,
                        k,
                        what,
                    );
                    self.storage_line(bill, at("size_gb"), "aurora", region, c.size_gb, 1.0);
                    let io = (
                        at("secondaries"),
                        "aurora",
                        region.as_str(),
                        "million-replicated-write-io",
                    );
                    self.per_million(
                        bill,
                        io,
                        writes,
                        &format!("replicated write I/Os to {region}"),
                    );
                }
                if let Some(plan) = &c.backup_plan {
                    self.backup_lines(
                        bill,
                        at("backup_plan"),
                        "aurora",
                        home,
                        c.size_gb,
                        plan,
                        true,
                    );
                }
            }
            Resource::DynamoDb(c) => {
                let writes = per_month(traffic.writes_per_s.get(name).copied().unwrap_or(0.0));
                let reads = per_month(traffic.reads_per_s.get(name).copied().unwrap_or(0.0));
                let w = (at("writes"), "dynamodb", home, "million-writes");
                self.per_million(bill, w, writes, "writes (on-demand)");
                let r = (at("reads"), "dynamodb", home, "million-reads");
                self.per_million(bill, r, reads, "reads (on-demand)");
                self.storage_line(bill, at("size_gb"), "dynamodb", home, c.size_gb, 1.0);
                for region in &c.replicas {
                    self.storage_line(bill, at("replicas"), "dynamodb", region, c.size_gb, 1.0);
                    let rw = (
                        at("replicas"),
                        "dynamodb",
                        region.as_str(),
                        "million-replicated-writes",
                    );
                    self.per_million(bill, rw, writes, &format!("replicated writes to {region}"));
                }
                if c.pitr {
                    let pitr = self.price(at("pitr"), "dynamodb", home, "pitr-gb-month");
                    bill.add(
                        name,
                        format!("PITR, {} GB", c.size_gb),
                        f64::from(c.size_gb) * pitr,
                    );
                }
                if let Some(plan) = &c.backup_plan {
                    self.backup_lines(
                        bill,
                        at("backup_plan"),
                        "dynamodb",
                        home,
                        c.size_gb,
                        plan,
                        true,
                    );
                }
            }
            Resource::S3(c) => {
                self.storage_line(bill, at("size_gb"), "s3", home, c.size_gb, 1.0);
                if let Some(replication) = &c.replication {
                    let changed = f64::from(c.size_gb) * self.assume("monthly-change-fraction");
                    let transfer =
                        self.price(at("replication"), "transfer", home, "inter-region-gb");
                    let what = format!(
                        "replication of {changed:.1} GB/month to {}",
                        replication.region
                    );
                    bill.add(name, what, changed * transfer);
                    if replication.rtc {
                        let rtc = self.price(at("replication.rtc"), "s3", home, "rtc-gb");
                        bill.add(name, "Replication Time Control".to_string(), changed * rtc);
                    }
                }
            }
            Resource::CloudFront(_) => {
                let requests = per_month(traffic.requests(name));
                let per_10k = self.price(at("flows"), "cloudfront", global, "10k-requests");
                bill.add_used(
                    name,
                    requests,
                    format!("{:.1} M requests", requests / 1e6),
                    requests / 1e4 * per_10k,
                );
                let gb = requests * self.assume("cloudfront-kb-per-request") / 1e6;
                let out = self.price(at("flows"), "cloudfront", global, "gb-out");
                bill.add_used(name, gb, format!("{gb:.0} GB out"), gb * out);
            }
            Resource::Lambda(_) => {
                let requests = per_month(traffic.requests(name));
                let invoke = self.price(at("flows"), "lambda", home, "million-requests");
                let gb_s = requests * self.assume("lambda-gb-s-per-request");
                let duration = self.price(at("flows"), "lambda", home, "gb-second");
                let api = self.price(at("flows"), "apigateway", home, "million-requests");
                let m = requests / 1e6;
                bill.add_used(
                    name,
                    m,
                    format!("{m:.1} M Lambda invocations"),
                    m * invoke + gb_s * duration,
                );
                bill.add_used(name, m, format!("{m:.1} M API Gateway requests"), m * api);
            }
            Resource::Record(r) => {
                let item = match r.policy {
                    RoutingPolicy::Latency { .. } => "million-latency-queries",
                    _ => "million-queries",
                };
                let queries =
                    per_month(traffic.requests(name)) * self.assume("dns-queries-per-request");
                let price = self.price(at("policy"), "route53", global, item);
                bill.add_used(
                    name,
                    queries,
                    format!("{:.2} M DNS queries", queries / 1e6),
                    queries / 1e6 * price,
                );
            }
            Resource::HealthCheck(h) => {
                let mut monthly = self.price(at("target"), "route53", global, "health-check-month");
                if h.interval <= SimDuration::from_secs(10) {
                    monthly += self.price(at("interval"), "route53", global, "fast-interval-month");
                }
                bill.add(name, format!("health check every {}", h.interval), monthly);
            }
            Resource::Alarm(_) => {
                let monthly = self.price(at("watches"), "cloudwatch", global, "alarm-month");
                bill.add(name, "metric alarm".to_string(), monthly);
            }
            Resource::Stack(_) => {}
        }
    }

    /// Adds a line for `count` units priced per million under `key` (unless `count` is 0).
    fn per_million(
        &mut self,
        bill: &mut Bill,
        key: (For<'_>, &str, &str, &str),
        count: f64,
        what: &str,
    ) {
        let (at, service, region, item) = key;
        let price = self.price(at, service, region, item);
        let line = format!("{:.1} M {what}", count / 1e6);
        bill.add_used(at.resource, count, line, count / 1e6 * price);
    }

    fn instance_lines(
        &mut self,
        bill: &mut Bill,
        at: For<'_>,
        region: &str,
        instance_type: &str,
        count: u32,
    ) {
        let n = f64::from(count);
        let hourly = self.price(at, "ec2", region, instance_type);
        let what = format!("{count} × {instance_type} on-demand, 730 h");
        bill.add(at.resource, what, n * hourly * HOURS_PER_MONTH);
        let gb = self.assume("ebs-gb-per-instance");
        let ebs = self.price(at, "ebs", region, "gb-month");
        bill.add(
            at.resource,
            format!("EBS {count} × {gb} GB gp3"),
            n * gb * ebs,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn db_lines(
        &mut self,
        bill: &mut Bill,
        at: For<'_>,
        service: &str,
        region: &str,
        class: &str,
        copies: f64,
        what: &str,
    ) {
        let hourly = self.price(at, service, region, class);
        let line = format!("{copies} × {class} {what}, 730 h");
        bill.add(at.resource, line, copies * hourly * HOURS_PER_MONTH);
    }

    fn storage_line(
        &mut self,
        bill: &mut Bill,
        at: For<'_>,
        service: &str,
        region: &str,
        size_gb: u32,
        copies: f64,
    ) {
        let price = self.price(at, service, region, "gb-month");
        let gb = f64::from(size_gb) * copies;
        let what = if copies > 1.0 {
            format!("{copies} × {size_gb} GB storage in {region}")
        } else {
            format!("{size_gb} GB storage in {region}")
        };
        bill.add(at.resource, what, gb * price);
    }

    /// A backup plan's vault storage (one full copy plus a month of changes; `home_vault` false when the
    /// home copy is free, as RDS automated snapshots are) and its cross-Region copy with the transfer of
    /// the changes.
    #[allow(clippy::too_many_arguments)]
    fn backup_lines(
        &mut self,
        bill: &mut Bill,
        at: For<'_>,
        service: &str,
        home: &str,
        size_gb: u32,
        plan: &BackupPlanConfig,
        home_vault: bool,
    ) {
        let item = format!("{service}-gb-month");
        let size = f64::from(size_gb);
        let changed = size * self.assume("monthly-change-fraction");
        let stored = size + changed;
        if home_vault {
            let price = self.price(at, "backup", home, &item);
            bill.add(
                at.resource,
                format!("backups, {stored:.0} GB in {home}"),
                stored * price,
            );
        }
        if let Some(to) = &plan.copy_to {
            let price = self.price(at, "backup", to, &item);
            bill.add(
                at.resource,
                format!("backup copies, {stored:.0} GB in {to}"),
                stored * price,
            );
            let transfer = self.price(at, "transfer", home, "inter-region-gb");
            let what = format!("backup copy transfer, {changed:.0} GB/month to {to}");
            bill.add(at.resource, what, changed * transfer);
        }
    }
}

/// Lines as they are priced.
#[derive(Default)]
struct Bill(Vec<CostLine>);

impl Bill {
    /// Adds a request-priced line unless nothing was requested (`quantity` 0).
    fn add_used(&mut self, resource: &str, quantity: f64, what: String, monthly_usd: f64) {
        if quantity > 0.0 {
            self.add(resource, what, monthly_usd);
        }
    }

    fn add(&mut self, resource: &str, what: String, monthly_usd: f64) {
        self.0.push(CostLine {
            resource: resource.to_string(),
            what,
            monthly_usd,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::RegionConfig;
    use crate::spec::Target;

    fn flow(entry: &str, clients: Option<&str>) -> FlowConfig {
        FlowConfig {
            name: "f".to_string(),
            kind: FlowKind::Write,
            rate_per_s: 10.0,
            entry: entry.to_string(),
            store: Some("db".to_string()),
            slo: 0.99,
            critical: true,
            clients: clients.map(str::to_string),
        }
    }

    fn scenario(resources: Vec<(&str, Resource)>, flows: Vec<FlowConfig>) -> Scenario {
        let region = |name: &str| RegionConfig {
            name: name.to_string(),
            azs: vec![format!("{name}a")],
        };
        Scenario {
            name: "t".to_string(),
            description: String::new(),
            course: None,
            seed: 1,
            horizon: SimDuration::from_hours(1),
            regions: vec![region("us-east-1"), region("us-west-2")],
            resources: resources
                .into_iter()
                .map(|(n, r)| (n.to_string(), r))
                .collect(),
            flows,
            disasters: Vec::new(),
            runbooks: Vec::new(),
            measure: Default::default(),
            prices: None,
            budgets: vec![],
        }
    }

    fn record(policy: RoutingPolicy) -> Resource {
        Resource::Record(RecordConfig::new(policy))
    }

    fn lambda(region: &str) -> Resource {
        Resource::Lambda(crate::spec::LambdaConfig {
            region: region.to_string(),
        })
    }

    #[test]
    fn traffic_follows_the_steady_state_answer_of_each_record() {
        let latency = RoutingPolicy::Latency {
            targets: vec![
                ("us-east-1".to_string(), Target::new("east")),
                ("us-west-2".to_string(), Target::new("west")),
            ],
        };
        let weighted = RoutingPolicy::Weighted {
            targets: vec![(1, Target::new("east")), (3, Target::new("west"))],
        };
        let failover = RoutingPolicy::Failover {
            primary: Target::new("west"),
            secondary: Target::new("east"),
        };
        let s = scenario(
            vec![
                ("east", lambda("us-east-1")),
                ("west", lambda("us-west-2")),
                ("lat", record(latency)),
                ("wei", record(weighted)),
                ("fo", record(failover)),
            ],
            vec![
                flow("lat", Some("us-west-2")),
                flow("lat", None),
                flow("wei", None),
                flow("fo", None),
            ],
        );
        let t = Traffic::of(&s);
        let rates = |pairs: &[(&str, f64)]| -> BTreeMap<String, f64> {
            pairs.iter().map(|&(n, r)| (n.to_string(), r)).collect()
        };
        let expected = [
            ("lat", 20.0),
            ("wei", 10.0),
            ("fo", 10.0),
            ("east", 12.5),
            ("west", 27.5),
        ];
        assert_eq!(t.requests_per_s, rates(&expected));
        assert_eq!(t.writes_per_s, rates(&[("db", 40.0)]), "all reach compute");
    }

    #[test]
    fn cloudfront_passes_only_cache_misses_to_its_first_origin() {
        let cdn = crate::spec::CloudFrontConfig {
            cache: Some(crate::spec::CacheConfig {
                hit_ratio: 0.75,
                ttl: SimDuration::from_mins(5),
            }),
            ..ron::from_str(r#"(origins: ["east", "west"])"#).unwrap()
        };
        let s = scenario(
            vec![
                ("east", lambda("us-east-1")),
                ("west", lambda("us-west-2")),
                ("cdn", Resource::CloudFront(cdn)),
            ],
            vec![flow("cdn", None)],
        );
        let t = Traffic::of(&s);
        let rates: Vec<(&str, f64)> = t
            .requests_per_s
            .iter()
            .map(|(n, &r)| (n.as_str(), r))
            .collect();
        assert_eq!(
            rates,
            [("cdn", 10.0), ("east", 2.5)],
            "west is the failover origin"
        );
        assert_eq!(
            t.writes_per_s.values().copied().collect::<Vec<f64>>(),
            [2.5]
        );
    }
}
