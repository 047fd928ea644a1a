//! Every resource kind's configuration, one file per service: data only (serde types, defaults citing
//! `docs/calibration.md`); what a service *does* lives in [`crate::services`].

pub mod alarm;
pub mod alb;
pub mod arc;
pub mod asg;
pub mod aurora;
pub mod backup;
pub mod cloudfront;
pub mod dynamodb;
pub mod ec2;
pub mod health_check;
pub mod lambda;
pub mod onprem;
pub mod onprem_app;
pub mod rds;
pub mod record;
pub mod s3;
pub mod stack;

pub use alarm::{AlarmConfig, AlarmMetric, AlarmSource, Comparison, MissingData, Statistic};
pub use alb::AlbConfig;
pub use arc::{ArcClusterConfig, ControlState, RoutingControlConfig};
pub use asg::AsgConfig;
pub use aurora::{AuroraConfig, AuroraSecondaryConfig};
pub use backup::{BackupPlanConfig, RestoreConfig};
pub use cloudfront::{CacheConfig, CloudFrontConfig};
pub use dynamodb::{Consistency, DynamoDbConfig};
pub use ec2::{Ec2Config, Os, default_instance_type, default_launch};
pub use health_check::HealthCheckConfig;
pub use lambda::LambdaConfig;
pub use onprem::{
    ArchiveConfig, BurstConfig, GatewayMode, OffsiteConfig, OnPremDbConfig, RetrievalTier,
    StorageClass,
};
pub use onprem_app::OnPremAppConfig;
pub use rds::{RdsConfig, RdsDeployment, ReadReplicaConfig};
pub use record::{RecordConfig, RoutingPolicy, Target};
pub use s3::{ReplicationConfig, S3Config};
pub use stack::{StackConfig, StackKind};
