//! Distances on the Earth: great-circle distance between points (haversine on a sphere of mean
//! radius) and the distance from a point to a site's boundary, a polygon when the site has one,
//! else a circle of the site's approximate radius around its centre. Pure arithmetic.

use super::Site;

/// The mean Earth radius, in miles (IUGG mean radius 6,371.0088 km).
pub const EARTH_RADIUS_MI: f64 = 3958.8;

/// The great-circle distance in miles between two points given in decimal degrees.
pub fn haversine_mi(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = wrap_degrees(lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_MI * h.clamp(0.0, 1.0).sqrt().asin()
}

/// Miles from a point to the boundary of a site: 0 inside it. With a boundary polygon, the
/// distance to its nearest edge; otherwise the distance to the centre less the site's
/// approximate boundary radius (never below 0).
pub fn boundary_distance_mi(lat: f64, lon: f64, site: &Site) -> f64 {
    if let Some(d) = site
        .boundary
        .as_deref()
        .and_then(|rings| polygon_distance_mi(lat, lon, rings))
    {
        return d;
    }
    let radius = if site.boundary_radius_mi.is_finite() {
        site.boundary_radius_mi.max(0.0)
    } else {
        0.0
    };
    (haversine_mi(lat, lon, site.lat, site.lon) - radius).max(0.0)
}

/// Miles from a point to a polygon given as rings of (lon, lat): 0 inside (even-odd rule, so a
/// second ring is a hole), else the distance to the nearest edge. `None` when no ring has at
/// least three points.
pub fn polygon_distance_mi(lat: f64, lon: f64, rings: &[Vec<(f64, f64)>]) -> Option<f64> {
    let usable: Vec<&Vec<(f64, f64)>> = rings.iter().filter(|r| r.len() >= 3).collect();
    if usable.is_empty() {
        return None;
    }
    if usable.iter().filter(|r| ring_contains(lat, lon, r)).count() % 2 == 1 {
        return Some(0.0);
    }
    usable
        .iter()
        .flat_map(|ring| edges(ring))
        .map(|(a, b)| segment_distance_mi(lat, lon, a, b))
        .reduce(f64::min)
}

/// Rounds to hundredths (of a mile, of a score).
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A longitude difference brought into -180..=180.
fn wrap_degrees(d: f64) -> f64 {
    let w = (d + 180.0).rem_euclid(360.0) - 180.0;
    if w == -180.0 && d > 0.0 {
        180.0
    } else {
        w
    }
}

/// The ring's edges, closing it when the last point is not the first.
fn edges(ring: &[(f64, f64)]) -> impl Iterator<Item = ((f64, f64), (f64, f64))> + '_ {
    let closing = match (ring.first(), ring.last()) {
        (Some(&f), Some(&l)) if f != l => Some((l, f)),
        _ => None,
    };
    ring.windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((*a, *b)),
            _ => None,
        })
        .chain(closing)
}

