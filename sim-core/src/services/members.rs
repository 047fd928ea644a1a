//! The live copies of a single-writer store (writer, synchronous standbys, async replicas) and how its
//! writes, corruptions and cut-offs move through the ledger. RDS, Aurora and S3 share it.
//!
//! **Following.** A member *follows* the writer while it is up and reachable: it then holds exactly what the
//! writer holds (its holdings are mirrored, corruption included) plus everything the writer acknowledges from
//! now on. When it stops following at `F` it releases `[F − lag, MAX)`: `lag` is zero for a synchronous
//! standby and a fresh draw from the member's lag distribution for an async replica (RPO = lag at failure).
//! When it follows again, it catches up by mirroring the writer.
//!
//! **Damage.** Each member knows the bad write or delete in effect on its data (a follower gets the
//! writer's), and the store keeps the writer's [`DamageHistory`]: a restore brings a bad write back exactly
//! when the restored point is after it.
//!
//! **Endpoint.** Clients connect to one member, the *endpoint*: the writer, through failovers and
//! promotions, but not after a restore. A restored instance or cluster is a new one with a new endpoint
//! (RDS API `RestoreDBInstanceFromDBSnapshot`: "creates a new DB instance"); clients keep using the old one
//! until the application is repointed ([`Members::repoint`]).

use crate::engine::dist::Dist;
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, Place, RegionId};
use crate::model::store::DataLoss;
use crate::services::backup::{Damage, DamageHistory, restored_copy};
use crate::services::upload_buffer::UploadBuffer;

/// What a member does with the writer's writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Acknowledges writes.
    Writer,
    /// Holds every acknowledged write (synchronous standby, shared or semi-synchronous storage).
    Sync,
    /// Holds the writer's writes after a lag.
    Async,
    /// No longer part of the store (a replica left behind by a promotion or a restore).
    Detached,
}

/// One live copy.
#[derive(Debug)]
pub(crate) struct Member {
    /// How the log names it by place (`"instance in us-east-1b"`), so the name stays true when roles change.
    pub label: String,
    pub copy: CopyId,
    pub place: Place,
    pub role: Role,
    lag: Dist,
    lag_rng: Stream,
    pub following: bool,
    /// The lag drawn when it was last cut off (zero while following).
    pub last_lag: SimDuration,
    /// The bad write or delete in effect on its data, if any.
    pub damage: Option<Damage>,
    /// An upload buffer its writes wait in (a Storage Gateway's copy in S3), adding to its lag.
    pub buffer: Option<UploadBuffer>,
    /// While set, it does not follow the writer even when reachable: its initial copy or resync is still
    /// running (a replica being created, an old primary being re-added as a secondary).
    pub syncing: bool,
}

/// The members of one store, its ledger, and the log archive that backs point-in-time restores.
#[derive(Debug)]
pub(crate) struct Members {
    pub ledger: Ledger,
    pub list: Vec<Member>,
    /// Index of the writer in `list`.
    pub writer: usize,
    /// Every copy that has ever acknowledged writes (mirroring walks them all).
    writers: Vec<CopyId>,
    /// The transaction-log archive of the current lineage: holds every acknowledged write, never corrupted.
    pub archive: CopyId,
    /// When the current lineage began (the store's start, a promotion, a restore).
    pub lineage_start: SimTime,
    /// What bad writes and deletes did to the writer's data over time (what restores bring back).
    pub history: DamageHistory,
    /// Index in `list` of the member clients use (see the module docs).
    pub endpoint: usize,
    /// Since when the writer has been down, as of the last reconcile: its logs stop shipping then.
    pub writer_down_since: Option<SimTime>,
    /// The member whose instance has failed outright (a resource failure), if any.
    pub failed: Option<usize>,
    /// The old writer a cross-Region promotion left behind, while the application in its Region is still
    /// configured with its endpoint: writes from that Region go to it (see [`Members::write_route`]).
    pub left_behind: Option<usize>,
}

/// What changed when members were reconciled with health, for the store to log.
pub(crate) enum Change {
    /// Member `i` was cut off from the writer with this lag.
    CutOff(usize, SimDuration),
    /// Member `i` follows the writer again.
    CaughtUp(usize),
}

impl Members {
    /// A store whose writer is `writer_label` at `place`; the archive is named after the store.
    pub fn new(store: &str, writer_label: &str, place: Place, rng: Stream) -> Members {
        let mut ledger = Ledger::new();
        let copy = ledger.add_copy(writer_label);
        let archive = ledger.add_copy(&format!("{store} log archive"));
        Members {
            ledger,
            list: vec![Member {
                label: writer_label.to_string(),
                copy,
                place,
                role: Role::Writer,
                lag: Dist::Fixed(SimDuration::ZERO),
                lag_rng: rng,
                following: true,
                last_lag: SimDuration::ZERO,
                damage: None,
                buffer: None,
                syncing: false,
            }],
            writer: 0,
            writers: vec![copy],
            archive,
            lineage_start: SimTime::ZERO,
            history: DamageHistory::default(),
            endpoint: 0,
            writer_down_since: None,
            failed: None,
            left_behind: None,
        }
    }

