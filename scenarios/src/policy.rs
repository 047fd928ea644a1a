//! Resilience policy files for `drsim assess --policy FILE`: drsim's RON form (the scenario's `policy:`
//! field, `docs/scenario-format.md`) or an AWS Resilience Hub policy in JSON, as its API, CLI and
//! CloudFormation write it:
//!
//! - `aws resiliencehub describe-resiliency-policy` output: `{"policy": {"policyName": …, "policy":
//!   {"Software": {"rtoInSecs": 3600, "rpoInSecs": 3600}, "Hardware": …, "AZ": …, "Region": …}}}`;
//! - a `ResiliencyPolicy` object or `create-resiliency-policy` input (the inner object above);
//! - a CloudFormation `AWS::ResilienceHub::ResiliencyPolicy` (its `Properties`, `PolicyName`, `Policy`
//!   with `RtoInSecs`/`RpoInSecs`), alone or in a template's `Resources`.
//!
//! Resilience Hub has no percentile: the JSON forms are judged at drsim's default, p99. Errors name the
//! file, and the line and column where the parser gives one.

use std::path::Path;

use serde_json::Value;
use sim_core::SimDuration;
use sim_core::spec::policy::{DisruptionType, Policy, Targets};

use crate::read::read_regular;
use crate::source::{SourceError, parse_ron};

/// The largest policy file read.
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// Reads a policy file (RON or Resilience Hub JSON).
pub fn load_policy(path: &Path) -> Result<Policy, SourceError> {
    let file = path.display().to_string();
    let bytes = read_regular(path, MAX_POLICY_BYTES)
        .map_err(|e| SourceError::whole(&file, e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| SourceError::whole(&file, "is not UTF-8 text: a policy is RON or JSON"))?;
    parse_policy(&file, &text)
}

/// Parses a policy from `text`, the contents of `file`.
pub fn parse_policy(file: &str, text: &str) -> Result<Policy, SourceError> {
    if text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(text).map_err(|e| SourceError {
            file: file.to_string(),
            line: Some(e.line()),
            col: Some(e.column()),
            message: format!("not valid JSON: {e}"),
        })?;
        from_resilience_hub(&value).map_err(|m| SourceError::whole(file, m))
    } else {
        parse_ron(file, text)
    }
}

/// The object holding the policy's name and its map of disruption types, in any of the JSON forms.
fn policy_object(value: &Value) -> Option<&Value> {
    if let Some(resources) = value.get("Resources").and_then(Value::as_object) {
        return resources
            .values()
            .find(|r| {
                r.get("Type").and_then(Value::as_str)
                    == Some("AWS::ResilienceHub::ResiliencyPolicy")
            })
            .and_then(|r| r.get("Properties"));
    }
    if value.get("Type").and_then(Value::as_str) == Some("AWS::ResilienceHub::ResiliencyPolicy") {
        return value.get("Properties");
    }
    // describe-resiliency-policy wraps the object in `policy`, whose own `policy` is the map.
    match value.get("policy") {
        Some(inner) if inner.get("policy").is_some_and(Value::is_object) => Some(inner),
        _ => Some(value),
    }
}

/// A key of `object`, case-insensitively (`policy`/`Policy`, `rtoInSecs`/`RtoInSecs`).
fn field<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// A Resilience Hub policy as a drsim [`Policy`].
fn from_resilience_hub(value: &Value) -> Result<Policy, String> {
    let object = policy_object(value).ok_or(
        "a template with no AWS::ResilienceHub::ResiliencyPolicy resource: nothing to assess against",
    )?;
    let name = field(object, "policyName")
        .and_then(Value::as_str)
        .unwrap_or("resilience-hub-policy");
    let map = field(object, "policy")
        .and_then(Value::as_object)
        .ok_or("no \"policy\" map of disruption types (Software, Hardware, AZ, Region)")?;
    let mut policy = Policy::new(name);
    for (key, targets) in map {
        let kind = DisruptionType::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(key))
            .ok_or_else(|| {
                format!("policy.{key}: not a disruption type; Resilience Hub's are Software, Hardware, AZ, Region")
            })?;
        let secs = |what: &str| -> Result<SimDuration, String> {
            let v =
                field(targets, what).ok_or_else(|| format!("policy.{key}: no {what} (seconds)"))?;
            let n = v.as_u64().ok_or_else(|| {
                format!("policy.{key}.{what}: {v} is not a whole number of seconds, 0 or more")
            })?;
            Ok(SimDuration::from_secs(n))
        };
        policy.set(
            kind,
            Targets {
                rto: secs("rtoInSecs")?,
                rpo: secs("rpoInSecs")?,
            },
        );
    }
    if DisruptionType::ALL
        .iter()
        .all(|&k| policy.targets(k).is_none())
    {
        return Err("the policy sets no targets".into());
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resilience_hub_form_reads_the_same_targets() {
        let inner = r#"{"policyName": "gold", "tier": "MissionCritical", "policy": {
            "Software": {"rtoInSecs": 3600, "rpoInSecs": 900},
            "Hardware": {"rtoInSecs": 600, "rpoInSecs": 60},
            "AZ": {"rtoInSecs": 300, "rpoInSecs": 0},
            "Region": {"rtoInSecs": 900, "rpoInSecs": 60}}}"#;
        let described = format!(r#"{{"policy": {inner}}}"#);
        let cfn = r#"{"Resources": {"P": {"Type": "AWS::ResilienceHub::ResiliencyPolicy", "Properties": {
            "PolicyName": "gold", "Tier": "MissionCritical", "Policy": {
            "Software": {"RtoInSecs": 3600, "RpoInSecs": 900},
            "Hardware": {"RtoInSecs": 600, "RpoInSecs": 60},
            "AZ": {"RtoInSecs": 300, "RpoInSecs": 0},
            "Region": {"RtoInSecs": 900, "RpoInSecs": 60}}}}}}"#;
        let a = parse_policy("a.json", inner).unwrap();
        assert_eq!(a, parse_policy("b.json", &described).unwrap());
        assert_eq!(a, parse_policy("c.json", cfn).unwrap());
        assert_eq!(a.name, "gold");
        assert_eq!(
            a.targets(DisruptionType::Az),
            Some(Targets {
                rto: SimDuration::from_mins(5),
                rpo: SimDuration::ZERO
            })
        );
    }

    #[test]
    fn bad_policies_say_what_is_wrong_and_where() {
        let e = parse_policy("p.json", "{\n  \"policy\": [,\n}").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (Some(2), "p.json"));
        let e = parse_policy(
            "p.json",
            r#"{"policy": {"Zone": {"rtoInSecs": 1, "rpoInSecs": 1}}}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("Software, Hardware, AZ, Region"), "{e}");
        let e = parse_policy(
            "p.json",
            r#"{"policy": {"AZ": {"rtoInSecs": -5, "rpoInSecs": 1}}}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("policy.AZ.rtoInSecs"), "{e}");
        let e = parse_policy("p.ron", "(az: (rto: \"5m\", rpo: \"-1s\"))").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let ok = parse_policy(
            "p.ron",
            "(name: \"silver\", percentile: 90, region: (rto: \"1h\", rpo: \"5m\"))",
        )
        .unwrap();
        assert_eq!(ok.percentile.tenths(), 900);
        assert!(ok.targets(DisruptionType::Az).is_none());
    }
}
