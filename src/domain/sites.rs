//! Sensitive sites and restricted-party list entries as people type them: the add/edit form,
//! the CSV files of `cordon sites import` and `cordon watchlist import`, and GeoJSON boundaries.
//! Pure: bytes and strings in, validated values or every problem (with its line) out.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::countries;
use super::report::US_STATES;
use super::screening::SiteKind;
use super::ValidationErrors;

/// The largest CSV file accepted, in bytes (checked before parsing).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// How many line errors are listed before the rest are summed up as "…and more".
pub const MAX_LINE_ERRORS: usize = 100;
/// Longest site name, in characters.
pub const MAX_SITE_NAME: usize = 200;
/// Longest site notes, in characters.
pub const MAX_NOTES: usize = 2000;
/// Largest approximate boundary radius, in miles.
pub const MAX_RADIUS_MI: f64 = 50.0;
/// Most county FIPS codes one site may list.
pub const MAX_COUNTIES: usize = 500;
/// Most points a boundary polygon may have, all rings together.
pub const MAX_BOUNDARY_POINTS: usize = 10_000;
/// Longest boundary GeoJSON text, in bytes.
pub const MAX_BOUNDARY_BYTES: usize = 1024 * 1024;
/// Longest watchlist name or alias, in characters.
pub const MAX_WATCH_NAME: usize = 300;
/// Longest watchlist program or source, in characters.
pub const MAX_WATCH_TEXT: usize = 200;
/// Most aliases one watchlist entry may have.
pub const MAX_ALIASES: usize = 100;
/// Longest watchlist (list) name, in characters.
pub const MAX_LIST_NAME: usize = 100;

/// The columns of a sites CSV, in order (the header row must be exactly these).
pub const SITE_COLUMNS: [&str; 12] = [
    "name",
    "kind",
    "part",
    "lat",
    "lon",
    "boundary_radius_mi",
    "criticality",
    "state",
    "listed_from",
    "listed_until",
    "counties",
    "notes",
];

/// The columns of a watchlist CSV, in order.
pub const WATCH_COLUMNS: [&str; 5] = ["name", "aliases", "country", "program", "source"];

/// The earliest listing date accepted.
const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
/// The latest listing date accepted.
const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// One problem of an imported file. Line 0 concerns the whole file (e.g. its size).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    /// 1-based line of the file where the record starts; 0 for the file as a whole.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// A site as typed in the add/edit form (every field as text, kept as typed on errors).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct SiteForm {
    /// The name, unique among sites.
    #[serde(default)]
    pub name: String,
    /// What kind of site (as typed: `military`, `port`, …).
    #[serde(default)]
    pub kind: String,
    /// Appendix A part 1–4 (military installations only).
    #[serde(default)]
    pub part: String,
    /// Latitude of the centre, decimal degrees.
    #[serde(default)]
    pub lat: String,
    /// Longitude of the centre, decimal degrees.
    #[serde(default)]
    pub lon: String,
    /// Approximate radius of the boundary around the centre, in miles (0–50).
    #[serde(default)]
    pub boundary_radius_mi: String,
    /// 1 (low) to 5 (highest).
    #[serde(default)]
    pub criticality: String,
    /// Two-letter US postal code.
    #[serde(default)]
    pub state: String,
    /// The site counts for transactions on or after this date.
    #[serde(default)]
    pub listed_from: String,
    /// The site counts for transactions before this date.
    #[serde(default)]
    pub listed_until: String,
    /// `;`-separated county FIPS codes.
    #[serde(default)]
    pub counties: String,
    /// Free text for people.
    #[serde(default)]
    pub notes: String,
    /// GeoJSON Polygon or MultiPolygon (form only; the CSV has no such column).
    #[serde(default)]
    pub boundary: String,
}

