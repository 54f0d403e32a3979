//! Cases and what hangs off them (parties, deadlines, conditions), and the queue query.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    case_counts, case_screenings, cases, conditions, counters, deadlines, parties,
};
use super::{DbConn, DbError};

/// `next_due` of a case with no open deadline; keeps the column sortable on both backends.
pub const NO_DEADLINE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub source: String,
    pub summary: String,
    pub tx_kind: String,
    pub tx_date: Option<NaiveDate>,
    pub tx_value_usd: Option<i64>,
    pub right_access: bool,
    pub right_exclude: bool,
    pub right_improve: bool,
    pub right_affix: bool,
    pub intended_use: String,
    pub power_mw: Option<f64>,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub us_state: Option<String>,
    pub county_fips: Option<String>,
    pub acreage: Option<f64>,
    pub urban_area: bool,
    pub single_housing_unit: bool,
    pub in_port: bool,
    pub commercial_office: bool,
    pub state: String,
    pub outcome: Option<String>,
    pub state_since: NaiveDate,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    pub created_by: Option<String>,
    pub received_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub tolled_since: Option<NaiveDate>,
    pub extension_used: bool,
    pub filing_number: i32,
    pub next_due: NaiveDate,
    pub search_text: String,
    pub jurisdiction: Option<String>,
    pub risk_score: Option<i32>,
    pub risk_band: Option<String>,
    /// JSON of the reviewer's T/V/C overrides.
    pub risk_overrides: String,
}

/// The facts of a new case (everything but the id).
#[derive(Clone, Debug, Insertable, AsChangeset)]
#[diesel(table_name = cases)]
pub struct NewCaseRow {
    pub reference: String,
    pub title: String,
    pub source: String,
    pub summary: String,
    pub tx_kind: String,
    pub tx_date: Option<NaiveDate>,
    pub tx_value_usd: Option<i64>,
    pub right_access: bool,
    pub right_exclude: bool,
    pub right_improve: bool,
    pub right_affix: bool,
    pub intended_use: String,
    pub power_mw: Option<f64>,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub us_state: Option<String>,
    pub county_fips: Option<String>,
    pub acreage: Option<f64>,
    pub urban_area: bool,
    pub single_housing_unit: bool,
    pub in_port: bool,
    pub commercial_office: bool,
    pub state: String,
    pub outcome: Option<String>,
    pub state_since: NaiveDate,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    pub created_by: Option<String>,
    pub received_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub tolled_since: Option<NaiveDate>,
    pub extension_used: bool,
    pub filing_number: i32,
    pub next_due: NaiveDate,
    pub search_text: String,
    /// The screening's answer and band when known at insert (`cordon bench-data`); a logged
    /// report leaves them unset and `set_answer` writes them with its screening. An edit's
    /// changeset leaves them as they are.
    pub jurisdiction: Option<String>,
    pub risk_score: Option<i32>,
    pub risk_band: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = parties)]
pub struct PartyRow {
    pub id: i64,
    pub case_id: i64,
    pub position: i32,
    pub key: String,
    pub name: String,
    pub country: String,
    pub role: String,
    pub ownership_pct: Option<f64>,
    pub owns: Option<String>,
    pub government_controlled: bool,
    pub state_owned: bool,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = parties)]
pub struct NewPartyRow {
    pub case_id: i64,
    pub position: i32,
    pub key: String,
    pub name: String,
    pub country: String,
    pub role: String,
    pub ownership_pct: Option<f64>,
    pub owns: Option<String>,
    pub government_controlled: bool,
    pub state_owned: bool,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = deadlines)]
pub struct DeadlineRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub label: String,
    pub starts: NaiveDate,
    pub due: NaiveDate,
    pub is_open: bool,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = conditions)]
pub struct ConditionRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Takes the next number of a named counter (e.g. references of one year).
pub fn next_counter(conn: &mut DbConn, name: &str) -> Result<i64, DbError> {
    take_counter(conn, name, 1)
}

