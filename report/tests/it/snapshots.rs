//! Snapshots of the terminal and Markdown tables: fixed inputs, exact expected text, so any formatting
//! change shows up here and is reviewed.

use report::{
    Comparison, StrategyReport, compare_markdown, compare_text, sweep_markdown, sweep_text,
};
use sim_core::SimDuration;
use sim_core::sweep::{SampleRow, Samples, SweepSummary};

/// Compares rendered text with the expectation, printing both in full on a mismatch.
fn check(actual: String, expect: &str) {
    assert!(
        actual == expect,
        "rendered text differs\n--- expected\n{expect}\n--- actual\n{actual}"
    );
}

/// A strategy whose replication `r` has RTO `rto(r)` and RPO `rpo(r)`.
fn strategy(
    name: &str,
    cost: Option<f64>,
    rto: fn(u64) -> Option<f64>,
    rpo: fn(u64) -> f64,
) -> StrategyReport {
    let mut samples = Samples::new(vec!["checkout".to_string()], vec!["app|db".to_string()]);
    let us = |s: f64| SimDuration::from_secs_f64(s).as_micros();
    for r in 0..20 {
        samples.push_row(SampleRow {
            replication: r,
            rto_us: rto(r).map(us),
            rpo_us: Some(us(rpo(r))),
            pre_onset_rpo_us: Some(us(rpo(r) / 2.0)),
            lost_writes: r % 3,
            flow_rto_us: vec![rto(r).map(us)],
            store_rpo_us: vec![Some(us(rpo(r)))],
            store_pre_onset_rpo_us: vec![Some(us(rpo(r) / 2.0))],
            ..SampleRow::default()
        });
    }
    let summary = SweepSummary::of(name, 7, &samples);
    StrategyReport {
        name: name.to_string(),
        description: String::new(),
        summary,
        samples,
        monthly_cost: cost,
        cost_lines: Vec::new(),
        price_label: "example prices as of 2025-01".to_string(),
        course: None,
    }
}

fn comparison() -> Comparison {
    Comparison {
        strategies: vec![
            strategy(
                "pilot-light",
                Some(1850.0),
                |r| Some(1200.0 + 30.0 * r as f64),
                |r| 0.2 + 0.05 * r as f64,
            ),
            strategy(
                "warm-standby",
                None,
                |r| (r != 19).then_some(300.0 + 10.0 * r as f64),
                |r| 0.2 + 0.05 * r as f64,
            ),
        ],
    }
}

#[test]
fn compare_table_as_text() {
    check(
        compare_text(&comparison()),
        r#"strategy      runs            RTO p50 [95% CI]            RTO p99 [95% CI]  not recovered         RPO p50 [95% CI]   RPO p99 [95% CI]  lost writes p50       cost
pilot-light     20  24m 30s [22m 00s, 27m 30s]  29m 30s [28m 30s, 29m 30s]              0  650 ms [400 ms, 950 ms]  1.2s [1.1s, 1.2s]                1  $1,850/mo
warm-standby    20     6m 30s [5m 40s, 7m 30s]               not recovered              1  650 ms [400 ms, 950 ms]  1.2s [1.1s, 1.2s]                1          –

Paired differences vs pilot-light (per replication, this − pilot-light; common random numbers)
strategy      pairs              ΔRTO p50 [95% CI]                                        RTO lower/equal/higher  ΔRPO p50 [95% CI]  RPO lower/equal/higher
warm-standby     20  -18m 00s [-19m 40s, -16m 20s]  19/0/0 (not recovered: baseline only 0, this only 1, both 0)     0 s [0 s, 0 s]                  0/20/0
"#,
    );
}

