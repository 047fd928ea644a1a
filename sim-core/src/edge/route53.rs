//! Route 53: health checks (checker quorum, interval, threshold), routing policies, and resolver caches.
//!
//! **Health checks (C17).** `checkers` health checkers probe the endpoint every `interval`, each at its own
//! uniformly random phase (they do not coordinate). A checker changes its verdict after `failure_threshold`
//! consecutive probes that disagree with it, in either direction: the Route 53 guide defines the threshold
//! as the number of consecutive checks an endpoint "must pass or fail" to change status. Route 53 calls
//! the endpoint healthy while **more than 18 %** of checkers report healthy. A probe's own connect and
//! response timeouts (≤ 4 s + 2 s) are not added: a dead endpoint is judged at probe time.
//!
//! **Records (C18).** [`RecordConfig::answer`] is what Route 53 answers a resolver right now;
//! [`client_shares`] turns the history of answers into the share of clients holding each one, given that
//! resolvers cache an answer for the TTL and their caches expire at uniformly random phases.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::edge::{ConfigError, Errors, consecutive_probes};
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};

/// Route 53's published quorum: the endpoint is healthy while more than this percentage of checkers say so.
const HEALTHY_ABOVE_PERCENT: u32 = 18;
/// Largest TTL Route 53 accepts (2^31 − 1 seconds).
const MAX_TTL_S: u64 = 2_147_483_647;
/// Largest weight of a weighted record.
const MAX_WEIGHT: u32 = 255;

/// A Route 53 health check on one endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheckConfig {
    /// The endpoint it probes (a resource name in the topology).
    pub target: String,
    /// Time between one checker's probes: 30 s (default) or 10 s ("fast"), C17.
    #[serde(default = "default_interval")]
    pub interval: SimDuration,
    /// Consecutive failed (or passed) probes before a checker changes its verdict: 1..=10, default 3 (C17).
    #[serde(default = "default_threshold")]
    pub failure_threshold: u32,
    /// How many checkers probe. Assumption: 16, i.e. the 8 default checker Regions with 2 checkers each;
    /// Route 53 does not publish the count. It changes only the spread of the verdict time, never its
    /// bounds.
    #[serde(default = "default_checkers")]
    pub checkers: u32,
}

fn default_interval() -> SimDuration {
    SimDuration::from_secs(30)
}
fn default_threshold() -> u32 {
    3
}
fn default_checkers() -> u32 {
    16
}

impl HealthCheckConfig {
    /// A health check on `target` with the defaults (30 s, threshold 3, 16 checkers).
    pub fn new(target: &str) -> Self {
        HealthCheckConfig {
            target: target.to_string(),
            interval: default_interval(),
            failure_threshold: default_threshold(),
            checkers: default_checkers(),
        }
    }

    /// Checks every field against what Route 53 accepts; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        let interval_s = self.interval.as_micros();
        errors.check(
            interval_s == 10_000_000 || interval_s == 30_000_000,
            "health_check.interval",
            self.interval,
            "10s or 30s",
        );
        errors.check(
            (1..=10).contains(&self.failure_threshold),
            "health_check.failure_threshold",
            self.failure_threshold,
            "1..=10",
        );
        errors.check(
            (1..=256).contains(&self.checkers),
            "health_check.checkers",
            self.checkers,
            "1..=256",
        );
        errors.finish()
    }

    /// The most checkers that can report healthy while Route 53 still calls the endpoint unhealthy.
    fn healthy_max(&self) -> usize {
        (self.checkers.max(1) * HEALTHY_ABOVE_PERCENT / 100) as usize
    }

    /// Each checker's time to flip its verdict after the endpoint changes, sorted.
    fn flip_times(&self, rng: &mut Stream) -> Vec<SimDuration> {
        let mut flips: Vec<SimDuration> = (0..self.checkers.max(1))
            .map(|_| consecutive_probes(self.interval, self.failure_threshold, rng))
            .collect();
        flips.sort_unstable();
        flips
    }

    /// Time from the endpoint starting to fail until Route 53's verdict turns unhealthy, assuming every
    /// checker saw it healthy before. With 30 s and threshold 3 this is in `[60 s, 90 s)`.
    pub fn time_to_unhealthy(&self, rng: &mut Stream) -> SimDuration {
        let flips = self.flip_times(rng);
        // Unhealthy once at most `healthy_max` checkers still say healthy.
        flips[flips.len() - 1 - self.healthy_max()]
    }

    /// Time from the endpoint recovering until Route 53's verdict turns healthy, assuming every checker saw
    /// it unhealthy before: `failure_threshold` consecutive passes per checker, then the 18 % quorum.
    pub fn time_to_healthy(&self, rng: &mut Stream) -> SimDuration {
        let flips = self.flip_times(rng);
        flips[self.healthy_max()]
    }
}

