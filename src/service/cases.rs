//! Logging reports and reading, commenting on and assigning cases.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::auth::Principal;
use super::clock::Now;
use super::screening::{self, Screener};
use super::{history, ServiceError};
use crate::db::cases::{
    CaseRow, ConditionRow, DeadlineRow, NewCaseRow, NewPartyRow, PartyRow, NO_DEADLINE,
};
use crate::db::queue::QueueCase;
use crate::db::{self, DbConn};
use crate::domain::clock::Calendar;
use crate::domain::history::{Broken, ChainedEvent, EventKind};
use crate::domain::report::{LeadAgency, NewReport, Source};
use crate::domain::search;
use crate::domain::workflow::{self, received, Entry, State, WorkflowSettings};
use crate::domain::{Role, ValidationErrors};

/// The report with its county (and state) found from the point when the form left them
/// empty, using the embedded Census county boundaries.
pub fn located(report: &NewReport) -> NewReport {
    let mut r = report.clone();
    if r.property.county_fips.is_none() {
        if let Some(county) = crate::maps::county_at(r.property.lat, r.property.lon) {
            if r.property.state.is_none() {
                r.property.state = crate::domain::countries::us_state_by_fips(&county.state_fips)
                    .map(|s| s.code.to_string());
            }
            r.property.county_fips = Some(county.fips);
        }
    }
    r
}

/// The office calendar: federal holidays plus the closure days an admin added.
pub fn calendar(conn: &mut DbConn) -> Result<Calendar, ServiceError> {
    Ok(Calendar::new(
        db::closures::list(conn)?.into_iter().map(|(d, _)| d),
    ))
}

/// The words the queue searches (see `domain::search`): reference, title, summary, address
/// and party names.
pub(crate) fn search_text<'a>(
    reference: &'a str,
    title: &'a str,
    summary: &'a str,
    address: &'a str,
    parties: impl IntoIterator<Item = &'a str>,
) -> String {
    search::index_text(
        [reference, title, summary, address]
            .into_iter()
            .chain(parties),
    )
}

/// The row of a newly logged report (state lead, version 1); the demo and the benchmark data
/// start from it too.
pub(crate) fn case_row(
    reference: &str,
    r: &NewReport,
    source: Source,
    by: Option<&str>,
    received: NaiveDate,
    now: &Now,
) -> NewCaseRow {
    NewCaseRow {
        reference: reference.to_string(),
        title: r.title.clone(),
        source: source.as_str().to_string(),
        summary: r.summary.clone(),
        tx_kind: r.transaction.kind.as_str().to_string(),
        tx_date: r.transaction.date,
        tx_value_usd: r.transaction.value_usd,
        right_access: r.transaction.rights.access,
        right_exclude: r.transaction.rights.exclude,
        right_improve: r.transaction.rights.improve,
        right_affix: r.transaction.rights.affix,
        intended_use: r.transaction.intended_use.clone(),
        power_mw: r.transaction.power_mw,
        lat: r.property.lat,
        lon: r.property.lon,
        address: r.property.address.clone(),
        us_state: r.property.state.clone(),
        county_fips: r.property.county_fips.clone(),
        acreage: r.property.acreage,
        urban_area: r.property.urban_area,
        single_housing_unit: r.property.single_housing_unit,
        in_port: r.property.in_port,
        commercial_office: r.property.commercial_office,
        state: State::Lead.as_str().to_string(),
        outcome: None,
        state_since: now.today,
        assignee: None,
        lead_agency: None,
        created_by: by.map(str::to_string),
        received_on: received,
        created_at: now.at,
        updated_at: now.at,
        version: 1,
        tolled_since: None,
        extension_used: false,
        filing_number: 0,
        next_due: NO_DEADLINE,
        search_text: search_text(
            reference,
            &r.title,
            &r.summary,
            &r.property.address,
            r.parties.iter().map(|p| p.name.as_str()),
        ),
        jurisdiction: None,
        risk_score: None,
        risk_band: None,
    }
}

