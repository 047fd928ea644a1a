//! From the infrastructure model to a scenario: things grouped into drsim resources (an Aurora global
//! cluster and its secondaries are one `Aurora`; a PRIMARY and a SECONDARY record of one name are one
//! `Record`; a load balancer absorbs its listeners and target groups), each with the comment naming its
//! sources; then the proposed flows and disasters, and the state machines' runbooks.

use std::collections::{BTreeMap, BTreeSet};

use super::infra::{Infra, Kind, Link, Routing, Thing, arn_region};
use super::ron::{Fields, Item, Ron};
use super::stepfunctions::{self, Resolve};
use super::{Draft, dist, kebab, secs};

/// What assembling needs besides the model.
pub struct Options {
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// `--task STATE=ACTION` mappings for the state machines' Lambda tasks.
    pub tasks: BTreeMap<String, String>,
}

/// A drsim resource being made from things.
#[derive(Clone, Debug)]
struct Unit {
    /// The thing that names it (a global cluster, the primary cluster, the first record).
    main: usize,
    /// Every thing it stands for, `main` first.
    members: Vec<usize>,
    role: Role,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Aurora,
    RdsCluster,
    Rds,
    Table,
    Bucket,
    Ec2,
    Asg,
    Alb,
    Lambda,
    CloudFront,
    Record,
    HealthCheck,
    Alarm,
}

impl Role {
    fn kind(self) -> &'static str {
        match self {
            Role::Aurora => "Aurora",
            Role::RdsCluster | Role::Rds => "Rds",
            Role::Table => "DynamoDb",
            Role::Bucket => "S3",
            Role::Ec2 => "Ec2",
            Role::Asg => "Asg",
            Role::Alb => "Alb",
            Role::Lambda => "Lambda",
            Role::CloudFront => "CloudFront",
            Role::Record => "Record",
            Role::HealthCheck => "HealthCheck",
            Role::Alarm => "Alarm",
        }
    }

    fn is_store(self) -> bool {
        matches!(
            self,
            Role::Aurora | Role::RdsCluster | Role::Rds | Role::Table | Role::Bucket
        )
    }

    fn is_compute(self) -> bool {
        matches!(self, Role::Ec2 | Role::Asg | Role::Lambda)
    }
}

/// Builds the scenario from the model.
pub struct Assembler<'a> {
    infra: &'a Infra,
    units: Vec<Unit>,
    unit_of: Vec<Option<usize>>,
    names: Vec<String>,
    /// Links resolved once.
    resolved: BTreeMap<usize, Vec<Option<usize>>>,
    draft: Draft,
    azs: BTreeMap<String, BTreeSet<String>>,
}

/// The default AZs of a Region (what `Fn::GetAZs` returns here): `a`, `b` and `c`.
pub fn default_azs(region: &str) -> Vec<String> {
    ["a", "b", "c"]
        .iter()
        .map(|s| format!("{region}{s}"))
        .collect()
}

/// Assembles the scenario: resources, proposals, runbooks and the report.
pub fn assemble(infra: Infra, options: &Options) -> Draft {
    let mut a = Assembler {
        infra: &infra,
        units: Vec::new(),
        unit_of: vec![None; infra.things.len()],
        names: Vec::new(),
        resolved: BTreeMap::new(),
        draft: Draft {
            name: options.name.clone(),
            description: options.description.clone(),
            report: infra.report.clone(),
            ..Draft::default()
        },
        azs: BTreeMap::new(),
    };
    a.group();
    a.name_units();
    let resources: Vec<(String, Item)> = (0..a.units.len())
        .filter_map(|u| a.render(u).map(|item| (a.names[u].clone(), item)))
        .collect();
    a.draft.resources = resources;
    a.runbooks(options);
    a.propose();
    a.regions();
    a.draft.horizon = Some((
        "12h".to_string(),
        "assumption: a 12-hour horizon, long enough for the proposed disasters' recoveries"
            .to_string(),
    ));
    a.draft.report.assumptions.push("horizon 12h".to_string());
    a.draft
}

