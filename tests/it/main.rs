//! The `drsim` binary, run for real: one integration-test binary, a module per command.

mod advise;
mod arc;
mod check;
mod compare;
mod completions;
mod cost;
mod data_loss;
mod demo;
mod emit;
mod failback;
mod hostile_names;
mod import;
mod input_files;
mod library;
mod list;
mod output_files;
mod replay;
mod report;
mod robust_bounds;
mod robust_input;
mod robust_output;
mod run;
mod shards;
mod story;
mod sweep;
mod validate;

use std::path::Path;
use std::process::{Command, Output};

/// Runs the built binary with `args`.
pub fn drsim(args: &[&str]) -> Output {
    drsim_env(args, &[])
}

/// Runs the built binary with `args` and extra environment variables (the batch systems' shard indices
/// are cleared first, so the environment of the machine running the tests cannot leak in).
pub fn drsim_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drsim"));
    for var in [
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied())
        .args(args)
        .output()
        .expect("the drsim binary runs")
}

/// Stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// Stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts exit 0 and returns stdout.
pub fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    stdout(out)
}

/// Asserts exit 0 and parses stdout as JSON.
pub fn ok_json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("stdout is one JSON value")
}

/// Asserts a failure with exit `code` (never a panic's 101) and a `drsim: ` message; returns stderr.
pub fn fails(out: &Output, code: i32) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(err.starts_with("drsim: "), "stderr: {err}");
    assert!(!err.contains("panicked"), "stderr: {err}");
    err
}

/// A path inside `dir` as a `&str` argument.
pub fn arg(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().expect("UTF-8 path").to_string()
}

/// A fresh temporary directory (removed when dropped).
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Names of the files in `dir` that look like drsim's temporary files.
pub fn leftover_temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.contains(".drsim-") && n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}
