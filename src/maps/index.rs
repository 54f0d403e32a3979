//! Point location over a set of polygon geometries: a uniform grid of cells, each listing the
//! rings whose bounding box touches it, then the even-odd rule over the candidate rings.

use super::topo::{BBox, Geometry, Point};

/// At most this many grid cells; the cell size grows until the grid fits.
const MAX_CELLS: usize = 1 << 21;

/// One ring of one geometry, with its bounding box.
struct RingRef {
    owner: u32,
    polygon: u32,
    ring: u32,
    bbox: BBox,
}

/// A grid index over the rings of a slice of geometries. It stores positions, not the
/// geometries, so each query takes the same slice that the index was built from.
pub struct RingIndex {
    rings: Vec<RingRef>,
    origin: (f64, f64),
    cell: f64,
    cols: usize,
    rows: usize,
    /// `starts[c]..starts[c + 1]` is the range of `items` for cell `c`.
    starts: Vec<u32>,
    /// Indices into `rings`, ascending within each cell so one owner's rings are adjacent.
    items: Vec<u32>,
}

impl RingIndex {
    /// Indexes every ring of `geometries` on a grid of roughly `cell`-sized squares.
    pub fn build(geometries: &[Geometry], cell: f64) -> RingIndex {
        let mut rings = Vec::new();
        for (owner, g) in (0u32..).zip(geometries) {
            for (polygon, p) in (0u32..).zip(g.shape.polygons()) {
                for (ring, r) in (0u32..).zip(p) {
                    if let Some(bbox) = BBox::of_points(r) {
                        rings.push(RingRef {
                            owner,
                            polygon,
                            ring,
                            bbox,
                        });
                    }
                }
            }
        }
        let all = rings.iter().map(|r| r.bbox).reduce(BBox::union);
        let Some(all) = all.filter(|b| b.min_x.is_finite() && b.max_x.is_finite()) else {
            return RingIndex {
                rings: Vec::new(),
                origin: (0.0, 0.0),
                cell: 1.0,
                cols: 0,
                rows: 0,
                starts: vec![0],
                items: Vec::new(),
            };
        };
        let mut cell = if cell.is_finite() && cell > 0.0 {
            cell
        } else {
            1.0
        };
        let (mut cols, mut rows) = grid_size(&all, cell);
        while cols.saturating_mul(rows) > MAX_CELLS {
            cell *= 2.0;
            (cols, rows) = grid_size(&all, cell);
        }
        let mut index = RingIndex {
            rings,
            origin: (all.min_x, all.min_y),
            cell,
            cols,
            rows,
            starts: Vec::new(),
            items: Vec::new(),
        };
        index.fill();
        index
    }

    /// Builds the cell lists in two passes: count per cell, then place.
    fn fill(&mut self) {
        let cells = self.cols * self.rows;
        let mut counts = vec![0u32; cells + 1];
        for r in &self.rings {
            for c in self.cells_of(&r.bbox) {
                if let Some(n) = counts.get_mut(c + 1) {
                    *n += 1;
                }
            }
        }
        for c in 1..counts.len() {
            let before = counts.get(c - 1).copied().unwrap_or(0);
            if let Some(n) = counts.get_mut(c) {
                *n += before;
            }
        }
        let total = counts.last().copied().unwrap_or(0) as usize;
        let mut items = vec![0u32; total];
        let mut next = counts.clone();
        for (i, r) in (0u32..).zip(&self.rings) {
            for c in self.cells_of(&r.bbox) {
                if let Some(slot) = next.get_mut(c) {
                    if let Some(item) = items.get_mut(*slot as usize) {
                        *item = i;
                    }
                    *slot += 1;
                }
            }
        }
        self.starts = counts;
        self.items = items;
    }

