//! AWS Fault Injection Service experiment templates (the API's JSON, camelCase, or
//! `AWS::FIS::ExperimentTemplate` in a template, PascalCase) into disasters. Targets (ARNs, tags, filters)
//! are matched against a scenario's resources (`--scenario`); `startAfter` orders the actions in time from
//! the experiment's start; ISO 8601 durations (`PT30M`) become how long each fault lasts. The AZ power
//! interruption scenario (stop-instances, disrupt-connectivity, failovers… scoped to one AZ) is one
//! `AzOutage`.

use std::collections::BTreeMap;

use super::doc::{self, Node, error_at};
use super::ron::{Fields, Item, Ron};
use super::{Base, Draft, Imported, Report, kebab, secs};
use crate::source::SourceError;

/// An ISO 8601 duration (`PT30M`, `PT1H30M`, `P1D`, `PT0.5S`) in whole seconds.
pub fn iso_seconds(text: &str) -> Option<u64> {
    let rest = text.trim().strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = 0f64;
    let mut any = false;
    for (part, units) in [
        (days, &[('W', 604_800.0), ('D', 86_400.0)][..]),
        (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..]),
    ] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let (_, scale) = units.iter().find(|(u, _)| *u == c)?;
            let n: f64 = number.parse().ok()?;
            total += n * scale;
            number.clear();
            any = true;
        }
        if !number.is_empty() {
            return None;
        }
    }
    (any && total.is_finite() && total < 4e7).then(|| total.round() as u64)
}

/// A Region from an AZ ID's prefix (`use1-az1` → `us-east-1`), for the common Regions.
fn region_of_az_id(id: &str) -> Option<(String, String)> {
    let (code, az) = id.split_once("-az")?;
    let table = [
        ("use1", "us-east-1"),
        ("use2", "us-east-2"),
        ("usw1", "us-west-1"),
        ("usw2", "us-west-2"),
        ("euw1", "eu-west-1"),
        ("euw2", "eu-west-2"),
        ("euw3", "eu-west-3"),
        ("euc1", "eu-central-1"),
        ("eun1", "eu-north-1"),
        ("apne1", "ap-northeast-1"),
        ("apne2", "ap-northeast-2"),
        ("apse1", "ap-southeast-1"),
        ("apse2", "ap-southeast-2"),
        ("aps1", "ap-south-1"),
        ("cac1", "ca-central-1"),
        ("sae1", "sa-east-1"),
    ];
    let region = table.iter().find(|(c, _)| *c == code)?.1;
    let n: u8 = az.parse().ok().filter(|n| (1..=6).contains(n))?;
    Some((
        region.to_string(),
        format!("{region}{}", (b'a' + n - 1) as char),
    ))
}

fn ci<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.entries()
        .iter()
        .find(|(k, _)| k.text.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

struct Action<'n> {
    name: String,
    node: &'n Node,
    id: String,
    after: Vec<String>,
    duration_s: Option<u64>,
}

