//! Server-rendered pages: one file per area, each holding its handlers and page structs.

pub mod admin;
pub mod dashboard;
pub mod health;
pub mod login;
