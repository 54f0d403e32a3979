//! Use cases shared by the web pages, the JSON API and the command line: each opens what it
//! needs, calls the domain, persists, and records what happened.

pub mod attachments;
pub mod auth;
pub mod bench_data;
pub mod case_map;
pub mod cases;
pub mod charts;
pub mod clock;
pub mod closures;
pub mod demo;
pub mod error;
pub mod export;
pub mod history;
pub mod import;
pub mod keys;
pub mod maps;
pub mod related;
pub mod reports;
pub mod screening;
pub mod search;
pub mod secrets;
pub mod sites;
pub mod tips;
pub mod users;
pub mod watchlists;
pub mod workflow;

pub use error::ServiceError;

/// The current time, as every service stamps it.
pub fn now() -> chrono::NaiveDateTime {
    crate::db::timestamp(chrono::Utc::now())
}
