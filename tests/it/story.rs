//! The replay tells the story a student of the course needs: what clients experienced, each flow's
//! recovery, the service's RTO moment, and where the lost data went — checked on the built-ins, through
//! the real binary.

use crate::{drsim, ok};

/// The timeline lines of a replay (those that start with a run clock), without the clock columns:
/// `(actor, text)`.
fn timeline(text: &str) -> Vec<(String, String)> {
    text.lines()
        .take_while(|l| !l.starts_with("Data loss"))
        .filter(|l| l.contains(':') && l.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .map(|l| {
            let rest = l
                .split_once(" +")
                .or_else(|| l.split_once(" -"))
                .map_or(l, |x| x.1);
            let rest = rest.split_once("  ").map_or(rest, |x| x.1).trim_start();
            let (actor, text) = rest.split_once("  ").unwrap_or((rest, ""));
            (actor.to_string(), text.trim_start().to_string())
        })
        .collect()
}

#[test]
fn the_hot_standby_replay_names_the_cloudfront_failover_and_each_flows_recovery() {
    let text = ok(&drsim(&["replay", "unishop-hot-standby", "--seed", "1"]));
    let lines = timeline(&text);
    let says =
        |actor: &str, needle: &str| lines.iter().any(|(a, t)| a == actor && t.contains(needle));
    assert!(
        says("ui-cdn", "fails over to ui-west"),
        "no CloudFront failover for the UI:\n{text}"
    );
    assert!(says("api-cdn", "fails over to app-west"), "{text}");
    for flow in ["browse", "catalog", "cart"] {
        assert!(
            says(flow, "back above its SLO") || says(flow, "never fell below its SLO"),
            "no recovery line for {flow}:\n{text}"
        );
    }
    assert!(says("cart", "0 % of requests succeed"), "{text}");
    assert!(says("cart-dns", "over one TTL (10s"), "{text}");
    assert!(says("service", "RTO"), "{text}");
    // The lab's 403: CloudFront fails over at once, and back when the bucket heals.
    let lab = ok(&drsim(&[
        "replay",
        "unishop-hot-standby",
        "--seed",
        "1",
        "--disaster",
        "ui-403",
    ]));
    assert!(
        lab.contains("answers HTTP 403: requests fail over to ui-west at once"),
        "{lab}"
    );
    assert!(
        lab.contains("primary origin ui-east answers again"),
        "{lab}"
    );
}

#[test]
fn backup_restore_explains_its_rpo_from_the_backup_and_copy_times() {
    let text = ok(&drsim(&["replay", "backup-restore", "--seed", "1"]));
    let loss = text
        .split_once("Data loss (RPO)")
        .map(|x| x.1)
        .and_then(|x| x.split_once("Measured"))
        .map(|x| x.0)
        .expect("a data-loss section");
    // Which copy counts, the window of lost writes, and the backup it came from: when it was taken, when
    // it became usable in the recovery Region, and why the newer one was not.
    assert!(loss.contains("app-db: "), "{loss}");
    assert!(
        loss.contains("authoritative copy: instance restored to 1d 05:00:00 in us-west-2"),
        "{loss}"
    );
    assert!(loss.contains("acknowledged between 1d 05:00:00"), "{loss}");
    assert!(loss.contains("usable in us-west-2 since"), "{loss}");
    assert!(loss.contains("the newer backup of 1d 09:00:00"), "{loss}");
    assert!(loss.contains("cart: "), "{loss}");
    // The measured RPO is the window the section explains.
    let rpo = text
        .lines()
        .find(|l| l.trim_start().starts_with("RPO "))
        .unwrap();
    assert!(rpo.contains("4h 04m"), "{rpo}");
    assert!(loss.contains("a 4h 04m window"), "{loss}");
}

#[test]
fn every_builtin_replay_has_a_line_at_its_rto_moment_and_human_durations() {
    let list = ok(&drsim(&["list"]));
    let names: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-') && n.contains('-'))
        .collect();
    assert!(names.len() >= 11, "{list}");
    for name in names {
        let text = ok(&drsim(&["replay", name, "--seed", "1"]));
        let rto = text
            .lines()
            .find(|l| l.trim_start().starts_with("RTO "))
            .unwrap_or_else(|| panic!("{name}: no RTO line:\n{text}"));
        let lines = timeline(&text);
        if rto.contains("not recovered") {
            continue;
        }
        assert!(
            lines
                .iter()
                .any(|(a, t)| a == "service" && t.starts_with("RTO: every critical flow")),
            "{name}: no line at the RTO moment:\n{text}"
        );
        // Durations read as people write them: never `8m11s478ms423us`, never a Region index.
        assert!(
            !text.contains("ms423us") && !text.contains("region #"),
            "{name}:\n{text}"
        );
        for (_, t) in &lines {
            let raw = t.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
                w.len() > 3
                    && w.ends_with("us")
                    && w[..w.len() - 2]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit())
            });
            assert!(!raw, "{name}: a raw duration in {t:?}");
        }
    }
}

#[test]
fn run_replay_and_sweep_show_the_course_expectation_beside_the_figures() {
    for args in [
        &["run", "securecart-multi-az", "--seed", "1"][..],
        &["replay", "securecart-multi-az", "--seed", "1"][..],
        &["sweep", "securecart-multi-az", "--runs", "20"][..],
    ] {
        let text = ok(&drsim(args));
        assert!(text.contains("The course (module"), "{args:?}:\n{text}");
        let rto = text
            .lines()
            .find(|l| l.trim_start().starts_with("RTO  \""))
            .unwrap_or_else(|| panic!("{args:?}: no course RTO row:\n{text}"));
        assert!(rto.contains("drsim:"), "{rto}");
        assert!(rto.contains("agrees") || rto.contains("differs"), "{rto}");
    }
}
