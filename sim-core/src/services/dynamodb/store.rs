//! DynamoDB's table as a `DataStore`: writes, failures and heals, restores, replicas and probes.

use super::*;

impl DataStore for DynamoDb {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        let copies: Vec<CopyId> = self.replicas.iter().map(|r| r.copy).collect();
        for &w in &copies {
            self.ledger.hold(self.archive, w, ctx.now, SimTime::MAX);
            for &c in &copies {
                self.ledger.hold(c, w, ctx.now, SimTime::MAX);
            }
        }
        self.backups.observe(ctx.now, ctx.health);
        self.on_health_change(ctx);
    }

    fn on_health_change(&mut self, ctx: &mut Ctx<'_>) {
        self.backups.observe(ctx.now, ctx.health);
        for (i, r) in self.replicas.iter().enumerate() {
            self.up[i] = ctx.health.region_up(r.region);
        }
        // MRSC acknowledges only writes a majority holds: every acknowledged write survives, nothing to cut.
        if self.consistency == Consistency::Eventual {
            self.reconcile(ctx);
        }
    }

    fn on_wake(&mut self, ctx: &mut Ctx<'_>, token: u32) {
        let Some(job) = self.jobs.take(token) else {
            return;
        };
        match job {
            Job::Restore {
                region,
                restored: (copy, damage),
                ticket,
            } => {
                // The restored table is a new, single-Region table: it is now the only writer. Clients keep
                // the table they use until they are repointed.
                let name = self.catalog.region_name(region).to_string();
                let before = std::mem::replace(
                    &mut self.replicas,
                    vec![Replica {
                        region,
                        copy,
                        damage,
                    }],
                );
                if self.old.is_empty() {
                    self.old = before;
                }
                self.up = vec![ctx.health.region_up(region)];
                self.splits.clear();
                // Re-added replicas make an eventually consistent global table (MRSC needs an empty one).
                self.consistency = Consistency::Eventual;
                self.witness = None;
                self.history.replace(ctx.now, damage);
                self.ledger.hold(copy, copy, ctx.now, SimTime::MAX);
                self.archive = self.ledger.derive(
                    copy,
                    &format!("{} backups from {}", self.name, ctx.now),
                    SimTime::MAX,
                );
                self.ledger.hold(self.archive, copy, ctx.now, SimTime::MAX);
                self.lineage_start = ctx.now;
                self.backups.home = region;
                ctx.log(&self.name, Phase::Recovery, || {
                    format!(
                        "restored table in {name} is active and takes writes: a single-Region table \
                         (re-add replicas with AddReplica), used once clients are repointed to it"
                    )
                });
                ctx.finish(ticket, Ok(()));
            }
            Job::AddReplica { region, ticket } => self.finish_add(ctx, region, ticket),
            Job::Copy {
                region,
                point,
                ticket,
            } => {
                self.backups.copies.push((region, point, ctx.now));
                let text = format!(
                    "backup of {point} now usable in {}",
                    self.catalog.region_name(region)
                );
                ctx.log(&self.name, Phase::Recovery, || text);
                ctx.finish(ticket, Ok(()));
            }
        }
    }

    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction) {
        if let Err(e) = self.begin_action(ctx, ticket, action) {
            ctx.finish(ticket, Err(e));
        }
    }

    fn lose_data(&mut self, ctx: &mut Ctx<'_>, loss: DataLoss) {
        let damage = Damage { at: ctx.now, loss };
        self.history.record(damage);
        // The bad write lands in the first replica that accepts writes and replicates to those in contact
        // (to the others when contact returns). Deleting an eventually consistent global table's replica
        // deletes that replica only; an MRSC table is deleted whole (it cannot lose one replica alone).
        let origin = self.replicas[self.authoritative()].region;
        let alone = loss == DataLoss::Deletion && self.consistency == Consistency::Eventual;
        for r in &mut self.replicas {
            let reached = if alone {
                r.region == origin
            } else {
                ctx.health.connected(origin, r.region)
            };
            if reached {
                self.ledger.destroy_before(r.copy, ctx.now);
                r.damage = Some(damage);
            }
        }
        ctx.log(&self.name, Phase::Disaster, || {
            match loss {
                DataLoss::Corruption => "bad write reaches every replica in contact",
                DataLoss::Deletion => {
                    "a replica of the table is deleted (the whole table if it has no other); its backups remain"
                }
            }
            .to_string()
        });
    }

    fn data_loss(&self, health: &Health, from: RegionId) -> Option<DataLoss> {
        self.reader(health, from)
            .and_then(|r| r.damage)
            .map(|d| d.loss)
    }

    fn read_ok(&self, health: &Health, from: RegionId) -> f64 {
        if self.resource.is_some_and(|r| health.resource_failed(r)) {
            return 0.0;
        }
        if self.reader(health, from).is_some() {
            1.0
        } else {
            0.0
        }
    }

    fn write_route(&self, health: &Health, from: RegionId) -> Option<(CopyId, f64)> {
        if self.resource.is_some_and(|r| health.resource_failed(r)) {
            return None;
        }
        let replica = if self.old.is_empty() {
            self.route(health, from).map(|i| &self.replicas[i])
        } else {
            // The old table as clients left it: its replica here, else one they reach.
            self.reader(health, from)
        };
        // A deleted table takes no writes.
        replica
            .filter(|r| r.damage.is_none_or(|d| d.loss != DataLoss::Deletion))
            .map(|r| (r.copy, 1.0))
    }

    fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    fn settle(&self, until: SimTime, disaster: SimTime, rng: &mut Stream) -> Settlement {
        self.ledger.settle(
            self.replicas[self.authoritative()].copy,
            until,
            disaster,
            rng,
        )
    }

    fn probe(&self, health: &Health, what: Probe) -> Option<f64> {
        let first_up = (0..self.replicas.len()).find(|&i| self.accepts(health, i));
        match what {
            Probe::ReplicaLagS => Some(
                if self.splits.is_empty() {
                    self.lag.mean()
                } else {
                    self.last_lag
                }
                .as_secs_f64(),
            ),
            Probe::WriterRegion => Some(f64::from(self.replicas[first_up.unwrap_or(0)].region.0)),
            Probe::WriterUp => Some(if first_up.is_some() { 1.0 } else { 0.0 }),
        }
    }
}
