//! `drsim assess`, `drsim optimize` and `drsim sensitivity`: the advisor's three questions, each a few
//! sweeps under common random numbers (`sim_core::advise`), rendered by `report`.

use std::path::Path;

use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};
use sim_core::advise::assess::{Assessment, Compliance, assess};
use sim_core::advise::explore::{Candidate, Objective, optimize, sensitivity};
use sim_core::advise::{AdviseError, Effort};
use sim_core::budget::Budget;
use sim_core::spec::Scenario;

use super::{CliError, CmdResult, Outcome, check_runs, inputs, load, seed_of};
use crate::output::{plan, printable_text};
use crate::{ScenarioArgs, SweepArgs};

/// Variants one invocation may evaluate.
const MAX_VARIANTS: usize = 1024;

impl From<AdviseError> for CliError {
    fn from(e: AdviseError) -> Self {
        match e {
            AdviseError::Run(e) => CliError::from(e),
            AdviseError::Budget(e) => CliError::input(e.to_string()),
            AdviseError::Input(e) => CliError::input(e),
        }
    }
}

/// Prints `value` as one JSON line.
fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let value = serde_json::to_value(value)
        .map_err(|e| CliError::input(format!("cannot encode the result: {e}")))?;
    outln!("{value}");
    Ok(())
}

/// How much a command runs.
fn effort(scenario: &Scenario, sweep: &SweepArgs) -> Result<Effort, CliError> {
    check_runs(sweep.runs, false)?;
    Ok(Effort {
        seed: seed_of(scenario, sweep),
        runs: sweep.runs,
        threads: sweep.threads.unwrap_or(0),
    })
}

/// Files `assess` may write.
pub struct AssessOutputs<'a> {
    /// Markdown.
    pub md: Option<&'a Path>,
    /// JUnit XML.
    pub junit: Option<&'a Path>,
}

/// `drsim assess`.
pub fn assess_cmd(
    args: &ScenarioArgs,
    sweep: &SweepArgs,
    policy: Option<&Path>,
    json: bool,
    outputs: AssessOutputs<'_>,
) -> CmdResult {
    let (scenario, files) = load(args)?;
    let mut read = inputs("scenario file", &files);
    read.extend(policy.map(|p| ("policy file", p)));
    let [md, junit] = plan([("--md", outputs.md), ("--junit", outputs.junit)], &read)?;
    let policy = match policy {
        Some(path) => {
            Some(scenarios::policy::load_policy(path).map_err(|e| CliError::input(e.to_string()))?)
        }
        None => scenario.policy.clone(),
    };
    let effort = effort(&scenario, sweep)?;
    let assessment = assess(&scenario, policy.as_ref(), effort)?;
    if let Some(md) = &md {
        md.write(printable_text(&report::assess_markdown(&assessment)).as_bytes())?;
    }
    if let Some(junit) = &junit {
        junit.write(assess_junit(&assessment)?.as_bytes())?;
    }
    if json {
        print_json(&assessment)?;
    } else {
        out!("{}", report::assess_text(&assessment));
        if policy.is_none() {
            outln!(
                "  (no policy: give --policy FILE — drsim's RON or a Resilience Hub policy JSON — or `policy:` in the scenario)"
            );
        }
    }
    Ok(match assessment.compliance {
        Compliance::PolicyBreached | Compliance::Undecided => Outcome::CheckFailed,
        _ => Outcome::Ok,
    })
}

/// An assessment as JUnit: a suite per disruption type, a case per disaster (breached and undecided ones
/// fail; measured-only ones are skipped).
fn assess_junit(a: &Assessment) -> Result<String, CliError> {
    let xml = |text: &str| report::human::printable(text).into_owned();
    let mut report = Junit::new(format!("drsim assess {}", xml(&a.scenario)));
    for t in &a.types {
        let mut suite = TestSuite::new(format!("{} {}", xml(&a.scenario), t.kind.key()));
        for d in &t.disasters {
            let status = match d.compliance {
                Compliance::PolicyMet => TestCaseStatus::success(),
                Compliance::NoTarget | Compliance::NotApplicable => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message("no target for this disruption type: measured only");
                    s
                }
                Compliance::PolicyBreached | Compliance::Undecided => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(xml(&d.message));
                    s.set_type(d.compliance.label());
                    s
                }
            };
            let mut case = TestCase::new(xml(&d.disaster), status);
            case.set_classname(format!("drsim.{}.{}", xml(&a.scenario), t.kind.key()));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().map_err(|e| CliError {
        message: format!("cannot write JUnit XML: {e}"),
        code: 1,
    })
}

/// `PATH=V1,V2,…` split into the path and its values; commas inside brackets, braces or quotes (a JSON
/// value such as `{"Uniform": ["1m", "2m"]}`) do not split.
pub fn parse_vary(text: &str) -> Result<(String, Vec<String>), CliError> {
    let (path, values) = text.split_once('=').ok_or_else(|| {
        CliError::input(format!(
            "--vary {text:?}: expected PATH=V1,V2,…, e.g. resources.web-west.desired=2,4,6"
        ))
    })?;
    let path = path.trim();
    if path.is_empty() {
        return Err(CliError::input(format!(
            "--vary {text:?}: the path is empty"
        )));
    }
    let (mut out, mut current, mut depth, mut quoted) = (Vec::new(), String::new(), 0i32, false);
    for c in values.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current.trim().to_string());
    if out.iter().any(String::is_empty) {
        return Err(CliError::input(format!(
            "--vary {text:?}: an empty value; give the values separated by commas"
        )));
    }
    Ok((path.to_string(), out))
}

