//! Server-side sessions, stored by the SHA-256 of their token.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{sessions, users};
use super::users::UserRow;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub client_addr: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, new: &NewSession<'_>) -> Result<(), DbError> {
    diesel::insert_into(sessions::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}

/// The session and its user for a token hash, whatever their state; the caller judges expiry.
pub fn find_with_user(
    conn: &mut DbConn,
    token_hash: &str,
) -> Result<Option<(SessionRow, UserRow)>, DbError> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?)
}

pub fn touch(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn delete_by_hash(conn: &mut DbConn, token_hash: &str) -> Result<(), DbError> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)?;
    Ok(())
}

pub fn delete_for_user(conn: &mut DbConn, user_id: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}

/// Removes sessions idle since `idle_before` or created before `created_before`.
pub fn delete_expired(
    conn: &mut DbConn,
    idle_before: NaiveDateTime,
    created_before: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .lt(idle_before)
                .or(sessions::created_at.lt(created_before)),
        ),
    )
    .execute(conn)?)
}
