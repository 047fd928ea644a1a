//! On-premises sites and their data paths to AWS (issue 20), checked end to end against closed forms: a
//! weekly Snowball T days on its way gives a mean RPO of half a week plus the time a device takes to
//! reach S3; a Glacier Bulk retrieval adds its 5–12 hours to RTO; DataSync runs whose changed data takes
//! the link longer to carry raise RPO by that transfer time; a site loss or a cut link stops what needs the
//! site; tapes collected every P and T on the road lose P/2 + T + the tape's age at pickup, and only those
//! collected survive; nightly virtual tapes lose half a day plus writing and uploading the tape, and their
//! shelf's retrieval adds to RTO; stored-volume snapshots every S lose S/2 + the upload, plus the copy's
//! time when restored in the Region they are copied to. The disaster's onset is uniform over one schedule
//! period, so each mean is over every phase.

use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

/// Replications per closed form: a few seconds each (the standard error of a uniform week's mean over
/// 200 runs is 0.14 d).
const RUNS: u64 = 200;

const DAY_S: f64 = 86_400.0;
const HOUR_S: f64 = 3_600.0;

/// A data centre `dc` (VPN of `mbps`) whose database `db` reaches us-east-1 by `offsite`, stored as
/// `archive`; the site is lost at a time uniform in `onset`, and the runbook at once (or after `WAIT`, when
/// the scenario's text sets it) restores the database in us-east-1, repoints it and moves DNS to an API
/// there.
fn site(mbps: u32, offsite: &str, archive: &str, onset: (&str, &str)) -> Scenario {
    site_waiting(mbps, offsite, archive, onset, "1s")
}

fn site_waiting(
    mbps: u32,
    offsite: &str,
    archive: &str,
    onset: (&str, &str),
    wait: &str,
) -> Scenario {
    let text = format!(
        r#"(
        name: "hybrid-closed-form",
        horizon: "40d",
        regions: [
            (name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: {mbps}))),
            (name: "us-east-1", azs: ["us-east-1a"]),
        ],
        resources: {{
            "app": OnPremApp(site: "dc"),
            "db": OnPremDb(site: "dc", size_gb: 100, offsite: [{offsite}], archive: {archive}, restore: (base: Fixed("30m"), per_gb: "0s")),
            "api": Lambda(region: "us-east-1"),
            "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
        }},
        flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
        disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: Uniform("{}", "{}"))],
        runbooks: [(name: "recover", trigger: Onset, start_at: "wait", states: {{
            "wait": Task(action: Run(what: "wait", duration: Fixed("{wait}")), next: "restore"),
            "restore": Task(action: RestoreSnapshot(store: "db", region: "us-east-1"), next: "repoint"),
            "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m")), next: "dns"),
            "dns": Task(action: UpdateDns(record: "dns", target: "api")),
        }})],
    )"#,
        onset.0, onset.1
    );
    scenarios::load_text("hybrid.ron", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A minimal scenario whose database in `dc` (VPN of `mbps`) reaches us-east-1 by `offsite`.
fn site_text(mbps: u32, offsite: &str) -> String {
    format!(
        r#"(name: "minimal", horizon: "1d",
            regions: [(name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: {mbps}))), (name: "us-east-1", azs: ["us-east-1a"])],
            resources: {{ "db": OnPremDb(site: "dc", offsite: [{offsite}]) }})"#
    )
}

fn runs(s: &Scenario) -> Vec<RunResult> {
    (0..RUNS)
        .map(|k| run_replication(s, s.seed, k, None).unwrap())
        .collect()
}

/// The mean of `f` over the runs, in seconds.
fn mean(runs: &[RunResult], f: impl Fn(&RunResult) -> f64) -> f64 {
    runs.iter().map(f).sum::<f64>() / runs.len() as f64
}

fn rpo_s(r: &RunResult) -> f64 {
    r.rpo.expect("data lost with the site").as_secs_f64()
}

fn rto_s(r: &RunResult) -> f64 {
    r.rto.expect("recovered in AWS").as_secs_f64()
}

fn snowball(transit_d: u32) -> String {
    format!(
        r#"Snowball(to: "us-east-1", every: "7d", first_at: "1h", load: Fixed("6h"), transit: Fixed("{transit_d}d"), import: Fixed("18h"))"#
    )
}

