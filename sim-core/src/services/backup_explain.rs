//! Why a restore used the backup it did: the newest backup taken after it, and what kept that one from
//! being usable where the restore runs (its job had not finished, or failed with its Region; its copy
//! had not landed, or was cut off). The replay quotes this beside the restore, so a student sees that
//! "the 09:00 backup had not finished copying; the 05:00 copy was used".

use crate::engine::time::SimTime;
use crate::model::place::{Catalog, RegionId};

use super::{Backups, Schedule};

impl Schedule {
    /// Why the newest backup of this schedule with its point after `used` and at or before `until`
    /// was not usable in `region` at `now`: `(its point, why)`; `None` when there is none.
    fn newer_unusable(
        &self,
        region: RegionId,
        now: SimTime,
        until: SimTime,
        used: SimTime,
        backups: &Backups,
        catalog: &Catalog,
    ) -> Option<(SimTime, String)> {
        let t = now.min(until);
        if t < self.first {
            return None;
        }
        let every = self.every.as_micros().max(1);
        let i = t.saturating_since(self.first).as_micros() / every;
        let point = self.start_of(i);
        if point <= used {
            return None;
        }
        let outages = &backups.outages;
        let why = match self.done_at(i, outages) {
            None => "failed: its Region went down during the job".to_string(),
            Some(done) if done > now => {
                format!("was still running (it would have finished at {done})")
            }
            Some(_) if region == self.home => return None,
            Some(_) if Some(region) == self.onward_to() => match self.onward_at(i, outages) {
                None => format!(
                    "never reached {}: an outage cut its copy off",
                    catalog.region_name(region)
                ),
                Some(landed) => format!(
                    "had not finished copying on to {} (it would have landed at {landed})",
                    catalog.region_name(region)
                ),
            },
            Some(_) if Some(region) != self.copy_to => {
                format!("is not copied to {}", catalog.region_name(region))
            }
            Some(_) => match self.copied_at(i, outages) {
                None if matches!(self.leg, super::Leg::Courier(_)) => {
                    "never left the site: no courier collected it while the site was up".to_string()
                }
                None => format!(
                    "never reached {}: the outage cut its copy off",
                    catalog.region_name(region)
                ),
                Some(landed) => format!(
                    "had not finished copying to {} (it would have landed at {landed})",
                    catalog.region_name(region)
                ),
            },
        };
        Some((point, why))
    }
}

impl Backups {
    /// Why the backup of `used` (usable in `region` since `usable`) was the newest one usable there at
    /// `now`: `"taken at …, usable in us-west-2 since …; the backup of … had not finished copying …"`.
    pub fn why_used(
        &self,
        region: RegionId,
        now: SimTime,
        until: SimTime,
        (used, usable): (SimTime, SimTime),
        catalog: &Catalog,
    ) -> String {
        let mut text = format!("usable in {} since {usable}", catalog.region_name(region));
        let newer = self
            .schedules
            .iter()
            .filter_map(|s| s.newer_unusable(region, now, until, used, self, catalog))
            .max_by_key(|(point, _)| *point);
        if let Some((point, why)) = newer {
            text.push_str(&format!("; the newer backup of {point} {why}"));
        }
        text
    }
}
