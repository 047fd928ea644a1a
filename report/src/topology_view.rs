//! The topology as a picture of its disaster recovery: Regions as columns holding their AZs, resources
//! inside where they are placed, global resources (DNS, CDN, health checks) in a band above, and beside
//! each store the copies it keeps elsewhere (standbys, read replicas, global secondaries and replicas,
//! bucket replicas, copied backups) with a replication or backup-copy arrow. The Region, AZ or resource a
//! disaster of this run hits is shaded red; resources a CloudFormation stack creates are drawn dashed
//! ("exists once the stack runs").
//!
//! **Arrows never cross a box or a label.** Each arrow is routed on an 8 px grid around every box and
//! every frame title (a shortest path with a penalty per turn and per cell another arrow already uses), so
//! it may cross a Region or AZ border but never a resource or a text. The layout is deterministic: Regions,
//! AZs and resources appear in spec order, and ties in the router break by cell order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use sim_core::model::topology::{EdgeKind, Topology};
use sim_core::model::{CopyKind, Placement};
use sim_core::spec::{DisasterKind, Scenario};

use crate::svg::{Anchor, FONT, MIN_FONT, Svg, fit, text_width};

const WIDTH: f64 = 1100.0;
const NODE_W: f64 = 150.0;
const NODE_H: f64 = 38.0;
/// Space between boxes: the channels arrows run in.
const GAP: f64 = 30.0;
const TITLE_H: f64 = 24.0;
const CELL: f64 = 8.0;
/// How far arrows keep from a box.
const MARGIN: f64 = 5.0;

/// A resource box or a copy box.
#[derive(Clone, Debug)]
struct Node {
    name: String,
    kind: String,
    region: Option<String>,
    az: Option<String>,
    /// Exists only once a stack runs: the stack's name.
    created_by: Option<String>,
    /// A copy of this store's data (drawn dashed blue).
    copy_of: Option<(String, CopyKind)>,
    failed: bool,
}

impl Node {
    fn key(&self) -> String {
        match &self.copy_of {
            Some((store, kind)) => format!(
                "{store}#{}#{}",
                kind.as_str(),
                self.az.as_deref().or(self.region.as_deref()).unwrap_or("")
            ),
            None => self.name.clone(),
        }
    }
}

/// What the picture draws an arrow for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Edge(EdgeKind),
    Backup,
}

impl Link {
    fn colour(self) -> &'static str {
        match self {
            Link::Edge(EdgeKind::Dependency) => "#6e6e6e",
            Link::Edge(EdgeKind::Routing) => "#009e73",
            Link::Edge(EdgeKind::Replication) => "#0072b2",
            Link::Backup => "#8e44ad",
        }
    }

    fn dash(self) -> &'static str {
        match self {
            Link::Edge(EdgeKind::Replication) => "6 3",
            Link::Backup => "2 3",
            _ => "",
        }
    }
}

/// A placed box.
#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// A frame to draw: box, title, fill, and whether a disaster of the run hits it.
struct Frame {
    r: Rect,
    title: String,
    fill: &'static str,
    failed: bool,
}

/// The places and resources a disaster of the run hits: `(regions, azs, resources)`.
fn failed_places(
    scenario: &Scenario,
    disaster: Option<&str>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for d in scenario
        .disasters
        .iter()
        .filter(|d| Some(d.name.as_str()) == disaster)
    {
        match &d.kind {
            DisasterKind::RegionOutage { region, .. } => out.0.push(region.clone()),
            DisasterKind::SiteLoss { site } | DisasterKind::PowerOutage { site } => {
                out.0.push(site.clone())
            }
            DisasterKind::AzOutage { az } => out.1.push(az.clone()),
            DisasterKind::GrayFailure { resource, .. }
            | DisasterKind::ResourceFailure { resource }
            | DisasterKind::OriginError { resource, .. } => out.2.push(resource.clone()),
            DisasterKind::Corruption { store } | DisasterKind::Delete { store } => {
                out.2.push(store.clone())
            }
            DisasterKind::Partition { .. }
            | DisasterKind::WanLinkDown { .. }
            | DisasterKind::Planned { .. } => {}
        }
    }
    out
}

