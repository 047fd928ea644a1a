//! The commands: each loads what it needs, calls the libraries, and prints or writes the result.

mod check;
mod emit;
mod sweeping;

use std::path::Path;

use scenarios::LoadError;
use sim_core::spec::Scenario;
use sim_core::sweep::{RunError, run_replication};
use sim_core::sweep::{Sample, SweepFile, SweepSpec, sweep as run_sweep};

pub use check::{CheckOutputs, check};
pub use emit::{EmitOptions, Engine, emit};
pub use sweeping::{compare, merge, report, sweep};

use crate::output::{progress, write_atomic};
use crate::{ScenarioArgs, SweepArgs};

/// How a successful command ended.
pub enum Outcome {
    /// All good: exit 0.
    Ok,
    /// A check failed (budget breached or undecided, regression): exit 1.
    CheckFailed,
}

/// A command's failure: a message and the exit code (2 bad input, 1 a run failed).
pub struct CliError {
    /// What went wrong, for people.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl CliError {
    /// Bad input or usage: exit 2.
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: 2,
        }
    }
}

impl From<LoadError> for CliError {
    fn from(e: LoadError) -> Self {
        CliError::input(e.to_string())
    }
}

impl From<RunError> for CliError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Build(e) => CliError::input(e.to_string()),
            other => CliError {
                message: other.to_string(),
                code: 1,
            },
        }
    }
}

/// Result of a command.
pub type CmdResult = Result<Outcome, CliError>;

/// Most replications one invocation runs: beyond this, shard the sweep across machines.
const MAX_RUNS: u64 = 10_000_000;

/// Loads (and validates) the scenario with its overrides. `--disaster NAME` is applied here, as "only this
/// disaster is enabled", so that everything downstream — shard files and their fingerprints, `merge`,
/// `report`'s replay, `check --baseline` — sees the scenario that actually ran (injecting disaster `i` alone
/// and enabling only disaster `i` are the same run).
fn load(args: &ScenarioArgs) -> Result<Scenario, CliError> {
    let mut scenario = scenarios::load(&args.scenario, &args.sets)?;
    if let Some(chosen) = disasters(&scenario, args.disaster.as_deref())? {
        for (i, d) in scenario.disasters.iter_mut().enumerate() {
            d.enabled = chosen.contains(&i);
        }
    }
    Ok(scenario)
}

