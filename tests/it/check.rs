//! `drsim check` (issue [budgets]): budgets from the command line and the scenario, holds / breached /
//! undecided with exit codes 0 / 1 / 1, bad input exit 2, baselines, JUnit that CI tools parse, Markdown,
//! and a breach that replays.

use crate::{arg, drsim, fails, ok, stderr, stdout, tmp};

/// Parses a JUnit file and checks the shape CI tools expect; returns `(tests, failures, failure messages)`.
fn junit(path: &str) -> (usize, usize, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("JUnit is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.tag_name().name(), "testsuite");
    assert!(suite.attribute("name").unwrap().starts_with("drsim check "));
    let cases: Vec<_> = suite.children().filter(|n| n.is_element()).collect();
    assert!(cases.iter().all(|c| c.tag_name().name() == "testcase"));
    assert!(
        cases
            .iter()
            .all(|c| c.attribute("name").is_some() && c.attribute("classname").is_some())
    );
    let messages: Vec<String> = cases
        .iter()
        .flat_map(|c| c.children().filter(|n| n.has_tag_name("failure")))
        .map(|f| {
            f.attribute("message")
                .expect("a failure has a message")
                .to_string()
        })
        .collect();
    let count = |node: roxmltree::Node<'_, '_>, attr: &str| -> usize {
        node.attribute(attr).unwrap().parse().unwrap()
    };
    for node in [root, suite] {
        assert_eq!(
            count(node, "tests"),
            cases.len(),
            "tests= on {}",
            node.tag_name().name()
        );
        assert_eq!(
            count(node, "failures"),
            messages.len(),
            "failures= on {}",
            node.tag_name().name()
        );
    }
    (cases.len(), messages.len(), messages)
}

#[test]
fn a_tight_budget_fails_with_a_junit_failure_and_markdown() {
    let dir = tmp();
    let (xml, md) = (arg(dir.path(), "drsim.xml"), arg(dir.path(), "drsim.md"));
    let res = drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "100",
        "--budget",
        "rto:p99<=1m",
        "--budget",
        "rpo:p50<=1h",
        "--junit",
        &xml,
        "--md",
        &md,
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    let text = stdout(&res);
    assert!(text.contains("FAIL  rto:p99<=1m is breached"), "{text}");
    assert!(text.contains("PASS  rpo:p50<=1h holds"), "{text}");
    assert!(
        text.contains("2 checks, 1 passed, 1 failed (100 runs of pilot-light, seed 1)"),
        "{text}"
    );
    let (tests, failures, messages) = junit(&xml);
    assert_eq!((tests, failures), (2, 1));
    assert!(
        messages[0].contains("rto:p99<=1m is breached"),
        "{messages:?}"
    );
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("| | check | result |"), "{md}");
    assert!(
        md.contains("| ❌ | `rto:p99<=1m` |") && md.contains("| ✅ | `rpo:p50<=1h` |"),
        "{md}"
    );
}

#[test]
fn a_loose_budget_passes() {
    let dir = tmp();
    let xml = arg(dir.path(), "drsim.xml");
    let text = ok(&drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "100",
        "--budget",
        "rto:p99<=1d",
        "--budget",
        "flow.checkout.rto:p90<=12h",
        "--budget",
        "store.app-db.rpo:p99<=1m",
        "--junit",
        &xml,
    ]));
    assert!(text.contains("3 checks, 3 passed, 0 failed"), "{text}");
    assert_eq!(junit(&xml), (3, 0, vec![]));
}

#[test]
fn malformed_and_impossible_budgets_are_input_errors() {
    for (budget, why) in [
        ("rto:p99<15m", "no `<=`"),
        ("rto:p0<=1m", "outside 0.1 to 100"),
        ("rto:p99.95<=1m", "more than one decimal"),
        ("lost_writes:p99<=1m", "whole number"),
        ("rto:p99<=soon", "bad budget"),
        ("latency:p99<=1s", "unknown metric"),
        ("flow.nope.rto:p50<=1s", "no flow \"nope\""),
        ("store.nope.rpo:p50<=1s", "no data store \"nope\""),
    ] {
        let err = fails(
            &drsim(&["check", "pilot-light", "--runs", "20", "--budget", budget]),
            2,
        );
        assert!(err.contains(why), "{budget}: {err}");
    }
    let err = fails(&drsim(&["check", "pilot-light", "--runs", "20"]), 2);
    assert!(err.contains("nothing to check"), "{err}");
    let err = fails(
        &drsim(&[
            "check",
            "pilot-light",
            "--runs",
            "20",
            "--budget",
            "rto:p99<=1d",
            "--max-regression",
            "ten",
        ]),
        2,
    );
    assert!(err.contains("--max-regression"), "{err}");
}

