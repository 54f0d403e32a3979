//! County lookup from a point, over the embedded US Census county boundaries (us-atlas
//! `counties-10m.json`, 2017 cartographic boundaries, quantized and simplified).
//!
//! The file is decoded and indexed once, on first use. Boundaries are simplified and quantized
//! (about 300 m east-west, 100 m north-south), so a point within roughly a kilometre of a county
//! line or shoreline may fall in the neighbour or in no county.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use super::index::RingIndex;
use super::topo::{self, Geometry, Topology};
use super::MapError;

/// The embedded TopoJSON (see `data/us-atlas/README.md`).
const COUNTIES_TOPOJSON: &[u8] = include_bytes!("../../data/us-atlas/counties-10m.json");

/// Grid cell size in degrees for the county index.
const CELL_DEGREES: f64 = 0.25;

static COUNTIES: OnceLock<Result<Counties, MapError>> = OnceLock::new();

/// A county (or county equivalent: parish, borough, census area, independent city).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct County {
    /// Five-digit county FIPS code, e.g. `"56021"`.
    pub fips: String,
    /// County name without its kind, e.g. `"Laramie"`.
    pub name: String,
    /// Two-digit state FIPS code, the first two digits of `fips`, e.g. `"56"`.
    pub state_fips: String,
}

/// All counties with their decoded boundaries and a point-location index.
pub struct Counties {
    /// County records, sorted by FIPS.
    records: Vec<County>,
    /// Boundaries, in the same order as `records`.
    geometries: Vec<Geometry>,
    /// State FIPS to state name, from `objects.states`.
    state_names: BTreeMap<String, String>,
    /// The rest of the topology: arcs, `states` and `nation` (the counties moved out).
    topology: Topology,
    index: RingIndex,
}

impl fmt::Debug for Counties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Counties")
            .field("counties", &self.records.len())
            .field("states", &self.state_names.len())
            .finish_non_exhaustive()
    }
}

/// The county index built from the embedded file on first use (later calls are free). An error
/// means the embedded file is broken; every call then returns the same error.
pub fn counties() -> Result<&'static Counties, MapError> {
    COUNTIES
        .get_or_init(|| Counties::from_topojson(COUNTIES_TOPOJSON))
        .as_ref()
        .map_err(Clone::clone)
}

/// The county containing the point, or `None` outside every county (sea, Canada, Mexico), for
/// an out-of-range or non-finite coordinate, or when the embedded data cannot be loaded (call
/// [`counties`] to see that error).
pub fn county_at(lat: f64, lon: f64) -> Option<County> {
    counties().ok()?.county_at(lat, lon).cloned()
}

/// The name of a state (or territory) from its two-digit FIPS code, e.g. `"56"` → `"Wyoming"`.
pub fn state_name(state_fips: &str) -> Option<&'static str> {
    counties().ok()?.state_name(state_fips)
}

