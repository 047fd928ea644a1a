//! `drsim list`, `--help` everywhere, and usage errors.

use crate::{drsim, fails, ok};

const BUILTINS: [&str; 19] = [
    "backup-restore",
    "pilot-light",
    "warm-standby",
    "multi-site",
    "unishop-backup-restore",
    "unishop-hot-standby",
    "securecart-multi-az",
    "securecart-read-replica",
    "securecart-pitr",
    "securecart-aurora-global",
    "securecart-dynamodb-global",
    "onprem-snowball",
    "onprem-datasync-glacier",
    "onprem-dms-pilot-light",
    "onprem-tape-offsite",
    "onprem-tape-gateway",
    "warm-standby-failback",
    "warm-standby-failback-planned",
    "arc-failover",
];

#[test]
fn lists_the_builtins_with_a_description() {
    let text = ok(&drsim(&["list"]));
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(names, BUILTINS, "{text}");
    // The base the four strategies extend is not a scenario to run.
    assert!(!text.contains("reference-app"), "{text}");
    for line in text.lines() {
        assert!(
            line.split_whitespace().count() > 3,
            "no description: {line}"
        );
    }
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for cmd in [
        "list",
        "validate",
        "run",
        "sweep",
        "merge",
        "compare",
        "replay",
        "report",
        "check",
        "demo",
        "completions",
    ] {
        let text = ok(&drsim(&[cmd, "--help"]));
        assert!(
            text.contains("Example"),
            "{cmd} --help has no example:\n{text}"
        );
        assert!(text.contains("drsim "), "{cmd} --help example:\n{text}");
    }
    let top = ok(&drsim(&["--help"]));
    assert!(
        top.contains("Examples:") && top.contains("drsim check"),
        "{top}"
    );
}

#[test]
fn usage_errors_exit_2_and_read_like_every_other_error() {
    for args in [
        &["nonsense"][..],
        &["run"],
        &["sweep", "pilot-light", "--runs", "many"],
        &["sweep", "pilot-light", "--threads", "0"],
        &["sweep", "pilot-light", "--threads", "100000"],
        &["compare", "pilot-light"],
        &["report", "x.json"],
        &["sweep", "pilot-light", "--shard", "0/2", "--shards", "2"],
    ] {
        let err = fails(&drsim(args), 2);
        assert!(
            err.contains("Usage:") || err.contains("--help"),
            "{args:?}: {err}"
        );
    }
}
