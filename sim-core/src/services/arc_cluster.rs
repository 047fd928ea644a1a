//! Amazon Application Recovery Controller (ARC) clusters (C41): the data plane that holds routing control
//! states, answering at five Regional endpoints.
//!
//! **The call.** A state change (UpdateRoutingControlState) goes to one cluster endpoint; the ARC
//! Developer Guide says to try the endpoints in rotation when one is unavailable. drsim's runbook tooling
//! tries the cluster's `endpoints` in order: an endpoint whose Region's data plane is down costs
//! [`ATTEMPT_TIMEOUT`] (an assumption) before the next one is tried, and the first one up takes the call.
//! No Region's *control plane* is consulted: the ARC control plane (us-west-2, where clusters and controls
//! are created) and Route 53's (us-east-1, where records are edited) are not on this path.
//!
//! **The quorum.** The cluster replicates states across its five Regions and answers with the consensus;
//! the guide says ARC keeps at least three of the five endpoints accessible. drsim reads that as a
//! majority quorum: a change is accepted while at least [`QUORUM`] of the five Regions are up, whatever
//! endpoint took the call. Endpoint Regions a scenario does not list are never disrupted in it, so they
//! count as up.

use crate::engine::time::SimDuration;
use crate::model::component::Component;
use crate::model::place::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Placement, Runtime, Service};
use crate::services::checks::{ConfigError, Errors};
use crate::services::pricing::{Bill, GLOBAL, HOURS_PER_MONTH};
use crate::spec::resources::arc::{ArcClusterConfig, CLUSTER_REGIONS};

/// How long the runbook's tooling waits on an endpoint whose Region is down before it tries the next one.
/// **Assumption** (C41): a client timeout short enough for a recovery script; the AWS SDKs' own defaults
/// are longer.
pub const ATTEMPT_TIMEOUT: SimDuration = SimDuration::from_secs(5);

/// How many of the cluster's five Regions must be up for a state change to be accepted (C41: "at least
/// three out of the five Regional cluster endpoints").
pub const QUORUM: usize = 3;

/// Where a state change landed: the endpoint that took it, those that timed out first, and the time
/// spent on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call<'a> {
    /// The endpoint's Region.
    pub endpoint: &'a str,
    /// The endpoints tried before it, which timed out.
    pub timed_out: Vec<&'a str>,
    /// The time the call took ([`ATTEMPT_TIMEOUT`] per endpoint that timed out).
    pub took: SimDuration,
}

impl ArcClusterConfig {
    /// Checks the endpoints (known, distinct, at least one) and the propagation; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        let valid = format!(
            "one of the cluster's Regions ({})",
            CLUSTER_REGIONS.join(", ")
        );
        errors.check(
            !self.endpoints.is_empty(),
            "arc_cluster.endpoints",
            "empty",
            "at least one endpoint",
        );
        for (i, endpoint) in self.endpoints.iter().enumerate() {
            errors.check(
                CLUSTER_REGIONS.contains(&endpoint.as_str()),
                "arc_cluster.endpoints",
                format!("{endpoint:?}"),
                valid.clone(),
            );
            errors.check(
                !self.endpoints[..i].contains(endpoint),
                "arc_cluster.endpoints",
                format!("{endpoint:?} twice"),
                "each endpoint once",
            );
        }
        errors.dist("arc_cluster.propagation", &self.propagation, false);
        errors.finish()
    }

    /// Where a state change lands now, given which Regions are up (`up(region)`); `Err` says why none
    /// takes it, naming the Regions.
    pub fn call(&self, up: &dyn Fn(&str) -> bool) -> Result<Call<'_>, String> {
        let down: Vec<&str> = CLUSTER_REGIONS.into_iter().filter(|r| !up(r)).collect();
        if CLUSTER_REGIONS.len() - down.len() < QUORUM {
            return Err(format!(
                "the cluster has no quorum: {} of its five Regions are down ({}); it needs {QUORUM} up",
                down.len(),
                down.join(", ")
            ));
        }
        let mut timed_out = Vec::new();
        for endpoint in &self.endpoints {
            if up(endpoint) {
                let took = timeouts(timed_out.len() as u64);
                return Ok(Call {
                    endpoint,
                    timed_out,
                    took,
                });
            }
            timed_out.push(endpoint.as_str());
        }
        Err(format!(
            "no endpoint of the cluster answers: {} all down",
            timed_out.join(", ")
        ))
    }
}

