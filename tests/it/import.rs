//! `drsim import`: each importer writes a scenario that `drsim validate`, `run` and `sweep` accept, to
//! stdout or `-o FILE`; malformed inputs and bad flags exit 2 with a positioned message, never a panic.

use crate::{arg, drsim, fails, ok, tmp};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tests/import");

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

#[test]
fn a_two_region_template_imports_validates_runs_and_sweeps() {
    let dir = tmp();
    let out = arg(dir.path(), "shop.ron");
    let app = fixture("app.yaml");
    let east = format!("us-east-1={app},IsPrimary=yes");
    let west = format!("us-west-2={app},IsPrimary=no");
    let o = drsim(&[
        "import",
        "cloudformation",
        "--stack",
        &east,
        "--stack",
        &west,
        "-o",
        &out,
        "--name",
        "shop",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("// Import report"), "{text}");
    assert!(ok(&drsim(&["validate", &out])).starts_with("shop: ok (2 Regions"));
    let run = ok(&drsim(&["run", &out, "--json"]));
    assert!(run.contains("\"rto_s\""), "{run}");
    let sweep = ok(&drsim(&["sweep", &out, "--runs", "50", "--json"]));
    assert!(
        sweep.contains("\"runs\":50") || sweep.contains("\"runs\": 50"),
        "{sweep}"
    );
    // stdout without -o: the same text.
    let printed = ok(&drsim(&[
        "import",
        "cloudformation",
        "--stack",
        &east,
        "--stack",
        &west,
        "--name",
        "shop",
    ]));
    assert_eq!(printed, text);
}

#[test]
fn every_importer_writes_a_valid_scenario() {
    let dir = tmp();
    for (i, args) in [
        vec!["import", "terraform", &fixture("plan.json")],
        vec![
            "import",
            "fis",
            &fixture("az-power.fis.json"),
            "--scenario",
            "pilot-light",
        ],
        vec!["import", "fis", &fixture("az-power.fis.json")],
        vec![
            "import",
            "stepfunctions",
            &fixture("failover.asl.json"),
            "--scenario",
            "pilot-light",
            "--region",
            "us-west-2",
        ],
        vec!["import", "stepfunctions", &fixture("failover.asl.json")],
        vec![
            "import",
            "stepfunctions",
            &fixture("statemachine.yaml"),
            "--scenario",
            "pilot-light",
        ],
        vec![
            "import",
            "cloudformation",
            "--stack",
            &format!("us-east-1={}", fixture("cdk.template.json")),
        ],
        vec![
            "import",
            "cloudformation",
            "--stack",
            &format!("us-east-1={}", fixture("sam.yaml")),
        ],
    ]
    .iter()
    .map(|a| a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    .enumerate()
    {
        let out = arg(dir.path(), &format!("{i}.ron"));
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["-o", &out]);
        let o = drsim(&args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        ok(&drsim(&["validate", &out]));
        ok(&drsim(&["sweep", &out, "--runs", "5"]));
    }
}

#[test]
fn malformed_input_and_bad_flags_exit_2_with_a_position() {
    let dir = tmp();
    let bad = arg(dir.path(), "bad.yaml");
    std::fs::write(
        &bad,
        "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: !Sub [\n",
    )
    .unwrap();
    let err = fails(
        &drsim(&[
            "import",
            "cloudformation",
            "--stack",
            &format!("us-east-1={bad}"),
        ]),
        2,
    );
    assert!(
        err.contains(&format!("{bad}:6:")) || err.contains(&format!("{bad}:5:")),
        "{err}"
    );
    let err = fails(
        &drsim(&["import", "cloudformation", "--stack", "app.yaml"]),
        2,
    );
    assert!(err.contains("REGION=FILE"), "{err}");
    let app = fixture("app.yaml");
    let err = fails(
        &drsim(&[
            "import",
            "cloudformation",
            "--stack",
            &format!("us-east-1={app},IsPrimry=yes"),
        ]),
        2,
    );
    assert!(err.contains("did you mean \"IsPrimary\""), "{err}");
    let err = fails(
        &drsim(&[
            "import",
            "cloudformation",
            "--stack",
            &format!("us-east-1={app},IsPrimary=maybe"),
        ]),
        2,
    );
    assert!(err.contains("AllowedValues"), "{err}");
    let err = fails(
        &drsim(&[
            "import",
            "stepfunctions",
            &fixture("failover.asl.json"),
            "--task",
            "X=Teleport()",
        ]),
        2,
    );
    assert!(err.contains("not a runbook action"), "{err}");
    let asl = arg(dir.path(), "bad.json");
    std::fs::write(&asl, "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Task\", \"Next\": \"Nowhere\", \"Resource\": \"x\"}}\n}\n").unwrap();
    let err = fails(&drsim(&["import", "stepfunctions", &asl]), 2);
    assert!(
        err.contains(&format!("{asl}:3:")) && err.contains("\"Nowhere\""),
        "{err}"
    );
    let err = fails(&drsim(&["import", "fis", &fixture("plan.json")]), 2);
    assert!(err.contains("not an experiment template"), "{err}");
    let err = fails(&drsim(&["import", "terraform", "/dev/zero"]), 2);
    assert!(err.contains("not a regular file"), "{err}");
    let err = fails(
        &drsim(&[
            "import",
            "terraform",
            &fixture("plan.json"),
            "-o",
            &fixture("plan.json"),
        ]),
        2,
    );
    assert!(!err.is_empty());
}
