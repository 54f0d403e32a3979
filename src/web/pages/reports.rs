//! `GET /reports?year=YYYY`: the annual-report tables of a year, each cell a link to the queue
//! of the cases it counts; `GET /reports/{table}.csv?year=YYYY`: one table as CSV.

use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Datelike;

use crate::db::reports::Counts;
use crate::domain::reports::{
    parse_year, Cell, DimValue, Dimension, Shape, TableId, CASES_COLUMN, FIRST_YEAR,
};
use crate::domain::ValidationErrors;
use crate::service::clock::Now;
use crate::service::export::sheet;
use crate::service::{self, ServiceError};
use crate::web::error::WebError;
use crate::web::page::{render, PageCtx};
use crate::web::AppState;

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

/// One number of a table, and the queue of the cases it counts (none for a count of
/// conditions, or of nothing).
pub struct CellView {
    pub n: i64,
    pub href: Option<String>,
}

pub struct RowView {
    pub label: String,
    pub cells: Vec<CellView>,
}

pub struct TableView {
    pub key: &'static str,
    pub title: &'static str,
    pub basis: &'static str,
    /// The header of the row-label column.
    pub row_header: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<RowView>,
}

fn queue_href(cell: &Cell, year: i32) -> String {
    let q = [("report", cell.key()), ("year", year.to_string())];
    format!(
        "/cases?{}",
        serde_urlencoded::to_string(q).unwrap_or_default()
    )
}

fn linked(n: i64, cell: Option<Cell>, year: i32) -> CellView {
    CellView {
        n,
        href: cell.filter(|_| n > 0).map(|c| queue_href(&c, year)),
    }
}