impl Assembler<'_> {
    fn thing(&self, i: usize) -> &Thing {
        &self.infra.things[i]
    }

    fn link(&self, link: &Option<Link>) -> Option<usize> {
        link.as_ref().and_then(|l| self.infra.resolve(l))
    }

    fn links(&self, links: &[Link]) -> Vec<usize> {
        links.iter().filter_map(|l| self.infra.resolve(l)).collect()
    }

    fn add_unit(&mut self, main: usize, members: Vec<usize>, role: Role) -> usize {
        let u = self.units.len();
        for &m in &members {
            self.unit_of[m] = Some(u);
        }
        self.units.push(Unit {
            main,
            members,
            role,
        });
        u
    }

    fn note_left_out(&mut self, i: usize, why: &str) {
        let t = self.thing(i);
        let line = format!("{} in {}: {why}", t.source.describe(), t.region);
        self.draft.report.left_out.push(line);
    }

    fn not_understood(&mut self, i: usize, why: &str) {
        let t = self.thing(i);
        let line = format!("{} in {}: {why}", t.source.describe(), t.region);
        self.draft.report.not_understood.push(line);
    }

    /// Groups things into units.
    #[allow(clippy::needless_range_loop)] // indices name things in several tables at once
    fn group(&mut self) {
        let n = self.infra.things.len();
        let _ = &self.resolved;
        // Aurora: global clusters with their members; clusters joined by identifier.
        let mut globals: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let key_of = |a: &Self, i: usize| -> Option<String> {
            match &a.thing(i).kind {
                Kind::GlobalCluster { .. } => Some(format!("thing:{i}")),
                Kind::DbCluster {
                    global: Some(g), ..
                } => match a.infra.resolve(g) {
                    Some(j) if matches!(a.thing(j).kind, Kind::GlobalCluster { .. }) => {
                        Some(format!("thing:{j}"))
                    }
                    _ => match g {
                        Link::Name(s) => Some(format!("name:{s}")),
                        Link::Thing(_) => None,
                    },
                },
                _ => None,
            }
        };
        for i in 0..n {
            if let Some(k) = key_of(self, i) {
                globals.entry(k).or_default().push(i);
            }
        }
        // A global's source cluster joins its group.
        for i in 0..n {
            if let Kind::GlobalCluster { source } = &self.thing(i).kind
                && let Some(s) = self.link(source)
            {
                let group = globals.entry(format!("thing:{i}")).or_default();
                if !group.contains(&s) {
                    group.push(s);
                }
            }
        }
        let mut clustered = vec![false; n];
        for (_, members) in globals {
            let global = members
                .iter()
                .copied()
                .find(|&i| matches!(self.thing(i).kind, Kind::GlobalCluster { .. }));
            let clusters: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| matches!(self.thing(i).kind, Kind::DbCluster { .. }))
                .collect();
            if clusters.is_empty() {
                if let Some(g) = global {
                    self.note_left_out(
                        g,
                        "a global cluster with no member cluster in the given stacks",
                    );
                }
                continue;
            }
            let source = global.and_then(|g| match &self.thing(g).kind {
                Kind::GlobalCluster { source } => self.link(source),
                _ => None,
            });
            let primary = source
                .filter(|s| clusters.contains(s))
                .or_else(|| {
                    clusters.iter().copied().find(|&c| {
                        matches!(&self.thing(c).kind, Kind::DbCluster { global: None, .. })
                    })
                })
                .or_else(|| {
                    global.and_then(|g| {
                        clusters
                            .iter()
                            .copied()
                            .find(|&c| self.thing(c).region == self.thing(g).region)
                    })
                })
                .unwrap_or(clusters[0]);
            let mut ordered = vec![primary];
            ordered.extend(clusters.iter().copied().filter(|&c| c != primary));
            for &c in &ordered {
                clustered[c] = true;
            }
            let mut all = Vec::new();
            if let Some(g) = global {
                all.push(g);
            }
            all.extend(&ordered);
            let main = global.unwrap_or(primary);
            self.add_unit(main, all, Role::Aurora);
        }
        for i in 0..n {
            match &self.thing(i).kind {
                Kind::DbCluster { aurora, .. } if !clustered[i] => {
                    let role = if *aurora {
                        Role::Aurora
                    } else {
                        Role::RdsCluster
                    };
                    self.add_unit(i, vec![i], role);
                }
                _ => {}
            }
        }
        // Instances of clusters, then standalone instances and their read replicas.
        for i in 0..n {
            if let Kind::DbInstance {
                cluster: Some(c), ..
            } = &self.thing(i).kind
            {
                match self.infra.resolve(c).and_then(|c| self.unit_of[c]) {
                    Some(u) => {
                        self.units[u].members.push(i);
                        self.unit_of[i] = Some(u);
                    }
                    None => self.not_understood(i, "its DB cluster is not in the given stacks"),
                }
            }
        }
        for i in 0..n {
            if let Kind::DbInstance {
                cluster: None,
                replica_of: None,
                ..
            } = &self.thing(i).kind
            {
                self.add_unit(i, vec![i], Role::Rds);
            }
        }
        for i in 0..n {
            if let Kind::DbInstance {
                replica_of: Some(src),
                cluster: None,
                ..
            } = &self.thing(i).kind
            {
                // Follow a chain of replicas to its source (bounded by the number of things).
                let mut at = self.infra.resolve(src);
                for _ in 0..n {
                    match at {
                        Some(j) if self.unit_of[j].is_none() => match &self.thing(j).kind {
                            Kind::DbInstance { replica_of, .. } => at = self.link(replica_of),
                            _ => break,
                        },
                        _ => break,
                    }
                }
                match at.and_then(|j| self.unit_of[j]) {
                    Some(u) if self.units[u].role == Role::Rds => {
                        self.units[u].members.push(i);
                        self.unit_of[i] = Some(u);
                    }
                    _ => self.not_understood(
                        i,
                        "a read replica whose source database is not in the given stacks (unresolvable SourceDBInstanceIdentifier)",
                    ),
                }
            }
        }
        // Tables: one per name (a global table declared in both stacks is one table).
        let mut tables: BTreeMap<String, usize> = BTreeMap::new();
        for i in 0..n {
            if let Kind::Table { .. } = &self.thing(i).kind {
                let name = self.thing(i).name.clone();
                match name.as_ref().and_then(|nm| tables.get(nm)) {
                    Some(&u) => {
                        self.units[u].members.push(i);
                        self.unit_of[i] = Some(u);
                    }
                    None => {
                        let u = self.add_unit(i, vec![i], Role::Table);
                        if let Some(nm) = name {
                            tables.insert(nm, u);
                        }
                    }
                }
            }
        }
        for i in 0..n {
            let role = match &self.thing(i).kind {
                Kind::Bucket { .. } => Role::Bucket,
                Kind::Instance { .. } => Role::Ec2,
                Kind::Asg { .. } => Role::Asg,
                Kind::LoadBalancer { .. } => Role::Alb,
                Kind::Distribution { .. } => Role::CloudFront,
                Kind::HealthCheck { .. } => Role::HealthCheck,
                Kind::Alarm { .. } => Role::Alarm,
                _ => continue,
            };
            self.add_unit(i, vec![i], role);
        }
        // Functions behind an API or a load balancer's target group; the API joins its function.
        for i in 0..n {
            let functions = match &self.thing(i).kind {
                Kind::Api { functions } => self.links(functions),
                _ => continue,
            };
            let functions: Vec<usize> = functions
                .into_iter()
                .filter(|&f| matches!(self.thing(f).kind, Kind::Function))
                .collect();
            let Some(&first) = functions.first() else {
                self.not_understood(
                    i,
                    "an API whose integration names no function in the given stacks",
                );
                continue;
            };
            let u = match self.unit_of[first] {
                Some(u) => u,
                None => self.add_unit(first, vec![first], Role::Lambda),
            };
            self.units[u].members.push(i);
            self.unit_of[i] = Some(u);
            if functions.len() > 1 {
                self.draft.report.translated.push(format!(
                    "{}: an API over {} functions is one drsim Lambda (API Gateway + Lambda), named after the first",
                    self.thing(i).source.describe(),
                    functions.len()
                ));
            }
        }
        for i in 0..n {
            if let Kind::TargetGroup { targets, .. } = &self.thing(i).kind {
                for f in self.links(targets) {
                    if matches!(self.thing(f).kind, Kind::Function) && self.unit_of[f].is_none() {
                        self.add_unit(f, vec![f], Role::Lambda);
                    }
                }
            }
        }
        for i in 0..n {
            if matches!(self.thing(i).kind, Kind::Function) && self.unit_of[i].is_none() {
                self.note_left_out(
                    i,
                    "a function behind no API or load balancer takes no client traffic (a state machine's Lambda task becomes a runbook step)",
                );
            }
        }
        // Records: one per DNS name (A, AAAA and CNAME answers of one name are one record).
        let mut records: BTreeMap<String, usize> = BTreeMap::new();
        for i in 0..n {
            if let Kind::Record { dns, .. } = &self.thing(i).kind {
                let key = dns.trim_end_matches('.').to_ascii_lowercase();
                match records.get(&key) {
                    Some(&u) => {
                        self.units[u].members.push(i);
                        self.unit_of[i] = Some(u);
                    }
                    None => {
                        let u = self.add_unit(i, vec![i], Role::Record);
                        records.insert(key, u);
                    }
                }
            }
        }
    }

    /// Names every unit: the physical name when the source gives one, else the logical id in kebab case; a
    /// Region suffix for names two units share (one template deployed twice).
    fn name_units(&mut self) {
        let base: Vec<String> = self
            .units
            .iter()
            .map(|u| {
                let t = &self.infra.things[u.main];
                if let Kind::Record { dns, .. } = &t.kind {
                    return dns.trim_end_matches('.').to_string();
                }
                match &t.name {
                    Some(n) if sane(n) => n.clone(),
                    _ => kebab(logical(&t.source.id)),
                }
            })
            .collect();
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for b in &base {
            *count.entry(b).or_default() += 1;
        }
        let mut names: Vec<String> = Vec::new();
        for (u, b) in base.iter().enumerate() {
            let mut name = if count[b.as_str()] > 1 {
                format!("{b}-{}", self.infra.things[self.units[u].main].region)
            } else {
                b.clone()
            };
            let stem = name.clone();
            let mut k = 2;
            while names.contains(&name) {
                name = format!("{stem}-{k}");
                k += 1;
            }
            names.push(name);
        }
        self.names = names;
    }

    /// The unit name a link leads to.
    fn target(&self, link: &Option<Link>) -> Option<usize> {
        self.link(link).and_then(|i| self.unit_of[i])
    }

    fn comment(&self, u: usize) -> Vec<String> {
        let unit = &self.units[u];
        let mut lines: Vec<String> = unit
            .members
            .iter()
            .map(|&m| {
                let t = self.thing(m);
                format!("from {} in {}", t.source.describe(), t.region)
            })
            .collect();
        lines.dedup();
        lines
    }

    fn see_az(&mut self, region: &str, az: &str) {
        self.azs
            .entry(region.to_string())
            .or_default()
            .insert(az.to_string());
    }

    /// Notes a Region the scenario must list (a replica's, a copy's destination).
    fn see_region(&mut self, region: &str) {
        self.azs.entry(region.to_string()).or_default();
    }

    fn assume(&mut self, comments: &mut Vec<String>, what: String) {
        self.draft.report.assumptions.push(format!(
            "{}: {what}",
            comments
                .first()
                .map_or("", |c| c.strip_prefix("from ").unwrap_or(c))
        ));
        comments.push(format!("assumption: {what}"));
    }

    /// The AZs of a Region as drsim places resources (`GetAZs` and unplaced resources use these).
    fn region_azs(&self, region: &str) -> Vec<String> {
        default_azs(region)
    }

    /// One unit as a RON resource, or `None` when it cannot be one (the reason is reported).
    fn render(&mut self, u: usize) -> Option<Item> {
        let unit = self.units[u].clone();
        let mut comment = self.comment(u);
        let main = self.thing(unit.main).clone();
        let value = match unit.role {
            Role::Aurora => self.aurora(&unit, &mut comment),
            Role::RdsCluster => {
                let azs = self.region_azs(&main.region);
                self.assume(
                    &mut comment,
                    format!(
                        "a Multi-AZ DB cluster's writer in {} and readers in the next two AZs",
                        azs[0]
                    ),
                );
                for az in &azs {
                    self.see_az(&main.region, az);
                }
                Fields::new()
                    .set(
                        "deployment",
                        Fields::new()
                            .set("writer_az", Ron::s(&azs[0]))
                            .set("reader_azs", Ron::strs(&azs[1..]))
                            .variant("MultiAzCluster"),
                    )
                    .variant("Rds")
            }
            Role::Rds => self.rds(&unit, &mut comment),
            Role::Table => self.table(&unit, &mut comment),
            Role::Bucket => self.bucket(&unit, &mut comment)?,
            Role::Ec2 => {
                let Kind::Instance { az, subnet, itype } = &main.kind else {
                    return None;
                };
                let from_subnet = self.link(subnet).and_then(|s| match &self.thing(s).kind {
                    Kind::Subnet { az } => az.clone(),
                    _ => None,
                });
                let az = match az.clone().or(from_subnet) {
                    Some(az) => az.clone(),
                    None => {
                        let az = self.region_azs(&main.region)[0].clone();
                        self.assume(
                            &mut comment,
                            format!("placed in {az} (the template names no AZ)"),
                        );
                        az
                    }
                };
                self.see_az(&main.region, &az);
                let mut f = Fields::new().set("az", Ron::s(&az));
                if let Some(t) = itype.as_deref().filter(|t| known_item("ec2", t)) {
                    f = f.set("instance_type", Ron::s(t));
                }
                f.variant("Ec2")
            }
            Role::Asg => self.asg(&unit, &mut comment),
            Role::Alb => self.alb(&unit, &mut comment)?,
            Role::Lambda => Fields::new()
                .set("region", Ron::s(&main.region))
                .variant("Lambda"),
            Role::CloudFront => self.cloudfront(&unit, &mut comment)?,
            Role::Record => self.record(&unit, &mut comment)?,
            Role::HealthCheck => {
                let Kind::HealthCheck {
                    target,
                    interval_s,
                    threshold,
                } = &main.kind
                else {
                    return None;
                };
                let Some(t) = self
                    .target(target)
                    .filter(|&t| routable(self.units[t].role))
                else {
                    self.not_understood(
                        unit.main,
                        "its endpoint (FullyQualifiedDomainName or IPAddress) names nothing in the given stacks; left out",
                    );
                    return None;
                };
                let mut f = Fields::new().set("target", Ron::s(&self.names[t]));
                if let Some(i) = interval_s.filter(|&i| i == 10 || i == 30) {
                    f = f.set("interval", Ron::s(secs(i)));
                }
                if let Some(k) = threshold.filter(|&k| (1..=10).contains(&k)) {
                    f = f.set("failure_threshold", Ron::int(k));
                }
                f.variant("HealthCheck")
            }
            Role::Alarm => self.alarm(&unit, &mut comment)?,
        };
        Some(Item { value, comment })
    }

    fn aurora(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Ron {
        let clusters: Vec<usize> = unit
            .members
            .iter()
            .copied()
            .filter(|&m| matches!(self.thing(m).kind, Kind::DbCluster { .. }))
            .collect();
        let primary = clusters[0];
        let region = self.thing(primary).region.clone();
        let mut azs: Vec<String> = Vec::new();
        let mut unplaced = 0;
        let mut class = None;
        for &m in &unit.members {
            if let Kind::DbInstance {
                cluster: Some(c),
                az,
                class: cl,
                ..
            } = &self.thing(m).kind
                && self.infra.resolve(c) == Some(primary)
            {
                match az {
                    Some(az) => azs.push(az.clone()),
                    None => unplaced += 1,
                }
                class = class.or(cl.clone());
            }
        }
        let defaults = self.region_azs(&region);
        if unplaced > 0 || azs.is_empty() {
            let count = (unplaced + azs.len()).max(1);
            let mut filled = Vec::new();
            for az in defaults.iter().cycle().take(count.max(2) + azs.len()) {
                if filled.len() + azs.len() >= count {
                    break;
                }
                if !azs.contains(az) && !filled.contains(az) {
                    filled.push(az.clone());
                }
            }
            if azs.is_empty() && filled.is_empty() {
                filled.push(defaults[0].clone());
            }
            let what = if count == 1 && unplaced == 0 {
                format!(
                    "one instance in {} (the template declares no DB instance for the cluster)",
                    filled.join(", ")
                )
            } else {
                format!(
                    "instances without an AvailabilityZone placed in {}",
                    filled.join(", ")
                )
            };
            self.assume(comment, what);
            azs.extend(filled);
        }
        for az in &azs {
            self.see_az(&region, az);
        }
        let mut f = Fields::new().set("instance_azs", Ron::strs(&azs));
        let secondaries: Vec<Ron> = clusters[1..]
            .iter()
            .map(|&c| {
                Fields::new()
                    .set("region", Ron::s(&self.thing(c).region))
                    .tuple()
            })
            .collect();
        if !secondaries.is_empty() {
            f = f.set("secondaries", Ron::list(secondaries));
        }
        if let Kind::DbCluster {
            engine,
            retention_days,
            class: cluster_class,
            ..
        } = &self.thing(primary).kind
        {
            if !engine.contains("mysql") && !engine.is_empty() {
                comment.push(format!(
                    "engine {engine} is modelled as Aurora MySQL (drsim's one Aurora engine)"
                ));
            }
            if let Some(d) = retention_days.filter(|d| (1..=35).contains(d)) {
                f = f.set("backup_retention", Ron::s(format!("{d}d")));
            }
            class = class.or(cluster_class.clone());
        }
        if let Some(c) = class.filter(|c| known_item("aurora", c) || known_item("rds", c)) {
            f = f.set("instance_class", Ron::s(c));
        }
        f = self.backup_plan(unit, f);
        f.variant("Aurora")
    }

    fn rds(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Ron {
        let main = self.thing(unit.main).clone();
        let Kind::DbInstance {
            az,
            multi_az,
            retention_days,
            class,
            ..
        } = &main.kind
        else {
            return Ron::ident("()");
        };
        let defaults = self.region_azs(&main.region);
        let primary = match az {
            Some(az) => az.clone(),
            None => {
                self.assume(
                    comment,
                    format!("the primary in {} (no AvailabilityZone given)", defaults[0]),
                );
                defaults[0].clone()
            }
        };
        self.see_az(&main.region, &primary);
        let deployment = if *multi_az {
            let standby = defaults
                .iter()
                .find(|z| **z != primary)
                .cloned()
                .unwrap_or_else(|| defaults[1].clone());
            self.assume(
                comment,
                format!("the Multi-AZ standby in {standby} (RDS chooses it)"),
            );
            self.see_az(&main.region, &standby);
            Fields::new()
                .set("primary_az", Ron::s(&primary))
                .set("standby_az", Ron::s(&standby))
                .variant("MultiAzInstance")
        } else {
            Fields::new()
                .set("az", Ron::s(&primary))
                .variant("SingleAz")
        };
        let mut f = Fields::new().set("deployment", deployment);
        let mut replicas = Vec::new();
        for &m in &unit.members[1..] {
            let r = self.thing(m).clone();
            let Kind::DbInstance { az, .. } = &r.kind else {
                continue;
            };
            let raz = match az {
                Some(az) => az.clone(),
                None => {
                    let az = self.region_azs(&r.region)[0].clone();
                    self.assume(comment, format!("read replica {} in {az}", r.source.id));
                    az
                }
            };
            self.see_az(&r.region, &raz);
            replicas.push(Item {
                value: Fields::new().set("az", Ron::s(raz)).tuple(),
                comment: vec![format!("read replica {}", r.source.describe())],
            });
        }
        if !replicas.is_empty() {
            f = f.set("read_replicas", Ron::List(replicas));
        }
        match retention_days {
            Some(0) => f = f.set("automated_backups", Ron::Bool(false)),
            Some(d) if *d <= 35 => f = f.set("backup_retention", Ron::s(format!("{d}d"))),
            _ => {}
        }
        if let Some(c) = class.as_deref().filter(|c| known_item("rds", c)) {
            f = f.set("instance_class", Ron::s(c));
        }
        f = self.backup_plan(unit, f);
        f.variant("Rds")
    }

    fn table(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Ron {
        let main = self.thing(unit.main).clone();
        let mut regions: Vec<String> = Vec::new();
        let mut pitr = false;
        for &m in &unit.members {
            let t = self.thing(m);
            if let Kind::Table { replicas, pitr: p } = &t.kind {
                pitr |= *p;
                for r in std::iter::once(&t.region).chain(replicas) {
                    if !regions.contains(r) {
                        regions.push(r.clone());
                    }
                }
            }
        }
        // The table's own Region first (a global table's replica list may start elsewhere).
        regions.retain(|r| *r != main.region);
        for r in &regions {
            self.see_region(r);
        }
        let _ = comment;
        let mut f = Fields::new().set("region", Ron::s(&main.region));
        if !regions.is_empty() {
            f = f.set("replicas", Ron::strs(&regions));
        }
        if pitr {
            f = f.set("pitr", Ron::Bool(true));
        }
        f = self.backup_plan(unit, f);
        f.variant("DynamoDb")
    }

    fn bucket(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Option<Ron> {
        let main = self.thing(unit.main).clone();
        let Kind::Bucket {
            versioning,
            replicate_to,
            rtc,
            website,
        } = &main.kind
        else {
            return None;
        };
        let mut f = Fields::new().set("region", Ron::s(&main.region));
        let mut versioning = *versioning;
        if let Some(dest) = replicate_to {
            let region = self
                .infra
                .resolve(dest)
                .map(|d| self.thing(d).region.clone())
                .or_else(|| match dest {
                    Link::Name(s) => arn_region(s).map(str::to_string),
                    Link::Thing(_) => None,
                });
            match region {
                Some(r) if r != main.region => {
                    self.see_region(&r);
                    let mut rep = Fields::new().set("region", Ron::s(r));
                    if *rtc {
                        rep = rep.set("rtc", Ron::Bool(true));
                    }
                    if !versioning {
                        comment.push("replication needs versioning: on".to_string());
                        versioning = true;
                    }
                    f = f.set("replication", rep.tuple());
                }
                _ => {
                    let t = self.thing(unit.main).source.describe();
                    self.draft.report.not_understood.push(format!(
                        "{t}: replication to a bucket that is not in the given stacks or in the same Region; left out"
                    ));
                }
            }
        }
        if versioning {
            f = f.set("versioning", Ron::Bool(true));
        }
        if *website {
            comment.push("a static website (an origin for CloudFront)".to_string());
        }
        Some(f.variant("S3"))
    }

    fn asg(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Ron {
        let main = self.thing(unit.main).clone();
        let Kind::Asg {
            min,
            max,
            desired,
            azs,
            subnets,
            launch,
            itype,
            ..
        } = &main.kind
        else {
            return Ron::ident("()");
        };
        let mut zones: Vec<String> = azs.clone();
        for s in self.links(subnets) {
            if let Kind::Subnet { az: Some(az) } = &self.thing(s).kind
                && !zones.contains(az)
            {
                zones.push(az.clone());
            }
        }
        if zones.is_empty() {
            zones = self.region_azs(&main.region);
            self.assume(
                comment,
                format!(
                    "the group spans {} (its subnets' AZs are not in the template)",
                    zones.join(", ")
                ),
            );
        }
        for z in &zones {
            self.see_az(&main.region, z);
        }
        let max = max.unwrap_or(1).max(1);
        let min = min.unwrap_or(0).min(max);
        let desired = match desired {
            Some(d) => (*d).clamp(min, max),
            None => {
                self.assume(
                    comment,
                    format!("desired = MinSize = {min} (no DesiredCapacity)"),
                );
                min
            }
        };
        // Needed for full load: the largest desired size among the deployments of this logical resource.
        let same: Vec<u64> = self
            .infra
            .things
            .iter()
            .filter(|t| t.source.id == main.source.id && t.source.kind == main.source.kind)
            .filter_map(|t| match &t.kind {
                Kind::Asg { desired, min, .. } => desired.or(*min),
                _ => None,
            })
            .collect();
        let largest = same.into_iter().max().unwrap_or(desired);
        let needed = if largest > 0 {
            largest
        } else {
            (max / 2).max(1)
        };
        self.assume(
            comment,
            format!(
                "needed: {needed} instances carry the full load (the largest desired size of this group's deployments)"
            ),
        );
        let mut f = Fields::new()
            .set("region", Ron::s(&main.region))
            .set("azs", Ron::strs(&zones))
            .set("desired", Ron::int(desired))
            .set("min", Ron::int(min))
            .set("max", Ron::int(max))
            .set("needed", Ron::int(needed.min(max.max(1))));
        let itype = itype.clone().or_else(|| {
            self.link(launch).and_then(|l| match &self.thing(l).kind {
                Kind::LaunchTemplate { itype } => itype.clone(),
                _ => None,
            })
        });
        if let Some(t) = itype.filter(|t| known_item("ec2", t)) {
            f = f.set("instance_type", Ron::s(t));
        }
        f.variant("Asg")
    }

    /// The target units of a load balancer: its listeners' target groups' members and, for a classic one,
    /// its instances and the groups that name it.
    fn lb_targets(&self, lb: usize) -> (Vec<usize>, Option<(u64, u64, u64)>) {
        let mut groups = Vec::new();
        for (i, t) in self.infra.things.iter().enumerate() {
            if let Kind::Listener {
                lb: l,
                target_groups,
            } = &t.kind
            {
                // A listener rule names its listener, which names the load balancer.
                let via = self.link(l).and_then(|x| match &self.thing(x).kind {
                    Kind::Listener { lb, .. } => self.link(lb),
                    _ => None,
                });
                if self.link(l) == Some(lb) || via == Some(lb) {
                    groups.extend(self.links(target_groups));
                }
            }
            let _ = i;
        }
        let mut targets = Vec::new();
        let mut health = None;
        let push = |targets: &mut Vec<usize>, u: Option<usize>| {
            if let Some(u) = u
                && !targets.contains(&u)
            {
                targets.push(u);
            }
        };
        for &g in &groups {
            if let Kind::TargetGroup {
                targets: ts,
                interval_s,
                unhealthy,
                healthy,
            } = &self.thing(g).kind
            {
                if health.is_none() {
                    health = Some((
                        interval_s.unwrap_or(0),
                        unhealthy.unwrap_or(0),
                        healthy.unwrap_or(0),
                    ));
                }
                for t in self.links(ts) {
                    push(&mut targets, self.unit_of[t]);
                }
            }
            for (i, t) in self.infra.things.iter().enumerate() {
                if let Kind::Asg { target_groups, .. } = &t.kind
                    && self.links(target_groups).contains(&g)
                {
                    push(&mut targets, self.unit_of[i]);
                }
            }
        }
        if let Kind::LoadBalancer { instances, .. } = &self.thing(lb).kind {
            for t in self.links(instances) {
                push(&mut targets, self.unit_of[t]);
            }
        }
        for (i, t) in self.infra.things.iter().enumerate() {
            if let Kind::Asg { load_balancers, .. } = &t.kind
                && self.links(load_balancers).contains(&lb)
            {
                push(&mut targets, self.unit_of[i]);
            }
        }
        targets.retain(|&u| self.units[u].role.is_compute());
        (targets, health)
    }

    fn alb(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Option<Ron> {
        let main = self.thing(unit.main).clone();
        let (targets, health) = self.lb_targets(unit.main);
        if targets.is_empty() {
            self.not_understood(
                unit.main,
                "a load balancer with no target in the given stacks (no listener → target group → instances or group); left out",
            );
            return None;
        }
        if let Kind::LoadBalancer {
            classic, network, ..
        } = &main.kind
        {
            if *classic {
                comment.push("a Classic Load Balancer, modelled as an ALB".to_string());
            } else if *network {
                comment.push(
                    "a Network Load Balancer, modelled as an ALB (the same health-check model)"
                        .to_string(),
                );
            }
        }
        let names: Vec<String> = targets.iter().map(|&t| self.names[t].clone()).collect();
        let mut f = Fields::new()
            .set("region", Ron::s(&main.region))
            .set("targets", Ron::strs(&names));
        if let Some((interval, unhealthy, healthy)) = health {
            if (5..=300).contains(&interval) {
                f = f.set("health_check_interval", Ron::s(secs(interval)));
            }
            if (2..=10).contains(&unhealthy) {
                f = f.set("unhealthy_threshold", Ron::int(unhealthy));
            }
            if (2..=10).contains(&healthy) {
                f = f.set("healthy_threshold", Ron::int(healthy));
            }
        }
        Some(f.variant("Alb"))
    }

    fn cloudfront(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Option<Ron> {
        let main = self.thing(unit.main).clone();
        let Kind::Distribution {
            origins,
            group,
            failover_codes,
        } = &main.kind
        else {
            return None;
        };
        let mut names = Vec::new();
        for o in origins {
            match self
                .target(&Some(o.clone()))
                .filter(|&u| origin_role(self.units[u].role))
            {
                Some(u) => names.push(self.names[u].clone()),
                None => {
                    let what = match o {
                        Link::Name(s) => format!("origin {s:?}"),
                        Link::Thing(i) => format!("origin {}", self.thing(*i).source.id),
                    };
                    self.draft.report.not_understood.push(format!(
                        "{}: {what} is not a bucket, load balancer, API or instance in the given stacks",
                        main.source.describe()
                    ));
                }
            }
        }
        if names.is_empty() {
            self.not_understood(unit.main, "no origin in the given stacks; left out");
            return None;
        }
        names.truncate(2);
        let mut f = Fields::new().set("origins", Ron::strs(&names));
        if *group && names.len() == 2 {
            const ALLOWED: [u16; 8] = [400, 403, 404, 416, 500, 502, 503, 504];
            let codes: Vec<u16> = failover_codes
                .iter()
                .copied()
                .filter(|c| ALLOWED.contains(c))
                .collect();
            if !codes.is_empty() {
                f = f.set(
                    "failover_status_codes",
                    Ron::list(codes.iter().map(|&c| Ron::int(c)).collect()),
                );
            }
        }
        comment.push("no edge cache modelled: the template does not say what share of requests hits the cache (add `cache: (hit_ratio: …, ttl: …)`)".to_string());
        Some(f.variant("CloudFront"))
    }

    fn record(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Option<Ron> {
        let mut failover: [Option<(usize, Ron)>; 2] = [None, None];
        let mut latency = Vec::new();
        let mut weighted = Vec::new();
        let mut simple = Vec::new();
        let mut ttl = None;
        let mut alias = false;
        for &m in &unit.members {
            let t = self.thing(m).clone();
            let Kind::Record {
                routing,
                target,
                health_check,
                ttl_s,
                rtype,
                ..
            } = &t.kind
            else {
                continue;
            };
            if !matches!(rtype.as_str(), "A" | "AAAA" | "CNAME" | "") {
                continue;
            }
            let Some(endpoint) = self
                .target(target)
                .filter(|&u| routable(self.units[u].role))
            else {
                self.not_understood(m, "its target names nothing routable in the given stacks; this answer is left out");
                continue;
            };
            ttl = ttl.or(*ttl_s);
            alias |= ttl_s.is_none();
            let mut tf = Fields::new().set("endpoint", Ron::s(&self.names[endpoint]));
            if let Some(hc) = self.target(health_check)
                && self.units[hc].role == Role::HealthCheck
                && self.draft_has(hc)
            {
                tf = tf.set("health_check", Ron::s(&self.names[hc]));
            }
            let target = tf.tuple();
            match routing {
                Routing::Failover(primary) => {
                    let slot = usize::from(!*primary);
                    if failover[slot].is_none() {
                        failover[slot] = Some((m, target));
                    }
                }
                Routing::Latency(region) => {
                    latency.push(Ron::Call(String::new(), vec![Ron::s(region), target]))
                }
                Routing::Weighted(w) => {
                    weighted.push(Ron::Call(String::new(), vec![Ron::int(*w), target]))
                }
                Routing::Simple => simple.push(target),
            }
        }
        let policy = match failover {
            [Some((_, p)), Some((_, s))] => Fields::new()
                .set("primary", p)
                .set("secondary", s)
                .variant("Failover"),
            [Some((m, t)), None] | [None, Some((m, t))] => {
                self.not_understood(m, "a failover record without its other half in the given stacks; written as a simple record");
                Fields::new().set("target", t).variant("Simple")
            }
            [None, None] if !latency.is_empty() => Fields::new()
                .set("targets", Ron::list(latency))
                .variant("Latency"),
            [None, None] if !weighted.is_empty() => Fields::new()
                .set("targets", Ron::list(weighted))
                .variant("Weighted"),
            [None, None] => {
                let t = simple.into_iter().next()?;
                Fields::new().set("target", t).variant("Simple")
            }
        };
        let mut f = Fields::new();
        match ttl {
            Some(s) if !alias => f = f.set("ttl", Ron::s(secs(s))),
            _ => comment.push(
                "an alias record has no TTL of its own: drsim's default 60 s (C18) stands for the target's".to_string(),
            ),
        }
        Some(f.set("policy", policy).variant("Record"))
    }

    /// Whether a unit will be written (health checks without a target are not).
    fn draft_has(&self, u: usize) -> bool {
        let main = self.thing(self.units[u].main);
        match &main.kind {
            Kind::HealthCheck { target, .. } => self
                .target(target)
                .is_some_and(|t| routable(self.units[t].role)),
            _ => true,
        }
    }

    fn alarm(&mut self, unit: &Unit, comment: &mut Vec<String>) -> Option<Ron> {
        let main = self.thing(unit.main).clone();
        let Kind::Alarm {
            watches,
            metric,
            period_s,
            evaluation_periods,
            datapoints,
        } = &main.kind
        else {
            return None;
        };
        let watched_unit = self.target(watches);
        // An alarm on a health check's status (AWS/Route53 HealthCheckStatus) watches the check itself: its
        // verdict, published by Route 53's global checkers even while the probed Region is down.
        if let Some(hc) = watched_unit.filter(|&u| self.units[u].role == Role::HealthCheck) {
            comment.push(format!(
                "it watches {}'s status (1 healthy, 0 unhealthy), as Route 53 publishes it",
                self.names[hc]
            ));
        }
        let watched = watched_unit
            .map(|u| self.names[u].clone())
            .unwrap_or_else(|| metric.clone());
        let mut f = Fields::new().set("watches", Ron::s(&watched));
        if let Some(p) = period_s.filter(|&p| p == 10 || p == 30 || (p > 0 && p % 60 == 0)) {
            f = f.set("period", Ron::s(secs(p)));
        }
        let n = evaluation_periods.unwrap_or(1).max(1);
        f = f.set("evaluation_periods", Ron::int(n));
        if let Some(m) = datapoints.filter(|&m| m >= 1 && m <= n) {
            f = f.set("datapoints_to_alarm", Ron::int(m));
        } else {
            f = f.set("datapoints_to_alarm", Ron::int(n));
        }
        comment.push(format!(
            "metric {metric}; it alarms when the watched part fails"
        ));
        Some(f.variant("Alarm"))
    }

    /// `backup_plan: (every, copy_to)` from the backup selections naming one of the unit's things.
    fn backup_plan(&mut self, unit: &Unit, f: Fields) -> Fields {
        for t in &self.infra.things {
            let Kind::BackupSelection { plan, resources } = &t.kind else {
                continue;
            };
            if !self
                .links(resources)
                .iter()
                .any(|r| unit.members.contains(r))
            {
                continue;
            }
            let Some(p) = plan.as_ref().and_then(|l| self.infra.resolve(l)) else {
                continue;
            };
            let Kind::BackupPlan { rules } = &self.infra.things[p].kind else {
                continue;
            };
            let Some(rule) = rules.first() else { continue };
            let every = rule.every_h.unwrap_or(24).max(1);
            let mut plan = Fields::new().set("every", Ron::s(secs(every * 3600)));
            if let Some(dest) = &rule.copy_to {
                let region = self
                    .infra
                    .resolve(dest)
                    .map(|d| self.infra.things[d].region.clone())
                    .or_else(|| match dest {
                        Link::Name(s) => arn_region(s).map(str::to_string),
                        Link::Thing(_) => None,
                    });
                if let Some(r) = region {
                    self.azs.entry(r.clone()).or_default();
                    plan = plan.set("copy_to", Ron::s(r));
                }
            }
            let mut f = f;
            f.0.push(super::ron::Field {
                name: "backup_plan".to_string(),
                value: plan.tuple(),
                comment: vec![format!(
                    "from {} (schedule {}; the first rule)",
                    self.infra.things[p].source.describe(),
                    rule.schedule
                )],
            });
            return f;
        }
        f
    }

    fn runbooks(&mut self, options: &Options) {
        let machines: Vec<usize> = (0..self.infra.things.len())
            .filter(|&i| matches!(self.thing(i).kind, Kind::StateMachine { .. }))
            .collect();
        for m in machines {
            let t = self.thing(m).clone();
            let Kind::StateMachine { definition } = &t.kind else {
                continue;
            };
            let Some((def, label)) = definition else {
                self.not_understood(m, "its definition is not in the template (DefinitionS3Location); import it with `drsim import stepfunctions`");
                continue;
            };
            let trigger = self.trigger_of(m);
            let resolver = InfraResolve {
                a: self,
                home: t.region.clone(),
            };
            let name = kebab(&t.source.id);
            let result = stepfunctions::translate(def, label, &name, &options.tasks, &resolver);
            match result {
                Ok(rb) => {
                    let mut comment = vec![format!("from {} in {}", t.source.describe(), t.region)];
                    let (trigger, why) = trigger;
                    if let Some(why) = why {
                        comment.push(format!("assumption: {why}"));
                        self.draft
                            .report
                            .assumptions
                            .push(format!("runbook {name}: {why}"));
                    }
                    self.draft
                        .report
                        .not_understood
                        .extend(rb.report.not_understood);
                    self.draft.report.translated.extend(rb.report.translated);
                    self.draft.report.assumptions.extend(rb.report.assumptions);
                    let mut states = rb.states;
                    self.unmark(&mut states);
                    let value = Fields::new()
                        .set("name", Ron::s(&name))
                        .set("trigger", trigger)
                        .set("start_at", Ron::s(&rb.start_at))
                        .set("states", states)
                        .tuple();
                    self.draft.runbooks.push(Item { value, comment });
                }
                Err(e) => self.not_understood(m, &format!("its definition could not be read: {e}")),
            }
        }
    }

    /// A text with its `${ref:N}` markers as logical ids.
    fn unmark_text(&self, text: &str) -> String {
        let mut s = text.to_string();
        for _ in 0..64 {
            let Some(i) = super::infra::find_marker(&s) else {
                break;
            };
            let id = self
                .infra
                .things
                .get(i)
                .map_or("?", |t| t.source.id.as_str());
            s = s.replacen(&super::infra::ref_marker(i), id, 1);
        }
        s
    }

    /// `${ref:N}` markers in a runbook's text (a step's description, a comment) become logical ids.
    fn unmark(&self, value: &mut Ron) {
        let fix = |s: &mut String| *s = self.unmark_text(s);
        match value {
            Ron::Str(s) => fix(s),
            Ron::Call(_, args) => args.iter_mut().for_each(|a| self.unmark(a)),
            Ron::Struct(_, fields) => fields.iter_mut().for_each(|f| {
                f.comment.iter_mut().for_each(fix);
                self.unmark(&mut f.value);
            }),
            Ron::List(items) => items.iter_mut().for_each(|i| {
                i.comment.iter_mut().for_each(fix);
                self.unmark(&mut i.value);
            }),
            Ron::Map(entries) => entries.iter_mut().for_each(|(_, i)| {
                i.comment.iter_mut().for_each(fix);
                self.unmark(&mut i.value);
            }),
            _ => {}
        }
    }

    /// What starts a state machine: an EventBridge rule on an alarm's state change, else a person.
    fn trigger_of(&self, machine: usize) -> (Ron, Option<String>) {
        for t in &self.infra.things {
            let Kind::EventRule { targets, alarms } = &t.kind else {
                continue;
            };
            if !self.links(targets).contains(&machine) {
                continue;
            }
            for a in self.links(alarms) {
                if let Some(u) = self.unit_of[a].filter(|&u| self.units[u].role == Role::Alarm) {
                    return (Ron::call("Alarm", &[&self.names[u]]), None);
                }
            }
        }
        (
            Ron::Call("Human".to_string(), vec![dist("LogNormal", &["15m", "2h"])]),
            Some("nothing in the stacks starts it on an alarm: a person notices and starts it, LogNormal(15m, 2h) after the onset".to_string()),
        )
    }

    /// The units a unit routes to.
    fn routes(&self, u: usize) -> Vec<usize> {
        let main = self.thing(self.units[u].main);
        match (&self.units[u].role, &main.kind) {
            (Role::Record, _) => self.units[u]
                .members
                .iter()
                .filter_map(|&m| match &self.thing(m).kind {
                    Kind::Record { target, .. } => self.target(target),
                    _ => None,
                })
                .collect(),
            (Role::CloudFront, Kind::Distribution { origins, .. }) => origins
                .iter()
                .filter_map(|o| self.target(&Some(o.clone())))
                .collect(),
            (Role::Alb, _) => self.lb_targets(self.units[u].main).0,
            _ => Vec::new(),
        }
    }

    /// The stores a compute unit uses: references in its things' properties (and its launch template's).
    fn uses(&self, u: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = self.units[u].members.clone();
        while let Some(i) = stack.pop() {
            if !seen.insert(i) || seen.len() > 10_000 {
                continue;
            }
            let t = self.thing(i);
            let mut next: Vec<usize> = self.links(&t.refs);
            if let Kind::Asg { launch, .. } = &t.kind {
                next.extend(self.link(launch));
            }
            for j in next {
                match self.unit_of[j] {
                    Some(s) if self.units[s].role.is_store() && s != u && !out.contains(&s) => {
                        out.push(s);
                    }
                    None if matches!(self.thing(j).kind, Kind::LaunchTemplate { .. }) => {
                        stack.push(j)
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// Flows from each entry to the stores its compute uses, and the disasters a review starts with.
    #[allow(clippy::needless_range_loop)] // indices name units in several tables at once
    fn propose(&mut self) {
        let written: BTreeSet<&str> = self
            .draft
            .resources
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let live: Vec<bool> = self
            .names
            .iter()
            .map(|n| written.contains(n.as_str()))
            .collect();
        let mut behind = vec![false; self.units.len()];
        for u in 0..self.units.len() {
            if live[u] {
                for r in self.routes(u) {
                    behind[r] = true;
                }
            }
        }
        let entries: Vec<usize> = (0..self.units.len())
            .filter(|&u| live[u] && !behind[u])
            .filter(|&u| {
                matches!(
                    self.units[u].role,
                    Role::Record | Role::CloudFront | Role::Alb | Role::Lambda
                )
            })
            .collect();
        let mut flows = Vec::new();
        for &e in &entries {
            let mut reach = Vec::new();
            let mut stack = vec![e];
            let mut seen = BTreeSet::new();
            while let Some(u) = stack.pop() {
                if !seen.insert(u) || seen.len() > 1000 {
                    continue;
                }
                if self.units[u].role.is_compute() {
                    reach.push(u);
                }
                if self.units[u].role == Role::Bucket {
                    reach.push(u);
                }
                stack.extend(self.routes(u).into_iter().filter(|&r| live[r]));
            }
            let mut stores: Vec<usize> = Vec::new();
            let mut static_site = false;
            for &c in &reach {
                if self.units[c].role == Role::Bucket {
                    static_site = true;
                    continue;
                }
                for s in self.uses(c) {
                    if live[s] && !stores.contains(&s) && self.units[s].role != Role::Bucket {
                        stores.push(s);
                    }
                }
            }
            let entry = self.names[e].clone();
            if stores.is_empty() {
                if reach.is_empty() {
                    continue;
                }
                let what = if static_site {
                    "static content"
                } else {
                    "requests that touch no data store"
                };
                flows.push((
                    format!("read-{entry}"),
                    "Read",
                    50.0,
                    entry.clone(),
                    None,
                    what.to_string(),
                ));
                continue;
            }
            for s in stores {
                let store = self.names[s].clone();
                flows.push((
                    format!("read-{store}"),
                    "Read",
                    50.0,
                    entry.clone(),
                    Some(store.clone()),
                    String::new(),
                ));
                flows.push((
                    format!("write-{store}"),
                    "Write",
                    10.0,
                    entry.clone(),
                    Some(store),
                    String::new(),
                ));
            }
        }
        let mut used: Vec<String> = Vec::new();
        for (name, kind, rate, entry, store, what) in flows {
            let mut name = name;
            if used.contains(&name) {
                name = format!("{name}-via-{entry}");
            }
            if used.contains(&name) {
                continue;
            }
            used.push(name.clone());
            let mut comment = vec![format!(
                "PROPOSAL: a {} flow from {entry}{} found in the graph; edit its rate, SLO and clients",
                kind.to_lowercase(),
                store.as_ref().map_or(String::new(), |s| format!(" to {s}"))
            )];
            if !what.is_empty() {
                comment.push(format!("it carries {what}"));
            }
            comment.push(format!(
                "assumption: {rate} requests/s (a template says nothing of traffic)"
            ));
            self.draft
                .report
                .proposals
                .push(format!("flow {name}: {kind} at {rate}/s from {entry}"));
            let value = Fields::new()
                .set("name", Ron::s(&name))
                .set("kind", Ron::ident(kind))
                .set("rate_per_s", Ron::float(rate))
                .set("entry", Ron::s(&entry))
                .maybe("store", store.map(Ron::s))
                .tuple();
            self.draft.flows.push(Item { value, comment });
        }
        if !self.draft.flows.is_empty() {
            self.draft.report.assumptions.push(
                "flows: 50 reads/s and 10 writes/s per store reached (rates are not in templates)"
                    .to_string(),
            );
        }
        // Disasters: the primary Region and one of its AZs.
        let primary = self.primary_region();
        let Some(primary) = primary else { return };
        let onset = Ron::call("Uniform", &["1h", "3h"]);
        self.draft.disasters.push(Item {
            value: Fields::new()
                .set("name", Ron::s("region-outage"))
                .set(
                    "kind",
                    Fields::new()
                        .set("region", Ron::s(&primary))
                        .variant("RegionOutage"),
                )
                .set("onset", onset.clone())
                .tuple(),
            comment: vec![
                format!(
                    "PROPOSAL: the loss of the primary Region {primary}, lasting past the horizon"
                ),
                "assumption: onset uniform between 1 h and 3 h".to_string(),
            ],
        });
        self.draft
            .report
            .proposals
            .push(format!("disaster region-outage: {primary} lost"));
        let az = self
            .azs
            .get(&primary)
            .and_then(|z| z.iter().next().cloned());
        if let Some(az) = az {
            self.draft.disasters.push(Item {
                value: Fields::new()
                    .set("name", Ron::s("az-outage"))
                    .set("kind", Fields::new().set("az", Ron::s(&az)).variant("AzOutage"))
                    .set("onset", onset)
                    .set("duration", Ron::call("Fixed", &["1h"]))
                    .set("enabled", Ron::Bool(false))
                    .tuple(),
                comment: vec![
                    format!("PROPOSAL: the loss of one AZ, {az}, for an hour (`drsim run FILE --disaster az-outage`)"),
                    "assumption: onset uniform between 1 h and 3 h; one hour long".to_string(),
                ],
            });
            self.draft.report.proposals.push(format!(
                "disaster az-outage: {az} lost for 1 h (not enabled by default)"
            ));
        }
        self.draft
            .report
            .assumptions
            .push("disasters: onset uniform in 1–3 h; the AZ outage lasts 1 h".to_string());
    }

    /// The primary Region: a failover record's primary endpoint's, else a global database's writer's, else
    /// the first Region given.
    fn primary_region(&self) -> Option<String> {
        for u in 0..self.units.len() {
            if self.units[u].role != Role::Record {
                continue;
            }
            for &m in &self.units[u].members {
                if let Kind::Record {
                    routing: Routing::Failover(true),
                    target,
                    ..
                } = &self.thing(m).kind
                    && let Some(t) = self.target(target)
                {
                    return Some(self.thing(self.units[t].main).region.clone());
                }
            }
        }
        for unit in &self.units {
            if unit.role == Role::Aurora
                && let Some(&c) = unit
                    .members
                    .iter()
                    .find(|&&m| matches!(self.thing(m).kind, Kind::DbCluster { .. }))
                && unit.members.len() > 2
            {
                return Some(self.thing(c).region.clone());
            }
        }
        self.infra.regions.first().cloned()
    }

    fn regions(&mut self) {
        let mut regions: Vec<String> = self.infra.regions.clone();
        for t in &self.infra.things {
            if !regions.contains(&t.region) {
                regions.push(t.region.clone());
            }
        }
        for r in self.azs.keys() {
            if !regions.contains(r) {
                regions.push(r.clone());
            }
        }
        let mut assumed = false;
        for r in regions {
            let mut azs: BTreeSet<String> = default_azs(&r).into_iter().collect();
            let seen = self.azs.get(&r).cloned().unwrap_or_default();
            assumed |= seen.len() < 3;
            azs.extend(seen);
            let azs: Vec<String> = azs.into_iter().collect();
            self.draft.regions.push((r, azs, Vec::new()));
        }
        if assumed {
            if let Some(first) = self.draft.regions.first_mut() {
                first.2.push("assumption: every Region has AZs a, b and c (what Fn::GetAZs returns here); add the others it has".to_string());
            }
            self.draft
                .report
                .assumptions
                .push("Regions: AZs a, b and c in each (Fn::GetAZs)".to_string());
        }
    }
}

/// The resolver state machines in a template use: identifiers and ARNs matched against the things.
struct InfraResolve<'a, 'b> {
    a: &'a Assembler<'b>,
    home: String,
}

impl Resolve for InfraResolve<'_, '_> {
    fn resource(&self, id: &str, kinds: &[&str]) -> Option<String> {
        let i = self.a.infra.find(id)?;
        let u = self.a.unit_of[i]?;
        let written = self
            .a
            .draft
            .resources
            .iter()
            .any(|(n, _)| *n == self.a.names[u]);
        (written && kinds.contains(&self.a.units[u].role.kind())).then(|| self.a.names[u].clone())
    }

    fn region_of(&self, id: &str) -> Option<String> {
        arn_region(id).map(str::to_string).or_else(|| {
            self.a
                .infra
                .find(id)
                .map(|i| self.a.thing(i).region.clone())
        })
    }

    fn home_region(&self) -> String {
        self.home.clone()
    }
}

fn routable(role: Role) -> bool {
    matches!(
        role,
        Role::Alb | Role::CloudFront | Role::Lambda | Role::Ec2 | Role::Asg | Role::Bucket
    )
}

fn origin_role(role: Role) -> bool {
    matches!(role, Role::Bucket | Role::Alb | Role::Lambda | Role::Ec2)
}

/// A logical id without CDK's hash suffix (`CartHandler9B8A7C6D` → `CartHandler`).
fn logical(id: &str) -> &str {
    let id = id.rsplit('/').next().unwrap_or(id);
    // A Terraform address: the module path and the `aws_` prefix add nothing to a name.
    let id = id.rsplit("module.").next().unwrap_or(id);
    let id = match id.split_once('.') {
        Some((_, rest))
            if id.contains('.') && id.starts_with(|c: char| c.is_ascii_alphabetic()) =>
        {
            let _ = rest;
            id.strip_prefix("aws_").unwrap_or(id)
        }
        _ => id,
    };
    match id
        .len()
        .checked_sub(8)
        .and_then(|cut| id.get(cut..).map(|tail| (cut, tail)))
    {
        Some((cut, tail))
            if cut > 0
                && tail
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
                && tail.bytes().any(|b| b.is_ascii_digit()) =>
        {
            &id[..cut]
        }
        _ => id,
    }
}

/// A physical name usable as a scenario name (short, printable, no path or ARN).
fn sane(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether the example price table prices `item` for `service` in some Region.
fn known_item(service: &str, item: &str) -> bool {
    let table = sim_core::cost::PriceTable::example();
    table
        .regions()
        .iter()
        .any(|r| table.items(service, r).contains(&item))
}
