//! Every case of a queue filter, as CSV or JSON Lines, in batches taken by id: the caller
//! writes each batch out before asking for the next, so memory stays flat however many cases
//! match.

use std::collections::BTreeSet;
use std::io::Write;

use serde::Serialize;

use super::sheet::cell;
use crate::db::cases::{DeadlineRow, NO_DEADLINE};
use crate::db::queue::{ExportRow, Filter};
use crate::db::{self, DbConn};
use crate::service::clock::Now;
use crate::service::history::stamp;
use crate::service::ServiceError;

/// Cases per batch.
pub const BATCH: i64 = 1_000;

/// The two bulk formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Jsonl => "application/x-ndjson; charset=utf-8",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "jsonl" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// An open deadline of an exported case.
#[derive(Clone, Debug, Serialize)]
pub struct Due {
    pub kind: String,
    pub label: String,
    pub due: chrono::NaiveDate,
}

/// One case of a bulk export.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub source: String,
    pub state: String,
    pub outcome: Option<String>,
    pub state_since: chrono::NaiveDate,
    pub received_on: chrono::NaiveDate,
    pub transaction_kind: String,
    pub transaction_date: Option<chrono::NaiveDate>,
    pub value_usd: Option<i64>,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub us_state: Option<String>,
    pub county_fips: Option<String>,
    /// The screening answer: `covered`, `not_covered`, `excepted` or `needs_review`.
    pub jurisdiction: Option<String>,
    pub risk_score: Option<i32>,
    pub risk_band: Option<String>,
    pub next_due: Option<chrono::NaiveDate>,
    pub tolled_since: Option<chrono::NaiveDate>,
    pub deadlines: Vec<Due>,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    pub countries: Vec<String>,
    pub parties: Vec<String>,
    pub updated_at: String,
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 27] = [
    "id",
    "reference",
    "title",
    "source",
    "state",
    "outcome",
    "state_since",
    "received_on",
    "transaction_kind",
    "transaction_date",
    "value_usd",
    "lat",
    "lon",
    "address",
    "us_state",
    "county_fips",
    "jurisdiction",
    "risk_score",
    "risk_band",
    "next_due",
    "tolled_since",
    "deadlines",
    "assignee",
    "lead_agency",
    "countries",
    "parties",
    "updated_at",
];

/// The next batch of a filter after case `after` (0 to start).
pub fn batch(conn: &mut DbConn, f: &Filter, after: i64) -> Result<Vec<Line>, ServiceError> {
    let rows = db::queue::export_batch(conn, f, after, BATCH)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let parties = db::cases::parties_of_many(conn, &ids)?;
    let deadlines = db::cases::open_deadlines_of_many(conn, &ids)?;
    let (mut p, mut d) = (0, 0);
    let mut out = Vec::with_capacity(rows.len());
    // Both lists are ordered by case id, like the rows: walk them alongside.
    for r in rows {
        let mut names = Vec::new();
        let mut countries = BTreeSet::new();
        while let Some(party) = parties.get(p).filter(|x| x.case_id <= r.id) {
            if party.case_id == r.id {
                names.push(party.name.clone());
                countries.insert(party.country.clone());
            }
            p += 1;
        }
        let mut dues = Vec::new();
        while let Some(dl) = deadlines.get(d).filter(|x| x.case_id <= r.id) {
            if dl.case_id == r.id {
                dues.push(due(dl));
            }
            d += 1;
        }
        out.push(line(r, names, countries.into_iter().collect(), dues));
    }
    Ok(out)
}

fn due(d: &DeadlineRow) -> Due {
    Due {
        kind: d.kind.clone(),
        label: d.label.clone(),
        due: d.due,
    }
}

fn line(r: ExportRow, parties: Vec<String>, countries: Vec<String>, deadlines: Vec<Due>) -> Line {
    Line {
        id: r.id,
        reference: r.reference,
        title: r.title,
        source: r.source,
        state: r.state,
        outcome: r.outcome,
        state_since: r.state_since,
        received_on: r.received_on,
        transaction_kind: r.tx_kind,
        transaction_date: r.tx_date,
        value_usd: r.tx_value_usd,
        lat: r.lat,
        lon: r.lon,
        address: r.address,
        us_state: r.us_state,
        county_fips: r.county_fips,
        jurisdiction: r.jurisdiction,
        risk_score: r.risk_score,
        risk_band: r.risk_band,
        next_due: (r.next_due != NO_DEADLINE).then_some(r.next_due),
        tolled_since: r.tolled_since,
        deadlines,
        assignee: r.assignee,
        lead_agency: r.lead_agency,
        countries,
        parties,
        updated_at: stamp(r.updated_at),
    }
}