/// The party rows of a report, in the order given.
pub(crate) fn party_rows(case_id: i64, r: &NewReport) -> Vec<NewPartyRow> {
    r.parties
        .iter()
        .enumerate()
        .map(|(i, p)| NewPartyRow {
            case_id,
            position: i32::try_from(i).unwrap_or(i32::MAX),
            key: p.key.clone(),
            name: p.name.clone(),
            country: p.country.clone(),
            role: p.role.as_str().to_string(),
            ownership_pct: p.ownership_pct,
            owns: p.owns.clone(),
            government_controlled: p.government_controlled,
            state_owned: p.state_owned,
        })
        .collect()
}

/// The facts of a report as recorded in its `created` event.
pub fn facts_json(r: &NewReport, source: Source) -> serde_json::Value {
    json!({
        "title": r.title,
        "source": source.as_str(),
        "summary": r.summary,
        "transaction": {
            "kind": r.transaction.kind.as_str(),
            "date": r.transaction.date.map(|d| d.to_string()),
            "value_usd": r.transaction.value_usd,
            "rights": {
                "access": r.transaction.rights.access,
                "exclude": r.transaction.rights.exclude,
                "improve": r.transaction.rights.improve,
                "affix": r.transaction.rights.affix,
            },
            "intended_use": r.transaction.intended_use,
            "power_mw": r.transaction.power_mw,
        },
        "property": {
            "lat": r.property.lat,
            "lon": r.property.lon,
            "address": r.property.address,
            "state": r.property.state,
            "county_fips": r.property.county_fips,
            "acreage": r.property.acreage,
            "urban_area": r.property.urban_area,
            "single_housing_unit": r.property.single_housing_unit,
            "in_port": r.property.in_port,
            "commercial_office": r.property.commercial_office,
        },
        "parties": r.parties.iter().map(|p| json!({
            "key": p.key,
            "name": p.name,
            "country": p.country,
            "role": p.role.as_str(),
            "ownership_pct": p.ownership_pct,
            "owns": p.owns,
            "government_controlled": p.government_controlled,
            "state_owned": p.state_owned,
        })).collect::<Vec<_>>(),
    })
}

/// A new case: its id and reference.
#[derive(Clone, Debug)]
pub struct Created {
    pub id: i64,
    pub reference: String,
}

/// Logs a report as a new case in `lead`, with its triage clock and its first event. `by` is
/// the reviewer who logged it, or `None` for a public tip.
pub fn create_report(
    conn: &mut DbConn,
    by: Option<&Principal>,
    report: &NewReport,
    source: Source,
    ws: &WorkflowSettings,
    screener: &Screener,
    now: &Now,
) -> Result<Created, ServiceError> {
    let report = &located(report);
    let engine = screener.engine(conn)?;
    if let Some(p) = by {
        if !p.role.at_least(Role::Reviewer) {
            return Err(ServiceError::Forbidden(
                "Logging a report needs the reviewer role.".into(),
            ));
        }
    }
    let cal = calendar(conn)?;
    let screened = screening::prescreen(conn, &engine, None, report, now.today)?;
    let intake = Intake {
        by,
        cal: &cal,
        ws,
        now,
    };
    let one = [(report.clone(), source, screened)];
    let created = db::write::<_, ServiceError, _>(conn, |conn| {
        store_reports(conn, &intake, &one, &mut |_| {})
    })?;
    created
        .into_iter()
        .next()
        .ok_or_else(|| ServiceError::Internal("no case was stored".into()))
}

/// What every report logged together shares: who logs them, the calendar, the settings and
/// the time.
pub struct Intake<'a> {
    pub by: Option<&'a Principal>,
    pub cal: &'a Calendar,
    pub ws: &'a WorkflowSettings,
    pub now: &'a Now,
}