#[test]
fn a_weekly_snowball_t_days_on_its_way_loses_half_a_week_plus_t_on_average() {
    for transit_d in [1, 3] {
        let s = site(500, &snowball(transit_d), "()", ("21d", "28d"));
        let runs = runs(&s);
        // Half the period, plus loading (6 h), transit (T) and import (18 h): 3.5 d + T + 1 d.
        let expected = 3.5 * DAY_S + f64::from(transit_d) * DAY_S + DAY_S;
        let measured = mean(&runs, rpo_s);
        assert!(
            (measured - expected).abs() < 0.4 * DAY_S,
            "transit {transit_d} d: mean RPO {:.2} d, expected {:.2} d",
            measured / DAY_S,
            expected / DAY_S
        );
        // Never less than the device's journey, never more than a period beyond it.
        let journey = (f64::from(transit_d) + 1.0) * DAY_S;
        for r in &runs {
            assert!((journey..=journey + 7.0 * DAY_S).contains(&rpo_s(r)));
        }
    }
}

#[test]
fn a_device_already_shipped_survives_the_site_loss() {
    // Devices are loaded at 1h, 7d 1h and 14d 1h and take 5 d + 1 d to reach S3. The site is lost at 16d,
    // with the third on its way: a restore at once uses the second; one after 20d 1h the third, which the
    // site loss did not take with it.
    let restored = |wait: &str| {
        let s = site_waiting(500, &snowball(5), "()", ("16d", "16d"), wait);
        let r = run_replication(&s, s.seed, 0, None).unwrap();
        let restore = r
            .log
            .iter()
            .find(|e| e.actor == "db" && e.text.contains("restore from"));
        restore.expect("a restore").text.clone()
    };
    let at_once = restored("1s");
    assert!(at_once.contains("snapshot of 7d 01:00:00"), "{at_once}");
    assert!(at_once.contains("had not finished copying"), "{at_once}");
    let later = restored("5d");
    assert!(later.contains("snapshot of 14d 01:00:00"), "{later}");
}

#[test]
fn a_glacier_bulk_retrieval_adds_its_hours_to_rto() {
    let path = snowball(1);
    let base = runs(&site(500, &path, "()", ("21d", "28d")));
    let archive = "(class: GlacierFlexibleRetrieval, tier: Bulk)";
    let glacier = runs(&site(500, &path, archive, ("21d", "28d")));
    // Same seeds, same disasters, same restore draws: the difference is the retrieval alone, 5–12 h
    // (C30), and the data lost is the same.
    for (a, b) in base.iter().zip(&glacier) {
        let added = rto_s(b) - rto_s(a);
        assert!(
            (5.0 * HOUR_S..=12.0 * HOUR_S).contains(&added),
            "replication {}: the retrieval added {:.2} h",
            a.replication,
            added / HOUR_S
        );
        assert_eq!(a.rpo, b.rpo);
    }
    let added = mean(&glacier, rto_s) - mean(&base, rto_s);
    assert!((added - 8.5 * HOUR_S).abs() < 0.5 * HOUR_S, "{added}");
    // Expedited: minutes.
    let expedited = "(class: GlacierFlexibleRetrieval, tier: Expedited)";
    let quick = runs(&site(500, &path, expedited, ("21d", "28d")));
    let added = mean(&quick, rto_s) - mean(&base, rto_s);
    assert!((60.0..=300.0).contains(&added), "{added}");
}

#[test]
fn datasync_runs_lose_half_a_period_plus_the_time_the_link_takes_to_carry_the_changes() {
    // Every 12 h, 200 GB changed: 27 min at 1,000 Mbit/s, 4.4 h at 100 Mbit/s; 10 min of overhead.
    let path = r#"DataSync(to: "us-east-1", every: "12h", first_at: "1h", changed_gb: 200, overhead: Fixed("10m"))"#;
    for mbps in [1_000u32, 100] {
        let runs = runs(&site(mbps, path, "()", ("5d", "5d 12h")));
        let transfer = 200.0 * 8_000.0 / f64::from(mbps);
        let expected = 6.0 * HOUR_S + 600.0 + transfer;
        let measured = mean(&runs, rpo_s);
        assert!(
            (measured - expected).abs() < 0.6 * HOUR_S,
            "{mbps} Mbit/s: mean RPO {:.2} h, expected {:.2} h",
            measured / HOUR_S,
            expected / HOUR_S
        );
    }
}

