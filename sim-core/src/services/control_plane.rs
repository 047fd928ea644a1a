//! Where the global services' APIs live: Route 53 record edits and CloudFront distribution changes go
//! through us-east-1's control plane, so an outage there makes them fail — a real DR pitfall the course
//! warns about (and the reason Route 53 ARC routing controls exist).

use crate::model::ctx::Ctx;
use crate::model::place::RegionId;

/// The Region hosting Route 53's and CloudFront's control planes.
pub const GLOBAL_CONTROL_PLANE: &str = "us-east-1";

/// The Region whose control plane is down and blocks a Route 53 or CloudFront edit now, if any.
pub fn global_edits_blocked(cx: &Ctx<'_>) -> Option<RegionId> {
    cx.catalog
        .region(GLOBAL_CONTROL_PLANE)
        .filter(|&r| !cx.health.control_plane_up(r))
}
