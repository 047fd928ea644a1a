//! # scenarios: drsim's built-in scenarios and the scenario loader
//!
//! A scenario is named either by a built-in name (`drsim list`) or by a path to a `.ron` file. Loading
//! reads the RON ([`source`]), resolves `extends` ([`file`]), applies `--set` overrides ([`set`]) and
//! returns a `sim_core` [`Scenario`]; every failure is a [`LoadError`] naming the file, line and column
//! where there is one.
//!
//! Files are read only if they are regular files of at most [`MAX_SCENARIO_BYTES`] ([`read`]: a FIFO or a
//! device is refused, never opened). Each file is checked for what the parser does not report — a map key
//! or an item name given twice, `remove` without `extends` ([`file::ScenarioFile::check_text`]).
//!
//! **Errors quote a file only if it looks like a scenario**: its first significant token is `(` (after
//! comments and `#![…]` attributes, and an optional struct name) followed by `)` or by one of the scenario
//! fields and `:` ([`scan::looks_like_struct`]). A scenario with a typo gets its token quoted and a
//! suggestion; any other file — reached by mistake, or by `extends: "/etc/shadow"` — gets where and what
//! kind of problem, never its content.
//!
//! **A problem caused by a `--set` names the `--set`**: when the overrides are given and validation fails,
//! the scenario is validated again without them; a problem that was not there before is blamed on the
//! override that caused it (see [`set::blame`]) instead of a line of the file.
//!
//! Invariant: a built-in scenario is a file in this folder (`scenarios/NAME.ron`) that a user can read,
//! copy and edit; the binary embeds the same bytes. Nothing about a scenario is hard-coded elsewhere.

pub mod file;
pub mod import;
pub mod policy;
pub mod read;
pub mod scan;
pub mod set;
pub mod source;
pub mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use sim_core::spec::Scenario;

use crate::file::ScenarioFile;
use crate::read::{ReadError, read_regular};
use crate::source::{MAX_SCENARIO_BYTES, SourceError, closest, parse_ron, parse_ron_unquoted};

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
    ("onprem-snowball", include_str!("../onprem-snowball.ron")),
    (
        "onprem-datasync-glacier",
        include_str!("../onprem-datasync-glacier.ron"),
    ),
    (
        "onprem-dms-pilot-light",
        include_str!("../onprem-dms-pilot-light.ron"),
    ),
    (
        "onprem-tape-offsite",
        include_str!("../onprem-tape-offsite.ron"),
    ),
    (
        "onprem-tape-gateway",
        include_str!("../onprem-tape-gateway.ron"),
    ),
    (
        "warm-standby-failback",
        include_str!("../warm-standby-failback.ron"),
    ),
    (
        "warm-standby-failback-planned",
        include_str!("../warm-standby-failback-planned.ron"),
    ),
    ("arc-failover", include_str!("../arc-failover.ron")),
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
    load_files(spec, sets).map(|loaded| loaded.scenario)
}

/// A scenario and the files it was read from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The validated scenario, overrides applied.
    pub scenario: Scenario,
    /// The files read: the one named, then the bases it `extends` that are files (not built-ins). The CLI
    /// refuses to write an output over any of them.
    pub files: Vec<PathBuf>,
}

/// [`load`], also returning the files the scenario was read from.
pub fn load_files(spec: &str, sets: &[String]) -> Result<Loaded, LoadError> {
    let mut read = Read::default();
    let unset = load_spec(spec, None, 0, &mut read)?;
    if sets.is_empty() {
        return checked(unset, &read.sources).map(|scenario| Loaded {
            scenario,
            files: read.files,
        });
    }
    let scenario = set::apply_all(unset.clone(), sets).map_err(LoadError::Set)?;
    let mut issues = validate::validate(&scenario, &read.sources);
    if issues.is_empty() {
        return Ok(Loaded {
            scenario,
            files: read.files,
        });
    }
    set::blame(
        &mut issues,
        &validate::validate(&unset, &read.sources),
        sets,
    );
    Err(LoadError::Invalid(issues))
}

