//! API tokens, stored by the SHA-256 of their secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_tokens, users};
use super::users::UserRow;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = api_tokens)]
struct NewToken<'a> {
    user_id: i64,
    label: &'a str,
    token_hash: &'a str,
    created_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    user_id: i64,
    label: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<TokenRow, DbError> {
    diesel::insert_into(api_tokens::table)
        .values(&NewToken {
            user_id,
            label,
            token_hash,
            created_at: now,
        })
        .execute(conn)?;
    // RETURNING is not available through a MultiConnection: read the row back by its key.
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .select(TokenRow::as_select())
        .first(conn)?)
}

/// A live (not revoked) token and its user.
pub fn find_live_with_user(
    conn: &mut DbConn,
    token_hash: &str,
) -> Result<Option<(TokenRow, UserRow)>, DbError> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select((TokenRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?)
}

pub fn mark_used(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Revokes a live token; `NotFound` when there is none with that id or it is already revoked.
pub fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<TokenRow, DbError> {
    let n = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    if n != 1 {
        return Err(DbError::NotFound);
    }
    Ok(api_tokens::table
        .find(id)
        .select(TokenRow::as_select())
        .first(conn)?)
}

/// Every token with its owner's name, newest first.
pub fn list_with_owner(conn: &mut DbConn) -> Result<Vec<(TokenRow, String)>, DbError> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .order(api_tokens::id.desc())
        .select((TokenRow::as_select(), users::username))
        .load(conn)?)
}
