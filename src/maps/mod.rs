//! Map data: US Census county boundaries (us-atlas `counties-10m.json`, 2017 cartographic
//! boundaries, unprojected longitude/latitude) embedded in the binary with `include_bytes!`, a
//! TopoJSON decoder for them, and point-in-county lookup (used when a report leaves the county
//! empty). The decoded geometry is kept (counties, states, nation, arcs) for drawing maps later.
//!
//! Pure: no actix, diesel, askama, tokio, `std::fs` or `std::env`. The data file and its
//! licence live in `data/us-atlas/`.

pub mod albers;
pub mod case_map;
pub mod county;
mod error;
mod index;
pub mod local;
pub mod national;
pub mod topo;

pub use county::{counties, county_at, state_name, Counties, County};
pub use error::MapError;
pub use topo::{decode, BBox, Geometry, Point, Polygon, Ring, Shape, Topology};
