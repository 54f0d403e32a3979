//! The dashboard's charts: the kept counts, read in one transaction, drawn as of `today`.

use chrono::NaiveDate;

use crate::charts::{dashboard, Charts};
use crate::db::{self, DbConn};
use crate::service::ServiceError;

pub fn dashboard(conn: &mut DbConn, today: NaiveDate) -> Result<Charts, ServiceError> {
    let counts = db::stats::chart_counts(
        conn,
        &dashboard::first_month(today),
        dashboard::first_year(today),
        dashboard::COUNTRIES,
    )?;
    Ok(Charts::build(&counts, today))
}
