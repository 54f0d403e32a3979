//! The queries behind related cases (`domain::related` decides what they mean): parties by name
//! key, cases inside a bounding box, the rows shown, the watchlist entries and decisions behind a
//! confirmed alias, and the writing of name keys at start. The two searches over every case are
//! written once as SQL for both backends, so that [`plans`] explains exactly what runs.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};

use super::cases::WatchDecisionRow;
use super::schema::{cases, parties, watch_decisions, watchlist_entries};
use super::sites::WatchRow;
use super::{DbConn, DbError};
use crate::domain::related::BoundingBox;

/// The parties carrying a name key, in other cases, the most recently logged first: the
/// `parties_name_key` index gives them in order. Placeholders are numbered in the order they
/// first appear, as SQLite numbers `$N` by first use.
const NAMED: &str = "SELECT case_id, name FROM parties \
     WHERE name_key = $1 AND case_id <> $2 \
     ORDER BY case_id DESC LIMIT $3";

/// The cases inside a bounding box (a latitude range of the `cases_location` index, longitude
/// within one of two ranges), the nearest first by a flat approximation (latitude and longitude
/// differences, the latter scaled by the cosine of the centre's latitude).
const INSIDE: &str = "SELECT id, lat, lon FROM cases \
     WHERE lat BETWEEN $1 AND $2 \
       AND (lon BETWEEN $3 AND $4 OR lon BETWEEN $5 AND $6) \
       AND id <> $7 \
     ORDER BY (lat - $8) * (lat - $8) + (lon - $9) * (lon - $9) * $10 \
     LIMIT $11";

/// A party of another case carrying a name key.
#[derive(Clone, Debug, QueryableByName)]
pub struct NamedParty {
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
}

/// Up to `limit` parties of cases other than `except` whose name key is `key`, the most
/// recently logged case first.
pub fn parties_named(
    conn: &mut DbConn,
    key: &str,
    except: i64,
    limit: i64,
) -> Result<Vec<NamedParty>, DbError> {
    Ok(diesel::sql_query(NAMED)
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(except)
        .bind::<BigInt, _>(limit)
        .load(conn)?)
}

/// A case's id and where its property lies.
#[derive(Clone, Copy, Debug, QueryableByName)]
pub struct Located {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Double)]
    pub lat: f64,
    #[diesel(sql_type = Double)]
    pub lon: f64,
}

/// The search of [`INSIDE`] with its parameters bound.
fn inside_query(
    sql: String,
    b: &BoundingBox,
    (lat, lon): (f64, f64),
    except: i64,
    limit: i64,
) -> diesel::query_builder::BoxedSqlQuery<
    'static,
    <DbConn as Connection>::Backend,
    diesel::query_builder::SqlQuery,
> {
    // One range or two (across the 180th meridian); a single range is given twice.
    let first = b.lon.first().copied().unwrap_or((-180.0, 180.0));
    let second = b.lon.get(1).copied().unwrap_or(first);
    let scale = lat.to_radians().cos().powi(2);
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Double, _>(b.min_lat)
        .bind::<Double, _>(b.max_lat)
        .bind::<Double, _>(first.0)
        .bind::<Double, _>(first.1)
        .bind::<Double, _>(second.0)
        .bind::<Double, _>(second.1)
        .bind::<BigInt, _>(except)
        .bind::<Double, _>(lat)
        .bind::<Double, _>(lon)
        .bind::<Double, _>(scale)
        .bind::<BigInt, _>(limit)
}

/// Up to `limit` cases other than `except` whose property lies inside `b`, about the nearest
/// to `centre` (lat, lon) first.
pub fn inside(
    conn: &mut DbConn,
    b: &BoundingBox,
    centre: (f64, f64),
    except: i64,
    limit: i64,
) -> Result<Vec<Located>, DbError> {
    Ok(inside_query(INSIDE.to_string(), b, centre, except, limit).load(conn)?)
}

/// What the related-cases list shows of a case, and where it lies.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct RelatedRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub state: String,
    pub risk_band: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

/// The rows of these cases (in no particular order).
pub fn rows(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<RelatedRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(cases::table
        .filter(cases::id.eq_any(ids))
        .select(RelatedRow::as_select())
        .load(conn)?)
}

