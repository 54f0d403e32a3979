//! Bulk intake (PRODUCT.md 3 and 4): many reports from one file, JSON Lines or CSV. Every
//! report goes through the same `report::parse` and screening as a single report, and the file
//! is stored all or nothing: one bad line refuses it whole, with every problem listed by line
//! and field. A file seen before (by its SHA-256) is refused unless the user confirms.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::auth::Principal;
use super::cases::{calendar, located, store_reports, Created, Intake};
use super::clock::Now;
use super::screening::{self, Screener};
use super::ServiceError;
use crate::db::{self, DbConn};
use crate::domain::report::{self, NewReport, RawReport};
use crate::domain::workflow::WorkflowSettings;
use crate::domain::Role;

/// The largest file taken, in bytes.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// The most reports one file may hold.
pub const MAX_REPORTS: usize = 50_000;
/// The most problems listed for a refused file (the rest are counted).
pub const MAX_PROBLEMS: usize = 1_000;

/// The two formats of an import file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One report per line, each the body of `POST /api/v1/cases` (with `received_on`).
    Jsonl,
    /// One row per party; the `report` column groups rows into reports.
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }

    /// The format a file name says (`.jsonl`, `.ndjson`, `.csv`, any case).
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(Format::Jsonl)
        } else {
            None
        }
    }

    /// The format a media type says (`text/csv`, `application/x-ndjson`, `application/jsonl`).
    pub fn from_media_type(essence: &str) -> Option<Format> {
        match essence {
            "text/csv" | "application/csv" => Some(Format::Csv),
            "application/x-ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/json-seq" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// A name such as `jsonl` or `csv`.
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json-lines" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// One problem of a refused file: where (the line, 1 = the first; 0 = the file as a whole),
/// which field (a column or a field path), and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(line: usize, field: &str, message: impl Into<String>) -> Problem {
        Problem {
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// A report read from a file, not yet checked.
#[derive(Clone, Debug)]
pub struct Item {
    /// The line it starts on.
    pub line: usize,
    pub raw: RawReport,
    /// For CSV: the line of each party's row, and the report's name in the `report` column.
    party_lines: Vec<usize>,
    name: Option<String>,
    /// What reading found wrong with it that checking it would not (a CSV row contradicting
    /// its report's first row); listed with the checks' problems.
    problems: Vec<Problem>,
    /// A JSON line, checked as strictly as the API checks a body (each field its JSON type);
    /// CSV cells are text and are read as a form's are.
    json: bool,
}

/// Why an import was not stored.
#[derive(Debug)]
pub enum ImportError {
    /// The file's problems, by line and field (at most [`MAX_PROBLEMS`]), and how many there
    /// were in all.
    Refused {
        problems: Vec<Problem>,
        total: usize,
    },
    /// The same file was imported before; import it again only when the user confirms.
    Duplicate(Box<db::imports::ImportRow>),
    Service(ServiceError),
}

impl From<ServiceError> for ImportError {
    fn from(e: ServiceError) -> Self {
        ImportError::Service(e)
    }
}

impl From<db::DbError> for ImportError {
    fn from(e: db::DbError) -> Self {
        ImportError::Service(e.into())
    }
}

fn refused(mut problems: Vec<Problem>) -> ImportError {
    let total = problems.len();
    problems.sort_by_key(|p| p.line);
    problems.truncate(MAX_PROBLEMS);
    ImportError::Refused { problems, total }
}

/// A file to import, as it came.
#[derive(Clone, Copy, Debug)]
pub struct Upload<'a> {
    /// The file's name as the user gave it (shown in the audit log), or a default.
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub format: Format,
    /// Import it even if the same file was imported before.
    pub confirm_duplicate: bool,
}

/// What an import stored.
#[derive(Clone, Debug)]
pub struct Imported {
    pub sha256: String,
    pub cases: Vec<Created>,
}

/// The stages an import reports its progress in: (stage, done, of).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Checking,
    Screening,
    Storing,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Checking => "checking",
            Stage::Screening => "screening",
            Stage::Storing => "storing",
        }
    }
}

/// The SHA-256 of a file, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The file's text: UTF-8 (a byte-order mark is dropped), or the line of its first bad byte.
fn text(bytes: &[u8]) -> Result<&str, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = 1 + good.iter().filter(|b| **b == b'\n').count();
        Problem::new(
            line,
            "file",
            "The file is not UTF-8 text (the first byte that is not is on this line). Save it \
             as UTF-8 and import it again.",
        )
    })
}

