//! The dashboard's charts: the kept counts, read in one transaction, drawn as of `today`.

use chrono::NaiveDate;

use crate::charts::dashboard::{self, Counts};
use crate::db::{self, DbConn};
use crate::service::ServiceError;

/// What the dashboard's charts count as of `today` (the charts are drawn from it with
/// `Charts::build`, by whoever has no drawing of the same counts at hand).
pub fn counts(conn: &mut DbConn, today: NaiveDate) -> Result<Counts, ServiceError> {
    Ok(db::stats::chart_counts(
        conn,
        &dashboard::first_month(today),
        dashboard::first_year(today),
        dashboard::COUNTRIES,
    )?)
}
