//! National maps: the state outlines of the US in Albers USA as SVG path data (built once,
//! simplified for a light page), a state's zoomed view with its county lines, and the merging
//! of nearby points into counted marks on a pixel grid.
//!
//! Pure: geometry in, path strings and clusters out. What a mark means (a site, a case) and
//! where it links is the caller's business.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use super::albers::{AlbersUsa, Part, HEIGHT, WIDTH};
use super::topo::Ring;
use super::MapError;

/// Simplification tolerance, in pixels of the drawn map: finer than a pixel is not seen.
const TOLERANCE: f64 = 0.6;
/// Space kept around a zoomed state, in pixels.
const PADDING: f64 = 24.0;

/// One state's outline, ready for a `<path d="…">`.
#[derive(Clone, Debug, PartialEq)]
pub struct StatePath {
    /// Two-digit state FIPS code.
    pub fips: String,
    /// The state's name, as the Census file spells it.
    pub name: String,
    /// SVG path data, in view-box pixels.
    pub d: String,
}

/// The drawn background of a map: state outlines and, zoomed in, county lines.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseMap {
    /// The states drawn (all 50 and DC nationally; the one state when zoomed).
    pub states: Vec<StatePath>,
    /// County borders inside a zoomed state (empty nationally), as one path.
    pub county_lines: String,
}

/// How longitude and latitude become pixels of the view box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Frame {
    /// The whole country, Alaska and Hawaii inset.
    National,
    /// One state blown up to fill the view box: its part's projection, then `k·p + (dx, dy)`.
    Zoomed {
        /// The projection the state is drawn with.
        part: Part,
        /// Scale from national pixels.
        k: f64,
        /// Horizontal offset after scaling.
        dx: f64,
        /// Vertical offset after scaling.
        dy: f64,
    },
}

impl Frame {
    /// The pixel of a point, or `None` when it is not on this map.
    pub fn place(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let p = projection();
        match *self {
            Frame::National => p.project(lon, lat),
            Frame::Zoomed { part, k, dx, dy } => {
                if !lon.is_finite() || !lat.is_finite() {
                    return None;
                }
                let (x, y) = p.project_in(part, lon, lat);
                let (x, y) = (k * x + dx, k * y + dy);
                ((0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y)).then_some((x, y))
            }
        }
    }

    /// Fits a box of national pixels (x0, y0, x1, y1) into the view box, centred.
    pub fn fit(part: Part, b: (f64, f64, f64, f64)) -> Frame {
        let (w, h) = ((b.2 - b.0).max(1e-3), (b.3 - b.1).max(1e-3));
        let k = ((WIDTH - 2.0 * PADDING) / w).min((HEIGHT - 2.0 * PADDING) / h);
        Frame::Zoomed {
            part,
            k,
            dx: (WIDTH - k * w) / 2.0 - k * b.0,
            dy: (HEIGHT - k * h) / 2.0 - k * b.1,
        }
    }

    /// The pixel of a point of a shape drawn in `part`, unclipped.
    fn shape_point(&self, part: Part, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = projection().project_in(part, lon, lat);
        match *self {
            Frame::National => (x, y),
            Frame::Zoomed { k, dx, dy, .. } => (k * x + dx, k * y + dy),
        }
    }
}

fn projection() -> &'static AlbersUsa {
    static P: OnceLock<AlbersUsa> = OnceLock::new();
    P.get_or_init(AlbersUsa::new)
}

/// Whether a state or territory is on the national map (d3's Albers USA has no territories).
fn on_national_map(fips: &str) -> bool {
    fips.parse::<u8>().is_ok_and(|n| n < 60)
}

/// The national background, built on first use and then shared.
pub fn national() -> Result<Arc<BaseMap>, MapError> {
    static NATIONAL: OnceLock<Result<Arc<BaseMap>, MapError>> = OnceLock::new();
    NATIONAL
        .get_or_init(|| {
            let topology = super::counties()?.topology();
            let states = topology
                .object("states")
                .ok_or_else(|| MapError::MissingObject("states".into()))?;
            let mut out = Vec::new();
            for g in states {
                let Some(fips) = g.id.as_deref().filter(|f| on_national_map(f)) else {
                    continue;
                };
                let part = Part::of_state(fips);
                out.push(StatePath {
                    fips: fips.to_string(),
                    name: g.name.clone().unwrap_or_default(),
                    d: path_data(&Frame::National, part, g.rings()),
                });
            }
            out.sort_by(|a, b| a.fips.cmp(&b.fips));
            Ok(Arc::new(BaseMap {
                states: out,
                county_lines: String::new(),
            }))
        })
        .clone()
}