/// One endpoint a record can answer with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The endpoint (a resource name in the topology: an ALB, a CloudFront distribution, an API).
    pub endpoint: String,
    /// The health check guarding it, by name; `None`: Route 53 treats it as always healthy.
    #[serde(default)]
    pub health_check: Option<String>,
}

impl Target {
    /// A target without a health check.
    pub fn new(endpoint: &str) -> Self {
        Target {
            endpoint: endpoint.to_string(),
            health_check: None,
        }
    }

    /// A target guarded by the health check `check`.
    pub fn checked(endpoint: &str, check: &str) -> Self {
        Target {
            endpoint: endpoint.to_string(),
            health_check: Some(check.to_string()),
        }
    }

    fn is_healthy(&self, healthy: &dyn Fn(&str) -> bool) -> bool {
        self.health_check.as_deref().is_none_or(healthy)
    }
}

/// How a record chooses among its targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoutingPolicy {
    /// Always the one target (simple records take no health check).
    Simple {
        /// The target.
        target: Target,
    },
    /// The primary while it is healthy (or unchecked), else the secondary. Target indices: 0, 1.
    Failover {
        /// Answered while healthy.
        primary: Target,
        /// Answered when the primary is unhealthy.
        secondary: Target,
    },
    /// The healthy target in the Region with the lowest latency to the client.
    Latency {
        /// `(Region name, target)`, in index order.
        targets: Vec<(String, Target)>,
    },
    /// Healthy targets in proportion to their weights (0..=255).
    Weighted {
        /// `(weight, target)`, in index order.
        targets: Vec<(u32, Target)>,
    },
}

/// A DNS record with a routing policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordConfig {
    /// How long resolvers cache an answer: default 60 s, the ceiling Route 53 recommends for failover
    /// records (C18).
    #[serde(default = "default_ttl")]
    pub ttl: SimDuration,
    /// How the answer is chosen.
    pub policy: RoutingPolicy,
    /// How long a manual edit of the record takes to reach Route 53's name servers. Default
    /// `LogNormal("20s", "60s")`: C18 says "generally within 60 seconds", read as the 99th percentile; the
    /// median is an assumption.
    #[serde(default = "default_propagation")]
    pub propagation: Dist,
}

fn default_ttl() -> SimDuration {
    SimDuration::from_secs(60)
}
fn default_propagation() -> Dist {
    Dist::log_normal("20s", "60s")
}

impl RecordConfig {
    /// A record with the default TTL and propagation.
    pub fn new(policy: RoutingPolicy) -> Self {
        RecordConfig {
            ttl: default_ttl(),
            policy,
            propagation: default_propagation(),
        }
    }

