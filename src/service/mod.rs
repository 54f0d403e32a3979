//! Use cases shared by the web pages, the JSON API and the command line: each opens what it
//! needs, calls the domain, persists, and records what happened.

pub mod auth;
pub mod demo;
pub mod error;
pub mod secrets;
pub mod users;

pub use error::ServiceError;

/// The current time, as every service stamps it.
pub fn now() -> chrono::NaiveDateTime {
    crate::db::timestamp(chrono::Utc::now())
}
