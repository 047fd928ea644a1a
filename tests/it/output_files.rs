//! Output files (issue [hardening]): nothing is overwritten that should not be. A temporary file is never
//! followed through a planted link; a device, FIFO or link to one is written in place, never replaced; an
//! output that is an input or another output is refused before any work; an unwritable location fails
//! before the work with exit 3; a failed stdout exits 3; stale temporaries of the target are cleaned up,
//! and nothing that is not drsim's is touched.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::robust_input::scratch;
use crate::{drsim, fails, ok, stderr, stdout};

/// A sweep long enough (about half a second in a debug build) to plant a file while it runs.
const LONG: [&str; 6] = [
    "sweep",
    "securecart-multi-az",
    "--runs",
    "3000",
    "--threads",
    "1",
];

/// `path` as a `&str` argument.
fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Waits for `child` at most 60 s (killing it then) and returns its output.
fn wait(mut child: Child, what: &str) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{what} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Starts drsim with `args`, capturing its output.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_drsim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("drsim starts")
}

/// A file of `text`, with `mode`.
fn file(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Plants a link at the temporary name drsim used to predict (`.NAME.drsim-PID.tmp`) while `args` (ending
/// in `--out DIR/r.json`) runs, pointing at `victim`; checks the victim is untouched and the output whole.
fn planted_link_is_not_followed(dir: &Path, victim: &Path, run: impl FnOnce() -> Child) {
    let child = run();
    let planted = dir.join(format!(".r.json.drsim-{}.tmp", child.id()));
    std::os::unix::fs::symlink(victim, &planted).unwrap();
    let out = wait(child, "the sweep");
    ok(&out);
    assert_eq!(std::fs::read_to_string(victim).unwrap(), "precious\n");
    let written = dir.join("r.json");
    let meta = std::fs::symlink_metadata(&written).unwrap();
    assert!(meta.is_file(), "r.json is not a regular file: {meta:?}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).unwrap()).unwrap();
    assert_eq!(json["format"], "drsim-sweep/4");
    // The planted link is not drsim's: left as it was.
    assert!(
        std::fs::symlink_metadata(&planted)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_link_planted_at_the_temporary_name_is_never_followed() {
    // Finding: the temporary was `.NAME.drsim-PID.tmp`, opened with File::create (follows links,
    // truncates): whoever could write the directory made drsim overwrite any file its user can write.
    // Run as root, the victim is a root-owned 0600 file elsewhere, as in the finding.
    let dir = scratch("output-planted-link");
    let (shared, private) = (dir.join("shared"), dir.join("private"));
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::create_dir_all(&private).unwrap();
    let victim = private.join("secret");
    file(&victim, "precious\n", 0o600);
    let out = shared.join("r.json");
    planted_link_is_not_followed(&shared, &victim, || {
        spawn(&[&LONG[..], &["--out", s(&out)]].concat())
    });
}

#[test]
fn a_link_planted_at_the_temporary_name_is_never_followed_by_an_unprivileged_user() {
    if std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(1)
        != 0
    {
        eprintln!("skipped: not root, so the test above already ran drsim as an unprivileged user");
        return;
    }
    let nobody = Command::new("id").args(["-u", "nobody"]).output();
    let setpriv = Command::new("setpriv").arg("--version").output();
    let (Ok(nobody), Ok(setpriv)) = (nobody, setpriv) else {
        eprintln!("skipped: needs setpriv and a user `nobody` to run drsim unprivileged");
        return;
    };
    let uid: u32 = match String::from_utf8_lossy(&nobody.stdout).trim().parse() {
        Ok(uid) if nobody.status.success() && setpriv.status.success() => uid,
        _ => {
            eprintln!("skipped: needs setpriv and a user `nobody` to run drsim unprivileged");
            return;
        }
    };
    let dir = scratch("output-planted-link-nobody");
    let (shared, private) = (dir.join("shared"), dir.join("private"));
    for d in [&dir, &shared, &private] {
        std::fs::create_dir_all(d).unwrap();
    }
    // The victim's own files: a directory only it can enter, a 0600 file; the output directory it shares.
    let victim = private.join("secret");
    file(&victim, "precious\n", 0o600);
    std::os::unix::fs::chown(&victim, Some(uid), None).unwrap();
    std::os::unix::fs::chown(&private, Some(uid), None).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = shared.join("r.json");
    let ran = Command::new("setpriv")
        .args([
            &format!("--reuid={uid}"),
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_drsim"),
            "list",
        ])
        .output()
        .unwrap();
    if !ran.status.success() {
        eprintln!(
            "skipped: the drsim binary cannot run as `nobody` here: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        return;
    }
    planted_link_is_not_followed(&shared, &victim, || {
        Command::new("setpriv")
            .args([
                &format!("--reuid={uid}"),
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_drsim"),
            ])
            .args(LONG)
            .args(["--out", s(&out)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    });
    assert_eq!(std::fs::metadata(&out).unwrap().uid(), uid);
}

#[test]
fn results_keep_the_usual_permissions() {
    // tempfile creates 0600 files; an output is as readable as any file the user creates (umask applies).
    let dir = scratch("output-mode");
    let out = dir.join("r.json");
    ok(&drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "2",
        "--out",
        s(&out),
    ]));
    let mode = std::fs::metadata(&out).unwrap().mode() & 0o777;
    let probe = dir.join("probe");
    std::fs::write(&probe, "").unwrap();
    assert_eq!(mode, std::fs::metadata(&probe).unwrap().mode() & 0o777);
}

/// The summary sweep with `--out PATH`.
fn sweep_out(path: &Path) -> Output {
    drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "3",
        "--out",
        s(path),
    ])
}

#[test]
fn a_link_to_a_device_is_written_through_not_replaced() {
    // Finding: `--out /dev/null` (or a link to `/proc/self/fd/1`) was replaced by a regular file.
    let dir = scratch("output-device-link");
    let null = dir.join("null");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    ok(&sweep_out(&null));
    assert!(
        std::fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // The results reach the process's stdout through a link to /proc/self/fd/1.
    let fd1 = dir.join("fd1");
    std::os::unix::fs::symlink("/proc/self/fd/1", &fd1).unwrap();
    let text = ok(&sweep_out(&fd1));
    assert!(text.contains("\"format\":\"drsim-sweep/4\""), "{text}");
    assert!(
        std::fs::symlink_metadata(&fd1)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A device that fails writes: the I/O code, and the link is still a link.
    let full = dir.join("full");
    std::os::unix::fs::symlink("/dev/full", &full).unwrap();
    let err = fails(&sweep_out(&full), 3);
    assert!(err.contains("No space left"), "{err}");
    assert!(
        std::fs::symlink_metadata(&full)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_output_naming_stdout_is_the_process_stdout() {
    // `--out /dev/stdout > FILE`: behind the descriptor is a regular file, written in order with the
    // summary (not refused as a link to a regular file, not reopened at offset 0 over the summary).
    let dir = scratch("output-dev-stdout");
    for (i, path) in ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"]
        .iter()
        .enumerate()
    {
        let captured = dir.join(format!("stdout-{i}.txt"));
        let out = Command::new(env!("CARGO_BIN_EXE_drsim"))
            .args(["sweep", "securecart-multi-az", "--runs", "3", "--out", path])
            .stdout(std::fs::File::create(&captured).unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr(&out));
        let text = std::fs::read_to_string(&captured).unwrap();
        let mut values = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
        let json = values.next().expect("a value").expect("the results first");
        let summary = &text[values.byte_offset()..];
        assert_eq!(json["format"], "drsim-sweep/4");
        assert!(
            summary.contains("securecart-multi-az  seed 1  3 runs"),
            "{path}: {summary}"
        );
    }
}

#[test]
fn a_fifo_is_written_in_place() {
    let dir = scratch("output-fifo");
    let fifo = dir.join("results.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = Command::new("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = sweep_out(&fifo);
    // Without a writer the reader never finishes: release it so the test cannot hang.
    if reader.id() > 0
        && !std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    {
        let _ = Command::new("kill").arg(reader.id().to_string()).status();
    }
    let read = wait(reader, "cat FIFO");
    ok(&out);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO was replaced"
    );
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(text.contains("\"format\":\"drsim-sweep/4\""), "{text}");
}

#[test]
fn a_link_to_a_regular_file_is_refused() {
    // Decision: an output that is a symbolic link to a regular file (or to nothing) is refused, exit 2:
    // drsim replaces outputs atomically, and writing through a link would follow one planted by another
    // user (and bypass the kernel's protected_symlinks). Name the file itself.
    let dir = scratch("output-regular-link");
    let target = dir.join("target.json");
    file(&target, "keep\n", 0o644);
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = fails(&sweep_out(&link), 2);
    assert!(
        err.contains("symbolic link") && err.contains("link.json"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep\n");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let dangling = dir.join("dangling.json");
    std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap();
    let err = fails(&sweep_out(&dangling), 2);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!dir.join("nowhere").exists());
}

/// Asserts `args` is refused with exit 2 before any work, naming every fragment.
fn refused(args: &[&str], expect: &[&str]) {
    let out = drsim(args);
    let err = fails(&out, 2);
    for fragment in expect {
        assert!(err.contains(fragment), "missing {fragment:?} in: {err}");
    }
    assert!(stdout(&out).is_empty(), "work was done: {}", stdout(&out));
}

#[test]
fn an_output_that_is_an_input_or_another_output_is_refused_before_any_work() {
    // Finding: `sweep x.ron --out x.ron`, `report r.json --html r.json`, `--out f --md f` destroyed data.
    let dir = scratch("output-same-file");
    let p = |name: &str| dir.join(name).display().to_string();
    let scenario = include_str!("../../scenarios/securecart-multi-az.ron");
    std::fs::write(p("x.ron"), scenario).unwrap();
    std::fs::write(p("mine.ron"), "(extends: \"x.ron\", name: \"mine\")").unwrap();
    ok(&drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "5",
        "--out",
        &p("r.json"),
    ]));
    std::fs::hard_link(p("r.json"), p("hard.json")).unwrap();
    let results = std::fs::read(p("r.json")).unwrap();
    let long = ["--runs", "2000000"];
    fn sweep<'a>(x: &'a str, long: &[&'a str]) -> Vec<&'a str> {
        [&["sweep", x][..], long].concat()
    }
    refused(
        &[&sweep(&p("x.ron"), &long)[..], &["--out", &p("x.ron")]].concat(),
        &["--out", "x.ron", "scenario file"],
    );
    // Through `extends`, and spelt differently.
    let other = format!("{}/./sub/../x.ron", dir.display());
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    refused(
        &[&sweep(&p("mine.ron"), &long)[..], &["--md", &other]].concat(),
        &["--md", "x.ron", "scenario file"],
    );
    refused(
        &["report", &p("r.json"), "--html", &p("r.json")],
        &["--html", "r.json", "results file"],
    );
    refused(
        &["report", &p("r.json"), "--md", &p("hard.json")],
        &["--md", "hard.json", "r.json"],
    );
    refused(
        &["merge", &p("r.json"), "--out", &p("r.json")],
        &["--out", "r.json"],
    );
    refused(
        &[
            "check",
            "securecart-multi-az",
            "--runs",
            "2000000",
            "--baseline",
            &p("r.json"),
            "--out",
            &p("r.json"),
        ],
        &["--out", "r.json", "baseline"],
    );
    // Two outputs that are one file: new, existing, hard-linked.
    refused(
        &[
            &sweep("securecart-multi-az", &long)[..],
            &["--out", &p("new.json"), "--md", &p("new.json")],
        ]
        .concat(),
        &["--out", "--md", "new.json", "same file"],
    );
    refused(
        &[
            &sweep("securecart-multi-az", &long)[..],
            &["--out", &p("r.json"), "--md", &p("hard.json")],
        ]
        .concat(),
        &["--out", "--md", "same file"],
    );
    refused(
        &[
            "check",
            "securecart-multi-az",
            "--runs",
            "2000000",
            "--budget",
            "rto:p99<=1d",
            "--junit",
            &p("c.xml"),
            "--md",
            &other.replace("x.ron", "c.xml"),
        ],
        &["--junit", "--md", "same file"],
    );
    assert_eq!(std::fs::read_to_string(p("x.ron")).unwrap(), scenario);
    assert_eq!(std::fs::read(p("r.json")).unwrap(), results);
    assert!(!dir.join("new.json").exists() && !dir.join("c.xml").exists());
    // Two outputs to a device are fine: nothing is replaced.
    ok(&drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "3",
        "--out",
        "/dev/null",
        "--md",
        "/dev/null",
    ]));
}

#[test]
fn an_unwritable_location_fails_before_the_work_with_exit_3() {
    // Finding: an unwritable output was found only after the whole sweep, and exited 1 (for `check`,
    // "budget breached"). Nobody, not even root, can create files in /proc.
    let out = drsim(&[
        "sweep",
        "securecart-multi-az",
        "--runs",
        "2000",
        "--out",
        "/proc/drsim-results.json",
    ]);
    let err = fails(&out, 3);
    assert!(err.contains("/proc"), "{err}");
    assert!(stdout(&out).is_empty(), "the sweep ran: {}", stdout(&out));
    let out = drsim(&[
        "check",
        "securecart-multi-az",
        "--runs",
        "2000",
        "--budget",
        "rto:p99<=1d",
        "--junit",
        "/proc/drsim.xml",
    ]);
    fails(&out, 3);
    assert!(stdout(&out).is_empty(), "the check ran: {}", stdout(&out));
}

#[test]
fn a_failed_write_to_stdout_exits_3_after_one_line() {
    // Finding: `drsim list > /dev/full` printed a message and exited 0.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_drsim"))
        .arg("list")
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("drsim: cannot write to stdout"), "{err}");
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    // `drsim list | head -1`: silent, exit 0.
    use std::io::{BufRead, BufReader};
    let mut child = spawn(&["list"]);
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = wait(child, "drsim list");
    assert!(first.starts_with("backup-restore"), "{first}");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A process id that is not running: a child that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// Sets a file's modification time `ago` in the past.
fn age(path: &Path, ago: Duration) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - ago).unwrap();
}

#[test]
fn stale_temporaries_of_the_target_are_removed_and_nothing_else() {
    // Finding: a killed write left its hidden temporary behind, forever.
    let dir = scratch("output-stale");
    let p = |name: &str| -> PathBuf { dir.join(name) };
    let (dead, alive) = (dead_pid(), std::process::id());
    let minutes = |m: u64| Duration::from_secs(60 * m);
    let stale = [
        format!(".r.json.drsim-{dead}.tmp"), // drsim before this change
        format!(".r.json.drsim-{dead}-a1B2c3D4e5F6.tmp"), // a killed writer
        format!(".r.json.drsim-{alive}-Zz9Yy8Xx7Ww6.tmp"), // alive but 20 minutes old
    ];
    for (name, ago) in stale.iter().zip([minutes(2), minutes(2), minutes(20)]) {
        file(&p(name), "{\"half", 0o600);
        age(&p(name), ago);
    }
    let keep = [
        format!(".r.json.drsim-{alive}-young1234567.tmp"), // a writer at work
        format!(".r.json.drsim-{dead}-justnow12345.tmp"),  // just written: another host's, maybe
        format!(".other.json.drsim-{dead}.tmp"),           // another target's
        format!(".r.json.drsim-{dead}.tmp.bak"),
        "notes.txt".to_string(),
    ];
    for name in &keep[..2] {
        file(&p(name), "{\"half", 0o600);
    }
    for name in &keep[2..] {
        file(&p(name), "mine", 0o600);
        age(&p(name), minutes(60));
    }
    // Not drsim's: a link (to a file that must survive), a directory, a file with a second link, and as
    // root a file of another user.
    let victim = p("victim");
    file(&victim, "precious\n", 0o600);
    let link = format!(".r.json.drsim-{dead}-link12345678.tmp");
    std::os::unix::fs::symlink(&victim, p(&link)).unwrap();
    let subdir = format!(".r.json.drsim-{dead}-dir123456789.tmp");
    std::fs::create_dir(p(&subdir)).unwrap();
    let linked = format!(".r.json.drsim-{dead}-hard12345678.tmp");
    file(&p(&linked), "shared", 0o600);
    age(&p(&linked), minutes(60));
    std::fs::hard_link(p(&linked), p("hard-link-to-it")).unwrap();
    let foreign = format!(".r.json.drsim-{dead}-nobody123456.tmp");
    file(&p(&foreign), "theirs", 0o600);
    age(&p(&foreign), minutes(60));
    let root = std::fs::metadata(p(&foreign)).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(p(&foreign), Some(65534), Some(65534)).unwrap();
    }
    ok(&sweep_out(&p("r.json")));
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    left.sort();
    for name in &stale {
        assert!(!left.contains(name), "stale {name} was kept: {left:?}");
    }
    let mut expected: Vec<String> = keep.to_vec();
    expected.extend([link, subdir, linked, foreign.clone()]);
    expected.extend(["victim", "hard-link-to-it", "r.json"].map(String::from));
    if !root {
        // Not root: the "foreign" file is the test's own, hence stale.
        expected.retain(|n| n != &foreign);
    }
    expected.sort();
    assert_eq!(left, expected);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}
