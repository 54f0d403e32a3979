//! Sensitive sites: the list and its search, add, edit, retire and restore, and CSV import and
//! export. The same calls serve the Sites page and `cordon sites`. Every change bumps the
//! `sites-version` counter (so screening rebuilds its index) and is written to the audit log,
//! in the same transaction.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{now, ServiceError};
use crate::db::sites::{NewSiteRow, SiteRow};
use crate::db::{self, DbConn, DbError};
use crate::domain::screening::SiteKind;
use crate::domain::sites::{
    neutralize, parse_site_csv, LineError, NewSite, SiteForm, SITE_COLUMNS,
};
use crate::domain::ValidationErrors;

/// Most rows the list shows at once; a search narrows the rest down.
pub const LIST_LIMIT: usize = 500;

/// Why an import was refused: the file's problems line by line, or anything else.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not acceptable; nothing was imported.
    #[error("the file has {} problem(s); nothing was imported", .0.len())]
    Lines(Vec<LineError>),
    /// Anything else (invalid list name, database trouble).
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<DbError> for ImportError {
    fn from(e: DbError) -> Self {
        ImportError::Service(e.into())
    }
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Service(e.into())
    }
}

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Sites that did not exist before (by name).
    pub added: usize,
    /// Existing sites (same name) whose fields were replaced.
    pub updated: usize,
}

/// A site as the pages show it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SiteView {
    /// The stored id.
    pub id: i64,
    /// The site's name.
    pub name: String,
    /// The stored kind (`military`, `port`, …).
    pub kind: String,
    /// The kind for people.
    pub kind_label: &'static str,
    /// Appendix A part 1–4 (military installations only).
    pub part: Option<i32>,
    /// Latitude of the centre, decimal degrees.
    pub lat: f64,
    /// Longitude of the centre, decimal degrees.
    pub lon: f64,
    /// Approximate radius of the boundary around the centre, in miles (0–50).
    pub boundary_radius_mi: f64,
    /// 1 (low) to 5 (highest).
    pub criticality: i32,
    /// Two-letter US postal code.
    pub state: Option<String>,
    /// The site counts for transactions on or after this date.
    pub listed_from: Option<NaiveDate>,
    /// The site counts for transactions before this date.
    pub listed_until: Option<NaiveDate>,
    /// Part 3 county FIPS codes.
    pub counties: Vec<String>,
    /// Free text for people.
    pub notes: String,
    /// Whether a boundary polygon replaces centre and radius.
    pub has_boundary: bool,
    /// Retired sites are kept and listed, but screening ignores them.
    pub retired: bool,
}

impl From<SiteRow> for SiteView {
    fn from(row: SiteRow) -> Self {
        SiteView {
            id: row.id,
            kind_label: SiteKind::parse(&row.kind)
                .map(SiteKind::label)
                .unwrap_or("Unknown"),
            kind: row.kind,
            name: row.name,
            part: row.part,
            lat: row.lat,
            lon: row.lon,
            boundary_radius_mi: row.boundary_radius_mi,
            criticality: row.criticality,
            state: row.us_state,
            listed_from: row.listed_from,
            listed_until: row.listed_until,
            counties: split_counties(&row.counties),
            notes: row.notes,
            has_boundary: row.boundary.is_some(),
            retired: row.retired,
        }
    }
}

/// What the list shows: a search over name, state and county codes, and a kind.
#[derive(Clone, Debug, Default)]
pub struct SiteFilter {
    /// Case-insensitive text; empty for all.
    pub q: String,
    /// Only sites of this kind, when given.
    pub kind: Option<SiteKind>,
    /// Only sites in this state (two-letter code), when given.
    pub state: Option<String>,
}

/// One page of the list.
#[derive(Clone, Debug)]
pub struct SiteList {
    /// At most `LIST_LIMIT` matching sites, by name.
    pub sites: Vec<SiteView>,
    /// How many sites match.
    pub matching: usize,
    /// How many sites there are (retired ones included).
    pub total: usize,
    /// Every matching active site, for the map (not cut to `LIST_LIMIT`).
    pub points: Vec<SitePoint>,
}

/// What the map needs of a site.
#[derive(Clone, Debug, PartialEq)]
pub struct SitePoint {
    pub id: i64,
    pub name: String,
    pub kind: Option<SiteKind>,
    pub lat: f64,
    pub lon: f64,
    pub state: Option<String>,
}

