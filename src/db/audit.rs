//! The administrative audit log: who did what outside any one case (users, tokens, exports).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::{DbConn, DbError};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}

pub fn record(
    conn: &mut DbConn,
    at: NaiveDateTime,
    actor: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<(), DbError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::actor.eq(actor),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn recent(conn: &mut DbConn, limit: i64) -> Result<Vec<AuditRow>, DbError> {
    Ok(audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}
