//! The infrastructure model the CloudFormation and Terraform importers share: AWS things as a template or a
//! plan declares them (one per resource), each with its source position, Region, physical name and the
//! links to other things it names. [`assemble`](crate::import::assemble) turns it into drsim resources.
//!
//! A link is either resolved (`Thing(i)`: a `!Ref`, a Terraform reference) or a name as written (an
//! identifier, an ARN, a DNS name), matched later against every thing's name, ARN tail and DNS names:
//! that is how an Aurora secondary joins a global cluster by its identifier and a read replica finds its
//! source by ARN.

use crate::import::Report;
use crate::import::doc::Node;

/// Where a thing was declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file.
    pub file: String,
    /// 1-based line of its declaration.
    pub line: usize,
    /// Logical id (CloudFormation) or address (Terraform).
    pub id: String,
    /// Its type as the source writes it (`AWS::RDS::DBCluster`, `aws_rds_cluster`).
    pub kind: String,
}

impl Source {
    /// `app.yaml:40 DBCluster (AWS::RDS::DBCluster)`.
    pub fn describe(&self) -> String {
        format!("{}:{} {} ({})", self.file, self.line, self.id, self.kind)
    }
}

/// A reference to another thing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Resolved: index into [`Infra::things`].
    Thing(usize),
    /// An identifier, ARN or DNS name as written, matched later.
    Name(String),
}

/// A Route 53 record's routing role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Routing {
    /// A simple record.
    Simple,
    /// Failover: `true` for PRIMARY.
    Failover(bool),
    /// Latency-based, in this Region.
    Latency(String),
    /// Weighted, with this weight.
    Weighted(u64),
}

/// What a thing is, with the fields drsim's model uses.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum Kind {
    DbInstance {
        az: Option<String>,
        multi_az: bool,
        retention_days: Option<u64>,
        class: Option<String>,
        cluster: Option<Link>,
        replica_of: Option<Link>,
    },
    DbCluster {
        aurora: bool,
        engine: String,
        global: Option<Link>,
        retention_days: Option<u64>,
        class: Option<String>,
    },
    GlobalCluster {
        source: Option<Link>,
    },
    Table {
        replicas: Vec<String>,
        pitr: bool,
    },
    Bucket {
        versioning: bool,
        replicate_to: Option<Link>,
        rtc: bool,
        website: bool,
    },
    Distribution {
        /// Origins in order: with an origin group, `[primary, secondary]`.
        origins: Vec<Link>,
        group: bool,
        failover_codes: Vec<u16>,
    },
    Record {
        dns: String,
        rtype: String,
        routing: Routing,
        target: Option<Link>,
        health_check: Option<Link>,
        ttl_s: Option<u64>,
    },
    HealthCheck {
        target: Option<Link>,
        interval_s: Option<u64>,
        threshold: Option<u64>,
    },
    Instance {
        az: Option<String>,
        subnet: Option<Link>,
        itype: Option<String>,
    },
    Vault,
    Asg {
        min: Option<u64>,
        max: Option<u64>,
        desired: Option<u64>,
        azs: Vec<String>,
        subnets: Vec<Link>,
        target_groups: Vec<Link>,
        load_balancers: Vec<Link>,
        launch: Option<Link>,
        itype: Option<String>,
    },
    LaunchTemplate {
        itype: Option<String>,
    },
    Subnet {
        az: Option<String>,
    },
    LoadBalancer {
        classic: bool,
        network: bool,
        instances: Vec<Link>,
    },
    Listener {
        lb: Option<Link>,
        target_groups: Vec<Link>,
    },
    TargetGroup {
        targets: Vec<Link>,
        interval_s: Option<u64>,
        unhealthy: Option<u64>,
        healthy: Option<u64>,
    },
    Function,
    Api {
        functions: Vec<Link>,
    },
    BackupPlan {
        rules: Vec<BackupRule>,
    },
    BackupSelection {
        plan: Option<Link>,
        resources: Vec<Link>,
    },
    Alarm {
        watches: Option<Link>,
        metric: String,
        period_s: Option<u64>,
        evaluation_periods: Option<u64>,
        datapoints: Option<u64>,
    },
    StateMachine {
        /// The ASL definition, and the label its positions are relative to.
        definition: Option<(Node, String)>,
    },
    EventRule {
        targets: Vec<Link>,
        alarms: Vec<Link>,
    },
    /// An API method's integration: read to attach a function to its API; otherwise inert.
    Integration {
        api: Option<Link>,
        function: Option<Link>,
    },
}

