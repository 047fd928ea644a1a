//! Commands over many replications: `sweep` (whole or one shard), `merge`, `compare`, `report`.

use std::path::{Path, PathBuf};

use report::{Comparison, Report, StrategyReport};
use sim_core::spec::Scenario;
use sim_core::sweep::{SweepFile, merge as merge_files, shard_range};

use super::{
    CliError, CmdResult, Outcome, check_runs, inputs, load, read_results, read_whole_results,
    seed_of, sweep_samples, wrote,
};
use crate::output::{plan, printable_text};
use crate::{ScenarioArgs, SweepArgs};

/// The batch systems whose array index picks the shard when only `--shards N` is given.
const SHARD_INDEX_VARS: [&str; 3] = [
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
    "SLURM_ARRAY_TASK_ID",
];

/// `(k, n)` from `--shard K/N`, or from the batch system's environment with `--shards N`.
fn shard(spec: Option<&str>, shards: Option<u64>) -> Result<Option<(u64, u64)>, CliError> {
    let parse = |k: u64, n: u64, from: &str| {
        if n == 0 || k >= n {
            Err(CliError::input(format!(
                "{from}: shard index {k} must be below the shard count {n} (shards count from 0)"
            )))
        } else {
            Ok(Some((k, n)))
        }
    };
    match (spec, shards) {
        (Some(text), _) => {
            let bad = || {
                CliError::input(format!(
                    "--shard {text:?}: expected K/N with 0 ≤ K < N, e.g. 3/8"
                ))
            };
            let (k, n) = text.split_once('/').ok_or_else(bad)?;
            let (k, n) = (
                k.trim().parse().map_err(|_| bad())?,
                n.trim().parse().map_err(|_| bad())?,
            );
            parse(k, n, "--shard")
        }
        (None, Some(n)) => {
            let (var, value) = SHARD_INDEX_VARS
                .iter()
                .find_map(|v| std::env::var(v).ok().map(|x| (*v, x)))
                .ok_or_else(|| {
                    CliError::input(format!(
                        "--shards {n}: no shard index in the environment ({}); pass --shard K/N",
                        SHARD_INDEX_VARS.join(", ")
                    ))
                })?;
            let mut k: u64 = value
                .trim()
                .parse()
                .map_err(|_| CliError::input(format!("{var}={value:?} is not a shard index")))?;
            if var == "SLURM_ARRAY_TASK_ID" {
                // Slurm arrays may start anywhere (--array=1-8): count from the array's first index.
                let min = std::env::var("SLURM_ARRAY_TASK_MIN")
                    .ok()
                    .and_then(|m| m.parse::<u64>().ok())
                    .unwrap_or(0);
                k = k.saturating_sub(min);
            }
            parse(k, n, var)
        }
        (None, None) => Ok(None),
    }
}

