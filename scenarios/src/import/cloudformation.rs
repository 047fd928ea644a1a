//! CloudFormation templates (YAML with short-form tags, or JSON such as CDK output) into the infrastructure
//! model, one `--stack REGION=FILE[,Param=Value…]` at a time: parameters default, conditions decide which
//! resources exist, exports resolve across the stacks, and each DR-relevant resource type becomes a thing.
//! IAM, networking and the like are left out on purpose; unknown types are named in the report.

use std::collections::BTreeMap;

use super::Imported;
use super::assemble::{Options, assemble};
use super::doc::{self, Node, error_at};
use super::infra::{BackupRule, Infra, Kind, Link, Routing, Source, Thing, find_marker};
use super::intrinsics::{Ctx, Val};
use crate::source::SourceError;

/// One `--stack`: where it is deployed, its template and its parameter values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackInput {
    /// The Region.
    pub region: String,
    /// The template's label (its path) and text.
    pub label: String,
    /// The template text.
    pub text: String,
    /// `Param=Value` pairs.
    pub params: Vec<(String, String)>,
}

/// A parsed `--stack`: Region, file and `Param=Value` pairs.
pub type StackArg = (String, String, Vec<(String, String)>);

/// Splits `REGION=FILE[,Param=Value…]`.
pub fn parse_stack_arg(arg: &str) -> Result<StackArg, String> {
    let usage = "expected --stack REGION=FILE[,Param=Value…], e.g. --stack us-east-1=app.yaml,IsPrimary=yes";
    let (region, rest) = arg
        .split_once('=')
        .ok_or_else(|| format!("--stack {arg:?}: {usage}"))?;
    let mut parts = rest.split(',');
    let file = parts.next().unwrap_or("").to_string();
    if region.is_empty()
        || file.is_empty()
        || !region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!("--stack {arg:?}: {usage}"));
    }
    let mut params = Vec::new();
    for p in parts {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            format!("--stack {arg:?}: parameter {p:?} is not Param=Value ({usage})")
        })?;
        params.push((k.to_string(), v.to_string()));
    }
    Ok((region.to_string(), file, params))
}

/// Types left out on purpose, by prefix, and why.
const LEFT_OUT: &[(&str, &str)] = &[
    (
        "AWS::IAM::",
        "identities and permissions: they do not change what fails or how fast it recovers",
    ),
    (
        "AWS::EC2::VPC",
        "networking is not modelled: a Region's and AZ's health stand for it",
    ),
    (
        "AWS::EC2::SecurityGroup",
        "security groups are not modelled: traffic between resources is assumed allowed",
    ),
    ("AWS::EC2::InternetGateway", "networking is not modelled"),
    ("AWS::EC2::NatGateway", "networking is not modelled"),
    ("AWS::EC2::EIP", "networking is not modelled"),
    ("AWS::EC2::Route", "networking is not modelled"),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        "networking is not modelled",
    ),
    ("AWS::EC2::NetworkAcl", "networking is not modelled"),
    ("AWS::EC2::TransitGateway", "networking is not modelled"),
    (
        "AWS::KMS::",
        "keys do not change availability in drsim's model",
    ),
    (
        "AWS::SecretsManager::",
        "secrets do not change availability in drsim's model",
    ),
    (
        "AWS::SSM::",
        "parameters do not change availability in drsim's model",
    ),
    ("AWS::Logs::", "logging is not modelled"),
    (
        "AWS::SNS::",
        "notifications are not modelled (a runbook's Page stands for being paged)",
    ),
    ("AWS::SQS::", "queues are not modelled"),
    ("AWS::CDK::Metadata", "CDK bookkeeping"),
    ("AWS::Lambda::Permission", "permissions"),
    ("AWS::Lambda::Version", "versions are the function itself"),
    ("AWS::Lambda::Alias", "aliases are the function itself"),
    ("AWS::ApiGateway::Deployment", "part of its API"),
    ("AWS::ApiGateway::Stage", "part of its API"),
    ("AWS::ApiGateway::Resource", "part of its API"),
    ("AWS::ApiGateway::Account", "account settings"),
    ("AWS::ApiGatewayV2::Stage", "part of its API"),
    ("AWS::ApiGatewayV2::Route", "part of its API"),
    ("AWS::RDS::DBSubnetGroup", "networking is not modelled"),
    (
        "AWS::RDS::DBParameterGroup",
        "configuration without an effect on recovery",
    ),
    (
        "AWS::RDS::DBClusterParameterGroup",
        "configuration without an effect on recovery",
    ),
    (
        "AWS::AutoScaling::ScalingPolicy",
        "scaling policies are not modelled (a runbook's SetCapacity scales)",
    ),
    (
        "AWS::AutoScaling::ScheduledAction",
        "scheduled scaling is not modelled",
    ),
    (
        "AWS::AutoScaling::LifecycleHook",
        "lifecycle hooks are not modelled",
    ),
    ("AWS::CertificateManager::", "certificates"),
    ("AWS::WAFv2::", "firewall rules are not modelled"),
    ("AWS::CloudWatch::Dashboard", "dashboards"),
    (
        "AWS::Route53::HostedZone",
        "the zone itself (its records are imported)",
    ),
    ("AWS::CloudFront::OriginAccessControl", "access control"),
    (
        "AWS::CloudFront::CloudFrontOriginAccessIdentity",
        "access control",
    ),
    (
        "AWS::CloudFront::CachePolicy",
        "cache policies (the cache's hit ratio is not in a template)",
    ),
    ("AWS::S3::BucketPolicy", "permissions"),
    (
        "AWS::Events::EventBus",
        "the bus itself (rules that start state machines are read)",
    ),
    (
        "AWS::FIS::ExperimentTemplate",
        "an experiment: import it with `drsim import fis` to add its disasters",
    ),
    ("AWS::CloudFormation::WaitCondition", "deployment plumbing"),
    (
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        "certificates",
    ),
];

