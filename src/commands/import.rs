//! `drsim import`: CloudFormation, Step Functions, FIS and Terraform into a scenario, written to `-o FILE`
//! or stdout. The work is in `scenarios::import`; this reads the files, parses the flags and writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scenarios::import::assemble::Options;
use scenarios::import::{
    Base, Imported, MAX_PLAN_BYTES, MAX_SCENARIO_BYTES, cloudformation, fis, read_input,
    stepfunctions, terraform,
};

use super::{CliError, CmdResult, Outcome, wrote};
use crate::output::plan;

/// What `drsim import` reads.
pub enum Source {
    /// `--stack REGION=FILE[,Param=Value…]`, repeated.
    CloudFormation {
        /// The `--stack` arguments.
        stacks: Vec<String>,
    },
    /// An ASL file (or a template holding state machines).
    StepFunctions {
        /// The file.
        file: PathBuf,
        /// `--region`: where the state machine runs.
        region: Option<String>,
    },
    /// An experiment template.
    Fis {
        /// The file.
        file: PathBuf,
    },
    /// `terraform show -json` output.
    Terraform {
        /// The file.
        file: PathBuf,
    },
}

/// The options every source shares.
pub struct ImportArgs<'a> {
    /// `-o FILE` (stdout without).
    pub out: Option<&'a Path>,
    /// `--name`.
    pub name: Option<&'a str>,
    /// `--task STATE=ACTION`.
    pub tasks: &'a [String],
    /// `--scenario FILE`: a scenario to extend and match against.
    pub scenario: Option<&'a str>,
}

/// `drsim import …`.
pub fn import(source: &Source, args: &ImportArgs<'_>) -> CmdResult {
    let mut tasks = BTreeMap::new();
    for t in args.tasks {
        let (state, action) = t.split_once('=').ok_or_else(|| {
            CliError::input(format!("--task {t:?}: expected STATE=ACTION, e.g. --task Promote='Promote(store: \"db\", region: \"us-west-2\")'"))
        })?;
        stepfunctions::check_action(state, action).map_err(CliError::input)?;
        tasks.insert(state.to_string(), action.to_string());
    }
    if args.name.is_some() && matches!(source, Source::StepFunctions { .. } | Source::Fis { .. }) {
        return Err(CliError::input(
            "--name applies to cloudformation and terraform imports; a state machine's or experiment's scenario is named after its base",
        ));
    }
    let base = match args.scenario {
        Some(s) => Some(Base::load(s)?),
        None => None,
    };
    let mut inputs: Vec<PathBuf> = Vec::new();
    let imported: Imported = match source {
        Source::CloudFormation { stacks } => {
            let mut read = Vec::new();
            for s in stacks {
                let (region, file, params) =
                    cloudformation::parse_stack_arg(s).map_err(CliError::input)?;
                let text =
                    read_input(Path::new(&file), MAX_SCENARIO_BYTES as u64).map_err(input)?;
                inputs.push(PathBuf::from(&file));
                read.push(cloudformation::StackInput {
                    region,
                    label: file,
                    text,
                    params,
                });
            }
            let name = args
                .name
                .map(str::to_string)
                .unwrap_or_else(|| stem(&read[0].label));
            let options = Options {
                description: format!(
                    "Imported from CloudFormation ({} stacks) by drsim import.",
                    read.len()
                ),
                name,
                tasks,
            };
            cloudformation::import(&read, &options).map_err(input)?
        }
        Source::StepFunctions { file, region } => {
            let text = read_input(file, MAX_SCENARIO_BYTES as u64).map_err(input)?;
            inputs.push(file.clone());
            stepfunctions::import(
                &label(file),
                &text,
                base.as_ref(),
                &tasks,
                region.as_deref(),
            )
            .map_err(input)?
        }
        Source::Fis { file } => {
            let text = read_input(file, MAX_SCENARIO_BYTES as u64).map_err(input)?;
            inputs.push(file.clone());
            fis::import(&label(file), &text, base.as_ref()).map_err(input)?
        }
        Source::Terraform { file } => {
            let text = read_input(file, MAX_PLAN_BYTES).map_err(input)?;
            inputs.push(file.clone());
            let options = Options {
                name: args
                    .name
                    .map(str::to_string)
                    .unwrap_or_else(|| stem(&label(file))),
                description: "Imported from a Terraform plan by drsim import.".to_string(),
                tasks,
            };
            terraform::import(&label(file), &text, &options).map_err(input)?
        }
    };
    let text = imported.text;
    let input_refs: Vec<(&str, &Path)> =
        inputs.iter().map(|p| ("input file", p.as_path())).collect();
    let [out] = plan([("-o", args.out)], &input_refs)?;
    match out {
        Some(out) => {
            out.write(text.as_bytes())?;
            wrote(&out);
        }
        None => out!("{text}"),
    }
    Ok(Outcome::Ok)
}

fn input(e: scenarios::source::SourceError) -> CliError {
    CliError::input(e.to_string())
}

fn label(path: &Path) -> String {
    path.display().to_string()
}

fn stem(label: &str) -> String {
    let file = label.rsplit('/').next().unwrap_or(label);
    scenarios::import::kebab(file.split('.').next().unwrap_or(file))
}
