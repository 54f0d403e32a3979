//! The case's map in the dossier: the same pixels as the page's SVG (`maps::case_map`), drawn
//! as vector paths scaled to the page, with the labels set in the dossier's font.

use super::layout::{Layout, Op, Shape};
use super::{Style, Weight, SMALL, WIDTH};
use crate::maps::case_map::{CaseMap, DrawnMap, Label};
use crate::maps::local::Px;

const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
const WHITE: (f32, f32, f32) = (1.0, 1.0, 1.0);

/// Sets each map (the local one at the text's width, the regional one smaller), its caption
/// and the rows of its table.
pub(super) fn maps(l: &mut Layout<'_>, m: &CaseMap) {
    l.sub("Map");
    for (i, map) in m.maps.iter().enumerate() {
        let width = if i == 0 { WIDTH } else { WIDTH * 0.62 };
        let k = width / map.width as f32;
        l.figure(map.height as f32 * k, ops(map, k));
        l.para(
            SMALL,
            &format!("{}. Scale bar {}.", map.title, map.scale.text),
        );
        l.gap(4.0);
    }
    if !m.note.is_empty() {
        l.para(SMALL, &m.note);
    }
    let rows: Vec<Vec<String>> = m
        .rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.kind.clone(),
                r.distance.clone(),
                r.rings.clone(),
                r.inside.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        l.table(
            &[
                ("Site", 0.28),
                ("Kind", 0.2),
                ("Distance", 0.1),
                ("Rings drawn", 0.22),
                ("Property inside", 0.2),
            ],
            &rows,
        );
    }
}

fn pt(k: f32) -> impl Fn(&Px) -> (f32, f32) {
    move |&(x, y)| (x as f32 * k, y as f32 * k)
}

fn shape(lines: &[Vec<Px>], k: f32) -> Vec<Vec<(f32, f32)>> {
    lines
        .iter()
        .map(|l| l.iter().map(pt(k)).collect())
        .collect()
}

/// The drawing of one map, in points from the figure's top left corner.
fn ops(m: &DrawnMap, k: f32) -> Vec<Op> {
    let mut out = Vec::new();
    let line = |lines: Vec<Vec<(f32, f32)>>, colour, width: f32, dash: Vec<f32>| {
        Op::Shape(Shape {
            lines,
            fill: None,
            stroke: Some(colour),
            width,
            dash,
            closed: false,
        })
    };
    let area = |lines: Vec<Vec<(f32, f32)>>, fill, stroke| {
        Op::Shape(Shape {
            lines,
            fill: Some(fill),
            stroke,
            width: 1.0,
            dash: Vec::new(),
            closed: true,
        })
    };
    let frame = vec![vec![
        (0.0, 0.0),
        (m.width, 0.0),
        (m.width, m.height),
        (0.0, m.height),
    ]];
    out.push(area(shape(&frame, k), WHITE, Some((0.6, 0.6, 0.6))));
    if !m.county_zones.is_empty() {
        out.push(area(shape(&m.county_zones, k), (0.98, 0.96, 0.78), None));
    }
    out.push(line(
        shape(&m.counties, k),
        (0.55, 0.55, 0.55),
        0.5,
        Vec::new(),
    ));
    out.push(line(
        shape(&m.states, k),
        (0.27, 0.27, 0.27),
        1.3,
        Vec::new(),
    ));
    for s in m.sites.iter().filter(|s| !s.area.is_empty()) {
        out.push(area(
            shape(std::slice::from_ref(&s.area), k),
            s.paint.tint_rgb,
            Some(s.paint.rgb),
        ));
    }
    for r in &m.rings {
        let dash = r.dash.iter().map(|d| *d as f32 * k).collect();
        out.push(line(shape(&r.lines, k), r.paint.rgb, 1.5, dash));
    }
    for s in m.sites.iter().filter(|s| s.shown) {
        out.push(area(
            shape(std::slice::from_ref(&s.marker), k),
            s.paint.rgb,
            Some(WHITE),
        ));
    }
    out.push(area(
        shape(std::slice::from_ref(&m.star), k),
        BLACK,
        Some(WHITE),
    ));
    let labels = m
        .sites
        .iter()
        .filter_map(|s| s.label.as_ref().map(|l| (l, Weight::Regular)))
        .chain(m.property_label.as_ref().map(|l| (l, Weight::Bold)));
    for (label, weight) in labels {
        out.extend(label_ops(label, weight, k));
    }
    let s = &m.scale;
    out.push(line(
        shape(
            &[vec![
                (s.x, s.y - 4.0),
                (s.x, s.y),
                (s.x2(), s.y),
                (s.x2(), s.y - 4.0),
            ]],
            k,
        ),
        BLACK,
        1.2,
        Vec::new(),
    ));
    out.push(text(s.x, s.y - 6.0, &s.text, Weight::Regular, k));
    out.push(area(
        shape(std::slice::from_ref(&m.north_arrow()), k),
        BLACK,
        None,
    ));
    out.push(text(
        m.north.0 - 3.5,
        m.north.1 + 30.0,
        "N",
        Weight::Bold,
        k,
    ));
    out
}

fn text(x: f64, y: f64, s: &str, weight: Weight, k: f32) -> Op {
    let size = 10.0 * k;
    Op::Text {
        x: x as f32 * k,
        y: y as f32 * k,
        style: Style {
            weight,
            size,
            lead: size * 1.2,
            gray: 0.0,
        },
        text: s.to_string(),
    }
}

/// A label on a white ground (so lines under it do not cross the letters), with its leader.
fn label_ops(l: &Label, weight: Weight, k: f32) -> Vec<Op> {
    let mut out = Vec::new();
    if let Some((a, b)) = l.leader {
        out.push(Op::Shape(Shape {
            lines: vec![vec![pt(k)(&a), pt(k)(&b)]],
            fill: None,
            stroke: Some((0.33, 0.33, 0.33)),
            width: 0.6,
            dash: Vec::new(),
            closed: false,
        }));
    }
    let w = crate::maps::local::text_width(&l.text, 10.0);
    let ground = vec![vec![
        (l.x - 1.0, l.y - 9.5),
        (l.x - 1.0 + w, l.y - 9.5),
        (l.x - 1.0 + w, l.y + 3.0),
        (l.x - 1.0, l.y + 3.0),
    ]];
    out.push(Op::Shape(Shape {
        lines: shape(&ground, k),
        fill: Some(WHITE),
        stroke: None,
        width: 0.0,
        dash: Vec::new(),
        closed: true,
    }));
    out.push(text(l.x, l.y, &l.text, weight, k));
    out
}