/// Imports the stacks into a scenario.
pub fn import(stacks: &[StackInput], options: &Options) -> Result<Imported, SourceError> {
    let infra = read(stacks)?;
    let label = stacks
        .first()
        .map_or("import", |s| s.label.as_str())
        .to_string();
    assemble(infra, options).finish(&label)
}

struct Parsed<'a> {
    input: &'a StackInput,
    root: Node,
}

/// Reads the stacks into the infrastructure model.
pub fn read(stacks: &[StackInput]) -> Result<Infra, SourceError> {
    let mut parsed = Vec::new();
    for s in stacks {
        let (root, _) = doc::parse(&s.label, &s.text)?;
        if !root.is_map() {
            return Err(error_at(
                &s.label,
                root.pos,
                "a template is a mapping with `Resources`",
            ));
        }
        let resources = root
            .get("Resources")
            .ok_or_else(|| error_at(&s.label, root.pos, "a template needs `Resources`"))?;
        if !resources.is_map() {
            return Err(error_at(
                &s.label,
                resources.pos,
                "`Resources` must be a mapping of logical ids",
            ));
        }
        parsed.push(Parsed { input: s, root });
    }
    let mut infra = Infra::default();
    for s in stacks {
        if !infra.regions.contains(&s.region) {
            infra.regions.push(s.region.clone());
        }
        let params: Vec<String> = s.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        infra.report.inputs.push(format!(
            "stack {} in {}{}",
            s.label,
            s.region,
            if params.is_empty() {
                String::new()
            } else {
                format!(" with {}", params.join(", "))
            }
        ));
    }
    // Parameters, conditions and which resources exist, per stack.
    let exports: BTreeMap<String, Val> = BTreeMap::new();
    let mut ctxs: Vec<Ctx<'_>> = Vec::new();
    let mut kept: Vec<Vec<(String, usize)>> = Vec::new();
    let mut next = 0usize;
    for p in &parsed {
        let s = p.input;
        let stack = stem(&s.label);
        let mut ctx = Ctx {
            file: &s.label,
            region: &s.region,
            stack,
            params: BTreeMap::new(),
            conditions: p.root.get("Conditions"),
            mappings: p.root.get("Mappings"),
            resources: BTreeMap::new(),
            declared: Vec::new(),
            exports: exports.clone(),
            evaluated: BTreeMap::new(),
            problems: Vec::new(),
        };
        parameters(&mut ctx, &p.root, &s.params)?;
        let mut mine = Vec::new();
        for (k, r) in p
            .root
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default()
        {
            ctx.declared.push(k.text.clone());
            if !r.is_map() {
                return Err(error_at(
                    &s.label,
                    r.pos,
                    format!("resource {:?} must be a mapping with `Type`", k.text),
                ));
            }
            let ty = r.get("Type").and_then(Node::text).ok_or_else(|| {
                error_at(
                    &s.label,
                    r.pos,
                    format!("resource {:?} needs a `Type`", k.text),
                )
            })?;
            if let Some(c) = r.get("Condition") {
                let name = c
                    .text()
                    .ok_or_else(|| error_at(&s.label, c.pos, "`Condition` names a condition"))?;
                if !ctx.condition(name, c, 0)? {
                    infra.report.left_out.push(format!(
                        "{}:{} {} ({ty}) in {}: not deployed there (condition {name} is false)",
                        s.label, r.pos.line, k.text, s.region
                    ));
                    continue;
                }
            }
            if mapped(ty) {
                ctx.resources.insert(k.text.clone(), next);
                mine.push((k.text.clone(), next));
                next += 1;
            } else {
                let why = LEFT_OUT
                    .iter()
                    .find(|(p, _)| ty.starts_with(p))
                    .map(|(_, w)| *w);
                let line = format!(
                    "{}:{} {} ({ty}) in {}",
                    s.label, r.pos.line, k.text, s.region
                );
                match why {
                    Some(why) => infra.report.left_out.push(format!("{line}: {why}")),
                    None if ty == "AWS::CloudFormation::Stack" => infra.report.not_understood.push(format!(
                        "{line}: a nested stack; its template is not read (import it with another --stack)"
                    )),
                    None => infra.report.not_understood.push(format!(
                        "{line}: unknown resource type; drsim models databases, tables, buckets, compute, load balancers, CloudFront, Route 53, backups, alarms and state machines"
                    )),
                }
            }
        }
        // SAM's implicit APIs (a function's `Api` event without `RestApiId`) can be referenced by name.
        for (implicit, event) in [
            ("ServerlessRestApi", "Api"),
            ("ServerlessHttpApi", "HttpApi"),
        ] {
            let used = p
                .root
                .get("Resources")
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .any(|(_, r)| {
                    r.get("Type").and_then(Node::text) == Some("AWS::Serverless::Function")
                        && r.get("Properties")
                            .and_then(|p| p.get("Events"))
                            .map(Node::entries)
                            .unwrap_or_default()
                            .iter()
                            .any(|(_, e)| {
                                e.get("Type").and_then(Node::text) == Some(event)
                                    && e.get("Properties").is_none_or(|p| {
                                        p.get("RestApiId").is_none() && p.get("ApiId").is_none()
                                    })
                            })
                });
            if used && !ctx.resources.contains_key(implicit) {
                ctx.resources.insert(implicit.to_string(), next);
                mine.push((implicit.to_string(), next));
                next += 1;
            }
        }
        ctxs.push(ctx);
        kept.push(mine);
    }
    // Exports, evaluated in rounds so one stack may import another's.
    let mut exports: BTreeMap<String, Val> = BTreeMap::new();
    for _ in 0..=parsed.len() {
        let before = exports.clone();
        for (p, ctx) in parsed.iter().zip(ctxs.iter_mut()) {
            ctx.exports = exports.clone();
            let problems = ctx.problems.len();
            for (_, out) in p.root.get("Outputs").map(Node::entries).unwrap_or_default() {
                if let Some(c) = out.get("Condition").and_then(Node::text)
                    && !ctx.condition(c, out, 0)?
                {
                    continue;
                }
                let (Some(name), Some(value)) = (
                    out.get("Export").and_then(|e| e.get("Name")),
                    out.get("Value"),
                ) else {
                    continue;
                };
                let name = ctx.eval(name)?.text().unwrap_or_default();
                let value = ctx.eval(value)?;
                exports.insert(name, value);
            }
            ctx.problems.truncate(problems);
        }
        if exports == before {
            break;
        }
    }
    // Resources: one thing in each resource's slot (an inert one if it yields none); a record set group's
    // further record sets go after the slots.
    let mut problems = Vec::new();
    let mut slots: Vec<Option<Thing>> = vec![None; next];
    let mut extra: Vec<Thing> = Vec::new();
    for ((p, ctx), mine) in parsed.iter().zip(ctxs.iter_mut()).zip(&kept) {
        ctx.exports = exports.clone();
        let resources = p.root.get("Resources").expect("checked above");
        for (id, slot) in mine {
            let Some(r) = resources.get(id) else {
                // An implicit SAM API: its functions attach to it below.
                slots[*slot] = Some(Thing {
                    source: Source {
                        file: p.input.label.clone(),
                        line: resources.pos.line,
                        id: id.clone(),
                        kind: "implicit AWS::Serverless::Api".to_string(),
                    },
                    region: p.input.region.clone(),
                    name: None,
                    kind: Kind::Api {
                        functions: Vec::new(),
                    },
                    refs: Vec::new(),
                });
                continue;
            };
            let ty = r.get("Type").and_then(Node::text).unwrap_or("");
            let props = match r.get("Properties") {
                Some(n) => ctx.eval(n)?,
                None => Val::Map(Vec::new()),
            };
            let source = Source {
                file: p.input.label.clone(),
                line: r.pos.line,
                id: id.clone(),
                kind: ty.to_string(),
            };
            let mut things =
                thing(ctx, ty, &props, r, source.clone(), &mut infra.report)?.into_iter();
            slots[*slot] = Some(things.next().unwrap_or(Thing {
                source,
                region: p.input.region.clone(),
                name: None,
                kind: Kind::Integration {
                    api: None,
                    function: None,
                },
                refs: Vec::new(),
            }));
            extra.extend(things);
        }
        problems.append(&mut ctx.problems);
    }
    infra.things = slots.into_iter().flatten().chain(extra).collect();
    infra.report.not_understood.extend(problems);
    // SAM and API Gateway: integrations attach functions to their APIs.
    attach_integrations(&mut infra, &parsed, &mut ctxs)?;
    Ok(infra)
}