/// Imports an experiment template.
pub fn import(label: &str, text: &str, base: Option<&Base>) -> Result<Imported, SourceError> {
    let (root, _) = doc::parse(label, text)?;
    let template = find_template(&root).ok_or_else(|| {
        error_at(
            label,
            root.pos,
            "not an experiment template: expected `actions` and `targets` (the FIS API's JSON, maybe under `experimentTemplate`) or a template with an AWS::FIS::ExperimentTemplate",
        )
    })?;
    let actions_node = ci(template, "actions")
        .filter(|a| a.is_map() && !a.entries().is_empty())
        .ok_or_else(|| {
            error_at(
                label,
                template.pos,
                "an experiment template needs `actions`, a mapping of named actions",
            )
        })?;
    let targets = ci(template, "targets");
    let mut report = Report::default();
    report
        .inputs
        .push(format!("FIS experiment template {label}"));
    let mut actions = Vec::new();
    for (k, a) in actions_node.entries() {
        let id = ci(a, "actionId")
            .and_then(Node::text)
            .ok_or_else(|| {
                error_at(
                    label,
                    a.pos,
                    format!("action {:?} needs an `actionId`", k.text),
                )
            })?
            .to_string();
        let params = ci(a, "parameters");
        let duration = ["duration", "startInstancesAfterDuration"]
            .iter()
            .find_map(|p| params.and_then(|ps| ci(ps, p)));
        let duration_s = match duration {
            Some(d) => Some(d.text().and_then(iso_seconds).ok_or_else(|| {
                error_at(
                    label,
                    d.pos,
                    "not an ISO 8601 duration (e.g. PT30M, PT1H, PT90S)",
                )
            })?),
            None => None,
        };
        let after: Vec<String> = ci(a, "startAfter")
            .map(|s| {
                s.items()
                    .iter()
                    .filter_map(Node::text)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        for name in &after {
            if actions_node.get(name).is_none() {
                return Err(error_at(
                    label,
                    a.pos,
                    format!("action {:?}: startAfter names no action {name:?}", k.text),
                ));
            }
        }
        actions.push(Action {
            name: k.text.clone(),
            node: a,
            id,
            after,
            duration_s,
        });
    }
    // Start times from startAfter, in seconds from the experiment's start (cycles refused).
    let mut start: BTreeMap<String, u64> = BTreeMap::new();
    for _ in 0..=actions.len() {
        for a in &actions {
            if start.contains_key(&a.name) {
                continue;
            }
            let mut t = 0;
            let mut ready = true;
            for p in &a.after {
                match (start.get(p), actions.iter().find(|b| &b.name == p)) {
                    (Some(s), Some(b)) => t = t.max(s + b.duration_s.unwrap_or(0)),
                    _ => ready = false,
                }
            }
            if ready {
                start.insert(a.name.clone(), t);
            }
        }
    }
    if let Some(a) = actions.iter().find(|a| !start.contains_key(&a.name)) {
        return Err(error_at(
            label,
            a.node.pos,
            format!("action {:?}: startAfter makes a cycle", a.name),
        ));
    }
    let target_of = |a: &Action<'_>| -> Vec<&Node> {
        ci(a.node, "targets")
            .map(|t| {
                t.entries()
                    .iter()
                    .filter_map(|(_, v)| v.text())
                    .filter_map(|n| targets.and_then(|ts| ci(ts, n)))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The AZ each action is scoped to (filters, parameters), if any.
    let az_of = |a: &Action<'_>, report: &mut Report| -> Option<(String, String)> {
        let mut zones = Vec::new();
        for t in target_of(a) {
            for f in ci(t, "filters").map(Node::items).unwrap_or_default() {
                let path = ci(f, "path").and_then(Node::text).unwrap_or("");
                if path.ends_with("AvailabilityZone") {
                    zones.extend(
                        ci(f, "values")
                            .map(Node::items)
                            .unwrap_or_default()
                            .iter()
                            .filter_map(Node::text)
                            .map(str::to_string),
                    );
                }
            }
            if let Some(p) = ci(t, "parameters")
                .and_then(|p| ci(p, "availabilityZoneIdentifier"))
                .and_then(Node::text)
            {
                zones.push(p.to_string());
            }
        }
        if let Some(p) = ci(a.node, "parameters")
            .and_then(|p| {
                ci(p, "availabilityZoneIdentifiers").or_else(|| ci(p, "availabilityZoneIdentifier"))
            })
            .and_then(Node::text)
        {
            zones.extend(p.split(',').map(|s| s.trim().to_string()));
        }
        let z = zones.into_iter().next()?;
        if let Some((region, az)) = region_of_az_id(&z) {
            report.assumptions.push(format!(
                "{label}:{} action {}: AZ ID {z} taken as {az} (AZ IDs map to names per account)",
                a.node.pos.line, a.name
            ));
            return Some((region, az));
        }
        let region = base.and_then(|b| b.region_of_az(&z)).unwrap_or_else(|| {
            z.trim_end_matches(|c: char| c.is_ascii_lowercase())
                .to_string()
        });
        Some((region, z))
    };
    let mut regions: Vec<String> = Vec::new();
    let mut zones: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let note_zone = |regions: &mut Vec<String>,
                     zones: &mut BTreeMap<String, Vec<String>>,
                     region: &str,
                     az: &str| {
        if !regions.iter().any(|r| r == region) {
            regions.push(region.to_string());
        }
        let z = zones.entry(region.to_string()).or_default();
        if !z.iter().any(|x| x == az) {
            z.push(az.to_string());
        }
    };
    let experiment_start = 3600u64;
    let mut disasters: Vec<Item> = Vec::new();
    let onset = |a: &Action<'_>| Ron::call("At", &[&secs(experiment_start + start[&a.name])]);
    let duration = |a: &Action<'_>| {
        a.duration_s
            .filter(|&d| d > 0)
            .map(|d| Ron::call("Fixed", &[&secs(d)]))
    };
    let place =
        |a: &Action<'_>| format!("{label}:{} action {} ({})", a.node.pos.line, a.name, a.id);
    // The AZ power interruption: AZ-scoped zonal faults in one AZ fold into one AZ outage.
    const ZONAL: &[&str] = &[
        "aws:ec2:stop-instances",
        "aws:network:disrupt-connectivity",
        "aws:ec2:api-insufficient-instance-capacity-error",
        "aws:ec2:asg-insufficient-instance-capacity-error",
        "aws:ebs:pause-volume-io",
        "aws:rds:failover-db-cluster",
        "aws:rds:reboot-db-instances",
        "aws:elasticache:replicationgroup-interrupt-az-power",
        "aws:elasticache:interrupt-cluster-az-power",
    ];
    let scoped: Vec<(usize, String, String)> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| ZONAL.contains(&a.id.as_str()))
        .filter_map(|(i, a)| az_of(a, &mut report).map(|(r, z)| (i, r, z)))
        .collect();
    let power = scoped.len() >= 2
        && scoped.iter().all(|(_, _, z)| *z == scoped[0].2)
        && scoped.iter().any(|(i, _, _)| {
            matches!(
                actions[*i].id.as_str(),
                "aws:ec2:stop-instances" | "aws:network:disrupt-connectivity"
            )
        });
    let mut folded = vec![false; actions.len()];
    if power {
        let (region, az) = (scoped[0].1.clone(), scoped[0].2.clone());
        note_zone(&mut regions, &mut zones, &region, &az);
        let first = scoped
            .iter()
            .map(|(i, _, _)| start[&actions[*i].name])
            .min()
            .unwrap_or(0);
        let last = scoped
            .iter()
            .map(|(i, _, _)| start[&actions[*i].name] + actions[*i].duration_s.unwrap_or(0))
            .max()
            .unwrap_or(first);
        let names: Vec<String> = scoped
            .iter()
            .map(|(i, _, _)| actions[*i].name.clone())
            .collect();
        for (i, _, _) in &scoped {
            folded[*i] = true;
        }
        report.translated.push(format!(
            "{label}: the AZ power interruption ({}) in {az} is one AzOutage for its longest action",
            names.join(", ")
        ));
        let mut f = Fields::new()
            .set("name", Ron::s("az-power-interruption"))
            .set(
                "kind",
                Fields::new().set("az", Ron::s(&az)).variant("AzOutage"),
            )
            .set("onset", Ron::call("At", &[&secs(experiment_start + first)]));
        if last > first {
            f = f.set("duration", Ron::call("Fixed", &[&secs(last - first)]));
        }
        disasters.push(Item {
            value: f.tuple(),
            comment: vec![
                format!("from {label}: {}", names.join(", ")),
                "assumption: the experiment starts 1 h into the run".to_string(),
            ],
        });
    }
    for (i, a) in actions.iter().enumerate() {
        if folded[i] {
            continue;
        }
        let here = place(a);
        let comment = vec![
            format!("from {here}"),
            "assumption: the experiment starts 1 h into the run".to_string(),
        ];
        let kinds: &[&str] = match a.id.as_str() {
            "aws:ec2:stop-instances"
            | "aws:ec2:terminate-instances"
            | "aws:ec2:reboot-instances" => &["Ec2"],
            "aws:rds:failover-db-cluster" | "aws:rds:reboot-db-instances" => &["Aurora", "Rds"],
            "aws:dynamodb:global-table-pause-replication" => &["DynamoDb"],
            _ => &[],
        };
        let resources = matched(a, &target_of(a), kinds, base, &mut report, label);
        let push = |disasters: &mut Vec<Item>,
                    name: String,
                    kind: Ron,
                    d: Option<Ron>,
                    mut comment: Vec<String>,
                    note: Option<&str>| {
            if let Some(n) = note {
                comment.push(n.to_string());
            }
            let f = Fields::new()
                .set("name", Ron::s(name))
                .set("kind", kind)
                .set("onset", onset(a))
                .maybe("duration", d);
            disasters.push(Item {
                value: f.tuple(),
                comment,
            });
        };
        match a.id.as_str() {
            "aws:ec2:stop-instances"
            | "aws:ec2:terminate-instances"
            | "aws:ec2:reboot-instances"
            | "aws:rds:failover-db-cluster"
            | "aws:rds:reboot-db-instances" => {
                if resources.is_empty() {
                    report.not_understood.push(format!(
                        "{here}: its targets match no resource of the scenario{}; left out",
                        if base.is_none() {
                            " (give --scenario FILE)"
                        } else {
                            ""
                        }
                    ));
                    continue;
                }
                let (d, note) = match a.id.as_str() {
                    "aws:ec2:reboot-instances" | "aws:rds:reboot-db-instances" => (
                        Some(Ron::call("Fixed", &["2m"])),
                        Some("assumption: back after a 2-minute reboot"),
                    ),
                    "aws:rds:failover-db-cluster" => (
                        Some(Ron::call("Fixed", &["10m"])),
                        Some("assumption: the old writer rejoins as a reader 10 minutes later"),
                    ),
                    "aws:ec2:terminate-instances" => {
                        (None, Some("a terminated instance does not come back"))
                    }
                    _ => (
                        duration(a),
                        if a.duration_s.is_none() {
                            Some("no startInstancesAfterDuration: stopped past the horizon")
                        } else {
                            None
                        },
                    ),
                };
                for r in &resources {
                    let kind = Fields::new()
                        .set("resource", Ron::s(r))
                        .variant("ResourceFailure");
                    push(
                        &mut disasters,
                        format!("{}-{r}", kebab(&a.name)),
                        kind,
                        d.clone(),
                        comment.clone(),
                        note,
                    );
                }
            }
            "aws:network:disrupt-connectivity" => {
                let scope = ci(a.node, "parameters")
                    .and_then(|p| ci(p, "scope"))
                    .and_then(Node::text)
                    .unwrap_or("all");
                match (scope, az_of(a, &mut report)) {
                    ("all" | "availability-zone", Some((region, az))) => {
                        note_zone(&mut regions, &mut zones, &region, &az);
                        let kind = Fields::new().set("az", Ron::s(&az)).variant("AzOutage");
                        report.translated.push(format!("{here}: the subnets of {az} cut off: an AzOutage"));
                        push(&mut disasters, kebab(&a.name), kind, duration(a), comment, None);
                    }
                    _ => report.not_understood.push(format!(
                        "{here}: connectivity disrupted with scope {scope:?} for subnets not scoped to one AZ; drsim's faults are per AZ, Region or resource; left out"
                    )),
                }
            }
            "aws:network:route-table-disrupt-cross-region-connectivity"
            | "aws:network:transit-gateway-disrupt-cross-region-connectivity" => {
                let other = ci(a.node, "parameters")
                    .and_then(|p| ci(p, "region"))
                    .and_then(Node::text);
                let home = base
                    .and_then(|b| b.scenario.regions.first().map(|r| r.name.clone()))
                    .or_else(|| regions.first().cloned());
                match (home, other) {
                    (Some(h), Some(o)) if h != o => {
                        for r in [&h, &o.to_string()] {
                            if !regions.contains(r) {
                                regions.push(r.clone());
                            }
                        }
                        let kind = Fields::new()
                            .set("a", Ron::s(&h))
                            .set("b", Ron::s(o))
                            .variant("Partition");
                        push(
                            &mut disasters,
                            kebab(&a.name),
                            kind,
                            duration(a),
                            comment,
                            Some("assumption: the targets' Region is the scenario's first"),
                        );
                    }
                    _ => report
                        .not_understood
                        .push(format!("{here}: the two Regions are not known; left out")),
                }
            }
            "aws:dynamodb:global-table-pause-replication" => {
                let table = resources.first().and_then(|t| {
                    base.and_then(|b| b.scenario.resources.get(t).map(|r| (t.clone(), r)))
                });
                match table {
                    Some((t, sim_core::spec::Resource::DynamoDb(c))) if !c.replicas.is_empty() => {
                        let kind = Fields::new()
                            .set("a", Ron::s(&c.region))
                            .set("b", Ron::s(&c.replicas[0]))
                            .variant("Partition");
                        report.translated.push(format!(
                            "{here}: paused replication of {t} written as a partition between {} and {}: it cuts everything between the two Regions, not only this table's replication",
                            c.region, c.replicas[0]
                        ));
                        push(
                            &mut disasters,
                            kebab(&a.name),
                            kind,
                            duration(a),
                            comment,
                            Some("a Partition: wider than the table's replication alone"),
                        );
                    }
                    _ => report.not_understood.push(format!(
                        "{here}: its global table matches none of the scenario's{}; left out",
                        if base.is_none() {
                            " (give --scenario FILE)"
                        } else {
                            ""
                        }
                    )),
                }
            }
            "aws:fis:inject-api-unavailable-error"
            | "aws:fis:inject-api-throttle-error"
            | "aws:fis:inject-api-internal-error" => {
                let service = ci(a.node, "parameters")
                    .and_then(|p| ci(p, "service"))
                    .and_then(Node::text)
                    .unwrap_or("?");
                report.translated.push(format!(
                    "{here}: API errors for one role's {service} calls have no drsim fault (its control-plane faults are per Region); written as a Planned event, which fails nothing"
                ));
                let kind = Fields::new()
                    .set("what", Ron::s(format!("{} on {service} calls", a.id)))
                    .variant("Planned");
                push(
                    &mut disasters,
                    kebab(&a.name),
                    kind,
                    duration(a),
                    comment,
                    Some("a Planned event: nothing fails in drsim (see the report)"),
                );
            }
            "aws:fis:wait" => {}
            other => report
                .not_understood
                .push(format!("{here}: {other} has no drsim equivalent; left out")),
        }
    }
    if disasters.is_empty() {
        return Err(error_at(
            label,
            actions_node.pos,
            "no action of this experiment maps to a drsim disaster (see `docs/import.md`)",
        ));
    }
    let mut draft = Draft {
        name: base.map_or_else(
            || "fis-experiment".to_string(),
            |b| format!("{}-fis", b.scenario.name),
        ),
        description: format!("Disasters from the FIS experiment {label}."),
        disasters,
        report,
        ..Draft::default()
    };
    match base {
        Some(b) => {
            draft.extends = Some(b.extends.clone());
            // A base's enabled disasters would also run: only the experiment's are enabled.
            for d in &b.scenario.disasters {
                if d.enabled {
                    draft.report.translated.push(format!(
                        "the scenario's disaster {} is not enabled here: the experiment's are",
                        d.name
                    ));
                }
            }
            let replaced: Vec<Item> = b
                .scenario
                .disasters
                .iter()
                .filter(|d| d.enabled)
                .map(|d| Item {
                    value: Ron::Ident(ron_of_disaster(d).to_string()),
                    comment: vec![format!(
                        "the scenario's own {:?}, off while the experiment runs",
                        d.name
                    )],
                })
                .collect();
            draft.disasters.extend(replaced);
        }
        None => {
            if regions.is_empty() {
                regions.push("us-east-1".to_string());
                draft
                    .report
                    .assumptions
                    .push("one Region, us-east-1 (no target names one)".into());
            }
            draft.horizon = Some(("12h".into(), "assumption: a 12-hour horizon".into()));
            draft.regions = regions
                .iter()
                .map(|r| {
                    let mut azs = super::assemble::default_azs(r);
                    for z in zones.get(r).cloned().unwrap_or_default() {
                        if !azs.contains(&z) {
                            azs.push(z);
                        }
                    }
                    (r.clone(), azs, vec!["assumption: AZs a, b and c; give --scenario FILE to match targets against your architecture".to_string()])
                })
                .collect();
        }
    }
    draft.finish(label)
}

/// A base scenario's disaster, disabled, as RON text.
fn ron_of_disaster(d: &sim_core::spec::DisasterConfig) -> String {
    let mut d = d.clone();
    d.enabled = false;
    ron::Options::default()
        .with_default_extension(crate::source::EXTENSIONS)
        .to_string(&d)
        .unwrap_or_default()
}

/// The experiment template in a document: the API's JSON (maybe under `experimentTemplate`) or the first
/// `AWS::FIS::ExperimentTemplate` of a CloudFormation template.
fn find_template(root: &Node) -> Option<&Node> {
    if let Some(t) = ci(root, "experimentTemplate") {
        return Some(t);
    }
    if ci(root, "actions").is_some() {
        return Some(root);
    }
    root.get("Resources")?
        .entries()
        .iter()
        .map(|(_, r)| r)
        .find(|r| r.get("Type").and_then(Node::text) == Some("AWS::FIS::ExperimentTemplate"))
        .and_then(|r| r.get("Properties"))
}

/// Scenario resources a target block names: ARNs, tag values (matched against names) and AZ filters.
fn matched(
    a: &Action<'_>,
    targets: &[&Node],
    kinds: &[&str],
    base: Option<&Base>,
    report: &mut Report,
    label: &str,
) -> Vec<String> {
    let Some(base) = base else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for t in targets {
        let mut found = Vec::new();
        for arn in ci(t, "resourceArns")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::text)
        {
            found.extend(base.find(arn, kinds));
        }
        for (_, v) in ci(t, "resourceTags").map(Node::entries).unwrap_or_default() {
            if let Some(v) = v.text() {
                found.extend(base.find(v, kinds));
            }
        }
        let mut az_filter: Vec<String> = Vec::new();
        for f in ci(t, "filters").map(Node::items).unwrap_or_default() {
            if ci(f, "path")
                .and_then(Node::text)
                .is_some_and(|p| p.ends_with("AvailabilityZone"))
            {
                az_filter.extend(
                    ci(f, "values")
                        .map(Node::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(Node::text)
                        .map(str::to_string),
                );
            }
        }
        let has_ids = ci(t, "resourceArns").is_some()
            || ci(t, "resourceTags").is_some_and(|t| !t.entries().is_empty());
        if found.is_empty() && !has_ids && !az_filter.is_empty() {
            // Only a filter: every resource of the kind in those AZs.
            for (name, r) in &base.scenario.resources {
                if kinds.contains(&r.kind().as_str())
                    && let sim_core::model::Placement::Az(az) = r.service().placement()
                    && az_filter.iter().any(|z| z == az)
                {
                    found.push(name.clone());
                }
            }
        } else if !az_filter.is_empty() {
            found.retain(|name| {
                match base
                    .scenario
                    .resources
                    .get(name)
                    .map(|r| r.service().placement())
                {
                    Some(sim_core::model::Placement::Az(az)) => az_filter.iter().any(|z| z == az),
                    _ => true,
                }
            });
        }
        let mode = ci(t, "selectionMode").and_then(Node::text).unwrap_or("ALL");
        if mode != "ALL" {
            if let Some(n) = mode
                .strip_prefix("COUNT(")
                .and_then(|m| m.strip_suffix(')'))
                .and_then(|n| n.parse::<usize>().ok())
            {
                found.truncate(n);
            } else {
                report.translated.push(format!(
                    "{label}:{} action {}: selection {mode} taken as ALL",
                    a.node.pos.line, a.name
                ));
            }
        }
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_seconds("PT30M"), Some(1800));
        assert_eq!(iso_seconds("PT1H30M"), Some(5400));
        assert_eq!(iso_seconds("PT90S"), Some(90));
        assert_eq!(iso_seconds("P1D"), Some(86400));
        assert_eq!(iso_seconds("PT0.5S"), Some(1));
        assert_eq!(iso_seconds("30m"), None);
        assert_eq!(iso_seconds("PT"), None);
        assert_eq!(iso_seconds("PT5X"), None);
        assert_eq!(
            region_of_az_id("use1-az2"),
            Some(("us-east-1".into(), "us-east-1b".into()))
        );
    }
}