#[test]
fn a_link_too_slow_for_the_changes_is_refused_at_load() {
    let path = r#"DataSync(to: "us-east-1", every: "1h", changed_gb: 200)"#;
    let text = format!(
        r#"(name: "slow", horizon: "1d",
            regions: [(name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))), (name: "us-east-1", azs: ["us-east-1a"])],
            resources: {{ "db": OnPremDb(site: "dc", offsite: [{path}]) }})"#
    );
    let e = scenarios::load_text("slow.ron", &text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("runs would queue without end"), "{e}");
}

#[test]
fn a_cut_wan_link_stops_datasync_but_not_a_shipped_snowball() {
    // The link is down for a day from 2d 12h; the site is lost at 3d 12h. DataSync runs during the cut
    // fail, so the restore's copy predates it; a Snowball does not use the link.
    let with = |path: &str| {
        let text = format!(
            r#"(name: "wan", horizon: "6d",
                regions: [(name: "dc", azs: [], site: (link: (kind: DirectConnect))), (name: "us-east-1", azs: ["us-east-1a"])],
                resources: {{ "db": OnPremDb(site: "dc", size_gb: 100, offsite: [{path}]) }},
                disasters: [
                    (name: "wan", kind: WanLinkDown(site: "dc"), onset: At("2d 12h"), duration: Fixed("1d")),
                    (name: "loss", kind: SiteLoss(site: "dc"), onset: At("3d 12h")),
                ],
                runbooks: [(name: "restore", trigger: Onset, start_at: "wait", states: {{
                    "wait": Task(action: Run(what: "wait for the site loss", duration: Fixed("1d 1m")), next: "restore"),
                    "restore": Task(action: RestoreSnapshot(store: "db", region: "us-east-1")),
                }})])"#
        );
        let s = scenarios::load_text("wan.ron", &text).unwrap_or_else(|e| panic!("{e}"));
        let r = run_replication(&s, s.seed, 0, None).unwrap();
        r.log
            .iter()
            .find(|e| e.actor == "db" && e.text.contains("restore from"))
            .map(|e| e.text.clone())
            .expect("a restore")
    };
    let datasync = with(r#"DataSync(to: "us-east-1", every: "6h", first_at: "1h")"#);
    // The last run before the cut started at 2d 07:00; the ones at 13:00, 19:00 and 3d 01:00, 07:00 fall
    // in it.
    assert!(datasync.contains("snapshot of 2d 07:00:00"), "{datasync}");
    let snowball = with(
        r#"Snowball(to: "us-east-1", every: "1d", first_at: "1h", load: Fixed("1h"), transit: Fixed("12h"), import: Fixed("1h"))"#,
    );
    // The device loaded at 2d 01:00 reached S3 at 2d 15:00, during the cut: it did not use the link.
    assert!(snowball.contains("snapshot of 2d 01:00:00"), "{snowball}");
}

/// A file gateway uploading over a 100 Mbit/s VPN (0.0125 GB/s), a write burst at 8 h, the site lost at
/// 10 h; the runbook mounts the S3 copy in us-east-1 and moves DNS to an API there.
fn gateway(bursts: &str) -> Vec<RunResult> {
    let text = format!(
        r#"(name: "gateway", horizon: "1d",
            regions: [(name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))), (name: "us-east-1", azs: ["us-east-1a"])],
            resources: {{
                "app": OnPremApp(site: "dc"),
                "db": OnPremDb(site: "dc", offsite: [StorageGateway(to: "us-east-1", upload_lag: Fixed("10s"), bursts: [{bursts}])]),
                "api": Lambda(region: "us-east-1"),
                "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
            }},
            flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
            disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: At("10h"))],
            runbooks: [(name: "mount", trigger: Onset, start_at: "mount", states: {{
                "mount": Task(action: Promote(store: "db", region: "us-east-1"), next: "dns"),
                "dns": Task(action: UpdateDns(record: "dns", target: "api")),
            }})])"#
    );
    let s = scenarios::load_text("gateway.ron", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (0..20)
        .map(|k| run_replication(&s, s.seed, k, None).unwrap())
        .collect()
}

