//! The annual-report tables of a year (`domain::reports` defines them, `db::reports` counts).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::ServiceError;
use crate::db::reports::Counts;
use crate::db::{self, DbConn};

/// Each year's counts, kept until the history moves on. Everything the tables count (a report
/// logged or imported, edited, screened again, moved, decided, a condition updated) appends an
/// event to its case's history, and events are never changed or removed: the number of events
/// names the state of what is counted, on every node. Counting a year takes most of a second
/// at 100,000 cases; looking at the number of events, a few milliseconds.
#[derive(Clone, Default)]
pub struct ReportsCache(Arc<Mutex<HashMap<i32, Kept>>>);

struct Kept {
    events: i64,
    counts: Arc<Counts>,
}

/// A year's counts (kept, or counted again when the history has moved) and the day the
/// earliest report was received.
pub fn year(
    conn: &mut DbConn,
    cache: &ReportsCache,
    year: i32,
) -> Result<(Arc<Counts>, Option<NaiveDate>), ServiceError> {
    let first = db::reports::first_received(conn)?;
    // Read before counting: a change committed in between only makes the next request count
    // again.
    let events = db::events::count_all(conn)?;
    let kept = cache.0.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = kept.get(&year).filter(|k| k.events == events) {
        return Ok((k.counts.clone(), first));
    }
    drop(kept);
    let counts = Arc::new(db::reports::counts(conn, year)?);
    cache.0.lock().unwrap_or_else(|e| e.into_inner()).insert(
        year,
        Kept {
            events,
            counts: counts.clone(),
        },
    );
    Ok((counts, first))
}

/// The day the earliest report was received, if any.
pub fn first_received(conn: &mut DbConn) -> Result<Option<NaiveDate>, ServiceError> {
    Ok(db::reports::first_received(conn)?)
}
