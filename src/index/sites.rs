//! The spatial site index: an R-tree over the sites' centres as points on the unit sphere.
//!
//! Each centre is stored as a 3-D unit vector (earth-centred, earth-fixed, radius 1). The
//! straight-line (chord) distance between two such points is `2 sin(θ / 2)` for a central angle
//! `θ`, which grows with `θ` from 0 to π, so the Euclidean nearest neighbours in the tree are the
//! great-circle nearest neighbours, and a great-circle radius is a chord radius. There is no
//! trouble at the antimeridian or the poles, which longitude/latitude boxes would have.
//!
//! Distances handed back are great-circle miles (haversine on a sphere of 3,958.8 mi,
//! [`geometry::haversine_mi`]), the same function the plain scan uses, and the final `within`
//! test is that same function, so the index and [`ScanSites`] agree exactly. Sites with a
//! non-finite centre are left out of the tree (a scan never finds them within a radius either).

use std::collections::HashMap;

use rstar::primitives::GeomWithData;
use rstar::RTree;

use crate::domain::screening::geometry::{self, EARTH_RADIUS_MI};
use crate::domain::screening::{Site, SiteLookup};

/// A point of the tree: the unit vector of a site's centre and the site's position in the list.
type Node = GeomWithData<[f64; 3], usize>;

/// Relative slack on the chord radius, so rounding in the chord arithmetic never loses a site
/// that the exact haversine test keeps.
const SLACK: f64 = 1e-9;

/// The unit vector of a point given in decimal degrees.
pub fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (phi, lambda) = (lat.to_radians(), lon.to_radians());
    [
        phi.cos() * lambda.cos(),
        phi.cos() * lambda.sin(),
        phi.sin(),
    ]
}

/// The squared chord length between two points of the unit sphere `miles` apart along the
/// surface (4, the diameter squared, from half the circumference on).
pub fn chord_squared(miles: f64) -> f64 {
    let theta = (miles / EARTH_RADIUS_MI).clamp(0.0, std::f64::consts::PI);
    let chord = 2.0 * (theta / 2.0).sin();
    chord * chord
}

/// Sites in an R-tree (see the module documentation), with a county → sites map for Part 3.
pub struct SiteIndex {
    sites: Vec<Site>,
    tree: RTree<Node>,
    by_county: HashMap<String, Vec<usize>>,
}

impl SiteIndex {
    /// Builds the index (bulk-loaded R-tree; O(n log n)).
    pub fn new(sites: Vec<Site>) -> SiteIndex {
        let nodes: Vec<Node> = sites
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lat.is_finite() && s.lon.is_finite())
            .map(|(i, s)| GeomWithData::new(unit_vector(s.lat, s.lon), i))
            .collect();
        let mut by_county: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in sites.iter().enumerate() {
            for fips in &s.counties {
                let ids = by_county.entry(fips.clone()).or_default();
                if ids.last() != Some(&i) && !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        SiteIndex {
            sites,
            tree: RTree::bulk_load(nodes),
            by_county,
        }
    }

    /// The sites, in the order they were given.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// How many sites.
    pub fn len(&self) -> usize {
        self.sites.len()
    }

    /// Whether there are no sites.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    fn distance(&self, lat: f64, lon: f64, i: usize) -> f64 {
        let s = &self.sites[i];
        geometry::haversine_mi(lat, lon, s.lat, s.lon)
    }
}

impl SiteLookup for SiteIndex {
    fn within(&self, lat: f64, lon: f64, radius_mi: f64) -> Vec<&Site> {
        if !(lat.is_finite() && lon.is_finite()) || radius_mi.is_nan() || radius_mi < 0.0 {
            return Vec::new();
        }
        let max = chord_squared(radius_mi) * (1.0 + SLACK) + SLACK;
        let mut ids: Vec<usize> = self
            .tree
            .locate_within_distance(unit_vector(lat, lon), max)
            .map(|n| n.data)
            .filter(|&i| self.distance(lat, lon, i) <= radius_mi)
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|i| &self.sites[i]).collect()
    }

    fn nearest(&self, lat: f64, lon: f64, n: usize) -> Vec<(&Site, f64)> {
        if n == 0 || !(lat.is_finite() && lon.is_finite()) {
            return Vec::new();
        }
        // Take n from the tree, then any near-ties with the n-th, and order by the haversine
        // distance (then list position, as the scan does) so both agree even on ties.
        let mut found: Vec<(usize, f64, f64)> = Vec::with_capacity(n + 1);
        for (node, d2) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(&unit_vector(lat, lon))
        {
            if found.len() >= n
                && found
                    .last()
                    .is_some_and(|l| d2 > l.2 * (1.0 + SLACK) + SLACK)
            {
                break;
            }
            found.push((node.data, self.distance(lat, lon, node.data), d2));
        }
        found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        found.truncate(n);
        found
            .into_iter()
            .map(|(i, d, _)| (&self.sites[i], d))
            .collect()
    }

    fn with_county(&self, fips: &str) -> Vec<&Site> {
        self.by_county
            .get(fips)
            .map(|ids| ids.iter().map(|&i| &self.sites[i]).collect())
            .unwrap_or_default()
    }
}

/// Sites in a list, searched by scanning every one (for tests and benchmarks).
pub struct ScanSites(pub Vec<Site>);

impl SiteLookup for ScanSites {
    fn within(&self, lat: f64, lon: f64, radius_mi: f64) -> Vec<&Site> {
        self.0
            .iter()
            .filter(|s| geometry::haversine_mi(lat, lon, s.lat, s.lon) <= radius_mi)
            .collect()
    }