impl Counties {
    /// Decodes and indexes a us-atlas style topology: object `counties` with 5-digit ids and
    /// names, and optionally `states` with 2-digit ids and names.
    pub fn from_topojson(json: &[u8]) -> Result<Counties, MapError> {
        let mut topology = topo::decode(json)?;
        let raw = topology
            .objects
            .remove("counties")
            .ok_or_else(|| MapError::MissingObject("counties".into()))?;
        let mut pairs = Vec::with_capacity(raw.len());
        for g in raw {
            let county = match (&g.id, &g.name) {
                (Some(id), Some(name))
                    if id.len() == 5 && id.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    County {
                        fips: id.clone(),
                        name: name.clone(),
                        state_fips: id.get(..2).unwrap_or_default().to_string(),
                    }
                }
                _ => return Err(MapError::BadCounty(g.id.unwrap_or_default())),
            };
            pairs.push((county, g));
        }
        pairs.sort_by(|a, b| a.0.fips.cmp(&b.0.fips));
        let (records, geometries): (Vec<County>, Vec<Geometry>) = pairs.into_iter().unzip();
        let state_names = topology
            .object("states")
            .unwrap_or_default()
            .iter()
            .filter_map(|s| Some((s.id.clone()?, s.name.clone()?)))
            .collect();
        let index = RingIndex::build(&geometries, CELL_DEGREES);
        Ok(Counties {
            records,
            geometries,
            state_names,
            topology,
            index,
        })
    }

    /// The county containing (lat, lon) in degrees; `None` outside every county or for a
    /// coordinate that is not finite or out of range.
    pub fn county_at(&self, lat: f64, lon: f64) -> Option<&County> {
        let valid = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        if !valid {
            return None;
        }
        let i = self.index.locate(&self.geometries, lon, lat)?;
        self.records.get(i)
    }

    /// The county with this five-digit FIPS code.
    pub fn get(&self, fips: &str) -> Option<&County> {
        let i = self.position(fips)?;
        self.records.get(i)
    }

    /// The boundary of the county with this FIPS code, in (longitude, latitude).
    pub fn geometry(&self, fips: &str) -> Option<&Geometry> {
        let i = self.position(fips)?;
        self.geometries.get(i)
    }

    fn position(&self, fips: &str) -> Option<usize> {
        self.records
            .binary_search_by(|c| c.fips.as_str().cmp(fips))
            .ok()
    }

    /// Every county with its boundary, in FIPS order.
    pub fn iter(&self) -> impl Iterator<Item = (&County, &Geometry)> {
        self.records.iter().zip(&self.geometries)
    }

    /// The number of counties.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are no counties.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The name of a state (or territory) from its two-digit FIPS code.
    pub fn state_name(&self, state_fips: &str) -> Option<&str> {
        self.state_names.get(state_fips).map(String::as_str)
    }

    /// The rest of the topology for drawing maps: `arcs` (every border once) and the objects
    /// `states` and `nation`, in (longitude, latitude). County shapes are in [`Counties::iter`].
    pub fn topology(&self) -> &Topology {
        &self.topology
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn fips_at(lat: f64, lon: f64) -> Option<String> {
        county_at(lat, lon).map(|c| c.fips)
    }

    #[test]
    fn known_sites_resolve_to_their_county() {
        // Each expected FIPS checked with an independent Python even-odd test over the same file.
        let cases = [
            ("MineOne site", 41.17, -104.85, "56021", "Laramie", "56"),
            ("F.E. Warren AFB", 41.13, -104.87, "56021", "Laramie", "56"),
            ("Fufeng site", 47.97, -97.07, "38035", "Grand Forks", "38"),
            (
                "Grand Forks AFB",
                47.961,
                -97.401,
                "38035",
                "Grand Forks",
                "38",
            ),
            ("Malmstrom AFB", 47.505, -111.187, "30013", "Cascade", "30"),
            ("Minot AFB", 48.416, -101.358, "38101", "Ward", "38"),
            ("Offutt AFB", 41.118, -95.912, "31153", "Sarpy", "31"),
            (
                "Naval Base San Diego",
                32.684,
                -117.129,
                "06073",
                "San Diego",
                "06",
            ),
            (
                "Cheyenne Mountain",
                38.744,
                -104.846,
                "08041",
                "El Paso",
                "08",
            ),
        ];
        for (site, lat, lon, fips, name, state) in cases {
            let c = county_at(lat, lon);
            assert_eq!(c.as_ref().map(|c| c.fips.as_str()), Some(fips), "{site}");
            let c = c.unwrap();
            assert_eq!(c.name, name, "{site}");
            assert_eq!(c.state_fips, state, "{site}");
        }
    }

    #[test]
    fn outside_and_invalid_points_find_nothing() {
        assert_eq!(fips_at(35.0, -60.0), None, "Atlantic");
        assert_eq!(fips_at(50.0, -100.0), None, "Canada");
        assert_eq!(fips_at(f64::NAN, -104.85), None);
        assert_eq!(fips_at(41.17, f64::NAN), None);
        assert_eq!(fips_at(f64::INFINITY, 0.0), None);
        assert_eq!(fips_at(91.0, -104.85), None);
        assert_eq!(fips_at(-91.0, -104.85), None);
        assert_eq!(fips_at(41.17, -181.0), None);
        assert_eq!(fips_at(41.17, 181.0), None);
    }

    #[test]
    fn far_flung_parts() {
        // Honolulu, Anchorage, San Juan, and Attu Island (Aleutians West, east of 180°).
        assert_eq!(fips_at(21.307, -157.858).as_deref(), Some("15003"));
        assert_eq!(fips_at(61.218, -149.900).as_deref(), Some("02020"));
        assert_eq!(fips_at(18.466, -66.106).as_deref(), Some("72127"));
        assert_eq!(fips_at(52.85, 173.2).as_deref(), Some("02016"));
    }

    #[test]
    fn names_and_geometry() {
        let all = counties().unwrap();
        assert_eq!(all.len(), 3231);
        assert!(!all.is_empty());
        let laramie = all.get("56021").unwrap();
        assert_eq!(laramie.name, "Laramie");
        assert_eq!(all.get("99999"), None);
        assert_eq!(state_name("56"), Some("Wyoming"));
        assert_eq!(state_name("11"), Some("District of Columbia"));
        assert_eq!(state_name("99"), None);
        let b = all.geometry("56021").and_then(Geometry::bbox).unwrap();
        assert!(b.contains(-104.85, 41.17));
        assert_eq!(all.topology().object("states").map(<[_]>::len), Some(56));
        assert!(all.topology().object("counties").is_none());
        assert!(!all.topology().arcs.is_empty());
        // Every county has a name, a shape and a state with a name.
        for (c, g) in all.iter() {
            assert!(!c.name.is_empty() && g.bbox().is_some(), "{}", c.fips);
            assert!(all.state_name(&c.state_fips).is_some(), "{}", c.fips);
        }
    }

    #[test]
    fn broken_data_is_an_error() {
        let no_counties = br#"{"type":"Topology","arcs":[],"objects":{}}"#;
        assert_eq!(
            Counties::from_topojson(no_counties).unwrap_err(),
            MapError::MissingObject("counties".into())
        );
        let bad_id = br#"{"type":"Topology","arcs":[],"objects":{"counties":
            {"type":"GeometryCollection","geometries":[{"type":null,"id":"5602"}]}}}"#;
        assert_eq!(
            Counties::from_topojson(bad_id).unwrap_err(),
            MapError::BadCounty("5602".into())
        );
    }

    /// Rough timings: `cargo test --release --lib maps::county::tests::timing -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn timing() {
        use std::time::Instant;
        let t = Instant::now();
        let all = Counties::from_topojson(COUNTIES_TOPOJSON).unwrap();
        let build = t.elapsed();
        // Deterministic pseudo-random points in the continental US bbox.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let points: Vec<(f64, f64)> = (0..10_000)
            .map(|_| {
                (
                    24.5 + next() * (49.4 - 24.5),
                    -124.8 + next() * (124.8 - 66.9),
                )
            })
            .collect();
        let t = Instant::now();
        let found = points
            .iter()
            .filter(|&&(lat, lon)| all.county_at(lat, lon).is_some())
            .count();
        let per = t.elapsed() / 10_000;
        println!("build {build:?}; lookup {per:?} each; {found} of 10000 points in a county");
        assert!(found > 5_000);
    }
}
