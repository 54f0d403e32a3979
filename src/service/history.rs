//! Appending to a case's hash-chained history and checking it.

use crate::db::events::{EventRow, NewEventRow};
use crate::db::{self, DbConn};
use crate::domain::history::{self, Broken, ChainedEvent, EventBody, EventKind};

use super::clock::Now;
use super::ServiceError;

/// The stored time of an event in its canonical form.
pub fn stamp(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An event as the chain sees it.
pub fn chained(reference: &str, row: &EventRow) -> Result<ChainedEvent, ServiceError> {
    let payload = serde_json::from_str(&row.payload)
        .map_err(|e| ServiceError::Internal(format!("event {} payload: {e}", row.id)))?;
    Ok(ChainedEvent {
        body: EventBody {
            case: reference.to_string(),
            seq: row.seq,
            at: stamp(row.at),
            actor: row.actor.clone(),
            kind: row.kind.clone(),
            payload,
            prev_hash: row.prev_hash.clone(),
        },
        hash: row.hash.clone(),
    })
}

/// Appends one event to a case's chain, inside the caller's transaction (after its `claim`,
/// so no other writer can append between the read of the head and the insert).
pub fn append(
    conn: &mut DbConn,
    case_id: i64,
    reference: &str,
    actor: &str,
    kind: EventKind,
    payload: serde_json::Value,
    now: &Now,
) -> Result<(), ServiceError> {
    let head = match db::events::last(conn, case_id)? {
        Some(row) => Some(chained(reference, &row)?),
        None => None,
    };
    let e = history::next_event(
        reference,
        head.as_ref(),
        stamp(now.at),
        actor,
        kind,
        payload,
    );
    db::events::append(
        conn,
        &NewEventRow {
            case_id,
            seq: e.body.seq,
            at: now.at,
            actor: e.body.actor,
            kind: e.body.kind,
            payload: e.body.payload.to_string(),
            prev_hash: e.body.prev_hash,
            hash: e.hash,
        },
    )?;
    Ok(())
}

/// Every event of a case with the verdict on its chain (the head hash, or the first break).
pub fn load(
    conn: &mut DbConn,
    case_id: i64,
    reference: &str,
) -> Result<(Vec<ChainedEvent>, Result<String, Broken>), ServiceError> {
    let events = db::events::of_case(conn, case_id)?
        .iter()
        .map(|r| chained(reference, r))
        .collect::<Result<Vec<_>, _>>()?;
    let verdict = history::verify(reference, &events);
    Ok((events, verdict))
}