    fn nearest(&self, lat: f64, lon: f64, n: usize) -> Vec<(&Site, f64)> {
        let mut all: Vec<(&Site, f64)> = self
            .0
            .iter()
            .map(|s| (s, geometry::haversine_mi(lat, lon, s.lat, s.lon)))
            .filter(|(_, d)| d.is_finite())
            .collect();
        // Stable: ties keep list order.
        all.sort_by(|a, b| a.1.total_cmp(&b.1));
        all.truncate(n);
        all
    }

    fn with_county(&self, fips: &str) -> Vec<&Site> {
        self.0
            .iter()
            .filter(|s| s.counties.iter().any(|c| c == fips))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::testing::{sites, Lcg};
    use super::*;

    fn ids(v: &[&Site]) -> Vec<i64> {
        let mut ids: Vec<i64> = v.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn within_equals_the_scan() {
        let all = sites(2_000, 1);
        let index = SiteIndex::new(all.clone());
        let scan = ScanSites(all);
        let mut rng = Lcg(99);
        let mut found = 0;
        for _ in 0..300 {
            let (lat, lon) = (rng.range(24.0, 50.0), rng.range(-125.0, -66.0));
            let radius = rng.range(0.0, 250.0);
            let a = ids(&index.within(lat, lon, radius));
            assert_eq!(
                a,
                ids(&scan.within(lat, lon, radius)),
                "{lat},{lon} r={radius}"
            );
            found += a.len();
        }
        assert!(found > 1_000, "the test should find sites: {found}");
        // Odd inputs.
        assert!(index.within(40.0, -100.0, -1.0).is_empty());
        assert!(index.within(f64::NAN, -100.0, 10.0).is_empty());
        assert_eq!(index.within(0.0, 0.0, 30_000.0).len(), index.len());
    }

    #[test]
    fn nearest_equals_the_scan_and_is_ordered() {
        let all = sites(2_000, 2);
        let index = SiteIndex::new(all.clone());
        let scan = ScanSites(all);
        let mut rng = Lcg(7);
        for _ in 0..300 {
            let (lat, lon) = (rng.range(20.0, 55.0), rng.range(-130.0, -60.0));
            let n = (rng.next() % 12) as usize;
            let a = index.nearest(lat, lon, n);
            let b = scan.nearest(lat, lon, n);
            assert_eq!(a.len(), n);
            let pairs = |v: &[(&Site, f64)]| v.iter().map(|(s, d)| (s.id, *d)).collect::<Vec<_>>();
            assert_eq!(pairs(&a), pairs(&b), "{lat},{lon} n={n}");
            assert!(a.windows(2).all(|w| w[0].1 <= w[1].1));
        }
        assert!(index.nearest(40.0, -100.0, 0).is_empty());
        assert_eq!(index.nearest(40.0, -100.0, 5_000).len(), index.len());
    }

    #[test]
    fn nearest_across_the_antimeridian_and_ties() {
        let mut a = sites(3, 3);
        a[0].lat = 52.0;
        a[0].lon = 179.9;
        a[1].lat = 52.0;
        a[1].lon = -170.0;
        a[2].lat = 52.0;
        a[2].lon = 179.9; // same place as the first: a tie, list order wins
        let index = SiteIndex::new(a);
        let got = index.nearest(52.0, -179.9, 3);
        let order: Vec<i64> = got.iter().map(|(s, _)| s.id).collect();
        assert_eq!(order, [1, 3, 2]);
        assert!((got[0].1 - 8.55).abs() < 0.1, "{}", got[0].1);
        assert_eq!(ids(&index.within(52.0, -179.9, 20.0)), [1, 3]);
    }

    #[test]
    fn county_lookup() {
        let mut a = sites(5, 4);
        a[0].counties = vec!["56021".into(), "08123".into()];
        a[2].counties = vec!["56021".into(), "56021".into()];
        a[4].counties = vec!["31007".into()];
        let index = SiteIndex::new(a.clone());
        let scan = ScanSites(a);
        for fips in ["56021", "08123", "31007", "99999", ""] {
            let x: Vec<i64> = index.with_county(fips).iter().map(|s| s.id).collect();
            let y: Vec<i64> = scan.with_county(fips).iter().map(|s| s.id).collect();
            assert_eq!(x, y, "{fips}");
        }
        assert_eq!(ids(&index.with_county("56021")), [1, 3]);
    }

    #[test]
    fn empty_and_unplaceable_sites() {
        let index = SiteIndex::new(Vec::new());
        assert!(index.is_empty());
        assert!(index.within(40.0, -100.0, 100.0).is_empty());
        assert!(index.nearest(40.0, -100.0, 3).is_empty());
        let mut a = sites(2, 5);
        a[0].lat = f64::NAN;
        let index = SiteIndex::new(a.clone());
        assert_eq!(index.nearest(0.0, 0.0, 5).len(), 1);
        assert_eq!(ScanSites(a).nearest(0.0, 0.0, 5).len(), 1);
    }

    #[test]
    fn chord_grows_with_distance() {
        assert_eq!(chord_squared(0.0), 0.0);
        assert!((chord_squared(std::f64::consts::PI * EARTH_RADIUS_MI) - 4.0).abs() < 1e-12);
        assert!((chord_squared(1e9) - 4.0).abs() < 1e-12);
        let mut last = 0.0;
        for m in (1..200).map(|i| i as f64 * 60.0) {
            let c = chord_squared(m);
            assert!(c > last);
            last = c;
        }
        let (p, q) = (unit_vector(41.13, -104.87), unit_vector(41.165, -104.845));
        let d2: f64 = p.iter().zip(q).map(|(a, b)| (a - b) * (a - b)).sum();
        let miles = geometry::haversine_mi(41.13, -104.87, 41.165, -104.845);
        assert!((d2 - chord_squared(miles)).abs() < 1e-12);
    }
}
