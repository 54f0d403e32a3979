//! Failed sign-in attempts, counted per key (an account name or a client address) in a window.
//! Kept in the database so every node sees the same counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::{DbConn, DbError};

pub fn count_since(conn: &mut DbConn, key: &str, since: NaiveDateTime) -> Result<i64, DbError> {
    Ok(login_failures::table
        .filter(login_failures::scope_key.eq(key))
        .filter(login_failures::failed_at.ge(since))
        .count()
        .get_result(conn)?)
}

/// The oldest failure in the window, to tell the user when they may try again.
pub fn oldest_since(
    conn: &mut DbConn,
    key: &str,
    since: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(login_failures::table
        .filter(login_failures::scope_key.eq(key))
        .filter(login_failures::failed_at.ge(since))
        .select(diesel::dsl::min(login_failures::failed_at))
        .first(conn)?)
}

pub fn record(conn: &mut DbConn, keys: &[&str], now: NaiveDateTime) -> Result<(), DbError> {
    // One row per statement: multi-row VALUES is not available through a MultiConnection.
    for key in keys {
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::scope_key.eq(*key),
                login_failures::failed_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> Result<(), DbError> {
    diesel::delete(login_failures::table.filter(login_failures::scope_key.eq(key)))
        .execute(conn)?;
    Ok(())
}

/// Drops failures older than the window, for every key.
pub fn purge_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<(), DbError> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before)))
        .execute(conn)?;
    Ok(())
}
