//! Screening cases: the engine (rule set, site index, name index) kept in memory and rebuilt
//! when the sites, the watchlists or the rule set change (every node notices through counters
//! in the database), screening a case and storing the result with its history event, risk
//! overrides, watchlist decisions, and re-screening every open case.

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use serde_json::json;

use super::auth::Principal;
use super::clock::Now;
use super::{history, ServiceError};
use crate::db::cases::{CaseRow, PartyRow, StoredScreening};
use crate::db::{self, DbConn};
use crate::domain::history::EventKind;
use crate::domain::rules::RuleSet;
use crate::domain::screening::{
    self, HitDecisions, Screening, Site, SiteKind, Subject, SubjectParty, WatchEntry,
};
use crate::domain::{Role, ValidationErrors};
use crate::index::{NameIndex, SiteIndex};

/// The versions an engine was built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Versions {
    sites: i64,
    watchlists: i64,
    rules: i64,
}

/// What screening needs in memory.
pub struct Engine {
    pub rules: RuleSet,
    pub sites: SiteIndex,
    pub names: NameIndex,
    /// How many sites and entries the indices hold.
    pub site_count: usize,
    pub entry_count: usize,
    versions: Versions,
}

impl Engine {
    /// Screens facts on `today`, nothing stored.
    pub fn screen(&self, subject: &Subject, today: NaiveDate) -> Screening {
        screening::screen(subject, &self.rules, &self.sites, &self.names, today)
    }

    /// Screens a case's facts, weighing the reviewers' decisions on its watchlist hits.
    fn screen_decided(&self, subject: &Subject, today: NaiveDate, decided: &Decided) -> Screening {
        let decisions = HitDecisions {
            confirmed: &decided.confirmed,
            dismissed: &decided.dismissed,
        };
        screening::screen_with(
            subject,
            &self.rules,
            &self.sites,
            &self.names,
            today,
            decisions,
        )
    }
}

/// The latest decision on each watchlist hit of a case.
#[derive(Default)]
struct Decided {
    confirmed: Vec<(String, i64)>,
    dismissed: Vec<(String, i64)>,
}

fn decided(conn: &mut DbConn, case_id: i64) -> Result<Decided, ServiceError> {
    let mut d = Decided::default();
    let rows = db::cases::watch_decisions_of(conn, case_id)?;
    for row in rows.iter().rev() {
        let key = (row.party.clone(), row.entry_id);
        if d.confirmed.contains(&key) || d.dismissed.contains(&key) {
            continue;
        }
        if row.decision == "confirmed" {
            d.confirmed.push(key);
        } else {
            d.dismissed.push(key);
        }
    }
    Ok(d)
}

/// The shared, lazily rebuilt engine. Cheap to clone.
#[derive(Clone, Default)]
pub struct Screener {
    current: Arc<RwLock<Option<Arc<Engine>>>>,
}

fn versions(conn: &mut DbConn) -> Result<Versions, ServiceError> {
    Ok(Versions {
        sites: db::cases::counter(conn, "sites-version")?,
        watchlists: db::cases::counter(conn, "watchlists-version")?,
        rules: db::cases::counter(conn, "rules-version")?,
    })
}

/// The rings of a stored GeoJSON Polygon or MultiPolygon, as (lon, lat) points.
fn boundary_rings(text: &str) -> Option<Vec<Vec<(f64, f64)>>> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let v = v.get("geometry").cloned().unwrap_or(v);
    let ring = |r: &serde_json::Value| -> Option<Vec<(f64, f64)>> {
        r.as_array()?
            .iter()
            .map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect()
    };
    let coords = v.get("coordinates")?.as_array()?;
    let rings: Option<Vec<Vec<(f64, f64)>>> = match v.get("type")?.as_str()? {
        "Polygon" => coords.iter().map(ring).collect(),
        "MultiPolygon" => coords
            .iter()
            .map(|poly| {
                poly.as_array()
                    .map(|rs| rs.iter().map(ring).collect::<Option<Vec<_>>>())
            })
            .collect::<Option<Option<Vec<Vec<_>>>>>()
            .flatten()
            .map(|polys| polys.into_iter().flatten().collect()),
        _ => None,
    };
    rings.filter(|r| !r.is_empty())
}

pub(crate) fn site_of(row: db::sites::SiteRow) -> Option<Site> {
    let boundary = row.boundary.as_deref().and_then(boundary_rings);
    Some(Site {
        id: row.id,
        kind: SiteKind::parse(&row.kind)?,
        part: row.part.and_then(|p| u8::try_from(p).ok()),
        lat: row.lat,
        lon: row.lon,
        boundary_radius_mi: row.boundary_radius_mi,
        criticality: u8::try_from(row.criticality).unwrap_or(1),
        state: row.us_state,
        listed_from: row.listed_from,
        listed_until: row.listed_until,
        counties: row
            .counties
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        boundary,
        name: row.name,
    })
}

