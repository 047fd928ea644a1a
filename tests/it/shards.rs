//! Sharding: `sweep --shard K/N --out F` on N machines, `drsim merge` into exactly the unsharded result,
//! the shard index from batch systems' environment variables, and the merge's refusals.

use std::path::Path;

use crate::{arg, drsim, drsim_env, fails, ok, tmp};

const RUNS: &str = "120";

fn shard(dir: &Path, k: u64, extra: &[&str]) -> String {
    let out = arg(dir, &format!("shard-{k}.json"));
    let spec = format!("{k}/4");
    let mut args = vec![
        "sweep",
        "pilot-light",
        "--runs",
        RUNS,
        "--shard",
        &spec,
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    let res = drsim(&args);
    let err = crate::stderr(&res);
    ok(&res);
    assert!(err.contains(&format!("shard {k}/4")), "{err}");
    out
}

#[test]
fn four_merged_shards_are_byte_identical_to_one_sweep() {
    let dir = tmp();
    let whole = ok(&drsim(&["sweep", "pilot-light", "--runs", RUNS, "--json"]));
    let files: Vec<String> = (0..4).map(|k| shard(dir.path(), k, &[])).collect();
    // Order does not matter.
    let mut args = vec!["merge", "--json"];
    args.extend(files.iter().rev().map(String::as_str));
    assert_eq!(ok(&drsim(&args)), whole);
    // The merged results file equals the unsharded results file.
    let (merged, single) = (
        arg(dir.path(), "merged.json"),
        arg(dir.path(), "single.json"),
    );
    let mut args = vec!["merge", "--out", &merged];
    args.extend(files.iter().map(String::as_str));
    ok(&drsim(&args));
    ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        RUNS,
        "--out",
        &single,
    ]));
    assert_eq!(
        std::fs::read(&merged).unwrap(),
        std::fs::read(&single).unwrap()
    );
}

#[test]
fn missing_overlapping_and_foreign_shards_do_not_merge() {
    let dir = tmp();
    let files: Vec<String> = (0..4).map(|k| shard(dir.path(), k, &[])).collect();
    let f: Vec<&str> = files.iter().map(String::as_str).collect();
    let err = fails(&drsim(&["merge", f[0], f[1], f[3]]), 2);
    assert!(
        err.contains("30 replications are missing (the first is 60)"),
        "{err}"
    );
    // Shard 0 of 2 covers shards 0 and 1 of 4.
    let half = arg(dir.path(), "half.json");
    ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        RUNS,
        "--shard",
        "0/2",
        "--out",
        &half,
    ]));
    let err = fails(&drsim(&["merge", &half, f[1], f[2], f[3]]), 2);
    assert!(err.contains("overlap"), "{err}");
    // Exactly covering with mixed shard counts is fine: the merge is by replication.
    ok(&drsim(&["merge", &half, f[2], f[3]]));
    // Another seed, another scenario, another --set, another --disaster.
    for (name, extra) in [
        ("seed", vec!["--seed", "9"]),
        ("set", vec!["--set", "flows.checkout.rate_per_s=20"]),
    ] {
        let other = arg(dir.path(), &format!("other-{name}.json"));
        let mut args = vec![
            "sweep",
            "pilot-light",
            "--runs",
            RUNS,
            "--shard",
            "3/4",
            "--out",
        ];
        args.push(&other);
        args.extend(extra);
        ok(&drsim(&args));
        let err = fails(&drsim(&["merge", f[0], f[1], f[2], &other]), 2);
        assert!(err.contains("another sweep"), "{name}: {err}");
    }
    let other = arg(dir.path(), "other-scenario.json");
    ok(&drsim(&[
        "sweep",
        "warm-standby",
        "--runs",
        RUNS,
        "--shard",
        "3/4",
        "--out",
        &other,
    ]));
    let err = fails(&drsim(&["merge", f[0], f[1], f[2], &other]), 2);
    assert!(err.contains("warm-standby"), "{err}");
}

#[test]
fn shards_of_different_disasters_do_not_merge() {
    let dir = tmp();
    let a = arg(dir.path(), "a.json");
    let b = arg(dir.path(), "b.json");
    let base = ["sweep", "unishop-hot-standby", "--runs", "20", "--out"];
    ok(&drsim(&[&base[..], &[&a, "--shard", "0/2"]].concat()));
    ok(&drsim(
        &[&base[..], &[&b, "--shard", "1/2", "--disaster", "ui-403"]].concat(),
    ));
    let err = fails(&drsim(&["merge", &a, &b]), 2);
    assert!(err.contains("another sweep"), "{err}");
}

#[test]
fn the_shard_index_comes_from_the_batch_system() {
    let dir = tmp();
    let expected = std::fs::read(shard(dir.path(), 2, &[])).unwrap();
    for (i, env) in [
        vec![("JOB_COMPLETION_INDEX", "2")],
        vec![("AWS_BATCH_JOB_ARRAY_INDEX", "2")],
        vec![("SLURM_ARRAY_TASK_ID", "2")],
        // `sbatch --array=1-4`: Slurm counts from the array's first index.
        vec![("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1")],
    ]
    .into_iter()
    .enumerate()
    {
        let out = arg(dir.path(), &format!("env-{i}.json"));
        let res = drsim_env(
            &[
                "sweep",
                "pilot-light",
                "--runs",
                RUNS,
                "--shards",
                "4",
                "--out",
                &out,
            ],
            &env,
        );
        ok(&res);
        assert_eq!(std::fs::read(&out).unwrap(), expected, "{env:?}");
    }
}

#[test]
fn bad_shard_specs_are_input_errors() {
    let dir = tmp();
    let out = arg(dir.path(), "x.json");
    let sweep = ["sweep", "pilot-light", "--runs", RUNS, "--out", &out];
    let err = fails(&drsim(&[&sweep[..], &["--shard", "4/4"]].concat()), 2);
    assert!(
        err.contains("shard index 4 must be below the shard count 4"),
        "{err}"
    );
    for bad in ["3", "a/4", "1/0", "-1/4"] {
        fails(&drsim(&[&sweep[..], &["--shard", bad]].concat()), 2);
    }
    let err = fails(&drsim(&[&sweep[..], &["--shards", "4"]].concat()), 2);
    assert!(err.contains("JOB_COMPLETION_INDEX"), "{err}");
    let err = fails(
        &drsim_env(
            &[&sweep[..], &["--shards", "4"]].concat(),
            &[("JOB_COMPLETION_INDEX", "7")],
        ),
        2,
    );
    assert!(err.contains("JOB_COMPLETION_INDEX"), "{err}");
    let err = fails(
        &drsim(&["sweep", "pilot-light", "--runs", RUNS, "--shard", "1/4"]),
        2,
    );
    assert!(err.contains("--out"), "{err}");
    assert!(!Path::new(&out).exists());
}

#[test]
fn merge_refuses_what_is_not_a_results_file() {
    let dir = tmp();
    let junk = arg(dir.path(), "junk.json");
    std::fs::write(&junk, "{\"runs\": 3}").unwrap();
    let err = fails(&drsim(&["merge", &junk]), 2);
    assert!(err.contains("not a drsim results file"), "{err}");
    let err = fails(&drsim(&["merge", &arg(dir.path(), "absent.json")]), 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn a_shard_refuses_summary_flags() {
    let out = crate::drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        "10",
        "--shard",
        "0/2",
        "--json",
        "--out",
        "/tmp/drsim-never-written.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("drsim merge"));
    assert!(!std::path::Path::new("/tmp/drsim-never-written.json").exists());
}
