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

/// Makes the other attempts of `key` wait until this transaction ends, so that counting the
/// failures and recording one are a single step for every node: on PostgreSQL a transaction
/// advisory lock on the key, on SQLite the write lock the transaction already holds.
pub fn lock_key(conn: &mut DbConn, key: &str) -> Result<(), DbError> {
    if let DbConn::Pg(c) = conn {
        // The two-key form: its key space is not the one the migrations lock in.
        diesel::sql_query("SELECT pg_advisory_xact_lock(1, hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)?;
    }
    Ok(())
}

/// Records a failure of `key` (inside the caller's transaction, after `lock_key`); its id.
pub fn reserve(conn: &mut DbConn, key: &str, now: NaiveDateTime) -> Result<i64, DbError> {
    record(conn, &[key], now)?;
    // The key is locked: the newest failure of the key is the one just written.
    Ok(login_failures::table
        .filter(login_failures::scope_key.eq(key))
        .select(diesel::dsl::max(login_failures::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or_default())
}

/// Removes failures recorded by `reserve` that turned out not to be failures.
pub fn forget(conn: &mut DbConn, ids: &[i64]) -> Result<(), DbError> {
    diesel::delete(login_failures::table.filter(login_failures::id.eq_any(ids))).execute(conn)?;
    Ok(())
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