#[test]
fn budgets_in_the_scenario_file_are_checked() {
    let dir = tmp();
    let path = arg(dir.path(), "my-app.ron");
    std::fs::write(
        &path,
        r#"(
    extends: "pilot-light",
    name: "my-app",
    budgets: [(metric: Rto, percentile: 99, max: "15m")],
)
"#,
    )
    .unwrap();
    let res = drsim(&["check", &path, "--runs", "100"]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    let text = stdout(&res);
    assert!(text.contains("FAIL  rto:p99<=15m is breached"), "{text}");
    assert!(
        text.contains("1 checks, 0 passed, 1 failed (100 runs of my-app"),
        "{text}"
    );
    // A command-line budget is added to the scenario's.
    let res = drsim(&["check", &path, "--runs", "100", "--budget", "rpo:p50<=1h"]);
    assert!(
        stdout(&res).contains("2 checks, 1 passed, 1 failed"),
        "{}",
        stdout(&res)
    );
}

#[test]
fn too_few_runs_is_undecided_with_a_run_estimate() {
    // pilot-light's RTO p50 over 50 runs is about 24 minutes, with an interval of several minutes.
    let res = drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "50",
        "--budget",
        "rto:p50<=24m",
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    let text = stdout(&res);
    assert!(text.contains("FAIL  rto:p50<=24m is undecided"), "{text}");
    let runs: u64 = text
        .split("about ")
        .nth(1)
        .and_then(|t| t.split(" runs would decide it").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no run estimate: {text}"));
    assert!(runs > 50, "{text}");
}

/// Splits a POSIX shell command as `quote` in the CLI writes it (plain words and '...' words).
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            '\\' if !quoted => word.extend(chars.next()),
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

/// The replay command in a breach message.
fn replay_command(text: &str) -> Vec<String> {
    let start = text.find("`drsim replay ").expect("a replay command") + 1;
    let end = start + text[start..].find('`').unwrap();
    shell_words(&text[start..end])
}

fn rto_line(replay: &str) -> String {
    replay
        .lines()
        .find(|l| l.trim_start().starts_with("RTO "))
        .unwrap_or_else(|| panic!("no RTO line: {replay}"))
        .to_string()
}

#[test]
fn a_breach_names_a_replication_that_replays_the_breach() {
    let dir = tmp();
    let path = arg(dir.path(), "my app.ron");
    std::fs::write(&path, "(extends: \"pilot-light\", name: \"my-app\")\n").unwrap();
    let set =
        r#"runbooks.fail-over-to-us-west-2.states.page.action.ack={"LogNormal":["20m","60m"]}"#;
    let res = drsim(&[
        "check",
        &path,
        "--runs",
        "60",
        "--seed",
        "4",
        "--set",
        set,
        "--budget",
        "rto:p99<=30m",
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    let text = stdout(&res);
    let words = replay_command(&text);
    assert_eq!(words[..3], ["drsim", "replay", path.as_str()], "{text}");
    assert!(
        words.windows(2).any(|w| w[0] == "--set" && w[1] == set),
        "{words:?}"
    );
    let r = words
        .iter()
        .position(|w| w == "--replication")
        .map(|i| words[i + 1].clone())
        .unwrap();
    // Run exactly the command the message gives.
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let replay = ok(&drsim(&args));
    // It is the same run as `run --replication R`, and that run breaches the 30-minute limit.
    let run = crate::ok_json(&drsim(&[
        "run",
        &path,
        "--seed",
        "4",
        "--set",
        set,
        "--replication",
        &r,
        "--json",
    ]));
    let rto = run["rto_s"].as_f64().map_or(f64::INFINITY, |s| s);
    assert!(rto > 30.0 * 60.0, "replication {r}: {run}");
    let text_run = ok(&drsim(&[
        "run",
        &path,
        "--seed",
        "4",
        "--set",
        set,
        "--replication",
        &r,
    ]));
    assert_eq!(rto_line(&replay), rto_line(&text_run));
}

#[test]
fn a_breach_under_a_chosen_disaster_replays_that_disaster() {
    let res = drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "30",
        "--disaster",
        "region-outage",
        "--budget",
        "rto:p50<=1m",
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    let words = replay_command(&stdout(&res));
    assert!(
        words
            .windows(2)
            .any(|w| w[0] == "--disaster" && w[1] == "region-outage"),
        "{words:?}"
    );
}

#[test]
fn a_baseline_catches_a_regression() {
    let dir = tmp();
    let base = arg(dir.path(), "base.json");
    ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        "100",
        "--out",
        &base,
    ]));
    // The same scenario is within any allowance.
    let text = ok(&drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "100",
        "--baseline",
        &base,
        "--max-regression",
        "10%",
    ]));
    assert!(text.contains("4 checks, 4 passed, 0 failed"), "{text}");
    assert!(
        text.contains("PASS  baseline rto p99: 1h 28m now vs 1h 28m before"),
        "{text}"
    );
    // Paging takes longer: RTO regresses beyond 10 %, RPO does not move.
    let slower =
        r#"runbooks.fail-over-to-us-west-2.states.page.action.ack={"LogNormal":["20m","60m"]}"#;
    let xml = arg(dir.path(), "j.xml");
    let now = arg(dir.path(), "now.json");
    let slower_check = |extra: &[&str]| {
        let args = [
            "check",
            "pilot-light",
            "--runs",
            "100",
            "--set",
            slower,
            "--baseline",
        ];
        drsim(&[&args[..], extra].concat())
    };
    let res = slower_check(&[
        &base,
        "--max-regression",
        "10%",
        "--junit",
        &xml,
        "--out",
        &now,
    ]);
    assert_eq!(res.status.code(), Some(1), "{}", stderr(&res));
    let text = stdout(&res);
    assert!(
        text.contains("FAIL  baseline rto p50:")
            && text.contains("regressed beyond the allowed 10 %"),
        "{text}"
    );
    assert!(text.contains("PASS  baseline rpo p50:"), "{text}");
    let (_, failures, _) = junit(&xml);
    assert_eq!(failures, 2);
    // A large enough allowance lets the same change pass; the --out file is the next baseline.
    ok(&slower_check(&[&base, "--max-regression", "200%"]));
    ok(&slower_check(&[&now]));
}