fn entry_of(row: db::sites::WatchRow) -> WatchEntry {
    WatchEntry {
        id: row.id,
        list: row.list,
        aliases: row
            .aliases
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        name: row.name,
        country: row.country,
        program: row.program,
        source: row.source,
    }
}

/// The rule set in force: the one an admin loaded, else the built-in one.
pub fn rules(conn: &mut DbConn) -> Result<RuleSet, ServiceError> {
    match db::rules::active(conn)? {
        Some(row) => RuleSet::parse(&row.body)
            .map_err(|e| ServiceError::Internal(format!("stored rule set {}: {e}", row.version))),
        None => RuleSet::builtin()
            .map_err(|e| ServiceError::Internal(format!("built-in rule set: {e}"))),
    }
}

impl Screener {
    /// The engine for the current data, rebuilt first if the sites, the lists or the rules
    /// changed since it was built (one cheap query when nothing changed).
    pub fn engine(&self, conn: &mut DbConn) -> Result<Arc<Engine>, ServiceError> {
        let now = versions(conn)?;
        if let Ok(guard) = self.current.read() {
            if let Some(engine) = guard.as_ref().filter(|e| e.versions == now) {
                return Ok(engine.clone());
            }
        }
        let sites: Vec<Site> = db::sites::active_sites(conn)?
            .into_iter()
            .filter_map(site_of)
            .collect();
        let entries: Vec<WatchEntry> = db::sites::all_watch(conn)?
            .into_iter()
            .map(entry_of)
            .collect();
        let engine = Arc::new(Engine {
            rules: rules(conn)?,
            site_count: sites.len(),
            entry_count: entries.len(),
            sites: SiteIndex::new(sites),
            names: NameIndex::new(entries),
            versions: now,
        });
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(engine.clone());
        }
        tracing::info!(sites = engine.site_count, entries = engine.entry_count, rules = %engine.rules.version, "screening engine built");
        Ok(engine)
    }
}

/// The facts of a stored case, as screening sees them.
pub fn subject_of(case: &CaseRow, parties: &[PartyRow]) -> Subject {
    Subject {
        lat: case.lat,
        lon: case.lon,
        county_fips: case.county_fips.clone(),
        state: case.us_state.clone(),
        date: case.tx_date,
        tx_kind: case.tx_kind.clone(),
        rights: [
            case.right_access,
            case.right_exclude,
            case.right_improve,
            case.right_affix,
        ],
        urban_area: case.urban_area,
        single_housing_unit: case.single_housing_unit,
        in_port: case.in_port,
        commercial_office: case.commercial_office,
        intended_use: case.intended_use.clone(),
        power_mw: case.power_mw,
        acreage: case.acreage,
        parties: parties
            .iter()
            .map(|p| SubjectParty {
                key: p.key.clone(),
                name: p.name.clone(),
                country: p.country.clone(),
                role: p.role.clone(),
                ownership_pct: p.ownership_pct,
                owns: p.owns.clone(),
                government_controlled: p.government_controlled,
                state_owned: p.state_owned,
            })
            .collect(),
    }
}

/// Risk overrides a reviewer set, as stored on the case.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Overrides {
    pub threat: Option<Override>,
    pub vulnerability: Option<Override>,
    pub consequence: Option<Override>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Override {
    pub value: u8,
    pub rationale: String,
    pub by: String,
}

fn overrides_of(case: &CaseRow) -> Overrides {
    serde_json::from_str(&case.risk_overrides).unwrap_or_default()
}

/// Applies the case's overrides to a fresh screening.
fn with_overrides(mut s: Screening, o: &Overrides) -> Screening {
    s.risk = crate::domain::risk::apply_overrides(
        s.risk,
        o.threat.as_ref().map(|x| x.value),
        o.vulnerability.as_ref().map(|x| x.value),
        o.consequence.as_ref().map(|x| x.value),
    );
    s
}

/// Screens a case as it now stands and stores the result, inside the caller's transaction
/// (after its `claim`), with a `screened` event. Returns the screening.
pub fn screen_and_store(
    conn: &mut DbConn,
    engine: &Engine,
    case_id: i64,
    actor: &str,
    now: &Now,
) -> Result<Screening, ServiceError> {
    let case = db::cases::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
    let parties = db::cases::parties_of(conn, case_id)?;
    let decided = decided(conn, case_id)?;
    let fresh = engine.screen_decided(&subject_of(&case, &parties), now.today, &decided);
    let result = with_overrides(fresh, &overrides_of(&case));
    store(conn, (case.id, &case.reference), &result, actor, now)?;
    Ok(result)
}

