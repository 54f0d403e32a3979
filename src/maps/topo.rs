//! A small TopoJSON decoder: quantized, delta-encoded arcs are turned back into coordinates and
//! stitched into Polygon and MultiPolygon rings. Pure: bytes in, geometry out, no I/O.
//!
//! Only what the Census files need is built: other geometry types decode to
//! [`Shape::Unsupported`] rather than failing the whole topology.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use super::MapError;

/// A position: (longitude, latitude) in degrees for an unprojected topology, else (x, y).
pub type Point = (f64, f64);
/// A closed ring of points (the first point is repeated at the end).
pub type Ring = Vec<Point>;
/// A polygon: the exterior ring first, then its holes.
pub type Polygon = Vec<Ring>;

/// The shape of one decoded geometry.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A geometry with a `null` type (allowed by TopoJSON for features without geometry).
    Empty,
    /// One polygon.
    Polygon(Polygon),
    /// Several polygons (islands, split counties, both sides of the antimeridian).
    MultiPolygon(Vec<Polygon>),
    /// A geometry type this decoder does not build (points, lines); holds the type name.
    Unsupported(String),
}

impl Shape {
    /// The polygons of this shape: one for a Polygon, none for an empty or unsupported shape.
    pub fn polygons(&self) -> &[Polygon] {
        match self {
            Shape::Polygon(p) => std::slice::from_ref(p),
            Shape::MultiPolygon(ps) => ps,
            Shape::Empty | Shape::Unsupported(_) => &[],
        }
    }
}

/// One decoded geometry with its identity.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    /// The geometry's `id` (a number id is turned into its decimal text).
    pub id: Option<String>,
    /// `properties.name`, when it is a string.
    pub name: Option<String>,
    /// The decoded shape.
    pub shape: Shape,
}

impl Geometry {
    /// Every ring of every polygon, exteriors and holes alike.
    pub fn rings(&self) -> impl Iterator<Item = &Ring> {
        self.shape.polygons().iter().flatten()
    }

    /// The bounding box of all rings, or `None` when the geometry has no points.
    pub fn bbox(&self) -> Option<BBox> {
        BBox::of_points(self.rings().flatten())
    }
}

/// An axis-aligned bounding box, inclusive on every side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    /// Smallest x (longitude).
    pub min_x: f64,
    /// Smallest y (latitude).
    pub min_y: f64,
    /// Largest x (longitude).
    pub max_x: f64,
    /// Largest y (latitude).
    pub max_y: f64,
}

impl BBox {
    /// The box around the given points, or `None` when there are none.
    pub fn of_points<'a>(points: impl IntoIterator<Item = &'a Point>) -> Option<BBox> {
        let mut it = points.into_iter();
        let &(x, y) = it.next()?;
        let mut b = BBox {
            min_x: x,
            min_y: y,
            max_x: x,
            max_y: y,
        };
        for &(x, y) in it {
            b.min_x = b.min_x.min(x);
            b.min_y = b.min_y.min(y);
            b.max_x = b.max_x.max(x);
            b.max_y = b.max_y.max(y);
        }
        Some(b)
    }

    /// The smallest box holding both boxes.
    pub fn union(self, other: BBox) -> BBox {
        BBox {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }

    /// Whether the point lies inside or on the edge of the box.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.min_x && x <= self.max_x && y >= self.min_y && y <= self.max_y
    }
}

/// A decoded topology: its arcs in absolute coordinates and its named objects.
#[derive(Clone, Debug, PartialEq)]
pub struct Topology {
    /// The topology's `bbox` as `[min_x, min_y, max_x, max_y]`, when it has one.
    pub bbox: Option<[f64; 4]>,
    /// Every arc with the transform applied; drawing each once draws every shared border once.
    pub arcs: Vec<Vec<Point>>,
    /// Named objects; a GeometryCollection (nested ones flattened) becomes its geometries.
    pub objects: BTreeMap<String, Vec<Geometry>>,
}

impl Topology {
    /// The geometries of a named object.
    pub fn object(&self, name: &str) -> Option<&[Geometry]> {
        self.objects.get(name).map(Vec::as_slice)
    }
}

