//! The commands: each loads what it needs, calls the libraries, and prints or writes the result.

mod advise;
mod check;
mod emit;
mod import;
mod sweeping;

use std::path::{Path, PathBuf};

use scenarios::LoadError;
use scenarios::read::{ReadError, read_regular};
use sim_core::spec::Scenario;
use sim_core::spec::limits::{MAX_RUNS, MAX_SAMPLE_BYTES};
use sim_core::sweep::{
    ReadError as FileError, Samples, SweepFile, SweepSpec, sweep_samples as run_sweep,
};
use sim_core::sweep::{RunError, run_replication};

pub use advise::{AssessOutputs, OptimizeOptions, assess_cmd, optimize_cmd, sensitivity_cmd};
pub use check::{CheckOutputs, check};
pub use emit::{EmitOptions, Engine, emit};
pub use import::{ImportArgs, Source as ImportSource, import};
pub use sweeping::{compare, merge, report, sweep};

use crate::output::{OutputError, plan, printable_text, progress};
use crate::{ScenarioArgs, SweepArgs};

/// Exit code: an output could not be written — a file (its directory missing or not writable, a full
/// disk) or stdout. It is neither bad input (2) nor a failed check (1): the results exist but did not
/// arrive.
pub const EXIT_IO: u8 = 3;

pub use sim_core::spec::limits::MAX_RESULTS_BYTES;

/// How a successful command ended.
pub enum Outcome {
    /// All good: exit 0.
    Ok,
    /// A check failed (budget breached or undecided, regression): exit 1.
    CheckFailed,
}

/// A command's failure: a message and the exit code (2 bad input, 1 a run failed, 3 an output failed).
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

impl From<OutputError> for CliError {
    fn from(e: OutputError) -> Self {
        CliError {
            message: e.message,
            code: if e.refused { 2 } else { EXIT_IO },
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
            // A runbook that loops is a mistake in the scenario, like one that does not build.
            e @ RunError::Runaway { .. } => CliError::input(e.to_string()),
            other => CliError {
                message: other.to_string(),
                code: 1,
            },
        }
    }
}

/// Result of a command.
pub type CmdResult = Result<Outcome, CliError>;

/// Loads (and validates) the scenario with its overrides. `--disaster NAME` is applied here, as "only this
/// disaster is enabled", so that everything downstream — shard files and their fingerprints, `merge`,
/// `report`'s replay, `check --baseline` — sees the scenario that actually ran (injecting disaster `i` alone
/// and enabling only disaster `i` are the same run). Also returns the files it was read from, which no
/// output may overwrite.
fn load(args: &ScenarioArgs) -> Result<(Scenario, Vec<PathBuf>), CliError> {
    let loaded = scenarios::load_files(&args.scenario, &args.sets)?;
    let mut scenario = loaded.scenario;
    let mut files = loaded.files;
    apply_price_lists(&mut scenario, &args.price_lists)?;
    files.extend(args.price_lists.iter().cloned());
    if let Some(chosen) = disasters(&scenario, args.disaster.as_deref())? {
        for (i, d) in scenario.disasters.iter_mut().enumerate() {
            d.enabled = chosen.contains(&i);
        }
    }
    Ok((scenario, files))
}

/// Offer files are no bigger than this (a whole-Region EC2 offer file is a few hundred MB).
const MAX_PRICE_LIST_BYTES: u64 = 2 << 30;