#[test]
fn an_upload_buffer_the_link_has_not_drained_raises_rpo_by_the_backlogs_time() {
    let secs = |runs: &[RunResult]| runs.iter().map(rpo_s).fold(0.0_f64, f64::max);
    // No burst: the steady upload lag alone.
    assert!((secs(&gateway("")) - 10.0).abs() < 1.0);
    // 45 GB drains in 1 h, long before the loss: no effect.
    assert!((secs(&gateway(r#"(at: "8h", gb: 45)"#)) - 10.0).abs() < 1.0);
    // 450 GB needs 10 h: at the loss every write since the burst (2 h) is still in the buffer.
    let held = secs(&gateway(r#"(at: "8h", gb: 450)"#));
    assert!((held - (2.0 * HOUR_S + 10.0)).abs() < 1.0, "{held}");
}

/// A 1,000 GB database replicated by DMS over a 1 Gbit/s link (full load: 8,000 s ≈ 2.2 h); the site is lost
/// at `onset`; the runbook cuts over to the RDS target in us-east-1.
fn dms(onset: &str) -> RunResult {
    let text = format!(
        r#"(name: "dms", horizon: "1d",
            regions: [(name: "dc", azs: [], site: (link: (kind: DirectConnect))), (name: "us-east-1", azs: ["us-east-1a"])],
            resources: {{
                "app": OnPremApp(site: "dc"),
                "db": OnPremDb(site: "dc", offsite: [Dms(to: "us-east-1", cdc_lag: Fixed("3s"), cutover: Fixed("5m"))]),
                "api": Lambda(region: "us-east-1"),
                "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
            }},
            flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
            disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: At("{onset}"))],
            runbooks: [(name: "cutover", trigger: Onset, start_at: "promote", states: {{
                "promote": Task(action: Promote(store: "db", region: "us-east-1"), next: "dns"),
                "dns": Task(action: UpdateDns(record: "dns", target: "api")),
            }})])"#
    );
    let s = scenarios::load_text("dms.ron", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    run_replication(&s, s.seed, 0, None).unwrap()
}

#[test]
fn dms_after_its_full_load_loses_the_cdc_lag_and_before_it_cannot_cut_over() {
    let r = dms("10h");
    // The writes of the last 3 s (at 1 write/s: the window up to the last lost write).
    assert!((0.0..=3.0).contains(&rpo_s(&r)), "{:?}", r.rpo);
    // RTO: the 5 min cutover, then DNS (propagation and one 60 s TTL).
    let rto = rto_s(&r);
    assert!((300.0..=300.0 + 180.0).contains(&rto), "{rto}");
    // Lost at 1 h, before the 2.2 h full load: the target is not a usable copy.
    let early = dms("1h");
    assert_eq!(early.rto, None);
    assert!(
        early
            .log
            .iter()
            .any(|e| e.text.contains("full load had not finished")),
        "{:?}",
        early.log
    );
}

/// Nightly tapes at 01:00, written in 2 h, picked up by a courier every `pickup` from 1d 12h, `transit` to
/// the vault and `recall` back from it.
fn tape(pickup: &str, recall: &str) -> String {
    format!(
        r#"Tape(to: "us-east-1", every: "1d", first_at: "1h", write: Fixed("2h"), pickup_every: "{pickup}", pickup_at: "1d 12h", transit: Fixed("4h"), recall: Fixed("{recall}"))"#
    )
}

#[test]
fn tapes_picked_up_every_p_lose_half_p_plus_the_courier_and_the_tapes_age_at_pickup() {
    // The newest tape at a 12:00 pickup is that day's (01:00, done 03:00): 11 h old; it reaches the vault
    // 4 h later. Mean RPO = P/2 + 4 h + 11 h over a pickup period of onsets.
    for (pickup, p_h, onset) in [
        ("7d", 168.0, ("22d 12h", "29d 12h")),
        ("1d", 24.0, ("22d 12h", "23d 12h")),
    ] {
        let runs = runs(&site(500, &tape(pickup, "1d"), "()", onset));
        let expected = (p_h / 2.0 + 4.0 + 11.0) * HOUR_S;
        let measured = mean(&runs, rpo_s);
        assert!(
            (measured - expected).abs() < 0.05 * p_h * HOUR_S,
            "pickup {pickup}: mean RPO {:.2} h, expected {:.2} h",
            measured / HOUR_S,
            expected / HOUR_S
        );
        for r in &runs {
            let h = rpo_s(r) / HOUR_S;
            assert!((15.0..=p_h + 15.0 + 0.01).contains(&h), "{h}");
        }
    }
}

#[test]
fn only_tapes_already_picked_up_survive_the_site_and_a_recall_adds_its_time_to_rto() {
    // Lost at 22d 10h, two hours before the weekly pickup: the tapes of the last week are lost with the
    // site, even for a restore days later; the one picked up at 15d 12h (written 15d 01:00) is used.
    for wait in ["1s", "5d"] {
        let s = site_waiting(500, &tape("7d", "1d"), "()", ("22d 10h", "22d 10h"), wait);
        let r = run_replication(&s, s.seed, 0, None).unwrap();
        let text = &r
            .log
            .iter()
            .find(|e| e.text.contains("restore from"))
            .expect("a restore")
            .text;
        assert!(text.contains("snapshot of 15d 01:00:00"), "{text}");
        assert!(
            text.contains("of which 1d 00h the tape's recall from the vault first"),
            "{text}"
        );
        // At once, the tape written at 22d 01:00 was still waiting for the pickup when the site went.
        if wait == "1s" {
            assert!(text.contains("22d 01:00:00 never left the site"), "{text}");
        }
    }
    // Same seeds and disasters: a recall of 2 d instead of 4 h adds 44 h to every RTO, not to RPO.
    let quick = runs(&site(500, &tape("7d", "4h"), "()", ("22d 12h", "29d 12h")));
    let slow = runs(&site(500, &tape("7d", "2d"), "()", ("22d 12h", "29d 12h")));
    for (a, b) in quick.iter().zip(&slow) {
        assert!(
            (rto_s(b) - rto_s(a) - 44.0 * HOUR_S).abs() < 1.0,
            "{} {}",
            rto_s(a),
            rto_s(b)
        );
        assert_eq!(a.rpo, b.rpo);
    }
}

fn tape_gateway(shelf: &str) -> String {
    format!(
        r#"TapeGateway(to: "us-east-1", every: "1d", first_at: "1h", write: Fixed("1h"), shelf: {shelf})"#
    )
}

#[test]
fn nightly_virtual_tapes_lose_half_a_day_plus_writing_and_uploading_the_tape() {
    // A 100 GB tape takes 8,000 s over 100 Mbit/s, 800 s over 1 Gbit/s.
    for mbps in [100u32, 1_000] {
        let runs = runs(&site(mbps, &tape_gateway("Standard"), "()", ("5d", "6d")));
        let expected = 12.0 * HOUR_S + HOUR_S + 100.0 * 8_000.0 / f64::from(mbps);
        let measured = mean(&runs, rpo_s);
        assert!(
            (measured - expected).abs() < 0.6 * HOUR_S,
            "{mbps} Mbit/s: mean RPO {:.2} h, expected {:.2} h",
            measured / HOUR_S,
            expected / HOUR_S
        );
    }
}

#[test]
fn a_tape_on_the_shelf_is_retrieved_first_deep_archive_within_12_hours() {
    let library = runs(&site(500, &tape_gateway("Standard"), "()", ("5d", "6d")));
    // (shelf, least and most the retrieval adds, its mean): C37.
    for (shelf, (lo, hi), mid) in [
        ("GlacierFlexibleRetrieval", (3.0, 5.0), 4.0),
        ("GlacierDeepArchive", (6.0, 12.0), 9.0),
    ] {
        let shelved = runs(&site(500, &tape_gateway(shelf), "()", ("5d", "6d")));
        for (a, b) in library.iter().zip(&shelved) {
            let added = (rto_s(b) - rto_s(a)) / HOUR_S;
            assert!((lo..=hi).contains(&added), "{shelf}: {added:.2} h");
            assert_eq!(a.rpo, b.rpo);
        }
        let added = (mean(&shelved, rto_s) - mean(&library, rto_s)) / HOUR_S;
        assert!(
            (added - mid).abs() < 0.1 * (hi - lo) + 0.2,
            "{shelf}: {added:.2} h"
        );
    }
}

/// A site with a 100 Mbit/s VPN, a 100 GB stored volume snapshotted by `offsite`, lost at a time uniform
/// in `onset`; the runbook restores a volume from the latest snapshot in `region`, repoints and moves DNS to
/// an API there.
fn stored(offsite: &str, onset: (&str, &str), region: &str) -> Vec<RunResult> {
    let text = format!(
        r#"(name: "stored", horizon: "10d",
            regions: [
                (name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))),
                (name: "us-east-1", azs: ["us-east-1a"]),
                (name: "us-west-2", azs: ["us-west-2a"]),
            ],
            resources: {{
                "app": OnPremApp(site: "dc"),
                "db": OnPremDb(site: "dc", size_gb: 100, offsite: [{offsite}], restore: (base: Fixed("30m"), per_gb: "0s")),
                "api": Lambda(region: "{region}"),
                "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
            }},
            flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
            disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: Uniform("{}", "{}"))],
            runbooks: [(name: "recover", trigger: Onset, start_at: "restore", states: {{
                "restore": Task(action: RestoreSnapshot(store: "db", region: "{region}"), next: "repoint"),
                "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m")), next: "dns"),
                "dns": Task(action: UpdateDns(record: "dns", target: "api")),
            }})])"#,
        onset.0, onset.1
    );
    let s = scenarios::load_text("stored.ron", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    runs(&s)
}

