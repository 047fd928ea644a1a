//! `drsim`: the command line, a thin layer over `scenarios` (loading), `sim-core` (simulation) and `report`
//! (presentation).
//!
//! Exit codes: **0** ok; **1** a check failed (a budget breached or undecided, a regression) or a run could
//! not complete; **2** bad input or usage (clap's usage errors already exit 2), including an output that is
//! an input or another output, or a link drsim will not write through; **3** an output could not be
//! written: a file (its directory missing or unwritable, a full disk) or stdout (a closed pipe is not a
//! failure). 3 outranks 0 and 1: a check whose report did not arrive has not passed.

/// `print!` to stdout that survives a reader going away (`drsim list | head -1`): see [`output::emit`].
macro_rules! out {
    ($($t:tt)*) => { $crate::output::emit(format_args!($($t)*)) };
}

/// `println!` to stdout that survives a reader going away: see [`output::emit`].
macro_rules! outln {
    ($($t:tt)*) => { $crate::output::emit(format_args!("{}\n", format_args!($($t)*))) };
}

mod commands;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

/// drsim: a deterministic disaster-recovery simulator. It runs an AWS DR strategy through disasters,
/// thousands of times if you like, and measures the RPO and RTO clients actually get, beside the cost.
#[derive(Parser)]
#[command(version, about, long_about = None, after_help = "Exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 3 an output could not be written.\n\nExamples:\n  drsim list\n  drsim run warm-standby --seed 7\n  drsim sweep pilot-light --runs 1000\n  drsim compare backup-restore pilot-light warm-standby multi-site --runs 500 --html report.html\n  drsim replay securecart-read-replica --seed 3\n  drsim check my-app.ron --runs 500 --budget rto:p99<=15m --junit results.xml")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where a scenario comes from and how it is changed for this invocation.
#[derive(Args, Clone)]
struct ScenarioArgs {
    /// A built-in scenario name (see `drsim list`) or a path to a .ron file.
    scenario: String,
    /// Override a parameter for a what-if run, e.g. `--set horizon=2d` or
    /// `--set flows.checkout.rate_per_s=20` (repeatable; the value is JSON or a bare string).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    /// Inject only this disaster (by name) instead of the scenario's enabled ones.
    #[arg(long)]
    disaster: Option<String>,
    /// Price with an AWS Price List offer file (bulk JSON or CSV, as downloaded from AWS; repeatable):
    /// its on-demand prices for the scenario's Regions replace the example ones and the scenario's own.
    #[arg(long = "price-list", value_name = "FILE")]
    price_lists: Vec<PathBuf>,
}