/// Screens a report about to be stored, before its write transaction begins: a new case
/// (`None`), or new facts of a stored case, with its hit decisions and risk overrides. The
/// caller's write claims the case at the version these were read at.
pub fn prescreen(
    conn: &mut DbConn,
    engine: &Engine,
    case: Option<&CaseRow>,
    report: &crate::domain::report::NewReport,
    today: NaiveDate,
) -> Result<Screening, ServiceError> {
    let subject = subject_of_report(report);
    Ok(match case {
        None => engine.screen(&subject, today),
        Some(case) => with_overrides(
            engine.screen_decided(&subject, today, &decided(conn, case.id)?),
            &overrides_of(case),
        ),
    })
}

/// What a `screened` event records of a screening.
pub fn screened_payload(s: &Screening) -> serde_json::Value {
    let zones: Vec<String> = s
        .zones
        .iter()
        .map(|z| format!("{} ({}, {:.2} mi)", z.site, z.zone.as_str(), z.distance_mi))
        .collect();
    let r = &s.risk;
    json!({
        "jurisdiction": s.jurisdiction.as_str(),
        "zones": zones,
        "foreign_person": s.foreign_person.foreign,
        "watchlist_hits": s.watchlist_hits.len(),
        "risk": {"threat": r.threat, "vulnerability": r.vulnerability,
                 "consequence": r.consequence, "score": r.score, "band": r.band.as_str()},
        "rules_version": s.rules_version,
        "as_of": s.as_of.to_string(),
    })
}

/// Stores a screening on its case with its `screened` event (inside the caller's transaction).
pub fn store(
    conn: &mut DbConn,
    case: (i64, &str),
    s: &Screening,
    actor: &str,
    now: &Now,
) -> Result<(), ServiceError> {
    let (case_id, reference) = case;
    let text = serde_json::to_string(s).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let jurisdiction = s.jurisdiction.as_str();
    let band = s.risk.band.as_str();
    db::cases::set_screening(
        conn,
        case_id,
        &StoredScreening {
            json: &text,
            jurisdiction,
            risk_score: i32::from(s.risk.score),
            risk_band: band,
        },
    )?;
    let payload = screened_payload(s);
    history::append(
        conn,
        case_id,
        reference,
        actor,
        EventKind::Screened,
        payload,
        now,
    )
}

/// The stored screening of a case, if any.
pub fn stored(conn: &mut DbConn, case_id: i64) -> Result<Option<Screening>, ServiceError> {
    Ok(db::cases::screening_of(conn, case_id)?.and_then(|t| serde_json::from_str(&t).ok()))
}

/// One case whose answer changed in a re-screening.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Change {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub old_jurisdiction: Option<String>,
    pub new_jurisdiction: String,
    pub old_band: Option<String>,
    pub new_band: String,
}

/// Re-screens every open case (a chair, after sites, lists or rules changed); returns the
/// cases whose jurisdiction or risk band changed. Each case is its own transaction.
pub fn rescreen_all(
    conn: &mut DbConn,
    screener: &Screener,
    by: &Principal,
    now: &Now,
) -> Result<(usize, Vec<Change>), ServiceError> {
    if !by.role.at_least(Role::Chair) {
        return Err(ServiceError::Forbidden(
            "Re-screening every open case needs the chair role.".into(),
        ));
    }
    let engine = screener.engine(conn)?;
    let ids = db::cases::open_ids(conn)?;
    let mut changes = Vec::new();
    for id in &ids {
        let Some(case) = db::cases::find(conn, *id)? else {
            continue;
        };
        let parties = db::cases::parties_of(conn, *id)?;
        let decided = decided(conn, *id)?;
        let fresh = with_overrides(
            engine.screen_decided(&subject_of(&case, &parties), now.today, &decided),
            &overrides_of(&case),
        );
        let old = (case.jurisdiction.clone(), case.risk_band.clone());
        let new = (
            fresh.jurisdiction.as_str().to_string(),
            fresh.risk.band.as_str().to_string(),
        );
        if old.0.as_deref() == Some(new.0.as_str())
            && old.1.as_deref() == Some(new.1.as_str())
            && stored(conn, case.id)?.as_ref() == Some(&fresh)
        {
            continue;
        }
        db::write::<_, ServiceError, _>(conn, |conn| {
            db::cases::claim(conn, case.id, case.version, now.at)?;
            store(conn, (case.id, &case.reference), &fresh, &by.username, now)
        })?;
        if old.0.as_deref() != Some(new.0.as_str()) || old.1.as_deref() != Some(new.1.as_str()) {
            changes.push(Change {
                id: case.id,
                reference: case.reference.clone(),
                title: case.title.clone(),
                old_jurisdiction: old.0,
                new_jurisdiction: new.0,
                old_band: old.1,
                new_band: new.1,
            });
        }
    }
    Ok((ids.len(), changes))
}

