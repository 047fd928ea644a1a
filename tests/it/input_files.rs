//! Input files (issue [hardening]): results files (`merge`, `report`, `check --baseline`) and scenario
//! files (given, or reached through `extends`) must be regular files of bounded size. A FIFO, a device or a
//! directory is refused at once with exit 2 (never a hang, never an endless read), a huge file before it is
//! read, and a file that is not a scenario is never quoted back.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fails;
use crate::robust_input::scratch;

/// Runs drsim with `args` (optionally under `ulimit -v KIB`), failing the test if it takes over 60 s.
fn bounded(args: &[&str], ulimit_kib: Option<u64>) -> std::process::Output {
    let mut cmd = match ulimit_kib {
        Some(kib) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("ulimit -v {kib} && exec \"$0\" \"$@\"")])
                .arg(env!("CARGO_BIN_EXE_drsim"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_drsim")),
    };
    let mut child = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("drsim {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Expects exit 2 naming `path` and every fragment (within 4 GiB of address space: an endless read fails).
fn refused(args: &[&str], path: &str, expect: &[&str]) {
    let err = fails(&bounded(args, Some(4 << 20)), 2);
    assert!(err.contains(path), "the file is not named: {err}");
    for fragment in expect {
        assert!(err.contains(fragment), "missing {fragment:?} in: {err}");
    }
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_fifo_a_device_or_a_directory_is_not_a_results_file() {
    // Finding: results were read whole with no file-type check: a FIFO hung every reader, and
    // `merge /dev/zero` grew to 24 GB before the kernel killed it.
    let dir = scratch("input-results-kinds");
    let fifo = dir.join("results.fifo");
    mkfifo(&fifo);
    let fifo = fifo.display().to_string();
    let budget = ["--budget", "rto:p99<=1d", "--runs", "5"];
    for path in [fifo.as_str(), "/dev/null", "/dev/zero"] {
        refused(&["merge", path], path, &["not a regular file"]);
        refused(
            &[
                "report",
                path,
                "--md",
                &dir.join("r.md").display().to_string(),
            ],
            path,
            &["not a regular file"],
        );
        refused(
            &[
                &["check", "securecart-multi-az", "--baseline", path][..],
                &budget,
            ]
            .concat(),
            path,
            &["not a regular file"],
        );
    }
    let shown = dir.display().to_string();
    refused(&["merge", &shown], &shown, &["a directory"]);
    refused(&["merge", &fifo], &fifo, &["FIFO"]);
    refused(&["merge", "/dev/zero"], "/dev/zero", &["character device"]);
    assert!(!dir.join("r.md").exists());
}

#[test]
fn a_huge_results_file_is_refused_before_it_is_read() {
    // Sparse: no disk, no time to create. Run with 2 GiB of address space: reading it would fail.
    let dir = scratch("input-results-huge");
    let path = dir.join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(9 << 30).unwrap();
    drop(file);
    let shown = path.display().to_string();
    let out = bounded(&["merge", &shown], Some(2 << 20));
    let err = fails(&out, 2);
    assert!(
        err.contains(&shown) && err.contains("9663676416 bytes") && err.contains("limit"),
        "{err}"
    );
}

#[test]
fn a_fifo_or_a_device_is_not_a_scenario_file() {
    // Finding: `validate FIFO` (and `extends: "FIFO"`) blocked forever in open.
    let dir = scratch("input-scenario-kinds");
    let fifo = dir.join("s.ron");
    mkfifo(&fifo);
    let shown = fifo.display().to_string();
    refused(
        &["validate", &shown],
        &shown,
        &["FIFO", "not a regular file"],
    );
    let extends = dir.join("extends.ron");
    std::fs::write(&extends, "(extends: \"s.ron\", name: \"x\")").unwrap();
    refused(
        &["run", &extends.display().to_string()],
        &shown,
        &["FIFO", "not a regular file"],
    );
    refused(
        &["validate", "/dev/null"],
        "/dev/null",
        &["character device"],
    );
    refused(
        &["validate", "/dev/zero"],
        "/dev/zero",
        &["character device"],
    );
}

#[test]
fn a_file_that_is_not_a_scenario_is_never_quoted() {
    // Finding: `extends: "/etc/shadow"` printed its first token, `root`.
    let dir = scratch("input-not-a-scenario");
    let secrets = [
        ("shadow", "root:$6$hunter2:19000:0:99999:7:::\n"),
        ("token", "hunter2-api-token = 1234\n"),
        ("json", "{\"password\": \"hunter2\"}\n"),
        ("struct", "(password: \"hunter2\")\n"),
    ];
    for (name, text) in secrets {
        std::fs::write(dir.join(name), text).unwrap();
        let scenario = dir.join(format!("{name}.ron"));
        std::fs::write(&scenario, format!("(extends: \"{name}\", name: \"x\")")).unwrap();
        for path in [dir.join(name), scenario] {
            let out = bounded(&["validate", &path.display().to_string()], None);
            let err = fails(&out, 2);
            let secret = dir.join(name).display().to_string();
            assert!(err.contains(&format!("{secret}:1:")), "{err}");
            assert!(err.contains("not look like a scenario"), "{err}");
            for token in ["hunter2", "root", "password", "api", "1234"] {
                assert!(!err.contains(token), "{token:?} echoed: {err}");
            }
        }
    }
}
