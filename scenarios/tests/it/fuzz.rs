//! The fuzz harness that runs in CI: random and structure-aware mutated inputs through the same entry
//! points the `cargo fuzz` targets use (`fuzz/`), asserting only that nothing panics and that whatever
//! validates also builds and runs. `DRSIM_FUZZ_CASES` sets the case count (default 256); see
//! `docs/fuzzing.md` for long sessions and for turning a finding into a regression test.

use std::str::FromStr;

use proptest::prelude::*;
use sim_core::SimDuration;
use sim_core::budget::Budget;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

/// The seed corpus: every built-in scenario, then the hand-made bad inputs in `tests/fuzz-corpus/`.
fn corpus() -> Vec<String> {
    let mut texts: Vec<String> = scenarios::BUILTINS
        .iter()
        .map(|&(_, t)| t.to_string())
        .collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    texts.extend(files.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    texts
}

/// Values that have broken parsers and validators elsewhere: signs, extremes, NaN, overflow, odd units.
const INTERESTING: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-0.0",
    "NaN",
    "inf",
    "18446744073709551616",
    "4294967296",
    "65536",
    "\"0s\"",
    "\"1000000w\"",
    "\"99999999999999999999w\"",
    "\"1us\"",
    "\"\"",
    "\"-5m\"",
    "2.0",
    "Fixed(\"0s\")",
    "Uniform(\"2h\", \"1h\")",
    "LogNormal(\"0s\", \"0s\")",
    "[]",
    "{}",
    "()",
    "\"us-east-1\"",
    "\"nowhere\"",
    "true",
    "None",
    "Some(\"x\")",
];

/// Plausible numbers and durations: edits with these mostly still validate, so they reach the world.
const NUMBERS: &[&str] = &[
    "0", "1", "2", "3", "7", "10", "100", "0.5", "0.99", "1000000",
];
const DURATIONS: &[&str] = &[
    "\"0s\"", "\"1s\"", "\"30s\"", "\"5m\"", "\"1h\"", "\"12h\"", "\"3d\"", "\"400d\"",
];

/// One structure-aware edit of a RON text: tokens, not bytes, so most mutants still parse and reach the
/// validator and the world.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace the `n`th number with a plausible one.
    Number(usize, usize),
    /// Replace the `n`th quoted duration with a plausible one.
    Duration(usize, usize),
    /// Replace the `n`th number, quoted string or identifier with an interesting value.
    Replace(usize, usize),
    /// Swap the `n`th quoted string for the `m`th (a name pointing at another kind of thing, a cycle).
    Swap(usize, usize),
    /// Delete the `n`th token.
    Delete(usize),
    /// Duplicate the `n`th line.
    DuplicateLine(usize),
    /// Cut the text at a fraction (per mille) of its length.
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), 0..NUMBERS.len()).prop_map(|(n, v)| Edit::Number(n, v)),
        3 => (any::<usize>(), 0..DURATIONS.len()).prop_map(|(n, v)| Edit::Duration(n, v)),
        1 => (any::<usize>(), 0..INTERESTING.len()).prop_map(|(n, v)| Edit::Replace(n, v)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(n, m)| Edit::Swap(n, m)),
        1 => any::<usize>().prop_map(Edit::Delete),
        1 => any::<usize>().prop_map(Edit::DuplicateLine),
        1 => (0usize..1000).prop_map(Edit::Truncate),
    ]
}

/// Byte ranges of the tokens worth mutating: numbers, quoted strings, identifiers.
fn tokens(text: &str) -> Vec<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += 1;
            }
            i = (i + 1).min(bytes.len());
            out.push((start, i, true));
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b'_' | b'.'))
            {
                i += 1;
            }
            out.push((start, i, false));
        } else {
            i += 1;
        }
    }
    out
}

