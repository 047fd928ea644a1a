//! The service registry: the one list of resource kinds.
//!
//! Each line of [`for_each_service!`] names a kind as scenario files write it (`"db": Rds((...))`), its
//! configuration type, whether it is a data `store` or a `component` (edge, compute, DNS, watchers,
//! stacks), and a one-line description. Everything that used to be repeated per kind is generated from
//! it: here the [`Resource`] enum (the RON format) and [`ResourceKind`]; in `crate::services` the dispatch
//! to each service's hooks (validation, placement, references, run-time model, pricing). Adding a service
//! is one file in `services/` plus one line here; a kind the list forgets is a compile error wherever it
//! is matched.

use serde::{Deserialize, Serialize};

use crate::spec::resources::*;

/// Calls the macro `$then!` with the registry: one `Variant(ConfigType): role, "description";` per kind,
/// in the order resources of equal name would be listed. `role` is `store` or `component`; a line may
/// carry `#[cfg(...)]` (the test-only dummy service does).
macro_rules! for_each_service {
    ($then:ident) => {
        $then! {
            Rds(RdsConfig): store, "Amazon RDS for MySQL (Single-AZ, Multi-AZ instance or cluster, read replicas, backups)";
            Aurora(AuroraConfig): store, "Amazon Aurora MySQL (a cluster, or a Global Database)";
            DynamoDb(DynamoDbConfig): store, "An Amazon DynamoDB table (or global table)";
            S3(S3Config): store, "An Amazon S3 bucket (optionally replicated)";
            OnPremDb(OnPremDbConfig): store, "A database in an on-premises site, copied to AWS by Snowball or DataSync";
            Ec2(Ec2Config): component, "One EC2 instance";
            Asg(AsgConfig): component, "An EC2 Auto Scaling group";
            Alb(AlbConfig): component, "An Application Load Balancer";
            Lambda(LambdaConfig): component, "API Gateway + Lambda";
            CloudFront(CloudFrontConfig): component, "A CloudFront distribution";
            Record(RecordConfig): component, "A Route 53 record";
            HealthCheck(HealthCheckConfig): component, "A Route 53 health check";
            ArcCluster(ArcClusterConfig): component, "An Amazon Application Recovery Controller (ARC) cluster: five Regional endpoints that change routing control states";
            RoutingControl(RoutingControlConfig): component, "An ARC routing control: an On/Off switch whose Route 53 health check a record target names";
            Stack(StackConfig): component, "A CloudFormation stack";
            Alarm(AlarmConfig): component, "A CloudWatch alarm";
            OnPremApp(OnPremAppConfig): component, "Application servers in an on-premises site";
            #[cfg(test)]
            Dummy(crate::services::dummy::DummyConfig): component, "A test-only service: one file plus this line";
        }
    };
}

pub(crate) use for_each_service;

/// Whether a registry role is `store`.
macro_rules! role_is_store {
    (store) => {
        true
    };
    (component) => {
        false
    };
}

macro_rules! define_resources {
    ($( $(#[cfg($cfg:meta)])? $variant:ident($config:ty): $role:ident, $doc:literal; )*) => {
        /// One resource of a scenario, as written in its file: `"name": Kind((...))`.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Resource {
            $( $(#[cfg($cfg)])? #[doc = $doc] $variant($config), )*
        }

        /// The kind of a [`Resource`], without its configuration: a closed set checked by the compiler.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ResourceKind {
            $( $(#[cfg($cfg)])? #[doc = $doc] $variant, )*
        }

        impl Resource {
            /// This resource's kind.
            pub fn kind(&self) -> ResourceKind {
                match self {
                    $( $(#[cfg($cfg)])? Resource::$variant(_) => ResourceKind::$variant, )*
                }
            }
        }

        impl ResourceKind {
            /// The kind as scenario files write it (`"Rds"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $(#[cfg($cfg)])? ResourceKind::$variant => stringify!($variant), )*
                }
            }

            /// Whether resources of this kind are data stores (they take writes and have a ledger).
            pub fn is_store(self) -> bool {
                match self {
                    $( $(#[cfg($cfg)])? ResourceKind::$variant => role_is_store!($role), )*
                }
            }

            /// What the kind is, in a few words.
            pub fn describe(self) -> &'static str {
                match self {
                    $( $(#[cfg($cfg)])? ResourceKind::$variant => $doc, )*
                }
            }

            /// Every kind, in registry order.
            #[allow(clippy::vec_init_then_push)] // a line may be `#[cfg]`-gated, which `vec![]` cannot express
            pub fn all() -> Vec<ResourceKind> {
                let mut all = Vec::new();
                $( $(#[cfg($cfg)])? all.push(ResourceKind::$variant); )*
                all
            }
        }
    };
}

for_each_service!(define_resources);

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_listed_once_with_their_roles() {
        let all = ResourceKind::all();
        let mut names: Vec<&str> = all.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        let stores: Vec<&str> = all
            .iter()
            .filter(|k| k.is_store())
            .map(|k| k.as_str())
            .collect();
        assert_eq!(stores, ["Rds", "Aurora", "DynamoDb", "S3", "OnPremDb"]);
    }
}
