//! The case history table. Events are only ever appended (triggers refuse the rest).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::events;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub case_id: i64,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = events)]
pub struct NewEventRow {
    pub case_id: i64,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The newest event of a case (the head of its chain).
pub fn last(conn: &mut DbConn, case_id: i64) -> Result<Option<EventRow>, DbError> {
    Ok(events::table
        .filter(events::case_id.eq(case_id))
        .order(events::seq.desc())
        .select(EventRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn append(conn: &mut DbConn, row: &NewEventRow) -> Result<(), DbError> {
    diesel::insert_into(events::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Every event of a case, oldest first.
/// The number of events of every case. Events are only ever appended (triggers refuse the
/// rest), so the number moves with every change recorded and names the state of the history.
pub fn count_all(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(events::table.count().get_result(conn)?)
}

pub fn of_case(conn: &mut DbConn, case_id: i64) -> Result<Vec<EventRow>, DbError> {
    Ok(events::table
        .filter(events::case_id.eq(case_id))
        .order(events::seq.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}
