//! Files attached to cases. Listing reads the metadata only; the content is read one file at a
//! time, when it is downloaded.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::attachments;
use super::{DbConn, DbError};

/// What is known about an attachment without reading its content.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: i64,
    pub case_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachmentRow<'a> {
    pub case_id: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub uploaded_by: &'a str,
    pub uploaded_at: NaiveDateTime,
    pub content: &'a [u8],
}

/// Stores one attachment and returns its id.
pub fn insert(conn: &mut DbConn, row: &NewAttachmentRow<'_>) -> Result<i64, DbError> {
    diesel::insert_into(attachments::table)
        .values(row)
        .execute(conn)?;
    attachments::table
        .filter(attachments::case_id.eq(row.case_id))
        .select(diesel::dsl::max(attachments::id))
        .first::<Option<i64>>(conn)?
        .ok_or(DbError::NotFound)
}

/// The attachments of a case, oldest first.
pub fn of_case(conn: &mut DbConn, case_id: i64) -> Result<Vec<AttachmentRow>, DbError> {
    Ok(attachments::table
        .filter(attachments::case_id.eq(case_id))
        .order(attachments::id.asc())
        .select(AttachmentRow::as_select())
        .load(conn)?)
}

/// One attachment of a case with its content (none when it belongs to another case).
pub fn content(
    conn: &mut DbConn,
    case_id: i64,
    id: i64,
) -> Result<Option<(AttachmentRow, Vec<u8>)>, DbError> {
    Ok(attachments::table
        .filter(attachments::id.eq(id))
        .filter(attachments::case_id.eq(case_id))
        .select((AttachmentRow::as_select(), attachments::content))
        .first(conn)
        .optional()?)
}
