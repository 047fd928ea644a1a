//! `drsim report`: renders results files written by `sweep --out` / `merge --out`.

use crate::{arg, drsim, fails, ok, tmp};

#[test]
fn renders_files_written_by_sweep() {
    let dir = tmp();
    let (a, b) = (arg(dir.path(), "pl.json"), arg(dir.path(), "ws.json"));
    ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        "50",
        "--out",
        &a,
    ]));
    ok(&drsim(&[
        "sweep",
        "warm-standby",
        "--runs",
        "50",
        "--out",
        &b,
    ]));
    let (html, md) = (arg(dir.path(), "r.html"), arg(dir.path(), "r.md"));
    ok(&drsim(&["report", &a, &b, "--html", &html, "--md", &md]));
    let page = std::fs::read_to_string(&html).unwrap();
    for id in ["chart-rto-cdf", "chart-rpo-cdf", "chart-timeline"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(page.contains("pilot-light") && page.contains("warm-standby"));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains("| pilot-light | 50 |") && md.contains("| warm-standby | 50 |"),
        "{md}"
    );
    // Rendering the same files twice gives the same bytes.
    let again = arg(dir.path(), "again.html");
    ok(&drsim(&["report", &a, &b, "--html", &again]));
    assert_eq!(
        std::fs::read(&html).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn refuses_a_lone_shard_and_other_files() {
    let dir = tmp();
    let shard = arg(dir.path(), "s0.json");
    ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        "40",
        "--shard",
        "0/4",
        "--out",
        &shard,
    ]));
    let md = arg(dir.path(), "r.md");
    let err = fails(&drsim(&["report", &shard, "--md", &md]), 2);
    assert!(
        err.contains("shard 0/4") && err.contains("drsim merge"),
        "{err}"
    );
    let json = arg(dir.path(), "sweep.json");
    std::fs::write(
        &json,
        ok(&drsim(&["sweep", "pilot-light", "--runs", "10", "--json"])),
    )
    .unwrap();
    let err = fails(&drsim(&["report", &json, "--md", &md]), 2);
    assert!(
        err.contains("not a drsim results file") && err.contains("--out"),
        "{err}"
    );
    assert!(!std::path::Path::new(&md).exists());
}
