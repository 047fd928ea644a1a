//! `terraform show -json` (a plan's `planned_values` or a state's `values`) into the infrastructure model:
//! the `aws_*` equivalents of the CloudFormation types. Regions come from the providers: a resource's
//! `provider_config_key` in `configuration` names an aliased provider (`aws.west`) whose `region` is read;
//! references between resources come from `configuration`'s expressions (a plan often does not know an id
//! yet).

use std::collections::BTreeMap;

use super::assemble::{Options, assemble};
use super::doc::{self, Node, error_at};
use super::infra::{BackupRule, Infra, Kind, Link, Routing, Source, Thing, arn_region};
use super::{Imported, Report};
use crate::source::SourceError;

/// Types left out on purpose, by prefix, and why.
const LEFT_OUT: &[(&str, &str)] = &[
    (
        "aws_iam_",
        "identities and permissions: they do not change what fails or how fast it recovers",
    ),
    ("aws_vpc", "networking is not modelled"),
    (
        "aws_security_group",
        "security groups are not modelled: traffic between resources is assumed allowed",
    ),
    ("aws_route_table", "networking is not modelled"),
    ("aws_route", "networking is not modelled"),
    ("aws_internet_gateway", "networking is not modelled"),
    ("aws_nat_gateway", "networking is not modelled"),
    ("aws_eip", "networking is not modelled"),
    (
        "aws_kms_",
        "keys do not change availability in drsim's model",
    ),
    (
        "aws_secretsmanager_",
        "secrets do not change availability in drsim's model",
    ),
    (
        "aws_ssm_",
        "parameters do not change availability in drsim's model",
    ),
    ("aws_cloudwatch_log_", "logging is not modelled"),
    ("aws_sns_", "notifications are not modelled"),
    ("aws_sqs_", "queues are not modelled"),
    ("aws_lambda_permission", "permissions"),
    ("aws_db_subnet_group", "networking is not modelled"),
    (
        "aws_db_parameter_group",
        "configuration without an effect on recovery",
    ),
    (
        "aws_rds_cluster_parameter_group",
        "configuration without an effect on recovery",
    ),
    (
        "aws_route53_zone",
        "the zone itself (its records are imported)",
    ),
    ("aws_acm_", "certificates"),
    ("aws_s3_bucket_policy", "permissions"),
    ("aws_s3_bucket_public_access_block", "permissions"),
    (
        "aws_fis_experiment_template",
        "an experiment: import it with `drsim import fis`",
    ),
    (
        "aws_autoscaling_policy",
        "scaling policies are not modelled",
    ),
    ("aws_api_gateway_deployment", "part of its API"),
    ("aws_api_gateway_stage", "part of its API"),
    ("aws_api_gateway_resource", "part of its API"),
    (
        "aws_api_gateway_method",
        "part of its API (its integration is read)",
    ),
    ("aws_apigatewayv2_stage", "part of its API"),
    (
        "aws_apigatewayv2_route",
        "part of its API (its integration is read)",
    ),
];

fn get<'n>(n: &'n Node, path: &[&str]) -> Option<&'n Node> {
    let mut at = n;
    for k in path {
        at = match k.parse::<usize>() {
            Ok(i) => at.items().get(i)?,
            Err(_) => at.get(k)?,
        };
    }
    Some(at)
}

fn text(n: &Node, path: &[&str]) -> Option<String> {
    get(n, path)
        .and_then(Node::text)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn num(n: &Node, path: &[&str]) -> Option<u64> {
    get(n, path)
        .and_then(|v| v.as_f64())
        .filter(|x| *x >= 0.0)
        .map(|x| x as u64)
}

/// One resource being read: its values, its configuration's expressions, and the address index.
struct Res<'a> {
    values: &'a Node,
    exprs: Option<&'a Node>,
    index: &'a BTreeMap<String, usize>,
}

