//! The offsite paths as schedules: what a Snowball shipment or a DataSync run takes, and their checks.

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::model::place::RegionId;
use crate::services::backup::{Leg, Offsite};
use crate::services::checks::check_dist;
use crate::spec::resources::onprem::OffsiteConfig;

/// DataSync schedules run at most hourly (C34).
const MIN_DATASYNC_EVERY: SimDuration = SimDuration::from_hours(1);

/// How long `gb` gigabytes take over a link of `mbps` megabits per second (1 GB = 8,000 Mbit).
pub fn transfer_time(gb: u32, mbps: u32) -> SimDuration {
    let micros = u128::from(gb) * 8_000 * 1_000_000 / u128::from(mbps.max(1));
    SimDuration::from_micros(u64::try_from(micros).unwrap_or(u64::MAX))
}

impl OffsiteConfig {
    /// The Region the copies go to.
    pub fn to(&self) -> &str {
        match self {
            OffsiteConfig::Snowball { to, .. }
            | OffsiteConfig::DataSync { to, .. }
            | OffsiteConfig::StorageGateway { to, .. }
            | OffsiteConfig::Dms { to, .. } => to,
        }
    }

    /// The schedule of this path for a store of `size_gb` in a site whose link carries `mbps` (`None` for
    /// a Storage Gateway, a live copy rather than a schedule).
    pub(super) fn offsite(&self, copy_to: RegionId, size_gb: u32, mbps: u32) -> Option<Offsite> {
        Some(match self {
            OffsiteConfig::Snowball {
                every,
                first_at,
                load,
                transit,
                import,
                ..
            } => Offsite {
                first_at: *first_at,
                every: *every,
                job: load.clone(),
                copy_to,
                // Every shipment is a full copy: transit, then import.
                first_copy: transit.clone(),
                copy: transit.clone(),
                then: Some(import.clone()),
                leg: Leg::Shipped,
                transfer: (SimDuration::ZERO, SimDuration::ZERO),
            },
            OffsiteConfig::DataSync {
                every,
                first_at,
                changed_gb,
                overhead,
                ..
            } => {
                let changed = if *changed_gb == 0 {
                    size_gb.div_ceil(100)
                } else {
                    *changed_gb
                };
                Offsite {
                    first_at: *first_at,
                    every: *every,
                    job: Dist::Fixed(SimDuration::ZERO),
                    copy_to,
                    first_copy: overhead.clone(),
                    copy: overhead.clone(),
                    then: None,
                    leg: Leg::Link,
                    transfer: (transfer_time(size_gb, mbps), transfer_time(changed, mbps)),
                }
            }
            OffsiteConfig::StorageGateway { .. } | OffsiteConfig::Dms { .. } => return None,
        })
    }

    pub(super) fn check(&self, field: &str) -> Result<(), String> {
        match self {
            OffsiteConfig::Snowball {
                every,
                load,
                transit,
                import,
                ..
            } => {
                if every.is_zero() {
                    return Err(format!(
                        "{field}.every is 0s; ship a device e.g. every \"7d\""
                    ));
                }
                check_dist(&format!("{field}.load"), load)?;
                check_dist(&format!("{field}.transit"), transit)?;
                check_dist(&format!("{field}.import"), import)
            }
            OffsiteConfig::DataSync {
                every, overhead, ..
            } => {
                if *every < MIN_DATASYNC_EVERY {
                    return Err(format!(
                        "{field}.every is {every}; DataSync schedules run at most hourly, so use \"1h\" or more"
                    ));
                }
                check_dist(&format!("{field}.overhead"), overhead)
            }
            OffsiteConfig::StorageGateway {
                upload_lag,
                activate,
                ..
            } => {
                check_dist(&format!("{field}.upload_lag"), upload_lag)?;
                activate
                    .as_ref()
                    .map_or(Ok(()), |d| check_dist(&format!("{field}.activate"), d))
            }
            OffsiteConfig::Dms {
                cdc_lag, cutover, ..
            } => {
                check_dist(&format!("{field}.cdc_lag"), cdc_lag)?;
                check_dist(&format!("{field}.cutover"), cutover)
            }
        }
    }
}