/// `text` with `edit` applied (unchanged when the edit does not apply).
fn mutate(text: &str, edit: &Edit) -> String {
    let toks = tokens(text);
    let quoted: Vec<_> = toks.iter().filter(|t| t.2).collect();
    let numbers: Vec<_> = toks
        .iter()
        .filter(|t| !t.2 && text[t.0..t.1].parse::<f64>().is_ok())
        .collect();
    let durations: Vec<_> = quoted
        .iter()
        .filter(|t| t.1 - t.0 >= 2 && text[t.0 + 1..t.1 - 1].parse::<SimDuration>().is_ok())
        .collect();
    let splice = |(a, b): (usize, usize), with: &str| format!("{}{with}{}", &text[..a], &text[b..]);
    match *edit {
        Edit::Number(n, v) if !numbers.is_empty() => {
            let (a, b, _) = *numbers[n % numbers.len()];
            splice((a, b), NUMBERS[v])
        }
        Edit::Duration(n, v) if !durations.is_empty() => {
            let (a, b, _) = **durations[n % durations.len()];
            splice((a, b), DURATIONS[v])
        }
        Edit::Replace(n, v) if !toks.is_empty() => {
            let (a, b, _) = toks[n % toks.len()];
            splice((a, b), INTERESTING[v])
        }
        Edit::Swap(n, m) if !quoted.is_empty() => {
            let (a, b, _) = *quoted[n % quoted.len()];
            let (c, d, _) = *quoted[m % quoted.len()];
            splice((a, b), &text[c..d])
        }
        Edit::Delete(n) if !toks.is_empty() => {
            let (a, b, _) = toks[n % toks.len()];
            splice((a, b), "")
        }
        Edit::DuplicateLine(n) => {
            let lines: Vec<&str> = text.lines().collect();
            let k = n % lines.len().max(1);
            let mut out: Vec<&str> = lines.clone();
            if let Some(&line) = lines.get(k) {
                out.insert(k, line);
            }
            out.join("\n")
        }
        Edit::Truncate(per_mille) => {
            let mut cut = text.len() * per_mille / 1000;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        _ => text.to_string(),
    }
}

/// Loads `text`; if it validates, builds and runs it briefly. Panics are the only failure.
pub fn load_and_run(text: &str) {
    if let Ok(scenario) = scenarios::load_text("fuzz.ron", text) {
        short_run(scenario);
    }
}

/// One replication with the horizon capped at a day: whatever validates must also build and run (an
/// event limit is an answer too; a panic is not).
fn short_run(mut scenario: Scenario) {
    scenario.horizon = scenario.horizon.min(SimDuration::from_hours(24));
    let _ = run_replication(&scenario, scenario.seed, 0, None);
}

proptest! {
    #![proptest_config(crate::cases("DRSIM_FUZZ_CASES", 256))]

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_and_run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn ron_shaped_noise_never_panics_the_loader(text in "[()\\[\\]{}:,\"a-z0-9_. -]{0,200}") {
        load_and_run(&text);
    }

    #[test]
    fn mutated_corpus_never_panics_and_what_validates_runs(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..3),
    ) {
        let corpus = corpus();
        let mut text = corpus[pick % corpus.len()].clone();
        for e in &edits {
            text = mutate(&text, e);
        }
        load_and_run(&text);
    }

    #[test]
    fn budget_parser_never_panics(text in "(flow|store|[a-z.]{0,12})?\\.?(rto|rpo|[a-z]{0,4}):p?[0-9.]{0,6}(<=|<|=)?[0-9]{0,25}(us|ms|s|m|h|d|w|x)?") {
        let _ = Budget::from_str(&text);
    }

    #[test]
    fn budget_parser_never_panics_on_anything(text in "\\PC{0,40}") {
        let _ = Budget::from_str(&text);
    }

    #[test]
    fn set_never_panics_and_what_validates_runs(
        builtin in 0..scenarios::BUILTINS.len(),
        path in "(horizon|seed|name|measure\\.window|regions\\.0\\.name|flows\\.[0-9]\\.rate_per_s|flows\\.0\\.slo|disasters\\.0\\.onset|disasters\\.0\\.kind|resources\\.[a-z-]{1,10}\\.[a-z_]{1,10}|runbooks\\.0\\.states|[a-z_.0-9]{0,20})",
        value in 0..INTERESTING.len(),
    ) {
        let name = scenarios::BUILTINS[builtin].0;
        let assignment = format!("{path}={}", INTERESTING[value].trim_matches('"'));
        if let Ok(scenario) = scenarios::load(name, &[assignment]) {
            short_run(scenario);
        }
    }
}

