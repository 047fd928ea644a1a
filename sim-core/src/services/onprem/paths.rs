//! The offsite paths as schedules: what a Snowball shipment, a DataSync run, a virtual or physical tape and
//! a stored volume's snapshot take, and their checks.

use crate::engine::dist::Dist;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::place::RegionId;
use crate::services::backup::{Courier, Leg, Offsite, Onward, Retrieval};
use crate::services::checks::check_dist;
use crate::spec::resources::onprem::{ArchiveConfig, OffsiteConfig, RetrievalTier};

/// DataSync schedules run at most hourly (C34).
const MIN_DATASYNC_EVERY: SimDuration = SimDuration::from_hours(1);

/// Physical tapes are written at most hourly (assumption, C38).
const MIN_TAPE_EVERY: SimDuration = SimDuration::from_hours(1);

/// A stored volume's snapshot schedule recurs every 1 to 24 whole hours (C39, `RecurrenceInHours`).
const SNAPSHOT_EVERY_HOURS: std::ops::RangeInclusive<u64> = 1..=24;

/// What a path's schedule needs from its store and site.
pub(super) struct PathCx {
    /// The Region the path's copies go to, and the one a stored volume's snapshots are copied on to.
    pub copy_to: RegionId,
    pub onward: Option<RegionId>,
    pub size_gb: u32,
    /// The site link's bandwidth.
    pub mbps: u32,
    /// The retrieval of the store's `archive` class (Snowball and DataSync copies rest in it).
    pub archive: Option<Dist>,
}

/// An S3 archive class's retrieval, which the restore's log line does not name.
fn unnamed(took: Dist) -> Retrieval {
    Retrieval { took, named: None }
}

/// `tape_gb`, or its default: a full backup.
fn tape_size(tape_gb: u32, size_gb: u32) -> u32 {
    if tape_gb == 0 { size_gb } else { tape_gb }
}

