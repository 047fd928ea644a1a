//! A runbook as a state diagram in the style of the AWS Step Functions console: Start, each state as a
//! box, `Choice` rules as labelled arrows, `Parallel` states as a frame holding their branches side by
//! side, End; the states this run went through drawn in green, the arrows between them bold.
//!
//! **Layout.** States are ranked by breadth-first order from `start_at`, one row per rank. An arrow to the
//! next row drops into the channel between the rows and across to its target; any other arrow (skipping
//! rows, or back to an earlier state as a retry loop does) leaves through that channel to a lane right of
//! every box, runs along it to the channel above its target and comes in from above. Channels and lanes
//! hold no boxes, so no arrow crosses a box; labels are placed where they touch nothing already drawn.

use std::collections::BTreeMap;

use sim_core::measure::RunResult;
use sim_core::spec::RunbookConfig;
use sim_core::spec::runbook::{Branch, State};

use crate::svg::{Anchor, FONT, MIN_FONT, Svg, fit, text_width};

const NODE_W: f64 = 176.0;
const NODE_H: f64 = 38.0;
/// Vertical space between rows (the channel arrows run in).
const ROW_GAP: f64 = 46.0;
const COL_GAP: f64 = 24.0;
const LANE: f64 = 14.0;
const PAD: f64 = 12.0;
/// States drawn at most per runbook (a bound; a longer runbook is cut and the page says so).
const MAX_STATES: usize = 60;

const TAKEN: &str = "#1b7f3b";
const TAKEN_FILL: &str = "#e3f3e6";
const IDLE: &str = "#8a8a8a";

/// A box in a laid-out block, relative to the block's top left.
#[derive(Clone, Debug)]
struct NodeBox {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    /// What the box says: name, then a kind line; empty name for a Parallel frame's title-only box.
    name: String,
    kind: String,
    tooltip: String,
    taken: bool,
    frame: bool,
}

/// An arrow (polyline) with an optional label, relative to the block.
#[derive(Clone, Debug)]
struct Arrow {
    points: Vec<(f64, f64)>,
    label: Option<(String, String)>,
    taken: bool,
}

/// A laid-out set of states.
#[derive(Clone, Debug, Default)]
struct Block {
    w: f64,
    h: f64,
    nodes: Vec<NodeBox>,
    arrows: Vec<Arrow>,
    /// Where arrows into the block enter (top centre of the first state) and where it is left from.
    entry: (f64, f64),
    exits: Vec<(f64, f64, bool)>,
}

impl Block {
    fn shifted(&self, dx: f64, dy: f64) -> Block {
        let mut b = self.clone();
        for n in &mut b.nodes {
            n.x += dx;
            n.y += dy;
        }
        for a in &mut b.arrows {
            for p in &mut a.points {
                p.0 += dx;
                p.1 += dy;
            }
        }
        b.entry = (b.entry.0 + dx, b.entry.1 + dy);
        for e in &mut b.exits {
            e.0 += dx;
            e.1 += dy;
        }
        b
    }
}

/// Which states the run entered, by name (`"<book>: <state> …"` lines in the step log).
fn taken_states(book: &str, run: &RunResult) -> Vec<String> {
    let prefix = format!("{book}: ");
    let mut out: Vec<String> = Vec::new();
    for e in &run.log {
        if let Some(rest) = e.text.strip_prefix(&prefix) {
            // The state name is everything before the verb (`begins`, `done`, `chooses`, …).
            let name = rest.rsplit_once(' ').map_or(rest, |(n, _)| n);
            for candidate in [name, rest.split(' ').next().unwrap_or(rest)] {
                if !out.iter().any(|s| s == candidate) {
                    out.push(candidate.to_string());
                }
            }
        }
    }
    out
}

/// A successor of a state: `(target, arrow label, rule text)`.
type Next = (String, Option<String>, String);

