//! The divergence finder on real scenarios: identical runs do not diverge; runs made to differ (another
//! seed, a `--set` tweak) report the first differing event, and everything before it is identical.

use sim_core::engine::trace::{Divergence, first_divergence};
use sim_core::sweep::divergence::{find_divergence, trace_replication};
use sim_core::sweep::run_replication;

use crate::load;

/// Checks that `d` is exactly the first difference between the two traces.
fn check_first(a: &[(sim_core::SimTime, u64)], b: &[(sim_core::SimTime, u64)], d: Divergence) {
    assert_eq!(
        a[..d.index],
        b[..d.index],
        "events before #{} differ",
        d.index
    );
    assert_eq!(d.left, a.get(d.index).copied());
    assert_eq!(d.right, b.get(d.index).copied());
    assert_ne!(d.left, d.right);
}

#[test]
fn identical_runs_do_not_diverge() {
    for name in ["securecart-multi-az", "pilot-light", "unishop-hot-standby"] {
        let sc = load(name, &[]);
        for replication in [0, 7] {
            assert_eq!(
                find_divergence(&sc, &sc, 1, replication).unwrap(),
                None,
                "{name}"
            );
        }
    }
}

#[test]
fn recording_the_trace_changes_nothing_and_matches_the_event_count() {
    let sc = load("warm-standby", &[]);
    let plain = run_replication(&sc, 1, 3, None).unwrap();
    let trace = trace_replication(&sc, 1, 3, None).unwrap();
    assert_eq!(trace.len() as u64, plain.events);
    let mut digest = sim_core::TraceDigest::new();
    for &(t, word) in &trace {
        digest.record(t.as_micros(), word);
    }
    assert_eq!(digest, plain.digest);
    assert!(
        trace.windows(2).all(|w| w[0].0 <= w[1].0),
        "event times go backwards"
    );
}

#[test]
fn another_seed_diverges_after_the_common_start() {
    let sc = load("pilot-light", &[]);
    let a = trace_replication(&sc, 1, 0, None).unwrap();
    let b = trace_replication(&sc, 2, 0, None).unwrap();
    let d = first_divergence(&a, &b).expect("different seeds diverge");
    assert!(d.index > 0, "the Start event at time zero is common: {d}");
    check_first(&a, &b, d);
}

#[test]
fn a_set_tweak_diverges_where_the_slower_human_acts() {
    let base = load("warm-standby", &[]);
    let slower = load(
        "warm-standby",
        &[
            r#"runbooks.scale-up-us-west-2.states.confirm.Task.action.Page.ack={"Fixed":"30m"}"#,
            "runbooks.scale-up-us-west-2.states.confirm.Task.timeout=null",
        ],
    );
    let d = find_divergence(&base, &slower, 1, 0)
        .unwrap()
        .expect("a slower page diverges");
    let (a, b) = (
        trace_replication(&base, 1, 0, None).unwrap(),
        trace_replication(&slower, 1, 0, None).unwrap(),
    );
    check_first(&a, &b, d);
    // Nothing changes before the disaster: the divergence is after the onset.
    let onset = run_replication(&base, 1, 0, None).unwrap().onset.unwrap();
    let at = d.left.or(d.right).unwrap().0;
    assert!(
        at >= onset,
        "diverged at {at}, before the onset {onset}: {d}"
    );
    assert!(d.to_string().contains(&format!("event #{}", d.index)));
}
