//! The dashboard charts' counts: a few rows of `chart_counts`, which triggers keep in step with
//! every insert, move and removal of a case or party (migration `000011_charts`), so a view
//! reads at most a few hundred rows through the primary key however many cases there are.

use diesel::prelude::*;

use super::schema::chart_counts;
use super::{DbConn, DbError};
use crate::charts::Counts;

/// The counts the dashboard's charts show: intake from month `first_month` (`YYYY-MM`),
/// outcomes from year `first_year`, every risk band, and the `top` countries other than the
/// United States with the most cases (ties by code). One query through the primary key (one
/// round trip on PostgreSQL); the few hundred countries are ranked here.
pub fn chart_counts(
    conn: &mut DbConn,
    first_month: &str,
    first_year: i32,
    top: usize,
) -> Result<Counts, DbError> {
    use chart_counts::{bucket, chart, n};
    let rows: Vec<(String, String, i64)> = chart_counts::table
        .filter(n.gt(0))
        .filter(
            chart
                .eq("intake")
                .and(bucket.ge(first_month.to_string()))
                .or(chart
                    .eq("outcome")
                    .and(bucket.ge(format!("{first_year:04}"))))
                .or(chart.eq("band"))
                .or(chart.eq("country").and(bucket.ne("US"))),
        )
        .select((chart, bucket, n))
        .order((chart.asc(), bucket.asc()))
        .load(conn)?;
    let mut counts = Counts::default();
    for (c, b, k) in rows {
        let into = match c.as_str() {
            "intake" => &mut counts.intake,
            "outcome" => &mut counts.outcomes,
            "band" => &mut counts.bands,
            _ => &mut counts.countries,
        };
        into.push((b, k));
    }
    // Most cases first, ties by code (the rows came by code).
    counts.countries.sort_by_key(|row| std::cmp::Reverse(row.1));
    counts.countries.truncate(top);
    Ok(counts)
}
