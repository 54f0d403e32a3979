//! Checking an exported case offline: the file's history must be an intact hash chain bound to
//! the case, end where the file says it ends, and account for every attachment it lists. Pure:
//! `cordon verify` reads the file and prints what this returns.

use serde::Deserialize;
use serde_json::Value;

use super::history::{self, Broken, ChainedEvent, EventKind};

/// The `format` of a case export.
pub const FORMAT: &str = "cordon-case-export";
/// The layout version written by this build.
pub const FORMAT_VERSION: u32 = 1;

/// An export that checks out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intact {
    pub reference: String,
    pub events: usize,
    pub head: String,
    /// When it was exported (`YYYY-MM-DDTHH:MM:SSZ`), as the file says.
    pub exported_at: String,
    /// The office's signature, when the file carries one (checked by
    /// [`Intact::check_signature`], not by [`verify`]).
    pub signature: Option<super::signing::ExportSignature>,
}

impl Intact {
    /// Checks the file's signature against the keys a verifier trusts: the fingerprint of the
    /// office key that signed it.
    pub fn check_signature(
        &self,
        trusted: &[super::signing::Trusted],
    ) -> Result<String, super::signing::SignatureError> {
        super::signing::verify(
            self.signature.as_ref(),
            trusted,
            &self.reference,
            self.events,
            &self.head,
            &self.exported_at,
        )
    }
}

/// Why an export does not check out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    /// Not a Cordon case export at all (not JSON, another format, fields missing).
    #[error("not a Cordon case export: {0}")]
    NotAnExport(String),
    /// The history does not verify: the first event that fails, and why.
    #[error("{0}")]
    Broken(Broken),
    /// An attachment listed in the manifest that the history does not record as added.
    #[error("attachment {name:?} (sha256 {sha256}) is not recorded in the history")]
    Attachment { name: String, sha256: String },
}

#[derive(Deserialize)]
struct Summary {
    events: usize,
    head: Option<String>,
}

#[derive(Deserialize)]
struct CaseRef {
    reference: String,
}

#[derive(Deserialize)]
struct Listed {
    name: String,
    size: i64,
    sha256: String,
}

fn field<'a>(doc: &'a Value, key: &str) -> Result<&'a Value, Invalid> {
    doc.get(key)
        .ok_or_else(|| Invalid::NotAnExport(format!("no \"{key}\"")))
}

fn read<T: serde::de::DeserializeOwned>(doc: &Value, key: &str) -> Result<T, Invalid> {
    serde_json::from_value(field(doc, key)?.clone())
        .map_err(|e| Invalid::NotAnExport(format!("\"{key}\": {e}")))
}

fn position(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1)
}