impl Res<'_> {
    /// A link from `path` (e.g. `["alias", "0", "name"]`): a reference in the configuration, else the value.
    fn link(&self, path: &[&str]) -> Option<Link> {
        if let Some(refs) = self
            .exprs
            .and_then(|e| get(e, path))
            .and_then(|e| e.get("references"))
        {
            for r in refs.items().iter().filter_map(Node::text) {
                if let Some(i) = resolve_address(self.index, r) {
                    return Some(Link::Thing(i));
                }
            }
        }
        text(self.values, path).map(Link::Name)
    }

    /// Links from a list attribute.
    fn links(&self, path: &[&str]) -> Vec<Link> {
        let mut out = Vec::new();
        if let Some(refs) = self
            .exprs
            .and_then(|e| get(e, path))
            .and_then(|e| e.get("references"))
        {
            for r in refs.items().iter().filter_map(Node::text) {
                if let Some(i) = resolve_address(self.index, r)
                    && !out.contains(&Link::Thing(i))
                {
                    out.push(Link::Thing(i));
                }
            }
        }
        if out.is_empty() {
            out.extend(
                get(self.values, path)
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Node::text)
                    .map(|s| Link::Name(s.to_string())),
            );
        }
        out
    }

    fn all_refs(&self) -> Vec<Link> {
        let mut out = Vec::new();
        let mut stack: Vec<&Node> = self.exprs.into_iter().collect();
        while let Some(n) = stack.pop() {
            if out.len() > 1000 {
                break;
            }
            if let Some(refs) = n.get("references") {
                for r in refs.items().iter().filter_map(Node::text) {
                    if let Some(i) = resolve_address(self.index, r) {
                        out.push(Link::Thing(i));
                    }
                }
            }
            stack.extend(n.entries().iter().map(|(_, v)| v));
            stack.extend(n.items());
        }
        out
    }
}

/// `aws_rds_global_cluster.this.id` → the index of `aws_rds_global_cluster.this`.
fn resolve_address(index: &BTreeMap<String, usize>, reference: &str) -> Option<usize> {
    let mut r = reference.to_string();
    loop {
        if let Some(&i) = index.get(&r) {
            return Some(i);
        }
        if let Some(&i) = index.get(&format!("{r}[0]")) {
            return Some(i);
        }
        let cut = r.rfind('.')?;
        r.truncate(cut);
    }
}

/// Imports a `terraform show -json` document.
pub fn import(label: &str, text_in: &str, options: &Options) -> Result<Imported, SourceError> {
    let infra = read(label, text_in)?;
    assemble(infra, options).finish(label)
}

