//! scratch: time a sweep
fn main() {
    let name = std::env::args().nth(1).unwrap();
    let runs: u64 = std::env::args().nth(2).map_or(1000, |s| s.parse().unwrap());
    let threads: usize = std::env::args().nth(3).map_or(0, |s| s.parse().unwrap());
    let sc = scenarios::load(&name, &[]).unwrap();
    let t = std::time::Instant::now();
    let spec = sim_core::sweep::SweepSpec {
        seed: sc.seed,
        replications: 0..runs,
        disasters: None,
        threads,
        keep_logs: false,
    };
    let res = sim_core::sweep::sweep(&sc, &spec, &|_| {}).unwrap();
    let el = t.elapsed();
    let samples: Vec<_> = res.iter().map(sim_core::sweep::Sample::of).collect();
    let s = sim_core::sweep::SweepSummary::of(&sc, sc.seed, &samples);
    let ev: u64 = res.iter().map(|r| r.events).sum();
    println!(
        "{name}: {runs} runs in {:?} ({:.0} runs/s), events/run {:.1}; rto p50 {:?} p99 {:?} nr {}; rpo p50 {:?} p99 {:?}",
        el,
        runs as f64 / el.as_secs_f64(),
        ev as f64 / runs as f64,
        s.rto_s.p50.value,
        s.rto_s.p99.value,
        s.rto_s.not_recovered,
        s.rpo_s.p50.value,
        s.rpo_s.p99.value
    );
}