/// The `created` event of a report received on `received`, entering `lead` with `clock`.
pub fn created_payload(
    report: &NewReport,
    source: Source,
    received: NaiveDate,
    clock: Option<&workflow::NewDeadline>,
) -> serde_json::Value {
    let mut payload = facts_json(report, source);
    if let Some(obj) = payload.as_object_mut() {
        obj.insert("received_on".into(), json!(received.to_string()));
        obj.insert("state".into(), json!(State::Lead.as_str()));
        obj.insert("clock".into(), clock_json(clock));
    }
    payload
}

/// Stores checked, located and screened reports as new cases, inside the caller's write
/// transaction: for each, its row (answer, band and next deadline with it), parties, screening,
/// triage clock, and `created` and `screened` events, a few hundred rows per statement. A
/// single report and a file of thousands take this same path. `stored` hears how many are in.
pub(crate) fn store_reports(
    conn: &mut DbConn,
    intake: &Intake<'_>,
    reports: &[(NewReport, Source, crate::domain::screening::Screening)],
    stored: &mut dyn FnMut(usize),
) -> Result<Vec<Created>, ServiceError> {
    let Intake { by, cal, ws, now } = *intake;
    let actor = by.map(|p| p.username.as_str()).unwrap_or("public");
    let mut created = Vec::with_capacity(reports.len());
    for chunk in reports.chunks(db::bulk::ROWS) {
        // The day the office received each report, as given (a report recorded after the
        // fact), or now: after 17:00 New York, or on a weekend or holiday, a report counts from
        // the next business day. The `lead` state and its triage clock start on it, and the
        // reference is numbered in its year (the numbers of a year taken at once, in order).
        let received: Vec<NaiveDate> = chunk
            .iter()
            .map(|(r, _, _)| {
                r.received_on
                    .unwrap_or_else(|| cal.received_on(now.at.and_utc()))
            })
            .collect();
        let mut next: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
        for day in &received {
            *next.entry(day.year()).or_default() += 1;
        }
        for (year, n) in next.iter_mut() {
            *n = db::cases::take_counter(conn, &format!("reference-{year}"), *n)?;
        }
        let mut rows = Vec::with_capacity(chunk.len());
        let mut clocks = Vec::with_capacity(chunk.len());
        let mut texts = Vec::with_capacity(chunk.len());
        for ((report, source, screened), day) in chunk.iter().zip(&received) {
            let n = next
                .get_mut(&day.year())
                .ok_or_else(|| ServiceError::Internal("no reference number for a year".into()))?;
            let reference = format!("CFN-{}-{:05}", day.year(), *n);
            *n += 1;
            let clock = workflow::entry_clock(State::Lead, Entry::Normal, *day, cal, ws);
            let mut row = case_row(
                &reference,
                report,
                *source,
                by.map(|p| p.username.as_str()),
                *day,
                now,
            );
            // A report logged after 17:00 counts from the next business day, but may move today.
            row.state_since = (*day).min(now.today);
            row.next_due = clock.as_ref().map_or(NO_DEADLINE, |k| k.due);
            row.jurisdiction = Some(screened.jurisdiction.as_str().to_string());
            row.risk_score = Some(i32::from(screened.risk.score));
            row.risk_band = Some(screened.risk.band.as_str().to_string());
            texts.push(
                serde_json::to_string(screened)
                    .map_err(|e| ServiceError::Internal(e.to_string()))?,
            );
            rows.push(row);
            clocks.push(clock);
        }
        let ids = db::bulk::insert_cases(conn, &rows)?;
        let screenings: Vec<(i64, &str)> = ids
            .iter()
            .zip(&texts)
            .map(|(id, t)| (*id, t.as_str()))
            .collect();
        db::bulk::insert_screenings(conn, &screenings)?;
        let mut parties = Vec::new();
        let mut deadlines = Vec::new();
        let mut events = Vec::with_capacity(2 * chunk.len());
        for (i, &id) in ids.iter().enumerate() {
            let (Some((report, source, screened)), Some(row), Some(clock), Some(day)) =
                (chunk.get(i), rows.get(i), clocks.get(i), received.get(i))
            else {
                return Err(ServiceError::Internal(
                    "a stored case lost its report".into(),
                ));
            };
            parties.extend(party_rows(id, report));
            if let Some(k) = clock {
                deadlines.push(db::bulk::NewDeadline::of(id, k, now.at));
            }
            let opening = [
                (
                    now.at,
                    actor.to_string(),
                    EventKind::Created,
                    created_payload(report, *source, *day, clock.as_ref()),
                ),
                (
                    now.at,
                    actor.to_string(),
                    EventKind::Screened,
                    screening::screened_payload(screened),
                ),
            ];
            events.extend(
                history::chain(&row.reference, opening)
                    .into_iter()
                    .map(|mut e| {
                        e.case_id = id;
                        e
                    }),
            );
            created.push(Created {
                id,
                reference: row.reference.clone(),
            });
        }
        db::bulk::insert_parties(conn, &parties)?;
        db::bulk::insert_deadlines(conn, &deadlines)?;
        db::bulk::insert_events(conn, &events)?;
        stored(created.len());
    }
    Ok(created)
}

