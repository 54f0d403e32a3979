//! Exports: one case as a verifiable JSON document, its timeline as CSV, a dossier for paper
//! and PDF, and every case of a queue filter streamed as CSV or JSON Lines. Every export is
//! itself recorded: in the case's history, or for bulk exports in the audit log.

pub mod bulk;
pub mod ftm;
pub mod json;
pub mod pdf;
pub mod sheet;

use serde_json::json;

use self::json::{
    CaseExport, ConditionJson, ExportedAttachment, ExportedCase, ExportedChain, ExportedDeadline,
    ExportedDecision, ExportedHitDecision, PartyJson,
};
use super::cases::{self, CaseView};
use super::clock::Now;
use super::history::{self, stamp};
use super::ServiceError;
use crate::db::{self, DbConn};
use crate::domain::export::{FORMAT, FORMAT_VERSION};
use crate::domain::history::{ChainedEvent, EventKind};

/// What left the system, as recorded in the `exported` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Json,
    Csv,
    Print,
    Pdf,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Json => "json",
            Kind::Csv => "csv",
            Kind::Print => "print",
            Kind::Pdf => "pdf",
        }
    }
}

/// Who exported, and through what (the event's actor and its `via`).
#[derive(Clone, Debug)]
pub struct Exporter<'a> {
    pub actor: &'a str,
    /// `web`, `api` or `command line`.
    pub via: &'a str,
    /// False when the document will not be delivered (a HEAD request): nothing is recorded.
    pub record: bool,
}

/// Appends an event to a case's history without changing its version (files, exports): the
/// case's lock is taken first so that the chain's head cannot move under it.
pub fn append_side_event(
    conn: &mut DbConn,
    case_id: i64,
    actor: &str,
    kind: EventKind,
    payload: serde_json::Value,
    now: &Now,
) -> Result<(), ServiceError> {
    db::cases::lock(conn, case_id)?;
    let case = db::cases::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
    history::append(conn, case_id, &case.reference, actor, kind, payload, now)
}

/// Records the export of a case and returns it as one document, the record of this export
/// included (so the document's head is the history's head at that moment). With
/// `by.record` false, the document is made as it stands and nothing is recorded.
pub fn export_case(
    conn: &mut DbConn,
    id: i64,
    by: &Exporter<'_>,
    kind: Kind,
    now: &Now,
) -> Result<CaseExport, ServiceError> {
    if !by.record {
        let view = cases::view(conn, id)?;
        return document(conn, view, by.actor, now);
    }
    db::write::<_, ServiceError, _>(conn, |conn| {
        append_side_event(
            conn,
            id,
            by.actor,
            EventKind::Exported,
            json!({ "format": kind.as_str(), "via": by.via }),
            now,
        )?;
        let view = cases::view(conn, id)?;
        document(conn, view, by.actor, now)
    })
}