/// Sets or clears a reviewer's override of threat, vulnerability or consequence, re-screens
/// and records it.
#[expect(clippy::too_many_arguments)]
pub fn override_risk(
    conn: &mut DbConn,
    screener: &Screener,
    by: &Principal,
    id: i64,
    factor: &str,
    value: Option<u8>,
    rationale: &str,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    if !by.role.at_least(Role::Reviewer) {
        return Err(ServiceError::Forbidden(
            "Overriding risk needs the reviewer role.".into(),
        ));
    }
    let rationale = rationale.trim();
    let mut errors = ValidationErrors::new();
    if !matches!(factor, "threat" | "vulnerability" | "consequence") {
        errors.add("factor", "Choose threat, vulnerability or consequence.");
    }
    if value.is_some_and(|v| !(1..=5).contains(&v)) {
        errors.add("value", "A score from 1 to 5.");
    }
    if let Err(m) = check_rationale(rationale) {
        errors.add("rationale", m);
    }
    errors.into_result(())?;
    let case = db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if case.version != version {
        return Err(db::DbError::StaleVersion.into());
    }
    let mut o = overrides_of(&case);
    let entry = value.map(|v| Override {
        value: v,
        rationale: rationale.to_string(),
        by: by.username.clone(),
    });
    let old = match factor {
        "threat" => std::mem::replace(&mut o.threat, entry),
        "vulnerability" => std::mem::replace(&mut o.vulnerability, entry),
        _ => std::mem::replace(&mut o.consequence, entry),
    };
    let text = serde_json::to_string(&o).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let engine = screener.engine(conn)?;
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        db::cases::set_risk_overrides(conn, id, &text)?;
        let payload = json!({"factor": factor, "old": old.map(|x| x.value), "new": value, "rationale": rationale});
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::RiskOverridden,
            payload,
            now,
        )?;
        screen_and_store(conn, &engine, id, &by.username, now)?;
        Ok(version + 1)
    })
}

/// The longest rationale of a risk override or a watchlist decision.
pub const MAX_DECISION_RATIONALE: usize = 2000;

/// A reviewer's rationale for an override or a watchlist decision: given, at most
/// `MAX_DECISION_RATIONALE` characters, and plain text (see `domain::text`).
fn check_rationale(rationale: &str) -> Result<(), String> {
    if rationale.trim().is_empty() {
        return Err("Give a rationale.".into());
    }
    crate::domain::text::check(rationale, MAX_DECISION_RATIONALE, true, true)
}

/// Confirms or dismisses a watchlist hit of a case, recorded in its history.
#[expect(clippy::too_many_arguments)]
pub fn decide_hit(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    party: &str,
    entry_id: i64,
    confirm: bool,
    rationale: &str,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    if !by.role.at_least(Role::Reviewer) {
        return Err(ServiceError::Forbidden(
            "Deciding a watchlist hit needs the reviewer role.".into(),
        ));
    }
    let rationale = rationale.trim();
    check_rationale(rationale).map_err(|m| ValidationErrors::single("rationale", m))?;
    let case = db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if case.version != version {
        return Err(db::DbError::StaleVersion.into());
    }
    let hit = stored(conn, case.id)?
        .and_then(|s| {
            s.watchlist_hits
                .into_iter()
                .find(|h| h.party == party && h.entry_id == entry_id)
        })
        .ok_or(ServiceError::NotFound)?;
    let decision = if confirm { "confirmed" } else { "dismissed" };
    let kind = if confirm {
        EventKind::WatchlistConfirmed
    } else {
        EventKind::WatchlistDismissed
    };
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        let d = db::cases::NewWatchDecision {
            case_id: id,
            party,
            entry_id,
            decision,
            rationale,
            by: &by.username,
            at: now.at,
        };
        db::cases::insert_watch_decision(conn, &d)?;
        let payload = json!({"party": party, "entry": hit.entry, "list": hit.list, "score": hit.score, "rationale": rationale});
        history::append(conn, id, &case.reference, &by.username, kind, payload, now)?;
        Ok(version + 1)
    })
}