/// Lays the prices of AWS Price List offer files `paths` over `scenario`'s `prices` (each a key of the
/// price table, kept when in the scenario's Regions and of an item it can use; a later file wins).
pub fn apply_price_lists(scenario: &mut Scenario, paths: &[PathBuf]) -> Result<(), CliError> {
    if paths.is_empty() {
        return Ok(());
    }
    let table = sim_core::cost::PriceTable::example();
    let regions: Vec<&str> = scenario.regions.iter().map(|r| r.name.as_str()).collect();
    let named = serde_json::to_string(&scenario.resources).unwrap_or_default();
    let mut found = sim_core::cost::PriceOverrides::new();
    for path in paths {
        let shown = path.display().to_string();
        let bytes = read_regular(path, MAX_PRICE_LIST_BYTES).map_err(|e| {
            CliError::input(match e {
                ReadError::NotFound => format!("--price-list {shown}: cannot read: no such file"),
                _ => format!("--price-list {shown}: {e}"),
            })
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::input(format!(
                "--price-list {shown}: not UTF-8 text, so not an offer file"
            ))
        })?;
        let offer = sim_core::cost::offer::parse(&text, &shown).map_err(CliError::input)?;
        let kept = sim_core::cost::offer::for_scenario(&offer, &regions, &table, &named);
        crate::output::note(format_args!(
            "drsim: {shown}: {} prices for this scenario ({} in the file{})",
            kept.len(),
            offer.prices.len(),
            offer
                .published
                .as_deref()
                .map(|d| format!(", published {}", printable_text(d)))
                .unwrap_or_default()
        ));
        found.extend(kept);
    }
    scenario
        .prices
        .get_or_insert_with(sim_core::cost::PriceOverrides::new)
        .extend(found);
    Ok(())
}