/// Decodes a TopoJSON document (RFC-style `"type": "Topology"`).
pub fn decode(json: &[u8]) -> Result<Topology, MapError> {
    let raw: RawTopology = serde_json::from_slice(json)?;
    if raw.kind != "Topology" {
        return Err(MapError::NotTopology(raw.kind));
    }
    let arcs = decode_arcs(&raw.arcs, raw.transform.as_ref())?;
    let mut objects = BTreeMap::new();
    for (name, object) in raw.objects {
        let mut geometries = Vec::new();
        flatten(object, &arcs, &mut geometries)?;
        objects.insert(name, geometries);
    }
    let bbox = raw.bbox.and_then(|b| <[f64; 4]>::try_from(b).ok());
    Ok(Topology {
        bbox,
        arcs,
        objects,
    })
}

#[derive(Deserialize)]
struct RawTopology {
    #[serde(rename = "type")]
    kind: String,
    transform: Option<RawTransform>,
    #[serde(default)]
    arcs: Vec<Vec<Position>>,
    #[serde(default)]
    objects: BTreeMap<String, RawGeometry>,
    bbox: Option<Vec<f64>>,
}

#[derive(Deserialize)]
struct RawTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    arcs: serde_json::Value,
    #[serde(default)]
    geometries: Vec<RawGeometry>,
    id: Option<serde_json::Value>,
    properties: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The first two numbers of a position; any further ones (elevation, …) are skipped.
#[derive(Clone, Copy)]
struct Position(f64, f64);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [x, y, ...]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let x: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Position(x, y))
            }
        }
        d.deserialize_seq(V)
    }
}

/// Undoes delta encoding and quantization when there is a transform; else copies the positions.
fn decode_arcs(
    raw: &[Vec<Position>],
    transform: Option<&RawTransform>,
) -> Result<Vec<Vec<Point>>, MapError> {
    let Some(t) = transform else {
        return Ok(raw
            .iter()
            .map(|arc| arc.iter().map(|p| (p.0, p.1)).collect())
            .collect());
    };
    let [sx, sy] = t.scale;
    let [tx, ty] = t.translate;
    if ![sx, sy, tx, ty].iter().all(|v| v.is_finite()) {
        return Err(MapError::Transform);
    }
    Ok(raw
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.iter()
                .map(|p| {
                    x += p.0;
                    y += p.1;
                    (x * sx + tx, y * sy + ty)
                })
                .collect()
        })
        .collect())
}

