//! No panics on user input: every malformed, hostile or nonsensical scenario file is refused by the real
//! binary with exit code 2 (never 101, a panic) and a message naming the file and, where there is one, the
//! line and column. Each case is one line through `refuse`.

use std::path::{Path, PathBuf};

use crate::drsim;

/// A self-contained built-in (no `extends`) to mutate.
const MULTI_AZ: &str = include_str!("../../scenarios/securecart-multi-az.ron");
/// A built-in with a runbook (it extends the built-in `reference-app`).
const PILOT_LIGHT: &str = include_str!("../../scenarios/pilot-light.ron");

/// A fresh directory for this test's files.
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("robust")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// `text` with `from` replaced by `to`, which must occur.
fn with(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the base text");
    text.replacen(from, to, 1)
}

/// Where stderr locates the error in `path`: `(line, col)` from `path:LINE:COL:`.
fn located(stderr: &str, path: &str) -> Option<(usize, usize)> {
    let rest = &stderr[stderr.find(&format!("{path}:"))? + path.len() + 1..];
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    Some((line, col))
}

/// Where the error must be reported.
#[derive(Clone, Copy, Debug)]
enum At {
    /// Anywhere in the file (no position is meaningful: empty, not UTF-8, too big).
    File,
    /// At this line (any column).
    Line(usize),
    /// At some line and column.
    Somewhere,
}

/// Runs `drsim validate PATH` (and `drsim run PATH`) and checks exit 2, the file (and position) named, and
/// every fragment of `expect` in the message.
fn refuse_file(path: &Path, at: At, expect: &[&str]) {
    let shown = path.display().to_string();
    for command in ["validate", "run"] {
        let out = drsim(&[command, &shown]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "drsim {command} {shown}: exit {:?}\n{stderr}",
            out.status.code()
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            stderr.contains(&shown),
            "the message names no file:\n{stderr}"
        );
        match (at, located(&stderr, &shown)) {
            (At::File, _) | (At::Somewhere, Some(_)) => {}
            (At::Line(line), Some((l, c))) => {
                assert_eq!(
                    l, line,
                    "reported at {l}:{c}, expected line {line}:\n{stderr}"
                )
            }
            (_, None) => panic!("no line:column for {shown}:\n{stderr}"),
        }
        for fragment in expect {
            assert!(
                stderr.contains(fragment),
                "missing {fragment:?} in:\n{stderr}"
            );
        }
    }
}

/// Writes `bytes` as `name` in a scratch directory and checks that it is refused.
fn refuse(name: &str, bytes: impl AsRef<[u8]>, at: At, expect: &[&str]) {
    let dir = scratch(&format!("input-{name}"));
    let path = dir.join(format!("{name}.ron"));
    std::fs::write(&path, bytes).unwrap();
    refuse_file(&path, at, expect);
}