/// Confirms or dismisses a hit and re-screens, so the threat score reflects the decision.
#[expect(clippy::too_many_arguments)]
pub fn decide_hit_and_rescreen(
    conn: &mut DbConn,
    screener: &Screener,
    by: &Principal,
    id: i64,
    party: &str,
    entry_id: i64,
    confirm: bool,
    rationale: &str,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    let engine = screener.engine(conn)?;
    let v = decide_hit(
        conn, by, id, party, entry_id, confirm, rationale, version, now,
    )?;
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, v, now.at)?;
        screen_and_store(conn, &engine, id, &by.username, now)?;
        Ok(v + 1)
    })
}

/// The facts of a report not yet stored (POST /api/v1/screen, `cordon screen`).
pub fn subject_of_report(r: &crate::domain::report::NewReport) -> Subject {
    let r = super::cases::located(r);
    Subject {
        lat: r.property.lat,
        lon: r.property.lon,
        county_fips: r.property.county_fips.clone(),
        state: r.property.state.clone(),
        date: r.transaction.date,
        tx_kind: r.transaction.kind.as_str().to_string(),
        rights: [
            r.transaction.rights.access,
            r.transaction.rights.exclude,
            r.transaction.rights.improve,
            r.transaction.rights.affix,
        ],
        urban_area: r.property.urban_area,
        single_housing_unit: r.property.single_housing_unit,
        in_port: r.property.in_port,
        commercial_office: r.property.commercial_office,
        intended_use: r.transaction.intended_use.clone(),
        power_mw: r.transaction.power_mw,
        acreage: r.property.acreage,
        parties: r
            .parties
            .iter()
            .map(|p| SubjectParty {
                key: p.key.clone(),
                name: p.name.clone(),
                country: p.country.clone(),
                role: p.role.as_str().to_string(),
                ownership_pct: p.ownership_pct,
                owns: p.owns.clone(),
                government_controlled: p.government_controlled,
                state_owned: p.state_owned,
            })
            .collect(),
    }
}

/// Screens a report without storing anything.
pub fn screen_report(
    conn: &mut DbConn,
    screener: &Screener,
    report: &crate::domain::report::NewReport,
    today: NaiveDate,
) -> Result<Screening, ServiceError> {
    let engine = screener.engine(conn)?;
    Ok(engine.screen(&subject_of_report(report), today))
}

/// The largest rule set accepted.
pub const MAX_RULES_BYTES: usize = 200_000;

/// The rule set in force and the ones loaded before (newest first).
pub fn rule_sets(conn: &mut DbConn) -> Result<(RuleSet, Vec<db::rules::RuleSetRow>), ServiceError> {
    Ok((rules(conn)?, db::rules::all(conn)?))
}

/// Loads a rule set (TOML) as the one in force, after checking it; its version must be new.
/// Open cases keep their screening until a chair re-screens them.
pub fn load_rules(conn: &mut DbConn, by: &Principal, body: &str) -> Result<String, ServiceError> {
    if !by.role.at_least(Role::Admin) {
        return Err(ServiceError::Forbidden(
            "Loading a rule set needs the admin role.".into(),
        ));
    }
    if body.len() > MAX_RULES_BYTES {
        return Err(ValidationErrors::single("body", "The rule set is larger than 200 kB.").into());
    }
    let parsed =
        RuleSet::parse(body).map_err(|e| ValidationErrors::single("body", e.to_string()))?;
    let at = super::now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        if db::rules::all(conn)?
            .iter()
            .any(|r| r.version == parsed.version)
        {
            return Err(ValidationErrors::single(
                "body",
                format!(
                    "Version {} was loaded before; give this one a new version.",
                    parsed.version
                ),
            )
            .into());
        }
        db::rules::activate_new(conn, &parsed.version, &parsed.name, body, &by.username, at)?;
        db::cases::next_counter(conn, "rules-version")?;
        db::audit::record(
            conn,
            at,
            Some(&by.username),
            "rules.load",
            &format!("{} ({})", parsed.version, parsed.name),
        )?;
        Ok(parsed.version.clone())
    })
}

/// Goes back to the built-in rule set.
pub fn use_builtin_rules(conn: &mut DbConn, by: &Principal) -> Result<(), ServiceError> {
    if !by.role.at_least(Role::Admin) {
        return Err(ServiceError::Forbidden(
            "Changing the rule set needs the admin role.".into(),
        ));
    }
    let at = super::now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::rules::deactivate_all(conn)?;
        db::cases::next_counter(conn, "rules-version")?;
        db::audit::record(
            conn,
            at,
            Some(&by.username),
            "rules.builtin",
            "built-in rule set",
        )?;
        Ok(())
    })
}