fn stem(label: &str) -> String {
    let file = label.rsplit('/').next().unwrap_or(label);
    file.split('.').next().unwrap_or(file).to_string()
}

fn parameters(
    ctx: &mut Ctx<'_>,
    root: &Node,
    given: &[(String, String)],
) -> Result<(), SourceError> {
    let declared = root.get("Parameters");
    for (k, _) in given {
        if declared.and_then(|d| d.get(k)).is_none() {
            let names: Vec<&str> = declared
                .map(|d| d.entries().iter().map(|(k, _)| k.text.as_str()).collect())
                .unwrap_or_default();
            let hint = crate::source::closest(k, &names)
                .map_or(String::new(), |c| format!("; did you mean {c:?}?"));
            return Err(SourceError::whole(
                ctx.file,
                format!(
                    "--stack parameter {k:?}: the template declares no such parameter{hint} (its parameters: {})",
                    names.join(", ")
                ),
            ));
        }
    }
    for (k, p) in declared.map(Node::entries).unwrap_or_default() {
        let value = given
            .iter()
            .find(|(g, _)| *g == k.text)
            .map(|(_, v)| v.clone())
            .or_else(|| {
                p.get("Default").and_then(|d| {
                    d.text().map(str::to_string).or_else(|| {
                        d.items().first().map(|_| {
                            d.items()
                                .iter()
                                .filter_map(Node::text)
                                .collect::<Vec<_>>()
                                .join(",")
                        })
                    })
                })
            });
        let Some(value) = value else {
            return Err(error_at(
                ctx.file,
                k.pos,
                format!(
                    "parameter {:?} has no Default; give it: --stack REGION=FILE,{}=VALUE",
                    k.text, k.text
                ),
            ));
        };
        if let Some(allowed) = p.get("AllowedValues") {
            let allowed: Vec<&str> = allowed.items().iter().filter_map(Node::text).collect();
            if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
                return Err(error_at(
                    ctx.file,
                    k.pos,
                    format!(
                        "parameter {:?} = {value:?} is not one of its AllowedValues: {}",
                        k.text,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let ty = p.get("Type").and_then(Node::text).unwrap_or("String");
        let v = if ty.starts_with("List<") || ty == "CommaDelimitedList" {
            Val::List(
                value
                    .split(',')
                    .map(|s| Val::Str(s.trim().to_string()))
                    .collect(),
            )
        } else if ty.starts_with("AWS::SSM::Parameter::Value") {
            Val::Opaque(value)
        } else {
            Val::Str(value)
        };
        ctx.params.insert(k.text.clone(), v);
    }
    Ok(())
}

/// Whether a type becomes a thing.
fn mapped(ty: &str) -> bool {
    matches!(
        ty,
        "AWS::RDS::DBInstance"
            | "AWS::RDS::DBCluster"
            | "AWS::RDS::GlobalCluster"
            | "AWS::DynamoDB::Table"
            | "AWS::DynamoDB::GlobalTable"
            | "AWS::S3::Bucket"
            | "AWS::CloudFront::Distribution"
            | "AWS::Route53::RecordSet"
            | "AWS::Route53::RecordSetGroup"
            | "AWS::Route53::HealthCheck"
            | "AWS::EC2::Instance"
            | "AWS::EC2::Subnet"
            | "AWS::EC2::LaunchTemplate"
            | "AWS::AutoScaling::LaunchConfiguration"
            | "AWS::AutoScaling::AutoScalingGroup"
            | "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::ElasticLoadBalancingV2::Listener"
            | "AWS::ElasticLoadBalancingV2::ListenerRule"
            | "AWS::ElasticLoadBalancingV2::TargetGroup"
            | "AWS::ElasticLoadBalancing::LoadBalancer"
            | "AWS::Lambda::Function"
            | "AWS::Serverless::Function"
            | "AWS::ApiGateway::RestApi"
            | "AWS::ApiGateway::Method"
            | "AWS::ApiGatewayV2::Api"
            | "AWS::ApiGatewayV2::Integration"
            | "AWS::Serverless::Api"
            | "AWS::Serverless::HttpApi"
            | "AWS::Serverless::SimpleTable"
            | "AWS::Serverless::StateMachine"
            | "AWS::Backup::BackupPlan"
            | "AWS::Backup::BackupSelection"
            | "AWS::Backup::BackupVault"
            | "AWS::CloudWatch::Alarm"
            | "AWS::StepFunctions::StateMachine"
            | "AWS::Events::Rule"
    )
}

/// Property accessors over an evaluated value.
trait Props {
    fn str(&self, key: &str) -> Option<String>;
    fn num(&self, key: &str) -> Option<u64>;
    fn flag(&self, key: &str) -> Option<bool>;
    fn link(&self, key: &str) -> Option<Link>;
    fn links(&self, key: &str) -> Vec<Link>;
    fn path(&self, keys: &[&str]) -> Option<&Val>;
}

fn link_of(v: &Val) -> Option<Link> {
    match v {
        Val::Ref(i, _) => Some(Link::Thing(*i)),
        Val::Str(s) => Some(match find_marker(s) {
            Some(i) => Link::Thing(i),
            None => Link::Name(s.clone()),
        }),
        _ => None,
    }
}

impl Props for Val {
    fn str(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Val::literal).map(str::to_string)
    }
    fn num(&self, key: &str) -> Option<u64> {
        self.get(key)
            .and_then(Val::literal)
            .and_then(|s| s.trim().parse().ok())
    }
    fn flag(&self, key: &str) -> Option<bool> {
        match self
            .get(key)
            .and_then(Val::literal)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        }
    }
    fn link(&self, key: &str) -> Option<Link> {
        self.get(key).and_then(link_of)
    }
    fn links(&self, key: &str) -> Vec<Link> {
        self.get(key)
            .map(|v| v.items().into_iter().filter_map(link_of).collect())
            .unwrap_or_default()
    }
    fn path(&self, keys: &[&str]) -> Option<&Val> {
        let mut at = self;
        for k in keys {
            at = at.get(k)?;
        }
        Some(at)
    }
}

fn az_of(v: &Val, key: &str) -> Option<String> {
    v.str(key).filter(|a| !a.is_empty())
}

/// The things one resource declares (a record set group declares several).
fn thing(
    ctx: &mut Ctx<'_>,
    ty: &str,
    p: &Val,
    node: &Node,
    source: Source,
    report: &mut super::Report,
) -> Result<Vec<Thing>, SourceError> {
    let region = ctx.region.to_string();
    let mut refs = Vec::new();
    p.refs(&mut refs);
    let refs: Vec<Link> = refs.into_iter().map(Link::Thing).collect();
    let make = |name: Option<String>, kind: Kind| Thing {
        source: source.clone(),
        region: region.clone(),
        name,
        kind,
        refs: refs.clone(),
    };
    let retention = |p: &Val| p.num("BackupRetentionPeriod");
    let one = |t: Thing| Ok(vec![t]);
    match ty {
        "AWS::RDS::DBInstance" => one(make(
            p.str("DBInstanceIdentifier"),
            Kind::DbInstance {
                az: az_of(p, "AvailabilityZone"),
                multi_az: p.flag("MultiAZ").unwrap_or(false),
                retention_days: retention(p),
                class: p.str("DBInstanceClass"),
                cluster: p.link("DBClusterIdentifier"),
                replica_of: p.link("SourceDBInstanceIdentifier"),
            },
        )),
        "AWS::RDS::DBCluster" => {
            let engine = p.str("Engine").unwrap_or_default();
            one(make(
                p.str("DBClusterIdentifier"),
                Kind::DbCluster {
                    aurora: engine.starts_with("aurora") || engine.is_empty(),
                    engine,
                    global: p.link("GlobalClusterIdentifier"),
                    retention_days: retention(p),
                    class: p.str("DBClusterInstanceClass"),
                },
            ))
        }
        "AWS::RDS::GlobalCluster" => one(make(
            p.str("GlobalClusterIdentifier"),
            Kind::GlobalCluster {
                source: p.link("SourceDBClusterIdentifier"),
            },
        )),
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => one(make(
            p.str("TableName"),
            Kind::Table {
                replicas: Vec::new(),
                pitr: p
                    .path(&[
                        "PointInTimeRecoverySpecification",
                        "PointInTimeRecoveryEnabled",
                    ])
                    .and_then(Val::literal)
                    == Some("true"),
            },
        )),
        "AWS::DynamoDB::GlobalTable" => {
            let replicas = p.get("Replicas").map(Val::items).unwrap_or_default();
            let regions: Vec<String> = replicas.iter().filter_map(|r| r.str("Region")).collect();
            let pitr = replicas.iter().any(|r| {
                r.path(&[
                    "PointInTimeRecoverySpecification",
                    "PointInTimeRecoveryEnabled",
                ])
                .and_then(Val::literal)
                    == Some("true")
            });
            one(make(
                p.str("TableName"),
                Kind::Table {
                    replicas: regions,
                    pitr,
                },
            ))
        }
        "AWS::S3::Bucket" => {
            let rule = p
                .path(&["ReplicationConfiguration", "Rules"])
                .and_then(|r| r.items().first().copied().cloned());
            let dest = rule.as_ref().and_then(|r| r.get("Destination").cloned());
            one(make(
                p.str("BucketName"),
                Kind::Bucket {
                    versioning: p
                        .path(&["VersioningConfiguration", "Status"])
                        .and_then(Val::literal)
                        == Some("Enabled"),
                    replicate_to: dest.as_ref().and_then(|d| d.link("Bucket")),
                    rtc: dest
                        .as_ref()
                        .and_then(|d| d.path(&["ReplicationTime", "Status"]))
                        .and_then(Val::literal)
                        == Some("Enabled"),
                    website: p.get("WebsiteConfiguration").is_some(),
                },
            ))
        }
        "AWS::CloudFront::Distribution" => {
            let cfg = p.get("DistributionConfig").cloned().unwrap_or(Val::Null);
            let origins: Vec<(String, Option<Link>)> = cfg
                .get("Origins")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|o| (o.str("Id").unwrap_or_default(), o.link("DomainName")))
                .collect();
            let target = cfg
                .path(&["DefaultCacheBehavior", "TargetOriginId"])
                .and_then(Val::literal)
                .unwrap_or("")
                .to_string();
            let by_id = |id: &str| {
                origins
                    .iter()
                    .find(|(i, _)| i == id)
                    .and_then(|(_, l)| l.clone())
            };
            let group = cfg
                .path(&["OriginGroups", "Items"])
                .map(Val::items)
                .unwrap_or_default()
                .into_iter()
                .find(|g| g.str("Id").as_deref() == Some(target.as_str()))
                .cloned();
            let (links, is_group, codes) = match group {
                Some(g) => {
                    let members: Vec<Link> = g
                        .path(&["Members", "Items"])
                        .map(Val::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|m| m.str("OriginId"))
                        .filter_map(|id| by_id(&id))
                        .collect();
                    let codes: Vec<u16> = g
                        .path(&["FailoverCriteria", "StatusCodes", "Items"])
                        .map(Val::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|c| c.literal().and_then(|c| c.parse().ok()))
                        .collect();
                    (members, true, codes)
                }
                None => (
                    by_id(&target)
                        .or_else(|| origins.first().and_then(|(_, l)| l.clone()))
                        .into_iter()
                        .collect(),
                    false,
                    Vec::new(),
                ),
            };
            one(make(
                None,
                Kind::Distribution {
                    origins: links,
                    group: is_group,
                    failover_codes: codes,
                },
            ))
        }
        "AWS::Route53::RecordSet" => one(make(None, record(p))),
        "AWS::Route53::RecordSetGroup" => {
            let sets = p.get("RecordSets").map(Val::items).unwrap_or_default();
            let positions: Vec<usize> = node
                .get("Properties")
                .and_then(|n| n.get("RecordSets"))
                .map(|n| n.items().iter().map(|i| i.pos.line).collect())
                .unwrap_or_default();
            Ok(sets
                .iter()
                .enumerate()
                .map(|(k, set)| {
                    let mut t = make(None, record(set));
                    t.source.line = positions.get(k).copied().unwrap_or(t.source.line);
                    t.source.id = format!("{}[{k}]", t.source.id);
                    t
                })
                .collect())
        }
        "AWS::Route53::HealthCheck" => {
            let cfg = p.get("HealthCheckConfig").cloned().unwrap_or(Val::Null);
            let kind = cfg.str("Type").unwrap_or_default();
            if matches!(
                kind.as_str(),
                "CALCULATED" | "CLOUDWATCH_METRIC" | "RECOVERY_CONTROL"
            ) {
                report.not_understood.push(format!(
                    "{} in {region}: a {kind} health check (drsim's probe endpoints); left out",
                    source.describe()
                ));
                return Ok(Vec::new());
            }
            one(make(
                None,
                Kind::HealthCheck {
                    target: cfg
                        .link("FullyQualifiedDomainName")
                        .or_else(|| cfg.link("IPAddress")),
                    interval_s: cfg.num("RequestInterval"),
                    threshold: cfg.num("FailureThreshold"),
                },
            ))
        }
        "AWS::EC2::Instance" => one(make(
            None,
            Kind::Instance {
                az: az_of(p, "AvailabilityZone"),
                subnet: p.link("SubnetId"),
                itype: p.str("InstanceType"),
            },
        )),
        "AWS::EC2::Subnet" => {
            report.left_out.push(format!(
                "{} in {region}: networking is not modelled (its AZ places what runs in it)",
                source.describe()
            ));
            one(make(
                None,
                Kind::Subnet {
                    az: az_of(p, "AvailabilityZone"),
                },
            ))
        }
        "AWS::EC2::LaunchTemplate" => one(make(
            p.str("LaunchTemplateName"),
            Kind::LaunchTemplate {
                itype: p
                    .path(&["LaunchTemplateData", "InstanceType"])
                    .and_then(Val::literal)
                    .map(str::to_string),
            },
        )),
        "AWS::AutoScaling::LaunchConfiguration" => one(make(
            None,
            Kind::LaunchTemplate {
                itype: p.str("InstanceType"),
            },
        )),
        "AWS::AutoScaling::AutoScalingGroup" => {
            let launch = p
                .path(&["LaunchTemplate", "LaunchTemplateId"])
                .or_else(|| p.path(&["LaunchTemplate", "LaunchTemplateName"]))
                .or_else(|| {
                    p.path(&[
                        "MixedInstancesPolicy",
                        "LaunchTemplate",
                        "LaunchTemplateSpecification",
                        "LaunchTemplateId",
                    ])
                })
                .or_else(|| p.get("LaunchConfigurationName"))
                .and_then(link_of);
            one(make(
                p.str("AutoScalingGroupName"),
                Kind::Asg {
                    min: p.num("MinSize"),
                    max: p.num("MaxSize"),
                    desired: p.num("DesiredCapacity"),
                    azs: p
                        .get("AvailabilityZones")
                        .map(|v| {
                            v.items()
                                .iter()
                                .filter_map(|a| a.literal().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    subnets: p.links("VPCZoneIdentifier"),
                    target_groups: p.links("TargetGroupARNs"),
                    load_balancers: p.links("LoadBalancerNames"),
                    launch,
                    itype: None,
                },
            ))
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => one(make(
            p.str("Name"),
            Kind::LoadBalancer {
                classic: false,
                network: p.str("Type").as_deref() == Some("network"),
                instances: Vec::new(),
            },
        )),
        "AWS::ElasticLoadBalancing::LoadBalancer" => one(make(
            p.str("LoadBalancerName"),
            Kind::LoadBalancer {
                classic: true,
                network: false,
                instances: p.links("Instances"),
            },
        )),
        "AWS::ElasticLoadBalancingV2::Listener" | "AWS::ElasticLoadBalancingV2::ListenerRule" => {
            let actions = p
                .get("DefaultActions")
                .or_else(|| p.get("Actions"))
                .map(Val::items)
                .unwrap_or_default();
            let mut tgs = Vec::new();
            for a in actions {
                tgs.extend(a.link("TargetGroupArn"));
                for g in a
                    .path(&["ForwardConfig", "TargetGroups"])
                    .map(Val::items)
                    .unwrap_or_default()
                {
                    tgs.extend(g.link("TargetGroupArn"));
                }
            }
            let lb = p.link("LoadBalancerArn").or_else(|| p.link("ListenerArn"));
            one(make(
                None,
                Kind::Listener {
                    lb,
                    target_groups: tgs,
                },
            ))
        }
        "AWS::ElasticLoadBalancingV2::TargetGroup" => one(make(
            p.str("Name"),
            Kind::TargetGroup {
                targets: p
                    .get("Targets")
                    .map(Val::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|t| t.link("Id"))
                    .collect(),
                interval_s: p.num("HealthCheckIntervalSeconds"),
                unhealthy: p.num("UnhealthyThresholdCount"),
                healthy: p.num("HealthyThresholdCount"),
            },
        )),
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
            one(make(p.str("FunctionName"), Kind::Function))
        }
        "AWS::ApiGateway::RestApi"
        | "AWS::ApiGatewayV2::Api"
        | "AWS::Serverless::Api"
        | "AWS::Serverless::HttpApi" => {
            // Integrations named in its own definition (an OpenAPI body with `${Fn.Arn}`) count too.
            one(make(
                p.str("Name"),
                Kind::Api {
                    functions: refs.clone(),
                },
            ))
        }
        "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Integration" => {
            // Kept only to attach its function to its API (see `attach_integrations`).
            let api = p.link("RestApiId").or_else(|| p.link("ApiId"));
            let function = p
                .path(&["Integration", "Uri"])
                .or_else(|| p.get("IntegrationUri"))
                .and_then(link_of);
            one(make(None, Kind::Integration { api, function }))
        }
        "AWS::Backup::BackupPlan" => {
            let rules = p
                .path(&["BackupPlan", "BackupPlanRule"])
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|r| {
                    let schedule = r.str("ScheduleExpression").unwrap_or_default();
                    BackupRule {
                        every_h: schedule_hours(&schedule),
                        copy_to: r.get("CopyActions").and_then(|c| {
                            c.items()
                                .first()
                                .and_then(|a| a.link("DestinationBackupVaultArn"))
                        }),
                        schedule: if schedule.is_empty() {
                            "daily by default".to_string()
                        } else {
                            schedule
                        },
                    }
                })
                .collect();
            one(make(None, Kind::BackupPlan { rules }))
        }
        "AWS::Backup::BackupSelection" => one(make(
            None,
            Kind::BackupSelection {
                plan: p.link("BackupPlanId"),
                resources: p
                    .path(&["BackupSelection", "Resources"])
                    .map(|v| v.items().into_iter().filter_map(link_of).collect())
                    .unwrap_or_default(),
            },
        )),
        "AWS::Backup::BackupVault" => one(make(p.str("BackupVaultName"), Kind::Vault)),
        "AWS::CloudWatch::Alarm" => {
            let watches = p
                .get("Dimensions")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .find_map(|d| d.link("Value"));
            one(make(
                p.str("AlarmName"),
                Kind::Alarm {
                    watches,
                    metric: format!(
                        "{}/{}",
                        p.str("Namespace").unwrap_or_default(),
                        p.str("MetricName").unwrap_or_default()
                    ),
                    period_s: p.num("Period"),
                    evaluation_periods: p.num("EvaluationPeriods"),
                    datapoints: p.num("DatapointsToAlarm"),
                },
            ))
        }
        "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
            let props = node.get("Properties");
            let subs: Vec<(String, String)> = match p.get("DefinitionSubstitutions") {
                Some(Val::Map(m)) => m
                    .iter()
                    .map(|(k, v)| (k.clone(), v.text().unwrap_or_default()))
                    .collect(),
                _ => Vec::new(),
            };
            let definition = if let Some(def) = props.and_then(|n| n.get("Definition")) {
                let mut tree = ctx.eval_tree(def, 0)?;
                substitute(&mut tree, &subs);
                Some((tree, source.file.clone()))
            } else if let Some(text) = p.get("DefinitionString").and_then(Val::text) {
                let mut text = text;
                for (k, v) in &subs {
                    text = text.replace(&format!("${{{k}}}"), v);
                }
                let label = format!(
                    "{}:{} {}.DefinitionString",
                    source.file, source.line, source.id
                );
                let (tree, _) = doc::parse(&label, &text)?;
                Some((tree, label))
            } else {
                None
            };
            one(make(
                p.str("StateMachineName"),
                Kind::StateMachine { definition },
            ))
        }
        "AWS::Events::Rule" => {
            let targets: Vec<Link> = p
                .get("Targets")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|t| t.link("Arn"))
                .collect();
            let mut alarms: Vec<Link> = Vec::new();
            if let Some(pattern) = p.get("EventPattern") {
                for key in [&["detail", "alarmName"][..], &["resources"][..]] {
                    if let Some(v) = pattern.path(key) {
                        alarms.extend(v.items().into_iter().filter_map(link_of));
                    }
                }
            }
            one(make(None, Kind::EventRule { targets, alarms }))
        }
        _ => Ok(Vec::new()),
    }
}

/// `${Key}` replaced in every string of a definition (`DefinitionSubstitutions`).
fn substitute(node: &mut Node, subs: &[(String, String)]) {
    if subs.is_empty() {
        return;
    }
    match &mut node.value {
        doc::Value::Scalar { text, .. } => {
            for (k, v) in subs {
                *text = text.replace(&format!("${{{k}}}"), v);
            }
        }
        doc::Value::Seq(items) => items.iter_mut().for_each(|i| substitute(i, subs)),
        doc::Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| substitute(v, subs)),
        doc::Value::Null => {}
    }
}

