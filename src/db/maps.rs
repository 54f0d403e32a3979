//! What the national maps read: only the columns a mark needs, in one query each.

use diesel::prelude::*;

use super::schema::cases;
use super::{DbConn, DbError};

/// An open case as the dashboard map draws it.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct CasePoint {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    /// `low`, `moderate`, `high` or `critical`; `None` before screening.
    pub risk_band: Option<String>,
}

/// Every case not closed: id, position and band, nothing else.
pub fn open_case_points(conn: &mut DbConn) -> Result<Vec<CasePoint>, DbError> {
    Ok(cases::table
        .filter(cases::state.ne("closed"))
        .select((cases::id, cases::lat, cases::lon, cases::risk_band))
        .load(conn)?)
}