    /// Checks the TTL, weights, target lists and propagation; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        errors.check(
            self.ttl <= SimDuration::from_secs(MAX_TTL_S),
            "record.ttl",
            self.ttl,
            "at most 2147483647s",
        );
        errors.dist("record.propagation", &self.propagation, false);
        match &self.policy {
            RoutingPolicy::Simple { .. } | RoutingPolicy::Failover { .. } => {}
            RoutingPolicy::Latency { targets } => {
                errors.check(
                    !targets.is_empty(),
                    "record.targets",
                    "empty",
                    "at least one",
                );
            }
            RoutingPolicy::Weighted { targets } => {
                errors.check(
                    !targets.is_empty(),
                    "record.targets",
                    "empty",
                    "at least one",
                );
                for (weight, _) in targets {
                    errors.check(*weight <= MAX_WEIGHT, "record.weight", weight, "0..=255");
                }
            }
        }
        errors.finish()
    }

    /// The record's targets, in index order (failover: primary 0, secondary 1).
    pub fn targets(&self) -> Vec<&Target> {
        match &self.policy {
            RoutingPolicy::Simple { target } => vec![target],
            RoutingPolicy::Failover { primary, secondary } => vec![primary, secondary],
            RoutingPolicy::Latency { targets } => targets.iter().map(|(_, t)| t).collect(),
            RoutingPolicy::Weighted { targets } => targets.iter().map(|(_, t)| t).collect(),
        }
    }

    /// The answer Route 53 gives a resolver in `client_region` right now: `(target index, share)` pairs in
    /// index order, shares summing to 1 (empty only for a record with no targets).
    ///
    /// `healthy(check)` is the current verdict of the health check named `check`; targets without a check
    /// are healthy. `region_order(client, region)` ranks Regions by latency from the client (lower is
    /// closer). When every target is unhealthy Route 53 answers as if all were healthy.
    pub fn answer(
        &self,
        healthy: &dyn Fn(&str) -> bool,
        client_region: &str,
        region_order: &dyn Fn(&str, &str) -> u32,
    ) -> Vec<(usize, f64)> {
        let up: Vec<bool> = self
            .targets()
            .iter()
            .map(|t| t.is_healthy(healthy))
            .collect();
        // Route 53 fails open: with nothing healthy it answers as if everything were.
        let up_or_all = |i: usize| up[i] || !up.contains(&true);
        match &self.policy {
            RoutingPolicy::Simple { .. } => vec![(0, 1.0)],
            RoutingPolicy::Failover { .. } => {
                vec![(if up[0] || !up[1] { 0 } else { 1 }, 1.0)]
            }
            RoutingPolicy::Latency { targets } => (0..targets.len())
                .filter(|&i| up_or_all(i))
                .min_by_key(|&i| (region_order(client_region, &targets[i].0), i))
                .map(|i| vec![(i, 1.0)])
                .unwrap_or_default(),
            RoutingPolicy::Weighted { targets } => {
                let candidates: Vec<usize> = (0..targets.len()).filter(|&i| up_or_all(i)).collect();
                let weighted: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| targets[i].0 > 0)
                    .collect();
                if weighted.is_empty() {
                    // Zero-weight records answer only when no weighted one can, then with equal odds.
                    let share = 1.0 / candidates.len() as f64;
                    candidates.into_iter().map(|i| (i, share)).collect()
                } else {
                    let total: u64 = weighted.iter().map(|&i| u64::from(targets[i].0)).sum();
                    weighted
                        .into_iter()
                        .map(|i| (i, f64::from(targets[i].0) / total as f64))
                        .collect()
                }
            }
        }
    }

    /// How long a manual edit of this record takes to propagate (see [`RecordConfig::propagation`]).
    pub fn edit_propagation(&self, rng: &mut Stream) -> SimDuration {
        self.propagation.sample(rng)
    }
}