#[test]
fn stored_volume_snapshots_every_s_lose_half_s_plus_the_upload_and_a_copy_adds_its_time() {
    // 50 GB changed between snapshots: 4,000 s over 100 Mbit/s.
    let upload = 50.0 * 8_000.0 / 100.0;
    for (every, s_h) in [("4h", 4.0), ("12h", 12.0)] {
        let path = format!(
            r#"StoredVolume(to: "us-east-1", every: "{every}", first_at: "1h", changed_gb: 50)"#
        );
        let runs = stored(&path, ("5d", &format!("5d {every}")), "us-east-1");
        let expected = s_h / 2.0 * HOUR_S + upload;
        let measured = mean(&runs, rpo_s);
        assert!(
            (measured - expected).abs() < 0.05 * s_h * HOUR_S,
            "every {every}: mean RPO {:.2} h, expected {:.2} h",
            measured / HOUR_S,
            expected / HOUR_S
        );
    }
    // Each snapshot copied on to us-west-2 in 30 min (the first, in 2 h): restored there, RPO grows by it.
    let path = r#"StoredVolume(to: "us-east-1", every: "4h", first_at: "1h", changed_gb: 50, copy_to: (region: "us-west-2", first_copy: Fixed("2h"), copy: Fixed("30m")))"#;
    let runs = stored(path, ("5d", "5d 4h"), "us-west-2");
    let expected = 2.0 * HOUR_S + upload + 1_800.0;
    let measured = mean(&runs, rpo_s);
    assert!(
        (measured - expected).abs() < 0.2 * HOUR_S,
        "{:.2} h",
        measured / HOUR_S
    );
    assert!(runs.iter().all(|r| r.rto.is_some()));
}

