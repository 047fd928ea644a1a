//! `drsim assess`: a scenario held to a resilience policy, per disruption type.
//!
//! **Which disasters stand for a type.** The scenario's own disasters of that type (enabled or not: the
//! Unishop lab's `ui-403` counts as an application disruption), each swept alone. A type the scenario has
//! none of gets generated ones, named `assess-…`, with the onset of the scenario's first disaster (or
//! uniform over the first half of the horizon) and no healing: each AZ of the primary Region (the first
//! listed) for `AZ`, the primary Region for `Region` (for an on-premises primary site: its power and its
//! loss; the power outage lasts four hours, an assumption), a corruption of each data store for `Software`, the
//! failure of each instance and database writer for `Hardware` (resources a stack creates are left out:
//! they do not exist yet).
//!
//! **Verdicts.** For each disaster, the policy's RTO and RPO targets are budgets on the policy's
//! percentile of the service RTO and of the data-loss window ([`crate::budget::evaluate`]): *met* when the
//! whole 95 % interval is within both targets, *breached* when one interval is wholly beyond its target,
//! *undecided* otherwise. A type is breached if one of its disasters is, undecided if one is, met if all
//! are. A type the policy sets no target for is measured and reported, not judged.

use serde::{Deserialize, Serialize};

use crate::advise::{AdviseError, Effort, samples};
use crate::budget::{Budget, Limit, Metric, Percentile, Status, Verdict, evaluate};
use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::model::service::Placement;
use crate::spec::disaster::{DisasterConfig, DisasterKind, Onset};
use crate::spec::policy::{DisruptionType, Policy, Targets};
use crate::spec::{ResourceKind, Scenario};
use crate::sweep::stats::Estimate;

/// Whether a disaster, a type or the whole scenario meets the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Compliance {
    /// Every target holds with confidence.
    PolicyMet,
    /// A target is breached with confidence.
    PolicyBreached,
    /// An interval straddles a target: more runs would decide it.
    Undecided,
    /// The policy sets no target for this type: measured only.
    NoTarget,
    /// Nothing in the scenario can suffer this type of disruption.
    NotApplicable,
}

impl Compliance {
    /// How reports print it.
    pub fn label(self) -> &'static str {
        match self {
            Compliance::PolicyMet => "PolicyMet",
            Compliance::PolicyBreached => "PolicyBreached",
            Compliance::Undecided => "Undecided",
            Compliance::NoTarget => "NoTarget",
            Compliance::NotApplicable => "NotApplicable",
        }
    }

    /// The worst of several: breached, then undecided, then met (measured-only ones do not count).
    fn worst(all: impl IntoIterator<Item = Compliance>) -> Compliance {
        let all: Vec<Compliance> = all.into_iter().collect();
        if all.contains(&Compliance::PolicyBreached) {
            Compliance::PolicyBreached
        } else if all.contains(&Compliance::Undecided) {
            Compliance::Undecided
        } else if all.contains(&Compliance::PolicyMet) {
            Compliance::PolicyMet
        } else if all.contains(&Compliance::NoTarget) {
            Compliance::NoTarget
        } else {
            Compliance::NotApplicable
        }
    }
}

/// One disaster's measurement against its type's targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisasterAssessment {
    /// The disaster's name.
    pub disaster: String,
    /// Whether drsim generated it (the scenario has no disaster of this type).
    pub generated: bool,
    /// The policy's percentile of the service RTO, seconds, with its 95 % interval.
    pub rto: Estimate,
    /// The same percentile of the data-loss window (RPO).
    pub rpo: Estimate,
    /// Runs judged for the RTO (runs with no disaster within the horizon left out).
    pub runs: usize,
    /// Runs whose RPO was not determined (the store was not back at the horizon).
    pub rpo_not_determined: usize,
    /// Its verdict.
    pub compliance: Compliance,
    /// What decides it, for people.
    pub message: String,
}

