//! ARC routing controls end to end (issue failback): during a us-east-1 outage that takes its control plane
//! too, a runbook that fails over by editing the Route 53 record (`UpdateDns`) cannot — Route 53's control
//! plane is in us-east-1 — while the same application behind a failover record guarded by routing
//! controls recovers in minutes when the runbook turns the primary's control Off through the ARC
//! cluster's data plane. Bounds are closed forms of the modelled steps.

use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

const RUNS: u64 = 100;

/// The outage: us-east-1, data plane and control plane, from 1 h for 12 h.
const OUTAGE_S: f64 = 12.0 * 3600.0;

/// Back only when us-east-1 heals: the RTO is the outage, less what the SLO's 60 s window forgives.
const HEALED_S: f64 = OUTAGE_S - 60.0;

/// An API in us-east-1 and one in us-west-2 behind `record`; a health check on the east API starts the
/// runbook, whose one step is `step`; `extra` adds resources.
fn lab(record: &str, step: &str, extra: &str) -> Scenario {
    load(record, step, extra).unwrap_or_else(|e| panic!("{e}"))
}

/// [`lab`], or the loader's message.
fn load(record: &str, step: &str, extra: &str) -> Result<Scenario, String> {
    let states = format!(
        r#""step": Task(action: {step}, retry: [(errors: ["States.ALL"], interval: "1m", max_attempts: 3)]),"#
    );
    load_states(record, &states, extra)
}

/// The lab with the runbook's `states` (starting at `"step"`).
fn load_states(record: &str, states: &str, extra: &str) -> Result<Scenario, String> {
    let text = format!(
        r#"(
        name: "arc-lab",
        horizon: "1d",
        regions: [
            (name: "us-east-1", azs: ["us-east-1a"]),
            (name: "us-west-2", azs: ["us-west-2a"]),
            (name: "eu-west-1", azs: ["eu-west-1a"]),
        ],
        resources: {{
            "api-east": Lambda(region: "us-east-1"),
            "api-west": Lambda(region: "us-west-2"),
            "hc-east": HealthCheck(target: "api-east"),
            "dns": {record},
            {extra}
        }},
        flows: [(name: "api", kind: Read, rate_per_s: 10.0, entry: "dns", slo: 0.99)],
        disasters: [(name: "east", kind: RegionOutage(region: "us-east-1", control_plane: true), onset: At("1h"), duration: Fixed("12h"))],
        runbooks: [(name: "fail-over", trigger: HealthCheck("hc-east"), start_at: "step", states: {{
            {states}
        }})],
    )"#
    );
    scenarios::load_text("arc-lab.ron", &text).map_err(|e| format!("{e}\n{text}"))
}

const ARC: &str = r#""arc": ArcCluster(propagation: Fixed("10s")),
            "ctl-east": RoutingControl(cluster: "arc", state: On),
            "ctl-west": RoutingControl(cluster: "arc", state: On),"#;

const GUARDED: &str = r#"Record(ttl: "60s", policy: Failover(
                primary: (endpoint: "api-east", health_check: "ctl-east"),
                secondary: (endpoint: "api-west", health_check: "ctl-west")))"#;

const FLIP: &str = r#"SetRoutingControl(control: "ctl-east", state: Off)"#;

fn runs(sc: &Scenario) -> Vec<RunResult> {
    (0..RUNS)
        .map(|k| run_replication(sc, sc.seed, k, None).unwrap())
        .collect()
}

fn rto_s(r: &RunResult) -> Option<f64> {
    r.rto.map(|d| d.as_secs_f64())
}

fn logged(r: &RunResult, needle: &str) -> bool {
    r.log.iter().any(|e| e.text.contains(needle))
}

#[test]
fn a_record_edit_fails_in_the_control_plane_outage_but_the_routing_control_fails_over() {
    // The record edit: every attempt meets Route 53's control plane down; clients come back only when
    // us-east-1 heals, 12 h later.
    let dns = lab(
        r#"Record(ttl: "60s", propagation: Fixed("10s"), policy: Simple(target: (endpoint: "api-east")))"#,
        r#"UpdateDns(record: "dns", target: "api-west")"#,
        "",
    );
    for r in runs(&dns) {
        let rto = rto_s(&r).expect("back once us-east-1 heals");
        assert!(
            rto >= HEALED_S,
            "replication {}: RTO {rto} s",
            r.replication
        );
        assert!(
            logged(&r, "control plane of us-east-1 is down"),
            "{:#?}",
            r.log
        );
    }
    // The routing control: detection (the health check's [60 s, 90 s)), one 5 s timeout on the
    // us-east-1 endpoint, 10 s of propagation, then resolvers' caches move clients over one 60 s TTL;
    // the 99 % SLO over 60 s windows is met at most one window after the move completes.
    let arc = lab(GUARDED, FLIP, ARC);
    for r in runs(&arc) {
        let rto = rto_s(&r).expect("recovered");
        assert!(
            (60.0 + 15.0..90.0 + 15.0 + 60.0 + 60.0).contains(&rto),
            "replication {}: RTO {rto} s",
            r.replication
        );
        assert!(
            logged(
                &r,
                "through cluster arc's us-west-2 endpoint after us-east-1 timed out (5s)"
            ),
            "{:#?}",
            r.log
        );
        assert!(logged(&r, "Route 53 now answers api-west"), "{:#?}", r.log);
    }
}

