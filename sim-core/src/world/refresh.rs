//! Refreshing after every event: what components observe, each flow's per-answer success (into its
//! timeline), write acceptance on the stores' ledgers, and what watchers see.

use std::collections::BTreeMap;

use crate::engine::Scheduler;
use crate::engine::time::SimDuration;
use crate::model::{CopyId, RegionId, Seen, Served, Watch};
use crate::spec::FlowKind;
use crate::world::routing::Ask;
use crate::world::{Event, World};

/// A DNS answer: `(target index, share)`.
type Answer = Vec<(usize, f64)>;

impl World<'_> {
    /// Re-evaluates everything that depends on state, at the current time.
    pub(crate) fn refresh(&mut self, s: &mut Scheduler<Event>) {
        // 1. What components observe before flows are evaluated: first target levels (load balancers'
        //    health checks, which their own serving reads; CloudFront's origins: since when it has had no
        //    origin to fetch from, for the edge cache), then the rest (records: their answer, logged when it
        //    changes).
        for targets_first in [true, false] {
            for c in 0..self.nodes.comps.len() {
                let Some(watch) = self.nodes.comps[c].observes() else {
                    continue;
                };
                if matches!(watch, Watch::Targets { .. }) == targets_first {
                    let seen = self.seen(c, watch);
                    self.with_comp(c, s, |comp, cx| comp.see(cx, seen));
                }
            }
        }
        // 2. Flows: per-answer success and answer shares into their timelines; write rates per copy.
        let rates = self.refresh_flows(s);
        // 3. Write acceptance: tell each ledger what its writers acknowledge now.
        let keys: Vec<(usize, CopyId)> = self
            .flows
            .accepting
            .keys()
            .chain(rates.keys())
            .copied()
            .collect();
        for key in keys {
            let rate = rates.get(&key).copied().unwrap_or(0.0);
            if self
                .flows
                .accepting
                .get(&key)
                .is_none_or(|&r| r.to_bits() != rate.to_bits())
            {
                self.nodes.stores[key.0]
                    .ledger_mut()
                    .set_acceptance(key.1, self.now, rate);
                self.flows.accepting.insert(key, rate);
            }
        }
        // 4. Watchers (after the flows, so flow alarms see this instant): a change in what they watch
        //    starts a verdict timer.
        for c in 0..self.nodes.comps.len() {
            if let Some(watch) = self.nodes.comps[c].monitors() {
                let seen = self.seen(c, watch);
                self.with_comp(c, s, |comp, cx| comp.see(cx, seen));
            }
        }
    }

    /// What component `c` sees of what it watches.
    fn seen(&self, c: usize, watch: Watch) -> Seen {
        match watch {
            Watch::Node {
                node,
                min_ok,
                error_status_fails,
            } => {
                let status = error_status_fails && self.places.health.status(node).is_some();
                Seen::Good(!status && self.probe(node, SimDuration::MAX).ok >= min_ok)
            }
            Watch::Probe {
                node,
                min_ok,
                timeout,
            } => {
                let status = self.places.health.status(node).is_some();
                Seen::Good(!status && self.probe(node, timeout).ok >= min_ok)
            }
            Watch::Targets { timeout } => {
                let targets = self.nodes.comps[c].targets();
                Seen::Levels(self.with_memo(|memo| {
                    targets
                        .iter()
                        .map(|&t| match self.places.health.status(t) {
                            Some(_) => 0.0,
                            None => self.ok_in(t, Ask::PROBE, timeout, 0, memo).ok,
                        })
                        .collect()
                }))
            }
            Watch::Flow(f) => {
                let slo = self.sc.flows[f].slo;
                let t = self.now.since_start().as_secs_f64();
                Seen::Good(self.flows.list[f].timeline.ratio(t) >= slo)
            }
            Watch::Answer => Seen::Answer(self.answer(c, RegionId(0))),
        }
    }

    /// The current DNS answer of component `c` to clients in `client` (one answer for a non-record).
    fn answer(&self, c: usize, client: RegionId) -> Vec<(usize, f64)> {
        match self.nodes.comps[c].dns() {
            Some(dns) => dns.answer(client, &self.places.catalog, &|node| {
                self.nodes.verdict(node)
            }),
            None => vec![(0, 1.0)],
        }
    }

    /// Records every flow's answer shares and per-answer success now, per client Region; returns the write
    /// rate each `(store, writer copy)` acknowledges.
    fn refresh_flows(&mut self, s: &mut Scheduler<Event>) -> BTreeMap<(usize, CopyId), f64> {
        let now = self.now;
        let t = now.since_start().as_secs_f64();
        let mut rates: BTreeMap<(usize, CopyId), f64> = BTreeMap::new();
        for f in 0..self.flows.list.len() {
            let flow = &self.flows.list[f];
            // Per client Region: its DNS answer and each target's success for its clients (one memo per
            // Region: the answers often share nodes, the store, a CDN origin).
            let per_client: Vec<(Answer, Vec<Served>)> = flow
                .clients
                .iter()
                .map(|&(client, _)| {
                    let answer = match flow.entry_record {
                        Some(c) => self.answer(c, client),
                        None => vec![(0, 1.0)],
                    };
                    let ask = Ask {
                        flow: Some(f),
                        client,
                    };
                    let oks = self.with_memo(|memo| {
                        flow.targets
                            .iter()
                            .map(|&t| self.ok_in(t, ask, flow.timeout, 0, memo))
                            .collect()
                    });
                    (answer, oks)
                })
                .collect();
            let config = &self.sc.flows[flow.index];
            let (ttl, store) = (flow.timeline.ttl, flow.store);
            let flow = &mut self.flows.list[f];
            let mut ramp = false;
            for (c, (answer, oks)) in per_client.iter().enumerate() {
                let weight = flow.clients[c].1;
                for (k, served) in oks.iter().enumerate() {
                    let slot = flow.slot(c, k);
                    let share = weight
                        * answer
                            .iter()
                            .find(|&&(i, _)| i == k)
                            .map_or(0.0, |&(_, sh)| sh);
                    if flow.timeline.answer_share[slot].at(now).to_bits() != share.to_bits() {
                        ramp = true;
                    }
                    flow.timeline.answer_share[slot].set(now, share);
                    flow.timeline.ok[slot].set(now, served.ok);
                }
            }
            if ramp && !ttl.is_zero() {
                s.schedule_in(ttl, Event::Refresh);
            }
            let (FlowKind::Write, Some(k)) = (config.kind, store) else {
                continue;
            };
            for (c, (_, oks)) in per_client.iter().enumerate() {
                for (target, served) in oks.iter().enumerate() {
                    let Some(region) = served.region else {
                        continue;
                    };
                    let share = flow.timeline.client_share(flow.slot(c, target), t);
                    if let Some((copy, _)) =
                        self.nodes.stores[k].write_route(&self.places.health, region)
                    {
                        *rates.entry((k, copy)).or_insert(0.0) +=
                            config.rate_per_s * share * served.ok;
                    }
                }
            }
        }
        rates
    }
}
