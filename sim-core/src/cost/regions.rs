//! Example prices for every commercial AWS Region: one row per Region with its price level relative to
//! us-east-1 and its inter-Region transfer price.
//!
//! **An example, not a quote** (as of [`REGIONS_AS_OF`]). A Region's example price for an item is the
//! us-east-1 figure of [`super::prices`] times the Region's `level` (rounded to 6 significant digits), and
//! `transfer/<region>/inter-region-gb` is the Region's own column. The levels are the ratio of the Region's
//! on-demand m5.large Linux price to us-east-1's on the AWS EC2 pricing page, applied to every item
//! (storage, databases and request prices vary less, so this overstates them a little in the dearer
//! Regions). us-west-1 and us-west-2 keep their own figures in the example table; the rows here only
//! document their level. Load real prices from an AWS Price List offer file (`--price-list`, see
//! [`super::offer`]) or override keys under `prices`.

/// When the Region levels were taken.
pub const REGIONS_AS_OF: &str = "2025-01";

/// One commercial Region's example price level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RegionLevel {
    /// The Region code.
    pub region: &'static str,
    /// Its location, as the AWS Price List names it.
    pub location: &'static str,
    /// Its prices relative to us-east-1's (m5.large on-demand ratio).
    pub level: f64,
    /// USD per GB sent from it to another Region.
    pub inter_region_gb: f64,
}

const fn row(
    region: &'static str,
    location: &'static str,
    level: f64,
    inter_region_gb: f64,
) -> RegionLevel {
    RegionLevel {
        region,
        location,
        level,
        inter_region_gb,
    }
}

/// Every commercial Region (not GovCloud or China), by code. m5.large USD/h in the comment.
pub const REGIONS: &[RegionLevel] = &[
    row("af-south-1", "Africa (Cape Town)", 1.323, 0.147), // 0.127
    row("ap-east-1", "Asia Pacific (Hong Kong)", 1.375, 0.09), // 0.132
    row("ap-east-2", "Asia Pacific (Taipei)", 1.25, 0.09), // estimate, new Region
    row("ap-northeast-1", "Asia Pacific (Tokyo)", 1.292, 0.09), // 0.124
    row("ap-northeast-2", "Asia Pacific (Seoul)", 1.229, 0.08), // 0.118
    row("ap-northeast-3", "Asia Pacific (Osaka)", 1.292, 0.09), // 0.124
    row("ap-south-1", "Asia Pacific (Mumbai)", 1.052, 0.086), // 0.101
    row("ap-south-2", "Asia Pacific (Hyderabad)", 1.052, 0.086), // 0.101
    row("ap-southeast-1", "Asia Pacific (Singapore)", 1.25, 0.09), // 0.12
    row("ap-southeast-2", "Asia Pacific (Sydney)", 1.25, 0.098), // 0.12
    row("ap-southeast-3", "Asia Pacific (Jakarta)", 1.25, 0.10), // 0.12
    row("ap-southeast-4", "Asia Pacific (Melbourne)", 1.25, 0.098), // 0.12
    row("ap-southeast-5", "Asia Pacific (Malaysia)", 1.146, 0.09), // estimate 0.11
    row("ap-southeast-6", "Asia Pacific (New Zealand)", 1.25, 0.098), // estimate, new Region
    row("ap-southeast-7", "Asia Pacific (Thailand)", 1.146, 0.09), // estimate 0.11
    row("ca-central-1", "Canada (Central)", 1.115, 0.02),  // 0.107
    row("ca-west-1", "Canada West (Calgary)", 1.115, 0.02), // 0.107
    row("eu-central-1", "EU (Frankfurt)", 1.198, 0.02),    // 0.115
    row("eu-central-2", "EU (Zurich)", 1.323, 0.02),       // 0.127
    row("eu-north-1", "EU (Stockholm)", 1.063, 0.02),      // 0.102
    row("eu-south-1", "EU (Milan)", 1.167, 0.02),          // 0.112
    row("eu-south-2", "EU (Spain)", 1.115, 0.02),          // 0.107
    row("eu-west-1", "EU (Ireland)", 1.115, 0.02),         // 0.107
    row("eu-west-2", "EU (London)", 1.156, 0.02),          // 0.111
    row("eu-west-3", "EU (Paris)", 1.167, 0.02),           // 0.112
    row("il-central-1", "Israel (Tel Aviv)", 1.26, 0.08),  // 0.121
    row("me-central-1", "Middle East (UAE)", 1.229, 0.1105), // 0.118
    row("me-south-1", "Middle East (Bahrain)", 1.229, 0.1105), // 0.118
    row("mx-central-1", "Mexico (Central)", 1.146, 0.02),  // estimate 0.11
    row("sa-east-1", "South America (Sao Paulo)", 1.594, 0.138), // 0.153
    row("us-east-1", "US East (N. Virginia)", 1.0, 0.02),  // 0.096, the base
    row("us-east-2", "US East (Ohio)", 1.0, 0.02),         // 0.096
    row("us-west-1", "US West (N. California)", 1.167, 0.02), // 0.112, own figures in the table
    row("us-west-2", "US West (Oregon)", 1.0, 0.02),       // 0.096, own figures in the table
];

