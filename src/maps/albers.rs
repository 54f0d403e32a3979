//! The composite "Albers USA" projection, as d3-geo's `geoAlbersUsa` defines it: the lower 48
//! states in a conic equal-area projection (standard parallels 29.5° and 45.5°), with Alaska
//! (scaled to 0.35) and Hawaii drawn as insets below the south-west. Longitude and latitude in,
//! pixels of a fixed 975 × 610 view box out (us-atlas's own `*-albers` scale and translate).
//!
//! Pure: numbers in, numbers out.

/// Width of the national view box, in pixels.
pub const WIDTH: f64 = 975.0;
/// Height of the national view box, in pixels.
pub const HEIGHT: f64 = 610.0;
/// d3's scale for this view box (us-atlas uses the same for its pre-projected files).
const SCALE: f64 = 1300.0;
/// The view box's centre, where the lower 48's centre lands.
const TRANSLATE: (f64, f64) = (487.5, 305.0);
/// d3's small inset margin, so the insets' clip boxes do not touch.
const EPSILON: f64 = 1e-6;

/// One conic equal-area projection, rotated, centred, scaled and translated as d3 does it.
#[derive(Clone, Copy, Debug)]
struct Conic {
    /// Added to the longitude before projecting (d3's `rotate([λ, 0])`), radians.
    rotate: f64,
    n: f64,
    c: f64,
    r0: f64,
    scale: f64,
    /// Pixel offset so the centre lands on the translate point.
    dx: f64,
    dy: f64,
    /// Points outside this box (x0, y0, x1, y1) belong to no part of this projection.
    clip: (f64, f64, f64, f64),
}

impl Conic {
    /// `rotate` and `center` in degrees, as d3 takes them; `parallels` the standard parallels.
    fn new(
        rotate: f64,
        center: (f64, f64),
        parallels: (f64, f64),
        scale: f64,
        translate: (f64, f64),
        clip: (f64, f64, f64, f64),
    ) -> Conic {
        let sy0 = parallels.0.to_radians().sin();
        let n = (sy0 + parallels.1.to_radians().sin()) / 2.0;
        let c = 1.0 + sy0 * (2.0 * n - sy0);
        let r0 = c.sqrt() / n;
        let mut p = Conic {
            rotate: rotate.to_radians(),
            n,
            c,
            r0,
            scale,
            dx: 0.0,
            dy: 0.0,
            clip,
        };
        // d3 projects the centre without rotation: it is given in the rotated frame.
        let (cx, cy) = p.raw(center.0.to_radians(), center.1.to_radians());
        p.dx = translate.0 - scale * cx;
        p.dy = translate.1 + scale * cy;
        p
    }

    fn raw(&self, lambda: f64, phi: f64) -> (f64, f64) {
        let r = (self.c - 2.0 * self.n * phi.sin()).max(0.0).sqrt() / self.n;
        let x = lambda * self.n;
        (r * x.sin(), self.r0 - r * x.cos())
    }

    /// The pixel of a point, or `None` when it falls outside this part's clip box.
    fn point(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let lambda = wrap(lon.to_radians() + self.rotate);
        let (x, y) = self.raw(lambda, lat.to_radians());
        let (px, py) = (self.dx + self.scale * x, self.dy - self.scale * y);
        let (x0, y0, x1, y1) = self.clip;
        (px >= x0 && px <= x1 && py >= y0 && py <= y1).then_some((px, py))
    }
}

/// A longitude in radians brought back into [-π, π] (d3's rotation wraps the same way).
fn wrap(lambda: f64) -> f64 {
    use std::f64::consts::PI;
    if lambda > PI {
        lambda - 2.0 * PI
    } else if lambda < -PI {
        lambda + 2.0 * PI
    } else {
        lambda
    }
}

/// The composite projection. Build it once ([`AlbersUsa::new`]) and project many points.
#[derive(Clone, Copy, Debug)]
pub struct AlbersUsa {
    lower48: Conic,
    alaska: Conic,
    hawaii: Conic,
}

impl Default for AlbersUsa {
    fn default() -> Self {
        AlbersUsa::new()
    }
}

