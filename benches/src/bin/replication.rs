//! `replication`: what one replication of each built-in costs, on one thread, through the path sweeps use
//! (a [`Runner`] prepared once, quiet logs), against the scale-out target of 5 µs plus 1 µs per event.
//!
//! ```text
//! cargo run --release -p benches --bin replication -- --runs 2000 --rounds 5
//! ```
//! One JSON line per built-in: events per replication (mean), µs per replication (median over rounds), the
//! target, and the same cost in units of a bare-`BinaryHeap` hold step timed in this process between the
//! rounds — a figure that stays comparable when the shared machine's speed varies.

use std::time::Instant;

use benches::time_baseline;
use clap::Parser;
use serde::Serialize;
use sim_core::sweep::Runner;

/// Per-replication cost of the built-ins against the scale-out target.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Replications timed per round.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    runs: u64,
    /// Rounds; each figure is the median.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    rounds: u32,
    /// Only these built-ins (default: all).
    names: Vec<String>,
}

#[derive(Serialize)]
struct Line {
    scenario: String,
    events_per_replication: f64,
    us_per_replication: f64,
    target_us: f64,
    ratio_to_target: f64,
    heap_steps_per_replication: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args = Args::parse();
    let names: Vec<String> = if args.names.is_empty() {
        scenarios::builtin_names()
            .iter()
            .map(|n| n.to_string())
            .collect()
    } else {
        args.names.clone()
    };
    for name in names {
        let scenario = match scenarios::load(&name, &[]) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("replication: {name}: {e}");
                std::process::exit(2);
            }
        };
        let runner = Runner::new(&scenario);
        let seed = scenario.seed;
        let mut events = 0u64;
        for r in 0..args.runs.min(200) {
            events += runner.run(seed, r, None, false).map_or(0, |res| res.events);
        }
        let events_per = events as f64 / args.runs.min(200) as f64;
        let (mut us, mut heap_ns) = (Vec::new(), Vec::new());
        for _ in 0..args.rounds {
            let start = Instant::now();
            for r in 0..args.runs {
                std::hint::black_box(runner.run(seed, r, None, false).map(|res| res.digest).ok());
            }
            us.push(start.elapsed().as_secs_f64() * 1e6 / args.runs as f64);
            heap_ns.push(time_baseline(1000, 1_000_000, 1));
        }
        let (us, heap_ns) = (median(us), median(heap_ns));
        let target = 5.0 + events_per;
        let line = Line {
            scenario: name,
            events_per_replication: events_per,
            us_per_replication: (us * 100.0).round() / 100.0,
            target_us: target,
            ratio_to_target: (us / target * 1000.0).round() / 1000.0,
            heap_steps_per_replication: (us * 1000.0 / heap_ns).round(),
        };
        println!("{}", serde_json::to_string(&line).unwrap_or_default());
    }
}
