//! Tests of the compute services (EC2, Auto Scaling, ALB, Lambda) together.

use proptest::prelude::*;

use crate::engine::dist::Dist;
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::ActionError;
use crate::model::place::{AzId, Catalog, Health, RegionId};
use crate::services::asg::{Asg, Instance};
use crate::services::testing::{cases, messages, rng};
use crate::spec::*;

fn catalog() -> Catalog {
    let mut c = Catalog::new();
    let east = c.add_region("us-east-1");
    for az in ["use1-az1", "use1-az2", "use1-az3"] {
        c.add_az(az, east);
    }
    let west = c.add_region("us-west-2");
    c.add_az("usw2-az1", west);
    c
}

fn asg(desired: u32, needed: u32, launch: Option<Dist>) -> AsgConfig {
    AsgConfig {
        region: "us-east-1".into(),
        azs: vec!["use1-az1".into(), "use1-az2".into(), "use1-az3".into()],
        desired,
        min: 0,
        max: 6,
        needed,
        os: Os::Linux,
        launch,
        replace_after: SimDuration::from_mins(2),
        instance_type: default_instance_type(),
    }
}

fn at(s: u64) -> SimTime {
    SimTime::at(SimDuration::from_secs(s))
}

#[test]
fn scaling_from_zero_takes_at_least_one_launch() {
    let (c, h, mut r) = (catalog(), Health::new(), rng(1));
    let mut g = Asg::new(&asg(0, 2, Some(Dist::fixed("90s"))), &c).unwrap();
    assert!(g.start(at(0), &h, &mut r).is_empty());
    assert!(g.capacity(at(0), &h) <= 0.0);
    let wakes = g.set_desired(at(100), &h, &mut r, 2).unwrap();
    assert_eq!(wakes, [at(190), at(190)]);
    assert!(g.capacity(at(189), &h) <= 0.0);
    assert!((g.capacity(at(190), &h) - 1.0).abs() < 1e-12);
    let azs: Vec<u8> = g.instances().iter().map(|i| i.az.0).collect();
    assert_eq!(azs, [0, 1], "spread over AZs");
}