#[test]
fn without_a_reachable_endpoint_the_change_fails_naming_the_regions() {
    // Tooling that knows only the us-east-1 endpoint: every attempt fails; nothing moves until the heal.
    let arc = lab(
        GUARDED,
        FLIP,
        &ARC.replace(
            r#"ArcCluster(propagation"#,
            r#"ArcCluster(endpoints: ["us-east-1"], propagation"#,
        ),
    );
    for r in runs(&arc).iter().take(10) {
        assert!(rto_s(r).is_some_and(|rto| rto >= HEALED_S), "{:?}", r.rto);
        assert!(
            logged(
                r,
                "ARC cluster \"arc\" (UpdateRoutingControlState of \"ctl-east\"): no endpoint of the \
                 cluster answers: us-east-1 all down"
            ),
            "{:#?}",
            r.log
        );
    }
}

#[test]
fn while_a_routing_control_is_on_route_53_answers_its_target_whatever_the_endpoint_s_health() {
    // No runbook flips it: a routing control health check probes nothing, so the record keeps answering
    // the dead primary until us-east-1 heals.
    let mut arc = lab(GUARDED, FLIP, ARC);
    arc.runbooks.clear();
    let r = run_replication(&arc, arc.seed, 0, None).unwrap();
    assert!(rto_s(&r).is_some_and(|rto| rto >= HEALED_S), "{:?}", r.rto);
}

#[test]
fn a_choice_reads_a_routing_control_s_state() {
    // Fail over only while ctl-east reads On; two minutes after the flip, turn it back On if it still
    // reads On. Recovery needs `Healthy` to read On before the flip and Off after it.
    let states = format!(
        r#""step": Choice(choices: [(when: Healthy("ctl-east"), next: "flip")], default: "give-up"),
            "give-up": Fail(error: "AlreadyOff"),
            "flip": Task(action: {FLIP}, next: "wait"),
            "wait": Wait(duration: Fixed("2m"), next: "off?"),
            "off?": Choice(choices: [(when: Healthy("ctl-east"), next: "undo")], default: "done"),
            "undo": Task(action: SetRoutingControl(control: "ctl-east", state: On)),
            "done": Succeed,"#
    );
    let arc = load_states(GUARDED, &states, ARC).unwrap();
    for r in runs(&arc).iter().take(20) {
        assert!(rto_s(r).is_some_and(|rto| rto < 600.0), "{:#?}", r.log);
        assert!(logged(r, "runbook fail-over succeeds"), "{:#?}", r.log);
    }
}

#[test]
fn validation_names_what_a_routing_control_needs() {
    let check = |record: &str, step: &str, extra: &str, message: &str| {
        let text = load(record, step, extra).expect_err(message);
        assert!(text.contains(message), "wanted {message:?} in:\n{text}");
    };
    check(
        GUARDED,
        r#"SetRoutingControl(control: "hc-east", state: Off)"#,
        ARC,
        "runbook \"fail-over\" needs an ARC routing control (RoutingControl), but \"hc-east\" is HealthCheck",
    );
    check(
        GUARDED,
        r#"SetRoutingControl(control: "ctl-norht", state: Off)"#,
        ARC,
        "refers to an ARC routing control \"ctl-norht\", which does not exist",
    );
    check(
        GUARDED,
        FLIP,
        &ARC.replace(
            r#"RoutingControl(cluster: "arc", state: On),"#,
            r#"RoutingControl(cluster: "hc-east", state: On),"#,
        ),
        "resource \"ctl-east\" needs cluster (ArcCluster), but \"hc-east\" is HealthCheck",
    );
    check(
        &GUARDED.replace(r#"health_check: "ctl-west""#, r#"health_check: "arc""#),
        FLIP,
        ARC,
        "resource \"dns\" needs health check (HealthCheck or RoutingControl), but \"arc\" is ArcCluster",
    );
    check(
        GUARDED,
        FLIP,
        &ARC.replace("ArcCluster(", r#"ArcCluster(endpoints: ["us-east-2"], "#),
        "arc_cluster.endpoints is \"us-east-2\", but must be one of the cluster's Regions",
    );
}
