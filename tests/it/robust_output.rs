//! No half-written output: a Ctrl-C (SIGINT) during a long `compare --html FILE` or `sweep --out FILE`
//! exits 130 and leaves neither FILE nor a temporary `.FILE.drsim-*.tmp` behind; a write that completes is
//! whole and parseable.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::drsim;
use crate::robust_input::scratch;

/// Files in `dir` (names), sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// Starts `drsim args` (a run long enough to be interrupted), sends SIGINT after it has started working,
/// and returns its exit code and stderr.
fn interrupt(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drsim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("drsim starts");
    // Long enough to be past start-up and inside the sweep; the run itself takes minutes.
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        child.try_wait().unwrap().is_none(),
        "drsim {args:?} ended before it could be interrupted; make the run longer"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let started = Instant::now();
    let out = loop {
        if child.try_wait().unwrap().is_some() {
            break child.wait_with_output().unwrap();
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("drsim {args:?} did not stop within 20 s of SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Interrupts `drsim args FILE` (FILE in a fresh directory) and checks exit 130 and an empty directory.
fn check_interrupted(test: &str, file: &str, args: &[&str]) {
    let dir = scratch(test);
    let target = dir.join(file).display().to_string();
    let mut args = args.to_vec();
    args.push(&target);
    let (code, stderr) = interrupt(&args);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        listing(&dir),
        Vec::<String>::new(),
        "left behind in {}",
        dir.display()
    );
}

#[test]
fn sigint_during_compare_html_leaves_nothing_and_exits_130() {
    let long = ["--runs", "2000000", "--threads", "1", "--html"];
    let args = [&["compare", "backup-restore", "pilot-light"][..], &long].concat();
    check_interrupted("output-sigint-compare", "report.html", &args);
}

#[test]
fn sigint_during_sweep_out_leaves_nothing_and_exits_130() {
    let args = [
        "sweep",
        "pilot-light",
        "--runs",
        "2000000",
        "--threads",
        "1",
        "--out",
    ];
    check_interrupted("output-sigint-sweep", "results.json", &args);
}

#[test]
fn completed_writes_are_whole_and_parseable() {
    let dir = scratch("output-complete");
    let (json, html) = (dir.join("r.json"), dir.join("r.html"));
    let out = drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "4",
        "--out",
        &json.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&json).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).expect("whole JSON");
    assert!(value.is_object());
    let out = drsim(&[
        "compare",
        "securecart-multi-az",
        "securecart-pitr",
        "--runs",
        "2",
        "--html",
        &html.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.trim_end().ends_with("</html>"), "truncated HTML");
    assert_eq!(listing(&dir), ["r.html", "r.json"], "temporary files left");
}
