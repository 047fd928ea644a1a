//! Loading: built-ins, files, `extends`, `--set`, and errors that name file, line and column.

use crate::load;

fn error(text: &str) -> String {
    scenarios::load_text("bad.ron", text)
        .unwrap_err()
        .to_string()
}

#[test]
fn every_builtin_loads_and_validates() {
    let names = scenarios::builtin_names();
    assert_eq!(names.len(), 19);
    for name in names {
        let sc = load(name, &[]);
        assert_eq!(sc.name, name);
        assert!(
            !sc.description.is_empty() && sc.course.is_some(),
            "{name} needs a description and a course reference"
        );
    }
}

#[test]
fn builtins_are_the_files_in_the_scenarios_folder() {
    for (name, text) in scenarios::BUILTINS {
        let path = format!("{}/{name}.ron", env!("CARGO_MANIFEST_DIR"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), *text, "{path}");
    }
}

#[test]
fn a_file_can_extend_a_builtin_and_set_overrides() {
    let dir = std::env::temp_dir().join(format!("drsim-extend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.ron");
    std::fs::write(
        &path,
        r#"(extends: "pilot-light", name: "mine", remove: ["browse"], horizon: "4d")"#,
    )
    .unwrap();
    let sc = load(path.to_str().unwrap(), &["flows.cart.rate_per_s=99"]);
    assert_eq!(sc.name, "mine");
    assert_eq!(sc.horizon.to_string(), "4d");
    assert!(sc.flows.iter().all(|f| f.name != "browse"));
    let rate = sc
        .flows
        .iter()
        .find(|f| f.name == "cart")
        .map(|f| f.rate_per_s);
    assert_eq!(rate.map(f64::to_bits), Some(99.0f64.to_bits()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn syntax_and_type_errors_name_the_line_and_column() {
    let e = error("(\n name: \"x\",\n horizon: \"-5m\",\n)");
    assert!(e.starts_with("bad.ron:3:") && e.contains("negative"), "{e}");
    let e =
        error("(name: \"x\", horizon: \"1h\", regions: [], resources: { \"db\": AuroraGlobl() })");
    assert!(
        e.contains("did you mean \"Aurora\"") || e.contains("valid:"),
        "{e}"
    );
    let e = error("(name: \"x\", horizn: \"1h\")");
    assert!(e.contains("did you mean \"horizon\"?"), "{e}");
}

#[test]
fn semantic_errors_name_the_offending_reference() {
    let e = error(
        r#"(name: "x", horizon: "1h", regions: [(name: "us-east-1", azs: ["us-east-1a"])],
           resources: { "web": Ec2(az: "us-east-1a") },
           flows: [(name: "f", kind: Read, rate_per_s: 1.0, entry: "webb")])"#,
    );
    assert!(
        e.contains("bad.ron:3:") && e.contains("\"webb\"") && e.contains("did you mean \"web\"?"),
        "{e}"
    );
}

#[test]
fn bad_set_overrides_are_refused_with_the_path() {
    let set = |s: &str| {
        scenarios::load("pilot-light", &[s.to_string()])
            .unwrap_err()
            .to_string()
    };
    assert!(set("horizn=1h").contains("did you mean `horizon`"));
    assert!(set("flows.nope.rate_per_s=1").contains("no item named `nope`"));
    assert!(set("flows.cart.rate_per_s=fast").contains("--set flows.cart.rate_per_s=fast"));
    assert!(set("no-equals-sign").contains("expected path=value"));
}

#[test]
fn unknown_scenario_names_suggest_a_builtin() {
    let e = scenarios::load("pilot-lite", &[]).unwrap_err().to_string();
    assert!(
        e.contains("did you mean the built-in \"pilot-light\"?"),
        "{e}"
    );
}

/// A small valid scenario around `resources` (a map literal) and `extra` top-level fields.
fn small(resources: &str, extra: &str) -> String {
    format!(
        r#"(name: "x", horizon: "1h", regions: [(name: "us-east-1", azs: ["us-east-1a"])],
           resources: {{ {resources} }}, {extra})"#
    )
}

#[test]
fn duplicate_keys_are_found_wherever_the_map_is_and_nowhere_else() {
    // Equal keys, however spelt: plain, escaped, raw; in nested maps (runbook states) too.
    for resources in [
        r#""a": Ec2(az: "us-east-1a"), "a": Ec2(az: "us-east-1a")"#,
        r#""a": Ec2(az: "us-east-1a"), "\u{61}": Ec2(az: "us-east-1a")"#,
        r##""a": Ec2(az: "us-east-1a"), r#"a"#: Ec2(az: "us-east-1a")"##,
    ] {
        let e = error(&small(resources, ""));
        assert!(
            e.contains("twice") && e.contains("bad.ron:2:") && e.contains("first at bad.ron:2:"),
            "{resources}: {e}"
        );
    }
    // Not keys: text in strings, comments (nested), char literals; equal keys in *different* maps.
    let tricky = r#""a": Ec2(az: "us-east-1a" /* "a": /* nested */ "a": */),
        // "b": Ec2(az: "us-east-1a"), "b": ...
        "b{": Ec2(az: "us-east-1a"), "c\"": Ec2(az: "us-east-1a"), "}c": Ec2(az: "us-east-1a")"#;
    let text = small(tricky, r#"prices: { "a": 1.0 }"#);
    let e = error(&text);
    assert!(!e.contains("twice"), "{e}");
}

#[test]
fn the_key_scan_is_bounded_on_hostile_text() {
    // A 4 MiB file of keys, and of brackets nested past the parser's limit: answered, never stuck.
    let keys: String = (0..200_000).map(|i| format!("\"k{i}\": 1, ")).collect();
    let e = error(&format!("(name: \"x\", prices: {{ {keys} \"k7\": 2 }})"));
    assert!(
        e.contains("\"k7\"") && e.contains("twice"),
        "{}",
        &e[..e.len().min(300)]
    );
    let quotes = format!("(name: r###\"{}\"###)", "\"#\"##".repeat(500_000));
    assert!(error(&quotes).contains("bad.ron"));
    assert!(error(&"{".repeat(1_000_000)).contains("bad.ron"));
}

#[test]
fn only_files_that_look_like_scenarios_are_quoted_in_errors() {
    // A scenario with a typo gets its token quoted and a suggestion; anything else is described, never
    // quoted: its first field is not a scenario field, or it is not a RON struct at all.
    let e =
        error("// a scenario\n#![enable(implicit_some)]\n(\n  name: \"x\",\n  horizn: \"1h\",\n)");
    assert!(e.contains("did you mean \"horizon\"?"), "{e}");
    let e = error("Scenario(name: 3)");
    assert!(e.contains("bad.ron:1:") && !e.contains("look like"), "{e}");
    for secret in [
        "s3cr3t",
        "(s3cr3t: 1)",
        "{\"s3cr3t\": 1}",
        "[\"s3cr3t\"]",
        "/* s3cr3t */ s3cr3t",
    ] {
        let e = error(secret);
        assert!(
            e.contains("bad.ron:1:")
                && e.contains("not look like a scenario")
                && !e.contains("s3cr3t"),
            "{secret}: {e}"
        );
    }
}

#[test]
fn a_problem_caused_by_a_set_is_blamed_on_the_set() {
    let e = scenarios::load(
        "securecart-multi-az",
        &["flows.catalog.store=nosuch".into()],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.lines()
            .all(|l| l.starts_with("--set flows.catalog.store=nosuch: "))
            && e.contains("flow \"catalog\" refers to a data store \"nosuch\""),
        "{e}"
    );
    // A set that only *names* the flow (its value is a number) still owns a problem it caused.
    let e = scenarios::load(
        "securecart-multi-az",
        &["flows.catalog.rate_per_s=-5".into()],
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("--set flows.catalog.rate_per_s=-5: "), "{e}");
}

/// A scenario text with `flows` and `runbooks` spliced in.
fn big(flows: &str, runbooks: &str) -> String {
    format!(
        r#"(name: "big", horizon: "1h", regions: [(name: "us-east-1", azs: ["us-east-1a"])],
            resources: {{ "fn": Lambda(region: "us-east-1") }}, flows: [{flows}], runbooks: [{runbooks}])"#
    )
}

#[test]
fn validating_many_missing_references_is_linear() {
    // Finding: a 4 MiB file with 53,000 flows naming missing entries did not finish validating in 60 s
    // (every issue rebuilt the list of names, searched every name for a suggestion and the whole text for
    // its position). Each issue is now located through a one-pass index, and suggestions are bounded.
    let flows: String = (0..53_000)
        .map(|i| format!(r#"(name: "f{i}", kind: Read, rate_per_s: 1, entry: "nosuch{i}"),"#))
        .collect();
    let text = big(&flows, "");
    assert!(text.len() < 4 << 20);
    let Err(scenarios::LoadError::Invalid(issues)) = scenarios::load_text("big.ron", &text) else {
        panic!("the missing entries are refused")
    };
    assert_eq!(issues.len(), 53_000);
    let last = issues.last().unwrap().to_string();
    assert!(
        last.contains("nosuch52999") && last.contains("big.ron:"),
        "{last}"
    );
}

#[test]
fn validating_a_runbook_of_seventy_thousand_states_is_linear() {
    // Finding: a 70,000-state runbook took 16 s to validate: each state reference was a linear search.
    let states: String = (0..70_000)
        .map(|i| {
            format!(
                r#""s{i}": Wait(duration: Fixed("1s"), next: "s{}"),"#,
                i + 1
            )
        })
        .collect();
    let runbook = format!(
        r#"(name: "long", trigger: Onset, start_at: "s0", states: {{ {states} "s70000": Succeed }})"#
    );
    let text = big(
        r#"(name: "api", kind: Read, rate_per_s: 1, entry: "fn")"#,
        &runbook,
    );
    let scenario = scenarios::load_text("big.ron", &text).expect("a long runbook is valid");
    assert_eq!(scenario.runbooks[0].states.len(), 70_001);
}
