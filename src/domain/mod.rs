//! Pure domain rules: no actix, diesel, askama, tokio, file system, environment or clock reads.
//! "Now" and every lookup are arguments.

pub mod error;
pub mod roles;
pub mod users;

pub use error::ValidationErrors;
pub use roles::Role;
