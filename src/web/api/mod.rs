//! The JSON API.

pub mod cases;
pub mod dto;
pub mod me;
pub mod openapi;
