//! Related cases for the case page and the API (rules in `domain::related`, queries in
//! `db::related`), and the writing of party name keys at start.
//!
//! A case's related cases take a handful of indexed queries, whatever the number of cases: one
//! per distinct name its parties go by (`parties_name_key`), one box search
//! (`cases_location`), the watchlist entries and decisions behind confirmed aliases (by id),
//! and the rows shown.

use std::collections::{BTreeSet, HashMap};

use super::cases::CaseView;
use super::ServiceError;
use crate::db::cases::{CaseRow, PartyRow};
use crate::db::{self, DbConn};
use crate::domain::related::{
    self, AliasKey, Decision, EntryNames, SharedParty, MAX_SHARED, NEARBY_CANDIDATES, NEARBY_MILES,
};
use crate::domain::screening::geometry::haversine_mi;
use crate::domain::screening::Screening;

/// One related case, as the page and the API show it.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatedCase {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub state: String,
    pub risk_band: Option<String>,
    /// The party it shares, as that case writes it.
    pub shared_party: Option<String>,
    /// When the party is shared through a confirmed alias, the watchlist entry's name.
    pub via_entry: Option<String>,
    /// Miles between the properties, to one decimal, when within `NEARBY_MILES`.
    pub distance_miles: Option<f64>,
}

/// The related cases of one case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Related {
    pub cases: Vec<RelatedCase>,
    /// More cases share a party than are listed (`MAX_SHARED`, the most recent kept).
    pub more_shared: bool,
}

/// The stored decisions as the domain reads them.
fn decisions(rows: &[db::cases::WatchDecisionRow]) -> Vec<Decision> {
    rows.iter()
        .map(|d| Decision {
            case_id: d.case_id,
            party: d.party.clone(),
            entry_id: d.entry_id,
            confirmed: d.decision == "confirmed",
        })
        .collect()
}

