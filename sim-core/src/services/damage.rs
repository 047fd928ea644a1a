//! What bad writes and deletes did to a store's data over time, and the copy a restore of an instant
//! makes from it: a restored point brings back the bad write in effect then.

use crate::engine::time::SimTime;
use crate::model::ledger::{CopyId, Ledger};
use crate::model::store::DataLoss;

/// A bad write or delete in effect on a copy of a store's data: what it did and when it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Damage {
    /// When the bad write or delete happened.
    pub at: SimTime,
    /// What it did.
    pub loss: DataLoss,
}

/// What bad writes and deletes did to a store's data over time, so that a restore knows what it brings
/// back. Shared by the single-writer stores (`members.rs`) and DynamoDB.
///
/// It is a step function: the damage the writer's data carried at each instant. A bad write starts a step;
/// so does a restore or promotion, when the writer's data becomes another copy's (carrying whatever that
/// copy carried). Its size follows the run's bad writes and restores, not its horizon.
#[derive(Clone, Debug, Default)]
pub(crate) struct DamageHistory {
    /// `(from, damage)`, oldest first: just after `from`, the writer's data carried `damage`.
    steps: Vec<(SimTime, Option<Damage>)>,
    /// The instant of every bad write or delete, oldest first.
    bad: Vec<SimTime>,
}

impl DamageHistory {
    /// A bad write or delete reached the writer.
    pub fn record(&mut self, damage: Damage) {
        self.steps.push((damage.at, Some(damage)));
        self.bad.push(damage.at);
    }

    /// From `now` on, the writer's data is another copy's, carrying `damage` (a restore, a promotion).
    pub fn replace(&mut self, now: SimTime, damage: Option<Damage>) {
        self.steps.push((now, damage));
    }

    /// The damage the writer's data carried at `t`, before anything that happened at `t` itself (a
    /// restore to the instant of a bad write is the state just before it).
    pub fn at(&self, t: SimTime) -> Option<Damage> {
        self.steps
            .iter()
            .rev()
            .find(|&&(from, _)| from < t)
            .and_then(|&(_, damage)| damage)
    }

    /// The latest bad write or delete at or before `t`: what a restore `BeforeCorruption` goes back before.
    pub fn last_bad(&self, t: SimTime) -> Option<SimTime> {
        self.bad.iter().rev().copied().find(|&c| c <= t)
    }

    /// When the writer's data was deleted, if it is deleted now (as of `now`).
    pub fn deleted(&self, now: SimTime) -> Option<SimTime> {
        match self.steps.last() {
            Some(&(from, Some(d))) if d.loss == DataLoss::Deletion && from <= now => Some(d.at),
            _ => None,
        }
    }

    /// What a restore of the instant `point` brings back: the instant actually restored and the damage it
    /// carries. A deleted store's data ends at its deletion (its backups and logs survive it; see
    /// `docs/calibration.md`), so a point after a delete restores the data as it was just before it.
    pub fn restorable(&self, point: SimTime) -> (SimTime, Option<Damage>) {
        let mut point = point;
        // Each round moves strictly back past one delete: at most one round per step.
        for _ in 0..=self.steps.len() {
            match self.at(point) {
                Some(Damage {
                    at,
                    loss: DataLoss::Deletion,
                }) => point = at,
                damage => return (point, damage),
            }
        }
        (point, None)
    }
}

/// A new copy in `ledger` holding the store's data as it was at `point`: `archive` (every acknowledged
/// write, never damaged) up to the instant restorable there, with the bad write in effect then applied.
/// Returns the copy, the instant restored and the damage it carries.
pub(crate) fn restored_copy(
    ledger: &mut Ledger,
    archive: CopyId,
    history: &DamageHistory,
    point: SimTime,
    label: &str,
) -> (CopyId, Option<Damage>) {
    let (point, damage) = history.restorable(point);
    let copy = ledger.derive(archive, label, point);
    if let Some(d) = damage {
        ledger.destroy_before(copy, d.at);
    }
    (copy, damage)
}
