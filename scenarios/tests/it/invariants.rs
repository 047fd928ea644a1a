//! Model invariants under random inputs: built-in scenarios with their parameters mutated (seed,
//! replication, which disaster, its onset and duration, flow rates) keep the accounting identities and
//! orderings the measurement depends on. Case count: `DRSIM_PROPTEST_CASES` (default 16).

use proptest::prelude::*;
use sim_core::spec::Scenario;
use sim_core::spec::runbook::Trigger;
use sim_core::sweep::divergence::trace_replication;
use sim_core::sweep::run_replication;

/// A built-in with random parameter changes, or `None` when the changes do not validate (e.g. an onset
/// window past a short horizon is still valid; a rate of 0 is valid too).
fn mutated(
    builtin: usize,
    onset_min: u64,
    width_min: u64,
    duration_min: u64,
    rate: f64,
) -> Option<Scenario> {
    let names = scenarios::builtin_names();
    let name = names[builtin % names.len()];
    let sets = [
        format!(
            r#"disasters.0.onset={{"Uniform":["{onset_min}m","{}m"]}}"#,
            onset_min + width_min
        ),
        format!(r#"disasters.0.duration={{"Fixed":"{duration_min}m"}}"#),
        format!("flows.0.rate_per_s={rate}"),
    ];
    scenarios::load(name, &sets).ok()
}

proptest! {
    #![proptest_config(crate::cases("DRSIM_PROPTEST_CASES", 16))]

    #[test]
    fn runs_keep_the_accounting_and_the_orderings(
        builtin in any::<usize>(),
        onset_min in 0u64..600,
        width_min in 0u64..600,
        duration_min in 1u64..1440,
        rate in 0.0f64..500.0,
        seed in any::<u64>(),
        replication in 0u64..1000,
        disaster in any::<usize>(),
    ) {
        let Some(sc) = mutated(builtin, onset_min, width_min, duration_min, rate) else {
            return Ok(());
        };
        let active = [disaster % sc.disasters.len().max(1)];
        let active = if sc.disasters.is_empty() { None } else { Some(&active[..]) };
        let result = run_replication(&sc, seed, replication, active).unwrap();

        // Same inputs twice: the same run.
        let again = run_replication(&sc, seed, replication, active).unwrap();
        prop_assert_eq!(&result, &again);

        // Every acknowledged write is either surviving or lost.
        for store in &result.stores {
            prop_assert_eq!(store.lost + store.surviving, store.acknowledged, "store {}", store.name);
            prop_assert!(store.overwritten <= store.lost, "store {}", store.name);
        }
        // Ratios are ratios; RTO is a duration or "not recovered" (a `SimDuration` cannot be negative).
        for flow in &result.flows {
            prop_assert!((0.0..=1.0).contains(&flow.availability), "flow {}: {}", flow.name, flow.availability);
            prop_assert!((0.0..=1.0).contains(&flow.worst_window), "flow {}: {}", flow.name, flow.worst_window);
            prop_assert!(flow.failed_requests >= 0.0, "flow {}: {}", flow.name, flow.failed_requests);
        }
        if result.onset.is_none() {
            prop_assert_eq!(result.lost_writes, 0);
        }

        // The step log is in time order, and no runbook acts before its trigger could fire.
        prop_assert!(result.log.windows(2).all(|w| w[0].at <= w[1].at));
        for book in &sc.runbooks {
            let Some(first) = result.log.iter().find(|e| e.actor == book.name) else { continue };
            let onset = result.onset.expect("a runbook ran, so a disaster began");
            prop_assert!(first.at >= onset, "runbook {} logged at {} before the onset {}", book.name, first.at, onset);
            if let Trigger::HealthCheck(watcher) | Trigger::Alarm(watcher) = &book.trigger {
                let noticed = result.log.iter().find(|e| &e.actor == watcher).map(|e| e.at);
                prop_assert!(
                    noticed.is_some_and(|t| t <= first.at),
                    "runbook {} logged at {} before {} noticed ({:?})", book.name, first.at, watcher, noticed
                );
            }
        }

        // Event times never go backwards, and the traced run is the same run.
        let trace = trace_replication(&sc, seed, replication, active).unwrap();
        prop_assert_eq!(trace.len() as u64, result.events);
        prop_assert!(trace.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