/// The entries of these ids, by their normalised names.
fn entry_names(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<EntryNames>, ServiceError> {
    Ok(db::related::entries(conn, ids)?
        .into_iter()
        .map(|e| EntryNames::new(e.id, &e.name, e.aliases.split(';').map(str::trim)))
        .collect())
}

/// The other cases sharing a party with this one: by its parties' own names first, then by
/// the names of the entries its reviewers confirmed, then through entries that other cases'
/// reviewers confirmed and its parties are named as. Returns them and whether a name search
/// found more than it lists.
fn sharing(
    conn: &mut DbConn,
    case: &CaseRow,
    parties: &[PartyRow],
    screening: Option<&Screening>,
) -> Result<(Vec<SharedParty>, bool), ServiceError> {
    let own: BTreeSet<String> = parties
        .iter()
        .map(|p| related::name_key(&p.name))
        .filter(|k| related::identifies(k))
        .collect();
    let mine = decisions(&db::cases::watch_decisions_of(conn, case.id)?);
    let hits: Vec<(String, i64)> = screening
        .map(|s| {
            s.watchlist_hits
                .iter()
                .map(|h| (h.party.clone(), h.entry_id))
                .collect()
        })
        .unwrap_or_default();
    let mut wanted: Vec<i64> = mine.iter().map(|d| d.entry_id).collect();
    wanted.extend(hits.iter().map(|(_, id)| *id));
    wanted.sort_unstable();
    wanted.dedup();
    let entries = entry_names(conn, &wanted)?;
    let aliases = related::alias_keys(&own, &mine, &entries);
    let named = related::named_entries(case.id, &hits, &mine, &entries);
    let mut on_entries: Vec<i64> = aliases.iter().map(|a| a.entry_id).collect();
    on_entries.extend(&named);
    let theirs = decisions(&db::related::decisions_on(conn, &on_entries)?);

    let limit = i64::try_from(MAX_SHARED)
        .unwrap_or(i64::MAX)
        .saturating_add(1);
    let mut found = Vec::new();
    let mut more = false;
    // This case's own names, in the order of its parties.
    let mut searched = BTreeSet::new();
    for p in parties {
        let key = related::name_key(&p.name);
        if !own.contains(&key) || !searched.insert(key.clone()) {
            continue;
        }
        let rows = db::related::parties_named(conn, &key, case.id, limit)?;
        more |= rows.len() > MAX_SHARED;
        found.extend(rows.into_iter().map(|r| SharedParty {
            case_id: r.case_id,
            party: r.name,
            via: None,
        }));
    }
    for AliasKey {
        key,
        entry,
        entry_id,
    } in aliases
    {
        let rows = db::related::parties_named(conn, &key, case.id, limit)?;
        more |= rows.len() > MAX_SHARED;
        found.extend(
            rows.into_iter()
                .filter(|r| !related::dismissed_there(&theirs, r.case_id, &r.name, entry_id))
                .map(|r| SharedParty {
                    case_id: r.case_id,
                    party: r.name,
                    via: Some(entry.clone()),
                }),
        );
    }
    found.extend(related::confirmed_elsewhere(
        case.id, &named, &theirs, &entries,
    ));
    Ok((found, more))
}

/// A case as its page and the API show it, with its related cases.
pub fn view(conn: &mut DbConn, id: i64) -> Result<(CaseView, Related), ServiceError> {
    let v = super::cases::view(conn, id)?;
    let related = of_case(conn, &v.case, &v.parties, v.screening.as_ref())?;
    Ok((v, related))
}

/// The cases related to `case` (see `domain::related`): sharing a party, or within
/// `NEARBY_MILES`, in the order shown.
pub fn of_case(
    conn: &mut DbConn,
    case: &CaseRow,
    parties: &[PartyRow],
    screening: Option<&Screening>,
) -> Result<Related, ServiceError> {
    let (shared, more_by_name) = sharing(conn, case, parties, screening)?;
    let centre = (case.lat, case.lon);
    let area = related::bounding_box(case.lat, case.lon, NEARBY_MILES);
    let limit = i64::try_from(NEARBY_CANDIDATES).unwrap_or(i64::MAX);
    let inside = db::related::inside(conn, &area, centre, case.id, limit)?;
    let near = related::nearest(
        case.lat,
        case.lon,
        case.id,
        inside.iter().map(|l| (l.id, l.lat, l.lon)),
    );
    let mut ids: Vec<i64> = shared.iter().map(|s| s.case_id).collect();
    ids.extend(near.iter().map(|(id, _)| *id));
    ids.sort_unstable();
    ids.dedup();
    let rows: HashMap<i64, db::related::RelatedRow> = db::related::rows(conn, &ids)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let distance_of: HashMap<i64, f64> = rows
        .values()
        .map(|r| (r.id, haversine_mi(case.lat, case.lon, r.lat, r.lon)))
        .collect();
    let (reasons, more) = related::arrange(case.id, shared, &near, &distance_of);
    let cases = reasons
        .into_iter()
        .filter_map(|reason| {
            let row = rows.get(&reason.case_id)?;
            let (shared_party, via_entry) = match reason.shared {
                Some(s) => (Some(s.party), s.via),
                None => (None, None),
            };
            Some(RelatedCase {
                id: row.id,
                reference: row.reference.clone(),
                title: row.title.clone(),
                state: row.state.clone(),
                risk_band: row.risk_band.clone(),
                shared_party,
                via_entry,
                distance_miles: reason.distance_mi.map(related::tenths),
            })
        })
        .collect();
    Ok(Related {
        cases,
        more_shared: more || more_by_name,
    })
}

/// The version of `domain::related::name_key` that stored keys were made with.
pub const KEY_FORMAT: i64 = 1;

/// Parties rewritten per transaction.
const BATCH: i64 = 2_000;

/// Writes the name key of every party when the stored keys were made by an older format (or
/// before there were keys: the migration asks for it); returns how many changed. Each batch
/// is its own transaction and the format is recorded last, so an interrupted run starts over
/// at the next start (as `search::reindex` does for search words).
pub fn rekey(conn: &mut DbConn) -> Result<usize, ServiceError> {
    if db::cases::counter(conn, "party-key-format")? >= KEY_FORMAT {
        return Ok(0);
    }
    let mut changed = 0;
    let mut after = 0;
    loop {
        let rows = db::related::party_names(conn, after, BATCH)?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        let keys: Vec<(i64, String)> = rows
            .into_iter()
            .filter_map(|r| {
                let key = related::name_key(&r.name);
                (key != r.name_key).then_some((r.id, key))
            })
            .collect();
        changed += keys.len();
        db::write::<_, ServiceError, _>(conn, |conn| {
            db::related::set_name_keys(conn, &keys)?;
            Ok(())
        })?;
        after = last;
    }
    db::cases::set_counter(conn, "party-key-format", KEY_FORMAT)?;
    Ok(changed)
}