/// How many replications, and on how many threads.
#[derive(Args, Clone)]
struct SweepArgs {
    /// Number of replications.
    #[arg(long, default_value_t = 1000)]
    runs: u64,
    /// Scenario seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in scenarios.
    ///
    /// Example: drsim list
    List,
    /// Check a scenario: parse, validate, and build it; exit 0, or 2 with every problem found (3 if stdout
    /// cannot be written).
    ///
    /// Example: drsim validate my-app.ron
    Validate {
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// Run one replication and show the measured RPO, RTO and its breakdown, lost writes and cost.
    ///
    /// Example: drsim run pilot-light --seed 7 --json
    Run {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Scenario seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Replication index within the seed (`drsim check` names breaching ones).
        #[arg(long, default_value_t = 0)]
        replication: u64,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// Run many replications and show percentiles of RTO and RPO with 95 % confidence intervals.
    ///
    /// Examples:
    ///   drsim sweep unishop-hot-standby --runs 10000
    ///   drsim sweep pilot-light --runs 100000 --shard 3/8 --out shard-3.json   (one machine of eight)
    ///   drsim sweep pilot-light --runs 100000 --shards 8 --emit slurm > sweep.sh   (a Slurm job array)
    Sweep {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        sweep: SweepArgs,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Also write a Markdown summary to FILE.
        #[arg(long, value_name = "FILE")]
        md: Option<PathBuf>,
        /// Write the per-replication results to FILE (for `drsim merge`, `report` and `check --baseline`).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Run only shard K of N (0-based), e.g. `3/8`. Without it, `--shards N` picks K from the batch
        /// system: JOB_COMPLETION_INDEX (Kubernetes), AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// Number of shards when the index comes from the batch system's environment, or for `--emit`.
        #[arg(long, value_name = "N", conflicts_with = "shard")]
        shards: Option<u64>,
        /// Print the job script (slurm), manifest (k8s), job definition (aws-batch) or workflow (github)
        /// that runs the `--shards K` shards of this sweep on that engine, instead of running it.
        #[arg(long, value_enum, value_name = "ENGINE", requires = "shards",
              conflicts_with_all = ["shard", "out", "json", "md"])]
        emit: Option<commands::Engine>,
        /// With `--emit k8s|aws-batch`: the container image, with drsim and sh on PATH
        /// (default: a placeholder to replace).
        #[arg(long, value_name = "IMAGE", requires = "emit")]
        image: Option<String>,
        /// With `--emit`: where the shards write part-<k>.json and the merge writes its file
        /// (default: `results`, or `/results` on the shared volume for k8s and aws-batch).
        #[arg(long, value_name = "DIR", requires = "emit")]
        out_dir: Option<String>,
    },
    /// Merge shard files (`sweep --shard K/N --out FILE`) into exactly the single-machine result.
    ///
    /// Example: drsim merge shard-*.json --json
    Merge {
        /// The shard files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Write the merged results to FILE.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Compare strategies side by side under common random numbers (same disasters, lags and people).
    ///
    /// Example: drsim compare backup-restore pilot-light warm-standby multi-site --runs 500 --html dr.html
    Compare {
        /// Two or more scenarios (built-in names or files).
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<String>,
        #[command(flatten)]
        sweep: SweepArgs,
        /// Override a parameter in every scenario (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<String>,
        /// Price every scenario with an AWS Price List offer file (bulk JSON or CSV; repeatable).
        #[arg(long = "price-list", value_name = "FILE")]
        price_lists: Vec<PathBuf>,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Write a self-contained HTML report to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Write a Markdown summary to FILE.
        #[arg(long, value_name = "FILE")]
        md: Option<PathBuf>,
    },
    /// Replay one run as a narrated timeline: what happened, when, and the measured RPO/RTO.
    ///
    /// Example: drsim replay securecart-pitr --seed 2 --html timeline.html
    Replay {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Scenario seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Replication index.
        #[arg(long, default_value_t = 0)]
        replication: u64,
        /// Also write an HTML timeline chart to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Render saved results (files written by `sweep --out` or `merge --out`).
    ///
    /// Example: drsim report pilot-light.json warm-standby.json --html report.html
    Report {
        /// Result files.
        #[arg(required = true)]
        results: Vec<PathBuf>,
        /// Write the HTML report to FILE.
        #[arg(long, value_name = "FILE", required_unless_present = "md")]
        html: Option<PathBuf>,
        /// Write a Markdown summary to FILE.
        #[arg(long, value_name = "FILE")]
        md: Option<PathBuf>,
    },
    /// Hold a scenario to RTO/RPO budgets (a CI gate): exit 0 if every budget holds with confidence, 1 if
    /// one is breached or undecided or regressed, 2 on bad input, 3 if a report (`--junit`, `--md`, `--out`,
    /// stdout) could not be written.
    ///
    /// Examples:
    ///   drsim check my-app.ron --runs 1000 --budget rto:p99<=15m --budget rpo:p50<=1s --junit drsim.xml
    ///   drsim check my-app.ron --runs 1000 --baseline main.json --max-regression 10%
    Check {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        sweep: SweepArgs,
        /// A budget, `[flow.NAME.|store.NAME.]rto|rpo:pNN<=DURATION` (repeatable; added to the scenario's).
        #[arg(long = "budget", value_name = "BUDGET")]
        budgets: Vec<String>,
        /// Write a JUnit XML report (one test case per budget) to FILE.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Write a Markdown summary (for a CI step summary or PR comment) to FILE.
        #[arg(long, value_name = "FILE")]
        md: Option<PathBuf>,
        /// Compare with earlier results (`sweep --out`): fail if p50 or p99 RTO/RPO got worse than allowed.
        #[arg(long, value_name = "RESULTS.json")]
        baseline: Option<PathBuf>,
        /// Allowed regression against the baseline, e.g. `10%`.
        #[arg(long, value_name = "PERCENT", default_value = "10%")]
        max_regression: String,
        /// Also write the per-replication results to FILE (a baseline for the next check).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Hold a scenario to a resilience policy: RTO/RPO targets per disruption type (application,
    /// infrastructure, AZ, Region — AWS Resilience Hub's four), each measured by sweeping the scenario's
    /// disasters of that type, or generated ones (each AZ and the Region of the primary). Prints
    /// PolicyMet / PolicyBreached / Undecided per type; exit 1 unless the policy is met.
    ///
    /// Examples:
    ///   drsim assess warm-standby --policy gold.ron --runs 500
    ///   drsim assess my-app.ron --policy resilience-hub-policy.json --junit assess.xml --md assess.md
    Assess {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        sweep: SweepArgs,
        /// The policy: drsim's RON (as the scenario's `policy:`) or an AWS Resilience Hub policy in JSON
        /// (describe-resiliency-policy output, or a CloudFormation AWS::ResilienceHub::ResiliencyPolicy).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Also write a Markdown summary to FILE.
        #[arg(long, value_name = "FILE")]
        md: Option<PathBuf>,
        /// Also write JUnit XML (a suite per disruption type, a case per disaster) to FILE.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Find the cheapest variant that meets budgets, and the Pareto frontier of monthly cost against p99
    /// RTO and p99 RPO: every combination of the `--vary` values, under common random numbers (a grid up
    /// to 32 variants; above, racing: screened with an eighth of the runs, the survivors with all).
    ///
    /// Example: drsim optimize warm-standby --vary resources.web-west.desired=2,4,6 --vary resources.hc-east.interval=10s,30s --budget 'rto:p99<=10m' --html frontier.html
    Optimize {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        sweep: SweepArgs,
        /// A knob and its values, `PATH=V1,V2,…` (a `--set` path; repeatable).
        #[arg(long, value_name = "PATH=V1,V2,…", required = true)]
        vary: Vec<String>,
        /// A budget every acceptable variant must meet with confidence (repeatable; added to the scenario's).
        #[arg(long = "budget", value_name = "BUDGET")]
        budgets: Vec<String>,
        /// What to minimise among the variants that meet the budgets: cost, rto or rpo.
        #[arg(long, default_value = "cost")]
        minimize: String,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Write an HTML page with the frontier chart to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// How much each knob moves p99 RTO, p99 RPO and cost around the design as it is: each `--vary`
    /// knob moved alone to each of its values, under common random numbers (a tornado chart in HTML).
    ///
    /// Example: drsim sensitivity warm-standby --vary resources.app-dns.ttl=10s,300s --vary resources.hc-east.interval=10s,30s --html tornado.html
    Sensitivity {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        sweep: SweepArgs,
        /// A knob and its values, `PATH=V1,V2,…` (repeatable).
        #[arg(long, value_name = "PATH=V1,V2,…", required = true)]
        vary: Vec<String>,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Write an HTML page with tornado charts to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Run the built-in demo model (a database loses its Region; a replica is promoted).
    ///
    /// Example: drsim demo --seed 7 --json
    Demo {
        /// Seed of the run.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// Import an architecture into a scenario: CloudFormation templates, a Step Functions state machine,
    /// an FIS experiment or a Terraform plan (the scenario begins with a report of what was left out).
    ///
    /// Examples:
    ///   drsim import cloudformation --stack us-east-1=app.yaml,IsPrimary=yes --stack us-west-2=app.yaml,IsPrimary=no -o app.ron
    ///   drsim import stepfunctions failover.asl.json --scenario app.ron --task Notify='Run(what: "notify", duration: Fixed("1m"))'
    ///   drsim import fis az-power.json --scenario app.ron -o experiment.ron
    ///   drsim import terraform plan.json -o app.ron
    Import {
        #[command(subcommand)]
        source: ImportCommand,
        /// Write the scenario to FILE (default: stdout).
        #[arg(short = 'o', long = "out", value_name = "FILE", global = true)]
        out: Option<PathBuf>,
        /// The scenario's name (default: from the file).
        #[arg(long, global = true)]
        name: Option<String>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// Example: drsim completions bash > /etc/bash_completion.d/drsim
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// The sources `drsim import` reads.
#[derive(Subcommand)]
enum ImportCommand {
    /// CloudFormation templates (YAML or JSON, CDK output and SAM included), one `--stack` per deployment.
    Cloudformation {
        /// REGION=FILE[,Param=Value…]: a template deployed in a Region with these parameters (repeatable).
        #[arg(
            long = "stack",
            value_name = "REGION=FILE[,Param=Value…]",
            required = true
        )]
        stacks: Vec<String>,
        /// STATE=ACTION: the runbook action a state machine's Lambda task performs (repeatable).
        #[arg(long = "task", value_name = "STATE=ACTION")]
        tasks: Vec<String>,
    },
    /// An Amazon States Language definition (or a template holding state machines) into a runbook.
    Stepfunctions {
        /// The ASL JSON (or template) file.
        file: PathBuf,
        /// STATE=ACTION: the runbook action a task performs, e.g. a Lambda task (repeatable).
        #[arg(long = "task", value_name = "STATE=ACTION")]
        tasks: Vec<String>,
        /// A scenario to extend, whose resources the state machine's identifiers are matched against.
        #[arg(long, value_name = "FILE")]
        scenario: Option<String>,
        /// The Region the state machine runs in (restores land there).
        #[arg(long)]
        region: Option<String>,
    },
    /// An AWS FIS experiment template (API JSON or AWS::FIS::ExperimentTemplate) into disasters.
    Fis {
        /// The experiment template file.
        file: PathBuf,
        /// A scenario to extend, whose resources the experiment's targets are matched against.
        #[arg(long, value_name = "FILE")]
        scenario: Option<String>,
    },
    /// The JSON of `terraform show -json` (a plan or a state).
    Terraform {
        /// The JSON file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    // Before any work: a Ctrl-C at any point exits 130 and leaves no temporary file behind.
    output::install_interrupt_handler();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Command::List => commands::list(),
        Command::Validate { scenario } => commands::validate(&scenario),
        Command::Run {
            scenario,
            seed,
            replication,
            json,
        } => commands::run(&scenario, seed, replication, json),
        Command::Sweep {
            scenario,
            sweep,
            shards,
            emit: Some(engine),
            image,
            out_dir,
            ..
        } => commands::emit(
            &scenario,
            &sweep,
            &commands::EmitOptions {
                engine,
                shards,
                image: image.as_deref(),
                out_dir: out_dir.as_deref(),
            },
        ),
        Command::Sweep {
            scenario,
            sweep,
            json,
            md,
            out,
            shard,
            shards,
            ..
        } => commands::sweep(
            &scenario,
            &sweep,
            json,
            md.as_deref(),
            out.as_deref(),
            shard.as_deref(),
            shards,
        ),
        Command::Merge { files, json, out } => commands::merge(&files, json, out.as_deref()),
        Command::Compare {
            scenarios,
            sweep,
            sets,
            price_lists,
            json,
            html,
            md,
        } => commands::compare(
            &scenarios,
            &sweep,
            (&sets, &price_lists),
            json,
            html.as_deref(),
            md.as_deref(),
        ),
        Command::Replay {
            scenario,
            seed,
            replication,
            html,
        } => commands::replay(&scenario, seed, replication, html.as_deref()),
        Command::Report { results, html, md } => {
            commands::report(&results, html.as_deref(), md.as_deref())
        }
        Command::Check {
            scenario,
            sweep,
            budgets,
            junit,
            md,
            baseline,
            max_regression,
            out,
        } => commands::check(
            &scenario,
            &sweep,
            &budgets,
            commands::CheckOutputs {
                junit: junit.as_deref(),
                md: md.as_deref(),
                out: out.as_deref(),
            },
            baseline.as_deref(),
            &max_regression,
        ),
        Command::Assess {
            scenario,
            sweep,
            policy,
            json,
            md,
            junit,
        } => commands::assess_cmd(
            &scenario,
            &sweep,
            policy.as_deref(),
            json,
            commands::AssessOutputs {
                md: md.as_deref(),
                junit: junit.as_deref(),
            },
        ),
        Command::Optimize {
            scenario,
            sweep,
            vary,
            budgets,
            minimize,
            json,
            html,
        } => commands::optimize_cmd(
            &scenario,
            &sweep,
            commands::OptimizeOptions {
                vary: &vary,
                budgets: &budgets,
                minimize: &minimize,
                json,
                html: html.as_deref(),
            },
        ),
        Command::Sensitivity {
            scenario,
            sweep,
            vary,
            json,
            html,
        } => commands::sensitivity_cmd(&scenario, &sweep, &vary, json, html.as_deref()),
        Command::Demo { seed, json } => commands::demo(seed, json),
        Command::Import { source, out, name } => {
            let (source, tasks, scenario) = match source {
                ImportCommand::Cloudformation { stacks, tasks } => (
                    commands::ImportSource::CloudFormation { stacks },
                    tasks,
                    None,
                ),
                ImportCommand::Stepfunctions {
                    file,
                    tasks,
                    scenario,
                    region,
                } => (
                    commands::ImportSource::StepFunctions { file, region },
                    tasks,
                    scenario,
                ),
                ImportCommand::Fis { file, scenario } => {
                    (commands::ImportSource::Fis { file }, Vec::new(), scenario)
                }
                ImportCommand::Terraform { file } => {
                    (commands::ImportSource::Terraform { file }, Vec::new(), None)
                }
            };
            commands::import(
                &source,
                &commands::ImportArgs {
                    out: out.as_deref(),
                    name: name.as_deref(),
                    tasks: &tasks,
                    scenario: scenario.as_deref(),
                },
            )
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "drsim", &mut script);
            out!("{}", String::from_utf8_lossy(&script));
            Ok(commands::Outcome::Ok)
        }
    };
    let code = match result {
        Ok(commands::Outcome::Ok) => 0,
        Ok(commands::Outcome::CheckFailed) => 1,
        Err(e) => {
            // Messages quote names from files: shown escaped, never as terminal controls.
            output::note(format_args!(
                "drsim: {}",
                output::printable_text(&e.message)
            ));
            e.code
        }
    };
    // Results that did not reach stdout: the I/O code, over "ok" and "check failed".
    if !output::stdout_ok() && code < 2 {
        return ExitCode::from(commands::EXIT_IO);
    }
    ExitCode::from(code)
}

/// `--help` and `--version` print as clap prints them (exit 0); a usage error is reported like every other
/// error, `drsim: ` then clap's message with its usage line, and exits 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let text = e.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    eprint!("drsim: {text}");
    ExitCode::from(2)
}