/// Fails before any work when an output file cannot be written: its directory must exist, and the path
/// must name a file (not a directory). Exit 2: it is a bad argument, and a long sweep should not run first.
fn check_outputs(paths: &[Option<&Path>]) -> Result<(), CliError> {
    for path in paths.iter().flatten() {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if path.file_name().is_none() || path.is_dir() {
            return Err(CliError::input(format!(
                "cannot write {}: not a file path",
                path.display()
            )));
        }
        if !dir.is_dir() {
            return Err(CliError::input(format!(
                "cannot write {}: directory {} does not exist",
                path.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Checks `--runs` before any work: at least 1, at most [`MAX_RUNS`] per invocation unless sharded.
fn check_runs(runs: u64, sharded: bool) -> Result<(), CliError> {
    if runs == 0 {
        return Err(CliError::input("--runs must be at least 1"));
    }
    if runs > MAX_RUNS && !sharded {
        return Err(CliError::input(format!(
            "--runs {runs} is more than {MAX_RUNS} replications in one invocation; shard the sweep (--shard K/N) across machines"
        )));
    }
    Ok(())
}

/// The disaster indices `--disaster` selects (`None`: the scenario's enabled ones).
fn disasters(scenario: &Scenario, name: Option<&str>) -> Result<Option<Vec<usize>>, CliError> {
    let Some(name) = name else { return Ok(None) };
    match scenario.disasters.iter().position(|d| d.name == name) {
        Some(i) => Ok(Some(vec![i])),
        None => {
            let names: Vec<&str> = scenario.disasters.iter().map(|d| d.name.as_str()).collect();
            Err(CliError::input(format!(
                "--disaster {name:?}: {} has no such disaster (disasters: {})",
                scenario.name,
                names.join(", ")
            )))
        }
    }
}

/// Sweeps `replications` with a progress bar; returns the samples.
fn sweep_samples(
    scenario: &Scenario,
    seed: u64,
    replications: std::ops::Range<u64>,
    disasters: Option<Vec<usize>>,
    threads: Option<usize>,
) -> Result<Vec<Sample>, CliError> {
    let runs = replications.end.saturating_sub(replications.start);
    check_runs(runs, false)?;
    let spec = SweepSpec {
        seed,
        replications,
        disasters,
        threads: threads.unwrap_or(0),
        keep_logs: false,
    };
    let bar = progress(runs, &scenario.name);
    let results = run_sweep(scenario, &spec, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    Ok(results.iter().map(Sample::of).collect())
}

/// Writes `text` to `path` atomically.
fn write(path: &Path, text: &str) -> Result<(), CliError> {
    write_atomic(path, text.as_bytes()).map_err(|e| CliError {
        message: e,
        code: 1,
    })
}

/// Reads a results file written by `sweep --out` / `merge --out`.
fn read_results(path: &Path) -> Result<SweepFile, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::input(format!("{}: cannot read: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::input(format!(
            "{}:{}:{}: not a drsim results file ({e}); write one with `drsim sweep --out FILE`",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

/// Reads a whole sweep's results (for `report` and `check --baseline`): a lone shard is refused, since its
/// percentiles would silently describe part of the sweep.
fn read_whole_results(path: &Path) -> Result<SweepFile, CliError> {
    let file = read_results(path)?;
    if let Some((k, n)) = file.shard {
        return Err(CliError::input(format!(
            "{}: this is shard {k}/{n} of a {}-run sweep; merge the shards first (`drsim merge shard-*.json --out all.json`)",
            path.display(),
            file.runs
        )));
    }
    Ok(file)
}

/// Serialises a results file.
fn results_json(file: &SweepFile) -> Result<String, CliError> {
    serde_json::to_string(file).map_err(|e| CliError {
        message: format!("cannot encode results: {e}"),
        code: 1,
    })
}

/// `drsim list`.
pub fn list() -> CmdResult {
    for name in scenarios::builtin_names() {
        let scenario = scenarios::load(name, &[])?;
        let first_sentence = scenario
            .description
            .split(". ")
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        outln!("{name:<28} {first_sentence}");
    }
    Ok(Outcome::Ok)
}

/// `drsim validate`.
pub fn validate(args: &ScenarioArgs) -> CmdResult {
    let scenario = load(args)?;
    let stores = scenario
        .resources
        .values()
        .filter(|r| r.kind().is_store())
        .count();
    outln!(
        "{}: ok ({} Regions, {} resources of which {stores} data stores, {} flows, {} disasters, {} runbooks)",
        scenario.name,
        scenario.regions.len(),
        scenario.resources.len(),
        scenario.flows.len(),
        scenario.disasters.len(),
        scenario.runbooks.len()
    );
    Ok(Outcome::Ok)
}

/// `drsim run`.
pub fn run(args: &ScenarioArgs, seed: Option<u64>, replication: u64, json: bool) -> CmdResult {
    let scenario = load(args)?;
    let result = run_replication(&scenario, seed.unwrap_or(scenario.seed), replication, None)?;
    let monthly = monthly_usd(&scenario);
    if json {
        let mut value = report::run_json(&result, Some(monthly));
        value["recovery_usd"] = serde_json::json!(result.recovery_usd);
        outln!("{value}");
    } else {
        out!("{}", report::run_text(&result));
        outln!(
            "
Cost (example prices; see docs/calibration.md)"
        );
        outln!("  steady state  ${monthly:.2} per month");
        outln!(
            "  recovery      ${:.2} for capacity started during recovery, to the end of the run",
            result.recovery_usd
        );
    }
    Ok(Outcome::Ok)
}

/// The steady-state monthly cost of a scenario at its (possibly overridden) prices.
pub fn monthly_usd(scenario: &Scenario) -> f64 {
    let (table, _) = sim_core::cost::table_for(scenario);
    sim_core::cost::steady_state(scenario, &table).monthly_usd
}

/// `drsim replay`.
pub fn replay(
    args: &ScenarioArgs,
    seed: Option<u64>,
    replication: u64,
    html: Option<&Path>,
) -> CmdResult {
    check_outputs(&[html])?;
    let scenario = load(args)?;
    let result = run_replication(&scenario, seed.unwrap_or(scenario.seed), replication, None)?;
    out!("{}", report::replay_text(&result));
    if let Some(path) = html {
        let topology =
            sim_core::model::topology::build(&sim_core::validate::topology_spec(&scenario)).ok();
        write(path, &report::run_html(&result, topology.as_ref()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(Outcome::Ok)
}

/// `drsim demo`.
pub fn demo(seed: u64, json: bool) -> CmdResult {
    let result = sim_core::demo::run_demo(seed).map_err(|e| CliError {
        message: e.to_string(),
        code: 1,
    })?;
    if json {
        outln!("{}", report::demo_json(&result));
    } else {
        out!("{}", report::demo_summary(&result));
    }
    Ok(Outcome::Ok)
}

/// Resolves `--seed` against the scenario.
fn seed_of(scenario: &Scenario, sweep: &SweepArgs) -> u64 {
    sweep.seed.unwrap_or(scenario.seed)
}
