//! CloudWatch alarms through the whole world, against closed forms: an M-of-N alarm on a failed flow fires
//! in `((M − 1)·P + d, M·P + d]` after the failure and its runbook starts then; a breach shorter than a
//! period still breaches its datapoint; threshold, comparison and statistic decide what breaches; DNS
//! ramps are followed exactly; missing data from a dead Region; a flow named like a resource; and the
//! work stops once the metric is stable.

use sim_core::spec::Scenario;

use crate::e2e::{after_onset, issues, logged, run, scenario};

const PERIOD: f64 = 60.0;
const DELAY: f64 = 30.0;

/// How long the instance takes to boot when its AZ comes back.
const BOOT: f64 = 1.0;

/// An instance in us-east-1a (booting in 1 s) serving flow `api`, `alarm` with these fields, `disaster`,
/// and a runbook triggered by the alarm.
fn watched(alarm: &str, disaster: &str) -> Scenario {
    scenario(
        &format!(
            r#""app": Ec2(az: "us-east-1a", launch: Fixed("1s")),
               "alarm": Alarm({alarm}),"#
        ),
        &format!(
            r#"flows: [(name: "api", kind: Read, rate_per_s: 1.0, entry: "app")],
               disasters: [{disaster}],
               runbooks: [(name: "rb", trigger: Alarm("alarm"), start_at: "x",
                   states: {{ "x": Task(action: Run(what: "look", duration: Fixed("1m"))) }})],"#
        ),
    )
}

const AZ_LOST: &str = r#"(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"))"#;

/// Seconds from the onset until the alarm went to ALARM, if it did.
fn fired(s: &Scenario, replication: u64) -> Option<f64> {
    let r = run(s, replication);
    let at = logged(&r, "alarm", "→ ALARM")?;
    let started = logged(&r, "rb", "starts").expect("the runbook starts when the alarm fires");
    assert_eq!(started, at, "the runbook starts at the ALARM transition");
    Some(after_onset(&r, at))
}

#[test]
fn an_m_of_n_alarm_on_a_failed_flow_fires_within_m_periods() {
    for (m, n, period, delay) in [
        (1, 1, PERIOD, DELAY),
        (2, 3, PERIOD, DELAY),
        (3, 3, PERIOD, DELAY),
        (2, 5, PERIOD, DELAY),
        (2, 2, 10.0, 5.0),
        (1, 3, 300.0, 0.0),
    ] {
        let s = watched(
            &format!(
                r#"watches: "api", evaluation_periods: {n}, datapoints_to_alarm: {m},
                   period: "{period}s", publication_delay: "{delay}s""#
            ),
            AZ_LOST,
        );
        let (lo, hi) = (
            f64::from(m - 1) * period + delay,
            f64::from(m) * period + delay,
        );
        let times: Vec<f64> = (0..200).map(|k| fired(&s, k).expect("fires")).collect();
        for &t in &times {
            assert!(t > lo && t <= hi, "{m} of {n}: {t} s outside ({lo}, {hi}]");
        }
        // The period grid's phase is random: the whole bracket is used.
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        let near = period / 6.0;
        assert!(
            min < lo + near && max > hi - near,
            "{m} of {n}: [{min}, {max}]"
        );
    }
}

#[test]
fn an_alarm_returns_to_ok_after_n_minus_m_plus_one_good_datapoints() {
    let outage = r#"(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"), duration: Fixed("10m"))"#;
    let s = watched(
        r#"watches: "api", evaluation_periods: 3, datapoints_to_alarm: 2"#,
        outage,
    );
    for k in 0..100 {
        let r = run(&s, k);
        let ok = logged(&r, "alarm", "→ OK").expect("clears");
        let after_heal = after_onset(&r, ok) - 600.0 - BOOT;
        // The partly bad period of the recovery still breaches; then N − M + 1 = 2 good ones.
        assert!(
            after_heal > 2.0 * PERIOD + DELAY && after_heal <= 3.0 * PERIOD + DELAY,
            "{after_heal}"
        );
    }
}

