//! The case history: each event's canonical form and the SHA-256 chain that links it to the
//! one before, so that a changed, removed, reordered or inserted event is found. Pure; the same
//! code checks the chain in the database and in an exported file.

use sha2::{Digest, Sha256};

/// The `prev_hash` of a case's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as stored in `events.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Edited,
    Screened,
    Transitioned,
    Commented,
    AttachmentAdded,
    Assigned,
    WatchlistConfirmed,
    WatchlistDismissed,
    RiskOverridden,
    Tolled,
    Resumed,
    Extended,
    DecisionRecorded,
    ConditionUpdated,
    Exported,
}

impl EventKind {
    /// Every kind.
    pub const ALL: &'static [EventKind] = &[
        EventKind::Created,
        EventKind::Edited,
        EventKind::Screened,
        EventKind::Transitioned,
        EventKind::Commented,
        EventKind::AttachmentAdded,
        EventKind::Assigned,
        EventKind::WatchlistConfirmed,
        EventKind::WatchlistDismissed,
        EventKind::RiskOverridden,
        EventKind::Tolled,
        EventKind::Resumed,
        EventKind::Extended,
        EventKind::DecisionRecorded,
        EventKind::ConditionUpdated,
        EventKind::Exported,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::Screened => "screened",
            EventKind::Transitioned => "transitioned",
            EventKind::Commented => "commented",
            EventKind::AttachmentAdded => "attachment_added",
            EventKind::Assigned => "assigned",
            EventKind::WatchlistConfirmed => "watchlist_confirmed",
            EventKind::WatchlistDismissed => "watchlist_dismissed",
            EventKind::RiskOverridden => "risk_overridden",
            EventKind::Tolled => "tolled",
            EventKind::Resumed => "resumed",
            EventKind::Extended => "extended",
            EventKind::DecisionRecorded => "decision_recorded",
            EventKind::ConditionUpdated => "condition_updated",
            EventKind::Exported => "exported",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// The parts of an event that its hash covers.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventBody {
    /// The case reference (`CFN-2026-00042`), so an event cannot be moved to another case.
    pub case: String,
    /// 1 for the first event of the case, then 2, 3, …
    pub seq: i64,
    /// When it was recorded, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// Who did it (a user name, or `cordon` for the system).
    pub actor: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub prev_hash: String,
}

/// The canonical JSON text of an event: keys sorted at every level, no insignificant
/// whitespace (serde_json's map is ordered by key).
pub fn canonical(body: &EventBody) -> String {
    let value = serde_json::json!({
        "case": body.case,
        "seq": body.seq,
        "at": body.at,
        "actor": body.actor,
        "kind": body.kind,
        "payload": sort_keys(&body.payload),
        "prev_hash": body.prev_hash,
    });
    value.to_string()
}

fn sort_keys(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => {
            let sorted: std::collections::BTreeMap<String, serde_json::Value> =
                map.iter().map(|(k, v)| (k.clone(), sort_keys(v))).collect();
            serde_json::Value::Object(sorted.into_iter().collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(sort_keys).collect())
        }
        other => other.clone(),
    }
}

/// The SHA-256 of the canonical form, as hex.
pub fn hash(body: &EventBody) -> String {
    hex::encode(Sha256::digest(canonical(body).as_bytes()))
}

/// An event as stored or exported: its body and its hash.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChainedEvent {
    #[serde(flatten)]
    pub body: EventBody,
    pub hash: String,
}

/// Where and why a chain does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("event {seq}: {reason}")]
pub struct Broken {
    /// The sequence number the event should have had (its position in the chain).
    pub seq: i64,
    pub reason: String,
}

/// Checks a case's events in order: numbering, case, links and hashes. Returns the head hash.
pub fn verify(case: &str, events: &[ChainedEvent]) -> Result<String, Broken> {
    verify_after(case, 0, GENESIS, events)
}

