//! The HTML report in a real browser: headless Chromium renders it at 1,400 px with no console errors,
//! draws every chart, and reads as a person would need it to: no two SVG labels overlap (their `getBBox`
//! boxes, compared pairwise within each chart), no text is smaller than 11 px (computed font size, times
//! the chart's scale on the page), and no table is wider than its column (nothing clipped behind a scroll
//! bar). Full-page screenshots of the compare report and of two replays (one with an RTO of 0) are written
//! to `$CARGO_TARGET_TMPDIR/screenshots/` (or `DRSIM_SCREENSHOTS`) for a person to look at. Without
//! Chromium the tests skip with a message, unless `DRSIM_REQUIRE_BROWSER=1` (CI), where they fail;
//! `.ci/install-browser` installs it.
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

/// Put at the end of the page under test: measures what a reader would trip over and writes it on
/// `<html>` (`--dump-dom` shows it): overlapping labels, text under 11 px, tables wider than the page, and
/// the page's height (for the full-page screenshot).
const LAYOUT_CHECK: &str = r#"<script>
(function () {
  var root = document.documentElement, overlaps = [], small = [], clipped = [], texts = 0;
  function label(t) { return (t.textContent || "").trim().slice(0, 40); }
  Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
    var vb = svg.viewBox && svg.viewBox.baseVal, box = svg.getBoundingClientRect();
    var scale = vb && vb.width ? box.width / vb.width : 1;
    var items = [];
    Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {
      if (!label(t)) { return; }
      texts += 1;
      var size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < 10.95) { small.push((svg.id || "svg") + ": '" + label(t) + "' " + size.toFixed(1) + "px"); }
      var b = t.getBBox();
      items.push({ t: t, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height });
    });
    for (var i = 0; i < items.length; i++) {
      for (var j = i + 1; j < items.length; j++) {
        var a = items[i], b = items[j];
        var w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        if (w > 1 && h > 1) {
          overlaps.push((svg.id || "svg") + ": '" + label(a.t) + "' x '" + label(b.t) + "'");
        }
      }
    }
  });
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("svg") || el.closest("script,style,title")) { continue; }
    var size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 10.95) { small.push(el.tagName + ": '" + node.textContent.trim().slice(0, 40) + "' " + size + "px"); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("table"), function (t) {
    var holder = t.parentElement;
    if (holder && holder.scrollWidth > holder.clientWidth + 1) {
      clipped.push((t.id || "table") + " needs " + holder.scrollWidth + "px in " + holder.clientWidth + "px");
    }
  });
  root.setAttribute("data-texts", String(texts));
  root.setAttribute("data-height", String(Math.ceil(document.documentElement.scrollHeight)));
  if (overlaps.length) { root.setAttribute("data-overlaps", overlaps.join(" | ")); }
  if (small.length) { root.setAttribute("data-small-text", small.join(" | ")); }
  if (clipped.length) { root.setAttribute("data-clipped", clipped.join(" | ")); }
})();
</script>"#;

/// The width pages are laid out at (the issue's "no clipped columns at 1,400 px").
const WINDOW_W: u32 = 1400;

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
    let probed = probed.replacen("</body>", &format!("{LAYOUT_CHECK}\n</body>"), 1);
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
        .arg(format!("--window-size={WINDOW_W},1000"))
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
    for (attr, what) in [
        ("data-overlaps", "overlapping labels"),
        ("data-small-text", "text below 11 px"),
        ("data-clipped", "tables wider than the page"),
    ] {
        if let Some(v) = attribute(&r.dom, attr) {
            return Err(format!("{what}: {v}"));
        }
    }
    if attribute(&r.dom, "data-height").is_none() {
        return Err("the layout check did not run".to_string());
    }
    Ok(())
}

/// The value of attribute `name` on `<html>` in a dumped DOM (HTML-escaped as Chromium wrote it).
fn attribute(dom: &str, name: &str) -> Option<String> {
    let start = dom.find("<html")?;
    let head = &dom[start..start + dom[start..].find('>').unwrap_or(dom.len() - start)];
    let at = head.find(&format!("{name}=\""))? + name.len() + 2;
    let end = head[at..].find('"')? + at;
    Some(head[at..end].to_string())
}

/// Where screenshots go: `DRSIM_SCREENSHOTS`, else `$CARGO_TARGET_TMPDIR/screenshots`.
fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("DRSIM_SCREENSHOTS").map_or_else(
        || PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// A full-page screenshot of `html` (`height`: the page's, as the layout check measured it) as
/// `<dir>/<name>.png`; returns the path.
fn screenshot(browser: &Path, name: &str, html: &str, height: u32) -> PathBuf {
    let dir = scratch(&format!("shot-{name}"));
    let page = dir.join("page.html");
    std::fs::write(&page, html).expect("write page");
    let out = screenshot_dir().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&out);
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!(
            "--window-size={WINDOW_W},{}",
            height.clamp(600, 16_000)
        ))
        .arg(format!("--screenshot={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!("chromium took longer than {TIMEOUT:?} for the screenshot of {name}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.exists(), "no screenshot written for {name}");
    eprintln!("screenshot: {}", out.display());
    out
}

