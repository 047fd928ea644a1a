//! A CloudFront distribution (origin group, edge cache) as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;

/// A distribution with an origin group and an optional edge cache.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudFrontConfig {
    /// The origins: `[primary]`, or `[primary, secondary]` for an origin group.
    pub origins: Vec<String>,
    /// Primary statuses that send a request to the secondary: default 500, 502, 503, 504 (the CDK
    /// default); 400, 403, 404 and 416 are also allowed (C19).
    #[serde(default = "default_codes")]
    pub failover_status_codes: Vec<u16>,
    /// Time CloudFront waits for a connection to an origin: 10 s default, 1..=10 s (C19).
    #[serde(default = "default_connection_timeout")]
    pub connection_timeout: SimDuration,
    /// Connection tries per origin: 3 default, 1..=3 (C19).
    #[serde(default = "default_attempts")]
    pub connection_attempts: u32,
    /// Time CloudFront waits for an origin's response: 30 s default, 1..=180 s (C19; above 60 s needs a
    /// quota increase). An origin slower than this is retried `connection_attempts` times, then the
    /// request fails over (origin group) or gets a 504.
    #[serde(default = "default_response_timeout")]
    pub response_timeout: SimDuration,
    /// The edge cache, if content is cacheable.
    #[serde(default)]
    pub cache: Option<CacheConfig>,
    /// How long a distribution config change takes to deploy. Default `LogNormal("10m", "20m")`: C20 says
    /// "about 10 minutes" (the median); the tail is an assumption.
    #[serde(default = "default_deploy")]
    pub deploy: Dist,
}

/// The edge cache of a distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// Share of requests served from the cache in steady state, in `[0, 1]`.
    pub hit_ratio: f64,
    /// How long a cached object stays fresh.
    pub ttl: SimDuration,
}

fn default_codes() -> Vec<u16> {
    vec![500, 502, 503, 504]
}

fn default_connection_timeout() -> SimDuration {
    SimDuration::from_secs(10)
}

fn default_attempts() -> u32 {
    3
}

fn default_response_timeout() -> SimDuration {
    SimDuration::from_secs(30)
}

fn default_deploy() -> Dist {
    Dist::log_normal("10m", "20m")
}

impl CloudFrontConfig {
    /// A distribution over `origins` with the defaults.
    pub fn new(origins: &[&str]) -> Self {
        CloudFrontConfig {
            origins: origins.iter().map(|o| o.to_string()).collect(),
            failover_status_codes: default_codes(),
            connection_timeout: default_connection_timeout(),
            connection_attempts: default_attempts(),
            response_timeout: default_response_timeout(),
            cache: None,
            deploy: default_deploy(),
        }
    }
}