/// A deadline as events record it.
pub fn clock_json(k: Option<&workflow::NewDeadline>) -> serde_json::Value {
    match k {
        Some(k) => {
            json!({"kind": k.kind.as_str(), "starts": k.starts.to_string(), "due": k.due.to_string()})
        }
        None => serde_json::Value::Null,
    }
}

/// Everything the case page and the API show about one case.
#[derive(Clone, Debug)]
pub struct CaseView {
    pub case: CaseRow,
    pub parties: Vec<PartyRow>,
    pub deadlines: Vec<DeadlineRow>,
    pub conditions: Vec<ConditionRow>,
    pub events: Vec<ChainedEvent>,
    /// The stored screening, if the case was screened.
    pub screening: Option<crate::domain::screening::Screening>,
    /// The head hash when the chain verifies, or where it breaks.
    pub chain: Result<String, Broken>,
}

impl CaseView {
    pub fn state(&self) -> State {
        self.case.state.parse().unwrap_or(State::Lead)
    }

    pub fn open_deadlines(&self) -> impl Iterator<Item = &DeadlineRow> {
        self.deadlines.iter().filter(|d| d.is_open)
    }
}

pub fn view(conn: &mut DbConn, id: i64) -> Result<CaseView, ServiceError> {
    let case = db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    let parties = db::cases::parties_of(conn, id)?;
    let deadlines = db::cases::deadlines_of(conn, id)?;
    let conditions = db::cases::conditions_of(conn, id)?;
    let (events, chain) = history::load(conn, id, &case.reference)?;
    let screening = screening::stored(conn, id)?;
    Ok(CaseView {
        case,
        parties,
        deadlines,
        conditions,
        events,
        screening,
        chain,
    })
}

/// The longest comment.
pub const MAX_COMMENT: usize = 10_000;

/// Adds a comment. With a version, it must be the current one (forms send it); the API may
/// leave it out.
pub fn comment(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    body: &str,
    version: Option<i64>,
    now: &Now,
) -> Result<i64, ServiceError> {
    if !by.role.at_least(Role::Reviewer) {
        return Err(ServiceError::Forbidden(
            "Commenting needs the reviewer role.".into(),
        ));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(ValidationErrors::single("body", "Write a comment.").into());
    }
    if body.chars().take(MAX_COMMENT + 1).count() > MAX_COMMENT {
        return Err(
            ValidationErrors::single("body", format!("At most {MAX_COMMENT} characters.")).into(),
        );
    }
    crate::domain::text::check_chars(body, true)
        .map_err(|m| ServiceError::from(ValidationErrors::single("body", m)))?;
    let case = db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if version.is_some_and(|v| v != case.version) {
        return Err(db::DbError::StaleVersion.into());
    }
    db::write::<_, ServiceError, _>(conn, |conn| {
        // Without a version the comment goes on whatever version the case has once this writer
        // holds it: read under the case's lock, so that a write committed a moment ago cannot
        // make a comment that named no version stale.
        let version = match version {
            Some(v) => v,
            None => {
                db::cases::lock(conn, id)?;
                db::cases::find(conn, id)?
                    .ok_or(ServiceError::NotFound)?
                    .version
            }
        };
        db::cases::claim(conn, id, version, now.at)?;
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Commented,
            json!({ "body": body }),
            now,
        )?;
        Ok(version + 1)
    })
}