/// `drsim sweep`.
pub fn sweep(
    args: &ScenarioArgs,
    sweep: &SweepArgs,
    json: bool,
    md: Option<&Path>,
    out: Option<&Path>,
    shard_spec: Option<&str>,
    shards: Option<u64>,
) -> CmdResult {
    let shard = shard(shard_spec, shards)?;
    check_runs(sweep.runs, shard.is_some())?;
    let (scenario, files) = load(args)?;
    super::warn(&scenario);
    let [md, out] = plan(
        [("--md", md), ("--out", out)],
        &inputs("scenario file", &files),
    )?;
    let seed = seed_of(&scenario, sweep);
    let range = match shard {
        Some((k, n)) => shard_range(sweep.runs, k, n),
        None => 0..sweep.runs,
    };
    if shard.is_some() && (json || md.is_some()) {
        return Err(CliError::input(
            "a shard has no summary of its own: drop --json/--md and summarise with `drsim merge` (--json, or `drsim report --md`)",
        ));
    }
    if shard.is_some() && out.is_none() {
        return Err(CliError::input(
            "a shard's results are only useful merged: add --out FILE",
        ));
    }
    if range.is_empty() && shard.is_some() {
        // More shards than runs: this shard has nothing to do, but still writes its (empty) part.
    }
    // Only a shard may be empty (more shards than runs); `--runs 0` is refused by `sweep_samples`.
    let samples = if range.is_empty() && shard.is_some() {
        let (flows, stores) = sim_core::sweep::file::columns(&scenario);
        sim_core::sweep::Samples::new(flows, stores)
    } else {
        sweep_samples(&scenario, seed, range.clone(), None, sweep.threads)?
    };
    let file = SweepFile::new(&scenario, seed, sweep.runs, shard, samples);
    if let Some(out) = &out {
        out.write_with(|w| file.write_json(w))?;
    }
    if let Some((k, n)) = shard {
        crate::output::note(format_args!(
            "shard {k}/{n}: replications {}..{} of {}; merge the shards with `drsim merge`",
            range.start, range.end, sweep.runs
        ));
        return Ok(Outcome::Ok);
    }
    let summary = file.summary();
    if let Some(md) = &md {
        let mut text = report::sweep_markdown(&summary);
        text.push_str(&cost_markdown(&file));
        md.write(printable_text(&text).as_bytes())?;
    }
    if json {
        outln!("{}", sweep_json_with_cost(&file, &summary));
    } else {
        out!("{}", report::sweep_text(&summary));
        out!("{}", cost_text(&file));
        if let Some(course) = &scenario.course {
            let what = format!("p50 of {} runs", summary.runs);
            out!(
                "{}",
                report::expectation_text(
                    course,
                    summary.rto_s.p50.value,
                    summary.rpo_s.p50.value,
                    &what,
                    ""
                )
            );
        }
    }
    Ok(Outcome::Ok)
}

/// `drsim merge`.
pub fn merge(paths: &[PathBuf], json: bool, out: Option<&Path>) -> CmdResult {
    let [out] = plan([("--out", out)], &inputs("results file", paths))?;
    let files = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), read_results(p)?)))
        .collect::<Result<Vec<_>, CliError>>()?;
    let merged = merge_files(&files).map_err(|e| CliError::input(format!("cannot merge: {e}")))?;
    if let Some(out) = &out {
        out.write_with(|w| merged.write_json(w))?;
    }
    let summary = merged.summary();
    if json {
        outln!("{}", sweep_json_with_cost(&merged, &summary));
    } else {
        out!("{}", report::sweep_text(&summary));
        out!("{}", cost_text(&merged));
    }
    Ok(Outcome::Ok)
}

/// A sweep's summary as JSON with its cost: `cost` holds the steady-state breakdown
/// ([`report::cost_json`]), `prices` (which prices) and `recovery_usd_mean`.
fn sweep_json_with_cost(
    file: &SweepFile,
    summary: &sim_core::sweep::SweepSummary,
) -> serde_json::Value {
    let mut value = report::sweep_json(summary);
    value["cost"] = report::cost_json(&super::cost_lines(&file.config));
    value["cost"]["prices"] = serde_json::json!(sim_core::cost::price_label(&file.config));
    value["cost"]["recovery_usd_mean"] = serde_json::json!(mean_recovery_usd(file));
    value
}

/// A sweep's cost as text: the steady-state breakdown and the mean recovery cost.
fn cost_text(file: &SweepFile) -> String {
    format!(
        "\nCost ({})\n{}  recovery: {} per incident on average over {} runs (capacity started during \
         recovery, until the disaster heals or cost.incident ends)\n",
        printable_text(&sim_core::cost::price_label(&file.config)),
        report::cost_text(&super::cost_lines(&file.config), "  "),
        report::usd(mean_recovery_usd(file)),
        file.samples.len()
    )
}

/// A sweep's cost as Markdown.
fn cost_markdown(file: &SweepFile) -> String {
    format!(
        "\n### Cost, per month\n\n{}. Recovery: {} per incident on average over {} runs.\n\n{}",
        sim_core::cost::price_label(&file.config),
        report::usd(mean_recovery_usd(file)),
        file.samples.len(),
        report::cost_markdown(&super::cost_lines(&file.config))
    )
}

