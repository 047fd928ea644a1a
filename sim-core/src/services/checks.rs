//! Checking configurations: errors that name the field and what would be valid, collected so a scenario's
//! problems are reported all at once, and the name lookups every service's checks share.

use std::fmt;

use crate::engine::dist::{Dist, DistError};
use crate::model::place::{AzId, Catalog, RegionId};

/// A config value AWS would not accept, or that drsim cannot model. The message names the field and what
/// would be valid; fix the scenario file accordingly.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// `field` is `value`, outside what is valid (`valid` says what is).
    OutOfRange {
        /// The field, as written in the scenario (`"failure_threshold"`).
        field: &'static str,
        /// The value given, printed.
        value: String,
        /// What would be valid (`"1..=10"`).
        valid: String,
    },
    /// A duration distribution in `field` is malformed.
    BadDist {
        /// The field holding the distribution.
        field: &'static str,
        /// What is wrong with it.
        error: DistError,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::OutOfRange {
                field,
                value,
                valid,
            } => write!(f, "{field} is {value}, but must be {valid}"),
            ConfigError::BadDist { field, error } => write!(f, "{field}: {error}"),
        }
    }
}

/// Collects config errors so `validate` reports all of them at once.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<ConfigError>);

impl Errors {
    /// Records an out-of-range error unless `ok`.
    pub(crate) fn check(
        &mut self,
        ok: bool,
        field: &'static str,
        value: impl fmt::Display,
        valid: impl Into<String>,
    ) {
        if !ok {
            self.0.push(ConfigError::OutOfRange {
                field,
                value: value.to_string(),
                valid: valid.into(),
            });
        }
    }

    /// Records a malformed distribution (`positive`: it must also never yield zero).
    pub(crate) fn dist(&mut self, field: &'static str, dist: &Dist, positive: bool) {
        let checked = if positive {
            dist.validate_positive()
        } else {
            dist.validate()
        };
        if let Err(error) = checked {
            self.0.push(ConfigError::BadDist { field, error });
        }
    }

    /// `Ok` when nothing was recorded.
    pub(crate) fn finish(self) -> Result<(), Vec<ConfigError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// Checks that `az` is an AZ of `region` (or of any Region when `region` is `None`).
pub(crate) fn check_az(
    errors: &mut Errors,
    catalog: &Catalog,
    field: &'static str,
    az: &str,
    region: Option<RegionId>,
) -> Option<AzId> {
    match (catalog.az(az), region) {
        (Some((id, _)), None) => return Some(id),
        (Some((id, r)), Some(want)) if r == want => return Some(id),
        (_, Some(want)) => {
            let azs: Vec<&str> = catalog
                .azs_of(want)
                .into_iter()
                .map(|a| catalog.az_name(a))
                .collect();
            errors.check(
                false,
                field,
                az,
                format!(
                    "an AZ of {} ({})",
                    catalog.region_name(want),
                    azs.join(", ")
                ),
            );
        }
        (None, None) => errors.check(
            false,
            field,
            az,
            "an AZ listed in the `azs` of one of `regions`",
        ),
    }
    None
}

/// Resolves a Region name, recording an error naming the known Regions.
pub(crate) fn check_region(
    errors: &mut Errors,
    catalog: &Catalog,
    field: &'static str,
    region: &str,
) -> Option<RegionId> {
    let id = catalog.region(region);
    if id.is_none() {
        let known: Vec<&str> = catalog.regions().map(|(_, n)| n).collect();
        errors.check(false, field, region, format!("one of {}", known.join(", ")));
    }
    id
}

/// Checks a duration distribution, naming the field.
pub(crate) fn check_dist(field: &str, dist: &Dist) -> Result<(), String> {
    dist.validate().map_err(|e| format!("{field}: {e}"))
}

/// A Region by name, or an error naming the field and the known Regions.
pub(crate) fn region_named(catalog: &Catalog, field: &str, name: &str) -> Result<RegionId, String> {
    catalog.region(name).ok_or_else(|| {
        let known: Vec<&str> = catalog.regions().map(|(_, n)| n).collect();
        format!(
            "{field} names region {name:?}, which is not in the scenario (known: {})",
            known.join(", ")
        )
    })
}

/// Resolves an AZ name, naming the field when it is unknown.
pub(crate) fn az_named(
    catalog: &Catalog,
    field: &str,
    name: &str,
) -> Result<(AzId, RegionId), String> {
    catalog
        .az(name)
        .ok_or_else(|| format!("{field} names AZ {name:?}, which is not in the scenario"))
}