fn record(p: &Val) -> Kind {
    let routing = if let Some(f) = p.str("Failover") {
        Routing::Failover(f.eq_ignore_ascii_case("PRIMARY"))
    } else if let Some(r) = p.str("Region") {
        Routing::Latency(r)
    } else if let Some(w) = p.num("Weight") {
        Routing::Weighted(w)
    } else {
        Routing::Simple
    };
    let target = p
        .path(&["AliasTarget", "DNSName"])
        .and_then(link_of)
        .or_else(|| {
            p.get("ResourceRecords")
                .and_then(|r| r.items().first().copied().and_then(link_of))
        });
    Kind::Record {
        dns: p.str("Name").unwrap_or_default(),
        rtype: p.str("Type").unwrap_or_default(),
        routing,
        target,
        health_check: p.link("HealthCheckId"),
        ttl_s: p.num("TTL"),
    }
}

/// Hours between backups of a schedule: `rate(12 hours)`, `cron(0 */4 * * ? *)`, `cron(0 5 ? * * *)`.
pub fn schedule_hours(schedule: &str) -> Option<u64> {
    let s = schedule.trim();
    if let Some(rate) = s.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut parts = rate.split_whitespace();
        let n: u64 = parts.next()?.parse().ok()?;
        let unit = parts.next()?;
        return Some(match unit.trim_end_matches('s') {
            "minute" => (n / 60).max(1),
            "hour" => n,
            "day" => n * 24,
            _ => return None,
        });
    }
    let cron = s.strip_prefix("cron(")?.strip_suffix(')')?;
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let hour = *fields.get(1)?;
    let dom = fields.get(2).copied().unwrap_or("*");
    let dow = fields.get(4).copied().unwrap_or("?");
    let per_day = if hour == "*" {
        24
    } else if let Some(step) = hour.strip_prefix("*/").or_else(|| hour.strip_prefix("0/")) {
        24 / step.parse::<u64>().ok()?.max(1)
    } else {
        hour.split(',').count() as u64
    };
    let days = if matches!(dom, "*" | "?") && matches!(dow, "*" | "?") {
        1
    } else if matches!(dom, "*" | "?") {
        7 / dow.split(',').count().max(1) as u64
    } else {
        30
    };
    Some((24 * days / per_day.max(1)).max(1))
}

