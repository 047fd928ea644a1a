//! The services: one file per AWS service, each holding what its kind *does* — validation of its
//! configuration, its run-time model, its timings — over the configuration types in [`crate::spec`].
//!
//! Data stores (RDS, Aurora, DynamoDB, S3) implement [`crate::model::DataStore`] and share [`backup`]
//! (plans, copies, PITR windows; computed, never ticked) and `members` (the copies of a single-writer store).
//! Calibration sources for every default are in `docs/calibration.md`.

pub mod alarm;
pub mod alb;
pub mod arc_cluster;
pub mod asg;
pub mod aurora;
pub mod backup;
pub mod checks;
pub mod cloudfront;
pub mod control_plane;
pub(crate) mod damage;
#[cfg(test)]
pub mod dummy;
pub mod dynamodb;
pub mod ec2;
pub mod health_check;
pub mod lambda;
pub(crate) mod members;
pub mod onprem;
pub mod onprem_app;
pub(crate) mod outages;
pub mod pricing;
pub mod probes;
pub mod rds;
pub mod record;
pub(crate) mod recovery;
pub(crate) mod reprotect;
pub mod routing_control;
pub mod s3;
pub mod stack;
pub(crate) mod upload_buffer;
pub(crate) mod verdict;

#[cfg(test)]
mod compute_tests;
#[cfg(test)]
mod route53_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
pub(crate) mod testing;

use crate::model::service::Service;
use crate::spec::Resource;
use crate::spec::registry::for_each_service;

pub use asg::{Asg, Instance};
pub use checks::ConfigError;
pub use cloudfront::{OriginAnswer, OriginState};
pub use record::client_shares;

/// Generates `Resource::service()` from the registry: each kind's configuration is its service.
macro_rules! define_dispatch {
    ($( $(#[cfg($cfg:meta)])? $variant:ident($config:ty): $role:ident, $doc:literal; )*) => {
        impl Resource {
            /// The service behind this resource: its placement, references, checks, run-time model and
            /// pricing hooks (one file per kind in this module).
            pub fn service(&self) -> &dyn Service {
                match self {
                    $( $(#[cfg($cfg)])? Resource::$variant(config) => config, )*
                }
            }
        }
    };
}

for_each_service!(define_dispatch);
