//! The annual-report aggregates (`domain::reports` says what each cell counts). Each rule is
//! turned into SQL once, by [`rule_sql`], and that SQL serves both the count on the reports page
//! and the queue's list of the cases a cell counts ([`cell_predicate`]), so the two agree.
//!
//! Every value written into this SQL as a literal comes from a closed set: state and outcome
//! names from the workflow enums, a year already checked to be four digits, a country code
//! checked to be two capital letters, a lead agency from its enum. Nothing a user typed reaches
//! it unchecked.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::schema::cases;
use super::{DbConn, DbError};
use crate::domain::reports::{
    year_bounds, Cell, DimValue, Dimension, Rule, Shape, TableId, ACQUIRER_ROLES,
};

/// How a backend reads a field of an event's JSON payload (the text column `payload`).
fn field(conn: &DbConn, name: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => format!("json_extract(payload, '$.{name}')"),
        DbConn::Pg(_) => format!("(payload::jsonb ->> '{name}')"),
    }
}

/// The moves effective in a year: `case_id`, `f` (from), `t` (to), `o` (outcome), from
/// `report_moves`, which a trigger fills from each move's event as it is appended (migration
/// `000014`), so a year's counts never parse the events' payloads.
fn moves(year: i32) -> String {
    let (a, b) = year_bounds(year);
    format!("SELECT case_id, f, t, o FROM report_moves WHERE effective BETWEEN '{a}' AND '{b}'")
}

/// The extensions and condition updates recorded in a year: `case_id`, `k` (kind), `nw` (the
/// condition's new status).
fn others(conn: &DbConn, year: i32) -> String {
    format!(
        "SELECT case_id, kind AS k, {} AS nw FROM events \
         WHERE kind IN ('extended', 'condition_updated') \
           AND at >= '{year:04}-01-01' AND at < '{next:04}-01-01'",
        field(conn, "new"),
        next = year + 1,
    )
}

