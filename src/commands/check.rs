//! `drsim check`: budgets and baseline regressions as a CI gate, with JUnit and Markdown outputs.

use std::path::Path;

use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};
use sim_core::budget::{Budget, Status, Verdict, evaluate};
use sim_core::sweep::stats::Estimate;
use sim_core::sweep::{SweepFile, SweepSummary};

use super::{
    CliError, CmdResult, Outcome, check_runs, disasters, inputs, load, read_whole_results, seed_of,
    sweep_samples,
};
use crate::output::{plan, printable_text};
use crate::{ScenarioArgs, SweepArgs};

/// Files `check` may write.
pub struct CheckOutputs<'a> {
    /// JUnit XML.
    pub junit: Option<&'a Path>,
    /// Markdown summary.
    pub md: Option<&'a Path>,
    /// Per-replication results (a baseline for the next check).
    pub out: Option<&'a Path>,
}

/// One line of the check: a budget verdict or a baseline comparison.
struct Line {
    name: String,
    passed: bool,
    message: String,
}

/// `drsim check`.
pub fn check(
    args: &ScenarioArgs,
    sweep: &SweepArgs,
    budget_texts: &[String],
    outputs: CheckOutputs<'_>,
    baseline: Option<&Path>,
    max_regression: &str,
) -> CmdResult {
    check_runs(sweep.runs, false)?;
    let (scenario, files) = load(args)?;
    let mut read = inputs("scenario file", &files);
    read.extend(baseline.map(|b| ("baseline", b)));
    let [junit_out, md_out, results_out] = plan(
        [
            ("--junit", outputs.junit),
            ("--md", outputs.md),
            ("--out", outputs.out),
        ],
        &read,
    )?;
    let mut budgets: Vec<Budget> = scenario.budgets.clone();
    for text in budget_texts {
        budgets.push(text.parse().map_err(CliError::input)?);
    }
    let allowed = parse_percent(max_regression)?;
    let baseline = baseline
        .map(|path| read_whole_results(path).and_then(|b| comparable(path, b)))
        .transpose()?;
    if let Some(base) = baseline.as_ref().filter(|b| b.scenario != scenario.name) {
        return Err(CliError::input(format!(
            "the baseline is from scenario {:?}, not {:?}: compare a scenario with its own earlier results",
            base.scenario, scenario.name
        )));
    }
    if budgets.is_empty() && baseline.is_none() {
        return Err(CliError::input(
            "nothing to check: add --budget rto:p99<=15m (or budgets in the scenario) or --baseline FILE",
        ));
    }
    let seed = seed_of(&scenario, sweep);
    // The default sweep (the scenario's enabled disasters; `load` applied --disaster) serves budgets
    // without a disaster of their own; each named disaster gets its own sweep.
    let default_samples = sweep_samples(&scenario, seed, 0..sweep.runs, None, sweep.threads)?;
    let mut lines = Vec::new();
    for budget in &budgets {
        let verdict = match &budget.disaster {
            None => evaluate(budget, &default_samples),
            Some(name) => {
                let own = disasters(&scenario, Some(name))?;
                let samples = sweep_samples(&scenario, seed, 0..sweep.runs, own, sweep.threads)?;
                evaluate(budget, &samples)
            }
        }
        .map_err(|e| CliError::input(e.to_string()))?;
        let disaster = budget.disaster.as_deref().or(args.disaster.as_deref());
        lines.push(verdict_line(&verdict, args, seed, disaster));
    }
    let file = SweepFile::new(&scenario, seed, sweep.runs, None, default_samples);
    if let Some(base) = &baseline {
        lines.extend(regressions(&base.summary(), &file.summary(), allowed));
    }
    if let Some(out) = &results_out {
        out.write_with(|w| file.write_json(w))?;
    }
    let colour = crate::output::colour();
    for line in &lines {
        let mark = match (line.passed, colour) {
            (true, true) => "\x1b[32mPASS\x1b[0m",
            (false, true) => "\x1b[31mFAIL\x1b[0m",
            (true, false) => "PASS",
            (false, false) => "FAIL",
        };
        outln!("{mark}  {}", printable_text(&line.message));
    }
    let failed = lines.iter().filter(|l| !l.passed).count();
    outln!(
        "{} checks, {} passed, {failed} failed ({} runs of {}, seed {seed})",
        lines.len(),
        lines.len() - failed,
        sweep.runs,
        printable_text(&scenario.name)
    );
    if let Some(junit_out) = &junit_out {
        junit_out.write(junit(&scenario.name, &lines)?.as_bytes())?;
    }
    if let Some(md_out) = &md_out {
        let text = markdown(&scenario.name, sweep.runs, seed, &lines);
        md_out.write(printable_text(&text).as_bytes())?;
    }
    Ok(if failed == 0 {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// A baseline that can be compared with: one with no samples, or whose runs never recovered, would let
/// every regression check pass (a missing baseline value passes), so it is refused.
fn comparable(path: &Path, base: SweepFile) -> Result<SweepFile, CliError> {
    let n = base.samples.len();
    if n == 0 {
        return Err(CliError::input(format!(
            "{}: the baseline has no samples, so nothing could regress against it; make one with `drsim sweep --out FILE` (or `check --out FILE`)",
            path.display()
        )));
    }
    if base.samples.iter().all(|s| s.rto_s.is_none()) {
        return Err(CliError::input(format!(
            "{}: no run of the baseline recovered ({n} of {n} not recovered within the horizon), so nothing could regress against it; use results of a sweep whose runs recover",
            path.display()
        )));
    }
    Ok(base)
}

/// A verdict as a line of the report. When the budget does not hold and a replication breaches it, the
/// line ends with the command that replays that run, built from the arguments actually given (a file, its
/// `--set`s, `--disaster`), so pasting it reproduces the run.
fn verdict_line(v: &Verdict, args: &ScenarioArgs, seed: u64, disaster: Option<&str>) -> Line {
    let passed = v.status == Status::Holds;
    let mut message = v.message.clone();
    if let (false, Some(r)) = (passed, v.breaching_replication) {
        message.push_str(&format!(
            "; replay a breaching run with `{}`",
            replay_command(args, seed, disaster, r)
        ));
    }
    Line {
        name: v.budget.to_string(),
        passed,
        message,
    }
}

/// `drsim replay SCENARIO [--set ..] [--disaster ..] --seed S --replication R`, quoted for a POSIX shell.
fn replay_command(args: &ScenarioArgs, seed: u64, disaster: Option<&str>, r: u64) -> String {
    let mut words = vec!["drsim".to_string(), "replay".into(), quote(&args.scenario)];
    for set in &args.sets {
        words.push("--set".into());
        words.push(quote(set));
    }
    if let Some(d) = disaster {
        words.push("--disaster".into());
        words.push(quote(d));
    }
    words.extend([
        "--seed".into(),
        seed.to_string(),
        "--replication".into(),
        r.to_string(),
    ]);
    words.join(" ")
}

/// A word as a POSIX shell reads it back: unchanged when it is plain, otherwise single-quoted.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `10%` → 0.10.
fn parse_percent(text: &str) -> Result<f64, CliError> {
    let value = text.trim().trim_end_matches('%').trim();
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v / 100.0),
        _ => Err(CliError::input(format!(
            "--max-regression {text:?}: expected a percentage such as 10%"
        ))),
    }
}

/// Baseline comparisons of p50 and p99 RTO and RPO: worse than `baseline × (1 + allowed)` fails.
fn regressions(base: &SweepSummary, now: &SweepSummary, allowed: f64) -> Vec<Line> {
    let pairs: [(&str, &Estimate, &Estimate); 4] = [
        ("rto p50", &base.rto_s.p50, &now.rto_s.p50),
        ("rto p99", &base.rto_s.p99, &now.rto_s.p99),
        ("rpo p50", &base.rpo_s.p50, &now.rpo_s.p50),
        ("rpo p99", &base.rpo_s.p99, &now.rpo_s.p99),
    ];
    let show = report::human::opt_duration;
    pairs
        .iter()
        .map(|&(what, b, n)| {
            let passed = match (b.value, n.value) {
                (_, None) => b.value.is_none(),
                (None, Some(_)) => true,
                (Some(b), Some(n)) => n <= b * (1.0 + allowed) + 1e-9,
            };
            let verdict = if passed { "within" } else { "regressed beyond" };
            Line {
                name: format!("baseline {what}"),
                passed,
                message: format!(
                    "baseline {what}: {} now vs {} before, {verdict} the allowed {:.0} %",
                    show(n.value),
                    show(b.value),
                    allowed * 100.0
                ),
            }
        })
        .collect()
}

/// The JUnit report. Every string handed to quick-junit is made printable first: it would silently drop
/// ANSI sequences and C0 controls, and keep U+FFFE and U+FFFF, which XML forbids (an ill-formed report a CI
/// tool rejects). Escapes (`\x1b`, `\u{fffe}`) show what the names really contain.
fn junit(scenario: &str, lines: &[Line]) -> Result<String, CliError> {
    let xml = |text: &str| report::human::printable(text).into_owned();
    let scenario = xml(scenario);
    let mut suite = TestSuite::new(format!("drsim check {scenario}"));
    for line in lines {
        let status = if line.passed {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(xml(&line.message));
            s.set_type("budget");
            s
        };
        let mut case = TestCase::new(xml(&line.name), status);
        case.set_classname(format!("drsim.{scenario}"));
        suite.add_test_case(case);
    }
    let mut report = Junit::new("drsim");
    report.add_test_suite(suite);
    report.to_string().map_err(|e| CliError {
        message: format!("cannot write JUnit XML: {e}"),
        code: 1,
    })
}

fn markdown(scenario: &str, runs: u64, seed: u64, lines: &[Line]) -> String {
    let failed = lines.iter().filter(|l| !l.passed).count();
    let mut out = format!(
        "### drsim check: `{scenario}` — {}\n\n{runs} runs, seed {seed}.\n\n| | check | result |\n|---|---|---|\n",
        if failed == 0 {
            "all budgets hold".to_string()
        } else {
            format!("{failed} failed")
        }
    );
    for line in lines {
        let mark = if line.passed { "✅" } else { "❌" };
        out.push_str(&format!(
            "| {mark} | `{}` | {} |\n",
            line.name,
            line.message.replace('|', "\\|")
        ));
    }
    out
}
