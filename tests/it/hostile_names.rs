//! Names are user input (issue [hardening]): a scenario, flow, resource or disaster name with terminal
//! escape sequences, C0/C1 controls or characters XML forbids must not drive the terminal, break a table or
//! make the JUnit report ill-formed. Controls print as escapes (`\x1b`), JUnit stays well-formed XML.

use crate::robust_input::scratch;
use crate::{drsim, fails, ok, stderr};

/// securecart-multi-az with hostile names: the scenario's (OSC title, U+FFFE, U+FFFF, BEL, C1 CSI), a
/// flow's, a resource's and the disaster's (SGR colour, NUL-free C0 controls, a right-to-left override).
fn hostile() -> String {
    include_str!("../../scenarios/securecart-multi-az.ron")
        .replacen(
            "name: \"securecart-multi-az\"",
            r#"name: "evil\u{1b}]0;pwned\u{7}\u{fffe}\u{ffff}\u{9b}31m""#,
            1,
        )
        .replace(
            "name: \"checkout\"",
            r#"name: "check\u{1b}[31mout\u{8}\u{202e}""#,
        )
        .replace("\"web\"", r#""web\u{1b}[2J""#)
        .replace("name: \"az-outage\"", r#"name: "az\u{1b}[5m\u{1}outage""#)
}

/// Bytes a terminal would act on: ESC, BEL, BS, C1 CSI (U+009B), and the right-to-left override.
fn assert_inert(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{8}', '\u{1}', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(bad),
            "{what} prints {bad:?} raw:\n{}",
            text.escape_debug()
        );
    }
}

#[test]
fn terminal_output_shows_controls_in_names_as_escapes() {
    let dir = scratch("names-terminal");
    let path = dir.join("hostile.ron");
    std::fs::write(&path, hostile()).unwrap();
    let file = path.display().to_string();
    for args in [
        vec!["validate", &file],
        vec!["run", &file],
        vec!["replay", &file],
        vec!["sweep", &file, "--runs", "3"],
        vec!["compare", &file, "securecart-pitr", "--runs", "3"],
        vec!["check", &file, "--runs", "3", "--budget", "rto:p99<=1d"],
    ] {
        let out = drsim(&args);
        let text = ok(&out);
        assert_inert(&format!("drsim {}", args[0]), &text);
        assert_inert(&format!("drsim {} (stderr)", args[0]), &stderr(&out));
    }
    let run = ok(&drsim(&["run", &file]));
    assert!(run.contains(r"evil\x1b]0;pwned\x07"), "{run}");
    assert!(run.contains(r"check\x1b[31mout"), "{run}");
    // Errors that list names escape them too.
    let err = fails(&drsim(&["run", &file, "--disaster", "nope"]), 2);
    assert_inert("an error", &err);
    assert!(err.contains(r"az\x1b[5m"), "{err}");
}

#[test]
fn junit_with_characters_xml_forbids_is_well_formed() {
    // Finding: a scenario name with U+FFFE made the JUnit report ill-formed XML.
    let dir = scratch("names-junit");
    let path = dir.join("hostile.ron");
    std::fs::write(&path, hostile()).unwrap();
    let (xml, md) = (dir.join("r.xml"), dir.join("r.md"));
    let out = drsim(&[
        "check",
        &path.display().to_string(),
        "--runs",
        "3",
        "--budget",
        "rto:p99<=1s",
        "--junit",
        &xml.display().to_string(),
        "--md",
        &md.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(&xml).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let name = suite.attribute("name").unwrap();
    // Shown, not dropped: a reader sees what the name really contains.
    assert!(
        name.contains(r"evil\x1b]0;pwned\x07\u{fffe}\u{ffff}"),
        "{name}"
    );
    assert_inert(
        "the Markdown summary",
        &std::fs::read_to_string(&md).unwrap(),
    );
}