/// The nodes: each resource of the topology, then each store's copies; and the arrows between them.
fn nodes_and_links(
    topology: &Topology,
    scenario: Option<&Scenario>,
    disaster: Option<&str>,
) -> (Vec<Node>, Vec<(String, String, Link)>) {
    let (_, _, failed_resources) =
        scenario.map_or_else(Default::default, |s| failed_places(s, disaster));
    let mut created: BTreeMap<String, String> = BTreeMap::new();
    if let Some(s) = scenario {
        for (name, r) in &s.resources {
            for member in r.service().creates() {
                created.insert(member.clone(), name.clone());
            }
        }
    }
    let mut nodes: Vec<Node> = topology
        .nodes()
        .iter()
        .map(|n| Node {
            name: n.name.clone(),
            kind: n.kind.clone(),
            region: n.region.clone(),
            az: n.az.clone(),
            created_by: created.get(&n.name).cloned(),
            copy_of: None,
            failed: failed_resources.contains(&n.name),
        })
        .collect();
    let mut links: Vec<(String, String, Link)> = topology
        .edges()
        .iter()
        .map(|e| (e.from.clone(), e.to.clone(), Link::Edge(e.kind)))
        .collect();
    if let Some(s) = scenario {
        let region_of_az = |az: &str| {
            s.regions
                .iter()
                .find(|r| r.azs.iter().any(|a| a == az))
                .map(|r| r.name.clone())
        };
        for (name, r) in &s.resources {
            for copy in r.service().copies() {
                let (region, az) = match copy.at {
                    Placement::Az(az) => (region_of_az(az), Some(az.to_string())),
                    Placement::Region(region) => (Some(region.to_string()), None),
                    Placement::Global | Placement::Nowhere => (None, None),
                };
                let node = Node {
                    name: name.clone(),
                    kind: copy.kind.as_str().to_string(),
                    region,
                    az,
                    created_by: None,
                    copy_of: Some((name.clone(), copy.kind)),
                    failed: false,
                };
                let link = if copy.kind == CopyKind::BackupCopy {
                    Link::Backup
                } else {
                    Link::Edge(EdgeKind::Replication)
                };
                links.push((name.clone(), node.key(), link));
                nodes.push(node);
            }
        }
    }
    (nodes, links)
}

/// Lays `keys` out left to right in rows within `[x, x + width)`, from `y`; returns the height used.
fn grid(
    keys: &[String],
    x: f64,
    y: f64,
    width: f64,
    w: f64,
    out: &mut BTreeMap<String, Rect>,
) -> f64 {
    let per_row = (((width + GAP) / (w + GAP)).floor() as usize).max(1);
    for (i, k) in keys.iter().enumerate() {
        let (r, c) = (i / per_row, i % per_row);
        out.insert(
            k.clone(),
            Rect {
                x: x + c as f64 * (w + GAP),
                y: y + r as f64 * (NODE_H + GAP),
                w,
                h: NODE_H,
            },
        );
    }
    let rows = keys.len().div_ceil(per_row);
    rows as f64 * (NODE_H + GAP)
}

