//! The dashboard charts' counts: a few rows of `chart_counts`, which triggers keep in step with
//! every insert, move and removal of a case or party (migration `000011_charts`), so a view
//! reads at most a few hundred rows through the primary key however many cases there are.

use diesel::prelude::*;

use super::schema::chart_counts;
use super::{DbConn, DbError};
use crate::charts::Counts;

/// The counts the dashboard's charts show: intake from month `first_month` (`YYYY-MM`),
/// outcomes from year `first_year`, every risk band, and the `top` countries other than the
/// United States with the most cases (ties by code).
pub fn chart_counts(
    conn: &mut DbConn,
    first_month: &str,
    first_year: i32,
    top: i64,
) -> Result<Counts, DbError> {
    let bucket = |chart: &'static str| {
        chart_counts::table
            .filter(chart_counts::chart.eq(chart))
            .filter(chart_counts::n.gt(0))
            .select((chart_counts::bucket, chart_counts::n))
            .order(chart_counts::bucket.asc())
            .into_boxed()
    };
    let intake = bucket("intake")
        .filter(chart_counts::bucket.ge(first_month.to_string()))
        .load(conn)?;
    let outcomes = bucket("outcome")
        .filter(chart_counts::bucket.ge(format!("{first_year:04}")))
        .load(conn)?;
    let bands = bucket("band").load(conn)?;
    let countries = chart_counts::table
        .filter(chart_counts::chart.eq("country"))
        .filter(chart_counts::n.gt(0))
        .filter(chart_counts::bucket.ne("US"))
        .select((chart_counts::bucket, chart_counts::n))
        .order((chart_counts::n.desc(), chart_counts::bucket.asc()))
        .limit(top)
        .load(conn)?;
    Ok(Counts {
        intake,
        outcomes,
        bands,
        countries,
    })
}
