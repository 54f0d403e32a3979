//! CSV for spreadsheets: UTF-8 with a header row, written by the `csv` crate, and every text
//! cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
//! first) neutralised with a leading apostrophe. Numbers stay numbers.

use std::borrow::Cow;

use crate::domain::history::ChainedEvent;

/// A cell a spreadsheet shows as text, never runs.
pub fn cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if s.trim().parse::<f64>().is_err() => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// The timeline of a case, one row per event.
pub const TIMELINE_HEADER: [&str; 8] = [
    "seq",
    "at",
    "actor",
    "kind",
    "payload",
    "prev_hash",
    "hash",
    "case",
];

/// Writes a case's timeline as CSV.
pub fn timeline(events: &[ChainedEvent]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(events.len() * 256 + 128));
    w.write_record(TIMELINE_HEADER)?;
    for e in events {
        let seq = e.body.seq.to_string();
        let payload = e.body.payload.to_string();
        w.write_record([
            seq.as_str(),
            &e.body.at,
            &cell(&e.body.actor),
            &cell(&e.body.kind),
            &cell(&payload),
            &e.body.prev_hash,
            &e.hash,
            &cell(&e.body.case),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::domain::history::{next_event, EventKind};

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("+1+1"), "'+1+1");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\t=1"), "'\t=1");
        assert_eq!(cell("-104.85"), "-104.85");
        assert_eq!(cell("+7"), "+7");
        assert_eq!(cell("MineOne = mine"), "MineOne = mine");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn the_timeline_has_a_header_and_a_row_per_event() {
        let a = next_event(
            "CFN-2026-00001",
            None,
            "2026-01-01T00:00:00Z".into(),
            "=cmd|' /C calc'!A0",
            EventKind::Commented,
            serde_json::json!({"body": "line one\nline, \"two\""}),
        );
        let b = next_event(
            "CFN-2026-00001",
            Some(&a),
            "2026-01-02T00:00:00Z".into(),
            "bob",
            EventKind::Exported,
            serde_json::json!({"format": "csv"}),
        );
        let out = timeline(&[a.clone(), b]).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(r.headers().unwrap(), TIMELINE_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][2], "'=cmd|' /C calc'!A0");
        assert_eq!(&rows[0][6], a.hash);
        assert!(rows[0][4].contains("line one\\nline, \\\"two\\\""));
        assert_eq!(&rows[1][3], "exported");
    }
}
