//! Appending to a case's hash-chained history and checking it.

use crate::db::events::{EventRow, NewEventRow};
use crate::db::{self, DbConn};
use crate::domain::history::{self, Broken, ChainedEvent, EventBody, EventKind};

use super::clock::Now;
use super::ServiceError;

/// The stored time of an event in its canonical form, `YYYY-MM-DDTHH:MM:SSZ` (written field by
/// field: every event of every page and export goes through here).
pub fn stamp(at: chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
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

/// Links the first events of a new case into its chain, as [`append`] would store them one by
/// one: the rows to insert (their `case_id` left 0 for the caller to set).
pub fn chain(
    reference: &str,
    events: impl IntoIterator<Item = (chrono::NaiveDateTime, String, EventKind, serde_json::Value)>,
) -> Vec<NewEventRow> {
    let mut prev: Option<ChainedEvent> = None;
    let mut rows = Vec::new();
    for (at, actor, kind, payload) in events {
        let e = history::next_event(reference, prev.as_ref(), stamp(at), &actor, kind, payload);
        rows.push(NewEventRow {
            case_id: 0,
            seq: e.body.seq,
            at,
            actor,
            kind: e.body.kind.clone(),
            payload: e.body.payload.to_string(),
            prev_hash: e.body.prev_hash.clone(),
            hash: e.hash.clone(),
        });
        prev = Some(e);
    }
    rows
}

/// Every event of a case with the verdict on its chain (the head hash, or the first break).
/// Events this process has verified before are not hashed again while their stored rows are
/// byte for byte what was verified (see [`Verified`]); only the events after them are.
pub fn load(
    conn: &mut DbConn,
    case_id: i64,
    reference: &str,
) -> Result<(Vec<ChainedEvent>, Result<String, Broken>), ServiceError> {
    let rows = db::events::of_case(conn, case_id)?;
    let events = rows
        .iter()
        .map(|r| chained(reference, r))
        .collect::<Result<Vec<_>, _>>()?;
    let verdict = Verified::check(case_id, reference, &rows, &events);
    Ok((events, verdict))
}

/// The chains this process has verified: for a case, how many events were checked, a keyed
/// fingerprint of those stored rows (every field, and the case reference), and the head hash
/// they gave. A later view whose first rows have the same fingerprint starts from that head: a
/// row changed in any way since (even by someone who bypassed the database's append-only
/// triggers) changes the fingerprint, and the whole chain is checked again.
#[derive(Clone, Debug)]
struct Verified {
    checked: usize,
    fingerprint: u64,
    head: String,
}

/// Cases remembered at most; the memory is cleared when full (it only saves work).
const VERIFIED_MAX: usize = 100_000;

static VERIFIED: std::sync::OnceLock<Fingerprints> = std::sync::OnceLock::new();

struct Fingerprints {
    keys: std::collections::hash_map::RandomState,
    chains: std::sync::Mutex<std::collections::HashMap<i64, Verified>>,
}

impl Verified {
    fn check(
        case_id: i64,
        reference: &str,
        rows: &[EventRow],
        events: &[ChainedEvent],
    ) -> Result<String, Broken> {
        use std::hash::{BuildHasher, Hash, Hasher};
        let memo = VERIFIED.get_or_init(|| Fingerprints {
            keys: std::collections::hash_map::RandomState::new(),
            chains: std::sync::Mutex::new(std::collections::HashMap::new()),
        });
        let known = memo
            .chains
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&case_id)
            .cloned();
        let mut hasher = memo.keys.build_hasher();
        reference.hash(&mut hasher);
        let mut start = (0, history::GENESIS.to_string());
        for (i, r) in rows.iter().enumerate() {
            if let Some(k) = &known {
                if i == k.checked && hasher.finish() == k.fingerprint {
                    start = (k.checked, k.head.clone());
                }
            }
            (
                r.seq,
                r.at,
                &r.actor,
                &r.kind,
                &r.payload,
                &r.prev_hash,
                &r.hash,
            )
                .hash(&mut hasher);
        }
        if let Some(k) = &known {
            if rows.len() == k.checked && hasher.finish() == k.fingerprint {
                start = (k.checked, k.head.clone());
            }
        }
        let (checked, head) = start;
        let verdict = history::verify_after(
            reference,
            checked,
            &head,
            events.get(checked..).unwrap_or(&[]),
        );
        if let Ok(head) = &verdict {
            let mut chains = memo
                .chains
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if chains.len() >= VERIFIED_MAX {
                chains.clear();
            }
            chains.insert(
                case_id,
                Verified {
                    checked: rows.len(),
                    fingerprint: hasher.finish(),
                    head: head.clone(),
                },
            );
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn stamp_is_the_canonical_utc_form() {
        for s in [
            "2026-12-02T09:05:07",
            "1999-01-31T23:59:59",
            "2024-02-29T00:00:00",
        ] {
            let at = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap();
            assert_eq!(
                super::stamp(at),
                at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
        }
    }
}