/// One disruption type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeAssessment {
    /// The type.
    pub kind: DisruptionType,
    /// The policy's targets for it, if any.
    pub targets: Option<Targets>,
    /// Its verdict.
    pub compliance: Compliance,
    /// The disasters that stand for it.
    pub disasters: Vec<DisasterAssessment>,
}

/// A scenario's assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The scenario.
    pub scenario: String,
    /// The policy (`None`: measured only).
    pub policy: Option<Policy>,
    /// The percentile judged.
    pub percentile: Percentile,
    /// Seed and replications per disaster.
    pub seed: u64,
    /// Replications per disaster.
    pub runs: u64,
    /// The four types, in [`DisruptionType::ALL`] order.
    pub types: Vec<TypeAssessment>,
    /// The verdict over every type with a target.
    pub compliance: Compliance,
}

/// Assesses `scenario` against `policy` (`None`: measures each type, judges nothing).
pub fn assess(
    scenario: &Scenario,
    policy: Option<&Policy>,
    effort: Effort,
) -> Result<Assessment, AdviseError> {
    let percentile = policy.map_or_else(
        || Percentile::whole(99).unwrap_or_else(|| unreachable!("99 is a percentile")),
        |p| p.percentile,
    );
    let mut types = Vec::with_capacity(DisruptionType::ALL.len());
    for kind in DisruptionType::ALL {
        let targets = policy.and_then(|p| p.targets(kind));
        let (sc, chosen) = standing_for(scenario, kind);
        let mut disasters = Vec::with_capacity(chosen.len());
        for (i, generated) in chosen {
            disasters.push(one(&sc, i, generated, targets, percentile, effort)?);
        }
        let compliance = if disasters.is_empty() {
            Compliance::NotApplicable
        } else {
            Compliance::worst(disasters.iter().map(|d| d.compliance))
        };
        types.push(TypeAssessment {
            kind,
            targets,
            compliance,
            disasters,
        });
    }
    let compliance = Compliance::worst(types.iter().map(|t| t.compliance));
    Ok(Assessment {
        scenario: scenario.name.clone(),
        policy: policy.cloned(),
        percentile,
        seed: effort.seed,
        runs: effort.runs,
        types,
        compliance,
    })
}

/// Disaster `i` of `sc` swept alone and judged against `targets`.
fn one(
    sc: &Scenario,
    i: usize,
    generated: bool,
    targets: Option<Targets>,
    percentile: Percentile,
    effort: Effort,
) -> Result<DisasterAssessment, AdviseError> {
    let samples = samples(sc, effort, Some(vec![i]))?;
    let budget = |metric, max: Option<SimDuration>| Budget {
        metric,
        percentile,
        max: Limit::Duration(max.unwrap_or(SimDuration::MAX)),
        flow: None,
        store: None,
        disaster: None,
    };
    let rto = evaluate(&budget(Metric::Rto, targets.map(|t| t.rto)), &samples)?;
    let rpo = evaluate(&budget(Metric::Rpo, targets.map(|t| t.rpo)), &samples)?;
    let compliance = match targets {
        None => Compliance::NoTarget,
        Some(_) => match (&rto.status, &rpo.status) {
            (Status::Holds, Status::Holds) => Compliance::PolicyMet,
            (Status::Breached, _) | (_, Status::Breached) => Compliance::PolicyBreached,
            _ => Compliance::Undecided,
        },
    };
    let message = match targets {
        None => "no target: measured only".to_string(),
        Some(_) => message(&rto, &rpo),
    };
    Ok(DisasterAssessment {
        disaster: sc.disasters[i].name.clone(),
        generated,
        rto: rto.measured,
        rpo: rpo.measured,
        runs: rto.runs,
        rpo_not_determined: rpo.not_determined,
        compliance,
        message,
    })
}