/// The row of `region`, if it is a commercial Region.
pub fn level(region: &str) -> Option<&'static RegionLevel> {
    REGIONS.iter().find(|r| r.region == region)
}

/// The Region code of a Price List `location` (`"EU (Ireland)"` → `eu-west-1`).
pub fn by_location(location: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|r| r.location == location)
        .map(|r| r.region)
}

/// `value` rounded to 6 significant digits, so derived prices print as list prices do.
fn round6(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let digits = 5 - value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// The example keys of every Region the explicit table does not price: each `service/us-east-1/item` key
/// of `base` times the Region's level, and its inter-Region transfer price. Sorted by key.
pub fn derived(base: &[(&str, f64)]) -> Vec<(String, f64)> {
    let explicit = |region: &str| {
        base.iter()
            .any(|(k, _)| k.split('/').nth(1) == Some(region))
    };
    let mut out = Vec::new();
    for r in REGIONS.iter().filter(|r| !explicit(r.region)) {
        for (key, price) in base {
            let mut parts = key.splitn(3, '/');
            let (Some(service), Some("us-east-1"), Some(item)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let value = if service == "transfer" {
                r.inter_region_gb
            } else {
                round6(price * r.level)
            };
            out.push((format!("{service}/{}/{item}", r.region), value));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_is_listed_once_with_a_sane_level() {
        let mut codes: Vec<&str> = REGIONS.iter().map(|r| r.region).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a Region listed twice");
        assert!(n >= 34, "{n}");
        for r in REGIONS {
            assert!((1.0..2.0).contains(&r.level), "{r:?}");
            assert!((0.01..0.2).contains(&r.inter_region_gb), "{r:?}");
            assert_eq!(by_location(r.location), Some(r.region));
        }
    }

    #[test]
    fn derived_prices_scale_us_east_1_by_the_level() {
        let base = [
            ("ec2/us-east-1/m5.large", 0.096),
            ("transfer/us-east-1/inter-region-gb", 0.02),
            ("ec2/us-west-2/m5.large", 0.096),
            ("cloudfront/global/gb-out", 0.085),
        ];
        let d = derived(&base);
        let get = |k: &str| d.iter().find(|(key, _)| key == k).map(|e| e.1);
        assert_eq!(get("ec2/eu-west-1/m5.large"), Some(0.10704));
        assert_eq!(get("transfer/sa-east-1/inter-region-gb"), Some(0.138));
        assert_eq!(
            get("ec2/us-west-2/m5.large"),
            None,
            "explicit Regions keep theirs"
        );
        assert_eq!(get("ec2/us-east-1/m5.large"), None);
        assert!(d.iter().all(|(k, _)| !k.starts_with("cloudfront/")));
        assert_eq!(round6(0.123_456_78).to_bits(), 0.123_457_f64.to_bits());
    }
}
