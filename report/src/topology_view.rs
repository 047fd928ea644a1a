//! The topology as a picture: Regions as columns holding their AZs, resources inside where they are
//! placed, global resources (DNS, CDN, health checks) in a band above, and edges as arrows by kind.
//!
//! The layout is deterministic: Regions, AZs and resources appear in spec order.

use std::collections::BTreeMap;

use plotters::prelude::*;
use sim_core::model::topology::{EdgeKind, Topology};

use crate::charts::{FONT, with_id};

const WIDTH: i32 = 960;
const NODE_W: i32 = 132;
const NODE_H: i32 = 34;
const GAP: i32 = 10;

/// A placed box: top-left corner and size.
#[derive(Clone, Copy, Debug)]
struct Place {
    x: i32,
    y: i32,
    w: i32,
}

impl Place {
    fn center(self) -> (f64, f64) {
        (
            self.x as f64 + self.w as f64 / 2.0,
            self.y as f64 + NODE_H as f64 / 2.0,
        )
    }
}

/// Lays `names` out left to right in rows within `[x, x + width)`, from `y`; returns the places and
/// the height used.
fn grid(names: &[&str], x: i32, y: i32, width: i32, w: i32) -> (Vec<(String, Place)>, i32) {
    let per_row = ((width + GAP) / (w + GAP)).max(1) as usize;
    let placed = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (r, c) = ((i / per_row) as i32, (i % per_row) as i32);
            (
                n.to_string(),
                Place {
                    x: x + c * (w + GAP),
                    y: y + r * (NODE_H + GAP),
                    w,
                },
            )
        })
        .collect();
    let rows = names.len().div_ceil(per_row) as i32;
    (placed, rows * (NODE_H + GAP))
}

/// A frame to draw: box, title, fill.
struct Frame {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
    title: String,
    fill: RGBColor,
}

/// Computes every frame and node place, and the picture's height.
fn layout(topology: &Topology) -> (Vec<Frame>, BTreeMap<String, Place>, i32) {
    let regions = topology.regions();
    let known_region = |r: &Option<String>| {
        r.as_ref()
            .is_some_and(|r| regions.iter().any(|(name, _)| name == r))
    };
    let mut frames = Vec::new();
    let mut places = BTreeMap::new();
    let mut y = 36;
    let global: Vec<&str> = topology
        .nodes()
        .iter()
        .filter(|n| !known_region(&n.region))
        .map(|n| n.name.as_str())
        .collect();
    if !global.is_empty() {
        let (placed, h) = grid(&global, 20, y + 22, WIDTH - 40, NODE_W);
        frames.push(Frame {
            x0: 10,
            y0: y,
            x1: WIDTH - 10,
            y1: y + 22 + h,
            title: "global".to_string(),
            fill: RGBColor(250, 250, 245),
        });
        places.extend(placed);
        y += 22 + h + 16;
    }
    let n = regions.len().max(1) as i32;
    let col_w = (WIDTH - 20 - GAP * (n - 1)) / n;
    let mut bottom = y;
    for (ri, (region, azs)) in regions.iter().enumerate() {
        let x0 = 10 + ri as i32 * (col_w + GAP);
        let regional: Vec<&str> = topology
            .nodes()
            .iter()
            .filter(|n| n.region.as_deref() == Some(region) && n.az.is_none())
            .map(|n| n.name.as_str())
            .collect();
        let (placed, h) = grid(&regional, x0 + 10, y + 24, col_w - 20, NODE_W);
        places.extend(placed);
        let az_top = y + 24 + h + 4;
        let k = azs.len().max(1) as i32;
        let az_w = (col_w - 20 - GAP * (k - 1)) / k;
        let node_w = NODE_W.min(az_w - 10).max(20);
        let mut az_bottom = az_top;
        let mut az_frames = Vec::new();
        for (ai, az) in azs.iter().enumerate() {
            let ax = x0 + 10 + ai as i32 * (az_w + GAP);
            let zonal: Vec<&str> = topology
                .nodes()
                .iter()
                .filter(|n| n.az.as_deref() == Some(az))
                .map(|n| n.name.as_str())
                .collect();
            let (placed, h) = grid(&zonal, ax + 5, az_top + 22, node_w, node_w);
            places.extend(placed);
            az_bottom = az_bottom.max(az_top + 22 + h.max(NODE_H / 2));
            az_frames.push((ax, az.clone()));
        }
        for (ax, az) in az_frames {
            frames.push(Frame {
                x0: ax,
                y0: az_top,
                x1: ax + az_w,
                y1: az_bottom,
                title: az,
                fill: RGBColor(240, 246, 252),
            });
        }
        frames.push(Frame {
            x0,
            y0: y,
            x1: x0 + col_w,
            y1: az_bottom + 10,
            title: region.clone(),
            fill: RGBColor(252, 252, 252),
        });
        bottom = bottom.max(az_bottom + 10);
    }
    // Regions first, so AZ frames (pushed before them) must be drawn after: sort by area, largest first.
    frames.sort_by_key(|f| std::cmp::Reverse((f.x1 - f.x0) * (f.y1 - f.y0)));
    (frames, places, bottom + 40)
}

