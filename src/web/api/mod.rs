//! The JSON API.

pub mod cases;
pub mod me;
pub mod openapi;