#[test]
fn az_loss_is_replaced_in_surviving_azs_after_notice_and_launch() {
    let (c, mut h, mut r) = (catalog(), Health::new(), rng(2));
    let mut g = Asg::new(&asg(3, 3, Some(Dist::fixed("60s"))), &c).unwrap();
    g.start(at(0), &h, &mut r);
    assert!((g.capacity(at(0), &h) - 1.0).abs() < 1e-12);
    h.set_az(AzId(0), false);
    // Capacity drops at once (the world calls on_health_change; capacity also reads health).
    assert!((g.capacity(at(10), &h) - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(g.on_health_change(at(10), &h, &mut r), [at(130)]);
    assert!(g.on_wake(at(100), &h, &mut r).is_empty(), "not yet due");
    assert_eq!(g.on_wake(at(130), &h, &mut r), [at(190)]);
    assert_ne!(g.instances()[2].az, AzId(0));
    assert!((g.capacity(at(190), &h) - 1.0).abs() < 1e-12);
}

#[test]
fn nothing_launches_in_a_lost_region_until_it_heals() {
    let (c, mut h, mut r) = (catalog(), Health::new(), rng(3));
    let mut g = Asg::new(&asg(2, 2, Some(Dist::fixed("60s"))), &c).unwrap();
    g.start(at(0), &h, &mut r);
    h.set_region(RegionId(0), false, true);
    assert_eq!(g.on_health_change(at(0), &h, &mut r), [at(120)]);
    assert!(g.on_wake(at(120), &h, &mut r).is_empty());
    assert_eq!(
        g.set_desired(at(130), &h, &mut r, 4),
        Err(ActionError::ControlPlaneDown(RegionId(0)))
    );
    h.set_region(RegionId(0), true, true);
    assert_eq!(g.on_health_change(at(1000), &h, &mut r), [at(1120)]);
    assert_eq!(g.on_wake(at(1120), &h, &mut r), [at(1180), at(1180)]);
}

#[test]
fn a_desired_count_outside_min_and_max_is_a_validation_error_not_new_bounds() {
    // SetDesiredCapacity outside [min, max] fails with a ValidationError (Amazon EC2 Auto Scaling API
    // Reference); the group keeps its bounds and its instances.
    let (c, h, mut r) = (catalog(), Health::new(), rng(5));
    let mut config = asg(2, 2, Some(Dist::fixed("60s")));
    config.min = 2;
    let mut g = Asg::new(&config, &c).unwrap();
    g.start(at(0), &h, &mut r);
    for desired in [7, 1] {
        match g.set_desired(at(10), &h, &mut r, desired) {
            Err(ActionError::NotApplicable(why)) => {
                assert!(why.contains("min (2) and max (6)"), "{why}")
            }
            other => panic!("desired {desired}: {other:?}"),
        }
        assert_eq!(g.instances().len(), 2);
    }
    assert_eq!(g.set_desired(at(10), &h, &mut r, 6).map(|w| w.len()), Ok(4));
}

#[test]
fn scale_in_terminates_the_newest_first() {
    let (c, h, mut r) = (catalog(), Health::new(), rng(4));
    let mut g = Asg::new(&asg(1, 1, Some(Dist::fixed("60s"))), &c).unwrap();
    g.start(at(0), &h, &mut r);
    g.set_desired(at(10), &h, &mut r, 3).unwrap();
    g.set_desired(at(20), &h, &mut r, 1).unwrap();
    assert_eq!(
        g.instances(),
        [Instance {
            az: AzId(0),
            ready_at: at(0)
        }]
    );
}

#[test]
fn validation_names_field_and_range() {
    let c = catalog();
    let bad = AsgConfig {
        azs: vec!["use1-az1".into(), "usw2-az1".into()],
        desired: 9,
        needed: 0,
        ..asg(1, 1, None)
    };
    let text = messages(bad.validate(&c));
    assert_eq!(
        text,
        [
            "asg.azs is usw2-az1, but must be an AZ of us-east-1 (use1-az1, use1-az2, use1-az3)",
            "asg.desired is 9, but must be between min (0) and max (6)",
            "asg.needed is 0, but must be at least 1",
        ]
    );
    let alb = AlbConfig {
        unhealthy_threshold: 1,
        ..AlbConfig::new("eu-west-9", &["web"])
    };
    let text = messages(alb.validate(&c));
    assert_eq!(
        text,
        [
            "alb.region is eu-west-9, but must be one of us-east-1, us-west-2",
            "alb.unhealthy_threshold is 1, but must be 2..=10",
        ]
    );
    let ec2 = Ec2Config {
        az: "nowhere".into(),
        os: Os::Linux,
        launch: None,
        auto_recovery: true,
        instance_type: default_instance_type(),
    };
    assert_eq!(ec2.validate(&c).unwrap_err().len(), 1);
    assert!(
        LambdaConfig {
            region: "us-west-2".into()
        }
        .region_id(&c)
        .is_ok()
    );
}

#[test]
fn defaults_match_calibration() {
    let mut r = rng(5);
    let median = |dist: Dist, r: &mut Stream| {
        let mut xs: Vec<SimDuration> = (0..2_001).map(|_| dist.sample(r)).collect();
        xs.sort_unstable();
        xs[1_000].as_secs_f64()
    };
    let linux = median(default_launch(Os::Linux), &mut r);
    assert!(
        (55.0..65.0).contains(&linux) && linux > 26.0,
        "linux {linux}"
    );
    assert!(median(default_launch(Os::Windows), &mut r) >= 14.0 * 60.0);
    let alb = AlbConfig::new("us-east-1", &["web"]);
    for _ in 0..1_000 {
        let d = alb.detection_delay(&mut r);
        assert!(d >= SimDuration::from_secs(30) && d < SimDuration::from_secs(60));
    }
    let ec2 = Ec2Config {
        az: "use1-az1".into(),
        os: Os::Linux,
        launch: None,
        auto_recovery: false,
        instance_type: default_instance_type(),
    };
    assert_eq!(ec2.recovery_time(&mut r), None);
    let on = Ec2Config {
        auto_recovery: true,
        ..ec2
    };
    assert!(on.recovery_time(&mut r).unwrap() >= SimDuration::from_mins(1));
    let mut h = Health::new();
    assert!((LambdaConfig::capacity(RegionId(0), &h) - 1.0).abs() < 1e-12);
    h.set_az(AzId(0), false);
    assert!(
        (LambdaConfig::capacity(RegionId(0), &h) - 1.0).abs() < 1e-12,
        "survives an AZ"
    );
    h.set_region(RegionId(0), false, false);
    assert!(LambdaConfig::capacity(RegionId(0), &h) <= 0.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(128)))]

    /// Capacity is always in [0, 1]; from zero it stays 0 until the first launch completes and is 1
    /// once every launch has, when the Region is healthy and desired ≥ needed.
    #[test]
    fn capacity_is_a_share_and_scale_up_completes(
        seed in any::<u64>(), desired in 1u32..6, needed in 1u32..6, az_down in prop::option::of(0u8..3),
    ) {
        let (c, mut h, mut r) = (catalog(), Health::new(), rng(seed));
        let mut g = Asg::new(&asg(0, needed, None), &c).unwrap();
        g.start(at(0), &h, &mut r);
        let wakes = g.set_desired(at(50), &h, &mut r, desired).unwrap();
        let (first, last) = (wakes[0], wakes[wakes.len() - 1]);
        prop_assert!(first > at(50));
        prop_assert!(g.capacity(first.saturating_sub(SimDuration::from_micros(1)), &h) <= 0.0);
        let full = g.capacity(last, &h);
        prop_assert!((0.0..=1.0).contains(&full));
        if desired >= needed {
            prop_assert!((full - 1.0).abs() < 1e-12);
        }
        if let Some(az) = az_down {
            h.set_az(AzId(az), false);
            let mut wakes = g.on_health_change(last, &h, &mut r);
            while let Some(w) = wakes.pop() {
                prop_assert!((0.0..=1.0).contains(&g.capacity(w, &h)));
                wakes.extend(g.on_wake(w, &h, &mut r));
            }
            prop_assert_eq!(g.instances().len(), desired as usize);
        }
    }
}
