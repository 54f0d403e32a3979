//! The one error type of the map module.

/// Why map data could not be decoded or indexed.
///
/// `Clone` so the lazily built county index can hand the same failure to every caller.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// The input is not valid JSON, or a field has the wrong JSON shape.
    #[error("invalid TopoJSON: {0}")]
    Json(String),
    /// The top-level `type` is not `"Topology"`.
    #[error("not a TopoJSON topology (type {0:?})")]
    NotTopology(String),
    /// The `transform` has a non-finite scale or translate.
    #[error("invalid TopoJSON transform")]
    Transform,
    /// A geometry refers to an arc that the topology does not have.
    #[error("arc index {0} is out of range")]
    ArcIndex(i64),
    /// A named object the caller needs is missing from the topology.
    #[error("the topology has no object {0:?}")]
    MissingObject(String),
    /// A county geometry lacks a five-digit FIPS id or a name.
    #[error("county geometry without a 5-digit FIPS id and a name (id {0:?})")]
    BadCounty(String),
}

impl From<serde_json::Error> for MapError {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(e.to_string())
    }
}