/// Checks an exported case (the file's text).
pub fn verify(text: &str) -> Result<Intact, Invalid> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| Invalid::NotAnExport(format!("not JSON: {e}")))?;
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(Invalid::NotAnExport(format!(
            "\"format\" is not \"{FORMAT}\""
        )));
    }
    let case: CaseRef = read(&doc, "case")?;
    let summary: Summary = read(&doc, "chain")?;
    let raw = field(&doc, "events")?
        .as_array()
        .ok_or_else(|| Invalid::NotAnExport("\"events\" is not a list".into()))?;
    let mut events = Vec::with_capacity(raw.len());
    for (i, e) in raw.iter().enumerate() {
        let event: ChainedEvent = serde_json::from_value(e.clone()).map_err(|err| {
            Invalid::Broken(Broken {
                seq: position(i),
                reason: format!("not a well-formed event ({err})"),
            })
        })?;
        events.push(event);
    }
    let head = history::verify(&case.reference, &events).map_err(Invalid::Broken)?;
    // The chain is intact as far as it goes; it must also end where the file says it ends.
    if events.len() > summary.events {
        return Err(Invalid::Broken(Broken {
            seq: position(summary.events),
            reason: format!(
                "added after the export (the file says the history has {} events)",
                summary.events
            ),
        }));
    }
    if events.len() < summary.events || summary.head.as_deref() != Some(head.as_str()) {
        return Err(Invalid::Broken(Broken {
            seq: position(events.len()),
            reason: format!(
                "missing: the file says the history has {} events ending at {}",
                summary.events,
                summary.head.as_deref().unwrap_or("no head")
            ),
        }));
    }
    let listed: Vec<Listed> = read(&doc, "attachments")?;
    for a in listed {
        let recorded = events.iter().any(|e| {
            e.body.kind == EventKind::AttachmentAdded.as_str()
                && e.body.payload.get("sha256").and_then(Value::as_str) == Some(a.sha256.as_str())
                && e.body.payload.get("name").and_then(Value::as_str) == Some(a.name.as_str())
                && e.body.payload.get("size").and_then(Value::as_i64) == Some(a.size)
        });
        if !recorded {
            return Err(Invalid::Attachment {
                name: a.name,
                sha256: a.sha256,
            });
        }
    }
    let exported_at = doc
        .get("exported_at")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let signature = match doc.get("signature") {
        None | Some(Value::Null) => None,
        Some(_) => Some(read(&doc, "signature")?),
    };
    Ok(Intact {
        reference: case.reference,
        events: events.len(),
        head,
        exported_at,
        signature,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

    use serde_json::json;

    use super::*;
    use crate::domain::history::next_event;

    fn export(n: usize) -> Value {
        let mut events: Vec<ChainedEvent> = Vec::new();
        for i in 0..n {
            let (kind, payload) = if i == 1 {
                (
                    EventKind::AttachmentAdded,
                    json!({"name": "deed.pdf", "size": 12, "sha256": "ab".repeat(32)}),
                )
            } else {
                (EventKind::Commented, json!({"body": format!("note {i}")}))
            };
            let e = next_event(
                "CFN-2026-00007",
                events.last(),
                format!("2026-03-{:02}T09:00:00Z", i + 1),
                "alice",
                kind,
                payload,
            );
            events.push(e);
        }
        let head = events.last().map(|e| e.hash.clone());
        json!({
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "case": {"reference": "CFN-2026-00007", "title": "t"},
            "attachments": [{"name": "deed.pdf", "size": 12, "sha256": "ab".repeat(32)}],
            "chain": {"verified": true, "events": n, "head": head},
            "events": events,
        })
    }

    fn broken_at(doc: &Value) -> i64 {
        match verify(&doc.to_string()) {
            Err(Invalid::Broken(b)) => b.seq,
            other => panic!("expected a broken chain, got {other:?}"),
        }
    }

    #[test]
    fn an_untouched_export_is_intact() {
        let doc = export(6);
        let ok = verify(&serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        assert_eq!(ok.events, 6);
        assert_eq!(ok.reference, "CFN-2026-00007");
        assert_eq!(Some(ok.head.as_str()), doc["chain"]["head"].as_str());
    }

    #[test]
    fn tampering_names_the_first_bad_event() {
        let mut edited = export(6);
        edited["events"][3]["payload"]["body"] = json!("forged");
        assert_eq!(broken_at(&edited), 4);

        let mut dropped = export(6);
        dropped["events"].as_array_mut().unwrap().remove(2);
        assert_eq!(broken_at(&dropped), 3);

        let mut last_dropped = export(6);
        last_dropped["events"].as_array_mut().unwrap().pop();
        assert_eq!(broken_at(&last_dropped), 6);

        let mut swapped = export(6);
        swapped["events"].as_array_mut().unwrap().swap(2, 3);
        assert_eq!(broken_at(&swapped), 3);

        // A forged event with correct hashes still breaks the stated end of the chain.
        let mut appended = export(6);
        let events: Vec<ChainedEvent> = serde_json::from_value(appended["events"].clone()).unwrap();
        let forged = next_event(
            "CFN-2026-00007",
            events.last(),
            "2026-04-01T00:00:00Z".into(),
            "mallory",
            EventKind::Commented,
            json!({"body": "all fine"}),
        );
        appended["events"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::to_value(forged).unwrap());
        assert_eq!(broken_at(&appended), 7);

        let mut rebound = export(6);
        rebound["case"]["reference"] = json!("CFN-2026-00008");
        assert_eq!(broken_at(&rebound), 1);

        let mut garbled = export(6);
        garbled["events"][4]["seq"] = json!("five");
        assert_eq!(broken_at(&garbled), 5);
    }

    #[test]
    fn attachments_must_be_in_the_history_and_files_must_be_exports() {
        let mut doc = export(3);
        doc["attachments"][0]["sha256"] = json!("cd".repeat(32));
        assert!(matches!(
            verify(&doc.to_string()),
            Err(Invalid::Attachment { .. })
        ));
        assert!(matches!(verify("{"), Err(Invalid::NotAnExport(_))));
        assert!(matches!(
            verify(r#"{"format":"other"}"#),
            Err(Invalid::NotAnExport(_))
        ));
        let mut no_events = export(3);
        no_events.as_object_mut().unwrap().remove("events");
        assert!(matches!(
            verify(&no_events.to_string()),
            Err(Invalid::NotAnExport(_))
        ));
    }
}