fn list(items: impl IntoIterator<Item = &'static str>) -> String {
    items
        .into_iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a rule's events come from, and the condition on them (columns prefixed `m.`).
enum Source {
    Moves(String),
    Others(String),
    Received,
}

/// The SQL of a rule.
fn rule_sql(rule: Rule) -> Source {
    match rule {
        Rule::Moved { from, to, outcome } => {
            let mut w = format!("m.t IN ({})", list(to.iter().map(|s| s.as_str())));
            if !from.is_empty() {
                w += &format!(" AND m.f IN ({})", list(from.iter().map(|s| s.as_str())));
            }
            if let Some(o) = outcome {
                w += &format!(" AND m.o = '{}'", o.as_str());
            }
            Source::Moves(w)
        }
        Rule::Extended => Source::Others("m.k = 'extended'".into()),
        Rule::ConditionBreached => {
            Source::Others("m.k = 'condition_updated' AND m.nw = 'breached'".into())
        }
        Rule::Received => Source::Received,
    }
}

fn dim_sql(v: &DimValue) -> String {
    match v {
        DimValue::Country(c) => format!(
            "cases.id IN (SELECT case_id FROM parties WHERE country = '{c}' AND role IN ({}))",
            list(ACQUIRER_ROLES)
        ),
        DimValue::Agency(Some(a)) => format!("cases.lead_agency = '{}'", a.as_str()),
        DimValue::Agency(None) => "cases.lead_agency IS NULL".into(),
        DimValue::Site(k) => format!(
            "cases.id IN (SELECT case_id FROM case_zone_kinds WHERE kind = '{}')",
            k.as_str()
        ),
    }
}

/// The condition on `cases` that a case counts in this cell in this year: what the queue
/// filters by when it lists a cell's cases.
pub fn cell_predicate(conn: &DbConn, cell: &Cell, year: i32) -> String {
    let (a, b) = year_bounds(year);
    let base = match rule_sql(cell.rule) {
        Source::Moves(w) => format!(
            "cases.id IN (SELECT m.case_id FROM ({}) m WHERE {w})",
            moves(year)
        ),
        Source::Others(w) => format!(
            "cases.id IN (SELECT m.case_id FROM ({}) m WHERE {w})",
            others(conn, year)
        ),
        Source::Received => format!("cases.received_on BETWEEN '{a}' AND '{b}'"),
    };
    match &cell.dim {
        Some(v) => format!("({base}) AND ({})", dim_sql(v)),
        None => base,
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    cell: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct DimCount {
    #[diesel(sql_type = Integer)]
    cell: i32,
    #[diesel(sql_type = Text)]
    k: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The counts of a year.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Cases per `(table, row key)` of the tables with fixed rows.
    pub rows: HashMap<(TableId, &'static str), i64>,
    /// Conditions per row key of the mitigation table.
    pub conditions: HashMap<&'static str, i64>,
    /// Cases per `(table, row key, column key)` of the tables broken down by a dimension; only
    /// the cells that count something.
    pub dims: HashMap<(TableId, String, &'static str), i64>,
}

impl Counts {
    /// Whether anything at all counts in the year.
    pub fn is_empty(&self) -> bool {
        self.rows
            .values()
            .chain(self.dims.values())
            .all(|n| *n == 0)
    }
}

/// Offset of the mitigation table's conditions in the cell numbers of [`fixed_rows_sql`].
const CONDITIONS: i32 = 1000;

/// One query for every table with fixed rows: each cell counts its distinct cases among its
/// moves of the year, or among the year's other events (read once, materialised).
fn fixed_rows_sql(conn: &DbConn, year: i32) -> (String, Vec<(TableId, &'static str)>) {
    let (a, b) = year_bounds(year);
    let mut parts = Vec::new();
    let mut cells = Vec::new();
    for t in TableId::ALL {
        let Shape::Rows(rows) = t.shape() else {
            continue;
        };
        for r in rows {
            let i = i32::try_from(cells.len()).unwrap_or(i32::MAX);
            // A move's cell reads `report_moves` through its index led by the state moved
            // into and the outcome (migration `000016`), so it reads only its own moves.
            let (from, w) = match rule_sql(r.rule) {
                Source::Moves(w) => (
                    "report_moves",
                    format!("m.effective BETWEEN '{a}' AND '{b}' AND {w}"),
                ),
                Source::Others(w) => ("x", w),
                Source::Received => continue,
            };
            parts.push(format!(
                "SELECT {i} AS cell, COUNT(DISTINCT m.case_id) AS n FROM {from} m WHERE {w}"
            ));
            if t == TableId::Mitigation {
                let q = if from == "x" {
                    format!("SELECT COUNT(*) FROM x m WHERE {w}")
                } else {
                    format!(
                        "SELECT COUNT(*) FROM conditions WHERE kind = 'mitigation' \
                         AND case_id IN (SELECT m.case_id FROM {from} m WHERE {w})"
                    )
                };
                parts.push(format!("SELECT {} AS cell, ({q}) AS n", CONDITIONS + i));
            }
            cells.push((t, r.key));
        }
    }
    let sql = format!(
        "WITH x AS MATERIALIZED ({}) {}",
        others(conn, year),
        parts.join(" UNION ALL ")
    );
    (sql, cells)
}

/// One query for a table broken down by a dimension: a `GROUP BY` per column.
fn dimension_sql(conn: &DbConn, dim: Dimension, cols: &[(usize, Rule)], year: i32) -> String {
    let (a, b) = year_bounds(year);
    let mut parts = Vec::new();
    for (i, rule) in cols {
        let (source, w) = match rule_sql(*rule) {
            Source::Moves(w) => ("m", w),
            Source::Others(w) => ("x", w),
            Source::Received => ("cases", format!("c.received_on BETWEEN '{a}' AND '{b}'")),
        };
        let case_id = if source == "cases" {
            "c.id"
        } else {
            "m.case_id"
        };
        let from = if source == "cases" {
            "cases c".to_string()
        } else {
            format!("{source} m")
        };
        parts.push(match dim {
            Dimension::AcquirerCountry => format!(
                "SELECT {i} AS cell, p.country AS k, COUNT(DISTINCT {case_id}) AS n \
                 FROM {from} JOIN parties p ON p.case_id = {case_id} \
                 WHERE p.role IN ({}) AND {w} GROUP BY p.country",
                list(ACQUIRER_ROLES)
            ),
            Dimension::SiteKind => format!(
                "SELECT {i} AS cell, z.kind AS k, COUNT(DISTINCT {case_id}) AS n \
                 FROM {from} JOIN case_zone_kinds z ON z.case_id = {case_id} \
                 WHERE {w} GROUP BY z.kind"
            ),
            Dimension::LeadAgency if source == "cases" => format!(
                "SELECT {i} AS cell, COALESCE(c.lead_agency, 'none') AS k, COUNT(*) AS n \
                 FROM cases c WHERE {w} GROUP BY c.lead_agency"
            ),
            Dimension::LeadAgency => format!(
                "SELECT {i} AS cell, COALESCE(c.lead_agency, 'none') AS k, \
                 COUNT(DISTINCT m.case_id) AS n \
                 FROM {from} JOIN cases c ON c.id = m.case_id WHERE {w} GROUP BY c.lead_agency"
            ),
        });
    }
    format!(
        "WITH m AS MATERIALIZED ({}), x AS MATERIALIZED ({}) {}",
        moves(year),
        others(conn, year),
        parts.join(" UNION ALL ")
    )
}

/// Every query the reports page runs for a year, for `EXPLAIN`.
pub fn queries(conn: &DbConn, year: i32) -> Vec<String> {
    let mut v = vec![fixed_rows_sql(conn, year).0];
    for t in TableId::ALL {
        if let Shape::ByDimension(dim, cols) = t.shape() {
            let cols: Vec<_> = cols.iter().map(|c| c.rule).enumerate().collect();
            v.push(dimension_sql(conn, dim, &cols, year));
        }
    }
    v
}

/// Every count of a year: one query for the tables with fixed rows, one per dimension table.
pub fn counts(conn: &mut DbConn, year: i32) -> Result<Counts, DbError> {
    let mut out = Counts::default();
    let (sql, cells) = fixed_rows_sql(conn, year);
    let rows: Vec<Count> = diesel::sql_query(sql).load(conn)?;
    for r in rows {
        let (i, conditions) = if r.cell >= CONDITIONS {
            (r.cell - CONDITIONS, true)
        } else {
            (r.cell, false)
        };
        let Some(&(t, key)) = usize::try_from(i).ok().and_then(|i| cells.get(i)) else {
            continue;
        };
        if conditions {
            out.conditions.insert(key, r.n);
        } else {
            out.rows.insert((t, key), r.n);
        }
    }
    for t in TableId::ALL {
        let Shape::ByDimension(dim, cols) = t.shape() else {
            continue;
        };
        let rules: Vec<_> = cols.iter().map(|c| c.rule).enumerate().collect();
        let rows: Vec<DimCount> =
            diesel::sql_query(dimension_sql(conn, dim, &rules, year)).load(conn)?;
        for r in rows {
            let Some(col) = usize::try_from(r.cell).ok().and_then(|i| cols.get(i)) else {
                continue;
            };
            out.dims.insert((t, r.k, col.key), r.n);
        }
    }
    Ok(out)
}

/// The day the earliest report was received, if any (the year picker starts there).
pub fn first_received(conn: &mut DbConn) -> Result<Option<NaiveDate>, DbError> {
    Ok(cases::table
        .select(diesel::dsl::min(cases::received_on))
        .first(conn)?)
}

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The plan of each query of the page for a year (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN
/// ANALYZE` on PostgreSQL), and the plan of the queue's list of one cell.
pub fn plans(conn: &mut DbConn, year: i32, cell: &Cell) -> Result<Vec<Vec<String>>, DbError> {
    let mut sqls = queries(conn, year);
    sqls.push(format!(
        "SELECT id FROM cases WHERE {} ORDER BY next_due, id LIMIT 51",
        cell_predicate(conn, cell, year)
    ));
    let mut out = Vec::new();
    for sql in sqls {
        out.push(match conn {
            DbConn::Sqlite(_) => {
                let p: Vec<SqlitePlan> =
                    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(conn)?;
                p.into_iter().map(|p| p.detail).collect()
            }
            DbConn::Pg(_) => {
                let p: Vec<PgPlan> =
                    diesel::sql_query(format!("EXPLAIN ANALYZE {sql}")).load(conn)?;
                p.into_iter().map(|p| p.line).collect()
            }
        });
    }
    Ok(out)
}