/// Sets the assignee (a reviewer or above, enabled) and the lead agency.
pub fn assign(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    assignee: Option<&str>,
    lead_agency: Option<LeadAgency>,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    if !by.role.at_least(Role::Reviewer) {
        return Err(ServiceError::Forbidden(
            "Assigning needs the reviewer role.".into(),
        ));
    }
    if let Some(name) = assignee {
        let ok = db::users::find_by_name(conn, name)?.is_some_and(|u| {
            !u.disabled
                && u.role
                    .parse::<Role>()
                    .is_ok_and(|r| r.at_least(Role::Reviewer))
        });
        if !ok {
            return Err(ValidationErrors::single(
                "assignee",
                "Choose an enabled reviewer, chair or admin.",
            )
            .into());
        }
    }
    let case = db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if version != case.version {
        return Err(db::DbError::StaleVersion.into());
    }
    let agency = lead_agency.map(|a| a.as_str().to_string());
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        db::cases::set_assignment(conn, id, assignee, agency.as_deref())?;
        let payload = json!({
            "assignee": {"old": case.assignee, "new": assignee},
            "lead_agency": {"old": case.lead_agency, "new": agency},
        });
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Assigned,
            payload,
            now,
        )?;
        Ok(version + 1)
    })
}

/// Users a case may be assigned to.
pub fn assignable(conn: &mut DbConn) -> Result<Vec<String>, ServiceError> {
    Ok(db::users::list(conn)?
        .into_iter()
        .filter(|u| {
            !u.disabled
                && u.role
                    .parse::<Role>()
                    .is_ok_and(|r| r.at_least(Role::Reviewer))
        })
        .map(|u| u.username)
        .collect())
}

/// The effective date a form or API call gave, or none.
pub fn parse_effective(raw: Option<&str>) -> Result<Option<NaiveDate>, ValidationErrors> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ValidationErrors::single("effective", "Enter a date as YYYY-MM-DD.")),
    }
}

/// One page of the queue, each case with the distinct countries of its parties (two queries
/// per page, whatever its size).
pub fn queue(
    conn: &mut DbConn,
    filter: &db::queue::Filter,
) -> Result<Vec<(QueueCase, Vec<String>)>, ServiceError> {
    let cases = db::queue::list(conn, filter)?;
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let parties = db::cases::parties_of_many(conn, &ids)?;
    Ok(cases
        .into_iter()
        .map(|c| {
            let mut countries: Vec<String> = parties
                .iter()
                .filter(|p| p.case_id == c.id)
                .map(|p| p.country.clone())
                .collect();
            countries.sort();
            countries.dedup();
            (c, countries)
        })
        .collect())
}

/// What the dashboard shows a user.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub mine: Vec<QueueCase>,
    pub due_soon: Vec<QueueCase>,
    pub overdue: Vec<QueueCase>,
    pub overdue_count: i64,
    /// Cases whose next deadline falls in the next seven days.
    pub due_soon_count: i64,
    pub by_state: Vec<(State, i64)>,
}

