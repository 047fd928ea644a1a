//! CloudFormation: how long creating a stack takes when infrastructure is rebuilt from code at recovery.
//!
//! Defaults are log-normal around the AWS DR workshop's observed stack times (C26), with the median at the
//! workshop figure and the 99th percentile at twice it (assumption: the workshop gives single figures).

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::edge::{ConfigError, Errors};
use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;

/// What a stack builds, which sets its default creation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StackKind {
    /// VPC, subnets, gateways: `LogNormal("5m", "10m")` (C26 "VPC ~5 min").
    Network,
    /// Web tier (launch template, ASG, ALB): `LogNormal("5m", "10m")` (C26 "web ~5 min").
    Web,
    /// Aurora primary cluster: `LogNormal("20m", "40m")` (C26 "~20 min").
    DatabasePrimary,
    /// Aurora secondary cluster joining a global database: `LogNormal("10m", "20m")` (C26 "~10 min").
    DatabaseSecondary,
    /// Anything else: `duration` is required.
    Custom,
}

/// A stack a runbook creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackConfig {
    /// The Region it is created in (its control plane must be up).
    pub region: String,
    /// The topology resources it creates.
    #[serde(default)]
    pub resources: Vec<String>,
    /// What it builds.
    pub kind: StackKind,
    /// Creation time; `None`: the default of `kind`.
    #[serde(default)]
    pub duration: Option<Dist>,
}

impl StackKind {
    /// The default creation-time distribution (`None` for [`StackKind::Custom`]).
    pub fn default_duration(self) -> Option<Dist> {
        match self {
            StackKind::Network | StackKind::Web => Some(Dist::log_normal("5m", "10m")),
            StackKind::DatabasePrimary => Some(Dist::log_normal("20m", "40m")),
            StackKind::DatabaseSecondary => Some(Dist::log_normal("10m", "20m")),
            StackKind::Custom => None,
        }
    }
}

impl StackConfig {
    /// Checks that a custom stack has a duration and that the duration is well formed.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        match &self.duration {
            Some(dist) => errors.dist("stack.duration", dist, false),
            None => errors.check(
                self.kind != StackKind::Custom,
                "stack.duration",
                "missing",
                "given for a Custom stack, e.g. LogNormal(\"5m\", \"10m\")",
            ),
        }
        errors.finish()
    }

    /// Draws a creation time (zero for a custom stack without a duration, which `validate` rejects).
    pub fn creation_time(&self, rng: &mut Stream) -> SimDuration {
        self.duration
            .clone()
            .or_else(|| self.kind.default_duration())
            .map_or(SimDuration::ZERO, |d| d.sample(rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edge::testing::{messages, rng};

    fn stack(kind: StackKind) -> StackConfig {
        StackConfig {
            region: "us-west-2".into(),
            resources: vec![],
            kind,
            duration: None,
        }
    }

    #[test]
    fn medians_match_the_workshop() {
        let mut r = rng(9);
        for (kind, minutes) in [
            (StackKind::Network, 5.0),
            (StackKind::Web, 5.0),
            (StackKind::DatabasePrimary, 20.0),
            (StackKind::DatabaseSecondary, 10.0),
        ] {
            let s = stack(kind);
            let mut xs: Vec<SimDuration> = (0..2_001).map(|_| s.creation_time(&mut r)).collect();
            xs.sort_unstable();
            let median = xs[1_000].as_secs_f64() / 60.0;
            assert!(
                (median / minutes - 1.0).abs() < 0.08,
                "{kind:?}: {median} min"
            );
        }
    }

    #[test]
    fn custom_needs_a_duration() {
        assert_eq!(
            messages(stack(StackKind::Custom).validate()),
            [
                "stack.duration is missing, but must be given for a Custom stack, e.g. LogNormal(\"5m\", \"10m\")"
            ]
        );
        let custom = StackConfig {
            duration: Some(Dist::fixed("3m")),
            ..stack(StackKind::Custom)
        };
        assert!(custom.validate().is_ok());
        assert_eq!(custom.creation_time(&mut rng(1)), SimDuration::from_mins(3));
    }
}