#[test]
fn a_breach_shorter_than_a_period_still_breaches_its_datapoint() {
    // Down for 21 s (20 s and a 1 s boot): the period it falls in has a breaching minimum, so a 1-of-1
    // alarm fires at that period's end plus the delay, even though the flow is long fine by then.
    let blip = r#"(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"), duration: Fixed("20s"))"#;
    let s = watched(r#"watches: "api""#, blip);
    for k in 0..100 {
        let t = fired(&s, k).expect("a short outage fires");
        assert!(t > DELAY && t <= PERIOD + DELAY, "{t}");
    }
    // The same dip does not bring a period's average below one half (at worst 39/60).
    let average = watched(
        r#"watches: "api", statistic: Average, threshold: 0.5"#,
        blip,
    );
    assert!((0..50).all(|k| fired(&average, k).is_none()));
}

#[test]
fn threshold_comparison_and_metric_decide_what_breaches() {
    let half =
        r#"(name: "gray", kind: GrayFailure(resource: "app", error_rate: 0.5), onset: At("1h"))"#;
    let cases = [
        (r#"statistic: Average, threshold: 0.4"#, false),
        (r#"statistic: Average, threshold: 0.6"#, true),
        (
            r#"statistic: Maximum, comparison: LessThanOrEqualToThreshold, threshold: 0.5"#,
            true,
        ),
        (
            r#"metric: ErrorRate, comparison: GreaterThanThreshold, threshold: 0.3"#,
            true,
        ),
        (
            r#"metric: ErrorRate, comparison: GreaterThanThreshold, threshold: 0.6"#,
            false,
        ),
        (
            r#"metric: ErrorRate, comparison: GreaterThanOrEqualToThreshold, threshold: 0.5, statistic: Average"#,
            true,
        ),
    ];
    for (fields, fires) in cases {
        let s = watched(&format!(r#"watches: "api", {fields}"#), half);
        assert_eq!(fired(&s, 0).is_some(), fires, "{fields}");
    }
}

#[test]
fn a_dns_ramp_is_followed_between_events() {
    // The record is repointed (in 10 s) to an instance in a dead AZ; resolvers move over the 600 s TTL,
    // so the flow's success falls linearly and crosses one half 300 s after the edit — between events.
    let s = scenario(
        r#""app": Ec2(az: "us-east-1a"),
           "dead": Ec2(az: "us-east-1b"),
           "dns": Record(ttl: "600s", propagation: Fixed("10s"), policy: Simple(target: (endpoint: "app"))),
           "alarm": Alarm(watches: "api", threshold: 0.5),"#,
        r#"flows: [(name: "api", kind: Read, rate_per_s: 1.0, entry: "dns")],
           disasters: [(name: "az", kind: AzOutage(az: "us-east-1b"), onset: At("1h"))],
           runbooks: [(name: "rb", trigger: Onset, start_at: "dns",
               states: { "dns": Task(action: UpdateDns(record: "dns", target: "dead")) })],"#,
    );
    for k in 0..100 {
        let r = run(&s, k);
        let t = after_onset(&r, logged(&r, "alarm", "→ ALARM").expect("fires"));
        let crossing = 10.0 + 300.0;
        assert!(
            t > crossing + DELAY && t <= crossing + PERIOD + DELAY,
            "{t}"
        );
    }
}

#[test]
fn missing_data_from_a_dead_region() {
    let region = r#"(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"))"#;
    let on_resource = |missing: &str| {
        watched(
            &format!(r#"watches: "app", treat_missing_data: {missing}"#),
            region,
        )
    };
    // The instance's Region publishes nothing: by default the alarm has insufficient data, never ALARM.
    let r = run(&on_resource("Missing"), 0);
    assert!(logged(&r, "alarm", "→ INSUFFICIENT_DATA").is_some());
    assert!(logged(&r, "alarm", "→ ALARM").is_none());
    assert!(fired(&on_resource("NotBreaching"), 0).is_none());
    assert!(fired(&on_resource("Ignore"), 0).is_none());
    let t = fired(&on_resource("Breaching"), 0).expect("missing data breaches");
    assert!(t > DELAY && t <= 2.0 * PERIOD + DELAY, "{t}");
    // What the flow's clients see always has data.
    assert!(fired(&watched(r#"watches: "api""#, region), 0).is_some());
}

#[test]
fn a_flow_named_like_a_resource_must_say_which_it_watches() {
    // Flow "cart" writes table "cart". Watching "cart" was the table (which stays up): never firing.
    let cart = |alarm: &str| {
        scenario(
            &format!(
                r#""app": Ec2(az: "us-east-1a"),
                   "cart": DynamoDb(region: "us-east-1"),
                   "alarm": Alarm({alarm}),"#
            ),
            &format!(
                r#"flows: [(name: "cart", kind: Write, rate_per_s: 1.0, entry: "app", store: "cart")],
                   disasters: [{AZ_LOST}],"#
            ),
        )
    };
    let ambiguous = issues(&cart(r#"watches: "cart""#));
    assert!(
        ambiguous
            .iter()
            .any(|m| m.contains("both a flow and a resource")),
        "{ambiguous:?}"
    );
    let r = run(&cart(r#"watches: "cart", source: Flow"#), 0);
    assert!(logged(&r, "alarm", "→ ALARM").is_some());
    let r = run(&cart(r#"watches: "cart", source: Resource"#), 0);
    assert!(
        logged(&r, "alarm", "→ ALARM").is_none(),
        "the table is fine"
    );
    let missing = issues(&cart(r#"watches: "carts", source: Flow"#));
    assert!(
        missing.iter().any(|m| m.contains("flow \"carts\"")),
        "{missing:?}"
    );
}

#[test]
fn an_alarm_stops_evaluating_once_its_metric_is_stable() {
    let day = watched(
        r#"watches: "api", evaluation_periods: 5, datapoints_to_alarm: 3"#,
        AZ_LOST,
    );
    let month = Scenario {
        horizon: sim_core::SimDuration::from_hours(30 * 24),
        ..day.clone()
    };
    let (a, b) = (run(&day, 0), run(&month, 0));
    assert_eq!(a.events, b.events, "the horizon adds no evaluations");
    assert!(a.events < 30, "{} events", a.events);
}
