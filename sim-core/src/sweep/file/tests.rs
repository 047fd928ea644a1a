//! Unit tests of `sweep/file/`.

use super::*;
use crate::engine::time::SimDuration;
use crate::spec::{FlowConfig, FlowKind, Resource, S3Config};
use crate::sweep::sample::SampleRow;

fn scenario() -> Scenario {
    let mut s = Scenario {
        name: "s".into(),
        horizon: SimDuration::from_hours(1),
        ..Default::default()
    };
    s.resources
        .insert("bucket".into(), Resource::S3(S3Config::new("us-east-1")));
    s.flows.push(FlowConfig {
        name: "browse".into(),
        kind: FlowKind::Read,
        rate_per_s: 1.0,
        entry: "bucket".into(),
        store: None,
        slo: 0.99,
        critical: true,
        clients: None,
        timeout: SimDuration::from_secs(60),
    });
    s
}

fn samples(reps: Range<u64>) -> Samples {
    let mut samples = Samples::new(vec!["browse".into()], vec!["bucket".into()]);
    for r in reps {
        samples.push_row(SampleRow {
            replication: r,
            no_disaster: r == 4,
            rto_us: (r % 3 != 0).then_some(r * 1_000_000),
            rpo_us: (r != 5).then_some(250_000),
            pre_onset_rpo_us: (r != 5).then_some(100_000),
            lost_writes: r,
            recovery_usd: 0.5,
            digest: 0xabc0 + r,
            flow_rto_us: vec![Some(r)],
            store_rpo_us: vec![(r != 5).then_some(250_000)],
            store_pre_onset_rpo_us: vec![(r != 5).then_some(100_000)],
            // Every kind of exposure and failback value, so round trips and merges carry them all.
            exposure_us: (r != 6).then_some(r * 3_600_000_000),
            exposure_measured: true,
            failback: match r % 3 {
                0 => None,
                1 => Some((Some(r * 60_000_000), r, 30_000_000)),
                _ => Some((None, 0, 0)),
            },
        });
    }
    samples
}

fn file(shard: Option<(u64, u64)>, reps: Range<u64>) -> SweepFile {
    SweepFile::new(&scenario(), 1, 10, shard, samples(reps))
}

fn read(text: &str) -> Result<SweepFile, String> {
    SweepFile::from_json(text.as_bytes()).map_err(|e| e.to_string())
}

#[test]
fn shards_cover_the_runs_exactly() {
    for (runs, n) in [(10, 3), (10_000, 4), (7, 7), (3, 5), (0, 2)] {
        let ranges: Vec<_> = (0..n).map(|k| shard_range(runs, k, n)).collect();
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(runs));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }
}

