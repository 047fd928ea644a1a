//! Route 53 records: routing policies and resolver caches (C18). [`RecordConfig::answer`] is what Route 53
//! answers a resolver right now; [`client_shares`] turns the history of answers into the share of clients
//! holding each one, given that resolvers cache an answer for the TTL and their caches expire at uniformly
//! random phases.

use std::collections::BTreeMap;

use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::action::ActionError;
use crate::model::component::{Begun, Component, ComponentAction, Dns, Route, Seen, Served, Watch};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::place::RegionId;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Expect, Forward, Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors};
use crate::services::control_plane::global_edits_blocked;
use crate::services::pricing::{Bill, GLOBAL};
use crate::spec::RunbookConfig;
use crate::spec::resources::record::{FailbackMode, RecordConfig, RoutingPolicy, Target};
use crate::spec::runbook::{Action, State};
use crate::spec::{FlowConfig, Scenario};

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
        // Called for every flow and watcher on every refresh: no scratch allocations here.
        let target = |i: usize| -> &Target {
            match &self.policy {
                RoutingPolicy::Simple { target } => target,
                RoutingPolicy::Failover { primary, secondary } => {
                    if i == 0 {
                        primary
                    } else {
                        secondary
                    }
                }
                RoutingPolicy::Latency { targets } => &targets[i].1,
                RoutingPolicy::Weighted { targets } => &targets[i].1,
            }
        };
        let up = |i: usize| target(i).is_healthy(healthy);
        match &self.policy {
            RoutingPolicy::Simple { .. } => vec![(0, 1.0)],
            RoutingPolicy::Failover { .. } => vec![(if up(0) || !up(1) { 0 } else { 1 }, 1.0)],
            RoutingPolicy::Latency { targets } => {
                // Route 53 fails open: with nothing healthy it answers as if everything were.
                let any_up = (0..targets.len()).any(up);
                (0..targets.len())
                    .filter(|&i| !any_up || up(i))
                    .min_by_key(|&i| (region_order(client_region, &targets[i].0), i))
                    .map(|i| vec![(i, 1.0)])
                    .unwrap_or_default()
            }
            RoutingPolicy::Weighted { targets } => {
                let any_up = (0..targets.len()).any(up);
                let candidate = |i: &usize| !any_up || up(*i);
                let total: u64 = (0..targets.len())
                    .filter(candidate)
                    .map(|i| u64::from(targets[i].0))
                    .sum();
                if total == 0 {
                    // Zero-weight records answer only when no weighted one can, then with equal odds.
                    let count = (0..targets.len()).filter(candidate).count();
                    let share = 1.0 / count as f64;
                    (0..targets.len())
                        .filter(candidate)
                        .map(|i| (i, share))
                        .collect()
                } else {
                    (0..targets.len())
                        .filter(|i| candidate(i) && targets[*i].0 > 0)
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
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        let mut target_names: Vec<&'s str> =
            self.targets().iter().map(|t| t.endpoint.as_str()).collect();
        let mut targets: Vec<u16> = target_names
            .iter()
            .map(|t| cx.index_of(t, "endpoint"))
            .collect::<Result<_, _>>()?;
        // Endpoints a runbook may point this record at become extra (never answered) targets, so flows
        // entering here track them from the start.
        for book in &cx.scenario.runbooks {
            for endpoint in dns_edits(book, cx.name) {
                let t = (cx.resolve)(endpoint).ok_or_else(|| BuildError::Unknown {
                    what: "endpoint",
                    name: endpoint.to_string(),
                    referenced_by: format!("runbook {:?}", book.name),
                })?;
                if !targets.contains(&t) {
                    targets.push(t);
                    target_names.push(endpoint);
                }
            }
        }
        let checks = self
            .targets()
            .iter()
            .filter_map(|t| t.health_check.as_deref())
            .filter_map(|check| (cx.resolve)(check).map(|node| (check, node)))
            .collect();
        Ok(Runtime::Component(Box::new(Record {
            name: cx.name,
            cfg: self,
            targets,
            target_names,
            checks,
            pinned: None,
            answer: Vec::new(),
            rng: StreamName::resource(cx.name).stream(cx.streams),
        })))
    }

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
                    .expecting(Expect::Verdict)
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
            // Each client Region's share goes to its own Region's target (the first target otherwise).
            let first = s.regions.first().map_or("", |r| r.name.as_str());
            let mut clients = flow.client_shares();
            if clients.is_empty() {
                clients.push((first, 1.0));
            }
            let mut out: Vec<(&str, f64)> = Vec::new();
            for (region, share) in clients {
                let chosen = targets
                    .iter()
                    .find(|(r, _)| r == region)
                    .or_else(|| targets.first());
                if let Some((_, t)) = chosen {
                    match out.iter_mut().find(|(e, _)| *e == t.endpoint) {
                        Some(entry) => entry.1 += share,
                        None => out.push((t.endpoint.as_str(), share)),
                    }
                }
            }
            out
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

/// A record at run time: its targets (endpoints a runbook may point it at included), the health checks
/// guarding them, a manual pin, and its last answer (logged when it changes).
pub struct Record<'s> {
    name: &'s str,
    cfg: &'s RecordConfig,
    targets: Vec<u16>,
    target_names: Vec<&'s str>,
    checks: Vec<(&'s str, u16)>,
    pinned: Option<usize>,
    answer: Vec<(usize, f64)>,
    rng: Stream,
}

/// Route 53's latency ranking as drsim models it: the client's own Region first, then Regions in
/// scenario order.
fn region_order(catalog: &Catalog, client: &str, region: &str) -> u32 {
    if client == region {
        0
    } else {
        1 + catalog.region(region).map_or(64, |r| u32::from(r.0))
    }
}

impl Dns for Record<'_> {
    fn targets(&self) -> &[u16] {
        &self.targets
    }

    fn ttl(&self) -> SimDuration {
        self.cfg.ttl
    }

    fn answer(
        &self,
        client: RegionId,
        catalog: &Catalog,
        verdict: &dyn Fn(u16) -> bool,
    ) -> Vec<(usize, f64)> {
        if let Some(k) = self.pinned {
            return vec![(k, 1.0)];
        }
        let healthy = |check: &str| {
            self.checks
                .iter()
                .find(|(name, _)| *name == check)
                .is_none_or(|&(_, node)| verdict(node))
        };
        let client_name = catalog.region_name(client);
        self.cfg
            .answer(&healthy, client_name, &|c, r| region_order(catalog, c, r))
    }
}

impl Component for Record<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        let client = route.client();
        let answer = self.answer(client, route.catalog(), &|node| route.verdict(node));
        let mut total = 0.0;
        let mut best: Option<(f64, RegionId)> = None;
        for (k, share) in answer {
            let Served { ok, region } = route.next(self.targets[k]);
            total += share * ok;
            if let Some(r) = region.filter(|_| best.is_none_or(|(s, _)| share > s)) {
                best = Some((share, r));
            }
        }
        Served {
            ok: total,
            region: best.map(|(_, r)| r),
        }
    }

    fn observes(&self) -> Option<Watch> {
        Some(Watch::Answer)
    }

    fn see(&mut self, cx: &mut Ctx<'_>, seen: Seen) {
        let Seen::Answer(answer) = seen else { return };
        let failed_over = self.answer == [(0, 1.0)] && answer == [(1, 1.0)];
        if failed_over
            && self.pinned.is_none()
            && self.cfg.failback == FailbackMode::Manual
            && matches!(self.cfg.policy, RoutingPolicy::Failover { .. })
        {
            // Manual failback: the record stays on the secondary until an operator edits it back.
            self.pinned = Some(1);
            cx.log(self.name, Phase::Info, || {
                "failback is manual: the record keeps answering the secondary until a runbook edits it back"
                    .to_string()
            });
        }
        if !self.answer.is_empty() && self.answer != answer {
            let names: Vec<&str> = answer.iter().map(|&(k, _)| self.target_names[k]).collect();
            let (ttl, until) = (self.cfg.ttl, cx.now + self.cfg.ttl);
            cx.log(self.name, Phase::Propagation, || {
                let shift = if ttl.is_zero() {
                    "; clients follow at once (TTL 0)".to_string()
                } else {
                    format!(
                        "; clients follow as resolvers' cached answers expire, over one TTL ({}, until {})",
                        ttl.human(),
                        until
                    )
                };
                format!("Route 53 now answers {}{shift}", names.join(" + "))
            });
        }
        self.answer = answer;
    }

    fn begin(
        &mut self,
        cx: &mut Ctx<'_>,
        action: ComponentAction<'_>,
    ) -> Result<Begun, ActionError> {
        let ComponentAction::UpdateDns { target, name } = action else {
            return Err(ActionError::Unsupported("not an action of a record".into()));
        };
        if let Some(r) = global_edits_blocked(cx) {
            return Err(ActionError::ControlPlaneDown(r));
        }
        let Some(k) = self.targets.iter().position(|&t| Some(t) == target) else {
            return Err(ActionError::NotApplicable(format!("no endpoint {name:?}")));
        };
        // Route 53 refuses an alias to a target that does not exist (InvalidChangeBatch), and a resource
        // that does not exist has no address either: an endpoint a stack creates can be answered only once
        // the stack is complete.
        if !cx.exists(self.targets[k]) {
            return Err(ActionError::NotApplicable(format!(
                "Route 53 refuses an alias to {name:?}: it does not exist yet (InvalidChangeBatch; the \
                 stack that creates it has not completed)"
            )));
        }
        let took = self.cfg.edit_propagation(&mut self.rng);
        let record = self.name;
        cx.log(record, Phase::Propagation, || {
            format!(
                "record {record} edited to answer {name} (propagates in {})",
                took.human()
            )
        });
        Ok(Begun::After {
            delay: took,
            token: k as u32,
        })
    }

    fn complete(&mut self, _cx: &mut Ctx<'_>, token: u32) {
        self.pinned = Some(token as usize);
    }

    fn dns(&self) -> Option<&dyn Dns> {
        Some(self)
    }
}

/// The endpoints runbook `book` may point record `record` at (`UpdateDns` tasks, branches included).
fn dns_edits<'a>(book: &'a RunbookConfig, record: &str) -> Vec<&'a str> {
    fn walk<'a>(
        states: &'a std::collections::BTreeMap<String, State>,
        record: &str,
        out: &mut Vec<&'a str>,
    ) {
        for state in states.values() {
            match state {
                State::Task {
                    action: Action::UpdateDns { record: r, target },
                    ..
                } if r == record => out.push(target),
                State::Parallel { branches, .. } => {
                    for b in branches {
                        walk(&b.states, record, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&book.states, record, &mut out);
    out
}
