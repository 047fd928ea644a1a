//! Golden trace digests: every built-in scenario at seed 1, replication 0. Any change in behaviour (event
//! order, timing, RNG use, a model's reaction) changes a digest here, so it shows up in review.
//!
//! To update deliberately: run `DRSIM_PRINT_GOLDEN=1 cargo test -p scenarios --test it golden -- --nocapture`,
//! check that the changed scenarios are the ones your change should affect (and `drsim replay NAME --seed 1`
//! tells the same story as before, apart from what you meant to change), and paste the printed table.

use sim_core::sweep::run_replication;

use crate::load;

/// `(built-in, digest at seed 1, replication 0)`.
const GOLDEN: &[(&str, &str)] = &[
    ("backup-restore", "6e0dea5ab52e6de1"),
    ("pilot-light", "3127a86bfbf7ea0b"),
    ("warm-standby", "3567c44429b96cd7"),
    ("multi-site", "bab51c8f734b5c7b"),
    ("unishop-backup-restore", "1dd58e43efc70697"),
    ("unishop-hot-standby", "56c4c32b0fda0354"),
    ("securecart-multi-az", "69f27a26ee2f49b0"),
    ("securecart-read-replica", "d274ca1e90d1c9aa"),
    ("securecart-pitr", "002560985af5bfe1"),
    ("securecart-aurora-global", "4cd3daf63a39ca6e"),
    ("securecart-dynamodb-global", "94de85a8d4d7dc04"),
    ("onprem-snowball", "713d6371030722f9"),
    ("onprem-datasync-glacier", "16ff1aee91ce3ace"),
    ("onprem-dms-pilot-light", "72eddf9f19883676"),
    ("onprem-tape-offsite", "49c29cf7e477b44a"),
    ("onprem-tape-gateway", "e50b73d3c546d290"),
    ("warm-standby-failback", "0b57c7168888ba7d"),
    ("warm-standby-failback-planned", "8e463b81ae180ca8"),
    ("arc-failover", "3a3af00d71b2ce42"),
];

#[test]
fn builtin_digests_are_golden() {
    let names = scenarios::builtin_names();
    let mut actual = Vec::new();
    for name in &names {
        let result = run_replication(&load(name, &[]), 1, 0, None).unwrap();
        actual.push((name.to_string(), result.digest.to_string()));
    }
    let table: String = actual
        .iter()
        .map(|(n, d)| format!("    ({n:?}, {d:?}),\n"))
        .collect();
    if std::env::var_os("DRSIM_PRINT_GOLDEN").is_some() {
        println!("const GOLDEN: &[(&str, &str)] = &[\n{table}];");
    }
    let expected: Vec<(String, String)> = GOLDEN
        .iter()
        .map(|&(n, d)| (n.to_string(), d.to_string()))
        .collect();
    assert_eq!(
        actual, expected,
        "\nA built-in scenario's trace digest changed: its behaviour at seed 1 changed.\n\
         If that is intended, review it (`drsim replay NAME --seed 1` before and after) and replace GOLDEN in \
         scenarios/tests/it/golden.rs with:\n\nconst GOLDEN: &[(&str, &str)] = &[\n{table}];\n"
    );
}