/// Appends the geometries of `raw` to `out`, descending into GeometryCollections.
fn flatten(raw: RawGeometry, arcs: &[Vec<Point>], out: &mut Vec<Geometry>) -> Result<(), MapError> {
    if raw.kind.as_deref() == Some("GeometryCollection") {
        for g in raw.geometries {
            flatten(g, arcs, out)?;
        }
        return Ok(());
    }
    let id = match raw.id {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let name = raw
        .properties
        .as_ref()
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let shape = match raw.kind.as_deref() {
        None => Shape::Empty,
        Some("Polygon") => {
            let refs: Vec<Vec<i64>> = serde_json::from_value(raw.arcs)?;
            Shape::Polygon(polygon(arcs, &refs)?)
        }
        Some("MultiPolygon") => {
            let refs: Vec<Vec<Vec<i64>>> = serde_json::from_value(raw.arcs)?;
            let polygons = refs.iter().map(|p| polygon(arcs, p));
            Shape::MultiPolygon(polygons.collect::<Result<_, _>>()?)
        }
        Some(other) => Shape::Unsupported(other.to_string()),
    };
    out.push(Geometry { id, name, shape });
    Ok(())
}

fn polygon(arcs: &[Vec<Point>], rings: &[Vec<i64>]) -> Result<Polygon, MapError> {
    rings.iter().map(|r| ring(arcs, r)).collect()
}

/// Stitches arcs into one ring; `!i` (a negative index) means arc `i` reversed. Consecutive arcs
/// share an end point, which is kept once.
fn ring(arcs: &[Vec<Point>], refs: &[i64]) -> Result<Ring, MapError> {
    let mut out: Ring = Vec::new();
    for &r in refs {
        let (index, reversed) = if r >= 0 { (r, false) } else { (!r, true) };
        let arc = usize::try_from(index)
            .ok()
            .and_then(|i| arcs.get(i))
            .ok_or(MapError::ArcIndex(r))?;
        let skip = usize::from(!out.is_empty());
        if reversed {
            out.extend(arc.iter().rev().skip(skip).copied());
        } else {
            out.extend(arc.iter().skip(skip).copied());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Two squares side by side sharing arc 0 (x = 10.5, drawn upwards): the left square uses
    /// it forwards, the right one reversed (`-1`). Quantized with scale 0.5, translate (10, 20).
    const TWO_SQUARES: &str = r#"{
      "type": "Topology",
      "bbox": [10, 20, 11, 20.5],
      "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
      "arcs": [
        [[1, 0], [0, 1]],
        [[1, 1], [-1, 0], [0, -1], [1, 0]],
        [[1, 0], [1, 0], [0, 1], [-1, 0]]
      ],
      "objects": {
        "squares": {"type": "GeometryCollection", "geometries": [
          {"type": "Polygon", "arcs": [[0, 1]], "id": "L", "properties": {"name": "Left"}},
          {"type": "MultiPolygon", "arcs": [[[2, -1]]], "id": 7},
          {"type": null, "id": "nothing"},
          {"type": "Point", "coordinates": [0, 0]}
        ]}
      }
    }"#;

    #[test]
    fn decodes_shared_and_reversed_arcs() {
        let t = decode(TWO_SQUARES.as_bytes()).unwrap();
        assert_eq!(t.bbox, Some([10.0, 20.0, 11.0, 20.5]));
        assert_eq!(t.arcs[0], vec![(10.5, 20.0), (10.5, 20.5)]);
        let g = t.object("squares").unwrap();
        assert_eq!(g.len(), 4);

        assert_eq!(g[0].id.as_deref(), Some("L"));
        assert_eq!(g[0].name.as_deref(), Some("Left"));
        let left = vec![vec![
            (10.5, 20.0),
            (10.5, 20.5),
            (10.0, 20.5),
            (10.0, 20.0),
            (10.5, 20.0),
        ]];
        assert_eq!(g[0].shape, Shape::Polygon(left));

        assert_eq!(g[1].id.as_deref(), Some("7"));
        assert_eq!(g[1].name, None);
        let right = vec![vec![
            (10.5, 20.0),
            (11.0, 20.0),
            (11.0, 20.5),
            (10.5, 20.5),
            (10.5, 20.0),
        ]];
        assert_eq!(g[1].shape, Shape::MultiPolygon(vec![right]));
        let b = g[1].bbox().unwrap();
        assert_eq!(
            (b.min_x, b.min_y, b.max_x, b.max_y),
            (10.5, 20.0, 11.0, 20.5)
        );

        assert_eq!(g[2].shape, Shape::Empty);
        assert!(g[2].shape.polygons().is_empty());
        assert_eq!(g[3].shape, Shape::Unsupported("Point".into()));
    }

    #[test]
    fn without_transform_positions_are_absolute() {
        let json = r#"{"type":"Topology","arcs":[[[0,0,9],[2,0],[2,2],[0,0]]],
            "objects":{"t":{"type":"Polygon","arcs":[[0]]}}}"#;
        let t = decode(json.as_bytes()).unwrap();
        let ring = &t.object("t").unwrap()[0].shape.polygons()[0][0];
        assert_eq!(ring, &vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 0.0)]);
    }

    #[test]
    fn errors_are_results() {
        assert!(matches!(decode(b"not json"), Err(MapError::Json(_))));
        assert!(matches!(
            decode(br#"{"type":"FeatureCollection"}"#),
            Err(MapError::NotTopology(_))
        ));
        let bad_index = r#"{"type":"Topology","arcs":[[[0,0],[1,1]]],
            "objects":{"a":{"type":"Polygon","arcs":[[0,5]]}}}"#;
        assert_eq!(decode(bad_index.as_bytes()), Err(MapError::ArcIndex(5)));
        let bad_neg = bad_index.replace("[0,5]", "[-3]");
        assert_eq!(decode(bad_neg.as_bytes()), Err(MapError::ArcIndex(-3)));
        let bad_shape = bad_index.replace("[[0,5]]", "[0]");
        assert!(matches!(
            decode(bad_shape.as_bytes()),
            Err(MapError::Json(_))
        ));
        let short = r#"{"type":"Topology","arcs":[[[0]]],"objects":{}}"#;
        assert!(matches!(decode(short.as_bytes()), Err(MapError::Json(_))));
        let nan = r#"{"type":"Topology","transform":{"scale":[1,1],"translate":[1e999,0]},
            "arcs":[],"objects":{}}"#;
        assert!(decode(nan.as_bytes()).is_err());
    }
}