/// Checks the events that follow `checked` events already verified, whose last hash was `head`
/// (`0` and [`GENESIS`] for a whole chain). Returns the new head hash.
pub fn verify_after(
    case: &str,
    checked: usize,
    head: &str,
    events: &[ChainedEvent],
) -> Result<String, Broken> {
    let mut prev = head.to_string();
    for (i, e) in events.iter().enumerate() {
        let position = i64::try_from(checked + i)
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        let broken = |reason: String| Broken {
            seq: position,
            reason,
        };
        if e.body.seq != position {
            return Err(broken(format!(
                "out of order: numbered {} at position {position}",
                e.body.seq
            )));
        }
        if e.body.case != case {
            return Err(broken(format!("belongs to case {}", e.body.case)));
        }
        if e.body.prev_hash != prev {
            return Err(broken(
                "does not link to the event before it (an event was removed, inserted or changed)"
                    .into(),
            ));
        }
        let computed = hash(&e.body);
        if computed != e.hash {
            return Err(broken(
                "its content does not match its hash (it was changed)".into(),
            ));
        }
        prev = computed;
    }
    Ok(prev)
}

/// Builds the next event of a chain.
pub fn next_event(
    case: &str,
    prev: Option<&ChainedEvent>,
    at: String,
    actor: &str,
    kind: EventKind,
    payload: serde_json::Value,
) -> ChainedEvent {
    let body = EventBody {
        case: case.to_string(),
        seq: prev.map(|p| p.body.seq + 1).unwrap_or(1),
        at,
        actor: actor.to_string(),
        kind: kind.as_str().to_string(),
        payload,
        prev_hash: prev
            .map(|p| p.hash.clone())
            .unwrap_or_else(|| GENESIS.to_string()),
    };
    let hash = hash(&body);
    ChainedEvent { body, hash }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn chain(n: usize) -> Vec<ChainedEvent> {
        let mut v: Vec<ChainedEvent> = Vec::new();
        for i in 0..n {
            let e = next_event(
                "CFN-2026-00001",
                v.last(),
                format!("2026-01-0{}T10:00:00Z", i + 1),
                "alice",
                EventKind::Commented,
                serde_json::json!({"body": format!("note {i}"), "z": 1, "a": {"y": 2, "b": 3}}),
            );
            v.push(e);
        }
        v
    }

    #[test]
    fn canonical_form_is_sorted_and_compact() {
        let e = &chain(1)[0];
        let c = canonical(&e.body);
        assert!(c.starts_with(r#"{"actor":"alice","at":"2026-01-01T10:00:00Z","case":"CFN-2026-00001","kind":"commented","payload":{"a":{"b":3,"y":2},"body":"note 0","z":1},"prev_hash":"000"#));
        assert_eq!(e.hash.len(), 64);
        assert_eq!(e.body.prev_hash, GENESIS);
    }

    #[test]
    fn an_intact_chain_verifies_to_its_head() {
        let v = chain(5);
        assert_eq!(verify("CFN-2026-00001", &v), Ok(v[4].hash.clone()));
        assert_eq!(verify("CFN-2026-00001", &[]), Ok(GENESIS.to_string()));
    }

    #[test]
    fn every_kind_of_tampering_names_the_first_bad_event() {
        let v = chain(5);
        let mut edited = v.clone();
        edited[2].body.payload = serde_json::json!({"body": "forged"});
        assert_eq!(verify("CFN-2026-00001", &edited).unwrap_err().seq, 3);

        let mut dropped = v.clone();
        dropped.remove(1);
        assert_eq!(verify("CFN-2026-00001", &dropped).unwrap_err().seq, 2);

        let mut swapped = v.clone();
        swapped.swap(1, 2);
        assert_eq!(verify("CFN-2026-00001", &swapped).unwrap_err().seq, 2);

        let mut forged = v.clone();
        let mut extra = next_event(
            "CFN-2026-00001",
            forged.last(),
            "2026-02-01T00:00:00Z".into(),
            "mallory",
            EventKind::Commented,
            serde_json::json!({}),
        );
        extra.hash = "f".repeat(64);
        forged.push(extra);
        assert_eq!(verify("CFN-2026-00001", &forged).unwrap_err().seq, 6);

        assert_eq!(verify("CFN-2026-00002", &v).unwrap_err().seq, 1);
    }
}
