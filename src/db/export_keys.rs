//! The office's export-signing public keys and when each was in use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::export_keys;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = export_keys)]
pub struct KeyRow {
    pub id: i64,
    pub fingerprint: String,
    pub public_key_pem: String,
    pub valid_from: NaiveDateTime,
    pub valid_until: Option<NaiveDateTime>,
}

/// Every key, oldest first.
pub fn all(conn: &mut DbConn) -> Result<Vec<KeyRow>, DbError> {
    Ok(export_keys::table
        .order(export_keys::id.asc())
        .select(KeyRow::as_select())
        .load(conn)?)
}

/// What registering a key did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registered {
    /// It was already the key in use.
    Already,
    /// It is the key in use from now; the one before (if any) was retired.
    New,
    /// It was retired at this time and cannot be used again (exports made since would
    /// verify against the wrong period).
    Retired(NaiveDateTime),
}

/// Makes `fingerprint` the key in use from `at`: the key in use before it, if another, is
/// retired at `at`. Call in a transaction (`db::write`).
pub fn make_current(
    conn: &mut DbConn,
    fingerprint: &str,
    public_key_pem: &str,
    at: NaiveDateTime,
) -> Result<Registered, DbError> {
    // Nodes starting at once register one after the other, each seeing what the one before
    // stored (on SQLite the write transaction holds the database's write lock already). The
    // mode lets readers of the key list through.
    if let DbConn::Pg(c) = conn {
        diesel::sql_query("LOCK TABLE export_keys IN SHARE ROW EXCLUSIVE MODE").execute(c)?;
    }
    let known: Option<KeyRow> = export_keys::table
        .filter(export_keys::fingerprint.eq(fingerprint))
        .select(KeyRow::as_select())
        .first(conn)
        .optional()?;
    match known {
        Some(k) => Ok(match k.valid_until {
            None => Registered::Already,
            Some(until) => Registered::Retired(until),
        }),
        None => {
            diesel::update(export_keys::table.filter(export_keys::valid_until.is_null()))
                .set(export_keys::valid_until.eq(Some(at)))
                .execute(conn)?;
            diesel::insert_into(export_keys::table)
                .values((
                    export_keys::fingerprint.eq(fingerprint),
                    export_keys::public_key_pem.eq(public_key_pem),
                    export_keys::valid_from.eq(at),
                ))
                .execute(conn)?;
            Ok(Registered::New)
        }
    }
}