fn split_counties(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn matches(row: &SiteRow, filter: &SiteFilter, needle: &str) -> bool {
    if filter.kind.is_some_and(|k| k.as_str() != row.kind) {
        return false;
    }
    if let Some(st) = &filter.state {
        if !row
            .us_state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(st))
        {
            return false;
        }
    }
    needle.is_empty()
        || row.name.to_lowercase().contains(needle)
        || row
            .us_state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
        || split_counties(&row.counties).iter().any(|c| c == needle)
}

/// The sites matching a filter, by name (retired ones included, marked).
pub fn list_sites(conn: &mut DbConn, filter: &SiteFilter) -> Result<SiteList, ServiceError> {
    let rows = db::sites::all_sites(conn)?;
    let total = rows.len();
    let needle = filter.q.trim().to_lowercase();
    let found: Vec<SiteRow> = rows
        .into_iter()
        .filter(|r| matches(r, filter, &needle))
        .collect();
    let matching = found.len();
    let points = found
        .iter()
        .filter(|r| !r.retired)
        .map(|r| SitePoint {
            id: r.id,
            name: r.name.clone(),
            kind: SiteKind::parse(&r.kind),
            lat: r.lat,
            lon: r.lon,
            state: r.us_state.clone(),
        })
        .collect();
    Ok(SiteList {
        points,
        sites: found
            .into_iter()
            .take(LIST_LIMIT)
            .map(SiteView::from)
            .collect(),
        matching,
        total,
    })
}

fn number(x: f64) -> String {
    format!("{x}")
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A stored site as the edit form shows it (the form the user would have typed).
pub fn form_of(view: &SiteView, boundary: Option<&str>) -> SiteForm {
    SiteForm {
        name: view.name.clone(),
        kind: view.kind.clone(),
        part: view.part.map(|p| p.to_string()).unwrap_or_default(),
        lat: number(view.lat),
        lon: number(view.lon),
        boundary_radius_mi: number(view.boundary_radius_mi),
        criticality: view.criticality.to_string(),
        state: view.state.clone().unwrap_or_default(),
        listed_from: day(view.listed_from),
        listed_until: day(view.listed_until),
        counties: view.counties.join(";"),
        notes: view.notes.clone(),
        boundary: boundary.unwrap_or_default().to_string(),
    }
}

/// One site and its edit form.
pub fn site(conn: &mut DbConn, id: i64) -> Result<(SiteView, SiteForm), ServiceError> {
    let row = db::sites::find_site(conn, id)?.ok_or(ServiceError::NotFound)?;
    let boundary = row.boundary.clone();
    let view = SiteView::from(row);
    let form = form_of(&view, boundary.as_deref());
    Ok((view, form))
}

fn row_of(site: &NewSite, retired: bool, at: chrono::NaiveDateTime) -> NewSiteRow {
    NewSiteRow {
        name: site.name.clone(),
        kind: site.kind.as_str().to_string(),
        part: site.part.map(i32::from),
        lat: site.lat,
        lon: site.lon,
        boundary_radius_mi: site.boundary_radius_mi,
        criticality: i32::from(site.criticality),
        us_state: site.state.clone(),
        listed_from: site.listed_from,
        listed_until: site.listed_until,
        counties: site.counties.join(";"),
        notes: site.notes.clone(),
        boundary: site.boundary.clone(),
        retired,
        updated_at: at,
    }
}

fn name_taken() -> ServiceError {
    ValidationErrors::single("name", "Another site already has this name.").into()
}

/// Adds a site from the form. Returns its id.
pub fn add_site(
    conn: &mut DbConn,
    actor: Option<&str>,
    form: &SiteForm,
) -> Result<i64, ServiceError> {
    let site = NewSite::from_form(form)?;
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::next_counter(conn, "sites-version")?;
        if db::sites::find_site_by_name(conn, &site.name)?.is_some() {
            return Err(name_taken());
        }
        db::sites::insert_site(conn, &row_of(&site, false, at), at)?;
        let id = db::sites::find_site_by_name(conn, &site.name)?
            .ok_or(ServiceError::NotFound)?
            .id;
        db::audit::record(
            conn,
            at,
            actor,
            "sites.add",
            &format!("#{id} {} ({})", site.name, site.kind.as_str()),
        )?;
        Ok(id)
    })
}

