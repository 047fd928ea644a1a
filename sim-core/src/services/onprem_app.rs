//! Application servers in an on-premises site: they answer while the site is up and call the flow's store
//! from the site (so a store in AWS is reached over the site's link). The site's hardware is not priced:
//! it is the company's capital cost, outside AWS's bill.

use crate::model::component::{Component, Route, Served};
use crate::model::place::{Catalog, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Forward, Placement, Runtime, Service};
use crate::services::checks::region_named;
use crate::spec::resources::onprem_app::OnPremAppConfig;
use crate::spec::{FlowConfig, Scenario};

/// The servers at run time.
struct OnPremApp {
    name: String,
    site: RegionId,
}

impl Component for OnPremApp {
    fn name(&self) -> &str {
        &self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if !route.health().region_up(self.site) {
            return Served::DOWN;
        }
        Served {
            ok: route.backend(self.site),
            region: Some(self.site),
        }
    }
}

/// The site `name` names, or why it is not one.
fn site_of(catalog: &Catalog, name: &str) -> Result<RegionId, String> {
    let site = region_named(catalog, "site", name)?;
    if catalog.is_site(site) {
        Ok(site)
    } else {
        Err(format!(
            "site names {name:?}, an AWS Region; OnPremApp runs in an on-premises site (an entry of \
             regions with a site: (link: ...)); in a Region use Ec2 or Asg"
        ))
    }
}

impl Service for OnPremAppConfig {
    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.site)
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match site_of(catalog, &self.site) {
            Ok(_) => Vec::new(),
            Err(e) => vec![format!("resource {name:?}: {e}")],
        }
    }

    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let site = site_of(cx.catalog, &self.site).map_err(|e| cx.invalid(&[e]))?;
        Ok(Runtime::Component(Box::new(OnPremApp {
            name: cx.name.to_string(),
            site,
        })))
    }

    fn price(&self, _name: &str, _home: &str, _book: &mut dyn PriceBook) {}

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}
