//! Real prices from an AWS Price List offer file, the bulk JSON or CSV a user downloads
//! (`https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/[<region>/]index.{json,csv}`),
//! turned into price-table keys (`drsim … --price-list FILE`).
//!
//! - **JSON**: `products` (by SKU: `productFamily`, `attributes` with `regionCode` or `location`,
//!   `instanceType`, …) and `terms.OnDemand[sku][offerTermCode].priceDimensions[…]` (`unit`,
//!   `beginRange`, `pricePerUnit.USD`).
//! - **CSV**: metadata rows (`"FormatVersion"`, `"Publication Date"`, …), then a header row starting with
//!   `SKU` (`TermType`, `StartingRange`, `Unit`, `PricePerUnit`, `Product Family`, `Region Code`,
//!   `Instance Type`, …), then a row per price dimension.
//!
//! Attribute names are matched without case, spaces or punctuation (`Instance Type` = `instanceType`).
//! Only on-demand, first-tier prices of what the cost model bills are read (see [`key_of`]); everything
//! else is counted as skipped. A file that is not an offer file, or holds nothing the model uses, is an
//! error naming the file.

use std::collections::BTreeMap;

use serde_json::Value;

use super::regions::{by_location, level};

/// What an offer file priced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfferPrices {
    /// Price-table key → USD (per hour, GB-month, GB, or per million requests, as the key's item says).
    pub prices: BTreeMap<String, f64>,
    /// Price dimensions read but not used (other products, terms, tiers or Regions).
    pub skipped: usize,
    /// The file's publication date, when it gives one.
    pub published: Option<String>,
}

/// One price dimension with its product's attributes (names normalised).
struct Dimension {
    attributes: BTreeMap<String, String>,
    unit: String,
    begin: String,
    usd: f64,
}

/// `Instance Type`, `instanceType` → `instancetype`.
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Parses offer file `text` (named `file` in messages), JSON or CSV.
pub fn parse(text: &str, file: &str) -> Result<OfferPrices, String> {
    let text = text.trim_start_matches('\u{feff}');
    let (dimensions, published) = if text.trim_start().starts_with('{') {
        let root: Value = serde_json::from_str(text)
            .map_err(|e| format!("{file}: not an AWS Price List offer file: invalid JSON ({e})"))?;
        let published = root
            .get("publicationDate")
            .and_then(Value::as_str)
            .map(str::to_string);
        (json_prices(&root, file)?, published)
    } else {
        csv_prices(text, file)?
    };
    let mut out = OfferPrices {
        published,
        ..OfferPrices::default()
    };
    for d in dimensions {
        match d.as_ref().and_then(key_of) {
            Some((key, usd)) => {
                // Several dimensions may map to one key (a transfer price per destination): keep the
                // dearest, so the choice does not depend on the file's order.
                let slot = out.prices.entry(key).or_insert(usd);
                *slot = slot.max(usd);
            }
            None => out.skipped += 1,
        }
    }
    if out.prices.is_empty() {
        return Err(format!(
            "{file}: an AWS Price List offer file, but nothing in it is a price drsim uses (it reads \
             on-demand first-tier prices of EC2 Linux shared-tenancy instances, EBS gp3, RDS for MySQL \
             and Aurora MySQL instances, RDS gp2 storage, S3 Standard, DynamoDB on-demand requests and \
             inter-Region transfer, in commercial Regions); {} price dimensions skipped",
            out.skipped
        ));
    }
    Ok(out)
}

/// The first-tier on-demand price of `d` as a table key and value, if the model uses it.
fn key_of(d: &Dimension) -> Option<(String, f64)> {
    let a = |name: &str| d.attributes.get(name).map_or("", String::as_str);
    let first_tier = d.begin.is_empty() || d.begin.parse::<f64>().is_ok_and(|b| b == 0.0);
    if !first_tier || !d.usd.is_finite() || d.usd < 0.0 {
        return None;
    }
    let family = a("productfamily");
    if family == "Data Transfer" {
        if a("transfertype") != "InterRegion Outbound" {
            return None;
        }
        let from = match a("fromregioncode") {
            "" => by_location(a("fromlocation"))?,
            code => level(code)?.region,
        };
        return Some((format!("transfer/{from}/inter-region-gb"), d.usd));
    }
    let region = match a("regioncode") {
        "" => by_location(a("location"))?,
        code => level(code)?.region,
    };
    let service = a("servicecode");
    let hourly = d.unit.eq_ignore_ascii_case("Hrs");
    let gb_month = d.unit.eq_ignore_ascii_case("GB-Mo");
    let (item_service, item, usd) = match (service, family) {
        ("AmazonEC2", "Compute Instance")
            if hourly
                && a("operatingsystem") == "Linux"
                && a("tenancy") == "Shared"
                && a("preinstalledsw") == "NA"
                && matches!(a("capacitystatus"), "" | "Used") =>
        {
            ("ec2", a("instancetype").to_string(), d.usd)
        }
        ("AmazonEC2", "Storage") if gb_month && a("volumeapiname") == "gp3" => {
            ("ebs", "gb-month".to_string(), d.usd)
        }
        ("AmazonRDS", "Database Instance") if hourly && a("deploymentoption") == "Single-AZ" => {
            let service = match a("databaseengine") {
                "MySQL" => "rds",
                "Aurora MySQL" => "aurora",
                _ => return None,
            };
            (service, a("instancetype").to_string(), d.usd)
        }
        ("AmazonRDS", "Database Storage")
            if gb_month
                && a("databaseengine") == "MySQL"
                && a("deploymentoption") == "Single-AZ"
                && a("volumetype") == "General Purpose" =>
        {
            ("rds", "gb-month".to_string(), d.usd)
        }
        ("AmazonS3", "Storage")
            if gb_month
                && a("storageclass") == "General Purpose"
                && a("volumetype") == "Standard" =>
        {
            ("s3", "gb-month".to_string(), d.usd)
        }
        ("AmazonDynamoDB", "Amazon DynamoDB PayPerRequest Throughput") => {
            let item = match a("group") {
                "DDB-WriteUnits" => "million-writes",
                "DDB-ReadUnits" => "million-reads",
                _ => return None,
            };
            ("dynamodb", item.to_string(), d.usd * 1e6)
        }
        _ => return None,
    };
    if item.is_empty() {
        return None;
    }
    Some((format!("{item_service}/{region}/{item}"), usd))
}

