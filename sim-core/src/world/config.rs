//! The scenario as data: what a scenario file says, before it is built into a running world.
//!
//! These types are the RON format (`docs/scenario-format.md`): every struct denies unknown fields, every
//! optional field has a default that cites `docs/calibration.md`. `sim-core` only defines and checks them;
//! reading files, `extends` and `--set` belong to the `scenarios` crate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::budget::Budget;
use crate::cost::PriceOverrides;
use crate::edge::cloudformation::StackConfig;
use crate::edge::cloudfront::CloudFrontConfig;
use crate::edge::cloudwatch::AlarmConfig;
use crate::edge::compute::{AlbConfig, AsgConfig, Ec2Config, LambdaConfig};
use crate::edge::route53::{HealthCheckConfig, RecordConfig};
use crate::stores::{AuroraConfig, DynamoDbConfig, RdsConfig, S3Config, StoreConfig};
use crate::engine::time::SimDuration;
use crate::world::disaster::DisasterConfig;
use crate::world::runbook::RunbookConfig;

/// A whole scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name (`drsim list` shows it).
    pub name: String,
    /// What it shows, for students.
    #[serde(default)]
    pub description: String,
    /// Where it comes from in the course and what the course expects.
    #[serde(default)]
    pub course: Option<CourseRef>,
    /// The seed of replication 0 (`--seed` overrides it).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How long each replication runs.
    pub horizon: SimDuration,
    /// Regions and their AZs.
    pub regions: Vec<RegionConfig>,
    /// Every resource, by name.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
    /// Client traffic.
    #[serde(default)]
    pub flows: Vec<FlowConfig>,
    /// Disasters to inject.
    #[serde(default)]
    pub disasters: Vec<DisasterConfig>,
    /// Recovery runbooks.
    #[serde(default)]
    pub runbooks: Vec<RunbookConfig>,
    /// How RTO is measured.
    #[serde(default)]
    pub measure: MeasureConfig,
    /// RTO/RPO objectives `drsim check` holds the scenario to.
    #[serde(default)]
    pub budgets: Vec<Budget>,
    /// Price overrides for the cost model, keyed `service/region/item` (e.g.
    /// `{"ec2/us-east-1/m5.large": 0.1}`; see [`crate::cost::prices`]); none by default.
    #[serde(default)]
    pub prices: Option<PriceOverrides>,
}

fn default_seed() -> u64 {
    1
}

/// A course reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseRef {
    /// Which course module(s), e.g. `"004"`.
    pub module: String,
    /// What the course says the student should see.
    pub expectation: String,
}

/// A Region and its Availability Zones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    /// Region name, e.g. `"us-east-1"`.
    pub name: String,
    /// AZ names, e.g. `["us-east-1a", "us-east-1b"]`.
    pub azs: Vec<String>,
}

/// One resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Resource {
    /// RDS for MySQL.
    Rds(RdsConfig),
    /// Aurora MySQL (cluster or Global Database).
    Aurora(AuroraConfig),
    /// A DynamoDB table (or global table).
    DynamoDb(DynamoDbConfig),
    /// An S3 bucket.
    S3(S3Config),
    /// One EC2 instance.
    Ec2(Ec2Config),
    /// An EC2 Auto Scaling group.
    Asg(AsgConfig),
    /// An Application Load Balancer.
    Alb(AlbConfig),
    /// API Gateway + Lambda.
    Lambda(LambdaConfig),
    /// A CloudFront distribution.
    CloudFront(CloudFrontConfig),
    /// A Route 53 record.
    Record(RecordConfig),
    /// A Route 53 health check.
    HealthCheck(HealthCheckConfig),
    /// A CloudFormation stack.
    Stack(StackConfig),
    /// A CloudWatch alarm.
    Alarm(AlarmConfig),
}

impl Resource {
    /// The data-store config, for the four store kinds.
    pub fn store(&self) -> Option<StoreConfig> {
        match self {
            Resource::Rds(c) => Some(StoreConfig::Rds(c.clone())),
            Resource::Aurora(c) => Some(StoreConfig::Aurora(c.clone())),
            Resource::DynamoDb(c) => Some(StoreConfig::DynamoDb(c.clone())),
            Resource::S3(c) => Some(StoreConfig::S3(c.clone())),
            _ => None,
        }
    }

    /// The kind's name as written in scenario files.
    pub fn kind(&self) -> &'static str {
        match self {
            Resource::Rds(_) => "Rds",
            Resource::Aurora(_) => "Aurora",
            Resource::DynamoDb(_) => "DynamoDb",
            Resource::S3(_) => "S3",
            Resource::Ec2(_) => "Ec2",
            Resource::Asg(_) => "Asg",
            Resource::Alb(_) => "Alb",
            Resource::Lambda(_) => "Lambda",
            Resource::CloudFront(_) => "CloudFront",
            Resource::Record(_) => "Record",
            Resource::HealthCheck(_) => "HealthCheck",
            Resource::Stack(_) => "Stack",
            Resource::Alarm(_) => "Alarm",
        }
    }
}

/// Whether a flow reads or writes its data store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowKind {
    /// Reads (served by any readable copy the compute can reach).
    Read,
    /// Writes (must reach the writer; acknowledged writes enter the ledger).
    Write,
}

/// Client traffic: a path from clients through an entry point to compute and (optionally) a data store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowConfig {
    /// Its name, e.g. `"checkout"`.
    pub name: String,
    /// Read or write.
    pub kind: FlowKind,
    /// Requests per second offered by clients.
    pub rate_per_s: f64,
    /// Where clients enter: a Route 53 record, a CloudFront distribution, a load balancer, compute.
    pub entry: String,
    /// The data store the compute calls, if any.
    #[serde(default)]
    pub store: Option<String>,
    /// The SLO threshold of the success ratio (default 0.99).
    #[serde(default = "default_slo")]
    pub slo: f64,
    /// Whether the service's RTO includes this flow.
    #[serde(default = "yes")]
    pub critical: bool,
    /// The Region the clients are in (for latency routing); default: the first Region.
    #[serde(default)]
    pub clients: Option<String>,
}

fn default_slo() -> f64 {
    0.99
}

fn yes() -> bool {
    true
}

/// How RTO is measured (see `docs/measurement.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureConfig {
    /// Window over which the success ratio must meet the SLO.
    #[serde(default = "default_window")]
    pub window: SimDuration,
}

fn default_window() -> SimDuration {
    SimDuration::from_secs(60)
}

impl Default for MeasureConfig {
    fn default() -> Self {
        MeasureConfig {
            window: default_window(),
        }
    }
}
