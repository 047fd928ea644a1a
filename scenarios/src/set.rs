//! `--set path.to.field=value`: what-if overrides of any scenario parameter from the command line.
//!
//! The path walks the scenario's fields with `.`; list items (flows, disasters, runbooks, regions) are
//! picked by `name` or index; a resource's kind is skipped (`resources.orders-db.failover` reaches into the
//! `Rds(...)` without naming it). The value is JSON when it parses as JSON (`10`, `true`,
//! `{"Uniform": ["1m", "2m"]}`), otherwise a bare string (`2h`, `us-west-2`). The result is checked by
//! deserialising it again, so a wrong type is an error naming the path, never a silent change.
//!
//! A problem an override causes is reported against the override, not against a line of the file it never
//! came from: see [`blame`].

use std::collections::BTreeSet;

use serde_json::Value;
use sim_core::spec::Scenario;

use crate::source::{SourceError, closest};

/// Applies one `path=value` override.
pub fn apply(scenario: &Scenario, assignment: &str) -> Result<Scenario, String> {
    let (path, text) = assignment
        .split_once('=')
        .ok_or_else(|| format!("--set {assignment:?}: expected path=value, e.g. horizon=2d or flows.checkout.rate_per_s=20"))?;
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("--set {assignment:?}: the path is empty"));
    }
    let value: Value =
        serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()));
    let mut tree = serde_json::to_value(scenario)
        .map_err(|e| format!("--set: cannot encode the scenario: {e}"))?;
    let slot = walk(&mut tree, path).map_err(|e| format!("--set {path}: {e}"))?;
    *slot = value;
    serde_json::from_value(tree).map_err(|e| format!("--set {path}={text}: {e}"))
}

/// Blames on the overrides the problems they caused. `issues` are the problems of the scenario with
/// `sets` applied, `before` those of the same scenario without them: a problem not among `before` was
/// caused by the overrides, and is relabelled `--set PATH=VALUE` without a line (the command line has
/// none). Of several overrides, the culprit is the one whose value the message quotes, else the one whose
/// path names what the message quotes or says, else all of them.
pub fn blame(issues: &mut [SourceError], before: &[SourceError], sets: &[String]) {
    let old: BTreeSet<&str> = before.iter().map(|i| i.message.as_str()).collect();
    for issue in issues
        .iter_mut()
        .filter(|i| !old.contains(i.message.as_str()))
    {
        let culprits: Vec<String> = culprits(&issue.message, sets)
            .into_iter()
            .map(|s| format!("--set {s}"))
            .collect();
        issue.file = culprits.join(", ");
        issue.line = None;
        issue.col = None;
    }
}

/// The overrides among `sets` most likely to have caused the problem `message` describes.
fn culprits<'s>(message: &str, sets: &'s [String]) -> Vec<&'s String> {
    if sets.len() <= 1 {
        return sets.iter().collect();
    }
    let quoted: Vec<&str> = message.split('"').skip(1).step_by(2).collect();
    let score = |set: &str| {
        let (path, text) = set.split_once('=').unwrap_or((set, ""));
        let value: Value =
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()));
        let mut strings = Vec::new();
        leaves(&value, &mut strings);
        if strings.iter().any(|s| quoted.contains(s)) {
            2
        } else if path
            .split('.')
            .any(|seg| quoted.contains(&seg) || (seg.len() > 2 && message.contains(seg)))
        {
            1
        } else {
            0
        }
    };
    let scores: Vec<u8> = sets.iter().map(|s| score(s)).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    sets.iter()
        .zip(scores)
        .filter(|&(_, score)| score == best)
        .map(|(set, _)| set)
        .collect()
}

/// The strings inside a JSON value.
fn leaves<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
        _ => {}
    }
}

/// Applies overrides in order.
pub fn apply_all(scenario: Scenario, assignments: &[String]) -> Result<Scenario, String> {
    assignments.iter().try_fold(scenario, |s, a| apply(&s, a))
}

fn walk<'v>(mut node: &'v mut Value, path: &str) -> Result<&'v mut Value, String> {
    let mut walked = String::new();
    for segment in path.split('.') {
        node = step(node, segment, &walked)?;
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(segment);
    }
    Ok(node)
}

fn step<'v>(node: &'v mut Value, segment: &str, at: &str) -> Result<&'v mut Value, String> {
    let here = if at.is_empty() {
        "the scenario".to_string()
    } else {
        format!("`{at}`")
    };
    match node {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            // An externally tagged enum (`{"Rds": {...}}`) without the field: look inside its one variant.
            let tagged = !map.contains_key(segment)
                && map.len() == 1
                && map
                    .values()
                    .next()
                    .is_some_and(|v| v.is_object() || v.is_array());
            if map.contains_key(segment) {
                return map
                    .get_mut(segment)
                    .ok_or_else(|| format!("no field `{segment}` in {here}"));
            }
            if tagged {
                return match map.values_mut().next() {
                    Some(inner) => step(inner, segment, at),
                    None => Err(format!("no field `{segment}` in {here}")),
                };
            }
            let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            let hint =
                closest(segment, &refs).map_or(String::new(), |k| format!(", did you mean `{k}`?"));
            Err(format!(
                "no field `{segment}` in {here}{hint} (fields: {})",
                keys.join(", ")
            ))
        }
        Value::Array(items) => {
            if let Ok(i) = segment.parse::<usize>() {
                let len = items.len();
                return items
                    .get_mut(i)
                    .ok_or_else(|| format!("index {i} is past the end of {here} ({len} items)"));
            }
            let names: Vec<String> = items
                .iter()
                .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
            match items
                .iter()
                .position(|v| v.get("name").and_then(Value::as_str) == Some(segment))
            {
                Some(i) => Ok(&mut items[i]),
                None => {
                    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                    let hint = closest(segment, &refs)
                        .map_or(String::new(), |k| format!(", did you mean `{k}`?"));
                    Err(format!(
                        "no item named `{segment}` in {here}{hint} (names: {})",
                        names.join(", ")
                    ))
                }
            }
        }
        _ => Err(format!("{here} is a single value; it has no `{segment}`")),
    }
}