/// The colour of an edge kind.
fn edge_color(kind: EdgeKind) -> RGBColor {
    match kind {
        EdgeKind::Dependency => RGBColor(110, 110, 110),
        EdgeKind::Replication => RGBColor(0, 114, 178),
        EdgeKind::Routing => RGBColor(0, 158, 115),
    }
}

/// The topology as an `<svg id="chart-topology">`.
pub(crate) fn topology_svg(topology: &Topology) -> String {
    let (frames, places, height) = layout(topology);
    let mut svg = String::new();
    match draw(&mut svg, topology, &frames, &places, height) {
        Ok(()) => with_id(svg, "chart-topology"),
        Err(e) => format!("<p class=\"note\">The topology could not be drawn: {e}</p>"),
    }
}

fn draw(
    svg: &mut String,
    topology: &Topology,
    frames: &[Frame],
    places: &BTreeMap<String, Place>,
    height: i32,
) -> Result<(), String> {
    let root =
        SVGBackend::with_string(svg, (WIDTH as u32, height.max(100) as u32)).into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let small = (FONT, 11).into_font();
    root.draw(&Text::new("Topology", (10, 8), (FONT, 16).into_font()))
        .map_err(err)?;
    for f in frames {
        root.draw(&Rectangle::new(
            [(f.x0, f.y0), (f.x1, f.y1)],
            f.fill.filled(),
        ))
        .map_err(err)?;
        root.draw(&Rectangle::new(
            [(f.x0, f.y0), (f.x1, f.y1)],
            RGBColor(170, 170, 170),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            f.title.clone(),
            (f.x0 + 6, f.y0 + 5),
            (FONT, 12).into_font().color(&RGBColor(80, 80, 80)),
        ))
        .map_err(err)?;
    }
    // Edges under the nodes, each ending in an arrowhead on the target's border.
    for e in topology.edges() {
        let (Some(a), Some(b)) = (places.get(&e.from), places.get(&e.to)) else {
            continue;
        };
        let ((x0, y0), (x1, y1)) = (a.center(), b.center());
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1.0 {
            continue;
        }
        let t =
            (b.w as f64 / 2.0 / dx.abs().max(1e-9)).min(NODE_H as f64 / 2.0 / dy.abs().max(1e-9));
        let (tx, ty) = (x1 - dx * t, y1 - dy * t);
        let (ux, uy) = (dx / len, dy / len);
        let c = edge_color(e.kind);
        let p = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
        root.draw(&PathElement::new(
            vec![p(x0, y0), p(tx, ty)],
            c.stroke_width(2),
        ))
        .map_err(err)?;
        root.draw(&Polygon::new(
            vec![
                p(tx, ty),
                p(tx - ux * 9.0 - uy * 4.5, ty - uy * 9.0 + ux * 4.5),
                p(tx - ux * 9.0 + uy * 4.5, ty - uy * 9.0 - ux * 4.5),
            ],
            c.filled(),
        ))
        .map_err(err)?;
    }
    for node in topology.nodes() {
        let Some(p) = places.get(&node.name) else {
            continue;
        };
        root.draw(&Rectangle::new(
            [(p.x, p.y), (p.x + p.w, p.y + NODE_H)],
            WHITE.filled(),
        ))
        .map_err(err)?;
        root.draw(&Rectangle::new(
            [(p.x, p.y), (p.x + p.w, p.y + NODE_H)],
            RGBColor(60, 60, 60),
        ))
        .map_err(err)?;
        let fit = |s: &str| -> String { s.chars().take((p.w / 7).max(1) as usize).collect() };
        root.draw(&Text::new(
            fit(&node.name),
            (p.x + 5, p.y + 4),
            (FONT, 12).into_font(),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            fit(&node.kind),
            (p.x + 5, p.y + 19),
            small.clone().color(&RGBColor(100, 100, 100)),
        ))
        .map_err(err)?;
    }
    let mut lx = 10;
    for (kind, name) in [
        (EdgeKind::Routing, "routes to"),
        (EdgeKind::Dependency, "depends on"),
        (EdgeKind::Replication, "replicates to"),
    ] {
        let ly = height - 22;
        root.draw(&PathElement::new(
            vec![(lx, ly + 6), (lx + 24, ly + 6)],
            edge_color(kind).stroke_width(3),
        ))
        .map_err(err)?;
        root.draw(&Text::new(name, (lx + 30, ly), small.clone()))
            .map_err(err)?;
        lx += 140;
    }
    root.present().map_err(err)?;
    Ok(())
}