/// What a state does, in a few words, and its successors.
fn describe(state: &State) -> (String, String, Vec<Next>) {
    let short = |s: &str| -> String { s.split(['(', ' ', '{']).next().unwrap_or(s).to_string() };
    match state {
        State::Task {
            action,
            next,
            catch,
            ..
        } => {
            let what = format!("{action:?}");
            let mut nexts: Vec<(String, Option<String>, String)> = next
                .iter()
                .map(|n| (n.clone(), None, String::new()))
                .collect();
            for c in catch {
                nexts.push((c.next.clone(), Some("catch".to_string()), format!("{c:?}")));
            }
            (format!("Task · {}", short(&what)), what, nexts)
        }
        State::Wait { duration, next } => (
            "Wait".to_string(),
            format!("wait {duration:?}"),
            next.iter()
                .map(|n| (n.clone(), None, String::new()))
                .collect(),
        ),
        State::Choice { choices, default } => {
            let mut nexts: Vec<(String, Option<String>, String)> = choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        c.next.clone(),
                        Some(format!("rule {}", i + 1)),
                        format!("rule {}: {:?}", i + 1, c.when),
                    )
                })
                .collect();
            if let Some(d) = default {
                nexts.push((
                    d.clone(),
                    Some("default".to_string()),
                    "default".to_string(),
                ));
            }
            ("Choice".to_string(), "a Choice state".to_string(), nexts)
        }
        State::Parallel { next, catch, .. } => {
            let mut nexts: Vec<(String, Option<String>, String)> = next
                .iter()
                .map(|n| (n.clone(), None, String::new()))
                .collect();
            for c in catch {
                nexts.push((c.next.clone(), Some("catch".to_string()), format!("{c:?}")));
            }
            (
                "Parallel".to_string(),
                "branches run at once".to_string(),
                nexts,
            )
        }
        State::Succeed => (
            "Succeed".to_string(),
            "ends in success".to_string(),
            Vec::new(),
        ),
        State::Fail { error, .. } => (
            "Fail".to_string(),
            format!("fails with {error}"),
            Vec::new(),
        ),
    }
}