/// The share of clients holding each answer at `t`, as `(target index, share)` pairs in index order,
/// summing to 1 (empty for an empty history). Exact; no sampling.
///
/// `history` is the record's answers in time order: `(when the answer took effect, its distribution)`;
/// the first answer is taken to have been in effect forever before, and a later entry at the same time
/// supersedes an earlier one. Each client's cache expires at a uniformly random phase, so at `t` a client
/// holds the answer that was current at `t − a`, `a ~ U[0, ttl)`: answer X's share is the fraction of the
/// last TTL during which X was answered, weighted by its share. Traffic therefore moves linearly over one
/// TTL after a change and has fully moved at change + TTL.
pub fn client_shares(
    history: &[(SimTime, Vec<(usize, f64)>)],
    ttl: SimDuration,
    t: SimTime,
) -> Vec<(usize, f64)> {
    let mut shares: BTreeMap<usize, f64> = BTreeMap::new();
    let mut add = |answer: &[(usize, f64)], weight: f64| {
        for &(i, share) in answer {
            *shares.entry(i).or_insert(0.0) += share * weight;
        }
    };
    if ttl.is_zero() {
        // No caching: everyone sees the answer current at `t`.
        if let Some((_, answer)) = history
            .iter()
            .rev()
            .find(|(at, _)| *at <= t)
            .or(history.first())
        {
            add(answer, 1.0);
        }
    } else {
        let window_end = i128::from(t.as_micros());
        let window_start = window_end - i128::from(ttl.as_micros());
        for (k, (at, answer)) in history.iter().enumerate() {
            let start = if k == 0 {
                i128::MIN
            } else {
                i128::from(at.as_micros())
            };
            let end = history
                .get(k + 1)
                .map_or(i128::MAX, |(next, _)| i128::from(next.as_micros()));
            let overlap = end.min(window_end) - start.max(window_start);
            if overlap > 0 {
                add(answer, overlap as f64 / ttl.as_micros() as f64);
            }
        }
    }
    // Renormalise so rounding (or answers whose own shares do not sum to 1) never leaves [0, 1].
    let total: f64 = shares.values().sum();
    shares
        .into_iter()
        .filter(|&(_, s)| s > 0.0)
        .map(|(i, s)| (i, (s / total).clamp(0.0, 1.0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::edge::testing::{cases, messages, rng};

    fn secs(s: u64) -> SimTime {
        SimTime::at(SimDuration::from_secs(s))
    }

    #[test]
    fn default_check_turns_unhealthy_60_to_90_s_after_the_endpoint_dies() {
        let check = HealthCheckConfig::new("alb-east");
        assert_eq!(check.validate(), Ok(()));
        let (mut lo, mut hi, mut sum) = (f64::MAX, 0.0f64, 0.0);
        for seed in 0..1_000 {
            let d = check.time_to_unhealthy(&mut rng(seed)).as_secs_f64();
            assert!((60.0..90.0).contains(&d), "seed {seed}: {d}s");
            (lo, hi, sum) = (lo.min(d), hi.max(d), sum + d);
        }
        // 14 of 16 checkers must flip, so the verdict sits near the late end of the window.
        let mean = sum / 1_000.0;
        assert!(
            (80.0..90.0).contains(&mean),
            "mean {mean} (min {lo}, max {hi})"
        );
    }

    #[test]
    fn fast_check_with_threshold_one_decides_within_one_interval() {
        let check = HealthCheckConfig {
            interval: SimDuration::from_secs(10),
            failure_threshold: 1,
            ..HealthCheckConfig::new("x")
        };
        for seed in 0..200 {
            let mut r = rng(seed);
            assert!(check.time_to_unhealthy(&mut r) < SimDuration::from_secs(10));
            assert!(check.time_to_healthy(&mut r) < SimDuration::from_secs(10));
        }
    }

    #[test]
    fn recovery_needs_only_the_quorum_so_it_comes_early_in_the_window() {
        let check = HealthCheckConfig::new("x");
        let mean = (0..1_000)
            .map(|s| check.time_to_healthy(&mut rng(s)).as_secs_f64())
            .sum::<f64>()
            / 1_000.0;
        // 3 of 16 checkers must flip back: the 3rd order statistic of 16 phases, ~5 s into the window.
        assert!((60.0..70.0).contains(&mean), "mean {mean}");
    }

    #[test]
    fn validation_names_field_and_range() {
        let check = HealthCheckConfig {
            interval: SimDuration::from_secs(45),
            failure_threshold: 11,
            ..HealthCheckConfig::new("x")
        };
        assert_eq!(
            messages(check.validate()),
            [
                "health_check.interval is 45s, but must be 10s or 30s",
                "health_check.failure_threshold is 11, but must be 1..=10"
            ]
        );
        let record = RecordConfig::new(RoutingPolicy::Weighted {
            targets: vec![(300, Target::new("a"))],
        });
        assert_eq!(
            messages(record.validate()),
            ["record.weight is 300, but must be 0..=255"]
        );
    }

    fn failover() -> RecordConfig {
        RecordConfig::new(RoutingPolicy::Failover {
            primary: Target::checked("alb-east", "hc-east"),
            secondary: Target::checked("alb-west", "hc-west"),
        })
    }

    fn order(_client: &str, region: &str) -> u32 {
        match region {
            "us-east-1" => 0,
            "us-west-2" => 1,
            _ => 2,
        }
    }

    fn answer_with(record: &RecordConfig, down: &[&str]) -> Vec<(usize, f64)> {
        record.answer(&|c| !down.contains(&c), "us-east-1", &order)
    }

    #[test]
    fn failover_answers_primary_then_secondary_then_fails_open() {
        let r = failover();
        assert_eq!(answer_with(&r, &[]), [(0, 1.0)]);
        assert_eq!(answer_with(&r, &["hc-east"]), [(1, 1.0)]);
        assert_eq!(answer_with(&r, &["hc-east", "hc-west"]), [(0, 1.0)]);
        let unchecked = RecordConfig::new(RoutingPolicy::Failover {
            primary: Target::new("alb-east"),
            secondary: Target::checked("alb-west", "hc-west"),
        });
        assert_eq!(answer_with(&unchecked, &["hc-west"]), [(0, 1.0)]);
    }

    #[test]
    fn latency_picks_the_closest_healthy_region() {
        let r = RecordConfig::new(RoutingPolicy::Latency {
            targets: vec![
                ("us-west-2".into(), Target::checked("w", "hc-w")),
                ("us-east-1".into(), Target::checked("e", "hc-e")),
            ],
        });
        assert_eq!(answer_with(&r, &[]), [(1, 1.0)]);
        assert_eq!(answer_with(&r, &["hc-e"]), [(0, 1.0)]);
        assert_eq!(answer_with(&r, &["hc-e", "hc-w"]), [(1, 1.0)]);
    }

    #[test]
    fn weighted_splits_healthy_targets_by_weight() {
        let r = RecordConfig::new(RoutingPolicy::Weighted {
            targets: vec![
                (3, Target::checked("a", "hc-a")),
                (1, Target::checked("b", "hc-b")),
                (0, Target::checked("c", "hc-c")),
            ],
        });
        assert_eq!(answer_with(&r, &[]), [(0, 0.75), (1, 0.25)]);
        assert_eq!(answer_with(&r, &["hc-a"]), [(1, 1.0)]);
        assert_eq!(answer_with(&r, &["hc-a", "hc-b"]), [(2, 1.0)]);
        assert_eq!(
            answer_with(&r, &["hc-a", "hc-b", "hc-c"]),
            [(0, 0.75), (1, 0.25)]
        );
    }

    #[test]
    fn clients_shift_linearly_over_one_ttl() {
        let ttl = SimDuration::from_secs(60);
        let history = vec![(secs(0), vec![(0, 1.0)]), (secs(100), vec![(1, 1.0)])];
        assert_eq!(client_shares(&history, ttl, secs(100)), [(0, 1.0)]);
        assert_eq!(
            client_shares(&history, ttl, secs(130)),
            [(0, 0.5), (1, 0.5)]
        );
        assert_eq!(
            client_shares(&history, ttl, secs(145)),
            [(0, 0.25), (1, 0.75)]
        );
        assert_eq!(client_shares(&history, ttl, secs(160)), [(1, 1.0)]);
        assert_eq!(
            client_shares(&history, SimDuration::ZERO, secs(100)),
            [(1, 1.0)]
        );
        // Before the first entry, the first answer is assumed to have always held.
        assert_eq!(client_shares(&history, ttl, secs(10)), [(0, 1.0)]);
        assert!(client_shares(&[], ttl, secs(10)).is_empty());
    }

    #[test]
    fn edit_propagation_is_generally_within_60_s() {
        let record = failover();
        let mut r = rng(7);
        let late = (0..10_000)
            .filter(|_| record.edit_propagation(&mut r) > SimDuration::from_secs(60))
            .count();
        assert!(late < 200, "{late} of 10000 edits took over 60 s");
    }

    fn answer_strategy() -> impl Strategy<Value = Vec<(usize, f64)>> {
        prop::collection::vec((0usize..4, 0.01f64..1.0), 1..4).prop_map(|raw| {
            let total: f64 = raw.iter().map(|r| r.1).sum();
            raw.into_iter().map(|(i, s)| (i, s / total)).collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(256)))]

        /// Any threshold and interval: the verdict lands within the last of the `threshold` probe intervals.
        #[test]
        fn verdict_lands_in_the_threshold_window(
            seed in any::<u64>(), threshold in 1u32..=10, fast in any::<bool>(), checkers in 1u32..=32,
        ) {
            let interval = SimDuration::from_secs(if fast { 10 } else { 30 });
            let check = HealthCheckConfig { interval, failure_threshold: threshold, checkers, ..HealthCheckConfig::new("x") };
            let lo = interval.saturating_mul(u64::from(threshold - 1));
            let mut r = rng(seed);
            for d in [check.time_to_unhealthy(&mut r), check.time_to_healthy(&mut r)] {
                prop_assert!(d >= lo && d < lo + interval, "{d} for {threshold} x {interval}");
            }
        }

        /// Shares stay in [0, 1], sum to 1, and are linear within one TTL of a single change.
        #[test]
        fn client_shares_are_a_distribution_and_complete_at_change_plus_ttl(
            changes in prop::collection::vec((0u64..600, answer_strategy()), 1..6),
            ttl_s in 0u64..300, t_s in 0u64..1200,
        ) {
            let mut history: Vec<(SimTime, Vec<(usize, f64)>)> =
                changes.into_iter().map(|(at, a)| (secs(at), a)).collect();
            history.sort_by_key(|h| h.0);
            let ttl = SimDuration::from_secs(ttl_s);
            let shares = client_shares(&history, ttl, secs(t_s));
            let total: f64 = shares.iter().map(|s| s.1).sum();
            prop_assert!((total - 1.0).abs() < 1e-9, "sum {total}");
            prop_assert!(shares.iter().all(|s| (0.0..=1.0).contains(&s.1)));
            let (last_at, last) = history.last().unwrap().clone();
            let settled = client_shares(&history, ttl, last_at + ttl);
            for (i, share) in &last {
                let got = settled.iter().find(|s| s.0 == *i).map_or(0.0, |s| s.1);
                let want = last.iter().filter(|s| s.0 == *i).map(|s| s.1).sum::<f64>();
                prop_assert!((got - want).abs() < 1e-9, "index {i}: {got} vs {want} ({share})");
            }
        }

        /// With every check healthy the answer is a distribution over healthy targets.
        #[test]
        fn answers_are_distributions(weights in prop::collection::vec(0u32..=255, 1..5), down in prop::collection::vec(any::<bool>(), 5)) {
            let targets: Vec<(u32, Target)> = weights.iter().enumerate()
                .map(|(i, &w)| (w, Target::checked(&format!("t{i}"), &format!("hc{i}")))).collect();
            let r = RecordConfig::new(RoutingPolicy::Weighted { targets });
            let healthy = |c: &str| !down[c[2..].parse::<usize>().unwrap()];
            let answer = r.answer(&healthy, "us-east-1", &order);
            let total: f64 = answer.iter().map(|a| a.1).sum();
            prop_assert!((total - 1.0).abs() < 1e-9);
            prop_assert!(answer.iter().all(|a| (0.0..=1.0).contains(&a.1) && a.0 < weights.len()));
        }
    }

    #[test]
    fn scenario_ron_reads_with_defaults() {
        let record: RecordConfig = ron::from_str(
            r#"(policy: Failover(
                primary: (endpoint: "alb-east", health_check: Some("hc-east")),
                secondary: (endpoint: "alb-west"),
            ))"#,
        )
        .unwrap();
        assert_eq!(record, failover_unchecked_secondary());
        let check: HealthCheckConfig =
            ron::from_str(r#"(target: "alb-east", interval: "10s")"#).unwrap();
        assert_eq!((check.failure_threshold, check.checkers), (3, 16));
        assert!(ron::from_str::<HealthCheckConfig>(r#"(target: "x", intervall: "10s")"#).is_err());
    }

    fn failover_unchecked_secondary() -> RecordConfig {
        RecordConfig::new(RoutingPolicy::Failover {
            primary: Target::checked("alb-east", "hc-east"),
            secondary: Target::new("alb-west"),
        })
    }

    #[test]
    fn two_switches_within_one_ttl_blend_all_three_answers() {
        let ttl = SimDuration::from_secs(60);
        let history = vec![
            (secs(0), vec![(0, 1.0)]),
            (secs(100), vec![(1, 1.0)]),
            (secs(120), vec![(0, 0.5), (1, 0.5)]),
        ];
        let shares = client_shares(&history, ttl, secs(150));
        // [90,100): 0; [100,120): 1; [120,150): half each ⇒ 0: (10+15)/60, 1: (20+15)/60.
        let want = [(0, 25.0 / 60.0), (1, 35.0 / 60.0)];
        for (got, want) in shares.iter().zip(want) {
            assert_eq!(got.0, want.0);
            assert!((got.1 - want.1).abs() < 1e-12);
        }
    }
}
