//! Criterion benches of the engine: the hold model on the drsim engine and on a bare `BinaryHeap`, side by
//! side at several queue sizes, plus the queue alone under bursts of equal times.

use std::hint::black_box;

use benches::{Baseline, engine_with, run_baseline, run_engine};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim_core::EventQueue;

const STEPS: u64 = 10_000;

fn hold(c: &mut Criterion) {
    let mut group = c.benchmark_group("hold");
    group.throughput(Throughput::Elements(STEPS));
    for pending in [16usize, 1_000, 100_000] {
        group.bench_with_input(BenchmarkId::new("engine", pending), &pending, |b, &n| {
            let mut engine = engine_with(n, 1);
            b.iter(|| run_engine(&mut engine, STEPS));
        });
        group.bench_with_input(
            BenchmarkId::new("binary_heap", pending),
            &pending,
            |b, &n| {
                let mut baseline = Baseline::with(n, 1);
                b.iter(|| run_baseline(&mut baseline, STEPS));
            },
        );
    }
    group.finish();
}

/// Many events at the same instant (a Region outage fans out to every component at once): the FIFO path.
fn same_time_burst(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue_burst");
    group.throughput(Throughput::Elements(1_000));
    group.bench_function("push_pop_1000_ties", |b| {
        b.iter_batched(
            EventQueue::<u32>::new,
            |mut q| {
                for i in 0..1_000u32 {
                    q.push(5_000_000, i);
                }
                while let Some(entry) = q.pop() {
                    black_box(entry);
                }
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, hold, same_time_burst);
criterion_main!(benches);