/// A valid site, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSite {
    /// The name, unique among sites.
    pub name: String,
    /// What kind of site.
    pub kind: SiteKind,
    /// Appendix A part 1–4 (military installations only).
    pub part: Option<u8>,
    /// Latitude of the centre, decimal degrees.
    pub lat: f64,
    /// Longitude of the centre, decimal degrees.
    pub lon: f64,
    /// Approximate radius of the boundary around the centre, in miles (0–50).
    pub boundary_radius_mi: f64,
    /// 1 (low) to 5 (highest).
    pub criticality: u8,
    /// Two-letter US postal code.
    pub state: Option<String>,
    /// The site counts for transactions on or after this date.
    pub listed_from: Option<NaiveDate>,
    /// The site counts for transactions before this date.
    pub listed_until: Option<NaiveDate>,
    /// 5-digit county FIPS codes, without repeats, in the order given.
    pub counties: Vec<String>,
    /// Free text for people.
    pub notes: String,
    /// The boundary as compact GeoJSON geometry text (`{"type":"Polygon",…}`).
    pub boundary: Option<String>,
}

/// A valid restricted-party list entry, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct NewWatch {
    /// The name as listed.
    pub name: String,
    /// Other names the entry is known by.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    /// The sanctions or restriction program.
    pub program: String,
    /// Where the entry comes from.
    pub source: String,
}

/// A value shortened for an error message, so a huge cell does not flood the answer.
fn shown(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 40 {
        let head: String = s.chars().take(40).collect();
        format!("\"{head}…\"")
    } else {
        format!("\"{s}\"")
    }
}

/// Trimmed text of at most `max` characters without control characters (tab and line breaks
/// allowed when `multiline`) or direction overrides (`domain::text`); `required` refuses an
/// empty value.
fn text(s: &str, max: usize, required: bool, multiline: bool) -> Result<String, String> {
    let s = s.trim();
    if required && s.is_empty() {
        return Err("Required.".into());
    }
    let n = s.chars().count();
    if n > max {
        return Err(format!("At most {max} characters (this has {n})."));
    }
    super::text::check_chars(s, multiline)?;
    Ok(s.to_string())
}

fn kind(s: &str) -> Result<SiteKind, String> {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err("Required.".into());
    }
    SiteKind::parse(&s).ok_or_else(|| {
        let all: Vec<&str> = SiteKind::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "{} is not a kind; use one of {}.",
            shown(&s),
            all.join(", ")
        )
    })
}

fn part(s: &str, kind: Option<SiteKind>) -> Result<Option<u8>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let p = match s.parse::<u8>() {
        Ok(p @ 1..=4) => p,
        _ => return Err(format!("{} is not an Appendix A part (1 to 4).", shown(s))),
    };
    match kind {
        Some(SiteKind::Military) | None => Ok(Some(p)),
        Some(_) => Err("Only military installations have an Appendix A part.".into()),
    }
}

/// A finite decimal number within `min..=max`.
fn number(s: &str, min: f64, max: f64) -> Result<f64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Required.".into());
    }
    let x = match s.parse::<f64>() {
        Ok(x) if x.is_finite() => x,
        _ => return Err(format!("{} is not a number.", shown(s))),
    };
    if x < min || x > max {
        return Err(format!("{s} is not between {min} and {max}."));
    }
    // No negative zero in storage or exports.
    Ok(if x == 0.0 { 0.0 } else { x })
}

fn radius(s: &str) -> Result<f64, String> {
    if s.trim().is_empty() {
        return Ok(0.0);
    }
    number(s, 0.0, MAX_RADIUS_MI)
}

fn criticality(s: &str) -> Result<u8, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Required (1 to 5).".into());
    }
    match s.parse::<u8>() {
        Ok(c @ 1..=5) => Ok(c),
        _ => Err(format!(
            "{} is not a criticality (a whole number 1 to 5).",
            shown(s)
        )),
    }
}

fn state(s: &str) -> Result<Option<String>, String> {
    let s = s.trim().to_ascii_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    if US_STATES.contains(&s.as_str()) {
        Ok(Some(s))
    } else {
        Err(format!(
            "{} is not a US state or territory postal code (e.g. WY).",
            shown(&s)
        ))
    }
}

fn date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || format!("{} is not a date (YYYY-MM-DD).", shown(s));
    let ok_shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !ok_shape {
        return Err(bad());
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad())?;
    if d < EARLIEST || d > LATEST {
        return Err(format!("{s} is not between {EARLIEST} and {LATEST}."));
    }
    Ok(Some(d))
}

