//! The JSON API under `/api/v1`, authenticated by bearer tokens.

pub mod me;