#[test]
fn a_snapshot_schedule_outside_1_to_24_whole_hours_is_refused() {
    for every in ["30m", "25h", "5h 30m"] {
        let text = format!(
            r#"(name: "bad", horizon: "1d",
                regions: [(name: "dc", azs: [], site: (link: (kind: Vpn))), (name: "us-east-1", azs: ["us-east-1a"])],
                resources: {{ "db": OnPremDb(site: "dc", offsite: [StoredVolume(to: "us-east-1", every: "{every}")]) }})"#
        );
        let e = scenarios::load_text("bad.ron", &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("1 to 24 whole hours"), "{every}: {e}");
    }
}

#[test]
fn hourly_tapes_waiting_a_week_for_the_courier_are_still_found_in_the_vault() {
    // Hourly tapes (10 min each), a weekly pickup from 1d 12h: lost at 5d, the newest tape in the vault is
    // the one written at 1d 11:00, 85 tapes back; the walk looks back over the tapes of a whole pickup.
    let path = r#"Tape(to: "us-east-1", every: "1h", first_at: "1h", write: Fixed("10m"), pickup_every: "7d", pickup_at: "1d 12h", transit: Fixed("4h"), recall: Fixed("4h"))"#;
    let s = site(500, path, "()", ("5d", "5d"));
    let r = run_replication(&s, s.seed, 0, None).unwrap();
    let text = &r
        .log
        .iter()
        .find(|e| e.text.contains("restore from"))
        .expect("a restore")
        .text;
    assert!(text.contains("snapshot of 1d 11:00:00"), "{text}");
    // More often than hourly is refused.
    let faster = path.replace(r#"every: "1h""#, r#"every: "30m""#);
    let text = site_text(500, &faster);
    let e = scenarios::load_text("fast.ron", &text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("every must be at least 1h"), "{e}");
}