/// The scenario with `settings` applied on top of the command's own `--set`s.
fn variant(args: &ScenarioArgs, settings: &[(String, String)]) -> Result<Candidate, CliError> {
    let mut variant_args = args.clone();
    variant_args
        .sets
        .extend(settings.iter().map(|(p, v)| format!("{p}={v}")));
    let (scenario, _) = load(&variant_args).map_err(|e| {
        let named: Vec<String> = settings.iter().map(|(p, v)| format!("{p}={v}")).collect();
        CliError::input(format!("variant {}: {}", named.join(", "), e.message))
    })?;
    Ok(Candidate {
        settings: settings.to_vec(),
        scenario,
    })
}

/// Every combination of the knobs' values, the first knob varying slowest.
fn combinations(knobs: &[(String, Vec<String>)]) -> Vec<Vec<(String, String)>> {
    let mut all: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (path, values) in knobs {
        all = all
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push((path.clone(), v.clone()));
                    next
                })
            })
            .collect();
    }
    all
}

/// Options of `drsim optimize`.
pub struct OptimizeOptions<'a> {
    /// `PATH=V1,V2,…` per knob.
    pub vary: &'a [String],
    /// Budgets (added to the scenario's).
    pub budgets: &'a [String],
    /// What to minimise: `cost`, `rto` or `rpo`.
    pub minimize: &'a str,
    /// JSON instead of the table.
    pub json: bool,
    /// The HTML page.
    pub html: Option<&'a Path>,
}

/// `drsim optimize`.
pub fn optimize_cmd(args: &ScenarioArgs, sweep: &SweepArgs, o: OptimizeOptions<'_>) -> CmdResult {
    let (scenario, files) = load(args)?;
    let [html] = plan([("--html", o.html)], &inputs("scenario file", &files))?;
    let objective = match o.minimize.to_ascii_lowercase().as_str() {
        "cost" => Objective::Cost,
        "rto" => Objective::Rto,
        "rpo" => Objective::Rpo,
        other => {
            return Err(CliError::input(format!(
                "--minimize {other:?}: one of cost, rto, rpo"
            )));
        }
    };
    let mut budgets: Vec<Budget> = scenario.budgets.clone();
    for text in o.budgets {
        budgets.push(text.parse().map_err(CliError::input)?);
    }
    if budgets.is_empty() {
        return Err(CliError::input(
            "nothing to meet: add --budget rto:p99<=10m (or budgets in the scenario)",
        ));
    }
    let knobs = o
        .vary
        .iter()
        .map(|v| parse_vary(v))
        .collect::<Result<Vec<_>, _>>()?;
    let count: usize = knobs.iter().map(|(_, v)| v.len()).product();
    if count > MAX_VARIANTS {
        return Err(CliError::input(format!(
            "{count} variants is more than {MAX_VARIANTS} in one invocation: vary fewer knobs or values"
        )));
    }
    let candidates = combinations(&knobs)
        .iter()
        .map(|s| variant(args, s))
        .collect::<Result<Vec<_>, _>>()?;
    let effort = effort(&scenario, sweep)?;
    let result = optimize(&scenario.name, &candidates, &budgets, objective, effort)?;
    if let Some(html) = &html {
        html.write(report::optimize_html(&result).as_bytes())?;
    }
    if o.json {
        print_json(&result)?;
    } else {
        out!("{}", report::optimize_text(&result));
    }
    Ok(if result.best.is_some() {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}

/// `drsim sensitivity`.
pub fn sensitivity_cmd(
    args: &ScenarioArgs,
    sweep: &SweepArgs,
    vary: &[String],
    json: bool,
    html: Option<&Path>,
) -> CmdResult {
    let (scenario, files) = load(args)?;
    let [html] = plan([("--html", html)], &inputs("scenario file", &files))?;
    let knobs = vary
        .iter()
        .map(|v| parse_vary(v))
        .collect::<Result<Vec<_>, _>>()?;
    let count: usize = knobs.iter().map(|(_, v)| v.len()).sum();
    if count > MAX_VARIANTS {
        return Err(CliError::input(format!(
            "{count} variants is more than {MAX_VARIANTS} in one invocation"
        )));
    }
    let base = Candidate {
        settings: Vec::new(),
        scenario: scenario.clone(),
    };
    let mut moved = Vec::with_capacity(knobs.len());
    for (path, values) in &knobs {
        let candidates = values
            .iter()
            .map(|v| variant(args, &[(path.clone(), v.clone())]))
            .collect::<Result<Vec<_>, _>>()?;
        moved.push((path.clone(), candidates));
    }
    let effort = effort(&scenario, sweep)?;
    let result = sensitivity(&base, &moved, effort)?;
    if let Some(html) = &html {
        html.write(report::sensitivity_html(&result).as_bytes())?;
    }
    if json {
        print_json(&result)?;
    } else {
        out!("{}", report::sensitivity_text(&result));
    }
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_splits_on_top_level_commas_only() {
        let (p, v) = parse_vary(r#"disasters.x.onset={"Uniform": ["1m", "2m"]},{"At": "1h"}"#)
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(p, "disasters.x.onset");
        assert_eq!(v, [r#"{"Uniform": ["1m", "2m"]}"#, r#"{"At": "1h"}"#]);
        assert_eq!(
            parse_vary("a.b=1, 2,3").map(|v| v.1).unwrap_or_default(),
            ["1", "2", "3"]
        );
        assert!(parse_vary("a.b=1,,2").is_err());
        assert!(parse_vary("=1").is_err());
        assert!(parse_vary("nothing").is_err());
        let grid = combinations(&[
            ("a".into(), vec!["1".into(), "2".into()]),
            ("b".into(), vec!["x".into(), "y".into(), "z".into()]),
        ]);
        assert_eq!(grid.len(), 6);
        assert_eq!(
            grid[1],
            [("a".into(), "1".into()), ("b".into(), "y".into())]
        );
    }
}