#[test]
fn the_mutator_keeps_most_mutants_parseable() {
    // A check on the harness itself: token edits, not byte noise, so the validator and the world are
    // exercised, not just the parser.
    let base = include_str!("../../securecart-multi-az.ron");
    let swapped = mutate(base, &Edit::Swap(3, 4));
    assert_ne!(swapped, base);
    assert!(mutate(base, &Edit::Truncate(500)).len() < base.len());
    assert!(tokens(base).len() > 50);
    assert_ne!(mutate(base, &Edit::Duration(0, 0)), base);
    assert_ne!(mutate(base, &Edit::Number(0, 9)), base);
}

/// Regression (found by the robustness work): layers of load balancers each targeting both of the next
/// layer's are loop-free but have 2^layers paths; flow evaluation memoises nodes, so 24 layers run at once
/// (they took minutes per event before).
#[test]
fn routing_diamonds_evaluate_in_linear_time() {
    let layers = 24;
    let mut resources = vec![r#""web": Asg(region: "us-east-1", azs: ["us-east-1a", "us-east-1b"], desired: 2, min: 2, max: 2, needed: 2)"#.to_string()];
    for l in 0..layers {
        let next = if l == layers - 1 {
            r#"["web"]"#.to_string()
        } else {
            format!(r#"["alb-{}-a", "alb-{}-b"]"#, l + 1, l + 1)
        };
        for side in ["a", "b"] {
            resources.push(format!(
                r#""alb-{l}-{side}": Alb(region: "us-east-1", targets: {next})"#
            ));
        }
    }
    let text = format!(
        r#"(name: "diamond", horizon: "2h", regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"])],
            resources: {{ {} }}, flows: [(name: "f", kind: Read, rate_per_s: 1.0, entry: "alb-0-a")],
            disasters: [(name: "az", kind: AzOutage(az: "us-east-1a"), duration: Fixed("10m"))])"#,
        resources.join(",\n")
    );
    let scenario = scenarios::load_text("diamond.ron", &text).unwrap();
    let result = sim_core::sweep::run_replication(&scenario, 1, 0, None).unwrap();
    assert!(result.rto.is_some());
}

/// Regression (found by a long fuzz run): an Auto Scaling group with an enormous `desired` was accepted and
/// filled one instance at a time, recounting every AZ each time — quadratic in the group's size, so a run
/// never finished. Group sizes are bounded now, and filling is linear.
#[test]
fn huge_groups_are_refused_and_large_ones_fill_quickly() {
    let group = |desired: u32| {
        format!(
            r#"(name: "g", horizon: "1h", regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"])],
                resources: {{ "web": Asg(region: "us-east-1", azs: ["us-east-1a", "us-east-1b"], desired: {desired}, min: 0, max: {desired}, needed: 1) }},
                flows: [(name: "f", kind: Read, rate_per_s: 1.0, entry: "web")])"#
        )
    };
    let err = scenarios::load_text("huge.ron", &group(4_000_000_000))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("asg.max") && err.contains("at most 10000"),
        "{err}"
    );
    let big = scenarios::load_text("big.ron", &group(10_000)).unwrap();
    assert!(sim_core::sweep::run_replication(&big, 1, 0, None).is_ok());
}