fn counties(s: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for code in s.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{} is not a county FIPS code (5 digits, e.g. 56021); separate codes with ';'.",
                shown(code)
            ));
        }
        if !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
    }
    if out.len() > MAX_COUNTIES {
        return Err(format!("At most {MAX_COUNTIES} counties."));
    }
    Ok(out)
}

fn position(p: &Value, at: &str) -> Result<(f64, f64), String> {
    let coords = p
        .as_array()
        .filter(|a| a.len() == 2 || a.len() == 3)
        .ok_or_else(|| format!("{at}: each point must be [longitude, latitude]."))?;
    let lon = coords.first().and_then(Value::as_f64);
    let lat = coords.get(1).and_then(Value::as_f64);
    match (lon, lat) {
        (Some(lon), Some(lat))
            if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) =>
        {
            Ok((lon, lat))
        }
        (Some(_), Some(_)) => Err(format!(
            "{at}: a point is outside longitude -180..180 / latitude -90..90 (GeoJSON puts longitude first)."
        )),
        _ => Err(format!("{at}: each point must be [longitude, latitude] numbers.")),
    }
}

fn ring(r: &Value, at: &str, points: &mut usize) -> Result<Value, String> {
    let pts = r
        .as_array()
        .ok_or_else(|| format!("{at} must be a list of points."))?;
    if pts.len() < 4 {
        return Err(format!(
            "{at} has {} points; a ring needs at least 4 (the last repeating the first).",
            pts.len()
        ));
    }
    *points += pts.len();
    if *points > MAX_BOUNDARY_POINTS {
        return Err(format!(
            "The boundary has more than {MAX_BOUNDARY_POINTS} points; simplify it."
        ));
    }
    let parsed = pts
        .iter()
        .map(|p| position(p, at))
        .collect::<Result<Vec<_>, _>>()?;
    if parsed.first() != parsed.last() {
        return Err(format!(
            "{at} is not closed: its last point must repeat its first."
        ));
    }
    Ok(Value::Array(
        parsed
            .into_iter()
            .map(|(lon, lat)| serde_json::json!([lon, lat]))
            .collect(),
    ))
}

fn polygon(p: &Value, at: &str, points: &mut usize) -> Result<Value, String> {
    let rings = p
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| format!("{at} must be a non-empty list of rings."))?;
    let mut out = Vec::with_capacity(rings.len());
    for (i, r) in rings.iter().enumerate() {
        out.push(ring(r, &format!("{at}, ring {}", i + 1), points)?);
    }
    Ok(Value::Array(out))
}

/// Validates a boundary given as GeoJSON (a Polygon or MultiPolygon geometry, or a Feature
/// holding one): rings of [longitude, latitude] numbers, each closed with at least 4 points,
/// at most 10,000 points in all. Returns compact geometry text, or `None` for an empty input.
pub fn parse_boundary(input: &str) -> Result<Option<String>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    if input.len() > MAX_BOUNDARY_BYTES {
        return Err(format!(
            "The boundary is larger than {} KB; simplify it.",
            MAX_BOUNDARY_BYTES / 1024
        ));
    }
    let value: Value =
        serde_json::from_str(input).map_err(|e| format!("This is not valid JSON ({e})."))?;
    let geometry = match value.get("type").and_then(Value::as_str) {
        Some("Feature") => value
            .get("geometry")
            .filter(|g| g.is_object())
            .ok_or("This Feature has no geometry.")?,
        _ => &value,
    };
    let kind = geometry
        .get("type")
        .and_then(Value::as_str)
        .ok_or("Give a GeoJSON geometry with a \"type\" (Polygon or MultiPolygon).")?;
    let coords = geometry
        .get("coordinates")
        .ok_or("The geometry has no \"coordinates\".")?;
    let mut points = 0;
    let normalized = match kind {
        "Polygon" => polygon(coords, "Polygon", &mut points)?,
        "MultiPolygon" => {
            let polys = coords
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or("A MultiPolygon needs a non-empty list of polygons.")?;
            let mut out = Vec::with_capacity(polys.len());
            for (i, p) in polys.iter().enumerate() {
                out.push(polygon(p, &format!("Polygon {}", i + 1), &mut points)?);
            }
            Value::Array(out)
        }
        other => {
            return Err(format!(
                "The geometry must be a Polygon or MultiPolygon, not {}.",
                shown(other)
            ))
        }
    };
    Ok(Some(
        serde_json::json!({"type": kind, "coordinates": normalized}).to_string(),
    ))
}

