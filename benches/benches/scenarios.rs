//! Criterion benches of whole course scenarios: replications per second, single-threaded, so the figure
//! is the cost of one replication (build the world, run it to the horizon, measure it).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim_core::sweep::run_replication;

const REPLICATIONS: u64 = 100;

fn scenarios(c: &mut Criterion) {
    let mut group = c.benchmark_group("replications");
    group.throughput(Throughput::Elements(REPLICATIONS));
    for name in ["unishop-hot-standby", "backup-restore", "multi-site"] {
        let scenario = match scenarios::load(name, &[]) {
            Ok(s) => s,
            Err(e) => panic!("built-in {name} does not load: {e}"),
        };
        group.bench_with_input(BenchmarkId::from_parameter(name), &scenario, |b, sc| {
            b.iter(|| {
                for r in 0..REPLICATIONS {
                    black_box(run_replication(sc, 1, r, None).map(|res| res.digest).ok());
                }
            });
        });
    }
    group.finish();
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