/// `n` attempt timeouts.
fn timeouts(n: u64) -> SimDuration {
    SimDuration::from_micros(ATTEMPT_TIMEOUT.as_micros().saturating_mul(n))
}

/// A cluster at run time: nothing of its own changes; its routing controls read its endpoints.
struct ArcCluster<'s> {
    name: &'s str,
}

impl Component for ArcCluster<'_> {
    fn name(&self) -> &str {
        self.name
    }
}

impl Service for ArcClusterConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        Ok(Runtime::Component(Box::new(ArcCluster { name: cx.name })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        self.validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// A cluster bills by the hour, whether or not its controls change (C41).
    fn price(&self, name: &str, _home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "ArcCluster");
        let hourly = bill.price("cluster", "arc", GLOBAL, "cluster-hour");
        bill.add("ARC cluster, 730 h".to_string(), hourly * HOURS_PER_MONTH);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::testing::messages;

    fn up_except(down: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |r| !down.contains(&r)
    }

    #[test]
    fn the_first_endpoint_up_takes_the_call_after_one_timeout_per_endpoint_down() {
        let cluster = ArcClusterConfig::default();
        let check = |down: &'static [&'static str], endpoint: &str, timeouts: u64| {
            let call = cluster.call(&up_except(down)).unwrap();
            assert_eq!(call.endpoint, endpoint, "down: {down:?}");
            assert_eq!(
                call.took,
                SimDuration::from_secs(5 * timeouts),
                "down: {down:?}"
            );
        };
        check(&[], "us-east-1", 0);
        check(&["us-east-1"], "us-west-2", 1);
        check(&["us-east-1", "us-west-2"], "eu-west-1", 2);
        check(&["us-west-2"], "us-east-1", 0);
    }

    #[test]
    fn a_change_needs_three_of_five_regions_and_a_listed_endpoint_up() {
        let cluster = ArcClusterConfig::default();
        let no_quorum = cluster
            .call(&up_except(&["us-east-1", "us-west-2", "eu-west-1"]))
            .unwrap_err();
        assert_eq!(
            no_quorum,
            "the cluster has no quorum: 3 of its five Regions are down (us-east-1, us-west-2, \
             eu-west-1); it needs 3 up"
        );
        let two = ArcClusterConfig {
            endpoints: vec!["us-east-1".into(), "us-west-2".into()],
            ..ArcClusterConfig::default()
        };
        assert_eq!(
            two.call(&up_except(&["us-east-1", "us-west-2"]))
                .unwrap_err(),
            "no endpoint of the cluster answers: us-east-1, us-west-2 all down"
        );
        // The same outage leaves the full list an endpoint and the quorum.
        assert_eq!(
            cluster
                .call(&up_except(&["us-east-1", "us-west-2"]))
                .unwrap()
                .endpoint,
            "eu-west-1"
        );
    }

    #[test]
    fn endpoints_must_be_the_cluster_s_regions_each_once() {
        let bad = ArcClusterConfig {
            endpoints: vec!["us-east-1".into(), "us-east-2".into(), "us-east-1".into()],
            ..ArcClusterConfig::default()
        };
        assert_eq!(
            messages(bad.validate()),
            [
                "arc_cluster.endpoints is \"us-east-2\", but must be one of the cluster's Regions \
                 (us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2)",
                "arc_cluster.endpoints is \"us-east-1\" twice, but must be each endpoint once"
            ]
        );
        let empty = ArcClusterConfig {
            endpoints: Vec::new(),
            ..ArcClusterConfig::default()
        };
        assert_eq!(
            messages(empty.validate()),
            ["arc_cluster.endpoints is empty, but must be at least one endpoint"]
        );
        assert_eq!(ArcClusterConfig::default().validate(), Ok(()));
    }
}