pub fn dashboard(
    conn: &mut DbConn,
    user: &str,
    today: NaiveDate,
) -> Result<Dashboard, ServiceError> {
    use db::queue::{list, Filter};
    let mine = list(
        conn,
        &Filter {
            assignee: Some(user.to_string()),
            limit: 10,
            ..Filter::default()
        },
    )?;
    let week = today + chrono::Duration::days(8);
    let due_soon = list(
        conn,
        &Filter {
            due_from: Some(today),
            due_before: Some(week),
            limit: 10,
            ..Filter::default()
        },
    )?;
    let overdue = list(
        conn,
        &Filter {
            due_before: Some(today),
            limit: 10,
            ..Filter::default()
        },
    )?;
    let overdue_count = db::queue::count_due(conn, None, today)?;
    let due_soon_count = db::queue::count_due(conn, Some(today), week)?;
    let counts = db::cases::count_by_state(conn)?;
    let by_state = State::ALL
        .iter()
        .map(|s| {
            (
                *s,
                counts
                    .iter()
                    .find(|(k, _)| k == s.as_str())
                    .map(|(_, n)| *n)
                    .unwrap_or(0),
            )
        })
        .collect();
    Ok(Dashboard {
        mine,
        due_soon,
        overdue,
        overdue_count,
        due_soon_count,
        by_state,
    })
}

/// The facts of a stored case, in the shape of [`facts_json`], so old and new can be compared.
pub fn stored_facts_json(case: &CaseRow, parties: &[PartyRow]) -> serde_json::Value {
    json!({
        "title": case.title,
        "source": case.source,
        "summary": case.summary,
        "transaction": {
            "kind": case.tx_kind,
            "date": case.tx_date.map(|d| d.to_string()),
            "value_usd": case.tx_value_usd,
            "rights": {
                "access": case.right_access,
                "exclude": case.right_exclude,
                "improve": case.right_improve,
                "affix": case.right_affix,
            },
            "intended_use": case.intended_use,
            "power_mw": case.power_mw,
        },
        "property": {
            "lat": case.lat,
            "lon": case.lon,
            "address": case.address,
            "state": case.us_state,
            "county_fips": case.county_fips,
            "acreage": case.acreage,
            "urban_area": case.urban_area,
            "single_housing_unit": case.single_housing_unit,
            "in_port": case.in_port,
            "commercial_office": case.commercial_office,
        },
        "parties": parties.iter().map(|p| json!({
            "key": p.key,
            "name": p.name,
            "country": p.country,
            "role": p.role,
            "ownership_pct": p.ownership_pct,
            "owns": p.owns,
            "government_controlled": p.government_controlled,
            "state_owned": p.state_owned,
        })).collect::<Vec<_>>(),
    })
}

/// Objects flattened to dotted paths (arrays stay whole: the parties change as one field).
fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// Each fact that differs: (field, old, new).
pub fn changes(
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    flatten("", old, &mut a);
    flatten("", new, &mut b);
    b.into_iter()
        .filter_map(|(k, nv)| {
            let ov = a
                .iter()
                .find(|(ak, _)| *ak == k)
                .map(|(_, v)| v.clone())
                .unwrap_or(serde_json::Value::Null);
            (ov != nv).then_some((k, ov, nv))
        })
        .collect()
}

/// An edit of a case's facts, made against `version`.
#[derive(Clone, Copy, Debug)]
pub struct Edit<'a> {
    pub report: &'a NewReport,
    pub version: i64,
}