/// The mean recovery cost of a sweep's replications (0 when it has none).
fn mean_recovery_usd(file: &SweepFile) -> f64 {
    let n = file.samples.len();
    if n == 0 {
        return 0.0;
    }
    file.samples.iter().map(|s| s.recovery_usd).sum::<f64>() / n as f64
}

fn strategy(file: &SweepFile) -> StrategyReport {
    StrategyReport {
        name: file.config.name.clone(),
        description: file.config.description.clone(),
        summary: file.summary(),
        samples: file.samples.clone(),
        monthly_cost: Some(super::monthly_usd(&file.config)),
        cost_lines: super::cost_lines(&file.config),
        price_label: sim_core::cost::price_label(&file.config),
        course: file.config.course.clone(),
    }
}

/// The HTML report of a comparison: the first strategy's first replication as the replay, and its topology.
fn html(
    title: String,
    comparison: Comparison,
    first: &Scenario,
    seed: u64,
) -> Result<String, CliError> {
    let (run, series) = sim_core::sweep::run_replication_with_series(first, seed, 0, None)?;
    Ok(report::html_report(&Report {
        title,
        comparison,
        replay: Some(report::Replay {
            label: format!("{}, replication 0", first.name),
            run,
            series,
            scenario: Some(first.clone()),
        }),
    }))
}

/// `drsim compare`.
pub fn compare(
    names: &[String],
    sweep: &SweepArgs,
    (sets, price_lists): (&[String], &[PathBuf]),
    json: bool,
    html_out: Option<&Path>,
    md: Option<&Path>,
) -> CmdResult {
    check_runs(sweep.runs, false)?;
    let mut files = Vec::new();
    let mut scenarios: Vec<Scenario> = Vec::new();
    for name in names {
        let loaded = scenarios::load_files(name, sets)?;
        let mut scenario = loaded.scenario;
        super::apply_price_lists(&mut scenario, price_lists)?;
        scenarios.push(scenario);
        files.extend(loaded.files);
    }
    files.extend(price_lists.iter().cloned());
    let [html_out, md] = plan(
        [("--html", html_out), ("--md", md)],
        &inputs("scenario file", &files),
    )?;
    // One seed for all: common random numbers make the comparison paired.
    let seed = sweep.seed.unwrap_or(scenarios[0].seed);
    let mut strategies = Vec::new();
    for scenario in &scenarios {
        let samples = super::sweep_samples(scenario, seed, 0..sweep.runs, None, sweep.threads)?;
        strategies.push(strategy(&SweepFile::new(
            scenario, seed, sweep.runs, None, samples,
        )));
    }
    let comparison = Comparison { strategies };
    if let Some(md) = &md {
        md.write(printable_text(&report::compare_markdown(&comparison)).as_bytes())?;
    }
    let text = if json {
        format!("{}\n", report::compare_json(&comparison))
    } else {
        report::compare_text(&comparison)
    };
    if let Some(html_out) = &html_out {
        let title = format!("drsim: {}", names.join(" vs "));
        html_out.write(html(title, comparison, &scenarios[0], seed)?.as_bytes())?;
        wrote(html_out);
    }
    out!("{text}");
    Ok(Outcome::Ok)
}

/// `drsim report`.
pub fn report(paths: &[PathBuf], html_out: Option<&Path>, md: Option<&Path>) -> CmdResult {
    let [html_out, md] = plan(
        [("--html", html_out), ("--md", md)],
        &inputs("results file", paths),
    )?;
    let files = paths
        .iter()
        .map(|p| read_whole_results(p))
        .collect::<Result<Vec<_>, CliError>>()?;
    let comparison = Comparison {
        strategies: files.iter().map(strategy).collect(),
    };
    if let Some(md) = &md {
        md.write(printable_text(&report::compare_markdown(&comparison)).as_bytes())?;
    }
    if let Some(html_out) = &html_out {
        let names: Vec<&str> = files.iter().map(|f| f.scenario.as_str()).collect();
        let first = &files[0];
        let page = html(
            format!("drsim: {}", names.join(" vs ")),
            comparison,
            &first.config,
            first.seed,
        )?;
        html_out.write(page.as_bytes())?;
        wrote(html_out);
    }
    Ok(Outcome::Ok)
}