    /// Adds a standby (`Role::Sync`) or replica (`Role::Async` with `lag`); returns its index.
    pub fn add(&mut self, label: &str, place: Place, role: Role, lag: Dist, rng: Stream) -> usize {
        let copy = self.ledger.add_copy(label);
        self.list.push(Member {
            label: label.to_string(),
            copy,
            place,
            role,
            lag,
            lag_rng: rng,
            following: false,
            last_lag: SimDuration::ZERO,
            damage: None,
            buffer: None,
            syncing: false,
        });
        self.list.len() - 1
    }

    /// The writer.
    pub fn writer(&self) -> &Member {
        &self.list[self.writer]
    }

    /// The writer's Region.
    pub fn writer_region(&self) -> RegionId {
        self.writer().place.region
    }

    /// Time zero: the writer holds its own writes, the archive and every reachable member follow.
    pub fn start(&mut self, now: SimTime, health: &Health) {
        let w = self.writer().copy;
        self.ledger.hold(w, w, now, SimTime::MAX);
        self.ledger.hold(self.archive, w, now, SimTime::MAX);
        for i in 0..self.list.len() {
            if i != self.writer && self.reachable(i, health) {
                self.ledger.hold(self.list[i].copy, w, now, SimTime::MAX);
                self.list[i].following = true;
            }
        }
    }

    /// Whether member `i` is up: its place is up and its instance has not failed.
    pub fn is_up(&self, i: usize, health: &Health) -> bool {
        health.place_up(self.list[i].place) && self.failed != Some(i)
    }

    /// Whether member `i` can receive the writer's writes now.
    fn reachable(&self, i: usize, health: &Health) -> bool {
        let (m, w) = (&self.list[i], self.writer());
        matches!(m.role, Role::Sync | Role::Async)
            && !m.syncing
            && self.is_up(i, health)
            && self.is_up(self.writer, health)
            && health.connected(w.place.region, m.place.region)
    }

    /// Cuts off or reattaches members after a health change; returns what changed.
    pub fn reconcile(&mut self, now: SimTime, health: &Health) -> Vec<Change> {
        let mut changes = Vec::new();
        if self.is_up(self.writer, health) {
            self.writer_down_since = None;
        } else if self.writer_down_since.is_none() {
            self.writer_down_since = Some(now);
        }
        for i in 0..self.list.len() {
            if i == self.writer {
                continue;
            }
            let reachable = self.reachable(i, health);
            if self.list[i].following && !reachable {
                let lag = self.cut(i, now);
                changes.push(Change::CutOff(i, lag));
            } else if !self.list[i].following && reachable {
                self.mirror(i);
                self.list[i].following = true;
                self.list[i].last_lag = SimDuration::ZERO;
                changes.push(Change::CaughtUp(i));
            }
        }
        changes
    }

    /// Member `i` stops following at `now`: it releases the writes it had not yet received.
    pub fn cut(&mut self, i: usize, now: SimTime) -> SimDuration {
        let member = &mut self.list[i];
        let lag = match member.role {
            Role::Async => {
                let behind = member.buffer.as_ref().map(|b| b.behind(now));
                member.lag.sample(&mut member.lag_rng) + behind.unwrap_or(SimDuration::ZERO)
            }
            _ => SimDuration::ZERO,
        };
        member.following = false;
        member.last_lag = lag;
        let (copy, from) = (member.copy, now.saturating_sub(lag));
        for &w in &self.writers {
            self.ledger.release(copy, w, from, SimTime::MAX);
        }
        lag
    }

    /// Member `i` catches up: it holds exactly what the writer holds, corruption included.
    fn mirror(&mut self, i: usize) {
        let (copy, writer) = (self.list[i].copy, self.writer().copy);
        self.list[i].damage = self.writer().damage;
        for &w in &self.writers {
            self.ledger.release(copy, w, SimTime::ZERO, SimTime::MAX);
            for &(s, e) in self.ledger.holdings(writer, w).spans() {
                self.ledger.hold(copy, w, s, e);
            }
        }
    }

