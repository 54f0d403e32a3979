//! Rule sets an admin loaded (the built-in one is in the binary), and the current one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::rule_sets;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = rule_sets)]
pub struct RuleSetRow {
    pub id: i64,
    pub version: String,
    pub name: String,
    pub body: String,
    pub loaded_by: String,
    pub loaded_at: NaiveDateTime,
    pub active: bool,
}

/// The active rule set, if an admin loaded one.
pub fn active(conn: &mut DbConn) -> Result<Option<RuleSetRow>, DbError> {
    Ok(rule_sets::table
        .filter(rule_sets::active.eq(true))
        .order(rule_sets::id.desc())
        .select(RuleSetRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn all(conn: &mut DbConn) -> Result<Vec<RuleSetRow>, DbError> {
    Ok(rule_sets::table
        .order(rule_sets::id.desc())
        .select(RuleSetRow::as_select())
        .load(conn)?)
}

/// Stores a rule set and makes it the active one.
pub fn activate_new(
    conn: &mut DbConn,
    version: &str,
    name: &str,
    body: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(rule_sets::table)
        .set(rule_sets::active.eq(false))
        .execute(conn)?;
    diesel::insert_into(rule_sets::table)
        .values((
            rule_sets::version.eq(version),
            rule_sets::name.eq(name),
            rule_sets::body.eq(body),
            rule_sets::loaded_by.eq(by),
            rule_sets::loaded_at.eq(now),
            rule_sets::active.eq(true),
        ))
        .execute(conn)?;
    Ok(())
}

/// Goes back to the built-in rule set.
pub fn deactivate_all(conn: &mut DbConn) -> Result<(), DbError> {
    diesel::update(rule_sets::table)
        .set(rule_sets::active.eq(false))
        .execute(conn)?;
    Ok(())
}