/// The price dimensions of a JSON offer file.
fn json_prices(root: &Value, file: &str) -> Result<Vec<Option<Dimension>>, String> {
    let (Some(products), Some(terms)) = (
        root.get("products").and_then(Value::as_object),
        root.get("terms").and_then(Value::as_object),
    ) else {
        return Err(format!(
            "{file}: not an AWS Price List offer file: no `products` and `terms` objects"
        ));
    };
    let Some(on_demand) = terms.get("OnDemand").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (sku, by_term) in on_demand {
        let Some(product) = products.get(sku) else {
            out.push(None);
            continue;
        };
        let mut attributes: BTreeMap<String, String> = BTreeMap::new();
        if let Some(family) = product.get("productFamily").and_then(Value::as_str) {
            attributes.insert("productfamily".to_string(), family.to_string());
        }
        if let Some(map) = product.get("attributes").and_then(Value::as_object) {
            for (k, v) in map {
                if let Some(v) = v.as_str() {
                    attributes.insert(norm(k), v.to_string());
                }
            }
        }
        let terms = by_term.as_object().into_iter().flat_map(|m| m.values());
        for term in terms {
            let dims = term.get("priceDimensions").and_then(Value::as_object);
            for dim in dims.into_iter().flat_map(|m| m.values()) {
                let s = |k: &str| dim.get(k).and_then(Value::as_str).unwrap_or("");
                let usd = dim
                    .get("pricePerUnit")
                    .and_then(|p| p.get("USD"))
                    .and_then(Value::as_str);
                let Some(usd) = usd.and_then(|u| u.trim().parse::<f64>().ok()) else {
                    out.push(None);
                    continue;
                };
                out.push(Some(Dimension {
                    attributes: attributes.clone(),
                    unit: s("unit").to_string(),
                    begin: s("beginRange").to_string(),
                    usd,
                }));
            }
        }
    }
    Ok(out)
}

/// Splits one CSV record (RFC 4180 quoting: `""` inside quotes is a quote).
fn csv_record(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// The price dimensions of a CSV offer file, and its publication date.
fn csv_prices(text: &str, file: &str) -> Result<(Vec<Option<Dimension>>, Option<String>), String> {
    let mut lines = text.lines().enumerate();
    let mut published = None;
    let header = loop {
        let Some((_, line)) = lines.next() else {
            return Err(format!(
                "{file}: not an AWS Price List offer file: neither JSON nor a CSV with a header row \
                 starting with \"SKU\""
            ));
        };
        let cells = csv_record(line);
        match cells.first().map(String::as_str) {
            Some("SKU") => break cells,
            Some("Publication Date") => published = cells.get(1).cloned(),
            _ => {}
        }
    };
    let header: Vec<String> = header.iter().map(|h| norm(h)).collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(price), Some(unit)) = (column("priceperunit"), column("unit")) else {
        return Err(format!(
            "{file}: the CSV header has no \"PricePerUnit\" or no \"Unit\" column"
        ));
    };
    let (term, begin) = (column("termtype"), column("startingrange"));
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells = csv_record(line);
        let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).map_or("", String::as_str);
        if !matches!(cell(term), "" | "OnDemand") {
            out.push(None);
            continue;
        }
        let usd = cell(Some(price)).trim().parse::<f64>().map_err(|_| {
            format!(
                "{file}: line {}: PricePerUnit {:?} is not a number",
                i + 1,
                cell(Some(price))
            )
        })?;
        let attributes = header
            .iter()
            .zip(&cells)
            .map(|(h, v)| (h.clone(), v.clone()))
            .collect();
        out.push(Some(Dimension {
            attributes,
            unit: cell(Some(unit)).to_string(),
            begin: cell(begin).to_string(),
            usd,
        }));
    }
    Ok((out, published))
}

/// The keys of `offer` a scenario needs: those in its Regions, of items the example table knows or the
/// scenario names (an instance type or DB class in its resources), sorted.
pub fn for_scenario(
    offer: &OfferPrices,
    regions: &[&str],
    known: &super::PriceTable,
    named: &str,
) -> BTreeMap<String, f64> {
    offer
        .prices
        .iter()
        .filter(|(key, _)| {
            let mut parts = key.splitn(3, '/');
            let (Some(service), Some(region), Some(item)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return false;
            };
            regions.contains(&region)
                && (known.get(&format!("{service}/us-east-1/{item}")).is_some()
                    || named.contains(&format!("\"{item}\"")))
        })
        .map(|(k, &v)| (k.clone(), v))
        .collect()
}

#[cfg(test)]
mod tests;
