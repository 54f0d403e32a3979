//! Keeps the queue's search words current. The words of a case are written with the case (see
//! `cases::search_text`); after a migration, or when the way words are folded changes, every
//! case's words are written again, once, at start.

use super::ServiceError;
use crate::db::{self, DbConn};

/// The version of `domain::search`'s folding that stored words were made with.
pub const FORMAT: i64 = 1;

/// Cases rewritten per transaction.
const BATCH: i64 = 1_000;

/// Rewrites the words of every case when they were made by an older folding; returns how many
/// cases changed. Each batch is its own transaction and the format is recorded last, so an
/// interrupted run starts over at the next start.
pub fn reindex(conn: &mut DbConn) -> Result<usize, ServiceError> {
    if db::cases::counter(conn, "search-format")? >= FORMAT {
        return Ok(0);
    }
    let mut changed = 0;
    let mut after = 0;
    loop {
        let rows = db::cases::search_sources(conn, after, BATCH)?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let parties = db::cases::parties_of_many(conn, &ids)?;
        db::write::<_, ServiceError, _>(conn, |conn| {
            for r in &rows {
                let words = super::cases::search_text(
                    &r.reference,
                    &r.title,
                    &r.summary,
                    &r.address,
                    parties
                        .iter()
                        .filter(|p| p.case_id == r.id)
                        .map(|p| p.name.as_str()),
                );
                if words != r.search_text {
                    db::cases::set_search_text(conn, r.id, &words)?;
                    changed += 1;
                }
            }
            Ok(())
        })?;
        after = last;
    }
    db::cases::set_counter(conn, "search-format", FORMAT)?;
    Ok(changed)
}