    /// Member `i` takes over as writer at `now` within the same lineage (a Multi-AZ failover): it already
    /// holds the old writer's writes; the old writer becomes a standby of the same role `i` had.
    pub fn hand_over(&mut self, i: usize, now: SimTime, health: &Health) -> Vec<Change> {
        let old = self.writer;
        let (role, lag) = (self.list[i].role, self.list[i].lag.clone());
        self.list[old].role = role;
        self.list[old].lag = lag;
        self.list[old].following = false;
        self.list[i].role = Role::Writer;
        self.list[i].following = true;
        if self.endpoint == old {
            // The same endpoint: a Multi-AZ failover flips its DNS name to the standby.
            self.endpoint = i;
        }
        self.writer = i;
        if self
            .left_behind
            .is_some_and(|b| self.list[b].place.region == self.list[i].place.region)
        {
            self.left_behind = None;
        }
        self.start_writing(now);
        // The old writer rejoins as a standby when it is back (reconcile mirrors it then); replicas cut
        // off while the writer was down catch up from the new one.
        self.reconcile(now, health)
    }

    /// The current writer starts acknowledging its own writes at `now`; followers and the archive take them.
    fn start_writing(&mut self, now: SimTime) {
        let w = self.writer().copy;
        if !self.writers.contains(&w) {
            self.writers.push(w);
        }
        self.ledger.hold(w, w, now, SimTime::MAX);
        self.ledger.hold(self.archive, w, now, SimTime::MAX);
        for i in 0..self.list.len() {
            if i != self.writer && self.list[i].following {
                self.ledger.hold(self.list[i].copy, w, now, SimTime::MAX);
            }
        }
    }

    /// Member `i` becomes the writer at `now` with what it holds (a promoted replica, an unplanned global
    /// failover): a new lineage begins and a new log archive starts from what `i` holds. With `detach`,
    /// every other member is left behind (RDS promotion, Aurora detach-and-promote); without it they
    /// resynchronise from the new writer and the old writer becomes a replica with `i`'s lag.
    pub fn promote(&mut self, i: usize, now: SimTime, store: &str, detach: bool) {
        if self.list[i].following {
            let _ = self.cut(i, now);
        }
        let (old, lag) = (self.writer, self.list[i].lag.clone());
        for (j, m) in self.list.iter_mut().enumerate() {
            if j == i {
                continue;
            }
            m.following = false;
            if detach {
                m.role = Role::Detached;
            } else if j == old {
                m.role = Role::Async;
                m.lag = lag.clone();
            }
        }
        self.list[i].role = Role::Writer;
        self.list[i].following = true;
        self.writer = i;
        // The application in the old writer's Region keeps its endpoint (nothing reconfigured it); back in
        // the Region the writer left, the application uses its own copy again.
        if self.list[old].place.region != self.list[i].place.region {
            self.left_behind = Some(old);
        }
        if self
            .left_behind
            .is_some_and(|b| self.list[b].place.region == self.list[i].place.region)
        {
            self.left_behind = None;
        }
        // Simplification (docs/calibration.md): clients reach a promoted replica without a repoint.
        self.endpoint = i;
        self.history.replace(now, self.list[i].damage);
        self.new_lineage(now, store);
    }

    /// A restored copy carrying `damage` joins as the standalone writer of a new lineage at `now`. Clients
    /// keep using the old endpoint until [`Members::repoint`].
    pub fn install_restored(
        &mut self,
        restored: (CopyId, Option<Damage>),
        label: &str,
        place: Place,
        now: SimTime,
        store: &str,
    ) {
        let (copy, damage) = restored;
        for m in &mut self.list {
            m.role = Role::Detached;
            m.following = false;
        }
        self.list.push(Member {
            label: label.to_string(),
            copy,
            place,
            role: Role::Writer,
            lag: Dist::Fixed(SimDuration::ZERO),
            lag_rng: self.list[0].lag_rng.clone(),
            following: true,
            last_lag: SimDuration::ZERO,
            damage,
            buffer: None,
            syncing: false,
        });
        self.writer = self.list.len() - 1;
        self.history.replace(now, damage);
        self.new_lineage(now, store);
    }

    /// The application now uses the writer's endpoint; fails when it already does (nothing restored since
    /// the last repoint).
    pub fn repoint(&mut self) -> Result<(), String> {
        if self.left_behind.take().is_some() {
            self.endpoint = self.writer;
            return Ok(());
        }
        if self.endpoint == self.writer {
            return Err(
                "clients already use the writer: no restored copy with a new endpoint".into(),
            );
        }
        self.endpoint = self.writer;
        Ok(())
    }

    /// The member clients use.
    pub fn endpoint(&self) -> &Member {
        &self.list[self.endpoint]
    }

    /// Whether clients use the writer (not an old instance left by a restore).
    pub fn endpoint_is_writer(&self) -> bool {
        self.endpoint == self.writer
    }

    /// What clients find in the data of the member they use.
    pub fn data_loss(&self) -> Option<DataLoss> {
        self.endpoint().damage.map(|d| d.loss)
    }

