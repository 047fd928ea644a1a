//! `drsim import`: CloudFormation templates, Step Functions state machines, FIS experiment templates and
//! Terraform plans into a scenario (RON text) that `drsim validate` accepts.
//!
//! The path: [`doc`] reads YAML or JSON into positioned nodes; a source module ([`cloudformation`] with
//! [`intrinsics`], [`terraform`]) turns them into the infrastructure model of [`infra`] (AWS things with
//! their links); [`infra::assemble`] turns that into a [`Draft`]: drsim resources, proposed flows and
//! disasters, runbooks from [`stepfunctions`]; [`fis`] adds disasters to a scenario. [`Draft::finish`]
//! writes the text with the [`ron`] writer and loads it back through the ordinary loader, so an import
//! never hands over a scenario that does not validate.
//!
//! **Nothing is guessed silently.** Every resource carries a comment naming its source (file:line and
//! logical id or address); every assumption is a comment where it applies and a line of the report that
//! opens the file, beside what was left out on purpose and what was not understood.

pub mod assemble;
pub mod cloudformation;
pub mod doc;
pub mod fis;
pub mod infra;
pub mod intrinsics;
mod json;
pub mod ron;
pub mod stepfunctions;
pub mod terraform;

use std::path::Path;

use crate::read::{ReadError, read_regular};
use crate::source::SourceError;
use ron::{Field, Item, Ron};

pub use sim_core::spec::limits::MAX_SCENARIO_BYTES;

/// The largest Terraform plan or state read (`terraform show -json` of a large project runs to tens of
/// MB); templates, state machines and experiments are held to [`MAX_SCENARIO_BYTES`].
pub const MAX_PLAN_BYTES: u64 = 64 << 20;

/// Reads an input file: a regular file of at most `limit` bytes, UTF-8. Errors name the file.
pub fn read_input(path: &Path, limit: u64) -> Result<String, SourceError> {
    let label = path.display().to_string();
    let bytes = read_regular(path, limit).map_err(|e| match e {
        ReadError::NotFound => SourceError::whole(&label, "cannot read: no such file"),
        other => SourceError::whole(&label, other.to_string()),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        SourceError::whole(
            &label,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// What an import found that the scenario does not say by itself: the report at the top of the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Read from (one line per input).
    pub inputs: Vec<String>,
    /// Left out on purpose, and why (IAM, networking, …).
    pub left_out: Vec<String>,
    /// Not understood: unknown types, unresolvable references, constructs without an equivalent.
    pub not_understood: Vec<String>,
    /// Translated to the nearest construct the format has, and how.
    pub translated: Vec<String>,
    /// Assumptions made (each also a comment where it applies).
    pub assumptions: Vec<String>,
    /// Proposals to edit (flows, disasters).
    pub proposals: Vec<String>,
}

impl Report {
    fn lines(&self) -> Vec<String> {
        let mut out = vec!["Import report".to_string()];
        for line in &self.inputs {
            out.push(format!("  {line}"));
        }
        for (title, items) in [
            ("Left out on purpose", &self.left_out),
            ("Not understood", &self.not_understood),
            (
                "Translated to the nearest construct the format has",
                &self.translated,
            ),
            (
                "Assumptions (each also a comment where it applies)",
                &self.assumptions,
            ),
            ("Proposals to edit (marked PROPOSAL below)", &self.proposals),
        ] {
            out.push(String::new());
            if items.is_empty() {
                out.push(format!("{title}: none."));
                continue;
            }
            out.push(format!("{title}:"));
            let mut seen = Vec::new();
            for item in items {
                if !seen.contains(&item) {
                    seen.push(item);
                    out.push(format!("  - {item}"));
                }
            }
        }
        out
    }
}

/// A scenario being written: its parts as RON values with comments, and the report.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// A base scenario's path (`extends`), for importers that add to one.
    pub extends: Option<String>,
    /// `horizon` with its comment (none when extending).
    pub horizon: Option<(String, String)>,
    /// `(Region, AZs, comment)`.
    pub regions: Vec<(String, Vec<String>, Vec<String>)>,
    /// `(name, value and comments)`.
    pub resources: Vec<(String, Item)>,
    /// Flows.
    pub flows: Vec<Item>,
    /// Disasters.
    pub disasters: Vec<Item>,
    /// Runbooks.
    pub runbooks: Vec<Item>,
    /// The report printed first.
    pub report: Report,
}

/// A finished import: the scenario text (already validated) and its report.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The RON text.
    pub text: String,
    /// The report (also at the top of the text).
    pub report: Report,
}

impl Draft {
    /// The scenario as RON text, report first.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in self.report.lines() {
            if line.is_empty() {
                out.push_str("//\n");
            } else {
                out.push_str(&format!("// {}\n", ron::comment_text(&line)));
            }
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut field = |name: &str, value: Ron, comment: Vec<String>| {
            fields.push(Field {
                name: name.to_string(),
                value,
                comment,
            })
        };
        if let Some(base) = &self.extends {
            field("extends", Ron::s(base), Vec::new());
        }
        field("name", Ron::s(&self.name), Vec::new());
        field("description", Ron::s(&self.description), Vec::new());
        if let Some((horizon, why)) = &self.horizon {
            field("horizon", Ron::s(horizon), vec![why.clone()]);
        }
        if self.extends.is_none() || !self.regions.is_empty() {
            let regions = self
                .regions
                .iter()
                .map(|(name, azs, comment)| Item {
                    value: ron::Fields::new()
                        .set("name", Ron::s(name))
                        .set("azs", Ron::strs(azs))
                        .tuple(),
                    comment: comment.clone(),
                })
                .collect();
            field("regions", Ron::List(regions), Vec::new());
        }
        if self.extends.is_none() || !self.resources.is_empty() {
            field("resources", Ron::Map(self.resources.clone()), Vec::new());
        }
        for (name, items) in [
            ("flows", &self.flows),
            ("disasters", &self.disasters),
            ("runbooks", &self.runbooks),
        ] {
            if !items.is_empty() || self.extends.is_none() {
                field(name, Ron::List(items.clone()), Vec::new());
            }
        }
        out.push_str(&Ron::Struct(None, fields).render(0, 0));
        out.push('\n');
        out
    }

    /// Renders the scenario and loads it back through the ordinary loader (`label` names it in errors): an
    /// import that does not validate is an error, never a file handed over.
    pub fn finish(self, label: &str) -> Result<Imported, SourceError> {
        let text = self.render();
        if let Err(e) = crate::load_text(label, &text) {
            return Err(SourceError::whole(
                label,
                format!(
                    "the imported scenario does not validate, so nothing was written (an import limitation: \
                     please report it with the input): {e}"
                ),
            ));
        }
        Ok(Imported {
            text,
            report: self.report,
        })
    }
}