/// Computes every frame and box, and the picture's height.
fn layout(
    topology: &Topology,
    nodes: &[Node],
    failed: &(Vec<String>, Vec<String>, Vec<String>),
) -> (Vec<Frame>, BTreeMap<String, Rect>, f64) {
    let regions = topology.regions();
    let known_region = |r: &Option<String>| {
        r.as_ref()
            .is_some_and(|r| regions.iter().any(|(name, _)| name == r))
    };
    let mut frames = Vec::new();
    let mut places = BTreeMap::new();
    let mut y = 36.0;
    let global: Vec<String> = nodes
        .iter()
        .filter(|n| !known_region(&n.region))
        .map(Node::key)
        .collect();
    if !global.is_empty() {
        let h = grid(
            &global,
            10.0 + GAP,
            y + TITLE_H + GAP / 2.0,
            WIDTH - 20.0 - 2.0 * GAP,
            NODE_W,
            &mut places,
        );
        frames.push(Frame {
            r: Rect {
                x: 10.0,
                y,
                w: WIDTH - 20.0,
                h: TITLE_H + GAP / 2.0 + h,
            },
            title: "global".to_string(),
            fill: "#fafaf5",
            failed: false,
        });
        y += TITLE_H + GAP / 2.0 + h + GAP;
    }
    let n = regions.len().max(1) as f64;
    let col_w = (WIDTH - 20.0 - GAP * (n - 1.0)) / n;
    let mut bottom = y;
    for (ri, (region, azs)) in regions.iter().enumerate() {
        let x0 = 10.0 + ri as f64 * (col_w + GAP);
        let regional: Vec<String> = nodes
            .iter()
            .filter(|n| n.region.as_deref() == Some(region) && n.az.is_none())
            .map(Node::key)
            .collect();
        let h = grid(
            &regional,
            x0 + GAP / 2.0,
            y + TITLE_H + GAP / 2.0,
            col_w - GAP,
            NODE_W,
            &mut places,
        );
        let az_top = y + TITLE_H + GAP / 2.0 + h;
        let k = azs.len().max(1) as f64;
        let az_w = (col_w - GAP - GAP * (k - 1.0)) / k;
        let node_w = NODE_W.min(az_w - GAP).max(40.0);
        let mut az_bottom = az_top;
        let mut az_frames = Vec::new();
        for (ai, az) in azs.iter().enumerate() {
            let ax = x0 + GAP / 2.0 + ai as f64 * (az_w + GAP);
            let zonal: Vec<String> = nodes
                .iter()
                .filter(|n| n.az.as_deref() == Some(az))
                .map(Node::key)
                .collect();
            let h = grid(
                &zonal,
                ax + GAP / 2.0,
                az_top + TITLE_H + GAP / 2.0,
                az_w - GAP,
                node_w,
                &mut places,
            );
            az_bottom = f64::max(
                az_bottom,
                az_top + TITLE_H + GAP / 2.0 + h.max(NODE_H / 2.0),
            );
            az_frames.push((ax, az.clone()));
        }
        for (ax, az) in az_frames {
            frames.push(Frame {
                r: Rect {
                    x: ax,
                    y: az_top,
                    w: az_w,
                    h: az_bottom - az_top,
                },
                failed: failed.1.contains(&az),
                title: az,
                fill: "#f0f6fc",
            });
        }
        frames.push(Frame {
            r: Rect {
                x: x0,
                y,
                w: col_w,
                h: az_bottom + GAP / 2.0 - y,
            },
            title: region.clone(),
            fill: "#fcfcfc",
            failed: failed.0.contains(region),
        });
        bottom = f64::max(bottom, az_bottom + GAP / 2.0);
    }
    // Larger frames first, so AZs are drawn over their Region.
    frames.sort_by(|a, b| (b.r.w * b.r.h).total_cmp(&(a.r.w * a.r.h)));
    (frames, places, bottom + 56.0)
}

/// The routing grid: which cells are blocked (boxes and texts) and how often arrows already use a cell.
struct Router {
    cols: usize,
    rows: usize,
    blocked: Vec<bool>,
    used: Vec<u32>,
}

impl Router {
    fn new(width: f64, height: f64) -> Router {
        let cols = (width / CELL).ceil() as usize;
        let rows = (height / CELL).ceil() as usize;
        Router {
            cols,
            rows,
            blocked: vec![false; cols * rows],
            used: vec![0; cols * rows],
        }
    }

