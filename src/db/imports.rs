//! Imported files, by their SHA-256, so that the same file coming again is noticed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::imports;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = imports)]
pub struct ImportRow {
    pub id: i64,
    pub sha256: String,
    pub name: String,
    pub format: String,
    pub actor: String,
    pub at: NaiveDateTime,
    pub cases: i64,
    pub first_reference: Option<String>,
    pub last_reference: Option<String>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = imports)]
pub struct NewImport<'a> {
    pub sha256: &'a str,
    pub name: &'a str,
    pub format: &'a str,
    pub actor: &'a str,
    pub at: NaiveDateTime,
    pub cases: i64,
    pub first_reference: Option<&'a str>,
    pub last_reference: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, row: &NewImport<'_>) -> Result<(), DbError> {
    diesel::insert_into(imports::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The latest import of a file with this SHA-256, if it was imported before.
pub fn latest_of(conn: &mut DbConn, sha256: &str) -> Result<Option<ImportRow>, DbError> {
    Ok(imports::table
        .filter(imports::sha256.eq(sha256))
        .order(imports::id.desc())
        .select(ImportRow::as_select())
        .first(conn)
        .optional()?)
}