/// A state's zoomed view (two-digit FIPS code): its outline and county lines, and the frame
/// that places points on it. `None` when the Census file has no such state. Built once per
/// state and then shared.
pub fn state(fips: &str) -> Result<Option<(Arc<BaseMap>, Frame)>, MapError> {
    type Cache = Mutex<HashMap<String, Option<(Arc<BaseMap>, Frame)>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(hit) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(fips)
        .cloned()
    {
        return Ok(hit);
    }
    let built = build_state(fips)?;
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(fips.to_string(), built.clone());
    Ok(built)
}

fn build_state(fips: &str) -> Result<Option<(Arc<BaseMap>, Frame)>, MapError> {
    let counties = super::counties()?;
    let states = counties
        .topology()
        .object("states")
        .ok_or_else(|| MapError::MissingObject("states".into()))?;
    let Some(g) = states.iter().find(|g| g.id.as_deref() == Some(fips)) else {
        return Ok(None);
    };
    let part = Part::of_state(fips);
    let national_pixels = g
        .rings()
        .flatten()
        .map(|&(lon, lat)| Frame::National.shape_point(part, lon, lat));
    let Some(b) = bounds(national_pixels) else {
        return Ok(None);
    };
    let frame = Frame::fit(part, b);
    let outline = StatePath {
        fips: fips.to_string(),
        name: g.name.clone().unwrap_or_default(),
        d: path_data(&frame, part, g.rings()),
    };
    let county_rings = counties
        .iter()
        .filter(|(c, _)| c.state_fips == fips)
        .flat_map(|(_, g)| g.rings());
    let county_lines = path_data(&frame, part, county_rings);
    Ok(Some((
        Arc::new(BaseMap {
            states: vec![outline],
            county_lines,
        }),
        frame,
    )))
}

fn bounds(points: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64, f64, f64)> {
    points.fold(None, |acc, (x, y)| match acc {
        None => Some((x, y, x, y)),
        Some((x0, y0, x1, y1)) => Some((x0.min(x), y0.min(y), x1.max(x), y1.max(y))),
    })
}

/// SVG path data for rings: projected, simplified, one decimal; rings that shrink below a
/// triangle are left out.
fn path_data<'a>(frame: &Frame, part: Part, rings: impl Iterator<Item = &'a Ring>) -> String {
    let mut d = String::new();
    for ring in rings {
        let pixels: Vec<(f64, f64)> = ring
            .iter()
            .map(|&(lon, lat)| frame.shape_point(part, lon, lat))
            .collect();
        let kept = simplify(&pixels, TOLERANCE);
        if kept.len() < 4 {
            continue;
        }
        for (i, (x, y)) in kept.iter().enumerate() {
            let cmd = if i == 0 { 'M' } else { 'L' };
            // Writing to a String cannot fail.
            let _ = write!(d, "{cmd}{x:.1} {y:.1}");
        }
        d.push('Z');
    }
    d
}