    /// The cells a rectangle (grown by `margin`) covers.
    fn cells(&self, r: Rect, margin: f64) -> impl Iterator<Item = usize> + '_ {
        let c0 = ((r.x - margin) / CELL).floor().max(0.0) as usize;
        let c1 = (((r.x + r.w + margin) / CELL).ceil() as usize).min(self.cols);
        let r0 = ((r.y - margin) / CELL).floor().max(0.0) as usize;
        let r1 = (((r.y + r.h + margin) / CELL).ceil() as usize).min(self.rows);
        (r0..r1).flat_map(move |row| (c0..c1).map(move |c| row * self.cols + c))
    }

    fn block(&mut self, r: Rect, margin: f64) {
        let cells: Vec<usize> = self.cells(r, margin).collect();
        for c in cells {
            self.blocked[c] = true;
        }
    }

    fn center(&self, cell: usize) -> (f64, f64) {
        (
            (cell % self.cols) as f64 * CELL + CELL / 2.0,
            (cell / self.cols) as f64 * CELL + CELL / 2.0,
        )
    }

    /// The free cells just outside `r` (its ring), where an arrow may leave or arrive.
    fn ring(&self, r: Rect) -> Vec<usize> {
        let inner: Vec<usize> = self.cells(r, MARGIN).collect();
        // Side cells only (not the corners), so an arrow meets the border square on.
        let beside = |c: &usize| {
            let (x, y) = self.center(*c);
            (x > r.x && x < r.x + r.w) || (y > r.y && y < r.y + r.h)
        };
        let mut out: Vec<usize> = self
            .cells(r, MARGIN + CELL)
            .filter(|c| !inner.contains(c) && !self.blocked[*c] && beside(c))
            .collect();
        out.sort_unstable();
        out
    }

    /// The cheapest path from any cell of `from` to any cell of `to`: each step costs 1, a turn 3, a cell
    /// another arrow uses 4 more. `None` when boxes wall the target in.
    fn route(&mut self, from: &[usize], to: &[usize]) -> Option<Vec<usize>> {
        let n = self.cols * self.rows;
        // State: cell × direction (0 right, 1 left, 2 down, 3 up); 4 = none yet.
        let idx = |c: usize, d: usize| c * 5 + d;
        let mut dist = vec![u32::MAX; n * 5];
        let mut prev = vec![usize::MAX; n * 5];
        let mut heap = BinaryHeap::new();
        for &c in from {
            dist[idx(c, 4)] = 0;
            heap.push(Reverse((0u32, c, 4usize)));
        }
        let goal: Vec<bool> = {
            let mut g = vec![false; n];
            for &c in to {
                g[c] = true;
            }
            g
        };
        let mut end = None;
        while let Some(Reverse((d, c, dir))) = heap.pop() {
            if d > dist[idx(c, dir)] {
                continue;
            }
            if goal[c] {
                end = Some((c, dir));
                break;
            }
            let (col, row) = (c % self.cols, c / self.cols);
            let steps = [
                (col + 1 < self.cols).then(|| c + 1),
                (col > 0).then(|| c - 1),
                (row + 1 < self.rows).then(|| c + self.cols),
                (row > 0).then(|| c - self.cols),
            ];
            for (nd, next) in steps.into_iter().enumerate() {
                let Some(next) = next else { continue };
                if self.blocked[next] {
                    continue;
                }
                let turn = if dir != 4 && dir != nd { 3 } else { 0 };
                let cost = d + 1 + turn + 4 * self.used[next].min(3);
                if cost < dist[idx(next, nd)] {
                    dist[idx(next, nd)] = cost;
                    prev[idx(next, nd)] = idx(c, dir);
                    heap.push(Reverse((cost, next, nd)));
                }
            }
        }
        let (mut c, mut dir) = end?;
        let mut path = vec![c];
        loop {
            let p = prev[idx(c, dir)];
            if p == usize::MAX {
                break;
            }
            c = p / 5;
            dir = p % 5;
            path.push(c);
        }
        path.reverse();
        for &c in &path {
            self.used[c] += 1;
        }
        Some(path)
    }
}

