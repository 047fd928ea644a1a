//! The `drsim` binary, run for real: one integration-test binary, a module per command.

mod demo;
mod robust_bounds;
mod robust_input;
mod robust_output;

use std::process::{Command, Output};

/// Runs the built binary with `args`.
pub fn drsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drsim"))
        .args(args)
        .output()
        .expect("the drsim binary runs")
}