/// Lays out the states reachable from `start` (breadth-first ranks), recursing into Parallel branches.
fn layout(
    states: &BTreeMap<String, State>,
    start: &str,
    taken: &[String],
    budget: &mut usize,
) -> Block {
    // Ranks by breadth-first order; states no arrow reaches are appended last, so all are drawn.
    let mut order: Vec<String> = Vec::new();
    let mut rank: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::new();
    if states.contains_key(start) {
        queue.push_back((start.to_string(), 0));
        rank.insert(start.to_string(), 0);
    }
    let mut push_rest = states.keys().cloned().collect::<Vec<_>>().into_iter();
    loop {
        while let Some((name, r)) = queue.pop_front() {
            order.push(name.clone());
            if let Some(state) = states.get(&name) {
                for (next, _, _) in describe(state).2 {
                    if states.contains_key(&next) && !rank.contains_key(&next) {
                        rank.insert(next.clone(), r + 1);
                        queue.push_back((next, r + 1));
                    }
                }
            }
        }
        match push_rest.find(|n| !rank.contains_key(n)) {
            Some(n) => {
                let r = rank.values().max().map_or(0, |m| m + 1);
                rank.insert(n.clone(), r);
                queue.push_back((n, r));
            }
            None => break,
        }
    }
    order.truncate((*budget).min(order.len()));
    *budget = budget.saturating_sub(order.len());

    // Each state's own block: a box, or a Parallel frame with its branches inside.
    let mut blocks: BTreeMap<String, Block> = BTreeMap::new();
    for name in &order {
        let state = &states[name];
        let (kind, tooltip, _) = describe(state);
        let is_taken = taken.iter().any(|t| t == name);
        let block = match state {
            State::Parallel { branches, .. } => parallel(name, &kind, branches, taken, budget),
            _ => Block {
                w: NODE_W,
                h: NODE_H,
                nodes: vec![NodeBox {
                    x: 0.0,
                    y: 0.0,
                    w: NODE_W,
                    h: NODE_H,
                    name: name.clone(),
                    kind,
                    tooltip: format!("{name}: {tooltip}"),
                    taken: is_taken,
                    frame: false,
                }],
                arrows: Vec::new(),
                entry: (NODE_W / 2.0, 0.0),
                exits: vec![(NODE_W / 2.0, NODE_H, is_taken)],
            },
        };
        blocks.insert(name.clone(), block);
    }

    // Rows: ranks in order, blocks left to right, centred.
    let rows_n = order.iter().map(|n| rank[n]).max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<&String>> = vec![Vec::new(); rows_n];
    for name in &order {
        rows[rank[name]].push(name);
    }
    let row_w: Vec<f64> = rows
        .iter()
        .map(|r| {
            r.iter().map(|n| blocks[*n].w).sum::<f64>() + COL_GAP * r.len().saturating_sub(1) as f64
        })
        .collect();
    let content_w = row_w.iter().copied().fold(NODE_W, f64::max);
    let mut placed: BTreeMap<String, Block> = BTreeMap::new();
    let mut row_top = Vec::with_capacity(rows_n);
    let mut y = 0.0;
    for (r, row) in rows.iter().enumerate() {
        row_top.push(y);
        let mut x = (content_w - row_w[r]) / 2.0;
        let mut h: f64 = 0.0;
        for name in row {
            let b = &blocks[*name];
            placed.insert((*name).clone(), b.shifted(x, y));
            x += b.w + COL_GAP;
            h = h.max(b.h);
        }
        y += h + ROW_GAP;
    }
    let content_h = (y - ROW_GAP).max(0.0);
    let row_bottom: Vec<f64> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| row_top[r] + row.iter().map(|n| blocks[*n].h).fold(0.0, f64::max))
        .collect();

    // Arrows.
    let mut out = Block {
        w: content_w,
        h: content_h,
        ..Block::default()
    };
    let mut lanes = 0usize;
    let mut exits = Vec::new();
    for name in &order {
        let state = &states[name];
        let from = &placed[name];
        let successors = describe(state).2;
        let known: Vec<&(String, Option<String>, String)> = successors
            .iter()
            .filter(|(n, _, _)| placed.contains_key(n))
            .collect();
        if successors.is_empty()
            || matches!(
                state,
                State::Task { next: None, .. }
                    | State::Parallel { next: None, .. }
                    | State::Wait { next: None, .. }
            )
        {
            // Ends the block (an End state, or a branch's last state).
            exits.extend(from.exits.iter().copied());
        }
        let k = known.len();
        for (i, (target, label, rule)) in known.into_iter().enumerate() {
            let to = &placed[target];
            let (ex, ey, from_taken) =
                from.exits
                    .first()
                    .copied()
                    .unwrap_or((from.w / 2.0, from.h, false));
            // Several arrows out of one box leave from points spread along its bottom.
            let bottom_y = from.nodes.first().map_or(ey, |n| n.y + n.h).max(ey);
            let left = from.nodes.first().map_or(ex, |n| n.x);
            let width = from.nodes.first().map_or(NODE_W, |n| n.w);
            let sx = if k > 1 {
                left + width * (i + 1) as f64 / (k + 1) as f64
            } else {
                ex
            };
            let r_from = rank[name];
            let r_to = rank[target];
            let below = row_bottom[r_from] + ROW_GAP / 2.0;
            let (tx, ty) = to.entry;
            let points = if r_to == r_from + 1 {
                vec![(sx, bottom_y), (sx, below), (tx, below), (tx, ty)]
            } else {
                lanes += 1;
                let lane_x = content_w + LANE * lanes as f64;
                let above = row_top[r_to] - ROW_GAP / 2.0;
                vec![
                    (sx, bottom_y),
                    (sx, below),
                    (lane_x, below),
                    (lane_x, above),
                    (tx, above),
                    (tx, ty),
                ]
            };
            let to_taken = to.nodes.first().is_some_and(|n| n.taken);
            out.arrows.push(Arrow {
                points,
                label: label.clone().map(|l| (l, rule.clone())),
                taken: from_taken && to_taken,
            });
        }
    }
    out.w = content_w + LANE * (lanes as f64 + 1.0);
    out.entry = order
        .first()
        .map_or((content_w / 2.0, 0.0), |n| placed[n].entry);
    out.exits = exits;
    for name in &order {
        let b = &placed[name];
        out.nodes.extend(b.nodes.iter().cloned());
        out.arrows.extend(b.arrows.iter().cloned());
    }
    out
}

