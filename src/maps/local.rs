//! The geometry of a local map around one point: a projection into a box of pixels, circles
//! and rings measured in miles on the Earth, clipping to the box, a scale bar of a round length,
//! and label placement that keeps labels off each other and off the markers. Pure arithmetic;
//! what is drawn and how is `case_map`'s and the templates' business.

use std::f64::consts::PI;

use crate::domain::screening::geometry::EARTH_RADIUS_MI;

/// Miles in one degree of latitude (and of longitude at the equator).
pub const MI_PER_DEGREE: f64 = EARTH_RADIUS_MI * PI / 180.0;

/// A point in the map's pixels: x to the right, y down.
pub type Px = (f64, f64);

/// An axis-aligned rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether the two rectangles share any area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `o` lies wholly inside this rectangle.
    pub fn holds(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }

    /// Whether the point lies inside or on the edge.
    pub fn contains(&self, (x, y): Px) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }

    /// The square of side `2 * r` centred on a point.
    pub fn around((x, y): Px, r: f64) -> Rect {
        Rect {
            x: x - r,
            y: y - r,
            w: 2.0 * r,
            h: 2.0 * r,
        }
    }
}

/// A local projection centred on a point: longitude scaled by the cosine of the centre's
/// latitude (equirectangular), so that near the centre a mile is the same length in every
/// direction. Over a hundred miles in the US the error stays under about 2%.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Latitude of the centre, degrees.
    pub lat0: f64,
    /// Longitude of the centre, degrees.
    pub lon0: f64,
    /// Pixels per mile.
    pub px_per_mi: f64,
    /// Width of the box, pixels.
    pub width: f64,
    /// Height of the box, pixels.
    pub height: f64,
}

impl Frame {
    /// A frame of `width` × `height` pixels centred on (lat0, lon0) that shows at least
    /// `half_mi` miles from the centre in every direction (`margin` pixels kept free).
    pub fn new(lat0: f64, lon0: f64, half_mi: f64, width: f64, height: f64, margin: f64) -> Frame {
        let room = (width.min(height) / 2.0 - margin).max(1.0);
        let half = if half_mi.is_finite() && half_mi > 0.0 {
            half_mi
        } else {
            1.0
        };
        Frame {
            lat0,
            lon0,
            px_per_mi: room / half,
            width,
            height,
        }
    }

    /// The box as a rectangle.
    pub fn bounds(&self) -> Rect {
        Rect {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h: self.height,
        }
    }

    fn kx(&self) -> f64 {
        self.lat0.to_radians().cos().max(0.01)
    }

    /// Where a (latitude, longitude) falls in the box.
    pub fn project(&self, lat: f64, lon: f64) -> Px {
        let dlon = (lon - self.lon0 + 540.0).rem_euclid(360.0) - 180.0;
        let x = dlon * self.kx() * MI_PER_DEGREE * self.px_per_mi;
        let y = (lat - self.lat0) * MI_PER_DEGREE * self.px_per_mi;
        (self.width / 2.0 + x, self.height / 2.0 - y)
    }

    /// Projects a (longitude, latitude) pair, the order of GeoJSON and TopoJSON.
    pub fn project_lonlat(&self, (lon, lat): (f64, f64)) -> Px {
        self.project(lat, lon)
    }

    /// The longitude/latitude box the frame shows, as (min_lon, min_lat, max_lon, max_lat).
    pub fn lonlat_box(&self) -> (f64, f64, f64, f64) {
        let half_x = self.width / 2.0 / self.px_per_mi / (self.kx() * MI_PER_DEGREE);
        let half_y = self.height / 2.0 / self.px_per_mi / MI_PER_DEGREE;
        (
            self.lon0 - half_x,
            self.lat0 - half_y,
            self.lon0 + half_x,
            self.lat0 + half_y,
        )
    }
}

/// The point `dist_mi` miles from (lat, lon) on the initial bearing `bearing_deg` (clockwise
/// from north), on the sphere.
pub fn destination(lat: f64, lon: f64, bearing_deg: f64, dist_mi: f64) -> (f64, f64) {
    let d = dist_mi / EARTH_RADIUS_MI;
    let (p1, l1, b) = (lat.to_radians(), lon.to_radians(), bearing_deg.to_radians());
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos())
        .clamp(-1.0, 1.0)
        .asin();
    let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (p2.to_degrees(), l2.to_degrees())
}

