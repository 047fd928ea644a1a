//! Tests of the data stores as scenario text builds them: defaults, unknown fields and names, bad values.

use crate::engine::dist::Dist;
use crate::engine::rng::RngStreams;
use crate::model::place::Catalog;
use crate::model::{BuildCx, DataStore, Runtime};
use crate::spec::*;

fn catalog() -> Catalog {
    let mut c = Catalog::new();
    let east = c.add_region("us-east-1");
    c.add_az("us-east-1a", east);
    c.add_az("us-east-1b", east);
    let west = c.add_region("us-west-2");
    c.add_az("us-west-2a", west);
    c
}

fn build(ron_text: &str) -> Result<Box<dyn DataStore>, String> {
    let config: Resource = ron::from_str(ron_text).map_err(|e| e.to_string())?;
    let (catalog, streams, scenario) = (catalog(), RngStreams::new(1, 0), Scenario::default());
    let cx = BuildCx {
        name: "db",
        index: 0,
        catalog: &catalog,
        streams: &streams,
        scenario: &scenario,
        resolve: &|_| None,
    };
    match config.service().build(&cx).map_err(|e| e.to_string())? {
        Runtime::Store(store) => Ok(store),
        Runtime::Component(_) => Err("not a store".into()),
    }
}

#[test]
fn scenario_text_reads_with_defaults() {
    let store = build(
        r#"Rds((
            deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b"),
            read_replicas: [(az: "us-west-2a")],
        ))"#,
    )
    .unwrap();
    assert_eq!(store.name(), "db");
    let config: Resource = ron::from_str(
        r#"Aurora((instance_azs: ["us-east-1a"], secondaries: [(region: "us-west-2", lag: LogNormal("100ms", "1s"))]))"#,
    )
    .unwrap();
    let Resource::Aurora(aurora) = &config else {
        panic!("{config:?}")
    };
    assert_eq!(aurora.failover, Dist::log_normal("20s", "60s"));
    assert!(
        build(r#"DynamoDb((region: "us-east-1", replicas: ["us-west-2"], pitr: true))"#).is_ok()
    );
    assert!(
        build(r#"S3((region: "us-east-1", replication: Some((region: "us-west-2", rtc: true))))"#)
            .is_ok()
    );
}

#[test]
fn unknown_fields_and_names_are_errors_that_name_them() {
    let err = build(r#"S3((region: "us-east-1", versoning: true))"#).unwrap_err();
    assert!(err.contains("versoning"), "{err}");
    let err = build(r#"S3((region: "eu-south-9"))"#).unwrap_err();
    assert!(
        err.contains("store \"db\"") && err.contains("eu-south-9") && err.contains("us-east-1"),
        "{err}"
    );
    let err = build(r#"Rds((deployment: SingleAz(az: "us-east-1z")))"#).unwrap_err();
    assert!(
        err.contains("deployment.az") && err.contains("us-east-1z"),
        "{err}"
    );
    let err = build(
        r#"Rds((deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-west-2a")))"#,
    )
    .unwrap_err();
    assert!(err.contains("not in the writer's region"), "{err}");
}

#[test]
fn bad_values_are_rejected_with_what_would_be_valid() {
    let check = |text: &str, expect: &str| {
        let err = build(text).unwrap_err();
        assert!(err.contains(expect), "{text}: {err}");
    };
    check(
        r#"Rds((deployment: SingleAz(az: "us-east-1a"), multi_az_failover: Uniform("2m", "1m")))"#,
        "multi_az_failover: Uniform(\"2m\", \"1m\")",
    );
    check(
        r#"Rds((deployment: SingleAz(az: "us-east-1a"), backup_plan: Some((every: "30m"))))"#,
        "backup_plan.every is 30m",
    );
    check(
        r#"Rds((deployment: SingleAz(az: "us-east-1a"), backup_retention: "40d"))"#,
        "1 to 35 days",
    );
    check(
        r#"Rds((deployment: MultiAzCluster(writer_az: "us-east-1a", reader_azs: ["us-east-1b"])))"#,
        "exactly 2 reader standbys",
    );
    check(r#"Aurora((instance_azs: []))"#, "instance_azs is empty");
    check(r#"DynamoDb((region: "us-east-1", items: 0))"#, "items is 0");
    check(
        r#"S3((region: "us-east-1", replication: Some((region: "us-east-1"))))"#,
        "another region",
    );
    check(
        r#"Aurora((instance_azs: ["us-east-1a"], backup_plan: Some((copy_to: Some("mars-1")))))"#,
        "backup_plan.copy_to names region \"mars-1\"",
    );
}

#[test]
fn rds_standbys_sharing_their_writers_az_are_refused() {
    // RDS places a Multi-AZ cluster's writer and two readers in three AZs and a Multi-AZ instance's standby
    // in another AZ than its primary; such a copy would fail with its writer, so it is refused.
    let err = |text: &str| build(text).err().unwrap_or_default();
    for (text, expect) in [
        (
            r#"Rds((deployment: MultiAzCluster(writer_az: "us-east-1a", reader_azs: ["us-east-1b", "us-east-1b"])))"#,
            "reader_azs names us-east-1b twice",
        ),
        (
            r#"Rds((deployment: MultiAzCluster(writer_az: "us-east-1a", reader_azs: ["us-east-1a", "us-east-1b"])))"#,
            "reader_azs includes the writer's AZ us-east-1a",
        ),
        (
            r#"Rds((deployment: MultiAzInstance(primary_az: "us-east-1b", standby_az: "us-east-1b")))"#,
            "standby_az is the primary's AZ",
        ),
    ] {
        assert!(err(text).contains(expect), "{text}: {:?}", err(text));
    }
}

#[test]
fn defaults_round_trip_through_text() {
    let config = Resource::Rds(RdsConfig::new(RdsDeployment::SingleAz {
        az: "us-east-1a".into(),
    }));
    let text = ron::to_string(&config).unwrap();
    assert_eq!(ron::from_str::<Resource>(&text).unwrap(), config);
    assert!(config.service().check("db", &catalog()).is_empty());
}