/// Loads and validates RON text given directly (`file` labels errors).
pub fn load_text(file: &str, text: &str) -> Result<Scenario, LoadError> {
    let mut read = Read::default();
    let scenario = resolve(file, text, None, 0, &mut read)?;
    checked(scenario, &read.sources)
}

/// `scenario` if it validates, otherwise every problem.
fn checked(scenario: Scenario, sources: &validate::Sources) -> Result<Scenario, LoadError> {
    let issues = validate::validate(&scenario, sources);
    if issues.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadError::Invalid(issues))
    }
}

use sim_core::spec::limits::MAX_EXTENDS_DEPTH;

/// What loading has read so far.
#[derive(Default)]
struct Read {
    /// `(label, text)` of every file, the one named first (what validation searches for positions).
    sources: Vec<(String, String)>,
    /// The paths of the files among them.
    files: Vec<PathBuf>,
}

fn load_spec(
    spec: &str,
    relative_to: Option<&Path>,
    depth: usize,
    read: &mut Read,
) -> Result<Scenario, LoadError> {
    if let Some(&(name, text)) = BUILTINS.iter().find(|&&(n, _)| n == spec) {
        return resolve(&format!("builtin:{name}"), text, None, depth, read);
    }
    let path = match relative_to.and_then(Path::parent) {
        Some(dir) if Path::new(spec).is_relative() => dir.join(spec),
        _ => PathBuf::from(spec),
    };
    let label = path.display().to_string();
    let bytes = read_regular(&path, MAX_SCENARIO_BYTES as u64).map_err(|e| match e {
        ReadError::NotFound => {
            let names: Vec<&str> = BUILTINS.iter().map(|&(n, _)| n).collect();
            let hint = closest(spec, &names).map_or(String::new(), |n| {
                format!("; did you mean the built-in {n:?}?")
            });
            SourceError::whole(
                spec,
                format!("no built-in scenario and no file of that name{hint} (see `drsim list`)"),
            )
        }
        ReadError::TooLarge { len: Some(len), .. } => SourceError::whole(
            &label,
            format!("file is {len} bytes; scenario files are limited to {MAX_SCENARIO_BYTES} bytes"),
        ),
        ReadError::TooLarge { len: None, .. } => SourceError::whole(
            &label,
            format!("more than {MAX_SCENARIO_BYTES} bytes; scenario files are limited to {MAX_SCENARIO_BYTES} bytes"),
        ),
        not_regular @ ReadError::NotRegular(_) => {
            SourceError::whole(&label, format!("is {not_regular}"))
        }
        other => SourceError::whole(&label, other.to_string()),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        SourceError::whole(
            &label,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    read.files.push(path.clone());
    resolve(&label, &text, Some(&path), depth, read)
}

fn resolve(
    label: &str,
    text: &str,
    path: Option<&Path>,
    depth: usize,
    read: &mut Read,
) -> Result<Scenario, LoadError> {
    let file: ScenarioFile = if scan::looks_like_struct(text, file::FIELDS) {
        parse_ron(label, text)?
    } else {
        parse_ron_unquoted(
            label,
            text,
            "a scenario (a RON struct such as `(name: \"…\", horizon: \"1h\", …)`)",
        )?
    };
    let problems = file.check_text(label, text);
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems));
    }
    read.sources.push((label.to_string(), text.to_string()));
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
            let base = load_spec(&base, path, depth + 1, read)?;
            Ok(file.overlay(base, label)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_looks_like_a_scenario_and_passes_the_text_checks() {
        for &(name, text) in BUILTINS {
            assert!(scan::looks_like_struct(text, file::FIELDS), "{name}");
            let file: ScenarioFile = parse_ron(name, text).unwrap();
            assert_eq!(file.check_text(name, text), Vec::new(), "{name}");
        }
    }
}