#[test]
fn a_shard_is_not_a_baseline() {
    let dir = tmp();
    let shard = arg(dir.path(), "s.json");
    ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        "40",
        "--shard",
        "1/2",
        "--out",
        &shard,
    ]));
    let err = fails(
        &drsim(&["check", "pilot-light", "--runs", "40", "--baseline", &shard]),
        2,
    );
    assert!(err.contains("shard 1/2"), "{err}");
}

#[test]
fn an_unwritable_report_fails_before_the_sweep_and_leaves_nothing() {
    let dir = tmp();
    let xml = arg(dir.path(), "missing/drsim.xml");
    let res = drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "50",
        "--budget",
        "rto:p99<=1d",
        "--junit",
        &xml,
    ]);
    // Exit 3, "could not write output": not 1, which for `check` means a breached budget.
    let err = fails(&res, 3);
    assert!(err.contains("does not exist"), "{err}");
    assert!(stdout(&res).is_empty(), "the check ran: {}", stdout(&res));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_baseline_from_another_scenario_is_refused() {
    let dir = std::env::temp_dir().join(format!("drsim-foreign-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = dir.join("base.json");
    let out = crate::drsim(&[
        "sweep",
        "multi-site",
        "--runs",
        "20",
        "--out",
        base.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let out = crate::drsim(&[
        "check",
        "pilot-light",
        "--runs",
        "20",
        "--baseline",
        base.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not \"pilot-light\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_baseline_with_nothing_to_compare_is_refused() {
    // Finding: a baseline with no samples, or with only runs that never recovered, made every regression
    // check pass.
    let dir = tmp();
    let base = arg(dir.path(), "base.json");
    ok(&drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "10",
        "--out",
        &base,
    ]));
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let check = |path: &str| {
        drsim(&[
            "check",
            "securecart-multi-az",
            "--runs",
            "10",
            "--baseline",
            path,
        ])
    };
    let unrecovered = arg(dir.path(), "unrecovered.json");
    // A row is [replication, no_disaster, rto_us, …]: null is "not recovered".
    for sample in file["samples"].as_array_mut().unwrap() {
        sample[2] = serde_json::Value::Null;
    }
    std::fs::write(&unrecovered, file.to_string()).unwrap();
    let err = fails(&check(&unrecovered), 2);
    assert!(
        err.contains(&unrecovered) && err.contains("no run") && err.contains("recovered"),
        "{err}"
    );
    let empty = arg(dir.path(), "empty.json");
    file["samples"] = serde_json::json!([]);
    std::fs::write(&empty, file.to_string()).unwrap();
    let err = fails(&check(&empty), 2);
    assert!(err.contains(&empty) && err.contains("no samples"), "{err}");
    // The untouched baseline still works.
    ok(&check(&base));
}
