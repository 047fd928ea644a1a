//! The cost breakdown, the same in text, Markdown, JSON and HTML: a row per priced line of each resource, a
//! subtotal per resource with more than one line, and the total, which is the sum of the lines.

use serde_json::{Value, json};
use sim_core::cost::CostLine;

use crate::human::{NONE, printable, thousands};

/// A breakdown row: resource (first line of its group only), line item, USD per month, share of the
/// total, and what kind of row it is.
pub(crate) struct CostRow {
    /// The cells.
    pub cells: Vec<String>,
    /// `""`, `"subtotal"` or `"total"`.
    pub class: &'static str,
}

/// USD with cents and thousands separators: `$1,234.56`.
pub fn usd(value: f64) -> String {
    if !value.is_finite() {
        return NONE.to_string();
    }
    let cents = (value.abs() * 100.0).round() as u64;
    let sign = if value < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${}.{:02}", thousands(cents / 100), cents % 100)
}

fn share(part: f64, total: f64) -> String {
    if total > 0.0 {
        format!("{:.0}%", part / total * 100.0)
    } else {
        NONE.to_string()
    }
}

/// The total of `lines`, in their order (the same sum the cost model reports).
pub fn total(lines: &[CostLine]) -> f64 {
    lines.iter().map(|l| l.monthly_usd).sum()
}

/// The rows of the breakdown of `lines` (consecutive lines of a resource form its group), money formatted
/// by `money`.
pub(crate) fn rows(lines: &[CostLine], money: fn(f64) -> String) -> Vec<CostRow> {
    let total = total(lines);
    let mut rows = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let resource = &lines[i].resource;
        let group = lines[i..]
            .iter()
            .take_while(|l| &l.resource == resource)
            .count();
        let group = &lines[i..i + group];
        for (k, l) in group.iter().enumerate() {
            let name = if k == 0 {
                resource.clone()
            } else {
                String::new()
            };
            rows.push(CostRow {
                cells: vec![
                    name,
                    l.what.clone(),
                    money(l.monthly_usd),
                    share(l.monthly_usd, total),
                ],
                class: "",
            });
        }
        if group.len() > 1 {
            let sum: f64 = group.iter().map(|l| l.monthly_usd).sum();
            rows.push(CostRow {
                cells: vec![
                    String::new(),
                    format!("{resource} in all"),
                    money(sum),
                    share(sum, total),
                ],
                class: "subtotal",
            });
        }
        i += group.len();
    }
    rows.push(CostRow {
        cells: vec![
            "total".to_string(),
            "steady state, per month".to_string(),
            money(total),
            "100%".to_string(),
        ],
        class: "total",
    });
    rows
}

/// Headers of [`rows`].
pub(crate) const HEADER: [&str; 4] = ["resource", "line item", "USD / month", "share"];

/// The sum of `lines` per Region they bill in, sorted by Region (`global` among them).
pub fn by_region(lines: &[CostLine]) -> Vec<(String, f64)> {
    let mut sums: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    for l in lines {
        *sums.entry(l.region.as_str()).or_default() += l.monthly_usd;
    }
    sums.into_iter().map(|(r, v)| (r.to_string(), v)).collect()
}

/// "per Region: us-east-1 $1.00, global $2.00".
fn by_region_line(lines: &[CostLine]) -> String {
    let parts: Vec<String> = by_region(lines)
        .iter()
        .map(|(r, v)| {
            let region = if r.is_empty() { "-" } else { r };
            format!("{} {}", printable(region), usd(*v))
        })
        .collect();
    format!("per Region: {}", parts.join(", "))
}

/// The breakdown as an aligned text table, indented by `indent`, then the sum per Region.
pub fn cost_text(lines: &[CostLine], indent: &str) -> String {
    let rows: Vec<Vec<String>> = rows(lines, usd)
        .into_iter()
        .map(|r| r.cells.iter().map(|c| printable(c).into_owned()).collect())
        .collect();
    let mut out = crate::table::render_left(indent, &HEADER, &rows, 2);
    out.push_str(&format!("{indent}{}\n", by_region_line(lines)));
    out
}

/// The breakdown as a Markdown table.
pub fn cost_markdown(lines: &[CostLine]) -> String {
    let rows: Vec<Vec<String>> = rows(lines, usd)
        .into_iter()
        .map(|r| {
            let cells = r.cells.iter().map(|c| printable(c).into_owned()).collect();
            (r.class, cells)
        })
        .map(|(class, cells): (&str, Vec<String>)| match class {
            "" => cells,
            _ => cells.into_iter().map(|c| format!("**{c}**")).collect(),
        })
        .map(|r| {
            r.into_iter()
                .map(|c| if c == "****" { String::new() } else { c })
                .collect()
        })
        .collect();
    let mut out = crate::markdown::table(&HEADER, &rows);
    out.push_str(&format!("\n{}.\n", by_region_line(lines)));
    out
}

/// The breakdown as JSON: `monthly_usd` (the sum of the lines), `lines` (`resource`, `what`,
/// `region`, `monthly_usd`, in the model's order), `by_resource` (resource → its lines' sum) and
/// `by_region` (Region → its lines' sum).
pub fn cost_json(lines: &[CostLine]) -> Value {
    let mut by_resource = serde_json::Map::new();
    for l in lines {
        let sum = by_resource
            .get(&l.resource)
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        by_resource.insert(l.resource.clone(), json!(sum + l.monthly_usd));
    }
    json!({
        "monthly_usd": total(lines),
        "lines": lines.iter().map(|l| json!({
            "resource": l.resource,
            "what": l.what,
            "region": l.region,
            "monthly_usd": l.monthly_usd,
        })).collect::<Vec<_>>(),
        "by_resource": by_resource,
        "by_region": by_region(lines).into_iter().map(|(r, v)| (r, json!(v))).collect::<serde_json::Map<_, _>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(resource: &str, what: &str, monthly_usd: f64) -> CostLine {
        CostLine {
            resource: resource.to_string(),
            what: what.to_string(),
            region: "us-east-1".to_string(),
            monthly_usd,
        }
    }

    #[test]
    fn the_breakdown_groups_by_resource_and_sums_to_the_total() {
        let lines = [
            line("db", "2 × db.r6g.large", 313.9),
            line("db", "100 GB storage", 23.0),
            line("web", "3 × m5.large", 1234.5),
        ];
        let text = cost_text(&lines, "  ");
        assert!(text.contains("db in all"), "{text}");
        assert!(text.contains("$336.90"), "{text}");
        assert!(text.contains("$1,571.40"), "{text}");
        assert!(
            !text.contains("web in all"),
            "one line, no subtotal: {text}"
        );
        let md = cost_markdown(&lines);
        assert!(md.contains("| **total** |"), "{md}");
        let j = cost_json(&lines);
        let sum: f64 = j["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["monthly_usd"].as_f64().unwrap())
            .sum();
        assert_eq!(sum.to_bits(), j["monthly_usd"].as_f64().unwrap().to_bits());
        assert_eq!(j["by_resource"]["db"].as_f64(), Some(313.9 + 23.0));
        assert_eq!(usd(-0.004), "$0.00");
        assert_eq!(usd(1234567.891), "$1,234,567.89");
    }
}