/// API Gateway methods and integrations, and SAM functions' `Api` events, attach functions to APIs.
fn attach_integrations(
    infra: &mut Infra,
    parsed: &[Parsed<'_>],
    ctxs: &mut [Ctx<'_>],
) -> Result<(), SourceError> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for t in &infra.things {
        if let Kind::Integration { api, function } = &t.kind {
            let api = api.as_ref().and_then(|l| infra.resolve(l));
            let f = function.as_ref().and_then(|l| infra.resolve(l));
            if let (Some(api), Some(f)) = (api, f) {
                pairs.push((api, f));
            }
        }
    }
    // SAM events: `Events: {X: {Type: Api, Properties: {RestApiId: !Ref Api}}}`.
    let mut implicit: Vec<(usize, Thing)> = Vec::new();
    for (p, ctx) in parsed.iter().zip(ctxs.iter_mut()) {
        let resources = p
            .root
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default();
        for (id, r) in resources {
            if r.get("Type").and_then(Node::text) != Some("AWS::Serverless::Function") {
                continue;
            }
            let Some(&f) = ctx.resources.get(&id.text) else {
                continue;
            };
            for (_, ev) in r
                .get("Properties")
                .and_then(|p| p.get("Events"))
                .map(Node::entries)
                .unwrap_or_default()
            {
                let kind = ev.get("Type").and_then(Node::text).unwrap_or("");
                if kind != "Api" && kind != "HttpApi" {
                    continue;
                }
                let api = match ev
                    .get("Properties")
                    .and_then(|p| p.get("RestApiId").or_else(|| p.get("ApiId")))
                {
                    Some(n) => link_of(&ctx.eval(n)?).and_then(|l| infra.resolve(&l)),
                    None => ctx
                        .resources
                        .get(if kind == "Api" {
                            "ServerlessRestApi"
                        } else {
                            "ServerlessHttpApi"
                        })
                        .copied(),
                };
                match api {
                    Some(a) => pairs.push((a, f)),
                    None => {
                        let src = Source {
                            file: p.input.label.clone(),
                            line: ev.pos.line,
                            id: if kind == "Api" {
                                "ServerlessRestApi".into()
                            } else {
                                "ServerlessHttpApi".into()
                            },
                            kind: format!("implicit AWS::Serverless::{kind}"),
                        };
                        implicit.push((
                            f,
                            Thing {
                                source: src,
                                region: ctx.region.to_string(),
                                name: None,
                                kind: Kind::Api {
                                    functions: vec![Link::Thing(f)],
                                },
                                refs: Vec::new(),
                            },
                        ));
                    }
                }
            }
        }
    }
    for (api, f) in pairs {
        if let Some(Thing {
            kind: Kind::Api { functions },
            ..
        }) = infra.things.get_mut(api)
            && !functions.contains(&Link::Thing(f))
        {
            functions.insert(0, Link::Thing(f));
        }
    }
    for (_, t) in implicit {
        let dup = infra
            .things
            .iter()
            .any(|o| o.source == t.source && o.region == t.region);
        if !dup {
            infra.things.push(t);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        assert_eq!(schedule_hours("rate(12 hours)"), Some(12));
        assert_eq!(schedule_hours("cron(0 */4 * * ? *)"), Some(4));
        assert_eq!(schedule_hours("cron(0 5 ? * * *)"), Some(24));
        assert_eq!(schedule_hours("cron(0 5,17 * * ? *)"), Some(12));
        assert_eq!(schedule_hours("nonsense"), None);
    }

    #[test]
    fn stack_args() {
        assert_eq!(
            parse_stack_arg("us-east-1=app.yaml,IsPrimary=yes").unwrap(),
            (
                "us-east-1".into(),
                "app.yaml".into(),
                vec![("IsPrimary".into(), "yes".into())]
            )
        );
        assert!(parse_stack_arg("app.yaml").is_err());
        assert!(parse_stack_arg("us-east-1=app.yaml,Oops").is_err());
    }
}
