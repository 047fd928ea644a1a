//! `drsim replay`: a narrated timeline with times, ending with the measured RPO and RTO.

use crate::{arg, drsim, fails, ok, tmp};

#[test]
fn narrates_with_times_and_ends_with_rpo_and_rto() {
    let text = ok(&drsim(&[
        "replay",
        "securecart-read-replica",
        "--seed",
        "3",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("securecart-read-replica  seed 3  replication 0"),
        "{text}"
    );
    let timed: Vec<&&str> = lines
        .iter()
        .filter(|l| {
            let b = l.as_bytes();
            b.len() > 9 && b[2] == b':' && b[5] == b':' && b[..2].iter().all(u8::is_ascii_digit)
        })
        .collect();
    let measured = lines
        .iter()
        .position(|l| *l == "Measured")
        .expect("a Measured section");
    assert!(timed.len() >= 5, "{text}");
    assert!(timed.iter().any(|l| l.contains("promoted")), "{text}");
    // Times never go backwards.
    let times: Vec<&str> = timed.iter().map(|l| &l[..8]).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let tail: Vec<&str> = lines[measured..].iter().take(5).copied().collect();
    assert!(
        tail.iter().any(|l| l.trim_start().starts_with("RPO")),
        "{text}"
    );
    assert!(
        tail.iter().any(|l| l.trim_start().starts_with("RTO")),
        "{text}"
    );
    assert_eq!(
        text,
        ok(&drsim(&[
            "replay",
            "securecart-read-replica",
            "--seed",
            "3"
        ]))
    );
}

#[test]
fn writes_an_html_timeline() {
    let dir = tmp();
    let html = arg(dir.path(), "t.html");
    let res = drsim(&["replay", "securecart-pitr", "--seed", "2", "--html", &html]);
    ok(&res);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("id=\"chart-timeline\""), "no timeline");
    assert!(page.contains("securecart-pitr"));
}

#[test]
fn bad_inputs() {
    fails(&drsim(&["replay", "securecart-pitr", "--disaster", "x"]), 2);
    let err = fails(&drsim(&["replay", "securecart-pitr", "--html", "/"]), 2);
    assert!(err.contains("not a file path"), "{err}");
}
