//! Pure domain rules: no actix, diesel, askama, tokio, file system, environment or clock reads.
//! "Now" and every lookup are arguments.

pub mod area;
pub mod clock;
pub mod countries;
pub mod error;
pub mod export;
pub mod history;
pub mod party;
pub mod related;
pub mod report;
pub mod reports;
pub mod risk;
pub mod roles;
pub mod rules;
pub mod screening;
pub mod search;
pub mod signing;
pub mod sites;
pub mod text;
pub mod users;
pub mod workflow;

pub use error::ValidationErrors;
pub use roles::Role;