/// Reads the document into the infrastructure model.
pub fn read(label: &str, input: &str) -> Result<Infra, SourceError> {
    let (root, _) = doc::parse(label, input)?;
    let module = get(&root, &["planned_values", "root_module"])
        .or_else(|| get(&root, &["values", "root_module"]))
        .ok_or_else(|| {
            error_at(label, root.pos, "not the JSON of `terraform show -json`: no planned_values.root_module or values.root_module")
        })?;
    // Providers: key → Region.
    let mut providers: BTreeMap<String, String> = BTreeMap::new();
    for (k, p) in get(&root, &["configuration", "provider_config"])
        .map(Node::entries)
        .unwrap_or_default()
    {
        if let Some(r) = text(p, &["expressions", "region", "constant_value"]) {
            providers.insert(k.text.clone(), r);
        }
    }
    // Configuration resources: address → (provider key, expressions).
    let mut config: BTreeMap<String, (String, Option<&Node>)> = BTreeMap::new();
    let mut modules = vec![(String::new(), get(&root, &["configuration", "root_module"]))];
    let mut guard = 0;
    while let Some((prefix, m)) = modules.pop() {
        guard += 1;
        let Some(m) = m else { continue };
        if guard > 1000 {
            break;
        }
        for r in m.get("resources").map(Node::items).unwrap_or_default() {
            if let Some(addr) = text(r, &["address"]) {
                let key = text(r, &["provider_config_key"]).unwrap_or_else(|| "aws".into());
                config.insert(format!("{prefix}{addr}"), (key, r.get("expressions")));
            }
        }
        for (name, call) in m.get("module_calls").map(Node::entries).unwrap_or_default() {
            modules.push((format!("{prefix}module.{}.", name.text), call.get("module")));
        }
    }
    // Planned resources, modules included.
    let mut resources: Vec<&Node> = Vec::new();
    let mut stack = vec![module];
    while let Some(m) = stack.pop() {
        if resources.len() > 100_000 {
            return Err(error_at(
                label,
                m.pos,
                "more than 100,000 resources; refused",
            ));
        }
        resources.extend(m.get("resources").map(Node::items).unwrap_or_default());
        stack.extend(m.get("child_modules").map(Node::items).unwrap_or_default());
    }
    let mut infra = Infra::default();
    infra
        .report
        .inputs
        .push(format!("terraform show -json {label}"));
    let default_region = providers.get("aws").cloned();
    let mut kept: Vec<(&Node, String, String, String)> = Vec::new();
    for r in resources {
        let (Some(addr), Some(ty)) = (text(r, &["address"]), text(r, &["type"])) else {
            return Err(error_at(
                label,
                r.pos,
                "a resource needs `address` and `type`",
            ));
        };
        if text(r, &["mode"]).as_deref() == Some("data") {
            continue;
        }
        if !mapped(&ty) {
            let why = LEFT_OUT
                .iter()
                .find(|(p, _)| ty.starts_with(p))
                .map(|(_, w)| *w);
            match why {
                Some(why) => infra
                    .report
                    .left_out
                    .push(format!("{label}:{} {addr} ({ty}): {why}", r.pos.line)),
                None if !ty.starts_with("aws_") => infra.report.left_out.push(format!(
                    "{label}:{} {addr} ({ty}): not an AWS resource",
                    r.pos.line
                )),
                None => infra.report.not_understood.push(format!(
                    "{label}:{} {addr} ({ty}): unknown resource type",
                    r.pos.line
                )),
            }
            continue;
        }
        let config_addr = strip_index(&addr);
        let key = config
            .get(&config_addr)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| "aws".into());
        let key_base = key.rsplit(':').next().unwrap_or(&key).to_string();
        let values = r.get("values");
        let region = values
            .and_then(|v| text(v, &["region"]))
            .or_else(|| providers.get(&key).cloned())
            .or_else(|| providers.get(&key_base).cloned())
            .or_else(|| {
                values
                    .and_then(|v| text(v, &["arn"]))
                    .and_then(|a| arn_region(&a).map(str::to_string))
            })
            .or_else(|| default_region.clone());
        let region = match region {
            Some(r) => r,
            None => {
                infra.report.assumptions.push(format!(
                    "{label}:{} {addr}: no provider Region; us-east-1 assumed",
                    r.pos.line
                ));
                "us-east-1".to_string()
            }
        };
        if !infra.regions.contains(&region) {
            infra.regions.push(region.clone());
        }
        kept.push((r, addr, ty, region));
    }
    let index: BTreeMap<String, usize> = kept
        .iter()
        .enumerate()
        .map(|(i, (_, a, _, _))| (a.clone(), i))
        .collect();
    let empty = Node::new(Default::default(), doc::Value::Map(Vec::new()));
    for (r, addr, ty, region) in &kept {
        let values = r.get("values").unwrap_or(&empty);
        let exprs = config.get(&strip_index(addr)).and_then(|(_, e)| *e);
        let res = Res {
            values,
            exprs,
            index: &index,
        };
        let (name, kind) = thing(
            ty,
            &res,
            &format!("{label}:{}", r.pos.line),
            addr,
            &mut infra.report,
        )?;
        infra.things.push(Thing {
            source: Source {
                file: label.to_string(),
                line: r.pos.line,
                id: addr.clone(),
                kind: ty.clone(),
            },
            region: region.clone(),
            name,
            kind,
            refs: res.all_refs(),
        });
    }
    post(&mut infra, &kept, &config, &index);
    Ok(infra)
}

