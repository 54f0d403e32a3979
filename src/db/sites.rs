//! Sensitive sites and the watchlist entries, as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{sites, watchlist_entries};
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = sites)]
pub struct SiteRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub part: Option<i32>,
    pub lat: f64,
    pub lon: f64,
    pub boundary_radius_mi: f64,
    pub criticality: i32,
    pub us_state: Option<String>,
    pub listed_from: Option<NaiveDate>,
    pub listed_until: Option<NaiveDate>,
    /// `;`-separated county FIPS codes.
    pub counties: String,
    pub notes: String,
    /// GeoJSON polygon text.
    pub boundary: Option<String>,
    pub retired: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Insertable, AsChangeset)]
#[diesel(table_name = sites)]
#[diesel(treat_none_as_null = true)]
pub struct NewSiteRow {
    pub name: String,
    pub kind: String,
    pub part: Option<i32>,
    pub lat: f64,
    pub lon: f64,
    pub boundary_radius_mi: f64,
    pub criticality: i32,
    pub us_state: Option<String>,
    pub listed_from: Option<NaiveDate>,
    pub listed_until: Option<NaiveDate>,
    pub counties: String,
    pub notes: String,
    pub boundary: Option<String>,
    pub retired: bool,
    pub updated_at: NaiveDateTime,
}

pub fn insert_site(conn: &mut DbConn, row: &NewSiteRow, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::insert_into(sites::table)
        .values((row, sites::created_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn update_site(conn: &mut DbConn, id: i64, row: &NewSiteRow) -> Result<(), DbError> {
    let n = diesel::update(sites::table.find(id))
        .set(row)
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

pub fn find_site(conn: &mut DbConn, id: i64) -> Result<Option<SiteRow>, DbError> {
    Ok(sites::table
        .find(id)
        .select(SiteRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_site_by_name(conn: &mut DbConn, name: &str) -> Result<Option<SiteRow>, DbError> {
    Ok(sites::table
        .filter(sites::name.eq(name))
        .select(SiteRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every site, retired ones included, by name.
pub fn all_sites(conn: &mut DbConn) -> Result<Vec<SiteRow>, DbError> {
    Ok(sites::table
        .order(sites::name.asc())
        .select(SiteRow::as_select())
        .load(conn)?)
}

/// Every site not retired (what screening uses).
pub fn active_sites(conn: &mut DbConn) -> Result<Vec<SiteRow>, DbError> {
    Ok(sites::table
        .filter(sites::retired.eq(false))
        .order(sites::id.asc())
        .select(SiteRow::as_select())
        .load(conn)?)
}

pub fn set_retired(
    conn: &mut DbConn,
    id: i64,
    retired: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(sites::table.find(id))
        .set((sites::retired.eq(retired), sites::updated_at.eq(now)))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

pub fn count_sites(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(sites::table.count().get_result(conn)?)
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = watchlist_entries)]
pub struct WatchRow {
    pub id: i64,
    pub list: String,
    pub name: String,
    /// `;`-separated aliases.
    pub aliases: String,
    pub country: Option<String>,
    pub program: String,
    pub source: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = watchlist_entries)]
pub struct NewWatchRow {
    pub list: String,
    pub name: String,
    pub aliases: String,
    pub country: Option<String>,
    pub program: String,
    pub source: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_watch(conn: &mut DbConn, row: &NewWatchRow) -> Result<(), DbError> {
    diesel::insert_into(watchlist_entries::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Replaces a whole list (an import is the list's new content).
pub fn delete_list(conn: &mut DbConn, list: &str) -> Result<usize, DbError> {
    Ok(
        diesel::delete(watchlist_entries::table.filter(watchlist_entries::list.eq(list)))
            .execute(conn)?,
    )
}

pub fn all_watch(conn: &mut DbConn) -> Result<Vec<WatchRow>, DbError> {
    Ok(watchlist_entries::table
        .order(watchlist_entries::id.asc())
        .select(WatchRow::as_select())
        .load(conn)?)
}

/// Each list with its number of entries.
pub fn list_counts(conn: &mut DbConn) -> Result<Vec<(String, i64)>, DbError> {
    Ok(watchlist_entries::table
        .group_by(watchlist_entries::list)
        .select((watchlist_entries::list, diesel::dsl::count_star()))
        .order(watchlist_entries::list.asc())
        .load(conn)?)
}

/// Rows per multi-row INSERT (well under both backends' bind-parameter limits).
const BATCH: usize = 500;

/// Inserts many sites, a few hundred per statement (imports). Call inside a transaction.
/// Multi-row INSERT needs the concrete connection (the multi-backend one cannot express it).
pub fn insert_sites(
    conn: &mut DbConn,
    rows: &[NewSiteRow],
    now: NaiveDateTime,
) -> Result<(), DbError> {
    for chunk in rows.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| (r, sites::created_at.eq(now)))
            .collect();
        let query = diesel::insert_into(sites::table).values(values);
        match conn {
            DbConn::Sqlite(c) => query.execute(c)?,
            DbConn::Pg(c) => query.execute(c)?,
        };
    }
    Ok(())
}

/// Inserts many watchlist entries, a few hundred per statement. Call inside a transaction.
pub fn insert_watch_many(conn: &mut DbConn, rows: &[NewWatchRow]) -> Result<(), DbError> {
    for chunk in rows.chunks(BATCH) {
        let query = diesel::insert_into(watchlist_entries::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => query.execute(c)?,
            DbConn::Pg(c) => query.execute(c)?,
        };
    }
    Ok(())
}