/// Replaces a case's facts and parties (not its workflow), recording one `edited` event that
/// lists every changed field with its old and new value. Returns how many fields changed.
///
/// The received day (`report.received_on`; `None` keeps it) is a chair's correction: it is
/// refused when the history dates a move or a tolling before the new day. A case still in
/// `lead` then starts its state and its triage clock on the new day.
pub fn edit(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    edit: Edit<'_>,
    ws: &WorkflowSettings,
    screener: &Screener,
    now: &Now,
) -> Result<usize, ServiceError> {
    let Edit { report, version } = edit;
    let report = &located(report);
    let engine = screener.engine(conn)?;
    if !by.role.at_least(Role::Reviewer) {
        return Err(ServiceError::Forbidden(
            "Editing a case needs the reviewer role.".into(),
        ));
    }
    let case = db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if version != case.version {
        return Err(db::DbError::StaleVersion.into());
    }
    let parties = db::cases::parties_of(conn, id)?;
    let mut diff = changes(
        &stored_facts_json(&case, &parties),
        &facts_json(report, report.source),
    );
    let received = report.received_on.unwrap_or(case.received_on);
    if received != case.received_on {
        check_received(conn, by, &case, received)?;
        diff.push((
            "received_on".into(),
            json!(case.received_on.to_string()),
            json!(received.to_string()),
        ));
    }
    if diff.is_empty() {
        return Ok(0);
    }
    let mut row = case_row(
        &case.reference,
        report,
        report.source,
        case.created_by.as_deref(),
        received,
        now,
    );
    // Keep everything the workflow owns.
    row.state = case.state.clone();
    row.outcome = case.outcome.clone();
    row.state_since = case.state_since;
    row.assignee = case.assignee.clone();
    row.lead_agency = case.lead_agency.clone();
    row.created_at = case.created_at;
    row.version = version + 1;
    row.tolled_since = case.tolled_since;
    row.extension_used = case.extension_used;
    row.filing_number = case.filing_number;
    row.next_due = case.next_due;
    // A case still in lead starts it on the new received day, with a new triage clock.
    let lead_again = (received != case.received_on && case.state == State::Lead.as_str())
        .then(|| {
            row.state_since = received;
            let cal = calendar(conn)?;
            Ok::<_, ServiceError>(workflow::entry_clock(
                State::Lead,
                Entry::Normal,
                received,
                &cal,
                ws,
            ))
        })
        .transpose()?;
    let screened = screening::prescreen(conn, &engine, Some(&case), report, now.today)?;
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        db::cases::update_case(conn, id, &row)?;
        if let Some(clock) = &lead_again {
            db::cases::close_open_deadlines(conn, id, now.at)?;
            if let Some(k) = clock {
                db::cases::insert_deadline(
                    conn,
                    id,
                    k.kind.as_str(),
                    k.kind.label(),
                    k.starts,
                    k.due,
                    now.at,
                )?;
            }
            db::cases::refresh_next_due(conn, id)?;
        }
        db::cases::delete_parties(conn, id)?;
        db::cases::insert_parties(conn, &party_rows(id, report))?;
        let list: Vec<_> = diff
            .iter()
            .map(|(f, o, n)| json!({"field": f, "old": o, "new": n}))
            .collect();
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Edited,
            json!({ "changes": list }),
            now,
        )?;
        screening::store(conn, (id, &case.reference), &screened, &by.username, now)?;
        Ok(diff.len())
    })
}

/// Whether `by` may make `received` the received day of `case`: a chair's correction, refused
/// when the history dates a move or a tolling before it.
fn check_received(
    conn: &mut DbConn,
    by: &Principal,
    case: &CaseRow,
    received: NaiveDate,
) -> Result<(), ServiceError> {
    let refuse = |m: String| ServiceError::Validation(ValidationErrors::single("received_on", m));
    if !by.role.at_least(Role::Chair) {
        return Err(refuse(format!(
            "Only a chair may correct the received date (recorded: {}).",
            case.received_on
        )));
    }
    let events = db::events::of_case(conn, case.id)?;
    let payloads: Vec<(&str, serde_json::Value)> = events
        .iter()
        .map(|e| {
            let payload = serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null);
            (e.kind.as_str(), payload)
        })
        .collect();
    let earliest = received::earliest_dated(payloads.iter().map(|(k, p)| (*k, p)));
    match received::correction_refused(received, earliest.as_ref()) {
        Some(m) => Err(refuse(m)),
        None => Ok(()),
    }
}
