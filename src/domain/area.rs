//! A rectangle of latitude and longitude: what the queue lists when a merged mark of a national
//! map is followed ("12 open cases here"), as `south,west,north,east` in degrees.

use std::fmt;
use std::str::FromStr;

/// Edges are kept to 1/10,000 of a degree (about 11 m), rounded outwards.
const PLACES: f64 = 10_000.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Give the area as south,west,north,east in degrees, south not above north and west not east of east (for example 41.1,-104.9,41.2,-104.7).")]
pub struct NotAnArea;

impl Area {
    /// The smallest area holding every point (latitude, longitude), its edges rounded outwards;
    /// `None` for no point or a point that is not a place on Earth.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Area> {
        let mut area: Option<Area> = None;
        for (lat, lon) in points {
            if !on_earth(lat, lon) {
                return None;
            }
            area = Some(match area {
                None => Area {
                    south: lat,
                    west: lon,
                    north: lat,
                    east: lon,
                },
                Some(a) => Area {
                    south: a.south.min(lat),
                    west: a.west.min(lon),
                    north: a.north.max(lat),
                    east: a.east.max(lon),
                },
            });
        }
        area.map(|a| Area {
            south: down(a.south),
            west: down(a.west),
            north: up(a.north),
            east: up(a.east),
        })
    }

    /// Whether a point lies in the area (edges included).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }

    /// The area in words, for the note above a filtered list.
    pub fn describe(&self) -> String {
        fn lat(v: f64) -> String {
            format!("{:.4}° {}", v.abs(), if v < 0.0 { 'S' } else { 'N' })
        }
        fn lon(v: f64) -> String {
            format!("{:.4}° {}", v.abs(), if v < 0.0 { 'W' } else { 'E' })
        }
        format!(
            "between {} and {}, {} and {}",
            lat(self.south),
            lat(self.north),
            lon(self.west),
            lon(self.east)
        )
    }
}

/// The nearest edge at or below `v` (-104.82 stays -104.82, whatever its last bit).
fn down(v: f64) -> f64 {
    let near = (v * PLACES).round() / PLACES;
    if near <= v {
        return near;
    }
    let below = (v * PLACES).floor() / PLACES;
    // The division may land a hair above `v`: one step lower then.
    if below <= v {
        below
    } else {
        below - 1.0 / PLACES
    }
}

/// The nearest edge at or above `v`.
fn up(v: f64) -> f64 {
    let near = (v * PLACES).round() / PLACES;
    if near >= v {
        return near;
    }
    let above = (v * PLACES).ceil() / PLACES;
    if above >= v {
        above
    } else {
        above + 1.0 / PLACES
    }
}

fn on_earth(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

/// `south,west,north,east`, as the queue's `area` parameter takes it.
impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.4},{:.4},{:.4},{:.4}",
            self.south, self.west, self.north, self.east
        )
    }
}

impl FromStr for Area {
    type Err = NotAnArea;

    fn from_str(s: &str) -> Result<Area, NotAnArea> {
        if s.len() > 100 {
            return Err(NotAnArea);
        }
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>().map_err(|_| NotAnArea))
            .collect::<Result<_, _>>()?;
        let [south, west, north, east] = v.as_slice() else {
            return Err(NotAnArea);
        };
        // NaN and the infinities fail `on_earth`.
        if !on_earth(*south, *west) || !on_earth(*north, *east) || south > north || west > east {
            return Err(NotAnArea);
        }
        Ok(Area {
            south: *south,
            west: *west,
            north: *north,
            east: *east,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_area_around_points_holds_each_of_them_and_reads_back_the_same() {
        let points = [
            (41.133_333, -104.866_667),
            (41.150_01, -104.800_09),
            (41.139_999, -104.9),
        ];
        let area = Area::around(points).unwrap();
        assert!(points.iter().all(|&(lat, lon)| area.contains(lat, lon)));
        assert_eq!(area.to_string(), "41.1333,-104.9000,41.1501,-104.8000");
        let back: Area = area.to_string().parse().unwrap();
        assert!(points.iter().all(|&(lat, lon)| back.contains(lat, lon)));
        assert!(!back.contains(41.2, -104.85));
        assert_eq!(
            back.describe(),
            "between 41.1333° N and 41.1501° N, 104.9000° W and 104.8000° W"
        );
    }

    #[test]
    fn every_point_lies_in_the_area_around_it() {
        let mut v = -180.0_f64;
        while v <= 180.0 {
            let lat = (v / 2.0).clamp(-90.0, 90.0);
            let a = Area::around([(lat, v)]).unwrap();
            assert!(a.contains(lat, v), "{lat}, {v}: {a:?}");
            let back: Area = a.to_string().parse().unwrap();
            assert!(back.contains(lat, v), "{lat}, {v}: {back:?}");
            v += 0.003_7;
        }
    }

    #[test]
    fn one_point_makes_an_area_and_no_point_none() {
        let a = Area::around([(21.3, -157.85)]).unwrap();
        assert!(a.contains(21.3, -157.85));
        assert_eq!(Area::around([]), None);
        assert_eq!(Area::around([(f64::NAN, 0.0)]), None);
    }

    #[test]
    fn what_is_not_an_area_is_refused() {
        for bad in [
            "",
            "41.1,-104.9,41.2",
            "41.1,-104.9,41.2,-104.7,0",
            "41.2,-104.9,41.1,-104.7",
            "41.1,-104.7,41.2,-104.9",
            "NaN,-104.9,41.2,-104.7",
            "41.1,-inf,41.2,-104.7",
            "91,-104.9,92,-104.7",
            "41.1,-104.9,41.2,181",
            "<script>,1,2,3",
            "1e400,0,0,0",
        ] {
            assert_eq!(bad.parse::<Area>(), Err(NotAnArea), "{bad}");
        }
        assert!(" 41.1 , -104.9 ,41.2,-104.7".parse::<Area>().is_ok());
        assert!(&"1,".repeat(60).parse::<Area>().is_err());
    }
}