/// The tables of a year from its counts.
pub fn tables(counts: &Counts, year: i32) -> Vec<TableView> {
    TableId::ALL
        .into_iter()
        .map(|t| match t.shape() {
            Shape::Rows(defs) => {
                let mitigation = t == TableId::Mitigation;
                let rows = defs
                    .iter()
                    .map(|r| {
                        let n = counts.rows.get(&(t, r.key)).copied().unwrap_or(0);
                        let key = format!("{}:{}:{CASES_COLUMN}", t.key(), r.key);
                        let mut cells = vec![linked(n, Cell::parse(&key), year)];
                        if mitigation {
                            let c = counts.conditions.get(r.key).copied().unwrap_or(0);
                            cells.push(CellView { n: c, href: None });
                        }
                        RowView {
                            label: r.label.to_string(),
                            cells,
                        }
                    })
                    .collect();
                TableView {
                    key: t.key(),
                    title: t.title(),
                    basis: t.basis(),
                    row_header: "Row",
                    columns: if mitigation {
                        vec!["Cases", "Conditions"]
                    } else {
                        vec!["Cases"]
                    },
                    rows,
                }
            }
            Shape::ByDimension(dim, cols) => {
                let mut keys: Vec<&String> = counts
                    .dims
                    .keys()
                    .filter(|(tt, _, _)| *tt == t)
                    .map(|(_, k, _)| k)
                    .collect();
                keys.sort();
                keys.dedup();
                let mut rows: Vec<(i64, RowView)> = keys
                    .into_iter()
                    .filter_map(|k| DimValue::parse(dim, k))
                    .map(|v| {
                        let cells: Vec<CellView> = cols
                            .iter()
                            .map(|c| {
                                let n = counts
                                    .dims
                                    .get(&(t, v.key().to_string(), c.key))
                                    .copied()
                                    .unwrap_or(0);
                                let key = format!("{}:{}:{}", t.key(), v.key(), c.key);
                                linked(n, Cell::parse(&key), year)
                            })
                            .collect();
                        let first = cells.first().map_or(0, |c| c.n);
                        (
                            first,
                            RowView {
                                label: v.label().to_string(),
                                cells,
                            },
                        )
                    })
                    .collect();
                // The most reports received first, then by name.
                rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
                TableView {
                    key: t.key(),
                    title: t.title(),
                    basis: t.basis(),
                    row_header: match dim {
                        Dimension::AcquirerCountry => "Country",
                        Dimension::LeadAgency => "Lead agency",
                        Dimension::SiteKind => "Site kind",
                    },
                    columns: cols.iter().map(|c| c.label).collect(),
                    rows: rows.into_iter().map(|(_, r)| r).collect(),
                }
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "pages/reports.html")]
struct ReportsPage {
    ctx: PageCtx,
    /// The year shown, or `None` when the one asked for was refused.
    year: Option<i32>,
    asked: String,
    error: Option<String>,
    years: Vec<i32>,
    tables: Vec<TableView>,
    empty: bool,
}

impl ReportsPage {
    fn is_year(&self, y: &i32) -> bool {
        self.year == Some(*y)
    }
}

fn years(first: Option<chrono::NaiveDate>, this_year: i32) -> Vec<i32> {
    let from = first.map_or(this_year, |d| d.year()).max(FIRST_YEAR);
    (from..=this_year).rev().collect()
}

pub async fn show(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    let this_year = Now::real().today.year();
    let parsed = parse_year(&query.year, this_year);
    let year = parsed.as_ref().ok().copied();
    let cache = state.reports.clone();
    let (counts, first) = state
        .db
        .run(move |c| match year {
            Some(y) => service::reports::year(c, &cache, y),
            None => Ok((
                Arc::new(Counts::default()),
                service::reports::first_received(c)?,
            )),
        })
        .await?;
    let status = if year.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReportsPage {
        ctx: ctx.clone(),
        year,
        asked: query.year.chars().take(20).collect(),
        error: parsed.err().map(|e| e.to_string()),
        years: years(first, this_year),
        empty: counts.is_empty(),
        tables: year.map(|y| tables(&counts, y)).unwrap_or_default(),
    };
    render(status, &ctx, &page)
}

/// One table as CSV: a header row, then a row per table row; text cells neutralised.
pub fn table_csv(table: &TableView) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![table.row_header];
    head.extend(table.columns.iter().copied());
    w.write_record(&head)?;
    for r in &table.rows {
        let mut rec = vec![sheet::cell(&r.label).into_owned()];
        rec.extend(r.cells.iter().map(|c| c.n.to_string()));
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

pub async fn csv(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, WebError> {
    let name = path.into_inner();
    let table = name
        .strip_suffix(".csv")
        .and_then(TableId::parse)
        .ok_or(WebError::NotFound { api: false })?;
    let this_year = Now::real().today.year();
    let year = parse_year(&query.year, this_year)
        .map_err(|e| ServiceError::from(ValidationErrors::single("year", e.to_string())))?;
    let cache = state.reports.clone();
    let (counts, _) = state
        .db
        .run(move |c| service::reports::year(c, &cache, year))
        .await?;
    let view = tables(&counts, year)
        .into_iter()
        .find(|t| t.key == table.key())
        .ok_or(WebError::NotFound { api: false })?;
    let body = table_csv(&view).map_err(|e| WebError::Internal(format!("csv: {e}")))?;
    let disposition = format!("attachment; filename=\"{}-{year}.csv\"", table.key());
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn cells_link_to_the_queue_only_when_they_count_something() {
        let mut counts = Counts::default();
        counts.rows.insert((TableId::Declarations, "cleared"), 3);
        counts.conditions.insert("cleared", 5);
        counts.rows.insert((TableId::Mitigation, "cleared"), 2);
        counts
            .dims
            .insert((TableId::Countries, "CN".into(), "received"), 4);
        counts
            .dims
            .insert((TableId::Countries, "VG".into(), "received"), 7);
        counts
            .dims
            .insert((TableId::Countries, "CN".into(), "filings"), 1);
        let t = tables(&counts, 2024);
        assert_eq!(t.len(), TableId::ALL.len());
        let decl = &t[0];
        let cleared = &decl.rows[1];
        assert_eq!(cleared.cells[0].n, 3);
        assert_eq!(
            cleared.cells[0].href.as_deref(),
            Some("/cases?report=declarations%3Acleared%3Acases&year=2024")
        );
        assert!(decl.rows[0].cells[0].href.is_none(), "zero is not a link");
        let mit = t
            .iter()
            .find(|t| t.key == "mitigation")
            .expect("mitigation");
        assert_eq!(mit.columns, ["Cases", "Conditions"]);
        assert_eq!(mit.rows[0].cells[1].n, 5);
        assert!(
            mit.rows[0].cells[1].href.is_none(),
            "conditions are not cases"
        );
        let countries = t.iter().find(|t| t.key == "countries").expect("countries");
        let labels: Vec<_> = countries.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["VG", "CN"], "most received first");
        assert_eq!(countries.rows[1].cells[1].n, 1);
        assert_eq!(countries.rows[1].cells[2].n, 0);
    }

    #[test]
    fn csv_has_the_table_s_numbers_and_neutralises_formulas() {
        let table = TableView {
            key: "x",
            title: "x",
            basis: "",
            row_header: "Country",
            columns: vec!["Reports received"],
            rows: vec![
                RowView {
                    label: "=HYPERLINK(1)".into(),
                    cells: vec![CellView { n: 4, href: None }],
                },
                RowView {
                    label: "CN".into(),
                    cells: vec![CellView { n: 12, href: None }],
                },
            ],
        };
        let text = String::from_utf8(table_csv(&table).expect("csv")).expect("utf8");
        assert_eq!(text, "Country,Reports received\n'=HYPERLINK(1),4\nCN,12\n");
    }

    #[test]
    fn the_year_picker_runs_from_the_first_report_to_this_year() {
        let d = chrono::NaiveDate::from_ymd_opt(2022, 5, 1);
        assert_eq!(years(d, 2024), [2024, 2023, 2022]);
        assert_eq!(years(None, 2024), [2024]);
    }
}
