//! The triage queue: filtered, sorted, keyset-paginated, one query per page.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::schema::cases;
use super::{DbConn, DbError};
use crate::domain::area::Area;
use crate::domain::reports::CellFilter;
use crate::domain::search::Query;
use crate::domain::workflow::State;

/// What the queue, the API's queue and the dashboard show of a case: its columns that a list
/// needs, not the facts only the case page shows.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct QueueCase {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub state: String,
    pub outcome: Option<String>,
    pub version: i64,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    pub received_on: NaiveDate,
    pub updated_at: NaiveDateTime,
    pub next_due: NaiveDate,
    pub tolled_since: Option<NaiveDate>,
    pub jurisdiction: Option<String>,
    pub risk_band: Option<String>,
}

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
    /// Words that must each begin a word of the reference, title, summary, address or a party
    /// name (full-text index).
    pub search: Option<Query>,
    /// Only the cases a cell of the reports page counts.
    pub report: Option<CellFilter>,
    /// Only the cases placed in an area; `Some(None)` for an area asked for but not understood,
    /// which lists nothing.
    pub area: Option<Option<Area>>,
    /// Only the cases not closed.
    pub open_only: bool,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

type Backend = <DbConn as diesel::Connection>::Backend;

/// The full-text condition of a search: FTS5 on SQLite, the `tsvector` on PostgreSQL. Both are
/// given only the words `domain::search` made, as a bound parameter. A search without words
/// finds nothing.
fn matching(
    conn: &DbConn,
    query: &Query,
) -> Box<dyn BoxableExpression<cases::table, Backend, SqlType = Bool>> {
    if query.words().is_empty() {
        return Box::new(sql::<Bool>("1 = 0"));
    }
    match conn {
        DbConn::Sqlite(_) => Box::new(
            sql::<Bool>("cases.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ")
                .bind::<Text, _>(query.fts5())
                .sql(")"),
        ),
        // The matches first, through the GIN index, then sorted: left to itself the planner
        // walks the deadline index and tests every row's words (2 s at 100,000 cases, for 78
        // matches); `OFFSET 0` keeps the subquery whole (1 ms).
        DbConn::Pg(_) => Box::new(
            sql::<Bool>("cases.id IN (SELECT s.id FROM cases s WHERE s.search_vector @@ CAST(")
                .bind::<Text, _>(query.tsquery())
                .sql(" AS tsquery) OFFSET 0)"),
        ),
    }
}

/// The queue's filters (not its sort or cursor) applied to any selection of cases.
fn filtered<'a, ST: 'a>(
    conn: &DbConn,
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
        q = q.filter(matching(conn, s));
    }
    match f.area {
        Some(Some(a)) => {
            q = q.filter(
                cases::lat
                    .between(a.south, a.north)
                    .and(cases::lon.between(a.west, a.east)),
            )
        }
        Some(None) => q = q.filter(sql::<Bool>("1 = 0")),
        None => {}
    }
    if f.open_only {
        q = q.filter(cases::state.ne(State::Closed.as_str()));
    }
    match &f.report {
        Some(CellFilter::Cell(cell, year)) => {
            let w = super::reports::cell_predicate(conn, cell, *year);
            q = q.filter(sql::<Bool>(&w));
        }
        Some(CellFilter::Nothing) => q = q.filter(sql::<Bool>("1 = 0")),
        None => {}
    }
    q
}

/// One page of the queue.
pub fn list(conn: &mut DbConn, f: &Filter) -> Result<Vec<QueueCase>, DbError> {
    let mut q = filtered(
        conn,
        cases::table.select(QueueCase::as_select()).into_boxed(),
        f,
    );
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
    Ok(filtered(
        conn,
        cases::table.select(ExportRow::as_select()).into_boxed(),
        f,
    )
    .filter(cases::id.gt(after))
    .order(cases::id.asc())
    .limit(limit)
    .load(conn)?)
}

/// How many cases have their next deadline in `[from, before)` (overdue: before today): the
/// sum of a few rows of the per-day counts the database keeps with every change.
pub fn count_due(
    conn: &mut DbConn,
    from: Option<NaiveDate>,
    before: NaiveDate,
) -> Result<i64, DbError> {
    use super::schema::due_counts;
    let mut q = due_counts::table
        .filter(due_counts::day.lt(before))
        .select(sql::<diesel::sql_types::BigInt>(
            "CAST(COALESCE(SUM(n), 0) AS BIGINT)",
        ))
        .into_boxed();
    if let Some(from) = from {
        q = q.filter(due_counts::day.ge(from));
    }
    Ok(q.first(conn)?)
}
