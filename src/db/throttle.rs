//! Failed sign-in attempts, counted per key (an account name or a client address) in a window.
//! Kept in the database so every node sees the same counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::{DbConn, DbError};

/// Every row of `key` in the window: tips and the tests count these.
pub fn count_since(conn: &mut DbConn, key: &str, since: NaiveDateTime) -> Result<i64, DbError> {
    Ok(login_failures::table
        .filter(login_failures::scope_key.eq(key))
        .filter(login_failures::failed_at.ge(since))
        .count()
        .get_result(conn)?)
}

/// The sign-in attempts of one key in a window: failures, and attempts still being weighed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub failed: i64,
    pub weighing: i64,
    /// The oldest failure, to tell the user when they may try again.
    pub oldest_failure: Option<NaiveDateTime>,
}

/// Counts the failures of `key` since `since` and the attempts being weighed. An attempt still
/// marked as being weighed since before `lost_before` was lost with the node that weighed it,
/// and counts as a failure.
pub fn tally_since(
    conn: &mut DbConn,
    key: &str,
    since: NaiveDateTime,
    lost_before: NaiveDateTime,
) -> Result<Tally, DbError> {
    let rows: Vec<(NaiveDateTime, bool)> = login_failures::table
        .filter(login_failures::scope_key.eq(key))
        .filter(login_failures::failed_at.ge(since))
        .select((login_failures::failed_at, login_failures::weighing))
        .load(conn)?;
    let mut tally = Tally::default();
    for (at, weighing) in rows {
        if weighing && at >= lost_before {
            tally.weighing += 1;
        } else {
            tally.failed += 1;
            tally.oldest_failure = Some(tally.oldest_failure.map_or(at, |o| o.min(at)));
        }
    }
    Ok(tally)
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

/// Writes down an attempt of `key` about to be weighed (inside the caller's transaction, after
/// `lock_key`); its id, for `settle` or `forget` once the attempt's outcome is known.
pub fn reserve(conn: &mut DbConn, key: &str, now: NaiveDateTime) -> Result<i64, DbError> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::scope_key.eq(key),
            login_failures::failed_at.eq(now),
            login_failures::weighing.eq(true),
        ))
        .execute(conn)?;
    // The key is locked: the newest failure of the key is the one just written.
    Ok(login_failures::table
        .filter(login_failures::scope_key.eq(key))
        .select(diesel::dsl::max(login_failures::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or_default())
}

/// Turns attempts written down by `reserve` into failures.
pub fn settle(conn: &mut DbConn, ids: &[i64]) -> Result<(), DbError> {
    diesel::update(login_failures::table.filter(login_failures::id.eq_any(ids)))
        .set(login_failures::weighing.eq(false))
        .execute(conn)?;
    Ok(())
}

/// Removes attempts written down by `reserve` that turned out not to be failures.
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

/// Forgets the failures of `key`; attempts still being weighed are left to their own outcome.
pub fn clear(conn: &mut DbConn, key: &str) -> Result<(), DbError> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::scope_key.eq(key))
            .filter(login_failures::weighing.eq(false)),
    )
    .execute(conn)?;
    Ok(())
}

/// Drops failures older than the window, for every key.
pub fn purge_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<(), DbError> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before)))
        .execute(conn)?;
    Ok(())
}