/// `changed_gb`, or its default: 1 % of the data.
fn changed(changed_gb: u32, size_gb: u32) -> u32 {
    if changed_gb == 0 {
        size_gb.div_ceil(100)
    } else {
        changed_gb
    }
}

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
            | OffsiteConfig::Dms { to, .. }
            | OffsiteConfig::TapeGateway { to, .. }
            | OffsiteConfig::Tape { to, .. }
            | OffsiteConfig::StoredVolume { to, .. } => to,
        }
    }

    /// The GB each of this path's later copies carries over the site's link, if it uses the link on a
    /// schedule (`None`: a device, a courier, or a live copy).
    pub(super) fn per_run_gb(&self, size_gb: u32) -> Option<u32> {
        match self {
            OffsiteConfig::DataSync { changed_gb, .. }
            | OffsiteConfig::StoredVolume { changed_gb, .. } => Some(changed(*changed_gb, size_gb)),
            OffsiteConfig::TapeGateway { tape_gb, .. } => Some(tape_size(*tape_gb, size_gb)),
            _ => None,
        }
    }

    /// The time between this path's scheduled copies, if it has a schedule.
    pub(super) fn every(&self) -> Option<SimDuration> {
        match self {
            OffsiteConfig::Snowball { every, .. }
            | OffsiteConfig::DataSync { every, .. }
            | OffsiteConfig::TapeGateway { every, .. }
            | OffsiteConfig::Tape { every, .. }
            | OffsiteConfig::StoredVolume { every, .. } => Some(*every),
            OffsiteConfig::StorageGateway { .. } | OffsiteConfig::Dms { .. } => None,
        }
    }

    /// The schedule of this path (`None` for a Storage Gateway's file share or cached volumes and DMS:
    /// live copies rather than schedules).
    pub(super) fn offsite(&self, cx: PathCx) -> Option<Offsite> {
        let PathCx {
            copy_to,
            onward,
            size_gb,
            mbps,
            archive,
        } = cx;
        let none = || Dist::Fixed(SimDuration::ZERO);
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
                retrieval: archive.map(unnamed),
                onward: None,
            },
            OffsiteConfig::DataSync {
                every,
                first_at,
                changed_gb,
                overhead,
                ..
            } => Offsite {
                first_at: *first_at,
                every: *every,
                job: none(),
                copy_to,
                first_copy: overhead.clone(),
                copy: overhead.clone(),
                then: None,
                leg: Leg::Link,
                transfer: (
                    transfer_time(size_gb, mbps),
                    transfer_time(changed(*changed_gb, size_gb), mbps),
                ),
                retrieval: archive.map(unnamed),
                onward: None,
            },
            OffsiteConfig::TapeGateway {
                every,
                first_at,
                write,
                tape_gb,
                shelf,
                ..
            } => {
                // Every tape is a whole backup, written into the gateway's cache, then uploaded.
                let tape = transfer_time(tape_size(*tape_gb, size_gb), mbps);
                let shelf = ArchiveConfig {
                    class: *shelf,
                    tier: RetrievalTier::Standard,
                };
                Offsite {
                    first_at: *first_at,
                    every: *every,
                    job: write.clone(),
                    copy_to,
                    first_copy: none(),
                    copy: none(),
                    then: None,
                    leg: Leg::Link,
                    transfer: (tape, tape),
                    retrieval: shelf.retrieval().ok().flatten().map(|took| Retrieval {
                        took,
                        named: Some("the tape's retrieval from the shelf"),
                    }),
                    onward: None,
                }
            }
            OffsiteConfig::Tape {
                every,
                first_at,
                write,
                pickup_every,
                pickup_at,
                transit,
                recall,
                ..
            } => Offsite {
                first_at: *first_at,
                every: *every,
                job: write.clone(),
                copy_to,
                first_copy: transit.clone(),
                copy: transit.clone(),
                then: None,
                leg: Leg::Courier(Courier {
                    first: SimTime::at(*pickup_at),
                    every: *pickup_every,
                }),
                transfer: (SimDuration::ZERO, SimDuration::ZERO),
                retrieval: Some(Retrieval {
                    took: recall.clone(),
                    named: Some("the tape's recall from the vault"),
                }),
                onward: None,
            },
            OffsiteConfig::StoredVolume {
                every,
                first_at,
                changed_gb,
                copy_to: copies,
                ..
            } => Offsite {
                first_at: *first_at,
                every: *every,
                // The snapshot is taken at its start; uploading what changed is all it waits for.
                job: none(),
                copy_to,
                first_copy: none(),
                copy: none(),
                then: None,
                leg: Leg::Link,
                transfer: (
                    transfer_time(size_gb, mbps),
                    transfer_time(changed(*changed_gb, size_gb), mbps),
                ),
                retrieval: None,
                onward: onward.zip(copies.as_ref()).map(|(to, c)| Onward {
                    to,
                    first_copy: c.first_copy.clone(),
                    copy: c.copy.clone(),
                }),
            },
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
            OffsiteConfig::TapeGateway { every, write, .. } => {
                if every.is_zero() {
                    return Err(format!(
                        "{field}.every is 0s; write a tape e.g. every \"24h\""
                    ));
                }
                check_dist(&format!("{field}.write"), write)
            }
            OffsiteConfig::Tape {
                every,
                write,
                pickup_every,
                transit,
                recall,
                ..
            } => {
                // Tapes are written at most hourly (an assumption that bounds the walk over tapes waiting
                // for a pickup).
                if *every < MIN_TAPE_EVERY || pickup_every.is_zero() {
                    return Err(format!(
                        "{field}: every must be at least 1h and pickup_every more than 0s; e.g. a tape \
                         every \"24h\" picked up every \"7d\""
                    ));
                }
                check_dist(&format!("{field}.write"), write)?;
                check_dist(&format!("{field}.transit"), transit)?;
                check_dist(&format!("{field}.recall"), recall)
            }
            OffsiteConfig::StoredVolume { every, copy_to, .. } => {
                let hours = every.as_micros() / SimDuration::from_hours(1).as_micros();
                let whole = SimDuration::from_hours(hours) == *every;
                if !whole || !SNAPSHOT_EVERY_HOURS.contains(&hours) {
                    return Err(format!(
                        "{field}.every is {every}; a volume's snapshot schedule recurs every 1 to 24 whole \
                         hours (e.g. \"4h\" or \"24h\")"
                    ));
                }
                copy_to.as_ref().map_or(Ok(()), |c| {
                    check_dist(&format!("{field}.copy_to.first_copy"), &c.first_copy)?;
                    check_dist(&format!("{field}.copy_to.copy"), &c.copy)
                })
            }
        }
    }
}
