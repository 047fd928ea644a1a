//! # scenarios: drsim's built-in scenarios and the scenario loader
//!
//! A scenario is named either by a built-in name (`drsim list`) or by a path to a `.ron` file. Loading
//! reads the RON ([`source`]), resolves `extends` ([`file`]), applies `--set` overrides ([`set`]) and
//! returns a `sim_core` [`Scenario`]; every failure is a [`LoadError`] naming the file, line and column
//! where there is one.
//!
//! Invariant: a built-in scenario is a file in this folder (`scenarios/NAME.ron`) that a user can read,
//! copy and edit; the binary embeds the same bytes. Nothing about a scenario is hard-coded elsewhere.

pub mod file;
pub mod set;
pub mod source;
pub mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use sim_core::spec::Scenario;

use crate::file::ScenarioFile;
use crate::source::{MAX_SCENARIO_BYTES, SourceError, closest, parse_ron};

/// The built-in scenarios: `(name, RON text)`. `reference-app` is the base the four strategies extend.
pub const BUILTINS: &[(&str, &str)] = &[
    ("reference-app", include_str!("../reference-app.ron")),
    ("backup-restore", include_str!("../backup-restore.ron")),
    ("pilot-light", include_str!("../pilot-light.ron")),
    ("warm-standby", include_str!("../warm-standby.ron")),
    ("multi-site", include_str!("../multi-site.ron")),
    (
        "unishop-backup-restore",
        include_str!("../unishop-backup-restore.ron"),
    ),
    (
        "unishop-hot-standby",
        include_str!("../unishop-hot-standby.ron"),
    ),
    (
        "securecart-multi-az",
        include_str!("../securecart-multi-az.ron"),
    ),
    (
        "securecart-read-replica",
        include_str!("../securecart-read-replica.ron"),
    ),
    ("securecart-pitr", include_str!("../securecart-pitr.ron")),
    (
        "securecart-aurora-global",
        include_str!("../securecart-aurora-global.ron"),
    ),
    (
        "securecart-dynamodb-global",
        include_str!("../securecart-dynamodb-global.ron"),
    ),
];

/// Why a scenario could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read or parsed (file, line, column, message).
    Source(SourceError),
    /// A `--set` override is malformed or does not fit the scenario.
    Set(String),
    /// The scenario parses but cannot run: every problem found.
    Invalid(Vec<SourceError>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Source(e) => write!(f, "{e}"),
            LoadError::Set(e) => write!(f, "{e}"),
            LoadError::Invalid(issues) => {
                for (i, issue) in issues.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{issue}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl From<SourceError> for LoadError {
    fn from(e: SourceError) -> Self {
        LoadError::Source(e)
    }
}

/// The names of the built-in scenarios a user runs (the base `reference-app` is not one of them).
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS
        .iter()
        .map(|&(n, _)| n)
        .filter(|&n| n != "reference-app")
        .collect()
}

/// Loads a scenario by built-in name or path, applies `--set` overrides, and validates it: the one entry
/// point for anything that runs a scenario.
pub fn load(spec: &str, sets: &[String]) -> Result<Scenario, LoadError> {
    let mut sources = Vec::new();
    let scenario = load_spec(spec, None, 0, &mut sources)?;
    let scenario = set::apply_all(scenario, sets).map_err(LoadError::Set)?;
    let issues = validate::validate(&scenario, &sources);
    if issues.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadError::Invalid(issues))
    }
}

/// Loads and validates RON text given directly (`file` labels errors).
pub fn load_text(file: &str, text: &str) -> Result<Scenario, LoadError> {
    let mut sources = Vec::new();
    let scenario = resolve(file, text, None, 0, &mut sources)?;
    let issues = validate::validate(&scenario, &sources);
    if issues.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadError::Invalid(issues))
    }
}

const MAX_EXTENDS_DEPTH: usize = 8;

fn load_spec(
    spec: &str,
    relative_to: Option<&Path>,
    depth: usize,
    sources: &mut Vec<(String, String)>,
) -> Result<Scenario, LoadError> {
    if let Some(&(name, text)) = BUILTINS.iter().find(|&&(n, _)| n == spec) {
        return resolve(&format!("builtin:{name}"), text, None, depth, sources);
    }
    let path = match relative_to.and_then(Path::parent) {
        Some(dir) if Path::new(spec).is_relative() => dir.join(spec),
        _ => PathBuf::from(spec),
    };
    let label = path.display().to_string();
    let metadata = std::fs::metadata(&path).map_err(|e| {
        let names: Vec<&str> = BUILTINS.iter().map(|&(n, _)| n).collect();
        let hint = closest(spec, &names).map_or(String::new(), |n| {
            format!("; did you mean the built-in {n:?}?")
        });
        if e.kind() == std::io::ErrorKind::NotFound {
            SourceError::whole(
                spec,
                format!("no built-in scenario and no file of that name{hint} (see `drsim list`)"),
            )
        } else {
            SourceError::whole(&label, format!("cannot read: {e}"))
        }
    })?;
    if metadata.len() > MAX_SCENARIO_BYTES as u64 {
        return Err(SourceError::whole(
            &label,
            format!(
                "file is {} bytes; scenario files are limited to {MAX_SCENARIO_BYTES} bytes",
                metadata.len()
            ),
        )
        .into());
    }
    // Read at most one byte past the limit: a device or pipe (`/dev/zero`, a FIFO) reports length 0 above
    // and would otherwise be read forever.
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| {
            use std::io::Read;
            f.take(MAX_SCENARIO_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| SourceError::whole(&label, format!("cannot read: {e}")))?;
    if bytes.len() > MAX_SCENARIO_BYTES {
        return Err(SourceError::whole(
            &label,
            format!("more than {MAX_SCENARIO_BYTES} bytes; scenario files are limited to {MAX_SCENARIO_BYTES} bytes"),
        )
        .into());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        SourceError::whole(
            &label,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    resolve(&label, &text, Some(&path), depth, sources)
}

fn resolve(
    label: &str,
    text: &str,
    path: Option<&Path>,
    depth: usize,
    sources: &mut Vec<(String, String)>,
) -> Result<Scenario, LoadError> {
    let file: ScenarioFile = parse_ron(label, text)?;
    sources.push((label.to_string(), text.to_string()));
    match file.extends.clone() {
        None => Ok(file.into_scenario(label)?),
        Some(base) => {
            if depth >= MAX_EXTENDS_DEPTH {
                return Err(SourceError::whole(
                    label,
                    format!("`extends` chains deeper than {MAX_EXTENDS_DEPTH} files (a cycle?)"),
                )
                .into());
            }
            let base = load_spec(&base, path, depth + 1, sources)?;
            Ok(file.overlay(base, label)?)
        }
    }
}