/// Ray casting in degrees: whether the point is inside one ring.
fn ring_contains(lat: f64, lon: f64, ring: &[(f64, f64)]) -> bool {
    let mut inside = false;
    for ((x1, y1), (x2, y2)) in edges(ring) {
        let (x1, x2) = (lon + wrap_degrees(x1 - lon), lon + wrap_degrees(x2 - lon));
        if (y1 > lat) != (y2 > lat) {
            let x = x1 + (lat - y1) / (y2 - y1) * (x2 - x1);
            if lon < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Miles from a point to an edge: the nearest point of the edge is found in a local
/// equirectangular projection centred on the point (scaled at the mean latitude of the point
/// and the edge), then measured back on the sphere.
fn segment_distance_mi(lat: f64, lon: f64, a: (f64, f64), b: (f64, f64)) -> f64 {
    let mean_lat = (lat + (a.1 + b.1) / 2.0) / 2.0;
    let kx = mean_lat.to_radians().cos();
    let project = |(x, y): (f64, f64)| (wrap_degrees(x - lon) * kx, y - lat);
    let (ax, ay) = project(a);
    let (bx, by) = project(b);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        ((-ax * dx - ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (ax + t * dx, ay + t * dy);
    let near_lon = if kx.abs() > f64::EPSILON {
        lon + px / kx
    } else {
        lon
    };
    haversine_mi(lat, lon, lat + py, near_lon)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::fixtures::site;
    use super::super::SiteKind;
    use super::*;

    /// A named pair of (lat, lon) points and the reference distance in miles.
    type Pair = (&'static str, (f64, f64), (f64, f64), f64);

    fn within_half_percent(got: f64, want: f64) -> bool {
        (got - want).abs() <= want * 0.005
    }

    #[test]
    fn distances_match_independent_references() {
        // References computed with Python's math module (haversine, R = 3958.8 mi); the long
        // pair also matches the commonly quoted ~2,445 mi New York to Los Angeles.
        let pairs: &[Pair] = &[
            (
                "F.E. Warren to MineOne",
                (41.13, -104.87),
                (41.17, -104.85),
                2.9532,
            ),
            (
                "Grand Forks AFB to Fufeng",
                (47.961, -97.401),
                (47.97, -97.07),
                15.3260,
            ),
            (
                "New York to Los Angeles",
                (40.7128, -74.006),
                (34.0522, -118.2437),
                2445.59,
            ),
            (
                "F.E. Warren to Cheyenne Mtn",
                (41.13, -104.87),
                (38.744, -104.846),
                164.863,
            ),
            (
                "NS Norfolk to Fort Bragg",
                (36.946, -76.313),
                (35.14, -79.0),
                195.192,
            ),
        ];
        for (name, a, b, want) in pairs {
            let got = haversine_mi(a.0, a.1, b.0, b.1);
            assert!(within_half_percent(got, *want), "{name}: {got} vs {want}");
            let back = haversine_mi(b.0, b.1, a.0, a.1);
            assert!((got - back).abs() < 1e-9, "{name} is symmetric");
        }
        assert_eq!(haversine_mi(41.0, -104.0, 41.0, -104.0), 0.0);
        // Across the antimeridian: 179.9 E to 179.9 W is 0.2 degrees of longitude.
        let d = haversine_mi(0.0, 179.9, 0.0, -179.9);
        assert!(within_half_percent(d, 13.82), "{d}");
    }

    #[test]
    fn circle_boundary_distance() {
        let mut s = site(1, "Base", SiteKind::Military, Some(2), 41.13, -104.87);
        s.boundary_radius_mi = 2.0;
        let d = boundary_distance_mi(41.17, -104.85, &s);
        assert!((d - 0.9532).abs() < 0.005, "{d}");
        assert_eq!(boundary_distance_mi(41.13, -104.87, &s), 0.0);
        s.boundary_radius_mi = f64::NAN;
        assert!((boundary_distance_mi(41.17, -104.85, &s) - 2.9532).abs() < 0.005);
    }

    /// A square 0.1 degree on a side, as (lon, lat), with a hole in the middle.
    fn square() -> Vec<Vec<(f64, f64)>> {
        vec![
            vec![
                (-105.0, 41.0),
                (-104.9, 41.0),
                (-104.9, 41.1),
                (-105.0, 41.1),
            ],
            vec![
                (-104.96, 41.04),
                (-104.94, 41.04),
                (-104.94, 41.06),
                (-104.96, 41.06),
                (-104.96, 41.04),
            ],
        ]
    }

    #[test]
    fn polygon_inside_outside_edge_and_hole() {
        let rings = square();
        let cases: &[(&str, (f64, f64), f64)] = &[
            ("inside", (41.02, -104.98), 0.0),
            ("on the west edge", (41.05, -105.0), 0.0),
            // Due north of the top edge by 0.01 degree of latitude: 0.6909 mi (Python).
            ("north of the top edge", (41.11, -104.95), 0.6909),
            // East of the east edge by 0.01 degree of longitude at 41.05 N: 0.5211 mi.
            ("east of the east edge", (41.05, -104.89), 0.5211),
            // Beyond the north-east corner: the corner is nearest (Python haversine 0.8651).
            ("past the corner", (41.11, -104.89), 0.8651),
            // In the hole, 0.005 degrees of latitude from its south edge: 0.3454 mi.
            ("in the hole", (41.045, -104.95), 0.3454),
        ];
        for (name, (lat, lon), want) in cases {
            let got = polygon_distance_mi(*lat, *lon, &rings).unwrap();
            assert!(
                (got - want).abs() <= 0.005 + want * 0.005,
                "{name}: {got} vs {want}"
            );
        }
        let mut s = site(
            2,
            "Polygon base",
            SiteKind::Military,
            Some(1),
            41.05,
            -104.95,
        );
        s.boundary_radius_mi = 50.0;
        s.boundary = Some(rings);
        // The polygon replaces the (much larger) radius.
        let d = boundary_distance_mi(41.11, -104.95, &s);
        assert!((d - 0.6909).abs() < 0.01, "{d}");
        assert_eq!(polygon_distance_mi(41.0, -105.0, &[vec![(0.0, 0.0)]]), None);
    }

    #[test]
    fn rounding() {
        assert_eq!(round2(2.9531), 2.95);
        assert_eq!(round2(0.996), 1.0);
        assert!((wrap_degrees(359.8) + 0.2).abs() < 1e-9);
        assert!((wrap_degrees(-190.0) - 170.0).abs() < 1e-9);
    }
}
