//! The triage queue: filtered, sorted, keyset-paginated, one query per page.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::cases::CaseRow;
use super::schema::cases;
use super::{DbConn, DbError};

/// The queue's sort orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sort {
    /// Next deadline first (cases without one last).
    #[default]
    Deadline,
    /// Most recently received first.
    Received,
    /// Most recently changed first.
    Updated,
}

/// Where the previous page ended: the sort key and id of its last row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cursor {
    Date(NaiveDate, i64),
    Stamp(NaiveDateTime, i64),
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub state: Option<String>,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    pub country: Option<String>,
    /// `low`, `moderate`, `high` or `critical`.
    pub risk_band: Option<String>,
    /// Only cases with a deadline before this day (today: overdue).
    pub due_before: Option<NaiveDate>,
    /// Only cases with a deadline on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Lower-case text that must occur in the reference, title, party names or address.
    pub search: Option<String>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    format!("%{escaped}%")
}

type Backend = <DbConn as diesel::Connection>::Backend;

/// The queue's filters (not its sort or cursor) applied to any selection of cases.
fn filtered<'a, ST: 'a>(
    mut q: cases::BoxedQuery<'a, Backend, ST>,
    f: &Filter,
) -> cases::BoxedQuery<'a, Backend, ST> {
    if let Some(s) = &f.state {
        q = q.filter(cases::state.eq(s.clone()));
    }
    if let Some(a) = &f.assignee {
        q = q.filter(cases::assignee.eq(a.clone()));
    }
    if let Some(a) = &f.lead_agency {
        q = q.filter(cases::lead_agency.eq(a.clone()));
    }
    if let Some(c) = &f.country {
        // A plain subquery: diesel's typed `eq_any` subquery refuses two joinable tables here.
        let in_country = diesel::dsl::sql::<diesel::sql_types::Bool>(
            "cases.id IN (SELECT case_id FROM parties WHERE country = ",
        )
        .bind::<diesel::sql_types::Text, _>(c.clone())
        .sql(")");
        q = q.filter(in_country);
    }
    if let Some(b) = &f.risk_band {
        q = q.filter(cases::risk_band.eq(b.clone()));
    }
    if let Some(d) = f.due_before {
        q = q.filter(cases::next_due.lt(d));
    }
    if let Some(d) = f.due_from {
        q = q.filter(cases::next_due.ge(d));
    }
    if let Some(s) = &f.search {
        q = q.filter(cases::search_text.like(like_pattern(s)).escape('\\'));
    }
    q
}

/// One page of the queue.
pub fn list(conn: &mut DbConn, f: &Filter) -> Result<Vec<CaseRow>, DbError> {
    let mut q = filtered(cases::table.select(CaseRow::as_select()).into_boxed(), f);
    q = match (f.sort, &f.after) {
        (Sort::Deadline, Some(Cursor::Date(d, id))) => q.filter(
            cases::next_due
                .gt(*d)
                .or(cases::next_due.eq(*d).and(cases::id.gt(*id))),
        ),
        (Sort::Received, Some(Cursor::Date(d, id))) => q.filter(
            cases::received_on
                .lt(*d)
                .or(cases::received_on.eq(*d).and(cases::id.lt(*id))),
        ),
        (Sort::Updated, Some(Cursor::Stamp(t, id))) => q.filter(
            cases::updated_at
                .lt(*t)
                .or(cases::updated_at.eq(*t).and(cases::id.lt(*id))),
        ),
        _ => q,
    };
    q = match f.sort {
        Sort::Deadline => q.order((cases::next_due.asc(), cases::id.asc())),
        Sort::Received => q.order((cases::received_on.desc(), cases::id.desc())),
        Sort::Updated => q.order((cases::updated_at.desc(), cases::id.desc())),
    };
    Ok(q.limit(f.limit).load(conn)?)
}

/// What a bulk export writes of a case (its columns only: no stored screening text).
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct ExportRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub source: String,
    pub state: String,
    pub outcome: Option<String>,
    pub state_since: NaiveDate,
    pub received_on: NaiveDate,
    pub tx_kind: String,
    pub tx_date: Option<NaiveDate>,
    pub tx_value_usd: Option<i64>,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub us_state: Option<String>,
    pub county_fips: Option<String>,
    pub jurisdiction: Option<String>,
    pub risk_score: Option<i32>,
    pub risk_band: Option<String>,
    pub next_due: NaiveDate,
    pub tolled_since: Option<NaiveDate>,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The next `limit` cases of a filter after case `after`, by id: the queue's filters with a
/// keyset on the primary key, so each batch is an index range however far the export has got.
pub fn export_batch(
    conn: &mut DbConn,
    f: &Filter,
    after: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, DbError> {
    Ok(
        filtered(cases::table.select(ExportRow::as_select()).into_boxed(), f)
            .filter(cases::id.gt(after))
            .order(cases::id.asc())
            .limit(limit)
            .load(conn)?,
    )
}

/// How many cases have a deadline before `day` (overdue when `day` is today); an index range.
pub fn count_due_before(conn: &mut DbConn, day: NaiveDate) -> Result<i64, DbError> {
    Ok(cases::table
        .filter(cases::next_due.lt(day))
        .count()
        .get_result(conn)?)
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn wildcards_in_search_text_are_literal() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