/// A batch as CSV (with the header row first when `header`). Fields are written one by one
/// from the line, with one scratch buffer for numbers and dates, so a row allocates nothing.
pub fn csv(lines: &[Line], header: bool) -> Result<Vec<u8>, csv::Error> {
    use std::fmt::Write as _;

    let mut w = csv::Writer::from_writer(Vec::with_capacity(lines.len() * 320 + 512));
    if header {
        w.write_record(CSV_HEADER)?;
    }
    let mut buf = String::with_capacity(64);
    let mut text = |w: &mut csv::Writer<Vec<u8>>, value: &dyn std::fmt::Display| {
        buf.clear();
        // Writing into a String cannot fail.
        let _ = write!(buf, "{value}");
        w.write_field(buf.as_bytes())
    };
    let blank = |w: &mut csv::Writer<Vec<u8>>| w.write_field(b"");
    for l in lines {
        text(&mut w, &l.id)?;
        w.write_field(&l.reference)?;
        w.write_field(cell(&l.title).as_bytes())?;
        w.write_field(&l.source)?;
        w.write_field(&l.state)?;
        w.write_field(l.outcome.as_deref().unwrap_or(""))?;
        text(&mut w, &l.state_since)?;
        text(&mut w, &l.received_on)?;
        w.write_field(&l.transaction_kind)?;
        match &l.transaction_date {
            Some(d) => text(&mut w, d)?,
            None => blank(&mut w)?,
        }
        match &l.value_usd {
            Some(v) => text(&mut w, v)?,
            None => blank(&mut w)?,
        }
        text(&mut w, &l.lat)?;
        text(&mut w, &l.lon)?;
        w.write_field(cell(&l.address).as_bytes())?;
        w.write_field(l.us_state.as_deref().unwrap_or(""))?;
        w.write_field(l.county_fips.as_deref().unwrap_or(""))?;
        w.write_field(l.jurisdiction.as_deref().unwrap_or(""))?;
        match &l.risk_score {
            Some(v) => text(&mut w, v)?,
            None => blank(&mut w)?,
        }
        w.write_field(l.risk_band.as_deref().unwrap_or(""))?;
        match &l.next_due {
            Some(d) => text(&mut w, d)?,
            None => blank(&mut w)?,
        }
        match &l.tolled_since {
            Some(d) => text(&mut w, d)?,
            None => blank(&mut w)?,
        }
        let deadlines = l
            .deadlines
            .iter()
            .map(|d| format!("{} {}", d.label, d.due))
            .collect::<Vec<_>>()
            .join("; ");
        w.write_field(cell(&deadlines).as_bytes())?;
        w.write_field(cell(l.assignee.as_deref().unwrap_or("")).as_bytes())?;
        w.write_field(l.lead_agency.as_deref().unwrap_or(""))?;
        w.write_field(l.countries.join(" "))?;
        w.write_field(cell(&l.parties.join("; ")).as_bytes())?;
        w.write_field(&l.updated_at)?;
        w.write_record(None::<&[u8]>)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A batch as JSON Lines.
pub fn jsonl(lines: &[Line]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(lines.len() * 480);
    for l in lines {
        serde_json::to_writer(&mut out, l)?;
        out.push(b'\n');
    }
    Ok(out)
}

/// A batch in `format` (the CSV header only with the first).
pub fn encode(lines: &[Line], format: Format, first: bool) -> Result<Vec<u8>, ServiceError> {
    match format {
        Format::Csv => csv(lines, first).map_err(|e| ServiceError::Internal(format!("csv: {e}"))),
        Format::Jsonl => jsonl(lines).map_err(|e| ServiceError::Internal(format!("json: {e}"))),
    }
}

/// The filter in words, for the audit log.
pub fn describe(f: &Filter) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    };
    add("state", &f.state);
    add("assignee", &f.assignee);
    add("agency", &f.lead_agency);
    add("country", &f.country);
    add("risk", &f.risk_band);
    add("search", &f.search.as_ref().map(|q| q.text().to_string()));
    add("due_before", &f.due_before.map(|d| d.to_string()));
    add("due_from", &f.due_from.map(|d| d.to_string()));
    if parts.is_empty() {
        "all cases".into()
    } else {
        parts.join(" ")
    }
}

/// Records a bulk export in the audit log (at its start: what was asked, by whom, how).
pub fn record(
    conn: &mut DbConn,
    actor: &str,
    via: &str,
    format: Format,
    f: &Filter,
    now: &Now,
) -> Result<(), ServiceError> {
    let detail = format!("cases.{} via {via}: {}", format.as_str(), describe(f));
    db::audit::record(conn, now.at, Some(actor), "export.cases", &detail)?;
    Ok(())
}

/// Writes every case of a filter to `out` (the command line); returns how many.
pub fn write_all(
    conn: &mut DbConn,
    f: &Filter,
    format: Format,
    out: &mut impl Write,
) -> Result<usize, ServiceError> {
    let mut after = 0;
    let mut total = 0;
    loop {
        let lines = batch(conn, f, after)?;
        let Some(last) = lines.last() else {
            if total == 0 {
                out.write_all(&encode(&[], format, true)?)
                    .map_err(|e| ServiceError::Internal(format!("write: {e}")))?;
            }
            return Ok(total);
        };
        after = last.id;
        out.write_all(&encode(&lines, format, total == 0)?)
            .map_err(|e| ServiceError::Internal(format!("write: {e}")))?;
        total += lines.len();
    }
}
