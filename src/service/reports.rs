//! The annual-report tables of a year (`domain::reports` defines them, `db::reports` counts).

use chrono::NaiveDate;

use super::ServiceError;
use crate::db::reports::Counts;
use crate::db::{self, DbConn};

/// A year's counts and the day the earliest report was received.
pub fn year(conn: &mut DbConn, year: i32) -> Result<(Counts, Option<NaiveDate>), ServiceError> {
    let counts = db::reports::counts(conn, year)?;
    let first = db::reports::first_received(conn)?;
    Ok((counts, first))
}

/// The day the earliest report was received, if any.
pub fn first_received(conn: &mut DbConn) -> Result<Option<NaiveDate>, ServiceError> {
    Ok(db::reports::first_received(conn)?)
}
