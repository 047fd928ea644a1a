//! `hold`: the hold-model benchmark, drsim engine vs a bare `BinaryHeap`, in one process, as one JSON line.
//!
//! ```text
//! cargo run --release -p benches --bin hold -- --pending 1000 --events 10000000
//! {"pending":1000,"events":10000000,"engine_ns_per_event":..,"baseline_ns_per_event":..,"ratio":..}
//! ```
//! The two are run in alternating rounds and each figure is the median over rounds, so that a burst of load
//! from another process on this shared machine hits both sides alike.

use benches::{time_baseline, time_engine};
use clap::Parser;
use serde::Serialize;

/// Hold-model benchmark: the drsim engine against a bare BinaryHeap, same process, same increments.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Events kept pending in the queue.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
    pending: u32,
    /// Hold steps timed per round.
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    events: u64,
    /// Alternating rounds per side; each figure is the median.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    rounds: u32,
    /// Seed of the increments.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// The one JSON line, fields in the documented order.
#[derive(Serialize)]
struct Line {
    pending: u32,
    events: u64,
    engine_ns_per_event: f64,
    baseline_ns_per_event: f64,
    ratio: f64,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let args = Args::parse();
    let pending = args.pending as usize;
    let (mut engine, mut baseline) = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        let seed = args.seed.wrapping_add(u64::from(round));
        engine.push(time_engine(pending, args.events, seed));
        baseline.push(time_baseline(pending, args.events, seed));
    }
    let (engine, baseline) = (median(engine), median(baseline));
    let line = Line {
        pending: args.pending,
        events: args.events,
        engine_ns_per_event: (engine * 100.0).round() / 100.0,
        baseline_ns_per_event: (baseline * 100.0).round() / 100.0,
        ratio: (engine / baseline * 1000.0).round() / 1000.0,
    };
    match serde_json::to_string(&line) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("hold: cannot encode the result: {e}");
            std::process::exit(1);
        }
    }
}
