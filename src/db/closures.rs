//! Days the office is closed beyond the federal holidays (added by an admin).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::closure_days;
use super::{DbConn, DbError};

pub fn list(conn: &mut DbConn) -> Result<Vec<(NaiveDate, String)>, DbError> {
    Ok(closure_days::table
        .order(closure_days::day.asc())
        .select((closure_days::day, closure_days::label))
        .load(conn)?)
}

pub fn insert(conn: &mut DbConn, day: NaiveDate, label: &str) -> Result<(), DbError> {
    diesel::insert_into(closure_days::table)
        .values((closure_days::day.eq(day), closure_days::label.eq(label)))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, day: NaiveDate) -> Result<usize, DbError> {
    Ok(diesel::delete(closure_days::table.find(day)).execute(conn)?)
}