fn strip_index(addr: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in addr.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn mapped(ty: &str) -> bool {
    matches!(
        ty,
        "aws_rds_global_cluster"
            | "aws_rds_cluster"
            | "aws_rds_cluster_instance"
            | "aws_db_instance"
            | "aws_dynamodb_table"
            | "aws_s3_bucket"
            | "aws_s3_bucket_versioning"
            | "aws_s3_bucket_replication_configuration"
            | "aws_s3_bucket_website_configuration"
            | "aws_cloudfront_distribution"
            | "aws_route53_record"
            | "aws_route53_health_check"
            | "aws_instance"
            | "aws_subnet"
            | "aws_launch_template"
            | "aws_launch_configuration"
            | "aws_autoscaling_group"
            | "aws_autoscaling_attachment"
            | "aws_lb"
            | "aws_alb"
            | "aws_lb_listener"
            | "aws_alb_listener"
            | "aws_lb_listener_rule"
            | "aws_lb_target_group"
            | "aws_alb_target_group"
            | "aws_lb_target_group_attachment"
            | "aws_elb"
            | "aws_lambda_function"
            | "aws_api_gateway_rest_api"
            | "aws_apigatewayv2_api"
            | "aws_api_gateway_integration"
            | "aws_apigatewayv2_integration"
            | "aws_backup_plan"
            | "aws_backup_selection"
            | "aws_backup_vault"
            | "aws_cloudwatch_metric_alarm"
            | "aws_sfn_state_machine"
            | "aws_cloudwatch_event_rule"
            | "aws_cloudwatch_event_target"
    )
}

fn thing(
    ty: &str,
    r: &Res<'_>,
    label: &str,
    addr: &str,
    report: &mut Report,
) -> Result<(Option<String>, Kind), SourceError> {
    let v = r.values;
    let name = |k: &str| text(v, &[k]);
    Ok(match ty {
        "aws_rds_global_cluster" => (
            name("global_cluster_identifier"),
            Kind::GlobalCluster {
                source: r.link(&["source_db_cluster_identifier"]),
            },
        ),
        "aws_rds_cluster" => {
            let engine = name("engine").unwrap_or_default();
            (
                name("cluster_identifier"),
                Kind::DbCluster {
                    aurora: engine.starts_with("aurora") || engine.is_empty(),
                    engine,
                    global: r.link(&["global_cluster_identifier"]),
                    retention_days: num(v, &["backup_retention_period"]),
                    class: name("db_cluster_instance_class"),
                },
            )
        }
        "aws_rds_cluster_instance" | "aws_db_instance" => (
            name("identifier"),
            Kind::DbInstance {
                az: name("availability_zone"),
                multi_az: get(v, &["multi_az"])
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                retention_days: num(v, &["backup_retention_period"]),
                class: name("instance_class"),
                cluster: if ty == "aws_rds_cluster_instance" {
                    r.link(&["cluster_identifier"])
                } else {
                    None
                },
                replica_of: r.link(&["replicate_source_db"]),
            },
        ),
        "aws_dynamodb_table" => (
            name("name"),
            Kind::Table {
                replicas: get(v, &["replica"])
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|x| text(x, &["region_name"]))
                    .collect(),
                pitr: get(v, &["point_in_time_recovery", "0", "enabled"])
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
            },
        ),
        "aws_s3_bucket" => (
            name("bucket"),
            Kind::Bucket {
                versioning: get(v, &["versioning", "0", "enabled"])
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                replicate_to: None,
                rtc: false,
                website: false,
            },
        ),
        "aws_s3_bucket_versioning"
        | "aws_s3_bucket_replication_configuration"
        | "aws_s3_bucket_website_configuration" => (
            None,
            Kind::Integration {
                api: r.link(&["bucket"]),
                function: None,
            },
        ),
        "aws_cloudfront_distribution" => {
            let origins: Vec<(String, Option<Link>)> = get(v, &["origin"])
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    (
                        text(o, &["origin_id"]).unwrap_or_default(),
                        r.link(&["origin", &i.to_string(), "domain_name"]),
                    )
                })
                .collect();
            let target =
                text(v, &["default_cache_behavior", "0", "target_origin_id"]).unwrap_or_default();
            let by_id = |id: &str| {
                origins
                    .iter()
                    .find(|(i, _)| i == id)
                    .and_then(|(_, l)| l.clone())
            };
            let group = get(v, &["origin_group"])
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .find(|g| text(g, &["origin_id"]).as_deref() == Some(target.as_str()));
            match group {
                Some(g) => {
                    let members = get(g, &["member"])
                        .map(Node::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|m| text(m, &["origin_id"]))
                        .filter_map(|id| by_id(&id))
                        .collect();
                    let codes = get(g, &["failover_criteria", "0", "status_codes"])
                        .map(Node::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|c| c.as_u64())
                        .map(|c| c as u16)
                        .collect();
                    (
                        None,
                        Kind::Distribution {
                            origins: members,
                            group: true,
                            failover_codes: codes,
                        },
                    )
                }
                None => (
                    None,
                    Kind::Distribution {
                        origins: by_id(&target).into_iter().collect(),
                        group: false,
                        failover_codes: Vec::new(),
                    },
                ),
            }
        }
        "aws_route53_record" => {
            let routing = if let Some(t) = text(v, &["failover_routing_policy", "0", "type"]) {
                Routing::Failover(t.eq_ignore_ascii_case("PRIMARY"))
            } else if let Some(reg) = text(v, &["latency_routing_policy", "0", "region"]) {
                Routing::Latency(reg)
            } else if let Some(w) = num(v, &["weighted_routing_policy", "0", "weight"]) {
                Routing::Weighted(w)
            } else {
                Routing::Simple
            };
            let target = r
                .link(&["alias", "0", "name"])
                .or_else(|| r.links(&["records"]).into_iter().next());
            (
                None,
                Kind::Record {
                    dns: name("name").unwrap_or_default(),
                    rtype: name("type").unwrap_or_default(),
                    routing,
                    target,
                    health_check: r.link(&["health_check_id"]),
                    ttl_s: num(v, &["ttl"])
                        .filter(|_| get(v, &["alias"]).is_none_or(|a| a.items().is_empty())),
                },
            )
        }
        "aws_route53_health_check" => (
            None,
            Kind::HealthCheck {
                target: r.link(&["fqdn"]).or_else(|| r.link(&["ip_address"])),
                interval_s: num(v, &["request_interval"]),
                threshold: num(v, &["failure_threshold"]),
            },
        ),
        "aws_instance" => (
            None,
            Kind::Instance {
                az: name("availability_zone"),
                subnet: r.link(&["subnet_id"]),
                itype: name("instance_type"),
            },
        ),
        "aws_subnet" => {
            report.left_out.push(format!("{label} {addr} (aws_subnet): networking is not modelled (its AZ places what runs in it)"));
            (
                None,
                Kind::Subnet {
                    az: name("availability_zone"),
                },
            )
        }
        "aws_launch_template" | "aws_launch_configuration" => (
            name("name"),
            Kind::LaunchTemplate {
                itype: name("instance_type"),
            },
        ),
        "aws_autoscaling_group" => (
            name("name"),
            Kind::Asg {
                min: num(v, &["min_size"]),
                max: num(v, &["max_size"]),
                desired: num(v, &["desired_capacity"]),
                azs: get(v, &["availability_zones"])
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Node::text)
                    .map(str::to_string)
                    .collect(),
                subnets: r.links(&["vpc_zone_identifier"]),
                target_groups: r.links(&["target_group_arns"]),
                load_balancers: r.links(&["load_balancers"]),
                launch: r
                    .link(&["launch_template", "0", "id"])
                    .or_else(|| r.link(&["launch_configuration"])),
                itype: None,
            },
        ),
        "aws_autoscaling_attachment" => (
            None,
            Kind::Integration {
                api: r.link(&["autoscaling_group_name"]),
                function: r.link(&["lb_target_group_arn"]),
            },
        ),
        "aws_lb" | "aws_alb" => (
            name("name"),
            Kind::LoadBalancer {
                classic: false,
                network: name("load_balancer_type").as_deref() == Some("network"),
                instances: Vec::new(),
            },
        ),
        "aws_elb" => (
            name("name"),
            Kind::LoadBalancer {
                classic: true,
                network: false,
                instances: r.links(&["instances"]),
            },
        ),
        "aws_lb_listener" | "aws_alb_listener" | "aws_lb_listener_rule" => {
            let block = if ty == "aws_lb_listener_rule" {
                "action"
            } else {
                "default_action"
            };
            let mut tgs = Vec::new();
            for (i, _) in get(v, &[block])
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                tgs.extend(r.link(&[block, &i.to_string(), "target_group_arn"]));
            }
            (
                None,
                Kind::Listener {
                    lb: r
                        .link(&["load_balancer_arn"])
                        .or_else(|| r.link(&["listener_arn"])),
                    target_groups: tgs,
                },
            )
        }
        "aws_lb_target_group" | "aws_alb_target_group" => (
            name("name"),
            Kind::TargetGroup {
                targets: Vec::new(),
                interval_s: num(v, &["health_check", "0", "interval"]),
                unhealthy: num(v, &["health_check", "0", "unhealthy_threshold"]),
                healthy: num(v, &["health_check", "0", "healthy_threshold"]),
            },
        ),
        "aws_lb_target_group_attachment" => (
            None,
            Kind::Integration {
                api: r.link(&["target_group_arn"]),
                function: r.link(&["target_id"]),
            },
        ),
        "aws_lambda_function" => (name("function_name"), Kind::Function),
        "aws_api_gateway_rest_api" | "aws_apigatewayv2_api" => (
            name("name"),
            Kind::Api {
                functions: Vec::new(),
            },
        ),
        "aws_api_gateway_integration" => (
            None,
            Kind::Integration {
                api: r.link(&["rest_api_id"]),
                function: r.link(&["uri"]),
            },
        ),
        "aws_apigatewayv2_integration" => (
            None,
            Kind::Integration {
                api: r.link(&["api_id"]),
                function: r.link(&["integration_uri"]),
            },
        ),
        "aws_backup_plan" => {
            let rules = get(v, &["rule"])
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, rule)| {
                    let schedule = text(rule, &["schedule"]).unwrap_or_default();
                    BackupRule {
                        every_h: super::cloudformation::schedule_hours(&schedule),
                        copy_to: r.link(&[
                            "rule",
                            &i.to_string(),
                            "copy_action",
                            "0",
                            "destination_vault_arn",
                        ]),
                        schedule,
                    }
                })
                .collect();
            (name("name"), Kind::BackupPlan { rules })
        }
        "aws_backup_selection" => (
            None,
            Kind::BackupSelection {
                plan: r.link(&["plan_id"]),
                resources: r.links(&["resources"]),
            },
        ),
        "aws_backup_vault" => (name("name"), Kind::Vault),
        "aws_cloudwatch_metric_alarm" => {
            let watches = get(v, &["dimensions"])
                .and_then(|d| d.entries().first().map(|(k, _)| k.text.clone()))
                .and_then(|k| r.link(&["dimensions", &k]));
            (
                name("alarm_name"),
                Kind::Alarm {
                    watches,
                    metric: format!(
                        "{}/{}",
                        name("namespace").unwrap_or_default(),
                        name("metric_name").unwrap_or_default()
                    ),
                    period_s: num(v, &["period"]),
                    evaluation_periods: num(v, &["evaluation_periods"]),
                    datapoints: num(v, &["datapoints_to_alarm"]),
                },
            )
        }
        "aws_sfn_state_machine" => {
            let definition = match name("definition") {
                Some(d) => {
                    let l = format!("{label} {addr}.definition");
                    Some((doc::parse(&l, &d)?.0, l))
                }
                None => {
                    report.not_understood.push(format!("{label} {addr}: its definition is not known in the plan; import it with `drsim import stepfunctions`"));
                    None
                }
            };
            (name("name"), Kind::StateMachine { definition })
        }
        "aws_cloudwatch_event_rule" => {
            let mut alarms = Vec::new();
            if let Some(p) = name("event_pattern")
                && let Ok((pattern, _)) = doc::parse(label, &p)
            {
                for a in get(&pattern, &["detail", "alarmName"])
                    .map(Node::items)
                    .unwrap_or_default()
                {
                    alarms.extend(a.text().map(|t| Link::Name(t.to_string())));
                }
            }
            (
                name("name"),
                Kind::EventRule {
                    targets: Vec::new(),
                    alarms,
                },
            )
        }
        "aws_cloudwatch_event_target" => (
            None,
            Kind::Integration {
                api: r.link(&["rule"]),
                function: r.link(&["arn"]),
            },
        ),
        _ => (None, Kind::Vault),
    })
}