/// The document of a case as it stands (nothing recorded).
pub fn document(
    conn: &mut DbConn,
    v: CaseView,
    by: &str,
    now: &Now,
) -> Result<CaseExport, ServiceError> {
    let attachments = db::attachments::of_case(conn, v.case.id)?;
    let hit_decisions = db::cases::watch_decisions_of(conn, v.case.id)?;
    let c = &v.case;
    let parties: Vec<PartyJson> = v.parties.iter().map(PartyJson::from).collect();
    let screening = v.screening.clone();
    Ok(CaseExport {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        exported_at: stamp(now.at),
        exported_by: by.to_string(),
        case: ExportedCase {
            id: c.id,
            reference: c.reference.clone(),
            title: c.title.clone(),
            source: c.source.clone(),
            summary: c.summary.clone(),
            transaction: json::transaction(c),
            property: json::property(c),
            state: c.state.clone(),
            outcome: c.outcome.clone(),
            state_since: c.state_since,
            assignee: c.assignee.clone(),
            lead_agency: c.lead_agency.clone(),
            received_on: c.received_on,
            created_by: c.created_by.clone(),
            created_at: stamp(c.created_at),
            updated_at: stamp(c.updated_at),
            version: c.version,
            tolled_since: c.tolled_since,
            extension_used: c.extension_used,
            filing_number: c.filing_number,
            risk_score: c.risk_score,
            risk_band: c.risk_band.clone(),
        },
        ftm: ftm::entities(&c.reference, &parties),
        parties,
        screening,
        hit_decisions: hit_decisions
            .into_iter()
            .map(|d| ExportedHitDecision {
                party: d.party,
                entry_id: d.entry_id,
                decision: d.decision,
                rationale: d.rationale,
                decided_by: d.decided_by,
                decided_at: stamp(d.decided_at),
            })
            .collect(),
        deadlines: v.deadlines.iter().map(ExportedDeadline::from).collect(),
        decisions: decisions(&v.events),
        conditions: v.conditions.iter().map(ConditionJson::from).collect(),
        attachments: attachments
            .into_iter()
            .map(|a| ExportedAttachment {
                id: a.id,
                name: a.name,
                content_type: a.content_type,
                size: a.size,
                sha256: a.sha256,
                uploaded_by: a.uploaded_by,
                uploaded_at: stamp(a.uploaded_at),
            })
            .collect(),
        chain: ExportedChain {
            verified: v.chain.is_ok(),
            events: v.events.len(),
            head: v.chain.as_ref().ok().cloned(),
            broken: v.chain.as_ref().err().map(ToString::to_string),
        },
        events: v.events,
        signature: None,
    })
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
}

/// The decisions of a history: recorded decisions (with the rationale of the move they came
/// with, recorded just before them) and the moves that closed the case.
pub fn decisions(events: &[ChainedEvent]) -> Vec<ExportedDecision> {
    let mut out = Vec::new();
    let mut before: Option<&ChainedEvent> = None;
    for e in events {
        let p = &e.body.payload;
        let found = match EventKind::parse(&e.body.kind) {
            Some(EventKind::DecisionRecorded) => text(p, "decision").map(|d| {
                let rationale = before
                    .filter(|b| b.body.kind == EventKind::Transitioned.as_str())
                    .and_then(|b| text(&b.body.payload, "rationale"));
                (d, None, rationale)
            }),
            Some(EventKind::Transitioned) if text(p, "to").as_deref() == Some("closed") => {
                text(p, "action").map(|a| (a, text(p, "outcome"), text(p, "rationale")))
            }
            _ => None,
        };
        if let Some((decision, outcome, rationale)) = found {
            out.push(ExportedDecision {
                seq: e.body.seq,
                at: e.body.at.clone(),
                by: e.body.actor.clone(),
                decision,
                outcome,
                effective: text(p, "effective"),
                rationale,
            });
        }
        before = Some(e);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::domain::history::next_event;

    #[test]
    fn decisions_take_the_rationale_of_their_move_and_closing_moves_their_outcome() {
        let mut v: Vec<ChainedEvent> = Vec::new();
        let mut push = |kind: EventKind, payload: serde_json::Value| {
            let e = next_event(
                "CFN-2024-00001",
                v.last(),
                "2024-05-13T15:00:00Z".into(),
                "chair",
                kind,
                payload,
            );
            v.push(e);
        };
        push(EventKind::Commented, json!({"body": "x"}));
        push(
            EventKind::Transitioned,
            json!({"from": "presidential", "to": "divestiture", "action": "Prohibit", "rationale": "Order of 13 May", "effective": "2024-05-13"}),
        );
        push(
            EventKind::DecisionRecorded,
            json!({"decision": "Prohibition ordered", "effective": "2024-05-13", "conditions": []}),
        );
        push(
            EventKind::Transitioned,
            json!({"from": "divestiture", "to": "closed", "outcome": "divestiture_complete", "action": "Close: divestiture complete", "rationale": "Sold", "effective": "2024-10-01"}),
        );
        let d = decisions(&v);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].decision, "Prohibition ordered");
        assert_eq!(d[0].rationale.as_deref(), Some("Order of 13 May"));
        assert_eq!(d[0].seq, 3);
        assert_eq!(d[1].outcome.as_deref(), Some("divestiture_complete"));
        assert_eq!(d[1].effective.as_deref(), Some("2024-10-01"));
    }
}