/// Takes the next `n` numbers of a named counter at once; returns the first. One statement
/// creates the counter or advances it, so the first callers of a new year do not race to
/// create it, and it is the first write of the caller's transaction, so concurrent callers
/// queue on it.
pub fn take_counter(conn: &mut DbConn, name: &str, n: i64) -> Result<i64, DbError> {
    #[derive(QueryableByName)]
    struct Taken {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let taken: Taken = diesel::sql_query(
        "INSERT INTO counters (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + $2 RETURNING value",
    )
    .bind::<diesel::sql_types::Text, _>(name)
    .bind::<diesel::sql_types::BigInt, _>(n)
    .get_result(conn)?;
    Ok(taken.value - n + 1)
}

pub fn insert_case(conn: &mut DbConn, row: &NewCaseRow) -> Result<i64, DbError> {
    diesel::insert_into(cases::table)
        .values(row)
        .execute(conn)?;
    Ok(cases::table
        .filter(cases::reference.eq(&row.reference))
        .select(cases::id)
        .first(conn)?)
}

/// Inserts parties, each with the key its name is matched under for related cases
/// (`domain::related::name_key`), so that every writer keeps the key in step with the name.
pub fn insert_parties(conn: &mut DbConn, rows: &[NewPartyRow]) -> Result<(), DbError> {
    for row in rows {
        let key = crate::domain::related::name_key(&row.name);
        diesel::insert_into(parties::table)
            .values((row, parties::name_key.eq(&key)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_parties(conn: &mut DbConn, case_id: i64) -> Result<(), DbError> {
    diesel::delete(parties::table.filter(parties::case_id.eq(case_id))).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<CaseRow>, DbError> {
    Ok(cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_reference(conn: &mut DbConn, reference: &str) -> Result<Option<CaseRow>, DbError> {
    Ok(cases::table
        .filter(cases::reference.eq(reference))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn parties_of(conn: &mut DbConn, case_id: i64) -> Result<Vec<PartyRow>, DbError> {
    Ok(parties::table
        .filter(parties::case_id.eq(case_id))
        .order(parties::position.asc())
        .select(PartyRow::as_select())
        .load(conn)?)
}

/// Parties of many cases at once (for a page of the queue), in one query.
pub fn parties_of_many(conn: &mut DbConn, case_ids: &[i64]) -> Result<Vec<PartyRow>, DbError> {
    Ok(parties::table
        .filter(parties::case_id.eq_any(case_ids))
        .order((parties::case_id.asc(), parties::position.asc()))
        .select(PartyRow::as_select())
        .load(conn)?)
}

/// Claims the case at `version` for a change: bumps the version or reports `StaleVersion`.
/// This is the first write of every change to a case.
pub fn claim(conn: &mut DbConn, id: i64, version: i64, now: NaiveDateTime) -> Result<(), DbError> {
    let n = diesel::update(cases::table.find(id).filter(cases::version.eq(version)))
        .set((cases::version.eq(version + 1), cases::updated_at.eq(now)))
        .execute(conn)?;
    if n == 1 {
        return Ok(());
    }
    match find(conn, id)? {
        Some(_) => Err(DbError::StaleVersion),
        None => Err(DbError::NotFound),
    }
}

/// Serialises writers of one case's history without changing its version: a write that
/// leaves the row as it was still takes the row's lock (PostgreSQL) or the database's write
/// lock (SQLite) until the transaction ends. For appends that do not edit the case (files,
/// exports), so that a reviewer's open form does not go stale because someone downloaded it.
pub fn lock(conn: &mut DbConn, case_id: i64) -> Result<(), DbError> {
    let n = diesel::update(cases::table.find(case_id))
        .set(cases::version.eq(cases::version))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

/// Replaces every stored fact of a case (after `claim`).
pub fn update_case(conn: &mut DbConn, id: i64, row: &NewCaseRow) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

/// Recomputes `next_due` from the open deadlines and open conditions.
pub fn refresh_next_due(conn: &mut DbConn, id: i64) -> Result<NaiveDate, DbError> {
    let d: Option<NaiveDate> = deadlines::table
        .filter(deadlines::case_id.eq(id))
        .filter(deadlines::is_open.eq(true))
        .select(diesel::dsl::min(deadlines::due))
        .first(conn)?;
    let c: Option<NaiveDate> = conditions::table
        .filter(conditions::case_id.eq(id))
        .filter(conditions::status.eq("open"))
        .select(diesel::dsl::min(conditions::due))
        .first(conn)?;
    let next = [d, c].into_iter().flatten().min().unwrap_or(NO_DEADLINE);
    diesel::update(cases::table.find(id))
        .set(cases::next_due.eq(next))
        .execute(conn)?;
    Ok(next)
}

pub fn insert_deadline(
    conn: &mut DbConn,
    case_id: i64,
    kind: &str,
    label: &str,
    starts: NaiveDate,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(deadlines::table)
        .values((
            deadlines::case_id.eq(case_id),
            deadlines::kind.eq(kind),
            deadlines::label.eq(label),
            deadlines::starts.eq(starts),
            deadlines::due.eq(due),
            deadlines::is_open.eq(true),
            deadlines::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn close_open_deadlines(
    conn: &mut DbConn,
    case_id: i64,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        deadlines::table
            .filter(deadlines::case_id.eq(case_id))
            .filter(deadlines::is_open.eq(true)),
    )
    .set((deadlines::is_open.eq(false), deadlines::closed_at.eq(now)))
    .execute(conn)?)
}

pub fn deadlines_of(conn: &mut DbConn, case_id: i64) -> Result<Vec<DeadlineRow>, DbError> {
    Ok(deadlines::table
        .filter(deadlines::case_id.eq(case_id))
        .order(deadlines::id.asc())
        .select(DeadlineRow::as_select())
        .load(conn)?)
}

/// The open deadlines of several cases, by case then due date.
pub fn open_deadlines_of_many(
    conn: &mut DbConn,
    case_ids: &[i64],
) -> Result<Vec<DeadlineRow>, DbError> {
    Ok(deadlines::table
        .filter(deadlines::case_id.eq_any(case_ids))
        .filter(deadlines::is_open.eq(true))
        .order((deadlines::case_id.asc(), deadlines::due.asc()))
        .select(DeadlineRow::as_select())
        .load(conn)?)
}

pub fn move_deadline(conn: &mut DbConn, id: i64, due: NaiveDate) -> Result<(), DbError> {
    diesel::update(deadlines::table.find(id))
        .set(deadlines::due.eq(due))
        .execute(conn)?;
    Ok(())
}

pub fn insert_condition(
    conn: &mut DbConn,
    case_id: i64,
    kind: &str,
    text: &str,
    due: Option<NaiveDate>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(conditions::table)
        .values((
            conditions::case_id.eq(case_id),
            conditions::kind.eq(kind),
            conditions::text.eq(text),
            conditions::due.eq(due),
            conditions::status.eq("open"),
            conditions::created_at.eq(now),
            conditions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn conditions_of(conn: &mut DbConn, case_id: i64) -> Result<Vec<ConditionRow>, DbError> {
    Ok(conditions::table
        .filter(conditions::case_id.eq(case_id))
        .order(conditions::id.asc())
        .select(ConditionRow::as_select())
        .load(conn)?)
}

pub fn set_condition_status(
    conn: &mut DbConn,
    case_id: i64,
    id: i64,
    status: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let n = diesel::update(
        conditions::table
            .find(id)
            .filter(conditions::case_id.eq(case_id)),
    )
    .set((
        conditions::status.eq(status),
        conditions::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(DbError::NotFound)
    }
}

/// How many cases are in each state (for the dashboard): counters the database keeps in the
/// same transaction as every change of a case's state.
pub fn count_by_state(conn: &mut DbConn) -> Result<Vec<(String, i64)>, DbError> {
    Ok(case_counts::table
        .select((case_counts::state, case_counts::n))
        .load(conn)?)
}

pub fn set_assignment(
    conn: &mut DbConn,
    id: i64,
    assignee: Option<&str>,
    lead_agency: Option<&str>,
) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set((
            cases::assignee.eq(assignee),
            cases::lead_agency.eq(lead_agency),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a transition changes on the case row (after `claim`).
pub struct StateChange<'a> {
    pub state: &'a str,
    pub outcome: Option<&'a str>,
    pub state_since: NaiveDate,
    pub filing_number: i32,
    pub extension_used: bool,
}

pub fn set_state(conn: &mut DbConn, id: i64, c: &StateChange<'_>) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set((
            cases::state.eq(c.state),
            cases::outcome.eq(c.outcome),
            cases::state_since.eq(c.state_since),
            cases::filing_number.eq(c.filing_number),
            cases::extension_used.eq(c.extension_used),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_tolled(conn: &mut DbConn, id: i64, since: Option<NaiveDate>) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set(cases::tolled_since.eq(since))
        .execute(conn)?;
    Ok(())
}

pub fn set_extension_used(conn: &mut DbConn, id: i64) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set(cases::extension_used.eq(true))
        .execute(conn)?;
    Ok(())
}

/// What a screening stores on its case.
pub struct StoredScreening<'a> {
    pub json: &'a str,
    pub jurisdiction: &'a str,
    pub risk_score: i32,
    pub risk_band: &'a str,
}

/// The answer and band go on the case row (the queue filters and shows them); the document goes
/// to its own table, read only where it is shown.
pub fn set_screening(conn: &mut DbConn, id: i64, s: &StoredScreening<'_>) -> Result<(), DbError> {
    let n = diesel::update(case_screenings::table.find(id))
        .set(case_screenings::body.eq(s.json))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(case_screenings::table)
            .values((
                case_screenings::case_id.eq(id),
                case_screenings::body.eq(s.json),
            ))
            .execute(conn)?;
    }
    set_answer(conn, id, s)
}

/// The screening's answer and band on the case row (the queue filters and shows them).
pub fn set_answer(conn: &mut DbConn, id: i64, s: &StoredScreening<'_>) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set((
            cases::jurisdiction.eq(s.jurisdiction),
            cases::risk_score.eq(s.risk_score),
            cases::risk_band.eq(s.risk_band),
        ))
        .execute(conn)?;
    Ok(())
}

/// The stored screening document of a case (JSON of `domain::screening::Screening`).
pub fn screening_of(conn: &mut DbConn, id: i64) -> Result<Option<String>, DbError> {
    Ok(case_screenings::table
        .find(id)
        .select(case_screenings::body)
        .first(conn)
        .optional()?)
}

pub fn set_risk_overrides(conn: &mut DbConn, id: i64, json: &str) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set(cases::risk_overrides.eq(json))
        .execute(conn)?;
    Ok(())
}

/// Ids of every open case (for re-screening after a rule, site or list change).
pub fn open_ids(conn: &mut DbConn) -> Result<Vec<i64>, DbError> {
    Ok(cases::table
        .filter(cases::state.ne("closed"))
        .order(cases::id.asc())
        .select(cases::id)
        .load(conn)?)
}

/// What a case's search words are made from.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct SearchSource {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub address: String,
    pub search_text: String,
}

/// The next `limit` cases after id `after`, with what their search words are made from.
pub fn search_sources(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
) -> Result<Vec<SearchSource>, DbError> {
    Ok(cases::table
        .filter(cases::id.gt(after))
        .order(cases::id.asc())
        .limit(limit)
        .select(SearchSource::as_select())
        .load(conn)?)
}

/// Rewrites a case's search words (the full-text index follows in the same transaction).
pub fn set_search_text(conn: &mut DbConn, id: i64, words: &str) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set(cases::search_text.eq(words))
        .execute(conn)?;
    Ok(())
}

/// Sets a named counter.
pub fn set_counter(conn: &mut DbConn, name: &str, value: i64) -> Result<(), DbError> {
    let n = diesel::update(counters::table.find(name))
        .set(counters::value.eq(value))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(counters::table)
            .values((counters::name.eq(name), counters::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}

/// Reads a named counter without changing it (data versions for the in-memory indices).
pub fn counter(conn: &mut DbConn, name: &str) -> Result<i64, DbError> {
    Ok(counters::table
        .find(name)
        .select(counters::value)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = super::schema::watch_decisions)]
pub struct WatchDecisionRow {
    pub id: i64,
    pub case_id: i64,
    pub party: String,
    pub entry_id: i64,
    pub decision: String,
    pub rationale: String,
    pub decided_by: String,
    pub decided_at: NaiveDateTime,
}

pub fn watch_decisions_of(
    conn: &mut DbConn,
    case_id: i64,
) -> Result<Vec<WatchDecisionRow>, DbError> {
    use super::schema::watch_decisions as w;
    Ok(w::table
        .filter(w::case_id.eq(case_id))
        .order(w::id.asc())
        .select(WatchDecisionRow::as_select())
        .load(conn)?)
}

/// A reviewer's decision on a watchlist hit.
pub struct NewWatchDecision<'a> {
    pub case_id: i64,
    pub party: &'a str,
    pub entry_id: i64,
    pub decision: &'a str,
    pub rationale: &'a str,
    pub by: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_watch_decision(conn: &mut DbConn, d: &NewWatchDecision<'_>) -> Result<(), DbError> {
    use super::schema::watch_decisions as w;
    diesel::insert_into(w::table)
        .values((
            w::case_id.eq(d.case_id),
            w::party.eq(d.party),
            w::entry_id.eq(d.entry_id),
            w::decision.eq(d.decision),
            w::rationale.eq(d.rationale),
            w::decided_by.eq(d.by),
            w::decided_at.eq(d.at),
        ))
        .execute(conn)?;
    Ok(())
}
