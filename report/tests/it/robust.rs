//! Edge cases render without panics, and the same input renders to the same bytes.

use report::{
    Comparison, Report, StrategyReport, compare_json, compare_markdown, compare_text, html_report,
    replay_text, run_html, run_json, run_text, sweep_json, sweep_markdown, sweep_text,
};
use sim_core::sweep::stats::Summary;
use sim_core::sweep::{Sample, SweepSummary};

fn summary_of(name: &str, samples: &[Sample]) -> SweepSummary {
    let col =
        |f: fn(&Sample) -> Option<f64>| Summary::of(&samples.iter().map(f).collect::<Vec<_>>());
    SweepSummary {
        scenario: name.to_string(),
        seed: 1,
        runs: samples.len(),
        rto_s: col(|s| s.rto_s),
        rpo_s: col(|s| Some(s.rpo_s)),
        lost_writes: col(|s| Some(s.lost_writes as f64)),
        recovery_usd: col(|s| Some(s.recovery_usd)),
        flows: vec![("web".to_string(), col(|s| s.rto_s))],
        stores: vec![("db".to_string(), col(|s| Some(s.rpo_s)))],
    }
}

fn strategy(name: &str, samples: Vec<Sample>, cost: Option<f64>) -> StrategyReport {
    StrategyReport {
        name: name.to_string(),
        description: String::new(),
        summary: summary_of(name, &samples),
        samples,
        monthly_cost: cost,
    }
}

fn never_recovers(n: u64) -> Vec<Sample> {
    (0..n)
        .map(|r| Sample {
            replication: r,
            rto_s: None,
            rpo_s: 0.0,
            lost_writes: 0,
            flow_rto_s: vec![None],
            store_rpo_s: vec![0.0],
            digest: String::new(),
            recovery_usd: 0.0,
        })
        .collect()
}

#[test]
fn empty_and_never_recovered_sweeps_render() {
    let cases = [
        Comparison::default(),
        Comparison {
            strategies: vec![strategy("empty", Vec::new(), None)],
        },
        Comparison {
            strategies: vec![
                strategy("never", never_recovers(5), Some(f64::NAN)),
                strategy("empty", Vec::new(), Some(10.0)),
            ],
        },
    ];
    for c in cases {
        let _ = compare_text(&c);
        let _ = compare_markdown(&c);
        let json = serde_json::to_string(&compare_json(&c)).unwrap();
        assert!(!json.contains("NaN"), "{json}");
        for s in &c.strategies {
            let _ = (sweep_text(&s.summary), sweep_markdown(&s.summary));
            let _ = sweep_json(&s.summary);
        }
        let html = html_report(&Report {
            title: "edge".to_string(),
            comparison: c,
            replay: None,
            topology: None,
        });
        assert!(html.ends_with("</html>\n"));
    }
}

#[test]
fn a_real_report_is_byte_identical_twice_and_escapes_text() {
    let a = html_report(&crate::fixtures::report(20));
    let b = html_report(&crate::fixtures::report(20));
    assert!(a == b, "two renders of the same input differ");
    assert!(a.contains("&lt;Region outage&gt;"));
    assert!(!a.contains("<Region outage>"));
    // Self-contained: nothing is fetched.
    for needle in ["src=", "href=", "@import", "url("] {
        assert!(!a.contains(needle), "the page references {needle}");
    }
}

#[test]
fn a_real_run_renders_everywhere() {
    let report = crate::fixtures::report(5);
    let (_, run) = report.replay.as_ref().unwrap();
    let json = run_json(run, Some(12.5));
    assert_eq!(json["cost_monthly_usd"], 12.5);
    assert_eq!(json["lost_writes"], run.lost_writes);
    assert!(run_json(run, None).get("cost_monthly_usd").is_none());
    assert!(run_text(run).contains("RTO"));
    let replay = replay_text(run);
    assert!(replay.contains("hc-east"), "{replay}");
    let html = run_html(run, report.topology.as_ref().map(|(_, t)| t));
    assert!(html.contains("id=\"chart-timeline\"") && html.contains("id=\"chart-topology\""));
}
