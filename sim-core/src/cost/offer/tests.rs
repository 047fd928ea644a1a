//! Unit tests of `cost/offer.rs` on offer-file fixtures in the formats AWS publishes.

use super::*;

const JSON: &str = include_str!("../../../../tests/fixtures/price-list/ec2-eu-west-1.json");
const CSV: &str = include_str!("../../../../tests/fixtures/price-list/rds-eu-west-1.csv");

#[test]
fn a_json_offer_file_gives_on_demand_linux_prices_and_skips_the_rest() {
    let offer = parse(JSON, "ec2.json").unwrap();
    let keys: Vec<(&str, f64)> = offer.prices.iter().map(|(k, &v)| (k.as_str(), v)).collect();
    assert_eq!(
        keys,
        [
            ("ebs/eu-west-1/gb-month", 0.088),
            ("ec2/eu-west-1/m5.large", 0.107),
            ("ec2/eu-west-1/r5.large", 0.141),
            ("transfer/eu-west-1/inter-region-gb", 0.02),
        ]
    );
    // Windows and GovCloud (reserved terms are not read at all).
    assert_eq!(offer.skipped, 2);
    assert_eq!(offer.published.as_deref(), Some("2025-01-15T00:00:00Z"));
}

#[test]
fn a_csv_offer_file_gives_single_az_mysql_and_aurora_prices() {
    let offer = parse(CSV, "rds.csv").unwrap();
    let keys: Vec<(&str, f64)> = offer.prices.iter().map(|(k, &v)| (k.as_str(), v)).collect();
    assert_eq!(
        keys,
        [
            ("aurora/eu-west-1/db.r6g.large", 0.29),
            ("rds/eu-west-1/db.r6g.large", 0.24),
            ("rds/eu-west-1/gb-month", 0.127),
        ]
    );
    assert_eq!(offer.skipped, 2, "Multi-AZ and the reserved term");
    assert_eq!(offer.published.as_deref(), Some("2025-01-15T00:00:00Z"));
}

#[test]
fn bad_files_are_errors_naming_the_file() {
    let cases = [
        ("", "neither JSON nor a CSV"),
        ("{\"products\": ", "invalid JSON"),
        (
            "{\"offerCode\": \"AmazonEC2\"}",
            "no `products` and `terms`",
        ),
        (
            "{\"products\": {}, \"terms\": {\"OnDemand\": {}}}",
            "nothing in it is a price drsim uses",
        ),
        ("\"SKU\",\"Unit\"\n\"A\",\"Hrs\"\n", "no \"PricePerUnit\""),
        (
            "\"SKU\",\"TermType\",\"Unit\",\"PricePerUnit\"\n\"A\",\"OnDemand\",\"Hrs\",\"cheap\"\n",
            "line 2: PricePerUnit \"cheap\" is not a number",
        ),
        ("a,b\nc,d\n", "neither JSON nor a CSV"),
    ];
    for (text, expected) in cases {
        let e = parse(text, "prices.json").unwrap_err();
        assert!(e.starts_with("prices.json: "), "{e}");
        assert!(e.contains(expected), "{text:?}: {e}");
    }
}

#[test]
fn csv_records_follow_rfc_4180_quoting() {
    assert_eq!(
        csv_record(r#""a,b","say ""hi""",,c"#),
        ["a,b", "say \"hi\"", "", "c"]
    );
}

#[test]
fn a_scenario_keeps_only_its_regions_and_the_items_it_can_use() {
    let offer = parse(JSON, "ec2.json").unwrap();
    let table = super::super::PriceTable::example();
    let kept = for_scenario(&offer, &["eu-west-1"], &table, "");
    assert!(kept.contains_key("ec2/eu-west-1/m5.large"));
    assert!(
        !kept.contains_key("ec2/eu-west-1/r5.large"),
        "unknown and unnamed"
    );
    let named = for_scenario(
        &offer,
        &["eu-west-1"],
        &table,
        r#"instance_type: "r5.large""#,
    );
    assert!(named.contains_key("ec2/eu-west-1/r5.large"));
    assert!(for_scenario(&offer, &["us-east-1"], &table, "").is_empty());
}