#[test]
fn compare_table_as_markdown() {
    check(
        compare_markdown(&comparison()),
        r#"### Strategies compared

| strategy | runs | RTO p50 [95% CI] | RTO p99 [95% CI] | not recovered | RPO p50 [95% CI] | RPO p99 [95% CI] | lost writes p50 | cost |
| :-- | --: | --: | --: | --: | --: | --: | --: | --: |
| pilot-light | 20 | 24m 30s [22m 00s, 27m 30s] | 29m 30s [28m 30s, 29m 30s] | 0 | 650 ms [400 ms, 950 ms] | 1.2s [1.1s, 1.2s] | 1 | $1,850/mo |
| warm-standby | 20 | 6m 30s [5m 40s, 7m 30s] | not recovered | 1 | 650 ms [400 ms, 950 ms] | 1.2s [1.1s, 1.2s] | 1 | – |

### Paired differences vs `pilot-light`

Per replication, this − `pilot-light`, on the same seeds (common random numbers): the difference is the strategy's, not the disaster's.

| strategy | pairs | ΔRTO p50 [95% CI] | RTO lower/equal/higher | ΔRPO p50 [95% CI] | RPO lower/equal/higher |
| :-- | --: | --: | --: | --: | --: |
| warm-standby | 20 | -18m 00s [-19m 40s, -16m 20s] | 19/0/0 (not recovered: baseline only 0, this only 1, both 0) | 0 s [0 s, 0 s] | 0/20/0 |
"#,
    );
}

#[test]
fn sweep_as_text() {
    check(
        sweep_text(&comparison().strategies[1].summary),
        r#"warm-standby  seed 7  20 runs  (values [95 % CI])
                                     p50                      p90                      p99            max                     mean
  RTO            6m 30s [5m 40s, 7m 30s]       7m 50s [7m 20s, ∞]            not recovered  not recovered  6m 30s [6m 05s, 6m 55s]
  RPO            650 ms [400 ms, 950 ms]      1.1s [900 ms, 1.2s]        1.2s [1.1s, 1.2s]           1.2s  675 ms [545 ms, 805 ms]
  pre-onset RPO  325 ms [200 ms, 475 ms]  525 ms [450 ms, 575 ms]  575 ms [525 ms, 575 ms]         575 ms  338 ms [273 ms, 402 ms]
  RPO is the data-loss window: acknowledgement time whose writes were lost, before or after the onset
  not recovered within the horizon: 1 of 20
  lost writes per run: p50 1 [0, 2]  p99 2 [2, 2]  max 2

Flows
  flow                      RTO p50        RTO p99        RTO max  not recovered
  checkout  6m 30s [5m 40s, 7m 30s]  not recovered  not recovered              1

Stores
  store                   RPO p50            RPO p99  RPO max        pre-onset RPO p99  not determined
  app|db  650 ms [400 ms, 950 ms]  1.2s [1.1s, 1.2s]     1.2s  575 ms [525 ms, 575 ms]               0
"#,
    );
}

#[test]
fn sweep_as_markdown() {
    check(
        sweep_markdown(&comparison().strategies[1].summary),
        r#"### `warm-standby`: 20 runs, seed 7

Values are `p [95% CI]`. RPO is the data-loss window (acknowledgement time whose writes were lost, before or after the onset).

|  | p50 | p90 | p99 | max | not recovered / not determined |
| :-- | --: | --: | --: | --: | --: |
| **RTO** (service) | 6m 30s [5m 40s, 7m 30s] | 7m 50s [7m 20s, ∞] | not recovered | not recovered | 1 |
| **RPO** (service) | 650 ms [400 ms, 950 ms] | 1.1s [900 ms, 1.2s] | 1.2s [1.1s, 1.2s] | 1.2s | 0 |
| pre-onset RPO (service) | 325 ms [200 ms, 475 ms] | 525 ms [450 ms, 575 ms] | 575 ms [525 ms, 575 ms] | 575 ms | 0 |
| RTO `checkout` | 6m 30s [5m 40s, 7m 30s] | 7m 50s [7m 20s, ∞] | not recovered | not recovered | 1 |
| RPO `app\|db` | 650 ms [400 ms, 950 ms] | 1.1s [900 ms, 1.2s] | 1.2s [1.1s, 1.2s] | 1.2s | 0 |
| pre-onset RPO `app\|db` | 325 ms [200 ms, 475 ms] | 525 ms [450 ms, 575 ms] | 575 ms [525 ms, 575 ms] | 575 ms | 0 |
"#,
    );
}