/// The message of a failed field, if it failed.
fn problem<T>(r: &Result<T, String>) -> Option<&str> {
    r.as_ref().err().map(String::as_str)
}

impl NewSite {
    /// Validates every field of the form; errors are keyed by the form's field names (which
    /// are also the CSV column names, plus `boundary`).
    pub fn from_form(form: &SiteForm) -> Result<NewSite, ValidationErrors> {
        let name = text(&form.name, MAX_SITE_NAME, true, false);
        let kind = kind(&form.kind);
        let part = part(&form.part, kind.as_ref().ok().copied());
        let lat = number(&form.lat, -90.0, 90.0);
        let lon = number(&form.lon, -180.0, 180.0);
        let radius = radius(&form.boundary_radius_mi);
        let criticality = criticality(&form.criticality);
        let state = state(&form.state);
        let from = date(&form.listed_from);
        let until = date(&form.listed_until);
        let counties = counties(&form.counties);
        let notes = text(&form.notes, MAX_NOTES, false, true);
        let boundary = parse_boundary(&form.boundary);
        let mut errors = ValidationErrors::new();
        let problems = [
            ("name", problem(&name)),
            ("kind", problem(&kind)),
            ("part", problem(&part)),
            ("lat", problem(&lat)),
            ("lon", problem(&lon)),
            ("boundary_radius_mi", problem(&radius)),
            ("criticality", problem(&criticality)),
            ("state", problem(&state)),
            ("listed_from", problem(&from)),
            ("listed_until", problem(&until)),
            ("counties", problem(&counties)),
            ("notes", problem(&notes)),
            ("boundary", problem(&boundary)),
        ];
        for (field, message) in problems {
            if let Some(m) = message {
                errors.add(field, m);
            }
        }
        if let (Ok(Some(f)), Ok(Some(u))) = (&from, &until) {
            if u <= f {
                errors.add(
                    "listed_until",
                    format!("{u} is not after listed_from ({f})."),
                );
            }
        }
        match (
            name,
            kind,
            part,
            lat,
            lon,
            radius,
            criticality,
            state,
            from,
            until,
            counties,
            notes,
            boundary,
        ) {
            (
                Ok(name),
                Ok(kind),
                Ok(part),
                Ok(lat),
                Ok(lon),
                Ok(boundary_radius_mi),
                Ok(criticality),
                Ok(state),
                Ok(listed_from),
                Ok(listed_until),
                Ok(counties),
                Ok(notes),
                Ok(boundary),
            ) if errors.is_empty() => Ok(NewSite {
                name,
                kind,
                part,
                lat,
                lon,
                boundary_radius_mi,
                criticality,
                state,
                listed_from,
                listed_until,
                counties,
                notes,
                boundary,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a spreadsheet would read a cell as a formula (so an export must neutralise it).
fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell made safe for spreadsheets: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`, so it is shown as text instead of run as a formula.
/// Numeric columns are written as they are.
pub fn neutralize(cell: &str) -> String {
    if looks_like_formula(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Undoes `neutralize` on import, so an exported file imports back to the same values.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// Line errors, capped at `MAX_LINE_ERRORS` plus one "…and more".
#[derive(Default)]
struct Errors {
    list: Vec<LineError>,
    full: bool,
}

impl Errors {
    fn push(&mut self, line: usize, message: impl Into<String>) {
        if self.full {
            return;
        }
        if self.list.len() >= MAX_LINE_ERRORS {
            self.list.push(LineError {
                line,
                message: format!(
                    "…and more errors from here on (only the first {MAX_LINE_ERRORS} are listed)."
                ),
            });
            self.full = true;
        } else {
            self.list.push(LineError {
                line,
                message: message.into(),
            });
        }
    }
}

fn megabytes(n: usize) -> String {
    format!("{:.1}", n as f64 / (1024.0 * 1024.0))
}

/// Reads a CSV file with exactly `columns` as its header and hands every data row (line, cells)
/// to `row`. File-level problems (size, header, encoding, column count) go to `errors`.
fn read_csv(
    bytes: &[u8],
    columns: &[&str],
    errors: &mut Errors,
    mut row: impl FnMut(usize, Vec<String>, &mut Errors),
) {
    if bytes.len() > MAX_FILE_BYTES {
        errors.push(
            0,
            format!(
                "The file is {} MB; the limit is {} MB. Nothing was read.",
                megabytes(bytes.len()),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
        return;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let expected = columns.join(",");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut header_seen = false;
    while !errors.full {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .and_then(|p| usize::try_from(p.line()).ok())
                    .unwrap_or(0);
                errors.push(line, format!("The CSV cannot be read: {e}."));
                return;
            }
        }
        let line = record
            .position()
            .and_then(|p| usize::try_from(p.line()).ok())
            .unwrap_or(0);
        let mut cells = Vec::with_capacity(record.len());
        let mut bad_utf8 = None;
        for (i, cell) in record.iter().enumerate() {
            match std::str::from_utf8(cell) {
                Ok(s) => cells.push(s.to_string()),
                Err(_) => {
                    bad_utf8 = Some(i);
                    break;
                }
            }
        }
        if let Some(i) = bad_utf8 {
            let column = columns
                .get(i)
                .map(|c| format!("column {} ({c})", i + 1))
                .unwrap_or_else(|| format!("column {}", i + 1));
            errors.push(
                line,
                format!("{column} is not valid UTF-8 text; save the file as UTF-8."),
            );
            if !header_seen {
                return;
            }
            continue;
        }
        if !header_seen {
            header_seen = true;
            let found: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
            if found != columns {
                let detail = columns
                    .iter()
                    .zip(found.iter().chain(std::iter::repeat(&"")))
                    .enumerate()
                    .find(|(_, (want, got))| want != got)
                    .map(|(i, (want, got))| {
                        if got.is_empty() {
                            format!("column {} should be `{want}` but is missing", i + 1)
                        } else {
                            format!("column {} should be `{want}` but is {}", i + 1, shown(got))
                        }
                    })
                    .unwrap_or_else(|| {
                        format!(
                            "it has {} columns instead of {}",
                            found.len(),
                            columns.len()
                        )
                    });
                errors.push(
                    line,
                    format!("The header row must be exactly `{expected}`: {detail}."),
                );
                return;
            }
            continue;
        }
        if cells.len() != columns.len() {
            errors.push(
                line,
                format!(
                    "Expected {} columns ({expected}), found {}.",
                    columns.len(),
                    cells.len()
                ),
            );
            continue;
        }
        row(line, cells, errors);
    }
    if !header_seen {
        errors.push(
            1,
            format!("The file is empty: its first line must be the header `{expected}`."),
        );
    }
}

/// Parses a sites CSV (header `name,kind,part,lat,lon,boundary_radius_mi,criticality,state,
/// listed_from,listed_until,counties,notes`). Every row is validated; names must be unique
/// within the file. Returns every site, or every problem with its line (at most
/// `MAX_LINE_ERRORS`, then "…and more").
pub fn parse_site_csv(bytes: &[u8]) -> Result<Vec<NewSite>, Vec<LineError>> {
    let mut errors = Errors::default();
    let mut sites = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    read_csv(bytes, &SITE_COLUMNS, &mut errors, |line, cells, errors| {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let form = SiteForm {
            name: unneutralize(cell(0).trim()).to_string(),
            kind: cell(1).to_string(),
            part: cell(2).to_string(),
            lat: cell(3).to_string(),
            lon: cell(4).to_string(),
            boundary_radius_mi: cell(5).to_string(),
            criticality: cell(6).to_string(),
            state: cell(7).to_string(),
            listed_from: cell(8).to_string(),
            listed_until: cell(9).to_string(),
            counties: unneutralize(cell(10).trim()).to_string(),
            notes: unneutralize(cell(11).trim()).to_string(),
            boundary: String::new(),
        };
        let name = form.name.trim().to_string();
        if !name.is_empty() {
            if let Some(first) = seen.get(&name) {
                errors.push(
                    line,
                    format!(
                        "name: {} is a duplicate (first on line {first}); names must be unique.",
                        shown(&name)
                    ),
                );
            } else {
                seen.insert(name, line);
            }
        }
        match NewSite::from_form(&form) {
            Ok(site) => sites.push(site),
            Err(v) => {
                for column in SITE_COLUMNS {
                    if v.has(column) {
                        errors.push(line, format!("{column}: {}", v.get(column)));
                    }
                }
            }
        }
    });
    if errors.list.is_empty() {
        Ok(sites)
    } else {
        Err(errors.list)
    }
}

/// Validates a watchlist (list) name: 1–100 characters, no control characters.
pub fn parse_list_name(s: &str) -> Result<String, String> {
    text(s, MAX_LIST_NAME, true, false)
}

/// Validates one watchlist entry from its text fields (aliases `;`-separated).
fn watch_entry(cells: [&str; 5]) -> Result<NewWatch, Vec<(&'static str, String)>> {
    let [name, aliases, country, program, source] = cells;
    let mut errors = Vec::new();
    let name = text(name, MAX_WATCH_NAME, true, false)
        .map_err(|m| errors.push(("name", m)))
        .ok();
    let mut list: Vec<String> = Vec::new();
    for alias in aliases.split(';').map(str::trim).filter(|a| !a.is_empty()) {
        match text(alias, MAX_WATCH_NAME, true, false) {
            Ok(a) if !list.contains(&a) => list.push(a),
            Ok(_) => {}
            Err(m) => {
                errors.push(("aliases", format!("{}: {m}", shown(alias))));
                break;
            }
        }
    }
    if list.len() > MAX_ALIASES {
        errors.push(("aliases", format!("At most {MAX_ALIASES} aliases.")));
    }
    let country = country.trim().to_ascii_uppercase();
    let country = if country.is_empty() {
        None
    } else if country.len() == 2 && countries::is_country(&country) {
        Some(country)
    } else {
        errors.push((
            "country",
            format!(
                "{} is not an ISO 3166-1 alpha-2 country code (e.g. CN).",
                shown(&country)
            ),
        ));
        None
    };
    let program = text(program, MAX_WATCH_TEXT, false, false)
        .map_err(|m| errors.push(("program", m)))
        .ok();
    let source = text(source, MAX_WATCH_TEXT, false, false)
        .map_err(|m| errors.push(("source", m)))
        .ok();
    match (name, program, source) {
        (Some(name), Some(program), Some(source)) if errors.is_empty() => Ok(NewWatch {
            name,
            aliases: list,
            country,
            program,
            source,
        }),
        _ => Err(errors),
    }
}

/// Parses a watchlist CSV (header `name,aliases,country,program,source`, aliases
/// `;`-separated). Returns every entry, or every problem with its line.
pub fn parse_watch_csv(bytes: &[u8]) -> Result<Vec<NewWatch>, Vec<LineError>> {
    let mut errors = Errors::default();
    let mut entries = Vec::new();
    read_csv(bytes, &WATCH_COLUMNS, &mut errors, |line, cells, errors| {
        let cell = |i: usize| unneutralize(cells.get(i).map(|c| c.trim()).unwrap_or(""));
        match watch_entry([cell(0), cell(1), cell(2), cell(3), cell(4)]) {
            Ok(entry) => entries.push(entry),
            Err(problems) => {
                for (column, message) in problems {
                    errors.push(line, format!("{column}: {message}"));
                }
            }
        }
    });
    if errors.list.is_empty() {
        Ok(entries)
    } else {
        Err(errors.list)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const HEADER: &str =
        "name,kind,part,lat,lon,boundary_radius_mi,criticality,state,listed_from,listed_until,counties,notes\n";

    fn csv(rows: &str) -> Vec<u8> {
        format!("{HEADER}{rows}").into_bytes()
    }

    fn errors(bytes: &[u8]) -> Vec<String> {
        parse_site_csv(bytes)
            .expect_err("refused")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn good_file_parses_every_field() {
        let sites = parse_site_csv(&csv(
            "F.E. Warren AFB,military,3,41.1333,-104.8667,2.5,5,wy,2023-09-22,,56021;56015;56021,ICBM wing\n\
             \"Port of Long Beach\",port,,33.754,-118.216,3,4,CA,,,,\"Notes, with a comma\"\n",
        ))
        .unwrap();
        assert_eq!(sites.len(), 2);
        let w = &sites[0];
        assert_eq!(w.kind, SiteKind::Military);
        assert_eq!(w.part, Some(3));
        assert_eq!(w.state.as_deref(), Some("WY"));
        assert_eq!(w.counties, vec!["56021", "56015"]);
        assert_eq!(w.listed_from, NaiveDate::from_ymd_opt(2023, 9, 22));
        assert_eq!(sites[1].notes, "Notes, with a comma");
        assert_eq!(sites[1].part, None);
    }

    #[test]
    fn bom_and_blank_lines_are_fine_and_header_only_is_empty() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(csv("\nA,other,,1,2,0,1,,,,,\n"));
        assert_eq!(parse_site_csv(&bytes).unwrap().len(), 1);
        assert!(parse_site_csv(HEADER.as_bytes()).unwrap().is_empty());
    }

    #[test]
    fn each_problem_names_its_line() {
        let e = errors(b"name,kind,lat\nA,port,1\n");
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("line 1:") && e[0].contains("column 3 should be `part`"),
            "{e:?}"
        );
        let e = errors(&csv("A,port,,91,0,0,1,,,,,\n"));
        assert!(
            e[0].starts_with("line 2: lat:") && e[0].contains("91"),
            "{e:?}"
        );
        let e = errors(&csv("A,port,,1,0,0,1,,,,,\nB,port,,x1,0,0,1,,,,,\n"));
        assert!(
            e[0].starts_with("line 3: lat:") && e[0].contains("not a number"),
            "{e:?}"
        );
        let e = errors(&csv("A,port,,1,0,0,1,,,,,\nA,port,,1,0,0,1,,,,,\n"));
        assert!(
            e[0].starts_with("line 3: name:") && e[0].contains("first on line 2"),
            "{e:?}"
        );
        let e = errors(&csv("A,port,,1,0,0,1,,2024-02-30,,,\n"));
        assert!(e[0].starts_with("line 2: listed_from:"), "{e:?}");
        let e = errors(&csv("A,port,,1,0,0,1,,2024-02-03,2024-02-01,,\n"));
        assert!(e[0].starts_with("line 2: listed_until:"), "{e:?}");
        let e = errors(&csv("A,port,2,1,0,0,1,,,,,\n"));
        assert!(e[0].contains("part: Only military"), "{e:?}");
        let e = errors(&csv("A,port,,1,0,51,6,ZZ,,,5602,\n"));
        assert_eq!(e.len(), 4, "{e:?}");
        let e = errors(&csv("A,port,,1,0\n"));
        assert!(e[0].contains("found 5"), "{e:?}");
        let e = errors(&csv("A,castle,,1,0,0,1,,,,,\n"));
        assert!(
            e[0].contains("kind:") && e[0].contains("data_center"),
            "{e:?}"
        );
        let e = errors(&csv("A,port,,NaN,inf,0,1,,,,,\n"));
        assert_eq!(e.len(), 2, "{e:?}");
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let mut bytes = csv("A,port,,1,0,0,1,,,,,\n");
        bytes.extend(b"B\xff,port,,1,0,0,1,,,,,\n");
        let e = errors(&bytes);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("line 3:") && e[0].contains("UTF-8"),
            "{e:?}"
        );
    }

    #[test]
    fn oversized_and_empty_files_are_refused() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        let e = errors(&big);
        assert!(e[0].contains("limit is 20 MB"), "{e:?}");
        let e = errors(b"");
        assert!(e[0].contains("empty"), "{e:?}");
    }

    #[test]
    fn errors_stop_after_the_cap() {
        let rows: String = (0..300)
            .map(|i| format!("S{i},port,,99,0,0,1,,,,,\n"))
            .collect();
        let e = errors(&csv(&rows));
        assert_eq!(e.len(), MAX_LINE_ERRORS + 1);
        assert!(e[MAX_LINE_ERRORS].contains("and more"));
    }

    #[test]
    fn formula_cells_are_neutralised_and_come_back() {
        assert_eq!(neutralize("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralize("Fort"), "Fort");
        let sites = parse_site_csv(&csv("'=cmd,port,,1,0,0,1,,,,,'@x\n")).unwrap();
        assert_eq!(sites[0].name, "=cmd");
        assert_eq!(sites[0].notes, "@x");
    }

    #[test]
    fn form_errors_are_keyed_by_field() {
        let form = SiteForm {
            name: " ".into(),
            kind: "military".into(),
            part: "5".into(),
            lat: "41".into(),
            lon: "-200".into(),
            criticality: "3".into(),
            boundary: "{\"type\":\"Point\",\"coordinates\":[1,2]}".into(),
            ..SiteForm::default()
        };
        let e = NewSite::from_form(&form).unwrap_err();
        for f in ["name", "part", "lon", "boundary"] {
            assert!(e.has(f), "{f}: {e}");
        }
        assert!(!e.has("lat") && !e.has("kind"));
        let ok = SiteForm {
            name: "X".into(),
            kind: "water".into(),
            lat: "1".into(),
            lon: "2".into(),
            criticality: "2".into(),
            ..SiteForm::default()
        };
        let s = NewSite::from_form(&ok).unwrap();
        assert_eq!(s.boundary_radius_mi, 0.0);
        assert_eq!(s.boundary, None);
    }

    #[test]
    fn boundaries_are_checked() {
        let square = "[[-104.9,41.1],[-104.8,41.1],[-104.8,41.2],[-104.9,41.2],[-104.9,41.1]]";
        let poly = format!("{{\"type\":\"Polygon\",\"coordinates\":[{square}]}}");
        let text = parse_boundary(&poly).unwrap().unwrap();
        assert!(text.contains("\"type\":\"Polygon\"") && text.contains("[-104.9,41.1]"));
        let multi =
            format!("{{\"type\":\"MultiPolygon\",\"coordinates\":[[{square}],[{square}]]}}");
        assert!(parse_boundary(&multi).unwrap().is_some());
        let feature = format!("{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{poly}}}");
        assert!(parse_boundary(&feature)
            .unwrap()
            .unwrap()
            .contains("Polygon"));
        assert_eq!(parse_boundary("  ").unwrap(), None);
        let open = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}";
        assert!(parse_boundary(open).unwrap_err().contains("not closed"));
        let short = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}";
        assert!(parse_boundary(short).unwrap_err().contains("at least 4"));
        let far = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,91],[0,0]]]}";
        assert!(parse_boundary(far).unwrap_err().contains("outside"));
        let text_pts = "{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",0],[1,0],[1,1],[\"a\",0]]]}";
        assert!(parse_boundary(text_pts).unwrap_err().contains("numbers"));
        assert!(parse_boundary("{nope")
            .unwrap_err()
            .contains("not valid JSON"));
        let many: Vec<String> = (0..10_001)
            .map(|i| format!("[{},0]", f64::from(i) * 1e-5))
            .collect();
        let huge = format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[[{},[0,0]]]}}",
            many.join(",")
        );
        assert!(parse_boundary(&huge).unwrap_err().contains("10000"));
        let deep = "[".repeat(10_000);
        assert!(parse_boundary(&deep).is_err());
    }

    #[test]
    fn watch_csv() {
        let ok = parse_watch_csv(
            b"name,aliases,country,program,source\n\
              Huawei Technologies Co. Ltd., HUAWEI ; Huawei Tech;,cn,Entity List,BIS\n\
              Nobody,,,,\n",
        )
        .unwrap();
        assert_eq!(ok[0].aliases, vec!["HUAWEI", "Huawei Tech"]);
        assert_eq!(ok[0].country.as_deref(), Some("CN"));
        assert_eq!(ok[1].country, None);
        let e = parse_watch_csv(b"name,aliases,country,program,source\n,,XX,,\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].line, 2);
        let e = parse_watch_csv(b"name,aliases\nA,B\n").unwrap_err();
        assert!(e[0].message.contains("country"), "{e:?}");
        assert!(parse_list_name("").is_err() && parse_list_name("OFAC SDN").is_ok());
    }
}
