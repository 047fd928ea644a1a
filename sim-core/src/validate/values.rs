//! The scenario's values and what flows and disasters name: the horizon, Regions, AZs and resource counts
//! against `spec::limits`, each flow's rate, SLO, entry, store and client shares, and each disaster's
//! target and onset.

use std::collections::BTreeSet;

use crate::model::service::Expect;
use crate::spec::FlowKind;
use crate::spec::disaster::{DisasterKind, Onset};
use crate::spec::limits::{MAX_AZS, MAX_HORIZON, MAX_REGIONS, MAX_RESOURCES};

use super::Validator;

impl Validator<'_> {
    pub(super) fn basics(&mut self) {
        let s = self.scenario;
        if s.horizon.is_zero() {
            self.issue(
                Some("horizon"),
                "horizon is 0s; give how long each replication runs, e.g. \"12h\"".into(),
            );
        }
        if s.horizon > MAX_HORIZON {
            self.issue(
                Some("horizon"),
                format!(
                    "horizon {} is longer than a year; drsim bounds a replication to 366 days",
                    s.horizon
                ),
            );
        }
        if s.measure.window.is_zero() {
            self.issue(
                Some("window"),
                "measure.window is 0s; the SLO window must be positive (default 60s)".into(),
            );
        }
        if s.regions.is_empty() {
            self.issue(
                Some("regions"),
                "regions is empty; list at least one Region and its AZs".into(),
            );
        }
        if s.regions.len() > MAX_REGIONS {
            self.issue(Some("regions"), format!("more than {MAX_REGIONS} Regions"));
        }
        let azs: usize = s.regions.iter().map(|r| r.azs.len()).sum();
        if azs > MAX_AZS {
            self.issue(
                Some("azs"),
                format!("{azs} AZs in all; drsim supports at most {MAX_AZS}"),
            );
        }
        if s.resources.len() > MAX_RESOURCES {
            self.issue(
                None,
                format!(
                    "{} resources; drsim supports at most {}",
                    s.resources.len(),
                    thousands(MAX_RESOURCES)
                ),
            );
        }
    }

    pub(super) fn flows(&mut self) {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for flow in &self.scenario.flows {
            let by = format!("flow {:?}", flow.name);
            if !seen.insert(&flow.name) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "two flows are named {:?}; flow names must be unique",
                        flow.name
                    ),
                );
            }
            if !(flow.rate_per_s.is_finite() && flow.rate_per_s >= 0.0 && flow.rate_per_s <= 1e9) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "{by}: rate_per_s is {}, but must be a number from 0 to 1e9",
                        flow.rate_per_s
                    ),
                );
            }
            if !(flow.slo > 0.0 && flow.slo <= 1.0) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "{by}: slo is {}, but must be in (0, 1], e.g. 0.99",
                        flow.slo
                    ),
                );
            }
            self.expect(&flow.entry, Expect::Any, "entry point", &by);
            match &flow.store {
                Some(store) => {
                    self.expect(store, Expect::Store, "a data store", &by);
                }
                None if flow.kind == FlowKind::Write => {
                    self.issue(
                        Some(&flow.name),
                        format!("{by} writes but names no store; add store: \"…\""),
                    );
                }
                None => {}
            }
            let shares = flow.client_shares();
            for &(region, share) in &shares {
                self.region(region, &by);
                if !(share > 0.0 && share <= 1.0) {
                    self.issue(
                        Some(&flow.name),
                        format!("{by}: the share of clients in {region} is {share}, but must be in (0, 1]"),
                    );
                }
            }
            let total: f64 = shares.iter().map(|&(_, s)| s).sum();
            if flow.clients.is_some() && (total - 1.0).abs() > 1e-6 {
                self.issue(
                    Some(&flow.name),
                    format!("{by}: client shares sum to {total}, but must sum to 1"),
                );
            }
            if flow.timeout.is_zero() {
                self.issue(
                    Some(&flow.name),
                    format!("{by}: timeout is 0s; a client must wait for an answer, e.g. \"60s\""),
                );
            }
        }
    }

    pub(super) fn disasters(&mut self) {
        for d in &self.scenario.disasters {
            let by = format!("disaster {:?}", d.name);
            self.site_disaster(d, &by);
            match &d.kind {
                DisasterKind::AzOutage { az } => {
                    if !self.scenario.regions.iter().any(|r| r.azs.contains(az)) {
                        self.issue(
                            Some(az),
                            format!("{by} takes down AZ {az:?}, which no Region lists"),
                        );
                    }
                }
                DisasterKind::RegionOutage { region, .. } => {
                    self.region(region, &by);
                }
                DisasterKind::Partition { a, b } => {
                    if self.region(a, &by) && self.region(b, &by) && a == b {
                        self.issue(
                            Some(a),
                            format!(
                                "{by} partitions {a:?} from itself; name two different Regions"
                            ),
                        );
                    }
                }
                DisasterKind::GrayFailure {
                    resource,
                    error_rate,
                    ..
                } => {
                    self.expect(resource, Expect::Any, "resource", &by);
                    if !(0.0..=1.0).contains(error_rate) {
                        self.issue(
                            Some(&d.name),
                            format!("{by}: error_rate is {error_rate}, but must be in [0, 1]"),
                        );
                    }
                }
                DisasterKind::ResourceFailure { resource }
                | DisasterKind::OriginError { resource, .. } => {
                    self.expect(resource, Expect::Any, "resource", &by);
                }
                DisasterKind::Corruption { store } | DisasterKind::Delete { store } => {
                    self.expect(store, Expect::Store, "a data store", &by);
                }
                DisasterKind::Planned { .. }
                | DisasterKind::SiteLoss { .. }
                | DisasterKind::PowerOutage { .. }
                | DisasterKind::WanLinkDown { .. } => {}
            }
            match &d.onset {
                Onset::Uniform(lo, hi) if lo > hi => {
                    self.issue(
                        Some(&d.name),
                        format!("{by}: onset Uniform(\"{lo}\", \"{hi}\") has its bounds reversed"),
                    );
                }
                Onset::Rate(mean) if mean.is_zero() => {
                    self.issue(
                        Some(&d.name),
                        format!(
                            "{by}: onset Rate(\"0s\") needs a positive mean time between failures"
                        ),
                    );
                }
                _ => {}
            }
            if let Some(duration) = &d.duration {
                self.dist(duration, &format!("{by}: duration"), &d.name);
            }
        }
    }
}

/// `10000` as `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