/// Reads the reports of a file, without checking them.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Item>, Vec<Problem>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![Problem::new(
            0,
            "file",
            format!(
                "The file is larger than {} MB; split it into smaller files.",
                MAX_BYTES / (1024 * 1024)
            ),
        )]);
    }
    let text = text(bytes).map_err(|p| vec![p])?;
    let items = match format {
        Format::Jsonl => read_jsonl(text)?,
        Format::Csv => read_csv(text)?,
    };
    if items.is_empty() {
        return Err(vec![Problem::new(0, "file", "The file holds no report.")]);
    }
    if items.len() > MAX_REPORTS {
        return Err(vec![Problem::new(
            0,
            "file",
            format!(
                "The file holds {} reports; at most {MAX_REPORTS} go in one file.",
                items.len()
            ),
        )]);
    }
    Ok(items)
}

fn read_jsonl(text: &str) -> Result<Vec<Item>, Vec<Problem>> {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v @ Value::Object(_)) => items.push(Item {
                line: n,
                raw: RawReport::from_json(v),
                party_lines: Vec::new(),
                name: None,
                problems: Vec::new(),
                json: true,
            }),
            Ok(_) => problems.push(Problem::new(
                n,
                "line",
                "Each line must be one report: a JSON object.",
            )),
            Err(e) => problems.push(Problem::new(n, "line", format!("Not JSON: {e}."))),
        }
        if items.len() > MAX_REPORTS {
            break;
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// The columns of an import CSV that describe the report: the first row of a report gives them;
/// later rows of the same report leave them empty or repeat them.
pub const REPORT_COLUMNS: &[&str] = &[
    "received_on",
    "title",
    "source",
    "summary",
    "transaction.kind",
    "transaction.date",
    "transaction.value_usd",
    "transaction.rights.access",
    "transaction.rights.exclude",
    "transaction.rights.improve",
    "transaction.rights.affix",
    "transaction.intended_use",
    "transaction.power_mw",
    "property.lat",
    "property.lon",
    "property.address",
    "property.state",
    "property.county_fips",
    "property.acreage",
    "property.urban_area",
    "property.single_housing_unit",
    "property.in_port",
    "property.commercial_office",
];

/// The columns of an import CSV that describe one party (one per row).
pub const PARTY_COLUMNS: &[&str] = &[
    "party.key",
    "party.name",
    "party.country",
    "party.role",
    "party.ownership_pct",
    "party.owns",
    "party.government_controlled",
    "party.state_owned",
];

/// The template CSV the import page offers: the header, and MineOne's report in three rows.
pub fn template_csv() -> String {
    let mut header = vec!["report"];
    header.extend(REPORT_COLUMNS);
    header.extend(PARTY_COLUMNS);
    let first: HashMap<&str, &str> = [
        ("report", "mineone"),
        ("received_on", "2022-08-22"),
        ("title", "Crypto mine next to F.E. Warren AFB"),
        ("source", "company_report"),
        (
            "summary",
            "Report of a PRC-linked Bitcoin mine on a 12-acre lot north of the base.",
        ),
        ("transaction.kind", "purchase"),
        ("transaction.date", "2022-06-15"),
        ("transaction.value_usd", "1500000"),
        ("transaction.rights.access", "yes"),
        ("transaction.rights.exclude", "yes"),
        ("transaction.rights.improve", "yes"),
        ("transaction.rights.affix", "yes"),
        ("transaction.intended_use", "cryptocurrency mining"),
        ("transaction.power_mw", "75"),
        ("property.lat", "41.17"),
        ("property.lon", "-104.85"),
        ("property.address", "North Range Business Park, Cheyenne"),
        ("property.state", "WY"),
        ("property.county_fips", "56021"),
        ("property.acreage", "12"),
        ("party.key", "p1"),
        ("party.name", "MineOne Wyoming Data Center LLC"),
        ("party.country", "US"),
        ("party.role", "acquirer"),
    ]
    .into_iter()
    .collect();
    let parties = [
        [
            ("party.key", "p2"),
            ("party.name", "MineOne Partners Ltd"),
            ("party.country", "VG"),
            ("party.role", "parent"),
            ("party.owns", "p1"),
            ("party.ownership_pct", "100"),
        ],
        [
            ("party.key", "p3"),
            ("party.name", "PRC nationals (undisclosed)"),
            ("party.country", "CN"),
            ("party.role", "ultimate_parent"),
            ("party.owns", "p2"),
            ("party.ownership_pct", "51"),
        ],
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<Vec<&str>> = vec![header.clone()];
    rows.push(
        header
            .iter()
            .map(|c| first.get(c).copied().unwrap_or(""))
            .collect(),
    );
    for p in &parties {
        let cells: HashMap<&str, &str> = p.iter().copied().chain([("report", "mineone")]).collect();
        rows.push(
            header
                .iter()
                .map(|c| cells.get(c).copied().unwrap_or(""))
                .collect(),
        );
    }
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Sets `obj[a][b]…` for a dotted path.
fn put(obj: &mut Map<String, Value>, path: &str, value: &str) {
    let mut parts = path.split('.').peekable();
    let mut at = obj;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            at.insert(part.to_string(), Value::String(value.to_string()));
            return;
        }
        let next = at
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Value::Object(m) = next else { return };
        at = m;
    }
}

/// One report being gathered from CSV rows.
struct Gathered {
    line: usize,
    /// The report's columns from its first row.
    first: Vec<(usize, String)>,
    parties: Vec<(usize, Map<String, Value>)>,
    /// Later rows that contradict the first.
    problems: Vec<Problem>,
}

fn read_csv(text: &str) -> Result<Vec<Item>, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(vec![Problem::new(1, "header", format!("Not CSV: {e}."))]),
    };
    let mut problems = Vec::new();
    let mut seen = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let known = name == "report"
            || REPORT_COLUMNS.contains(&name.as_str())
            || PARTY_COLUMNS.contains(&name.as_str());
        if !known {
            problems.push(Problem::new(
                1,
                name,
                "Unknown column (see the template for the columns Cordon reads).",
            ));
        }
        if let Some(first) = seen.insert(name.as_str(), i) {
            problems.push(Problem::new(
                1,
                name,
                format!(
                    "This column appears twice (columns {} and {}).",
                    first + 1,
                    i + 1
                ),
            ));
        }
    }
    let Some(&report_at) = seen.get("report") else {
        problems.push(Problem::new(
            1,
            "report",
            "The header needs a `report` column naming the report each row belongs to.",
        ));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut order: Vec<String> = Vec::new();
    let mut reports: HashMap<String, Gathered> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                problems.push(Problem::new(line, "row", format!("Not CSV: {e}.")));
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = record.get(report_at).unwrap_or("").trim().to_string();
        if name.is_empty() {
            problems.push(Problem::new(
                line,
                "report",
                "Name the report this row belongs to.",
            ));
            continue;
        }
        let cell =
            |column: &str| -> &str { seen.get(column).and_then(|i| record.get(*i)).unwrap_or("") };
        let is_new = !reports.contains_key(&name);
        let g = reports.entry(name.clone()).or_insert_with(|| Gathered {
            line,
            first: Vec::new(),
            parties: Vec::new(),
            problems: Vec::new(),
        });
        if is_new {
            order.push(name.clone());
            if order.len() > MAX_REPORTS {
                break;
            }
            for (i, column) in REPORT_COLUMNS.iter().enumerate() {
                let v = cell(column);
                if !v.is_empty() {
                    g.first.push((i, v.to_string()));
                }
            }
        } else {
            for (i, column) in REPORT_COLUMNS.iter().enumerate() {
                let v = cell(column);
                if v.is_empty() {
                    continue;
                }
                let given = g
                    .first
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map(|(_, t)| t.as_str());
                if given != Some(v) {
                    g.problems.push(Problem::new(
                        line,
                        column,
                        format!(
                            "Differs from the first row of report \"{name}\" (line {}); leave it \
                             empty or repeat it.",
                            g.line
                        ),
                    ));
                }
            }
        }
        let mut party = Map::new();
        for column in PARTY_COLUMNS {
            let v = cell(column);
            if !v.is_empty() {
                put(&mut party, column.trim_start_matches("party."), v);
            }
        }
        if !party.is_empty() {
            if !party.contains_key("key") {
                let key = format!("p{}", g.parties.len() + 1);
                party.insert("key".into(), Value::String(key));
            }
            g.parties.push((line, party));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(order
        .into_iter()
        .filter_map(|name| {
            let g = reports.remove(&name)?;
            let mut obj = Map::new();
            for (i, v) in &g.first {
                if let Some(column) = REPORT_COLUMNS.get(*i) {
                    put(&mut obj, column, v);
                }
            }
            let party_lines = g.parties.iter().map(|(l, _)| *l).collect();
            let parties = g
                .parties
                .into_iter()
                .map(|(_, p)| Value::Object(p))
                .collect();
            obj.insert("parties".into(), Value::Array(parties));
            Some(Item {
                line: g.line,
                raw: RawReport::from_json(Value::Object(obj)),
                party_lines,
                name: Some(name),
                problems: g.problems,
                json: false,
            })
        })
        .collect())
}

/// Where a field error of a report belongs in its file: for CSV, a party's field is on that
/// party's row, under its column name.
fn locate(item: &Item, field: &str) -> (usize, String) {
    if let Some(rest) = field.strip_prefix("parties[") {
        if let Some((index, tail)) = rest.split_once(']') {
            if let Ok(i) = index.parse::<usize>() {
                if let Some(line) = item.party_lines.get(i) {
                    let column = format!("party{tail}");
                    return (*line, column);
                }
            }
        }
    }
    (item.line, field.to_string())
}

/// Checks every report of a file as `report::parse` checks one; all of them, or every problem.
pub fn check(items: &[Item], today: chrono::NaiveDate) -> Result<Vec<NewReport>, Vec<Problem>> {
    let mut reports = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for item in items {
        problems.extend(item.problems.iter().cloned());
        let parsed = if item.json {
            report::parse_json(&item.raw, today)
        } else {
            report::parse(&item.raw, today)
        };
        match parsed {
            Ok(r) => reports.push(r),
            Err(errors) => {
                for (field, message) in errors.iter() {
                    let (line, field) = locate(item, field);
                    let message = match &item.name {
                        Some(name) => format!("{message} (report \"{name}\")"),
                        None => message.to_string(),
                    };
                    problems.push(Problem::new(line, &field, message));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(reports)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// Imports a file: read, check, screen and store every report in one transaction, with one
/// audit-log entry naming the file's SHA-256 and the cases made. `progress` hears each stage.
pub fn import(
    conn: &mut DbConn,
    by: &Principal,
    upload: Upload<'_>,
    ws: &WorkflowSettings,
    screener: &Screener,
    now: &Now,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Imported, ImportError> {
    if !by.role.at_least(Role::Reviewer) {
        return Err(
            ServiceError::Forbidden("Importing reports needs the reviewer role.".into()).into(),
        );
    }
    let sha256 = sha256_hex(upload.bytes);
    if !upload.confirm_duplicate {
        if let Some(before) = db::imports::latest_of(conn, &sha256)? {
            return Err(ImportError::Duplicate(Box::new(before)));
        }
    }
    let items = read(upload.bytes, upload.format).map_err(refused)?;
    progress(Stage::Checking, 0, items.len());
    let reports = check(&items, now.today).map_err(refused)?;
    progress(Stage::Checking, items.len(), items.len());
    drop(items);
    let engine = screener.engine(conn)?;
    let cal = calendar(conn)?;
    let total = reports.len();
    let mut screened = Vec::with_capacity(total);
    for (i, r) in reports.iter().enumerate() {
        let r = located(r);
        let s = screening::prescreen(conn, &engine, None, &r, now.today)?;
        screened.push((r, s));
        if (i + 1) % 100 == 0 || i + 1 == total {
            progress(Stage::Screening, i + 1, total);
        }
    }
    let intake = Intake {
        by: Some(by),
        cal: &cal,
        ws,
        now,
    };
    let screened: Vec<_> = screened
        .into_iter()
        .map(|(r, s)| {
            let source = r.source;
            (r, source, s)
        })
        .collect();
    let created = db::write::<_, ServiceError, _>(conn, |conn| {
        let created = store_reports(conn, &intake, &screened, &mut |n| {
            progress(Stage::Storing, n, total)
        })?;
        let (first, last) = (created.first(), created.last());
        let count = i64::try_from(created.len()).unwrap_or(i64::MAX);
        db::imports::insert(
            conn,
            &db::imports::NewImport {
                sha256: &sha256,
                name: upload.name,
                format: upload.format.as_str(),
                actor: &by.username,
                at: now.at,
                cases: count,
                first_reference: first.map(|c| c.reference.as_str()),
                last_reference: last.map(|c| c.reference.as_str()),
            },
        )?;
        let span = match (first, last) {
            (Some(a), Some(b)) if a.reference == b.reference => a.reference.clone(),
            (Some(a), Some(b)) => format!("{} … {}", a.reference, b.reference),
            _ => String::new(),
        };
        let detail = format!(
            "{} ({}, sha256 {sha256}): {count} case(s) {span}{}",
            upload.name,
            upload.format.as_str(),
            if upload.confirm_duplicate {
                "; re-import confirmed"
            } else {
                ""
            }
        );
        db::audit::record(conn, now.at, Some(&by.username), "cases.import", &detail)?;
        Ok(created)
    })?;
    Ok(Imported {
        sha256,
        cases: created,
    })
}

/// A short account of an earlier import of the same file, for the refusal.
pub fn duplicate_message(before: &db::imports::ImportRow) -> String {
    let span = match (&before.first_reference, &before.last_reference) {
        (Some(a), Some(b)) if a == b => format!(" ({a})"),
        (Some(a), Some(b)) => format!(" ({a} … {b})"),
        _ => String::new(),
    };
    format!(
        "This file was already imported on {} UTC by {} as \"{}\": {} case(s){span}. Nothing was \
         stored; confirm to import it again.",
        before.at.format("%Y-%m-%d %H:%M"),
        before.actor,
        before.name,
        before.cases
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
