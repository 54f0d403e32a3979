//! Charts drawn by the server: scales, ticks and the geometry of bar and column charts in an
//! SVG box, the colour-blind-safe palette with its patterns, and the dashboard's charts built
//! from counts. Pure: no database, no clock, no HTML (templates draw what this computes).

pub mod dashboard;
pub mod geometry;
pub mod palette;
pub mod scale;

pub use dashboard::{Charts, Counts};
pub use geometry::{BarChart, ColumnChart};
