//! `multi-site` has clients in both Regions (half each): when us-east-1 fails, only its half of the reads
//! fail until Route 53 moves them, while the us-west-2 half keeps being served locally.

use sim_core::sweep::run_replication;

use crate::load;

/// Requests of `flow` that failed over `runs` replications of `name` with these overrides.
fn failed(sets: &[&str], flow: &str, runs: u64) -> f64 {
    let sc = load("multi-site", sets);
    (0..runs)
        .map(|r| {
            let result = run_replication(&sc, 1, r, None).unwrap();
            result
                .flows
                .iter()
                .find(|f| f.name == flow)
                .map_or(0.0, |f| f.failed_requests)
        })
        .sum()
}

#[test]
fn only_the_lost_region_s_clients_fail_until_route_53_moves_them() {
    let sc = load("multi-site", &[]);
    for f in &sc.flows {
        assert_eq!(
            f.client_shares(),
            [("us-east-1", 0.5), ("us-west-2", 0.5)],
            "{}",
            f.name
        );
    }
    // Catalog reads are local in both Regions: with half the clients in us-west-2, half as many fail.
    let split = failed(&[], "catalog", 50);
    let east = failed(&["flows.catalog.clients=us-east-1"], "catalog", 50);
    assert!(east > 0.0);
    let ratio = split / east;
    assert!(
        (0.45..=0.55).contains(&ratio),
        "split {split}, all in us-east-1 {east}"
    );
}
