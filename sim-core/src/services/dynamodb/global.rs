//! Global tables: which Regions are connected, where writes land and at what rate they are acknowledged,
//! and what happens when two Regions that wrote while apart reconnect (last writer wins, losers counted as
//! overwrites).

use super::*;

/// A pair of replicas out of contact since `since` (MREC), and the writes each side made that the other
/// has not seen: those can collide when contact returns.
#[derive(Debug)]
pub(super) struct Split {
    pub(super) a: usize,
    pub(super) b: usize,
    pub(super) since: SimTime,
    /// Expected unreplicated writes of each side so far.
    pub(super) unseen: [f64; 2],
    /// Each side's acceptance rate (writes/s) since `last`, as read at the last health change.
    pub(super) rate: [f64; 2],
    pub(super) last: SimTime,
}

impl Split {
    /// Accumulates the writes made since the last look and reads the current rates.
    pub(super) fn advance(&mut self, now: SimTime, rate: [f64; 2]) {
        let dt = now.saturating_since(self.last).as_secs_f64();
        for side in 0..2 {
            self.unseen[side] += self.rate[side] * dt;
        }
        self.rate = rate;
        self.last = now;
    }
}

impl DynamoDb {
    /// Whether replica `i` can acknowledge writes: its Region is up and, for MRSC, reaches a majority.
    pub(super) fn accepts(&self, health: &Health, i: usize) -> bool {
        let region = self.replicas[i].region;
        if !health.region_up(region) {
            return false;
        }
        if self.consistency == Consistency::Eventual || self.replicas.len() == 1 {
            return true;
        }
        let voters = self.replicas.iter().map(|r| r.region).chain(self.witness);
        let reached = voters
            .clone()
            .filter(|&v| health.connected(region, v))
            .count();
        reached * 2 > voters.count()
    }

    /// The replica clients in `from` use: the local one if it accepts writes, else the first reachable.
    pub(super) fn route(&self, health: &Health, from: RegionId) -> Option<usize> {
        let local = self.replicas.iter().position(|r| r.region == from);
        local.filter(|&i| self.accepts(health, i)).or_else(|| {
            (0..self.replicas.len()).find(|&i| {
                self.accepts(health, i) && health.connected(from, self.replicas[i].region)
            })
        })
    }

    pub(super) fn split_index(&self, a: usize, b: usize) -> Option<usize> {
        self.splits.iter().position(|s| s.a == a && s.b == b)
    }

    /// MREC: cut off or rejoin every pair of replicas after a health change.
    pub(super) fn reconcile(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        for a in 0..self.replicas.len() {
            for b in a + 1..self.replicas.len() {
                let (ra, rb) = (self.replicas[a].region, self.replicas[b].region);
                let connected = ctx.health.connected(ra, rb);
                match (connected, self.split_index(a, b)) {
                    (false, None) => {
                        // Each side misses what the other acknowledged in its last lag window.
                        let lag_ab = self.lag.sample(&mut self.lag_rng);
                        let lag_ba = self.lag.sample(&mut self.lag_rng);
                        let (ca, cb) = (self.replicas[a].copy, self.replicas[b].copy);
                        self.ledger
                            .release(cb, ca, now.saturating_sub(lag_ab), SimTime::MAX);
                        self.ledger
                            .release(ca, cb, now.saturating_sub(lag_ba), SimTime::MAX);
                        self.last_lag = lag_ab.max(lag_ba);
                        let (na, nb) = (self.catalog.region_name(ra), self.catalog.region_name(rb));
                        ctx.log(&self.name, Phase::Info, || format!(
                            "replicas in {na} and {nb} lose contact; {} of {na}'s writes and {} of {nb}'s not replicated",
                            lag_ab.human(),
                            lag_ba.human()
                        ));
                        let rate = self.rates(ctx.health, a, b);
                        self.splits.push(Split {
                            a,
                            b,
                            since: now,
                            unseen: [
                                rate[0] * lag_ab.as_secs_f64(),
                                rate[1] * lag_ba.as_secs_f64(),
                            ],
                            rate,
                            last: now,
                        });
                    }
                    (true, Some(i)) => {
                        let mut split = self.splits.remove(i);
                        split.advance(now, [0.0; 2]);
                        self.rejoin(ctx, split);
                    }
                    (false, Some(i)) => {
                        let rate = self.rates(ctx.health, a, b);
                        self.splits[i].advance(now, rate);
                    }
                    (true, None) => {}
                }
            }
        }
    }

    /// The acceptance rates of replicas `a` and `b` now; a replica whose Region is down takes none, whatever
    /// the world has not yet told the ledger.
    pub(super) fn rates(&self, health: &Health, a: usize, b: usize) -> [f64; 2] {
        [a, b].map(|i| {
            let r = &self.replicas[i];
            if health.region_up(r.region) {
                self.ledger.acceptance(r.copy)
            } else {
                0.0
            }
        })
    }

    /// Two replicas back in contact: each catches up with the other's own writes, and concurrent writes to
    /// the same items while apart collide (last writer wins).
    pub(super) fn rejoin(&mut self, ctx: &mut Ctx<'_>, split: Split) {
        let (ca, cb) = (self.replicas[split.a].copy, self.replicas[split.b].copy);
        for (to, from) in [(cb, ca), (ca, cb)] {
            for &(s, e) in self.ledger.holdings(from, from).spans() {
                self.ledger.hold(to, from, s, e);
            }
        }
        // A bad write or delete made on one side while apart reaches the other now.
        let newest = [split.a, split.b]
            .map(|i| self.replicas[i].damage)
            .into_iter()
            .flatten()
            .max_by_key(|d| d.at);
        if let Some(d) = newest {
            for i in [split.a, split.b] {
                if self.replicas[i].damage != Some(d) {
                    self.ledger.destroy_before(self.replicas[i].copy, d.at);
                    self.replicas[i].damage = Some(d);
                }
            }
        }
        let apart = ctx.now.saturating_since(split.since);
        let [wa, wb] = split.unseen;
        let items = self.items as f64;
        // An item written on both sides loses the earlier write: about half of the colliding writes.
        let mean = 0.5 * (wa * (1.0 - (-wb / items).exp()) + wb * (1.0 - (-wa / items).exp()));
        let count = match Poisson::new(mean) {
            Ok(p) if mean > 0.0 => {
                let n: f64 = p.sample(&mut self.conflict_rng);
                n as u64
            }
            _ => 0,
        };
        self.ledger.record_overwrites(ctx.now, count);
        let (na, nb) = (
            self.catalog.region_name(self.replicas[split.a].region),
            self.catalog.region_name(self.replicas[split.b].region),
        );
        ctx.log(&self.name, Phase::Info, || format!(
            "replicas in {na} and {nb} back in contact after {}; last writer wins overwrote {count} concurrent writes", apart.human()));
    }
}
