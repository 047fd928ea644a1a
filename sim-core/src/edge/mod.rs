//! Edge, compute and DNS models: Route 53, CloudFront, EC2/Auto Scaling/ALB/Lambda, CloudWatch alarms and
//! CloudFormation stacks, as serde configs plus small pure functions the world calls.
//!
//! Every model here is *pure*: it never touches the engine. Configs validate themselves and report every
//! problem at once as [`ConfigError`]s naming the field and what would be valid; timing functions draw
//! from a [`Stream`] the caller owns (one per component name, so common random numbers
//! hold); routing functions return shares in `[0, 1]` that the world turns into flow success ratios.
//! Calibration sources for every default are in `docs/calibration.md` ("Edge, compute and DNS").

use std::fmt;

use crate::engine::dist::{Dist, DistError};
use crate::engine::rng::{Stream, below};
use crate::engine::time::SimDuration;

pub mod cloudformation;
pub mod cloudfront;
pub mod cloudwatch;
pub mod compute;
pub mod route53;

pub use cloudformation::{StackConfig, StackKind};
pub use cloudfront::{CacheConfig, CloudFrontConfig, OriginState, Outcome};
pub use cloudwatch::AlarmConfig;
pub use compute::{
    AlbConfig, Asg, AsgConfig, Ec2Config, Instance, LambdaConfig, Os, default_launch,
};
pub use route53::{HealthCheckConfig, RecordConfig, RoutingPolicy, Target, client_shares};

/// A config value AWS would not accept, or that drsim cannot model. The message names the field and what
/// would be valid; fix the scenario file accordingly.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// `field` is `value`, outside what is valid (`valid` says what is).
    OutOfRange {
        /// The field, as written in the scenario (`"failure_threshold"`).
        field: &'static str,
        /// The value given, printed.
        value: String,
        /// What would be valid (`"1..=10"`).
        valid: String,
    },
    /// A duration distribution in `field` is malformed.
    BadDist {
        /// The field holding the distribution.
        field: &'static str,
        /// What is wrong with it.
        error: DistError,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::OutOfRange {
                field,
                value,
                valid,
            } => write!(f, "{field} is {value}, but must be {valid}"),
            ConfigError::BadDist { field, error } => write!(f, "{field}: {error}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Collects config errors so `validate` reports all of them at once.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<ConfigError>);

impl Errors {
    /// Records an out-of-range error unless `ok`.
    pub(crate) fn check(
        &mut self,
        ok: bool,
        field: &'static str,
        value: impl fmt::Display,
        valid: impl Into<String>,
    ) {
        if !ok {
            self.0.push(ConfigError::OutOfRange {
                field,
                value: value.to_string(),
                valid: valid.into(),
            });
        }
    }

    /// Records a malformed distribution (`positive`: it must also never yield zero).
    pub(crate) fn dist(&mut self, field: &'static str, dist: &Dist, positive: bool) {
        let checked = if positive {
            dist.validate_positive()
        } else {
            dist.validate()
        };
        if let Err(error) = checked {
            self.0.push(ConfigError::BadDist { field, error });
        }
    }

    /// `Ok` when nothing was recorded.
    pub(crate) fn finish(self) -> Result<(), Vec<ConfigError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// A uniformly random phase in `[0, interval)`: where in its cycle a periodic prober (a health checker, an
/// alarm period) happens to be when something changes. Zero for a zero interval.
pub(crate) fn phase(interval: SimDuration, rng: &mut Stream) -> SimDuration {
    match interval.as_micros() {
        0 => SimDuration::ZERO,
        span => SimDuration::from_micros(below(rng, span)),
    }
}

/// How long after a change a periodic prober with random phase reaches `threshold` consecutive probes
/// that see it: the first probe comes after a phase in `[0, interval)`, the others one interval apart.
/// `threshold` 0 is read as 1.
pub(crate) fn consecutive_probes(
    interval: SimDuration,
    threshold: u32,
    rng: &mut Stream,
) -> SimDuration {
    phase(interval, rng) + interval.saturating_mul(u64::from(threshold.max(1) - 1))
}

/// Test helpers shared by the edge models.
#[cfg(test)]
pub(crate) mod testing {
    use crate::engine::rng::{RngStreams, Stream};

    /// Proptest case count: `DRSIM_PROPTEST_CASES`, else `default`.
    pub(crate) fn cases(default: u32) -> u32 {
        std::env::var("DRSIM_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// The messages of a validation result (empty when it passed).
    pub(crate) fn messages(result: Result<(), Vec<super::ConfigError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// A stream for seed `seed`.
    pub(crate) fn rng(seed: u64) -> Stream {
        RngStreams::new(seed, 0).named("edge-test")
    }
}