/// A circle of `radius_mi` miles around a point, as `n` points (latitude, longitude) measured
/// on the sphere, closed (the first point repeated at the end).
pub fn geodesic_circle(lat: f64, lon: f64, radius_mi: f64, n: usize) -> Vec<(f64, f64)> {
    let n = n.max(8);
    let mut out: Vec<(f64, f64)> = (0..n)
        .map(|i| destination(lat, lon, 360.0 * i as f64 / n as f64, radius_mi))
        .collect();
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

/// The convex hull of points (Andrew's monotone chain), counter-clockwise in a y-up sense,
/// without the closing point. Fewer than three distinct points come back as they are.
pub fn convex_hull(mut pts: Vec<Px>) -> Vec<Px> {
    pts.retain(|p| p.0.is_finite() && p.1.is_finite());
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: Px, a: Px, b: Px| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<Px> = Vec::with_capacity(pts.len() * 2);
    for pass in [false, true] {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Px>> = if pass {
            Box::new(pts.iter().rev())
        } else {
            Box::new(pts.iter())
        };
        for &p in iter {
            while hull.len() >= start + 2 {
                let (Some(&a), Some(&b)) = (hull.get(hull.len() - 2), hull.last()) else {
                    break;
                };
                if cross(a, b, p) <= 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The outline `r` pixels outside a shape given by its points: the convex hull of the points,
/// each grown into a circle of `r` (`n` points each). Exact for a convex shape; around a
/// concave boundary it also spans the hollows, so it never understates a zone. Closed.
pub fn grown_hull(points: &[Px], r: f64, n: usize) -> Vec<Px> {
    let n = n.max(8);
    let hull = convex_hull(points.to_vec());
    let mut around = Vec::with_capacity(hull.len() * n);
    for &(x, y) in &hull {
        for i in 0..n {
            let a = 2.0 * PI * i as f64 / n as f64;
            around.push((x + r * a.cos(), y + r * a.sin()));
        }
    }
    let mut out = convex_hull(around);
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

/// The pieces of a polyline inside a rectangle (Liang–Barsky on each segment, joined where
/// consecutive segments stay inside).
pub fn clip_polyline(points: &[Px], r: &Rect) -> Vec<Vec<Px>> {
    let mut out: Vec<Vec<Px>> = Vec::new();
    let mut current: Vec<Px> = Vec::new();
    for w in points.windows(2) {
        let [a, b] = w else { continue };
        match clip_segment(*a, *b, r) {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if current.len() >= 2 {
                        out.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(p);
                }
                current.push(q);
            }
            None => {
                if current.len() >= 2 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        out.push(current);
    }
    out
}

fn clip_segment(a: Px, b: Px, r: &Rect) -> Option<(Px, Px)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - r.x),
        (dx, r.x + r.w - a.0),
        (-dy, a.1 - r.y),
        (dy, r.y + r.h - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((at(t0), at(t1)))
}

/// A closed ring cut to a rectangle (Sutherland–Hodgman), for filled shapes. Closed; empty
/// when nothing of the ring is inside.
pub fn clip_polygon(ring: &[Px], r: &Rect) -> Vec<Px> {
    type Inside = fn(Px, &Rect) -> bool;
    type Cut = fn(Px, Px, &Rect) -> Px;
    let edges: [(Inside, Cut); 4] = [
        (|p, r| p.0 >= r.x, |a, b, r| at_x(a, b, r.x)),
        (|p, r| p.0 <= r.x + r.w, |a, b, r| at_x(a, b, r.x + r.w)),
        (|p, r| p.1 >= r.y, |a, b, r| at_y(a, b, r.y)),
        (|p, r| p.1 <= r.y + r.h, |a, b, r| at_y(a, b, r.y + r.h)),
    ];
    let mut pts: Vec<Px> = ring.to_vec();
    if pts.len() >= 2 && pts.first() == pts.last() {
        pts.pop();
    }
    for (inside, cut) in edges {
        let input = std::mem::take(&mut pts);
        let Some(&last) = input.last() else { break };
        let mut prev = last;
        for &p in &input {
            match (inside(p, r), inside(prev, r)) {
                (true, true) => pts.push(p),
                (true, false) => {
                    pts.push(cut(prev, p, r));
                    pts.push(p);
                }
                (false, true) => pts.push(cut(prev, p, r)),
                (false, false) => {}
            }
            prev = p;
        }
    }
    if let Some(&first) = pts.first() {
        pts.push(first);
    }
    pts
}

fn at_x(a: Px, b: Px, x: f64) -> Px {
    let t = if b.0 == a.0 {
        0.0
    } else {
        (x - a.0) / (b.0 - a.0)
    };
    (x, a.1 + t * (b.1 - a.1))
}

fn at_y(a: Px, b: Px, y: f64) -> Px {
    let t = if b.1 == a.1 {
        0.0
    } else {
        (y - a.1) / (b.1 - a.1)
    };
    (a.0 + t * (b.0 - a.0), y)
}

/// The longest round length (1, 2 or 5 times a power of ten) of miles no longer than
/// `max_mi`; 0 when `max_mi` is not a positive number.
pub fn nice_miles(max_mi: f64) -> f64 {
    if !(max_mi.is_finite() && max_mi > 0.0) {
        return 0.0;
    }
    let p = 10f64.powf(max_mi.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v <= max_mi * (1.0 + 1e-9))
        .unwrap_or(p)
}

/// Miles as a scale bar says them: `0.5 mi`, `2 mi`, `100 mi`.
pub fn miles_text(mi: f64) -> String {
    let s = format!("{mi:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} mi")
}

/// How wide a line of text is assumed to be, in pixels, for `size`-pixel sans-serif type: a
/// generous 0.62 em a character, so that a placed box always holds the text drawn in it.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62
}

/// A label to place beside its point.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRequest {
    /// The point the label belongs to.
    pub anchor: Px,
    /// Half the size of the point's marker: the label keeps at least this far off the point.
    pub clear: f64,
    /// The label's width and height.
    pub w: f64,
    /// The label's height.
    pub h: f64,
}

/// Places labels greedily, in the order given (most important first): each takes the first
/// spot around its point, nearest first, that stays inside `bounds` and overlaps neither a
/// label already placed nor an `obstacle` (markers, the scale bar, the north arrow). A label
/// with no free spot is left out (`None`): its name is still in the map's `<title>`s and table.
pub fn place_labels(
    requests: &[LabelRequest],
    obstacles: &[Rect],
    bounds: &Rect,
) -> Vec<Option<Rect>> {
    let mut placed: Vec<Rect> = Vec::new();
    requests
        .iter()
        .map(|q| {
            let spot = candidates(q).find(|c| {
                bounds.holds(c)
                    && !placed.iter().any(|p| p.overlaps(c))
                    && !obstacles.iter().any(|o| o.overlaps(c))
            });
            if let Some(c) = spot {
                placed.push(c);
            }
            spot
        })
        .collect()
}

/// Spots around a point: right, left, above, below and the four corners, then the same
/// further out, then stacked above and below on either side (drawn with a leader line).
fn candidates(q: &LabelRequest) -> impl Iterator<Item = Rect> + '_ {
    let (x, y) = q.anchor;
    let (w, h, g) = (q.w, q.h, q.clear + 6.0);
    let stacked = (1..=12).flat_map(move |i| {
        let dy = f64::from(i) * h;
        [
            (x + g, y - h / 2.0 - dy),
            (x + g, y - h / 2.0 + dy),
            (x - g - w, y - h / 2.0 - dy),
            (x - g - w, y - h / 2.0 + dy),
        ]
        .into_iter()
        .map(move |(x, y)| Rect { x, y, w, h })
    });
    around(q).chain(stacked)
}

fn around(q: &LabelRequest) -> impl Iterator<Item = Rect> + '_ {
    [1.0, 2.5, 4.5].into_iter().flat_map(move |k: f64| {
        let (x, y) = q.anchor;
        let g = q.clear + 2.0 * k;
        let (w, h) = (q.w, q.h);
        [
            (x + g, y - h / 2.0),
            (x - g - w, y - h / 2.0),
            (x - w / 2.0, y - g - h),
            (x - w / 2.0, y + g),
            (x + g * 0.8, y - g * 0.8 - h),
            (x - g * 0.8 - w, y - g * 0.8 - h),
            (x + g * 0.8, y + g * 0.8),
            (x - g * 0.8 - w, y + g * 0.8),
        ]
        .into_iter()
        .map(move |(x, y)| Rect { x, y, w, h })
    })
}

/// A line from a point to its label when the label sits away from it: from the point's
/// marker edge (`clear`) to the nearest point of the label's box; `None` when they touch.
pub fn leader(anchor: Px, clear: f64, label: &Rect) -> Option<(Px, Px)> {
    let nx = anchor.0.clamp(label.x, label.x + label.w);
    let ny = anchor.1.clamp(label.y, label.y + label.h);
    let (dx, dy) = (nx - anchor.0, ny - anchor.1);
    let d = (dx * dx + dy * dy).sqrt();
    if d <= clear + 9.0 {
        return None;
    }
    let from = (anchor.0 + dx / d * clear, anchor.1 + dy / d * clear);
    Some((from, (nx, ny)))
}

/// An SVG path `d` of polylines (`closed` adds `Z` to each), to one decimal.
pub fn path_d(lines: &[Vec<Px>], closed: bool) -> String {
    let mut d = String::new();
    for line in lines.iter().filter(|l| l.len() >= 2) {
        for (i, (x, y)) in line.iter().enumerate() {
            let cmd = if i == 0 { 'M' } else { 'L' };
            d.push_str(&format!("{cmd}{x:.1} {y:.1}"));
        }
        if closed {
            d.push('Z');
        }
    }
    d
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::domain::screening::geometry::haversine_mi;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_centre_is_the_middle_and_a_mile_is_px_per_mi_every_way() {
        let f = Frame::new(41.17, -104.85, 5.0, 640.0, 400.0, 10.0);
        assert_eq!(f.px_per_mi, 38.0);
        assert_eq!(f.project(41.17, -104.85), (320.0, 200.0));
        for bearing in [0.0, 90.0, 180.0, 270.0, 45.0] {
            let (lat, lon) = destination(41.17, -104.85, bearing, 1.0);
            let (x, y) = f.project(lat, lon);
            let r = ((x - 320.0).powi(2) + (y - 200.0).powi(2)).sqrt();
            assert!(close(r, 38.0, 0.2), "bearing {bearing}: {r}");
        }
        // North is up.
        let (_, y) = f.project(41.2, -104.85);
        assert!(y < 200.0);
    }

    #[test]
    fn destination_travels_the_distance_asked() {
        for d in [0.5, 1.0, 100.0] {
            let (lat, lon) = destination(41.13, -104.87, 63.0, d);
            assert!(close(haversine_mi(41.13, -104.87, lat, lon), d, d * 1e-6));
        }
    }

    #[test]
    fn a_one_mile_ring_matches_the_scale_bar() {
        // A site 3 mi from the centre with a 2.2 mi boundary: its 1-mile ring is a circle of
        // 3.2 mi, which must be 1 mi (as the scale bar measures it) outside the boundary.
        let f = Frame::new(41.17, -104.85, 7.0, 640.0, 400.0, 10.0);
        let bar_mi = nice_miles(f.width / 4.0 / f.px_per_mi);
        let bar_px = bar_mi * f.px_per_mi;
        let centre = f.project(41.13, -104.87);
        let ring = geodesic_circle(41.13, -104.87, 3.2, 96);
        let boundary = geodesic_circle(41.13, -104.87, 2.2, 96);
        let mean = |pts: &[(f64, f64)]| {
            pts.iter()
                .map(|&(lat, lon)| {
                    let (x, y) = f.project(lat, lon);
                    ((x - centre.0).powi(2) + (y - centre.1).powi(2)).sqrt()
                })
                .sum::<f64>()
                / pts.len() as f64
        };
        let one_mile_px = mean(&ring) - mean(&boundary);
        assert!(
            close(one_mile_px, bar_px / bar_mi, 0.01 * bar_px / bar_mi),
            "ring {one_mile_px} px, bar {bar_px} px for {bar_mi} mi"
        );
    }

    #[test]
    fn a_polygon_ring_is_r_outside_every_vertex() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let ring = grown_hull(&square, 5.0, 32);
        assert_eq!(ring.first(), ring.last());
        for p in &ring {
            // Every ring point is at least 5 px from the square and at most 5 px (+ chord error).
            let dx = (0.0_f64 - p.0).max(p.0 - 10.0).max(0.0);
            let dy = (0.0_f64 - p.1).max(p.1 - 10.0).max(0.0);
            let d = (dx * dx + dy * dy).sqrt();
            assert!(
                d <= 5.0 + 1e-9 && d >= 5.0 * (PI / 32.0).cos() - 1e-9,
                "{p:?} at {d}"
            );
        }
    }

    #[test]
    fn the_hull_drops_inner_points() {
        let h = convex_hull(vec![
            (0.0, 0.0),
            (2.0, 0.0),
            (1.0, 1.0),
            (2.0, 2.0),
            (0.0, 2.0),
        ]);
        assert_eq!(h.len(), 4);
        assert!(!h.contains(&(1.0, 1.0)));
    }

    #[test]
    fn scale_bars_are_round() {
        assert_eq!(nice_miles(7.3), 5.0);
        assert_eq!(nice_miles(1.9), 1.0);
        assert_eq!(nice_miles(2.0), 2.0);
        assert_eq!(nice_miles(0.42), 0.2);
        assert_eq!(nice_miles(57.0), 50.0);
        assert_eq!(nice_miles(0.0), 0.0);
        assert_eq!(nice_miles(f64::NAN), 0.0);
        assert_eq!(miles_text(0.5), "0.5 mi");
        assert_eq!(miles_text(2.0), "2 mi");
        assert_eq!(miles_text(100.0), "100 mi");
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        let parts = clip_polyline(
            &[
                (-5.0, 5.0),
                (5.0, 5.0),
                (5.0, 20.0),
                (5.0, 30.0),
                (5.0, 8.0),
            ],
            &r,
        );
        assert_eq!(
            parts,
            vec![
                vec![(0.0, 5.0), (5.0, 5.0), (5.0, 10.0)],
                vec![(5.0, 10.0), (5.0, 8.0)]
            ]
        );
        assert!(clip_polyline(&[(20.0, 20.0), (30.0, 30.0)], &r).is_empty());
        let poly = clip_polygon(
            &[
                (-5.0, -5.0),
                (5.0, -5.0),
                (5.0, 5.0),
                (-5.0, 5.0),
                (-5.0, -5.0),
            ],
            &r,
        );
        assert!(poly.iter().all(|p| r.contains(*p)));
        assert!(poly.contains(&(5.0, 5.0)) && poly.contains(&(0.0, 0.0)));
        assert!(clip_polygon(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], &r).is_empty());
    }

    #[test]
    fn twenty_crowded_labels_do_not_overlap() {
        // Twenty sites within a mile or so of each other, all in one county, on a 640 × 400
        // map: every label that is placed is clear of the others, of every marker and of the
        // box's edges; most of them find a place.
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 640.0,
            h: 400.0,
        };
        let anchors: Vec<Px> = (0..20)
            .map(|i| {
                let a = f64::from(i) * 2.4;
                let r = 6.0 * f64::from(i).sqrt();
                (320.0 + r * a.cos(), 200.0 + r * a.sin())
            })
            .collect();
        let markers: Vec<Rect> = anchors.iter().map(|&p| Rect::around(p, 6.0)).collect();
        let requests: Vec<LabelRequest> = anchors
            .iter()
            .enumerate()
            .map(|(i, &anchor)| {
                let text = format!("Sensitive site number {i}");
                LabelRequest {
                    anchor,
                    clear: 6.0,
                    w: text_width(&text, 11.0),
                    h: 13.0,
                }
            })
            .collect();
        let placed = place_labels(&requests, &markers, &bounds);
        let boxes: Vec<Rect> = placed.iter().flatten().copied().collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(bounds.holds(a));
            assert!(
                markers.iter().all(|m| !m.overlaps(a)),
                "label {i} covers a marker"
            );
            for b in boxes.iter().skip(i + 1) {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        assert!(
            boxes.len() >= 18,
            "only {} of 20 labels placed",
            boxes.len()
        );
    }

    #[test]
    fn a_label_with_no_room_is_left_out() {
        let bounds = Rect {
            x: 0.0,
            y: 0.0,
            w: 30.0,
            h: 30.0,
        };
        let q = LabelRequest {
            anchor: (15.0, 15.0),
            clear: 4.0,
            w: 100.0,
            h: 12.0,
        };
        assert_eq!(place_labels(&[q], &[], &bounds), vec![None]);
    }

    #[test]
    fn path_d_is_numbers_and_commands_only() {
        let d = path_d(&[vec![(1.0, 2.0), (3.33, 4.0)]], true);
        assert_eq!(d, "M1.0 2.0L3.3 4.0Z");
        assert!(path_d(&[vec![(1.0, 2.0)]], false).is_empty());
    }
}