#[test]
fn the_base_texts_are_valid() {
    // The mutations below are meaningful only if the unmutated texts load.
    let dir = scratch("input-bases");
    for (name, text) in [("multi-az", MULTI_AZ), ("pilot-light", PILOT_LIGHT)] {
        let path = dir.join(format!("{name}.ron"));
        std::fs::write(&path, text).unwrap();
        let out = drsim(&["validate", &path.display().to_string()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn empty_garbage_truncated_and_deep_files() {
    refuse("empty", "", At::File, &["file is empty"]);
    refuse("blank", " \n\t\n", At::File, &["file is empty"]);
    refuse(
        "binary",
        [0xff, 0xfe, 0x00, 0x9c, 0x80],
        At::File,
        &["not UTF-8"],
    );
    refuse("control", "\u{0}\u{1}\u{2}garbage", At::Line(1), &[]);
    refuse(
        "truncated",
        &MULTI_AZ[..MULTI_AZ.len() / 2],
        At::Somewhere,
        &[],
    );
    refuse(
        "unclosed",
        "(name: \"x\", horizon: \"1h\"",
        At::Somewhere,
        &[],
    );
    refuse("deep", "(".repeat(10_000), At::Somewhere, &[]);
    let deep_value = format!("(name: {}1{})", "[".repeat(10_000), "]".repeat(10_000));
    refuse("deep-value", deep_value, At::Somewhere, &[]);
    refuse("deep-lists", "[".repeat(10_000), At::Somewhere, &[]);
    refuse("not-a-struct", "42", At::Somewhere, &[]);
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let dir = scratch("input-huge");
    let path = dir.join("huge.ron");
    // Sparse: costs no disk and no time to create; the loader must look at its size, not read it.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 << 20).unwrap();
    drop(file);
    refuse_file(&path, At::File, &["52428800 bytes", "limited to"]);
}

#[test]
fn unknown_misspelt_and_mistyped_fields() {
    refuse(
        "misspelt",
        with(MULTI_AZ, "horizon:", "horizn:"),
        At::Line(9),
        &["did you mean \"horizon\""],
    );
    refuse(
        "unknown",
        with(MULTI_AZ, "horizon:", "colour: \"red\",\n    horizon:"),
        At::Line(9),
        &["unknown field"],
    );
    refuse(
        "variant",
        with(MULTI_AZ, "AzOutage(", "AzOutgae("),
        At::Line(21),
        &["did you mean \"AzOutage\""],
    );
    refuse(
        "type-rate",
        with(MULTI_AZ, "rate_per_s: 20.0", "rate_per_s: \"fast\""),
        At::Line(17),
        &[],
    );
    refuse(
        "type-seed",
        with(MULTI_AZ, "horizon:", "seed: \"one\",\n    horizon:"),
        At::Line(9),
        &[],
    );
    refuse(
        "type-horizon",
        with(MULTI_AZ, "horizon: \"3h\"", "horizon: 3"),
        At::Line(9),
        &[],
    );
    refuse(
        "bad-duration",
        with(MULTI_AZ, "horizon: \"3h\"", "horizon: \"3 fortnights\""),
        At::Line(9),
        &[],
    );
    refuse(
        "twice",
        with(MULTI_AZ, "horizon:", "horizon: \"1h\",\n    horizon:"),
        At::Somewhere,
        &["given twice"],
    );
}

#[test]
fn nan_negative_and_overflowing_numbers() {
    let checkout = "rate_per_s: 20.0, entry: \"alb\"";
    refuse(
        "negative-rate",
        with(MULTI_AZ, checkout, "rate_per_s: -1, entry: \"alb\""),
        At::Line(17),
        &["rate_per_s is -1"],
    );
    refuse(
        "nan-rate",
        with(MULTI_AZ, checkout, "rate_per_s: NaN, entry: \"alb\""),
        At::Line(17),
        &["rate_per_s is NaN"],
    );
    refuse(
        "inf-rate",
        with(MULTI_AZ, checkout, "rate_per_s: inf, entry: \"alb\""),
        At::Line(17),
        &["rate_per_s is inf"],
    );
    refuse(
        "slo",
        with(
            MULTI_AZ,
            checkout,
            "rate_per_s: 20.0, slo: 2.0, entry: \"alb\"",
        ),
        At::Line(17),
        &["slo is 2"],
    );
    refuse(
        "slo-zero",
        with(
            MULTI_AZ,
            checkout,
            "rate_per_s: 20.0, slo: 0.0, entry: \"alb\"",
        ),
        At::Line(17),
        &["slo is 0"],
    );
    refuse(
        "u64-overflow",
        with(
            MULTI_AZ,
            "horizon:",
            "seed: 18446744073709551616,\n    horizon:",
        ),
        At::Line(9),
        &[],
    );
    refuse(
        "negative-seed",
        with(MULTI_AZ, "horizon:", "seed: -1,\n    horizon:"),
        At::Line(9),
        &[],
    );
    refuse(
        "desired-overflow",
        with(MULTI_AZ, "desired: 3", "desired: 99999999999999999999"),
        At::Line(12),
        &[],
    );
    refuse(
        "desired-negative",
        with(MULTI_AZ, "desired: 3", "desired: -3"),
        At::Line(12),
        &[],
    );
}

#[test]
fn zero_absurd_and_overflowing_durations() {
    refuse(
        "horizon-zero",
        with(MULTI_AZ, "\"3h\"", "\"0s\""),
        At::Line(9),
        &["horizon is 0s"],
    );
    refuse(
        "horizon-million-weeks",
        with(MULTI_AZ, "\"3h\"", "\"1000000w\""),
        At::Line(9),
        &["longer than a year"],
    );
    refuse(
        "horizon-ten-years",
        with(MULTI_AZ, "\"3h\"", "\"3650d\""),
        At::Line(9),
        &["longer than a year"],
    );
    refuse(
        "horizon-overflow",
        with(MULTI_AZ, "\"3h\"", "\"99999999999999999999w\""),
        At::Line(9),
        &[],
    );
    // Past u64 microseconds: a parse error, not a wrap.
    refuse(
        "duration-overflow",
        with(MULTI_AZ, "Fixed(\"1h\")", "Fixed(\"40000000w\")"),
        At::Line(21),
        &[],
    );
    refuse(
        "onset-reversed",
        with(
            MULTI_AZ,
            "Uniform(\"30m\", \"90m\")",
            "Uniform(\"90m\", \"30m\")",
        ),
        At::Line(21),
        &["reversed"],
    );
}

#[test]
fn a_disaster_longer_than_time_itself_runs_and_never_heals() {
    // 30,000,000 weeks fits in u64 microseconds; onset + duration must saturate, not overflow.
    let dir = scratch("input-long-disaster");
    let path = dir.join("long.ron");
    std::fs::write(
        &path,
        with(MULTI_AZ, "Fixed(\"1h\")", "Fixed(\"30000000w\")"),
    )
    .unwrap();
    let out = drsim(&["run", &path.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn self_references_cycles_and_missing_targets() {
    // Finding: routing loops validated, and a run through one recursed with fan-out to the depth guard at
    // every event, never finishing. Now a topology error.
    refuse(
        "alb-self",
        with(MULTI_AZ, "targets: [\"web\"]", "targets: [\"alb\"]"),
        At::Line(13),
        &["routing loop: alb → alb"],
    );
    let fan_out_loop = with(
        &with(
            MULTI_AZ,
            "targets: [\"web\"]",
            "targets: [\"alb\", \"alb2\"]",
        ),
        "\"orders-db\":",
        "\"alb2\": Alb(region: \"us-east-1\", targets: [\"alb\", \"alb2\"]),\n        \"orders-db\":",
    );
    refuse(
        "alb-fan-out-loop",
        fan_out_loop,
        At::Somewhere,
        &["routing loop"],
    );
    let two_albs = with(
        &with(MULTI_AZ, "targets: [\"web\"]", "targets: [\"alb2\"]"),
        "\"orders-db\":",
        "\"alb2\": Alb(region: \"us-east-1\", targets: [\"alb\"]),\n        \"orders-db\":",
    );
    refuse(
        "alb-cycle",
        two_albs,
        At::Somewhere,
        &["routing loop", "alb2"],
    );
    refuse(
        "missing-target",
        with(MULTI_AZ, "targets: [\"web\"]", "targets: [\"wbe\"]"),
        At::Somewhere,
        &["did you mean \"web\""],
    );
    refuse(
        "missing-region",
        with(
            MULTI_AZ,
            "AzOutage(az: \"us-east-1a\")",
            "RegionOutage(region: \"eu-west-9\")",
        ),
        At::Line(21),
        &["eu-west-9"],
    );
    refuse(
        "missing-az",
        with(
            MULTI_AZ,
            "AzOutage(az: \"us-east-1a\")",
            "AzOutage(az: \"us-east-1z\")",
        ),
        At::Line(21),
        &["us-east-1z"],
    );
    refuse(
        "runbook-next",
        with(PILOT_LIGHT, "next: \"declare\"", "next: \"nowhere\""),
        At::Somewhere,
        &["nowhere"],
    );
    refuse(
        "runbook-start",
        with(PILOT_LIGHT, "start_at: \"page\"", "start_at: \"pgae\""),
        At::Somewhere,
        &["pgae"],
    );
}

#[test]
fn an_extends_cycle_is_refused() {
    let dir = scratch("input-extends-cycle");
    let (a, b) = (dir.join("a.ron"), dir.join("b.ron"));
    std::fs::write(&a, "(extends: \"b.ron\", name: \"a\")").unwrap();
    std::fs::write(&b, "(extends: \"a.ron\", name: \"b\")").unwrap();
    refuse_file(&a, At::File, &["extends"]);
    let own = dir.join("self.ron");
    std::fs::write(&own, "(extends: \"self.ron\")").unwrap();
    refuse_file(&own, At::File, &["extends"]);
}

#[test]
fn a_directory_or_a_missing_file_is_refused() {
    let dir = scratch("input-directory");
    let out = drsim(&["validate", &dir.display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&dir.display().to_string()), "{stderr}");
    let missing = dir.join("nope.ron").display().to_string();
    let out = drsim(&["run", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&missing));
}

#[test]
fn keys_and_names_given_twice_are_refused_with_both_positions() {
    // Finding: RON keeps the last of two equal map keys, silently; two disasters or runbooks of one name
    // were accepted. Both places are named.
    refuse(
        "dup-resource",
        with(
            MULTI_AZ,
            "        \"orders-db\":",
            "        \"alb\": Alb(region: \"us-east-1\", targets: [\"web\"]),\n        \"orders-db\":",
        ),
        At::Line(14),
        &[
            "\"alb\"",
            "twice",
            "`resources`",
            "first at",
            "dup-resource.ron:13:9",
        ],
    );
    refuse(
        "dup-state",
        with(
            PILOT_LIGHT,
            "            \"recover\":",
            "            \"declare\": Task(action: Decide(who: \"x\", delay: Fixed(\"1m\")), next: \"recover\"),\n            \"recover\":",
        ),
        At::Line(21),
        &["\"declare\"", "twice", "`states`", "dup-state.ron:20:13"],
    );
    refuse(
        "dup-price",
        with(
            MULTI_AZ,
            "    horizon:",
            "    prices: {\n        \"ec2/us-east-1/t3.micro\": 0.01,\n        // a comment with \"ec2/us-east-1/t3.micro\": 9\n        r#\"ec2/us-east-1/t3.micro\"#: 0.02,\n    },\n    horizon:",
        ),
        At::Line(12),
        &["twice", "`prices`", "dup-price.ron:10:9"],
    );
    refuse(
        "dup-disaster",
        with(
            MULTI_AZ,
            "    ],\n)",
            "        (name: \"az-outage\", kind: AzOutage(az: \"us-east-1b\"), onset: Uniform(\"30m\", \"90m\")),\n    ],\n)",
        ),
        At::Line(22),
        &["two disasters", "\"az-outage\"", "dup-disaster.ron:21:16"],
    );
    refuse(
        "dup-runbook",
        with(
            PILOT_LIGHT,
            "    )],\n)",
            "    ), (name: \"fail-over-to-us-west-2\", trigger: Onset, start_at: \"a\", states: { \"a\": Task(action: Page(who: \"x\", ack: Fixed(\"1m\"))) })],\n)",
        ),
        At::Line(26),
        &[
            "two runbooks",
            "\"fail-over-to-us-west-2\"",
            "dup-runbook.ron:15:15",
        ],
    );
}

#[test]
fn remove_without_extends_is_refused() {
    // Finding: `remove` in a file that extends nothing was silently ignored.
    refuse(
        "remove-alone",
        with(
            MULTI_AZ,
            "    horizon:",
            "    remove: [\"web\"],\n    horizon:",
        ),
        At::Line(9),
        &["`remove`", "extends"],
    );
}