    fn new_lineage(&mut self, now: SimTime, store: &str) {
        let w = self.writer().copy;
        let name = format!("{store} log archive from {now}");
        self.archive = self.ledger.derive(w, &name, SimTime::MAX);
        self.lineage_start = now;
        self.writer_down_since = None;
        self.start_writing(now);
    }

    /// A bad write at `now` reaches the writer and every member following it; a delete only the writer and
    /// its synchronous standbys (the instance or cluster deleted): async replicas keep their data (RDS
    /// promotes the read replicas of a deleted source; S3 does not replicate delete markers by default).
    /// The archive keeps the history (that is what point-in-time restore replays).
    pub fn corrupt(&mut self, now: SimTime, loss: DataLoss) {
        let damage = Damage { at: now, loss };
        self.history.record(damage);
        for m in &mut self.list {
            let reached = match loss {
                DataLoss::Corruption => m.following,
                DataLoss::Deletion => m.following && m.role == Role::Sync,
            };
            if m.role == Role::Writer || reached {
                self.ledger.destroy_before(m.copy, now);
                m.damage = Some(damage);
            }
        }
    }

    /// The most recent bad write or delete at or before `t`.
    pub fn corruption_before(&self, t: SimTime) -> Option<SimTime> {
        self.history.last_bad(t)
    }

    /// When the writer's data was deleted, if it is gone now.
    pub fn deleted(&self, now: SimTime) -> Option<SimTime> {
        self.history.deleted(now)
    }

    /// A new copy holding the data as the writer had it at `point`, and the damage it carries: a snapshot
    /// or restore of a point after a bad write contains it; a point after a delete restores the data as it
    /// was just before the delete.
    pub fn copy_at(&mut self, point: SimTime, label: &str) -> (CopyId, Option<Damage>) {
        restored_copy(&mut self.ledger, self.archive, &self.history, point, label)
    }

    /// Settles the ledger judged by the writer (the last writer if none is up).
    pub fn settle(&self, until: SimTime, disaster: SimTime, rng: &mut Stream) -> Settlement {
        self.ledger.settle(self.writer().copy, until, disaster, rng)
    }

    /// Writes from `from` land on the member clients use when it is up (`endpoint_up`) and reachable; a
    /// deleted database takes none.
    pub fn write_route(
        &self,
        health: &Health,
        from: RegionId,
        endpoint_up: bool,
    ) -> Option<(CopyId, f64)> {
        if let Some(b) = self.stale_in(from) {
            // The application in a Region the writer left still uses its old endpoint: a detached copy (a
            // promoted replica's old source, a detached Aurora primary) takes the writes — split brain, lost
            // to the writer's lineage —; a re-added secondary is read-only and refuses them.
            let m = &self.list[b];
            return (m.role == Role::Detached
                && self.is_up(b, health)
                && m.damage.map(|d| d.loss) != Some(DataLoss::Deletion))
            .then_some((m.copy, 1.0));
        }
        let e = self.endpoint();
        (endpoint_up
            && health.connected(from, e.place.region)
            && self.data_loss() != Some(DataLoss::Deletion))
        .then_some((e.copy, 1.0))
    }

    /// The old writer clients in `from` still use, if a cross-Region promotion left one there and the
    /// writer is elsewhere.
    pub fn stale_in(&self, from: RegionId) -> Option<usize> {
        self.left_behind.filter(|&b| {
            b != self.writer && self.list[b].place.region == from && self.writer_region() != from
        })
    }

    /// Whether the writer's data has a current copy outside the writer's Region now: a standby or replica
    /// elsewhere that follows it. `None` while the writer is down (that is downtime, not exposure).
    pub fn protected(&self, health: &Health) -> Option<bool> {
        if !self.is_up(self.writer, health) {
            return None;
        }
        let region = self.writer_region();
        Some(self.list.iter().enumerate().any(|(j, m)| {
            j != self.writer
                && matches!(m.role, Role::Sync | Role::Async)
                && m.following
                && m.place.region != region
        }))
    }

    /// The member index in Region `region` that could be promoted (a replica).
    pub fn replica_in(&self, region: RegionId) -> Option<usize> {
        self.list
            .iter()
            .position(|m| m.role == Role::Async && m.place.region == region)
    }

    /// The largest lag of a replica currently cut off, else the typical lag (mean) of the first replica.
    pub fn replica_lag(&self) -> Option<SimDuration> {
        let replicas = self.list.iter().filter(|m| m.role == Role::Async);
        replicas
            .clone()
            .filter(|m| !m.following)
            .map(|m| m.last_lag)
            .max()
            .or_else(|| replicas.map(|m| m.lag.mean()).next())
    }
}