/// `(what, path)` of each input file, for [`plan`].
fn inputs<'a>(what: &'a str, files: &'a [PathBuf]) -> Vec<(&'a str, &'a Path)> {
    files.iter().map(|f| (what, f.as_path())).collect()
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
) -> Result<Samples, CliError> {
    let runs = replications.end.saturating_sub(replications.start);
    check_runs(runs, false)?;
    let (flows, stores) = sim_core::sweep::file::columns(scenario);
    let bytes = Samples::bytes_for(runs, flows.len(), stores.len());
    if bytes > MAX_SAMPLE_BYTES {
        return Err(CliError::input(format!(
            "{runs} runs of {} ({} flows, {} stores) would keep {} GiB of samples in memory, more than the \
             {} GiB one invocation allows; run it in shards (`--shard K/N --out part-K.json`, then `drsim \
             merge`)",
            scenario.name,
            flows.len(),
            stores.len(),
            bytes >> 30,
            MAX_SAMPLE_BYTES >> 30
        )));
    }
    let spec = SweepSpec {
        seed,
        replications,
        disasters,
        threads: threads.unwrap_or(0),
        keep_logs: false,
    };
    let bar = progress(runs, &scenario.name);
    let samples = run_sweep(scenario, &spec, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    Ok(samples)
}

/// Reads a results file written by `sweep --out` / `merge --out`: a regular file of at most
/// [`MAX_RESULTS_BYTES`] (a FIFO, a device or a directory is refused without being opened).
fn read_results(path: &Path) -> Result<SweepFile, CliError> {
    let bytes = read_regular(path, MAX_RESULTS_BYTES).map_err(|e| {
        CliError::input(match e {
            ReadError::NotFound => format!("{}: cannot read: no such file", path.display()),
            ReadError::TooLarge { .. } => format!(
                "{}: {e}: larger than any results file drsim writes (10 million runs fit)",
                path.display()
            ),
            _ => format!("{}: {e}", path.display()),
        })
    })?;
    SweepFile::from_json(&bytes).map_err(|e| {
        CliError::input(match e {
            FileError::Json(e) => format!(
                "{}:{}:{}: not a drsim results file ({e}); write one with `drsim sweep --out FILE`",
                path.display(),
                e.line(),
                e.column()
            ),
            FileError::Invalid(why) => format!(
                "{}: not a results file drsim could have written: {why}",
                path.display()
            ),
        })
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

/// Shows the scenario's warnings (what runs, but probably not as meant) on stderr.
fn warn(scenario: &Scenario) {
    for w in sim_core::validate::warnings(scenario) {
        crate::output::note(format_args!(
            "drsim: warning: {}",
            printable_text(&w.message)
        ));
    }
}

/// `drsim validate`.
pub fn validate(args: &ScenarioArgs) -> CmdResult {
    let (scenario, _) = load(args)?;
    warn(&scenario);
    let stores = scenario
        .resources
        .values()
        .filter(|r| r.kind().is_store())
        .count();
    outln!(
        "{}: ok ({} Regions, {} resources of which {stores} data stores, {} flows, {} disasters, {} runbooks)",
        printable_text(&scenario.name),
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
    let (scenario, _) = load(args)?;
    warn(&scenario);
    let result = run_replication(&scenario, seed.unwrap_or(scenario.seed), replication, None)?;
    let lines = cost_lines(&scenario);
    let monthly = report::cost_total(&lines);
    let end = sim_core::cost::incident_end(&scenario, result.onset, result.heals);
    if json {
        let mut value = report::run_json(&result, Some(monthly));
        value["recovery_usd"] = serde_json::json!(result.recovery_usd);
        value["cost"] = report::cost_json(&lines);
        value["cost"]["prices"] = serde_json::json!(sim_core::cost::price_label(&scenario));
        value["cost"]["incident_end_s"] = serde_json::json!(end.since_start().as_secs_f64());
        outln!("{value}");
    } else {
        out!("{}", report::run_text(&result));
        if let Some(course) = &scenario.course {
            out!("{}", report::course_text(course, &result));
        }
        outln!(
            "\nCost ({})",
            printable_text(&sim_core::cost::price_label(&scenario))
        );
        out!("{}", report::cost_text(&lines, "  "));
        let how = match result.heals {
            Some(_) => "the disaster heals",
            None => "cost.incident ends (the disaster does not heal)",
        };
        let since = end.saturating_since(result.onset.unwrap_or(sim_core::SimTime::ZERO));
        outln!(
            "  recovery: {} for capacity started during recovery, billed until {how}, {} after the onset",
            report::usd(result.recovery_usd),
            report::human::duration(since.as_secs_f64())
        );
    }
    Ok(Outcome::Ok)
}

/// The steady-state monthly cost of a scenario at its (possibly overridden) prices.
pub fn monthly_usd(scenario: &Scenario) -> f64 {
    let (table, _) = sim_core::cost::table_for(scenario);
    sim_core::cost::steady_state(scenario, &table).monthly_usd
}

/// The steady-state cost lines of a scenario at its (possibly overridden) prices.
pub fn cost_lines(scenario: &Scenario) -> Vec<sim_core::cost::CostLine> {
    let (table, _) = sim_core::cost::table_for(scenario);
    sim_core::cost::steady_state(scenario, &table).lines
}

/// `drsim replay`.
pub fn replay(
    args: &ScenarioArgs,
    seed: Option<u64>,
    replication: u64,
    html: Option<&Path>,
) -> CmdResult {
    let (scenario, files) = load(args)?;
    let [html] = plan([("--html", html)], &inputs("scenario file", &files))?;
    let (result, series) = sim_core::sweep::run_replication_with_series(
        &scenario,
        seed.unwrap_or(scenario.seed),
        replication,
        None,
    )?;
    let replay = report::Replay {
        label: scenario.name.clone(),
        run: result,
        series,
        scenario: Some(scenario),
    };
    out!("{}", report::replay_text(&replay));
    if let Some(html) = html {
        html.write(report::run_html(&replay).as_bytes())?;
        wrote(&html);
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

/// Tells stderr where an output went.
fn wrote(output: &crate::output::Output) {
    crate::output::note(format_args!(
        "wrote {}",
        printable_text(&output.path().display().to_string())
    ));
}

/// Resolves `--seed` against the scenario.
fn seed_of(scenario: &Scenario, sweep: &SweepArgs) -> u64 {
    sweep.seed.unwrap_or(scenario.seed)
}