/// Renders, checks and screenshots one page.
fn check_page(browser: &Path, name: &str, html: &str) -> Rendered {
    let rendered = render(browser, name, html).expect("chromium renders the page");
    if let Err(e) = check(&rendered) {
        panic!("{name}: {e}");
    }
    let height = attribute(&rendered.dom, "data-height")
        .and_then(|h| h.parse().ok())
        .unwrap_or(4000);
    screenshot(browser, name, html, height);
    rendered
}

#[test]
fn report_renders_without_console_errors_and_draws_its_charts() {
    let Some(browser) = chromium() else { return };
    let report = crate::fixtures::report(300);
    let html = report::html_report(&report);
    if let Ok(path) = std::env::var("DRSIM_REPORT_OUT") {
        std::fs::write(path, &html).expect("write DRSIM_REPORT_OUT");
    }
    let rendered = check_page(browser, "compare", &html);
    for id in [
        "<svg id=\"chart-rto-cdf\"",
        "<svg id=\"chart-rpo-cdf\"",
        "<svg id=\"chart-cost-rto\"",
        "<svg id=\"chart-success\"",
        "<svg id=\"chart-timeline\"",
        "<svg id=\"chart-runbook-0\"",
        "<svg id=\"chart-topology\"",
        "<table id=\"compare-table\"",
        "<table id=\"paired-table\"",
        "<table id=\"run-cost-table\"",
        "<table id=\"step-log\"",
    ] {
        assert!(
            rendered.dom.contains(id),
            "{id} missing from the rendered DOM"
        );
    }
    // The CDFs have their lines: one polyline per strategy in each.
    assert!(rendered.dom.matches("<polyline").count() >= 4);
}

#[test]
fn replays_read_well_with_and_without_an_outage() {
    let Some(browser) = chromium() else { return };
    // An RTO of 0 (CloudFront fails over per request) and hours of backup & restore.
    for (name, scenario, disaster) in [
        (
            "replay-hot-standby-rto-0",
            "unishop-hot-standby",
            Some("ui-403"),
        ),
        ("replay-hot-standby", "unishop-hot-standby", None),
        ("replay-backup-restore", "backup-restore", None),
    ] {
        let replay = crate::fixtures::replay(scenario, disaster);
        if disaster.is_some() {
            assert_eq!(replay.run.rto.map(|d| d.as_secs_f64()), Some(0.0), "{name}");
        }
        let rendered = check_page(browser, name, &report::run_html(&replay));
        assert!(rendered.dom.contains("<svg id=\"chart-success\""), "{name}");
        assert!(
            rendered.dom.contains("<svg id=\"chart-topology\""),
            "{name}"
        );
    }
}

#[test]
fn the_advisor_pages_read_well() {
    let Some(browser) = chromium() else { return };
    let (o, s) = crate::fixtures::advice(60);
    let rendered = check_page(browser, "optimize", &report::optimize_html(&o));
    assert!(rendered.dom.contains("<svg id=\"chart-frontier\""));
    assert!(rendered.dom.contains("<table id=\"table-variants\""));
    let rendered = check_page(browser, "sensitivity", &report::sensitivity_html(&s));
    for id in [
        "chart-tornado-rto",
        "chart-tornado-rpo",
        "chart-tornado-cost",
    ] {
        assert!(rendered.dom.contains(&format!("<svg id=\"{id}\"")), "{id}");
    }
}

#[test]
fn the_layout_check_catches_overlaps_small_text_and_clipped_tables() {
    let Some(browser) = chromium() else { return };
    let page = |body: &str| {
        format!("<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>")
    };
    let svg = |texts: &str| {
        format!("<svg id=\"s\" width=\"300\" height=\"100\" viewBox=\"0 0 300 100\">{texts}</svg>")
    };
    let apart = svg("<text x=\"10\" y=\"20\" font-size=\"12\">left</text>\
                     <text x=\"150\" y=\"20\" font-size=\"12\">right</text>");
    let clean = render(browser, "layout-clean", &page(&apart)).expect("renders");
    assert_eq!(check(&clean), Ok(()), "a clean page must pass");
    for (name, body, expect) in [
        (
            "layout-overlap",
            svg("<text x=\"10\" y=\"20\" font-size=\"12\">onset here</text>\
                 <text x=\"30\" y=\"22\" font-size=\"12\">recovered</text>"),
            "overlapping labels",
        ),
        (
            "layout-small",
            svg("<text x=\"10\" y=\"20\" font-size=\"9\">tiny</text>"),
            "text below 11 px",
        ),
        (
            "layout-small-html",
            "<p style=\"font-size: 8px\">fine print</p>".to_string(),
            "text below 11 px",
        ),
        (
            "layout-clipped",
            "<div style=\"overflow-x: auto\"><table><tr><td style=\"white-space: nowrap\">"
                .to_string()
                + &"wide ".repeat(400)
                + "</td></tr></table></div>",
            "tables wider than the page",
        ),
    ] {
        let rendered = render(browser, name, &page(&body)).expect("renders");
        let verdict = check(&rendered);
        assert!(
            verdict.as_ref().is_err_and(|e| e.starts_with(expect)),
            "{name}: the check missed it: {verdict:?}"
        );
    }
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