/// These watchlist entries (those that still exist: an import replaces a list's entries).
pub fn entries(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<WatchRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(watchlist_entries::table
        .filter(watchlist_entries::id.eq_any(ids))
        .order(watchlist_entries::id.asc())
        .select(WatchRow::as_select())
        .load(conn)?)
}

/// Every decision, on any case, on these entries, oldest first.
pub fn decisions_on(
    conn: &mut DbConn,
    entry_ids: &[i64],
) -> Result<Vec<WatchDecisionRow>, DbError> {
    if entry_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(watch_decisions::table
        .filter(watch_decisions::entry_id.eq_any(entry_ids))
        .order(watch_decisions::id.asc())
        .select(WatchDecisionRow::as_select())
        .load(conn)?)
}

/// A party's name and its stored key, for rewriting keys.
#[derive(Clone, Debug, Queryable)]
pub struct PartyName {
    pub id: i64,
    pub name: String,
    pub name_key: String,
}

/// The next `limit` parties after id `after`.
pub fn party_names(conn: &mut DbConn, after: i64, limit: i64) -> Result<Vec<PartyName>, DbError> {
    Ok(parties::table
        .filter(parties::id.gt(after))
        .order(parties::id.asc())
        .limit(limit)
        .select((parties::id, parties::name, parties::name_key))
        .load(conn)?)
}

/// Writes name keys (party id, key): one statement on PostgreSQL, one per row on SQLite (no
/// round trips there). Call inside a transaction.
pub fn set_name_keys(conn: &mut DbConn, keys: &[(i64, String)]) -> Result<(), DbError> {
    if keys.is_empty() {
        return Ok(());
    }
    match conn {
        DbConn::Pg(c) => {
            use diesel::sql_types::Array;
            let ids: Vec<i64> = keys.iter().map(|(id, _)| *id).collect();
            let values: Vec<&str> = keys.iter().map(|(_, k)| k.as_str()).collect();
            diesel::sql_query(
                "UPDATE parties AS p SET name_key = v.k \
                 FROM unnest($1::bigint[], $2::text[]) AS v(id, k) WHERE p.id = v.id",
            )
            .bind::<Array<BigInt>, _>(ids)
            .bind::<Array<Text>, _>(values)
            .execute(c)?;
        }
        DbConn::Sqlite(c) => {
            for (id, key) in keys {
                diesel::update(parties::table.find(id))
                    .set(parties::name_key.eq(key))
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// One line of a query plan.
#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// How the database runs the two searches over every case (`EXPLAIN QUERY PLAN` on SQLite,
/// `EXPLAIN` on PostgreSQL), for tests and for checking a deployment: the name search, then
/// the box search, each as lines of the plan.
pub fn plans(conn: &mut DbConn) -> Result<(Vec<String>, Vec<String>), DbError> {
    let (explain, sqlite) = match conn {
        DbConn::Sqlite(_) => ("EXPLAIN QUERY PLAN ", true),
        DbConn::Pg(_) => ("EXPLAIN ", false),
    };
    let named = diesel::sql_query(format!("{explain}{NAMED}"))
        .into_boxed()
        .bind::<Text, _>("mineone partners")
        .bind::<BigInt, _>(1_i64)
        .bind::<BigInt, _>(51_i64);
    let b = crate::domain::related::bounding_box(41.17, -104.85, 10.0);
    let inside = inside_query(format!("{explain}{INSIDE}"), &b, (41.17, -104.85), 1, 80);
    Ok(if sqlite {
        let a: Vec<SqlitePlan> = named.load(conn)?;
        let b: Vec<SqlitePlan> = inside.load(conn)?;
        (
            a.into_iter().map(|p| p.detail).collect(),
            b.into_iter().map(|p| p.detail).collect(),
        )
    } else {
        let a: Vec<PgPlan> = named.load(conn)?;
        let b: Vec<PgPlan> = inside.load(conn)?;
        (
            a.into_iter().map(|p| p.line).collect(),
            b.into_iter().map(|p| p.line).collect(),
        )
    })
}