/// The point on `r`'s border nearest to `(x, y)` (a point just outside it).
fn onto_border(r: Rect, (x, y): (f64, f64)) -> (f64, f64) {
    let cx = x.clamp(r.x, r.x + r.w);
    let cy = y.clamp(r.y, r.y + r.h);
    if x < r.x || x > r.x + r.w {
        (if x < r.x { r.x } else { r.x + r.w }, cy)
    } else {
        (cx, if y < r.y { r.y } else { r.y + r.h })
    }
}

/// Cell centres to a polyline with only its corners.
fn corners(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for p in points {
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let collinear = ((a.0 - b.0).abs() < 1e-9 && (b.0 - p.0).abs() < 1e-9)
                || ((a.1 - b.1).abs() < 1e-9 && (b.1 - p.1).abs() < 1e-9);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The topology as an `<svg id="chart-topology">`; `scenario` (when given) adds the copies, the stacks'
/// resources and, with `disaster` (the run's), what fails.
pub(crate) fn topology_svg(
    topology: &Topology,
    scenario: Option<&Scenario>,
    disaster: Option<&str>,
) -> String {
    let failed = scenario.map_or_else(Default::default, |s| failed_places(s, disaster));
    let (nodes, links) = nodes_and_links(topology, scenario, disaster);
    let (frames, places, height) = layout(topology, &nodes, &failed);
    let mut svg = Svg::new(
        "chart-topology",
        WIDTH,
        height,
        "topology with its recovery copies",
    );
    svg.title("Topology and where the data is copied");
    let mut router = Router::new(WIDTH, height);
    for f in &frames {
        let stroke = if f.failed { "#c81e1e" } else { "#aaaaaa" };
        let fill = if f.failed { "#fde8e8" } else { f.fill };
        svg.rect(
            f.r.x,
            f.r.y,
            f.r.w,
            f.r.h,
            fill,
            stroke,
            if f.failed { "stroke-width=\"2\"" } else { "" },
            None,
        );
        let title = if f.failed {
            format!("{} — fails in this run", f.title)
        } else {
            f.title.clone()
        };
        let colour = if f.failed { "#a00000" } else { "#505050" };
        let title = fit(&title, FONT, f.r.w - 12.0);
        svg.text(
            f.r.x + 6.0,
            f.r.y + 16.0,
            FONT,
            Anchor::Start,
            colour,
            &title,
            None,
        );
        router.block(
            Rect {
                x: f.r.x + 4.0,
                y: f.r.y + 2.0,
                w: text_width(&title, FONT) + 6.0,
                h: 18.0,
            },
            0.0,
        );
    }
    for r in places.values() {
        router.block(*r, MARGIN);
    }
    // Arrows under the boxes, each ending in an arrowhead on the target's border.
    let mut unrouted = 0;
    let by_key: BTreeMap<String, &Node> = nodes.iter().map(|n| (n.key(), n)).collect();
    for (from, to, link) in &links {
        let (Some(a), Some(b)) = (places.get(from), places.get(to)) else {
            continue;
        };
        if from == to {
            continue;
        }
        let (ra, rb) = (router.ring(*a), router.ring(*b));
        let Some(path) = router.route(&ra, &rb) else {
            unrouted += 1;
            continue;
        };
        let mut points: Vec<(f64, f64)> = path.iter().map(|&c| router.center(c)).collect();
        if let (Some(&first), Some(&last)) = (points.first(), points.last()) {
            points.insert(0, onto_border(*a, first));
            points.push(onto_border(*b, last));
        }
        svg.arrow(&corners(points), link.colour(), 1.8, link.dash());
    }
    for (key, r) in &places {
        let Some(node) = by_key.get(key) else {
            continue;
        };
        let (fill, stroke, extra, kind) = match (&node.copy_of, &node.created_by, node.failed) {
            (_, _, true) => (
                "#fde8e8",
                "#c81e1e",
                "stroke-width=\"2\"".to_string(),
                node.kind.clone(),
            ),
            (Some((_, CopyKind::BackupCopy)), _, _) => (
                "#f6effa",
                "#8e44ad",
                "stroke-dasharray=\"2 3\"".to_string(),
                node.kind.clone(),
            ),
            (Some(_), _, _) => (
                "#eef5fb",
                "#0072b2",
                "stroke-dasharray=\"6 3\"".to_string(),
                node.kind.clone(),
            ),
            (None, Some(stack), _) => (
                "#f4f4f4",
                "#777777",
                "stroke-dasharray=\"4 3\"".to_string(),
                format!("{} · once {stack} runs", node.kind),
            ),
            (None, None, false) => ("#ffffff", "#3c3c3c", String::new(), node.kind.clone()),
        };
        let tip = match (&node.copy_of, &node.created_by) {
            (Some((store, kind)), _) => format!("{} of {store}", kind.as_str()),
            (None, Some(stack)) => format!(
                "{} ({}): created when stack {stack} runs",
                node.name, node.kind
            ),
            (None, None) => format!("{} ({})", node.name, node.kind),
        };
        svg.rect(r.x, r.y, r.w, r.h, fill, stroke, &extra, Some(&tip));
        svg.text(
            r.x + 6.0,
            r.y + 15.0,
            FONT,
            Anchor::Start,
            "#111",
            &fit(&node.name, FONT, r.w - 12.0),
            Some(&tip),
        );
        svg.text(
            r.x + 6.0,
            r.y + 30.0,
            MIN_FONT,
            Anchor::Start,
            "#555",
            &fit(&kind, MIN_FONT, r.w - 12.0),
            Some(&tip),
        );
    }
    // The legend, under everything.
    let ly = height - 20.0;
    let mut lx = 14.0;
    for (link, name) in [
        (Link::Edge(EdgeKind::Routing), "routes to"),
        (Link::Edge(EdgeKind::Dependency), "depends on"),
        (Link::Edge(EdgeKind::Replication), "replicates to"),
        (Link::Backup, "backups copied to"),
    ] {
        svg.dashed(
            lx,
            ly - 4.0,
            lx + 26.0,
            ly - 4.0,
            link.colour(),
            2.5,
            if link.dash().is_empty() {
                "none"
            } else {
                link.dash()
            },
        );
        svg.text(lx + 32.0, ly, MIN_FONT, Anchor::Start, "#333", name, None);
        lx += 44.0 + text_width(name, MIN_FONT) + 16.0;
    }
    svg.rect(
        lx,
        ly - 12.0,
        22.0,
        14.0,
        "#f4f4f4",
        "#777777",
        "stroke-dasharray=\"4 3\"",
        None,
    );
    svg.text(
        lx + 28.0,
        ly,
        MIN_FONT,
        Anchor::Start,
        "#333",
        "exists once a stack runs",
        None,
    );
    lx += 28.0 + text_width("exists once a stack runs", MIN_FONT) + 20.0;
    svg.rect(lx, ly - 12.0, 22.0, 14.0, "#fde8e8", "#c81e1e", "", None);
    svg.text(
        lx + 28.0,
        ly,
        MIN_FONT,
        Anchor::Start,
        "#333",
        "fails in this run",
        None,
    );
    if unrouted > 0 {
        svg.text(
            WIDTH - 10.0,
            ly,
            MIN_FONT,
            Anchor::End,
            "#a00",
            &format!("{unrouted} arrows could not be routed"),
            None,
        );
    }
    svg.finish()
}