/// One rule of a backup plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupRule {
    /// Hours between backups (from the schedule), if read.
    pub every_h: Option<u64>,
    /// The schedule as written.
    pub schedule: String,
    /// The copy action's destination (a vault ARN or reference).
    pub copy_to: Option<Link>,
}

/// One declared thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Thing {
    /// Where it was declared.
    pub source: Source,
    /// Its Region.
    pub region: String,
    /// Its physical name, when the source gives one literally.
    pub name: Option<String>,
    /// What it is.
    pub kind: Kind,
    /// Every reference found anywhere in its properties (environment variables, user data): how compute is
    /// found to use a store.
    pub refs: Vec<Link>,
}

/// Everything read from the inputs.
#[derive(Clone, Debug, Default)]
pub struct Infra {
    /// The things, in source order.
    pub things: Vec<Thing>,
    /// Regions in the order given (the first is the primary unless the graph says otherwise).
    pub regions: Vec<String>,
    /// What was read, left out and not understood so far.
    pub report: Report,
}

/// The Region of an ARN (`arn:aws:rds:us-west-2:…` → `us-west-2`), if it has one.
pub fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    parts.nth(2).filter(|r| !r.is_empty())
}

/// The last name in an ARN or path (`arn:aws:rds:…:cluster:orders` → `orders`, `…:table/cart` → `cart`).
pub fn arn_tail(id: &str) -> &str {
    let id = id.trim_end_matches('/');
    let tail = id.rsplit([':', '/']).next().unwrap_or(id);
    if tail.is_empty() { id } else { tail }
}

/// The `${ref:N}` marker a CloudFormation string carries for a reference whose physical name is unknown.
pub fn ref_marker(i: usize) -> String {
    format!("${{ref:{i}}}")
}

/// The first `${ref:N}` marker in a string.
pub fn find_marker(s: &str) -> Option<usize> {
    let start = s.find("${ref:")? + 6;
    let end = s[start..].find('}')? + start;
    s[start..end].parse().ok()
}

impl Infra {
    /// The thing a link names, if any: a resolved link, a `${ref:N}` marker, or the first thing whose name,
    /// ARN tail or DNS name matches (in the ARN's Region when it has one).
    pub fn resolve(&self, link: &Link) -> Option<usize> {
        match link {
            Link::Thing(i) => Some(*i).filter(|&i| i < self.things.len()),
            Link::Name(s) => self.find(s),
        }
    }

    /// [`Infra::resolve`] of a name.
    pub fn find(&self, s: &str) -> Option<usize> {
        if let Some(i) = find_marker(s) {
            return Some(i).filter(|&i| i < self.things.len());
        }
        let region = arn_region(s);
        let tail = arn_tail(s);
        let host = s
            .split("://")
            .last()
            .unwrap_or(s)
            .split('/')
            .next()
            .unwrap_or(s);
        let host = host.trim_end_matches('.');
        let matches = |t: &Thing| {
            let by_name = t.name.as_deref().is_some_and(|n| {
                n == s
                    || n == tail
                    || host.starts_with(&format!("{n}."))
                    || n.trim_end_matches('.') == host
            });
            let by_dns =
                matches!(&t.kind, Kind::Record { dns, .. } if dns.trim_end_matches('.') == host);
            by_name || by_dns
        };
        let mut found = self.things.iter().enumerate().filter(|(_, t)| matches(t));
        let first = found.next()?;
        if let Some(region) = region
            && first.1.region != region
            && let Some((i, _)) = self
                .things
                .iter()
                .enumerate()
                .find(|(_, t)| matches(t) && t.region == region)
        {
            return Some(i);
        }
        Some(first.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        assert_eq!(
            arn_region("arn:aws:rds:us-west-2:1:cluster:db"),
            Some("us-west-2")
        );
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_tail("arn:aws:s3:::bucket"), "bucket");
        assert_eq!(arn_tail("arn:aws:dynamodb:us-east-1:1:table/cart"), "cart");
        assert_eq!(find_marker("x-${ref:12}-y"), Some(12));
    }
}
