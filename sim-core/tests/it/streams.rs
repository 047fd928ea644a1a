//! RNG streams: reproducible, independent per id, and unaffected by other streams.

use rand::Rng;
use sim_core::{RngStreams, StreamId};

fn draws(streams: &RngStreams, name: &str, n: usize) -> Vec<u64> {
    let mut rng = streams.named(name);
    (0..n).map(|_| rng.next_u64()).collect()
}

#[test]
fn same_seed_replication_and_name_give_the_same_draws() {
    let a = RngStreams::new(7, 3);
    let b = RngStreams::new(7, 3);
    assert_eq!(draws(&a, "rds-primary", 100), draws(&b, "rds-primary", 100));
}

#[test]
fn seed_replication_and_name_each_change_the_draws() {
    let base = draws(&RngStreams::new(7, 3), "rds-primary", 8);
    assert_ne!(base, draws(&RngStreams::new(8, 3), "rds-primary", 8));
    assert_ne!(base, draws(&RngStreams::new(7, 4), "rds-primary", 8));
    assert_ne!(base, draws(&RngStreams::new(7, 3), "rds-replica", 8));
    // Swapping seed and replication is a different pair, hence different draws.
    assert_ne!(
        draws(&RngStreams::new(3, 7), "x", 8),
        draws(&RngStreams::new(7, 3), "x", 8)
    );
}

#[test]
fn adding_a_stream_leaves_the_others_unchanged() {
    let streams = RngStreams::new(11, 0);
    // Scenario A uses two components; scenario B adds a third and draws from it in between.
    let mut lag = streams.named("replica-lag");
    let mut human = streams.named("operator");
    let a: Vec<u64> = (0..50)
        .flat_map(|_| [lag.next_u64(), human.next_u64()])
        .collect();

    let mut lag = streams.named("replica-lag");
    let mut human = streams.named("operator");
    let mut extra = streams.named("new-cache-tier");
    let b: Vec<u64> = (0..50)
        .flat_map(|_| {
            let _ = extra.next_u64();
            [lag.next_u64(), human.next_u64()]
        })
        .collect();
    assert_eq!(a, b);
}

#[test]
fn different_stream_ids_are_uncorrelated() {
    // A cheap independence check: over 20,000 paired draws, the sample correlation of two streams' uniforms
    // is near zero (|r| < 0.03 is about 4 standard errors) and no draw coincides.
    let streams = RngStreams::new(5, 0);
    let mut x = streams.stream(StreamId(1));
    let mut y = streams.stream(StreamId(2));
    let n = 20_000;
    let pairs: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            (
                x.next_u64() as f64 / u64::MAX as f64,
                y.next_u64() as f64 / u64::MAX as f64,
            )
        })
        .collect();
    let mean = |f: fn(&(f64, f64)) -> f64| pairs.iter().map(f).sum::<f64>() / n as f64;
    let (mx, my) = (mean(|p| p.0), mean(|p| p.1));
    let cov = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / n as f64;
    let var = |m: f64, f: fn(&(f64, f64)) -> f64| {
        pairs.iter().map(|p| (f(p) - m).powi(2)).sum::<f64>() / n as f64
    };
    let r = cov / (var(mx, |p| p.0) * var(my, |p| p.1)).sqrt();
    assert!(r.abs() < 0.03, "correlation {r}");
    assert!(pairs.iter().all(|p| p.0.to_bits() != p.1.to_bits()));
}

#[test]
fn child_streams_differ_from_parent_and_each_other() {
    let parent = StreamId::named("replica");
    assert_ne!(parent.child("lag"), parent.child("promotion"));
    assert_ne!(parent.child("lag"), parent);
    assert_eq!(parent.child("lag"), StreamId::named("replica").child("lag"));
}
