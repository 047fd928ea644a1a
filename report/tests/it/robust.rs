//! Edge cases render without panics, and the same input renders to the same bytes.

use report::{
    Comparison, Report, StrategyReport, compare_json, compare_markdown, compare_text, html_report,
    replay_text, run_html, run_json, run_text, sweep_json, sweep_markdown, sweep_text,
};
use sim_core::sweep::{SampleRow, Samples, SweepSummary};

fn strategy(name: &str, samples: Samples, cost: Option<f64>) -> StrategyReport {
    StrategyReport {
        name: name.to_string(),
        description: String::new(),
        summary: SweepSummary::of(name, 1, &samples),
        samples,
        monthly_cost: cost,
        cost_lines: Vec::new(),
        price_label: "example prices as of 2025-01".to_string(),
        course: None,
    }
}

fn columns() -> Samples {
    Samples::new(vec!["web".to_string()], vec!["db".to_string()])
}

fn never_recovers(n: u64) -> Samples {
    let mut samples = columns();
    for r in 0..n {
        // Never recovered, so the data loss is not determined either.
        samples.push_row(SampleRow {
            replication: r,
            rto_us: None,
            rpo_us: None,
            flow_rto_us: vec![None],
            store_rpo_us: vec![None],
            store_pre_onset_rpo_us: vec![None],
            ..SampleRow::default()
        });
    }
    samples
}

#[test]
fn empty_and_never_recovered_sweeps_render() {
    let cases = [
        Comparison::default(),
        Comparison {
            strategies: vec![strategy("empty", columns(), None)],
        },
        Comparison {
            strategies: vec![
                strategy("never", never_recovers(5), Some(f64::NAN)),
                strategy("empty", columns(), Some(10.0)),
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
    let replay = report.replay.as_ref().unwrap();
    let run = &replay.run;
    let json = run_json(run, Some(12.5));
    assert_eq!(json["cost_monthly_usd"], 12.5);
    assert_eq!(json["lost_writes"], run.lost_writes);
    assert!(run_json(run, None).get("cost_monthly_usd").is_none());
    assert!(run_text(run).contains("RTO"));
    let text = replay_text(replay);
    assert!(text.contains("hc-east"), "{text}");
    let html = run_html(replay);
    assert!(html.contains("id=\"chart-timeline\"") && html.contains("id=\"chart-topology\""));
}
