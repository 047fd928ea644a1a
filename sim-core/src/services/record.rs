//! Route 53 records: routing policies and resolver caches (C18). [`RecordConfig::answer`] is what Route 53
//! answers a resolver right now; [`client_shares`] turns the history of answers into the share of clients
//! holding each one, given that resolvers cache an answer for the TTL and their caches expire at uniformly
//! random phases.

use std::collections::BTreeMap;

use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::place::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{Expect, Forward, Placement, Reference, Service};
use crate::services::checks::{ConfigError, Errors};
use crate::services::pricing::{Bill, GLOBAL};
use crate::spec::resources::record::{RecordConfig, RoutingPolicy, Target};
use crate::spec::{FlowConfig, ResourceKind, Scenario};

/// Largest TTL Route 53 accepts (2^31 − 1 seconds).
const MAX_TTL_S: u64 = 2_147_483_647;

/// Largest weight of a weighted record.
const MAX_WEIGHT: u32 = 255;

impl Target {
    fn is_healthy(&self, healthy: &dyn Fn(&str) -> bool) -> bool {
        self.health_check.as_deref().is_none_or(healthy)
    }
}

impl RecordConfig {
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

impl Service for RecordConfig {
    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn references(&self) -> Vec<Reference<'_>> {
        let mut refs: Vec<Reference<'_>> = self
            .targets()
            .iter()
            .map(|t| Reference::routing(&t.endpoint, "endpoint"))
            .collect();
        for check in self
            .targets()
            .iter()
            .filter_map(|t| t.health_check.as_deref())
        {
            refs.push(
                Reference::dependency(check, "health check")
                    .expecting(Expect::Kind(ResourceKind::HealthCheck))
                    .undrawn(),
            );
        }
        refs
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        self.validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, _home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "Record");
        let item = match self.policy {
            RoutingPolicy::Latency { .. } => "million-latency-queries",
            _ => "million-queries",
        };
        let queries = bill.requests_per_month() * bill.assume("dns-queries-per-request");
        let price = bill.price("policy", "route53", GLOBAL, item);
        let what = format!("{:.2} M DNS queries", queries / 1e6);
        bill.add_used(queries, what, queries / 1e6 * price);
    }

    fn forward(&self, flow: &FlowConfig, scenario: &Scenario) -> Forward<'_> {
        Forward::To(steady_answers(self, flow, scenario))
    }
}

/// Where a record sends a flow's clients in steady state (every health check passing).
fn steady_answers<'r>(r: &'r RecordConfig, flow: &FlowConfig, s: &Scenario) -> Vec<(&'r str, f64)> {
    match &r.policy {
        RoutingPolicy::Simple { target } => vec![(target.endpoint.as_str(), 1.0)],
        RoutingPolicy::Failover { primary, .. } => vec![(primary.endpoint.as_str(), 1.0)],
        RoutingPolicy::Latency { targets } => {
            let clients = flow
                .clients
                .as_deref()
                .or_else(|| s.regions.first().map(|r| r.name.as_str()));
            let chosen = targets
                .iter()
                .find(|(region, _)| Some(region.as_str()) == clients)
                .or_else(|| targets.first());
            chosen
                .map(|(_, t)| vec![(t.endpoint.as_str(), 1.0)])
                .unwrap_or_default()
        }
        RoutingPolicy::Weighted { targets } => {
            let total: u32 = targets.iter().map(|(w, _)| w).sum();
            let n = targets.len() as f64;
            targets
                .iter()
                .map(|(w, t)| {
                    let share = if total == 0 {
                        1.0 / n
                    } else {
                        f64::from(*w) / f64::from(total)
                    };
                    (t.endpoint.as_str(), share)
                })
                .collect()
        }
    }
}