/// Douglas–Peucker: the points of a line that keep it within `tolerance` of the original.
/// The first and last points are always kept.
pub fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    let n = points.len();
    if n < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; n];
    let mut stack = vec![(0usize, n - 1)];
    mark(&mut keep, 0);
    mark(&mut keep, n - 1);
    while let Some((a, b)) = stack.pop() {
        let (Some(&pa), Some(&pb)) = (points.get(a), points.get(b)) else {
            continue;
        };
        let mut worst = (0.0, a);
        for (i, &p) in points.iter().enumerate().take(b).skip(a + 1) {
            let dist = segment_distance(p, pa, pb);
            if dist > worst.0 {
                worst = (dist, i);
            }
        }
        if worst.0 > tolerance {
            mark(&mut keep, worst.1);
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn mark(keep: &mut [bool], i: usize) {
    if let Some(k) = keep.get_mut(i) {
        *k = true;
    }
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

/// Points merged into one counted mark: every point within one grid cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// The members' mean position, in pixels.
    pub x: f64,
    /// The members' mean position, in pixels.
    pub y: f64,
    /// Indices into the points given to [`cluster`], in their order.
    pub members: Vec<usize>,
}

/// Merges points (pixels) into one mark per `cell`-pixel square of the grid, so a dense map
/// stays light. Every point is in exactly one cluster; clusters come in grid order.
pub fn cluster(points: &[(f64, f64)], cell: f64) -> Vec<Cluster> {
    let cell = if cell.is_finite() && cell > 0.0 {
        cell
    } else {
        1.0
    };
    let mut cells: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        // Pixels are bounded by the view box, so the cast cannot overflow.
        let key = ((y / cell).floor() as i64, (x / cell).floor() as i64);
        cells.entry(key).or_default().push(i);
    }
    cells
        .into_values()
        .map(|members| {
            let (sx, sy) = members
                .iter()
                .filter_map(|&i| points.get(i))
                .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
            let n = members.len().max(1) as f64;
            Cluster {
                x: sx / n,
                y: sy / n,
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn clustering_counts_every_point_once() {
        let points: Vec<(f64, f64)> = (0..1000)
            .map(|i| ((i * 37 % 975) as f64, (i * 91 % 610) as f64))
            .collect();
        let clusters = cluster(&points, 20.0);
        let mut seen: Vec<usize> = clusters.iter().flat_map(|c| c.members.clone()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..1000).collect::<Vec<_>>());
        assert!(clusters.len() < 1000, "some points merge");
    }

    #[test]
    fn near_points_merge_and_far_points_do_not() {
        let points = [(10.0, 10.0), (12.0, 14.0), (300.0, 200.0)];
        let clusters = cluster(&points, 20.0);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].members, vec![0, 1]);
        assert!((clusters[0].x - 11.0).abs() < 1e-9 && (clusters[0].y - 12.0).abs() < 1e-9);
        assert_eq!(clusters[1].members, vec![2]);
        assert!(cluster(&[], 20.0).is_empty());
        assert_eq!(
            cluster(&points, f64::NAN).len(),
            3,
            "a bad cell is one pixel"
        );
    }

    #[test]
    fn simplify_drops_points_on_a_line_and_keeps_corners() {
        let line = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (2.0, 5.0), (0.0, 0.0)];
        let kept = simplify(&line, 0.6);
        assert_eq!(kept, vec![(0.0, 0.0), (2.0, 0.0), (2.0, 5.0), (0.0, 0.0)]);
        assert_eq!(simplify(&line[..2], 0.6).len(), 2);
    }

    #[test]
    fn the_national_map_has_every_state_and_dc_and_stays_light() {
        let map = national().unwrap();
        assert_eq!(map.states.len(), 51);
        assert!(map.states.iter().all(|s| !s.d.is_empty()));
        let bytes: usize = map.states.iter().map(|s| s.d.len()).sum();
        assert!(bytes < 150_000, "{bytes} bytes of outlines");
        // Every drawn point lies in the view box.
        let wy = map.states.iter().find(|s| s.fips == "56").unwrap();
        assert!(wy.d.starts_with('M'));
    }

    #[test]
    fn a_zoomed_state_fills_the_view_and_places_its_cities() {
        let (map, frame) = state("56").unwrap().unwrap();
        assert!(!map.county_lines.is_empty());
        // Cheyenne is in Wyoming's south-east corner.
        let (x, y) = frame.place(-104.8202, 41.14).unwrap();
        assert!(x > WIDTH * 0.7 && y > HEIGHT * 0.9, "({x}, {y})");
        // Denver is off the Wyoming map.
        assert_eq!(frame.place(-104.99, 39.74), None);
        // Alaska zooms with its own projection: Anchorage lands inside the view.
        let (_, ak) = state("02").unwrap().unwrap();
        assert!(ak.place(-149.9003, 61.2181).is_some());
        assert!(state("99").unwrap().is_none());
    }
}