/// A Parallel state: a frame with its title on top and each branch laid out in a column inside.
fn parallel(
    name: &str,
    kind: &str,
    branches: &[Branch],
    taken: &[String],
    budget: &mut usize,
) -> Block {
    let title_h = 24.0;
    let inner: Vec<Block> = branches
        .iter()
        .map(|b| layout(&b.states, &b.start_at, taken, budget))
        .collect();
    let w = inner.iter().map(|b| b.w).sum::<f64>()
        + COL_GAP * inner.len().saturating_sub(1) as f64
        + 2.0 * PAD;
    let h = title_h + PAD + inner.iter().map(|b| b.h).fold(0.0, f64::max) + PAD;
    let any_taken = inner
        .iter()
        .any(|b| b.nodes.iter().any(|n| n.taken && !n.frame))
        || taken.iter().any(|t| t == name);
    let mut block = Block {
        w: w.max(NODE_W),
        h,
        nodes: vec![NodeBox {
            x: 0.0,
            y: 0.0,
            w: w.max(NODE_W),
            h,
            name: name.to_string(),
            kind: kind.to_string(),
            tooltip: format!("{name}: Parallel, {} branches run at once", branches.len()),
            taken: any_taken,
            frame: true,
        }],
        arrows: Vec::new(),
        entry: (w.max(NODE_W) / 2.0, 0.0),
        exits: vec![(w.max(NODE_W) / 2.0, h, any_taken)],
    };
    let mut x = PAD + (w.max(NODE_W) - w) / 2.0;
    for b in &inner {
        let s = b.shifted(x, title_h + PAD);
        block.nodes.extend(s.nodes);
        block.arrows.extend(s.arrows);
        x += b.w + COL_GAP;
    }
    block
}

