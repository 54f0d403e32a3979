//! Errors of the persistence layer.

/// What a query can fail with, as the layers above need to tell apart.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("stale version")]
    StaleVersion,
    #[error("already exists: {0}")]
    Unique(String),
    #[error("database unavailable: {0}")]
    Pool(String),
    #[error("database error: {0}")]
    Backend(diesel::result::Error),
    #[error("migration failed: {0}")]
    Migration(String),
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => DbError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                DbError::Unique(info.constraint_name().unwrap_or(info.message()).to_string())
            }
            other => DbError::Backend(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for DbError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        DbError::Pool(e.to_string())
    }
}
