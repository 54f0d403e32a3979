//! The JSON API.

pub mod cases;
pub mod dto;
pub mod import;
pub mod me;
pub mod openapi;
pub mod schema;
