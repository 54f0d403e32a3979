//! Many rows at once, for new reports (one, or a file of thousands) and `cordon bench-data`:
//! multi-row INSERTs (`COPY` on PostgreSQL) of a few hundred rows per statement, so that
//! 100,000 cases do not cost a million round trips on PostgreSQL.
//!
//! Multi-row INSERT and `COPY` need the concrete connection (the multi-backend one cannot
//! express them). On SQLite, diesel writes a batch whose rows may hold a default (an `Option`
//! field of an `Insertable` struct, as in `NewCaseRow`) one row at a time, which costs little
//! there (no round trips); the rows built here from `.eq()` tuples bind NULL instead, so they
//! go in one statement. Call every function inside a transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::cases::{NewCaseRow, NewPartyRow};
use super::events::NewEventRow;
use super::schema::{case_screenings, cases, conditions, deadlines, events, parties};
use super::{DbConn, DbError};

/// Rows per statement: the widest row (a case, 37 columns) stays well under both backends'
/// bind-parameter limits (32,766 on SQLite, 65,535 on PostgreSQL).
pub const ROWS: usize = 500;

/// Writes rows with `COPY … FROM STDIN (FORMAT binary)` on PostgreSQL (no statement to parse
/// and plan: about half the server's work of a multi-row INSERT), a multi-row INSERT on SQLite.
macro_rules! copy_or_insert {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConn::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c)?,
            DbConn::Pg(c) => diesel::copy_from($table)
                .from_insertable($rows)
                .execute(c)?,
        }
    };
}

/// Inserts cases; returns their ids, in the order of `rows` (references are unique).
pub fn insert_cases(conn: &mut DbConn, rows: &[NewCaseRow]) -> Result<Vec<i64>, DbError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS) {
        let query = diesel::insert_into(cases::table).values(chunk);
        let found: HashMap<String, i64> = match &mut *conn {
            DbConn::Pg(c) => query
                .returning((cases::reference, cases::id))
                .get_results::<(String, i64)>(c)?
                .into_iter()
                .collect(),
            DbConn::Sqlite(c) => {
                query.execute(c)?;
                let references: Vec<&str> = chunk.iter().map(|r| r.reference.as_str()).collect();
                cases::table
                    .filter(cases::reference.eq_any(&references))
                    .select((cases::reference, cases::id))
                    .load::<(String, i64)>(c)?
                    .into_iter()
                    .collect()
            }
        };
        for row in chunk {
            ids.push(*found.get(&row.reference).ok_or(DbError::NotFound)?);
        }
    }
    Ok(ids)
}

/// Stores the screening documents of new cases, many rows at a time (their answer and band are
/// in the case rows: `NewCaseRow::jurisdiction` and the risk fields).
pub fn insert_screenings(conn: &mut DbConn, screenings: &[(i64, &str)]) -> Result<(), DbError> {
    for chunk in screenings.chunks(ROWS) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(id, s)| {
                (
                    case_screenings::case_id.eq(*id),
                    case_screenings::body.eq(*s),
                )
            })
            .collect();
        copy_or_insert!(&mut *conn, case_screenings::table, values);
    }
    Ok(())
}

/// Inserts parties (their `case_id` set), each with the key its name is matched under for
/// related cases (`domain::related::name_key`), as `cases::insert_parties` writes it.
pub fn insert_parties(conn: &mut DbConn, rows: &[NewPartyRow]) -> Result<(), DbError> {
    for chunk in rows.chunks(ROWS) {
        let keys: Vec<String> = chunk
            .iter()
            .map(|r| crate::domain::related::name_key(&r.name))
            .collect();
        let values: Vec<_> = chunk
            .iter()
            .zip(&keys)
            .map(|(r, key)| {
                (
                    parties::case_id.eq(r.case_id),
                    parties::position.eq(r.position),
                    parties::key.eq(&r.key),
                    parties::name.eq(&r.name),
                    parties::country.eq(&r.country),
                    parties::role.eq(&r.role),
                    parties::ownership_pct.eq(r.ownership_pct),
                    parties::owns.eq(r.owns.as_deref()),
                    parties::government_controlled.eq(r.government_controlled),
                    parties::state_owned.eq(r.state_owned),
                    parties::name_key.eq(key),
                )
            })
            .collect();
        copy_or_insert!(&mut *conn, parties::table, values);
    }
    Ok(())
}

/// An open deadline, as `cases::insert_deadline` writes it.
#[derive(Clone, Debug)]
pub struct NewDeadline<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub label: &'a str,
    pub starts: NaiveDate,
    pub due: NaiveDate,
    pub created_at: NaiveDateTime,
}

impl<'a> NewDeadline<'a> {
    /// The row of a clock the workflow started for a case.
    pub fn of(
        case_id: i64,
        k: &'a crate::domain::workflow::NewDeadline,
        created_at: NaiveDateTime,
    ) -> Self {
        NewDeadline {
            case_id,
            kind: k.kind.as_str(),
            label: k.kind.label(),
            starts: k.starts,
            due: k.due,
            created_at,
        }
    }
}

/// Inserts open deadlines.
pub fn insert_deadlines(conn: &mut DbConn, rows: &[NewDeadline<'_>]) -> Result<(), DbError> {
    for chunk in rows.chunks(ROWS) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    deadlines::case_id.eq(r.case_id),
                    deadlines::kind.eq(r.kind),
                    deadlines::label.eq(r.label),
                    deadlines::starts.eq(r.starts),
                    deadlines::due.eq(r.due),
                    deadlines::is_open.eq(true),
                    deadlines::created_at.eq(r.created_at),
                )
            })
            .collect();
        copy_or_insert!(&mut *conn, deadlines::table, values);
    }
    Ok(())
}

/// An open condition, as `cases::insert_condition` writes it.
#[derive(Clone, Debug)]
pub struct NewCondition<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub text: &'a str,
    pub due: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// Inserts open conditions.
pub fn insert_conditions(conn: &mut DbConn, rows: &[NewCondition<'_>]) -> Result<(), DbError> {
    for chunk in rows.chunks(ROWS) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    conditions::case_id.eq(r.case_id),
                    conditions::kind.eq(r.kind),
                    conditions::text.eq(r.text),
                    conditions::due.eq(r.due),
                    conditions::status.eq("open"),
                    conditions::created_at.eq(r.created_at),
                    conditions::updated_at.eq(r.created_at),
                )
            })
            .collect();
        copy_or_insert!(&mut *conn, conditions::table, values);
    }
    Ok(())
}

/// Appends events (their `case_id` set), in the order given.
pub fn insert_events(conn: &mut DbConn, rows: &[NewEventRow]) -> Result<(), DbError> {
    for chunk in rows.chunks(ROWS) {
        let values: Vec<_> = chunk
            .iter()
            .map(|e| {
                (
                    events::case_id.eq(e.case_id),
                    events::seq.eq(e.seq),
                    events::at.eq(e.at),
                    events::actor.eq(&e.actor),
                    events::kind.eq(&e.kind),
                    events::payload.eq(&e.payload),
                    events::prev_hash.eq(&e.prev_hash),
                    events::hash.eq(&e.hash),
                )
            })
            .collect();
        copy_or_insert!(&mut *conn, events::table, values);
    }
    Ok(())
}