#[test]
fn a_file_reads_back_exactly_with_its_columns_named() {
    let whole = file(None, 0..10);
    let text = whole.to_json();
    assert!(text.starts_with(r#"{"format":"drsim-sweep/4""#), "{text}");
    assert!(
        text.contains(r#""flows":["browse"],"stores":["bucket"]"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"[1,false,1000000,250000,100000,1,0.5,"000000000000abc1",[1],[250000],[100000],3600000000,[60000000,1,30000000]]"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"[0,false,null,250000"#),
        "not recovered is null: {text}"
    );
    assert!(text.contains(r#"[4,true,"#), "no disaster: {text}");
    assert!(
        text.contains(r#"[5,false,5000000,null,null,5,0.5,"000000000000abc5",[5],[null],[null],"#),
        "not determined is null: {text}"
    );
    // Still exposed at the horizon, and a disaster that did not heal, are null too.
    assert!(text.contains(r#"[100000],null,null]"#), "{text}");
    let back = read(&text).unwrap();
    assert_eq!(back, whole);
    assert_eq!(back.to_json(), text);
    assert_eq!(back.samples.get(1).rto_s, Some(1.0));
    assert_eq!(back.samples.get(0).rto_s, None);
    assert_eq!(
        (
            back.samples.get(5).rpo_s,
            back.samples.get(5).store_rpo_s(0)
        ),
        (None, None)
    );
    assert_eq!(back.samples.no_disaster(), 1);
}

#[test]
fn version_3_files_are_still_read_without_exposure_or_failback() {
    let s = scenario();
    let v3 = serde_json::json!({
        "format": "drsim-sweep/3", "scenario": "s", "fingerprint": fingerprint(&s), "seed": 1,
        "runs": 1, "shard": null, "config": s, "flows": ["browse"], "stores": ["bucket"],
        "samples": [[0, false, 5000000, 250000, 100000, 2, 0.5, "000000000000abcd", [5000000], [250000], [100000]]],
    });
    let back = read(&v3.to_string()).unwrap();
    let first = back.samples.get(0);
    assert_eq!(first.rto_s, Some(5.0));
    // drsim-sweep/3 measured neither: not measured (left out), never a guessed 0.
    assert!(!first.exposure_measured);
    assert_eq!((first.exposure_s, first.failback), (None, None));
    let summary = crate::sweep::SweepSummary::of("s", 1, &back.samples);
    assert_eq!((summary.exposure_s.n, summary.healed), (0, 0));
}

#[test]
fn version_2_files_are_still_read_with_their_rpo_as_the_pre_onset_figure() {
    let s = scenario();
    let v2 = serde_json::json!({
        "format": "drsim-sweep/2", "scenario": "s", "fingerprint": fingerprint(&s), "seed": 1,
        "runs": 2, "shard": null, "config": s, "flows": ["browse"], "stores": ["bucket"],
        "samples": [
            [0, 12345678, 250000, 3, 1.5, "000000000000abcd", [12345678], [250000]],
            [1, null, 0, 0, 0.0, "000000000000abce", [null], [0]],
        ],
    });
    let back = read(&v2.to_string()).unwrap();
    let first = back.samples.get(0);
    assert_eq!(
        (first.rto_s, first.pre_onset_rpo_s),
        (Some(12.345678), Some(0.25))
    );
    assert_eq!(first.store_pre_onset_rpo_s(0), Some(0.25));
    // drsim-sweep/2 did not measure the data-loss window: not determined, never a guess.
    assert_eq!((first.rpo_s, first.store_rpo_s(0)), (None, None));
    assert_eq!(
        (back.samples.get(1).rto_s, back.samples.no_disaster()),
        (None, 0)
    );
    assert!(back.to_json().starts_with(r#"{"format":"drsim-sweep/4""#));
}

#[test]
fn version_1_files_are_still_read() {
    let s = scenario();
    let v1 = serde_json::json!({
        "format": "drsim-sweep/1", "scenario": "s", "fingerprint": fingerprint(&s), "config": s,
        "seed": 1, "runs": 2, "shard": null,
        "samples": [
            {"replication": 0, "rto_s": 12.345678, "rpo_s": 0.25, "lost_writes": 3,
             "flow_rto_s": [12.345678], "store_rpo_s": [0.25], "digest": "000000000000abcd", "recovery_usd": 1.5},
            {"replication": 1, "rto_s": null, "rpo_s": 0.0, "lost_writes": 0,
             "flow_rto_s": [null], "store_rpo_s": [0.0], "digest": "000000000000abce"},
        ],
    });
    let back = read(&v1.to_string()).unwrap();
    assert_eq!(back.samples.len(), 2);
    assert_eq!(back.samples.get(0).rto_s, Some(12.345678));
    assert_eq!(back.samples.get(0).flow_rto_s(0), Some(12.345678));
    assert_eq!(back.samples.get(0).pre_onset_rpo_s, Some(0.25));
    assert_eq!(back.samples.get(0).rpo_s, None);
    assert_eq!(back.samples.get(1).rto_s, None);
    assert_eq!(
        back.samples.get(1).recovery_usd.to_bits(),
        0.0_f64.to_bits()
    );
}

#[test]
fn edited_or_impossible_files_are_refused() {
    let text = file(None, 0..10).to_json();
    let edited = text.replace(r#""horizon":"1h""#, r#""horizon":"2h""#);
    assert!(read(&edited).unwrap_err().contains("fingerprint"));
    let negative = text.replace(r#"[1,false,1000000,250000"#, r#"[1,false,1000000,-5"#);
    assert!(read(&negative).is_err());
    let beyond = text.replace(
        r#"[1,false,1000000,250000"#,
        r#"[1,false,1000000,99999999999999"#,
    );
    assert!(
        read(&beyond).unwrap_err().contains("horizon"),
        "{:?}",
        read(&beyond)
    );
    let usd = text.replace(r#",0.5,"000000000000abc1""#, r#",1e308,"000000000000abc1""#);
    assert!(read(&usd).is_ok(), "a large but finite cost is possible");
    let nan_like = text.replace(r#",0.5,"000000000000abc1""#, r#",-1,"000000000000abc1""#);
    assert!(read(&nan_like).unwrap_err().contains("recovery cost"));
    let shard = file(Some((1, 2)), 5..10)
        .to_json()
        .replace(r#""shard":[1,2]"#, r#""shard":[7,3]"#);
    assert!(read(&shard).unwrap_err().contains("7/3"));
    let runs = text.replace(r#""runs":10"#, r#""runs":5000000000"#);
    assert!(read(&runs).unwrap_err().contains("5000000000"));
    let order = text.replace("[2,false,2000000", "[20,false,2000000");
    assert!(read(&order).unwrap_err().contains("in order"));
    assert!(
        read(r#"{"format":"drsim-sweep/9"}"#)
            .unwrap_err()
            .contains("drsim-sweep/9")
    );
}

#[test]
fn merge_is_exact_and_refuses_overlaps_and_gaps() {
    let whole = file(None, 0..10);
    let parts = [
        ("a".to_string(), file(Some((1, 2)), 5..10)),
        ("b".to_string(), file(Some((0, 2)), 0..5)),
    ];
    assert_eq!(merge(&parts).unwrap(), whole);
    assert_eq!(merge(&parts).unwrap().to_json(), whole.to_json());
    let overlap = [
        ("a".to_string(), file(Some((0, 2)), 0..6)),
        ("b".to_string(), file(Some((1, 2)), 5..10)),
    ];
    assert!(merge(&overlap).unwrap_err().0.contains("overlap"));
    let gap = [
        ("a".to_string(), file(Some((0, 2)), 0..4)),
        ("b".to_string(), file(Some((1, 2)), 5..10)),
    ];
    assert!(merge(&gap).unwrap_err().0.contains("missing"));
    let mut other = file(Some((1, 2)), 5..10);
    other.seed = 2;
    assert!(
        merge(&[
            ("a".to_string(), file(Some((0, 2)), 0..5)),
            ("b".to_string(), other)
        ])
        .unwrap_err()
        .0
        .contains("another sweep")
    );
}

#[test]
fn merging_a_huge_declared_sweep_costs_what_its_shards_hold() {
    // A shard of a five-billion-run sweep: merging it with nothing else reports the gap at once, without
    // allocating anything by the run count (this aborted with a 68 GB allocation before).
    let mut shard = file(Some((0, 1_000_000_000)), 0..5);
    shard.runs = 5_000_000_000;
    let err = merge(&[("a".to_string(), shard)]).unwrap_err().0;
    assert!(err.contains("4999999995 replications are missing"), "{err}");
}