    /// The cells a bounding box overlaps (clamped to the grid).
    fn cells_of(&self, b: &BBox) -> impl Iterator<Item = usize> {
        let (c0, r0) = self.cell_xy(b.min_x, b.min_y);
        let (c1, r1) = self.cell_xy(b.max_x, b.max_y);
        let cols = self.cols;
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| r * cols + c))
    }

    /// Column and row of a point, clamped to the grid.
    fn cell_xy(&self, x: f64, y: f64) -> (usize, usize) {
        // `as` saturates: below the origin gives 0.
        let c = ((x - self.origin.0) / self.cell).floor() as usize;
        let r = ((y - self.origin.1) / self.cell).floor() as usize;
        (
            c.min(self.cols.saturating_sub(1)),
            r.min(self.rows.saturating_sub(1)),
        )
    }

    /// The position in `geometries` of the geometry containing (x, y) by the even-odd rule over
    /// all its rings; `None` outside them all. `geometries` must be the slice given to `build`.
    pub fn locate(&self, geometries: &[Geometry], x: f64, y: f64) -> Option<usize> {
        if !(x.is_finite() && y.is_finite()) || self.cols == 0 {
            return None;
        }
        let (x0, y0) = self.origin;
        let max_x = x0 + self.cell * self.cols as f64;
        let max_y = y0 + self.cell * self.rows as f64;
        if x < x0 || y < y0 || x > max_x || y > max_y {
            return None;
        }
        let (c, r) = self.cell_xy(x, y);
        let cell = r * self.cols + c;
        let start = *self.starts.get(cell)? as usize;
        let end = *self.starts.get(cell + 1)? as usize;
        let mut owner: Option<u32> = None;
        let mut inside = false;
        for &i in self.items.get(start..end)? {
            let Some(rr) = self.rings.get(i as usize) else {
                continue;
            };
            if owner != Some(rr.owner) {
                if inside {
                    break;
                }
                owner = Some(rr.owner);
            }
            if !rr.bbox.contains(x, y) {
                continue;
            }
            let ring = geometries
                .get(rr.owner as usize)
                .and_then(|g| g.shape.polygons().get(rr.polygon as usize))
                .and_then(|p| p.get(rr.ring as usize));
            if ring.is_some_and(|ring| crosses_odd(ring, x, y)) {
                inside = !inside;
            }
        }
        if inside {
            owner.map(|o| o as usize)
        } else {
            None
        }
    }
}

fn grid_size(all: &BBox, cell: f64) -> (usize, usize) {
    let cols = ((all.max_x - all.min_x) / cell).floor() as usize + 1;
    let rows = ((all.max_y - all.min_y) / cell).floor() as usize + 1;
    (cols, rows)
}

/// Even-odd test of one ring: whether a ray from (x, y) towards +x crosses it an odd number of
/// times. Edges are half-open in y, so a point on a shared edge belongs to exactly one side.
pub fn crosses_odd(ring: &[Point], x: f64, y: f64) -> bool {
    let Some(&last) = ring.last() else {
        return false;
    };
    let mut inside = false;
    let (mut xj, mut yj) = last;
    for &(xi, yi) in ring {
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        (xj, yj) = (xi, yi);
    }
    inside
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::maps::topo::Shape;

    fn square(x0: f64, y0: f64, size: f64) -> Vec<Point> {
        vec![
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
            (x0, y0),
        ]
    }

    fn geometry(polygons: Vec<Vec<Vec<Point>>>) -> Geometry {
        Geometry {
            id: None,
            name: None,
            shape: Shape::MultiPolygon(polygons),
        }
    }

    #[test]
    fn holes_islands_and_neighbours() {
        // 0: a 10x10 square with a 2x2 hole, plus an island far away; 1: fills the hole.
        let geometries = vec![
            geometry(vec![
                vec![square(0.0, 0.0, 10.0), square(4.0, 4.0, 2.0)],
                vec![square(50.0, 50.0, 1.0)],
            ]),
            geometry(vec![vec![square(4.0, 4.0, 2.0)]]),
            geometry(vec![]),
        ];
        for cell in [0.5, 3.0, 100.0] {
            let index = RingIndex::build(&geometries, cell);
            assert_eq!(index.locate(&geometries, 1.0, 1.0), Some(0));
            assert_eq!(index.locate(&geometries, 5.0, 5.0), Some(1));
            assert_eq!(index.locate(&geometries, 50.5, 50.5), Some(0));
            assert_eq!(index.locate(&geometries, 30.0, 30.0), None);
            assert_eq!(index.locate(&geometries, -1.0, 5.0), None);
            assert_eq!(index.locate(&geometries, 500.0, 5.0), None);
            assert_eq!(index.locate(&geometries, f64::NAN, 5.0), None);
            assert_eq!(index.locate(&geometries, 5.0, f64::INFINITY), None);
        }
    }

    #[test]
    fn huge_extent_coarsens_the_grid_and_empty_input_finds_nothing() {
        let geometries = vec![geometry(vec![vec![square(0.0, 0.0, 1e9)]])];
        let index = RingIndex::build(&geometries, 0.001);
        assert!(index.cols * index.rows <= MAX_CELLS);
        assert_eq!(index.locate(&geometries, 5e8, 5e8), Some(0));
        let empty = RingIndex::build(&[], 1.0);
        assert_eq!(empty.locate(&[], 0.0, 0.0), None);
    }
}
