//! Files attached to a case: stored in the database with their SHA-256, size, type and
//! uploader; adding one is an event, and so is each download.

use serde_json::json;
use sha2::{Digest, Sha256};

use super::auth::Principal;
use super::clock::Now;
use super::export::append_side_event;
use super::ServiceError;
use crate::db::attachments::{AttachmentRow, NewAttachmentRow};
use crate::db::{self, DbConn};
use crate::domain::history::EventKind;
use crate::domain::{Role, ValidationErrors};

/// The most files one upload may carry.
pub const MAX_FILES: usize = 10;
/// The longest file name kept (characters).
pub const MAX_NAME: usize = 200;

/// A file as received.
#[derive(Clone, Debug)]
pub struct Upload {
    /// The name the browser sent (any path in it is dropped).
    pub name: String,
    /// The type the browser sent.
    pub content_type: String,
    pub content: Vec<u8>,
}

/// The name to keep: the last part of any path (`/`, `\\`, a drive letter such as `C:`),
/// without control characters or direction overrides (`note\u{202E}fdp.exe` would read as
/// `noteexe.pdf`), trimmed and shortened. It is only ever shown and sent back in a header,
/// never used as a path.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let last = match last.as_bytes() {
        [drive, b':', ..] if drive.is_ascii_alphabetic() => last.get(2..).unwrap_or(""),
        _ => last,
    };
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !crate::domain::text::is_bidi_control(*c))
        .take(MAX_NAME)
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').trim();
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned.to_string()
    }
}

/// A well-formed `type/subtype` (no parameters), or `application/octet-stream`.
pub fn clean_type(raw: &str) -> String {
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    match essence.split_once('/') {
        Some((t, sub)) if token(t) && token(sub) => essence,
        _ => "application/octet-stream".into(),
    }
}

/// "12.3 MB", for messages and lists.
pub fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    match (unit, UNITS.get(unit)) {
        (0, _) => format!("{bytes} bytes"),
        (_, Some(u)) => format!("{size:.1} {u}"),
        _ => format!("{bytes} bytes"),
    }
}

/// The message for a file over the limit.
pub fn too_large(name: &str, limit: usize) -> String {
    format!(
        "\u{201c}{}\u{201d} is larger than the {} limit; nothing was stored.",
        clean_name(name),
        human_size(i64::try_from(limit).unwrap_or(i64::MAX))
    )
}

/// Stores the files on a case, each with an `attachment_added` event, all or none. Returns
/// the ids.
pub fn add(
    conn: &mut DbConn,
    by: &Principal,
    case_id: i64,
    files: &[Upload],
    limit: usize,
    now: &Now,
) -> Result<Vec<i64>, ServiceError> {
    if !by.role.at_least(Role::Reviewer) {
        return Err(ServiceError::Forbidden(
            "Attaching files needs the reviewer role.".into(),
        ));
    }
    if files.is_empty() {
        return Err(ValidationErrors::single("files", "Choose at least one file.").into());
    }
    if files.len() > MAX_FILES {
        return Err(ValidationErrors::single(
            "files",
            format!("At most {MAX_FILES} files at once."),
        )
        .into());
    }
    for f in files {
        if f.content.len() > limit {
            return Err(ValidationErrors::single("files", too_large(&f.name, limit)).into());
        }
        if f.content.is_empty() {
            return Err(ValidationErrors::single(
                "files",
                format!(
                    "\u{201c}{}\u{201d} is empty; nothing was stored.",
                    clean_name(&f.name)
                ),
            )
            .into());
        }
    }
    db::write::<_, ServiceError, _>(conn, |conn| {
        // The lock comes first, so the ids and the chain's head are this writer's alone.
        db::cases::lock(conn, case_id)?;
        let mut ids = Vec::with_capacity(files.len());
        for f in files {
            let name = clean_name(&f.name);
            let content_type = clean_type(&f.content_type);
            let sha256 = hex::encode(Sha256::digest(&f.content));
            let size = i64::try_from(f.content.len())
                .map_err(|_| ServiceError::Internal("file size".into()))?;
            let id = db::attachments::insert(
                conn,
                &NewAttachmentRow {
                    case_id,
                    name: &name,
                    content_type: &content_type,
                    size,
                    sha256: &sha256,
                    uploaded_by: &by.username,
                    uploaded_at: now.at,
                    content: &f.content,
                },
            )?;
            append_side_event(
                conn,
                case_id,
                &by.username,
                EventKind::AttachmentAdded,
                json!({
                    "attachment": id,
                    "name": name,
                    "size": size,
                    "sha256": sha256,
                    "content_type": content_type,
                }),
                now,
            )?;
            ids.push(id);
        }
        Ok(ids)
    })
}

/// The attachments of a case (metadata only).
pub fn list(conn: &mut DbConn, case_id: i64) -> Result<Vec<AttachmentRow>, ServiceError> {
    Ok(db::attachments::of_case(conn, case_id)?)
}

/// One attachment with its content; the download is recorded in the case's history when it
/// is delivered (`record`; not for a HEAD request).
pub fn download(
    conn: &mut DbConn,
    by: &str,
    case_id: i64,
    id: i64,
    record: bool,
    now: &Now,
) -> Result<(AttachmentRow, Vec<u8>), ServiceError> {
    if !record {
        return db::attachments::content(conn, case_id, id)?.ok_or(ServiceError::NotFound);
    }
    db::write::<_, ServiceError, _>(conn, |conn| {
        // The case's lock first: on SQLite a transaction that reads before it writes cannot
        // wait for another writer, it fails at once.
        db::cases::lock(conn, case_id)?;
        let (row, content) =
            db::attachments::content(conn, case_id, id)?.ok_or(ServiceError::NotFound)?;
        append_side_event(
            conn,
            case_id,
            by,
            EventKind::Exported,
            json!({
                "format": "attachment",
                "attachment": row.id,
                "name": row.name,
                "sha256": row.sha256,
            }),
            now,
        )?;
        Ok((row, content))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\deed.pdf"), "deed.pdf");
        assert_eq!(clean_name("a\u{0}b\r\n.txt"), "ab.txt");
        assert_eq!(clean_name(".."), "attachment");
        assert_eq!(clean_name("   "), "attachment");
        assert_eq!(clean_name("<script>alert(1)</script>.html"), "script>.html");
        assert_eq!(clean_name(&"x".repeat(500)).chars().count(), MAX_NAME);
        assert_eq!(clean_name("C:evil.txt"), "evil.txt");
        assert_eq!(clean_name("D:\\a\\b.pdf"), "b.pdf");
        assert_eq!(clean_name("note\u{202E}fdp.exe"), "notefdp.exe");
        assert_eq!(clean_name("\u{202E}gpj.exe"), "gpj.exe");
        assert_eq!(clean_name("a\u{2066}b\u{2069}.txt"), "ab.txt");
        assert_eq!(clean_name("\u{202E}"), "attachment");
        assert_eq!(clean_name("Lageplan: Nord.pdf"), "Lageplan: Nord.pdf");
    }

    #[test]
    fn types_are_well_formed_or_octet_stream() {
        assert_eq!(clean_type("application/pdf"), "application/pdf");
        assert_eq!(clean_type("Text/Plain; charset=utf-8"), "text/plain");
        assert_eq!(
            clean_type("text/html\r\nX-Evil: 1"),
            "application/octet-stream"
        );
        assert_eq!(clean_type(""), "application/octet-stream");
        assert_eq!(clean_type("nonsense"), "application/octet-stream");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(25 * 1024 * 1024), "25.0 MB");
        assert_eq!(human_size(1536), "1.5 KB");
    }
}
