//! The HTML report in a real browser: headless Chromium renders it with no console errors and draws every
//! chart. Without Chromium the tests skip with a message, unless `DRSIM_REQUIRE_BROWSER=1` (CI), where
//! they fail; `.ci/install-browser` installs it.
//!
//! Errors are caught two ways, because each misses something alone: a probe script put in front of the
//! page records uncaught errors, failed resource loads (capture-phase `error` events), unhandled
//! rejections and `console.error`/`console.warn` into attributes of `<html>`, which `--dump-dom` shows;
//! and Chromium's own log (`--enable-logging=stderr`) prints every console message as `CONSOLE`, which
//! catches what happens before the probe runs. The report itself has no scripts, so any console line is
//! an error. `a_deliberate_error_fails_the_check` proves both can fail.

use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// Chromium gets this long per page; then its whole process group is killed.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Put in front of the page under test; records every error it can see on `<html>`.
const PROBE: &str = r#"<script>
(function () {
  var root = document.documentElement, errors = [];
  function record(message) {
    errors.push(String(message));
    root.setAttribute("data-js-errors", errors.join(" | "));
  }
  window.addEventListener("error", function (e) {
    var t = e.target;
    record(e.message || ("failed to load " + ((t && (t.src || t.href)) || "a resource")));
  }, true);
  window.addEventListener("unhandledrejection", function (e) { record("unhandled rejection: " + e.reason); });
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      record("console." + level + ": " + Array.prototype.join.call(arguments, " "));
      return original.apply(console, arguments);
    };
  });
  root.setAttribute("data-probe", "on");
})();
</script>"#;

/// What the browser made of a page.
struct Rendered {
    dom: String,
    console: Vec<String>,
}

/// Chromium's path, or `None` (with a message) when it is missing and not required.
fn chromium() -> Option<&'static Path> {
    let path = Path::new(CHROMIUM);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("DRSIM_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "DRSIM_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: run `bash .ci/install-browser` first"
        );
    }
    eprintln!(
        "SKIPPED browser test: {CHROMIUM} is not installed (run `bash .ci/install-browser`; set \
         DRSIM_REQUIRE_BROWSER=1 to make this a failure)"
    );
    None
}

/// A fresh scratch directory for one page.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drsim-browser-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Renders `html` (with the probe in front) in headless Chromium and returns the DOM and the console.
fn render(browser: &Path, name: &str, html: &str) -> Result<Rendered, String> {
    let dir = scratch(name);
    let page = dir.join("page.html");
    let probed = html.replacen("<head>", &format!("<head>\n{PROBE}"), 1);
    if probed == html {
        return Err("the page has no <head> to put the probe in".to_string());
    }
    std::fs::write(&page, probed).map_err(|e| e.to_string())?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout can kill the renderer and helper processes too.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", browser.display()))?;
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")));
    let err = drain(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "chromium did not finish within {TIMEOUT:?}; killed"
                ));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let dom = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    if !status.success() {
        return Err(format!("chromium exited with {status}: {stderr}"));
    }
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    Ok(Rendered { dom, console })
}

/// Passes when the probe ran and neither it nor the browser log saw an error.
fn check(r: &Rendered) -> Result<(), String> {
    if !r.dom.contains("data-probe=\"on\"") {
        return Err(format!(
            "the error probe did not run; DOM starts {:?}",
            r.dom.chars().take(300).collect::<String>()
        ));
    }
    if let Some(at) = r.dom.find("data-js-errors=") {
        let end = r.dom[at..].find('>').map_or(r.dom.len(), |e| at + e);
        return Err(format!("the page reported errors: {}", &r.dom[at..end]));
    }
    if !r.console.is_empty() {
        return Err(format!("console messages: {}", r.console.join("\n")));
    }
    Ok(())
}

#[test]
fn report_renders_without_console_errors_and_draws_its_charts() {
    let Some(browser) = chromium() else { return };
    let report = crate::fixtures::report(300);
    let html = report::html_report(&report);
    if let Ok(path) = std::env::var("DRSIM_REPORT_OUT") {
        std::fs::write(path, &html).expect("write DRSIM_REPORT_OUT");
    }
    let rendered = render(browser, "report", &html).expect("chromium renders the report");
    check(&rendered).expect("no errors");
    for id in [
        "<svg id=\"chart-rto-cdf\"",
        "<svg id=\"chart-rpo-cdf\"",
        "<svg id=\"chart-cost-rto\"",
        "<svg id=\"chart-timeline\"",
        "<svg id=\"chart-topology\"",
        "<table id=\"compare-table\"",
        "<table id=\"paired-table\"",
        "<table id=\"step-log\"",
    ] {
        assert!(
            rendered.dom.contains(id),
            "{id} missing from the rendered DOM"
        );
    }
    // The CDFs have their lines: one polyline per strategy in each.
    assert!(rendered.dom.matches("<polyline").count() >= 4);

    let (_, run) = report.replay.as_ref().expect("replay");
    let page = report::run_html(run, report.topology.as_ref().map(|(_, t)| t));
    let rendered = render(browser, "run", &page).expect("chromium renders the run page");
    check(&rendered).expect("no errors");
    assert!(rendered.dom.contains("<svg id=\"chart-timeline\""));
}

#[test]
fn a_deliberate_error_fails_the_check() {
    let Some(browser) = chromium() else { return };
    let page = |body: &str| {
        format!("<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>")
    };
    let clean = render(browser, "clean", &page("<p>fine</p>")).expect("renders");
    assert_eq!(check(&clean), Ok(()), "a clean page must pass");
    for (name, body) in [
        ("uncaught", "<script>noSuchFunction();</script>"),
        ("console-error", "<script>console.error('boom');</script>"),
        ("missing-image", "<img src=\"no-such-image.png\">"),
    ] {
        let rendered = render(browser, name, &page(body)).expect("renders");
        assert!(
            check(&rendered).is_err(),
            "{name}: the check missed a deliberate error"
        );
    }
    // The browser log alone catches an error too (e.g. one thrown before the probe could run).
    let rendered = render(
        browser,
        "log-only",
        &page("<script>noSuchFunction();</script>"),
    )
    .expect("renders");
    assert!(
        !rendered.console.is_empty(),
        "chromium's log did not show the error"
    );
}
