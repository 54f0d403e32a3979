//! Users: rows and the queries over them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::users;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    username: &'a str,
    password_hash: &'a str,
    role: &'a str,
    disabled: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

pub fn insert_user(
    conn: &mut DbConn,
    username: &str,
    password_hash: &str,
    role: &str,
    now: NaiveDateTime,
) -> Result<UserRow, DbError> {
    let row = NewUserRow {
        username,
        password_hash,
        role,
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    // RETURNING is not available through a MultiConnection: read the row back by its key.
    diesel::insert_into(users::table)
        .values(&row)
        .execute(conn)?;
    find_by_name(conn, username)?.ok_or(DbError::NotFound)
}

pub fn find_by_name(conn: &mut DbConn, username: &str) -> Result<Option<UserRow>, DbError> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_id(conn: &mut DbConn, id: i64) -> Result<Option<UserRow>, DbError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(conn: &mut DbConn) -> Result<Vec<UserRow>, DbError> {
    Ok(users::table
        .order(users::username.asc())
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(users::table.count().get_result(conn)?)
}

fn expect_one(n: usize) -> Result<(), DbError> {
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    expect_one(n)
}

pub fn set_disabled(
    conn: &mut DbConn,
    id: i64,
    disabled: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(users::table.find(id))
        .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
        .execute(conn)?;
    expect_one(n)
}

pub fn set_role(conn: &mut DbConn, id: i64, role: &str, now: NaiveDateTime) -> Result<(), DbError> {
    let n = diesel::update(users::table.find(id))
        .set((users::role.eq(role), users::updated_at.eq(now)))
        .execute(conn)?;
    expect_one(n)
}

/// How many enabled admins there are (the last one may not be disabled or demoted).
pub fn count_active_admins(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled.eq(false))
        .count()
        .get_result(conn)?)
}