/// The budgets' sentences, the failing one first.
fn message(rto: &Verdict, rpo: &Verdict) -> String {
    let mut parts = [rto, rpo];
    parts.sort_by_key(|v| v.holds());
    parts
        .iter()
        .map(|v| v.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The scenario with the disasters that stand for `kind` (its own, or generated ones appended), and
/// their indices, each with whether it was generated.
fn standing_for(scenario: &Scenario, kind: DisruptionType) -> (Scenario, Vec<(usize, bool)>) {
    let own: Vec<(usize, bool)> = scenario
        .disasters
        .iter()
        .enumerate()
        .filter(|(_, d)| DisruptionType::of(&d.kind) == Some(kind))
        .map(|(i, _)| (i, false))
        .collect();
    if !own.is_empty() {
        return (scenario.clone(), own);
    }
    let mut sc = scenario.clone();
    let onset = scenario.disasters.first().map_or_else(
        || {
            Onset::Uniform(
                SimDuration::ZERO,
                SimDuration::from_micros(sc.horizon.as_micros() / 2),
            )
        },
        |d| d.onset.clone(),
    );
    let first = sc.disasters.len();
    for (name, kind) in generated(scenario, kind) {
        // A site's power comes back (the kind needs a duration): four hours, an assumption.
        let duration = matches!(kind, DisasterKind::PowerOutage { .. })
            .then(|| Dist::Fixed(SimDuration::from_hours(4)));
        sc.disasters.push(DisasterConfig {
            name,
            kind,
            onset: onset.clone(),
            duration,
            enabled: false,
        });
    }
    let chosen = (first..sc.disasters.len()).map(|i| (i, true)).collect();
    (sc, chosen)
}

/// The disasters drsim generates for a type the scenario has none of: `(name, kind)`.
fn generated(scenario: &Scenario, kind: DisruptionType) -> Vec<(String, DisasterKind)> {
    let Some(primary) = scenario.regions.first() else {
        return Vec::new();
    };
    // Resources a stack creates do not exist until it runs: they cannot fail before.
    let created: Vec<&str> = scenario
        .resources
        .values()
        .filter_map(|r| match r {
            crate::spec::Resource::Stack(s) => Some(s.resources.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    let in_primary = |r: &crate::spec::Resource| match r.service().placement() {
        Placement::Region(region) => region == primary.name,
        Placement::Az(az) => primary.azs.iter().any(|a| a == az),
        Placement::Global | Placement::Nowhere => false,
    };
    let existing = scenario
        .resources
        .iter()
        .filter(|(name, r)| !created.contains(&name.as_str()) && in_primary(r));
    match kind {
        DisruptionType::Az if primary.site.is_some() => vec![(
            format!("assess-power-{}", primary.name),
            DisasterKind::PowerOutage {
                site: primary.name.clone(),
            },
        )],
        DisruptionType::Az => primary
            .azs
            .iter()
            .map(|az| {
                (
                    format!("assess-az-{az}"),
                    DisasterKind::AzOutage { az: az.clone() },
                )
            })
            .collect(),
        DisruptionType::Region if primary.site.is_some() => vec![(
            format!("assess-site-loss-{}", primary.name),
            DisasterKind::SiteLoss {
                site: primary.name.clone(),
            },
        )],
        DisruptionType::Region => vec![(
            format!("assess-region-{}", primary.name),
            DisasterKind::RegionOutage {
                region: primary.name.clone(),
                control_plane: false,
            },
        )],
        DisruptionType::Software => existing
            .filter(|(_, r)| r.kind().is_store())
            .map(|(name, _)| {
                (
                    format!("assess-corrupt-{name}"),
                    DisasterKind::Corruption {
                        store: name.clone(),
                    },
                )
            })
            .collect(),
        DisruptionType::Hardware => existing
            .filter(|(_, r)| {
                matches!(
                    r.kind(),
                    ResourceKind::Ec2 | ResourceKind::Rds | ResourceKind::Aurora
                )
            })
            .map(|(name, _)| {
                (
                    format!("assess-fail-{name}"),
                    DisasterKind::ResourceFailure {
                        resource: name.clone(),
                    },
                )
            })
            .collect(),
    }
}
