//! `drsim`: the command line, a thin layer over `sim-core` (simulation) and `report` (presentation).
//!
//! Exit codes: 0 ok, 1 a check failed, 2 bad input or usage (clap's usage errors already exit 2).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// drsim: a deterministic disaster-recovery simulator. Measures the RPO and RTO a DR strategy achieves.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the built-in demo: a database loses its Region and a cross-Region replica is promoted.
    ///
    /// Example: drsim demo --seed 7 --json
    Demo {
        /// Seed of the run; the same seed always gives the same result.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo { seed, json } => match sim_core::demo::run_demo(seed) {
            Ok(result) if json => {
                println!("{}", report::demo_json(&result));
                ExitCode::SUCCESS
            }
            Ok(result) => {
                print!("{}", report::demo_summary(&result));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("drsim: {e}");
                ExitCode::from(1)
            }
        },
    }
}
