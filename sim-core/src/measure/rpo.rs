//! A store's data loss from its settled ledger: the data-loss window (the RPO budgets check), the
//! pre-onset RPO, and which disaster each stretch of lost writes is attributed to.
//!
//! **Window.** The length of the union, over the ledger's [`LostStretch`]es, of `[oldest lost write, end
//! of the stretch)`: every acknowledgement time whose writes were lost, whether before the onset (an async
//! replica's lag, writes after the last backup) or after it (writes acknowledged on corrupt data and undone
//! by the restore, last-writer-wins overwrites while a partition lasted).
//!
//! **Attribution.** A stretch starts where the copies stopped holding the writes (a replica cut off `lag`
//! before the failure, the point a restore goes back to, the moment two global-table replicas lost
//! contact), so it belongs to the first disaster whose onset is at or after its start; a stretch that
//! starts after every onset belongs to the last one. Overwrites are recorded when a partition heals, but
//! their stretch starts when it began: they go to the partition, not to a later Region outage.
//!
//! **Not determined.** When the store is not back in service at the horizon, the copy that will end up
//! authoritative is not known yet (the writer may be in a failed Region; corrupt data may still be
//! restored), so neither figure is made up: both are `None`.

use crate::engine::time::{SimDuration, SimTime};
use crate::measure::result::{Loss, StoreResult};
use crate::model::ledger::{LossKind, LostStretch, Settlement, union_length};
use crate::spec::Scenario;

/// The disaster (scenario index) a stretch starting at `start` is attributed to, given the sorted
/// `(onset, index)` of the disasters that began.
pub fn attribute(start: SimTime, onsets: &[(SimTime, usize)]) -> Option<(SimTime, usize)> {
    onsets
        .iter()
        .find(|&&(o, _)| o >= start)
        .or_else(|| onsets.last())
        .copied()
}

/// Store `name`'s measurement from its settlement; `determined` says whether it was back in service at
/// the horizon.
pub fn store_result(
    name: String,
    settled: &Settlement,
    onsets: &[(SimTime, usize)],
    scenario: &Scenario,
    determined: bool,
) -> StoreResult {
    let pre_onset = settled.oldest_lost.map_or(SimDuration::ZERO, |oldest| {
        onsets
            .iter()
            .find(|&&(o, _)| o >= oldest)
            .map_or(SimDuration::ZERO, |&(o, _)| o.saturating_since(oldest))
    });
    let losses = if determined {
        losses(&settled.stretches, onsets, scenario)
    } else {
        Vec::new()
    };
    StoreResult {
        name,
        rpo: determined.then_some(settled.window),
        pre_onset_rpo: determined.then_some(pre_onset),
        acknowledged: settled.acknowledged,
        surviving: settled.surviving,
        lost: settled.lost,
        overwritten: settled.overwritten,
        losses,
        authoritative: settled.authoritative.clone(),
        exposure: None,
    }
}

/// The stretches grouped by the disaster they are attributed to, in onset order.
fn losses(
    stretches: &[LostStretch],
    onsets: &[(SimTime, usize)],
    scenario: &Scenario,
) -> Vec<Loss> {
    // `(the disaster's onset and index, its stretches)`.
    type Group<'a> = (Option<(SimTime, usize)>, Vec<&'a LostStretch>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for s in stretches {
        let to = attribute(s.start, onsets);
        match groups.iter_mut().find(|(d, _)| *d == to) {
            Some((_, list)) => list.push(s),
            None => groups.push((to, vec![s])),
        }
    }
    groups.sort_by_key(|(d, _)| *d);
    groups
        .into_iter()
        .map(|(d, list)| Loss {
            disaster: d.map(|(_, i)| scenario.disasters[i].name.clone()),
            window: union_length(list.iter().map(|s| (s.oldest, s.end))),
            writes: list.iter().map(|s| s.writes).sum(),
            overwritten: list
                .iter()
                .filter(|s| s.kind == LossKind::Overwritten)
                .map(|s| s.writes)
                .sum(),
            from: list.iter().map(|s| s.oldest).min().unwrap_or_default(),
            to: list.iter().map(|s| s.end).max().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: u64) -> SimTime {
        SimTime::at(SimDuration::from_secs(s))
    }

    #[test]
    fn a_stretch_goes_to_the_first_onset_at_or_after_its_start() {
        let onsets = [(t(100), 0), (t(500), 1)];
        assert_eq!(attribute(t(99), &onsets), Some((t(100), 0)));
        assert_eq!(attribute(t(100), &onsets), Some((t(100), 0)));
        assert_eq!(attribute(t(101), &onsets), Some((t(500), 1)));
        assert_eq!(attribute(t(900), &onsets), Some((t(500), 1)));
        assert_eq!(attribute(t(1), &[]), None);
    }
}