/// One runbook's diagram as an `<svg>`, with the path `run` took highlighted.
pub(crate) fn runbook_svg(book: &RunbookConfig, run: &RunResult, index: usize) -> String {
    let taken = taken_states(&book.name, run);
    let started = !taken.is_empty();
    let mut budget = MAX_STATES;
    let block = layout(&book.states, &book.start_at, &taken, &mut budget);
    let top = 40.0 + 22.0 + ROW_GAP / 2.0;
    let left = 20.0;
    let width = (block.w + 2.0 * left).max(360.0);
    let dx = left + (width - 2.0 * left - block.w).max(0.0) / 2.0;
    let height = top + block.h + ROW_GAP / 2.0 + 26.0 + 34.0;
    let mut svg = Svg::new(
        &format!("chart-runbook-{index}"),
        width,
        height,
        &format!("runbook {} as a state diagram", book.name),
    );
    svg.title(&format!(
        "Runbook {}{}",
        book.name,
        if started {
            ""
        } else {
            " (did not start in this run)"
        }
    ));
    let b = block.shifted(dx, top);
    // Start and End pills.
    let (ex, ey) = b.entry;
    let pill = |svg: &mut Svg, cx: f64, y: f64, text: &str, on: bool| {
        let (stroke, fill) = if on {
            (TAKEN, TAKEN_FILL)
        } else {
            (IDLE, "#f4f4f4")
        };
        svg.rect(cx - 34.0, y, 68.0, 22.0, fill, stroke, "rx=\"11\"", None);
        svg.text(cx, y + 15.0, FONT, Anchor::Middle, "#222", text, None);
    };
    pill(&mut svg, ex, 40.0, "Start", started);
    let stroke = |on: bool| if on { TAKEN } else { IDLE };
    svg.arrow(
        &[(ex, 62.0), (ex, ey)],
        stroke(started),
        if started { 2.5 } else { 1.2 },
        "",
    );
    let end_y = top + b.h + ROW_GAP / 2.0;
    // End sits under the last state when there is one exit, else in the middle.
    let end_x = match b.exits.as_slice() {
        [(x, _, _)] => *x,
        _ => width / 2.0,
    };
    let ended = b.exits.iter().any(|e| e.2) && started;
    for (x, y, on) in &b.exits {
        svg.arrow(
            &[
                (*x, *y),
                (*x, end_y - 12.0),
                (end_x, end_y - 12.0),
                (end_x, end_y),
            ],
            stroke(*on && started),
            if *on && started { 2.5 } else { 1.2 },
            "",
        );
    }
    pill(&mut svg, end_x, end_y, "End", ended);
    // Frames first (under their branches), then arrows, then boxes, then labels.
    for n in b.nodes.iter().filter(|n| n.frame) {
        let (stroke, fill) = if n.taken {
            (TAKEN, "#f4fbf5")
        } else {
            (IDLE, "#fafafa")
        };
        svg.rect(
            n.x,
            n.y,
            n.w,
            n.h,
            fill,
            stroke,
            "stroke-dasharray=\"5 3\" rx=\"6\"",
            Some(&n.tooltip),
        );
        svg.text(
            n.x + 8.0,
            n.y + 16.0,
            FONT,
            Anchor::Start,
            "#222",
            &fit(&format!("{} · Parallel", n.name), FONT, n.w - 16.0),
            Some(&n.tooltip),
        );
    }
    for a in &b.arrows {
        svg.arrow(
            &a.points,
            stroke(a.taken),
            if a.taken { 2.5 } else { 1.2 },
            "",
        );
    }
    for n in b.nodes.iter().filter(|n| !n.frame) {
        let (stroke, fill, sw) = if n.taken {
            (TAKEN, TAKEN_FILL, "2")
        } else {
            (IDLE, "#ffffff", "1")
        };
        svg.rect(
            n.x,
            n.y,
            n.w,
            n.h,
            fill,
            stroke,
            &format!("stroke-width=\"{sw}\" rx=\"4\""),
            Some(&n.tooltip),
        );
        svg.text(
            n.x + 8.0,
            n.y + 15.0,
            FONT,
            Anchor::Start,
            "#111",
            &fit(&n.name, FONT, n.w - 16.0),
            Some(&n.tooltip),
        );
        svg.text(
            n.x + 8.0,
            n.y + 30.0,
            MIN_FONT,
            Anchor::Start,
            "#555",
            &fit(&n.kind, MIN_FONT, n.w - 16.0),
            Some(&n.tooltip),
        );
    }
    // Choice labels: beside the first drop of their arrow, right of it, shortened to the room there.
    for a in &b.arrows {
        let (Some((label, rule)), Some(&(x, y))) = (&a.label, a.points.first()) else {
            continue;
        };
        let room = 44.0;
        let text = fit(label, MIN_FONT, room);
        svg.text(
            x + 3.0,
            y + 14.0,
            MIN_FONT,
            Anchor::Start,
            if a.taken { TAKEN } else { "#555" },
            &text,
            Some(rule),
        );
        let _ = text_width(&text, MIN_FONT);
    }
    // Legend.
    let ly = height - 16.0;
    svg.rect(
        10.0,
        ly - 10.0,
        14.0,
        12.0,
        TAKEN_FILL,
        TAKEN,
        "stroke-width=\"2\"",
        None,
    );
    svg.text(
        30.0,
        ly,
        MIN_FONT,
        Anchor::Start,
        "#333",
        "state entered in this run",
        None,
    );
    svg.rect(200.0, ly - 10.0, 14.0, 12.0, "#ffffff", IDLE, "", None);
    svg.text(
        220.0,
        ly,
        MIN_FONT,
        Anchor::Start,
        "#333",
        "not entered",
        None,
    );
    if budget == 0 {
        svg.text(
            320.0,
            ly,
            MIN_FONT,
            Anchor::Start,
            "#a00",
            "(cut: too many states to draw)",
            None,
        );
    }
    svg.finish()
}