/// Replaces a site's fields from the form (its retired flag stays as it is).
pub fn update_site(
    conn: &mut DbConn,
    actor: Option<&str>,
    id: i64,
    form: &SiteForm,
) -> Result<(), ServiceError> {
    let site = NewSite::from_form(form)?;
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::next_counter(conn, "sites-version")?;
        let old = db::sites::find_site(conn, id)?.ok_or(ServiceError::NotFound)?;
        if db::sites::find_site_by_name(conn, &site.name)?.is_some_and(|other| other.id != id) {
            return Err(name_taken());
        }
        db::sites::update_site(conn, id, &row_of(&site, old.retired, at))?;
        let renamed = if old.name == site.name {
            String::new()
        } else {
            format!(" (was {})", old.name)
        };
        db::audit::record(
            conn,
            at,
            actor,
            "sites.edit",
            &format!("#{id} {}{renamed}", site.name),
        )?;
        Ok(())
    })
}

fn set_retired(
    conn: &mut DbConn,
    actor: Option<&str>,
    id: i64,
    retired: bool,
) -> Result<String, ServiceError> {
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::next_counter(conn, "sites-version")?;
        let row = db::sites::find_site(conn, id)?.ok_or(ServiceError::NotFound)?;
        db::sites::set_retired(conn, id, retired, at)?;
        let action = if retired {
            "sites.retire"
        } else {
            "sites.restore"
        };
        db::audit::record(conn, at, actor, action, &format!("#{id} {}", row.name))?;
        Ok(row.name)
    })
}

/// Retires a site: kept and listed, but screening no longer uses it. Returns its name.
pub fn retire_site(
    conn: &mut DbConn,
    actor: Option<&str>,
    id: i64,
) -> Result<String, ServiceError> {
    set_retired(conn, actor, id, true)
}

/// Puts a retired site back in use. Returns its name.
pub fn restore_site(
    conn: &mut DbConn,
    actor: Option<&str>,
    id: i64,
) -> Result<String, ServiceError> {
    set_retired(conn, actor, id, false)
}

/// Imports a sites CSV: the whole file is checked first and refused with every line's problem;
/// a good file is written in one transaction, each site upserted by name (an existing site
/// keeps its boundary polygon and retired flag). `progress(done, total)` is called while rows
/// are written.
pub fn import_sites(
    conn: &mut DbConn,
    actor: Option<&str>,
    bytes: &[u8],
    progress: &dyn Fn(usize, usize),
) -> Result<ImportReport, ImportError> {
    let sites = parse_site_csv(bytes).map_err(ImportError::Lines)?;
    let total = sites.len();
    let at = now();
    db::write::<_, ImportError, _>(conn, |conn| {
        db::cases::next_counter(conn, "sites-version")?;
        let existing: HashMap<String, SiteRow> = db::sites::all_sites(conn)?
            .into_iter()
            .map(|r| (r.name.clone(), r))
            .collect();
        let mut report = ImportReport::default();
        let mut new_rows = Vec::new();
        progress(0, total);
        for site in &sites {
            match existing.get(&site.name) {
                Some(old) => {
                    let mut row = row_of(site, old.retired, at);
                    row.boundary = old.boundary.clone();
                    db::sites::update_site(conn, old.id, &row)?;
                    report.updated += 1;
                    progress(report.updated, total);
                }
                None => new_rows.push(row_of(site, false, at)),
            }
        }
        for (i, chunk) in new_rows.chunks(500).enumerate() {
            db::sites::insert_sites(conn, chunk, at)?;
            report.added += chunk.len();
            progress(report.updated + (i * 500) + chunk.len(), total);
        }
        db::audit::record(
            conn,
            at,
            actor,
            "sites.import",
            &format!(
                "{total} site(s) from CSV: {} added, {} updated",
                report.added, report.updated
            ),
        )?;
        Ok(report)
    })
}

/// Every site as CSV (the import's columns, header first), by name; retired sites only when
/// asked for. Text cells that a spreadsheet would run as a formula are neutralised with a
/// leading `'` (the import removes it again).
pub fn export_sites(conn: &mut DbConn, include_retired: bool) -> Result<String, ServiceError> {
    let rows = db::sites::all_sites(conn)?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| ServiceError::Internal(format!("CSV: {e}"));
    out.write_record(SITE_COLUMNS).map_err(internal)?;
    for r in rows.into_iter().filter(|r| include_retired || !r.retired) {
        out.write_record([
            neutralize(&r.name),
            r.kind.clone(),
            r.part.map(|p| p.to_string()).unwrap_or_default(),
            number(r.lat),
            number(r.lon),
            number(r.boundary_radius_mi),
            r.criticality.to_string(),
            r.us_state.clone().unwrap_or_default(),
            day(r.listed_from),
            day(r.listed_until),
            neutralize(&r.counties),
            neutralize(&r.notes),
        ])
        .map_err(internal)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ServiceError::Internal(format!("CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ServiceError::Internal(format!("CSV: {e}")))
}
