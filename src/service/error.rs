//! The errors a use case reports; `web::error` alone turns them into HTTP statuses.

use crate::db::DbError;
use crate::domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input refused, field by field.
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    /// Sign-in refused (wrong name, wrong password or disabled account: one message for all).
    #[error("incorrect user name or password")]
    BadCredentials,
    /// Too many failed sign-ins; try again after this many seconds.
    #[error("too many failed sign-ins")]
    Throttled { retry_after_secs: i64 },
    /// No valid session or token.
    #[error("sign in required")]
    Unauthenticated,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    /// A rule that the current state of things refuses (stale version, last admin, …).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A workflow move the table does not allow from the case's state.
    #[error("not allowed: {0}")]
    InvalidTransition(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for ServiceError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => ServiceError::NotFound,
            DbError::StaleVersion => ServiceError::Conflict(
                "Someone else changed this record since you opened it. Reload and try again."
                    .into(),
            ),
            DbError::Unique(what) => {
                ServiceError::Conflict(format!("That already exists ({what})."))
            }
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::from(DbError::from(e))
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(e: ValidationErrors) -> Self {
        ServiceError::Validation(e)
    }
}