impl AlbersUsa {
    /// The projection into the [`WIDTH`] × [`HEIGHT`] view box.
    pub fn new() -> AlbersUsa {
        let k = SCALE;
        let (x, y) = TRANSLATE;
        let e = EPSILON;
        AlbersUsa {
            lower48: Conic::new(
                96.0,
                (-0.6, 38.7),
                (29.5, 45.5),
                k,
                (x, y),
                (x - 0.455 * k, y - 0.238 * k, x + 0.455 * k, y + 0.238 * k),
            ),
            alaska: Conic::new(
                154.0,
                (-2.0, 58.5),
                (55.0, 65.0),
                k * 0.35,
                (x - 0.307 * k, y + 0.201 * k),
                (
                    x - 0.425 * k + e,
                    y + 0.120 * k + e,
                    x - 0.214 * k - e,
                    y + 0.234 * k - e,
                ),
            ),
            hawaii: Conic::new(
                157.0,
                (-3.0, 19.9),
                (8.0, 18.0),
                k,
                (x - 0.205 * k, y + 0.212 * k),
                (
                    x - 0.214 * k + e,
                    y + 0.166 * k + e,
                    x - 0.115 * k - e,
                    y + 0.234 * k - e,
                ),
            ),
        }
    }

    /// The pixel of a longitude/latitude, or `None` for a point outside the three parts (as
    /// d3 answers `null`): the lower 48 first, then Alaska, then Hawaii.
    pub fn project(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        self.lower48
            .point(lon, lat)
            .or_else(|| self.alaska.point(lon, lat))
            .or_else(|| self.hawaii.point(lon, lat))
    }

    /// The pixel of a point of a shape: like [`AlbersUsa::project`], but a shape that belongs
    /// to one part stays in it (a point of Alaska is never placed by the lower 48's box).
    pub fn project_in(&self, part: Part, lon: f64, lat: f64) -> (f64, f64) {
        let conic = match part {
            Part::Lower48 => &self.lower48,
            Part::Alaska => &self.alaska,
            Part::Hawaii => &self.hawaii,
        };
        let lambda = wrap(lon.to_radians() + conic.rotate);
        let (x, y) = conic.raw(lambda, lat.to_radians());
        (conic.dx + conic.scale * x, conic.dy - conic.scale * y)
    }
}

/// Which of the three parts a shape is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The conterminous states (and everything else d3 draws there).
    Lower48,
    /// The Alaska inset.
    Alaska,
    /// The Hawaii inset.
    Hawaii,
}

impl Part {
    /// The part a state (two-digit FIPS code) is drawn in.
    pub fn of_state(state_fips: &str) -> Part {
        match state_fips {
            "02" => Part::Alaska,
            "15" => Part::Hawaii,
            _ => Part::Lower48,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]
    use super::*;

    /// Reference pixels made with d3-geo 3.1 (`npm install d3-geo` in a scratch folder):
    /// `geoAlbersUsa().scale(1300).translate([487.5, 305])([lon, lat])`.
    const CITIES: &[(&str, f64, f64, f64, f64)] = &[
        ("Cheyenne", -104.8202, 41.1400, 348.7441, 242.2348),
        ("Anchorage", -149.9003, 61.2181, 112.2774, 544.2779),
        ("Honolulu", -157.8583, 21.3069, 266.9599, 549.1904),
        ("Miami", -80.1918, 25.7617, 822.7383, 572.5408),
        ("Seattle", -122.3321, 47.6062, 97.6250, 46.3187),
        ("Boston", -71.0589, 42.3601, 908.6753, 167.0846),
        ("San Diego", -117.1611, 32.7157, 99.7437, 397.4679),
        ("Juneau", -134.4197, 58.3019, 176.9370, 556.0838),
        ("Hilo", -155.0868, 19.7241, 326.2218, 584.8011),
    ];

    #[test]
    fn known_cities_land_within_a_pixel_of_d3() {
        let p = AlbersUsa::new();
        for &(name, lon, lat, x, y) in CITIES {
            let got = p.project(lon, lat);
            let Some((gx, gy)) = got else {
                panic!("{name} did not project");
            };
            assert!(
                (gx - x).abs() < 1.0 && (gy - y).abs() < 1.0,
                "{name}: got ({gx:.2}, {gy:.2}), d3 says ({x}, {y})"
            );
        }
    }

    #[test]
    fn points_outside_the_three_parts_have_no_pixel() {
        let p = AlbersUsa::new();
        assert_eq!(p.project(2.35, 48.85), None, "Paris");
        assert_eq!(p.project(-99.13, 19.43), None, "Mexico City");
        assert_eq!(p.project(f64::NAN, 40.0), None);
    }

    #[test]
    fn a_shape_stays_in_its_part() {
        let p = AlbersUsa::new();
        let (x, y) = p.project_in(Part::Alaska, -149.9003, 61.2181);
        assert!((x - 112.2774).abs() < 1.0 && (y - 544.2779).abs() < 1.0);
        assert_eq!(Part::of_state("15"), Part::Hawaii);
        assert_eq!(Part::of_state("56"), Part::Lower48);
    }
}