/// A name made from a logical id or address for a scenario resource: `WebServerGroup` → `web-server-group`,
/// `aws_lb.east` → `lb-east`.
pub fn kebab(id: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = id.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if !out.is_empty() && !out.ends_with('-') && (prev_lower || (prev_upper && next_lower))
            {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "resource".to_string()
    } else {
        out
    }
}

/// A distribution as RON: `LogNormal("15m", "2h")`.
pub fn dist(kind: &str, args: &[&str]) -> Ron {
    Ron::call(kind, args)
}

/// Seconds as a duration string (`90` → `"90s"`, `3600` → `"1h"`).
pub fn secs(s: u64) -> String {
    if s > 0 && s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else if s > 0 && s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_ids() {
        assert_eq!(kebab("WebServerGroup"), "web-server-group");
        assert_eq!(kebab("DBCluster"), "db-cluster");
        assert_eq!(kebab("aws_lb.east"), "aws-lb-east");
        assert_eq!(kebab("ALBListener2"), "alb-listener2");
        assert_eq!(kebab("***"), "resource");
        assert_eq!(secs(90), "90s");
        assert_eq!(secs(7200), "2h");
    }
}

/// A scenario an import adds to (`--scenario FILE`): the output `extends` it, and identifiers and targets
/// are matched against its resources.
#[derive(Clone, Debug)]
pub struct Base {
    /// The path written into `extends` (absolute, so the output validates wherever it is written).
    pub extends: String,
    /// The scenario as loaded.
    pub scenario: sim_core::spec::Scenario,
}

impl Base {
    /// Loads `path` as the base scenario.
    pub fn load(path: &str) -> Result<Base, crate::LoadError> {
        let scenario = crate::load(path, &[])?;
        let extends = std::fs::canonicalize(path)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.to_string());
        Ok(Base { extends, scenario })
    }

    /// The Region of an AZ, by the scenario's regions.
    pub fn region_of_az(&self, az: &str) -> Option<String> {
        self.scenario
            .regions
            .iter()
            .find(|r| r.azs.iter().any(|a| a == az))
            .map(|r| r.name.clone())
    }

    /// The resource an identifier, ARN or DNS name names (exactly, by its last ARN segment, or in kebab
    /// case), if it is one of `kinds`.
    pub fn find(&self, id: &str, kinds: &[&str]) -> Option<String> {
        let tail = infra::arn_tail(id);
        let host = id.split('.').next().unwrap_or(id);
        let candidates = [id, tail, host, &kebab(tail)];
        self.scenario
            .resources
            .iter()
            .filter(|(_, r)| kinds.contains(&r.kind().as_str()))
            .find(|(name, _)| candidates.iter().any(|c| c.eq_ignore_ascii_case(name)))
            .map(|(name, _)| name.clone())
    }
}

/// Identifiers matched against a base scenario's resources (or nothing, without one).
pub struct ScenarioResolve<'a> {
    /// The base, if any.
    pub base: Option<&'a Base>,
    /// The Region the state machine runs in.
    pub home: String,
}

impl stepfunctions::Resolve for ScenarioResolve<'_> {
    fn resource(&self, id: &str, kinds: &[&str]) -> Option<String> {
        self.base?.find(id, kinds)
    }

    fn region_of(&self, id: &str) -> Option<String> {
        infra::arn_region(id).map(str::to_string)
    }

    fn home_region(&self) -> String {
        self.home.clone()
    }
}