/// Attachments and sub-resources fold into what they attach to.
#[allow(clippy::needless_range_loop)] // an index names a thing and its plan entry
fn post(
    infra: &mut Infra,
    kept: &[(&Node, String, String, String)],
    _config: &BTreeMap<String, (String, Option<&Node>)>,
    index: &BTreeMap<String, usize>,
) {
    let _ = index;
    let n = infra.things.len();
    for i in 0..n {
        let ty = kept[i].2.as_str();
        let Kind::Integration { api, function } = infra.things[i].kind.clone() else {
            continue;
        };
        let a = api.as_ref().and_then(|l| infra.resolve(l));
        let f = function.as_ref().and_then(|l| infra.resolve(l));
        let values = kept[i].0.get("values");
        match (ty, a) {
            ("aws_s3_bucket_versioning", Some(b)) => {
                let on = values
                    .and_then(|v| text(v, &["versioning_configuration", "0", "status"]))
                    .as_deref()
                    == Some("Enabled");
                if let Kind::Bucket { versioning, .. } = &mut infra.things[b].kind {
                    *versioning |= on;
                }
            }
            ("aws_s3_bucket_website_configuration", Some(b)) => {
                if let Kind::Bucket { website, .. } = &mut infra.things[b].kind {
                    *website = true;
                }
            }
            ("aws_s3_bucket_replication_configuration", Some(b)) => {
                let dest =
                    values.and_then(|v| text(v, &["rule", "0", "destination", "0", "bucket"]));
                let exprs = _config.get(&strip_index(&kept[i].1)).and_then(|(_, e)| *e);
                let res = Res {
                    values: values.unwrap_or(kept[i].0),
                    exprs,
                    index,
                };
                let link = res
                    .link(&["rule", "0", "destination", "0", "bucket"])
                    .or(dest.map(Link::Name));
                let rtc = values
                    .and_then(|v| {
                        text(
                            v,
                            &[
                                "rule",
                                "0",
                                "destination",
                                "0",
                                "replication_time",
                                "0",
                                "status",
                            ],
                        )
                    })
                    .as_deref()
                    == Some("Enabled");
                if let Kind::Bucket {
                    replicate_to,
                    rtc: r,
                    ..
                } = &mut infra.things[b].kind
                {
                    *replicate_to = link;
                    *r = rtc;
                }
            }
            ("aws_autoscaling_attachment", Some(g)) => {
                if let (Kind::Asg { target_groups, .. }, Some(l)) =
                    (&mut infra.things[g].kind, function.clone())
                {
                    target_groups.push(l);
                }
            }
            ("aws_lb_target_group_attachment", Some(tg)) => {
                if let (Kind::TargetGroup { targets, .. }, Some(l)) =
                    (&mut infra.things[tg].kind, function.clone())
                {
                    targets.push(l);
                }
            }
            ("aws_api_gateway_integration" | "aws_apigatewayv2_integration", Some(api)) => {
                if let (Kind::Api { functions }, Some(f)) = (&mut infra.things[api].kind, f) {
                    functions.push(Link::Thing(f));
                }
            }
            ("aws_cloudwatch_event_target", Some(rule)) => {
                if let (Kind::EventRule { targets, .. }, Some(l)) =
                    (&mut infra.things[rule].kind, function.clone())
                {
                    targets.push(l);
                }
            }
            _ => {}
        }
    }
}
